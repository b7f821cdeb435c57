"""One Euro filter (Casiez, Roussel & Vogel, CHI 2012): low lag when moving, smooth when still.

Two parameters with a meaning a person can tune:
- `min_cutoff_hz`: cut-off frequency when the signal is still; lower = less jitter, more lag;
- `beta`: how much the cut-off rises with speed (Hz per signal-unit/s); higher = less lag
  on fast moves.
`d_cutoff_hz` smooths the speed estimate itself (1 Hz, as in the paper).
"""

from __future__ import annotations

import math


def _alpha(dt_s: float, cutoff_hz: float) -> float:
    tau = 1.0 / (2.0 * math.pi * cutoff_hz)
    return 1.0 / (1.0 + tau / dt_s)


class OneEuroFilter:
    """Filters one scalar stream sampled at irregular times."""

    def __init__(self, min_cutoff_hz: float = 1.0, beta: float = 0.0, d_cutoff_hz: float = 1.0):
        if min_cutoff_hz <= 0 or d_cutoff_hz <= 0 or beta < 0:
            raise ValueError("One Euro filter needs min_cutoff_hz > 0, d_cutoff_hz > 0, beta >= 0")
        self.min_cutoff_hz, self.beta, self.d_cutoff_hz = min_cutoff_hz, beta, d_cutoff_hz
        self.reset()

    def reset(self) -> None:
        self._t: float | None = None
        self._x = 0.0
        self._dx = 0.0

    def __call__(self, t_s: float, x: float) -> float:
        if math.isnan(x):
            return math.nan  # a missing sample is not filtered into the state
        if self._t is None:
            self._t, self._x, self._dx = t_s, x, 0.0
            return x
        dt = t_s - self._t
        if dt <= 0:  # repeated timestamp: keep the current estimate
            return self._x
        dx = (x - self._x) / dt
        self._dx += _alpha(dt, self.d_cutoff_hz) * (dx - self._dx)
        cutoff = self.min_cutoff_hz + self.beta * abs(self._dx)
        self._x += _alpha(dt, cutoff) * (x - self._x)
        self._t = t_s
        return self._x
