"""Where a repetition's hold and lowering end, from its own peak, and a dip too short to be a lowering.

MediaPipe now and then mixes the legs up for a few frames in a hold (a side raise's top leg
read as closed, or in between). A median over `tracking.median_window_s` removes such a
mix-up only while it is shorter than half the window, and a mix-up lasts a number of frames,
not of seconds: at half tempo it lasts twice as long, and resampling to a higher frame rate
adds readings blended between the mixed-up and the true pose at both of its ends. The reading
then drops under the end level and comes straight back, and the hold was counted as two
repetitions. A leg that is really lowered stays down for a while (at least its own turn at
the bottom); so, with `min_dip_s` set, a repetition below its end level is not over until it
has stayed down that long or reached the rest position; if it comes back up to its hold
before that, the hold goes on, and if not, its bottom is looked for from the end of the wait
on (the lowest reading during the wait may be the mix-up's).
"""

from __future__ import annotations

import math

from posecount.analysis.attempt import Attempt, Sample
from posecount.settings import RiseSettings

SEEN_STEP_MAX_S = 0.1  # a frame interval at the lowest frame rate measured (10 fps)
BACK_IN_HOLD_READINGS = 2  # frames read at the hold during a dip that end it (see `back_in_hold`)


def hold_level(a: Attempt, cfg: RiseSettings) -> float:
    """The top is left below the counting level, or well below this rep's own peak (so a leg
    lowered to hover just under the counting level still ends its hold)."""
    lv = a.levels
    return max(min(lv.count, lv.top), lv.rest + cfg.hold_level_frac * (a.peak - lv.rest))


def end_level(a: Attempt, cfg: RiseSettings) -> float:
    """Down again: below the end level, or well down from this rep's own peak (a hovering leg
    between side raises never gets back to the rest level)."""
    return max(a.levels.end, a.levels.rest + cfg.end_frac * (a.peak - a.levels.rest))


def _unlagged(s: Sample) -> float:
    """The higher of the smoothed reading and the one before smoothing: after a mix-up next to
    lost frames the smoothed value lags behind a leg that is up again."""
    return s.value if math.isnan(s.raw) else max(s.value, s.raw)


def _read_high(x: Sample) -> float:
    """The highest of the smoothed, the unsmoothed and the frame's own reading: when MediaPipe
    reads the hold and a mix-up in turn, a frame of its own at the hold shows the leg still up."""
    return _unlagged(x) if math.isnan(x.reading) else max(_unlagged(x), x.reading)


def _first_at_rest_s(a: Attempt, after_s: float) -> float | None:
    """The time of the attempt's first reading at the rest position from `after_s` on (None: none)."""
    return next((x.t_s for x in a.samples if x.t_s >= after_s and _unlagged(x) <= a.levels.near_rest), None)


def descent_s(a: Attempt, s: Sample, cfg: RiseSettings) -> float:
    """How long the reading took from its last value at the hold level to its first at the rest
    position in this lowering (`s`, the reading now, counts as at rest)."""
    high = hold_level(a, cfg)
    last_high = next((x.t_s for x in reversed(a.samples) if _read_high(x) >= high), None)
    reached = _first_at_rest_s(a, -math.inf if last_high is None else last_high)
    reached = s.t_s if reached is None else reached
    if last_high is None:
        last_high = a.hold_end_s if a.hold_end_s is not None else reached
    return seen_between(a, last_high, reached)


def dip_too_short(a: Attempt, s: Sample, cfg: RiseSettings) -> bool:
    """True while a counted rep that went below its end level has not stayed down `min_dip_s`
    and is not back at the rest position after a descent of at least `min_lower_to_rest_s`: it
    may be a mix-up, not a lowering."""
    if a.top_s is None:
        return False
    since = a.closing_since if a.closing_since is not None else s.t_s
    # Back at rest ends the wait, unless it got there faster than a leg is lowered: a mix-up
    # next to lost frames jumps from the hold to the rest, and may then read the legs closed
    # for a while (frames lost in between). The descent is timed from the last reading at the
    # hold to the first at rest, not to now.
    at_rest = _unlagged(s) <= a.levels.near_rest and descent_s(a, s, cfg) >= cfg.min_lower_to_rest_s
    return not at_rest and seen_between(a, since, s.t_s) < cfg.min_dip_s


def seen_between(a: Attempt, t0: float, t1: float) -> float:
    """How long the attempt's readings from `t0` to `t1` were seen: a stretch of frames not
    measured (lost, or the legs mixed up beyond use) counts no longer than `SEEN_STEP_MAX_S`. A
    dip is a lowering only if the leg was seen down that long."""
    times = [t0, *(x.t_s for x in a.samples if t0 < x.t_s < t1), t1]
    return sum(min(u1 - u0, SEEN_STEP_MAX_S) for u0, u1 in zip(times, times[1:]))


def wait_over(a: Attempt, s: Sample, cfg: RiseSettings) -> None:
    """At the first reading after the wait (`dip_too_short`), the bottom is looked for from here
    on: the lowest reading during the wait may be the mix-up's."""
    if a.top_s is None or a.closing_since is None or not a.samples or cfg.min_dip_s <= 0:
        return
    before = seen_between(a, a.closing_since, a.samples[-1].t_s)
    if before < cfg.min_dip_s <= seen_between(a, a.closing_since, s.t_s):
        a.bottom, a.bottom_s = s.value, s.t_s


def back_in_hold(a: Attempt, s: Sample, cfg: RiseSettings) -> bool:
    """True, and the attempt is no longer closing, when a dip that was too short to be a
    lowering came back up to the hold (`hold_level`): the hold goes on.

    Back up means the median reading at the hold, or `BACK_IN_HOLD_READINGS` frames' own
    readings there since the dip began: when MediaPipe mixes the legs up in every other frame
    the median follows the mix-up, while a leg really lowered is not read at its hold twice."""
    high = hold_level(a, cfg)
    if _unlagged(s) < high and _frames_at(a, s, high) < BACK_IN_HOLD_READINGS:
        return False
    a.closing_since, a.bottom, a.bottom_s = None, float("inf"), None
    return True


def _frames_at(a: Attempt, s: Sample, high: float) -> int:
    """How many frames since the dip began (`s` included) read at least `high` themselves."""
    since = a.closing_since if a.closing_since is not None else s.t_s
    frames = [x for x in a.samples if x.t_s >= since and x is not s] + [s]
    return sum(1 for x in frames if not math.isnan(x.reading) and x.reading >= high)


def back_at_rest_s(a: Attempt, end_s: float) -> float:
    """When the leg first came back to rest in the lowering that ended the rep (its end at the
    latest): a rep's length for `min_rep_s`, which the wait for a mix-up must not stretch."""
    back = None if a.closing_since is None else _first_at_rest_s(a, a.closing_since)
    return end_s if back is None else min(back, end_s)
