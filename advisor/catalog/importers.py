"""Make a model entry from a Hugging Face config.json or a GGUF file's metadata.

Parameter counts come from the file itself: summed tensor sizes for GGUF, and for config.json
the standard transformer arithmetic (embeddings, attention, dense or expert MLPs), stated in the
entry's sources as derived.

Both kinds of file come from the internet, so neither is trusted: every config.json field the
arithmetic uses must be a whole number within a sane bound, and a GGUF header is walked with
bounded reads, each declared length checked against the bytes the file has, before anything is
built from it. A bad file is a one-line CatalogFileError naming the file (and the field), never
a hang, a memory blow-up or an internal error.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from pydantic import ValidationError

from advisor.catalog.entries import Model
from advisor.catalog.file_values import slug
from advisor.catalog.gguf_header import _from_gguf
from advisor.catalog.hf_config import _from_config
from advisor.errors import CatalogFileError, from_validation


def import_model(path: Path, model_id: str | None = None, name: str | None = None) -> Model:
    """Read `path` (config.json, a folder with one, or .gguf) into a validated Model entry."""
    if path.is_dir():
        path = path / "config.json"
    if not path.is_file():
        raise CatalogFileError(str(path), "file not found")
    data = _from_gguf(path) if path.suffix.lower() == ".gguf" else _from_config(path)
    if model_id:
        data["id"] = slug(model_id)
    if name:
        data["name"] = name
    try:
        return Model.model_validate(data)
    except ValidationError as exc:
        raise from_validation(str(path), exc, data.get("id")) from None


# --- writing a user's catalog safely ---------------------------------------------------------


def model_yaml(entry: Model) -> str:
    data = entry.model_dump(mode="json", exclude_defaults=False)
    data["aliases"] = list(entry.aliases)
    return yaml.safe_dump({"models": [data]}, sort_keys=False, allow_unicode=True)


class Added(NamedTuple):
    path: Path
    replaced: bool  # an entry with the same id was there and is replaced
    rewritten: bool  # the file was written anew (its comments are gone), not appended to


def add_to_user_catalog(entry: Model, target: Path | None = None) -> Added:
    """Add `entry` to the user's catalog file, under its lock, after validating the result.

    A new id is appended as text, so the file's comments and layout stay; an id already in the
    file is replaced, which rewrites it. The file keeps its permissions, a link keeps pointing
    where it did, and a file that is already broken is reported and left untouched."""
    from advisor.catalog import default_user_catalog
    from advisor.userfiles import checked, locked, read_text

    path = checked((target or default_user_catalog()).expanduser())
    real = path.resolve() if path.is_symlink() else path
    with locked(real):
        text = read_text(real) or ""
        existing = _validated_catalog(real, text) if text.strip() else {}
        before = [m for m in existing.get("models") or [] if m.get("id") == entry.id]
        replaced = bool(before)
        if replaced:  # names the user's catalog already answered to keep working
            kept = [a for a in before[0].get("aliases") or [] if isinstance(a, str)]
            entry = entry.model_copy(
                update={"aliases": tuple(dict.fromkeys([*entry.aliases, *kept]))}
            )
        appended = None if replaced else _appended(text, existing, entry)
        new_text = appended if appended is not None else _rewritten(existing, entry)
        _write_catalog(real, new_text)
    return Added(path, replaced, appended is None and bool(text.strip()))


def _entry_data(entry: Model) -> dict[str, Any]:
    data = entry.model_dump(mode="json")
    data["aliases"] = list(entry.aliases)
    return data


def _validated_catalog(path: Path, text: str) -> dict[str, Any]:
    from advisor.catalog import load_catalog

    load_catalog([path])  # raises a CatalogFileError naming the problem; nothing is written
    loaded = yaml.safe_load(text) or {}
    return dict(loaded)


def _appended(text: str, existing: dict[str, Any], entry: Model) -> str | None:
    """The file's text with the entry added at its end, when `models:` is its last section
    (or absent); None when only a rewrite can add it."""
    item = yaml.safe_dump([_entry_data(entry)], sort_keys=False, allow_unicode=True)
    body = text if text.endswith("\n") or not text else text + "\n"
    if "models" not in existing:
        return body + "models:\n" + item
    empty = re.compile(r"^models:[ \t]*\[\][ \t]*$", flags=re.MULTILINE)
    if not existing["models"] and len(empty.findall(text)) == 1:
        return empty.sub(lambda _: "models:\n" + item.rstrip("\n"), body)
    if list(existing)[-1] != "models" or not existing["models"]:
        return None
    items = re.findall(r"^( *)- ", text.split("models:", 1)[1], flags=re.MULTILINE)
    indent = items[0] if items else ""
    return body + "".join(indent + line + "\n" for line in item.splitlines())


def _rewritten(existing: dict[str, Any], entry: Model) -> str:
    models = [m for m in existing.get("models") or [] if m.get("id") != entry.id]
    data = {**existing, "models": [*models, _entry_data(entry)]}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _write_catalog(path: Path, text: str) -> None:
    """Check the new text loads as a catalog, then replace the file, keeping its mode."""
    from advisor.catalog import _load_catalog_cached, load_catalog

    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    handle, temp_name = tempfile.mkstemp(prefix=".catalog-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        if mode is not None:
            os.chmod(temp_name, mode)
        _load_catalog_cached.cache_clear()
        load_catalog([temp_name])
        os.replace(temp_name, path)
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
    _load_catalog_cached.cache_clear()
