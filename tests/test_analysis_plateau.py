"""The top plateau of a repetition: where a hold starts and ends, on eased, noisy signals."""

from __future__ import annotations

import numpy as np
import pytest

from posecount.analysis.plateau import local_slope, top_plateau


def eased_rep(rise_s=2.0, hold_s=5.0, lower_s=2.5, fps=30.0, lo=130.0, hi=175.0, noise=0.0, seed=0):
    """Rest, a cosine-eased rise, a still hold, an eased lowering, rest; and the true hold times."""
    t = np.arange(0.0, 1.0 + rise_s + hold_s + lower_s + 1.0, 1.0 / fps)
    top_in, top_out = 1.0 + rise_s, 1.0 + rise_s + hold_s
    up = np.clip((t - 1.0) / rise_s, 0, 1)
    down = np.clip((t - top_out) / lower_s, 0, 1)
    frac = 0.5 - 0.5 * np.cos(np.pi * up) - (0.5 - 0.5 * np.cos(np.pi * down))
    v = lo + (hi - lo) * frac + np.random.default_rng(seed).normal(0, noise, t.size)
    return t, v, top_in, top_out


def test_local_slope_of_a_line_is_its_slope():
    t = np.linspace(0, 3, 91)
    assert np.allclose(local_slope(t, 4.0 * t - 2.0, 0.5), 4.0)


def test_the_band_includes_the_slow_ends_of_the_movement():
    t, v, top_in, top_out = eased_rep()
    band = top_plateau(t, v, 130.0, level_frac=0.85, still_frac=0.0)
    assert band is not None
    assert band.start_s < top_in - 0.3 and band.end_s > top_out + 0.3
    assert band.hold_s == pytest.approx(5.0 + 0.25 * (2.0 + 2.5), abs=0.35)


@pytest.mark.parametrize("noise", [0.0, 1.5])
def test_stillness_finds_the_scripted_hold_even_with_jitter(noise):
    t, v, top_in, top_out = eased_rep(noise=noise, seed=3)
    still = top_plateau(t, v, 130.0, level_frac=0.85, still_frac=0.2)
    assert still is not None
    assert still.start_s == pytest.approx(top_in, abs=0.3)
    assert still.end_s == pytest.approx(top_out, abs=0.3)


def test_a_signal_that_never_leaves_rest_has_no_plateau():
    t = np.linspace(0, 5, 151)
    assert top_plateau(t, np.full_like(t, 130.0), 130.0) is None
    assert top_plateau(np.array([]), np.array([]), 0.0) is None


@pytest.mark.parametrize("noise", [0.0, 1.5])
def test_rise_and_lowering_are_timed_between_the_bands(noise):
    # Between 15 % and 85 % of a cosine-eased move lies 0.494 of its time (acos(0.7)/pi each
    # end is slow enough to look like rest or holding); the 0.5 s averaging adds a little.
    t, v, _, top_out = eased_rep(rise_s=1.0, lower_s=2.0, noise=noise, seed=5)
    band = top_plateau(t, v, 130.0, level_frac=0.85, still_frac=0.0, back_at=136.0)
    assert band is not None and band.rise_s is not None and band.lower_s is not None
    share = 2.0 * np.arccos(-0.7) / np.pi - 1.0
    assert band.rise_s == pytest.approx(share * 1.0, abs=0.15)
    assert band.lower_s == pytest.approx(share * 2.0, abs=0.15)
    # A counter closes the rep near rest, so the samples stop above the bottom band's edge:
    # the lowering is still timed down to the rest's band, not to where the samples stop.
    keep = (t < top_out) | (np.cumsum((t > top_out) & (v <= 134.0)) == 0)
    cut = top_plateau(t[keep], v[keep], 130.0, level_frac=0.85, still_frac=0.0, back_at=136.0)
    assert cut is not None and cut.lower_s is not None
    assert cut.lower_s == pytest.approx(band.lower_s, abs=0.06)


def test_a_lowering_that_hovers_is_timed_down_to_where_it_hovers():
    # A side raise lowered to hover halfway (the leaflet: do not put the leg down), and the
    # samples stop there: the lowering ends in the band above the hover, not above the rest.
    t, v, _, top_out = eased_rep(lower_s=2.0, lo=10.0, hi=50.0)
    keep = t <= top_out + 2.0
    t, v = t[keep], np.minimum(v[keep], 50.0)
    v = np.where(t > top_out, 30.0 + (v - 10.0) / 2.0, v)  # comes down only to 30
    band = top_plateau(t, v, 10.0, level_frac=0.85, still_frac=0.0, back_at=14.0)
    assert band is not None and band.lower_s is not None
    assert band.lower_s == pytest.approx(0.494 * 2.0, abs=0.2)
