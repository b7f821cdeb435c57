"""The interface the pipeline calls: create_analyzer, streaming, auto, results and JSON."""

from __future__ import annotations

import json
from dataclasses import asdict

import numpy as np
import pytest

from posecount import exercises
from posecount.analysis import AnalysisResult, ExerciseChosen, RepCompleted
from posecount.analysis.analyzer import analyze_track, create_analyzer
from posecount.errors import InputError
from posecount.pose.tracks import TrackRecorder
from posecount.settings import load_settings, with_overrides
from tests.synth import bridge_clip, run, side_clip, step_clip


def test_exercise_names_and_aliases():
    assert exercises.names() == ("bridge", "side-raise", "step-up")
    assert create_analyzer("side_raise").name == "side-raise"
    assert create_analyzer(" Step-Up ").name == "step-up"
    with pytest.raises(InputError, match="unknown exercise"):
        create_analyzer("squat")


@pytest.mark.parametrize("clip,expected", [(lambda: bridge_clip(3), "bridge"),
                                           (lambda: side_clip(3), "side-raise"),
                                           (lambda: step_clip(3), "step-up")])
def test_auto_chooses_the_exercise_and_says_so(clip, expected):
    result, events = run(clip(), "auto")
    assert result.exercise == expected and result.count == 3
    assert result.chosen_automatically
    assert any(expected in w and "automatically" in w for w in result.warnings)
    chosen = [e for e in events if isinstance(e, ExerciseChosen)]
    assert len(chosen) == 1 and chosen[0].exercise == expected
    # Held-back events are replayed once chosen, so a live coach still hears every rep.
    assert sum(isinstance(e, RepCompleted) for e in events) == 3
    assert result.to_dict()["exercise_auto"]["chosen"] == expected


def test_auto_decides_while_streaming_not_only_at_the_end():
    frames = bridge_clip(4)
    analyzer = create_analyzer("auto")
    decided_at = None
    for t, pose in frames:
        if any(isinstance(e, ExerciseChosen) for e in analyzer.update(t, pose)):
            decided_at = t
    assert decided_at is not None and decided_at < frames[-1][0] / 2


def test_to_dict_is_json_ready_and_complete():
    result, _ = run(bridge_clip(2, hold_s=2.0), "bridge")
    d = json.loads(json.dumps(result.to_dict()))
    assert set(d) >= {"exercise", "reps", "repetitions", "rejected", "sides", "sets", "signal",
                      "thresholds", "warnings"}
    assert d["reps"] == 2 and len(d["repetitions"]) == 2
    assert set(d["repetitions"][0]) == {"index", "start_s", "top_s", "end_s", "hold_s", "rise_s",
                                        "lower_s", "peak", "side", "variant", "set", "flags"}
    assert d["signal"] == {"name": "hip_extension", "unit": "deg"}
    assert d["thresholds"]["count_min_deg"] == load_settings().bridge.count_min_deg
    assert "trace" not in d
    assert d["sets"] == [{"index": 1, "reps": 2, "start_s": d["repetitions"][0]["start_s"],
                          "end_s": d["repetitions"][1]["end_s"]}]


def test_the_result_records_every_threshold_it_used_by_name():
    s = load_settings()
    bridge, _ = run(bridge_clip(1), "bridge")
    th = bridge.to_dict()["thresholds"]
    assert {k: th[k] for k in asdict(s.bridge)} == asdict(s.bridge)  # the exercise's own, flat
    assert th["tracking"] == asdict(s.tracking) and th["counter"] == asdict(s.counter)
    step, _ = run(step_clip(1), "step-up")
    assert {k: step.thresholds[k] for k in asdict(s.step_up)} == asdict(s.step_up)
    auto, _ = run(side_clip(1), "auto")
    assert auto.thresholds["auto"] == asdict(s.auto) and auto.thresholds["posture"] == asdict(s.posture)
    assert auto.thresholds["source"] == "thresholds.toml" and len(auto.thresholds["sha256"]) == 64


def test_trace_has_one_sample_per_frame():
    frames = bridge_clip(1, gaps=[(2.0, 2.2)])
    result, _ = run(frames, "bridge")
    tr = result.trace
    assert len(tr.t_s) == len(tr.raw) == len(tr.smoothed) == len(tr.quality) == len(frames)
    assert np.isnan(tr.raw[np.searchsorted(tr.t_s, 2.1)])
    assert np.nanmax(tr.smoothed) > 170


def test_analyze_track_replays_a_recorded_track():
    frames = side_clip(2)
    rec = TrackRecorder((640, 480), 15.0, "synthetic.mp4")
    for t, pose in frames:
        rec.add(t, pose)
    result = analyze_track(rec.build(), "side-raise")
    assert isinstance(result, AnalysisResult) and result.count == 2


def test_settings_change_the_count_level():
    strict = with_overrides(load_settings(), "bridge", count_min_deg=179.0, count_max_deg=179.5)
    result, _ = run(bridge_clip(2, top_deg=176.0), "bridge", strict)
    assert result.count == 0 and {r.reason for r in result.rejected} == {"not_high_enough"}


def test_update_after_finish_is_an_error_and_finish_is_idempotent():
    a = create_analyzer("bridge")
    a.finish()
    assert a.finish() == []
    with pytest.raises(RuntimeError):
        a.update(0.0, None)


def test_no_person_at_all_is_warned_not_counted():
    a = create_analyzer("bridge")
    for i in range(60):
        a.update(i / 30, None)
    a.finish()
    r = a.result()
    assert r.count == 0 and any("no person found" in w for w in r.warnings)


def test_gauge_follows_the_signal_between_rest_and_counting_level():
    from posecount.analysis.analyzer import create_analyzer
    from tests.synth import bridge_clip

    analyzer = create_analyzer("bridge")
    assert analyzer.gauge() is None
    values = []
    for t, pose in bridge_clip(1):
        analyzer.update(t, pose)
        g = analyzer.gauge()
        values.append(g.value)
    assert g.unit == "deg" and g.rest < g.count
    assert min(values) < g.rest + 10 and max(values) > g.count  # rest at the start, above counting at the top


@pytest.mark.parametrize("movement", ["squats", "standing_leg_raises", "standing_still"])
def test_auto_says_not_recognised_for_what_only_looks_like_a_start_position(movement):
    """Squats and standing exercises show the step-up's start position all along: posture alone
    must not choose it (issue 15: "step-up (100 %)"); nothing is counted and the result says why."""
    from tests import synth

    keys = {"squats": lambda: synth.squats(4), "standing_leg_raises": lambda: synth.standing_leg_raises(4),
            "standing_still": lambda: synth.hold({}, 10.0)}[movement]()
    frames = synth.render(keys, synth.standing_from_params, cam=synth.CAM_STAND)
    result, events = run(frames, "auto")
    assert result.exercise == "none" and result.count == 0
    assert not [e for e in events if isinstance(e, ExerciseChosen)]
    assert any("could not recognise the exercise" in w for w in result.warnings)
    assert result.to_dict()["exercise"] == "none"
