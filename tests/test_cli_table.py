"""The table `posecount analyze` prints for a person: the level column appears with a harder level."""

from __future__ import annotations

import importlib

import pytest
from rich.console import Console

cli_app = importlib.import_module("posecount.cli.app")  # the module (the package exports the Typer app by that name)


def _result(variants: list[str | None]) -> dict:
    reps = [{"index": i + 1, "side": "left", "variant": v, "set": 1, "start_s": 2.0 + 6 * i, "hold_s": 5.5,
             "rise_s": 1.0, "lower_s": 1.2, "peak": 175.0, "flags": []} for i, v in enumerate(variants)]
    return {"source": "clip.mp4", "exercise": "bridge", "reps": len(reps), "repetitions": reps,
            "signal": {"unit": "deg"}, "rejected": [{"reason": "not_high_enough", "start_s": 30.0}],
            "frames": 900, "frames_with_pose": 900, "duration_s": 30.0, "fps": 30.0,
            "model": "pose_landmarker_full", "processing_fps": 50.0, "warnings": []}


@pytest.fixture
def printed(monkeypatch):
    console = Console(record=True, width=140)
    monkeypatch.setattr(cli_app, "out", console)
    return lambda result: (cli_app._print_table(result), console.export_text())[1]


def test_a_set_with_a_harder_level_names_each_reps_level(printed):
    text = printed(_result([None, "single-leg", "leg-stretch"]))
    assert "level" in text
    lines = [ln for ln in text.splitlines() if ln.startswith("│")]
    assert [("basic" in ln, "single-leg" in ln, "leg-stretch" in ln) for ln in lines] == [
        (True, False, False), (False, True, False), (False, False, True)]
    assert "not counted at 30.0 s: not high enough" in text


def test_a_basic_set_has_no_level_column(printed):
    text = printed(_result([None, None]))
    assert "level" not in text and "basic" not in text
    assert "bridge — 2 repetition(s)" in text
