"""Motion scripts: a small declarative description of a clip -> rep timings and per-frame poses.

A `MotionScript` says what the person does (exercise, reps, hold, rise/lower durations, pauses,
side, variant, faults per rep); `plan_reps` lays the reps out in time with their truth
(whether each counts, which flags a correct checker raises) and `pose_at` poses the figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from calibration.mannequin.body import BodySize, Posed
from calibration.mannequin.poses import (
    KNEE_REST_DEG,
    pose_bridge,
    pose_side_lying,
    pose_standing,
    standing_hip_height,
)
from posecount import exercises

EXERCISES = exercises.names()  # every registered exercise
ACTIVITIES = EXERCISES + ("stand", "walk", "lie", "squat", "kneel", "fidget")

# Fault names (per rep) and the flags a correct checker raises for them. A "partial" bridge is a
# half-rise (not a rep); a "low" one comes most of the way up but not in line (a counted rep,
# flagged: its height is the script's `lifts`).
FAULTS = ("partial", "low", "small", "leg_rested", "one_foot_only", "feet_together")
# The flag names are posecount's own (`Rep.flags`, `Rejected.reason`): one vocabulary.
FAULT_FLAGS = {"partial": "not_high_enough", "low": "not_high_enough", "small": "too_small",
               "leg_rested": "leg_put_down", "one_foot_only": "foot_up_and_back", "feet_together": "feet_together"}
# The leaflet's table defines a step-up as "both feet up one at a time, then both down one at
# a time": stepping up with both feet together is a fault that is reported, not a rep.
NOT_COUNTED = {"partial", "small", "one_foot_only", "feet_together"}

# The leaflet's rules as used to label the truth.
MIN_HOLD_S = {"bridge": 5.0, "side-raise": 3.0}
FAST_LOWER_S = 1.0  # lowering in at most this long is "lowered_fast"

SIDE_RAISE_REST_DEG = 2.0  # top knee resting on the bottom knee
SIDE_RAISE_HOVER_DEG = 10.0  # "lower slowly, but do not put it down"
SIDE_RAISE_TOP_DEG = 40.0
SIDE_RAISE_SMALL_DEG = 17.0
BRIDGE_PARTIAL_LIFT = 0.45

STEP = dict(x0=0.30, x1=0.62, z0=-0.45, z1=0.45, height=0.18)
STEP_FOOT_X = 0.44  # ankle x when standing on the step
FLOOR_FOOT_X = 0.0


@dataclass(frozen=True)
class MotionScript:
    """What the person does. Durations in seconds; `faults` maps a 0-based rep index to a fault."""

    exercise: str
    reps: int = 3
    hold_s: float | tuple[float, ...] = 5.0
    rise_s: float = 1.5
    lower_s: float = 2.5
    pause_s: float = 1.5
    lead_in_s: float = 1.5
    tail_s: float = 1.5
    side: str | None = None  # side-raise: the side lain on; step-up: the leading leg
    # bridge: "stretch-legs", "single-leg" (the free knee drawn up, left and right in turn); lie:
    # "knees-to-chest" (a knee drawn up and put down, left and right in turn, the pelvis down);
    # side-raise: "straight-leg", "clamshell"
    variant: str = "standard"
    top_deg: float | None = None  # side-raise: the top leg's abduction at the top (None: SIDE_RAISE_TOP_DEG)
    hover_deg: float | None = None  # side-raise: where the leg hovers between reps (None: SIDE_RAISE_HOVER_DEG)
    faults: dict[int, str] = field(default_factory=dict)
    sets: int = 1
    rest_s: float = 0.0  # between sets
    duration_s: float = 10.0  # for the non-target activities
    # bridge: how high each rep lifts (1 = trunk in line with the thighs; reps beyond the tuple: 1,
    # a "partial" one BRIDGE_PARTIAL_LIFT), and the knees' bend at rest (feet nearer the buttocks:
    # a smaller hip angle at rest, as most real people: 124-136 deg against the default's ~146)
    lifts: tuple[float, ...] = ()
    knee_rest_deg: float = KNEE_REST_DEG
    step_m: float = STEP["height"]  # step-up: the step's height (metres)

    def __post_init__(self) -> None:
        if self.exercise not in ACTIVITIES:
            raise ValueError(f"unknown activity {self.exercise!r}; one of {ACTIVITIES}")
        for i, f in self.faults.items():
            if f not in FAULTS:
                raise ValueError(f"unknown fault {f!r} for rep {i}; one of {FAULTS}")

    def lift_for(self, i: int, fault: str | None) -> float:
        if i < len(self.lifts):
            return self.lifts[i]
        return BRIDGE_PARTIAL_LIFT if fault == "partial" else 1.0

    def hold_for(self, i: int) -> float:
        if isinstance(self.hold_s, tuple):
            return self.hold_s[i % len(self.hold_s)]
        return self.hold_s


@dataclass(frozen=True)
class RepPlan:
    """One repetition in time, with what a correct counter says about it."""

    index: int
    start_s: float
    top_s: float
    hold_end_s: float
    end_s: float
    counts: bool
    flags: tuple[str, ...]
    fault: str | None
    side: str | None
    stretch: str | None = None  # bridge variant: the leg stretched during this hold
    drawn: str | None = None  # bridge variant: the leg drawn up off the floor during this rep

    @property
    def hold_s(self) -> float:
        return self.hold_end_s - self.top_s

    def to_dict(self) -> dict:
        return {"index": self.index, "start_s": round(self.start_s, 4), "top_s": round(self.top_s, 4),
                "hold_end_s": round(self.hold_end_s, 4), "end_s": round(self.end_s, 4),
                "hold_s": round(self.hold_s, 4), "counts": self.counts, "flags": list(self.flags),
                "side": self.side}


def plan_reps(s: MotionScript) -> tuple[list[RepPlan], float]:
    """The reps of a script laid out in time, and the clip's duration."""
    if s.exercise not in EXERCISES:
        return [], s.duration_s
    reps: list[RepPlan] = []
    t = s.lead_in_s
    n_total = s.reps * s.sets
    for i in range(n_total):
        if i and i % s.reps == 0:
            t += s.rest_s
        fault = s.faults.get(i)
        hold = s.hold_for(i)
        start, top = t, t + s.rise_s
        hold_end = top + hold
        end = hold_end + s.lower_s
        flags: list[str] = []
        if fault:
            flags.append(FAULT_FLAGS[fault])
        counts = fault not in NOT_COUNTED
        if counts and s.exercise in MIN_HOLD_S and hold < MIN_HOLD_S[s.exercise] - 1e-9:
            flags.append("hold_short")
        if counts and s.exercise in MIN_HOLD_S and s.lower_s <= FAST_LOWER_S:
            flags.append("lowered_fast")
        if s.exercise == "side-raise" and s.variant == "clamshell" and counts:
            flags.append("clamshell")  # counted as the bent-leg raise, flagged: "lift the whole leg"
        stretch = None
        if s.exercise == "bridge" and s.variant == "stretch-legs" and counts:
            stretch = "left" if i % 2 == 0 else "right"
            flags.append(f"leg_stretched_{stretch}")
        drawn = ("right" if i % 2 == 0 else "left") if s.exercise == "bridge" and s.variant == "single-leg" else None
        side = s.side if s.exercise != "bridge" else None
        reps.append(RepPlan(i, start, top, hold_end, end, counts, tuple(flags), fault, side, stretch, drawn))
        t = end + s.pause_s
    duration = t - s.pause_s + s.tail_s
    return reps, duration


def ease(u: float) -> float:
    """Smooth 0..1 ramp (zero speed at both ends, like a person starting and stopping)."""
    u = min(max(u, 0.0), 1.0)
    return 0.5 - 0.5 * math.cos(math.pi * u)


def rep_phase(rep: RepPlan, t: float) -> float:
    """0 before the rep, rising to 1 at the top, 1 during the hold, back to 0 at the end."""
    if t <= rep.start_s or t >= rep.end_s:
        return 0.0
    if t < rep.top_s:
        return ease((t - rep.start_s) / (rep.top_s - rep.start_s))
    if t <= rep.hold_end_s:
        return 1.0
    return 1.0 - ease((t - rep.hold_end_s) / (rep.end_s - rep.hold_end_s))


def _breath(t: float) -> float:
    return math.sin(2 * math.pi * t / 4.0)


def pose_at(s: MotionScript, reps: list[RepPlan], t: float, body: BodySize,
            jitter: np.ndarray | None = None) -> Posed:
    """The figure at time t. `jitter` (3,) adds small natural sway (deterministic per clip)."""
    jit = np.zeros(3) if jitter is None else jitter
    sway = 0.004 * math.sin(2 * math.pi * t / 3.1 + jit[0])
    ex = s.exercise
    if ex in ("bridge", "lie"):
        lift, st_l, st_r = 0.0, 0.0, 0.0
        drawn = {"left": 0.0, "right": 0.0}
        for r in reps:
            ph = rep_phase(r, t)
            if ph > 0:
                lift = ph * s.lift_for(r.index, r.fault)
                if r.stretch and r.top_s <= t <= r.hold_end_s:
                    k = _stretch_profile(t, r)
                    st_l, st_r = (k, 0.0) if r.stretch == "left" else (0.0, k)
            if r.drawn:
                drawn[r.drawn] = max(drawn[r.drawn], _window(t, r.start_s - DRAW_S, r.end_s + DRAW_S, DRAW_S))
        if ex == "lie" and s.variant == "knees-to-chest":
            cycle = int(t // KNEE_TO_CHEST_S)
            t0 = cycle * KNEE_TO_CHEST_S + 0.5
            drawn["right" if cycle % 2 == 0 else "left"] = _window(t, t0, t0 + KNEE_TO_CHEST_S - 1.0, DRAW_S)
        return pose_bridge(body, lift, st_l, st_r, head_turn_deg=8.0 + 3 * jit[1], breath=_breath(t),
                           knee_rest_deg=s.knee_rest_deg, drawn_l=drawn["left"], drawn_r=drawn["right"])
    if ex == "side-raise":
        deg = _side_raise_deg(s, reps, t)
        return pose_side_lying(body, s.side or "left", deg, 1.0 if s.variant == "straight-leg" else 0.0,
                               breath=_breath(t), clamshell=s.variant == "clamshell")
    if ex == "fidget":
        return _fidget_pose(s, t, body, jit)
    if ex == "step-up":
        return _step_up_pose(s, reps, t, body, sway)
    if ex == "stand":
        hip = standing_hip_height(body)
        return pose_standing(body, np.array([sway * 3, hip - abs(sway) * 0.5, sway]),
                             np.array([0.0, body.scaled().ankle_height, 0.11]),
                             np.array([0.0, body.scaled().ankle_height, -0.11]),
                             arm_swing_deg=4 * math.sin(t * 1.3 + jit[2]))
    if ex == "walk":
        return _walk_pose(s, t, body)
    if ex == "squat":
        return _squat_pose(s, t, body)
    if ex == "kneel":
        return _kneel_pose(t, body, sway)
    raise ValueError(ex)


DRAW_S = 0.7  # drawing a leg up off the floor, or putting it down
KNEE_TO_CHEST_S = 3.5  # "knees-to-chest": one knee drawn up and put down in this long


def _window(t: float, t0: float, t1: float, ramp: float) -> float:
    """0 outside [t0, t1], easing up to 1 over `ramp` after t0 and down before t1."""
    return ease((t - t0) / ramp) * ease((t1 - t) / ramp)


def _stretch_profile(t: float, r: RepPlan) -> float:
    return _window(t, r.top_s, r.hold_end_s, min(0.8, r.hold_s / 3))


def _side_raise_deg(s: MotionScript, reps: list[RepPlan], t: float) -> float:
    """Abduction of the top leg: resting before the first and after the last rep, hovering between."""
    if not reps:
        return SIDE_RAISE_REST_DEG
    full = SIDE_RAISE_TOP_DEG if s.top_deg is None else s.top_deg
    hover = SIDE_RAISE_HOVER_DEG if s.hover_deg is None else s.hover_deg
    for i, r in enumerate(reps):
        top = SIDE_RAISE_SMALL_DEG if r.fault == "small" else full
        prev_rests = i == 0 or reps[i - 1].fault == "leg_rested" or _set_break(s, i)
        nxt_rests = i == len(reps) - 1 or r.fault == "leg_rested" or _set_break(s, i + 1)
        base_start = SIDE_RAISE_REST_DEG if prev_rests else hover
        base_end = SIDE_RAISE_REST_DEG if nxt_rests else hover
        if t < r.start_s and i == 0:
            return base_start
        if r.start_s <= t <= r.top_s:
            return base_start + (top - base_start) * rep_phase(r, t)
        if r.top_s < t <= r.hold_end_s:
            return top
        if r.hold_end_s < t <= r.end_s:
            return base_end + (top - base_end) * rep_phase(r, t)
        nxt = reps[i + 1] if i + 1 < len(reps) else None
        if t > r.end_s and (nxt is None or t < nxt.start_s):
            return base_end
    return SIDE_RAISE_REST_DEG


def _fidget_pose(s: MotionScript, t: float, body: BodySize, jit: np.ndarray) -> Posed:
    """Lying on the side without exercising: rolling a little forward and back, shifting along
    the mat, the top knee sliding, the legs a little apart (a few degrees, never a raise)."""
    a = jit[0]
    roll = 9.0 * math.sin(2 * math.pi * t / 5.3 + a) + 4.0 * math.sin(2 * math.pi * t / 2.3 + 1.0)
    # A shuffle every ~7 s: settling the hips, then back.
    shift = 0.06 * math.sin(2 * math.pi * t / 7.1 + jit[1]) ** 3
    apart = 6.0 + 1.5 * math.sin(2 * math.pi * t / 3.7 + jit[2])
    flex = 10.0 * math.sin(2 * math.pi * t / 4.4 + 2.0)
    return pose_side_lying(body, s.side or "left", apart, breath=_breath(t), roll_deg=roll,
                           top_flex_deg=flex, shift_x=shift)


def _set_break(s: MotionScript, i: int) -> bool:
    return s.sets > 1 and i % s.reps == 0 and i > 0


# ---------------------------------------------------------------- step-up

def _swing(t: float, t0: float, t1: float, p0: np.ndarray, p1: np.ndarray, lift: float) -> np.ndarray:
    u = ease((t - t0) / (t1 - t0))
    p = p0 + (p1 - p0) * u
    p = p.copy()
    p[1] += lift * math.sin(math.pi * min(max((t - t0) / (t1 - t0), 0), 1))
    return p


def _step_up_pose(s: MotionScript, reps: list[RepPlan], t: float, body: BodySize, sway: float) -> Posed:
    b = body.scaled()
    ah = b.ankle_height
    lead = "r" if (s.side or "right") == "right" else "l"
    z = {"l": 0.11, "r": -0.11}
    floor = {k: np.array([FLOOR_FOOT_X, ah, z[k]]) for k in "lr"}
    step = {k: np.array([STEP_FOOT_X, ah + s.step_m, z[k]]) for k in "lr"}
    feet = dict(floor)
    shift = 0.0  # 0: standing on the floor, 1: standing on the step
    for r in reps:
        if not (r.start_s <= t <= r.end_s):
            continue
        trail = "l" if lead == "r" else "r"
        up, down = r.top_s - r.start_s, r.end_s - r.hold_end_s
        if r.fault == "one_foot_only":
            # Lead foot up and back, the trail foot never leaves the floor.
            feet[lead] = _swing(t, r.start_s, r.start_s + 0.45 * up, floor[lead], step[lead], 0.08) \
                if t < r.hold_end_s else _swing(t, r.hold_end_s + 0.3 * down, r.end_s, step[lead], floor[lead], 0.05)
            shift = 0.25 * (ease((t - r.start_s) / up) if t < r.hold_end_s else 1 - ease((t - r.hold_end_s) / down))
            break
        if r.fault == "feet_together":
            for k in "lr":
                feet[k] = _swing(t, r.start_s + 0.2 * up, r.top_s, floor[k], step[k], 0.1) if t <= r.hold_end_s \
                    else _swing(t, r.hold_end_s, r.end_s - 0.2 * down, step[k], floor[k], 0.06)
            shift = ease((t - r.start_s) / up) if t <= r.hold_end_s else 1 - ease((t - r.hold_end_s) / down)
            break
        if t <= r.hold_end_s:
            feet[lead] = _swing(t, r.start_s, r.start_s + 0.4 * up, floor[lead], step[lead], 0.09)
            feet[trail] = _swing(t, r.start_s + 0.6 * up, r.top_s, floor[trail], step[trail], 0.09)
            shift = ease((t - r.start_s - 0.3 * up) / (0.55 * up))
        else:
            # Down one foot at a time, the leading foot first.
            feet[lead] = _swing(t, r.hold_end_s, r.hold_end_s + 0.4 * down, step[lead], floor[lead], 0.05)
            feet[trail] = _swing(t, r.hold_end_s + 0.6 * down, r.end_s, step[trail], floor[trail], 0.05)
            shift = 1 - ease((t - r.hold_end_s - 0.2 * down) / (0.5 * down))
        break
    hip_h = standing_hip_height(body)
    pelvis = np.array([FLOOR_FOOT_X - 0.02 + (STEP_FOOT_X - FLOOR_FOOT_X) * shift + sway,
                       hip_h + s.step_m * shift, 0.0])
    # Never higher than the planted feet allow (a stretched leg cannot grow).
    reach = (b.thigh + b.shank) * 0.995
    for k in "lr":
        hip = pelvis + np.array([0, 0, z[k] * 0.85])
        d = feet[k] - hip
        horiz = math.hypot(d[0], d[2])
        if feet[k][1] <= ah + s.step_m + 1e-6 and horiz < reach:
            pelvis[1] = min(pelvis[1], feet[k][1] + math.sqrt(reach ** 2 - horiz ** 2))
    lean = 8.0 * math.sin(math.pi * min(max(shift, 0), 1))
    return pose_standing(body, pelvis, feet["l"], feet["r"], trunk_lean_deg=lean)


# ---------------------------------------------------------------- non-targets

def _walk_pose(s: MotionScript, t: float, body: BodySize) -> Posed:
    b = body.scaled()
    period, stride = 1.4, 0.5  # an unhurried walk (~0.6 m/s) that stays in the frame
    speed = stride / (0.6 * period)
    x0 = -speed * s.duration_s / 2
    px = x0 + speed * t
    feet = {}
    for k, off, zz in (("l", 0.0, 0.1), ("r", 0.5, -0.1)):
        ph = ((t / period) + off) % 1.0
        if ph < 0.6:  # stance: the foot stays where it landed
            rel = stride / 2 - stride * ph / 0.6
            feet[k] = np.array([px + rel, b.ankle_height, zz])
        else:
            u = (ph - 0.6) / 0.4
            rel = -stride / 2 + stride * ease(u)
            feet[k] = np.array([px + rel + speed * 0.0, b.ankle_height + 0.1 * math.sin(math.pi * u), zz])
    hip = standing_hip_height(body) - 0.03 + 0.015 * math.cos(4 * math.pi * t / period)
    swing = 25 * math.sin(2 * math.pi * t / period)
    return pose_standing(body, np.array([px, hip, 0.0]), feet["l"], feet["r"], trunk_lean_deg=3,
                         arm_swing_deg=swing)


def _squat_pose(s: MotionScript, t: float, body: BodySize) -> Posed:
    b = body.scaled()
    period = 2.6
    u = max(0.0, math.sin(math.pi * ((t - 1.0) / period))) if t > 1.0 else 0.0
    depth = 0.38 * u
    hip = standing_hip_height(body)
    pelvis = np.array([-0.14 * u, hip - depth, 0.0])
    feet = (np.array([0.0, b.ankle_height, 0.15]), np.array([0.0, b.ankle_height, -0.15]))
    return pose_standing(body, pelvis, *feet, trunk_lean_deg=35 * u, arms_forward_deg=80 * u)


def _kneel_pose(t: float, body: BodySize, sway: float) -> Posed:
    """Kneeling upright, leaning forward with the hands reaching ahead (a helper beside the mat)."""
    b = body.scaled()
    hip = b.thigh + b.shank_r[0] * 0.8  # thighs about vertical, knees on the floor
    back = -0.9 * b.shank
    reach = 45 + 8 * math.sin(2 * math.pi * t / 3.7)
    return pose_standing(body, np.array([sway * 2, hip, 0.0]), np.array([back, b.ankle_height, 0.12]),
                         np.array([back, b.ankle_height, -0.12]), trunk_lean_deg=18, arms_forward_deg=reach)
