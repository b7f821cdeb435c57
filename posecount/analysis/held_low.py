"""The lowest level a signal held for a while: a few misread frames are not a resting leg."""

from __future__ import annotations

import math
from collections import deque


class HeldLow:
    """Streaming: the lowest level the readings stayed at or under for at least `min_s` (the
    smallest maximum over any stretch that long; inf until one was seen). NaN readings are left out."""

    def __init__(self, min_s: float) -> None:
        self.min_s = min_s
        self.low = math.inf
        self._window: deque[tuple[float, float]] = deque()

    def add(self, t_s: float, value: float) -> None:
        if math.isnan(value):
            return
        w = self._window
        w.append((t_s, value))
        while len(w) > 1 and w[1][0] <= t_s - self.min_s:
            w.popleft()  # the window still spans `min_s` without its first reading
        if t_s - w[0][0] >= self.min_s:
            self.low = min(self.low, max(v for _, v in w))


def held_low(samples, min_s: float) -> float:
    """`HeldLow` over `samples` (with `t_s` and `value`)."""
    h = HeldLow(min_s)
    for s in samples:
        h.add(s.t_s, s.value)
    return h.low
