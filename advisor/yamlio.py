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


MAX_YAML_BYTES = 4 * 2**20  # the shipped catalog is ~150 kB; a 10 MB file took 9 s to refuse


def read_yaml(path: Path) -> Any:
    """A user-editable data file, or a CatalogFileError saying what is wrong and where. Only
    regular files of sane size are read (never /dev/zero or a pipe)."""
    import yaml

    if path.exists() and not path.is_file():
        raise CatalogFileError(str(path), "not a regular file (a folder, pipe or device)")
    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            raise CatalogFileError(str(path), f"larger than {MAX_YAML_BYTES // 2**20} MB")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CatalogFileError(str(path), "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogFileError(str(path), f"cannot be read ({exc})") from None
    try:
        return load_yaml(text)
    except RecursionError:
        raise CatalogFileError(str(path), "nested too deeply to be a data file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise CatalogFileError(str(path), f"{problem}{where}") from None
