"""The committed fixture clips: truth beside each, and MediaPipe sees the figure in them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calibration.detection_check import MIN_DETECTED_SHARE
from calibration.scenarios import FIXTURES
from tests.test_render import check_truth_schema

FIXTURE_DIR = Path(__file__).parent / "fixtures" / "videos"
NAMES = [s.name for s in FIXTURES]
MAX_TOTAL_BYTES = 15 * 1024 * 1024


@pytest.mark.parametrize("name", NAMES)
def test_fixture_has_truth_and_a_passing_check(name):
    video = FIXTURE_DIR / f"{name}.mp4"
    assert video.exists(), f"missing {video.name}: python -m calibration.render --fixtures"
    truth = json.loads(video.with_suffix(".json").read_text())
    check_truth_schema(truth)
    check = json.loads((FIXTURE_DIR / f"{name}.check.json").read_text())
    assert check["detected_share"] >= MIN_DETECTED_SHARE
    assert check["frames"] == truth["n_frames"]


def test_fixtures_stay_small():
    total = sum(p.stat().st_size for p in FIXTURE_DIR.glob("*.mp4"))
    assert 0 < total <= MAX_TOTAL_BYTES


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_detection_check_still_holds(name, pose_tracks):
    """On the session's pose track of the fixture (shared with the invariance tests: MediaPipe runs
    once per clip), as `python -m calibration.detection_check --cached-tracks` checks it."""
    from calibration.detection_check import check_poses
    from calibration.evaluate import Clip

    video = FIXTURE_DIR / f"{name}.mp4"
    truth = json.loads(video.with_suffix(".json").read_text())
    recorded = json.loads((FIXTURE_DIR / f"{name}.check.json").read_text())
    track = pose_tracks.track(Clip(video.stem, video, truth["exercise"], 0, ()))
    now = check_poses(track.frames(), truth, video.name)
    assert now["detected_share"] >= MIN_DETECTED_SHARE
    for sig, stats in now["signals"].items():
        # Same model, same frames: the error may move a little with the MediaPipe build, not a lot.
        assert stats["mean_abs_error_deg"] <= recorded["signals"][sig]["mean_abs_error_deg"] + 2.0, sig
