"""What a person reads on the terminal: a stderr console and a frames/s progress bar."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from posecount.errors import OutputError

# A typer option for an on/off flag: no "<bool>" type label beside it in --help.
Flag = functools.partial(typer.Option, metavar=" ")
LangOpt = Annotated[str | None, typer.Option(
    "--lang", "-l", help="Language of the texts: nl (Dutch) or en (English); default: your system's language "
    "(or POSECOUNT_LANG).", show_default=False)]

ProfileOpt = Annotated[str | None, typer.Option(
    "--profile", envvar="POSECOUNT_PROFILE", help="Whose history, plan, sessions and reports: a profile made with "
    "`posecount profiles add NAME` (default: the default profile).", show_default=False)]

# stdout stays clean for --json; everything for people goes to stderr.
err = Console(stderr=True)
out = Console()


class FpsColumn(ProgressColumn):
    """Frames per second, from rich's own speed estimate."""

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("   … fps" if speed is None else f"{speed:6.1f} fps", style="progress.data.speed")


@contextlib.contextmanager
def frame_progress(label: str, enabled: bool = True) -> Iterator:
    """A progress bar on stderr; yields a callback `(done, total_or_None)`."""
    if not enabled:
        yield None
        return
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), FpsColumn(),
               TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn()]
    with Progress(*columns, console=err, transient=False, redirect_stdout=False,
                  redirect_stderr=False, refresh_per_second=8) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int | None) -> None:
            # The container's frame count is an estimate: never let it cap the bar.
            bar.update(task, completed=done, total=max(total, done) if total else None)

        yield update


def byte_progress(label: str, enabled: bool = True):
    """A callback `(bytes_done, total_or_None)` drawing a download bar on stderr."""
    if not enabled:
        return None, contextlib.nullcontext()
    bar = Progress(TextColumn(label), BarColumn(), TextColumn("{task.completed:,.0f} B"), console=err)
    task = bar.add_task(label, total=None)

    def update(done: int, total: int | None) -> None:
        bar.update(task, completed=done, total=total)

    return update, bar


def model_for(source, model=None):
    """The model for `source` (None: a camera), provided with a progress bar; a pose track or a
    stored session (`session:ID`) needs none."""
    from posecount.pipeline import is_track

    needs_none = source is not None and (is_track(source) or str(source).startswith("session:"))
    return model if needs_none else provide_model(model)


def provide_model(model=None):
    """The pose model to use (see `models.resolve`); when it must first be downloaded or built,
    says so in one line on stderr and draws a progress bar, instead of a silent minute."""
    import os

    from posecount.pose import models

    if isinstance(model, models.ModelFile):
        return model
    named = model is None and not os.environ.get(models.ENV_MODEL) or str(model) in models.MODEL_NAMES
    if named:
        variant = str(model or models.DEFAULT_MODEL)
        if models.cached_model(variant) is None:
            slow = " (once; up to a minute where it has to be built)" if variant == "full" else " (once)"
            err.print(f"getting the pose model {models.file_name(variant)}{slow}")
            update, bar = byte_progress(f"fetching {models.file_name(variant)}", err.is_terminal)
            with bar:
                return models.fetch(variant, progress=update)
    return models.resolve(model)


def writable(path: Path) -> Path:
    """Fails early, before minutes of work, when an output cannot be written."""
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder; give a file name")
    parent = path.expanduser().resolve().parent
    if not parent.is_dir():
        raise OutputError(f"cannot write {path}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OutputError(f"cannot write {path}: permission denied")
    return path


def profile_db(db: Path | None, profile: str | None) -> tuple[str, Path]:
    """The chosen profile (checked, existing) and its history file; `--db` names another file."""
    from posecount import profiles
    from posecount.progress.history import resolve_db_path

    name = profiles.require(profile)
    return name, resolve_db_path(db, name)
