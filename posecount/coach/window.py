"""The live window: full screen by default, the frame scaled to it, keys read; and whether a
window can be opened at all.

OpenCV's Qt aborts the whole process (exit 134) when it cannot reach a display, instead of
raising: so the display is probed first (an X connection is opened and closed again).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import socket
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

NAME = "posecount"
WINDOWED_SIDE = 960  # px: the longer side of a window that is not full screen


def _qt_platforms() -> set[str] | None:
    """The Qt platform plugins OpenCV ships (None: unknown, e.g. an OpenCV built with GTK)."""
    import cv2

    folder = Path(cv2.__file__).parent / "qt" / "plugins" / "platforms"
    if not folder.is_dir():
        return None
    return {p.name.split(".")[0].removeprefix("libq") for p in folder.iterdir()}


class _ScreenIterator(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("rem", ctypes.c_int), ("index", ctypes.c_int)]


def _libxcb() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("xcb")
    try:
        xcb = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    if xcb is not None:
        xcb.xcb_connect.restype = ctypes.c_void_p
        xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
        xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
        xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
        xcb.xcb_get_setup.restype = ctypes.c_void_p
        xcb.xcb_get_setup.argtypes = [ctypes.c_void_p]
        xcb.xcb_setup_roots_iterator.restype = _ScreenIterator
        xcb.xcb_setup_roots_iterator.argtypes = [ctypes.c_void_p]
    return xcb


def _xcb_probe(display: str) -> tuple[bool, tuple[int, int] | None] | None:
    """Whether libxcb can connect to `display`, and the first screen's size (None: no libxcb)."""
    xcb = _libxcb()
    if xcb is None:
        return None
    conn = xcb.xcb_connect(display.encode(), None)
    try:
        if xcb.xcb_connection_has_error(conn) != 0:
            return False, None
        screen = xcb.xcb_setup_roots_iterator(xcb.xcb_get_setup(conn)).data
        # xcb_screen_t: five 32-bit fields, then width and height in pixels (16 bits each)
        w, h = (ctypes.c_uint16 * 2).from_address(screen + 20) if screen else (0, 0)
        return True, ((w, h) if w and h else None)
    finally:
        xcb.xcb_disconnect(conn)  # also frees a failed connection


def screen_size(env: Mapping[str, str] | None = None) -> tuple[int, int] | None:
    """The X screen's size in pixels (None where it cannot be asked)."""
    display = (os.environ if env is None else env).get("DISPLAY")
    probe = _xcb_probe(display) if display and sys.platform == "linux" else None
    return probe[1] if probe else None


def _socket_reachable(display: str) -> bool:
    """Whether an X server listens for `display` ("[host]:n[.screen]")."""
    host, _, rest = display.rpartition(":")
    number = int(rest.split(".")[0] or 0)
    if host in ("", "unix"):
        for path in (f"\0/tmp/.X11-unix/X{number}", f"/tmp/.X11-unix/X{number}"):
            with socket.socket(socket.AF_UNIX) as s:
                try:
                    s.connect(path)
                    return True
                except OSError:
                    continue
        return False
    try:
        socket.create_connection((host, 6000 + number), timeout=2).close()
        return True
    except OSError:
        return False


def display_problem(env: Mapping[str, str] | None = None) -> str | None:
    """Why no window can be opened here, in a few words; None when one can."""
    env = os.environ if env is None else env
    if sys.platform != "linux":
        return None
    platforms = _qt_platforms()
    wanted = env.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0]
    if wanted and wanted != "xcb":
        if platforms is not None and wanted not in platforms:
            return f"OpenCV has no Qt platform '{wanted}'"
        if wanted.startswith("wayland") and not env.get("WAYLAND_DISPLAY"):
            return "no display (WAYLAND_DISPLAY is not set)"
        return None
    display = env.get("DISPLAY")
    if not display:
        if env.get("WAYLAND_DISPLAY") and platforms is None:
            return None  # a GTK build draws on Wayland itself
        return "no display (DISPLAY is not set)"
    try:
        probe = _xcb_probe(display)
        reachable = _socket_reachable(display) if probe is None else probe[0]
    except ValueError:
        return f"the display name '{display}' is not understood"
    return None if reachable else f"cannot connect to the display {display}"


def has_display() -> bool:
    """Whether a window can be opened (see `display_problem`)."""
    return display_problem() is None


class Window:
    """One OpenCV window for the live session; every call is a no-op once it is closed."""

    def __init__(self, fullscreen: bool = True) -> None:
        self.fullscreen = fullscreen
        self.open = False
        self._sized = False

    def create(self) -> bool:
        """Opens the window; False (with a one-line warning) where none can be opened."""
        import cv2

        problem = display_problem()
        if problem is not None:
            log.warning("%s: going on without a window", problem)
            return False
        try:
            # GUI_NORMAL: no toolbar — nothing on screen should invite a click from the floor.
            cv2.namedWindow(NAME, cv2.WINDOW_NORMAL | cv2.WINDOW_GUI_NORMAL | cv2.WINDOW_FREERATIO)
            if self.fullscreen:
                size = screen_size()  # the whole screen even where no window manager makes it so
                if size is not None:
                    cv2.moveWindow(NAME, 0, 0)
                    cv2.resizeWindow(NAME, *size)
                cv2.setWindowProperty(NAME, cv2.WND_PROP_FULLSCREEN, cv2.WINDOW_FULLSCREEN)
        except cv2.error as exc:
            log.warning("no window can be opened (%s); going on without one", exc)
            return False
        self.open = True
        return True

    def canvas(self) -> tuple[int, int] | None:
        """The window's size in pixels (None before it is shown): frames are fitted into it and
        padded to fill it, so that it shows them unstretched, with black beside them."""
        import cv2

        if not self.open:
            return None
        try:
            _, _, w, h = cv2.getWindowImageRect(NAME)
        except cv2.error:
            return None
        return (w, h) if w >= 32 and h >= 32 else None

    def show(self, image: np.ndarray) -> str | None:
        """Shows `image`; "quit", "pause" or "closed" when the person asked for that."""
        import cv2

        if not self.open:
            return None
        if not self._sized and not self.fullscreen:
            h, w = image.shape[:2]
            scale = WINDOWED_SIDE / max(h, w)
            cv2.resizeWindow(NAME, round(w * scale), round(h * scale))
        self._sized = True
        cv2.imshow(NAME, image)
        key = cv2.waitKey(1) & 0xFF
        if key in (ord("q"), 27):
            return "quit"
        if key == ord(" "):
            return "pause"
        if cv2.getWindowProperty(NAME, cv2.WND_PROP_VISIBLE) < 1:
            return "closed"
        return None

    def linger(self, image: np.ndarray, seconds: float, cancelled: Callable[[], bool] = lambda: False) -> None:
        """Shows `image` for `seconds`, or until a key, the window closed or `cancelled()`."""
        import cv2

        if not self.open:
            return
        cv2.imshow(NAME, image)
        end = time.monotonic() + seconds
        while time.monotonic() < end and not cancelled():
            if cv2.waitKey(50) != -1 or cv2.getWindowProperty(NAME, cv2.WND_PROP_VISIBLE) < 1:
                return

    def close(self) -> None:
        import cv2

        if self.open:
            cv2.destroyWindow(NAME)
            cv2.waitKey(1)
            self.open = False
