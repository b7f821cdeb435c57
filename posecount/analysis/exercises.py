"""The leaflet's three exercises as data + small functions: what to measure, how to judge a rep.

Each exercise turns a `PoseFrame` into a `Measurement` (signals.py), smooths it, feeds its
counter and judges finished attempts against the leaflet's rules (posture, variant, faults).
"""

from __future__ import annotations

import math
from dataclasses import asdict

import numpy as np

from posecount.analysis import signals
from posecount.analysis.counter import Attempt, RiseCounter, Verdict
from posecount.analysis.events import Event, Rep
from posecount.analysis.signals import Measurement
from posecount.analysis.smoothing import OneEuroFilter
from posecount.analysis.stepping import StepCounter
from posecount.pose.landmarks import PoseFrame
from posecount.settings import Settings


def _posture_share(samples) -> float:
    return float(np.mean([s.posture_ok for s in samples])) if samples else math.nan


class _RiseExercise:
    """Shared plumbing of the one-signal exercises (bridge, side raise)."""

    name = ""
    posture_text = ""
    needs_gravity = False  # lying is told from the image's vertical

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cfg = getattr(settings, self.name.replace("-", "_"))
        self.filter = OneEuroFilter(self.cfg.min_cutoff_hz, self.cfg.beta)
        self._recent: list[tuple[float, float]] = []  # (t_s, reading) for the median
        self.counter = RiseCounter(self.cfg, self.judge, settings.tracking.set_break_s)

    @property
    def reps(self) -> list[Rep]:
        return self.counter.reps

    def feed(self, t_s: float, m: Measurement) -> tuple[list[Event], float, float]:
        # Median of the recent readings first (tracking.median_window_s: one-frame mix-ups).
        self._recent.append((t_s, m.value))
        while len(self._recent) > 3 and self._recent[0][0] < t_s - self.settings.tracking.median_window_s:
            del self._recent[0]
        median = float(np.median([v for _, v in self._recent]))
        smooth = self.filter(t_s, median)
        return self.counter.update(t_s, smooth, m.posture_ok, m.parts, median), m.value, smooth

    def pause(self, t_s: float) -> list[Event]:
        self.filter.reset()
        self._recent.clear()
        return self.counter.pause(t_s)

    def finish(self, t_s: float) -> list[Event]:
        return self.counter.finish(t_s)

    def gauge_levels(self) -> tuple[float, float]:
        """The rest and counting levels of the signal now (for a live bar)."""
        lv = self.counter.levels()
        return lv.rest, lv.count

    def thresholds(self) -> dict:
        lv = self.counter.levels()
        return {**asdict(self.cfg), "personal_rest": round(lv.rest, 2), "personal_count": round(lv.count, 2)}

    def _posture_fails(self, a: Attempt) -> bool:
        share = _posture_share(a.samples)
        idle = _posture_share(a.idle)
        need = self.cfg.posture_min_frac
        return share < need or (not math.isnan(idle) and idle < need)

    def judge(self, a: Attempt, counted: bool) -> Verdict:  # pragma: no cover - overridden
        raise NotImplementedError


class Bridge(_RiseExercise):
    name = "bridge"
    posture_text = "lying on the back with the knees bent"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._last_stretched: str | None = None

    def measure(self, pose: PoseFrame | None) -> Measurement:
        return signals.bridge(pose, self.cfg, self.settings.tracking.min_quality)

    def _stretched(self, samples) -> str | None:
        """The leg held stretched over `samples`, from each knee's median angle.

        Medians, not frame votes: the far leg's knee reads anywhere from 120 to 178 deg
        while it is stretched (MediaPipe half mixes the legs up), so frame by frame it
        passes the limits only now and then, while its median stays well apart."""
        c = self.cfg
        med = {}
        for leg in ("left", "right"):
            v = [s.parts.get(f"{leg}_knee_deg", math.nan) for s in samples]
            v = [x for x in v if not math.isnan(x)]
            med[leg] = float(np.median(v)) if v else math.nan
        if any(math.isnan(x) for x in med.values()):
            return None
        leg = max(med, key=med.get)
        other = "right" if leg == "left" else "left"
        if med[leg] >= c.stretch_knee_min_deg and med[leg] - med[other] >= c.stretch_diff_deg:
            return leg
        return None

    def judge(self, a: Attempt, counted: bool) -> Verdict:
        if self._posture_fails(a):
            return Verdict(reject="posture", detail=f"not {self.posture_text}")
        if not counted:
            return Verdict(reject="not_high_enough")
        top = [s for s in a.samples if a.top_s is not None and s.t_s >= a.top_s
               and (a.hold_end_s is None or s.t_s <= a.hold_end_s)]
        leg = self._stretched(top)
        variant, side, flags = None, None, []
        if leg is not None:
            variant = "single-leg" if self._stretched(a.idle) == leg else "leg-stretch"
            side = leg
            if variant == "leg-stretch":
                if self._last_stretched == leg:
                    flags.append("not_alternating")
                self._last_stretched = leg
        return Verdict(side=side, variant=variant, flags=tuple(flags))


class SideRaise(_RiseExercise):
    name = "side-raise"
    posture_text = "lying on the side"
    needs_gravity = True  # lying is told from the image's vertical (a standing leg raise is not this)

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._closed_min = math.inf  # the most closed the legs have been: "leg down"
        self._last_side: str | None = None

    def measure(self, pose: PoseFrame | None) -> Measurement:
        m = signals.side_raise(pose, self.cfg, self.settings.tracking.min_quality)
        return m

    def feed(self, t_s: float, m: Measurement) -> tuple[list[Event], float, float]:
        events, raw, smooth = super().feed(t_s, m)
        if not math.isnan(smooth):
            self._closed_min = min(self._closed_min, smooth)
        return events, raw, smooth

    def _posture_fails(self, a: Attempt) -> bool:
        """Lying on the side, judged over the whole attempt and the rest before it: the
        shoulders and hips one above the other in the median frame (frame by frame, the spread
        flickers around its limit with a shaky camera), and lying down or legs bent in most
        frames."""
        samples = [*a.idle, *a.samples]
        stacked = [s.parts.get("stacked", math.nan) for s in samples]
        lying = [s.parts.get("lying_or_bent", math.nan) for s in samples]
        if all(math.isnan(v) for v in stacked) or all(math.isnan(v) for v in lying):
            return super()._posture_fails(a)
        return bool(np.nanmedian(stacked) < self.cfg.stacked_min
                    or np.nanmean(lying) < self.cfg.posture_min_frac)

    def judge(self, a: Attempt, counted: bool) -> Verdict:
        c = self.cfg
        if self._posture_fails(a):
            return Verdict(reject="posture", detail=f"not {self.posture_text}")
        # The top leg is the one that moved against the trunk; the person lies on the other.
        ranges = {}
        for leg in signals.SIDES:
            v = np.array([s.parts.get(f"{leg}_thigh_trunk_deg", math.nan) for s in a.samples])
            v = v[~np.isnan(v)]
            ranges[leg] = float(v.max() - v.min()) if v.size else -1.0
        top_leg = max(ranges, key=ranges.get)
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
        # "Do not put it down yet": between two reps of a series the legs closed fully.
        if (self._last_side == lying_on and self.counter.reps
                and a.idle_min <= self._closed_min + c.put_down_margin_deg):
            flags.append("leg_put_down")
        self._last_side = lying_on
        return Verdict(side=lying_on, variant=variant, flags=tuple(flags))


class StepUp:
    name = "step-up"
    posture_text = "standing upright"
    needs_gravity = True  # heights are measured along the image's vertical

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cfg = settings.step_up
        self.counter = StepCounter(self.cfg, settings.tracking.set_break_s)

    @property
    def reps(self) -> list[Rep]:
        return self.counter.reps

    def measure(self, pose: PoseFrame | None) -> Measurement:
        return signals.step_up(pose, self.cfg, self.settings.tracking.min_quality)

    def feed(self, t_s: float, m: Measurement) -> tuple[list[Event], float, float]:
        events = self.counter.update(t_s, m.parts, m.posture_ok)
        r = self.counter.last
        top = max(r.left, r.right)  # already smoothed per foot
        return events, top, top

    def pause(self, t_s: float) -> list[Event]:
        return self.counter.pause(t_s)

    def finish(self, t_s: float) -> list[Event]:
        return self.counter.finish(t_s)

    def gauge_levels(self) -> tuple[float, float]:
        """Foot height above the floor, in leg lengths: 0 at rest, counting from `up_leglen`."""
        return 0.0, float(self.cfg.up_leglen)

    def thresholds(self) -> dict:
        return asdict(self.cfg)


