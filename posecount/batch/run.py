"""Running a batch: plan, analyse what is not done yet, store each result as it comes, summarise.

The library side of `posecount batch`; the CLI draws the progress from the callbacks.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from posecount.batch import engines, summary
from posecount.batch.inputs import VideoInput, expand
from posecount.batch.keys import sha256_file
from posecount.batch.plan import BatchOptions, Plan, make_plan
from posecount.batch.runner import Outcome
from posecount.batch.store import ResultStore
from posecount.errors import OutputError
from posecount.storage import atomic_write, create_private_file

log = logging.getLogger("posecount.batch")


@dataclass
class BatchResult:
    rows: list[dict[str, str]]
    analysed: int  # videos analysed in this run
    skipped: int  # inputs whose result was already stored
    failed: int  # rows with an error
    frames: int  # frames analysed in this run
    seconds: float
    summary_path: Path


def _hashes(videos: list[VideoInput]) -> dict[int, str | Exception]:
    found: dict[int, str | Exception] = {}
    for i, video in enumerate(videos):
        if not video.error:
            try:
                found[i] = sha256_file(video.path)
            except OSError as exc:
                found[i] = exc
    return found


def _is_done(store: ResultStore, opts: BatchOptions) -> Callable[[VideoInput, str], bool]:
    def done(video: VideoInput, key: str) -> bool:
        result = store.find(key)
        if result is None:
            return False
        if result.get("error"):
            return True  # not a video: the extras cannot exist
        return all(store.has(video.file, key, kind) for kind, wanted in (("report", opts.reports),
                                                                          ("track", opts.tracks)) if wanted)
    return done


def _keep(store: ResultStore, outcome: Outcome, errors: dict[str, str]) -> None:
    """Stores one outcome (or remembers a failure to try again next time)."""
    if outcome.error and not outcome.keep:
        errors[outcome.key] = outcome.error
        log.warning("%s: %s (tried again next run)", outcome.file, outcome.error)
        return
    if outcome.report_html is not None:
        store.save_extra(outcome.file, outcome.key, "report", outcome.report_html)
    if outcome.track is not None:
        store.save_extra(outcome.file, outcome.key, "track", outcome.track)
    store.save(outcome.result)  # last: a stored result means its extras are there too
    r = outcome.result
    if outcome.error:
        log.info("%s: error: %s", outcome.file, outcome.error)
    else:
        log.info("%s: %s, %s reps, %d frames in %.1f s", outcome.file, r.get("exercise"), r.get("reps"),
                 outcome.frames, outcome.seconds)
    if outcome.extras_error:
        log.warning("%s: %s", outcome.file, outcome.extras_error)


def summarise(store: ResultStore, videos: list[VideoInput], plan: Plan, errors: dict[str, str]) -> list[dict]:
    """summary.csv from the stored results: one row per input, in input order."""
    rows = []
    for i, video in enumerate(videos):
        key = plan.keys.get(i)
        result = store.find(key) if key else None
        error = plan.errors.get(i) or (errors.get(key, "") if result is None else "")
        if key and result is None and not error:
            error = "not analysed (the batch stopped first): run it again"
        shown = store.path_for(video.file, key).name if result is not None else ""
        rows.append(summary.row(video, result, error, shown, plan.hashes.get(i, "")))
    atomic_write(store.outdir / "summary.csv", summary.to_csv(rows))
    return rows


def _log_to(outdir: Path) -> logging.Handler:
    path = outdir / "batch.log"
    create_private_file(path)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = logging.getLogger().getEffectiveLevel() <= logging.INFO  # stderr only with --verbose
    return handler


def run_batch(inputs: list[str | Path], outdir: Path, opts: BatchOptions, model: Any, settings: Any = None,
              on_start: Callable[[int, int], None] | None = None,
              on_done: Callable[[Outcome], None] | None = None) -> BatchResult:
    """Analyses every input not yet done into `outdir`; `model`: a resolved ModelFile.
    `on_start(videos to analyse, inputs done)`, then `on_done(outcome)` after each stored video."""
    from posecount.settings import load_settings

    settings = settings or load_settings()
    started = time.perf_counter()
    videos = expand(inputs, opts.exercise, opts.profile)
    store = ResultStore(outdir)
    handler = _log_to(store.outdir)
    errors: dict[str, str] = {}
    frames = analysed = 0
    try:
        plan = make_plan(videos, _hashes(videos), model, settings, opts, _is_done(store, opts))
        log.info("batch of %d inputs: %d to analyse, %d done before, %d unusable; engine %s, %d jobs, model %s "
                 "(%s), thresholds %s (%s)", len(videos), len(plan.todo), plan.done, len(plan.errors),
                 opts.engine, opts.jobs, model.name, model.sha256[:12], settings.source, settings.sha256[:12])
        if on_start:
            on_start(len(plan.todo), plan.done)
        try:
            for outcome in engines.run(opts.engine, plan.todo, opts.jobs, opts.address):
                _keep(store, outcome, errors)
                analysed += 1
                frames += outcome.frames
                if on_done:
                    on_done(outcome)
        except KeyboardInterrupt:
            summarise(store, videos, plan, errors)  # what is done so far; a rerun does the rest
            log.warning("interrupted after %d videos", analysed)
            raise
        except OutputError as exc:  # a full or read-only disk: what is stored stays; a rerun goes on
            log.error("stopped: %s", exc)
            raise OutputError(f"{exc}; the batch stopped after {analysed} new videos, and everything stored "
                              f"before is kept: make room and run it again") from exc
        rows = summarise(store, videos, plan, errors)
        log.info("done: %d analysed, %d skipped, %d failed, %d frames in %.1f s", analysed, plan.done,
                 summary.failed(rows), frames, time.perf_counter() - started)
        return BatchResult(rows, analysed, plan.done, summary.failed(rows), frames, time.perf_counter() - started,
                           store.outdir / "summary.csv")
    finally:
        log.removeHandler(handler)
        handler.close()
        store.close()
