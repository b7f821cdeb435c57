"""A side raise short of the counting level before the person's own top is known (issue 15):
counted once the next raise shows that top, as a raise after it would be (analysis/counter.py)."""

from __future__ import annotations

import numpy as np
import pytest

from posecount.analysis.counter import RiseCounter, Verdict
from posecount.settings import load_settings


def _side_raise_run(keys: list[tuple[float, float]], fps: float = 24.0):
    from posecount.analysis.events import RepRecounted
    t = np.arange(0.0, keys[-1][0], 1.0 / fps)
    v = np.interp(t, [k[0] for k in keys], [k[1] for k in keys])
    counter = RiseCounter(load_settings().side_raise, lambda a, counted: Verdict(side="left"), set_break_s=12.0)
    events = []
    for ts, x in zip(t, v):
        events += counter.update(float(ts), float(x), True, {})
    counter.finish(float(t[-1]))
    return counter.reps, [e for e in events if isinstance(e, RepRecounted)]


def _raises(first_rest: float, first_peak: float, n_more: int = 3) -> list[tuple[float, float]]:
    """A first raise from `first_rest` to `first_peak`, then `n_more` from 8 to 28 deg (1 s up,
    2 s held, 1.2 s down, 1.4 s between)."""
    keys = [(0.0, first_rest), (2.0, first_rest), (3.0, first_peak), (5.0, first_peak), (6.2, 8.0)]
    t = 6.2
    for _ in range(n_more):
        keys += [(t + 1.4, 8.0), (t + 2.4, 28.0), (t + 4.4, 28.0), (t + 5.6, 8.0)]
        t += 5.6
    return keys + [(t + 2.0, 8.0)]


def test_a_first_side_raise_from_a_rest_read_high_counts_once_the_top_is_known():
    # sweep12009 (held out, seed 12000: bent-leg raises filmed obliquely): MediaPipe read the closed
    # legs at 15 deg before the first raise and 8 between the later ones, so the first raise (to
    # 29, as high as the others) rose 14 deg, under `count_rise_deg` (15): "too small", 4 of 5.
    # Once the next raise shows the person's top, it counts, as a raise after that would.
    reps, recounted = _side_raise_run(_raises(15.0, 28.5))
    assert len(reps) == 4 and len(recounted) == 1
    assert reps[0].start_s < 3.0 and "not_high_enough" not in reps[0].flags


@pytest.mark.parametrize("first_rest, first_peak", [(15.0, 20.0), (8.0, 14.0)])
def test_a_half_raise_before_the_first_side_raise_stays_too_small(first_rest, first_peak):
    # 20 from 15: under half the way to the top (28); 14 from 8: 6 deg, under `count_top_min_rise_deg`.
    reps, recounted = _side_raise_run(_raises(first_rest, first_peak))
    assert len(reps) == 3 and not recounted
