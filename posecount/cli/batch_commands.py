"""The `batch` command: many videos into one folder, resumable; `register(app)` adds it."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
from rich.text import Text

from posecount.cli.console import Flag, err, out, provide_model
from posecount.cli.progress_commands import DbOpt
from posecount.cli.report_commands import LangOpt, ModelOpt
from posecount.errors import InputError
from posecount.lang import default_lang
from posecount.progress.history import resolve_db_path

MAX_EXIT = 100
# One MediaPipe landmarker keeps about one core busy (on a quiet 2-core machine: one analysis alone
# 21.9 s, two at once 19.0 s each; 13 clips tracked at 58.6 frames/s by two processes against 30 by
# one): a worker per core. (An earlier table, measured while other jobs loaded both cores, showed no
# gain from a second worker.)
DEFAULT_JOBS = max(1, os.cpu_count() or 1)


class _FramesPerS(ProgressColumn):
    """Frames analysed per second of wall time, over the whole run (every worker together)."""

    def render(self, task) -> Text:
        elapsed = time.perf_counter() - task.fields["t0"]
        fps = task.fields["frames"] / elapsed if elapsed > 0 and task.fields["frames"] else None
        return Text("   … frames/s" if fps is None else f"{fps:6.1f} frames/s", style="progress.data.speed")


@contextlib.contextmanager
def _progress(enabled: bool):
    """Callbacks (on_start, on_done) that draw one bar: videos done, frames/s, ETA."""
    if not enabled:
        yield None, None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), _FramesPerS(),
                  TextColumn("eta"), TimeRemainingColumn(), console=err, transient=False) as bar:
        task = bar.add_task("videos", total=None, frames=0, t0=time.perf_counter())

        def on_start(todo: int, done: int) -> None:
            bar.update(task, total=todo, description=f"videos ({done} done before)" if done else "videos",
                       t0=time.perf_counter())

        def on_done(outcome) -> None:
            bar.update(task, advance=1, frames=bar.tasks[0].fields["frames"] + outcome.frames)
            if outcome.error:
                bar.console.print(f"[yellow]{outcome.file}:[/] {outcome.error}", highlight=False, soft_wrap=True)

        yield on_start, on_done


def batch(
    inputs: Annotated[list[str], typer.Argument(
        help="Video files, folders (searched recursively) or CSV manifests (columns: path, and optionally "
        "profile, exercise, recorded).", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="The batch's folder: a result per video, "
                                         "summary.csv, batch.log. Run again to resume.", show_default=False)],
    exercise: Annotated[str, typer.Option("--exercise", "-e", help="bridge, side-raise, step-up or auto; a "
                                          "manifest's exercise column wins.")] = "auto",
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Videos analysed at once (worker processes, "
                                      "or CPUs of a local Ray cluster); default: one per core.")] = DEFAULT_JOBS,
    engine: Annotated[str, typer.Option("--engine", help="local (a process pool) or ray.")] = "local",
    address: Annotated[str | None, typer.Option("--address", help="A Ray cluster's address (HEAD:6379, or "
                                                "'auto'); default: a local cluster.", show_default=False)] = None,
    reports: Annotated[bool, Flag("--reports", help="Also write each video's HTML report.")] = False,
    tracks: Annotated[bool, Flag("--tracks", help="Also write each video's pose track (.npz).")] = False,
    analysis_fps: Annotated[float | None, typer.Option(
        "--analysis-fps", min=1.0, help="Analyse at most this many frames a second (default: every frame).",
        show_default=False)] = None,
    model: ModelOpt = None,
    lang: LangOpt = None,
    progress: Annotated[bool, Flag(help="Show a progress bar on stderr.")] = True,
    save: Annotated[bool, Flag("--save", help="Also store each newly analysed video in its profile's history "
                               "(its recorded date from the manifest, else now).")] = False,
    db: DbOpt = None,
    profile: Annotated[str | None, typer.Option(
        "--profile", envvar="POSECOUNT_PROFILE", help="The profile of the videos whose manifest row names none "
        "(default: the default profile).", show_default=False)] = None,
) -> None:
    """Analyse many videos into one folder: resumable, bad files become rows with their error.
    The exit status is the number of videos that failed (at most 100)."""
    from posecount import profiles
    from posecount.batch import BatchOptions, run_batch
    from posecount.report.texts import check_lang

    opts = BatchOptions(exercise=exercise, jobs=jobs, engine=engine, address=address, reports=reports,
                        tracks=tracks, analysis_fps=analysis_fps, lang=check_lang(lang or default_lang()),
                        profile=profiles.check_name(profile) if profile else "")
    histories = _histories(inputs, opts, db) if save else {}
    resolved = provide_model(model)  # once, here: workers never download
    saved: list[str] = []
    with _progress(progress and err.is_terminal) as (on_start, on_done):
        done = _saving(on_done, histories, opts.profile or profiles.DEFAULT, saved) if save else on_done
        result = run_batch(inputs, output, opts, resolved, on_start=on_start, on_done=done)
    if save:
        where = "; ".join(f"{saved.count(name)} in profile {name}'s ({histories[name]})" for name in
                          dict.fromkeys(saved))
        out.print(f"{len(saved)} session(s) stored in the history" + (f": {where}" if saved else ""),
                  highlight=False, soft_wrap=True)
    out.print(f"{len(result.rows)} videos: {result.analysed} analysed, {result.skipped} done before, "
              f"{result.failed} failed; {result.frames} frames in {result.seconds:.1f} s; summary in "
              f"{result.summary_path}", highlight=False, soft_wrap=True)
    if result.failed:
        raise typer.Exit(min(result.failed, MAX_EXIT))


def _histories(inputs: list[str], opts, db: Path | None) -> dict[str, Path]:
    """The history of every profile the inputs name, before any work: each must exist, and `--db`
    (one file) can hold one profile only."""
    from posecount import profiles
    from posecount.batch.inputs import expand

    names = list(dict.fromkeys(v.profile or profiles.DEFAULT for v in expand(inputs, opts.exercise, opts.profile)
                               if not v.error))
    missing = [n for n in names if not profiles.exists(n)]
    if missing:
        raise InputError(f"no profile {', '.join(map(repr, missing))}: add {'it' if len(missing) == 1 else 'them'} "
                         "with `posecount profiles add NAME` before saving to it")
    if db is not None and len(names) > 1:
        raise InputError(f"--db names one history, and these videos belong to {len(names)} profiles "
                         f"({', '.join(names)}): leave --db out to store each in its profile's history")
    return {n: resolve_db_path(db, n) for n in names}


def _saving(on_done, histories: dict[str, Path], default: str, saved: list[str]):
    """An `on_done` that also stores each analysed video with a recognised exercise in its profile's
    history (`histories`: profile → file); `saved` gets the profile of each."""
    from datetime import datetime

    from posecount import exercises
    from posecount.progress.history import save_analysis

    def done(outcome) -> None:
        if on_done:
            on_done(outcome)
        result = outcome.result or {}
        if outcome.error or exercises.find(result.get("exercise")) is None:
            return
        when = result.get("recorded") or ""
        started = datetime.fromisoformat(when).astimezone() if when else None
        name = result.get("profile") or default
        save_analysis(result, histories[name], started_at=started, note=f"batch: {outcome.file}")
        saved.append(name)

    return done


def register(app: typer.Typer) -> None:
    app.command()(batch)
