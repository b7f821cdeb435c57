"""The rise counter's levels for the next rise, from what it has learnt of the person's rest (pure)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from posecount.analysis.attempt import Levels
from posecount.analysis.owntop import OwnTop, top_rise
from posecount.settings import CounterSettings, RiseSettings


def rise_levels(c: RiseSettings, tm: CounterSettings, seen: float, typical: float, idle_min: float,
                tops: Sequence[float], own: OwnTop) -> Levels:
    """Levels from the rest `seen` (a low percentile of the readings at rest), their median
    `typical` (NaN if too few), the lowest reading since the last rep `idle_min` (inf if none),
    the side raise's last counted peaks `tops` and the bridge's own top `own`."""
    rest = min(max(seen, c.rest_min_deg), c.rest_max_deg)
    count = min(max(rest + c.count_rise_deg, c.count_min_deg), c.count_max_deg)
    if c.count_top_frac > 0 and tops:  # the side raise: a share of the way to the own top
        count = min(max(rest + top_rise(tops, rest, c.count_top_frac, c.count_top_min_rise_deg),
                        c.count_min_deg), c.count_max_deg)
    span = max(count - rest, 1e-6)
    # The rest is a low percentile (a noisy or hovering rest reads low), but a rise must also
    # clear where the person typically lay: legs crossed for a moment teach a rest far below it,
    # and coming back to where they lay is no raise (sweep9014).
    if typical - rest > 0:
        count = max(count, min(typical + tm.typical_rise_frac * span, c.count_max_deg))
    # The next rise starts where the person rests now: where the last one ended (a side raise's
    # leg hovers between reps), or, before that, the rest seen even if above the limits.
    base = rest
    now = idle_min if math.isfinite(idle_min) else seen
    if now > rest:
        base = min(now, count - tm.hover_base_max_frac * span)
    return Levels(rest=rest, count=count, start=base + c.start_frac * span,
                  abort=base + c.abort_frac * span, end=rest + c.end_frac * span,
                  near_rest=base + c.near_rest_frac * span, report=rest + c.report_min_frac * span,
                  top=own.line(rest))
