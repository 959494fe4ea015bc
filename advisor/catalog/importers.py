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
import tempfile
from pathlib import Path
from typing import Any

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


def add_to_user_catalog(entry: Model, target: Path | None = None) -> Path:
    """Append `entry` to the user's catalog file, atomically, after validating the result.

    A file that is already broken is left untouched and reported.
    """
    from advisor.catalog import _load_catalog_cached, default_user_catalog, load_catalog

    path = (target or default_user_catalog()).expanduser()
    existing: dict[str, Any] = {}
    if path.exists():
        load_catalog([path])  # raises a CatalogFileError naming the problem; nothing is written
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        existing = dict(loaded)
    models = [m for m in existing.get("models", []) if m.get("id") != entry.id]
    data = entry.model_dump(mode="json")
    data["aliases"] = list(entry.aliases)
    existing["models"] = [*models, data]
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".catalog-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            yaml.safe_dump(existing, out, sort_keys=False, allow_unicode=True)
        _load_catalog_cached.cache_clear()
        load_catalog([temp_name])
        os.replace(temp_name, path)
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
    _load_catalog_cached.cache_clear()
    return path
