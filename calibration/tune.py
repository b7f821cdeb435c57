"""Checks and tunes the thresholds on hand-counted clips' pose tracks.

    python -m calibration.tune --tracks DIR [--labels PATH] [--search] [--json OUT]

For every labelled clip with a track `DIR/<clip stem>.npz`, each of the three counters is
run: on its own exercise the count must match the label; on every other clip (other
exercises and negatives) it must be 0. `--search` tries a small grid of the thresholds that
matter most and reports leave-one-clip-out results: for each clip, the grid point best on
all the other clips is chosen and then scored on the left-out clip, so that the number says
how the tuning generalises rather than how well it memorised these clips.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from posecount import exercises
from posecount.analysis.analyzer import analyze_track
from posecount.pose.tracks import PoseTrack
from posecount.settings import Settings, load_settings, with_overrides

log = logging.getLogger("calibration.tune")

REPO = Path(__file__).resolve().parent.parent
DEFAULT_LABELS = REPO.parent / "shared" / "videos" / "labels.json"
_LABEL_NAMES = {"bridge": "bridge", "side_raise": "side-raise", "step_up": "step-up"}

# The grid searched by --search, per exercise: the thresholds that decide its counts (a few
# values around the defaults, each within the leaflet's physical limits). Each counter only
# reads its own section, so each exercise's grid is searched on its own.
GRID: dict[str, dict[str, tuple[float, ...]]] = {
    "bridge": {"count_max_deg": (162.0, 166.0, 170.0), "count_rise_deg": (25.0, 30.0, 35.0),
               "top_frac": (0.5, 0.58, 0.66)},
    "side-raise": {"count_rise_deg": (12.0, 15.0, 18.0), "count_top_frac": (0.4, 0.5, 0.6)},
    "step-up": {"up_leglen": (0.09, 0.12, 0.16), "pelvis_rise_min_leglen": (0.03, 0.06, 0.1),
                "together_gap_leglen": (0.03, 0.05)},
}
_SECTION = {"bridge": "bridge", "side-raise": "side_raise", "step-up": "step_up"}


@dataclass(frozen=True)
class Clip:
    stem: str
    exercise: str | None  # posecount's name, None for other exercises and negatives
    reps: int
    track: PoseTrack


def load_clips(tracks: Path, labels: Path) -> list[Clip]:
    entries = json.loads(labels.read_text())
    clips = []
    for e in entries:
        stem = Path(e["file"]).stem
        path = tracks / f"{stem}.npz"
        if not path.exists():
            log.warning("no track for %s", stem)
            continue
        ex = _LABEL_NAMES.get(e["exercise"]) if e["exercise"] else None
        clips.append(Clip(stem, ex, int(e["reps"]) if ex else 0, PoseTrack.load(path)))
    return clips


def counts(clips: list[Clip], settings: Settings,
           names: tuple[str, ...] | None = None) -> dict[tuple[str, str], int]:
    """Reps counted per (clip, exercise)."""
    return {(c.stem, ex): analyze_track(c.track, ex, settings).count for c in clips
            for ex in (names or exercises.names())}


def score(clips: list[Clip], got: dict[tuple[str, str], int]) -> dict[str, float]:
    target = [c for c in clips if c.exercise]
    exact = sum(got[(c.stem, c.exercise)] == c.reps for c in target)
    off1 = sum(abs(got[(c.stem, c.exercise)] - c.reps) <= 1 for c in target)
    non = [(c.stem, ex) for c in clips for ex in exercises.names() if ex != c.exercise]
    zero = sum(got[k] == 0 for k in non)
    return {"target_exact": exact, "target_n": len(target), "target_within1": off1,
            "nontarget_zero": zero, "nontarget_n": len(non),
            "loss": (len(target) - exact) * 2 + (len(target) - off1) * 4 + (len(non) - zero)}


def table(clips: list[Clip], got: dict[tuple[str, str], int]) -> str:
    rows = [f"{'clip':24} {'label':>10} {'expect':>6} | " + " ".join(f"{e:>10}" for e in exercises.names())]
    for c in clips:
        cells = []
        for ex in exercises.names():
            n = got[(c.stem, ex)]
            want = c.reps if ex == c.exercise else 0
            cells.append(f"{n:>9}{' ' if n == want else '*'}")
        rows.append(f"{c.stem:24} {str(c.exercise):>10} {c.reps:>6} | " + " ".join(cells))
    s = score(clips, got)
    rows.append(f"target exact {s['target_exact']}/{s['target_n']}, within one "
                f"{s['target_within1']}/{s['target_n']}; non-target zero "
                f"{s['nontarget_zero']}/{s['nontarget_n']}   (* = wrong)")
    return "\n".join(rows)


def grid_points(base: Settings, exercise: str):
    grid = GRID[exercise]
    for values in itertools.product(*grid.values()):
        point = dict(zip(grid, values))
        yield point, with_overrides(base, _SECTION[exercise], **point)


def _loss(clips: list[Clip], got: dict, exercise: str) -> int:
    """Errors of one counter: 2 per wrong target count (+4 if off by more than one), 1 per false count."""
    loss = 0
    for c in clips:
        n = got[(c.stem, exercise)]
        if c.exercise == exercise:
            loss += 2 * (n != c.reps) + 4 * (abs(n - c.reps) > 1)
        else:
            loss += int(n != 0)
    return loss


def leave_one_out(clips: list[Clip], base: Settings) -> tuple[str, dict]:
    """Per exercise and grid point, counts on every clip; then for each clip, the grid point best
    on the other clips is scored on the clip left out."""
    held: dict[tuple[str, str], int] = {}
    lines = []
    for ex in exercises.names():
        cfg = getattr(base, _SECTION[ex])
        # Ties go to the point nearest the committed thresholds: no change without evidence.
        results = sorted(((point, counts(clips, s, (ex,))) for point, s in grid_points(base, ex)),
                         key=lambda r: sum(abs(v - getattr(cfg, k)) / abs(getattr(cfg, k) or 1)
                                           for k, v in r[0].items()))
        best_all = min(results, key=lambda r: _loss(clips, r[1], ex))
        lines.append(f"  {ex}: best on all clips {best_all[0]} (loss {_loss(clips, best_all[1], ex)})")
        for c in clips:
            others = [o for o in clips if o.stem != c.stem]
            point, got = min(results, key=lambda r: _loss(others, r[1], ex))
            held[(c.stem, ex)] = got[(c.stem, ex)]
            if c.exercise == ex or got[(c.stem, ex)] != 0:
                lines.append(f"    {c.stem:24} held out: counted {got[(c.stem, ex)]} with {point}")
    s = score(clips, held)
    summary = (f"leave-one-clip-out: target exact {s['target_exact']}/{s['target_n']}, within one "
               f"{s['target_within1']}/{s['target_n']}; non-target zero "
               f"{s['nontarget_zero']}/{s['nontarget_n']}")
    return summary + "\n" + "\n".join(lines), s


def details(clips: list[Clip], settings: Settings) -> str:
    """Per target clip: what its own counter and `auto` report (side, holds, rejections)."""
    rows = []
    for c in clips:
        if not c.exercise:
            continue
        r = analyze_track(c.track, c.exercise, settings)
        auto = analyze_track(c.track, "auto", settings)
        rows.append(f"  {c.stem:24} {c.exercise:10} reps {r.count} holds "
                    f"{[round(x.hold_s, 1) for x in r.reps]} sides {[x.side for x in r.reps]} "
                    f"variants {[x.variant for x in r.reps]} rejected {[x.reason for x in r.rejected]} "
                    f"| auto: {auto.exercise} {auto.count}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tracks", type=Path, required=True, help="folder of <clip stem>.npz pose tracks")
    ap.add_argument("--labels", type=Path, default=DEFAULT_LABELS, help="labels.json of the clips")
    ap.add_argument("--thresholds", type=Path, default=None, help="thresholds TOML (default: the package's)")
    ap.add_argument("--search", action="store_true", help="grid search with leave-one-clip-out results")
    ap.add_argument("--details", action="store_true", help="per target clip: holds, sides, auto choice")
    ap.add_argument("--json", type=Path, default=None, help="write the numbers here")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    base = load_settings(args.thresholds)
    clips = load_clips(args.tracks, args.labels)
    if not clips:
        log.error("no tracks found in %s for the clips in %s", args.tracks, args.labels)
        return 1
    got = counts(clips, base)
    out = {"thresholds": str(base.source), "score": score(clips, got),
           "counts": {f"{k[0]}:{k[1]}": v for k, v in got.items()}}
    sys.stdout.write(table(clips, got) + "\n")
    if args.details:
        sys.stdout.write(details(clips, base) + "\n")
    if args.search:
        text, loo = leave_one_out(clips, base)
        sys.stdout.write(text + "\n")
        out["leave_one_out"] = loo
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
