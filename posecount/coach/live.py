"""The live loop: newest frame → pose → the same analysis as `analyze` → cues, window, record.

Every way a session ends (target reached, q or Esc, the window closed, Ctrl-C, the camera
gone, the file ending, a crash) saves what was counted; the file is also rewritten after
every repetition, so even a killed process keeps the repetitions done until then.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from posecount import exercises
from posecount.analysis.events import RepCompleted
from posecount.coach.capture import LatestFrame
from posecount.coach.cues import Cue, CueSettings, cue, cues_for_events, show
from posecount.coach.placement import Placement, ReadyGate, check_placement
from posecount.coach.speech import Speaker
from posecount.coach.state import MESSAGE_S, HoldClock, LiveState, PersonKeeper, sets_of, side_count, target_cues
from posecount.coach.window import Window
from posecount.errors import OutputError
from posecount.paths import private_data_dir
from posecount.pipeline import AnalysisRun, RunningAnalysis, open_pose_input
from posecount.pose import models
from posecount.progress.rules import plan_settings
from posecount.storage import atomic_write, private_dir

log = logging.getLogger(__name__)

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
    fullscreen: bool = True  # the window fills the screen (else a 960 px window)
    debug: bool = False  # also show the frame rate and the measured value
    end_screen_s: float = 3.0  # the end message stays this long (or until a key) when the target is reached


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


StateCallback = Callable[[np.ndarray, LiveState], None]


@dataclass
class _Loop:
    """What one run of the loop keeps from frame to frame."""

    window: Window | None
    gate: ReadyGate = field(default_factory=ReadyGate)
    hold: HoldClock = field(default_factory=HoldClock)
    person: PersonKeeper = field(default_factory=PersonKeeper)
    last_placement_cue: float = -PLACEMENT_REPEAT_S
    fps_clock: list[float] = field(default_factory=list)
    held: float | None = None
    base: np.ndarray | None = None  # the last frame with skeleton and blurred face, no panels
    prefer: tuple | None = None  # where the panels went last


class LiveCoach:
    """One live session. `run()` blocks until it ends and always saves.

    `on_frame(image)` gets each frame as the window shows it (panels drawn); `on_state(image,
    state)` gets the frame with only the skeleton and the blurred face, and the panels'
    contents as a `LiveState` (once more with `finished` set when the session ends).
    Both are called on the thread that runs `run()`.
    """

    def __init__(self, options: LiveOptions, speaker: Speaker | None = None,
                 on_frame: Callable[[np.ndarray], None] | None = None, source=None,
                 on_state: StateCallback | None = None) -> None:
        from posecount.analysis.analyzer import create_analyzer

        self.opts = options
        self.analyzer = create_analyzer(options.exercise)  # a bad name fails before the camera opens
        self.speaker = speaker or Speaker(options.lang, quiet=options.quiet)
        self.on_frame = on_frame
        self.on_state = on_state
        self.source = source  # an open frame source; default: opened from options.source
        self.stop_reason: str | None = None
        self.started_at = datetime.now(timezone.utc).astimezone()
        stamp = self.started_at.strftime("%Y-%m-%dT%H-%M-%S")
        self._folder = options.sessions_dir or sessions_dir()
        self._stamp = stamp
        self.path = self._session_path()
        self.message = ""  # the last cue's words on screen
        self._message_t = 0.0
        self._t = 0.0  # the time of the frame being handled
        self._wall: float | None = None  # when that frame was captured (wall clock)
        self._paused = False
        self._pause_lock = threading.Lock()
        self._interrupted = False
        self._count = 0  # repetitions counted so far
        self._sides: list[str | None] = []  # the side of each, in order
        self._goals: dict[str, float | None] = {}

    # -- pausing (from any thread) -----------------------------------------------------------
    @property
    def paused(self) -> bool:
        return self._paused

    def set_paused(self, paused: bool) -> None:
        """Pauses or resumes the counting (the video and the placement check go on)."""
        with self._pause_lock:
            self._paused = bool(paused)

    def toggle_pause(self) -> bool:
        """Pauses when counting, resumes when paused; returns whether it is paused now."""
        with self._pause_lock:
            self._paused = not self._paused
            return self._paused

    # -- the pieces of one frame ---------------------------------------------------------------
    def _say(self, said: Cue) -> None:
        if said.screen:
            self.message, self._message_t = said.screen, self._t
        self.speaker.say(said)

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
        name = self._exercise()
        if name not in self._goals:
            ex = exercises.find(name)
            self._goals[name] = ex.hold_goal_s(plan_settings()) if ex else None
        return self._goals[name]

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
        loop = _Loop(window=self._open_window(), gate=ReadyGate(self.analyzer.settings.placement.ready_hold_s))
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
        self._t, self._wall = frame.t_s, frame.wall_s
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
            for said in cues_for_events(events, cue_settings, before):
                self._say(said)
            self._after_events(events, running)
        loop.held = loop.hold.update(frame.t_s, events)
        if self.opts.debug:
            loop.fps_clock.append(time.monotonic())
            loop.fps_clock[:] = loop.fps_clock[-30:]
        if loop.window or self.on_frame or self.on_state:
            self._present(frame.image, pose, loop)

    def _placement_cue(self, t_s: float, placement: Placement, loop: _Loop) -> None:
        """"Ready" once the placement has held; else its problem, repeated every few seconds."""
        if loop.gate.update(t_s, placement):
            self._say(cue("ready", self.opts.lang, urgent=False))
        elif placement.problem and t_s - loop.last_placement_cue >= PLACEMENT_REPEAT_S:
            loop.last_placement_cue = t_s
            self._say(cue(placement.problem, self.opts.lang, urgent=False))

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
        if running.frames == 0 and grabber.read > 0:
            warnings.append("paused throughout: nothing was counted")
        run = running.close(warnings, allow_empty=grabber.read > 0)
        saved = self._save(self._record(run, self.stop_reason))
        if self.opts.record is not None and run.track is not None:
            run.track.save(self.opts.record)
        try:
            self._finish_screen(loop, source.info.size_wh)
        finally:
            self.speaker.close()
            if loop.window:
                loop.window.close()
        return run, saved

    def _after_events(self, events: list, running: RunningAnalysis) -> None:
        """Book-keeping after a frame's events: save after each rep, targets, sides, sets."""
        completed = [ev for ev in events if isinstance(ev, RepCompleted)]
        if not completed:
            return
        self._count += len(completed)
        self._sides += [ev.rep.side for ev in completed]
        self._save(self._record(running.snapshot(), "in progress"))
        ex = exercises.find(self._exercise())
        keys, reached = target_cues(self._sides, self._count, self.opts.target, ex is not None and ex.per_side,
                                    ex.set_size if ex is not None else None)
        for key in keys:
            self._say(cue(key, self.opts.lang))
        if reached:
            self.request_stop("target reached")

    # -- what is shown ---------------------------------------------------------------------------
    def _state(self, loop: _Loop, finished: bool = False) -> LiveState:
        """The panels' contents now, as data."""
        ex = exercises.find(self._exercise())
        per_side = ex is not None and ex.per_side
        side, on_side = side_count(self._sides)
        set_no, sets = (None, None) if per_side else sets_of(
            self._count, self.opts.target, ex.set_size if ex is not None else None)
        fresh = finished or self._t - self._message_t <= MESSAGE_S
        message = show("paused", self.opts.lang) if self._paused and not finished else self.message if fresh else ""
        return LiveState(self._exercise(), on_side if per_side else self._count, self.opts.target, self._count,
                         None if finished else loop.held, self._hold_goal(), message, self._paused,
                         loop.gate.open, side, set_no, sets, finished, self.stop_reason if finished else None,
                         self._t, self._wall)

    def _overlay(self, state: LiveState, loop: _Loop):
        from posecount.coach.screen import overlay_for

        return overlay_for(state, self.opts.lang, self.analyzer.gauge(), loop.fps_clock, self.opts.debug)

    def _present(self, image: np.ndarray, pose, loop: _Loop) -> None:
        """The frame without panels to `on_state`; with them to `on_frame` and the window."""
        from posecount.coach.screen import render
        from posecount.media.layout import person_box
        from posecount.media.render import blur_face, draw_skeleton

        wh = (image.shape[1], image.shape[0])
        loop.base = draw_skeleton(blur_face(image, pose), pose)
        person = loop.person.update(person_box(pose, wh))
        state = self._state(loop)
        if self.on_state:
            self.on_state(loop.base, state)
        if not (self.on_frame or loop.window):
            return
        overlay = self._overlay(state, loop)
        if self.on_frame:
            drawn, loop.prefer = render(loop.base, overlay, person, None, loop.prefer)
            self.on_frame(drawn)
        if loop.window:
            drawn, loop.prefer = render(loop.base, overlay, person, loop.window.canvas(), loop.prefer)
            self._on_key(loop.window.show(drawn))

    def _finish_screen(self, loop: _Loop, size_wh: tuple[int, int]) -> None:
        """The last state to `on_state`; the end message on screen for a while when the target is reached."""
        from posecount.coach.screen import end_screen

        state = self._state(loop, finished=True)
        base = loop.base if loop.base is not None else np.zeros((size_wh[1], size_wh[0], 3), np.uint8)
        if self.on_state:
            self.on_state(base, state)
        if loop.window and self.stop_reason == "target reached" and self.opts.end_screen_s > 0:
            loop.window.linger(end_screen(base, state, loop.window.canvas()), self.opts.end_screen_s,
                               lambda: self._interrupted)

    # -- window --------------------------------------------------------------------------------
    def _open_window(self) -> Window | None:
        if not self.opts.window:
            return None
        window = Window(fullscreen=self.opts.fullscreen)
        if not window.create():  # no display: a one-line warning, and on without a window
            self.opts.window = False
            return None
        return window

    def _on_key(self, action: str | None) -> None:
        if action == "quit":
            self.request_stop("quit")
        elif action == "pause":
            self.toggle_pause()
        elif action == "closed":
            self.request_stop("window closed")

    # -- Ctrl-C ----------------------------------------------------------------------------------
    def _install_sigint(self):
        if threading.current_thread() is not threading.main_thread():
            return None

        def handler(signum, frame) -> None:
            self._interrupted = True
            self.request_stop("interrupted")

        return signal.signal(signal.SIGINT, handler)

    @staticmethod
    def _restore_sigint(previous) -> None:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
