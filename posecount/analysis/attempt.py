"""What the rise counter keeps of a repetition while it lasts: its samples, levels and timings."""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Sample:
    t_s: float
    value: float  # smoothed as it came in (causal: it lags)
    posture_ok: bool
    parts: dict[str, float]
    raw: float = math.nan  # the reading before the causal smoothing (nan: not given)
    reading: float = math.nan  # this frame's own reading, before the median too (nan: not given)


@dataclass(frozen=True)
class Levels:
    rest: float
    count: float
    start: float
    abort: float
    end: float
    near_rest: float
    report: float
    top: float = math.inf  # a rise counts from min(count, top): `top_frac` of the way to the person's own top


@dataclass
class Attempt:
    """A rise in progress (mutable while it lasts)."""

    start_s: float
    levels: Levels
    idle: list[Sample]
    samples: list[Sample] = field(default_factory=list)
    top_s: float | None = None
    hold_s: float = 0.0
    hold_end_s: float | None = None
    peak: float = -math.inf
    bottom_s: float | None = None
    bottom: float = math.inf
    closing_since: float | None = None
    settling: bool = False  # begun before any rest was learnt: levels from the source's first reading
