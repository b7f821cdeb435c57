"""A menu entry that starts the app, so a patient clicks an icon instead of typing.

Linux: a freedesktop `.desktop` entry in the applications menu (and on the desktop when there is
one). Windows: a `.cmd` in the Start menu's Programs folder. macOS: a `.command` file in
~/Applications, which Finder opens in Terminal. Each runs this Python's `posecount app`, so the
entry keeps working whichever environment posecount was installed in.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

from posecount.storage import atomic_write

ICON = Path(__file__).with_name("static") / "icon.svg"


def command() -> list[str]:
    """How to start the app with the Python posecount is installed in."""
    return [sys.executable, "-m", "posecount", "app"]


def desktop_entry(cmd: list[str], icon: Path) -> str:
    exec_line = " ".join(shlex.quote(c).replace("%", "%%") for c in cmd)
    return "\n".join([
        "[Desktop Entry]", "Type=Application", "Version=1.0", "Name=posecount",
        "Comment=Exercise coach for hip osteoarthritis / Oefencoach bij heupartrose",
        "Comment[nl]=Oefencoach bij heupartrose", f"Exec={exec_line}", f"Icon={icon}",
        "Terminal=false", "Categories=Utility;MedicalSoftware;Education;", "StartupNotify=true", ""])


def _linux(home: Path) -> list[Path]:
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    entry = desktop_entry(command(), ICON)
    written = [_write(data / "applications" / "posecount.desktop", entry, executable=True)]
    desktop = home / "Desktop"
    if desktop.is_dir():
        written.append(_write(desktop / "posecount.desktop", entry, executable=True))
    return written


def _windows(home: Path) -> list[Path]:
    programs = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming") / "Microsoft" / "Windows" / \
        "Start Menu" / "Programs"
    cmd = " ".join(f'"{c}"' for c in command())
    return [_write(programs / "posecount.cmd", f"@echo off\r\nstart \"posecount\" /min {cmd}\r\n")]


def _macos(home: Path) -> list[Path]:
    script = "#!/bin/sh\nexec " + " ".join(shlex.quote(c) for c in command()) + "\n"
    return [_write(home / "Applications" / "posecount.command", script, executable=True)]


def _write(path: Path, text: str, executable: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text)
    os.chmod(path, 0o700 if executable else 0o600)
    return path


def install(home: Path | None = None, platform: str | None = None) -> list[Path]:
    """Writes the entry for this platform; returns the files written."""
    home = home or Path.home()
    platform = platform or sys.platform
    if platform.startswith("win"):
        return _windows(home)
    if platform == "darwin":
        return _macos(home)
    written = _linux(home)
    if shutil.which("update-desktop-database"):
        os.system(f"update-desktop-database {shlex.quote(str(written[0].parent))} >/dev/null 2>&1")
    return written
