"""Checks that MediaPipe sees the rendered figure: share of frames with a pose, angle error vs truth.

    python -m calibration.detection_check DIR_OR_VIDEO...   # writes <stem>.check.json beside each video

The check runs the project's `PoseEstimator` in video mode, as the counter will, and compares
the exercise's signals (image-plane and 3D angles) with the renderer's truth.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

import cv2
import numpy as np

from calibration.mannequin.truth import CHECKED, measured_signals, signal_error

log = logging.getLogger(__name__)

MIN_DETECTED_SHARE = 0.95
CHECK_VERSION = 1


def check_video(video: Path, truth: dict | None = None) -> dict:
    """Detection share and per-signal error (degrees) of one rendered clip."""
    from posecount.pose.estimator import EstimatorOptions, PoseEstimator

    truth = truth if truth is not None else json.loads(video.with_suffix(".json").read_text())
    signals = CHECKED[truth["exercise"]]
    frames = truth["frames"]
    cap = cv2.VideoCapture(str(video))
    found: list[bool] = []
    errors: dict[str, list[float]] = {k: [] for k in signals}
    visibility: list[float] = []
    t0 = time.perf_counter()
    with PoseEstimator(options=EstimatorOptions(mode="video", people_check_s=None)) as est:
        i = 0
        while True:
            ok, img = cap.read()
            if not ok:
                break
            pose = est.detect(img, i / truth["fps"])
            found.append(pose is not None)
            if pose is not None and i < len(frames["t_s"]):
                m = measured_signals(pose.image_px, pose.world_xyz)
                visibility.append(float(np.mean(pose.visibility[11:29])))
                tf = {k: v[i] for k, v in frames.items()}
                for k in signals:
                    errors[k].append(signal_error(k, m, tf))
            i += 1
    cap.release()
    elapsed = time.perf_counter() - t0
    result: dict = {
        "check_version": CHECK_VERSION,
        "video": video.name,
        "scenario": truth.get("scenario"),
        "frames": len(found),
        "detected_share": round(float(np.mean(found)) if found else 0.0, 4),
        "passes": bool(found) and float(np.mean(found)) >= MIN_DETECTED_SHARE,
        "mean_visibility_body": round(float(np.mean(visibility)), 3) if visibility else None,
        "signals": {},
        "frames_per_s": round(len(found) / max(elapsed, 1e-9), 1),
    }
    for k in signals:
        err = np.asarray(errors[k], float)
        err = err[np.isfinite(err)]
        result["signals"][k] = {
            "mean_abs_error_deg": round(float(err.mean()), 2) if err.size else None,
            "p95_abs_error_deg": round(float(np.percentile(err, 95)), 2) if err.size else None,
            "max_abs_error_deg": round(float(err.max()), 2) if err.size else None,
        }
    return result


def write_check(video: Path) -> Path:
    res = check_video(video)
    out = video.with_name(video.stem + ".check.json")
    out.write_text(json.dumps(res, indent=1) + "\n")
    return out


def _videos(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(v for v in p.glob("*.mp4") if v.with_suffix(".json").exists())
        else:
            out.append(p)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m calibration.detection_check", description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="+", type=Path)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for v in _videos(args.paths):
        res = json.loads(write_check(v).read_text())
        sig = "  ".join(f"{k}: mean {s['mean_abs_error_deg']} max {s['max_abs_error_deg']}"
                        for k, s in res["signals"].items())
        print(f"{v.stem:40s} detected {res['detected_share']:.1%}  {sig}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
