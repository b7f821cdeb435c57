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
        self._frames: deque[tuple[float, float, float]] = deque()  # (t_s, feet, knees)

    def add(self, t_s: float, feet: float, knees: float) -> None:
        """One frame's gaps (NaN: not read)."""
        self._frames.append((t_s, feet, knees))
        while self._frames[0][0] < t_s - self.memory_s:
            self._frames.popleft()

    def _between(self, t0: float, t1: float, knees: bool) -> list[float]:
        gaps = (fr[2 if knees else 1] for fr in self._frames if t0 <= fr[0] <= t1)
        return [g for g in gaps if not math.isnan(g)]

    def widest(self, t0: float, t1: float, knees: bool = False) -> Gap:
        """The widest gap from t0 to t1 (feet, or knees); zero without readings."""
        gaps = self._between(t0, t1, knees)
        if not gaps:
            return Gap(0.0, 0.0)
        g = max(gaps, key=abs)
        return Gap(abs(g), g)

    def first_apart(self, t0: float, t1: float, feet_min: float, knees_min: float) -> tuple[str, float] | None:
        """The side ("left", "right"), and when, that stood above the other first in the last excursion from
        level between t0 and t1: by at least `feet_min` at the feet or `knees_min` at the knees,
        after both gaps were last under half their limits; None if none. So the gap left by the
        last step down is not the next step's lead, and a level frame at the climb itself (seen
        from the front both feet rise with the pelvis) does not forget it."""
        lead, armed = None, True
        for t, feet, knees in self._frames:
            if not t0 <= t <= t1:
                continue
            f = 0.0 if math.isnan(feet) else feet
            k = 0.0 if math.isnan(knees) else knees
            if abs(f) < feet_min / 2 and abs(k) < knees_min / 2:
                armed = True  # level: the next excursion is a new one
            elif armed and (abs(f) >= feet_min or abs(k) >= knees_min):
                g = f if abs(f) >= feet_min else k
                lead, armed = ("left" if g > 0 else "right", t), False
        return lead
