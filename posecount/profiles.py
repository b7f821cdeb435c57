"""Profiles: each person's history, plan and sessions, kept apart.

A patient at home has one profile, `default`, whose files are where posecount always kept them
(the data folder itself: `history.sqlite3`, `sessions/`), so nothing moves for existing users.
A physiotherapist keeps one profile per patient under `profiles/<name>/` in the same layout.
`$POSECOUNT_PROFILE` chooses the profile when no `--profile` is given. Names are checked
before any path is built from them: no slashes, no dot files, at most 40 characters.
"""

from __future__ import annotations

import os
import re
import shlex
import unicodedata
from pathlib import Path

from posecount.errors import InputError
from posecount.paths import data_dir

DEFAULT = "default"
ENV_PROFILE = "POSECOUNT_PROFILE"
MAX_NAME_CHARS = 40
PROFILES_FOLDER = "profiles"
HISTORY_FILE = "history.sqlite3"
SESSIONS_FOLDER = "sessions"
# Letters (any script) and digits; space and . _ - ' inside the name only.
_NAME = re.compile(r"^[^\W_](?:[\w .'\-]*[^\W_])?$", re.UNICODE)


class ProfileError(InputError):
    """A profile name that cannot be used."""


def check_name(name: str) -> str:
    """The name, normalised (NFC, outer spaces trimmed), or a ProfileError saying what is wrong."""
    clean = unicodedata.normalize("NFC", str(name)).strip()
    if not clean:
        raise ProfileError("a profile needs a name")
    if len(clean) > MAX_NAME_CHARS:
        raise ProfileError(f"a profile name has at most {MAX_NAME_CHARS} characters (this one has {len(clean)})")
    if "/" in clean or "\\" in clean or "\x00" in clean:
        raise ProfileError(f"a profile name cannot contain slashes: {clean[:MAX_NAME_CHARS]!r}")
    if not _NAME.match(clean):
        raise ProfileError(f"a profile name is letters, digits, spaces and . _ - ' (starting and ending "
                           f"with a letter or digit): {clean!r}")
    return clean


def chosen(name: str | None = None) -> str:
    """`name` (an empty one is an error), else $POSECOUNT_PROFILE, else the default profile; checked."""
    return check_name(name if name is not None else os.environ.get(ENV_PROFILE) or DEFAULT)


def folder(name: str | None = None) -> Path:
    """The profile's data folder (not created): the data folder itself for the default profile."""
    name = chosen(name)
    root = data_dir()
    return root if name == DEFAULT else root / PROFILES_FOLDER / name


def history_path(name: str | None = None) -> Path:
    return folder(name) / HISTORY_FILE


def sessions_folder(name: str | None = None) -> Path:
    return folder(name) / SESSIONS_FOLDER


def exists(name: str | None = None) -> bool:
    """The default profile always exists; another one once `create` made its folder."""
    name = chosen(name)
    return name == DEFAULT or folder(name).is_dir()


def require(name: str | None = None) -> str:
    """The chosen profile's checked name; a ProfileError when it was never created (a typo must
    not start a second history for the same person)."""
    name = chosen(name)
    if not exists(name):
        raise ProfileError(f"there is no profile {name!r} (there are: {', '.join(list_profiles())}); "
                           f"create it with: posecount profiles add {shlex.quote(name)}")
    return name


def create(name: str) -> str:
    """Makes the profile's folder (user-only) and returns its checked name; a name that differs
    from an existing one only in case is refused."""
    from posecount.storage import private_dir

    name = check_name(name)
    twin = next((p for p in list_profiles() if p.casefold() == name.casefold() and p != name), None)
    if twin is not None:
        raise ProfileError(f"there is a profile {twin!r} already: use that name, or one that differs in more "
                           "than upper and lower case")
    private_dir(folder(name))
    return name


def list_profiles() -> list[str]:
    """The default profile first, then every profile folder whose name is valid, sorted."""
    root = data_dir() / PROFILES_FOLDER
    names: list[str] = []
    if root.is_dir():
        for path in root.iterdir():
            try:
                if path.is_dir() and check_name(path.name) == path.name and path.name != DEFAULT:
                    names.append(path.name)
            except ProfileError:
                continue
    return [DEFAULT, *sorted(names, key=str.casefold)]
