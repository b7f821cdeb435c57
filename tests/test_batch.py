"""`posecount batch`: inputs, keys, plan, store and summary (pure), and the command end to end."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import cv2
import pytest

from posecount.batch import inputs, keys, summary
from posecount.batch.engines import run as run_engine
from posecount.batch.inputs import VideoInput
from posecount.batch.plan import BatchOptions, make_plan
from posecount.batch.runner import VideoJob, run_video
from posecount.batch.store import ResultStore
from posecount.cli import main
from posecount.errors import InputError, OutputError
from tests.conftest import FIXTURE_VIDEOS, write_video

ROOT = Path(__file__).resolve().parents[1]


def _rows(outdir: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO((outdir / "summary.csv").read_text())))


# ---- inputs -----------------------------------------------------------------------------------

def test_folders_are_searched_recursively_in_a_stable_order(tmp_path):
    for rel in ("b.mp4", "a/c.MOV", "a/notes.txt", ".hidden/d.mp4", "a/.e.mp4"):
        (tmp_path / "in" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "in" / rel).write_bytes(b"x")
    found = inputs.expand([tmp_path / "in"])
    assert [v.file for v in found] == ["in/a/c.MOV", "in/b.mp4"]
    assert all(v.error == "" and v.exercise == "auto" for v in found)


def test_a_manifest_gives_profiles_exercises_dates_and_error_rows(tmp_path):
    (tmp_path / "v").mkdir()
    (tmp_path / "v" / "a.mp4").write_bytes(b"x")
    (tmp_path / "m.csv").write_text("Path,profile,exercise,recorded\n"
                                    "v/a.mp4,anna,Side_Raise,2026-03-04\n"
                                    "v/missing.mp4,bob,,\n"
                                    "v/a.mp4,carl,jumping,\n"
                                    "v/a.mp4,dora,,04/03/2026\n"
                                    ",eve,,\n")
    rows = inputs.expand([tmp_path / "m.csv"], default_exercise="bridge")
    assert [(r.file, r.profile, r.exercise, r.recorded) for r in rows[:2]] == [
        ("v/a.mp4", "anna", "side-raise", "2026-03-04"), ("v/missing.mp4", "bob", "bridge", "")]
    assert rows[0].error == "" and rows[0].path == tmp_path / "v" / "a.mp4"
    assert rows[1].error == "video not found: v/missing.mp4" and rows[1].path is None
    assert "jumping" in rows[2].error
    assert "not a date" in rows[3].error
    assert "no path" in rows[4].error
    assert all("\n" not in r.error for r in rows)


def test_a_manifest_without_a_path_column_is_one_error(tmp_path):
    (tmp_path / "m.csv").write_text("file,profile\na.mp4,x\n")
    with pytest.raises(InputError, match="no 'path' column"):
        inputs.expand([tmp_path / "m.csv"])


def test_the_same_file_twice_is_one_input_and_an_unknown_default_exercise_fails_early(tmp_path):
    (tmp_path / "a.mp4").write_bytes(b"x")
    assert len(inputs.expand([tmp_path / "a.mp4", tmp_path, tmp_path / "a.mp4"])) == 1
    with pytest.raises(InputError):
        inputs.expand([tmp_path], default_exercise="jumping")


# ---- keys, plan ---------------------------------------------------------------------------------

def test_the_key_changes_with_the_video_the_model_the_thresholds_and_the_options():
    base = ("a" * 64, "b" * 64, "c" * 64, keys.options_id("bridge", None))
    key = keys.result_key(*base)
    assert key == keys.result_key(*base) and len(key) == 64
    for i, other in enumerate(("d" * 64, "e" * 64, "f" * 64, keys.options_id("bridge", 15))):
        changed = list(base)
        changed[i] = other
        assert keys.result_key(*changed) != key
    assert keys.options_id("auto", None) != keys.options_id("bridge", None)
    assert keys.result_name("in/my video (1).mp4", key) == f"my_video__1_.{key[:12]}.json"


class _Model:
    path, name, sha256 = Path("/m/pose_landmarker_full.task"), "pose_landmarker_full", "m" * 64


class _Settings:
    sha256 = "s" * 64


def test_the_plan_skips_what_is_done_and_analyses_copies_once():
    videos = [VideoInput("a.mp4", Path("/v/a.mp4")), VideoInput("b.mp4", Path("/v/b.mp4")),
              VideoInput("copy-of-b.mp4", Path("/v/copy-of-b.mp4")), VideoInput("gone.mp4", None, error="not found"),
              VideoInput("locked.mp4", Path("/v/locked.mp4"))]
    hashes = {0: "1" * 64, 1: "2" * 64, 2: "2" * 64, 4: PermissionError(13, "Permission denied")}
    done_key = keys.result_key("1" * 64, _Model.sha256, _Settings.sha256, keys.options_id("auto", None))
    plan = make_plan(videos, hashes, _Model(), _Settings(), BatchOptions(), lambda v, k: k == done_key)
    assert plan.done == 1
    assert [j.file for j in plan.todo] == ["b.mp4"]
    assert plan.keys[1] == plan.keys[2]
    assert plan.errors == {3: "not found", 4: "cannot read locked.mp4: Permission denied"}
    job = plan.todo[0]
    assert (job.path, job.model_path, job.model_sha256) == ("/v/b.mp4", str(_Model.path), "m" * 64)


# ---- summary, store ---------------------------------------------------------------------------

RESULT = {"exercise": "bridge", "reps": 3, "processing_fps": 41.26, "content_sha256": "9" * 64, "key": "k" * 64,
          "warnings": ["w1", "w2"], "error": None,
          "repetitions": [{"hold_s": 5.0, "flags": ["short_hold"]}, {"hold_s": 6.5, "flags": []},
                          {"hold_s": 4.0, "flags": ["short_hold", "fast_lowering"]}]}


def test_a_summary_row_holds_counts_median_hold_flags_and_warnings():
    video = VideoInput("p1/a.mp4", Path("/x/a.mp4"), "bridge", "anna", "2026-01-02")
    row = summary.row(video, RESULT, result_file="a.kkkkkkkkkkkk.json")
    assert row == {"file": "p1/a.mp4", "profile": "anna", "exercise": "bridge", "reps": "3", "holds": "5.00",
                   "flags": "fast_lowering:1,short_hold:2", "warnings": "2", "error": "", "frames_per_s": "41.3",
                   "content_sha256": "9" * 64, "recorded": "2026-01-02", "result": "a.kkkkkkkkkkkk.json"}
    bad = summary.row(VideoInput("b.mp4", None, error="video not found: b.mp4"), None)
    assert bad["error"] == "video not found: b.mp4" and bad["reps"] == ""
    text = summary.to_csv([row, bad])
    assert text.splitlines()[0] == ",".join(summary.COLUMNS)
    assert summary.failed([row, bad]) == 1


def test_the_store_writes_user_only_atomically_and_finds_by_key(tmp_path):
    store = ResultStore(tmp_path / "out")
    (store.results / ".x.json.abc.part").write_text("half")  # left by a kill -9
    store.close()
    store = ResultStore(tmp_path / "out")
    assert not list(store.results.glob(".*"))
    with pytest.raises(OutputError, match="another batch"):
        ResultStore(tmp_path / "out")
    path = store.save({**RESULT, "file": "in/a.mp4"})
    assert path.name == f"a.{'k' * 12}.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(store.outdir.stat().st_mode) == 0o700
    assert store.find("k" * 64)["reps"] == 3 and store.find("j" * 64) is None
    assert store.path_for("other/name.mp4", "k" * 64) == path  # a copy under another name: the same result
    store.close()
    assert ResultStore(tmp_path / "out").find("k" * 64)["reps"] == 3


def test_the_ray_engine_without_ray_is_one_clear_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(InputError, match=r'pip install "posecount\[cluster\]"'):
        run_engine("ray", [], 1)
    with pytest.raises(InputError, match="unknown engine"):
        run_engine("spark", [], 1)


def test_the_per_video_function_never_raises_for_a_bad_video(tmp_path):
    from posecount.pose import models

    model = models.resolve()
    (tmp_path / "text.mp4").write_text("not a video")
    job = VideoJob(str(tmp_path / "text.mp4"), "text.mp4", "k" * 64, "c" * 64, "auto", str(model.path),
                   model.name, model.sha256)
    outcome = run_video(job)
    assert outcome.keep and "cannot be read as a video" in outcome.error
    assert outcome.result["error"] == outcome.error and outcome.result["key"] == "k" * 64
    wrong = run_video(VideoJob(**{**job.__dict__, "model_sha256": "0" * 64}))
    assert "checksum" in wrong.error and not wrong.keep  # tried again next run


def test_bad_files_are_rows_with_their_error_and_the_exit_status_counts_them(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "text.mp4").write_text("hello")
    (tmp_path / "in" / "empty.mp4").write_bytes(b"")
    (tmp_path / "m.csv").write_text("path,profile\nin/nowhere.mp4,anna\n")
    out = tmp_path / "out"
    code = main(["batch", str(tmp_path / "in"), str(tmp_path / "m.csv"), "-o", str(out), "--no-progress"])
    assert code == 3
    rows = _rows(out)
    assert [(r["file"], r["profile"]) for r in rows] == [("in/empty.mp4", ""), ("in/text.mp4", ""),
                                                         ("in/nowhere.mp4", "anna")]
    assert [r["error"] for r in rows] == ["empty.mp4 is empty (0 bytes)",
                                          "text.mp4 cannot be read as a video (corrupt, or not a video file)",
                                          "video not found: in/nowhere.mp4"]
    for path in out.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
    assert "in/text.mp4: error:" in (out / "batch.log").read_text()
    assert str(tmp_path) not in (out / "summary.csv").read_text() + "".join(
        p.read_text() for p in (out / "results").iterdir())
    assert main(["batch", str(tmp_path / "in"), "-o", str(out), "--no-progress", "--exercise", "jump"]) == 2


# ---- with MediaPipe -------------------------------------------------------------------------

def _trimmed(src: Path, dest: Path, seconds: float) -> Path:
    """The first `seconds` of a fixture (one whole bridge in fx_bridge_side's first 10.5 s)."""
    cap = cv2.VideoCapture(str(src))
    fps = cap.get(cv2.CAP_PROP_FPS)
    ok, frame = cap.read()
    writer = cv2.VideoWriter(str(dest), cv2.VideoWriter_fourcc(*"mp4v"), fps, (frame.shape[1], frame.shape[0]))
    for _ in range(int(seconds * fps)):
        if not ok:
            break
        writer.write(frame)
        ok, frame = cap.read()
    writer.release()
    cap.release()
    return dest


@pytest.mark.slow
def test_batch_gives_the_same_result_as_analyze_and_a_rerun_skips_everything(tmp_path, capsys):
    from posecount.pipeline import analyze

    video = _trimmed(FIXTURE_VIDEOS / "fx_bridge_side.mp4", tmp_path / "bridge.mp4", 10.5)
    (tmp_path / "bad.mp4").write_text("not a video")
    direct = analyze(video, exercise="bridge").to_dict()
    assert direct["reps"] == 1
    out = tmp_path / "out"
    args = ["batch", str(video), str(tmp_path / "bad.mp4"), "-o", str(out), "-e", "bridge", "--jobs", "2",
            "--no-progress"]
    t0 = time.perf_counter()
    assert main(args) == 1
    first_s = time.perf_counter() - t0
    stored = json.loads(next((out / "results").glob("bridge.*.json")).read_text())
    for k in ("exercise", "reps", "repetitions", "rejected", "frames", "frames_with_pose", "warnings", "model_sha256"):
        assert stored[k] == direct[k], k
    assert stored["file"] == "bridge.mp4" and stored["error"] is None and len(stored["key"]) == 64
    first = (out / "summary.csv").read_text()
    row = _rows(out)[0]
    assert (row["reps"], row["holds"]) == ("1", f"{direct['repetitions'][0]['hold_s']:.2f}")
    capsys.readouterr()
    t0 = time.perf_counter()
    assert main(args) == 1
    assert "0 analysed, 2 done before" in capsys.readouterr().out
    assert time.perf_counter() - t0 < 0.1 * first_s
    assert (out / "summary.csv").read_text() == first


@pytest.mark.slow
def test_kill_9_mid_batch_then_a_rerun_gives_a_complete_summary_without_duplicates(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        write_video(folder / f"clip{i}.mp4", n_frames=20 + i)  # nobody in view: quick, 0 reps
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "posecount", "batch", str(folder), "-o", str(out), "--jobs", "1", "--no-progress"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((out / "results").glob("*.json"))) < 2:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the batch and its workers, mid-batch
    proc.wait()
    done_before = len(list((out / "results").glob("*.json")))
    assert 2 <= done_before < 6
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{6 - done_before} analysed, {done_before} done before" in rerun.stdout
    rows = _rows(out)
    assert [r["file"] for r in rows] == [f"in/clip{i}.mp4" for i in range(6)]
    assert all(r["error"] == "" and r["reps"] == "0" for r in rows)
    assert len(list((out / "results").glob("*.json"))) == 6


@pytest.mark.slow
def test_the_ray_engine_gives_the_same_summary_as_the_local_one(tmp_path):
    pytest.importorskip("ray", reason="ray is not installed (pip install 'posecount[cluster]')")
    (tmp_path / "in").mkdir()
    write_video(tmp_path / "in" / "clip.mp4", n_frames=20)
    (tmp_path / "in" / "bad.mp4").write_text("not a video")
    summaries = []
    for engine in ("local", "ray"):
        out = tmp_path / engine
        assert main(["batch", str(tmp_path / "in"), "-o", str(out), "--engine", engine, "--no-progress"]) == 1
        summaries.append([{k: v for k, v in r.items() if k != "frames_per_s"} for r in _rows(out)])
    assert summaries[0] == summaries[1]
    assert summaries[0][1]["reps"] == "0" and "cannot be read" in summaries[0][0]["error"]


def test_analysis_fps_keeps_at_most_that_many_frames_a_second_evenly(small_video):
    from posecount.media.sources import ThinnedSource, VideoSource

    with ThinnedSource(VideoSource(small_video), 10) as src:  # 30 frames at 30 fps
        times = [f.t_s for f in src]
        assert src.info.fps == 30.0 and src.info.frame_count == 10
    assert len(times) == 10
    assert max(b - a for a, b in zip(times, times[1:])) == pytest.approx(0.1, abs=0.004)
    with ThinnedSource(VideoSource(small_video), 60) as src:  # above the source rate: every frame
        assert len(list(src)) == 30
    with pytest.raises(InputError):
        ThinnedSource(VideoSource(small_video), 0)


@pytest.mark.slow
def test_save_stores_each_new_video_in_its_profiles_history_once_with_its_recorded_date(tmp_path, capsys):
    from posecount import profiles
    from posecount.progress.history import load_sessions, resolve_db_path

    clip = Path(__file__).parent / "fixtures" / "videos" / "fx_bridge_side.mp4"
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,profile,exercise,recorded\n{clip},anna,bridge,2026-11-20\n")
    args = ["batch", str(manifest), "-o", str(tmp_path / "out"), "--save", "--analysis-fps", "10", "--no-progress"]
    assert main(args) == 2 and not (tmp_path / "out").exists()  # anna is not a profile yet
    profiles.create("anna")
    assert main(args) == 0
    assert main(args) == 0  # the rerun analyses nothing, so stores nothing again
    (session,) = load_sessions(resolve_db_path(None, "anna"))
    assert (session.exercise, session.count(), session.day.isoformat()) == ("bridge", 2, "2026-11-20")
    assert load_sessions(resolve_db_path(None, "default")) == []
    assert "1 session(s) stored in the history: 1 in profile anna's" in capsys.readouterr().out
