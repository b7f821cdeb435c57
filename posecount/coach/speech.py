"""Speaking cues without ever blocking the video loop.

A background thread takes cues from a short queue and speaks them with espeak-ng
(offline, Dutch and English voices) when it is installed, else plays a beep through
`sounddevice` (comes with mediapipe), else rings the terminal bell. Cues that may be
dropped are dropped when the speaker is still busy, so speech never lags behind.
"""

from __future__ import annotations

import logging
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable

from posecount.coach.cues import Cue

log = logging.getLogger(__name__)


def _espeak(lang: str) -> Callable[[str], None] | None:
    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    if exe is None:
        return None
    voice = {"nl": "nl", "en": "en"}[lang]

    def speak(text: str) -> None:
        subprocess.run([exe, "-v", voice, "-s", "150", text], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=15, check=False)

    return speak


def _beep() -> Callable[[str], None]:
    try:
        import numpy as np
        import sounddevice as sd

        sd.query_devices(kind="output")  # raises where there is no output device
        tone = (0.2 * np.sin(2 * np.pi * 880 * np.arange(int(0.15 * 22050)) / 22050)).astype(np.float32)

        def beep(_text: str) -> None:
            sd.play(tone, 22050, blocking=True)

        return beep
    except Exception:  # noqa: BLE001 — no PortAudio, no device: fall back to the bell
        def bell(_text: str) -> None:
            sys.stderr.write("\a")
            sys.stderr.flush()

        return bell


class Speaker:
    """Says cues in the background; `quiet` makes it a no-op (the screen still shows them)."""

    def __init__(self, lang: str = "en", quiet: bool = False,
                 backend: Callable[[str], None] | None = None) -> None:
        self.quiet = quiet
        self.spoken: list[Cue] = []  # what was handed to the voice, in order (for tests and logs)
        self._backend = backend or _espeak(lang) or _beep()
        self.kind = "custom" if backend else ("espeak-ng" if _espeak(lang) else "beep")
        self._queue: queue.Queue[Cue | None] = queue.Queue(maxsize=4)
        self._thread = threading.Thread(target=self._run, name="posecount-speech", daemon=True)
        if not quiet:
            self._thread.start()

    def say(self, cue: Cue) -> None:
        """Queues a cue; never waits. A droppable cue is dropped when the speaker is busy."""
        if self.quiet:
            return
        if not cue.urgent and not self._queue.empty():
            return
        try:
            self._queue.put_nowait(cue)
        except queue.Full:
            try:  # make room: the oldest cue is the least useful one
                self._queue.get_nowait()
                self._queue.put_nowait(cue)
            except (queue.Empty, queue.Full):
                pass

    def _run(self) -> None:
        while True:
            cue = self._queue.get()
            if cue is None:
                return
            self.spoken.append(cue)
            try:
                self._backend(cue.text)
            except Exception as exc:  # noqa: BLE001 — a broken voice must not end the session
                log.warning("speech failed: %s", exc)

    def close(self, timeout_s: float = 3.0) -> None:
        """Lets the last cues finish (up to `timeout_s`) and stops the thread."""
        if self.quiet or not self._thread.is_alive():
            return
        try:
            self._queue.put(None, timeout=timeout_s)
        except queue.Full:
            return
        self._thread.join(timeout_s)
