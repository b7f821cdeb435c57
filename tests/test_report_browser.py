"""The report renders in headless Chromium: a non-blank page, one table row per rep, the chart and
the key frames present, nothing fetched from outside, faces blurred in the pictures.

Needs Chromium (`apt-get install -y chromium`); skipped with a message when it is missing.
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from posecount.cli.report_commands import register
from tests.report_synth import Clip, make_clip

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             shutil.which("google-chrome"), "/usr/bin/chromium") if p and Path(p).exists()), None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium)")


def _chromium(args: list[str], tmp: Path) -> subprocess.CompletedProcess:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp / 'profile'}",
           *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90, check=False)


def screenshot(html: Path, tmp: Path) -> np.ndarray:
    png = tmp / f"{html.stem}.png"
    proc = _chromium([f"--screenshot={png}", "--window-size=1200,3000", html.resolve().as_uri()], tmp)
    assert png.is_file(), proc.stderr[-2000:]
    image = cv2.imread(str(png))
    assert image is not None
    return image


def dom(html: Path, tmp: Path) -> str:
    """The page as Chromium parsed it (so the counts below are what a browser shows)."""
    proc = _chromium(["--dump-dom", html.resolve().as_uri()], tmp)
    assert "<html" in proc.stdout, proc.stderr[-2000:]
    return proc.stdout


def assert_not_blank(image: np.ndarray) -> None:
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    inked = float((grey < 200).mean())
    assert inked > 0.01, f"only {100 * inked:.2f}% of the page has ink: blank?"
    assert grey.std() > 10


def app() -> typer.Typer:
    a = typer.Typer()
    register(a)
    return a


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Clip:
    return make_clip(tmp_path_factory.mktemp("clip"))


def _report(clip: Clip, out: Path, *extra: str) -> str:
    res = CliRunner().invoke(app(), ["report", str(clip.track_path), "--video", str(clip.video), "-e", "bridge",
                                     "-o", str(out), "--no-progress", "--no-history", *extra])
    assert res.exit_code == 0, res.output + repr(res.exception)
    return out.read_text(encoding="utf-8")


def _key_frames(html: str) -> list[np.ndarray]:
    data = re.findall(r'src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)"', html)
    return [cv2.imdecode(np.frombuffer(base64.b64decode(d), np.uint8), cv2.IMREAD_COLOR) for d in data]


def _face_var(image: np.ndarray, clip: Clip, frame: int) -> float:
    from posecount.report.keyframes import body_box, crop_pose

    pose = clip.track.frame(frame)
    pose = crop_pose(pose, body_box(pose))  # key frames are cropped to the body
    h, w = image.shape[:2]
    face = pose.image_xy[:11] * np.array([w, h])
    x, y = np.round(np.nanmean(face, axis=0)).astype(int)
    r = max(4, round(14 * w / 640))
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY).astype(float)
    # The upper-left part of the noise "face": the drawn neck lines run to the right of it.
    return float(grey[y - r:y - 2, x - r:x].var())


def test_report_html_is_self_contained(clip, tmp_path):
    html = _report(clip, tmp_path / "r.html")
    assert not EXTERNAL.search(html)
    assert str(tmp_path) not in html and str(clip.video.parent) not in html, "no absolute paths"
    assert clip.video.name in html
    assert len(_key_frames(html)) == 2


def test_key_frames_are_blurred_unless_asked_not_to(clip, tmp_path):
    blurred = _key_frames(_report(clip, tmp_path / "b.html"))
    clear = _key_frames(_report(clip, tmp_path / "c.html", "--no-blur"))
    from posecount.pipeline import analyze
    from posecount.report.timeline import key_frames

    frames = [k.frame for k in key_frames(analyze(clip.track_path, exercise="bridge").analysis)]
    for b, c, i in zip(blurred, clear, frames):
        vb, vc = _face_var(b, clip, i), _face_var(c, clip, i)
        assert vb < 0.4 * vc, f"face not blurred in key frame {i}: variance {vb:.0f} vs {vc:.0f}"
        assert vc > 1000, "without blur the face's detail stays"


@needs_chromium
def test_report_renders_in_chromium(clip, tmp_path):
    from posecount.pipeline import analyze

    reps = analyze(clip.track_path, exercise="bridge").analysis.reps
    flagged = sum(1 for r in reps if r.flags)
    assert len(reps) == 2 and flagged >= 1, "the clip has two bridges, the second held too short"
    out = tmp_path / "report.html"
    _report(clip, out, "--lang", "nl")
    shot = screenshot(out, tmp_path)
    assert_not_blank(shot)
    # A flagged rep is shaded red in the chart and its table row is pink: reddish pixels exist.
    b, g, r = (shot[..., i].astype(int) for i in range(3))
    assert ((r - b > 25) & (r - g > 15)).sum() > 500
    page = dom(out, tmp_path)
    body = page.split('id="rep-table"', 1)[1].split("</tbody>", 1)[0]
    assert body.count("<tr") == 1 + len(reps), "a header and one table row per counted rep"
    assert page.count('class="flagged"') == 2 * flagged  # each flagged row and its key frame
    assert page.count("<svg") == 1 and 'id="rep-1' in page and 'id="hold-2"' in page
    assert page.count("<img") == len(reps)
    assert "Samenvatting volgens de folder" in page
    pdf = tmp_path / "report.pdf"
    _chromium(["--no-pdf-header-footer", f"--print-to-pdf={pdf}", out.resolve().as_uri()], tmp_path)
    pages = re.findall(rb"/Type\s*/Page\b", pdf.read_bytes())
    assert 1 <= len(pages) <= 3, f"the report prints on {len(pages)} A4 pages"
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", pdf.read_bytes())
    assert box and abs(float(box[1]) - 595) < 2 and abs(float(box[2]) - 842) < 2, "A4 (@page size)"


@pytest.mark.slow
@needs_chromium
def test_report_of_a_real_video(shared_videos, tmp_path):
    """MediaPipe on a real clip, then the report in Chromium: as many table rows as reps counted."""
    video = shared_videos / "bridge_lena_1.mp4"
    out = tmp_path / "lena.html"
    res = CliRunner().invoke(app(), ["report", str(video), "-e", "bridge", "-o", str(out), "--no-progress",
                                     "--no-history"])
    assert res.exit_code == 0, res.output + repr(res.exception)
    reps = int(re.search(r"(\d+) repetition", res.output).group(1))
    assert reps >= 1
    html = out.read_text(encoding="utf-8")
    assert not EXTERNAL.search(html) and str(shared_videos) not in html
    assert_not_blank(screenshot(out, tmp_path))
    page = dom(out, tmp_path)
    assert page.split('id="rep-table"', 1)[1].split("</tbody>", 1)[0].count("<tr") == 1 + reps
    assert page.count("<img") == reps and page.count("<svg") == 1
