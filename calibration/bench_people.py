"""Benchmark: what looking for a second person costs, in ms per frame of pose estimation.

    python -m calibration.bench_people [CLIP ...] [--frames 300] [--repeat 2] [--json out.json]

Per clip, the same frames go through each way of looking (decoding is not timed):
one person only; one person plus a two-person look every 2 s, 1 s or 0.5 s (image mode);
two people on every frame (video mode); and posecount's estimator as shipped (one person, a look
every `people_check_s`, two people on every frame while several are in view); last, what one
two-person look costs by itself. The best of `--repeat` passes counts (the machine is shared: the
slower passes measure the neighbours).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CLIP = ROOT / "tests/fixtures/videos/fx_bridge_side.mp4"


def read_frames(clip: Path, limit: int) -> list:
    from posecount.media.sources import VideoSource

    out = []
    with VideoSource(clip) as src:
        for frame in src:
            out.append((frame.t_s, frame.image))
            if len(out) >= limit:
                break
    return out


def warm_up(est, image) -> None:
    """Each task's first call sets MediaPipe up (and the two-person one is loaded when first needed):
    one-off costs, not costs per frame."""
    import cv2
    import mediapipe as mp

    mp_image = mp.Image(image_format=mp.ImageFormat.SRGB, data=cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
    est._several_landmarker = est._create(num_poses=2, mode=est.options.mode)
    for task in (est._landmarker, est._people_checker, est._several_landmarker):
        if task is not None:
            est._run(task, mp_image, -1.0, image=task is est._people_checker)


def time_estimator(frames: list, options) -> tuple[float, int]:
    """ms per frame of `PoseEstimator.detect` with `options`, and the most people seen at once."""
    from posecount.pose.estimator import PoseEstimator

    with PoseEstimator(None, options) as est:
        warm_up(est, frames[0][1])
        started = time.perf_counter()
        for t_s, image in frames:
            est.detect(image, t_s)
        return 1000 * (time.perf_counter() - started) / len(frames), est.people_seen_max


def time_two_always(frames: list) -> tuple[float, int]:
    """ms per frame of a two-person landmarker in video mode on every frame."""
    import cv2
    import mediapipe as mp

    from posecount.pose.estimator import EstimatorOptions, PoseEstimator

    with PoseEstimator(None, EstimatorOptions(people_check_s=None)) as est:
        task = est._create(num_poses=2, mode="video")
        try:
            most, started = 0, 0.0
            for i, image in enumerate([frames[0][1], *(f[1] for f in frames)]):  # the first: set-up
                if i == 1:
                    started = time.perf_counter()
                rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
                res = task.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), i * 33)
                most = max(most, len(res.pose_landmarks))
            return 1000 * (time.perf_counter() - started) / len(frames), most
        finally:
            task.close()


def time_one_look(frames: list) -> tuple[float, int]:
    """ms of one two-person look in image mode (what a periodic check costs each time)."""
    import cv2
    import mediapipe as mp

    from posecount.pose.estimator import EstimatorOptions, PoseEstimator

    with PoseEstimator(None, EstimatorOptions(people_check_s=1.0)) as est:
        images = [mp.Image(image_format=mp.ImageFormat.SRGB, data=cv2.cvtColor(img, cv2.COLOR_BGR2RGB))
                  for _, img in frames[:: max(1, len(frames) // 30)]]
        est._people_checker.detect(images[0])  # set-up
        started = time.perf_counter()
        most = max(len(est._people_checker.detect(im).pose_landmarks) for im in images)
        return 1000 * (time.perf_counter() - started) / len(images), most


def ways() -> dict:
    from posecount.pose.estimator import EstimatorOptions

    return {
        "one person only": lambda f: time_estimator(f, EstimatorOptions(people_check_s=None)),
        "one + look every 2 s": lambda f: time_estimator(f, EstimatorOptions(people_check_s=2.0)),
        "one + look every 1 s": lambda f: time_estimator(f, EstimatorOptions(people_check_s=1.0)),
        "one + look every 0.5 s": lambda f: time_estimator(f, EstimatorOptions(people_check_s=0.5)),
        "two on every frame": time_two_always,
        "posecount (as shipped)": lambda f: time_estimator(f, EstimatorOptions()),
        "one two-person look (ms)": time_one_look,
    }


def bench(clip: Path, n_frames: int, repeat: int) -> dict[str, dict]:
    frames = read_frames(clip, n_frames)
    out: dict[str, dict] = {}
    for name, run in ways().items():
        passes = [run(frames) for _ in range(repeat)]
        out[name] = {"ms_per_frame": round(min(p[0] for p in passes), 1), "people_max": passes[0][1]}
        unit = "ms a look" if name.endswith("(ms)") else "ms/frame"
        print(f"  {name:26s} {out[name]['ms_per_frame']:6.1f} {unit}  (most people seen: {passes[0][1]})", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m calibration.bench_people", description=__doc__.split("\n")[0])
    ap.add_argument("clips", nargs="*", type=Path, help=f"videos (default: {DEFAULT_CLIP.name})")
    ap.add_argument("--frames", type=int, default=300, help="frames per clip (from the start)")
    ap.add_argument("--repeat", type=int, default=2, help="passes per way; the fastest counts")
    ap.add_argument("--json", type=Path, help="write the figures as JSON")
    args = ap.parse_args(argv)
    results = {}
    for clip in args.clips or [DEFAULT_CLIP]:
        print(f"{clip.name} ({args.frames} frames, best of {args.repeat}):", flush=True)
        results[clip.name] = bench(clip, args.frames, args.repeat)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
