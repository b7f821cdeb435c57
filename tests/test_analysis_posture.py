"""Start positions (for auto) and the personal levels of the counter."""

from __future__ import annotations

from posecount.analysis import posture
from posecount.analysis.counter import RiseCounter, Verdict
from posecount.settings import load_settings
from tests import synth
from tests.synth import CAM_BACK, CAM_SIDE, CAM_STAND, bridge_pose, render, run, to_frame


def test_classifies_the_three_start_positions():
    assert posture.classify(to_frame(0.0, bridge_pose(130.0), CAM_BACK)) == posture.BACK
    assert posture.classify(to_frame(0.0, synth.side_lying_pose(0.0), CAM_SIDE)) == posture.SIDE
    assert posture.classify(to_frame(0.0, synth.standing_pose(), CAM_STAND)) == posture.STANDING
    assert posture.classify(None) is None


def test_lying_flat_with_straight_legs_is_no_start_position():
    flat = to_frame(0.0, bridge_pose(178.0, knee_deg=178.0), CAM_BACK)
    assert posture.classify(flat) is None


def _counter():
    return RiseCounter(load_settings().bridge, lambda a, counted: Verdict(), set_break_s=12.0)


def test_the_rest_level_is_learnt_from_the_person():
    c = _counter()
    for i in range(60):
        c.update(i / 30, 145.0, True, {})
    lv = c.levels()
    assert lv.rest == 145.0
    assert lv.count == load_settings().bridge.count_max_deg  # rest + rise, capped


def test_absolute_limits_hold_for_a_low_rest():
    c = _counter()
    for i in range(60):
        c.update(i / 30, 100.0, True, {})
    assert c.levels().count == load_settings().bridge.count_min_deg


def test_a_flat_start_still_has_to_reach_trunk_in_line():
    keys = synth.bridge_reps(2, rest_deg=110.0, top_deg=150.0)
    result, _ = run(render(keys, bridge_pose, cam=CAM_BACK, fixed={"knee_deg": 70.0}), "bridge")
    assert result.count == 0
    assert {r.reason for r in result.rejected} == {"not_high_enough"}


def test_auto_without_any_start_position_says_so():
    result, _ = run([(i / 10, None) for i in range(50)], "auto")
    assert result.count == 0
    assert any("could not recognise the exercise" in w for w in result.warnings)
