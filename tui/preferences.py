"""The one setting the first paint needs (the language of the placeholder and the examples),
read without the core: importing it (pydantic, the catalog) would delay the first paint.
The core's Settings decide afterwards; the app corrects the screen if they differ."""

from __future__ import annotations

import json

from advisor.paths import locale_language, settings_path


def peek_language() -> str:
    """ "en" or "zh": the saved language, or for "auto" (or no usable file) the locale's."""
    try:
        saved = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = {}
    language = saved.get("language") if isinstance(saved, dict) else None
    return str(language) if language in ("en", "zh") else locale_language()
