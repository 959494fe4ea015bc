"""YAML loading: libyaml's C loader when it is there (5-10x faster), the pure one otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from advisor.errors import CatalogFileError

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """A user-editable data file, or a CatalogFileError saying what is wrong and where."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogFileError(str(path), "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogFileError(str(path), f"cannot be read ({exc})") from None
    try:
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise CatalogFileError(str(path), f"{problem}{where}") from None
