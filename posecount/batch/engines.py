"""Where the per-video function runs: a local process pool, or Ray tasks on a cluster.

Both yield one `Outcome` per job as they finish (in any order); the caller stores them.
A worker that dies (a crash in native code) costs only its videos: they come back as
errors that the next run tries again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from posecount.batch.runner import Outcome, VideoJob, failed, run_video
from posecount.errors import InputError, ModelError, PosecountError
from posecount.pose import telemetry

ENGINES = ("local", "ray")


def local(jobs: list[VideoJob], workers: int) -> Iterator[Outcome]:
    """`workers` processes (spawned: a clean interpreter each, no forked MediaPipe state)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    if not jobs:
        return
    pool = ProcessPoolExecutor(max_workers=max(1, min(workers, len(jobs))),
                               mp_context=multiprocessing.get_context("spawn"))
    try:
        futures = {pool.submit(run_video, job): job for job in jobs}
        for future in as_completed(futures):
            job = futures[future]
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001 — a worker that died (BrokenProcessPool)
                yield failed(job, f"the worker stopped: {type(exc).__name__}: {exc}", False, time.perf_counter())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _model_file(data: bytes, sha256: str, name: str) -> str:
    """The model shipped with a Ray task, as a user-only file on the worker's machine (once per machine)."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ModelError("the pose model received by this worker fails its checksum")
    folder = Path(tempfile.gettempdir()) / f"posecount-models-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / f"{name}.{sha256[:12]}.task"
    if not path.is_file() or path.stat().st_size != len(data):
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    return str(path)


def ray_task(job: VideoJob, model_bytes: bytes) -> Outcome:
    """The per-video function as a Ray task: the model travels with it, no download."""
    try:
        path = _model_file(model_bytes, job.model_sha256, job.model_name)
    except (OSError, PosecountError) as exc:
        return failed(job, f"worker cannot use the model: {exc}", False, time.perf_counter())
    return run_video(replace(job, model_path=path))


def _import_ray():
    try:
        import ray
    except ImportError:
        raise InputError('--engine ray needs Ray: pip install "posecount[cluster]" (or "ray>=2.9")') from None
    return ray


def ray(jobs: list[VideoJob], workers: int, address: str | None = None) -> Iterator[Outcome]:
    """Ray tasks, one per video: on the cluster at `address`, or on a local cluster of `workers` CPUs."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # Ray's own usage report: nothing leaves
    local_cluster = address is None
    if local_cluster:  # read when ray is imported: a one-machine cluster, on loopback only
        os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
        # Ray's dashboard probes cloud metadata services (whatever its usage-stats setting); its
        # HTTP client honours the proxy variables: the processes it starts inherit the sink.
        telemetry.keep_on_machine()
    ray_mod = _import_ray()
    if not jobs:
        return
    # A local cluster lives on loopback only: Ray would otherwise find "its" address by a UDP
    # connect towards a public resolver and serve on the machine's network address.
    local = {"num_cpus": max(1, workers), "_node_ip_address": "127.0.0.1"} if local_cluster else {}
    ray_mod.init(address=address, include_dashboard=False, log_to_driver=False, logging_level="ERROR",
                 configure_logging=True, **local)
    try:
        model_ref = ray_mod.put(Path(jobs[0].model_path).read_bytes())
        task = ray_mod.remote(num_cpus=1)(ray_task)
        pending = {task.remote(job, model_ref): job for job in jobs}
        while pending:
            done, _ = ray_mod.wait(list(pending), num_returns=1)
            for ref in done:
                job = pending.pop(ref)
                try:
                    yield ray_mod.get(ref)
                except Exception as exc:  # noqa: BLE001 — a task that failed on its worker
                    yield failed(job, f"the Ray task failed: {type(exc).__name__}: {exc}".splitlines()[0], False,
                                 time.perf_counter())
    finally:
        ray_mod.shutdown()


def run(engine: str, jobs: list[VideoJob], workers: int, address: str | None = None) -> Iterator[Outcome]:
    if engine == "local":
        if address:
            raise InputError("--address is for --engine ray")
        return local(jobs, workers)
    if engine == "ray":
        if importlib.util.find_spec("ray") is None:  # a clear error before any work (not importing it:
            _import_ray()  # its settings are read at import, see `ray`)
        return ray(jobs, workers, address)
    raise InputError(f"unknown engine '{engine}': choose {' or '.join(ENGINES)}")
