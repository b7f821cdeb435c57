"""`posecount report --pdf`: printed by a local headless Chromium, offline; a clear line without one."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from posecount.cli import main
from posecount.errors import OutputError
from posecount.report import pdf
from tests.netwatch import PROBE_SYSCALLS, attempts_but_route_probes, posecount_cmd, run_traced, strace_exe
from tests.report_synth import Clip, make_clip
from tests.test_report_browser import CHROMIUM, needs_chromium


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Clip:
    return make_clip(tmp_path_factory.mktemp("clip"))


def _pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", data))


def test_the_command_line_keeps_the_browser_offline_and_apart():
    cmd = pdf.print_command("/usr/bin/chromium", Path("r.html"), Path("/tmp/x/r.pdf"), Path("/tmp/x/profile"))
    assert cmd[:2] == ["/usr/bin/chromium", "--headless"] and "--no-sandbox" not in cmd
    for flag in ("--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=/tmp/x/profile", "--no-pdf-header-footer",
                 "--print-to-pdf=/tmp/x/r.pdf"):
        assert flag in cmd
    assert cmd[-1].startswith("file://") and cmd[-1].endswith("/r.html")
    assert "--no-sandbox" in pdf.print_command("chromium", Path("r.html"), Path("r.pdf"), Path("p"), as_root=True)


def test_no_browser_is_one_line_before_any_work(clip, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv(pdf.ENV_BROWSER, raising=False)
    with pytest.raises(OutputError, match="no Chromium or Chrome found"):
        pdf.find_browser()
    out = tmp_path / "r.pdf"
    code = main(["report", str(clip.track_path), "-e", "bridge", "--pdf", str(out), "--no-progress"])
    err = capsys.readouterr()
    assert code == 4 and err.err.count("\n") == 1 and "no Chromium or Chrome found" in err.err
    assert "repetition" not in err.out and not out.exists()  # nothing analysed, nothing written
    monkeypatch.setenv(pdf.ENV_BROWSER, "no-such-browser")
    with pytest.raises(OutputError, match="POSECOUNT_BROWSER=no-such-browser is not a program"):
        pdf.find_browser()


def test_a_report_needs_somewhere_to_go(clip, tmp_path, capsys):
    assert main(["report", str(clip.track_path), "--no-progress"]) == 2
    assert "-o FILE.html, --pdf FILE.pdf" in capsys.readouterr().err
    assert main(["report", str(clip.track_path), "--pdf", str(tmp_path / "r.html"), "--no-progress"]) == 4


def test_route_probes_are_told_from_attempts():
    trace = "\n".join([
        '7 socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 21',
        '7 connect(21, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0}, 28) = 0',
        '7 close(21) = 0',
        '7 sendto(21, "x", 1, 0, NULL, 0) = 1',  # fd 21 is something else now
        '8 socket(AF_INET, SOCK_DGRAM, IPPROTO_IP <unfinished ...>',
        '8 <... socket resumed>) = 5',
        '8 connect(5, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("8.8.8.8")}, 16) = 0',
        '8 write(5, "data", 4) = 4',  # a datagram sent: an attempt
        '9 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 6',
        '9 connect(6, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("1.2.3.4")}, 16) = 0',
        '9 socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 7',
        '9 connect(7, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.53")}, 16) = 0',
    ])
    attempts, probes = attempts_but_route_probes(trace)
    assert [(a.address, a.port) for a in probes] == [("2001:4860:4860::8888", 443)]
    assert [(a.address, a.port) for a in attempts] == [("8.8.8.8", 443), ("1.2.3.4", 443), ("127.0.0.53", 53)]


@needs_chromium
def test_pdf_of_a_report_offline(clip, tmp_path):
    """The whole command under strace: a PDF of A4 pages, and nothing leaves the machine (Chromium's
    IPv6 route probe, a UDP connect that sends nothing, is all there is)."""
    if not strace_exe():
        pytest.skip("strace is not installed")
    out = tmp_path / "report.pdf"
    env = {**os.environ, "POSECOUNT_DATA_DIR": str(tmp_path / "data"), pdf.ENV_BROWSER: CHROMIUM,
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    args = posecount_cmd("report", str(clip.track_path), "--video", str(clip.video), "-e", "bridge", "--pdf",
                         str(out), "--no-progress", "--recorded", "2026-11-28")
    proc, _ = run_traced(args, tmp_path / "st.txt", env=env, syscalls=PROBE_SYSCALLS)
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and 1 <= _pages(data) <= 3
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", data)
    assert box and abs(float(box[1]) - 595) < 2 and abs(float(box[2]) - 842) < 2, "A4"
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    attempts, probes = attempts_but_route_probes((tmp_path / "st.txt").read_text(errors="replace"))
    assert attempts == [], attempts[:3]
    assert all(p.port != 53 for p in probes)
    assert not list(tmp_path.glob(".*part*")) and not (tmp_path / "data").exists()
