"""Batch analysis: many videos, resumable, on this machine (a process pool) or a Ray cluster.

inputs (files, folders, manifests) → keys (content + model + thresholds) → plan (what is done) →
engines (local pool or Ray, running runner.run_video per video) → store (one JSON per result) →
summary (summary.csv from the stored results).
"""

from posecount.batch.plan import BatchOptions
from posecount.batch.run import BatchResult, run_batch

__all__ = ["BatchOptions", "BatchResult", "run_batch"]
