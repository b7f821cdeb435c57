"""The rolling percentile is numpy's, bit for bit, over any window of readings."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from posecount.analysis.rolling import RollingWindow, linear_percentile

values = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, width=64)


@given(st.lists(values, min_size=1, max_size=60), st.floats(min_value=0, max_value=100))
def test_percentile_of_a_sorted_list_is_numpys(xs, pct):
    assert linear_percentile(sorted(xs), pct) == float(np.percentile(xs, pct))


@settings(max_examples=60)
@given(st.lists(st.tuples(st.floats(min_value=0.0, max_value=0.5), st.one_of(values, st.just(math.nan))),
                min_size=1, max_size=200),
       st.sampled_from([0.0, 5.0, 20.0, 50.0, 90.0, 100.0]), st.floats(min_value=0.1, max_value=5.0))
def test_window_follows_time_and_skips_nan(steps, pct, window_s):
    w = RollingWindow(window_s)
    kept: list[tuple[float, float]] = []
    t = 0.0
    for dt, v in steps:
        t += dt
        w.add(t, v)
        if not math.isnan(v):
            kept.append((t, v))
            kept = [(tt, vv) for tt, vv in kept if tt >= t - window_s]
        expected = float(np.percentile([vv for _, vv in kept], pct)) if kept else math.nan
        got = w.percentile(pct)
        assert (math.isnan(got) and math.isnan(expected)) or got == expected
        assert len(w) == len(kept)


def test_empty_window_is_nan_and_clear_empties_it():
    w = RollingWindow(1.0)
    assert math.isnan(w.percentile(50))
    w.add(0.0, 3.0)
    assert w.percentile(50) == 3.0
    w.clear()
    assert len(w) == 0 and math.isnan(w.percentile(50))


def test_still_window_needs_the_whole_window_within_the_band_and_restarts_after_a_pause():
    from posecount.analysis.stillness import StillWindow

    w = StillWindow(0.3)
    for i in range(4):  # 0.2 s of readings: not yet the window
        w.add(i / 15, 7.0 + 0.1 * i)
    assert not w.still(1.0)
    w.add(4 / 15, 7.2)
    assert w.still(1.0) and not w.still(0.2)
    w.add(5 / 15, -20.0)  # a misread frame breaks it
    assert not w.still(1.0)
    w.add(2.0, 7.0)  # after a pause the window starts afresh
    assert not w.still(1.0)
