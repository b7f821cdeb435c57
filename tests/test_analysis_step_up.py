"""The step-up: both feet up one at a time and both down, leading leg, faults, sets, views."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests import synth
from tests.synth import CAM_STAND, render, run, standing_from_params, step_clip


@pytest.mark.parametrize("lead", ["left", "right"])
def test_counts_step_ups_and_names_the_leading_leg(lead):
    result, _ = run(step_clip(4, lead=lead), "step-up")
    assert result.count == 4
    assert {r.side for r in result.reps} == {lead}
    assert result.signal_unit == "leg lengths"


def test_filmed_from_the_front():
    result, _ = run(step_clip(3, view="front", step_u=0.0), "step-up")
    assert result.count == 3


@pytest.mark.parametrize("lead", ["left", "right"])
def test_filmed_from_the_front_where_perspective_hides_the_lift_in_the_image(lead):
    # The camera at hip height in front, the step between it and the person: a foot stepping up
    # comes towards the camera and barely rises in the image (a third of its lift, 0.07 leg
    # lengths); the pelvis's rise and the world landmarks' foot lift still show the step-up.
    frames = synth.foot_lift_lost_to_perspective(step_clip(3, view="front", step_u=0.0, lead=lead), kept=0.3)
    result, _ = run(frames, "step-up")
    assert result.count == 3
    assert {r.side for r in result.reps} == {lead}
    assert not any("feet_together" in r.flags for r in result.reps)


def test_time_on_the_step_is_reported():
    result, _ = run(step_clip(2, top_s=2.0), "step-up")
    assert result.count == 2
    assert all(1.5 <= r.hold_s <= 3.0 for r in result.reps)
    assert all(r.rise_s > 0.2 and r.lower_s > 0.2 for r in result.reps)


def test_a_foot_up_and_back_alone_is_not_a_rep():
    half = synth.step_up_reps(1)
    lead_only = [(t, {**p, "right_u": 0.0, "right_v": 0.0, "pelvis_lift": 0.0, "pelvis_u": 0.0})
                 for t, p in synth.step_up_reps(1)]
    keys = half + [(t + half[-1][0], p) for t, p in lead_only[1:]]
    result, _ = run(render(keys, standing_from_params, cam=CAM_STAND, fps=15), "step-up")
    assert result.count == 1
    assert [r.reason for r in result.rejected] == ["foot_up_and_back"]


def test_both_feet_together_is_a_jump_not_a_step_up():
    result, _ = run(step_clip(2, together=True), "step-up")
    assert result.count == 0
    assert {r.reason for r in result.rejected} == {"both_feet_together"}


def test_rests_split_sets():
    one = synth.step_up_reps(3, rest_s=1.0)
    keys = one + [(t + one[-1][0] + 15.0, p) for t, p in one]
    result, _ = run(render(keys, standing_from_params, cam=CAM_STAND, fps=15), "step-up")
    assert result.count == 6
    assert [r.set for r in result.reps] == [1, 1, 1, 2, 2, 2]
    assert [s.reps for s in result.sets] == [3, 3]


@pytest.mark.parametrize("tempo", [dict(lag_s=0.25, top_s=0.4, rest_s=0.5), dict(lag_s=1.5, top_s=3.0, rest_s=3.0)],
                         ids=["fast", "slow"])
def test_slow_and_fast_tempo(tempo):
    result, _ = run(step_clip(3, jitter_px=1.0, **tempo), "step-up")
    assert result.count == 3


def test_jitter_and_a_mirrored_camera():
    result, _ = run(step_clip(3, jitter_px=2.0, cam=replace(CAM_STAND, mirror=True)), "step-up")
    assert result.count == 3


def test_a_long_gap_on_the_step_rejects_that_rep():
    # Rep 1 is on the step from ~2.4 to ~3.4 s.
    result, _ = run(step_clip(3, top_s=1.5, gaps=[(2.6, 3.6)]), "step-up")
    assert result.count == 2
    assert "tracking_lost" in [r.reason for r in result.rejected]


def test_squats_are_no_step_ups_bridges_or_side_raises():
    frames = render(synth.squats(5), standing_from_params, cam=CAM_STAND, fps=15, jitter_px=1.0)
    for exercise in ("step-up", "bridge", "side-raise"):
        result, _ = run(frames, exercise)
        assert result.count == 0, exercise


def test_standing_leg_raises_are_feet_going_up_and_back_alone():
    frames = render(synth.standing_leg_raises(4), standing_from_params, cam=CAM_STAND, fps=15,
                    fixed={"view": "front"})
    result, _ = run(frames, "step-up")
    assert result.count == 0
    assert [r.reason for r in result.rejected] == ["foot_up_and_back"] * 4


def test_step_ups_are_not_bridges_or_side_raises():
    frames = step_clip(3, jitter_px=1.0)
    for exercise in ("bridge", "side-raise"):
        result, _ = run(frames, exercise)
        assert result.count == 0, exercise


def test_walking_away_from_the_camera_is_not_a_step_up():
    # Feet and pelvis rise in the image one foot after the other, but the person shrinks.
    keys = synth.step_up_reps(1)
    frames = []
    for t, _ in render(keys, standing_from_params, cam=CAM_STAND, fps=15):
        phase = min(max((t - 1.5) / 1.0, 0.0), 1.0) - min(max((t - 3.5) / 1.0, 0.0), 1.0)
        cam = replace(CAM_STAND, scale=0.8 * (1 - 0.35 * phase), origin=(260.0, 440.0 - 60.0 * phase))
        frames.append((t, synth.to_frame(t, synth.standing_from_params(**synth.sample(keys, t)), cam)))
    result, _ = run(frames, "step-up")
    assert result.count == 0
    assert "moved_away_or_closer" in [r.reason for r in result.rejected]
