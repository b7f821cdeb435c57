"""The report's chart of the signal over time, as inline SVG (matplotlib, no files, no fonts fetched).

Reps are shaded, flagged reps in red, holds drawn as green bars along the top, the
counting and rest levels as dashed lines: a physiotherapist sees every rep in one glance.
"""

from __future__ import annotations

import io
import math
import re

import matplotlib

matplotlib.use("Agg")  # never a window: reports are made on servers and in tests

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from posecount.analysis import AnalysisResult  # noqa: E402
from posecount.report.texts import SIGNAL_NAMES, UI, UNITS  # noqa: E402

FLAG_RED = "#d62728"
REP_GREY = "#9aa5b1"
HOLD_GREEN = "#2ca02c"
LINE_BLUE = "#1f4e79"


def levels(result: AnalysisResult, lang: str) -> list[tuple[str, float]]:
    """The horizontal lines worth drawing: (label, value in the signal's unit)."""
    th, ui = result.thresholds or {}, UI[lang]
    out = []
    for key, label in (("personal_count", ui["level_count"]), ("personal_rest", ui["level_rest"]),
                       ("up_leglen", ui["level_up"]), ("down_leglen", ui["level_down"])):
        v = th.get(key)
        if isinstance(v, (int, float)) and math.isfinite(v):
            out.append((label, float(v)))
    return out


def _svg(fig) -> str:
    buf = io.StringIO()
    # No metadata: matplotlib would put a date and a link to its website into the file.
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Creator": None, "Date": None,
                                                                  "Format": None, "Type": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and DOCTYPE (a URL) for inline use
    # A fixed pixel size would not shrink on A4; the viewBox keeps the proportions.
    svg = re.sub(r'(<svg[^>]*?)\swidth="[^"]*"\sheight="[^"]*"', r'\1 width="100%"', svg, count=1)
    return svg


def signal_svg(result: AnalysisResult, lang: str = "en", width_in: float = 10.0) -> str:
    """The signal over time with reps, holds, flags and levels, as an `<svg>` element."""
    tr = result.trace
    unit = UNITS[lang].get(result.signal_unit, result.signal_unit)
    fig, ax = plt.subplots(figsize=(width_in, 3.4), dpi=100)
    t = np.asarray(tr.t_s, float)
    raw, smooth = np.asarray(tr.raw, float), np.asarray(tr.smoothed, float)
    finite = np.concatenate([raw[np.isfinite(raw)], smooth[np.isfinite(smooth)]])
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    for _, v in levels(result, lang):
        lo, hi = min(lo, v), max(hi, v)
    pad = 0.08 * (hi - lo or 1.0)
    ax.set_ylim(lo - pad, hi + 2.5 * pad)
    for rep in result.reps:
        colour = FLAG_RED if rep.flags else REP_GREY
        # gids become element ids in the SVG: tests (and curious readers) can find each rep.
        ax.axvspan(rep.start_s, rep.end_s, color=colour, alpha=0.18 if rep.flags else 0.22, lw=0,
                   gid=f"rep-{rep.index}{'-flagged' if rep.flags else ''}")
        ax.hlines(hi + 1.3 * pad, rep.top_s, rep.top_s + rep.hold_s, colors=HOLD_GREEN, lw=4,
                  gid=f"hold-{rep.index}")
        ax.text((rep.start_s + rep.end_s) / 2, hi + 1.8 * pad, str(rep.index), ha="center", va="bottom",
                fontsize=9, color=FLAG_RED if rep.flags else "#333333", fontweight="bold")
    for attempt in result.rejected:
        ax.axvspan(attempt.start_s, attempt.end_s, facecolor="none", edgecolor="#888888", hatch="///",
                   lw=0, alpha=0.5)
    if t.size:
        ax.plot(t, raw, color=LINE_BLUE, lw=0.8, alpha=0.35)
        ax.plot(t, smooth, color=LINE_BLUE, lw=1.6)
        ax.set_xlim(float(t[0]), float(t[-1]))
    for label, v in levels(result, lang):
        ax.axhline(v, color="#555555", ls="--", lw=0.9, gid=f"level-{label.replace(' ', '-')}")
        ax.annotate(label, (1.0, v), xycoords=("axes fraction", "data"), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=8, color="#555555")
    ax.set_xlabel("s")
    ax.set_ylabel(unit)
    ax.set_title(SIGNAL_NAMES[lang].get(result.signal_name, result.signal_name), loc="left", fontsize=10)
    ax.grid(alpha=0.25)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig)


def trend_svg(rows, lang: str = "en", width_in: float = 10.0) -> str:
    """Reps per week as bars; mean hold (s) and mean pain (0-10) as lines on the right axis."""
    ui = UI[lang]
    fig, ax = plt.subplots(figsize=(width_in, 2.8), dpi=100)
    x = np.arange(len(rows))
    ax.bar(x, [r.reps for r in rows], color="#9fb7d0", width=0.6, label=ui["trend_reps"], gid="trend-reps")
    ax.set_ylabel(ui["trend_reps"])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xticks(x, [r.week.strftime("%d-%m") for r in rows], fontsize=8)
    right = ax.twinx()
    for key, attr, colour, gid in (("trend_hold", "mean_hold_s", HOLD_GREEN, "trend-hold"),
                                   ("trend_pain", "mean_pain", FLAG_RED, "trend-pain")):
        y = np.array([np.nan if getattr(r, attr) is None else getattr(r, attr) for r in rows], float)
        if np.isfinite(y).any():
            right.plot(x, y, marker="o", color=colour, lw=1.6, label=ui[key], gid=gid)
    right.set_ylim(0, 10.5)
    right.set_ylabel(f"{ui['trend_hold']} / {ui['trend_pain']}")
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], loc="upper left", fontsize=8, frameon=False)
    ax.set_xlabel(ui["trend_week"])
    for side in ("top",):
        ax.spines[side].set_visible(False)
        right.spines[side].set_visible(False)
    return _svg(fig)
