"""How names are compared: folded so that case, spaces, dashes, underscores, dots and
slashes do not matter."""

from __future__ import annotations

import re


def name_key(text: str) -> str:
    """Fold a name for lookup: case, spaces, dashes, underscores and dots do not matter."""
    return re.sub(r"[\s_\-.·/]+", "", text.strip().lower())
