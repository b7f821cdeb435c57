"""Counts, hold error and frames/s at several analysis rates (`--analysis-fps`) on rendered clips.

    python -m calibration.analysis_fps tests/fixtures/videos --rates 0 15 10

Rate 0 is the source rate. Each clip with a truth JSON (`calibration.render`) is analysed once per
rate: its own exercise for target clips, `auto` for the others (which expect 0 repetitions).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from posecount.pipeline import analyze
from posecount.pose import models


def hold_errors(truth: dict, result: dict) -> list[float]:
    """|counted hold - true hold| for each counted true repetition, matched by the nearest top."""
    got = [r for r in result["repetitions"] if r.get("hold_s") is not None]
    errs = []
    for rep in (r for r in truth.get("reps", []) if r.get("counts")):
        if got:
            near = min(got, key=lambda r: abs(r["top_s"] - rep["top_s"]))
            errs.append(abs(near["hold_s"] - rep["hold_s"]))
    return errs


def sweep(folder: Path, rates: list[float]) -> list[dict]:
    model = models.resolve()
    rows = []
    for truth_path in sorted(folder.glob("*.json")):
        if truth_path.name.endswith(".check.json"):
            continue
        truth = json.loads(truth_path.read_text())
        video = folder / truth["video"]
        for rate in rates:
            t0 = time.perf_counter()
            run = analyze(video, exercise=truth.get("exercise") or "auto", model=model, analysis_fps=rate or None)
            wall = time.perf_counter() - t0
            result = run.to_dict()
            errs = hold_errors(truth, result)
            rows.append({"clip": video.stem, "rate": rate or truth["fps"], "expected": truth["expected_reps"],
                         "counted": result["reps"], "hold_err_s": statistics.mean(errs) if errs else None,
                         "frames": result["frames"], "frames_per_s": result["processing_fps"],
                         "wall_s": round(wall, 2), "source_frames_per_s": round(truth["n_frames"] / wall, 1)})
            print(json.dumps(rows[-1]), flush=True)  # noqa: T201 — development tooling
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--rates", type=float, nargs="+", default=[0, 15, 10])
    args = ap.parse_args()
    sweep(args.folder, args.rates)


if __name__ == "__main__":
    main()
