"""Nothing leaves the machine: every command, run under strace, makes no network attempt.

mediapipe's own usage uploader would resolve and contact a Google host on every run (see
`posecount.pose.telemetry`); these tests fail if it, or anything else, tries. The model is
put in place first: its first-run download is the one announced use of the network.
CI installs strace (`.ci/run`) and sets POSECOUNT_REQUIRE_STRACE=1, so there it never skips.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_VIDEOS
from tests.netwatch import network_attempts, posecount_cmd, run_traced, strace_exe

FIXTURE = FIXTURE_VIDEOS / "fx_negative_walking.mp4"  # the shortest fixture: 7 s, 210 frames

if not strace_exe():
    if os.environ.get("POSECOUNT_REQUIRE_STRACE"):
        raise RuntimeError("strace is required here (POSECOUNT_REQUIRE_STRACE is set): apt install strace")
    pytest.skip("strace is not installed (apt install strace)", allow_module_level=True)


@pytest.fixture(scope="module")
def model_in_place():
    """Resolves (and on a first run fetches) the model before anything runs under strace."""
    from posecount.pose import models

    return models.resolve()


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    """The fixture's first 2 s: the uploader starts with the landmarker, so 60 frames show it."""
    import cv2

    path = tmp_path_factory.mktemp("clip") / "walk.mp4"
    cap = cv2.VideoCapture(str(FIXTURE))
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    ok, frame = cap.read()
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (frame.shape[1], frame.shape[0]))
    for _ in range(60):
        writer.write(frame)
        ok, frame = cap.read()
        if not ok:
            break
    writer.release()
    cap.release()
    return path


@pytest.fixture
def traced_env(tmp_path, model_in_place) -> dict[str, str]:
    return {**os.environ, "POSECOUNT_DATA_DIR": str(tmp_path / "data"), "POSECOUNT_DB": str(tmp_path / "h.sqlite3"),
            "POSECOUNT_MODEL": str(model_in_place.path), "POSECOUNT_LANG": "en"}


# ------------------------------------------------------------------ the test of the test

def test_the_watch_sees_a_dns_query_and_a_connection_made_on_purpose(tmp_path):
    code = ("import socket\n"
            "try: socket.getaddrinfo('posecount-test.example', 80)\n"
            "except OSError: pass\n"
            "s = socket.socket(); s.settimeout(0.3)\n"
            "try: s.connect(('192.0.2.7', 443))\n"  # TEST-NET-1: never routed anywhere real
            "except OSError: pass\n")
    proc, attempts = run_traced([sys.executable, "-c", code], tmp_path / "st.txt")
    assert proc.returncode == 0, proc.stderr
    assert any(a.port == 53 for a in attempts), attempts  # the resolver's query
    assert any(a.address == "192.0.2.7" and a.port == 443 for a in attempts), attempts


def test_the_watch_lets_loopback_through(tmp_path):
    code = ("import socket\n"
            "s = socket.socket(); s.settimeout(0.3)\n"
            "try: s.connect(('127.0.0.1', 9))\n"
            "except OSError: pass\n")
    _, attempts = run_traced([sys.executable, "-c", code], tmp_path / "st.txt")
    assert attempts == []


def test_the_parser_reads_ipv6_and_udp_lines():
    trace = "\n".join([
        '12 connect(5, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "2001:db8::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 ENETUNREACH',
        '12 connect(5, {sa_family=AF_INET6, sin6_port=htons(8080), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
        '13 sendto(6, "x", 1, 0, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.53")}, 16) = 1',
        '14 connect(7, {sa_family=AF_UNIX, sun_path="/run/x"}, 110) = 0',
    ])
    assert [(a.address, a.port) for a in network_attempts(trace)] == [("2001:db8::1", 443), ("127.0.0.53", 53)]


# ------------------------------------------------------------------ every command

def _commands(tmp_path: Path, clip: Path | str = "clip.mp4") -> dict[str, list[str]]:
    clip = str(clip)
    return {
        "analyze": ["analyze", clip, "--exercise", "side-raise", "--json"],
        "track": ["track", clip, "-o", str(tmp_path / "run.npz")],
        "report": ["report", clip, "--exercise", "bridge", "-o", str(tmp_path / "report.html")],
        "annotate": ["annotate", clip, "--exercise", "step-up", "-o", str(tmp_path / "out.mp4")],
        "live": ["live", "--source", clip, "--exercise", "bridge", "--no-window", "--quiet", "--no-realtime"],
        "log": ["log", "bridge", "--reps", "5", "--pain", "2"],
        "plan": ["plan"],
        "history": ["history"],
        "data": ["data"],
        "batch": ["batch", clip, "-o", str(tmp_path / "batch"), "--exercise", "bridge"],
        "batch-ray": ["batch", clip, "-o", str(tmp_path / "batch-ray"), "--exercise", "bridge", "--engine", "ray"],
    }


@pytest.mark.slow
@pytest.mark.parametrize("command", list(_commands(Path("/x"))))
def test_no_command_attempts_a_network_connection(command, tmp_path, traced_env, clip):
    if command == "batch-ray" and importlib.util.find_spec("ray") is None:
        pytest.skip('Ray is not installed (pip install "posecount[cluster]")')
    args = _commands(tmp_path, clip)[command]
    proc, attempts = run_traced(posecount_cmd(*args), tmp_path / "st.txt", env=traced_env, stdin="\n\n\n")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert attempts == [], "\n".join(a.line for a in attempts)


@pytest.mark.slow
def test_the_uploader_stays_quiet_even_when_the_person_bypasses_every_proxy(tmp_path, traced_env, clip):
    """A NO_PROXY=* of the person's must not let mediapipe's uploader go direct."""
    env = {**traced_env, "NO_PROXY": "*", "no_proxy": "*"}
    proc, attempts = run_traced(posecount_cmd("analyze", str(clip), "--exercise", "bridge", "--json"),
                                tmp_path / "st.txt", env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert attempts == [], "\n".join(a.line for a in attempts)


@pytest.mark.slow
def test_the_app_attempts_no_network_connection(tmp_path, traced_env, clip):
    """`posecount app` under strace: the page, the home data, a session on the clip to its end, the
    server stopped with Ctrl-C. Only the test's own requests to the loopback server are made."""
    import json
    import re
    import signal
    import subprocess
    import time
    import urllib.request

    from tests.netwatch import SYSCALLS

    trace = tmp_path / "st.txt"
    cmd = [strace_exe(), "-f", "-qq", "-e", f"trace={SYSCALLS}", "-o", str(trace),
           *posecount_cmd("app", "--no-browser", "--source", str(clip))]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=traced_env)
    try:
        url = None
        for _ in range(20):
            match = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=(\S+)", proc.stdout.readline())
            if match:
                base, token = f"http://127.0.0.1:{match.group(1)}", match.group(2)
                url = match.group(0)
                break
        assert url, proc.stderr.read()[-2000:]
        assert b"posecount" in urllib.request.urlopen(url, timeout=30).read()
        urllib.request.urlopen(f"{base}/api/home?token={token}", timeout=30).read()
        start = urllib.request.Request(f"{base}/api/session/start?token={token}&client=t", method="POST",
                                       data=json.dumps({"exercise": "bridge", "client": "t"}).encode(),
                                       headers={"content-type": "application/json"})
        urllib.request.urlopen(start, timeout=60).read()
        for _ in range(240):
            state = json.loads(urllib.request.urlopen(f"{base}/api/session/state?token={token}&client=t",
                                                      timeout=30).read())
            if state["finished"]:
                break
            time.sleep(0.25)
        assert state["finished"], state
    finally:
        app_pid = next((int(p) for p in _children(proc.pid)), None)
        os.kill(app_pid or proc.pid, signal.SIGINT)
        proc.wait(60)
    attempts = network_attempts(trace.read_text(errors="replace"))
    assert attempts == [], "\n".join(a.line for a in attempts)


def _children(pid: int) -> list[str]:
    """The child processes of `pid` (strace's: the traced app)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += task.read_text().split()
    return found
