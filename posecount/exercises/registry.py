"""The exercise as a type: one `Exercise` per exercise, kept in one registry every layer reads.

An exercise module (`bridge.py`, `side_raise.py`, `step_up.py`) describes everything that is
particular to its exercise and calls `register`; the CLI's choices, the analyzer, the live
coach, the report, the plan and the history iterate the registry instead of comparing names.
A fourth exercise is one more module (with its thresholds section and its tests).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from posecount.errors import InputError
from posecount.pose.landmarks import PoseFrame

Points = tuple[np.ndarray, ...]


@dataclass(frozen=True)
class Level:
    """One rung of an exercise's ladder (the leaflet has two: the exercise and its harder variant)."""

    name: str  # stored in the history
    label: str  # what a person reads
    start_reps: int  # per set, per side
    sets: int = 1
    fixed: bool = False  # the reps do not grow any more (step-up: 3 sets of 10)
    hold_s: float | None = None  # the leaflet's hold at the top (least)
    harder_hint: str = ""  # said once this level is easy and it is the last one
    labels: Mapping[str, str] = field(default_factory=dict, compare=False)  # `label` in other languages
    hints: Mapping[str, str] = field(default_factory=dict, compare=False)  # `harder_hint` in other languages

    def label_in(self, lang: str) -> str:
        """The label in `lang` (English where no other is given)."""
        return self.labels.get(lang) or self.label

    def hint_in(self, lang: str) -> str:
        return self.hints.get(lang) or self.harder_hint


@dataclass(frozen=True)
class Exercise:
    """What posecount knows about one exercise, apart from its thresholds (`Settings[section]`)."""

    name: str  # the CLI's, the history's and the results' name ("side-raise")
    section: str  # its table in thresholds.toml ("side_raise")
    analysis: Callable[[Any], Any]  # Settings -> its measurement, counter and judge of one stream
    signal: str  # the measured signal's name and unit, as results record them
    unit: str
    start_position: str  # the start position `posture.classify` names ("on_back", "on_side", "standing")
    levels: Callable[[Any], tuple[Level, ...]]  # PlanSettings -> the ladder, easiest first
    titles: Mapping[str, str]  # a heading per language ("Bridge", "Bruggetje")
    nouns: Mapping[str, tuple[str, str]]  # one and several, per language ("bridge", "bridges")
    spoken: Mapping[str, str]  # its name in a spoken cue, per language
    mark: Callable[[PoseFrame], tuple[Points, str] | None]  # the points of its measured value and their label key
    per_side: bool = False  # planned, counted and reported per side (the side lain on)
    hold_key: str | None = None  # the PlanSettings field with the leaflet's hold at the top (None: no hold)
    start_key: str = ""  # the PlanSettings field with the leaflet's first target
    set_size: int | None = None  # repetitions per set with a rest in between
    harder: tuple[str, ...] = ()  # the rep variants that are the leaflet's harder level
    variantless_reps_count: bool = False  # a rep without a variant still votes (for the basic level)
    # placement: (shoulder ratio, Settings) -> a cue key, or None when the view is right
    view_problem: Callable[[float, Any], str | None] = lambda shoulder_ratio, settings: None
    report_target: str = "target_start"  # the report's text key for today's target
    # The view its signal cannot be measured from, and where to film from instead (analysis warning)
    bad_view: tuple[str, str] = ("the camera looks along the body (filmed from the head or feet)", "film from the side")
    colour: str = "tab:blue"  # in charts
    aliases: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    def hold_goal_s(self, plan: Any) -> float | None:
        """The leaflet's hold at the top, from the plan's settings (None: no hold)."""
        return getattr(plan, self.hold_key) if self.hold_key else None

    def noun(self, n: int, lang: str = "en") -> str:
        one, several = self.nouns.get(lang) or self.nouns["en"]
        return one if n == 1 else several

    def title(self, lang: str = "en") -> str:
        return self.titles.get(lang) or self.titles["en"]


_REGISTRY: dict[str, Exercise] = {}


def register(exercise: Exercise) -> Exercise:
    if exercise.name in _REGISTRY or exercise.name == "auto":
        raise ValueError(f"an exercise named {exercise.name!r} is already registered")
    _REGISTRY[exercise.name] = exercise
    return exercise


def unregister(name: str) -> None:
    """Removes an exercise (for tests that register one of their own)."""
    _REGISTRY.pop(name, None)


def exercises() -> tuple[Exercise, ...]:
    return tuple(_REGISTRY.values())


def names() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def get(name: str, allow_auto: bool = False) -> Exercise:
    """The exercise called `name` (or one of its aliases: "side_raise", "stepup"); a clear error otherwise."""
    key = name.strip().lower()
    for ex in _REGISTRY.values():
        if key == ex.name or key in ex.aliases:
            return ex
    choices = ", ".join((("auto",) if allow_auto else ()) + names())
    raise InputError(f"unknown exercise {name!r}: choose one of {choices}")


def parse(name: str) -> str:
    """`name` as a registered name, or "auto"."""
    return "auto" if name.strip().lower() == "auto" else get(name, allow_auto=True).name


def find(name: str | None) -> Exercise | None:
    """The exercise called `name`, or None (for names read from files: "auto", unknown, missing)."""
    return _REGISTRY.get(name or "")
