"""summary.csv: one row per input video, built from the stored results only (pure)."""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from typing import Any

from posecount.batch.inputs import VideoInput

COLUMNS = ("file", "profile", "exercise", "reps", "holds", "flags", "warnings", "error", "frames_per_s",
           "content_sha256", "recorded", "result")


def _median_hold(result: dict[str, Any]) -> str:
    holds = [r["hold_s"] for r in result.get("repetitions", []) if isinstance(r.get("hold_s"), (int, float))]
    holds = [h for h in holds if h == h]  # NaN: not measured
    return f"{statistics.median(holds):.2f}" if holds else ""


def _flags(result: dict[str, Any]) -> str:
    counts = Counter(f for r in result.get("repetitions", []) for f in r.get("flags", []))
    return ",".join(f"{flag}:{n}" for flag, n in sorted(counts.items()))


def row(video: VideoInput, result: dict[str, Any] | None, error: str = "", result_file: str = "",
        content_sha256: str = "") -> dict[str, str]:
    """The summary row of one input: its own file, profile and date; the counts from its result."""
    result = result or {}
    error = error or video.error or (result.get("error") or "")
    analysed = not error and "reps" in result
    fps = result.get("processing_fps")
    return {
        "file": video.file,
        "profile": video.profile,
        "exercise": result.get("exercise") or video.exercise,
        "reps": str(result["reps"]) if analysed else "",
        "holds": _median_hold(result) if analysed else "",
        "flags": _flags(result) if analysed else "",
        "warnings": str(len(result.get("warnings", []))) if analysed else "",
        "error": error,
        "frames_per_s": f"{fps:.1f}" if analysed and isinstance(fps, (int, float)) else "",
        "content_sha256": result.get("content_sha256") or content_sha256,
        "recorded": video.recorded,
        "result": result_file,
    }


def to_csv(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def failed(rows: list[dict[str, str]]) -> int:
    return sum(1 for r in rows if r["error"])
