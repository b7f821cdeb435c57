"""The step-up: onto a step one foot at a time, and down one foot at a time.

Measured as each foot's height above the floor in leg lengths; the harder level is
3 sets of 10 with a rest in between.
"""

from __future__ import annotations

import math
from dataclasses import asdict

import numpy as np

from posecount.analysis import signals
from posecount.analysis.events import Event, Rep
from posecount.analysis.signals import Measurement
from posecount.analysis.stepping import StepCounter
from posecount.exercises.registry import Exercise, Level, Points, register
from posecount.pose.landmarks import Landmark as L
from posecount.pose.landmarks import PoseFrame
from posecount.settings import Settings

_FOOT = {"left": (L.LEFT_HEEL, L.LEFT_FOOT_INDEX, L.LEFT_ANKLE),
         "right": (L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX, L.RIGHT_ANKLE)}


class StepUp:
    name = "step-up"
    posture_text = "standing upright"
    needs_gravity = True  # heights are measured along the image's vertical

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cfg = settings.step_up
        self.counter = StepCounter(self.cfg, settings.tracking.set_break_s)

    @property
    def reps(self) -> list[Rep]:
        return self.counter.reps

    def measure(self, pose: PoseFrame | None) -> Measurement:
        return signals.step_up(pose, self.cfg, self.settings.tracking.min_quality, self.settings.tracking)

    def feed(self, t_s: float, m: Measurement) -> tuple[list[Event], float, float]:
        events = self.counter.update(t_s, m.parts, m.posture_ok)
        r = self.counter.last
        top = max(r.left, r.right)  # already smoothed per foot
        return events, top, top

    def gap_limit_s(self, default_s: float) -> float:
        """How long the person may be lost before counting pauses: longer while a climb is
        under way (`climb_gap_max_s`)."""
        return max(default_s, self.cfg.climb_gap_max_s) if self.counter.climbing else default_s

    def pause(self, t_s: float) -> list[Event]:
        return self.counter.pause(t_s)

    def finish(self, t_s: float) -> list[Event]:
        return self.counter.finish(t_s)

    def gauge_levels(self) -> tuple[float, float]:
        """Foot height above the floor, in leg lengths: 0 at rest, counting from `up_leglen`."""
        return 0.0, float(self.cfg.up_leglen)

    def thresholds(self) -> dict:
        return asdict(self.cfg)


def levels(plan) -> tuple[Level, ...]:
    sets, reps = plan.step_up_sets, plan.step_up_set_reps
    return (Level("single-set", "step-up", plan.step_up_start_reps, labels={"nl": "opstappen"}),
            Level(f"{sets}x{reps}", f"step-up, {sets} sets of {reps} with a short rest",
                  reps, sets=sets, fixed=True,
                  harder_hint="you may hold a small bottle of water in each hand",
                  labels={"nl": f"opstappen, {sets} sets van {reps} keer met even rust ertussen"},
                  hints={"nl": "kun je een flesje water in elke hand houden"}))


def mark(pose: PoseFrame) -> tuple[Points, str] | None:
    """The stepping foot: the higher one (smaller image y)."""
    p = pose.image_px
    lows = {s: np.nanmax(p[list(idx)][:, 1]) if not np.isnan(p[list(idx)][:, 1]).all() else math.nan
            for s, idx in _FOOT.items()}
    known = [s for s in lows if not math.isnan(lows[s])]
    if not known:
        return None
    side = min(known, key=lambda s: lows[s])
    return (p[_FOOT[side][2]],), "foot"


STEP_UP = register(Exercise(
    name="step-up", section="step_up", analysis=StepUp, signal="foot_height", unit="leg lengths",
    start_position="standing", levels=levels,
    titles={"en": "Step-up", "nl": "Opstappen"},
    nouns={"en": ("step-up", "step-ups"), "nl": ("opstap", "opstappen")},
    spoken={"en": "step-up", "nl": "opstappen"},
    mark=mark, start_key="step_up_start_reps", set_size=10, report_target="target_sets",
    colour="tab:green", aliases=("step_up", "stepup"),
))
