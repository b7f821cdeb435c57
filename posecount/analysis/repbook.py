"""The book both state machines keep: repetitions in sets, hold ticks, and what was not counted.

`RiseCounter` (bridge, side raise) and `StepCounter` (step-up) decide *when* a repetition
starts, holds and ends; the book turns that into the same events and the same `Rep`s.
"""

from __future__ import annotations

import math

from posecount.analysis.events import Event, HoldTick, Rejected, Rep, RepCompleted, RepRejected


class RepBook:
    """Numbers repetitions and sets; a pause longer than `set_break_s` between two starts a new set."""

    def __init__(self, set_break_s: float = 12.0) -> None:
        self.set_break_s = set_break_s
        self._reps: list[Rep] = []
        self._set = 1

    @property
    def reps(self) -> list[Rep]:
        return list(self._reps)

    def __len__(self) -> int:
        return len(self._reps)

    def complete(self, events: list[Event], end_s: float, *, start_s: float, top_s: float, hold_s: float,
                 rise_s: float, lower_s: float, peak: float, side: str | None, variant: str | None,
                 flags: tuple[str, ...] = ()) -> Rep:
        """Books a counted repetition and emits `RepCompleted`."""
        if self._reps and start_s - self._reps[-1].end_s > self.set_break_s:
            self._set += 1
        rep = Rep(len(self._reps) + 1, start_s, top_s, hold_s, end_s, rise_s, lower_s, peak, side, variant,
                  self._set, tuple(flags))
        self._reps.append(rep)
        events.append(RepCompleted(end_s, rep))
        return rep

    @staticmethod
    def reject(events: list[Event], reason: str, start_s: float, end_s: float, peak: float,
               side: str | None = None, detail: str = "") -> None:
        """An attempt that is not counted, and why (a reason of `posecount.analysis.policy`)."""
        events.append(RepRejected(end_s, reason, Rejected(reason, start_s, end_s, peak, side, detail)))

    @staticmethod
    def hold(events: list[Event], t_s: float, held_before_s: float, held_s: float) -> None:
        """A `HoldTick` each time the hold passes a whole second."""
        if math.floor(held_s) > math.floor(held_before_s):
            events.append(HoldTick(t_s, float(math.floor(held_s))))
