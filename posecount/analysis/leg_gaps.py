"""How far apart the two feet, and the two knees, have been lately: a step-up goes one foot at a
time, so on the way up (and down) one foot, and the knee lifting it, stands above the other.

Pure bookkeeping over the last few seconds of (time, left minus right) readings in leg lengths.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class Gap:
    width: float  # the widest gap, unsigned
    signed: float  # the same, left higher: positive


class LegGaps:
    """Recent left-minus-right heights of the feet and of the knees (leg lengths)."""

    def __init__(self, memory_s: float) -> None:
        self.memory_s = memory_s
        self._feet: deque[tuple[float, float]] = deque()
        self._knees: deque[tuple[float, float]] = deque()

    def add(self, t_s: float, feet: float, knees: float) -> None:
        """One frame's gaps (NaN: not read)."""
        for gaps, g in ((self._feet, feet), (self._knees, knees)):
            gaps.append((t_s, g))
            while gaps and gaps[0][0] < t_s - self.memory_s:
                gaps.popleft()

    def _between(self, t0: float, t1: float, knees: bool) -> list[tuple[float, float]]:
        return [(t, g) for t, g in (self._knees if knees else self._feet) if t0 <= t <= t1 and not math.isnan(g)]

    def widest(self, t0: float, t1: float, knees: bool = False) -> Gap:
        """The widest gap from t0 to t1 (feet, or knees); zero without readings."""
        gaps = [g for _, g in self._between(t0, t1, knees)]
        if not gaps:
            return Gap(0.0, 0.0)
        g = max(gaps, key=abs)
        return Gap(abs(g), g)

    def first_apart(self, t0: float, t1: float, feet_min: float, knees_min: float) -> str | None:
        """The side ("left", "right") that first stood above the other from t0 to t1, by at least
        `feet_min` at the feet or `knees_min` at the knees, whichever came first; None if neither."""
        first = [next(((t, g) for t, g in self._between(t0, t1, knees) if abs(g) >= limit), None)
                 for knees, limit in ((False, feet_min), (True, knees_min))]
        seen = [x for x in first if x is not None]
        if not seen:
            return None
        _, g = min(seen)
        return "left" if g > 0 else "right"
