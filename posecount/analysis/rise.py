"""The shared plumbing of the exercises measured as one rising signal (bridge, side raise).

A `RiseExercise` turns a `PoseFrame` into a `Measurement` (signals.py), takes the median of
the last readings, smooths it (One Euro), feeds its `RiseCounter` and lets the exercise judge
each finished attempt against the leaflet's rules (posture, variant, faults).
"""

from __future__ import annotations

import math
from dataclasses import asdict

import numpy as np

from posecount.analysis.counter import Attempt, RiseCounter, Verdict
from posecount.analysis.events import Event, Rep
from posecount.analysis.signals import Measurement
from posecount.analysis.smoothing import OneEuroFilter
from posecount.settings import Settings


def posture_share(samples) -> float:
    return float(np.mean([s.posture_ok for s in samples])) if samples else math.nan


class RiseExercise:
    """Shared plumbing of the one-signal exercises (bridge, side raise)."""

    name = ""
    posture_text = ""
    needs_gravity = False  # lying is told from the image's vertical

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cfg = getattr(settings, self.name.replace("-", "_"))
        self.filter = OneEuroFilter(self.cfg.min_cutoff_hz, self.cfg.beta, self.cfg.d_cutoff_hz)
        self._recent: list[tuple[float, float]] = []  # (t_s, reading) for the median
        self.counter = RiseCounter(self.cfg, self.judge, settings.tracking.set_break_s, settings.counter)

    @property
    def reps(self) -> list[Rep]:
        return self.counter.reps

    def feed(self, t_s: float, m: Measurement) -> tuple[list[Event], float, float]:
        # Median of the recent readings first (tracking.median_window_s: one-frame mix-ups).
        self._recent.append((t_s, m.value))
        tr = self.settings.tracking
        while len(self._recent) > tr.median_min_readings and self._recent[0][0] < t_s - tr.median_window_s:
            del self._recent[0]
        median = _median([v for _, v in self._recent])
        smooth = self.filter(t_s, median)
        return self.counter.update(t_s, smooth, m.posture_ok, m.parts, median, m.value), m.value, smooth

    def gap_limit_s(self, default_s: float) -> float:
        """How long the person may be lost before counting pauses: longer while a rep is under
        way, whose start was seen (`counter.attempt_gap_max_s`)."""
        return self.counter.gap_limit_s(default_s)

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
        return {**asdict(self.cfg), "personal_rest": round(lv.rest, 2), "personal_count": round(lv.count, 2),
                "counter": asdict(self.settings.counter)}

    def _posture_fails(self, a: Attempt) -> bool:
        share = posture_share(a.samples)
        idle = posture_share(a.idle)
        need = self.cfg.posture_min_frac
        return share < need or (not math.isnan(idle) and idle < need)

    def judge(self, a: Attempt, counted: bool) -> Verdict:  # pragma: no cover - overridden
        raise NotImplementedError


def _median(values: list[float]) -> float:
    """`np.median` of a few readings (NaN if any is NaN), without numpy's cost for a tiny list."""
    if any(math.isnan(v) for v in values):
        return math.nan
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
