"""Model provisioning: explicit files, the hashed cache, download failure and the offline build."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from posecount.errors import ModelError
from posecount.pose import models


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(models.ENV_CACHE, str(tmp_path / "cache"))
    monkeypatch.delenv(models.ENV_MODEL, raising=False)
    return tmp_path / "cache" / "models"


def _fake_task(path: Path, payload: bytes = b"x") -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name in models.BUNDLE_MEMBERS:
            zf.writestr(name, payload)
    return path


def test_explicit_path_wins_and_is_checked_against_its_side_file(tmp_path):
    task = _fake_task(tmp_path / "mine.task")
    assert models.resolve(task).origin == "explicit"
    (tmp_path / "mine.task.sha256").write_text("0" * 64 + "  mine.task\n")
    with pytest.raises(ModelError, match="fails its checksum"):
        models.resolve(task)


def test_env_variable_names_the_model(tmp_path, monkeypatch):
    task = _fake_task(tmp_path / "env.task")
    monkeypatch.setenv(models.ENV_MODEL, str(task))
    assert models.resolve(None).path == task


def test_a_file_that_is_no_task_bundle_is_refused(tmp_path):
    bad = tmp_path / "bad.task"
    bad.write_text("not a zip")
    with pytest.raises(ModelError, match="not a pose landmarker .task"):
        models.resolve(bad)
    with pytest.raises(ModelError, match="not found"):
        models.resolve(tmp_path / "missing.task")


def test_download_failure_falls_back_to_the_offline_build(monkeypatch, private_cache):
    def no_network(variant, progress=None, timeout_s=20.0):
        raise ModelError("cannot download (no network)")

    built = []

    def fake_build(progress=None):
        built.append(True)
        dest = private_cache / "pose_landmarker_full.task"
        digest = models._store(dest, lambda fh: fh.write(_fake_task(private_cache.parent / "b.zip").read_bytes()))
        return models.ModelFile(dest, dest.stem, digest, "built")

    private_cache.mkdir(parents=True)
    monkeypatch.setattr(models, "download", no_network)
    monkeypatch.setattr(models, "build_full", fake_build)
    first = models.resolve("full")
    assert first.origin == "built" and built == [True]
    again = models.resolve("full")
    assert again.origin == "cache" and again.sha256 == first.sha256 and built == [True]
    assert not list(private_cache.glob("*.part"))


def test_lite_and_heavy_cannot_be_built_and_the_error_says_what_to_do(monkeypatch):
    monkeypatch.setattr(models, "download", lambda *a, **k: (_ for _ in ()).throw(ModelError("offline")))
    with pytest.raises(ModelError, match="only the full model can be built offline") as info:
        models.resolve("lite")
    assert "pose_landmarker_lite.task" in str(info.value) and "--model PATH" in str(info.value)


def test_a_cached_file_that_fails_its_hash_is_replaced(monkeypatch, private_cache):
    private_cache.mkdir(parents=True)
    cached = _fake_task(private_cache / "pose_landmarker_full.task")
    (private_cache / "pose_landmarker_full.task.sha256").write_text("f" * 64)
    assert models.cached_model("full") is None
    assert not cached.exists()


def test_unknown_model_name_is_refused():
    with pytest.raises(ModelError, match="unknown model"):
        models.fetch("gigantic")


def test_atomic_write_leaves_nothing_behind_on_failure(private_cache):
    dest = private_cache / "m.task"

    def broken(fh):
        fh.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(ModelError, match="No space left"):
        models._store(dest, broken)
    assert not dest.exists() and not list(private_cache.glob("*"))


@pytest.mark.slow
def test_offline_build_is_reproducible_and_loads_in_mediapipe(private_cache):
    """Downloads the 0.10.21 wheel from the package index (35 MB) and builds the full model."""
    model = models.build_full()
    assert model.sha256 == models.BUILT_FULL_SHA256
    from posecount.pose.estimator import PoseEstimator

    with PoseEstimator(model) as est:
        import numpy as np

        assert est.detect(np.zeros((64, 64, 3), np.uint8), 0.0) is None
