"""The plan's decisions as data: a reason code and the numbers and names behind it.

The plan (`progress.plan`) decides; `progress.plan_texts.explain` words a `Reason` in a
language. A reason carries everything its sentence needs, so that a stored or printed
plan (`Plan.to_dict()`) can be worded again later, in any language.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

# Why a target is what it is (one per target) ...
TARGET_CODES = (
    "start",  # the leaflet's first target
    "missed_weeks",  # no session for `weeks` weeks: stay
    "pain_raised",  # pain higher than before: stay
    "pain_falling",  # raised pain coming down, not yet back: stay
    "pain_consult",  # raised pain for `weeks` weeks: stay and consult the physiotherapist
    "did_harder",  # the person did the harder variant by themselves: continue from there
    "did_easier",  # the person did the easier variant: stay
    "too_few_sessions",  # fewer sessions than the leaflet asks: stay
    "not_met",  # too few sessions reached the target: stay
    "form_remarks",  # too many repetitions with a form flag: stay
    "felt_hard",  # the effort was high: stay
    "harder_next",  # easy or at the top: on to the harder variant
    "end_of_plan",  # the last level is easy: keep it up
    "stay_until_easy",  # at the top but not yet easy: stay
    "up",  # a good week: `step` more
)
# ... and whether a session is due today (one per plan).
DUE_CODES = ("trained_today", "max_sessions", "due_behind", "due_tight", "due")
CODES = TARGET_CODES + DUE_CODES
FEELS = ("light", "easy", "not_hard")  # how an `up` week felt


@dataclass(frozen=True)
class Reason:
    """One decision of the plan; fields that a code does not use stay None."""

    code: str  # one of CODES
    exercise: str | None = None
    side: str | None = None  # the side lain on (side raise)
    reps: int | None = None  # the amount spoken of: repetitions per set (per side)
    sets: int | None = None  # ... in this many sets
    level: str | None = None  # a level's name: the one moved to (did_harder, harder_next) or the current one
    start: int | None = None  # the repetitions a level starts at
    weeks: int | None = None  # weeks missed, or weeks of raised pain in a row
    sessions: int | None = None  # sessions done (last week of this exercise, or this week)
    met: int | None = None  # sessions that reached the target
    needed: int | None = None  # sessions still needed this week
    days_left: int | None = None  # days left this week, today included
    flagged: int | None = None  # repetitions with a form flag
    counted: int | None = None  # measured repetitions
    flag: str | None = None  # the most frequent form flag
    effort: float | None = None  # mean effort (Borg CR10)
    pain: float | None = None  # last week's mean pain (0-10)
    pain_before: float | None = None  # the usual pain, before it rose
    pain_previous: float | None = None  # the week before last week
    step: int | None = None  # repetitions added
    feel: str | None = None  # one of FEELS
    easy: bool | None = None  # it felt easy (effort at most effort_easy_max)
    measured: bool | None = None  # judged on measured sessions (good form), not on logged ones
    sessions_min: int | None = None  # the leaflet's sessions a week
    sessions_max: int | None = None
    easy_min: int | None = None  # the leaflet's "10 to 15 times"
    max_reps: int | None = None
    effort_easy_max: float | None = None

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown reason code {self.code!r}")

    def values(self) -> dict[str, Any]:
        """The numbers and names, without the code and the unused fields."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name != "code" and getattr(self, f.name) is not None}

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, **self.values()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reason:
        return cls(**data)


__all__ = ["CODES", "DUE_CODES", "FEELS", "Reason", "TARGET_CODES"]
