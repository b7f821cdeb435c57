"""Writing videos frame by frame: H.264 that browsers play (PyAV's libx264), else MPEG-4 Part 2.

The pip wheels of OpenCV ship FFmpeg without an H.264 encoder; PyAV's wheels carry libx264.
H.264 is written as yuv420p with the index at the front (`faststart`), so that a browser
starts playing before the whole file has arrived. Without PyAV (or an H.264 encoder in it)
the writer falls back to OpenCV's 'mp4v', which VLC and mpv play but browsers do not, and
says so in `warning`. The caller learns which codec was used and tells the person.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import cv2
import numpy as np

from posecount.errors import OutputError

log = logging.getLogger(__name__)

CODECS = ("h264", "mp4v")  # preferred first; "h264" is PyAV's encoder, the others OpenCV fourccs
CODEC_NAMES = {"h264": "H.264", "avc1": "H.264 (avc1)", "mp4v": "MPEG-4 Part 2 (mp4v)"}
H264_ENCODERS = ("libx264", "libopenh264")
X264_OPTIONS = {"preset": "veryfast", "crf": "23"}  # 2x the speed of 'medium' at the same size here (README)
NO_H264 = ("no H.264 encoder here ({why}): wrote MPEG-4 Part 2, which VLC and mpv play but browsers do not; "
           "`pip install av` adds one")


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


def h264_encoder() -> str:
    """The name of PyAV's H.264 encoder, or a ValueError saying why there is none."""
    try:
        import av
    except ImportError:
        raise ValueError("PyAV is not installed") from None
    for name in H264_ENCODERS:
        try:
            av.codec.Codec(name, "w")
            return name
        except Exception:  # noqa: BLE001 - av.codec.codec.UnknownCodecError, whatever its module
            continue
    raise ValueError("PyAV has no libx264 or libopenh264")


class _H264:
    """An H.264 .mp4 through PyAV: constant frame rate, yuv420p (even sizes: padded by a pixel), faststart."""

    def __init__(self, path: Path, fps: float, size_wh: tuple[int, int]) -> None:
        import av

        encoder = h264_encoder()
        self.encoder = encoder
        self.even_wh = (size_wh[0] + size_wh[0] % 2, size_wh[1] + size_wh[1] % 2)
        try:
            self._box = av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"})
        except OSError as exc:
            raise OutputError(f"cannot write {path.name}: {exc.strerror or exc}") from exc
        rate = Fraction(fps).limit_denominator(1001) if fps > 0 else Fraction(30)
        self._stream = self._box.add_stream(encoder, rate=rate)
        self._stream.width, self._stream.height = self.even_wh
        self._stream.pix_fmt = "yuv420p"
        if encoder == "libx264":
            self._stream.options = dict(X264_OPTIONS)
        self._stream.codec_context.time_base = 1 / rate
        self._n = 0

    def write(self, image: np.ndarray) -> None:
        import av

        h, w = image.shape[:2]
        if (w, h) != self.even_wh:
            image = cv2.copyMakeBorder(image, 0, self.even_wh[1] - h, 0, self.even_wh[0] - w, cv2.BORDER_REPLICATE)
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(image), format="bgr24")
        frame.pts = self._n
        self._n += 1
        self._box.mux(self._stream.encode(frame))

    def close(self) -> None:
        try:
            self._box.mux(self._stream.encode(None))  # what the encoder still holds (B-frames)
        finally:
            self._box.close()


class VideoWriter:
    """An .mp4 writer that tries `codecs` in order; use as a context manager."""

    def __init__(self, path: str | Path, fps: float, size_wh: tuple[int, int],
                 codecs: tuple[str, ...] = CODECS) -> None:
        self.path = Path(path)
        self.size_wh = (int(size_wh[0]), int(size_wh[1]))
        self.frames = 0
        self.codec = ""
        self.warning = ""  # set when H.264 was asked for and could not be written
        self.encoder = ""  # PyAV's encoder when H.264 is written
        self._writer: cv2.VideoWriter | _H264 | None = None
        for codec in codecs:
            if codec == "h264":
                try:
                    self._writer, self.codec = _H264(self.path, fps, self.size_wh), codec
                    self.encoder = self._writer.encoder
                    break
                except ValueError as exc:
                    self.warning = NO_H264.format(why=exc)
                    log.info("no H.264: %s", exc)
                    continue
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
        if self.encoder:
            return f"H.264 ({self.encoder})"
        return CODEC_NAMES.get(self.codec, self.codec)

    def write(self, image: np.ndarray) -> None:
        if (image.shape[1], image.shape[0]) != self.size_wh:
            # A frame of another size would be dropped silently by OpenCV: never let that happen.
            image = cv2.resize(image, self.size_wh, interpolation=cv2.INTER_AREA)
        assert self._writer is not None
        self._writer.write(image)
        self.frames += 1

    def close(self) -> None:
        if isinstance(self._writer, _H264):
            self._writer.close()
        elif self._writer is not None:
            self._writer.release()
        self._writer = None

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
