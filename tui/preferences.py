"""The one setting the first paint needs (the language of the placeholder and the examples),
read without the core: importing it (pydantic, the catalog) would delay the first paint.
The core's Settings decide afterwards; the app corrects the screen if they differ."""

from __future__ import annotations

import json
import os

from advisor.paths import user_config_dir

SETTINGS_FILE = "settings.json"  # as advisor.settings.SETTINGS_FILE


def peek_language() -> str:
    """ "en" or "zh": the saved language, or for "auto" (or no usable file) the locale's."""
    try:
        saved = json.loads((user_config_dir() / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = {}
    language = saved.get("language") if isinstance(saved, dict) else None
    if language in ("en", "zh"):
        return str(language)
    locale = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "zh" if locale.lower().startswith("zh") else "en"
