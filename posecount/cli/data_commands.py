"""The `data` command: what posecount keeps about you, and erasing it; `register(app)` adds it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from posecount.cli.console import Flag, ProfileOpt, out, profile_db
from posecount.cli.progress_commands import DbOpt
from posecount.errors import InputError
from posecount.kept_data import KeptData, erase, inventory, profile_summaries
from posecount.profiles import DEFAULT, SESSIONS_FOLDER

data_app = typer.Typer(help="Show what posecount keeps about you (where, how much) and erase it, one profile "
                       "or all.",
                       invoke_without_command=True)
NOTHING_SENT = ("Nothing of this is ever sent anywhere. Reports, videos and tracks you wrote with -o are where you "
                "put them.")


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return ""


def _describe_all(kept: KeptData) -> list[str]:
    """Every profile in one line each, then the data folder's size."""
    lines = []
    for p in profile_summaries():
        history = "no history" if p.sessions is None else f"{p.sessions} session(s)" + (
            f", the last on {p.last}" if p.last else "")
        lines.append(f"profile {p.name}: {history}, {p.session_files} live session file(s); history {p.history}")
    lines.append(f"data folder:   {kept.data_dir}" + (f" — {_size(kept.data_bytes)} in all" if kept.data_dir.exists()
                                                      else " (not created yet)"))
    return [*lines, NOTHING_SENT]


def _describe(kept: KeptData) -> list[str]:
    if not kept.profile:
        return _describe_all(kept)
    if kept.history_sessions is not None:
        span = f", {kept.history_first} to {kept.history_last}" if kept.history_sessions else ""
        history = f"{kept.history_sessions} session(s){span}, {_size(kept.history_bytes)}"
    elif kept.history_bytes:
        history = f"{_size(kept.history_bytes)} (cannot be read)"
    else:
        history = "none"
    where = "data folder:  " if kept.profile == DEFAULT else "its folder:   "
    lines = [
        f"profile:       {kept.profile}",
        f"{where} {kept.data_dir}" + ("" if kept.data_dir.exists() else " (not created yet)"),
        f"history:       {kept.history} — {history}",
        f"live sessions: {kept.session_files} file(s) in {kept.data_dir / SESSIONS_FOLDER}",
        f"other files:   {kept.other_files}; {_size(kept.data_bytes)} in the folder in all",
    ]
    if kept.other_profiles:
        lines.append(f"other profiles (not counted here): {', '.join(kept.other_profiles)}")
    return [*lines, NOTHING_SENT]


AllOpt = Annotated[bool, Flag("--all", help="Every profile and the whole data folder, not one profile.")]


@data_app.callback()
def data(ctx: typer.Context, db: DbOpt = None, profile: ProfileOpt = None, everything: AllOpt = False) -> None:
    """Show what posecount keeps about you (one profile, or --all): where, how much, how many sessions."""
    if ctx.invoked_subcommand is None:
        name = "" if everything else profile_db(db, profile)[0]
        for line in _describe(inventory(db, name, everything)):
            out.print(line, markup=False, highlight=False, soft_wrap=True)


@data_app.command("erase")
def data_erase(
    yes: Annotated[bool, Flag("--yes", "-y", help="Erase without asking (for scripts).")] = False,
    db: DbOpt = None,
    profile: ProfileOpt = None,
    everything: AllOpt = False,
) -> None:
    """Erase what posecount keeps about one profile (its history and live sessions), or with --all about
    everyone: overwritten, then removed."""
    name = "" if everything else profile_db(db, profile)[0]
    kept = inventory(db, name, everything)
    if kept.empty and not kept.data_dir.exists():
        out.print(f"nothing to erase: {kept.data_dir} does not exist", markup=False, highlight=False)
        return
    if kept.empty:
        out.print("nothing to erase: no history and no sessions are stored", markup=False, highlight=False)
    if not yes:
        for line in _describe(kept)[:-1]:
            out.print(line, markup=False, highlight=False, soft_wrap=True)
        if not sys.stdin.isatty():
            raise InputError("erasing needs a confirmation: run it in a terminal, or add --yes")
        whose = "every profile's data" if everything else f"all of this (profile {name})"
        typer.confirm(f"Erase {whose}? It cannot be undone", abort=True)
    done = erase(db, name, everything)
    whose = "posecount's" if everything else f"profile {name}'s"
    elsewhere = "" if Path(kept.history).is_relative_to(kept.data_dir) else f" or {kept.history}"
    out.print(f"erased {done.files} file(s), {_size(done.bytes)}; nothing of {whose} is left in "
              f"{kept.data_dir}{elsewhere}", markup=False, highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(data_app, name="data")
