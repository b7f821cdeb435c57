"""Benchmark of the live coach: frames/s end to end, frames dropped, memory over a long run.

    python -m calibration.bench_live [CLIP] [--minutes 1] [--model full] [--window]

The clip is played as a camera would deliver it (at its own frame rate, looped until
`--minutes` have passed); with `--window` the coach draws its window (start Xvfb and set
DISPLAY on a machine without a screen). Compare figures within one run.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from calibration.bench import default_clip, peak_rss_mb, rss_mb
from posecount.media.sources import Frame, SourceInfo, VideoSource


class LoopingSource:
    """A video played again and again, timestamps running on, until `minutes` have passed."""

    def __init__(self, clip: Path, minutes: float) -> None:
        self.clip, self.limit_s = clip, minutes * 60.0
        with VideoSource(clip) as probe:
            info = probe.info
        self.info = SourceInfo(f"{info.name} looped", info.fps, int(self.limit_s * info.fps), info.size_wh)
        self.rss: list[tuple[float, float]] = []

    def __iter__(self) -> Iterator[Frame]:
        offset, index = 0.0, 0
        while True:
            with VideoSource(self.clip) as src:
                last = 0.0
                for frame in src:
                    t = offset + frame.t_s
                    if t >= self.limit_s:
                        return
                    if index % 300 == 0:
                        self.rss.append((round(t, 1), round(rss_mb(), 1)))
                    yield Frame(index, t, frame.image)
                    index += 1
                    last = frame.t_s
            offset += last + 1.0 / self.info.fps

    def close(self) -> None:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", nargs="?", type=Path)
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--model", default=None)
    parser.add_argument("--exercise", default="bridge")
    parser.add_argument("--window", action="store_true", help="draw the window (needs a display)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    from rich.console import Console

    from posecount.coach.live import LiveCoach, LiveOptions
    from posecount.coach.speech import Speaker

    clip = args.clip or default_clip()
    source = LoopingSource(clip, args.minutes)
    with tempfile.TemporaryDirectory() as tmp:
        opts = LiveOptions(exercise=args.exercise, source=str(clip), model=args.model, window=args.window,
                           quiet=True, sessions_dir=Path(tmp))
        coach = LiveCoach(opts, speaker=Speaker(quiet=True), source=source)
        started = time.perf_counter()
        result = coach.run()
        elapsed = time.perf_counter() - started
    processed = result.run.frames
    figures = {
        "clip": clip.name, "model": result.run.model, "window": args.window, "minutes": args.minutes,
        "source_fps": round(source.info.fps, 2), "frames_delivered": result.frames_read,
        "frames_processed": processed, "frames_dropped": result.frames_dropped,
        "end_to_end_fps": round(processed / elapsed, 1), "reps": result.run.reps,
        "rss_first_mb": source.rss[0][1] if source.rss else None,
        "rss_last_mb": source.rss[-1][1] if source.rss else None, "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_samples": source.rss[:: max(1, len(source.rss) // 12)],
    }
    Console().print_json(json.dumps(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
