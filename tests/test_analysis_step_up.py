"""The step-up: both feet up one at a time and both down, leading leg, faults, sets, views."""

from __future__ import annotations

from dataclasses import replace

import pytest

from posecount.analysis import TrackingPaused
from posecount.pose.landmarks import Landmark as L
from posecount.settings import load_settings
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
    assert {r.reason for r in result.rejected} == {"feet_together"}


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
    # Rep 1 is on the step from ~2.4 to ~4.9 s: lost for 2 s there, longer than `climb_gap_max_s`.
    result, events = run(step_clip(3, top_s=2.5, gaps=[(2.6, 4.6)]), "step-up")
    assert any(isinstance(e, TrackingPaused) for e in events)
    assert result.count == 2
    assert "tracking_lost" in [r.reason for r in result.rejected]


def test_lost_on_the_step_for_less_than_a_step_up_lasts_the_climb_still_counts():
    """A climb seen starting and seen stepping down: a gap of up to `climb_gap_max_s` on the step
    cannot make a rep up (MediaPipe lost a person filmed from the front with the head out of the
    frame for 1.44 s at the top of a climb, which was rejected)."""
    result, events = run(step_clip(3, top_s=1.5, gaps=[(2.6, 3.8)]), "step-up")
    assert not any(isinstance(e, TrackingPaused) for e in events)
    assert result.count == 3 and not result.rejected
    assert any("during a repetition, which was kept" in w for w in result.warnings)


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


# --- the counter on its own, fed per-frame heights (leg lengths) ------------------------------

def _feed(heights, fps=30.0, facing=float("nan"), knees=None):
    """Runs a StepCounter on (left, right, pelvis) heights in leg lengths, one tuple a frame;
    `facing`: how squarely the person faces the camera (1: from the front); `knees`: (left,
    right) knee heights a frame (leg lengths), else none read."""
    from posecount.analysis.stepping import StepCounter
    from posecount.settings import StepUpSettings

    counter, leg = StepCounter(StepUpSettings()), 400.0
    events = []
    for i, (lf, rf, pel) in enumerate(heights):
        parts = {"leg_px": leg, "left_foot_up_px": -leg + lf * leg, "right_foot_up_px": -leg + rf * leg,
                 "pelvis_up_px": pel * leg, "facing_camera": facing}
        if knees is not None:
            parts.update({"left_knee_up_px": (knees[i][0] - 0.5) * leg, "right_knee_up_px": (knees[i][1] - 0.5) * leg})
        events += counter.update(i / fps, parts, True)
    events += counter.finish(len(heights) / fps)
    return counter, events


def _ramp(a, b, n):
    return [a + (b - a) * (i + 1) / n for i in range(n)]


def _front_view_cycle(lead_lift: float):
    """Seen from the front: the lead foot rises a little alone (perspective hides most of it),
    then both feet's readings rise with the pelvis and cross the step level in the same frame;
    coming down, both drop with the pelvis (the trail foot still on the step is not seen)."""
    still = [(0.0, 0.0, 0.0)] * 60
    lift = [(h, 0.0, 0.0) for h in _ramp(0.0, lead_lift, 15)] + [(lead_lift, 0.0, 0.0)] * 10
    rise = [(max(lead_lift, p), p, p) for p in _ramp(0.0, 0.3, 6)]
    top = [(0.3, 0.3, 0.3)] * 30
    down = [(p, p, p) for p in _ramp(0.3, 0.0, 6)]
    return still + lift + rise + top + down + still


def test_front_view_feet_crossing_together_still_go_one_at_a_time_when_the_lead_rose_first():
    counter, _ = _feed(_front_view_cycle(lead_lift=0.08) * 2, facing=1.0)
    assert len(counter.reps) == 2
    assert [r.side for r in counter.reps] == ["left", "left"]
    # From the front the way down cannot be seen (the foot left on the step reads as floor).
    assert [r.flags for r in counter.reps] == [(), ()]
    # Seen from the side, the same readings mean both feet came down at once; and a lead foot
    # only 0.08 leg lengths up before both cross together is feet together on the way up too
    # (from the side a foot on the step stands its full height above the other).
    side, events = _feed(_front_view_cycle(lead_lift=0.15) * 2, facing=0.05)
    assert [r.flags for r in side.reps] == [("feet_together",), ("feet_together",)]
    side, events = _feed(_front_view_cycle(lead_lift=0.08) * 2, facing=0.05)
    assert side.reps == []
    assert [e.reason for e in events if hasattr(e, "reason")] == ["feet_together"] * 2


def test_front_view_on_a_low_step_the_lead_foot_going_first_is_still_seen():
    # A 10 cm step filmed from the front (rendered, MediaPipe): the lead foot goes first by only
    # 0.033-0.054 leg lengths (an 18 cm step: 0.076-0.11), while feet moving together part by 0.024.
    low, events = _feed(_front_view_cycle(lead_lift=0.04) * 2, facing=1.0)
    assert len(low.reps) == 2 and [r.flags for r in low.reps] == [(), ()]
    assert not [e for e in events if hasattr(e, "reason")]
    together, events = _feed(_front_view_cycle(lead_lift=0.02) * 2, facing=1.0)
    assert together.reps == []
    assert [e.reason for e in events if hasattr(e, "reason")] == ["feet_together"] * 2


def _front_view_knees(knee_lift: float, lead: int = 0):
    """The knees through `_front_view_cycle`: the lead knee (0: left) rises alone while its foot
    is lifted onto the step, both rise with the pelvis, come down together."""
    still = [(0.0, 0.0)] * 60
    up = [tuple(h if i == lead else 0.0 for i in range(2)) for h in _ramp(0.0, knee_lift, 15)]
    held = [tuple(knee_lift if i == lead else 0.0 for i in range(2))] * 10
    rise = [(p, p) for p in _ramp(0.0, 0.3, 6)]
    return still + up + held + rise + [(0.3, 0.3)] * 30 + [(p, p) for p in _ramp(0.3, 0.0, 6)] + still


@pytest.mark.parametrize("lead", [0, 1])
def test_front_view_a_knee_rising_alone_shows_the_foot_going_first(lead):
    # sweep11010 (rendered, a 15 cm step, the camera 1.1 m up in front): the feet's readings
    # parted by only 0.021-0.029 leg lengths, as for feet moving together, but the knee lifting
    # the lead foot onto the step rose 0.09 above the other. The same feet with both knees
    # rising together are still feet together.
    feet = _front_view_cycle(lead_lift=0.02) * 2
    if lead:
        feet = [(r, left, p) for left, r, p in feet]
    counter, events = _feed(feet, facing=1.0, knees=_front_view_knees(0.09, lead) * 2)
    assert len(counter.reps) == 2 and [r.flags for r in counter.reps] == [(), ()]
    assert [r.side for r in counter.reps] == [("left", "right")[lead]] * 2
    # Both feet's readings cross the step level in one frame, but the climb began with the knee
    # (0.5 s before the body rose): that is its rise, not the 0.0 s between the crossings.
    assert all(0.4 <= r.rise_s <= 1.2 for r in counter.reps), [r.rise_s for r in counter.reps]
    together, events = _feed(feet, facing=1.0, knees=_front_view_knees(0.02, lead) * 2)
    assert together.reps == []
    assert [e.reason for e in events if hasattr(e, "reason")] == ["feet_together"] * 2


def _front_low_step_cycle(lead_knee: float, pelvis_top: float = 0.075):
    """Seen from the front onto a 10 cm step with the camera close and looking down (sweep10007):
    the lead knee rises alone (`lead_knee`), the lead foot's reading to 0.15 for 0.3 s as the body
    rises (the pelvis to `pelvis_top`), then both feet read 0.075-0.08 on the step and the pelvis 0.05."""
    still = [(0.0, 0.0, 0.0)] * 60
    lift = [(h, 0.0, 0.0) for h in _ramp(0.0, 0.02, 25)]
    rise = [(a, b, p) for a, b, p in zip(_ramp(0.02, 0.15, 6), _ramp(0.0, 0.075, 6), _ramp(0.0, pelvis_top, 6))]
    rise += [(0.15, 0.075, pelvis_top)] * 9
    top = [(0.08, 0.075, 0.05)] * 30
    down = [(a, b, p) for a, b, p in zip(_ramp(0.08, 0.0, 6), _ramp(0.075, 0.0, 6), _ramp(0.05, 0.0, 6))]
    feet = still + lift + rise + top + down + still
    knees = [(0.0, 0.0)] * 60 + [(k, 0.0) for k in _ramp(0.0, lead_knee, 25)] + [(0.05, 0.05)] * (len(feet) - 85)
    return feet, knees


@pytest.mark.parametrize("pelvis_top", [0.075, 0.055])  # under pelvis_rise_min_leglen too (0.06)
def test_front_view_onto_a_low_step_a_knee_going_first_lets_the_feet_read_low_on_the_step(pelvis_top):
    feet, knees = _front_low_step_cycle(lead_knee=0.08, pelvis_top=pelvis_top)
    counter, events = _feed(feet * 2, facing=1.0, knees=knees * 2)
    assert len(counter.reps) == 2 and [r.side for r in counter.reps] == ["left", "left"]
    # Without a knee going first (a calf raise, the feet lifting as the body rises) it is no step.
    feet, knees = _front_low_step_cycle(lead_knee=0.0)
    counter, events = _feed(feet * 2, facing=1.0, knees=knees * 2)
    assert counter.reps == []
    # Nor a standing leg raise with a hop (other_darebee_1): the raised leg's knee and foot stay
    # far above the other's while the other foot leaves the floor.
    still, up, down = [(0.0, 0.0, 0.0)] * 60, _ramp(0.0, 1.0, 8), _ramp(1.0, 0.0, 20)
    raise_ = [(1.5 * k, 0.1 * k, 0.1 * k) for k in up + [1.0] * 10 + down]
    feet = still + raise_ + still
    knees = [(0.0, 0.0)] * 60 + [(0.8 * k, 0.0) for k in up + [1.0] * 10 + down] + [(0.0, 0.0)] * 60
    counter, events = _feed(feet * 2, facing=1.0, knees=knees * 2)
    assert counter.reps == []


def test_feet_that_never_part_moved_together():
    counter, events = _feed(_front_view_cycle(lead_lift=0.0) * 2)
    assert counter.reps == []
    assert [e.reason for e in events if hasattr(e, "reason")] == ["feet_together"] * 2


def test_a_left_right_mix_up_while_one_foot_is_on_the_step_changes_nothing():
    # Seen from the side MediaPipe mixes the legs up for a few frames: the foot still on the
    # step seems to come down a little and the one on the floor to go up.
    up = [(h, 0.0, 0.0) for h in _ramp(0.0, 0.2, 6)] + [(0.2, 0.0, 0.0)] * 15
    both = [(0.2, h, p) for h, p in zip(_ramp(0.0, 0.2, 6), _ramp(0.0, 0.2, 6))] + [(0.2, 0.2, 0.2)] * 30
    lead_down = [(h, 0.2, p) for h, p in zip(_ramp(0.2, 0.0, 6), _ramp(0.2, 0.0, 6))]
    one_down = [(0.0, 0.2, 0.0)] * 10 + [(0.17, 0.09, 0.0)] * 6 + [(0.0, 0.2, 0.0)] * 4
    trail_down = [(0.0, h, 0.0) for h in _ramp(0.2, 0.0, 6)]
    still = [(0.0, 0.0, 0.0)] * 45
    counter, events = _feed(still + up + both + lead_down + one_down + trail_down + still)
    assert len(counter.reps) == 1
    rep = counter.reps[0]
    assert rep.flags == () and rep.lower_s > 0.5
    assert not [e for e in events if hasattr(e, "reason")]


@pytest.mark.parametrize("swap_frames", [3, 30])
def test_a_foot_up_and_back_with_the_legs_mixed_up_is_still_a_foot_up_and_back(swap_frames):
    # One foot goes onto the step and back; meanwhile MediaPipe reads the standing foot as the
    # raised one for a moment (briefly, or long enough to pass for time on the step). Both feet
    # then read "up", but the pelvis never rose: the leaflet's "foot up and back", not a rep.
    still = [(0.0, 0.0, 0.0)] * 45
    up = [(h, 0.0, 0.0) for h in _ramp(0.0, 0.2, 6)] + [(0.2, 0.0, 0.0)] * 15
    mixed = [(0.2, 0.18, 0.0)] * swap_frames
    back = [(0.2, 0.0, 0.0)] * 10 + [(h, 0.0, 0.0) for h in _ramp(0.2, 0.0, 6)]
    counter, events = _feed(still + up + mixed + back + still)
    assert counter.reps == []
    assert [e.reason for e in events if hasattr(e, "reason")] == ["foot_up_and_back"]



def test_a_video_turned_by_90_degrees_says_how_to_turn_it_back():
    # A phone video whose rotation flag was lost: standing looks like lying along the image,
    # which a pose alone cannot tell apart (a push-up looks the same). Say so, count nothing.
    result, _ = run(step_clip(3, cam=replace(CAM_STAND, rotate90=True)), "step-up")
    assert result.count == 0
    assert any("--rotate 90" in w for w in result.warnings)
    upright, _ = run(step_clip(3), "step-up")
    assert not any("--rotate" in w for w in upright.warnings)


def test_from_the_side_feet_moving_together_with_the_far_one_trailing_are_not_a_rep():
    # The far foot's reading trails the near one by a few hundredths of a leg length, so the
    # feet cross the step level 0.17 s apart and part by 0.07: together, seen from the side.
    still = [(0.0, 0.0, 0.0)] * 45
    up = [(h, max(0.0, h - 0.07), p) for h, p in zip(_ramp(0.0, 0.25, 9), _ramp(0.0, 0.2, 9))]
    top = [(0.25, 0.25, 0.2)] * 30
    down = [(h, min(0.25, h + 0.06), p) for h, p in zip(_ramp(0.25, 0.0, 9), _ramp(0.2, 0.0, 9))]
    trail = [(0.0, h, 0.0) for h in _ramp(0.06, 0.0, 3)]
    counter, events = _feed((still + up + top + down + trail) * 2 + still, facing=0.03)
    assert counter.reps == []
    assert [e.reason for e in events if hasattr(e, "reason")] == ["feet_together"] * 2
    # One at a time from the side, even with the crossings close together (a quick second
    # foot), the feet part by the step's height: counted.
    lead = [(h, 0.0, 0.0) for h in _ramp(0.0, 0.25, 6)] + [(0.25, 0.0, 0.0)] * 4
    trail_up = [(0.25, h, p) for h, p in zip(_ramp(0.0, 0.25, 6), _ramp(0.0, 0.2, 6))]
    lead_down = [(h, 0.25, 0.2) for h in _ramp(0.25, 0.0, 6)] + [(0.0, 0.25, 0.1)] * 4
    trail_down = [(0.0, h, p) for h, p in zip(_ramp(0.25, 0.0, 6), _ramp(0.1, 0.0, 6))]
    counter, _ = _feed((still + lead + trail_up + top + lead_down + trail_down) * 2 + still, facing=0.03)
    assert len(counter.reps) == 2 and all(r.flags == () for r in counter.reps)


def test_an_upright_trunk_on_folded_legs_is_not_standing():
    """Lying with the feet to the camera, the trunk can look upright in the image (issue 15: a
    side raise seen from the feet counted a step-up); standing needs a leg that stands: straight
    at the knee and hanging near the image vertical."""
    import numpy as np

    from posecount.analysis import signals
    from posecount.pose.landmarks import Landmark as L
    from posecount.pose.landmarks import PoseFrame

    cfg = load_settings().step_up
    _, standing = step_clip(1)[0]
    assert signals.step_up(standing, cfg, 0.5).posture_ok
    xy = standing.image_xy.copy()
    for hip, knee, ankle, heel, toe in ((L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE, L.LEFT_HEEL, L.LEFT_FOOT_INDEX),
                                        (L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE, L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX)):
        thigh = xy[knee] - xy[hip]
        xy[knee] = xy[hip] + thigh * 0.5 + np.array([0.08, 0.0])  # knees out to the side and up
        for p in (ankle, heel, toe):
            xy[p] = xy[hip] + np.array([0.02, 0.03])  # the feet back by the hips
    folded = PoseFrame(standing.t_s, xy, standing.world_xyz, standing.visibility, standing.presence,
                       standing.image_wh)
    m = signals.step_up(folded, cfg, 0.5)
    assert m.parts["trunk_tilt_deg"] <= cfg.trunk_vertical_max_deg  # the trunk alone says "standing"
    assert not m.posture_ok



def _low_step_cycle(pelvis_top: float):
    """An 11 cm step for a 1 m leg, obliquely (a rendered sweep clip): the lead foot swings up to
    0.19 to clear the edge and settles on the step at 0.11; the trail foot comes up to 0.115
    with the pelvis; then the lead foot goes down first, the trail foot after it."""
    still = [(0.0, 0.0, 0.0)] * 45
    lead = [(h, 0.0, 0.0) for h in _ramp(0.0, 0.19, 9) + _ramp(0.19, 0.11, 9)] + [(0.11, 0.0, 0.0)] * 6
    trail = [(0.11, h, p) for h, p in zip(_ramp(0.0, 0.115, 12), _ramp(0.0, pelvis_top, 12))]
    top = [(0.11, 0.115, pelvis_top)] * 30
    down = [(h, 0.115, p) for h, p in zip(_ramp(0.11, 0.0, 12), _ramp(pelvis_top, 0.0, 12))]
    off = [(0.0, h, 0.0) for h in _ramp(0.115, 0.0, 12)]
    return still + lead + trail + top + down + off + still


def test_a_low_step_for_a_long_leg_is_still_a_step():
    # Both feet on the step read below `up_leglen` (0.12), but the body rose onto it.
    counter, events = _feed(_low_step_cycle(pelvis_top=0.145) * 2, facing=0.5)
    assert len(counter.reps) == 2 and [r.side for r in counter.reps] == ["left", "left"]
    assert not [e for e in events if hasattr(e, "reason")]
    # The same feet with the body staying down: a foot up and back, no step-up.
    flat, events = _feed(_low_step_cycle(pelvis_top=0.0) * 2, facing=0.5)
    assert flat.reps == []
    assert [e.reason for e in events if hasattr(e, "reason")] == ["foot_up_and_back"] * 2


def _low_step_from_above_cycle(pelvis_top: float):
    """sweep8017, a 10 cm step filmed obliquely from above, at 25 fps: the lead foot swings up to
    0.155 and reads 0.03-0.06 on the step (the floor's level) until the body rises; on the step
    both feet read 0.075-0.09 with the pelvis at 0.12; the trail foot dips to 0.064 as the lead
    foot steps down, and comes down 0.8 s later."""
    still = [(0.0, 0.0, 0.0)] * 40
    lead = [(h, 0.0, 0.0) for h in _ramp(0.0, 0.155, 5) + [0.155] * 5 + _ramp(0.155, 0.04, 3)] + [(0.04, 0.0, 0.0)] * 8
    rise = [(0.04 + (0.085 - 0.04) * i / 5, h, p) for i, (h, p) in
            enumerate(zip(_ramp(0.0, 0.08, 6), _ramp(0.0, pelvis_top, 6)))]
    top = [(0.085, 0.08, pelvis_top)] * 35
    down = [(h, 0.08 - 0.016 * min(i, 4) / 4, p) for i, (h, p) in
            enumerate(zip(_ramp(0.085, 0.0, 4), _ramp(pelvis_top, 0.0, 4)))]
    trail_down = [(0.0, 0.064 + 0.03 * i / 6, 0.0) for i in range(6)] + \
        [(0.0, h, 0.0) for h in _ramp(0.094, 0.0, 12)]
    return still + lead + rise + top + down + trail_down + still


def test_onto_a_low_step_filmed_from_above_the_feet_count_as_up_by_the_body_s_rise():
    # The feet on the step never read `low_step_up_leglen` (0.09); with the body up by 0.12, a foot
    # at 0.6 of that stands on it. Coming down, the foot left on the step dips under
    # `down_leglen` as the other steps down: on a low step "down" is as much lower.
    counter, events = _feed(_low_step_from_above_cycle(pelvis_top=0.12) * 2, fps=25.0, facing=0.4)
    assert len(counter.reps) == 2
    assert all(r.flags == () for r in counter.reps)
    assert all(r.lower_s >= 0.4 for r in counter.reps)
    assert not [e for e in events if hasattr(e, "reason")]
    # The same feet with the body staying down: a foot up and back, no step-up.
    flat, events = _feed(_low_step_from_above_cycle(pelvis_top=0.0) * 2, fps=25.0, facing=0.4)
    assert flat.reps == []
    assert [e.reason for e in events if hasattr(e, "reason")] == ["foot_up_and_back"] * 2


@pytest.mark.parametrize("low_s", [0.2, 0.6])
def test_a_leading_foot_that_reads_low_on_the_step_until_the_body_rises_is_one_step_up(low_s):
    """sweep7001: onto a low step filmed from behind and above, the foot on the step read about as
    low as the floor (under `down_leglen`) until the body rose: that was "foot up and back" and
    then "feet together" (1 of 5 counted). Within `back_grace_s` the body rising makes it a climb."""
    h, u = synth.STEP_H, synth.STEP_U
    down = dict(left_u=0.0, left_v=0.0, right_u=0.0, right_v=0.0, pelvis_lift=0.0, pelvis_u=0.0)
    lead_up = {**down, "left_u": u, "left_v": h}
    lead_low = {**down, "left_u": u, "left_v": 0.15 * h}  # on the step, read near the floor
    both_up = {**lead_up, "right_u": u, "right_v": h, "pelvis_lift": h, "pelvis_u": u}
    trail_up = {**down, "right_u": u, "right_v": h}
    keys = [(0.0, down), (1.5, down), (2.0, lead_up), (2.25, lead_low), (2.25 + low_s, lead_low),
            (2.75 + low_s, both_up), (3.75 + low_s, both_up), (4.25 + low_s, trail_up),
            (4.75 + low_s, down), (6.5 + low_s, down)]
    result, _ = run(render(keys, standing_from_params, cam=CAM_STAND, fps=15), "step-up")
    assert result.count == 1
    assert result.reps[0].side == "left"
    assert result.rejected == []


def test_a_foot_up_and_back_then_a_climb_after_the_grace_counts_the_climb():
    h, u = synth.STEP_H, synth.STEP_U
    down = dict(left_u=0.0, left_v=0.0, right_u=0.0, right_v=0.0, pelvis_lift=0.0, pelvis_u=0.0)
    keys = [(0.0, down), (1.5, down), (2.0, {**down, "left_u": u, "left_v": h}),
            (2.5, {**down, "left_u": u, "left_v": h}), (3.0, down), (4.5, down)]
    later = synth.step_up_reps(1, lead="right")
    keys += [(t + 4.5, p) for t, p in later[1:]]
    result, _ = run(render(keys, standing_from_params, cam=CAM_STAND, fps=15), "step-up")
    assert result.count == 1 and result.reps[0].side == "right"
    assert [r.reason for r in result.rejected] == ["foot_up_and_back"]


def test_the_leg_that_first_stood_above_the_other_leads_not_the_widest_gap():
    # sweep10007: the lead (left) knee rose alone first; the trailing foot pushing off later
    # read 0.044 above the lead foot, the widest gap of the feet.
    from posecount.analysis.leg_gaps import LegGaps

    gaps = LegGaps(memory_s=5.0)
    for t, feet, knees in ((0.5, 0.0, 0.0), (1.0, 0.01, 0.08), (2.0, -0.044, 0.0), (2.5, float("nan"), 0.03)):
        gaps.add(t, feet, knees)
    assert gaps.first_apart(0.0, 3.0, feet_min=0.03, knees_min=0.04) == ("left", 1.0)
    assert gaps.widest(0.0, 3.0).signed == -0.044
    assert gaps.first_apart(1.5, 3.0, feet_min=0.03, knees_min=0.04)[0] == "right"
    assert gaps.first_apart(0.0, 0.9, feet_min=0.03, knees_min=0.04) is None


def test_the_gaps_left_by_the_last_step_down_do_not_name_the_next_lead():
    # sweep11018: the trailing knee coming down ended the last climb 0.064 above the other; the
    # legs were level again before the left foot went first.
    from posecount.analysis.leg_gaps import LegGaps

    gaps = LegGaps(memory_s=5.0)
    for t, feet, knees in ((5.5, 0.01, -0.064), (5.7, 0.009, -0.012), (6.0, 0.01, 0.0), (6.9, 0.08, 0.05)):
        gaps.add(t, feet, knees)
    assert gaps.first_apart(5.5, 7.0, feet_min=0.03, knees_min=0.04)[0] == "left"
    # Seen from the front, the frame the climb starts at reads level (both feet rise with the
    # pelvis): the lead is kept.
    gaps.add(7.0, 0.005, 0.001)
    assert gaps.first_apart(5.5, 7.0, feet_min=0.03, knees_min=0.04)[0] == "left"


def test_the_body_goes_up_when_both_hips_do():
    # other_darebee_1 at 240p: seen from the front, a leg raised sideways hitched its hip 18 px
    # while the standing hip stayed; the hips' midpoint rose half as much, which (from the
    # front) is read as the standing foot's height too, and the raises of the left and the
    # right leg counted a step-up. The body's rise is the lower hip's (the midpoint stays for the
    # hold: the pelvis near its highest).
    from posecount.analysis import signals

    cfg = load_settings()
    (_, pose), = render([(0.0, {"left_v": 0.0})], standing_from_params, cam=CAM_STAND, fixed={"view": "front"})
    xy = pose.image_xy.copy()
    xy[[L.LEFT_HIP, L.RIGHT_HIP], 1] = xy[[L.LEFT_HIP, L.RIGHT_HIP], 1].mean()  # hips level
    pose = replace(pose, image_xy=xy.copy())
    level = signals.step_up(pose, cfg.step_up, 0.0, cfg.tracking).parts["pelvis_low_up_px"]
    xy[L.LEFT_HIP, 1] -= 18.0 / pose.image_wh[1]  # the left hip hitched up 18 px
    hitched = signals.step_up(replace(pose, image_xy=xy), cfg.step_up, 0.0, cfg.tracking).parts
    assert hitched["pelvis_low_up_px"] == pytest.approx(level, abs=1e-6)
    assert hitched["pelvis_up_px"] == pytest.approx(level + 9.0, abs=1e-6)
    xy[L.RIGHT_HIP, 1] -= 18.0 / pose.image_wh[1]  # both up: the body went up
    both = signals.step_up(replace(pose, image_xy=xy), cfg.step_up, 0.0, cfg.tracking).parts["pelvis_low_up_px"]
    assert both == pytest.approx(level + 18.0, abs=1e-6)
