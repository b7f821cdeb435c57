"""The app's server without a browser or a model: the token and Host checks, profiles, home data,
the end screen's words, the launcher, and bad input (issue 16)."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from posecount.analysis.events import Rep
from posecount.app import home, launcher
from posecount.app.coach_session import SessionRequest, summary_words
from posecount.app.security import COOKIE, Guard
from posecount.app.texts import TEXTS
from posecount.progress.records import SessionRecord
from tests import app_server


@pytest.fixture
def server():
    running = app_server.start()
    yield running
    running.stop()


# --- security ---------------------------------------------------------------------------------------
def test_guard_wants_our_host_and_the_token():
    g = Guard("secret", 8765)
    assert g.check("127.0.0.1:8765", "secret", None, None) is None
    assert g.check("localhost:8765", None, "secret", None) is None
    assert g.check("127.0.0.1:8765", None, None, f"{COOKIE}=secret; other=1") is None
    assert g.check("127.0.0.1:8765", "wrong", None, None) == "token"
    assert g.check("127.0.0.1:8765", None, None, None) == "token"
    assert g.check("127.0.0.1:8765", None, None, "garbage=\"") == "token"
    assert g.check("evil.example:8765", "secret", None, None) == "host"  # DNS rebinding
    assert g.check("127.0.0.1:9999", "secret", None, None) == "host"
    assert g.check(None, "secret", None, None) == "host"


def test_every_page_api_call_and_stream_needs_the_token(server):
    for path in ("/", "/api/home", "/api/config", "/api/session/state?client=x", "/api/session/frame?client=x",
                 "/api/videos", "/static/app.js"):
        status, _ = server.call(path, token=False)
        assert status == 401, path
        status, _ = server.call(path, token=False, headers={"x-posecount-token": "not-it"})
        assert status == 401, path
    status, _ = server.call("/api/home", headers={"host": f"evil.example:{server.port}"})
    assert status == 403


def test_the_token_in_the_link_sets_a_cookie_that_later_requests_carry(server):
    import urllib.request

    with urllib.request.urlopen(server.url, timeout=10) as res:
        cookie = res.headers.get("set-cookie", "")
        page = res.read().decode()
    assert f"{COOKIE}={server.token}" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "<script src=\"/static/app.js\">" in page
    req = urllib.request.Request(server.base + "/api/config", headers={"cookie": cookie.split(";")[0]})
    with urllib.request.urlopen(req, timeout=10) as res:
        assert res.status == 200


def test_the_page_loads_nothing_from_elsewhere():
    static = Path(launcher.__file__).with_name("static")
    for path in static.iterdir():
        text = path.read_text()
        assert "http://" not in text.replace("http://www.w3.org/2000/svg", "") and "https://" not in text, path.name


# --- data the pages show ----------------------------------------------------------------------------
def test_home_shows_todays_plan_the_last_sessions_and_the_chart(server):
    status, data = server.call("/api/home?lang=nl")
    assert status == 200
    assert [t["exercise"] for t in data["targets"]] == ["bridge", "side-raise", "step-up"]
    assert data["targets"][1]["per_side"] == {"left": 3, "right": 3} and data["targets"][1]["side"] is None
    assert data["targets"][0]["title"] == "Bruggetje" and data["targets"][0]["amount"] == "3"
    assert data["last_sessions"] == [] and data["due"] is True


def test_home_data_lists_sessions_newest_first_and_charts_the_last_weeks():
    today = date(2026, 12, 1)

    def session(days_ago: int, n: int) -> SessionRecord:
        reps = tuple(Rep(index=i + 1, start_s=0.0, top_s=1.0, hold_s=5.0 + i, end_s=8.0) for i in range(n))
        return SessionRecord(datetime(2026, 12, 1, 10) - timedelta(days=days_ago), "bridge", "basic", reps,
                             pain=2, kind="live", id=days_ago)
    sessions = [session(90, 3), session(9, 4), session(2, 5)]
    data = home.home_data(sessions, "en", today)
    assert [s["reps"] for s in data["last_sessions"]] == [5, 4, 3]
    assert data["last_sessions"][0]["hold_s"] == [5.0, 9.0]
    bridge = next(s for s in data["chart"]["series"] if s["exercise"] == "bridge")
    assert bridge["points"] == [["2026-11-22", 4], ["2026-11-29", 5]]  # 90 days ago is off the chart


def test_the_end_screen_says_what_was_done_in_words():
    req = SessionRequest("bridge", 5, "en", "default", "0", Path("."), Path("h.sqlite3"))
    body = {"repetitions": [{"hold_s": 4.2}, {"hold_s": 5.6}, {"hold_s": 6.1}, {"hold_s": 4.9}, {"hold_s": 5.0}]}
    assert summary_words(body, req, 6)["text"] == "5 bridges, held 4–6 s; next time 6"
    nl = SessionRequest("bridge", 5, "nl", "default", "0", Path("."), Path("h.sqlite3"))
    assert summary_words({"repetitions": [{"hold_s": 5.0}]}, nl, None)["text"] == "1 bruggetje, 5 s vastgehouden"


def test_both_languages_have_every_text():
    assert set(TEXTS["nl"]) == set(TEXTS["en"])
    js = (Path(launcher.__file__).with_name("static") / "app.js").read_text()
    html = (Path(launcher.__file__).with_name("static") / "index.html").read_text()
    import re

    used = set(re.findall(r'\bt\("(\w+)"', js)) | set(re.findall(r'data-t="(\w+)"', html))
    used |= {f"side_{side}" for side in ("left", "right")} - {"side_"}  # t("side_" + target.side)
    assert used - {"side_"} <= set(TEXTS["en"]), used - set(TEXTS["en"])


# --- profiles and bad input -------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["a/b", "x" * 500, "", "../etc", ".hidden"])
def test_a_bad_profile_name_is_one_message_and_nothing_is_created(server, name, private_user_data):
    status, data = server.call("/api/profiles", {"name": name})
    assert status == 400 and data["error"] and "\n" not in data["error"]
    assert not (private_user_data / "profiles").exists() or not any((private_user_data / "profiles").iterdir())
    if name:  # (an empty one means the app's own profile)
        status, data = server.call("/api/home?profile=" + name.replace("/", "%2F"))
        assert status == 400


def test_a_new_profile_has_its_own_empty_history(server, private_user_data):
    status, data = server.call("/api/profiles", {"name": "Anna de Vries"})
    assert status == 200 and data["profiles"] == ["default", "Anna de Vries"]
    assert (private_user_data / "profiles" / "Anna de Vries").is_dir()
    status, data = server.call("/api/home?profile=Anna%20de%20Vries")
    assert status == 200 and data["profile"] == "Anna de Vries" and data["last_sessions"] == []


def test_unknown_exercise_and_missing_session_are_clear(server):
    status, data = server.call("/api/session/start", {"exercise": "squat", "client": "a"})
    assert status == 400 and "squat" in data["error"]
    status, data = server.call("/api/session/state?client=a")
    assert status == 404


def test_an_empty_upload_is_refused(server):
    status, data = server.call("/api/videos?name=x.mp4", method="PUT", body=None)
    assert status == 400 and "empty" in data["error"]


def test_a_taken_port_is_one_line_and_a_non_zero_exit(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "posecount", "app", "--no-browser", "--port", str(port)],
                              capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "taken" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_a_missing_source_video_is_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "posecount", "app", "--no-browser", "--source",
                           str(tmp_path / "nope.mp4")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "not found" in proc.stderr and "Traceback" not in proc.stderr


# --- launcher ---------------------------------------------------------------------------------------
def test_the_launcher_adds_a_menu_entry_that_starts_this_pythons_app(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    (tmp_path / "Desktop").mkdir()
    written = launcher.install(home=tmp_path, platform="linux")
    entry = (tmp_path / "share" / "applications" / "posecount.desktop").read_text()
    assert written[0].name == "posecount.desktop" and (tmp_path / "Desktop" / "posecount.desktop").exists()
    assert f"Exec={sys.executable} -m posecount app" in entry and "Terminal=false" in entry
    assert "Icon=" in entry and Path(entry.split("Icon=")[1].splitlines()[0]).is_file()
    win = launcher.install(home=tmp_path, platform="win32")[0]
    assert win.suffix == ".cmd" and "posecount app" in win.read_text().replace('"', "")
    mac = launcher.install(home=tmp_path, platform="darwin")[0]
    assert mac.name == "posecount.command" and mac.stat().st_mode & 0o100


def test_a_file_that_is_no_video_fails_with_its_reason_on_screen(server):
    import json
    import time
    import urllib.request

    req = urllib.request.Request(f"{server.base}/api/videos?token={server.token}&name=notes.mp4", data=b"hello",
                                 method="PUT")
    job = json.loads(urllib.request.urlopen(req, timeout=30).read())
    for _ in range(100):
        status, job = server.call(f"/api/videos/{job['id']}")
        if job["phase"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert job["phase"] == "failed"
    assert job["error"] == "notes.mp4 cannot be read as a video (corrupt, or not a video file)"
    status, listed = server.call("/api/videos")
    assert [v["phase"] for v in listed["videos"]] == ["failed"]
