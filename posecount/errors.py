"""Errors a person can act on: each carries one sentence that the CLI prints as is."""

from __future__ import annotations


class PosecountError(Exception):
    """Base of every error that the CLI turns into one line and a non-zero exit."""

    exit_code = 1


class InputError(PosecountError, ValueError):
    """The input (video, track, option) cannot be used."""

    exit_code = 2


class SourceNotFound(InputError, FileNotFoundError):
    """A video, track or camera that does not exist."""


class ModelError(PosecountError, RuntimeError):
    """The pose model is missing, corrupt or cannot be fetched or built."""

    exit_code = 3


class OutputError(PosecountError, OSError):
    """An output path that cannot be written."""

    exit_code = 4
