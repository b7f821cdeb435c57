"""The report as a PDF: the HTML printed by a locally installed Chromium or Chrome, headless and offline.

The browser gets a fresh, throw-away profile and home folder, every background service off
(updates, sync, metrics, safe browsing, translation), a host resolver that resolves nothing and
a proxy on the loopback discard port: a report is one self-contained file and needs nothing
from outside, so nothing can leave the machine while it prints.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from posecount.errors import OutputError
from posecount.storage import atomic_write

ENV_BROWSER = "POSECOUNT_BROWSER"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TIMEOUT_S = 120.0
OFFLINE_FLAGS = (
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
    "--disable-extensions", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
    "--disable-breakpad", "--disable-crash-reporter", "--metrics-recording-only", "--no-pings",
    "--safebrowsing-disable-auto-update", "--no-first-run", "--no-default-browser-check", "--no-service-autorun",
    "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,AutofillServerCommunication,"
    "CertificateTransparencyComponentUpdater,NetworkTimeServiceQuerying,InterestFeedContentSuggestions",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # no name resolves: no DNS query leaves the machine
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",  # anything else: the discard port
)


def find_browser() -> str:
    """$POSECOUNT_BROWSER, else the first of chromium, chromium-browser, google-chrome on PATH."""
    env = os.environ.get(ENV_BROWSER)
    if env:
        found = shutil.which(env)
        if found is None:
            raise OutputError(f"cannot print a PDF: {ENV_BROWSER}={env} is not a program")
        return found
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise OutputError("cannot print a PDF: no Chromium or Chrome found (looked for chromium, chromium-browser, "
                      "google-chrome on PATH); install one, or open the HTML report in a browser and print it")


def print_command(browser: str, html: Path, pdf: Path, profile_dir: Path, as_root: bool = False) -> list[str]:
    """The headless browser's command line that prints `html` into `pdf` (pure)."""
    return [browser, "--headless", "--disable-gpu", *(("--no-sandbox",) if as_root else ()), *OFFLINE_FLAGS,
            f"--user-data-dir={profile_dir}", "--no-pdf-header-footer", "--print-to-pdf-no-header",
            "--run-all-compositor-stages-before-draw", "--virtual-time-budget=5000",
            f"--print-to-pdf={pdf}", html.resolve().as_uri()]


def _run(cmd: list[str], home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_CACHE_HOME": str(home / ".cache"), "DBUS_SESSION_BUS_ADDRESS": "disabled:"}
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, env=env, check=False,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise OutputError(f"cannot print a PDF: {Path(cmd[0]).name} did not finish in {TIMEOUT_S:.0f} s") from None
    except OSError as exc:
        raise OutputError(f"cannot print a PDF: {Path(cmd[0]).name} does not run ({exc.strerror or exc})") from None


def html_to_pdf(html: Path, pdf: Path, browser: str | None = None) -> Path:
    """Prints the HTML file into `pdf` (A4, the report's print stylesheet); an OutputError on failure."""
    browser = browser or find_browser()
    with tempfile.TemporaryDirectory(prefix="posecount-print-") as tmp:
        tmp_dir = Path(tmp)
        target = tmp_dir / "report.pdf"
        cmd = print_command(browser, html, target, tmp_dir / "profile", as_root=os.geteuid() == 0)
        proc = _run(cmd, tmp_dir)
        if not target.is_file() or target.read_bytes()[:5] != b"%PDF-":
            last = (proc.stderr or "").strip().splitlines()[-1:] or [f"exit status {proc.returncode}"]
            raise OutputError(f"cannot print a PDF with {Path(browser).name}: {last[0][:200]}")
        return atomic_write(pdf, target.read_bytes())  # user-only, never half-written
