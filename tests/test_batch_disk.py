"""`posecount batch` on a disk that fills up mid-batch (issue 17, bad input): one line, a non-zero
exit, and nothing stored before is lost or damaged; a rerun once there is room finishes the batch.

The disk is made full by fault injection (the store's write raises what a full disk raises):
running as root, as CI may, a read-only folder would still be writable, and mounting a small
file system needs privileges a test should not ask for.
"""

from __future__ import annotations

import errno

import pytest

from posecount.batch.store import ResultStore
from posecount.cli import main
from posecount.errors import OutputError
from tests.conftest import FIXTURE_VIDEOS
from tests.test_batch import _rows, _trimmed

pytestmark = pytest.mark.slow


def test_a_full_disk_stops_the_batch_in_one_line_and_keeps_what_was_stored(tmp_path, capsys, monkeypatch):
    first = _trimmed(FIXTURE_VIDEOS / "fx_bridge_side.mp4", tmp_path / "a.mp4", 1.0)
    second = _trimmed(FIXTURE_VIDEOS / "fx_step_up_front_left.mp4", tmp_path / "b.mp4", 1.0)
    out = tmp_path / "out"
    args = ["--no-progress", "--analysis-fps", "5", "-o", str(out)]
    assert main(["batch", str(first), *args]) == 0
    stored = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != "batch.log"}
    assert len([p for p in stored if p.parent.name == "results"]) == 1

    def full(self, result):
        raise OutputError(f"cannot write {result['file']}: {errno.errorcode[errno.ENOSPC]} "
                          "(no space left on device)")
    monkeypatch.setattr(ResultStore, "save", full)
    capsys.readouterr()
    code = main(["batch", str(first), str(second), *args])
    err = capsys.readouterr().err.strip()
    assert code == OutputError.exit_code
    assert len(err.splitlines()) == 1 and "no space left" in err and "kept" in err and "Traceback" not in err
    for path, data in stored.items():  # nothing stored before is lost or changed
        assert path.read_bytes() == data, path

    monkeypatch.undo()  # room again: the rerun analyses only what is missing
    capsys.readouterr()
    assert main(["batch", str(first), str(second), *args]) == 0
    assert "1 analysed, 1 done before" in capsys.readouterr().out
    assert [r["file"] for r in _rows(out)] == ["a.mp4", "b.mp4"] and all(not r["error"] for r in _rows(out))
