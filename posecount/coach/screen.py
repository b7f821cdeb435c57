"""A live frame as the patient sees it: the frame without panels scaled to the screen, then
the panels drawn at the screen's own size (so they are sharp and sized to it)."""

from __future__ import annotations

import cv2
import numpy as np

from posecount.coach.cues import show
from posecount.coach.state import LiveState, scale_rect
from posecount.media.layout import Rect
from posecount.media.overlay import Overlay, count_text, draw_end_screen, draw_overlay, overlay_layout


def overlay_of(state: LiveState, label: str = "", gauge=None, fps: float | None = None,
               debug: bool = False) -> Overlay:
    """The panels' contents for `state` (the frame rate and the measured value only with `debug`)."""
    return Overlay(state.count, state.target, state.held_s, state.hold_goal_s, state.message,
                   fps if debug else None, label, (), gauge, debug)


def overlay_for(state: LiveState, lang: str, gauge=None, clock: list[float] = (), debug: bool = False) -> Overlay:
    """The live window's panels: `state`, the set being done, the signal bar; with `debug`
    the frame rate over the monotonic times of the last frames in `clock`."""
    fps = (len(clock) - 1) / (clock[-1] - clock[0]) if len(clock) > 2 and clock[-1] > clock[0] else None
    label = show("set_of", lang, n=state.set_no, m=state.sets) if state.sets else ""
    return overlay_of(state, label, gauge, fps, debug)


def scaled(image: np.ndarray, scale: float) -> np.ndarray:
    """`image` resized by `scale` (unchanged at 1)."""
    if abs(scale - 1.0) < 1e-3:
        return image
    h, w = image.shape[:2]
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_LINEAR if scale > 1 else cv2.INTER_AREA)


def render(base: np.ndarray, overlay: Overlay, person: Rect | None, scale: float = 1.0,
           prefer: tuple | None = None) -> tuple[np.ndarray, tuple]:
    """The frame scaled by `scale` with the panels off the person, and where they went
    (pass it back as `prefer`: the panels stay there while that leaves the person free)."""
    image = scaled(base, scale)
    placed = overlay_layout((image.shape[1], image.shape[0]), overlay, scale_rect(person, scale), prefer)
    return draw_overlay(image, overlay, placed=placed, copy=image is base), placed.key


def end_screen(base: np.ndarray, state: LiveState, scale: float = 1.0) -> np.ndarray:
    """The last frame, dimmed, with the count and the end message large."""
    title = count_text(Overlay(state.count, state.target))
    return draw_end_screen(scaled(base, scale), title, state.message)
