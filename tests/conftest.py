"""Shared test helpers: tiny videos written on the fly, and the real clips in ../shared."""

from __future__ import annotations

import json
import os
from pathlib import Path

import cv2
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_VIDEOS = ROOT.parent / "shared" / "videos"
FIXTURE_VIDEOS = ROOT / "tests" / "fixtures" / "videos"

# pytest-xdist starts its workers with COLUMNS=80, which would fix the width of the CLI's console
# for the whole worker; the CLI tests set the width they read per call.
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)


def write_video(path: Path, n_frames: int = 30, size_wh: tuple[int, int] = (160, 120), fps: float = 30.0,
                fourcc: str = "mp4v") -> Path:
    """A small moving-square video; each frame differs so that codecs keep them all."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, size_wh)
    assert writer.isOpened(), f"OpenCV cannot write {fourcc}"
    w, h = size_wh
    for i in range(n_frames):
        img = np.full((h, w, 3), 40, np.uint8)
        x = int((w - 20) * i / max(n_frames - 1, 1))
        cv2.rectangle(img, (x, h // 3), (x + 20, h // 3 + 20), (0, 200, 255), -1)
        writer.write(img)
    writer.release()
    return path


@pytest.fixture
def small_video(tmp_path: Path) -> Path:
    return write_video(tmp_path / "small.mp4")


@pytest.fixture(scope="session")
def shared_videos() -> Path:
    """The hand-counted real clips; tests that need them skip only when the folder is absent."""
    if not (SHARED_VIDEOS / "labels.json").is_file():
        pytest.skip("../shared/videos is not beside the project")
    return SHARED_VIDEOS


@pytest.fixture(scope="session")
def shared_labels(shared_videos: Path) -> list[dict]:
    data = json.loads((shared_videos / "labels.json").read_text())
    return data


class _SessionTracks:
    """`calibration.evaluate.TrackSource` that also keeps each track in memory for the session."""

    def __init__(self, cache_dir: Path) -> None:
        from calibration.evaluate import TrackSource

        self.source = TrackSource(cache_dir)
        self._kept: dict[Path, object] = {}

    @property
    def cache_dir(self) -> Path:
        return self.source.cache_dir

    def track(self, clip):
        key = Path(clip.path).resolve()
        if key not in self._kept:
            self._kept[key] = self.source.track(clip)
        return self._kept[key]


@pytest.fixture(scope="session")
def pose_tracks(tmp_path_factory) -> _SessionTracks:
    """Pose tracks of the real clips and the fixtures, each computed once per test run (MediaPipe,
    slow) and shared by every test that needs it (accuracy, invariance). With several test workers
    (pytest-xdist) the first one to need them computes them, one process per core, while the others
    wait on a lock and then read the same cache. A developer's warm cache (the layout of
    `python -m calibration.evaluate --cache`) is used when POSECOUNT_TEST_TRACK_CACHE names it;
    CI starts cold in a temporary folder."""
    from filelock import FileLock

    cache = os.environ.get("POSECOUNT_TEST_TRACK_CACHE")
    # basetemp's parent is the same for every worker of one run (and basetemp itself without xdist)
    run_dir = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run_dir = run_dir.parent
    cache_dir = Path(cache) if cache else run_dir / "pose-tracks"
    cache_dir.mkdir(parents=True, exist_ok=True)
    tracks = _SessionTracks(cache_dir)
    with FileLock(str(cache_dir / ".prefetch.lock")):
        tracks.source.prefetch(_all_labelled_clips())  # one process per core: about twice as fast
    return tracks


def _all_labelled_clips() -> list:
    """The fixtures and the shared clips (when beside the project), as `calibration.evaluate` reads them."""
    from calibration.evaluate import clip_from_truth, clips_from_labels

    clips = []
    for truth_path in sorted(FIXTURE_VIDEOS.glob("*.json")):
        if not truth_path.name.endswith(".check.json") and truth_path.with_suffix(".mp4").exists():
            clips.append(clip_from_truth(truth_path.with_suffix(".mp4"), json.loads(truth_path.read_text())))
    labels = SHARED_VIDEOS / "labels.json"
    if labels.is_file():
        clips += clips_from_labels(json.loads(labels.read_text()), SHARED_VIDEOS)
    return clips


@pytest.fixture(autouse=True)
def private_user_data(tmp_path_factory, monkeypatch):
    """Sessions and the history of tests go to a temporary folder, never the user's own."""
    data = tmp_path_factory.mktemp("user-data")
    monkeypatch.setenv("POSECOUNT_DATA_DIR", str(data))
    monkeypatch.setenv("POSECOUNT_DB", str(data / "history.sqlite3"))
    monkeypatch.setenv("POSECOUNT_LANG", "en")  # texts asserted in English whatever the machine's language
    return data
