"""A rise-and-return repetition counter: hysteresis, hold timer, minimum durations.

Pure logic: it sees (t_s, smoothed value, posture ok, measurement parts) and returns events.
The exercise supplies a `judge` that turns a finished attempt into side, variant and flags
(or a reason to reject it). Levels adapt to the person: the rest level is learnt from the
frames between repetitions, and the counting level is rest + a required rise, kept within
absolute limits from the settings.

With `top_frac` set (the bridge), a rise that falls short of the counting level still counts,
flagged "not_high_enough", when it comes `top_frac` of the way from the rest to the person's own
top (the median peak of the repetitions counted so far). Causal: a shallow attempt made before
any rep was counted is rejected at first and counted later (`RepRecounted`) when the first rep is
counted and shows the person's top, so that live and recorded analysis end with the same count.
The side raise (`count_top_frac`) recounts so too a raise made before its first counted one that
rose too little for `count_rise_deg` but as far towards that one's top as its later reps need.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from posecount.analysis import lowering
from posecount.analysis.attempt import Attempt, Levels, Sample
from posecount.analysis.events import Event, HoldEnded, Rejected, Rep, RepRecounted, RepStarted, TopReached
from posecount.analysis.levels import rise_levels
from posecount.analysis.owntop import TOPS_KEPT, OwnTop
from posecount.analysis.plateau import attempt_timings
from posecount.analysis.policy import SHALLOW, ground
from posecount.analysis.repbook import RepBook
from posecount.analysis.rolling import RollingWindow
from posecount.analysis.stillness import StillWindow
from posecount.settings import CounterSettings, RiseSettings


class Phase(Enum):
    WAIT = "wait"  # not armed: started mid-movement or after a pause; wait for the rest position
    REST = "rest"
    RISING = "rising"
    TOP = "top"
    LOWERING = "lowering"
    CLOSING = "closing"  # below the end level, looking for the bottom


@dataclass(frozen=True)
class Verdict:
    """What the exercise says about a finished attempt."""

    side: str | None = None
    variant: str | None = None
    flags: tuple[str, ...] = ()
    reject: str | None = None  # a reason code: the attempt is not counted
    detail: str = ""


Judge = Callable[[Attempt, bool], Verdict]  # (attempt, counted by level) -> verdict


class RiseCounter:
    """Counts rises of one signal above a personal counting level and back to rest."""

    def __init__(self, cfg: RiseSettings, judge: Judge, set_break_s: float = 12.0,
                 timing: CounterSettings | None = None) -> None:
        self.cfg, self.judge, self.set_break_s = cfg, judge, set_break_s
        self.timing = timing or CounterSettings()  # [counter]: the same for every exercise
        self.phase = Phase.WAIT
        self._rest_values = RollingWindow(self.timing.rest_window_s)
        self._idle: deque[Sample] = deque()
        self._idle_min = math.inf
        self._last_low_t: float | None = None
        self._last_t: float | None = None
        self._attempt: Attempt | None = None
        self.book = RepBook(set_break_s)
        self.rest_seen = False
        self._first_value: float | None = None
        self._rest_before_gap: float | None = None  # a pause that began at rest: its start
        self._waiting = StillWindow(self.timing.arm_still_s)  # readings while not armed
        self._resting = StillWindow(self.timing.rest_still_s)  # readings at rest
        self._stalled = StillWindow(self.timing.arm_still_s)  # readings of a rise begun while settling
        self._rose = False  # a rise has started since the source began
        self.own = OwnTop(cfg.top_frac)  # the bridge: a shallow rise counts from top_frac of the way
        self._tops: deque[float] = deque(maxlen=TOPS_KEPT)  # the side raise's last counted peaks

    # --- levels -----------------------------------------------------------------------------
    def levels(self) -> Levels:
        c, tm = self.cfg, self.timing
        typical = math.nan
        if len(self._rest_values) >= tm.rest_min_readings:
            seen = self._rest_values.percentile(tm.rest_pct)
            typical = self._rest_values.percentile(50.0)
        elif self._first_value is not None:
            # The source's first reading (clamped below): a person resting above `rest_max_deg`
            # would never come down to the default's end level and arm the counter; a source
            # that starts at the top arms on its way down and learns the rest.
            seen = self._first_value
        else:
            seen = c.rest_default_deg
        return rise_levels(c, tm, seen, typical, self._idle_min, self._tops, self.own)

    @property
    def reps(self) -> list[Rep]:
        return self.book.reps

    # --- streaming ----------------------------------------------------------------------------
    def update(self, t_s: float, value: float, posture_ok: bool, parts: dict[str, float],
               raw: float = math.nan, reading: float = math.nan) -> list[Event]:
        """One reading: `value` smoothed (it drives the state machine); `raw` before smoothing,
        for the timings measured once a rep is over (centred averaging has no lag); `reading`,
        the frame's own before the median."""
        if math.isnan(value):
            return []
        dt = 0.0 if self._last_t is None else max(0.0, t_s - self._last_t)
        self._last_t = t_s
        if self._first_value is None:
            self._first_value = value
        sample = Sample(t_s, value, posture_ok, parts, raw, reading)
        lv = self._attempt.levels if self._attempt else self.levels()
        events: list[Event] = []
        if self._rest_before_gap is not None:
            # Hidden for less than a repetition lasts, from rest: no rep can have passed unseen,
            # and a rise seen on coming back started at rest, before the gap.
            if self.phase is Phase.WAIT and t_s - self._rest_before_gap <= self.timing.resume_gap_max_s:
                self.phase = Phase.REST
                self._last_low_t = self._rest_before_gap
            self._rest_before_gap = None
        if self.phase is Phase.WAIT:
            # Armed at a reading that would not itself start a rise: a source that starts at the
            # top is not reported as a too-small raise on its way down.
            if value <= min(lv.end, lv.start) or self._still_below_start(t_s, value, lv):
                self.phase = Phase.REST
                self._idle_min = math.inf
                self._waiting.clear()
        if self.phase is Phase.REST:
            self._rest_step(sample, lv, events)
        elif self.phase is Phase.RISING:
            self._rising_step(sample, events)
        elif self.phase in (Phase.TOP, Phase.LOWERING):
            self._top_step(sample, dt, events)
        elif self.phase is Phase.CLOSING:
            self._closing_step(sample, events)
        return events

    def _still_below_start(self, t_s: float, value: float, lv: Levels) -> bool:
        """Still for `arm_still_s` below the start level: a rest, even one above the usual limits
        (a bridge filmed from above reads the resting hip nearly straight)."""
        self._waiting.add(t_s, value)
        return value <= lv.start and self._waiting.still(self.timing.arm_still_frac * (lv.count - lv.rest))

    def _rest_step(self, s: Sample, lv: Levels, events: list[Event]) -> None:
        if s.value > lv.start:
            start = self._last_low_t if self._last_low_t is not None else s.t_s
            self._attempt = Attempt(start_s=start, levels=lv, idle=list(self._idle),
                                    settling=len(self._rest_values) < self.timing.rest_min_readings)
            self._stalled.clear()
            self._attempt.samples.append(s)
            self._attempt.peak = s.value
            self._rose = True
            self.phase = Phase.RISING
            events.append(RepStarted(s.t_s))
            return
        self.rest_seen = True
        # Before the first rise the rest is learnt from few readings, and a burst of misread
        # frames can be most of them: then only still readings teach it.
        self._resting.add(s.t_s, s.value)
        if self._rose or self._resting.still(self.timing.arm_still_frac * (lv.count - lv.rest)):
            self._rest_values.add(s.t_s, s.value)
        self._idle.append(s)
        while self._idle and self._idle[0].t_s < s.t_s - self.timing.idle_keep_s:
            self._idle.popleft()
        self._idle_min = min(self._idle_min, s.value)
        if s.value <= lv.near_rest or self._last_low_t is None:
            self._last_low_t = s.t_s

    def _rising_step(self, s: Sample, events: list[Event]) -> None:
        a = self._attempt
        assert a is not None
        a.samples.append(s)
        a.peak = max(a.peak, s.value)
        if a.settling and self._settled(a, s):
            return
        if s.value >= min(a.levels.count, a.levels.top):
            a.top_s = s.t_s
            self.phase = Phase.TOP
            events.append(TopReached(s.t_s, s.value))
        elif s.value <= a.levels.abort:
            self._close(s.t_s, s.value, events)
        elif a.peak >= a.levels.report and s.value <= a.levels.rest + self.cfg.end_frac * (a.peak - a.levels.rest):
            # A rise that fell short and came well down again without reaching rest (e.g. a
            # shallow bridge repeated from a half-raised pelvis): one "not high enough" each.
            if self.cfg.top_frac > 0:
                # It may yet count against the person's own top: look for its bottom first, as
                # for a counted rep, so that its lowering is timed whole.
                self.phase = Phase.CLOSING
                a.closing_since = s.t_s
                a.bottom, a.bottom_s = s.value, s.t_s
                return
            self._close(s.t_s, s.value, events)

    def _settled(self, a: Attempt, s: Sample) -> bool:
        """A "rise" begun on the source's first reading that stood still for `arm_still_s` (within
        `arm_still_frac` of the rise): the person settling in, then resting (bridge_nd_3: 132 to 145
        deg, then still for 3 s, reported its first bridge's rise as 6.3 s). Learnt as the rest."""
        self._stalled.add(s.t_s, s.value)
        if not self._stalled.still(self.timing.arm_still_frac * (a.levels.count - a.levels.rest)):
            return False
        self._attempt, self.phase, self._last_low_t = None, Phase.REST, s.t_s
        self._idle, self._idle_min = deque(a.samples), min(x.value for x in a.samples)
        for x in a.samples:
            self._rest_values.add(x.t_s, x.value)
        return True

    def _top_step(self, s: Sample, dt: float, events: list[Event]) -> None:
        a = self._attempt
        assert a is not None
        a.samples.append(s)
        a.peak = max(a.peak, s.value)
        top_exit = lowering.hold_level(a, self.cfg) - self.cfg.hold_hysteresis_deg
        if self.phase is Phase.TOP:
            before = a.hold_s
            a.hold_s += dt
            self.book.hold(events, s.t_s, before, a.hold_s)
            if s.value < top_exit:
                a.hold_end_s = s.t_s
                self.phase = Phase.LOWERING
                events.append(HoldEnded(s.t_s, a.hold_s))
        elif s.value >= top_exit + self.cfg.hold_hysteresis_deg:
            self.phase = Phase.TOP  # back up: the hold goes on
        if self.phase is Phase.LOWERING and s.value <= lowering.end_level(a, self.cfg):
            self.phase = Phase.CLOSING
            a.closing_since = s.t_s
            a.bottom, a.bottom_s = s.value, s.t_s

    def _closing_step(self, s: Sample, events: list[Event]) -> None:
        a = self._attempt
        assert a is not None
        lv = a.levels
        if s.value < a.bottom:
            a.bottom, a.bottom_s = s.value, s.t_s
        lowering.wait_over(a, s, self.cfg)
        if lowering.dip_too_short(a, s, self.cfg):  # not down long enough to end the rep yet
            a.samples.append(s)
            if lowering.back_in_hold(a, s, self.cfg):
                self.phase = Phase.LOWERING  # the leg never came down (a mix-up): the hold goes on
            return
        turn = self.timing.closing_turn_frac * (lv.count - lv.rest)
        done = (s.value <= lv.near_rest or s.value > a.bottom + turn
                or s.t_s - (a.closing_since or s.t_s) >= self.timing.close_timeout_s)
        if s.value <= lv.near_rest:
            a.samples.append(s)
        if done:
            self._close(a.bottom_s or s.t_s, a.bottom, events)
            if s.value > lv.near_rest:
                # Not back at rest yet (a turn or a slow settle): judge the rest from here.
                self._last_low_t = a.bottom_s
            self._rest_step(s, self.levels(), events)
        else:
            a.samples.append(s)

    # --- closing an attempt -------------------------------------------------------------------
    def _close(self, end_s: float, end_value: float, events: list[Event]) -> None:
        a = self._attempt
        assert a is not None
        self._attempt = None
        self.phase = Phase.REST
        self._idle.clear()
        self._idle_min = end_value
        self._last_low_t = end_s
        counted = a.top_s is not None
        verdict = self.judge(a, counted)
        if not counted:
            if a.peak >= a.levels.report:
                reason = verdict.reject or "not_high_enough"
                self._reject(reason, a, end_s, events, verdict)
                if self._recount_frac() > 0 and not self.own.known and ground(reason) == SHALLOW:
                    self.own.shallow.append((a, end_s, events[-1].attempt))  # judged at the first rep
            return
        if verdict.reject:
            self._reject(verdict.reject, a, end_s, events, verdict)
            return
        if lowering.back_at_rest_s(a, end_s) - a.start_s < self.cfg.min_rep_s:
            self._reject("too_fast", a, end_s, events, verdict)
            return
        if not self.own.known:
            self._recount_shallow(a.peak, events)  # this first rep shows the person's top
        self._book(a, end_s, verdict, events)

    def _book(self, a: Attempt, end_s: float, verdict: Verdict, events: list[Event],
              was: Rejected | None = None) -> None:
        """Books a counted repetition with its timings and flags (`was`: what it had been
        rejected as, for one counted only later)."""
        top_in, top_out, hold_s, rise_s, lower_s = attempt_timings(a, end_s, self.cfg, self.timing)
        flags = list(verdict.flags)
        if a.peak < a.levels.count and self.cfg.top_frac > 0:
            # The bridge, counted by the person's own top, not in line. (A side raise counted so
            # went as high as the person's others: its rise read short from a rest read high.)
            flags.append("not_high_enough")
        if self.cfg.hold_min_s > 0 and hold_s < self.cfg.hold_min_s:
            flags.append("hold_short")
        if self.cfg.hold_max_s > 0 and hold_s > self.cfg.hold_max_s:
            flags.append("hold_long")
        if self.cfg.lower_min_s > 0 and lower_s < self.cfg.lower_min_s:
            flags.append("lowered_fast")
        self._tops.append(a.peak)
        rep = self.book.complete(events, end_s, start_s=a.start_s, top_s=top_in, hold_s=hold_s, rise_s=rise_s,
                                 lower_s=lower_s, peak=a.peak, side=verdict.side, variant=verdict.variant,
                                 flags=tuple(flags))
        if was is not None:
            events[-1] = RepRecounted(events[-1].t_s, rep, was)
        if a.peak >= a.levels.count:  # one counted short of the counting level is not the person's top
            self.own.add(a.peak)

    def _recount_frac(self) -> float:
        """How far to the person's own top a shallow attempt made before the first counted rep must
        have come to count once that rep shows the top: the bridge's `top_frac`, or the side
        raise's `count_top_frac` (the share its later reps need); 0: such attempts stay rejected."""
        return self.cfg.top_frac or self.cfg.count_top_frac

    def _recount_shallow(self, own_top: float, events: list[Event]) -> None:
        """The shallow attempts made before the first counted rep that came `_recount_frac` of the
        way to the person's own top (`own_top`, the first rep's peak) and rose at least
        `count_top_min_rise_deg`: counted after all, in their order."""
        pending, self.own.shallow = self.own.shallow, []
        frac = self._recount_frac()
        for a, end_s, was in pending:
            rest = a.levels.rest
            line = rest + frac * (own_top - rest) if own_top > rest else math.inf
            if (a.peak >= line and a.peak - rest >= self.cfg.count_top_min_rise_deg
                    and end_s - a.start_s >= self.cfg.min_rep_s):
                verdict = self.judge(a, True)
                if not verdict.reject:
                    self._book(a, end_s, verdict, events, was)

    def _reject(self, reason: str, a: Attempt, end_s: float, events: list[Event], v: Verdict) -> None:
        self.book.reject(events, reason, a.start_s, end_s, a.peak, v.side, v.detail)

    def gap_limit_s(self, default_s: float) -> float:
        """The longest gap bridged now. While a rep is under way (its start at rest was seen),
        up to `attempt_gap_max_s`: pausing there rejects the rep, while bridging it cannot make
        one up (whatever happened unseen, the rep seen starting ends in a lowering that is
        seen); at worst two reps hidden in one gap are counted as one."""
        return max(default_s, self.timing.attempt_gap_max_s) if self._attempt is not None else default_s

    def pause(self, t_s: float, reason: str = "tracking_lost") -> list[Event]:
        """A long gap: an open attempt is rejected (never guessed) and the counter re-arms at rest."""
        events: list[Event] = []
        at_rest = self.phase is Phase.REST and self._attempt is None
        self._rest_before_gap = t_s if at_rest else None
        if self._attempt is not None:
            a, self._attempt = self._attempt, None
            if a.top_s is not None or a.peak >= a.levels.report:
                v = self.judge(a, a.top_s is not None)
                self._reject(reason, a, t_s, events, v)
        self.phase = Phase.WAIT
        self._waiting.clear()
        self._idle.clear()
        self._last_low_t = None
        self._last_t = None
        return events

    def finish(self, t_s: float) -> list[Event]:
        """End of source: a rep past its end level is complete; one still up is not."""
        events: list[Event] = []
        a = self._attempt
        if a is None:
            return events
        back = self._back_unlagged(a)
        if back is not None:
            # The readings before the causal smoothing are back at the start position: the
            # smoothed value only lags behind (a rep lowered in the last tenths of a second).
            self._close(back[0], back[1], events)
            return events
        if self.phase is Phase.CLOSING:
            # Complete only if it came down past the rest-based end level, or the lowering had
            # visibly ended (a hovering side raise); not while still on the way down.
            before = [x.value for x in a.samples if x.t_s <= t_s - self.timing.settled_s]
            drop = (before[-1] - a.bottom) if before else math.inf
            span = a.levels.count - a.levels.rest
            settled = a.bottom <= a.levels.end or drop < self.timing.settled_drop_frac * span
            if settled:
                self._close(a.bottom_s or t_s, a.bottom, events)
                return events
        return self.pause(t_s, "ended_before_down" if a.top_s is not None else "ended_mid_rise")

    def _back_unlagged(self, a: Attempt) -> tuple[float, float] | None:
        """(time, reading) where a counted rep that was being lowered when the source ended came
        back to the start position by the unsmoothed readings: within `near_rest_frac` of its own
        rise above the rest (a side raise hovers there). None if it did not, or if unknown."""
        if a.top_s is None or self.phase not in (Phase.LOWERING, Phase.CLOSING):
            return None
        last = a.samples[-1] if a.samples else None
        if last is None or math.isnan(last.raw):
            return None
        back_at = a.levels.rest + self.cfg.near_rest_frac * (a.peak - a.levels.rest)
        return (last.t_s, last.raw) if last.raw <= back_at else None
