"""Text on frames: sized by its height in pixels, with an outline that hugs the letters.

The outline is the text's own mask grown by a few pixels, never a second `putText` in a
thicker stroke: OpenCV 5 draws a thicker stroke as a bolder font whose letters are wider,
so such a "shadow" ran ahead of the text ("ready" showed a stray "dy").
OpenCV's fonts know ASCII only: callers pass plain text (no degree sign, no accents).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import cv2
import numpy as np

FONT = cv2.FONT_HERSHEY_SIMPLEX
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)


def thickness(scale: float) -> int:
    """The stroke for a font scale: bold enough to read from across a room."""
    return max(2, round(2 * scale))


@functools.lru_cache(maxsize=1024)
def text_size(text: str, scale: float) -> tuple[int, int, int]:
    """(width, height above the baseline, depth below it) of `text` at `scale`, in pixels."""
    (w, h), base = cv2.getTextSize(text, FONT, scale, thickness(scale))
    return w, h, base


@functools.cache
def _ink_per_scale() -> float:
    """How many pixels tall a digit is drawn per unit of font scale (measured on the ink: the
    box `getTextSize` gives differs between OpenCV versions)."""
    ref = 4.0
    mask, _ = _text_mask("0", ref, 0)
    rows = np.flatnonzero(mask.max(axis=1) > 127)
    return (rows[-1] - rows[0] + 1) / ref if len(rows) else text_size("0", ref)[1] / ref


def scale_for_height(px: float) -> float:
    """The font scale whose digits and capitals are drawn `px` pixels tall."""
    return px / _ink_per_scale()


def outline_px(scale: float) -> int:
    """How far the outline reaches beyond the letters."""
    return max(1, round(1.2 * scale))


def _text_mask(text: str, scale: float, pad: int) -> tuple[np.ndarray, tuple[int, int]]:
    """The text drawn white on black with `pad` pixels around it, and where its origin lies."""
    w, h, base = text_size(text, scale)
    room = pad + thickness(scale) + max(2, h // 3)  # glyphs may poke out of the measured box
    mask = np.zeros((h + base + 2 * room, w + 2 * room), np.uint8)
    origin = (room, room + h)
    cv2.putText(mask, text, origin, FONT, scale, 255, thickness(scale), cv2.LINE_AA)
    return mask, origin


@dataclass(frozen=True)
class _Stamp:
    """A text ready to press onto frames: `image * keep / 255 + paint` where it lands."""

    keep: np.ndarray  # 255 minus the coverage of letters and outline, 3 channels
    paint: np.ndarray  # the letters' and the outline's colours times their coverage
    origin: tuple[int, int]  # where the text's baseline starts in these arrays


@functools.lru_cache(maxsize=48)
def _stamp(text: str, scale: float, colour: tuple[int, ...], outline: tuple[int, ...] | None) -> _Stamp:
    """The same text is drawn frame after frame: its masks are made once."""
    pad = outline_px(scale) if outline is not None else 0
    mask, origin = _text_mask(text, scale, pad)
    a = mask.astype(np.float32)[..., None] / 255
    if outline is None:
        d, outline = a, (0, 0, 0)
    else:
        disk = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * pad + 1, 2 * pad + 1))
        d = cv2.dilate(mask, disk).astype(np.float32)[..., None] / 255
    paint = np.asarray(outline[:3], np.float32) * d * (1 - a) + np.asarray(colour[:3], np.float32) * a
    keep = np.repeat(np.rint(255 * (1 - d)), 3, axis=2)
    return _Stamp(keep.astype(np.uint8), np.rint(paint).astype(np.uint8), origin)


def put_text(image: np.ndarray, text: str, org: tuple[int, int], scale: float,
             colour: tuple[int, int, int] = WHITE, outline: tuple[int, int, int] | None = BLACK) -> None:
    """`text` with its baseline starting at `org`, outlined so that it reads on any background
    (draws in place on a 3-channel image; the outline adds `outline_px(scale)` pixels around
    the letters, no more)."""
    if not text:
        return
    st = _stamp(text, float(scale), tuple(colour), None if outline is None else tuple(outline))
    x0, y0 = org[0] - st.origin[0], org[1] - st.origin[1]
    ih, iw = image.shape[:2]
    cx0, cy0 = max(x0, 0), max(y0, 0)
    cx1, cy1 = min(x0 + st.keep.shape[1], iw), min(y0 + st.keep.shape[0], ih)
    if cx1 <= cx0 or cy1 <= cy0:
        return
    rows, cols = slice(cy0 - y0, cy1 - y0), slice(cx0 - x0, cx1 - x0)
    keep, paint = np.ascontiguousarray(st.keep[rows, cols]), np.ascontiguousarray(st.paint[rows, cols])
    roi = image[cy0:cy1, cx0:cx1]
    image[cy0:cy1, cx0:cx1] = cv2.add(cv2.multiply(roi, keep, scale=1 / 255), paint)
