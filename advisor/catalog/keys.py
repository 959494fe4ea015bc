"""How names are compared: folded so that case, spaces, dashes, underscores, dots and
slashes do not matter."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s_\-.·/]+")


def name_key(text: str) -> str:
    """Fold a name for lookup: case, spaces, dashes, underscores and dots do not matter."""
    return _SEPARATORS.sub("", text.strip().lower())
