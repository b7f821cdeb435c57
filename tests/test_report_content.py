"""The report's pure parts: what a frame shows, which frame is a rep's key frame, texts, HTML."""

from __future__ import annotations

import re

import numpy as np
import pytest

from posecount.analysis import Rep
from posecount.exercises.bridge import support_points as bridge_points
from posecount.pipeline import AnalysisRun
from posecount.report import texts
from posecount.report.html import render_html
from posecount.report.marks import measurement_mark
from posecount.report.plots import signal_svg
from posecount.report.summary import build_report_data, strip_paths
from posecount.report.timeline import key_frame, key_frames, overlay_at
from tests import synth
from tests.report_synth import FPS, handmade_result

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def result():
    return handmade_result()


def _run(result, source: str = "/home/patient/Videos/bridge 1.mp4") -> AnalysisRun:
    return AnalysisRun(source=source, exercise=result.exercise, analysis=result, frames=len(result.trace.t_s),
                       frames_with_pose=len(result.trace.t_s), fps=FPS, duration_s=float(result.trace.t_s[-1]),
                       model="synthetic", model_sha256="0" * 64, processing_fps=100.0,
                       warnings=["/home/patient/Videos/bridge 1.mp4: 2 frame timestamps were repaired"])


def test_overlay_counts_a_rep_when_it_is_done(result):
    r1, r2 = result.reps
    assert overlay_at(result, r1.start_s + 0.01).reps == 0
    assert overlay_at(result, r1.end_s - 0.01).reps == 0
    assert overlay_at(result, r1.end_s).reps == 1
    assert overlay_at(result, r2.end_s + 0.1).reps == 2


def test_overlay_hold_timer_runs_only_during_the_hold(result):
    r1 = result.reps[0]
    during = overlay_at(result, r1.top_s + 1.0)
    assert during.hold_s == pytest.approx(1.0)
    assert during.hold_target_s == 5.0  # the leaflet's bridge: at least 5 s
    assert overlay_at(result, r1.start_s + 0.05).hold_s is None
    assert overlay_at(result, r1.end_s).hold_s is None


def test_flags_appear_when_the_rep_ends_and_then_fade(result):
    r2 = result.reps[1]
    assert "hold_short" in r2.flags
    assert overlay_at(result, r2.end_s - 0.05).flags == ()
    assert overlay_at(result, r2.end_s + 0.5, "en").flags == ("hold too short",)
    assert overlay_at(result, r2.end_s + 0.5, "nl").flags == ("te kort vastgehouden",)
    assert overlay_at(result, r2.end_s + 10).flags == ()


def test_key_frame_is_the_highest_point_of_the_hold():
    t = np.arange(0, 10, 0.1)
    v = np.full_like(t, 120.0)
    v[(t >= 3) & (t <= 6)] = 170.0
    v[52] = 176.0  # t = 5.2: the top of the top
    rep = Rep(1, 2.0, 3.0, 3.0, 8.0, 1.0, 2.0, 176.0, None, None, 1)
    kf = key_frame(rep, t, v)
    assert kf.frame == 52 and kf.value == 176.0
    v[:] = np.nan  # nothing measured in the hold: the frame where the top was reached
    assert key_frame(rep, t, v).frame == 30


def test_one_key_frame_per_rep_inside_its_hold(result):
    kfs = key_frames(result)
    assert [k.rep.index for k in kfs] == [1, 2]
    for k in kfs:
        assert k.rep.top_s - 1e-6 <= k.t_s <= k.rep.top_s + k.rep.hold_s + 1e-6


def test_bridge_mark_is_at_the_supporting_hip():
    pose = synth.to_frame(0.0, synth.bridge_pose(170.0, stretch="left"), synth.CAM_BACK)
    side, (s, h, k) = bridge_points(pose)
    assert side == "right"  # the left leg is stretched: the right one carries the bridge
    mark = measurement_mark("bridge", pose, 170.4)
    assert mark.is_angle and mark.label == "hip 170 deg"
    assert np.allclose(mark.points[1], h)
    for free, support in (("left", "right"), ("right", "left")):  # a leg drawn up: the other carries it
        drawn = synth.to_frame(0.0, synth.bridge_pose(170.0, drawn=free, drawn_knee_deg=100.0), synth.CAM_BACK)
        assert bridge_points(drawn)[0] == support
    assert measurement_mark("bridge", None, 170.0) is None
    step = measurement_mark("step-up", pose, 0.123, unit="leg lengths", lang="nl")
    assert not step.is_angle and step.label == "voet 0.12 BL"


def test_texts_exist_in_both_languages():
    for table in (texts.UI, texts.FLAGS, texts.REJECTIONS, texts.VIDEO, texts.SIGNAL_NAMES):
        assert set(table["nl"]) == set(table["en"]), table
    for lang in texts.LANGUAGES:
        for flag in texts.FLAGS[lang].values():
            assert flag.short.isascii(), "video texts must be ASCII (OpenCV fonts)"
            assert flag.advice
    assert texts.flag_text("a_new_flag", "nl").short == "a new flag"
    with pytest.raises(ValueError, match="language"):
        texts.check_lang("de")


def test_strip_paths_keeps_only_file_names():
    assert strip_paths("/home/ann/Videos/clip.mp4 ended early") == "clip.mp4 ended early"
    assert strip_paths(r"C:\Users\ann\clip.mp4") == "clip.mp4"
    assert strip_paths("10.4–13.0 s: 1/2 of the frames") == "10.4–13.0 s: 1/2 of the frames"


def test_report_data_against_the_leaflet(result):
    data = build_report_data(_run(result), "en")
    assert len(data.rows) == 2 and data.rows[1].flags == ("hold too short",)
    items = {i.label: i for i in data.summary}
    assert items["Repetitions counted"].value == "2" and items["Repetitions counted"].ok is False  # start is 3
    assert items["Holds at the top"].value.startswith("1 of 2 within 5–10 s")
    assert [f.flag for f in data.flags] == ["hold_short"]
    assert "5–10 seconds" in data.flags[0].advice and data.flags[0].reps.endswith("2")


def test_dutch_report_reads_dutch(result):
    data = build_report_data(_run(result), "nl")
    html = render_html(data)
    assert "Samenvatting volgens de folder" in html and "Houd de bovenste stand 5–10 seconden vast" in html
    assert 'lang="nl"' in html


def test_html_is_self_contained_and_has_no_paths(result):
    data = build_report_data(_run(result), "en")
    data.signal_svg = signal_svg(result, "en")
    html = render_html(data)
    assert not EXTERNAL.search(html), "no external references"
    assert "<link" not in html and "@import" not in html
    assert not re.search(r"url\((?!#)", html), "only references inside the page (url(#id))"
    assert "/home/" not in html and "patient/Videos" not in html and "/etc/posecount" not in html
    assert "bridge 1.mp4" in html  # the file name is kept: the physio knows which video
    assert html.count("<svg") == 1 and "<tbody>" in html
    assert len(re.findall(r"<tr class=\"flagged\">", html)) == 1


def test_plot_marks_reps_holds_and_levels(result):
    svg = signal_svg(result, "en")
    assert svg.startswith("<svg") and "http://purl.org" not in svg
    assert 'id="rep-1"' in svg and 'id="rep-2-flagged"' in svg  # the second bridge was held too short
    assert 'id="hold-1"' in svg and 'id="hold-2"' in svg
    assert 'id="level-counting-level"' in svg and 'id="level-rest-level"' in svg


def test_no_hold_timer_for_an_exercise_without_a_hold(result):
    from dataclasses import replace

    step = replace(result, exercise="step-up", thresholds={"up_leglen": 0.12, "down_leglen": 0.07})
    r1 = step.reps[0]
    assert overlay_at(step, r1.top_s + 1.0).hold_s is None
    assert overlay_at(step, r1.end_s).reps == 1


def test_key_frame_crop_holds_the_whole_body():
    from posecount.report.keyframes import FULL, body_box, crop_pose

    cam = synth.Camera(image_wh=(1280, 960), origin=(500.0, 600.0), scale=0.5)  # a small person
    pose = synth.to_frame(0.0, synth.bridge_pose(170.0), cam)
    box = body_box(pose)
    assert 0 <= box[0] < box[2] <= 1 and 0 <= box[1] < box[3] <= 1
    assert (box[2] - box[0]) < 0.7, "a small person is zoomed in on"
    inside = crop_pose(pose, box).image_xy
    assert np.nanmin(inside) >= 0 and np.nanmax(inside) <= 1, "no body point is cut off"
    assert body_box(None) == FULL
