"""Result keys: which video, analysed by which model with which thresholds and options.

A key is the SHA-256 of the video's bytes, the model's SHA-256, the thresholds' SHA-256 and the
options that change a result (exercise, analysis rate); the same key means the same result, so a
rerun skips it. Pure except `sha256_file`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from posecount.pose.models import sha256_file  # noqa: F401  (the one file hasher, re-exported)

KEY_VERSION = 1  # raise when the result's layout changes: old results are then analysed again


def options_id(exercise: str, analysis_fps: float | None) -> str:
    """The options that change a result, as a short stable text."""
    rate = "source" if not analysis_fps else f"{float(analysis_fps):g}"
    return f"exercise={exercise};analysis_fps={rate}"


def result_key(content_sha256: str, model_sha256: str, thresholds_sha256: str, options: str) -> str:
    """The SHA-256 naming one result."""
    doc = {"v": KEY_VERSION, "content": content_sha256, "model": model_sha256, "thresholds": thresholds_sha256,
           "options": options}
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def result_name(file: str, key: str) -> str:
    """`<stem>.<hash12>.json` for a video shown as `file`."""
    stem = Path(file).stem or "video"
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)[:80]
    return f"{safe}.{key[:12]}.json"
