"""The leaflet's weekly plan as numbers: start values, weekly steps, limits and variants.

The defaults mirror `posecount/config/progression.toml` (each value commented with its
origin there); `load_plan_settings` rejects unknown keys and fills missing ones from
these defaults, like `posecount.settings` does for the thresholds.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from posecount import config, exercises
from posecount.errors import InputError
from posecount.exercises import Level

SIDES = ("left", "right")


@dataclass(frozen=True)
class PlanSettings:
    """Every number of the plan; Borg CR10 anchors: 2 weak/light, 3 moderate, 5 strong/hard."""

    sessions_min_per_week: int = 3
    sessions_max_per_week: int = 5
    bridge_start_reps: int = 3
    side_raise_start_reps: int = 3
    step_up_start_reps: int = 5
    harder_start_reps: int = 3
    easy_min_reps: int = 10
    max_reps: int = 15
    step_up_sets: int = 3
    step_up_set_reps: int = 10
    rest_between_sets_s: int = 60
    step_small: int = 1
    step_large: int = 2
    progress_min_sessions: int = 3
    met_share_min: float = 0.66
    flagged_share_max: float = 0.2
    effort_very_easy_max: float = 2.0
    effort_easy_max: float = 3.0
    effort_hard_min: float = 5.0
    pain_rise_min: float = 1.0
    pain_baseline_sessions: int = 6
    pain_consult_weeks: int = 2
    bridge_hold_s: float = 5.0
    side_raise_hold_s: float = 3.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise InputError(f"plan setting {f.name} must be a number >= 0, not {value!r}")
            if f.type == "int" and not isinstance(value, int):
                raise InputError(f"plan setting {f.name} must be a whole number, not {value!r}")
        if not 1 <= self.sessions_min_per_week <= self.sessions_max_per_week <= 7:
            raise InputError("plan settings: need 1 <= sessions_min_per_week <= sessions_max_per_week <= 7")
        if not 1 <= self.easy_min_reps <= self.max_reps:
            raise InputError("plan settings: need 1 <= easy_min_reps <= max_reps")
        if not 0 < self.met_share_min <= 1 or not 0 <= self.flagged_share_max <= 1:
            raise InputError("plan settings: met_share_min and flagged_share_max are shares in 0..1")
        if not self.effort_very_easy_max <= self.effort_easy_max < self.effort_hard_min <= 10:
            raise InputError("plan settings: need effort_very_easy_max <= effort_easy_max < effort_hard_min <= 10")
        if self.step_small < 1 or self.step_large < self.step_small:
            raise InputError("plan settings: need 1 <= step_small <= step_large")

    def levels(self, exercise: str) -> tuple[Level, ...]:
        """The exercise's ladder, easiest first."""
        return exercises.get(exercise).levels(self)

    def level_index(self, exercise: str, name: str) -> int:
        names = [lv.name for lv in self.levels(exercise)]
        if name not in names:
            raise InputError(f"unknown variant '{name}' of {exercise}: choose one of {', '.join(names)}")
        return names.index(name)

    def sides(self, exercise: str) -> tuple[str | None, ...]:
        """Sides tracked separately: the side raise is planned per side lain on."""
        return SIDES if exercises.get(exercise).per_side else (None,)


DEFAULT_SETTINGS = PlanSettings()


def level_from_analysis(exercise: str, variants: Sequence[str | None], set_counts: Sequence[int] = (),
                        settings: PlanSettings | None = None) -> str:
    """The plan's level of an analysed session, from its reps' variants and the reps in each set."""
    settings = settings or plan_settings()
    levels = settings.levels(exercise)
    if levels[-1].sets > 1:
        # The movement is the same at both levels: the sets tell them apart. A pause in the middle
        # of a short series is not the harder level, so each set must be at least half of 10.
        full = [n for n in set_counts if 2 * n >= levels[-1].start_reps]
        return levels[-1].name if len(full) >= levels[-1].sets else levels[0].name
    ex = exercises.get(exercise)
    named = [v for v in variants if v is not None or ex.variantless_reps_count]
    if named and sum(v in ex.harder for v in named) * 2 > len(named):
        return levels[1].name
    return levels[0].name


@functools.lru_cache(maxsize=1)
def plan_settings() -> PlanSettings:
    """The settings in force: the packaged progression.toml (or $POSECOUNT_PROGRESSION), read once."""
    return load_plan_settings()


def load_plan_settings(path: str | Path | None = None) -> PlanSettings:
    """Reads the plan's numbers (default: the packaged `progression.toml`, or $POSECOUNT_PROGRESSION)."""
    toml = config.read(config.PROGRESSION, path)
    values: dict[str, Any] = toml.data.get("plan", {})
    if not isinstance(values, dict):
        raise InputError(f"{toml.name}: [plan] must be a table")
    kinds = {f.name: f.type for f in fields(PlanSettings)}
    unknown = sorted(set(toml.data) - {"plan"}) + sorted(set(values) - set(kinds))
    if unknown:
        raise InputError(f"{toml.name}: unknown key(s): {', '.join(unknown)}")
    return PlanSettings(**{k: config.check_number(toml.name, "plan", k, v, integer=kinds[k] in (int, "int"))
                           for k, v in values.items()})
