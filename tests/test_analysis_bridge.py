"""The bridge: counting, holds, faults, variants, views, gaps - on synthetic stick figures."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from posecount.analysis import (
    HoldTick,
    RepCompleted,
    RepRecounted,
    RepRejected,
    RepStarted,
    TopReached,
    TrackingPaused,
)
from posecount.pose.landmarks import Landmark as L
from posecount.settings import load_settings, with_overrides
from tests import synth
from tests.synth import CAM_BACK, bridge_clip, bridge_pose, render, run


@pytest.mark.parametrize("n", [1, 3, 5])
def test_counts_every_bridge(n):
    result, _ = run(bridge_clip(n), "bridge")
    assert result.count == n
    assert [r.index for r in result.reps] == list(range(1, n + 1))


@pytest.mark.parametrize("tempo", [dict(rise_s=0.6, hold_s=1.0, lower_s=0.6, rest_s=0.6),
                                   dict(rise_s=3.0, hold_s=10.0, lower_s=4.0, rest_s=3.0)],
                         ids=["fast", "slow"])
def test_slow_and_fast_tempo(tempo):
    result, _ = run(bridge_clip(3, **tempo), "bridge")
    assert result.count == 3
    want = synth.expected_hold(tempo["hold_s"], tempo["rise_s"], tempo["lower_s"])
    for rep in result.reps:
        assert rep.hold_s == pytest.approx(want, abs=0.4)


@pytest.mark.parametrize("hold_s", [2.0, 4.0, 8.0])
def test_hold_is_timed_at_the_top(hold_s):
    result, _ = run(bridge_clip(2, hold_s=hold_s, jitter_px=1.0), "bridge")
    assert result.count == 2
    want = synth.expected_hold(hold_s, 1.0, 1.5)  # bridge_reps' default rise and lowering
    for rep in result.reps:
        assert abs(rep.hold_s - want) <= 0.4
    short = all("hold_short" in r.flags for r in result.reps)
    assert short == (want < 5.0)


def test_fast_lowering_is_flagged_and_slow_is_not():
    fast, _ = run(bridge_clip(2, lower_s=0.5), "bridge")
    slow, _ = run(bridge_clip(2, lower_s=3.0), "bridge")
    assert all("lowered_fast" in r.flags for r in fast.reps)
    assert not any("lowered_fast" in r.flags for r in slow.reps)
    assert min(r.lower_s for r in slow.reps) > max(r.lower_s for r in fast.reps)


@pytest.mark.parametrize("lower_s,fast", [(0.6, True), (1.5, False), (3.0, False)])
def test_lowering_is_timed_as_seen_between_the_top_and_the_rest(lower_s, fast):
    # The lowering is timed from leaving the top band to reaching the rest band: about half of
    # an eased movement (its slow ends look like holding and like resting). The leaflet's
    # "lower slowly" is judged on that time: a 1.5 s lowering is slow enough, 0.6 s is not.
    result, _ = run(bridge_clip(2, lower_s=lower_s, jitter_px=1.0, fps=30.0), "bridge")
    assert result.count == 2
    share = 2.0 * math.acos(-0.7) / math.pi - 1.0  # 15 % to 85 % of a cosine-eased move
    for rep in result.reps:
        assert rep.lower_s == pytest.approx(share * lower_s, abs=0.2)
        assert ("lowered_fast" in rep.flags) == fast


def test_a_shallow_rise_is_reported_not_counted():
    keys = synth.bridge_reps(1) + [(t + 10.0, p) for t, p in synth.bridge_reps(1, top_deg=155.0)[1:]]
    result, _ = run(render(keys, bridge_pose, cam=CAM_BACK), "bridge")
    assert result.count == 1
    assert [r.reason for r in result.rejected] == ["not_high_enough"]
    assert result.rejected[0].peak < 158


def test_shallow_rises_repeated_from_a_half_raised_pelvis_are_each_reported():
    # One full bridge, then three rises to 155 deg that only drop back to 140 deg in between
    # (never down to the 130 deg rest): three "not high enough", none counted.
    keys = synth.bridge_reps(1)
    t = keys[-1][0]
    for _ in range(3):
        for dt, hip in ((1.5, 140.0), (1.0, 155.0), (1.0, 155.0), (1.0, 140.0)):
            t += dt
            keys.append((t, {"hip_deg": hip, "knee_deg": 85.0}))
    keys.append((t + 1.5, {"hip_deg": 130.0, "knee_deg": 80.0}))
    keys.append((t + 3.0, {"hip_deg": 130.0, "knee_deg": 80.0}))
    result, _ = run(render(keys, bridge_pose, cam=CAM_BACK, jitter_px=1.0), "bridge")
    assert result.count == 1
    assert [r.reason for r in result.rejected] == ["not_high_enough"] * 3


def test_breathing_in_the_start_position_is_not_a_rep():
    keys = [(0.0, {"hip_deg": 130.0}), (2.0, {"hip_deg": 136.0}), (4.0, {"hip_deg": 130.0}),
            (6.0, {"hip_deg": 137.0}), (8.0, {"hip_deg": 130.0})]
    result, _ = run(render(keys, bridge_pose, cam=CAM_BACK, jitter_px=1.0), "bridge")
    assert result.count == 0 and result.rejected == []


def test_events_come_in_order_while_streaming():
    _, events = run(bridge_clip(1, hold_s=3.0), "bridge")
    kinds = [type(e) for e in events]
    assert kinds.index(RepStarted) < kinds.index(TopReached) < kinds.index(HoldTick) < kinds.index(RepCompleted)
    ticks = [e.held_s for e in events if isinstance(e, HoldTick)]
    assert ticks[:3] == [1.0, 2.0, 3.0]


def test_jitter_does_not_add_or_lose_reps():
    for seed in range(3):
        result, _ = run(bridge_clip(4, hold_s=3.0, jitter_px=2.5, seed=seed), "bridge")
        assert result.count == 4, seed


@pytest.mark.parametrize("cam", [replace(CAM_BACK, mirror=True), replace(CAM_BACK, rotate90=True),
                                 replace(CAM_BACK, mirror=True, rotate90=True)],
                         ids=["mirror", "rotate90", "both"])
def test_mirrored_and_turned_videos_count_the_same(cam):
    result, _ = run(bridge_clip(3, cam=cam), "bridge")
    assert result.count == 3


def test_a_short_gap_is_bridged():
    result, events = run(bridge_clip(2, gaps=[(4.0, 4.4)]), "bridge")
    assert result.count == 2
    assert not any(isinstance(e, TrackingPaused) for e in events)


def test_a_long_gap_pauses_rejects_the_open_rep_and_is_reported():
    # Rep 1 holds from ~2.5 to ~7.5 s: lose the person for 2 s in the middle of it.
    result, events = run(bridge_clip(3, gaps=[(4.0, 6.0)]), "bridge")
    assert result.count == 2
    assert any(isinstance(e, TrackingPaused) for e in events)
    assert "tracking_lost" in [r.reason for r in result.rejected]
    assert any("tracking lost from 4.0 s to 6.0 s" in w for w in result.warnings)


def test_a_source_that_starts_at_the_top_does_not_count_the_first_lowering():
    keys = [(0.0, {"hip_deg": 178.0, "knee_deg": 95.0}), (2.0, {"hip_deg": 178.0, "knee_deg": 95.0}),
            (3.5, {"hip_deg": 130.0, "knee_deg": 80.0})]
    keys += [(t + 5.0, p) for t, p in synth.bridge_reps(1)[1:]]
    result, _ = run(render(keys, bridge_pose, cam=CAM_BACK), "bridge")
    assert result.count == 1


@pytest.mark.parametrize("shake_px", [0.0, 1.5])
def test_a_person_resting_above_the_usual_rest_angles_is_counted_from_the_first_bridge(shake_px):
    # Rest at 155 deg (feet far from the buttocks, or a camera at an angle): above the plausible
    # rests, but a source starting there must still arm the counter (it used to wait forever
    # for the default rest's end level, 145 deg).
    result, _ = run(bridge_clip(3, rest_deg=155.0, jitter_px=shake_px), "bridge")
    assert result.count == 3
    assert result.rejected == []


def test_a_source_that_ends_at_the_top_rejects_the_open_rep():
    keys = synth.bridge_reps(1)
    t_end = keys[-1][0]
    keys += [(t_end + 1.0, {"hip_deg": 178.0, "knee_deg": 95.0}), (t_end + 3.0, {"hip_deg": 178.0, "knee_deg": 95.0})]
    result, _ = run(render(keys, bridge_pose, cam=CAM_BACK), "bridge")
    assert result.count == 1
    assert result.rejected[-1].reason == "ended_before_down"


def _stretch_keys(legs):
    keys = [(0.0, {"hip_deg": 130.0, "stretch_knee_deg": 85.0}), (1.5, {"hip_deg": 130.0, "stretch_knee_deg": 85.0})]
    t = 1.5
    out = []
    for leg in legs:
        seg = [(t + 1.0, 178.0, 85.0), (t + 2.0, 178.0, 178.0), (t + 4.0, 178.0, 178.0),
               (t + 5.0, 178.0, 85.0), (t + 6.5, 130.0, 85.0), (t + 8.0, 130.0, 85.0)]
        out.append((leg, [(tt, {"hip_deg": h, "stretch_knee_deg": k}) for tt, h, k in seg]))
        t += 8.0
    return keys, out


@pytest.mark.parametrize("legs,flagged", [(("left", "right", "left"), []), (("left", "left"), [2])])
def test_harder_variant_a_leg_stretched_during_the_hold(legs, flagged):
    keys, segs = _stretch_keys(legs)
    frames = []
    for i, (leg, seg) in enumerate(segs):
        part = render(([keys[-1]] if i == 0 else []) + seg if i else keys + seg, bridge_pose, cam=CAM_BACK,
                      fixed={"stretch": leg, "knee_deg": 85.0})
        start = frames[-1][0] if frames else -1.0
        frames += [(t, p) for t, p in part if t > start]
    result, _ = run(frames, "bridge")
    assert result.count == len(legs)
    assert [r.variant for r in result.reps] == ["leg-stretch"] * len(legs)
    assert [r.side for r in result.reps] == list(legs)
    assert [r.index for r in result.reps if "not_alternating" in r.flags] == flagged


@pytest.mark.parametrize("stretched_s,variant", [(2.2, "leg-stretch"), (0.5, None)])
def test_a_leg_stretched_for_part_of_the_hold_is_the_harder_level(stretched_s, variant):
    # "Stretch one leg during the hold": the held-out seed 15000 stretched the leg for 36-47 % of
    # a 4 s hold, which the knee's median (half the hold) missed. A leg stretched for about a
    # third of a 6 s hold is the harder level; one straightened for a moment is not.
    bent, rest, top = 85.0, 130.0, 178.0
    seg = [(0.0, rest, bent), (1.5, rest, bent), (2.5, top, bent), (4.0, top, bent), (4.3, top, 178.0),
           (4.3 + stretched_s, top, 178.0), (4.6 + stretched_s, top, bent), (8.5, top, bent),
           (10.0, rest, bent), (12.0, rest, bent)]
    keys = [(t, {"hip_deg": h, "stretch_knee_deg": k}) for t, h, k in seg]
    result, _ = run(render(keys, bridge_pose, cam=CAM_BACK, fixed={"stretch": "right", "knee_deg": bent}), "bridge")
    assert result.count == 1
    assert result.reps[0].variant == variant
    assert result.reps[0].side == ("right" if variant else None)


def test_a_stretched_leg_read_unsteadily_is_still_found():
    # Seen from the side, the far leg's knee reads anywhere from 150 to 178 deg while it is
    # stretched and MediaPipe half mixes the legs up, so the bent leg reads 120-150: the two
    # are never 35 deg apart in a frame, but their medians stay well apart.
    readings = [(155, 121), (160, 140), (150, 125), (178, 145), (158, 128), (165, 133), (152, 120),
                (170, 150), (156, 122), (176, 145)]
    fps = 15.0
    keys = [(0.0, {"hip_deg": 130.0, "stretch_knee_deg": 85.0, "knee_deg": 85.0}),
            (1.5, {"hip_deg": 130.0, "stretch_knee_deg": 85.0, "knee_deg": 85.0}),
            (2.5, {"hip_deg": 178.0, "stretch_knee_deg": 85.0, "knee_deg": 85.0})]
    t = 2.5
    for i in range(int(5.0 * fps)):
        t = 2.5 + (i + 1) / fps
        stretched, bent = readings[i % len(readings)]
        keys.append((t, {"hip_deg": 178.0, "stretch_knee_deg": float(stretched), "knee_deg": float(bent)}))
    keys += [(t + 1.0 / fps, {"hip_deg": 178.0, "stretch_knee_deg": 85.0, "knee_deg": 85.0}),
             (t + 2.0, {"hip_deg": 130.0, "stretch_knee_deg": 85.0, "knee_deg": 85.0}),
             (t + 4.0, {"hip_deg": 130.0, "stretch_knee_deg": 85.0, "knee_deg": 85.0})]
    result, _ = run(render(keys, bridge_pose, fps=fps, cam=CAM_BACK, fixed={"stretch": "left"}), "bridge")
    assert result.count == 1
    assert (result.reps[0].variant, result.reps[0].side) == ("leg-stretch", "left")


def _mixed_up_stretch_keys(t0: float, knees, fps: float):
    """A bridge from t0 whose 5 s hold reads the knees as `knees` gives, frame by frame."""
    keys = [(t0 + 1.0, {"hip_deg": 178.0, "stretch_knee_deg": 85.0, "knee_deg": 85.0})]
    t = t0 + 1.0
    for i in range(int(5.0 * fps)):
        t = t0 + 1.0 + (i + 1) / fps
        stretched, bent = knees(i)
        keys.append((t, {"hip_deg": 178.0, "stretch_knee_deg": float(stretched), "knee_deg": float(bent)}))
    return keys + [(t + 1.0 / fps, {"hip_deg": 178.0, "stretch_knee_deg": 85.0, "knee_deg": 85.0}),
                   (t + 2.0, {"hip_deg": 130.0, "stretch_knee_deg": 85.0, "knee_deg": 85.0}),
                   (t + 4.0, {"hip_deg": 130.0, "stretch_knee_deg": 85.0, "knee_deg": 85.0})]


def test_a_stretch_read_with_both_knees_straight_is_still_a_bridge():
    # sweep8000: holding a leg stretched, MediaPipe mixed the legs up for 5.4 s of a 7 s hold and
    # read both knees 145-177 deg, alternately the straighter; the rep failed the posture (knees
    # bent) and was not counted. The stretched leg cannot be told then: the rep counts as the
    # leg-stretch level without a side, and the left-right alternation starts afresh after it.
    fps = 15.0
    readings = [(176, 151), (157, 165), (164, 156), (168, 147), (150, 163), (171, 160)]
    rest = {"hip_deg": 130.0, "stretch_knee_deg": 85.0, "knee_deg": 85.0}
    clear = [(176, 85), (178, 88), (172, 84)]
    keys = [(0.0, rest), (1.5, rest)]
    for knees in (clear, readings, clear):
        keys += _mixed_up_stretch_keys(keys[-1][0], lambda i, k=knees: k[i % len(k)], fps)
    result, _ = run(render(keys, bridge_pose, fps=fps, cam=CAM_BACK, fixed={"stretch": "left"}), "bridge")
    assert result.count == 3
    assert [(r.variant, r.side) for r in result.reps] == [("leg-stretch", "left"), ("leg-stretch", None),
                                                          ("leg-stretch", "left")]
    assert not any("not_alternating" in r.flags for r in result.reps)


def test_single_leg_bridge_is_recognised():
    frames = render(synth.bridge_reps(2), bridge_pose, cam=CAM_BACK,
                    fixed={"stretch": "right", "stretch_knee_deg": 178.0})
    result, _ = run(frames, "bridge")
    assert result.count == 2
    assert {r.variant for r in result.reps} == {"single-leg"}
    assert {r.side for r in result.reps} == {"right"}


def _drawn_leg_bridges(legs, lift_deg: float = 178.0):
    """Bridges on one foot, the other leg drawn up (hip bent to 95 deg) while the pelvis rises to
    `lift_deg`, and put down at rest: `legs` gives the free leg of each."""
    rest = {"hip_deg": 130.0, "drawn_hip_deg": 130.0, "drawn_knee_deg": 80.0}
    frames, t0 = [], 0.0
    for leg in legs:
        keys = [(t0, rest), (t0 + 1.5, rest),
                (t0 + 2.2, {"hip_deg": 130.0, "drawn_hip_deg": 95.0, "drawn_knee_deg": 120.0}),
                (t0 + 3.2, {"hip_deg": lift_deg, "drawn_hip_deg": 95.0, "drawn_knee_deg": 120.0}),
                (t0 + 5.2, {"hip_deg": lift_deg, "drawn_hip_deg": 95.0, "drawn_knee_deg": 120.0}),
                (t0 + 6.5, {"hip_deg": 130.0, "drawn_hip_deg": 95.0, "drawn_knee_deg": 120.0}),
                (t0 + 7.2, rest), (t0 + 8.5, rest)]
        part = render(keys, bridge_pose, cam=CAM_BACK, fixed={"drawn": leg})
        frames += [(t, p) for t, p in part if not frames or t > frames[-1][0]]
        t0 += 8.5
    return frames


def test_a_single_leg_bridge_with_the_free_knee_drawn_up_is_measured_on_the_supporting_leg():
    # bridge_nd_3: the free leg's hip bends as much as the supporting one opens, so the average
    # of the two hips stayed flat and no bridge counted.
    frames = _drawn_leg_bridges(("right", "left", "right"))
    result, _ = run(frames, "bridge")
    assert result.count == 3
    assert [(r.variant, r.side) for r in result.reps] == [("single-leg", "right"), ("single-leg", "left"),
                                                          ("single-leg", "right")]
    assert min(r.peak for r in result.reps) > 170.0


def test_legs_read_drawn_up_in_turn_frame_by_frame_are_not_a_single_leg_bridge():
    # side_raise_bent_behind_45: MediaPipe mixes the legs of a side raise seen from behind and
    # above, so now one leg, now the other reads as drawn up; measured on the other each time,
    # the raises counted 4 bridges.
    left, right = (_drawn_leg_bridges((leg,) * 3) for leg in ("left", "right"))
    mixed = [(fl if i % 3 else fr) for i, (fl, fr) in enumerate(zip(left, right))]
    result, _ = run(mixed, "bridge")
    assert result.count == 0
    assert run(left, "bridge")[0].count == 3  # either leg held up throughout counts


def test_drawing_a_knee_up_without_lifting_the_pelvis_is_not_a_bridge():
    frames = _drawn_leg_bridges(("right", "left", "right"), lift_deg=130.0)
    result, _ = run(frames, "bridge")
    assert result.count == 0


def test_filmed_from_the_feet_warns_instead_of_counting_noise():
    result, _ = run(bridge_clip(3, cam=replace(CAM_BACK, foreshorten=0.3)), "bridge")
    assert result.count == 0
    assert any("looks along the body" in w for w in result.warnings)


def test_bridges_are_not_side_raises_or_step_ups():
    frames = bridge_clip(3, jitter_px=1.5)
    for exercise in ("side-raise", "step-up"):
        result, _ = run(frames, exercise)
        assert result.count == 0, exercise


# --- the person's own top (issue 15: strict gates) ------------------------------------------

def _bridges(tops: list[float], rest_deg: float = 136.0, hold_s: float = 5.0):
    """Bridges from `rest_deg` (a rest whose counting level is the 166 deg maximum) to each top."""
    keys = synth.bridge_reps(1, rest_deg=rest_deg, top_deg=tops[0], hold_s=hold_s)
    for top in tops[1:]:
        more = synth.bridge_reps(1, rest_deg=rest_deg, top_deg=top, hold_s=hold_s)
        keys += [(t + keys[-1][0] - more[1][0], p) for t, p in more[2:]]
    return render(keys, bridge_pose, cam=CAM_BACK, jitter_px=1.0)


def test_a_first_bridge_lower_than_the_next_ones_counts_once_they_show_the_persons_top():
    # From a 136 deg rest the counting level is 166 deg: the first bridge (161 deg) falls short
    # of it, but comes ~65 % of the way to the person's own top (174 deg) - most of the way.
    result, events = run(_bridges([161.0, 174.0, 173.0]), "bridge")
    assert result.count == 3
    assert [r.index for r in result.reps] == [1, 2, 3]
    assert result.reps[0].start_s < result.reps[1].start_s < result.reps[2].start_s
    assert "not_high_enough" in result.reps[0].flags
    assert not any("not_high_enough" in r.flags for r in result.reps[1:])
    assert result.rejected == []  # no longer listed as not counted
    # Causal: rejected when it ended, counted when the second bridge was (before it, in order).
    rejected = [e for e in events if isinstance(e, RepRejected)]
    recounted = [e for e in events if isinstance(e, RepRecounted)]
    assert len(rejected) == 1 and rejected[0].reason == "not_high_enough"
    assert len(recounted) == 1 and recounted[0].was == rejected[0].attempt
    done = [e for e in events if isinstance(e, RepCompleted)]
    assert done[0] is recounted[0] and done[0].rep.index == 1 and done[1].rep.index == 2
    assert events.index(rejected[0]) < events.index(recounted[0])
    # Every listener that counts RepCompleted events (the live coach) ends with the same count.
    assert len(done) == result.count


def test_a_half_rise_before_the_first_bridge_stays_not_counted():
    result, events = run(_bridges([152.0, 174.0, 173.0]), "bridge")  # ~42 % of the way
    assert result.count == 2
    assert [r.reason for r in result.rejected] == ["not_high_enough"]
    assert not any(isinstance(e, RepRecounted) for e in events)


def test_a_later_bridge_most_of_the_way_up_counts_at_once_flagged():
    result, events = run(_bridges([174.0, 161.0, 174.0]), "bridge")
    assert result.count == 3 and result.rejected == []
    assert ["not_high_enough" in r.flags for r in result.reps] == [False, True, False]
    assert not any(isinstance(e, RepRecounted) for e in events)
    # It reached the person's line while rising: its hold is timed and ticked live like any other.
    second = result.reps[1]
    assert [e for e in events if isinstance(e, TopReached) and second.start_s < e.t_s < second.end_s]
    assert second.hold_s == pytest.approx(synth.expected_hold(5.0, 1.0, 1.5), abs=0.5)
    assert "lowered_fast" not in second.flags


def test_a_half_rise_after_the_persons_top_is_known_is_not_counted():
    result, _ = run(_bridges([174.0, 152.0, 174.0]), "bridge")
    assert result.count == 2
    assert [r.reason for r in result.rejected] == ["not_high_enough"]


def test_without_top_frac_a_bridge_short_of_the_counting_level_is_not_counted():
    off = with_overrides(load_settings(), "bridge", top_frac=0.0)
    result, events = run(_bridges([161.0, 174.0, 173.0]), "bridge", off)
    assert result.count == 2
    assert [r.reason for r in result.rejected] == ["not_high_enough"]
    assert not any(isinstance(e, RepRecounted) for e in events)


def test_a_recounted_bridge_is_left_out_by_strict_counting():
    from posecount.analysis.policy import strict

    result, _ = run(_bridges([161.0, 174.0, 173.0]), "bridge")
    kept = strict(result)
    assert kept.count == 2 and "not_high_enough" in kept.rejected[0].detail


def test_the_side_raise_keeps_its_counting_level():
    # The own-top rule is the bridge's (thresholds.toml [bridge] top_frac); the side raise's is 0.
    assert load_settings().side_raise.top_frac == 0.0
    assert load_settings().bridge.top_frac > 0.0


# --- measured from what is visible (issue 15) ------------------------------------------------

def test_a_bridge_without_a_knee_in_view_is_not_measured():
    frames = render(synth.bridge_reps(2), bridge_pose, cam=CAM_BACK, hidden=[L.LEFT_KNEE, L.RIGHT_KNEE])
    result, _ = run(frames, "bridge")
    assert result.count == 0
    assert any("cut off or hidden" in w for w in result.warnings)


def test_a_person_on_the_side_is_not_in_the_bridge_start_position():
    """Seen from the front, a person on the side with the knees bent has the bridge's body shape;
    the shoulders and hips lying apart across the trunk tell the two apart (issue 15: the
    bridge counter counted 2-3 reps on rendered side raises)."""
    from posecount.analysis import signals

    cfg = load_settings().bridge
    on_back = [signals.bridge(p, cfg, 0.5) for _, p in bridge_clip(1) if p is not None]
    on_side = [signals.bridge(p, cfg, 0.5) for _, p in synth.side_clip(2) if p is not None]
    assert all(m.posture_ok for m in on_back) and max(m.parts["stacked"] for m in on_back) < cfg.side_stacked_min
    assert not any(m.posture_ok for m in on_side)
    result, _ = run(synth.side_clip(2), "bridge")
    assert result.count == 0 and result.rejected and {r.reason for r in result.rejected} == {"posture"}


def test_lost_at_rest_for_less_than_a_rep_lasts_the_rise_seen_on_return_counts():
    # Rep 2 rises from 10.5 s: the person is lost from 10.2 to 10.9 s, from rest into the rise.
    # No rep fits in 0.7 s, so the counter stays armed and the rise started before the gap.
    result, events = run(bridge_clip(2, gaps=[(10.2, 10.9)]), "bridge")
    assert any(isinstance(e, TrackingPaused) for e in events)
    assert result.count == 2
    # Lost for longer than a rep may last: paused honestly, the rise is not guessed into a rep.
    result, _ = run(bridge_clip(2, gaps=[(9.4, 10.9)]), "bridge")
    assert result.count == 1


def test_a_bridge_filmed_obliquely_from_above_counts():
    """From above, the far shoulder and hip lie well apart from the near ones across the trunk,
    as on a person lying on the side seen from the front (held-out sweep4011 counted 0 of 3).
    Over a rep the two differ: a bridge lifts the pelvis and turns the trunk."""
    from posecount.analysis import signals

    cam = synth.Camera(origin=(170.0, 330.0), depth_px=70.0)
    frames = bridge_clip(3, cam=cam)
    cfg = load_settings().bridge
    stacked = [signals.bridge(p, cfg, 0.5).parts["stacked"] for _, p in frames if p is not None]
    assert max(stacked) >= cfg.side_stacked_min  # single frames look like lying on the side
    result, _ = run(frames, "bridge")
    assert result.count == 3 and not result.rejected
    assert not any("does not look like" in w for w in result.warnings)


def test_a_still_rest_above_the_usual_rest_arms_the_counter():
    """Filmed from above, the resting hip reads nearly straight (159 deg on sweep4011), above
    the end level of the prior rest: still there for a second is the rest, and the reps count."""
    result, _ = run(bridge_clip(3, rest_deg=160.0), "bridge")
    assert result.count == 3
    # Not armed by a still reading above the start level: a source that begins at the top.
    frames = bridge_clip(1, rest_deg=130.0, first_rest_s=0.0)
    top_start = [(t, p) for t, p in frames if t >= 1.2]  # begins in the hold, lowers once
    result, _ = run([(t - 1.2, p) for t, p in top_start], "bridge")
    assert result.count == 0


def test_lost_during_a_rep_for_less_than_a_second_the_rep_still_counts():
    """A rep seen starting at rest and seen lowering: a gap of up to `attempt_gap_max_s` (1 s)
    in its hold cannot make a rep up, so it is bridged (sweep3017: MediaPipe drew the hips of a
    clamshell together for 0.6-0.9 s at a time, and the paused counter rejected two raises)."""
    result, events = run(bridge_clip(2, gaps=[(4.0, 4.8)]), "bridge")  # rep 1 holds 2.5-7.5 s
    assert result.count == 2 and not result.rejected
    assert not any(isinstance(e, TrackingPaused) for e in events)
    # Longer than that: paused, and the rep under way is not counted (nothing guessed).
    result, events = run(bridge_clip(2, gaps=[(3.5, 5.0)]), "bridge")
    assert any(isinstance(e, TrackingPaused) for e in events)
    assert result.count == 1 and [r.reason for r in result.rejected] == ["tracking_lost"]


def test_settling_in_at_the_start_is_a_rest_not_the_first_bridges_rise():
    # bridge_nd_3: the clip opens with the person settling (132 to 145 deg in half a second), then
    # lying still; the first bridge came 6 s later and reported a 6.3 s rise.
    rest = {"hip_deg": 142.0, "knee_deg": 80.0}
    top = {"hip_deg": 178.0, "knee_deg": 95.0}
    keys = [(0.0, {"hip_deg": 118.0, "knee_deg": 80.0}), (0.4, rest), (4.0, rest), (5.0, top), (10.0, top),
            (11.5, rest), (13.0, rest), (14.0, top), (19.0, top), (20.5, rest), (22.0, rest)]
    result, _ = run(render(keys, bridge_pose, cam=CAM_BACK), "bridge")
    assert result.count == 2
    assert result.reps[0].start_s > 3.5
    assert result.reps[0].rise_s < 1.5
