"""What the history holds, as plain frozen data: the plan reads these, the database stores them.

A session's repetitions are `posecount.analysis.events.Rep`, the one rep type of posecount.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from posecount.analysis.events import Rep


@dataclass(frozen=True)
class SessionRecord:
    """One exercise done once (one video, one live set, or one hand-written entry)."""

    started_at: datetime  # local wall-clock time: the plan's weeks are the person's weeks
    exercise: str  # "bridge" | "side-raise" | "step-up"
    variant: str  # the plan's level name (see rules.PlanSettings.levels)
    reps: tuple[Rep, ...] = ()
    pain: int | None = None  # 0-10, after the set
    effort: float | None = None  # Borg CR10, 0-10
    source: str = ""
    kind: str = "manual"  # "analysis" (measured) | "manual"
    note: str = ""
    id: int | None = None

    @property
    def day(self) -> date:
        return self.started_at.date()

    @property
    def measured(self) -> bool:
        """Whether form flags mean something (a hand-written entry has none to report)."""
        return self.kind != "manual"

    def reps_for(self, side: str | None = None) -> tuple[Rep, ...]:
        """Reps of one side (side raise); `None` means all of them."""
        return self.reps if side is None else tuple(r for r in self.reps if r.side == side)

    def count(self, side: str | None = None) -> int:
        return len(self.reps_for(side))

    def set_counts(self, side: str | None = None) -> list[int]:
        """Reps in each set, in set order."""
        c = Counter(r.set for r in self.reps_for(side))
        return [c[k] for k in sorted(c)]

    def flagged(self, side: str | None = None) -> int:
        return sum(1 for r in self.reps_for(side) if r.flags)

    def flag_counts(self, side: str | None = None) -> Counter:
        return Counter(f for r in self.reps_for(side) for f in r.flags)

    def mean_hold_s(self, side: str | None = None) -> float | None:
        holds = [r.hold_s for r in self.reps_for(side) if not math.isnan(r.hold_s)]
        return sum(holds) / len(holds) if holds else None

    @property
    def sides(self) -> tuple[str, ...]:
        return tuple(s for s in ("left", "right") if any(r.side == s for r in self.reps))
