"""The overlay read from a mat: panels placed off the person, large text, outlines that hug the letters."""

from __future__ import annotations

import numpy as np
import pytest

from posecount.analysis.analyzer import Gauge
from posecount.media.layout import intersection, person_box, place_panels
from posecount.media.overlay import Overlay, draw_overlay, overlay_layout
from posecount.media.render import draw_skeleton
from posecount.media.text import outline_px, put_text
from posecount.pose.landmarks import PoseFrame
from tests import synth

PANELS = [(300, 150), (200, 200), (400, 80)]


def _inside(rect, wh) -> bool:
    return 0 <= rect[0] < rect[2] <= wh[0] and 0 <= rect[1] < rect[3] <= wh[1]


@pytest.mark.parametrize("person,band", [
    ((100, 400, 1200, 700), "top"),  # lying on a mat in the lower half
    ((100, 0, 1200, 330), "bottom"),  # the camera looks down at the feet: the top is busy
    ((0, 0, 560, 720), "right"),  # standing at the left
])
def test_panels_go_to_the_free_band(person, band):
    wh = (1280, 720)
    lay = place_panels(wh, person, PANELS, gap=10, margin=10)
    assert lay.overlap == 0 and lay.band == band
    assert all(intersection(r, person) == 0 and _inside(r, wh) for r in lay.rects)
    assert [(r[2] - r[0], r[3] - r[1]) for r in lay.rects] == PANELS  # sizes kept, order kept
    for a in range(len(lay.rects)):  # panels never cover each other
        assert all(intersection(lay.rects[a], lay.rects[b]) == 0 for b in range(a + 1, len(lay.rects)))


def test_without_a_person_the_panels_start_top_left_and_stay_where_they_were():
    wh = (1280, 720)
    lay = place_panels(wh, None, PANELS, gap=10, margin=10)
    assert lay.key == ("top", "start") and lay.rects[0][:2] == (10, 10)
    assert place_panels(wh, None, PANELS, prefer=("bottom", "end")).key == ("bottom", "end")
    # A preference that would cover the person is not kept.
    assert place_panels(wh, (0, 360, 1280, 720), PANELS, prefer=("bottom", "end")).band == "top"


def test_panels_too_long_for_one_row_wrap_and_a_crowded_frame_covers_the_least():
    wh = (640, 480)
    lay = place_panels(wh, (0, 300, 640, 480), [(400, 100), (400, 100)], gap=10, margin=10)
    assert lay.overlap == 0 and lay.rects[1][1] > lay.rects[0][3]  # the second one on a row of its own
    crowded = place_panels(wh, (0, 60, 640, 480), [(200, 100)], gap=10, margin=10)
    assert 0 < crowded.overlap <= 200 * 50  # the thin free strip at the top is used as far as it goes
    assert place_panels(wh, [(0, 0, 640, 100), (0, 380, 640, 480)], [(100, 100)]).band in ("left", "right")


def test_person_box_holds_the_visible_landmarks():
    pose = synth.to_frame(0.0, synth.bridge_pose(150.0), synth.CAM_BACK)
    box = person_box(pose, pose.image_wh)
    px = pose.image_px
    assert box is not None
    assert (px[:, 0] >= box[0]).all() and (px[:, 0] <= box[2]).all()
    assert (px[:, 1] >= box[1]).all() and (px[:, 1] <= box[3]).all()
    assert person_box(None, (640, 480)) is None
    hidden = PoseFrame.from_arrays(0.0, pose.image_xy, visibility=np.zeros(33), image_wh=pose.image_wh)
    assert person_box(hidden, pose.image_wh) is None


def _white_rows(img: np.ndarray, rect) -> int:
    x0, y0, x1, y1 = rect
    rows = np.where((img[y0:y1, x0:x1] > 235).all(axis=2).any(axis=1))[0]
    return int(rows[-1] - rows[0] + 1) if len(rows) else 0


@pytest.mark.parametrize("wh", [(1280, 720), (1920, 1080), (640, 480)])
def test_a_rendered_frame_reads_from_a_mat_and_leaves_the_person_free(wh):
    pose = synth.to_frame(0.0, synth.bridge_pose(150.0), synth.CAM_BACK)
    pose = PoseFrame.from_arrays(0.0, pose.image_xy, visibility=pose.visibility, image_wh=wh)
    frame = draw_skeleton(np.full((wh[1], wh[0], 3), 90, np.uint8), pose)
    person = person_box(pose, wh)
    state = Overlay(reps=2, target=3, hold_s=2.2, hold_target_s=5.0, message="Hold longer",
                    gauge=Gauge(150.0, 130.0, 165.0, "deg", "hip"))
    placed = overlay_layout(wh, state, person)
    out = draw_overlay(frame, state, person)
    assert placed.overlap == 0 and all(intersection(r, person) == 0 for r in placed.rects.values())
    x0, y0, x1, y1 = person
    assert np.array_equal(out[y0:y1, x0:x1], frame[y0:y1, x0:x1]), "nothing drawn over the person"
    assert _white_rows(out, placed.rects["count"]) >= wh[1] / 6, "the count is a sixth of the height"
    assert _white_rows(out, placed.rects["hold"]) >= wh[1] / 10, "the hold countdown is large"


def test_the_frame_rate_and_the_measured_value_only_with_debug():
    state = Overlay(reps=1, fps=29.7, gauge=Gauge(157.0, 130.0, 165.0, "deg", "hip"))
    assert "debug" not in overlay_layout((1280, 720), state).rects
    debug = Overlay(reps=1, fps=29.7, gauge=Gauge(157.0, 130.0, 165.0, "deg", "hip"), debug=True)
    rect = overlay_layout((1280, 720), debug).rects["debug"]
    img = np.full((720, 1280, 3), 90, np.uint8)
    x0, y0, x1, y1 = rect
    assert draw_overlay(img, debug)[y0:y1, x0:x1].max() > 150  # words there
    assert np.array_equal(draw_overlay(img, state)[y0:y1, x0:x1], img[y0:y1, x0:x1])


def _footprint(img: np.ndarray, background: int) -> tuple[int, int, int, int]:
    ys, xs = np.where(np.abs(img.astype(int) - background).max(axis=2) > 8)
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


@pytest.mark.parametrize("scale", [0.5, 0.8, 1.5, 4.0])
def test_the_outline_hugs_the_text_and_never_doubles_it(scale):
    """The outline is no copy of the text: it adds a few pixels around the letters, no more
    (a thicker second `putText` made "ready" show a stray "dy" beside the word)."""
    def drawn(outline) -> np.ndarray:
        img = np.full((300, 1200, 3), 128, np.uint8)
        put_text(img, "ready", (20, 200), scale, (255, 255, 255), outline=outline)
        return img

    plain, outlined = _footprint(drawn(None), 128), _footprint(drawn((0, 0, 0)), 128)
    grow = outline_px(scale) + 1
    assert outlined[0] >= plain[0] - grow and outlined[1] >= plain[1] - grow
    assert outlined[2] <= plain[2] + grow and outlined[3] <= plain[3] + grow
    assert outlined[2] - outlined[0] > plain[2] - plain[0]  # there is an outline
    white, alone = (drawn((0, 0, 0)) > 250).all(axis=2), (drawn(None) > 250).all(axis=2)
    assert white.sum() > 50 and (white ^ alone).sum() < 0.1 * alone.sum()  # the letters themselves unmoved
