"""Settings are package data: one loader, name and hash recorded, bad files one clear line (exit 2)."""

from __future__ import annotations

import hashlib
import importlib.metadata
import re

import pytest

from posecount import config
from posecount.cli import main
from posecount.errors import InputError
from posecount.progress.rules import load_plan_settings
from posecount.settings import load_settings


def test_the_packaged_files_are_read_through_importlib_resources():
    toml = config.read(config.THRESHOLDS)
    packaged = (config.resources.files("posecount.config") / "thresholds.toml").read_bytes()
    assert toml.name == "thresholds.toml" and toml.sha256 == hashlib.sha256(packaged).hexdigest()
    assert set(toml.data) == {"tracking", "counter", "bridge", "side_raise", "step_up", "auto", "posture", "placement"}
    assert load_plan_settings().max_reps == config.read(config.PROGRESSION).data["plan"]["max_reps"]


def test_only_posecount_is_installed_as_a_top_level_package():
    top = importlib.metadata.distribution("posecount").read_text("top_level.txt")
    assert top is None or top.split() == ["posecount"]


def _edited(tmp_path, old: str, new: str):
    text = (config.resources.files("posecount.config") / "thresholds.toml").read_text()
    assert old in text
    path = tmp_path / "thresholds.toml"
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize(("old", "new", "message"), [
    ("min_quality = 0.5", "min_qualty = 0.5", r"thresholds.toml: unknown key\(s\) in \[tracking\]: min_qualty"),
    ("max_gap_s = 0.5", "max_gap_s = -1", r"\[tracking\] max_gap_s = -1 is out of range: allowed 0 to 600"),
    ("unusable_warn_fraction = 0.3", "unusable_warn_fraction = 3",
     r"\[tracking\] unusable_warn_fraction = 3 is out of range: allowed 0 to 1"),
    ("max_gap_s = 0.5", 'max_gap_s = "half"', r"\[tracking\] max_gap_s must be a number, not 'half'"),
    ("max_gap_s = 0.5", "max_gap_s = = 0.5", r"thresholds.toml is not valid TOML"),
    ("rest_pct = 20.0", "rest_pct = 120.0", r"\[counter\] rest_pct = 120.0 is out of range: allowed 0 to 100"),
    ("min_brightness_grey = 40.0", "min_brightness_grey = 300",
     r"\[placement\] min_brightness_grey = 300 is out of range: allowed 0 to 255"),
    ("choose_share_min = 0.6", "choose_share_min = 1.6",
     r"\[auto\] choose_share_min = 1.6 is out of range: allowed 0 to 1"),
    ("back_knee_max_deg = 140.0", "back_knee_max_deg = 400",
     r"\[posture\] back_knee_max_deg = 400 is out of range: allowed -180 to 360"),
])
def test_a_hand_edited_file_with_a_typo_or_a_value_out_of_range_is_one_line_exit_2(
        tmp_path, monkeypatch, capsys, old, new, message):
    path = _edited(tmp_path, old, new)
    with pytest.raises(InputError, match=message):
        load_settings(path)
    monkeypatch.setenv("POSECOUNT_THRESHOLDS", str(path))
    assert main(["analyze", str(tmp_path / "missing.mp4"), "--exercise", "bridge"]) in (2,)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("posecount: error:") and re.search(message, err), err


def test_a_missing_override_names_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("POSECOUNT_PROGRESSION", str(tmp_path / "nope.toml"))
    with pytest.raises(InputError, match="settings file not found: .*nope.toml"):
        load_plan_settings()


def test_plan_counts_must_be_whole_numbers(tmp_path):
    path = tmp_path / "progression.toml"
    path.write_text("[plan]\nmax_reps = 12.5\n")
    with pytest.raises(InputError, match=r"\[plan\] max_reps must be a whole number"):
        load_plan_settings(path)


def test_an_edited_file_is_recorded_by_name_and_hash(tmp_path):
    path = _edited(tmp_path, "max_gap_s = 0.5", "max_gap_s = 0.4")
    s = load_settings(path)
    assert s.tracking.max_gap_s == 0.4
    assert (s.source, s.sha256) == ("thresholds.toml", hashlib.sha256(path.read_bytes()).hexdigest())
