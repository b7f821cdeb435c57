"""The live coach end to end on a video played as a camera (slow: runs MediaPipe)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from posecount.coach.live import LiveCoach, LiveOptions
from posecount.coach.speech import Speaker
from posecount.pipeline import analyze
from tests.conftest import FIXTURE_VIDEOS

pytestmark = pytest.mark.slow
CLIP = FIXTURE_VIDEOS / "fx_bridge_side.mp4"


def _coach(tmp_path: Path, source: Path = CLIP, **kw) -> tuple[LiveCoach, list[str]]:
    heard: list[str] = []
    opts = LiveOptions(exercise="bridge", source=str(source), window=False, realtime=kw.pop("realtime", False),
                       sessions_dir=tmp_path / "sessions", **kw)
    return LiveCoach(opts, speaker=Speaker(backend=heard.append)), heard


def _said(result, key: str) -> list[str]:
    return [cue.text for cue in result.spoken if cue.key == key]


def _saved(path: Path) -> dict:
    return json.loads(path.read_text())


@pytest.fixture(scope="module")
def offline() -> dict:
    """`analyze` of the clip, once for the module (MediaPipe: 20 s)."""
    return analyze(CLIP, exercise="bridge").to_dict()


def test_live_counts_what_analyze_counts_and_saves_the_session(tmp_path, offline):
    coach, heard = _coach(tmp_path)
    result = coach.run()
    record = _saved(result.saved_to)
    assert result.end_reason == "end of video" and result.frames_dropped == 0
    assert record["reps"] == offline["reps"]
    assert [r["end_s"] for r in record["repetitions"]] == [r["end_s"] for r in offline["repetitions"]]
    assert record["mode"] == "live" and record["end_reason"] == "end of video"
    assert record["started_at"] and record["exercise"] == "bridge"
    counted = [str(i) for i in range(1, offline["reps"] + 1)]
    assert _said(result, "count") == counted  # every rep announced, in order
    assert heard == [cue.text for cue in result.spoken]


def test_target_ends_the_session_with_a_spoken_done(tmp_path):
    coach, heard = _coach(tmp_path, target=1)
    result = coach.run()
    assert result.end_reason == "target reached"
    assert result.run.reps == 1 and _saved(result.saved_to)["reps"] == 1
    assert heard[-1] == "Well done, that's all for today"
    assert result.frames_read < cv2.VideoCapture(str(CLIP)).get(cv2.CAP_PROP_FRAME_COUNT)


def test_ctrl_c_keeps_what_was_counted(tmp_path):
    coach, _ = _coach(tmp_path, realtime=True)
    timer = threading.Timer(2.0, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    result = coach.run()
    timer.cancel()
    record = _saved(result.saved_to)
    assert result.end_reason == "interrupted" and record["end_reason"] == "interrupted"
    assert 0 < record["frames"] < 582


def _cut(src: Path, dest: Path, seconds: float) -> Path:
    cap = cv2.VideoCapture(str(src))
    fps = cap.get(cv2.CAP_PROP_FPS)
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    out = cv2.VideoWriter(str(dest), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    for _ in range(int(seconds * fps)):
        ok, frame = cap.read()
        if not ok:
            break
        out.write(frame)
    out.release()
    return dest


def test_source_ending_mid_rep_keeps_the_finished_reps(tmp_path):
    truth = json.loads(CLIP.with_suffix(".json").read_text())
    second = truth["reps"][1]
    mid_rise = (second["start_s"] + second["top_s"]) / 2
    clip = _cut(CLIP, tmp_path / "cut.mp4", mid_rise)
    coach, _ = _coach(tmp_path, source=clip)
    result = coach.run()
    record = _saved(result.saved_to)
    assert result.end_reason == "end of video"
    assert record["reps"] == analyze(clip, exercise="bridge").reps
    assert all(r["end_s"] <= mid_rise for r in record["repetitions"])


def test_cli_live_prints_where_the_session_went(tmp_path):
    env = {**os.environ, "POSECOUNT_DATA_DIR": str(tmp_path)}
    args = ["live", "--source", str(CLIP), "--exercise", "bridge", "--no-window", "--quiet", "--no-realtime",
            "--lang", "nl", "--target", "1"]  # ends at the first rep: the path is what is checked
    proc = subprocess.run([sys.executable, "-m", "posecount", *args], capture_output=True, text=True, env=env,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    saved = list((tmp_path / "sessions").glob("*.json"))
    assert len(saved) == 1 and saved[0].name in proc.stdout.replace("\n", "")
    assert _saved(saved[0])["lang"] == "nl"


def test_missing_camera_is_one_sentence():
    args = ["live", "--camera", "9", "--no-window", "--quiet"]
    proc = subprocess.run([sys.executable, "-m", "posecount", *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "posecount: error: no camera found at index 9" in proc.stderr and "Traceback" not in proc.stderr


@pytest.fixture
def xvfb_display():
    if shutil.which("Xvfb") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Xvfb (see .ci/run)")
        pytest.skip("Xvfb is not installed")
    # -displayfd: Xvfb picks a free display and writes its number (test workers may run several)
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24",
                               "-nolisten", "tcp"], pass_fds=(write_fd,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as ready:
        number = ready.readline().strip()
    if not number:
        server.kill()
        pytest.fail("Xvfb did not start")
    display = f":{number}"
    old = os.environ.get("DISPLAY")
    os.environ["DISPLAY"] = display
    yield display
    server.terminate()
    server.wait(5)
    if old is None:
        os.environ.pop("DISPLAY", None)
    else:
        os.environ["DISPLAY"] = old


def _best_shot_of_a_live_run(tmp_path: Path, display: str) -> tuple[np.ndarray, str]:
    """`posecount live` on the clip, in a full-screen window of its own process on `display`:
    the fullest of the screenshots taken every 0.1 s while it runs (the window paints when its
    loop next handles events, which on a loaded machine can take a while), and what it printed."""
    from PIL import ImageGrab

    env = os.environ | {"DISPLAY": display, "POSECOUNT_DATA_DIR": str(tmp_path)}
    args = ["live", "--source", str(CLIP), "--exercise", "bridge", "--target", "1", "--quiet", "--no-realtime",
            "--no-save"]
    proc = subprocess.Popen([sys.executable, "-m", "posecount", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    best, best_key = None, (-1.0, -1.0)
    while proc.poll() is None:
        shot = np.asarray(ImageGrab.grab(xdisplay=display))
        lit = shot.max(axis=2) > 30
        key = (float(lit[:, lit.shape[1] // 2].mean()), float(shot.std()))
        if key > best_key:
            best, best_key = shot, key
        time.sleep(0.1)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert best is not None, "the session ended before a screenshot"
    return best, out


def test_window_fills_the_screen_and_shows_the_picture(tmp_path, xvfb_display):
    # On an X server without a window manager, OpenCV's Qt window stays unpainted (black) for a
    # whole session now and then: 2 of 8 runs with both cores busy, as on CI (1 of 3 runs there).
    # Not understood (see the issue notes; not cured by handling Qt's events before sizing the
    # window, by leaving out the full-screen property or by QT_X11_NO_MITSHM): a second run, in a
    # process of its own, is allowed; what is asserted must hold on one run entirely.
    for attempt in range(2):
        shot, out = _best_shot_of_a_live_run(tmp_path / str(attempt), xvfb_display)
        if shot.max() > 30:
            break
    Path(tmp_path / "window.png").write_bytes(cv2.imencode(".png", shot[:, :, ::-1])[1].tobytes())
    lit = shot.max(axis=2) > 30
    assert lit[:, lit.shape[1] // 2].mean() > 0.95  # the picture fills the screen's height: full screen
    assert shot[lit].std() > 20  # and shows a picture, not a flat colour
    assert "session ended (target reached)" in out.replace("\n", " ")


def test_the_app_gets_the_frame_with_panels_and_the_state_with_the_frame_without(tmp_path):
    frames, states = [], []
    opts = LiveOptions(exercise="bridge", source=str(CLIP), window=False, realtime=False, target=1,
                       sessions_dir=tmp_path / "s")
    LiveCoach(opts, speaker=Speaker(backend=lambda text: None), on_frame=frames.append,
              on_state=lambda image, state: states.append((image, state))).run()
    (plain, _), (drawn, last) = states[len(frames) - 1], (frames[-1], states[-1][1])
    assert plain.shape == drawn.shape and not np.array_equal(plain, drawn)  # the panels only in on_frame
    assert last.finished and last.end_reason == "target reached" and last.message == "Well done!"
    assert last.count == last.total == 1 and last.target == 1 and last.hold_goal_s == 5.0
    assert not any(s.finished for _, s in states[:-1]) and states[-2][1].ready


@pytest.mark.parametrize("display", [None, ":5937"])
def test_live_without_a_display_counts_on_without_a_window(tmp_path, display):
    """No DISPLAY, or one where no X server runs: one line of warning, no crash inside Qt."""
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"} | {"POSECOUNT_DATA_DIR": str(tmp_path)}
    if display:
        env["DISPLAY"] = display
    clip = _cut(CLIP, tmp_path / "cut.mp4", 2.0)  # what is checked is the start, not the counting
    args = ["live", "--source", str(clip), "--exercise", "bridge", "--quiet", "--no-realtime", "--no-save"]
    proc = subprocess.run([sys.executable, "-m", "posecount", *args], capture_output=True, text=True, env=env,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    warning = [line for line in proc.stderr.splitlines() if "without a window" in line]
    assert len(warning) == 1 and ("DISPLAY is not set" if display is None else display) in warning[0]
    assert "session ended (end of video)" in proc.stdout.replace("\n", " ")


def test_paused_from_the_start_counts_nothing(tmp_path):
    coach, _ = _coach(tmp_path, source=_cut(CLIP, tmp_path / "cut.mp4", 3.0))  # paused: nothing to count anyway
    states = []
    coach.on_state = lambda image, state: states.append(state)
    coach.set_paused(True)
    result = coach.run()
    assert result.run.reps == 0 and states and all(s.paused and s.message == "Paused" for s in states[:-1])
    assert _saved(result.saved_to)["reps"] == 0 and any("paused throughout" in w for w in result.run.warnings)


def test_live_auto_records_and_names_the_session_as_the_chosen_exercise(tmp_path, offline):
    """`live --exercise auto` on a bridge video: the session file, its record and the hold goal are the bridge's."""
    heard: list[str] = []
    opts = LiveOptions(exercise="auto", source=str(CLIP), window=False, realtime=False,
                       sessions_dir=tmp_path / "sessions")
    result = LiveCoach(opts, speaker=Speaker(backend=heard.append)).run()
    files = sorted((tmp_path / "sessions").glob("*.json"))
    assert [f.name.rsplit("_", 1)[1] for f in files] == ["bridge.json"]  # no "…_auto.json" left behind
    record = _saved(files[0])
    assert record["exercise"] == "bridge" and record["reps"] == offline["reps"]
    assert _said(result, "hold_left")  # the hold countdown ran: it needs the bridge's hold goal
