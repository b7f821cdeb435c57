"""The evaluation harness: metrics on a hand-made example, reading truth and labels."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from calibration.evaluate import Clip, clip_from_truth, clips_from_labels, discover, outcome_of
from calibration.metrics import ClipOutcome, RepTiming, match_reps, summarize


def rt(start, end, hold, flags=()):
    return RepTiming(start, end, hold, tuple(flags))


TRUE3 = (rt(1, 5, 2.0), rt(6, 10, 2.0), rt(11, 15, 2.0))


def hand_made() -> list[ClipOutcome]:
    return [
        # exact, holds off by 0.5 and 0.1 and 0.3
        ClipOutcome("a", "bridge", True, 3, 3, TRUE3, (rt(1.2, 5, 2.5), rt(6, 10.1, 1.9), rt(11, 15, 2.3)),
                    frames=100, frames_with_pose=100),
        # one missed: the counted reps overlap the first and third true reps
        ClipOutcome("b", "bridge", True, 3, 2, TRUE3, (rt(1, 5, 1.0), rt(11, 15, 2.0)), frames=100,
                    frames_with_pose=90),
        # three too many
        ClipOutcome("c", "side-raise", True, 2, 5, (), (), frames=50, frames_with_pose=50),
        # a non-target clip run through two counters: 2 false reps on one of them
        ClipOutcome("n", "bridge", False, 0, 2, (), (), frames=40, frames_with_pose=40),
        ClipOutcome("n", "step-up", False, 0, 0, (), (), frames=40, frames_with_pose=40),
    ]


def test_totals_on_a_hand_made_example():
    t = summarize(hand_made(), elapsed_s=2.9)
    assert t.target_clips == 3
    assert t.exact_rate == pytest.approx(1 / 3)
    assert t.mae == pytest.approx((0 + 1 + 3) / 3)
    assert t.obo_rate == pytest.approx(2 / 3)
    # hold errors: a: 0.5, 0.1, 0.3; b: 1.0 (first), 0.0 (third)
    assert t.mean_abs_hold_error_s == pytest.approx((0.5 + 0.1 + 0.3 + 1.0 + 0.0) / 5)
    assert t.non_target_runs == 2 and t.false_reps == 2 and t.clips_with_false_reps == 1
    assert t.frames == 290  # clip "n" counted once although two counters ran on it
    assert t.pose_share == pytest.approx(280 / 290)
    assert t.frames_per_s == pytest.approx(100.0)
    assert t.per_exercise["bridge"].target_clips == 2 and t.per_exercise["bridge"].false_reps == 2
    assert t.per_exercise["side-raise"].mae == pytest.approx(3.0)


def test_totals_without_targets_are_none():
    t = summarize([ClipOutcome("n", "bridge", False, 0, 0)])
    assert t.exact_rate is None and t.mae is None and t.mean_abs_hold_error_s is None
    assert t.false_reps == 0


def test_a_clip_that_expects_a_warning_is_exact_only_with_one():
    silent = ClipOutcome("feet", "bridge", True, 0, 0, expects_warning=True, warned=False)
    warned = replace(silent, warned=True)
    counted = replace(warned, counted=2)
    assert [o.exact for o in (silent, warned, counted)] == [False, True, False]
    assert summarize([silent, warned]).exact_rate == pytest.approx(0.5)


def test_truth_that_expects_a_warning_is_read_as_such(tmp_path):
    truth = {"exercise": "bridge", "expected_reps": 0, "expects_warning": True,
             "reps": [{"start_s": 1.0, "end_s": 5.0, "hold_s": 2.0, "counts": True, "flags": []}]}
    clip = clip_from_truth(tmp_path / "feet.mp4", truth)
    assert clip.expects_warning and clip.true_reps == ()
    out = outcome_of(clip, "bridge", {"reps": 0, "repetitions": [], "warnings": ["the camera looks along"]},
                     10, 10)
    assert out.exact and out.warned


def test_match_reps_by_overlap_skips_non_overlapping():
    pairs = match_reps(TRUE3, (rt(20, 22, 1.0), rt(6.5, 9, 1.0)))
    assert pairs == [(TRUE3[1], rt(6.5, 9, 1.0))]


def test_match_reps_in_order_without_times():
    true = (rt(None, None, 1.7), rt(None, None, 1.6))
    counted = (rt(1, 3, 1.5), rt(5, 7, 1.0), rt(9, 10, 0.5))
    assert [c.hold_s for _, c in match_reps(true, counted)] == [1.5, 1.0]


def test_flags_union_includes_rejections():
    o = ClipOutcome("x", "bridge", True, 1, 1, (rt(0, 1, 1, ["hold_short"]),),
                    (rt(0, 1, 1, ["hold_short"]),), rejected_reasons=("not_high_enough",))
    assert o.expected_flags == ["hold_short"]
    assert o.counted_flags == ["hold_short", "not_high_enough"]


def test_form_flags_score_what_was_found_and_what_was_reported_wrongly():
    # Truth: a rep not high enough, a leg rested, the right leg stretched; posecount found the
    # stretch (as a variant), missed the rested leg and reported a fast lowering that was not.
    stretched = RepTiming(0, 5, 2.0, (), "right", None, "leg-stretch")
    o = ClipOutcome("x", "bridge", True, 1, 1, (), (stretched, rt(6, 9, 1.0, ["lowered_fast", "ended_mid_rise"])),
                    rejected_reasons=("not_high_enough", "posture"),
                    true_flags=frozenset({"not_high_enough", "leg_put_down", "leg_stretched_right"}))
    assert o.reported_flags == {"not_high_enough", "leg_stretched_right", "lowered_fast"}
    assert o.flags_missed == ["leg_put_down"]
    assert o.flags_false == ["lowered_fast"]
    unlabelled = replace(o, true_flags=None)
    assert unlabelled.flags_missed == [] and unlabelled.flags_false == []
    t = summarize([o, unlabelled, replace(o, clip="y", true_flags=frozenset({"lowered_fast"}))])
    assert t.flag_recall == pytest.approx(3 / 4)  # 2 of 3, then 1 of 1; the unlabelled clip not scored
    assert t.false_flags == 1 + 2
    assert summarize([unlabelled]).flag_recall is None


def test_outcome_from_the_analysis_contract():
    clip = Clip("c", None, "bridge", 2, (rt(1, 4, 2.0), rt(5, 9, 3.0)))  # type: ignore[arg-type]
    result = {"reps": 2, "repetitions": [{"start_s": 1.1, "end_s": 4.2, "hold_s": 1.5, "flags": ["hold_short"]},
                                         {"start_s": 5.0, "end_s": 9.0, "hold_s": 3.5, "flags": []}],
              "rejected": [{"reason": "not_high_enough"}]}
    o = outcome_of(clip, "bridge", result, frames=300, frames_with_pose=290)
    assert o.target and o.error == 0 and o.hold_errors_s == pytest.approx([0.5, 0.5])
    other = outcome_of(clip, "step-up", {"reps": 1, "repetitions": []}, 300, 290)
    assert not other.target and other.expected == 0 and other.error == 1


def test_labels_map_exercise_names(tmp_path):
    labels = [{"file": "a.mp4", "exercise": "side_raise", "reps": 3, "holds_s": [1.0, 2.0, 3.0]},
              {"file": "b.mp4", "exercise": None, "reps": 7},
              {"file": "c.mp4", "exercise": "step_up", "reps": 5, "reps_uncertain": True}]
    clips = clips_from_labels(labels, tmp_path)
    assert [c.exercise for c in clips] == ["side-raise", None, "step-up"]
    assert [c.expected for c in clips] == [3, 0, 5]  # a non-target's own-exercise count is not ours
    assert [r.hold_s for r in clips[0].true_reps] == [1.0, 2.0, 3.0] and clips[2].uncertain


def test_discover_reads_truth_next_to_tracks(tmp_path):
    truth = {"exercise": "bridge", "expected_reps": 1,
             "reps": [{"start_s": 1, "end_s": 3, "hold_s": 1, "counts": True, "flags": []},
                      {"start_s": 4, "end_s": 6, "hold_s": 1, "counts": False, "flags": ["not_high_enough"]}]}
    (tmp_path / "x.json").write_text(json.dumps(truth))
    np.savez(tmp_path / "x.npz", a=np.zeros(1))
    (tmp_path / "x.check.json").write_text("{}")
    (tmp_path / "orphan.json").write_text(json.dumps(truth))
    clips = discover(tmp_path, None)
    assert [c.name for c in clips] == ["x"]
    assert clips[0].path.suffix == ".npz" and len(clips[0].true_reps) == 1


def test_evaluate_end_to_end_on_a_perfect_track(tmp_path):
    """Renderer truth track -> harness -> analysis: no video, no model, well under a second."""
    from calibration.evaluate import TrackSource, evaluate
    from calibration.mannequin.motion import MotionScript
    from calibration.render import render_truth_only, truth_track
    from calibration.scenarios import Scenario

    sc = Scenario("one_bridge", MotionScript("bridge", reps=1, hold_s=6.0), fps=15, seed=3)
    truth_track(sc).save(tmp_path / "one_bridge.truth.npz")
    render_truth_only(sc, tmp_path)
    clips = discover(tmp_path, None)
    assert len(clips) == 1 and clips[0].path.name == "one_bridge.truth.npz"
    outcomes, analysis_s = evaluate(clips, TrackSource(tmp_path / "cache"))
    # Every counter runs on every clip: the others are scored as non-targets that must count 0.
    assert [(o.exercise, o.target, o.expected) for o in outcomes] == [
        ("bridge", True, 1), ("side-raise", False, 0), ("step-up", False, 0)]
    assert [o.counted for o in outcomes] == [1, 0, 0]
    assert outcomes[0].frames == outcomes[0].frames_with_pose > 0
    assert not (tmp_path / "cache").exists()  # a track is used as is, never cached again


def test_side_accuracy_counts_matched_reps_whose_sides_are_known():
    true = (rt(1, 5, 2.0), rt(6, 10, 2.0), rt(11, 15, 2.0))
    true = tuple(replace(r, side=s) for r, s in zip(true, ("left", "left", None)))
    counted = (replace(rt(1, 5, 2.0), side="left"), replace(rt(6, 10, 2.0), side="right"),
               replace(rt(11, 15, 2.0), side="left"))
    o = ClipOutcome("s", "side-raise", True, 3, 3, true, counted)
    assert o.side_hits == [True, False]  # the third has no true side
    assert summarize([o]).side_accuracy == pytest.approx(0.5)
    assert summarize([ClipOutcome("b", "bridge", True, 1, 1, (rt(1, 5, 2.0),), (rt(1, 5, 2.0),))]).side_accuracy is None


def test_peak_error_is_per_counter_and_in_its_unit():
    true = (replace(rt(1, 5, 2.0), peak=175.0), replace(rt(6, 10, 2.0), peak=178.0))
    counted = (replace(rt(1, 5, 2.0), peak=173.0), replace(rt(6, 10, 2.0), peak=179.0))
    bridge = ClipOutcome("b", "bridge", True, 2, 2, true, counted)
    assert bridge.peak_errors == [2.0, 1.0]
    t = summarize([bridge, ClipOutcome("s", "step-up", True, 1, 1, (replace(rt(1, 5, 1.0), peak=0.2),),
                                       (replace(rt(1, 5, 1.0), peak=0.25),))])
    assert t.mean_abs_peak_error is None  # degrees and leg lengths do not average
    assert t.per_exercise["bridge"].mean_abs_peak_error == pytest.approx(1.5)
    assert t.per_exercise["step-up"].mean_abs_peak_error == pytest.approx(0.05)


def test_true_peak_reads_the_counter_signal_within_the_rep():
    from calibration.evaluate import true_peak

    truth = {"exercise": "bridge", "frames": {"t_s": [0, 1, 2, 3], "bridge_angle_image_deg": [130, 176, 150, 179]}}
    assert true_peak(truth, 0.5, 2.5) == 176
    assert true_peak({"exercise": "bridge"}, 0, 1) is None


def test_cached_tracks_are_keyed_by_the_estimators_settings(tmp_path):
    """A track cached before the estimator followed the patient (or with other settings) is not reused;
    the exercises that follow the same posture share one track."""
    from calibration.evaluate import TrackSource
    from posecount.pipeline import estimator_options

    video = tmp_path / "clip.mp4"
    video.write_bytes(b"not really a video")
    tracks = TrackSource(tmp_path / "cache")
    tracks._model_sha = "ab" * 32
    lying, standing, anyone = (tracks.cache_path(video, ex) for ex in ("bridge", "step-up", None))
    assert len({lying, standing, anyone}) == 3
    assert tracks.cache_path(video, "side-raise") == lying
    assert lying.name.endswith(f"-{'ab' * 8}-{estimator_options('bridge').key()}.npz")
