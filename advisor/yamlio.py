"""YAML loading: libyaml's C loader when it is there (5-10x faster), the pure one otherwise.
PyYAML is imported only when a file is parsed (cached data files are not)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advisor.errors import CatalogFileError


def load_yaml(text: str) -> Any:
    """Safe-load YAML text (raises yaml.YAMLError)."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def read_yaml(path: Path) -> Any:
    """A user-editable data file, or a CatalogFileError saying what is wrong and where."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogFileError(str(path), "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogFileError(str(path), f"cannot be read ({exc})") from None
    try:
        return load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise CatalogFileError(str(path), f"{problem}{where}") from None
