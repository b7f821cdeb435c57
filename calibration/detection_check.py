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
from collections.abc import Iterable, Iterator
from pathlib import Path

import cv2
import numpy as np

from calibration.mannequin.truth import CHECKED, measured_signals, signal_error
from posecount.pose.landmarks import PoseFrame

log = logging.getLogger(__name__)

MIN_DETECTED_SHARE = 0.95
CHECK_VERSION = 1


def _estimated_poses(video: Path, fps: float) -> Iterator[tuple[float, PoseFrame | None]]:
    """Poses of every frame, from the project's estimator in video mode (as the counter runs it)."""
    from posecount.pose.estimator import EstimatorOptions, PoseEstimator

    cap = cv2.VideoCapture(str(video))
    try:
        with PoseEstimator(options=EstimatorOptions(mode="video", people_check_s=None)) as est:
            i = 0
            while True:
                ok, img = cap.read()
                if not ok:
                    break
                yield i / fps, est.detect(img, i / fps)
                i += 1
    finally:
        cap.release()


def check_poses(poses: Iterable[tuple[float, PoseFrame | None]], truth: dict, video_name: str = "") -> dict:
    """Detection share and per-signal error (degrees) of a clip's poses against its truth."""
    signals = CHECKED[truth["exercise"]]
    frames = truth["frames"]
    found: list[bool] = []
    errors: dict[str, list[float]] = {k: [] for k in signals}
    visibility: list[float] = []
    t0 = time.perf_counter()
    for i, (_, pose) in enumerate(poses):
        found.append(pose is not None)
        if pose is not None and i < len(frames["t_s"]):
            m = measured_signals(pose.image_px, pose.world_xyz)
            visibility.append(float(np.mean(pose.visibility[11:29])))
            tf = {k: v[i] for k, v in frames.items()}
            for k in signals:
                errors[k].append(signal_error(k, m, tf))
    elapsed = time.perf_counter() - t0
    share = float(np.mean(found)) if found else 0.0
    result: dict = {
        "check_version": CHECK_VERSION,
        "video": video_name,
        "scenario": truth.get("scenario"),
        "frames": len(found),
        "detected_share": round(share, 4),
        "passes": bool(found) and share >= MIN_DETECTED_SHARE,
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


def check_video(video: Path, truth: dict | None = None) -> dict:
    """Runs MediaPipe on a rendered clip and checks it against the truth JSON beside it."""
    truth = truth if truth is not None else json.loads(video.with_suffix(".json").read_text())
    return check_poses(_estimated_poses(video, truth["fps"]), truth, video.name)


def write_check(video: Path, res: dict | None = None) -> Path:
    res = res if res is not None else check_video(video)
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
    ap.add_argument("--cached-tracks", action="store_true",
                    help="use (and fill) the evaluation's pose-track cache instead of a fresh video-mode run")
    ap.add_argument("--json", type=Path, help="also write all checks as one JSON list")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    tracks = None
    if args.cached_tracks:
        from calibration.evaluate import TrackSource, default_cache_dir

        tracks = TrackSource(default_cache_dir())
    allres = []
    for v in _videos(args.paths):
        if tracks is not None:
            from calibration.evaluate import Clip

            truth = json.loads(v.with_suffix(".json").read_text())
            track = tracks.track(Clip(v.stem, v, truth["exercise"], 0, ()))
            res = json.loads(write_check(v, check_poses(track.frames(), truth, v.name)).read_text())
        else:
            res = json.loads(write_check(v).read_text())
        allres.append(res)
        sig = "  ".join(f"{k}: mean {s['mean_abs_error_deg']} max {s['max_abs_error_deg']}"
                        for k, s in res["signals"].items())
        print(f"{v.stem:40s} detected {res['detected_share']:.1%}  {sig}")
    if args.json:
        args.json.write_text(json.dumps(allres, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
