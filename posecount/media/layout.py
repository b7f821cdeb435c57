"""Where the overlay's panels go: in the part of the frame the person does not cover.

Pure: a frame size, the person's box (and panels placed before) and the panels' sizes in,
the panels' rectangles out. The panels flow in order along one band of the frame (top or
bottom: in rows; left or right: in columns), aligned to its start, end or centre; of these
arrangements the one that covers the least of what is to be avoided wins (ties: the one
used last, then the order below).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from posecount.pose.landmarks import PoseFrame

Rect = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels, x1/y1 exclusive
BANDS = ("top", "bottom", "left", "right")
ALIGNS = ("start", "end", "centre")


@dataclass(frozen=True)
class Layout:
    rects: tuple[Rect, ...]  # one per panel, in the order given
    band: str
    align: str
    overlap: int  # pixels of the panels over what they should avoid, or beyond the frame

    @property
    def key(self) -> tuple[str, str]:
        return self.band, self.align


def area(r: Rect | None) -> int:
    return 0 if r is None else max(r[2] - r[0], 0) * max(r[3] - r[1], 0)


def intersection(a: Rect, b: Rect | None) -> int:
    if b is None:
        return 0
    return area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def person_box(pose: PoseFrame | None, image_wh: tuple[int, int], margin: float = 0.03,
               min_visibility: float = 0.3) -> Rect | None:
    """The box around the person's visible landmarks, grown by `margin` of the frame's height."""
    if pose is None:
        return None
    pts = pose.image_xy * np.asarray(image_wh, float)
    keep = ~np.isnan(pts).any(axis=1) & (np.nan_to_num(pose.visibility) >= min_visibility)
    if not keep.any():
        return None
    w, h = image_wh
    m = margin * h
    (x0, y0), (x1, y1) = pts[keep].min(axis=0) - m, pts[keep].max(axis=0) + m
    box = (int(max(x0, 0)), int(max(y0, 0)), int(min(np.ceil(x1), w)), int(min(np.ceil(y1), h)))
    return box if area(box) > 0 else None


def _lines(lengths: list[int], room: int, gap: int) -> list[list[int]]:
    """Panel indices flowed into lines no longer than `room` (a panel too long gets a line alone)."""
    lines: list[list[int]] = []
    used = 0
    for i, n in enumerate(lengths):
        if lines and used + gap + n <= room:
            lines[-1].append(i)
            used += gap + n
        else:
            lines.append([i])
            used = n
    return lines


def _arrange(frame_wh: tuple[int, int], sizes: list[tuple[int, int]], band: str, align: str,
             gap: int, margin: int) -> list[Rect]:
    """The panels flowed along `band`: rows for top/bottom, columns for left/right."""
    w, h = frame_wh
    across = band in ("top", "bottom")  # panels run along x, lines stack along y
    along = [s[0] if across else s[1] for s in sizes]
    thick = [s[1] if across else s[0] for s in sizes]
    room = (w if across else h) - 2 * margin
    rects: list[Rect | None] = [None] * len(sizes)
    depth = margin  # how far from the band's edge the next line starts
    for line in _lines(along, room, gap):
        length = sum(along[i] for i in line) + gap * (len(line) - 1)
        pos = {"start": margin, "end": margin + room - length, "centre": margin + (room - length) // 2}[align]
        pos = max(pos, margin)
        line_depth = max(thick[i] for i in line)
        for i in line:
            a0, d0 = pos, depth
            if band == "bottom":
                d0 = h - depth - thick[i]
            elif band == "right":
                d0 = w - depth - thick[i]
            rects[i] = (a0, d0, a0 + along[i], d0 + thick[i]) if across else (d0, a0, d0 + thick[i], a0 + along[i])
            pos += along[i] + gap
        depth += line_depth + gap
    return [r for r in rects if r is not None]


def place_panels(frame_wh: tuple[int, int], avoid: Rect | Sequence[Rect] | None, sizes: list[tuple[int, int]],
                 gap: int = 8, margin: int = 8, prefer: tuple[str, str] | None = None) -> Layout:
    """Rectangles for panels of `sizes` (width, height) that cover as little as can be of
    `avoid`: the person's box, and any panels placed before."""
    boxes: list[Rect] = [] if not avoid else [avoid] if isinstance(avoid[0], int) else list(avoid)
    keys = [(b, a) for b in BANDS for a in ALIGNS]
    if prefer in keys:
        keys.remove(prefer)
        keys.insert(0, prefer)
    best: Layout | None = None
    for band, align in keys:
        rects = _arrange(frame_wh, sizes, band, align, gap, margin)
        overlap = sum(intersection(r, b) for r in rects for b in boxes) + _outside(rects, frame_wh)
        if best is None or overlap < best.overlap:
            best = Layout(tuple(rects), band, align, overlap)
        if overlap == 0:
            break  # nothing beats it: later arrangements only win by covering less
    assert best is not None
    return best


def _outside(rects: list[Rect], frame_wh: tuple[int, int]) -> int:
    """Pixels of the panels beyond the frame (a panel cut off counts as badly as one on the person)."""
    frame = (0, 0, frame_wh[0], frame_wh[1])
    return sum(area(r) - intersection(r, frame) for r in rects)
