"""Benchmark: frames/s of decoding, bare MediaPipe, `posecount analyze` and track replay, plus memory.

    python -m calibration.bench [CLIP] [--exercise bridge] [--soak-minutes 20] [--json out.json]

All figures come from one run on one machine, so compare the ratios (c/b) rather than
absolute numbers across machines. Peak RSS is the process's high-water mark; the soak
loops the clip until the given minutes of video have been analysed and prints RSS at
the start and the end, which should be flat.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CLIPS = (ROOT / "tests/fixtures/videos", ROOT.parent / "shared/videos/bridge_lena_1.mp4")


def rss_mb() -> float:
    """Current resident memory in MB (Linux /proc; falls back to the peak elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        import os

        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return peak_rss_mb()


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def default_clip() -> Path:
    for candidate in DEFAULT_CLIPS:
        if candidate.is_dir():
            videos = sorted(candidate.glob("bridge*.mp4")) or sorted(candidate.glob("*.mp4"))
            if videos:
                return videos[0]
        elif candidate.is_file():
            return candidate
    raise SystemExit("no clip found: pass one as an argument")


def fps_of(fn) -> tuple[float, int]:
    started = time.perf_counter()
    n = fn()
    return n / (time.perf_counter() - started), n


def decode_only(clip: Path) -> int:
    from posecount.media.sources import VideoSource

    with VideoSource(clip) as src:
        return sum(1 for _ in src)


def bare_mediapipe(clip: Path, model_path: Path) -> float:
    """Frames/s of the baseline: OpenCV decode + colour conversion + PoseLandmarker.detect_for_video.

    Like posecount's own figure, the clock runs over the frame loop only (not the model load).
    """
    import cv2

    from posecount.pose import telemetry
    from posecount.pose.estimator import quiet_native_stderr

    telemetry.keep_on_machine()  # the same network conditions as posecount's own loop
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    opts = vision.PoseLandmarkerOptions(base_options=BaseOptions(model_asset_path=str(model_path)),
                                        running_mode=vision.RunningMode.VIDEO, num_poses=1)
    with quiet_native_stderr():
        landmarker = vision.PoseLandmarker.create_from_options(opts)
    cap = cv2.VideoCapture(str(clip))
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    n = 0
    started = time.perf_counter()
    try:
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
            with quiet_native_stderr() if n == 0 else contextlib.nullcontext():
                landmarker.detect_for_video(image, int(n * 1000 / fps))
            n += 1
    finally:
        cap.release()
        elapsed = time.perf_counter() - started
        with quiet_native_stderr():
            landmarker.close()
    return n / elapsed


def looping_stream(clip: Path, minutes: float, model) -> object:
    """A PoseStream that plays `clip` again and again until `minutes` of video went by."""
    from posecount.media.sources import VideoSource
    from posecount.pipeline import PoseStream
    from posecount.pose.estimator import PoseEstimator

    probe = VideoSource(clip)
    info = probe.info
    probe.close()
    estimator = PoseEstimator(model)
    limit_s = minutes * 60.0

    def poses() -> Iterator:
        offset = 0.0
        with estimator:
            for _ in itertools.count():
                with VideoSource(clip) as src:
                    last = 0.0
                    for frame in src:
                        t = offset + frame.t_s
                        if t >= limit_s:
                            return
                        yield t, estimator.detect(frame.image, t)
                        last = frame.t_s
                offset += last + 1.0 / info.fps

    return PoseStream(f"{info.name} looped", info.fps, int(limit_s * info.fps), info.size_wh,
                      estimator.model_name, estimator.model.sha256, poses())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", nargs="?", type=Path, help="video to measure (default: a bridge fixture)")
    parser.add_argument("--exercise", default="bridge")
    parser.add_argument("--model", default=None, help="lite, full, heavy or a .task path")
    parser.add_argument("--repeat", type=int, default=2, help="runs of (b) and (c), alternated; median kept")
    parser.add_argument("--soak-minutes", type=float, default=0.0, help="also loop the clip this long")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)

    from rich.console import Console
    from rich.table import Table

    from posecount.analysis.analyzer import create_analyzer
    from posecount.pipeline import analyze, analyze_stream
    from posecount.pose import models

    console = Console(stderr=True)
    clip = args.clip or default_clip()
    model = models.resolve(args.model)
    console.print(f"clip {clip.name}, model {model.name} ({model.origin}), {args.repeat} alternated runs")
    rss_start = rss_mb()

    decode_fps, n = fps_of(lambda: decode_only(clip))
    bare, ours, track = [], [], None
    for _ in range(args.repeat):
        bare.append(bare_mediapipe(clip, model.path))
        run = analyze(clip, exercise=args.exercise, model=model.path, keep_track=True)
        ours.append(run.processing_fps)
        track = run.track
    b, c = statistics.median(bare), statistics.median(ours)

    track_path = Path(tempfile.gettempdir()) / f"posecount-bench-{clip.stem}.npz"
    track.save(track_path)
    replays = []
    for _ in range(5):
        replay = analyze(track_path, exercise=args.exercise)
        replays.append(replay.processing_fps)
    d = statistics.median(replays)

    figures = {
        "clip": clip.name, "frames": n, "model": model.name,
        "a_decode_fps": round(decode_fps, 1), "b_bare_mediapipe_fps": round(b, 1),
        "c_posecount_analyze_fps": round(c, 1), "c_over_b": round(c / b, 3),
        "d_track_replay_fps": round(d, 0), "reps": run.reps, "reps_from_track": replay.reps,
        "rss_start_mb": round(rss_start, 1), "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    if args.soak_minutes > 0:
        analyzer = create_analyzer(args.exercise)
        stream = looping_stream(clip, args.soak_minutes, model.path)
        marks: list[tuple[int, float]] = []

        def sample(done: int, total: int | None) -> None:
            if done % 1000 == 0:
                marks.append((done, rss_mb()))

        soak = analyze_stream(stream, analyzer, progress=sample)
        figures.update({
            "soak_minutes": args.soak_minutes, "soak_frames": soak.frames, "soak_fps": round(soak.processing_fps, 1),
            "soak_rss_first_mb": round(marks[0][1], 1) if marks else None,
            "soak_rss_last_mb": round(marks[-1][1], 1) if marks else None,
            "soak_rss_samples": marks[:: max(1, len(marks) // 10)],
        })
    table = Table(title="posecount benchmark", title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in figures.items():
        if key != "soak_rss_samples":
            table.add_row(key, str(value))
    Console().print(table)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
