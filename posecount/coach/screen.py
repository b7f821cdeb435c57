"""A live frame as the patient sees it: the frame without panels fitted to the screen (black
beside it), then the panels drawn at the screen's own size, so they are sharp and sized to it
(and may use the black beside the picture)."""

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


def fit(base: np.ndarray, canvas: tuple[int, int] | None) -> tuple[np.ndarray, tuple[int, int]]:
    """`base` scaled to fit `canvas` (width, height) and centred on black that fills it, and
    where its top-left corner went (unchanged without a canvas)."""
    if canvas is None:
        return base, (0, 0)
    h, w = base.shape[:2]
    image = scaled(base, min(canvas[0] / w, canvas[1] / h))
    h, w = image.shape[:2]
    x, y = (canvas[0] - w) // 2, (canvas[1] - h) // 2
    if x <= 0 and y <= 0:
        return image, (0, 0)
    out = cv2.copyMakeBorder(image, max(y, 0), max(canvas[1] - h - y, 0), max(x, 0), max(canvas[0] - w - x, 0),
                             cv2.BORDER_CONSTANT, value=(0, 0, 0))
    return out, (max(x, 0), max(y, 0))


def render(base: np.ndarray, overlay: Overlay, person: Rect | None, canvas: tuple[int, int] | None = None,
           prefer: tuple | None = None) -> tuple[np.ndarray, tuple]:
    """The frame fitted to `canvas` (see `fit`) with the panels off the person, and where they
    went (pass it back as `prefer`: the panels stay there while that leaves the person free)."""
    image, (x, y) = fit(base, canvas)
    scale = 1.0 if canvas is None else min(canvas[0] / base.shape[1], canvas[1] / base.shape[0])
    box = scale_rect(person, scale)
    box = None if box is None else (box[0] + x, box[1] + y, box[2] + x, box[3] + y)
    placed = overlay_layout((image.shape[1], image.shape[0]), overlay, box, prefer)
    return draw_overlay(image, overlay, placed=placed, copy=image is base), placed.key


def end_screen(base: np.ndarray, state: LiveState, canvas: tuple[int, int] | None = None) -> np.ndarray:
    """The last frame, dimmed, with the count and the end message large."""
    title = count_text(Overlay(state.count, state.target))
    return draw_end_screen(fit(base, canvas)[0], title, state.message)
