"""The live loop: newest frame → pose → the same analysis as `analyze` → cues, window, record.

Every way a session ends (target reached, q or Esc, the window closed, Ctrl-C, the camera
gone, the file ending, a crash) saves what was counted; the file is also rewritten after
every repetition, so even a killed process keeps the repetitions done until then.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from posecount import exercises
from posecount.analysis.events import HoldEnded, HoldTick, RepCompleted, RepRejected, TopReached
from posecount.coach.capture import LatestFrame
from posecount.coach.cues import Cue, CueSettings, cues_for_events, say
from posecount.coach.placement import Placement, ReadyGate, check_placement
from posecount.coach.speech import Speaker
from posecount.errors import OutputError
from posecount.paths import private_data_dir
from posecount.pipeline import AnalysisRun, RunningAnalysis, open_pose_input
from posecount.pose import models
from posecount.progress.rules import plan_settings
from posecount.storage import atomic_write, private_dir

log = logging.getLogger(__name__)

WINDOW = "posecount"
PLACEMENT_REPEAT_S = 5.0  # how often a placement instruction is repeated


@dataclass
class LiveOptions:
    exercise: str = "auto"
    source: str = "0"  # camera index or a file
    target: int | None = None  # repetitions (per side for the side raise)
    lang: str = "en"
    model: str | None = None
    window: bool = True
    quiet: bool = False
    record: Path | None = None  # also save the pose track here
    sessions_dir: Path | None = None
    realtime: bool = True  # pace a file source at its own frame rate


@dataclass
class LiveResult:
    run: AnalysisRun
    saved_to: Path
    end_reason: str
    spoken: list[Cue]
    frames_read: int
    frames_dropped: int
    extra: dict = field(default_factory=dict)


def sessions_dir() -> Path:
    return private_data_dir() / "sessions"


def save_session(path: Path, record: dict) -> Path:
    """Writes the session JSON atomically (a crash mid-write leaves the previous version)."""
    try:
        private_dir(path.parent)
        return atomic_write(path, json.dumps(record, indent=2, ensure_ascii=False))
    except OutputError as exc:
        raise OutputError(f"cannot save the session: {exc}") from exc


class _Hold:
    """How long the current hold has lasted, from the analyzer's events."""

    def __init__(self) -> None:
        self.since: float | None = None
        self.held_s = 0.0

    def update(self, t_s: float, events: list) -> float | None:
        for ev in events:
            if isinstance(ev, TopReached):
                self.since, self.held_s = ev.t_s, 0.0
            elif isinstance(ev, HoldTick):
                self.held_s = ev.held_s
            elif isinstance(ev, (HoldEnded, RepCompleted, RepRejected)):
                self.since = None
        if self.since is None:
            return None
        return max(self.held_s, t_s - self.since)


def has_display() -> bool:
    """Whether a window can be opened: on Linux an X or Wayland display, or an offscreen Qt platform."""
    if sys.platform != "linux":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal", "vnc")))


@dataclass
class _Loop:
    """What one run of the loop keeps from frame to frame."""

    window: bool
    gate: ReadyGate = field(default_factory=ReadyGate)
    hold: _Hold = field(default_factory=lambda: _Hold())
    last_placement_cue: float = -PLACEMENT_REPEAT_S
    fps_clock: list[float] = field(default_factory=list)


class LiveCoach:
    """One live session. `run()` blocks until it ends and always saves."""

    def __init__(self, options: LiveOptions, speaker: Speaker | None = None,
                 on_frame: Callable[[np.ndarray], None] | None = None, source=None) -> None:
        from posecount.analysis.analyzer import create_analyzer

        self.opts = options
        self.analyzer = create_analyzer(options.exercise)  # a bad name fails before the camera opens
        self.speaker = speaker or Speaker(options.lang, quiet=options.quiet)
        self.on_frame = on_frame
        self.source = source  # an open frame source; default: opened from options.source
        self.stop_reason: str | None = None
        self.started_at = datetime.now(timezone.utc).astimezone()
        stamp = self.started_at.strftime("%Y-%m-%dT%H-%M-%S")
        self._folder = options.sessions_dir or sessions_dir()
        self._stamp = stamp
        self.path = self._session_path()
        self.message = ""
        self._paused = False
        self._count = 0  # repetitions counted so far

    # -- the pieces of one frame ---------------------------------------------------------------
    def _say(self, cue: Cue) -> None:
        self.message = cue.text
        self.speaker.say(cue)

    def _exercise(self) -> str:
        """The exercise being counted: for "auto", the one chosen, or "auto" until then."""
        return self.analyzer.name

    def _session_path(self) -> Path:
        return self._folder / f"{self._stamp}_{self._exercise()}.json"

    def _save(self, record: dict) -> Path:
        """Saves the session; once "auto" has chosen, under the chosen exercise's name."""
        path = self._session_path()
        saved = save_session(path, record)
        if path != self.path:
            self.path.unlink(missing_ok=True)
            self.path = path
        return saved

    def _hold_goal(self) -> float | None:
        ex = exercises.find(self._exercise())
        return ex.hold_goal_s(plan_settings()) if ex else None

    def _reps_by_side(self) -> dict[str | None, int]:
        counts: dict[str | None, int] = {}
        for rep in self.analyzer.result().reps:
            counts[rep.side] = counts.get(rep.side, 0) + 1
        return counts

    def request_stop(self, reason: str) -> None:
        if self.stop_reason is None:
            self.stop_reason = reason

    def _record(self, run: AnalysisRun, end_reason: str | None) -> dict:
        body = run.to_dict()  # with the placement check's thresholds too (live only uses them)
        body["thresholds"] = {**(body.get("thresholds") or {}), "placement": asdict(self.analyzer.settings.placement)}
        return {
            **body,
            "mode": "live",
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "ended_at": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
            "end_reason": end_reason,
            "target": self.opts.target,
            "lang": self.opts.lang,
        }

    # -- the loop --------------------------------------------------------------------------------
    def run(self) -> LiveResult:
        source, estimator = self._open()
        grabber = LatestFrame(source, realtime=self.opts.realtime)
        running = RunningAnalysis(self.analyzer, source.info.name, source.info.fps, source.info.size_wh,
                                  estimator.model_name, estimator.model.sha256,
                                  keep_track=self.opts.record is not None)
        previous_handler = self._install_sigint()
        loop = _Loop(window=self._open_window() if self.opts.window else False,
                     gate=ReadyGate(self.analyzer.settings.placement.ready_hold_s))
        grabber.start()
        try:
            while self.stop_reason is None:
                frame = grabber.get()
                if frame is not None:
                    self._frame(frame, estimator, running, loop)
                elif grabber.ended:
                    self.request_stop("camera stopped" if source.info.frame_count is None else "end of video")
        except KeyboardInterrupt:
            self.request_stop("interrupted")
        except BaseException:
            self.request_stop("crashed")
            raise
        finally:
            run, saved = self._end(grabber, running, estimator, source, loop)
            self._restore_sigint(previous_handler)
        return LiveResult(run, saved, self.stop_reason or "", list(self.speaker.spoken), grabber.read,
                          grabber.dropped)

    def _open(self):
        """The frame source and its estimator, wired as for `analyze` (`pipeline.open_pose_input`);
        the model first: a failure then leaves no camera open."""
        model = models.resolve_file(self.opts.model)
        self._input = open_pose_input(self.source or self.opts.source, model, exercise=self.opts.exercise)
        return self._input.source, self._input.estimator

    def _frame(self, frame, estimator, running: RunningAnalysis, loop: _Loop) -> None:
        """One frame: pose, placement (until counting starts), counting and cues, drawing."""
        pose = estimator.detect(frame.image, frame.t_s)
        placement = check_placement(pose, self._exercise(), float(frame.image[::8, ::8].mean()),
                                    self.analyzer.settings)
        if not loop.gate.open:
            self._placement_cue(frame.t_s, placement, loop)
        events: list = []
        if not self._paused:
            before = self._count
            events = running.feed(frame.t_s, pose)
            cue_settings = CueSettings(self.opts.lang, self._hold_goal(), self.opts.target)
            for cue in cues_for_events(events, cue_settings, before):
                self._say(cue)
            self._after_events(events, running)
        held = loop.hold.update(frame.t_s, events)
        loop.fps_clock.append(time.monotonic())
        loop.fps_clock[:] = loop.fps_clock[-30:]
        if loop.window or self.on_frame:
            image = self._draw(frame.image, pose, placement, held, self._hold_goal(), loop.fps_clock)
            if self.on_frame:
                self.on_frame(image)
            if loop.window:
                self._show(image)

    def _placement_cue(self, t_s: float, placement: Placement, loop: _Loop) -> None:
        """"Ready" once the placement has held; else its problem, repeated every few seconds."""
        if loop.gate.update(t_s, placement):
            self._say(Cue("ready", say("ready", self.opts.lang), urgent=False))
        elif placement.problem and t_s - loop.last_placement_cue >= PLACEMENT_REPEAT_S:
            loop.last_placement_cue = t_s
            self._say(Cue(placement.problem, say(placement.problem, self.opts.lang), urgent=False))

    def _end(self, grabber: LatestFrame, running: RunningAnalysis, estimator, source, loop: _Loop):
        """Whatever ended the session: finish the count, save everything, release the devices."""
        grabber.stop()
        self._after_events(running.finish(), running)
        estimator.close()
        warnings = self._input.warnings()  # the source's, and whether others were in view
        if grabber.error is not None:
            warnings.append(f"the source failed: {grabber.error}")
        if self.stop_reason == "camera stopped":
            warnings.append(f"{source.info.name} stopped delivering frames (unplugged?): session saved")
        run = running.close(warnings)
        saved = self._save(self._record(run, self.stop_reason))
        if self.opts.record is not None and run.track is not None:
            run.track.save(self.opts.record)
        self.speaker.close()
        if loop.window:
            self._close_window()
        return run, saved

    def _after_events(self, events: list, running: RunningAnalysis) -> None:
        """Book-keeping after a frame's events: save after each rep, targets, sides, sets."""
        completed = [ev for ev in events if isinstance(ev, RepCompleted)]
        if not completed:
            return
        self._count += len(completed)
        self._save(self._record(running.snapshot(), "in progress"))
        target = self.opts.target
        if not target:
            return
        ex = exercises.find(self._exercise())
        if ex is not None and ex.per_side:
            by_side = self._reps_by_side()
            sides_done = [s for s, n in by_side.items() if s and n >= target]
            last_side = completed[-1].rep.side
            if len(sides_done) >= 2:
                self._say(Cue("done", say("done", self.opts.lang)))
                self.request_stop("target reached")
            elif last_side in sides_done and by_side.get(last_side) == target:
                self._say(Cue("switch_sides", say("switch_sides", self.opts.lang)))
        else:
            size = ex.set_size if ex is not None else None
            if size and target > size and self._count % size == 0 and self._count < target:
                self._say(Cue("rest", say("rest", self.opts.lang)))
            if self._count >= target:
                self._say(Cue("done", say("done", self.opts.lang)))
                self.request_stop("target reached")

    # -- window --------------------------------------------------------------------------------
    def _draw(self, image, pose, placement: Placement, held, hold_goal, fps_clock) -> np.ndarray:
        from posecount.media.render import Overlay, blur_face, draw_overlay, draw_skeleton

        fps = (len(fps_clock) - 1) / (fps_clock[-1] - fps_clock[0]) if len(fps_clock) > 2 else None
        message = say("paused", self.opts.lang) if self._paused else self.message
        out = draw_skeleton(blur_face(image, pose), pose)
        return draw_overlay(out, Overlay(self._count, self.opts.target, held, hold_goal, message, fps,
                                         gauge=self.analyzer.gauge()))

    def _open_window(self) -> bool:
        import cv2

        if not has_display():  # Qt would abort the whole process (exit 134), not raise
            log.warning("no display to open a window on; going on without one")
            self.opts.window = False
            return False
        try:
            # GUI_NORMAL: no toolbar — nothing on screen should invite a click from the floor.
            cv2.namedWindow(WINDOW, cv2.WINDOW_NORMAL | cv2.WINDOW_GUI_NORMAL)
            self._sized = False
            return True
        except cv2.error as exc:
            log.warning("no window can be opened (%s); going on without one", exc)
            self.opts.window = False
            return False

    def _show(self, image) -> None:
        import cv2

        if not self._sized:  # big enough to read from a few metres away
            h, w = image.shape[:2]
            scale = 960 / max(h, w)
            cv2.resizeWindow(WINDOW, round(w * scale), round(h * scale))
            self._sized = True
        cv2.imshow(WINDOW, image)
        key = cv2.waitKey(1) & 0xFF
        if key in (ord("q"), 27):
            self.request_stop("quit")
        elif key == ord(" "):
            self._paused = not self._paused
        if cv2.getWindowProperty(WINDOW, cv2.WND_PROP_VISIBLE) < 1:
            self.request_stop("window closed")

    def _close_window(self) -> None:
        import cv2

        cv2.destroyWindow(WINDOW)
        cv2.waitKey(1)

    # -- Ctrl-C ----------------------------------------------------------------------------------
    def _install_sigint(self):
        if threading.current_thread() is not threading.main_thread():
            return None

        def handler(signum, frame) -> None:
            self.request_stop("interrupted")

        return signal.signal(signal.SIGINT, handler)

    @staticmethod
    def _restore_sigint(previous) -> None:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
