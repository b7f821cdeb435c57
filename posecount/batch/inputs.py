"""What a batch is asked to analyse: video files, folders (recursive) and CSV manifests.

A manifest has a `path` column (relative to the manifest's folder, or absolute) and may have
`profile`, `exercise` and `recorded` (a date, YYYY-MM-DD). Every input becomes one `VideoInput`,
a row of the summary; a row that cannot be used (a path pointing nowhere, an unknown exercise,
a bad date) carries its one-line error instead of failing the batch.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from posecount import exercises, profiles
from posecount.errors import InputError, PosecountError, SourceNotFound

VIDEO_SUFFIXES = {".mp4", ".mov", ".avi", ".webm", ".mkv", ".m4v", ".mpg", ".mpeg", ".wmv", ".3gp"}
MANIFEST_COLUMNS = ("path", "profile", "exercise", "recorded")
_DATE_COLUMNS = ("recorded", "recorded_date", "date")


@dataclass(frozen=True)
class VideoInput:
    """One video to analyse. `file` is what outputs show: never an absolute path."""

    file: str
    path: Path | None  # None when the input points nowhere
    exercise: str = "auto"
    profile: str = ""
    recorded: str = ""
    error: str = ""  # set when the input itself cannot be used


def _shown(path: Path, base: Path | None) -> str:
    """`path` relative to `base` where it lies inside it, else its name (outputs hold no absolute path)."""
    if base is not None:
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            pass
    return path.as_posix() if not path.is_absolute() else path.name


def _checked(path: Path, shown: str, exercise: str, profile: str = "", recorded: str = "") -> VideoInput:
    """A VideoInput; a missing file, an unknown exercise or a bad date become its error."""
    try:
        exercise = exercises.parse(exercise or "auto")
        recorded = check_date(recorded)
        profile = profiles.check_name(profile) if profile else ""
        if not path.exists():
            raise SourceNotFound(f"video not found: {shown}")
        if path.is_dir():
            raise InputError(f"{shown} is a folder, not a video")
    except PosecountError as exc:
        return VideoInput(shown, None, exercise, profile, recorded, str(exc))
    return VideoInput(shown, path, exercise, profile, recorded)


def check_date(text: str) -> str:
    """A recorded date as YYYY-MM-DD ('' stays ''); anything else is an InputError."""
    text = (text or "").strip()
    if not text:
        return ""
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise InputError(f"recorded date '{text}' is not a date (YYYY-MM-DD)") from None


def folder_videos(folder: Path) -> list[Path]:
    """Every video under `folder`, recursively, in a stable order; hidden files and folders skipped."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(root) / f for f in sorted(files)
                  if not f.startswith(".") and Path(f).suffix.lower() in VIDEO_SUFFIXES]
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def read_manifest(manifest: Path, default_exercise: str, default_profile: str = "") -> list[VideoInput]:
    """The rows of a CSV manifest (`default_profile` where a row names none); a row without a path
    or with a bad profile name is an error row."""
    try:
        text = manifest.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the manifest {manifest.name}: {getattr(exc, 'strerror', None) or exc}") from exc
    reader = csv.DictReader(text.splitlines())
    fields = {(f or "").strip().lower(): f for f in reader.fieldnames or []}
    if "path" not in fields:
        raise InputError(f"the manifest {manifest.name} has no 'path' column (columns: {', '.join(MANIFEST_COLUMNS)})")
    base = manifest.parent
    rows = []
    for n, raw in enumerate(reader, start=2):
        row = {key: (raw.get(orig) or "").strip() for key, orig in fields.items()}
        date = next((row[c] for c in _DATE_COLUMNS if row.get(c)), "")
        if not row["path"]:
            rows.append(VideoInput(f"{manifest.name}:{n}", None, error=f"{manifest.name} line {n}: no path"))
            continue
        path = Path(row["path"]).expanduser()
        path = path if path.is_absolute() else base / path
        shown = row["path"] if not Path(row["path"]).is_absolute() else path.name
        rows.append(_checked(path, shown, row.get("exercise") or default_exercise,
                             row.get("profile") or default_profile, date))
    return rows


def expand(inputs: list[str | Path], default_exercise: str = "auto", default_profile: str = "") -> list[VideoInput]:
    """Every video the inputs name, in order, each once (by its real path); `default_profile`: the
    profile of videos whose manifest row names none."""
    default_exercise = exercises.parse(default_exercise)  # a typo fails before any work
    default_profile = profiles.check_name(default_profile) if default_profile else ""
    found: list[VideoInput] = []
    for item in inputs:
        path = Path(item).expanduser()
        if path.is_dir():
            base = path.parent if path.name else path
            found += [_checked(p, _shown(p, base), default_exercise, default_profile) for p in folder_videos(path)]
        elif path.suffix.lower() == ".csv" and path.is_file():
            found += read_manifest(path, default_exercise, default_profile)
        else:
            found.append(_checked(path, _shown(path, None), default_exercise, default_profile))
    seen: set[tuple] = set()
    unique = []
    for video in found:  # the same file twice (a folder and a manifest row): once, unless asked differently
        real = str(video.path.resolve()) if video.path is not None else f"?{video.file}"
        if (ident := (real, video.exercise, video.profile, video.recorded)) not in seen:
            seen.add(ident)
            unique.append(video)
    return unique
