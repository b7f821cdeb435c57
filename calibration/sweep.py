"""Random scenarios: fresh clips nobody tuned on, to see whether the counting generalises.

    python -m calibration.sweep --n 24 --seed 1000 --out DIR [--list]
    python -m calibration.evaluate DIR

Each seed draws one scenario: an exercise (or a non-target activity), how it is done (reps,
holds, tempo, amplitude, variant, faults) and how it is filmed (view, camera height and distance,
portrait or landscape, frame rate, body size, camera shake and light). The ranges are those of the
leaflet and of real home videos; views from which an exercise cannot be measured are not drawn.
The same seed always gives the same scenario, so a miss can be rendered again and looked at.

The named scenarios (`calibration.scenarios`) were each made for one case and the thresholds were
checked on them; a sweep with a new seed is a held-out set for the whole counter.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import numpy as np

from calibration.mannequin.body import BodySize
from calibration.mannequin.motion import BRIDGE_PARTIAL_LIFT, MotionScript
from calibration.mannequin.scene import Effects
from calibration.scenarios import PORTRAIT, Scenario

log = logging.getLogger(__name__)

# What a drawn clip shows, with its weight: the three exercises most of the time.
KINDS = {"bridge": 0.28, "side-raise": 0.32, "step-up": 0.28, "negative": 0.12}
VIEWS = {"bridge": ("side", "side-other", "oblique+30", "oblique-30"),
         "side-raise": ("side", "side-other", "oblique+30", "oblique-30"),
         "step-up": ("side", "side-other", "oblique+30", "oblique-30", "front")}
NEGATIVES = ("stand", "walk", "lie", "squat", "fidget")
SIZES = ((640, 480), (854, 480), (1280, 720), PORTRAIT)
FRAME_RATES = (15.0, 24.0, 25.0, 30.0, 30.0, 30.0, 60.0)


def _bridge(rng: np.random.Generator) -> MotionScript:
    reps = int(rng.integers(2, 6))
    holds = tuple(float(x) for x in rng.uniform(2.0, 8.0, reps))
    variant = "stretch-legs" if rng.random() < 0.2 else "standard"
    lifts = tuple(float(x) for x in rng.uniform(0.8, 1.0, reps))  # not everybody gets fully in line
    faults = {int(rng.integers(reps)): "partial"} if rng.random() < 0.2 else {}
    # A partial rep is a half-rise (not a rep): its drawn lift would override the fault's
    # height (`MotionScript.lift_for`) and label a full rise as "not high enough".
    lifts = tuple(BRIDGE_PARTIAL_LIFT if i in faults else x for i, x in enumerate(lifts))
    return MotionScript("bridge", reps=reps, hold_s=holds, rise_s=float(rng.uniform(0.8, 2.5)),
                        lower_s=float(rng.uniform(0.7, 4.0)), pause_s=float(rng.uniform(0.8, 3.0)),
                        variant=variant, lifts=lifts, faults=faults, knee_rest_deg=float(rng.uniform(75.0, 110.0)))


def _side_raise(rng: np.random.Generator) -> MotionScript:
    reps = int(rng.integers(2, 6))
    variant = str(rng.choice(["standard", "standard", "straight-leg", "clamshell"]))
    top = float(rng.uniform(25.0, 50.0))
    faults = {}
    if rng.random() < 0.25:
        faults = {int(i): "leg_rested" for i in rng.choice(reps, size=min(reps, 2), replace=False)}
    return MotionScript("side-raise", reps=reps, hold_s=float(rng.uniform(1.5, 4.0)),
                        rise_s=float(rng.uniform(0.7, 2.0)), lower_s=float(rng.uniform(0.8, 2.5)),
                        pause_s=float(rng.uniform(0.4, 2.0)), side=str(rng.choice(["left", "right"])),
                        variant=variant, top_deg=top, hover_deg=float(rng.uniform(3.0, min(12.0, top / 3))),
                        faults=faults)


def _step_up(rng: np.random.Generator) -> MotionScript:
    reps = int(rng.integers(2, 7))
    faults = {int(rng.integers(reps)): "feet_together"} if rng.random() < 0.15 else {}
    return MotionScript("step-up", reps=reps, hold_s=float(rng.uniform(0.3, 1.5)),
                        rise_s=float(rng.uniform(1.2, 2.5)), lower_s=float(rng.uniform(1.2, 2.5)),
                        pause_s=float(rng.uniform(0.4, 2.0)), side=str(rng.choice(["left", "right"])),
                        step_m=float(rng.uniform(0.10, 0.22)), faults=faults)


SCRIPTS = {"bridge": _bridge, "side-raise": _side_raise, "step-up": _step_up}


def scenario(seed: int) -> Scenario:
    """The scenario drawn from `seed` (always the same one)."""
    rng = np.random.default_rng(seed)
    kind = str(rng.choice(list(KINDS), p=np.array(list(KINDS.values())) / sum(KINDS.values())))
    if kind == "negative":
        activity = str(rng.choice(NEGATIVES))
        script = MotionScript(activity, side=str(rng.choice(["left", "right"])),
                              duration_s=float(rng.uniform(8.0, 16.0)))
        view = "side"
    else:
        script = SCRIPTS[kind](rng)
        view = str(rng.choice(VIEWS[kind]))
    width, height = SIZES[int(rng.integers(len(SIZES)))]
    lying = kind in ("bridge", "side-raise") or script.exercise in ("lie", "fidget")
    camera_h = float(rng.uniform(0.3, 1.3) if lying else rng.uniform(0.7, 1.4))
    effects = Effects(noise_sigma=float(rng.uniform(1.0, 3.5)), blur_px=float(rng.choice([0.0, 0.0, 1.0])),
                      shake_px=float(rng.choice([0.0, 0.0, 1.5, 3.0])), light_change=float(rng.uniform(0.0, 0.3)))
    body = BodySize(scale=float(rng.uniform(0.88, 1.1)), girth=float(rng.uniform(0.9, 1.3)))
    name = f"sweep{seed}_{script.exercise.replace('-', '_')}_{view.replace('+', 'p').replace('-', 'm')}"
    return Scenario(name, script, view=view, width=width, height=height,
                    fps=float(FRAME_RATES[int(rng.integers(len(FRAME_RATES)))]), seed=seed, effects=effects,
                    body=body, camera_height_m=camera_h, distance_scale=float(rng.uniform(0.9, 1.3)))


def main(argv: list[str] | None = None) -> int:
    from calibration.mannequin.motion import plan_reps
    from calibration.render import render

    ap = argparse.ArgumentParser(prog="python -m calibration.sweep", description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=24, help="how many scenarios")
    ap.add_argument("--seed", type=int, default=1000, help="the first seed (then seed+1, ...)")
    ap.add_argument("--out", type=Path, help="output folder (videos and truth JSONs)")
    ap.add_argument("--list", action="store_true", help="list the scenarios and exit")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    chosen = [scenario(s) for s in range(args.seed, args.seed + args.n)]
    for sc in chosen:
        reps, dur = plan_reps(sc.script)
        print(f"{sc.name:40s} {sc.exercise or '-':10s} reps={sum(r.counts for r in reps):2d} {dur:5.1f}s "
              f"{sc.width}x{sc.height}@{sc.fps:g} cam {sc.camera_height_m:.2f} m {sc.script.variant}")
    if args.list:
        return 0
    if args.out is None:
        ap.error("--out DIR is needed to render")
    for sc in chosen:
        if not (args.out / f"{sc.name}.json").exists():
            render(sc, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
