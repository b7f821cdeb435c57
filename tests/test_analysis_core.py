"""Pure building blocks: geometry, the One Euro filter, settings."""

from __future__ import annotations

import hashlib
import math
import subprocess
import sys

import numpy as np
import pytest

from posecount.analysis.geometry import angle_deg, signed_offset, tilt_from_vertical_deg, vector_angle_deg
from posecount.analysis.smoothing import OneEuroFilter
from posecount.errors import InputError
from posecount.settings import _SECTION_TYPES, DEFAULT_PATH, Settings, load_settings, with_overrides

# --- geometry ------------------------------------------------------------------------------

def test_angle_of_a_right_angle_and_a_straight_line():
    assert angle_deg(np.array([1.0, 0]), np.array([0.0, 0]), np.array([0.0, 1])) == pytest.approx(90.0)
    assert angle_deg(np.array([-1.0, 0]), np.array([0.0, 0]), np.array([2.0, 0])) == pytest.approx(180.0)


def test_missing_or_coinciding_points_give_nan():
    assert math.isnan(angle_deg(np.array([np.nan, 0]), np.zeros(2), np.ones(2)))
    assert math.isnan(vector_angle_deg(np.zeros(2), np.ones(2)))
    assert math.isnan(signed_offset(np.ones(2), np.zeros(2), np.zeros(2)))


def test_signed_offset_tells_the_sides_of_a_line_apart():
    a, b = np.array([0.0, 0]), np.array([10.0, 0])
    up, down = signed_offset(np.array([5.0, 3]), a, b), signed_offset(np.array([5.0, -3]), a, b)
    assert abs(up) == pytest.approx(3.0) and up == pytest.approx(-down)


def test_tilt_ignores_direction():
    assert tilt_from_vertical_deg(np.array([0.0, -5])) == pytest.approx(0.0)
    assert tilt_from_vertical_deg(np.array([-5.0, 0])) == pytest.approx(90.0)
    assert tilt_from_vertical_deg(np.array([3.0, 3])) == pytest.approx(45.0)


# --- One Euro filter -----------------------------------------------------------------------

def test_one_euro_reduces_jitter_on_a_still_signal():
    rng = np.random.default_rng(1)
    f = OneEuroFilter(min_cutoff_hz=1.0, beta=0.0)
    raw = 130 + rng.normal(0, 3, 300)
    out = np.array([f(i / 30, x) for i, x in enumerate(raw)])
    assert np.std(out[30:]) < 0.4 * np.std(raw[30:])
    assert abs(np.mean(out[30:]) - 130) < 1.0


def test_beta_lets_a_fast_move_through_with_less_lag():
    def lag(beta: float) -> float:
        f = OneEuroFilter(min_cutoff_hz=1.0, beta=beta)
        out = [f(i / 30, 130.0 if i < 30 else 180.0) for i in range(60)]
        return next(i for i, v in enumerate(out) if v > 170) - 30

    assert lag(0.05) < lag(0.0)


def test_one_euro_skips_nan_and_repeated_timestamps():
    f = OneEuroFilter(1.0, 0.0)
    assert f(0.0, 10.0) == 10.0
    assert math.isnan(f(0.1, math.nan))
    assert f(0.1, 20.0) < 20.0
    assert f(0.1, 50.0) == f(0.1, 60.0)  # same time: the estimate does not move


def test_one_euro_rejects_meaningless_parameters():
    with pytest.raises(ValueError):
        OneEuroFilter(min_cutoff_hz=0.0)
    with pytest.raises(ValueError):
        OneEuroFilter(min_cutoff_hz=1.0, beta=-1)


# --- settings ------------------------------------------------------------------------------

def test_the_committed_toml_matches_the_typed_defaults():
    loaded = load_settings()
    d = Settings()
    for section in _SECTION_TYPES:  # every section, the new ones too
        assert getattr(loaded, section) == getattr(d, section), section
    assert loaded.source == DEFAULT_PATH.name  # a name and a hash are recorded, never a path
    assert loaded.sha256 == hashlib.sha256(DEFAULT_PATH.read_bytes()).hexdigest()


def test_every_threshold_in_the_toml_has_a_comment_on_its_origin():
    lines = DEFAULT_PATH.read_text().splitlines()
    for i, line in enumerate(lines):
        if "=" in line and not line.lstrip().startswith("#"):
            block = lines[max(0, i - 12):i]
            assert any(x.lstrip().startswith("#") for x in block), f"no comment above: {line}"


def test_unknown_keys_and_bad_values_are_clear_errors(tmp_path):
    p = tmp_path / "t.toml"
    p.write_text("[bridge]\ncount_min_deg = 150\nnot_a_key = 1\n")
    with pytest.raises(InputError, match="not_a_key"):
        load_settings(p)
    p.write_text("[bridge]\ncount_min_deg = 'high'\n")
    with pytest.raises(InputError, match="must be a number"):
        load_settings(p)
    p.write_text("[elbow]\nx = 1\n")
    with pytest.raises(InputError, match="unknown section"):
        load_settings(p)
    with pytest.raises(InputError, match="not found"):
        load_settings(tmp_path / "missing.toml")


def test_a_partial_file_keeps_the_other_defaults(tmp_path):
    p = tmp_path / "t.toml"
    p.write_text("[bridge]\ncount_min_deg = 150\n")
    s = load_settings(p)
    assert s.bridge.count_min_deg == 150.0
    assert s.bridge.count_max_deg == Settings().bridge.count_max_deg
    assert s.step_up == Settings().step_up


def test_overrides_change_one_value_and_keep_the_original():
    s = load_settings()
    t = with_overrides(s, "step_up", up_leglen=0.2)
    assert t.step_up.up_leglen == 0.2 and s.step_up.up_leglen != 0.2
    with pytest.raises(InputError):
        with_overrides(s, "nope", x=1.0)


def test_the_core_imports_neither_opencv_nor_mediapipe():
    code = ("import sys; import posecount.analysis, posecount.settings; "
            "print(any(m.split('.')[0] in ('cv2', 'mediapipe') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
