"""Drawing on frames: skeleton, a measured angle, face blur (the panels: `media.overlay`).

Pure functions of (image, data) → image, in the manner of supervision's annotators: they
draw on a copy, never keep state, and never open a window or a file. The one exception is
`FaceBlur`, which remembers the last face box for a moment so that a frame in which the
pose is lost does not show the face.
"""

from __future__ import annotations

import cv2
import numpy as np

from posecount.media.text import put_text, text_size
from posecount.pose.landmarks import FACE, SKELETON_EDGES, Landmark, PoseFrame

LEFT_COLOUR = (255, 160, 40)  # BGR: the person's left side in blue-ish
RIGHT_COLOUR = (40, 140, 255)  # the person's right side in orange
CENTRE_COLOUR = (230, 230, 230)
ANGLE_COLOUR = (80, 255, 80)
MIN_VISIBILITY = 0.3
_LEFT = {int(lm) for lm in Landmark if lm.name.startswith("LEFT_")}
_RIGHT = {int(lm) for lm in Landmark if lm.name.startswith("RIGHT_")}

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels, x1/y1 exclusive


def frame_scale(image: np.ndarray) -> float:
    """Sizes of lines and text relative to a 640 px frame, so drawings look alike at any size."""
    return max(image.shape[:2]) / 640.0


def _pt(p: np.ndarray) -> tuple[int, int]:
    return int(round(float(p[0]))), int(round(float(p[1])))


def draw_skeleton(image: np.ndarray, pose: PoseFrame | None, min_visibility: float = MIN_VISIBILITY) -> np.ndarray:
    """The pose's bones and joints on a copy of `image`, skipping barely visible points."""
    out = image.copy()
    if pose is None:
        return out
    pts = pose.image_px
    k = frame_scale(image)
    thick = max(1, round(2 * k))
    for a, b in SKELETON_EDGES:
        if min(pose.visibility[a], pose.visibility[b]) < min_visibility or np.isnan(pts[[a, b]]).any():
            continue
        colour = LEFT_COLOUR if {a, b} <= _LEFT else RIGHT_COLOUR if {a, b} <= _RIGHT else CENTRE_COLOUR
        cv2.line(out, _pt(pts[a]), _pt(pts[b]), colour, thick, cv2.LINE_AA)
    for i, (x, y) in enumerate(pts):
        # Face points other than the nose are left out: they would draw attention to the face.
        if i in FACE[1:] or pose.visibility[i] < min_visibility or np.isnan(x) or np.isnan(y):
            continue
        colour = LEFT_COLOUR if i in _LEFT else RIGHT_COLOUR if i in _RIGHT else CENTRE_COLOUR
        cv2.circle(out, (round(x), round(y)), max(2, round(3 * k)), colour, -1, cv2.LINE_AA)
    return out


def draw_angle_at(image: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray, label: str,
                  colour: tuple[int, int, int] = ANGLE_COLOUR) -> np.ndarray:
    """The angle a-b-c (pixel points, vertex b): both arms, an arc at b and `label` beside it."""
    out = image.copy()
    pts = np.asarray([a, b, c], dtype=float)
    if np.isnan(pts).any():
        return out
    a, b, c = pts
    k = frame_scale(image)
    thick = max(1, round(2 * k))
    arm = min(np.linalg.norm(a - b), np.linalg.norm(c - b))
    radius = int(max(10, min(28 * k, 0.6 * arm))) if arm > 0 else round(28 * k)
    for end in (a, c):
        cv2.line(out, _pt(b), _pt(end), colour, thick, cv2.LINE_AA)
    start = np.degrees(np.arctan2(a[1] - b[1], a[0] - b[0]))
    end_deg = np.degrees(np.arctan2(c[1] - b[1], c[0] - b[0]))
    sweep = (end_deg - start + 540) % 360 - 180  # the inner angle, whichever way round
    cv2.ellipse(out, _pt(b), (radius, radius), 0, start, start + sweep, colour, thick, cv2.LINE_AA)
    # The label goes on the side of the vertex away from the arms, so it never covers them.
    ua, uc = (a - b) / max(np.linalg.norm(a - b), 1e-6), (c - b) / max(np.linalg.norm(c - b), 1e-6)
    bisector = ua + uc
    if np.linalg.norm(bisector) < 0.3:  # nearly straight: go perpendicular, upwards in the image
        perp = np.array([-(uc - ua)[1], (uc - ua)[0]])
        unit = perp if perp[1] < 0 else -perp
        unit = unit / max(np.linalg.norm(unit), 1e-6)
    else:
        unit = -bisector / np.linalg.norm(bisector)
    scale = 0.6 * k
    tw, th, _ = text_size(label, scale)
    anchor = b + unit * (radius + 8 * k)
    org = (int(anchor[0] - tw / 2 + unit[0] * tw / 2), int(anchor[1] + th / 2 + unit[1] * th / 2))
    h, w = out.shape[:2]
    org = (min(max(org[0], 2), max(w - tw - 2, 2)), min(max(org[1], th + 2), h - 4))
    put_text(out, label, org, scale, colour)
    return out


def draw_angle(image: np.ndarray, pose: PoseFrame | None, joints: tuple[int, int, int], angle_deg: float,
               colour: tuple[int, int, int] = ANGLE_COLOUR) -> np.ndarray:
    """An arc at the middle joint of `joints` with the angle written beside it."""
    if pose is None or np.isnan(angle_deg):
        return image.copy()
    a, b, c = (pose.image_px[j] for j in joints)
    return draw_angle_at(image, a, b, c, f"{angle_deg:.0f} deg", colour)


def _seen(pose: PoseFrame, idx: list[int], min_presence: float) -> np.ndarray:
    pts = pose.image_px[idx]
    pres = np.nan_to_num(pose.presence[idx])
    return pts[~np.isnan(pts).any(axis=1) & (pres > min_presence)]


def face_box(pose: PoseFrame, image_wh: tuple[int, int], margin: float = 0.9) -> Box | None:
    """A square around the head from the face landmarks, large enough for a turned head.

    Centred on the visible face points and sized from the largest of: their spread, the
    shoulder width and the trunk length. A profile (small spread) or a face turned away
    (face points unsure) still gets a full box; with no face point at all, the head is
    placed beyond the shoulders along the trunk.
    """
    p = pose.image_px
    seen = _seen(pose, list(FACE), 0.2)
    sh = p[[Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER]]
    hips = p[[Landmark.LEFT_HIP, Landmark.RIGHT_HIP]]
    shoulder_w = float(np.linalg.norm(sh[0] - sh[1])) if not np.isnan(sh).any() else 0.0
    sh_mid = np.nanmean(sh, axis=0) if not np.isnan(sh).all() else None
    hip_mid = np.nanmean(hips, axis=0) if not np.isnan(hips).all() else None
    trunk = float(np.linalg.norm(sh_mid - hip_mid)) if sh_mid is not None and hip_mid is not None else 0.0
    if len(seen) >= 1:
        centre = seen.mean(axis=0)
        spread = float(np.ptp(seen, axis=0).max()) if len(seen) > 1 else 0.0
    elif sh_mid is not None and hip_mid is not None and trunk > 0:
        centre = sh_mid + 0.45 * (sh_mid - hip_mid)  # the head sits beyond the shoulders
        spread = 0.0
    else:
        return None
    # A head is about half the trunk length tall (side views have no shoulder width).
    half = max(spread * (0.5 + margin), 0.35 * shoulder_w, 0.36 * trunk, 8.0)
    if sh_mid is not None and len(seen) >= 1:
        # Face points sit low in the head: move the box towards the crown (away from the neck).
        up = centre - sh_mid
        norm = float(np.linalg.norm(up))
        if norm > 1e-6:
            centre = centre + up / norm * 0.3 * half
    w, h = image_wh
    x0, y0 = int(max(centre[0] - half, 0)), int(max(centre[1] - half, 0))
    x1, y1 = int(min(centre[0] + half, w)), int(min(centre[1] + half, h))
    if x1 <= x0 or y1 <= y0:
        return None
    return x0, y0, x1, y1


def blur_box(image: np.ndarray, box: Box | None) -> np.ndarray:
    """A copy with `box` pixelated and blurred beyond recognition."""
    out = image.copy()
    if box is None:
        return out
    x0, y0, x1, y1 = box
    x0, y0 = max(x0, 0), max(y0, 0)
    x1, y1 = min(x1, out.shape[1]), min(y1, out.shape[0])
    if x1 <= x0 or y1 <= y0:
        return out
    region = out[y0:y1, x0:x1]
    # Pixelate first: a Gaussian blur alone can be partly undone; 12 px cells cannot. The blur is
    # done on the cells (sigma in cells), not on the full-size region: the same look at a fraction
    # of the cost (a face box took ~4 ms a frame at full size).
    cell = 12
    small = cv2.resize(region, (max(1, (x1 - x0) // cell), max(1, (y1 - y0) // cell)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), max(3.0, (x1 - x0) / 10) / cell)
    out[y0:y1, x0:x1] = cv2.resize(small, (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR)
    return out


def blur_face(image: np.ndarray, pose: PoseFrame | None) -> np.ndarray:
    """A copy with the face region strongly blurred (privacy by default)."""
    if pose is None:
        return image.copy()
    return blur_box(image, face_box(pose, (image.shape[1], image.shape[0])))


def union_box(a: Box | None, b: Box | None) -> Box | None:
    if a is None or b is None:
        return a or b
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


class FaceBlur:
    """Face blur over a video: covers where the face is and where it just was.

    The box of the previous frame is added to this frame's (a fast head turn stays
    covered), and when the pose is lost the last box is kept for `keep_frames` frames,
    so that a missed detection never shows a face.
    """

    def __init__(self, keep_frames: int = 15) -> None:
        self.keep_frames = keep_frames
        self._last: Box | None = None
        self._missing = 0

    def box(self, pose: PoseFrame | None, image_wh: tuple[int, int]) -> Box | None:
        now = face_box(pose, image_wh) if pose is not None else None
        if now is None:
            self._missing += 1
            if self._missing > self.keep_frames:
                self._last = None
            return self._last
        self._missing = 0
        box, self._last = union_box(now, self._last), now
        return box

    def __call__(self, image: np.ndarray, pose: PoseFrame | None) -> np.ndarray:
        return blur_box(image, self.box(pose, (image.shape[1], image.shape[0])))
