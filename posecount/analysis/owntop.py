"""The person's own top of a one-signal exercise (the bridge): where a rise short of the counting
level still counts, flagged, because it came most of the way to what this person reaches.

Pure bookkeeping for `RiseCounter` (`top_frac` in the settings; 0: off).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

TOPS_KEPT = 5  # the side raise's own top: the median peak of this many last counted reps


def top_rise(tops, rest: float, frac: float, min_rise: float) -> float:
    """The side raise's required rise once the person's own top is known (the median of `tops`, the
    peaks of their last counted reps): `frac` of the way from `rest` to it, at least `min_rise`. A
    half-raise between full ones is then not a rep, and a leg that hovers between raises (the rest
    learnt up there) still counts, whatever the view does to the signal's scale."""
    return max(frac * (float(np.median(tops)) - rest), min_rise)


class OwnTop:
    """The median peak of the repetitions counted at the counting level, and the line `frac` of
    the way to it from a rest; `shallow` keeps the attempts found too shallow before the first."""

    def __init__(self, frac: float) -> None:
        self.frac = frac
        self.peaks: list[float] = []
        self.top = -math.inf  # the median of `peaks` (kept: `line` is asked every frame)
        self.shallow: list[tuple[Any, float, Any]] = []  # (attempt, end_s, its Rejected)

    @property
    def known(self) -> bool:
        return bool(self.peaks)

    def add(self, peak: float) -> None:
        """A repetition counted at the counting level, with this peak."""
        self.peaks.append(peak)
        self.top = float(np.median(self.peaks))

    def line(self, rest: float, top: float | None = None) -> float:
        """Where a rise from `rest` comes `frac` of the way to `top` (default: the person's own);
        inf while unknown, or with `frac` 0."""
        top = self.top if top is None else top
        if self.frac <= 0 or not math.isfinite(top) or top <= rest:
            return math.inf
        return rest + self.frac * (top - rest)
