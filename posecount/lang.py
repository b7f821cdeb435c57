"""The language of cues and reports when none is asked for: the person's own, if we speak it."""

from __future__ import annotations

import os

LANGUAGES = ("nl", "en")
ENV_LANG = "POSECOUNT_LANG"


def default_lang(environ: dict[str, str] | None = None) -> str:
    """`POSECOUNT_LANG`, else Dutch where the system language is Dutch (nl_NL, nl_BE …), else English."""
    env = os.environ if environ is None else environ
    chosen = env.get(ENV_LANG, "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    # The same order as gettext: LANGUAGE (a list), LC_ALL, LC_MESSAGES, LANG.
    for key in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(key, "")
        if value:
            first = value.split(":")[0].lower()
            return "nl" if first.startswith("nl") else "en"
    return "en"
