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
from posecount.lang import default_lang
from posecount.progress.history import resolve_db_path

MAX_EXIT = 100
# One MediaPipe process runs about 17 threads and fills two cores by itself: on this project's 2-core
# machine 2 or 4 workers were no faster than 1 (README, Batch). A worker per two cores.
DEFAULT_JOBS = max(1, (os.cpu_count() or 2) // 2)


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
                                      "or CPUs of a local Ray cluster); default: one per two cores.")] = DEFAULT_JOBS,
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
    save: Annotated[bool, Flag("--save", help="Also store each newly analysed video in the history (its "
                               "recorded date from the manifest, else now).")] = False,
    db: DbOpt = None,
) -> None:
    """Analyse many videos into one folder: resumable, bad files become rows with their error.
    The exit status is the number of videos that failed (at most 100)."""
    from posecount.batch import BatchOptions, run_batch
    from posecount.report.texts import check_lang

    opts = BatchOptions(exercise=exercise, jobs=jobs, engine=engine, address=address, reports=reports,
                        tracks=tracks, analysis_fps=analysis_fps, lang=check_lang(lang or default_lang()))
    resolved = provide_model(model)  # once, here: workers never download
    saved: list[int] = []
    with _progress(progress and err.is_terminal) as (on_start, on_done):
        done = _saving(on_done, db, saved) if save else on_done
        result = run_batch(inputs, output, opts, resolved, on_start=on_start, on_done=done)
    if save:
        out.print(f"{len(saved)} session(s) stored in the history {resolve_db_path(db)}", highlight=False,
                  soft_wrap=True)
    out.print(f"{len(result.rows)} videos: {result.analysed} analysed, {result.skipped} done before, "
              f"{result.failed} failed; {result.frames} frames in {result.seconds:.1f} s; summary in "
              f"{result.summary_path}", highlight=False, soft_wrap=True)
    if result.failed:
        raise typer.Exit(min(result.failed, MAX_EXIT))


def _saving(on_done, db, saved: list[int]):
    """An `on_done` that also stores each analysed video with a recognised exercise in the history
    (profiles do not exist yet: the manifest's profile stays in summary.csv)."""
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
        saved.append(save_analysis(result, db, started_at=started, note=f"batch: {outcome.file}"))

    return done


def register(app: typer.Typer) -> None:
    app.command()(batch)
