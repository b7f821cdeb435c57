"""Percentiles of the last seconds of a signal, kept sorted as readings come and go.

The counters ask for a percentile of a sliding time window on every frame (the rest level, the
floor under each foot, the leg length). Sorting the window again each time made that the largest
cost of an analysis; here a reading is inserted into and later removed from a sorted list by
bisection, and a percentile is one lookup. The percentile is numpy's default ("linear") method,
computed the same way, so the results are identical to `np.percentile` of the window.
"""

from __future__ import annotations

import math
from bisect import bisect_left, insort
from collections import deque


def linear_percentile(ordered: list[float], pct: float) -> float:
    """`np.percentile(ordered, pct)` of an ascending list without NaN (NaN if empty), same arithmetic."""
    n = len(ordered)
    if n == 0:
        return math.nan
    virtual = (n - 1) * (pct / 100.0)  # numpy's virtual index for the linear method
    if virtual >= n - 1:
        return ordered[-1]
    if virtual < 0:
        return ordered[0]
    below = math.floor(virtual)
    gamma = virtual - below
    above = below + 1
    a, b = ordered[below], ordered[above]
    diff = b - a
    # numpy's lerp: from the nearer end, so that gamma = 1 gives exactly b
    return b - diff * (1.0 - gamma) if gamma >= 0.5 else a + diff * gamma


class RollingWindow:
    """The readings of the last `window_s` seconds (NaN readings are skipped), kept sorted."""

    def __init__(self, window_s: float) -> None:
        self.window_s = window_s
        self._arrived: deque[tuple[float, float]] = deque()
        self._sorted: list[float] = []

    def __len__(self) -> int:
        return len(self._sorted)

    def add(self, t_s: float, value: float) -> None:
        if math.isnan(value):
            return
        self._arrived.append((t_s, value))
        insort(self._sorted, value)
        while self._arrived and self._arrived[0][0] < t_s - self.window_s:
            _, old = self._arrived.popleft()
            del self._sorted[bisect_left(self._sorted, old)]

    def percentile(self, pct: float) -> float:
        """The `pct` percentile of the window (NaN before any reading)."""
        return linear_percentile(self._sorted, pct)

    def clear(self) -> None:
        self._arrived.clear()
        self._sorted.clear()
