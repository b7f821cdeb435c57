"""Benchmark of `posecount batch`: throughput by engine and workers, threads and memory per worker.

    python -m calibration.bench_batch [FOLDER] [--jobs 1 2 4] [--engines local ray]
    python -m calibration.bench_batch --soak 100        # RSS of each worker over 100 short videos

Each configuration runs the real command on a fresh output folder (nothing skipped) while the
worker processes are sampled every half second from /proc (resident memory, threads). The soak
loops the fixtures' first two seconds into N distinct videos (a changed byte each, so every one is
analysed) and reports each worker's RSS over the batch: early, late and the largest.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "videos"


@dataclass
class Samples:
    rss_mb: dict[int, list[float]] = field(default_factory=dict)  # per worker pid, in time order
    threads: dict[int, int] = field(default_factory=dict)


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                kids = [int(k) for k in task.read_text().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


def _status(pid: int) -> tuple[float, int] | None:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    if "VmRSS" not in fields:  # a process that has just exited
        return None
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["Threads"])


def _watch(root: int, samples: Samples, stop: threading.Event) -> None:
    while not stop.wait(0.5):
        for pid in [root, *_descendants(root)]:
            got = _status(pid)
            if got is not None and got[0] > 150:  # a process with a model loaded, not a helper
                samples.rss_mb.setdefault(pid, []).append(got[0])
                samples.threads[pid] = max(samples.threads.get(pid, 0), got[1])


def run(inputs: list[str], jobs: int, engine: str, extra: list[str] = ()) -> tuple[float, Samples, str]:
    out = Path(tempfile.mkdtemp(prefix="posecount-bench-batch-")) / "out"
    cmd = [sys.executable, "-m", "posecount", "batch", *inputs, "-o", str(out), "--jobs", str(jobs),
           "--engine", engine, "--no-progress", *extra]
    samples, stop = Samples(), threading.Event()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    watcher = threading.Thread(target=_watch, args=(proc.pid, samples, stop), daemon=True)
    watcher.start()
    text, _ = proc.communicate()
    stop.set()
    return time.perf_counter() - t0, samples, text.strip().splitlines()[-1] if text.strip() else ""


def soak_inputs(n: int, folder: Path) -> list[str]:
    """N distinct 2-second videos from the fixtures (a byte changed in each: another content hash)."""
    import cv2

    clips = sorted(FIXTURES.glob("*.mp4"))
    made = []
    for i in range(n):
        src = clips[i % len(clips)]
        dest = folder / f"soak{i:03d}.mp4"
        cap = cv2.VideoCapture(str(src))
        fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
        ok, frame = cap.read()
        writer = cv2.VideoWriter(str(dest), cv2.VideoWriter_fourcc(*"mp4v"), fps, (frame.shape[1], frame.shape[0]))
        for k in range(int(2 * fps)):
            if not ok:
                break
            frame[0, 0] = (i % 256, i // 256, k % 256)  # distinct bytes, same content for MediaPipe
            writer.write(frame)
            ok, frame = cap.read()
        writer.release()
        cap.release()
        made.append(str(dest))
    return made


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m calibration.bench_batch", description=__doc__.split("\n")[0])
    ap.add_argument("folder", nargs="?", type=Path, default=FIXTURES)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--engines", nargs="+", default=["local"])
    ap.add_argument("--analysis-fps", type=float, default=None)
    ap.add_argument("--soak", type=int, default=0, help="instead: RSS over this many short videos (2 workers)")
    args = ap.parse_args(argv)
    extra = ["--analysis-fps", str(args.analysis_fps)] if args.analysis_fps else []
    if args.soak:
        with tempfile.TemporaryDirectory() as tmp:
            wall, samples, last = run(soak_inputs(args.soak, Path(tmp)), 2, "local", extra)
        print(f"{args.soak} videos in {wall:.0f} s: {last}")
        for pid, rss in samples.rss_mb.items():
            k = max(1, len(rss) // 10)
            print(f"  worker {pid}: RSS first tenth {statistics.median(rss[:k]):.0f} MB, last tenth "
                  f"{statistics.median(rss[-k:]):.0f} MB, largest {max(rss):.0f} MB over {len(rss)} samples")
        return 0
    inputs = [str(args.folder)]
    videos = sum(1 for _ in args.folder.rglob("*.mp4"))
    print(f"{videos} videos in {args.folder}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    for engine in args.engines:
        for jobs in args.jobs:
            wall, samples, last = run(inputs, jobs, engine, extra)
            workers = [p for p in samples.rss_mb]
            rss = max((max(v) for v in samples.rss_mb.values()), default=0.0)
            threads = max(samples.threads.values(), default=0)
            print(f"{engine:5s} {jobs} workers: {wall:6.1f} s, {3600 * videos / wall:5.0f} videos/h, "
                  f"{len(workers)} model processes, <= {threads} threads and <= {rss:.0f} MB each | {last}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
