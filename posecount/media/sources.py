"""Frame sources: video files, image folders and webcams, streamed as timestamped BGR frames.

Timestamps are float seconds from the start of the source and strictly increasing
(MediaPipe's VIDEO mode rejects repeats); large frames are downscaled here, once,
before anything else sees them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from posecount.errors import InputError, SourceNotFound

log = logging.getLogger(__name__)

VIDEO_SUFFIXES = {".mp4", ".mov", ".avi", ".webm", ".mkv", ".m4v", ".mpg", ".mpeg", ".wmv", ".3gp"}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"}
DEFAULT_MAX_SIDE = 960  # px; the pose models look at 224–256 px crops, more only costs time
NOT_A_VIDEO = "{} holds a single {}, not a video: posecount needs a video of the exercise"
_ROTATIONS = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


@dataclass(frozen=True)
class Frame:
    index: int  # position in the source, counting frames that were dropped
    t_s: float
    image: np.ndarray  # BGR, uint8, already rotated and downscaled
    wall_s: float | None = None  # wall-clock time it was captured (live capture sets it; for latency)


@dataclass
class SourceInfo:
    name: str  # file name or "camera 0": never a full path (reports must not leak them)
    fps: float
    frame_count: int | None  # as the container claims; None for cameras
    size_wh: tuple[int, int]  # after rotation and downscaling
    rotation_deg: int = 0
    warnings: list[str] = field(default_factory=list)


def _scale_for(w: int, h: int, max_side: int | None) -> float:
    if not max_side or max(w, h) <= max_side:
        return 1.0
    return max_side / max(w, h)


def _prepare(image: np.ndarray, rotate: int, scale: float) -> np.ndarray:
    if rotate:
        image = cv2.rotate(image, _ROTATIONS[rotate])
    if scale != 1.0:
        h, w = image.shape[:2]
        image = cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    return image


class _MonotonicClock:
    """Repairs timestamps that do not increase: nudges repeats forward and counts them."""

    def __init__(self, fps: float) -> None:
        self.step = 1.0 / fps if fps > 0 else 1 / 30
        self.last: float | None = None
        self.repaired = 0

    def __call__(self, t_s: float) -> float:
        if self.last is not None and not t_s > self.last:
            self.repaired += 1
            t_s = self.last + self.step  # a repeated stamp: assume the nominal frame period
        self.last = t_s
        return t_s


class VideoSource:
    """A video file, read frame by frame (never held in memory).

    OpenCV applies the container's rotation metadata itself (phone videos); `rotate`
    adds a manual turn for files whose metadata is wrong.
    """

    def __init__(self, path: str | Path, max_side: int | None = DEFAULT_MAX_SIDE, rotate: int = 0) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise SourceNotFound(f"video not found: {self.path}")
        if self.path.is_dir():
            raise InputError(f"{self.path} is a folder: pass a video file, or use an image folder source")
        if self.path.stat().st_size == 0:
            raise InputError(f"{self.path.name} is empty (0 bytes)")
        if self.path.suffix.lower() in IMAGE_SUFFIXES:
            raise InputError(NOT_A_VIDEO.format(self.path.name, "image"))
        if rotate not in (0, 90, 180, 270):
            raise InputError(f"rotation must be 0, 90, 180 or 270 degrees, not {rotate}")
        self.rotate = rotate
        self._cap = cv2.VideoCapture(str(self.path))
        if not self._cap.isOpened():
            self._cap.release()
            raise InputError(f"{self.path.name} cannot be read as a video (corrupt, or not a video file)")
        fps = self._cap.get(cv2.CAP_PROP_FPS)
        count = int(self._cap.get(cv2.CAP_PROP_FRAME_COUNT))
        meta_rot = int(self._cap.get(cv2.CAP_PROP_ORIENTATION_META) or 0) % 360
        # The first frame tells the true (already rotated) size; OpenCV versions differ in
        # whether CAP_PROP_FRAME_WIDTH reports the stored or the displayed size.
        ok, first = self._cap.read()
        if not ok or first is None:
            self._cap.release()
            raise InputError(f"{self.path.name} has no readable frames (corrupt, or not a video file)")
        self._first: tuple[float, np.ndarray] | None = (self._cap.get(cv2.CAP_PROP_POS_MSEC), first)
        h, w = first.shape[:2]
        if rotate in (90, 270):
            w, h = h, w
        warnings = []
        if not fps or fps <= 0 or fps > 1000:
            warnings.append(f"{self.path.name}: the video has no usable frame rate; assuming 30 fps")
            fps = 30.0
        self._scale = _scale_for(w, h, max_side)
        size = (round(w * self._scale), round(h * self._scale))
        self.info = SourceInfo(self.path.name, float(fps), count if count > 0 else None, size,
                               (meta_rot + rotate) % 360, warnings)
        if count == 1:
            self.close()
            raise InputError(NOT_A_VIDEO.format(self.path.name, "frame"))

    def _read(self) -> tuple[bool, np.ndarray | None, float]:
        if self._first is not None:
            pos_ms, image = self._first
            self._first = None
            return True, image, pos_ms
        ok, image = self._cap.read()
        return ok, image, self._cap.get(cv2.CAP_PROP_POS_MSEC)

    def __iter__(self) -> Iterator[Frame]:
        clock = _MonotonicClock(self.info.fps)
        index = 0
        failures = 0
        while True:
            ok, image, pos_ms = self._read()
            if not ok or image is None:
                # A few unreadable frames mid-file are skipped; a run of them is the end.
                if self.info.frame_count and index < self.info.frame_count - 1 and failures < 5:
                    failures += 1
                    index += 1
                    continue
                break
            failures = 0
            t_s = pos_ms / 1000.0 if pos_ms and pos_ms > 0 else index / self.info.fps
            if index == 0:
                t_s = 0.0 if t_s < 1.0 / self.info.fps else t_s
            yield Frame(index, clock(t_s), _prepare(image, self.rotate, self._scale))
            index += 1
        self.frames_read = index
        if clock.repaired:
            self.info.warnings.append(
                f"{self.info.name}: {clock.repaired} frame timestamps did not increase and were repaired"
            )
        expected = self.info.frame_count
        if expected and index < 0.9 * expected - 2:
            self.info.warnings.append(
                f"{self.info.name}: the video ended early ({index} of {expected} frames readable; "
                "truncated or damaged file): analysed what could be read"
            )
        if index == 0:
            raise InputError(f"{self.info.name} has no readable frames (corrupt, or not a video file)")
        if index == 1:
            raise InputError(NOT_A_VIDEO.format(self.info.name, "frame"))

    def close(self) -> None:
        self._cap.release()

    def __enter__(self) -> VideoSource:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class ImageFolderSource:
    """A folder of still images in name order, played at `fps`."""

    def __init__(self, folder: str | Path, fps: float = 30.0, max_side: int | None = DEFAULT_MAX_SIDE) -> None:
        self.folder = Path(folder)
        self.files = sorted(p for p in self.folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not self.files:
            raise InputError(f"{self.folder} holds no images ({', '.join(sorted(IMAGE_SUFFIXES))})")
        first = cv2.imread(str(self.files[0]))
        if first is None:
            raise InputError(f"{self.files[0].name} cannot be read as an image")
        h, w = first.shape[:2]
        self._scale = _scale_for(w, h, max_side)
        self.info = SourceInfo(self.folder.name, float(fps), len(self.files),
                               (round(w * self._scale), round(h * self._scale)))

    def __iter__(self) -> Iterator[Frame]:
        for i, path in enumerate(self.files):
            image = cv2.imread(str(path))
            if image is None:
                self.info.warnings.append(f"{path.name} could not be read and was skipped")
                continue
            if image.shape[1::-1] != self.info.size_wh:
                image = cv2.resize(image, self.info.size_wh, interpolation=cv2.INTER_AREA)
            else:
                image = _prepare(image, 0, self._scale)
            yield Frame(i, i / self.info.fps, image)
        self.frames_read = len(self.files)

    def close(self) -> None:
        pass

    def __enter__(self) -> ImageFolderSource:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class CameraSource:
    """A webcam by index; timestamps from the monotonic clock since opening."""

    def __init__(self, index: int = 0, max_side: int | None = DEFAULT_MAX_SIDE, width: int = 1280,
                 height: int = 720) -> None:
        self._cap = cv2.VideoCapture(index)
        if not self._cap.isOpened():
            self._cap.release()
            raise SourceNotFound(f"no camera found at index {index}: plug one in or choose another with --camera N")
        self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        w, h = int(self._cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(self._cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
        fps = self._cap.get(cv2.CAP_PROP_FPS) or 30.0
        self._scale = _scale_for(w, h, max_side)
        self.info = SourceInfo(f"camera {index}", float(fps), None,
                               (round(w * self._scale), round(h * self._scale)))

    def __iter__(self) -> Iterator[Frame]:
        clock = _MonotonicClock(self.info.fps)
        t0 = time.monotonic()
        index = 0
        failures = 0
        while True:
            ok, image = self._cap.read()
            if not ok or image is None:
                failures += 1
                if failures >= 30:  # about a second of nothing: the camera is gone
                    self.info.warnings.append(f"{self.info.name} stopped delivering frames (unplugged?)")
                    return
                time.sleep(0.03)
                continue
            failures = 0
            yield Frame(index, clock(time.monotonic() - t0), _prepare(image, 0, self._scale))
            index += 1

    def close(self) -> None:
        self._cap.release()

    def __enter__(self) -> CameraSource:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_source(spec: str | Path, max_side: int | None = DEFAULT_MAX_SIDE, rotate: int = 0,
                fps: float = 30.0) -> VideoSource | ImageFolderSource | CameraSource:
    """A source from a command-line value: a camera index ("0"), an image folder or a video file."""
    text = str(spec)
    if text.isdigit():
        return CameraSource(int(text), max_side=max_side)
    path = Path(text).expanduser()
    if path.is_dir():
        return ImageFolderSource(path, fps=fps, max_side=max_side)
    return VideoSource(path, max_side=max_side, rotate=rotate)


class ThinnedSource:
    """At most `max_fps` frames a second of another source, spread evenly (the others are skipped).

    The exercises are slow (a repetition takes over a second), so fewer frames may count the same
    at a fraction of the cost. `info` is the wrapped source's own: its frame rate stays the source's.
    """

    def __init__(self, source, max_fps: float) -> None:
        if not max_fps > 0:
            raise InputError(f"the analysis frame rate must be above 0, not {max_fps}")
        self.source, self.max_fps, self.info = source, float(max_fps), source.info
        ratio = min(1.0, self.max_fps / source.info.fps) if source.info.fps > 0 else 1.0
        if source.info.frame_count and ratio < 1.0:
            self.info.frame_count = max(1, round(source.info.frame_count * ratio))  # for progress bars

    def __iter__(self) -> Iterator[Frame]:
        last_slot = None
        for frame in self.source:
            slot = int(frame.t_s * self.max_fps + 1e-6)  # one frame per 1/max_fps slot: the first in it
            if slot != last_slot:
                last_slot = slot
                yield frame

    def close(self) -> None:
        self.source.close()

    def __enter__(self) -> ThinnedSource:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
