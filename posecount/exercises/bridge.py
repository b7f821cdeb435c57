"""The bridge: lying on the back, pelvis up until trunk and thighs are in line, hold 5-10 s.

Measured as the hip's extension (shoulder-hip-knee angle) seen from the side; the harder
level stretches one leg during the hold, left and right in turn.
"""

from __future__ import annotations

import math

import numpy as np

from posecount.analysis import signals
from posecount.analysis.counter import Attempt, Verdict
from posecount.analysis.geometry import angle_deg
from posecount.analysis.rise import RiseExercise
from posecount.analysis.sample_stats import median_direction, median_part, steady_part, turn_deg
from posecount.analysis.signals import Measurement
from posecount.exercises.registry import Exercise, Level, Points, register
from posecount.pose.landmarks import Landmark as L
from posecount.pose.landmarks import PoseFrame
from posecount.settings import BridgeSettings, Settings

TRUNK_LINE = ("trunk_x_px", "trunk_y_px")  # parts: shoulders to hips in the image
DEFAULT_CFG = BridgeSettings()


class Bridge(RiseExercise):
    name = "bridge"
    posture_text = "lying on the back with the knees bent"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._last_stretched: str | None = None

    def measure(self, pose: PoseFrame | None) -> Measurement:
        return signals.bridge(pose, self.cfg, self.settings.tracking.min_quality, self.settings.tracking)

    def _stretched(self, samples, share: float | None = None) -> str | None:
        """The leg held stretched over `samples`: its knee reads straighter than
        `stretch_knee_min_deg`, and than the other knee's median by `stretch_diff_deg`, in at least
        `share` of them (default `stretch_min_share`; that quantile of its angles, not single frames).

        Quantiles, not frame votes: the far leg's knee reads anywhere from 120 to 178 deg
        while it is stretched (MediaPipe half mixes the legs up), so frame by frame it
        passes the limits only now and then, while its quantile stays well apart."""
        c = self.cfg
        high, med = {}, {}
        for leg in ("left", "right"):
            v = [s.parts.get(f"{leg}_knee_deg", math.nan) for s in samples]
            v = [x for x in v if not math.isnan(x)]
            if not v:
                return None
            high[leg] = float(np.quantile(v, 1.0 - (c.stretch_min_share if share is None else share)))
            med[leg] = float(np.median(v))
        leg = max(high, key=high.get)
        other = "right" if leg == "left" else "left"
        if high[leg] >= c.stretch_knee_min_deg and high[leg] - med[other] >= c.stretch_diff_deg:
            return leg
        return None

    def _posture_fails(self, a: Attempt) -> bool:
        """Not the bridge's body shape (knees bent and up) in most frames of the rep and the rest
        before it, or lying on the side. Frames of a leg held stretched and misread
        (`_stretch_misread`) count as the shape: with a leg stretched in the hold (the harder
        level), MediaPipe may mix the legs up and read both knees nearly straight for seconds
        (sweep8000: 5.4 s of a 7 s hold)."""
        need = self.cfg.posture_min_frac
        stretch = self._stretch_misread(a)
        shape = [1.0 if s.t_s in stretch else s.parts.get("shape_ok", 0.0) for s in a.samples]
        idle = [s.parts.get("shape_ok", 0.0) for s in a.idle]
        return (not shape or float(np.mean(shape)) < need or (bool(idle) and float(np.mean(idle)) < need)
                or self._on_the_side(a) or self._legs_swapping(a))

    def _legs_swapping(self, a: Attempt) -> bool:
        """Both legs read as drawn up (`signals.drawn_up_leg`), each in at least `drawn_swap_min_frac`
        of the frames: MediaPipe mixing the legs up (a bent-leg side raise seen from behind and
        above: 0.2-0.33 each), not a single-leg bridge, which holds one leg up (0 of the other)."""
        shares = [np.mean([s.parts.get(f"{leg}_drawn_up", 0.0) for s in a.samples]) if a.samples else 0.0
                  for leg in ("left", "right")]
        return min(shares) >= self.cfg.drawn_swap_min_frac

    def _stretch_misread(self, a: Attempt) -> set[float]:
        """The times of the hold's frames within spans of at least `stretch_misread_min_s` (gaps
        under 0.5 s bridged) that read both knees nearly straight with the trunk lying across
        the image: a leg held stretched (the harder level) while MediaPipe mixes the legs up. A
        side raise or clamshell read so holds for 3 s at most (sweep2003: 1.3 s)."""
        c = self.cfg
        hold = [s for s in a.samples if _in_hold(a, s.t_s)]
        hits = [s.t_s for s in hold if _lying(s) and s.parts.get("support_knee_deg", math.nan) > c.knee_bent_max_deg]
        spans, found = [], set()
        for t in hits:
            if spans and t - spans[-1][1] <= 0.5:
                spans[-1][1] = t
            else:
                spans.append([t, t])
        for t0, t1 in spans:
            if t1 - t0 >= c.stretch_misread_min_s:
                found.update(s.t_s for s in hold if t0 <= s.t_s <= t1)
        return found

    def _on_the_side(self, a: Attempt) -> bool:
        """Lying on the side, seen from the front or back: the shoulders and hips apart across
        the trunk in most frames (`side_stacked_min`), and the rep is not a pelvis lift. A bridge
        filmed obliquely from above spreads them as much, but between its rest and its top the
        pelvis rises towards the knees' side (`side_lift_min`, thigh lengths) and the trunk
        turns in the image (`side_trunk_turn_min_deg`); a leg raised on the side does neither."""
        c = self.cfg
        if not steady_part([*a.idle, *a.samples], "stacked") >= c.side_stacked_min:
            return False
        if a.top_s is None:
            return True
        start = a.levels.rest + c.start_frac * (a.peak - a.levels.rest)
        down = [*a.idle, *(s for s in a.samples if s.t_s < a.top_s and s.value <= start)]
        top = [s for s in a.samples if _in_hold(a, s.t_s)]
        lift = median_part(top, "hip_off") - median_part(down, "hip_off")
        turn = turn_deg(median_direction(down, TRUNK_LINE), median_direction(top, TRUNK_LINE))
        return not (lift >= c.side_lift_min and turn >= c.side_trunk_turn_min_deg)

    def judge(self, a: Attempt, counted: bool) -> Verdict:
        if self._posture_fails(a):
            return Verdict(reject="posture", detail=f"not {self.posture_text}")
        if not counted:
            return Verdict(reject="not_high_enough")
        top = [s for s in a.samples if _in_hold(a, s.t_s)]
        leg = self._stretched(top)
        variant, side, flags = None, None, []
        if leg is None and self._stretch_misread(a):
            # A leg held stretched, which one cannot be read: the alternation starts afresh.
            variant, self._last_stretched = "leg-stretch", None
        if leg is not None:
            # Stretched at rest too, most of the time (not only in part of the hold): one leg kept straight.
            variant = "single-leg" if self._stretched(a.idle, share=0.5) == leg else "leg-stretch"
            side = leg
            if variant == "leg-stretch":
                if self._last_stretched == leg:
                    flags.append("not_alternating")
                self._last_stretched = leg
        elif (drawn := _drawn_up(top)) is not None:
            variant, side = "single-leg", drawn
        return Verdict(side=side, variant=variant, flags=tuple(flags))


def _drawn_up(samples) -> str | None:
    """The leg held drawn up off the floor in most of `samples` (a single-leg bridge), if one is."""
    for leg in ("left", "right"):
        v = [s.parts.get(f"{leg}_drawn_up", 0.0) for s in samples]
        if v and float(np.mean(v)) > 0.5:
            return leg
    return None


def _in_hold(a: Attempt, t_s: float) -> bool:
    """`t_s` lies in the attempt's hold (from its top to the hold's end, or on while it lasts)."""
    return a.top_s is not None and t_s >= a.top_s and (a.hold_end_s is None or t_s <= a.hold_end_s)


def _lying(s) -> bool:
    """The trunk lies across the image (shoulders to hips at least 60 deg from the vertical)."""
    x, y = s.parts.get(TRUNK_LINE[0], math.nan), s.parts.get(TRUNK_LINE[1], math.nan)
    return bool(abs(x) >= math.tan(math.radians(60.0)) * abs(y))


def levels(plan) -> tuple[Level, ...]:
    return (Level("basic", "bridge", plan.bridge_start_reps, hold_s=plan.bridge_hold_s,
                  labels={"nl": "bruggetje"}),
            Level("leg-stretch", "bridge, stretching the left and right leg in turn",
                  plan.harder_start_reps, hold_s=plan.bridge_hold_s,
                  labels={"nl": "bruggetje, om en om je linker- en rechterbeen gestrekt"}))


def support_points(pose: PoseFrame, cfg: BridgeSettings = DEFAULT_CFG) -> tuple[str, Points] | None:
    """The supporting leg's shoulder, hip and knee: the bent leg if one is stretched (the knees
    differ by more than `support_diff_deg`), the other if one is drawn up (`signals.lifted_leg`),
    as in the measurement; else the side seen best (the side nearer the camera)."""
    p = pose.image_px
    found = {}
    for side in ("left", "right"):
        up = side.upper()
        s, h, k, a = (L[f"{up}_{j}"] for j in ("SHOULDER", "HIP", "KNEE", "ANKLE"))
        if np.isnan(p[[s, h, k]]).any():
            continue
        seen = float(np.min(np.nan_to_num(pose.visibility[[s, h, k, a]])))
        found[side] = (angle_deg(p[h], p[k], p[a]), seen, (p[s], p[h], p[k]))
    if not found:
        return None
    knees = [v[0] for v in found.values()]
    if len(found) == 2 and not np.isnan(knees).any() and abs(knees[0] - knees[1]) > cfg.support_diff_deg:
        side = min(found, key=lambda x: found[x][0])
    elif len(found) == 2 and (lifted := _lifted(pose, cfg)) is not None:
        side = "right" if lifted == "left" else "left"
    else:
        side = max(found, key=lambda x: found[x][1])
    return side, found[side][2]


def _lifted(pose: PoseFrame, cfg: BridgeSettings) -> str | None:
    """The leg the measurement takes as drawn up off the floor in `pose`, if one is."""
    q = signals.point_quality(pose, signals.DEFAULT_TRACKING.frame_margin_frac)
    sides = {s: signals.bridge_side(pose, s, q) for s in ("left", "right")}
    p = pose.image_px
    trunk = (p[L.LEFT_HIP] + p[L.RIGHT_HIP]) / 2 - (p[L.LEFT_SHOULDER] + p[L.RIGHT_SHOULDER]) / 2
    return signals.lifted_leg(sides, trunk, cfg)


def mark(pose: PoseFrame) -> tuple[Points, str] | None:
    found = support_points(pose)
    return None if found is None else (found[1], "hip")


def view_problem(shoulder_ratio: float, settings: Settings) -> str | None:
    return "turn_side" if shoulder_ratio > settings.bridge.side_view_ratio_max else None


BRIDGE = register(Exercise(
    name="bridge", section="bridge", analysis=Bridge, signal="hip_extension", unit="deg",
    start_position="on_back", levels=levels,
    titles={"en": "Bridge", "nl": "Bruggetje"},
    nouns={"en": ("bridge", "bridges"), "nl": ("bruggetje", "bruggetjes")},
    spoken={"en": "bridge", "nl": "de brug"},
    mark=mark, hold_key="bridge_hold_s", start_key="bridge_start_reps",
    harder=("leg-stretch", "single-leg"), variantless_reps_count=True, view_problem=view_problem,
    colour="tab:blue",
))
