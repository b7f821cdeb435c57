"""`posecount profiles`: the people whose sessions are kept here; `register(app)` adds it."""

from __future__ import annotations

import shlex
from typing import Annotated

import typer
from rich.table import Table

from posecount.cli.console import out

profiles_app = typer.Typer(help="List the profiles (one per person: history, plan, sessions, reports) and add one.",
                           invoke_without_command=True)


@profiles_app.callback()
def profiles_list(ctx: typer.Context) -> None:
    """List every profile with its number of sessions and the date of the last one."""
    if ctx.invoked_subcommand is not None:
        return
    from posecount import profiles
    from posecount.kept_data import profile_summaries

    table = Table(title="profiles (choose one with --profile NAME or POSECOUNT_PROFILE)", title_justify="left")
    for col in ("profile", "sessions", "last session", "live session files"):
        table.add_column(col, justify="right" if col in ("sessions", "live session files") else "left")
    for p in profile_summaries():
        sessions = "–" if p.sessions is None else str(p.sessions)
        table.add_row(p.name, sessions, p.last or "–", str(p.session_files))
    out.print(table)
    out.print(f"each profile's files are in {profiles.folder(profiles.DEFAULT) / profiles.PROFILES_FOLDER}/NAME, "
              f"the default profile's in {profiles.folder(profiles.DEFAULT)}", markup=False, highlight=False,
              soft_wrap=True)


@profiles_app.command("add")
def profiles_add(name: Annotated[str, typer.Argument(
        help="The person's name or a code: letters, digits, spaces and . _ - ' (at most 40 characters).",
        show_default=False)]) -> None:
    """Add a profile: its own history, plan and live sessions."""
    from posecount import profiles

    clean = profiles.check_name(name)
    if profiles.exists(clean):
        out.print(f"profile {clean} exists already: {profiles.folder(clean)}", markup=False, highlight=False,
                  soft_wrap=True)
        return
    clean = profiles.create(clean)
    out.print(f"profile {clean} added: {profiles.folder(clean)}; use it with --profile {shlex.quote(clean)}",
              markup=False, highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(profiles_app, name="profiles")
