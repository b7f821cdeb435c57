"""Writing videos frame by frame: H.264 where this OpenCV build can, else MPEG-4 Part 2.

The pip wheels of OpenCV ship FFmpeg without an H.264 encoder, so 'avc1' often fails to
open; 'mp4v' plays in VLC, mpv and most browsers' download players, but not everywhere.
The caller learns which codec was used and tells the person.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from posecount.errors import OutputError

log = logging.getLogger(__name__)

CODECS = ("avc1", "mp4v")  # preferred first
CODEC_NAMES = {"avc1": "H.264 (avc1)", "mp4v": "MPEG-4 Part 2 (mp4v)"}


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """FFmpeg prints its failed encoder probes straight to fd 2; they are expected here."""
    fd = 2  # the process's own stderr, where FFmpeg writes, whatever sys.stderr is now
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


class VideoWriter:
    """An .mp4 writer that tries `codecs` in order; use as a context manager."""

    def __init__(self, path: str | Path, fps: float, size_wh: tuple[int, int],
                 codecs: tuple[str, ...] = CODECS) -> None:
        self.path = Path(path)
        self.size_wh = (int(size_wh[0]), int(size_wh[1]))
        self.frames = 0
        self.codec = ""
        self._writer: cv2.VideoWriter | None = None
        for codec in codecs:
            with _quiet_stderr():
                writer = cv2.VideoWriter(str(self.path), cv2.VideoWriter_fourcc(*codec), float(fps), self.size_wh)
            if writer.isOpened():
                self._writer, self.codec = writer, codec
                break
            writer.release()
            log.info("codec %s is not available in this OpenCV build", codec)
        if self._writer is None:
            raise OutputError(f"cannot write {self.path.name}: no video codec of {', '.join(codecs)} works here")

    @property
    def codec_name(self) -> str:
        return CODEC_NAMES.get(self.codec, self.codec)

    def write(self, image: np.ndarray) -> None:
        if (image.shape[1], image.shape[0]) != self.size_wh:
            # A frame of another size would be dropped silently by OpenCV: never let that happen.
            image = cv2.resize(image, self.size_wh, interpolation=cv2.INTER_AREA)
        assert self._writer is not None
        self._writer.write(image)
        self.frames += 1

    def close(self) -> None:
        if self._writer is not None:
            self._writer.release()
            self._writer = None

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
