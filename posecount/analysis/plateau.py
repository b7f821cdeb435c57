"""When a hold starts and ends: the top plateau of one repetition's signal.

People rise and lower with a bell-shaped speed: fast in the middle, slow at both ends. A
band under the peak ("the top 15 % of the range") therefore also takes in the slow last part
of the rise and the slow first part of the lowering: with a 2 s rise that is about 0.5 s on
each side of the real hold. Here the hold starts where the rise has slowed to a small share of
its own top speed and ends where the lowering reaches that share of its speed, both looked
for inside the band. The speed is the slope of a straight line fitted over a short window,
which keeps landmark jitter (1-2 degrees a frame) far below the speeds that matter.

Pure numpy; no state.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from posecount.analysis.attempt import Attempt
from posecount.settings import CounterSettings, RiseSettings

_DEFAULTS = CounterSettings()  # [counter] plateau_smooth_s, plateau_slope_window_s


@dataclass(frozen=True)
class Plateau:
    """The top of one repetition (seconds), and where the movement to and from it is seen to
    start and end: leaving the bottom band (the same share of the range as the top band,
    measured from the rest before the rise) and entering it again after the lowering (measured
    from the lowest point after it, for a leg that hovers instead of resting)."""

    start_s: float
    end_s: float
    rise_from_s: float | None = None
    lowered_by_s: float | None = None

    @property
    def hold_s(self) -> float:
        return max(0.0, self.end_s - self.start_s)

    @property
    def rise_s(self) -> float | None:
        return None if self.rise_from_s is None else max(0.0, self.start_s - self.rise_from_s)

    @property
    def lower_s(self) -> float | None:
        return None if self.lowered_by_s is None else max(0.0, self.lowered_by_s - self.end_s)


def moving_average(vs: np.ndarray, k: int) -> np.ndarray:
    """Centred moving average over k samples, edges padded with the end values."""
    if k <= 1 or vs.size < 2:
        return vs.astype(float)
    pad = np.pad(vs.astype(float), (k // 2, k - 1 - k // 2), mode="edge")
    return np.convolve(pad, np.ones(k) / k, mode="valid")


def local_slope(ts: np.ndarray, vs: np.ndarray, window_s: float) -> np.ndarray:
    """Per sample, the slope (units/s) of a least-squares line through the samples within
    ±window_s/2 (fewer at the ends)."""
    n = ts.size
    out = np.zeros(n)
    if n < 3:
        return out
    half = window_s / 2.0
    lo = np.searchsorted(ts, ts - half, side="left")
    hi = np.searchsorted(ts, ts + half, side="right")
    # Prefix sums make every window's regression O(1).
    c = np.concatenate(([0.0], np.cumsum(np.ones(n))))
    st = np.concatenate(([0.0], np.cumsum(ts)))
    sv = np.concatenate(([0.0], np.cumsum(vs)))
    stt = np.concatenate(([0.0], np.cumsum(ts * ts)))
    stv = np.concatenate(([0.0], np.cumsum(ts * vs)))
    m = c[hi] - c[lo]
    sxt, sxv = st[hi] - st[lo], sv[hi] - sv[lo]
    sxx, sxy = stt[hi] - stt[lo], stv[hi] - stv[lo]
    den = m * sxx - sxt * sxt
    ok = (m >= 3) & (den > 1e-12)
    out[ok] = (m[ok] * sxy[ok] - sxt[ok] * sxv[ok]) / den[ok]
    return out


def top_plateau(ts: np.ndarray, vs: np.ndarray, rest: float, level_frac: float = 0.85,
                still_frac: float = 0.15, slope_window_s: float = _DEFAULTS.plateau_slope_window_s,
                back_at: float | None = None, smooth_s: float = _DEFAULTS.plateau_smooth_s) -> Plateau | None:
    """The hold of one repetition: samples `vs` at times `ts` from the start of the rise to
    the end of the lowering, `rest` the rest level. None when the signal never leaves rest.

    The band is `level_frac` of the rest-to-peak range; inside it, the hold starts at the first
    sample rising slower than `still_frac` of the rise's top speed, and ends after the last
    sample falling slower than `still_frac` of the lowering's top speed. `still_frac=0`
    gives the whole band (the time above the level). `back_at`: a lowering that reaches this
    level came back to `rest` (the samples may stop there); one that turns above it hovers, and
    its lowest point is its bottom. `smooth_s`: the readings are averaged over this long first,
    so that jitter neither cuts a hold nor fakes a speed."""
    ts = np.asarray(ts, dtype=float)
    vs = np.asarray(vs, dtype=float)
    if ts.size == 0:
        return None
    dt = float(np.median(np.diff(ts))) if ts.size > 1 else 1.0
    smooth = moving_average(vs, int(round(smooth_s / max(dt, 1e-3))))
    peak = float(smooth.max())
    if not peak - rest > 1e-9 * max(1.0, abs(rest)):  # (averaging leaves rounding noise)
        return None
    inside = np.flatnonzero(smooth >= rest + level_frac * (peak - rest))
    i0, i1 = int(inside[0]), int(inside[-1])
    ends = _movement_ends(ts, smooth, rest, peak, level_frac, i0, i1, back_at)
    if still_frac <= 0 or i1 <= i0:
        return Plateau(float(ts[i0]), float(ts[i1]), *ends)
    slope = local_slope(ts, smooth, slope_window_s)
    rise_speed = float(slope[: i0 + 1].max(initial=0.0))
    fall_speed = float(-slope[i1:].min(initial=0.0))
    start, end = i0, i1
    if rise_speed > 0:
        slow = np.flatnonzero(slope[i0:i1 + 1] <= still_frac * rise_speed)
        if slow.size:
            start = i0 + int(slow[0])
    if fall_speed > 0:
        slow = np.flatnonzero(slope[start:i1 + 1] >= -still_frac * fall_speed)
        if slow.size:
            end = start + int(slow[-1])
    return Plateau(float(ts[start]), float(ts[end]), *ends)


def _movement_ends(ts: np.ndarray, smooth: np.ndarray, rest: float, peak: float, level_frac: float,
                   i0: int, i1: int, back_at: float | None) -> tuple[float | None, float | None]:
    """Last time in the bottom band before the top (index i0), first time in it after (i1)."""
    low = np.flatnonzero(smooth[: i0 + 1] <= rest + (1.0 - level_frac) * (peak - rest))
    rise_from = float(ts[low[-1]]) if low.size else None
    after = smooth[i1:]
    bottom = float(after.min())
    if back_at is not None and bottom <= back_at:
        bottom = min(bottom, rest)
    down = np.flatnonzero(after <= bottom + (1.0 - level_frac) * (peak - bottom))
    lowered_by = float(ts[i1 + down[0]]) if down.size and bottom < peak else None
    return rise_from, lowered_by


def attempt_timings(a: Attempt, end_s: float, cfg: RiseSettings,
                    timing: CounterSettings = _DEFAULTS) -> tuple[float, float, float, float, float]:
    """Entry, exit and duration of an attempt's top (`top_plateau`), and the rise and lowering
    times between the top band and the bottom band. The live hold (HoldTick) runs from the
    counting level; these are the reported ones, measured once the attempt is over."""
    ts = np.array([s.t_s for s in a.samples])
    vs = np.array([s.value if math.isnan(s.raw) else s.raw for s in a.samples])
    top = top_plateau(ts, vs, a.levels.rest, cfg.hold_level_frac, cfg.hold_still_frac,
                      slope_window_s=timing.plateau_slope_window_s, back_at=a.levels.near_rest,
                      smooth_s=timing.plateau_smooth_s)
    if top is None:
        t = float(a.top_s or a.start_s)
        return t, t, 0.0, max(0.0, t - a.start_s), max(0.0, end_s - t)
    rise = top.rise_s if top.rise_s is not None else max(0.0, top.start_s - a.start_s)
    lower = top.lower_s if top.lower_s is not None else max(0.0, end_s - top.end_s)
    return top.start_s, top.end_s, top.hold_s, rise, lower
