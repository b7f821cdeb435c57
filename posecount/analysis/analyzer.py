"""The streaming analyzer the pipeline calls: one `update()` per source frame, then `finish()`.

It measures, bridges short gaps (the counter simply waits), pauses on long ones (an open
rep is rejected, never guessed), feeds the exercise's counter and gathers the result.
`auto` runs all three exercises side by side and commits to one as soon as the evidence
(posture, then a counted rep) is clear; until then events are held back and then replayed.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, replace

import numpy as np

from posecount import exercises
from posecount.analysis import posture
from posecount.analysis.events import Event, ExerciseChosen, Rejected, RepRecounted, RepRejected, TrackingPaused
from posecount.analysis.result import AnalysisResult, Trace
from posecount.pose.landmarks import PoseFrame
from posecount.settings import Settings, load_settings

NOT_RECOGNISED = "none"  # the exercise of an "auto" analysis that recognised none


def _fmt(t: float) -> str:
    return f"{t:.1f} s"


@dataclass(frozen=True)
class Gauge:
    """The signal now, with the levels it is judged against (for a live bar)."""

    value: float  # smoothed; nan while the person is not measurable
    rest: float  # start position level
    count: float  # a repetition counts from here
    unit: str
    name: str


class Analyzer:
    """Counts one exercise from a stream of poses."""

    def __init__(self, exercise: str, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()
        self.spec = exercises.get(exercise)
        self.exercise = self.spec.analysis(self.settings)  # its measurement, counter and judge
        self.name = self.spec.name
        self._t: list[float] = []
        self._raw: list[float] = []
        self._smooth: list[float] = []
        self._quality: list[float] = []
        self._rejected: list[Rejected] = []
        self._gaps: list[tuple[float, float]] = []  # the person lost, counting paused
        self._bridged: list[tuple[float, float]] = []  # lost for longer during a rep, which was kept
        self._gap_start: float | None = None
        self._paused = False
        self._frames = 0
        self._no_pose = 0
        self._unusable = 0
        self._bad_view = 0
        self._posture_ok = 0
        self._sideways = 0  # frames whose trunk lies along the image
        self._upright = 0  # frames whose trunk stands up in the image
        self._along = 0  # frames seen along a side-lying body (from the feet or the head)
        self._finished = False
        self._last_t: float | None = None

    # --- streaming ----------------------------------------------------------------------------
    def update(self, t_s: float, pose: PoseFrame | None) -> list[Event]:
        if self._finished:
            raise RuntimeError("update() after finish()")
        self._frames += 1
        self._last_t = t_s
        self._no_pose += pose is None
        m = self.exercise.measure(pose)
        usable = not math.isnan(m.value) and m.quality >= self.settings.tracking.min_quality
        self._bad_view += pose is not None and not m.view_ok
        events: list[Event] = []
        if not usable:
            self._unusable += pose is not None
            self._record(t_s, math.nan, math.nan, m.quality)
            if self._gap_start is None:
                self._gap_start = t_s
            if not self._paused and t_s - self._gap_start > self.exercise.gap_limit_s(self.settings.tracking.max_gap_s):
                self._paused = True
                events.append(TrackingPaused(t_s, self._gap_start))
                events += self.exercise.pause(self._gap_start)
            return self._collect(events)
        if self._gap_start is not None:
            if self._paused:
                self._gaps.append((self._gap_start, t_s))
            elif t_s - self._gap_start > self.settings.tracking.max_gap_s:
                self._bridged.append((self._gap_start, t_s))
            self._gap_start, self._paused = None, False
        self._posture_ok += m.posture_ok
        tilt = m.parts.get("trunk_tilt_deg", math.nan)
        sideways = self.settings.tracking.sideways_tilt_deg  # off the image vertical: lying along it
        self._sideways += tilt >= sideways
        self._upright += tilt <= 90.0 - sideways
        self._along += m.parts.get("along_stacked", 0.0) > 0.0
        new, raw, smooth = self.exercise.feed(t_s, m)
        self._record(t_s, raw, smooth, m.quality)
        return self._collect(events + new)

    def gauge(self) -> Gauge | None:
        """The latest smoothed signal and its rest and counting levels (None before the first frame)."""
        if not self._smooth:
            return None
        rest, count = self.exercise.gauge_levels()
        return Gauge(self._smooth[-1], rest, count, self.spec.unit, self.spec.signal)

    def _record(self, t: float, raw: float, smooth: float, q: float) -> None:
        self._t.append(t)
        self._raw.append(raw)
        self._smooth.append(smooth)
        self._quality.append(q)

    def _collect(self, events: list[Event]) -> list[Event]:
        self._rejected += [e.attempt for e in events if isinstance(e, RepRejected)]
        recounted = [e.was for e in events if isinstance(e, RepRecounted)]
        if recounted:  # counted after all: no longer among the attempts not counted
            self._rejected = [r for r in self._rejected if r not in recounted]
        return events

    def finish(self) -> list[Event]:
        if self._finished:
            return []
        self._finished = True
        t = self._last_t if self._last_t is not None else 0.0
        if self._gap_start is not None and self._paused:
            self._gaps.append((self._gap_start, t))
        return self._collect(self.exercise.finish(t))

    # --- result -------------------------------------------------------------------------------
    @property
    def posture_share(self) -> float:
        usable = self._frames - self._no_pose - self._unusable
        return self._posture_ok / usable if usable > 0 else 0.0

    def warnings(self) -> list[str]:
        w: list[str] = []
        n, tr = self._frames, self.settings.tracking
        if n == 0:
            return ["no frames were analysed"]
        seen = n - self._no_pose
        if seen == 0:  # one sentence, not one per consequence
            return ["no person found in any frame: nothing could be measured (is the whole body in view "
                    "and well lit?)"]
        if self._no_pose / n > tr.unusable_warn_fraction:
            w.append(f"no person found in {100 * self._no_pose / n:.0f}% of the frames: counts may be "
                     "incomplete (is the whole body in view and well lit?)")
        if seen and self._bad_view / seen > tr.unusable_warn_fraction:
            view, advice = self.spec.bad_view
            w.append(f"{view} in {100 * self._bad_view / seen:.0f}% of the frames: the {self.spec.noun(1)} cannot "
                     f"be measured there; {advice}")
        elif seen and self._unusable / seen > tr.unusable_warn_fraction:
            w.append(f"the body is cut off or hidden in {100 * self._unusable / seen:.0f}% of the "
                     "frames: those were not measured")
        usable = seen - self._unusable
        # Counted reps passed the posture test over the whole rep, which can tell what single
        # frames cannot (a bridge filmed from above looks like lying on the side frame by frame).
        if usable > 0 and self.posture_share < tr.posture_warn_frac and not self.exercise.reps:
            hint = f"is this the {self.name} exercise?"
            # A phone video whose rotation flag was lost: a standing person lies along the image
            # and a lying one stands up in it, which a pose alone cannot tell from the real
            # thing (a push-up, a standing leg raise); only the user knows which it is.
            standing = self.spec.start_position == "standing"
            turned = self._sideways if standing else self._upright
            if self._along > tr.turned_warn_frac * usable:
                # Not a turned video: seen from the feet or the head the trunk stands up in the
                # image, and MediaPipe often misplaces the legs (on the arms, the other leg).
                hint += (f" The camera looks along the body (from the feet or the head) in "
                         f"{100 * self._along / usable:.0f}% of the frames, where the pose is often misread: "
                         f"the {self.spec.noun(1)} cannot be measured reliably from there; film from the front")
            elif self.exercise.needs_gravity and turned > tr.turned_warn_frac * usable:
                hint += (f" The body {'lies along' if standing else 'stands up in'} the image: if the "
                         "video is turned, analyse it with --rotate 90 or --rotate 270")
            w.append(f"the person does not look like {self.exercise.posture_text} for most of the "
                     f"video: {hint}")
        elif usable > 0 and self._along > tr.turned_warn_frac * usable:
            # Counted from along the body: the rendered views from the feet read it in 59-69 % of
            # their frames (one counts 3 of 3, the other 1 of 3 from readings that follow the
            # truth at r = 0.15), no other clip of any set in more than 10 %.
            w.append(f"the camera looks along the body (from the feet or the head) in "
                     f"{100 * self._along / usable:.0f}% of the frames, where the pose is often misread: "
                     "check the count, and film from the front next time")
        for a, b in self._gaps:
            w.append(f"tracking lost from {_fmt(a)} to {_fmt(b)}: counting paused, nothing guessed")
        for a, b in self._bridged:
            w.append(f"tracking lost from {_fmt(a)} to {_fmt(b)} during a repetition, which was kept: "
                     "it was seen starting and seen ending")
        return w

    def result(self) -> AnalysisResult:
        ex, s = self.exercise, self.settings
        return AnalysisResult(
            exercise=self.name,
            reps=ex.reps,
            rejected=list(self._rejected),
            warnings=self.warnings(),
            signal_name=self.spec.signal,
            signal_unit=self.spec.unit,
            thresholds={"source": s.source, "sha256": s.sha256, **ex.thresholds(), "tracking": asdict(s.tracking)},
            trace=Trace(np.asarray(self._t), np.asarray(self._raw, float),
                        np.asarray(self._smooth, float), np.asarray(self._quality, float)),
        )


class AutoAnalyzer:
    """Runs every exercise and commits to the one the person is doing."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()
        self.names = exercises.names()
        self.analyzers = {name: Analyzer(name, self.settings) for name in self.names}
        self._pending: dict[str, list[Event]] = {name: [] for name in self.names}
        self._votes: Counter[str] = Counter()
        self._voted_s = 0.0
        self._last_t: float | None = None
        self.chosen: str | None = None

    def _shares(self) -> dict[str, float]:
        total = sum(self._votes.values())
        # A vote is for a start position: it counts for every exercise that starts there.
        return {name: (self._votes[self.analyzers[name].spec.start_position] / total if total else 0.0)
                for name in self.names}

    def _decide(self, t_s: float, final: bool) -> str | None:
        shares, auto = self._shares(), self.settings.auto
        best = max(shares, key=shares.get)
        counted = [n for n in self.names if self.analyzers[n].exercise.reps]
        # Posture alone never decides: squats, lunges and standing still look like the step-up's
        # start; only a counted repetition of an exercise whose start position was seen does.
        if final:
            with_reps = [n for n in counted if shares[n] >= auto.recognised_share_min]
            return max(with_reps, key=shares.get) if with_reps else None
        if self._voted_s < self.settings.tracking.auto_decide_s:
            return None
        return best if shares[best] >= auto.choose_share_min and best in counted else None

    def update(self, t_s: float, pose: PoseFrame | None) -> list[Event]:
        vote = posture.classify(pose, self.settings.tracking.min_quality, self.settings.posture)
        if vote is not None:
            self._votes[vote] += 1
            if self._last_t is not None:
                self._voted_s += max(0.0, t_s - self._last_t)
        self._last_t = t_s
        if self.chosen is not None:
            for name, a in self.analyzers.items():
                if name != self.chosen:
                    a.update(t_s, pose)  # kept running so that the result can still compare
            return self.analyzers[self.chosen].update(t_s, pose)
        for name, a in self.analyzers.items():
            self._pending[name] += a.update(t_s, pose)
        chosen = self._decide(t_s, final=False)
        return self._commit(chosen, t_s) if chosen else []

    @property
    def name(self) -> str:
        """The chosen exercise's name, "auto" until one is chosen."""
        return self.chosen or "auto"

    def gauge(self) -> Gauge | None:
        return self.analyzers[self.chosen].gauge() if self.chosen else None

    def _commit(self, name: str, t_s: float) -> list[Event]:
        self.chosen = name
        held = self._pending[name]
        self._pending = {n: [] for n in self.names}
        return [ExerciseChosen(t_s, name), *held]

    def finish(self) -> list[Event]:
        t = self._last_t or 0.0
        finals = {name: a.finish() for name, a in self.analyzers.items()}
        if self.chosen is None:
            name = self._decide(t, final=True)
            if name is None:  # not recognised: nothing is replayed, nothing counted
                return []
            # Decided only now: replay what this exercise found, including the final events.
            self._pending[name] += finals[name]
            return self._commit(name, t)
        return finals[self.chosen]

    def result(self) -> AnalysisResult:
        name = self.chosen or self._decide(self._last_t or 0.0, final=True)
        shares = self._shares()
        if name is not None:
            r = self.analyzers[name].result()
            note = (f"exercise chosen automatically: {name} (a repetition counted, and its start position "
                    f"seen in {100 * shares[name]:.0f}% of the frames that showed one)")
        else:  # the signal of the start position seen most is kept for plots; nothing is counted
            r = replace(self.analyzers[max(shares, key=shares.get)].result(), reps=[], rejected=[])
            note = ("could not recognise the exercise: no repetition of " + ", ".join(self.names)
                    + " was seen; nothing was counted (choose the exercise with --exercise)")
        return AnalysisResult(
            exercise=name or NOT_RECOGNISED, reps=r.reps, rejected=r.rejected, warnings=[note, *r.warnings],
            signal_name=r.signal_name, signal_unit=r.signal_unit,
            thresholds={**r.thresholds, "auto": asdict(self.settings.auto), "posture": asdict(self.settings.posture)},
            trace=r.trace, chosen_automatically=True, candidates=shares,
        )


def create_analyzer(exercise: str, settings: Settings | None = None) -> Analyzer | AutoAnalyzer:
    """An analyzer for `exercise` (a registered exercise or one of its aliases, or "auto")."""
    key = exercises.parse(exercise)
    return AutoAnalyzer(settings) if key == "auto" else Analyzer(key, settings)


def analyze_track(track, exercise: str = "auto", settings: Settings | None = None) -> AnalysisResult:
    """Feeds every frame of a `PoseTrack` (or any object with `.frames()`) and finishes."""
    analyzer = create_analyzer(exercise, settings)
    for t_s, pose in track.frames():
        analyzer.update(t_s, pose)
    analyzer.finish()
    return analyzer.result()
