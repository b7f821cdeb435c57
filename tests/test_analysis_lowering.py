"""A dip too short to be a lowering does not end a repetition (analysis/lowering.py)."""

from __future__ import annotations

import numpy as np
import pytest

from posecount.analysis.counter import RiseCounter, Verdict
from posecount.settings import load_settings


def _count(dip_s: float, fps: float = 30.0) -> int:
    """Reps counted on a side-raise signal: rest, rise to 50, a hold with a drop to 15 (below the
    end level, above the rest position) for `dip_s` in its middle, lowering, rest (fed as the
    counter's smoothed value)."""
    keys = [(0.0, 5.0), (2.0, 5.0), (3.0, 50.0), (5.0, 50.0), (5.01, 15.0), (5.01 + dip_s, 15.0),
            (5.02 + dip_s, 50.0), (7.0 + dip_s, 50.0), (8.5 + dip_s, 5.0), (11.0 + dip_s, 5.0)]
    t = np.arange(0.0, keys[-1][0], 1.0 / fps)
    v = np.interp(t, [k[0] for k in keys], [k[1] for k in keys])
    counter = RiseCounter(load_settings().side_raise, lambda a, counted: Verdict(), set_break_s=12.0)
    for ts, x in zip(t, v):
        counter.update(float(ts), float(x), True, {})
    counter.finish(float(t[-1]))
    return len(counter.reps)


@pytest.mark.parametrize("fps", [10.0, 30.0, 60.0])
def test_a_drop_back_up_at_the_hold_within_min_dip_s_is_one_rep(fps):
    assert load_settings().side_raise.min_dip_s > 0.2
    assert _count(0.2, fps) == 1


def test_a_leg_that_stays_down_longer_than_min_dip_s_ends_the_rep():
    assert _count(load_settings().side_raise.min_dip_s + 0.5) == 2
