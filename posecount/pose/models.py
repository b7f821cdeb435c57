"""Finds, fetches or builds the pose landmarker model, checked by SHA-256 and cached.

Order: an explicit path (`--model PATH` or POSECOUNT_MODEL) → the user cache, if the
file matches its recorded hash → the official download → (full model only) a build
from the mediapipe 0.10.21 wheel, for machines that reach only the package index.
Every write goes through a temporary file and an atomic rename.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import urllib.error
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from posecount.errors import ModelError
from posecount.pose import telemetry

log = logging.getLogger(__name__)

MODEL_NAMES = ("lite", "full", "heavy")
DEFAULT_MODEL = "full"
ENV_MODEL = "POSECOUNT_MODEL"
ENV_CACHE = "POSECOUNT_CACHE_DIR"
_URL = "https://storage.googleapis.com/mediapipe-models/pose_landmarker/pose_landmarker_{0}/float16/1/pose_landmarker_{0}.task"
BUNDLE_MEMBERS = ("pose_detector.tflite", "pose_landmarks_detector.tflite")
# The bundle that model_builder makes is byte-for-byte reproducible, so its hash is known.
BUILT_FULL_SHA256 = "0484da4e44ecf6d08d329c743ac2540041aea1b8eda119a0a45b0900d82a02a1"

Progress = Callable[[int, int | None], None]  # (bytes done, total or None)


@dataclass(frozen=True)
class ModelFile:
    """A model ready to load: where it is, what it is, and its hash."""

    path: Path
    name: str  # e.g. "pose_landmarker_full"
    sha256: str
    origin: str  # "explicit", "cache", "download", "built"


def cache_dir() -> Path:
    """The folder for cached models: POSECOUNT_CACHE_DIR, else the platform's user cache dir."""
    env = os.environ.get(ENV_CACHE)
    if env:
        return Path(env).expanduser() / "models"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("posecount")) / "models"


def file_name(variant: str) -> str:
    return f"pose_landmarker_{variant}.task"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _check_variant(variant: str) -> None:
    if variant not in MODEL_NAMES:
        raise ModelError(f"unknown model '{variant}': choose one of {', '.join(MODEL_NAMES)}")


def check_bundle(path: Path) -> None:
    """Raises ModelError unless `path` is a pose landmarker `.task` bundle."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise ModelError(f"{path} is not a pose landmarker .task file ({exc})") from exc
    missing = [m for m in BUNDLE_MEMBERS if m not in names]
    if missing:
        raise ModelError(f"{path} is not a pose landmarker .task file (missing {', '.join(missing)})")


def _recorded_hash(path: Path) -> str | None:
    side = path.with_name(path.name + ".sha256")
    try:
        return side.read_text().split()[0].strip().lower()
    except (OSError, IndexError):
        return None


def _atomic_write(dest: Path, write: Callable[[object], None]) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=dest.name + ".", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _store(dest: Path, data_writer: Callable[[object], None]) -> str:
    """Writes a model and its `.sha256` side file atomically; returns the hash."""
    try:
        _atomic_write(dest, data_writer)
        digest = sha256_file(dest)
        _atomic_write(dest.with_name(dest.name + ".sha256"),
                      lambda fh: fh.write(f"{digest}  {dest.name}\n".encode()))
    except OSError as exc:
        raise ModelError(
            f"cannot write the model to {dest.parent} ({exc.strerror or exc}); free some space or "
            f"set {ENV_CACHE} to a writable folder"
        ) from exc
    return digest


def explicit_model(path: str | Path, expected_sha256: str | None = None) -> ModelFile:
    """A model file the user named; checked against a given hash or its `.sha256` side file."""
    p = Path(path).expanduser()
    if not p.is_file():
        raise ModelError(f"model file not found: {p}")
    digest = sha256_file(p)
    expected = (expected_sha256 or _recorded_hash(p) or "").lower() or None
    if expected and digest != expected:
        raise ModelError(
            f"model file {p} fails its checksum (SHA-256 {digest[:12]}…, expected {expected[:12]}…): "
            "delete it and run `posecount models fetch`, or place a good copy there"
        )
    check_bundle(p)
    stem = p.stem if p.stem.startswith("pose_landmarker") else f"custom:{p.stem}"
    return ModelFile(p, stem, digest, "explicit")


def cached_model(variant: str) -> ModelFile | None:
    """The cached model if it matches its recorded hash; a mismatching file is removed."""
    path = cache_dir() / file_name(variant)
    if not path.is_file():
        return None
    recorded = _recorded_hash(path)
    digest = sha256_file(path)
    if recorded and digest == recorded:
        return ModelFile(path, path.stem, digest, "cache")
    log.warning("cached model %s does not match its recorded hash; fetching it again", path.name)
    path.unlink(missing_ok=True)
    return None


def download(variant: str, progress: Progress | None = None, timeout_s: float = 20.0) -> ModelFile:
    """The official model, downloaded into the cache through a temporary file."""
    _check_variant(variant)
    dest = cache_dir() / file_name(variant)
    url = _URL.format(variant)
    try:
        with telemetry.open_url(url, timeout_s) as resp:  # the person's proxies, not the sink
            total = int(resp.headers.get("Content-Length") or 0) or None

            def write(fh) -> None:
                done = 0
                while chunk := resp.read(1 << 16):
                    fh.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)

            digest = _store(dest, write)
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise ModelError(f"cannot download {file_name(variant)} ({getattr(exc, 'reason', exc)})") from exc
    check_bundle(dest)
    return ModelFile(dest, dest.stem, digest, "download")


def build_full(progress: Progress | None = None) -> ModelFile:
    """The full model built from the mediapipe 0.10.21 wheel (needs only the package index)."""
    from posecount.pose import model_builder

    data = model_builder.build_full_task()
    if progress:
        progress(len(data), len(data))
    dest = cache_dir() / file_name("full")
    digest = _store(dest, lambda fh: fh.write(data))
    if digest != BUILT_FULL_SHA256:
        log.warning("built model hash %s differs from the expected %s", digest, BUILT_FULL_SHA256)
    return ModelFile(dest, dest.stem, digest, "built")


def fetch(variant: str = DEFAULT_MODEL, progress: Progress | None = None) -> ModelFile:
    """Download the model, or build it where only the package index is reachable."""
    _check_variant(variant)
    try:
        return download(variant, progress)
    except ModelError as download_error:
        if variant != "full":
            raise ModelError(
                f"cannot download pose_landmarker_{variant}.task and only the full model can be built "
                f"offline: use --model full, or place the file at {cache_dir() / file_name(variant)} "
                f"(or pass --model PATH / set {ENV_MODEL})"
            ) from download_error
        log.info("official download failed (%s); building the full model from the mediapipe wheel",
                 download_error)
        try:
            return build_full(progress)
        except ModelError as build_error:
            raise ModelError(
                f"cannot download or build the pose model ({build_error}); place "
                f"pose_landmarker_full.task at {cache_dir() / file_name('full')} or pass --model PATH"
            ) from build_error


def resolve_file(model: ModelFile | str | Path | None = None) -> ModelFile:
    """`model` itself when it is already resolved, else `resolve(model)`."""
    return model if isinstance(model, ModelFile) else resolve(model)


def resolve(model: str | Path | None = None, progress: Progress | None = None) -> ModelFile:
    """The model to use: an explicit path, else POSECOUNT_MODEL, else cached/fetched by name."""
    if model is not None and str(model) not in MODEL_NAMES:
        return explicit_model(model)
    env = os.environ.get(ENV_MODEL)
    if model is None and env:
        return explicit_model(env)
    variant = str(model or DEFAULT_MODEL)
    return cached_model(variant) or fetch(variant, progress)
