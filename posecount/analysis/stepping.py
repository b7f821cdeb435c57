"""The step-up counter: both feet up one at a time, then both down one at a time.

Pure logic on per-frame image heights. Heights are turned into leg lengths above a floor
learnt per foot from the recent past (a low percentile: the floor is where feet rest most),
so a side, front or oblique view all work; the pelvis rising is the second opinion that the
body really went up (a lunge or a leg raise moves one foot, not the body).

Seen from the front, the step lies between the person and the camera: a foot stepping onto it
comes towards the camera, and perspective lowers it in the image by about as much as it rose
(an 18 cm step read 0.05-0.09 leg lengths instead of 0.19). There a foot's height is the pelvis's
rise in the image plus the foot's lift towards the hips in the 3D world landmarks (which see
depth); the two readings are mixed by how squarely the person faces the camera. The knees
help there too: the knee lifting a foot onto the step rises in the image even when the foot
hardly does, so a knee rising alone first shows the feet going one at a time and which leads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from posecount.analysis.events import Event, HoldEnded, Rep, RepStarted, TopReached
from posecount.analysis.leg_gaps import LegGaps
from posecount.analysis.repbook import RepBook
from posecount.analysis.rolling import RollingWindow
from posecount.analysis.smoothing import OneEuroFilter
from posecount.settings import StepUpSettings

FEET = ("left", "right")


class StepPhase(Enum):
    WAIT = "wait"  # not armed (started on the step, or after a pause)
    DOWN = "down"
    ONE_UP = "one_up"
    BOTH_UP = "both_up"
    ONE_DOWN = "one_down"


@dataclass
class _Climb:
    lead: str
    start_s: float
    up_lag_s: float | None = None
    top_s: float | None = None
    hold_s: float = 0.0
    down_s: float | None = None
    peak_pelvis: float = -math.inf
    pelvis: list[tuple[float, float]] = field(default_factory=list)  # (t_s, height) while up
    leg_start_px: float = math.nan
    leg_top_px: list[float] = field(default_factory=list)
    peak_foot: float = -math.inf
    frames: int = 0
    posture_frames: int = 0
    sep_up: float = math.inf  # widest gap between the feet's heights on the way up
    knee_sep_up: float = math.inf  # and between the knees' heights
    knee_led: bool = False  # a knee rose alone before the climb (a foot lifted onto the step)
    lead_s: float | None = None  # when the lead foot (or its knee) first stood above the other
    back_s: float | None = None  # the leading foot read back down before the body rose
    facing: list[float] = field(default_factory=list)  # how squarely the person faces the camera
    on_step: list[float] = field(default_factory=list)  # the lower foot's height while both are up


@dataclass(frozen=True)
class StepReading:
    """Heights in leg lengths above the learnt floor (NaN until known)."""

    left: float
    right: float
    pelvis: float


class StepCounter:
    def __init__(self, cfg: StepUpSettings, set_break_s: float = 12.0) -> None:
        self.cfg, self.set_break_s = cfg, set_break_s
        self.phase = StepPhase.WAIT
        self._floor = {f: RollingWindow(cfg.baseline_window_s) for f in FEET}
        self._pelvis = RollingWindow(cfg.baseline_window_s)
        self._pelvis_low = RollingWindow(cfg.baseline_window_s)  # the lower hip's
        self._leg = RollingWindow(cfg.baseline_window_s)
        # 3D world landmarks: how far each foot hangs below the hips when the leg is straight
        # (a high percentile: standing, on the floor or on the step), and the leg length.
        self._hang = {f: RollingWindow(cfg.baseline_window_s) for f in FEET}
        self._leg_m = RollingWindow(cfg.baseline_window_s)
        self._filters = {k: OneEuroFilter(cfg.min_cutoff_hz, cfg.beta, cfg.d_cutoff_hz)
                         for k in (*FEET, "pelvis", "knees")}
        self._knees_level = RollingWindow(cfg.baseline_window_s)  # left - right knee standing on both feet
        # Up or not, for the higher and the lower foot: MediaPipe swaps left and right legs seen
        # from the side for a few frames at a time, which would make a foot on the step seem
        # to come down and go back up; the higher and lower foot do not swap.
        self._up = {"higher": False, "lower": False}
        self._climb: _Climb | None = None
        self.book = RepBook(set_break_s)
        self._last_t: float | None = None
        self._last_end_s = -math.inf
        self.gaps = LegGaps(cfg.gap_memory_s)
        self.knee_gap = math.nan  # left minus right knee height, standing level taken off
        self._facing = math.nan  # this frame's facing_camera
        self.last = StepReading(math.nan, math.nan, math.nan)

    @property
    def reps(self) -> list[Rep]:
        return self.book.reps

    @property
    def climbing(self) -> bool:
        """A climb is under way: its start was seen, its end not yet."""
        return self._climb is not None

    def read(self, t_s: float, parts: dict[str, float]) -> StepReading:
        """Heights in leg lengths (smoothed); also learns floor, pelvis and leg length."""
        self._leg.add(t_s, parts.get("leg_px", math.nan))
        leg = self._leg.percentile(50)
        if not leg > 0:
            return StepReading(math.nan, math.nan, math.nan)
        pel_raw, low_raw = parts.get("pelvis_up_px", math.nan), parts.get("pelvis_low_up_px", math.nan)
        both_down = not any(self._up.values())
        if both_down:
            self._pelvis.add(t_s, pel_raw)
            self._pelvis_low.add(t_s, low_raw)
        pel_now = (pel_raw - self._pelvis.percentile(50)) / leg
        low_now = (low_raw - self._pelvis_low.percentile(50)) / leg  # both hips up: the body rose
        self._leg_m.add(t_s, parts.get("leg_m", math.nan))
        leg_m = self._leg_m.percentile(50)
        h = {}
        for f in FEET:
            raw = parts.get(f"{f}_foot_up_px", math.nan)
            self._floor[f].add(t_s, raw)
            image = (raw - self._floor[f].percentile(self.cfg.floor_pct)) / leg
            h[f] = self._filters[f](t_s, self._mix_views(f, t_s, image, low_now, leg_m, parts))
        pel = self._filters["pelvis"](t_s, pel_now)
        knees = (parts.get("left_knee_up_px", math.nan) - parts.get("right_knee_up_px", math.nan)) / leg
        if both_down:
            self._knees_level.add(t_s, knees)
        self.knee_gap = self._filters["knees"](t_s, knees - self._knees_level.percentile(50))
        self.last = StepReading(h["left"], h["right"], pel)
        return self.last

    def _mix_views(self, foot: str, t_s: float, image: float, pelvis: float, leg_m: float,
                   parts: dict[str, float]) -> float:
        """A foot's height in leg lengths: the image reading, mixed (by how squarely the person
        faces the camera) with the pelvis's (lower hip's) rise plus the foot's lift towards the hips in 3D."""
        drop = parts.get(f"{foot}_foot_drop_m", math.nan)
        self._hang[foot].add(t_s, drop)
        facing = parts.get("facing_camera", math.nan)
        if math.isnan(drop) or math.isnan(facing) or math.isnan(pelvis) or not leg_m > 0:
            return image
        lift = (self._hang[foot].percentile(self.cfg.hang_pct) - drop) / leg_m  # a high percentile: the leg straight
        return (1.0 - facing) * image + facing * (pelvis + lift)

    def update(self, t_s: float, parts: dict[str, float], posture_ok: bool) -> list[Event]:
        r = self.read(t_s, parts)
        if math.isnan(r.left) or math.isnan(r.right):
            return []
        dt = 0.0 if self._last_t is None else max(0.0, t_s - self._last_t)
        self._last_t = t_s
        self.gaps.add(t_s, r.left - r.right, self.knee_gap)
        self._facing = parts.get("facing_camera", math.nan)
        went_up = self._feet(r, self._facing)
        n_up = sum(self._up.values())
        if self.phase is StepPhase.WAIT:
            if n_up == 0:
                self.phase = StepPhase.DOWN
            return []
        if self._climb is not None:
            self._climb_sample(self._climb, t_s, r, parts, posture_ok)
        events: list[Event] = []
        if self.phase is StepPhase.DOWN:
            if went_up:
                self._start_climb(t_s, r, went_up, n_up, events)
        elif self._climb is not None:
            self._climb_step(self._climb, t_s, dt, r, parts, n_up, events)
        return events

    def _feet(self, r, facing: float) -> list[str]:
        """Updates which foot (higher, lower) is up, with hysteresis; the ones that just went up."""
        c, was = self.cfg, dict(self._up)
        # The body rose: onto a low step (not from the front, where both feet's readings carry
        # the pelvis's rise whatever the feet do).
        body_up = r.pelvis >= c.pelvis_rise_min_leglen and not facing >= c.front_view_facing_min
        down_at = self._down_at()
        for f, hgt in (("higher", max(r.left, r.right)), ("lower", min(r.left, r.right))):
            up_at = c.up_leglen
            if body_up and f == "lower" and self._up["higher"]:
                up_at = min(up_at, c.low_step_up_leglen)
            if f == "lower" and self._up["higher"] and self._front_low_step(r, facing):
                up_at = min(up_at, c.front_low_step_up_leglen)
            if body_up and self._climb is not None:
                # In a climb, with the body up, a foot that rose with it stands on the step: seen
                # from above, a foot on a low step reads lower than the pelvis's rise.
                up_at = min(up_at, max(c.down_leglen, c.on_step_pelvis_frac * r.pelvis))
            if self._up[f] and hgt < down_at:
                self._up[f] = False
            elif not self._up[f] and hgt > up_at:
                self._up[f] = True
        return [f for f in self._up if self._up[f] and not was[f]]

    def _front_low_step(self, r, facing: float) -> bool:
        """Seen from the front, onto a low step (perspective hides most of the feet's lift): a knee
        rose alone first (a foot lifted onto the step), the body is rising, and both feet and both
        knees are level again (on the step; a standing leg raise keeps one leg above the other)."""
        cl, c = self._climb, self.cfg
        return (cl is not None and cl.knee_led and facing >= c.front_view_facing_min
                and r.pelvis >= c.front_low_step_pelvis_leglen
                and abs(r.left - r.right) < c.front_low_step_up_leglen
                and abs(self.knee_gap) < c.together_knee_gap_leglen)

    def _down_at(self) -> float:
        """Where a foot is back down: `down_leglen`, or on a low step (the lower foot read under
        `up_leglen` while both stood on it, median) the same share of the step's reading: the
        foot left on the step dips under `down_leglen` while the other one steps down."""
        cl, down = self._climb, self.cfg.down_leglen
        if cl is None or not cl.on_step:
            return down
        return down * min(1.0, float(np.median(cl.on_step)) / self.cfg.up_leglen)

    @staticmethod
    def _climb_sample(cl: _Climb, t_s: float, r, parts: dict[str, float], posture_ok: bool) -> None:
        cl.frames += 1
        cl.posture_frames += int(posture_ok)
        cl.peak_pelvis = max(cl.peak_pelvis, r.pelvis)
        cl.pelvis.append((t_s, r.pelvis))
        cl.peak_foot = max(cl.peak_foot, r.left, r.right)
        cl.facing.append(parts.get("facing_camera", math.nan))

    def _start_climb(self, t_s: float, r, went_up: list[str], n_up: int, events: list[Event]) -> None:
        lead, lead_s = ("left" if r.left >= r.right else "right"), None
        if len(went_up) == 2 or self._facing >= self.cfg.front_view_facing_min:
            # Crossing together, or from the front: the foot (or knee) first off the floor leads.
            lead, lead_s = self._first_off(t_s) or (lead, None)
        self._climb = _Climb(lead=lead, start_s=t_s, leg_start_px=self._leg.percentile(50), lead_s=lead_s)
        t0 = max(self._last_end_s, t_s - self.cfg.together_lookback_s)
        self._climb.knee_led = self.gaps.widest(t0, t_s, knees=True).width >= self.cfg.together_knee_gap_leglen
        events.append(RepStarted(t_s))
        self.phase = StepPhase.ONE_UP
        if n_up == 2:
            self._both_up(t_s, 0.0, r, events)

    def _climb_step(self, cl: _Climb, t_s: float, dt: float, r, parts: dict[str, float], n_up: int,
                    events: list[Event]) -> None:
        """One frame of a climb under way: up one foot at a time, on the step, down again."""
        if self.phase is StepPhase.ONE_UP:
            if cl.back_s is not None:
                self._read_back(cl, t_s, r, n_up, events)
            elif n_up == 2:
                self._both_up(t_s, t_s - cl.start_s, r, events)
            elif n_up == 0:
                if t_s - cl.start_s >= self.cfg.min_lag_s:
                    cl.back_s = t_s  # it stood up there a while: maybe on a low step, read low
                else:
                    self._reject("foot_up_and_back", cl, t_s, events)
        elif self.phase is StepPhase.BOTH_UP:
            if n_up == 2:
                cl.leg_top_px.append(parts.get("leg_px", math.nan))
                cl.on_step.append(min(r.left, r.right))
                before = cl.hold_s
                cl.hold_s += dt
                self.book.hold(events, t_s, before, cl.hold_s)
                return
            events.append(HoldEnded(t_s, cl.hold_s))
            cl.down_s = t_s
            if n_up == 0:
                self._complete(t_s, 0.0, events)
            else:
                self.phase = StepPhase.ONE_DOWN
        elif self.phase is StepPhase.ONE_DOWN:
            if n_up == 0:
                self._complete(t_s, t_s - (cl.down_s or t_s), events)
            elif n_up == 2:
                self.phase = StepPhase.BOTH_UP  # the foot went back onto the step

    def _read_back(self, cl: _Climb, t_s: float, r, n_up: int, events: list[Event]) -> None:
        """The leading foot, up for at least `min_lag_s` (a shorter lift cannot be a step of its
        own), read back on the floor: a foot up and back, unless the body climbs within
        `back_grace_s` (onto a low step seen from behind and above, the foot on the step reads
        about as low as the floor until the body rises and the other foot comes up)."""
        c, back_s = self.cfg, cl.back_s
        assert back_s is not None
        if n_up >= 1 and r.pelvis >= c.pelvis_rise_min_leglen:
            cl.back_s = None
            if n_up == 2:
                self._both_up(t_s, t_s - cl.start_s, r, events)
            return
        if t_s - back_s <= c.back_grace_s:
            return
        self._reject("foot_up_and_back", cl, back_s, events)
        if n_up >= 1:  # a foot up now: a new climb, from here
            self._start_climb(t_s, r, [f for f in self._up if self._up[f]], n_up, events)

    def _first_off(self, t_s: float) -> tuple[str, float] | None:
        """Seen from the front, both readings cross the step level together (they carry the
        pelvis's rise); the leading foot is the one that rose first, alone (or its knee)."""
        c = self.cfg
        t0 = max(self._last_end_s, t_s - c.together_lookback_s)
        return self.gaps.first_apart(t0, t_s, c.together_gap_leglen, c.together_knee_gap_leglen)

    def _both_up(self, t_s: float, lag: float, r: StepReading, events: list[Event]) -> None:
        cl = self._climb
        assert cl is not None
        cl.up_lag_s, cl.top_s = lag, t_s
        t0 = max(self._last_end_s, cl.start_s - self.cfg.together_lookback_s)
        cl.sep_up = self.gaps.widest(t0, t_s).width
        cl.knee_sep_up = self.gaps.widest(t0, t_s, knees=True).width
        self.phase = StepPhase.BOTH_UP
        events.append(TopReached(t_s, max(r.left, r.right)))

    def _complete(self, t_s: float, down_lag: float, events: list[Event]) -> None:
        cl = self._climb
        assert cl is not None
        c = self.cfg
        up_lag = cl.up_lag_s or 0.0
        down_s = cl.down_s if cl.down_s is not None else t_s
        sep_down, knee_sep_down = self.gaps.widest(down_s, t_s).width, self.gaps.widest(down_s, t_s, knees=True).width
        # Together: both feet crossed the step level at once AND their heights never parted
        # (seen from the front, the crossings coincide even when the feet go one at a time).
        # How far apart "parted" is depends on the view: from the side a foot on the step is
        # its full height above the other, from the front perspective hides most of it.
        facing = [f for f in cl.facing if not math.isnan(f)]
        front = min(max(float(np.median(facing)), 0.0), 1.0) if facing else 0.0
        gap = front * c.together_gap_leglen + (1.0 - front) * c.together_gap_side_leglen
        # The knees too: seen from the front, a foot put on the step comes towards the camera
        # and hardly rises in the image, but its knee does (bent to lift it), the other's not.
        knees = c.together_knee_gap_leglen
        up_together = up_lag < c.min_lag_s and cl.sep_up < gap and cl.knee_sep_up < knees
        down_together = down_lag < c.min_lag_s and sep_down < gap and knee_sep_down < knees
        if facing and front >= c.front_view_facing_min:
            # From the front, the foot still on the step after the first one came down reads as
            # low as the floor (no pelvis left to carry it; depth hides its height): the way
            # down cannot be judged, so the way up decides.
            down_together = up_together
        if up_together and down_together:
            self._reject("feet_together", cl, t_s, events)
        elif self._scale_changed(cl):
            # Walking away from the camera lifts both feet and the pelvis in the image too,
            # but it also shrinks the person; stepping onto a step barely does.
            self._reject("moved_away_or_closer", cl, t_s, events)
        elif not cl.peak_pelvis >= (c.front_low_step_pelvis_leglen if cl.knee_led and front >= c.front_view_facing_min
                                    else c.pelvis_rise_min_leglen):
            # Both feet read "up" but the body stayed down: the other foot's reading was
            # wrong (MediaPipe swaps the legs seen from the side), one foot went up and back.
            self._reject("foot_up_and_back", cl, t_s, events, "the body did not go up")
        elif cl.hold_s < c.min_top_s:
            self._reject("too_fast", cl, t_s, events)
        elif cl.frames and cl.posture_frames / cl.frames < c.posture_min_frac:
            self._reject("posture", cl, t_s, events, "not standing upright")
        else:
            flags = []
            if up_together or down_together:
                flags.append("feet_together")
            rise_s = up_lag if cl.lead_s is None else max(up_lag, float(cl.top_s or t_s) - cl.lead_s)
            self.book.complete(events, t_s, start_s=cl.start_s, top_s=float(cl.top_s or t_s),
                               hold_s=self._time_on_top(cl), rise_s=rise_s, lower_s=down_lag, peak=cl.peak_foot,
                               side=cl.lead, variant=None, flags=tuple(flags))
        self._climb = None
        self._last_end_s = t_s
        self.phase = StepPhase.DOWN

    def _scale_changed(self, cl: _Climb) -> bool:
        top = [x for x in cl.leg_top_px if not math.isnan(x)]
        if not top or not cl.leg_start_px > 0:
            return False
        return abs(float(np.median(top)) / cl.leg_start_px - 1.0) > self.cfg.max_scale_change

    def _time_on_top(self, cl: _Climb) -> float:
        """Time standing on the step: the pelvis near its highest (the live HoldTick counts
        from the moment both feet are up, which includes pulling the body up)."""
        if len(cl.pelvis) < 2 or not cl.peak_pelvis > 0:
            return cl.hold_s
        ts = np.array([t for t, _ in cl.pelvis])
        up = np.array([h for _, h in cl.pelvis]) >= self.cfg.on_top_frac * cl.peak_pelvis
        return float(np.sum(np.diff(ts)[up[:-1] & up[1:]]))

    def _reject(self, reason: str, cl: _Climb, t_s: float, events: list[Event], detail: str = "") -> None:
        self.book.reject(events, reason, cl.start_s, t_s, cl.peak_foot, cl.lead, detail)
        self._climb = None
        self._last_end_s = t_s
        self.phase = StepPhase.DOWN

    def pause(self, t_s: float, reason: str = "tracking_lost") -> list[Event]:
        events: list[Event] = []
        if self._climb is not None:
            cl, self._climb = self._climb, None
            self.book.reject(events, reason, cl.start_s, t_s, cl.peak_foot, cl.lead)
        self.phase = StepPhase.WAIT
        self._last_t = None
        for f in self._filters.values():
            f.reset()
        return events

    def finish(self, t_s: float) -> list[Event]:
        if self._climb is None:
            return []
        return self.pause(t_s, "ended_on_step" if self._climb.top_s is not None else "ended_mid_step")
