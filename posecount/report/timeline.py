"""What an analysis says about one moment: the overlay state of a frame, and each rep's key frame.

Pure functions of an `AnalysisResult` and a time. The overlay only shows what was known
at that moment (a rep counts once it is back down, flags appear when it ends), so the
annotated video tells the same story a live coach would have told.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from posecount.analysis import AnalysisResult, Rep
from posecount.media.overlay import Overlay
from posecount.report.texts import VIDEO, exercise_title, flag_text, rejection_text

FLAG_SHOW_S = 3.0  # how long a finished rep's flags stay on screen
REJECT_SHOW_S = 2.0


def hold_limits(result: AnalysisResult) -> tuple[float, float]:
    """The leaflet's hold (least, most) in seconds for this exercise; 0 where none is asked."""
    th = result.thresholds or {}
    return float(th.get("hold_min_s", 0.0) or 0.0), float(th.get("hold_max_s", 0.0) or 0.0)


def _ascii(text: str) -> str:
    return text.encode("ascii", "ignore").decode()


def overlay_at(result: AnalysisResult, t_s: float, lang: str = "en") -> Overlay:
    """The count panel, hold timer, flags and message for the frame at `t_s`."""
    words = VIDEO[lang]
    done = [r for r in result.reps if r.end_s <= t_s]
    current = next((r for r in result.reps if r.start_s <= t_s < r.end_s), None)
    hold_min, _ = hold_limits(result)
    hold_s = None
    # Only exercises with a hold in the leaflet get a timer (a step-up's time on the step is no hold).
    if hold_min > 0 and current is not None and current.top_s <= t_s <= current.top_s + current.hold_s:
        hold_s = t_s - current.top_s
    flags: tuple[str, ...] = ()
    if done and t_s - done[-1].end_s <= FLAG_SHOW_S:
        flags = tuple(_ascii(flag_text(f, lang).short) for f in done[-1].flags)
    message = ""
    recent = [a for a in result.rejected if 0 <= t_s - a.end_s <= REJECT_SHOW_S]
    if recent:
        message = _ascii(f"x {rejection_text(recent[-1].reason, lang)}")
    label = _ascii(exercise_title(result.exercise, lang))
    n_sets = max((r.set for r in result.reps), default=1)
    rep_set = (current or (done[-1] if done else None))
    if n_sets > 1 and rep_set is not None:
        label += f"  {words['set']} {rep_set.set}"
    return Overlay(reps=len(done), hold_s=hold_s, hold_target_s=hold_min or None, message=message,
                   label=label, flags=flags)


@dataclass(frozen=True)
class KeyFrame:
    rep: Rep
    frame: int  # index into the trace / the source's frames
    t_s: float
    value: float  # the signal there (NaN if unmeasured)


def key_frame(rep: Rep, t_s: np.ndarray, value: np.ndarray) -> KeyFrame:
    """The frame that shows a rep at its top: the highest measured value during the hold
    (or the rise to it), else the frame nearest the moment the top was reached."""
    end = rep.top_s + max(rep.hold_s, 0.0)
    lo, hi = np.searchsorted(t_s, rep.top_s - 1e-6), np.searchsorted(t_s, end + 1e-6)
    window = value[lo:hi] if hi > lo else np.array([])
    if window.size and not np.isnan(window).all():
        i = int(lo + np.nanargmax(window))
    else:
        i = int(np.clip(np.searchsorted(t_s, rep.top_s), 0, max(len(t_s) - 1, 0)))
    v = float(value[i]) if len(value) else math.nan
    return KeyFrame(rep, i, float(t_s[i]) if len(t_s) else rep.top_s, v)


def key_frames(result: AnalysisResult) -> list[KeyFrame]:
    """One key frame per counted rep, in rep order."""
    tr = result.trace
    if len(tr.t_s) == 0:
        return []
    return [key_frame(r, np.asarray(tr.t_s, float), np.asarray(tr.smoothed, float)) for r in result.reps]
