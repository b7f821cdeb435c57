"""Report sources from the history (issue 7): a stored session as an analysis, and the person's trend.

A stored session has its reps and the analysis contract it was saved from, but no signal
trace and no video: its report has the summary, the table and the trend, not the chart
or the pictures.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict
from pathlib import Path

import numpy as np

from posecount import exercises
from posecount.analysis import AnalysisResult, Rejected, Trace
from posecount.errors import InputError
from posecount.pipeline import AnalysisRun
from posecount.progress.history import history_exists, load_sessions, open_history
from posecount.progress.records import SessionRecord
from posecount.settings import load_settings

SESSION_SOURCE = re.compile(r"^session:(\d+|latest)$", re.I)


def is_stored_session(source: str | Path) -> bool:
    return bool(SESSION_SOURCE.match(str(source)))


def _num(x) -> float:
    return math.nan if x is None else float(x)


def _details(session_id: int, db: str | Path | None) -> tuple[dict, str, str]:
    with open_history(db) as conn:
        row = conn.execute("SELECT details, model, model_sha256 FROM sessions WHERE id = ?", (session_id,)).fetchone()
    if row is None:
        return {}, "", ""
    try:
        details = json.loads(row[0]) if row[0] else {}
    except ValueError:
        details = {}
    return details if isinstance(details, dict) else {}, row[1] or "", row[2] or ""


def find_session(source: str, db: str | Path | None = None, exercise: str = "auto") -> SessionRecord:
    """The session named by `session:ID` or `session:latest` (of `exercise` unless auto)."""
    m = SESSION_SOURCE.match(source)
    if m is None:
        raise InputError(f"{source!r} is not a stored session: write session:ID or session:latest")
    if not history_exists(db):
        raise InputError("there is no history yet: save sessions with `posecount analyze --save` first")
    sessions = load_sessions(db)
    if exercise != "auto":
        sessions = [s for s in sessions if s.exercise == exercise]
    if m.group(1).lower() == "latest":
        if not sessions:
            raise InputError("the history has no session" + ("" if exercise == "auto" else f" of {exercise}"))
        return sessions[-1]
    wanted = int(m.group(1))
    found = next((s for s in sessions if s.id == wanted), None)
    if found is None:
        raise InputError(f"the history has no session {wanted}" + ("" if exercise == "auto" else f" of {exercise}"))
    return found


def run_from_session(session: SessionRecord, db: str | Path | None = None) -> AnalysisRun:
    """A stored session as an `AnalysisRun` (empty trace), with the thresholds it was measured with."""
    details, model, sha = _details(session.id, db) if session.id is not None else ({}, "", "")
    ex = session.exercise
    reps = list(session.reps)  # the analysis's own Rep, NaN where the history has nothing
    rejected = [Rejected(d.get("reason", "?"), _num(d.get("start_s")), _num(d.get("end_s")), _num(d.get("peak")),
                         d.get("side"), d.get("detail", "")) for d in details.get("rejected") or []
                if isinstance(d, dict)]
    signal = details.get("signal") or {}
    spec = exercises.get(ex)
    name, unit = spec.signal, spec.unit
    thresholds = details.get("thresholds") or asdict(getattr(load_settings(), spec.section))
    empty = np.array([], float)
    result = AnalysisResult(exercise=ex, reps=reps, rejected=rejected, warnings=list(details.get("warnings") or []),
                            signal_name=signal.get("name", name), signal_unit=signal.get("unit", unit),
                            thresholds=thresholds, trace=Trace(empty, empty, empty, empty))
    return AnalysisRun(source=session.source or f"session {session.id}", exercise=ex, analysis=result,
                       frames=int(details.get("frames") or 0),
                       frames_with_pose=int(details.get("frames_with_pose") or 0),
                       fps=float(details.get("fps") or 0.0), duration_s=float(details.get("duration_s") or 0.0),
                       model=model or session.kind, model_sha256=sha, processing_fps=0.0, warnings=[])


def history_sessions(db: str | Path | None = None) -> list[SessionRecord]:
    """Every stored session, or none when there is no history (a report never creates one)."""
    return load_sessions(db) if history_exists(db) else []
