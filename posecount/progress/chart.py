"""The weekly chart: bars of text for the terminal, or a PNG drawn with matplotlib (Agg, no window)."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path

from posecount import exercises
from posecount.progress.rules import PlanSettings, plan_settings
from posecount.progress.summary import HOLD_EXERCISES, TRACKS, WeekSummary
from posecount.storage import atomic_write

BAR = "█"
HALF = "▌"


def text_bar(value: float | None, scale_max: float, width: int = 10) -> str:
    """`value` as a bar of up to `width` cells (half cells for precision), "" when unknown."""
    if value is None or scale_max <= 0:
        return ""
    halves = round(2 * width * min(value, scale_max) / scale_max)
    return BAR * (halves // 2) + HALF * (halves % 2)


def save_png(weeks: Sequence[WeekSummary], path: Path, title: str = "posecount: weekly progress",
             settings: PlanSettings | None = None) -> Path:
    """Three panels over the weeks: best reps per session (leaflet goal shaded), mean hold (the
    leaflet's least hold dashed), pain and effort."""
    # The Figure/Agg canvas pair draws off-screen without switching pyplot's global backend.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    settings = settings or plan_settings()

    fig = Figure(figsize=(8, 7.5), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    reps_ax, hold_ax, pain_ax = fig.subplots(3, 1, sharex=True)
    x = list(range(len(weeks)))
    labels = [f"{w.monday:%d %b}" for w in weeks]

    def series(values: Sequence[float | None]) -> list[float]:
        return [math.nan if v is None else v for v in values]

    for k, ((_, _, label), marker) in enumerate(zip(TRACKS, "os^D")):
        dodge = (k - 1.5) * 0.06  # equal counts of two exercises must not hide one line behind another
        reps_ax.plot([i + dodge for i in x], series([w.best_reps[label] for w in weeks]), marker=marker,
                     alpha=0.85, label=label)
        for i, w in enumerate(weeks):
            if (w.best_sets[label] or 0) > 1:
                reps_ax.annotate(f"×{w.best_sets[label]} sets", (i + dodge, w.best_reps[label]),
                                 textcoords="offset points", xytext=(4, 6), fontsize="x-small")
    reps_ax.axhspan(settings.easy_min_reps, settings.max_reps, color="tab:green", alpha=0.08,
                    label=f"leaflet goal {settings.easy_min_reps}–{settings.max_reps}")
    reps_ax.set_ylabel("reps (best set)")
    reps_ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    reps_ax.set_ylim(0, max([settings.max_reps + 1] + [v for w in weeks for v in w.best_reps.values() if v]) + 1)
    reps_ax.legend(loc="upper left", fontsize="small", ncols=2)
    for ex in HOLD_EXERCISES:
        hold_ax.plot(x, series([w.mean_hold_s[ex] for w in weeks]), marker="o", label=ex)
    for ex in exercises.all():
        if ex.hold_key:
            hold_ax.axhline(ex.hold_goal_s(settings), color=ex.colour, linestyle="--", linewidth=0.8,
                            alpha=0.6)
    hold_ax.set_ylabel("mean hold (s)")
    hold_ax.set_ylim(0, max([12.0] + [v for w in weeks for v in w.mean_hold_s.values() if v]) + 1)
    hold_ax.legend(loc="upper left", fontsize="small")
    pain_ax.plot(x, series([w.pain for w in weeks]), marker="o", color="tab:red", label="pain (0–10)")
    pain_ax.plot(x, series([w.effort for w in weeks]), marker="s", color="tab:gray", label="effort (Borg CR10)")
    pain_ax.set_ylim(0, 10)
    pain_ax.set_ylabel("score")
    pain_ax.legend(loc="upper left", fontsize="small")
    pain_ax.set_xticks(x, labels, rotation=45, ha="right")
    pain_ax.set_xlabel("week starting")
    for ax in (reps_ax, hold_ax, pain_ax):
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return atomic_write(path, buf.getvalue())
