"""When a video was recorded: the container's creation time (read with PyAV), else the file's date.

Phones write `com.apple.quicktime.creationdate` (local time with its offset) and nearly every
encoder `creation_time` (UTC). Zero and placeholder dates (1904, 1970: "not set") are ignored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

log = logging.getLogger(__name__)

CREATION_TAGS = ("com.apple.quicktime.creationdate", "creation_time")
EARLIEST_YEAR = 1995  # before digital video: an unset date written as zero
HOW = ("metadata", "file", "given", "history")


@dataclass(frozen=True)
class Recorded:
    """A recording date and where it came from: the video's own metadata, the file's modification
    date, the person (`--recorded`), or the history (a stored session)."""

    day: date
    how: str  # one of HOW


def parse_creation_time(text: str | None) -> datetime | None:
    """An ISO 8601 creation time as an aware datetime (UTC when it names no offset), or None."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return None
    when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return when if when.year >= EARLIEST_YEAR else None


def creation_time(tags: list[dict[str, str]]) -> datetime | None:
    """The first usable creation time in the container's and the streams' tags, the phone's own first."""
    lowered = [{str(k).lower(): v for k, v in t.items()} for t in tags]
    for key in CREATION_TAGS:
        for t in lowered:
            found = parse_creation_time(t.get(key))
            if found is not None:
                return found
    return None


def container_tags(path: str | Path) -> list[dict[str, str]]:
    """The container's tags, then each video stream's; none without PyAV or for a file it cannot read."""
    try:
        import av
    except ImportError:
        return []
    try:
        with av.open(str(path), metadata_errors="ignore") as box:
            return [dict(box.metadata), *(dict(s.metadata) for s in box.streams.video)]
    except Exception as exc:  # noqa: BLE001 - not a video (a pose track), or damaged: the file's date then
        log.info("no container metadata in %s: %s", Path(path).name, exc)
        return []


def recording_date(path: str | Path, given: date | None = None) -> Recorded:
    """`given`, else the video's creation time as a local date, else the file's modification date."""
    if given is not None:
        return Recorded(given, "given")
    found = creation_time(container_tags(path))
    if found is not None:
        return Recorded(found.astimezone().date(), "metadata")
    return Recorded(datetime.fromtimestamp(Path(path).stat().st_mtime).date(), "file")
