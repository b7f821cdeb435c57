"""Evaluation harness: counts on labelled clips against the truth, as a table and totals.

    python -m calibration.evaluate DIR [--labels labels.json] [--exercise bridge] [--json OUT] [--csv OUT]

DIR holds videos (`.mp4`, ...) or pose tracks (`.npz`), each with its truth: a synthetic
truth JSON of the same stem (see `calibration.render`), or an entry in `--labels` (the
format of ../shared/videos/labels.json). Target clips are analysed as their exercise;
every clip also as each other exercise, where every rep is a false rep (a bridge counter must
count nothing on a side raise, as on a squat).

Pose tracks of videos are cached (key: the video's SHA-256, the model's, and the estimator's
settings with the person to follow, `EstimatorOptions.key`), so re-running after a threshold change
takes seconds. A `.npz` beside a video (same stem) is used as is. A target clip's track follows the
person doing its exercise when several are in view (as `analyze --exercise` does); a non-target's
follows whoever fits best (as "auto").
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from calibration.metrics import SCORED_FLAGS, ClipOutcome, RepTiming, Totals, summarize
from posecount import exercises

log = logging.getLogger(__name__)

EXERCISES = exercises.names()  # every registered exercise
LABEL_EXERCISE_NAMES = {"bridge": "bridge", "side_raise": "side-raise", "step_up": "step-up",
                        "side-raise": "side-raise", "step-up": "step-up"}
VIDEO_SUFFIXES = (".mp4", ".mov", ".avi", ".mkv", ".webm", ".m4v")


@dataclass(frozen=True)
class Clip:
    """A labelled clip: where its poses come from and what a correct counter says."""

    name: str
    path: Path  # a video or a .npz pose track
    exercise: str | None  # None: a non-target clip
    expected: int
    true_reps: tuple[RepTiming, ...]
    uncertain: bool = False
    expects_warning: bool = False  # filmed where the exercise cannot be measured
    true_flags: frozenset[str] | None = None  # faults of every true rep (None: not labelled)


# ---------------------------------------------------------------- reading the truth

# The truth signal each counter's peak is compared with (image-plane, as the counters measure).
PEAK_SIGNALS = {"bridge": ("bridge_angle_image_deg",), "side-raise": ("thigh_angle_image_deg",),
                "step-up": ("foot_height_left_leglen", "foot_height_right_leglen")}


def true_peak(truth: dict, start_s: float, end_s: float) -> float | None:
    """The highest value of the exercise's truth signal from start to end (None without it)."""
    frames = truth.get("frames") or {}
    keys = PEAK_SIGNALS.get(truth.get("exercise") or "", ())
    if "t_s" not in frames or not keys or any(k not in frames for k in keys):
        return None
    vals = [v for k in keys for t, v in zip(frames["t_s"], frames[k]) if start_s <= t <= end_s]
    return float(max(vals)) if vals else None


def clip_from_truth(path: Path, truth: dict) -> Clip:
    """A clip from a synthetic truth JSON (only the reps that should count are scored)."""
    warn = bool(truth.get("expects_warning", False))
    reps = tuple(RepTiming(r["start_s"], r["end_s"], r["hold_s"], tuple(r.get("flags", ())), r.get("side"),
                           true_peak(truth, r["start_s"], r["end_s"]))
                 for r in truth.get("reps", []) if r.get("counts", True) and not warn)
    flags = frozenset() if warn else frozenset(f for r in truth.get("reps", []) for f in r.get("flags", ()))
    return Clip(path.stem, path, truth.get("exercise"), int(truth.get("expected_reps", 0)), reps,
                expects_warning=warn, true_flags=flags & SCORED_FLAGS)


def clips_from_labels(labels: list[dict], folder: Path) -> list[Clip]:
    """Clips from a labels.json (hand counts: holds only, no rep times)."""
    out = []
    for e in labels:
        video = folder / e["file"]
        track = video.with_suffix(".npz")
        ex = e.get("exercise")
        ex = LABEL_EXERCISE_NAMES.get(ex, ex) if ex else None
        side = e.get("side") if e.get("side") in ("left", "right") else None
        holds = tuple(RepTiming(None, None, float(h), (), side) for h in e.get("holds_s", []))
        out.append(Clip(video.stem, track if (track.exists() and not video.exists()) else video, ex,
                        int(e.get("reps", 0)) if ex else 0, holds, bool(e.get("reps_uncertain", False))))
    return out


def discover(folder: Path, labels_path: Path | None) -> list[Clip]:
    if labels_path is not None:
        return clips_from_labels(json.loads(labels_path.read_text()), folder)
    clips = []
    for truth_path in sorted(folder.glob("*.json")):
        if truth_path.name.endswith(".check.json"):
            continue
        try:
            truth = json.loads(truth_path.read_text())
        except json.JSONDecodeError:
            continue
        if not isinstance(truth, dict) or "expected_reps" not in truth:
            continue
        media = [truth_path.with_suffix(s) for s in (*VIDEO_SUFFIXES, ".npz")]
        found = next((m for m in media if m.exists()), None)
        if found is None:
            log.warning("no video or track for %s", truth_path.name)
            continue
        clips.append(clip_from_truth(found, truth))
    return clips


# ---------------------------------------------------------------- pose tracks, cached

def sha256_of(path: Path) -> str:
    from posecount.pose.models import sha256_file

    return sha256_file(path)


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("posecount")) / "tracks"


class TrackSource:
    """Gives the pose track of a clip: the .npz itself, a .npz beside the video, or the cache."""

    def __init__(self, cache_dir: Path, model: str | None = None) -> None:
        self.cache_dir = cache_dir
        self.model = model
        self._model_sha: str | None = None
        self.pose_seconds = 0.0  # time spent running the model (not cached tracks)
        self.pose_frames = 0

    def model_sha256(self) -> str:
        if self._model_sha is None:
            from posecount.pose import models

            self._model_sha = models.resolve(self.model).sha256
        return self._model_sha

    def cache_path(self, video: Path, exercise: str | None = None) -> Path:
        """Where the track of `video` followed for `exercise` is cached."""
        from posecount.pipeline import estimator_options

        settings = estimator_options(exercise).key()
        return self.cache_dir / f"{sha256_of(video)[:32]}-{self.model_sha256()[:16]}-{settings}.npz"

    def track(self, clip: Clip):
        from posecount.pose.tracks import PoseTrack

        if clip.path.suffix == ".npz":
            return PoseTrack.load(clip.path)
        beside = clip.path.with_suffix(".npz")
        if beside.exists():
            return PoseTrack.load(beside)
        cached = self.cache_path(clip.path, clip.exercise)
        if cached.exists():
            return PoseTrack.load(cached)
        from posecount.cli.console import err, frame_progress
        from posecount.pipeline import record_track

        t0 = time.perf_counter()
        with frame_progress(f"tracking {clip.name}", err.is_terminal) as bar:
            track = record_track(clip.path, model=self.model, progress=bar, exercise=clip.exercise)
        spent = time.perf_counter() - t0
        self.pose_seconds += spent
        self.pose_frames += len(track)
        track.save(cached)
        if not err.is_terminal:  # a log line instead of the bar
            err.print(f"pose track of {clip.name}: {len(track)} frames at {len(track) / spent:.0f} frames/s")
        log.info("pose track of %s cached as %s", clip.name, cached.name)
        return track

    def prefetch(self, clips: list[Clip], jobs: int | None = None) -> int:
        """Computes the missing tracks of `clips` into the cache, `jobs` videos at a time.

        One MediaPipe landmarker keeps about one core busy (measured: one analysis 21.9 s, two at
        once 19.0 s each on 2 cores), so a process per core nearly multiplies the throughput.
        Returns how many tracks were computed."""
        todo = [c for c in clips if c.path.suffix != ".npz" and c.path.exists()
                and not c.path.with_suffix(".npz").exists() and not self.cache_path(c.path, c.exercise).exists()]
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        if jobs <= 1:
            for clip in todo:
                self.track(clip)
            return len(todo)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            frames = sum(pool.map(_record_track_into, [c.path for c in todo],
                                  [self.cache_path(c.path, c.exercise) for c in todo], [self.model] * len(todo),
                                  [c.exercise for c in todo]))
        self.pose_seconds += time.perf_counter() - t0
        self.pose_frames += frames
        return len(todo)


def _record_track_into(video: Path, target: Path, model: str | None, exercise: str | None) -> int:
    """Worker of `TrackSource.prefetch`: one video's pose track saved as `target`."""
    from posecount.pipeline import record_track

    track = record_track(video, model=model, exercise=exercise)
    track.save(target)
    return len(track)


# ---------------------------------------------------------------- running the counters

def outcome_of(clip: Clip, exercise: str, result: dict, frames: int, frames_with_pose: int) -> ClipOutcome:
    """One clip's outcome from the analysis contract (`AnalysisResult.to_dict()`)."""
    counted = tuple(RepTiming(r.get("start_s"), r.get("end_s"), r.get("hold_s"), tuple(r.get("flags", ())),
                              r.get("side"), r.get("peak"), r.get("variant"))
                    for r in result.get("repetitions", []))
    target = clip.exercise == exercise
    return ClipOutcome(
        clip=clip.name, exercise=exercise, target=target,
        expected=clip.expected if target else 0, counted=int(result.get("reps", len(counted))),
        true_reps=clip.true_reps if target else (), counted_reps=counted,
        rejected_reasons=tuple(r.get("reason", "") for r in result.get("rejected", [])),
        frames=frames, frames_with_pose=frames_with_pose, uncertain=clip.uncertain,
        expects_warning=clip.expects_warning and target, warned=bool(result.get("warnings")),
        true_flags=clip.true_flags if target else None,
    )


def evaluate(clips: list[Clip], tracks: TrackSource, exercises: tuple[str, ...] = EXERCISES,
             settings=None) -> tuple[list[ClipOutcome], float]:
    """Outcomes of every clip under every counter it is scored with, and the analysis time."""
    from posecount.analysis.analyzer import analyze_track

    outcomes: list[ClipOutcome] = []
    analysis_s = 0.0
    chosen = [c for c in clips if c.exercise is None or c.exercise in exercises]
    for clip in chosen:  # all pose tracks first: the slow part is kept even if an analysis fails
        tracks.track(clip)
    for clip in chosen:
        track = tracks.track(clip)
        runs = list(exercises)  # every counter on every clip: the others must count nothing
        for ex in runs:
            t0 = time.perf_counter()
            res = analyze_track(track, ex, settings=settings).to_dict()
            analysis_s += time.perf_counter() - t0
            outcomes.append(outcome_of(clip, ex, res, len(track), track.frames_with_pose))
    return outcomes, analysis_s


# ---------------------------------------------------------------- output

def _f(v: float | None, fmt: str = "{:.2f}") -> str:
    return "-" if v is None else fmt.format(v)


def rows(outcomes: list[ClipOutcome]) -> list[dict]:
    out = []
    for o in outcomes:
        holds = o.hold_errors_s
        out.append({
            "clip": o.clip, "counter": o.exercise, "target": o.target, "expected": o.expected,
            "counted": o.counted, "error": o.error,
            "hold_error_s": round(sum(holds) / len(holds), 3) if holds else None,
            "expected_flags": " ".join(sorted(o.true_flags)) if o.true_flags is not None else "",
            "flags": " ".join(o.counted_flags),
            "flags_missed": " ".join(o.flags_missed), "flags_false": " ".join(o.flags_false),
            "flags_labelled": o.true_flags is not None,
            "pose_share": round(o.frames_with_pose / o.frames, 3) if o.frames else None,
            "uncertain": o.uncertain, "exact": o.exact,
            "expects_warning": o.expects_warning, "warned": o.warned,
        })
    return out


def _flag_verdict(row: dict) -> str:
    """'ok', or the faults missed (-name) and reported wrongly (+name); '' where not labelled."""
    if not row["target"] or not row["flags_labelled"]:
        return ""
    bad = [f"-{f}" for f in row["flags_missed"].split()] + [f"+{f}" for f in row["flags_false"].split()]
    return " ".join(bad) if bad else "ok"


def print_report(outcomes: list[ClipOutcome], totals: Totals) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console() if sys.stdout.isatty() else Console(width=190)  # files and pipes get the full table
    table = Table(title="posecount evaluation", show_lines=False)
    for col, just in (("clip", "left"), ("counter", "left"), ("exp", "right"), ("got", "right"),
                      ("err", "right"), ("hold err s", "right"), ("expected flags", "left"),
                      ("flags", "left"), ("flags ok", "left"), ("pose", "right")):
        table.add_column(col, justify=just, no_wrap=col == "clip")  # type: ignore[arg-type]
    for r in rows(outcomes):
        style = None if r["exact"] or not r["target"] and r["error"] == 0 else (
            "yellow" if abs(r["error"]) <= 1 else "red")
        table.add_row(r["clip"] + (" (?)" if r["uncertain"] else ""),
                      r["counter"] + ("" if r["target"] else " (non-target)"),
                      str(r["expected"]), str(r["counted"]), f"{r['error']:+d}", _f(r["hold_error_s"]),
                      r["expected_flags"] + (" (warning)" if r["expects_warning"] else ""),
                      r["flags"] + (" (warned)" if r["warned"] else ""), _flag_verdict(r),
                      _f(r["pose_share"], "{:.0%}"),
                      style=style)
    console.print(table)
    summary = Table(title="totals")
    for col in ("scope", "target clips", "exact", "MAE", "OBO", "hold err s", "peak err", "side ok",
                "flags found", "false flags", "non-target runs", "false reps"):
        summary.add_column(col, justify="right")
    scopes = [("all", totals), *totals.per_exercise.items()]
    for name, t in scopes:
        summary.add_row(name, str(t.target_clips), _f(t.exact_rate, "{:.0%}"), _f(t.mae), _f(t.obo_rate, "{:.0%}"),
                        _f(t.mean_abs_hold_error_s), _f(t.mean_abs_peak_error), _f(t.side_accuracy, "{:.0%}"),
                        _f(t.flag_recall, "{:.0%}"), str(t.false_flags) if t.flag_recall is not None else "-",
                        str(t.non_target_runs),
                        str(t.false_reps))
    console.print(summary)
    console.print(f"frames: {totals.frames}, with a pose: {_f(totals.pose_share, '{:.1%}')}, "
                  f"frames/s: {_f(totals.frames_per_s, '{:.0f}')}")


def write_json(path: Path, outcomes: list[ClipOutcome], totals: Totals, extra: dict) -> None:
    path.write_text(json.dumps({"clips": rows(outcomes), "totals": totals.to_dict(), **extra}, indent=1) + "\n")


def write_csv(path: Path, outcomes: list[ClipOutcome]) -> None:
    data = rows(outcomes)
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(data[0]) if data else ["clip"])
        w.writeheader()
        w.writerows(data)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m calibration.evaluate", description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path, help="clips (videos or .npz tracks) with truth JSON, or with --labels")
    ap.add_argument("--labels", type=Path, help="a labels.json (hand counts) instead of truth JSON files")
    ap.add_argument("--exercise", choices=EXERCISES, action="append",
                    help="only this counter (repeatable; default: all three)")
    ap.add_argument("--json", type=Path, help="write the table and totals as JSON")
    ap.add_argument("--csv", type=Path, help="write the table as CSV")
    ap.add_argument("--cache", type=Path, help="pose-track cache folder (default: the user cache)")
    ap.add_argument("--model", help="pose model name or path (default: the project's)")
    ap.add_argument("--thresholds", type=Path, help="a thresholds TOML (default: the packaged one)")
    ap.add_argument("--tracks-only", action="store_true", help="only fill the pose-track cache")
    ap.add_argument("--jobs", type=int, default=None,
                    help="videos tracked at once when the cache lacks them (default: one per core)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    if not args.folder.is_dir():
        ap.error(f"not a folder: {args.folder}")
    clips = discover(args.folder, args.labels)
    if not clips:
        ap.error(f"no labelled clips in {args.folder}")
    settings = None
    if args.thresholds:
        from posecount.settings import load_settings

        settings = load_settings(args.thresholds)
    tracks = TrackSource(args.cache or default_cache_dir(), args.model)
    t0 = time.perf_counter()
    exercises = tuple(args.exercise) if args.exercise else EXERCISES
    tracks.prefetch(clips, args.jobs)
    if args.tracks_only:
        print(f"{len(clips)} pose tracks ready in {tracks.cache_dir}")
        return 0
    outcomes, analysis_s = evaluate(clips, tracks, exercises, settings)
    elapsed = time.perf_counter() - t0
    totals = summarize(outcomes, elapsed_s=elapsed)
    print_report(outcomes, totals)
    if tracks.pose_frames:
        rate = tracks.pose_frames / tracks.pose_seconds
        print(f"pose estimation: {tracks.pose_frames} frames at {rate:.1f} frames/s")
    analysed = sum(o.frames for o in outcomes)  # a clip scored by three counters is analysed three times
    print(f"analysis only: {analysed / analysis_s if analysis_s else 0:.0f} frames/s "
          f"({len(outcomes)} runs, {analysed} frames in {analysis_s:.2f} s)")
    extra = {"analysis_s": round(analysis_s, 3), "elapsed_s": round(elapsed, 3),
             "pose_frames_computed": tracks.pose_frames, "pose_s": round(tracks.pose_seconds, 3)}
    if args.json:
        write_json(args.json, outcomes, totals, extra)
    if args.csv:
        write_csv(args.csv, outcomes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
