"""The batch's folder: one result JSON per video, keyed by its result key, written atomically.

    OUTDIR/results/<stem>.<hash12>.json   the analysis contract plus the batch fields
    OUTDIR/reports/<stem>.<hash12>.html   with --reports
    OUTDIR/tracks/<stem>.<hash12>.npz     with --tracks
    OUTDIR/summary.csv, OUTDIR/batch.log

A result is there completely or not at all (a temporary file and a rename), so a batch killed
at any moment loses at most the videos being analysed; a rerun finds what is done by its key.
One batch at a time writes to a folder (a lock file).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from posecount.batch.keys import result_name
from posecount.errors import OutputError
from posecount.storage import atomic_write, create_private_file, private_dir

EXTRAS = {"report": ("reports", ".html"), "track": ("tracks", ".npz")}


class ResultStore:
    def __init__(self, outdir: Path) -> None:
        self.outdir = private_dir(Path(outdir))
        self.results = private_dir(self.outdir / "results")
        self._lock = self._take_lock()
        self._clean_parts()
        self._index: dict[str, list[Path]] = {}
        for path in sorted(self.results.glob("*.json")):
            self._index.setdefault(path.name.rsplit(".", 2)[-2], []).append(path)

    def _take_lock(self):
        import fcntl

        lock = self.outdir / ".lock"
        create_private_file(lock)
        fh = open(lock, "rb")  # noqa: SIM115 — held for the store's life
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise OutputError(f"another batch is writing to {self.outdir.name}: wait for it, or use another "
                              "folder") from None
        return fh

    def close(self) -> None:
        self._lock.close()

    def _clean_parts(self) -> None:
        """Temporary files left by a batch that was killed mid-write."""
        for folder in (self.results, *(self.outdir / sub for sub, _ in EXTRAS.values())):
            for part in folder.glob(".*.part*") if folder.is_dir() else ():
                part.unlink(missing_ok=True)

    def find(self, key: str) -> dict[str, Any] | None:
        """The stored result with this key, or None."""
        for path in self._index.get(key[:12], []):
            try:
                doc = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # unreadable: analysed again and overwritten
            if isinstance(doc, dict) and doc.get("key") == key:
                return doc
        return None

    def path_for(self, file: str, key: str, kind: str = "result") -> Path:
        """Where a video's result (or report, track) goes; a result already stored under the key keeps its name."""
        known = [p for p in self._index.get(key[:12], [])]
        name = known[0].name if known else result_name(file, key)
        if kind == "result":
            return self.results / name
        sub, suffix = EXTRAS[kind]
        return private_dir(self.outdir / sub) / (name[: -len(".json")] + suffix)

    def has(self, file: str, key: str, kind: str) -> bool:
        sub, suffix = EXTRAS[kind]
        return (self.outdir / sub).is_dir() and self.path_for(file, key, kind).is_file()

    def save(self, result: dict[str, Any]) -> Path:
        path = self.path_for(result["file"], result["key"])
        atomic_write(path, json.dumps(result, indent=1, ensure_ascii=False) + "\n")
        if path not in self._index.setdefault(result["key"][:12], []):
            self._index[result["key"][:12]].append(path)
        return path

    def save_extra(self, file: str, key: str, kind: str, data: Any) -> Path:
        """A report (HTML text) or a pose track (a PoseTrack) beside the result."""
        path = self.path_for(file, key, kind)
        if kind == "track":
            return data.save(path)
        return atomic_write(path, data)
