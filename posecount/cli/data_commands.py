"""The `data` command: what posecount keeps about you, and erasing it; `register(app)` adds it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from posecount.cli.console import Flag, out
from posecount.cli.progress_commands import DbOpt
from posecount.errors import InputError
from posecount.kept_data import KeptData, erase, inventory

data_app = typer.Typer(help="Show what posecount keeps about you (where, how much) and erase it.",
                       invoke_without_command=True)


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return ""


def _describe(kept: KeptData) -> list[str]:
    if kept.history_sessions is not None:
        span = f", {kept.history_first} to {kept.history_last}" if kept.history_sessions else ""
        history = f"{kept.history_sessions} session(s){span}, {_size(kept.history_bytes)}"
    elif kept.history_bytes:
        history = f"{_size(kept.history_bytes)} (cannot be read)"
    else:
        history = "none"
    return [
        f"data folder:   {kept.data_dir}" + ("" if kept.data_dir.exists() else " (not created yet)"),
        f"history:       {kept.history} — {history}",
        f"live sessions: {kept.session_files} file(s) in {kept.data_dir / 'sessions'}",
        f"other files:   {kept.other_files}; {_size(kept.data_bytes)} in the data folder in all",
        "Nothing of this is ever sent anywhere. Reports, videos and tracks you wrote with -o are where you put them.",
    ]


@data_app.callback()
def data(ctx: typer.Context, db: DbOpt = None) -> None:
    """Show what posecount keeps about you: where, how much, how many sessions."""
    if ctx.invoked_subcommand is None:
        for line in _describe(inventory(db)):
            out.print(line, markup=False, highlight=False, soft_wrap=True)


@data_app.command("erase")
def data_erase(
    yes: Annotated[bool, Flag("--yes", "-y", help="Erase without asking (for scripts).")] = False,
    db: DbOpt = None,
) -> None:
    """Erase everything posecount keeps about you: the history and the live sessions (overwritten, then removed)."""
    kept = inventory(db)
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
        typer.confirm("Erase all of this? It cannot be undone", abort=True)
    done = erase(db)
    out.print(f"erased {done.files} file(s), {_size(done.bytes)}; nothing of posecount's is left in "
              f"{kept.data_dir}" + ("" if Path(kept.history).is_relative_to(kept.data_dir) else f" or {kept.history}"),
              markup=False, highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(data_app, name="data")
