"""Drawing on frames (posecount.media.render): skeleton, angle, overlay, and the face blur."""

from __future__ import annotations

import numpy as np
import pytest

from posecount.media.overlay import Overlay, draw_overlay, overlay_layout
from posecount.media.render import (
    FaceBlur,
    blur_box,
    blur_face,
    draw_angle,
    draw_angle_at,
    draw_skeleton,
    face_box,
)
from posecount.pose.landmarks import FACE, PoseFrame
from posecount.pose.landmarks import Landmark as L
from tests import synth

WH = (640, 480)


def _pose(**kw) -> PoseFrame:
    return synth.to_frame(0.0, synth.bridge_pose(150.0), synth.CAM_BACK, **kw)


def _noise(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (WH[1], WH[0], 3), dtype=np.uint8)


def _grey_var(img: np.ndarray, box) -> float:
    x0, y0, x1, y1 = box
    return float(img[y0:y1, x0:x1].astype(float).mean(axis=2).var())


def test_draws_on_a_copy_and_only_where_the_body_is():
    img = np.zeros((WH[1], WH[0], 3), np.uint8)
    pose = _pose()
    out = draw_skeleton(img, pose)
    assert img.max() == 0, "the input must stay untouched"
    hip = np.round(pose.point_px(L.LEFT_HIP)).astype(int)
    assert out[hip[1], hip[0]].max() > 0
    assert out[5, WH[0] - 5].max() == 0  # a corner far from the body stays black
    assert np.array_equal(draw_skeleton(img, None), img)


def test_invisible_points_are_not_drawn():
    pose = _pose()
    hidden = PoseFrame.from_arrays(0.0, pose.image_xy, visibility=np.zeros(33), image_wh=WH)
    img = np.zeros((WH[1], WH[0], 3), np.uint8)
    assert draw_skeleton(img, hidden).max() == 0


def test_angle_draws_its_label_and_ignores_nan():
    img = np.zeros((200, 200, 3), np.uint8)
    out = draw_angle_at(img, np.array([20.0, 100.0]), np.array([100.0, 100.0]), np.array([180.0, 100.0]), "180 deg")
    assert out.max() > 0
    # The label of a straight angle sits above the line (away from both arms), not on it.
    assert out[:90].max() > 0
    nan = np.array([np.nan, np.nan])
    assert draw_angle_at(img, nan, np.array([1.0, 1.0]), nan, "x").max() == 0
    assert draw_angle(img, None, (11, 23, 25), 120.0).max() == 0


def _in(img: np.ndarray, rect) -> np.ndarray:
    x0, y0, x1, y1 = rect
    return img[y0:y1, x0:x1]


def test_overlay_shows_count_hold_ring_and_flags():
    img = np.full((480, 640, 3), 90, np.uint8)
    holding_state = Overlay(reps=2, hold_s=2.2, hold_target_s=5.0)
    ring = overlay_layout((640, 480), holding_state).rects["hold"]
    between = draw_overlay(img, Overlay(reps=2, hold_target_s=5.0))
    holding = draw_overlay(img, holding_state)
    orange = np.all(np.abs(_in(holding, ring).astype(int) - (0, 200, 255)) < 40, axis=2)
    assert orange.sum() > 100, "the ring fills with the hold"
    assert np.array_equal(_in(between, ring), _in(img, ring)), "between holds the ring's place stays free"
    flagged_state = Overlay(reps=2, flags=("hold too short",))
    words = overlay_layout((640, 480), flagged_state).rects["message"]
    flagged = _in(draw_overlay(img, flagged_state), words).astype(int)
    assert ((flagged[..., 2] > 200) & (flagged[..., 1] < 120)).sum() > 30  # red text (BGR)
    assert "message" not in overlay_layout((640, 480), Overlay(reps=2)).rects


def test_face_box_covers_the_face_points():
    pose = _pose()
    box = face_box(pose, WH)
    assert box is not None
    x0, y0, x1, y1 = box
    face = pose.image_px[list(FACE)]
    assert (face[:, 0] >= x0).all() and (face[:, 0] <= x1).all()
    assert (face[:, 1] >= y0).all() and (face[:, 1] <= y1).all()


def test_face_box_survives_a_turned_head():
    """Face points unsure (head turned away): the box is still there, beyond the shoulders."""
    pose = _pose()
    presence = pose.presence.copy()
    presence[list(FACE)] = 0.0
    turned = PoseFrame(pose.t_s, pose.image_xy, pose.world_xyz, pose.visibility, presence, pose.image_wh)
    box = face_box(turned, WH)
    assert box is not None
    head = pose.image_px[L.NOSE]
    x0, y0, x1, y1 = box
    assert x0 <= head[0] <= x1 and y0 <= head[1] <= y1, "the guessed head box must still hold the head"
    assert face_box(PoseFrame.from_arrays(0.0, np.full((33, 2), np.nan), image_wh=WH), WH) is None


def test_blur_drops_detail_only_inside_the_box():
    img = _noise()
    pose = _pose()
    box = face_box(pose, WH)
    out = blur_face(img, pose)
    assert _grey_var(out, box) < 0.1 * _grey_var(img, box)
    x0, y0, x1, y1 = box
    outside = np.ones(img.shape[:2], bool)
    outside[y0:y1, x0:x1] = False
    assert np.array_equal(out[outside], img[outside])
    assert np.array_equal(blur_face(img, None), img)
    assert np.array_equal(blur_box(img, None), img)


def test_face_blur_keeps_the_last_box_when_the_pose_is_lost():
    img, pose = _noise(), _pose()
    blur = FaceBlur(keep_frames=2)
    box = blur.box(pose, WH)
    assert blur.box(None, WH) == box and blur.box(None, WH) == box  # two missed frames: still covered
    assert blur.box(None, WH) is None  # then let go: no box for a person who left
    assert _grey_var(blur(img, pose), box) < 0.1 * _grey_var(img, box)


@pytest.mark.parametrize("rotate90", [False, True])
def test_face_box_in_a_turned_video(rotate90):
    cam = synth.Camera(origin=(170.0, 330.0), rotate90=rotate90)
    pose = synth.to_frame(0.0, synth.bridge_pose(170.0), cam)
    box = face_box(pose, pose.image_wh)
    assert box is not None
    nose = pose.image_px[L.NOSE]
    assert box[0] <= nose[0] <= box[2] and box[1] <= nose[1] <= box[3]


def test_face_box_of_a_profile_is_head_sized():
    """Seen from the side the face points bunch up; the box still covers a whole head."""
    pose = _pose()
    xy = pose.image_xy.copy()
    xy[list(FACE)] = xy[L.NOSE]  # all face points on one spot
    profile = PoseFrame.from_arrays(0.0, xy, visibility=pose.visibility, image_wh=WH)
    x0, y0, x1, y1 = face_box(profile, WH)
    p = profile.image_px
    trunk = np.linalg.norm((p[L.LEFT_SHOULDER] + p[L.RIGHT_SHOULDER]) / 2 - (p[L.LEFT_HIP] + p[L.RIGHT_HIP]) / 2)
    assert min(x1 - x0, y1 - y0) >= 0.6 * trunk


def test_signal_bar_fills_to_the_value_and_turns_green_at_the_counting_level():
    from posecount.analysis.analyzer import Gauge

    image = np.full((480, 640, 3), 120, np.uint8)
    orange, green = np.array([0, 200, 255]), np.array([80, 220, 80])

    def pixels(value: float, colour: np.ndarray) -> int:
        out = draw_overlay(image, Overlay(reps=0, gauge=Gauge(value, 130.0, 165.0, "deg", "hip_extension")))
        return int(np.sum(np.abs(out.astype(int) - colour).sum(axis=2) < 30))

    assert pixels(140.0, orange) > pixels(135.0, orange) > 100  # fills up with the value
    assert pixels(170.0, green) > pixels(140.0, orange)  # green from the counting level on
    assert pixels(140.0, green) < 100  # below it, only the counting mark is green
    assert pixels(float("nan"), orange) == 0 and pixels(float("nan"), green) < 100
