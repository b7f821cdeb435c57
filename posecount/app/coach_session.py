"""One live session of the app: the live coach (`posecount.coach.live`) on its own thread, with the
newest frame and state kept for the browser.

The coach is the same one `posecount live` runs: the same pipeline, counting and cues, and it
saves its session file after every repetition. The app adds: the session stored in the profile's
history as soon as it ends, however it ends (target reached, Stop, the tab gone quiet, the server
stopping, the camera gone), with pain and effort added to that entry afterwards; a mute switch; and
one owner (a browser tab) at a time.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from posecount import exercises
from posecount.coach.cues import Cue
from posecount.coach.speech import Speaker
from posecount.errors import PosecountError

log = logging.getLogger(__name__)

JPEG_QUALITY = 75
STREAM_MAX_SIDE = 960  # pixels: enough for a full-screen tab, small enough to send at 30 frames/s


@dataclass(frozen=True)
class SessionRequest:
    exercise: str
    target: int | None
    lang: str
    profile: str
    source: str  # a camera index or a video file played as the camera
    sessions_dir: Path
    db_path: Path
    side: str | None = None  # the side raise's planned first side (for the words only)
    model: str | None = None
    realtime: bool = True


class MutableSpeaker(Speaker):
    """A speaker that can be muted and unmuted while the session runs (the screen keeps the cues)."""

    def __init__(self, lang: str, backend=None) -> None:
        super().__init__(lang, quiet=False, backend=backend)
        self.muted = False

    def say(self, cue: Cue) -> None:
        if not self.muted:
            super().say(cue)


@dataclass
class _Shared:
    """What the coach's thread hands to the server's threads."""

    cond: threading.Condition = field(default_factory=threading.Condition)
    seq: int = 0
    image: np.ndarray | None = None
    shown_at: float = 0.0  # wall clock (s) when the frame was ready
    captured_at: float = 0.0  # wall clock (s) when the camera delivered it
    state: dict = field(default_factory=dict)


class CoachSession:
    """Runs one session; every method may be called from any thread."""

    def __init__(self, request: SessionRequest, owner: str, speaker_backend=None) -> None:
        self.request = request
        self.owner = owner
        self.speaker = MutableSpeaker(request.lang, backend=speaker_backend)
        self.shared = _Shared()
        self.error: str | None = None
        self.finished = False
        self.history_id: int | None = None
        self.summary: dict = {}
        self.last_seen = time.monotonic()
        self.coach = None
        self._thread = threading.Thread(target=self._run, name="posecount-app-session", daemon=True)

    # -- control ---------------------------------------------------------------------------------
    def start(self) -> CoachSession:
        from posecount.coach.live import LiveCoach, LiveOptions

        r = self.request
        opts = LiveOptions(exercise=r.exercise, source=r.source, target=r.target, lang=r.lang, model=r.model,
                           window=False, quiet=False, sessions_dir=r.sessions_dir, realtime=r.realtime)
        self.coach = LiveCoach(opts, speaker=self.speaker, on_state=self._on_state)
        self._thread.start()
        return self

    def pause(self, paused: bool) -> None:
        if self.coach is not None:
            self.coach.set_paused(paused)

    def mute(self, muted: bool) -> None:
        self.speaker.muted = muted

    def stop(self, reason: str = "stopped", wait_s: float | None = 10.0) -> None:
        if self.coach is not None:
            self.coach.request_stop(reason)
        if wait_s and self._thread.is_alive():
            self._thread.join(wait_s)

    def seen(self) -> None:
        self.last_seen = time.monotonic()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    # -- what the browser reads ------------------------------------------------------------------
    def _on_state(self, image: np.ndarray, state) -> None:
        with self.shared.cond:
            self.shared.image = image
            self.shared.state = _state_dict(state)
            self.shared.seq += 1
            self.shared.shown_at = time.time()
            self.shared.captured_at = getattr(state, "captured_at", None) or self.shared.shown_at
            self.shared.cond.notify_all()

    def frame_after(self, seq: int, timeout_s: float = 1.0) -> tuple[int, bytes | None, float, float]:
        """The newest frame as JPEG once it is newer than `seq` (or None after `timeout_s`), with the
        wall-clock times it was captured and ready."""
        import cv2

        with self.shared.cond:
            self.shared.cond.wait_for(lambda: self.shared.seq > seq or self.finished, timeout_s)
            if self.shared.seq <= seq or self.shared.image is None:
                return self.shared.seq, None, 0.0, 0.0
            image, now_seq, shown_at = self.shared.image, self.shared.seq, self.shared.shown_at
            captured_at = self.shared.captured_at
        h, w = image.shape[:2]
        scale = STREAM_MAX_SIDE / max(h, w)
        if scale < 1:
            image = cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
        ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        return now_seq, (jpeg.tobytes() if ok else None), captured_at, shown_at

    def state(self) -> dict:
        with self.shared.cond:
            state = dict(self.shared.state)
        ex = exercises.get(self.request.exercise)
        state.update({"exercise": self.request.exercise, "title": ex.title(self.request.lang),
                      "target": self.request.target, "per_side": ex.per_side, "error": self.error,
                      "finished": self.finished, "history_id": self.history_id, "summary": self.summary,
                      "muted": self.speaker.muted, "running": self.running})
        state["frames"] = self.shared.seq  # frames the coach has handed over (its rate, for the benchmark)
        if self.finished and self.coach is not None:
            state["end_reason"] = self.coach.stop_reason
            state["total"] = self.summary.get("reps", state.get("total", 0))
        return state

    # -- the thread ------------------------------------------------------------------------------
    def _run(self) -> None:
        result = None
        try:
            result = self.coach.run()
        except PosecountError as exc:
            self.error = str(exc)
        except Exception as exc:  # noqa: BLE001 — shown on screen; the counted reps are saved below
            log.exception("the live session failed")
            self.error = f"the session stopped: {exc}"
        finally:
            try:
                self._store(result)
            finally:
                with self.shared.cond:
                    self.finished = True
                    self.shared.cond.notify_all()
                self.speaker.close(timeout_s=1.0)

    def _store(self, result) -> None:
        """Stores what was counted in the profile's history (the coach's saved file if it crashed)."""
        from posecount.progress.history import save_analysis

        if result is not None:
            body = result.run.to_dict()
        else:
            path = getattr(self.coach, "path", None)
            if path is None or not Path(path).is_file():
                return
            body = json.loads(Path(path).read_text())
        if not body.get("repetitions") or exercises.find(body.get("exercise")) is None:
            self.summary = summary_words(body, self.request, None)
            return
        try:
            self.history_id = save_analysis(body, self.request.db_path, kind="live",
                                            started_at=getattr(self.coach, "started_at", None))
        except PosecountError as exc:
            self.error = f"not saved in the history: {exc}"
        self.summary = summary_words(body, self.request, _next_target(self.request))

    def set_scores(self, pain: int | None, effort: float | None) -> None:
        from posecount.progress.history import set_scores

        if self.history_id is None:
            raise PosecountError("nothing was counted, so there is nothing to add pain and effort to")
        set_scores(self.history_id, pain, effort, self.request.db_path)


def _state_dict(state) -> dict:
    """The coach's LiveState as JSON-safe values (NaN and infinities become None)."""
    from dataclasses import asdict, is_dataclass

    raw = asdict(state) if is_dataclass(state) else dict(state)
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in raw.items()}


def _next_target(request: SessionRequest) -> int | None:
    """The plan's target for the next session of this exercise, with today's session counted."""
    from posecount.progress.history import load_sessions
    from posecount.progress.plan import todays_target

    try:
        t = todays_target(load_sessions(request.db_path), request.exercise, request.side)
    except PosecountError:
        return None
    return t.reps * max(t.sets, 1)


def summary_words(body: dict, request: SessionRequest, next_target: int | None) -> dict:
    """What was done, as the end screen says it: "5 bridges, held 4–6 s; next time 6"."""
    from posecount.app.texts import texts

    words = texts(request.lang)
    ex = exercises.get(request.exercise)
    reps = body.get("repetitions") or []
    n = len(reps)
    parts = [f"{n} {ex.noun(n, request.lang)}"]
    holds = sorted(h for h in (r.get("hold_s") for r in reps) if isinstance(h, (int, float)) and math.isfinite(h))
    if holds and ex.hold_key:
        a, b = round(holds[0]), round(holds[-1])
        parts.append(words["held_one"].format(a=a) if a == b else words["held"].format(a=a, b=b))
    line = ", ".join(parts)
    if next_target:
        line += "; " + words["next_time"].format(n=next_target)
    return {"reps": n, "text": line, "sides": sorted({r.get("side") for r in reps if r.get("side")})}
