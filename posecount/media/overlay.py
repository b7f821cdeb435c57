"""The count, hold and message panels, readable from a mat 2 to 3 m from the screen.

Sizes are shares of the frame's shorter side (its height in a landscape frame): the
count's digits a fifth of it, the hold countdown in a ring a third of it, one cue line a
twelfth. The panels go where the person is not (`layout.place_panels`), shrinking only
when no band of the frame is free at full size. The frame rate and the measured value
are shown only with `debug`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np

from posecount.media.layout import Rect, place_panels
from posecount.media.text import put_text, scale_for_height, text_size

if TYPE_CHECKING:
    from posecount.analysis.analyzer import Gauge

FLAG_COLOUR = (60, 60, 255)  # BGR red: a form flag
MESSAGE_COLOUR = (120, 230, 255)  # light yellow
LABEL_COLOUR = (220, 220, 220)
GREEN, ORANGE, GREY = (80, 220, 80), (0, 200, 255), (200, 200, 200)
PANEL_DARKEN = 0.3  # the frame shows through the panels only faintly
COUNT_SHRINK = (1.0, 0.85, 0.7)  # sizes of the count and hold tried in turn until the person is free
TEXT_SHRINK = (1.0, 0.8, 0.65, 0.5)  # then those of the words, to fit beside the person and the numbers
NUMBERS = ("count", "hold")  # placed first; the words ("message", "debug") then where room is left


@dataclass(frozen=True)
class Overlay:
    """What the overlay shows at one moment."""

    reps: int
    target: int | None = None
    hold_s: float | None = None  # seconds held so far, while holding
    hold_target_s: float | None = None  # a hold is asked: its panel keeps its place between holds
    message: str = ""
    fps: float | None = None  # drawn only with `debug`
    label: str = ""  # a small line under the count, e.g. "Bridge  set 2"
    flags: tuple[str, ...] = ()  # short words about the last rep's form, drawn in red
    gauge: Gauge | None = None  # the signal as a bar from rest to the counting level
    debug: bool = False  # also the frame rate and the measured value


@dataclass(frozen=True)
class Sizes:
    """Pixel sizes of one overlay at one shrink factor."""

    unit: float  # the frame's shorter side times the shrink factor of all but the count
    pad: int
    count: float  # font scales
    label: float
    message: float
    flag: float
    small: float
    hold_side: int
    bar_h: int

    @classmethod
    def of(cls, frame_wh: tuple[int, int], count_shrink: float = 1.0, shrink: float = 1.0) -> Sizes:
        side = min(frame_wh)
        u = side * shrink
        return cls(u, max(2, round(0.025 * side * min(count_shrink, 1.0))),
                   scale_for_height(0.18 * side * count_shrink), scale_for_height(0.04 * u),
                   scale_for_height(0.085 * u), scale_for_height(0.055 * u), scale_for_height(0.035 * u),
                   round(0.3 * u), max(4, round(0.035 * side * count_shrink)))


def count_text(state: Overlay) -> str:
    return f"{state.reps}" if state.target is None else f"{state.reps} / {state.target}"


def _fit(text: str, scale: float, room: int) -> float:
    """`scale`, or smaller so that `text` fits in `room` pixels."""
    w, _, _ = text_size(text, scale)
    return scale if w <= room else scale * room / w


def _line_h(scale: float) -> int:
    _, h, base = text_size("Ag", scale)
    return h + base


def _panels(frame_wh: tuple[int, int], state: Overlay, z: Sizes) -> dict[str, tuple[int, int]]:
    """The size (width, height) of each panel to draw, in drawing order."""
    room = frame_wh[0] - 4 * z.pad
    widest = count_text(Overlay(state.target, state.target)) if state.target else ""
    count_w = max(text_size(count_text(state), z.count)[0], text_size(widest, z.count)[0])
    label_w = text_size(state.label, z.label)[0] if state.label else 0
    count_h = text_size("0", z.count)[1] + (_line_h(z.label) + z.pad // 2 if state.label else 0)
    count_h += z.bar_h + z.pad if state.gauge is not None else 0
    out = {"count": (max(count_w, label_w, round(0.3 * z.unit)) + 2 * z.pad, count_h + 2 * z.pad)}
    if state.hold_target_s or state.hold_s is not None:
        out["hold"] = (z.hold_side, z.hold_side)
    lines = [(t, _fit(t, z.message, room)) for t in [state.message] if t]
    lines += [(f, _fit(f, z.flag, room)) for f in state.flags]
    if lines:
        out["message"] = (max(text_size(t, s)[0] for t, s in lines) + 2 * z.pad,
                          sum(_line_h(s) for _, s in lines) + z.pad * (len(lines) + 1))
    debug = _debug_text(state)
    if debug:
        out["debug"] = (text_size(debug, z.small)[0] + 2 * z.pad, _line_h(z.small) + 2 * z.pad)
    return out


def _debug_text(state: Overlay) -> str:
    if not state.debug:
        return ""
    parts = [f"{state.fps:.0f} fps"] if state.fps is not None else []
    g = state.gauge
    if g is not None and math.isfinite(g.value):
        parts.append(f"{g.value:.0f} deg" if g.unit == "deg" else f"{g.value:.2f}")
    return "  ".join(parts)


@dataclass(frozen=True)
class OverlayLayout:
    rects: dict[str, Rect]  # panel name -> where it goes
    sizes: dict[str, Sizes]  # panel name -> the sizes it was measured with
    key: tuple  # where the numbers and the words went (pass it back as `prefer`)
    overlap: int  # pixels of panels over the person (or over each other, or beyond the frame)


def _place(frame_wh, state: Overlay, avoid: list[Rect], names: tuple[str, ...], shrinks,
           prefer) -> tuple[dict[str, Rect], Sizes, tuple[str, str], int]:
    """The panels `names` at the largest size (of `shrinks`) that leaves `avoid` free."""
    best = None
    for shrink in shrinks:
        z = Sizes.of(frame_wh, shrink, shrink) if names == NUMBERS else Sizes.of(frame_wh, 1.0, shrink)
        panels = {k: v for k, v in _panels(frame_wh, state, z).items() if (k in NUMBERS) == (names == NUMBERS)}
        if not panels:
            return {}, z, ("top", "start"), 0
        lay = place_panels(frame_wh, avoid, list(panels.values()), gap=z.pad, margin=z.pad, prefer=prefer)
        if best is None or lay.overlap < best[3]:
            best = (dict(zip(panels, lay.rects)), z, lay.key, lay.overlap)
        if lay.overlap == 0:
            break
    assert best is not None
    return best


def overlay_layout(frame_wh: tuple[int, int], state: Overlay, person: Rect | None = None,
                   prefer: tuple | None = None) -> OverlayLayout:
    """Where each panel goes: the count and hold off the person, at full size where that can
    be; then the words off the person and the numbers, shrunk first when room is short."""
    prefer = prefer if prefer and len(prefer) == 2 else (None, None)
    person_list = [person] if person is not None else []
    numbers, zn, key_n, over_n = _place(frame_wh, state, person_list, NUMBERS, COUNT_SHRINK, prefer[0])
    words, zw, key_w, over_w = _place(frame_wh, state, person_list + list(numbers.values()), ("message",),
                                      TEXT_SHRINK, prefer[1])
    sizes = {**dict.fromkeys(numbers, zn), **dict.fromkeys(words, zw)}
    return OverlayLayout({**numbers, **words}, sizes, (key_n, key_w), over_n + over_w)


def darken(out: np.ndarray, rect: Rect, factor: float = PANEL_DARKEN, floor: int = 30) -> None:
    """Turns `rect` of `out` into a dark panel in place (clipped to the frame): the frame dimmed
    to `factor` over a dark grey `floor`, so that a panel over black still shows."""
    h, w = out.shape[:2]
    x0, y0, x1, y1 = max(rect[0], 0), max(rect[1], 0), min(rect[2], w), min(rect[3], h)
    if x1 > x0 and y1 > y0:
        out[y0:y1, x0:x1] = cv2.convertScaleAbs(out[y0:y1, x0:x1], alpha=factor, beta=floor)


def draw_overlay(image: np.ndarray, state: Overlay, person: Rect | None = None,
                 placed: OverlayLayout | None = None, copy: bool = True) -> np.ndarray:
    """The panels on a copy of `image` (on `image` itself if not `copy`), placed off `person`
    (or as `placed` says)."""
    out = image.copy() if copy else image
    placed = placed or overlay_layout((image.shape[1], image.shape[0]), state, person)
    for name, rect in placed.rects.items():
        if name == "hold" and state.hold_s is None:
            continue  # its place stays free between holds: the panels do not jump
        z = placed.sizes[name]
        darken(out, rect)
        if name == "count":
            _draw_count(out, rect, state, z)
        elif name == "hold":
            _draw_hold(out, rect, state, z)
        elif name == "message":
            _draw_message(out, rect, state, z)
        else:
            put_text(out, _debug_text(state), (rect[0] + z.pad, rect[3] - z.pad - text_size("g", z.small)[2]),
                     z.small, GREY)
    return out


def _draw_count(out: np.ndarray, rect: Rect, state: Overlay, z: Sizes) -> None:
    x, y = rect[0] + z.pad, rect[1] + z.pad + text_size("0", z.count)[1]
    put_text(out, count_text(state), (x, y), z.count)
    if state.label:
        y += z.pad // 2 + text_size("A", z.label)[1]
        put_text(out, state.label, (x, y), z.label, LABEL_COLOUR)
        y += text_size("g", z.label)[2]
    if state.gauge is not None:
        draw_gauge(out, state.gauge, (x, y + z.pad, rect[2] - z.pad, y + z.pad + z.bar_h))


def draw_gauge(out: np.ndarray, g: Gauge, rect: Rect) -> None:
    """A bar filling up with the signal from the rest level to past the counting level
    (both marked); orange below the counting level, green from it on."""
    x0, y0, x1, y1 = rect
    span = max(g.count - g.rest, 1e-6)
    lo, hi = g.rest - 0.15 * span, g.count + 0.25 * span
    cv2.rectangle(out, (x0, y0), (x1, y1), (70, 70, 70), -1)

    def x_of(v: float) -> int:
        return round(x0 + (min(max(v, lo), hi) - lo) / (hi - lo) * (x1 - x0))

    if math.isfinite(g.value):
        cv2.rectangle(out, (x0, y0), (x_of(g.value), y1), GREEN if g.value >= g.count else ORANGE, -1)
    stroke = max(2, (y1 - y0) // 6)
    for level, colour in ((g.rest, GREY), (g.count, GREEN)):
        x = x_of(level)
        cv2.line(out, (x, y0 - stroke * 2), (x, y1 + stroke * 2), colour, stroke, cv2.LINE_AA)


def _draw_hold(out: np.ndarray, rect: Rect, state: Overlay, z: Sizes) -> None:
    """A ring filling up to the hold goal around the seconds left (then the seconds held)."""
    held, goal = state.hold_s or 0.0, state.hold_target_s or 0.0
    centre = ((rect[0] + rect[2]) // 2, (rect[1] + rect[3]) // 2)
    side = rect[2] - rect[0]
    stroke = max(3, side // 10)
    radius = side // 2 - z.pad // 2 - stroke
    frac = 1.0 if goal <= 0 else min(held / goal, 1.0)
    cv2.circle(out, centre, radius, (90, 90, 90), stroke, cv2.LINE_AA)
    cv2.ellipse(out, centre, (radius, radius), -90, 0, 360 * frac, GREEN if frac >= 1 else ORANGE, stroke,
                cv2.LINE_AA)
    # Counting down tells how long is left (5, 4 ... 1); past the goal, the seconds held (5, 6, 7).
    text = str(math.ceil(goal - held)) if goal and held < goal else str(int(held))
    scale = _fit(text, scale_for_height(0.45 * side), round(1.4 * radius))
    w, h, _ = text_size(text, scale)
    put_text(out, text, (centre[0] - w // 2, centre[1] + h // 2), scale)


def _draw_message(out: np.ndarray, rect: Rect, state: Overlay, z: Sizes) -> None:
    room = out.shape[1] - 4 * z.pad
    lines = [(t, _fit(t, z.message, room), MESSAGE_COLOUR) for t in [state.message] if t]
    lines += [(f, _fit(f, z.flag, room), FLAG_COLOUR) for f in state.flags]
    y = rect[1]
    for text, scale, colour in lines:
        _, h, base = text_size(text, scale)
        y += z.pad + h
        put_text(out, text, (rect[0] + z.pad, y), scale, colour)
        y += base


def draw_end_screen(image: np.ndarray, title: str, message: str) -> np.ndarray:
    """The last frame dimmed with `title` (the count) and `message` large in the middle."""
    out = (image * 0.35).astype(np.uint8)
    h, w = out.shape[:2]
    z = Sizes.of((w, h))
    big = _fit(title, z.count, w - 4 * z.pad)
    words = _fit(message, scale_for_height(0.11 * z.unit), w - 4 * z.pad)
    (tw, th, _), (mw, mh, _) = text_size(title, big), text_size(message, words)
    top = (h - th - mh - 2 * z.pad) // 2 + th
    put_text(out, title, ((w - tw) // 2, top), big)
    put_text(out, message, ((w - mw) // 2, top + 2 * z.pad + mh), words, MESSAGE_COLOUR)
    return out
