"""The lowest level a signal held for a while (`posecount.analysis.held_low`)."""

from __future__ import annotations

import math
from types import SimpleNamespace

from posecount.analysis.held_low import HeldLow, held_low


def _samples(values, fps=10.0):
    return [SimpleNamespace(t_s=i / fps, value=v) for i, v in enumerate(values)]


def test_a_dip_shorter_than_the_time_asked_does_not_lower_the_level():
    values = [10.0] * 10 + [-5.0, -5.0] + [10.0] * 10  # 0.2 s at -5, then on at 10
    assert held_low(_samples(values), 0.3) == 10.0
    assert held_low(_samples(values), 0.1) == -5.0


def test_a_level_held_long_enough_is_found_and_nan_readings_are_left_out():
    values = [12.0] * 5 + [2.0, math.nan, 2.5, 2.0, 1.0] + [12.0] * 5
    assert held_low(_samples(values), 0.3) == 2.5  # 0.5-0.9 s: at most 2.5 throughout


def test_nothing_held_yet_is_infinite_and_streaming_gives_the_same():
    assert held_low(_samples([1.0, 2.0]), 0.5) == math.inf
    h = HeldLow(0.3)
    values = [10.0, 9.0, 3.0, 4.0, 3.5, 3.0, 9.0, 1.0, 10.0]
    for s in _samples(values):
        h.add(s.t_s, s.value)
    assert h.low == held_low(_samples(values), 0.3) == 4.0
