"""Capture on its own thread, keeping only the newest frame, as a live loop wants.

A camera delivers frames whatever the loop does; a file source is paced at its own
frame rate here so that it behaves like a camera (frames the loop is too slow for are
dropped), which lets the live path be tested and benchmarked without a camera. With
`realtime=False` a file is handed over frame by frame, none dropped (for tests).
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from posecount.media.sources import CameraSource, Frame, ImageFolderSource, VideoSource


class LatestFrame:
    """Reads a source in the background; `get()` returns the newest frame not yet taken."""

    def __init__(self, source: VideoSource | ImageFolderSource | CameraSource, realtime: bool = True) -> None:
        self.source = source
        self.realtime = realtime and not isinstance(source, CameraSource)
        self.lossless = not realtime and not isinstance(source, CameraSource)
        self.info = source.info
        self.read = 0  # frames read from the source
        self.dropped = 0  # frames replaced before the loop took them
        self.error: BaseException | None = None
        self._frame: Frame | None = None
        self._ended = False
        self._stop = threading.Event()
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="posecount-capture", daemon=True)

    def start(self) -> LatestFrame:
        self._thread.start()
        return self

    def _run(self) -> None:
        started = time.monotonic()
        try:
            for frame in self.source:
                if self._stop.is_set():
                    break
                if self.realtime:  # play a file no faster than it was filmed
                    delay = frame.t_s - (time.monotonic() - started)
                    if delay > 0 and self._stop.wait(delay):
                        break
                with self._cond:
                    if self.lossless:
                        self._cond.wait_for(lambda: self._frame is None or self._stop.is_set())
                    if self._frame is not None:
                        self.dropped += 1
                    self._frame = replace(frame, wall_s=time.time())
                    self.read += 1
                    self._cond.notify()
        except BaseException as exc:  # noqa: BLE001 — handed to the loop, which reports it
            self.error = exc
        finally:
            with self._cond:
                self._ended = True
                self._cond.notify_all()

    def get(self, timeout_s: float = 2.0) -> Frame | None:
        """The newest frame, waiting for one; None when the source has ended (or timed out)."""
        with self._cond:
            if self._frame is None and not self._ended:
                self._cond.wait_for(lambda: self._frame is not None or self._ended, timeout_s)
            frame, self._frame = self._frame, None
            self._cond.notify_all()
            return frame

    @property
    def ended(self) -> bool:
        with self._cond:
            return self._ended and self._frame is None

    def stop(self) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        self._thread.join(timeout=2.0)
        self.source.close()
