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

from posecount.analysis import EXERCISES, analyze_track
from posecount.pose.tracks import PoseTrack
from posecount.settings import Settings, load_settings, with_overrides

log = logging.getLogger("calibration.tune")

REPO = Path(__file__).resolve().parent.parent
DEFAULT_LABELS = REPO.parent / "shared" / "videos" / "labels.json"
_LABEL_NAMES = {"bridge": "bridge", "side_raise": "side-raise", "step_up": "step-up"}

# The grid searched by --search: the thresholds that decide counts (design: a few values
# around the defaults, each within the leaflet's physical limits).
GRID: dict[tuple[str, str], tuple[float, ...]] = {
    ("bridge", "count_max_deg"): (162.0, 166.0, 170.0),
    ("bridge", "count_rise_deg"): (25.0, 30.0, 35.0),
    ("side_raise", "count_rise_deg"): (14.0, 18.0, 24.0),
    ("step_up", "up_leglen"): (0.09, 0.12, 0.16),
}


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


def counts(clips: list[Clip], settings: Settings) -> dict[tuple[str, str], int]:
    """Reps counted per (clip, exercise)."""
    return {(c.stem, ex): analyze_track(c.track, ex, settings).count for c in clips for ex in EXERCISES}


def score(clips: list[Clip], got: dict[tuple[str, str], int]) -> dict[str, float]:
    target = [c for c in clips if c.exercise]
    exact = sum(got[(c.stem, c.exercise)] == c.reps for c in target)
    off1 = sum(abs(got[(c.stem, c.exercise)] - c.reps) <= 1 for c in target)
    non = [(c.stem, ex) for c in clips for ex in EXERCISES if ex != c.exercise]
    zero = sum(got[k] == 0 for k in non)
    return {"target_exact": exact, "target_n": len(target), "target_within1": off1,
            "nontarget_zero": zero, "nontarget_n": len(non),
            "loss": (len(target) - exact) * 2 + (len(target) - off1) * 4 + (len(non) - zero)}


def table(clips: list[Clip], got: dict[tuple[str, str], int]) -> str:
    rows = [f"{'clip':24} {'label':>10} {'expect':>6} | " + " ".join(f"{e:>10}" for e in EXERCISES)]
    for c in clips:
        cells = []
        for ex in EXERCISES:
            n = got[(c.stem, ex)]
            want = c.reps if ex == c.exercise else 0
            cells.append(f"{n:>9}{' ' if n == want else '*'}")
        rows.append(f"{c.stem:24} {str(c.exercise):>10} {c.reps:>6} | " + " ".join(cells))
    s = score(clips, got)
    rows.append(f"target exact {s['target_exact']}/{s['target_n']}, within one "
                f"{s['target_within1']}/{s['target_n']}; non-target zero "
                f"{s['nontarget_zero']}/{s['nontarget_n']}   (* = wrong)")
    return "\n".join(rows)


def grid_settings(base: Settings):
    keys = list(GRID)
    for values in itertools.product(*(GRID[k] for k in keys)):
        s = base
        for (section, name), v in zip(keys, values):
            s = with_overrides(s, section, **{name: v})
        yield dict(zip([f"{a}.{b}" for a, b in keys], values)), s


def leave_one_out(clips: list[Clip], base: Settings) -> tuple[str, dict]:
    """Per grid point, counts for every clip; then LOO: pick best on n-1 clips, score the one left out."""
    results = []
    for point, s in grid_settings(base):
        results.append((point, counts(clips, s)))
    lines, held = [], {}
    for c in clips:
        others = [o for o in clips if o.stem != c.stem]
        best_point, best_got = min(results, key=lambda r: score(others, r[1])["loss"])
        held.update({k: v for k, v in best_got.items() if k[0] == c.stem})
        lines.append(f"  {c.stem:24} best-on-others {best_point}")
    s = score(clips, held)
    summary = (f"leave-one-clip-out: target exact {s['target_exact']}/{s['target_n']}, within one "
               f"{s['target_within1']}/{s['target_n']}; non-target zero "
               f"{s['nontarget_zero']}/{s['nontarget_n']}")
    return summary + "\n" + "\n".join(lines), s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tracks", type=Path, required=True, help="folder of <clip stem>.npz pose tracks")
    ap.add_argument("--labels", type=Path, default=DEFAULT_LABELS, help="labels.json of the clips")
    ap.add_argument("--thresholds", type=Path, default=None, help="thresholds TOML (default: the package's)")
    ap.add_argument("--search", action="store_true", help="grid search with leave-one-clip-out results")
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
    if args.search:
        text, loo = leave_one_out(clips, base)
        sys.stdout.write(text + "\n")
        out["leave_one_out"] = loo
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
