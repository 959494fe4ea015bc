"""Values read from an untrusted model file: checked whole numbers, short printable text."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.errors import CatalogFileError


def one_line(text: str, limit: int = 200) -> str:
    """`text` as one short line, fit to put in an error message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def shown(value: Any) -> str:
    """A value as a short one-line phrase for an error message, in JSON's spelling."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, int):
        return str(value) if value.bit_length() < 100 else "a number too large to show"
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37]) + "..."
    if isinstance(value, list):
        return f"a list of {len(value):,} items"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, NotKept):
        return value.description
    return f"a {type(value).__name__}"


def whole_number(path: Path, field: str, value: Any, low: int, high: int, limit: str = "") -> int:
    """`value` if it is a whole number from `low` to `high`; else a message naming the field.

    A whole float (4096.0) is taken; a bool, text, list, NaN or infinity is not."""
    fits = (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and (isinstance(value, int) or (math.isfinite(value) and value.is_integer()))
        and low <= value <= high
    )
    if not fits:
        raise CatalogFileError(
            str(path),
            f"must be a whole number from {low:,} to {high:,}{limit}, got {shown(value)}",
            field=field,
        )
    return int(value)


def is_unset(value: Any) -> bool:
    """An optional number left out: null, false or 0 (as the `x or default` reading had it)."""
    return value is None or value is False or (type(value) in (int, float) and value == 0)


# Bounds a real model file stays far inside.
MAX_LAYERS = 10_000
MAX_HIDDEN = 1_000_000
MAX_HEADS = 100_000
MAX_HEAD_DIM = 65_536
MAX_VOCAB = 10_000_000
MAX_WIDTH = 10_000_000  # MLP widths and low-rank projections
MAX_EXPERTS = 100_000
MAX_CONTEXT = 1_000_000_000
MAX_TEXT = 1_000  # characters in a name or model type


@dataclass(frozen=True)
class NotKept:
    """A metadata value too large to keep (a vocabulary, a chat template): what it was."""

    description: str


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._+-]+", "-", text.lower()).strip("-.") or "imported-model"
