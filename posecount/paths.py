"""Where posecount keeps a person's files: one data folder (sessions, history), overridable."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "POSECOUNT_DATA_DIR"


def data_dir() -> Path:
    """$POSECOUNT_DATA_DIR, else the platform's user data folder for posecount."""
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("posecount"))


def private_data_dir() -> Path:
    """The data folder, created user-only (0700) if missing; an error if it cannot be written."""
    from posecount.storage import private_dir

    return private_dir(data_dir())
