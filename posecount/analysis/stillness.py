"""Whether a signal has stayed still: the readings of the last few tenths of a second in a band."""

from __future__ import annotations

from collections import deque


class StillWindow:
    """The readings of the last `window_s` seconds. Still: they cover (nearly) the whole window
    and lie within a band. A pause in the readings longer than the window starts it afresh."""

    def __init__(self, window_s: float) -> None:
        self.window_s = window_s
        self._readings: deque[tuple[float, float]] = deque()

    def add(self, t_s: float, value: float) -> None:
        w = self._readings
        if w and t_s - w[-1][0] > self.window_s:
            w.clear()
        w.append((t_s, value))
        while w[0][0] < t_s - self.window_s:
            w.popleft()

    def still(self, band: float) -> bool:
        w = self._readings
        if not w or w[-1][0] - w[0][0] < 0.8 * self.window_s:
            return False
        values = [v for _, v in w]
        return max(values) - min(values) <= band

    def clear(self) -> None:
        self._readings.clear()
