"""The side-lying leg raise: top leg up, hold 3 s, lower slowly without resting it; both sides.

Measured as the opening between the thighs; planned and counted per side lain on. The
harder level keeps the top leg straight and the bottom leg bent.
"""

from __future__ import annotations

import math

import numpy as np

from posecount.analysis import side_signals, signals
from posecount.analysis.counter import Attempt, Verdict
from posecount.analysis.events import Event
from posecount.analysis.held_low import HeldLow, held_low
from posecount.analysis.rise import RiseExercise
from posecount.analysis.sample_stats import median_direction, median_part, steady_part, turn_deg
from posecount.analysis.signals import Measurement
from posecount.exercises.registry import Exercise, Level, Points, register
from posecount.pose.landmarks import Landmark as L
from posecount.pose.landmarks import PoseFrame
from posecount.settings import Settings

SHOULDER_LINE = ("shoulders_x_m", "shoulders_y_m", "shoulders_z_m")  # parts: the shoulder line in 3D


class SideRaise(RiseExercise):
    name = "side-raise"
    posture_text = "lying on the side"
    needs_gravity = True  # lying is told from the image's vertical (a standing leg raise is not this)

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._closed = HeldLow(self.cfg.put_down_min_s)  # the most closed the legs have been: "leg down"
        self._last_side: str | None = None
        self._hips: tuple[float, np.ndarray] | None = None  # (t_s, hip vector) last seen trustworthy

    def measure(self, pose: PoseFrame | None) -> Measurement:
        last = None
        if pose is not None and self._hips is not None and pose.t_s - self._hips[0] <= self.cfg.hip_memory_s:
            last = self._hips[1]
        m = side_signals.side_raise(pose, self.cfg, self.settings.tracking.min_quality, self.settings.tracking, last)
        if pose is not None and "l_hip_x_m" in m.parts:
            self._hips = (pose.t_s, np.array([[m.parts[f"{s}_hip_{a}_m"] for a in "xyz"] for s in "lr"]))
        return m

    def feed(self, t_s: float, m: Measurement) -> tuple[list[Event], float, float]:
        events, raw, smooth = super().feed(t_s, m)
        self._closed.add(t_s, smooth)
        return events, raw, smooth

    def _posture_fails(self, a: Attempt) -> bool:
        """Lying on the side, judged over the whole attempt and the rest before it: the
        shoulders and hips one above the other in most frames (frame by frame, the spread
        flickers around its limit with a shaky camera; the 60th percentile, so that a rep whose
        frames are half shaky, half steady is judged on the steady ones: people on their back
        stay below the limit in 90 % of their frames), and lying down or legs bent in most
        frames."""
        c = self.cfg
        samples = [*a.idle, *a.samples]
        stacked = steady_part(samples, "stacked")
        lying = [s.parts.get("lying_or_bent", math.nan) for s in samples]
        if math.isnan(stacked) or all(math.isnan(v) for v in lying):
            return super()._posture_fails(a)
        if np.nanmean(lying) < c.posture_min_frac:
            return True
        if stacked >= c.stacked_min:
            return False
        # Filmed from high up, a person on the side stacks less (the top shoulder leans towards
        # the camera), as little as a person on the back filmed obliquely from above: then the
        # knee's own path tells them apart (along the body's width: a side raise).
        return not (stacked >= c.stacked_sideways_min and self._knee_sideways(a) >= c.knee_sideways_min)

    def _knee_sideways(self, a: Attempt) -> float:
        """How much of the top knee's path from the legs down to the top ran along the body's
        width rather than its depth (0..1, `side_signals.knee_sideways`; NaN if unknown)."""
        ends = self._top_and_down(a)
        if ends is None:
            return math.nan
        top, down = ends
        leg = _top_leg(a)
        knee = [median_part(top, f"{leg}_knee_w{x}") - median_part(down, f"{leg}_knee_w{x}") for x in "xyz"]
        width = [median_part(down, f"width_w{x}") for x in "xyz"]
        trunk = [median_part(down, f"trunk_w{x}") for x in "xyz"]
        return side_signals.knee_sideways(np.array(knee), np.array(width), np.array(trunk))

    def _trunk_rolled(self, a: Attempt) -> bool:
        """Rolling on the side, not raising the leg: between the legs down (the rest before the
        attempt, or its end) and the top, the shoulder line turned in 3D by more than
        `trunk_roll_max_frac` of the rise. Rolling the trunk (and the hip axis with it) reads as
        an opening about as large as the roll; in a raise the trunk stays still while the top
        thigh moves."""
        ends = self._top_and_down(a)
        if ends is None:
            return False
        c = self.cfg
        top, down = ends
        rise = a.peak - a.levels.rest
        # Which shoulder is on top cannot change while lying on the side (a roll past the
        # vertical is lying on the back or front); seen from behind, MediaPipe swaps the
        # shoulders' labels in some frames, flipping the line: those frames are not compared.
        upper = np.sign(median_part(top, "shoulders_y_m"))
        top, down = _same_way_up(top, upper), _same_way_up(down, upper)
        turn = turn_deg(median_direction(down, SHOULDER_LINE), median_direction(top, SHOULDER_LINE))
        if not turn > c.trunk_roll_max_frac * rise:
            return False
        # The shoulder line seen turning may be MediaPipe's: its world shoulders turn in depth as a
        # knee opens on a still trunk. A thigh that opened against the trunk in the image is a raise.
        return not self._thigh_opened(top, down) >= c.roll_thigh_open_min_deg

    def _top_and_down(self, a: Attempt) -> tuple[list, list] | None:
        """The attempt's readings at its top (`hold_level_frac` of its rise) and with the legs
        down (under `start_frac`, the rest before it included); None before a top."""
        rise = a.peak - a.levels.rest
        if a.top_s is None or not rise > 0:
            return None
        high = a.levels.rest + self.cfg.hold_level_frac * rise
        low = a.levels.rest + self.cfg.start_frac * rise
        return ([s for s in a.samples if s.value >= high],
                [s for s in [*a.idle, *a.samples] if s.value <= low])

    @staticmethod
    def _thigh_opened(top, down) -> float:
        """How far the more opening thigh turned away from the trunk line in the image between
        the legs down and the top (degrees; negative: it closed)."""
        return max((median_part(top, f"{leg}_thigh_trunk_deg") - median_part(down, f"{leg}_thigh_trunk_deg")
                    for leg in signals.SIDES), key=lambda v: -math.inf if math.isnan(v) else v)

    def _foot_stayed_down(self, a: Attempt) -> bool:
        """A clamshell: at the top the knee stands well above where it rested before the rep,
        the foot hardly (less than `clamshell_foot_frac` of the knee's rise, along the hip axis).
        A bent-leg raise lifts the foot as far as the knee, a straight leg twice as far."""
        if a.top_s is None or not a.idle:
            return False
        high = a.levels.rest + self.cfg.hold_level_frac * (a.peak - a.levels.rest)
        top = [s for s in a.samples if s.value >= high] or [s for s in a.samples if s.t_s >= a.top_s]
        knee = abs(median_part(top, "knee_gap_m") - median_part(a.idle, "knee_gap_m"))
        foot = abs(median_part(top, "ankle_gap_m") - median_part(a.idle, "ankle_gap_m"))
        if math.isnan(knee) or math.isnan(foot) or not knee > 0:
            return False
        return foot < self.cfg.clamshell_foot_frac * knee

    def judge(self, a: Attempt, counted: bool) -> Verdict:
        c = self.cfg
        if self._posture_fails(a):
            return Verdict(reject="posture", detail=f"not {self.posture_text}")
        if self._trunk_rolled(a):
            return Verdict(reject="posture", detail="the trunk rolled, not the leg")
        top_leg = _top_leg(a)
        lying_on = "right" if top_leg == "left" else "left"
        if not counted:
            return Verdict(side=lying_on, reject="too_small")
        top = [s for s in a.samples if a.top_s is not None and s.t_s >= a.top_s]
        top_knee = np.nanmedian([s.parts.get(f"{top_leg}_knee_deg", math.nan) for s in top] or [math.nan])
        low_knee = np.nanmedian([s.parts.get(f"{lying_on}_knee_deg", math.nan) for s in top] or [math.nan])
        variant = "straight-leg" if top_knee >= c.straight_knee_min_deg else "bent-leg"
        flags = []
        if variant == "straight-leg" and low_knee >= c.straight_knee_min_deg:
            flags.append("bottom_leg_straight")
        if variant == "bent-leg" and self._foot_stayed_down(a):
            flags.append("clamshell")  # counted as the bent-leg raise; "lift the whole leg"
        # "Do not put it down yet": between two reps of a series the legs closed fully, for a while
        # (`put_down_min_s`: MediaPipe mixing the legs up for a few frames reads them closed too).
        if (self._last_side == lying_on and self.counter.reps
                and held_low(a.idle, c.put_down_min_s) <= self._closed.low + c.put_down_margin_deg):
            flags.append("leg_put_down")
        self._last_side = lying_on
        return Verdict(side=lying_on, variant=variant, flags=tuple(flags))


def _top_leg(a: Attempt) -> str:
    """The top leg: the one that moved against the trunk (the person lies on the other)."""
    ranges = {}
    for leg in signals.SIDES:
        v = np.array([s.parts.get(f"{leg}_thigh_trunk_deg", math.nan) for s in a.samples])
        v = v[~np.isnan(v)]
        ranges[leg] = float(v.max() - v.min()) if v.size else -1.0
    return max(ranges, key=ranges.get)


def _same_way_up(samples, sign: float) -> list:
    """The samples whose shoulder line points up or down (`shoulders_y_m`) as `sign` says."""
    return [s for s in samples if np.sign(s.parts.get("shoulders_y_m", math.nan)) == sign]


def levels(plan) -> tuple[Level, ...]:
    return (Level("bent-leg", "side-lying leg raise, top leg bent", plan.side_raise_start_reps,
                  hold_s=plan.side_raise_hold_s, labels={"nl": "been heffen in zijlig, bovenste been gebogen"}),
            Level("straight-leg", "side-lying leg raise, top leg straight and bottom leg bent",
                  plan.harder_start_reps, hold_s=plan.side_raise_hold_s,
                  labels={"nl": "been heffen in zijlig, bovenste been gestrekt en onderste been gebogen"}))


def mark(pose: PoseFrame) -> tuple[Points, str] | None:
    p = pose.image_px
    hip = np.nanmean(p[[L.LEFT_HIP, L.RIGHT_HIP]], axis=0)
    return (p[L.LEFT_KNEE], hip, p[L.RIGHT_KNEE]), "opening"


def view_problem(shoulder_ratio: float, settings: Settings) -> str | None:
    """Lying on the side and seen from the front, the shoulders stack: their image distance is
    still a good part of the trunk; a view along the body shrinks the trunk."""
    c = settings.side_raise
    return None if c.front_view_ratio_min <= shoulder_ratio <= c.along_body_ratio_max else "face_camera"


SIDE_RAISE = register(Exercise(
    name="side-raise", section="side_raise", analysis=SideRaise, signal="thigh_abduction", unit="deg",
    start_position="on_side", levels=levels,
    titles={"en": "Side-lying leg raise", "nl": "Been heffen in zijlig"},
    nouns={"en": ("leg raise", "leg raises"), "nl": ("beenheffing", "beenheffingen")},
    spoken={"en": "side leg raise", "nl": "been zijwaarts heffen"},
    mark=mark, per_side=True, hold_key="side_raise_hold_s", start_key="side_raise_start_reps",
    harder=("straight-leg",), view_problem=view_problem, report_target="target_side",
    colour="tab:orange", aliases=("side_raise", "sideraise"),
    bad_view=("the hips point at the camera (filmed from above: the leg rises towards it)",
              "film from the front, the back or the feet"),
))
