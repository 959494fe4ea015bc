"""The catalog: hardware, models, weight formats, engines and links, loaded from data files.

Built-in entries live beside this module as YAML. A user's own file (``--catalog PATH`` or
``catalog.yaml`` in the user's config dir) adds entries or replaces built-in ones by id; it is
read, validated and never written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from advisor.catalog.entries import CatalogEntry, Engine, Hardware, Link, Model, WeightFormat
from advisor.catalog.keys import name_key as name_key
from advisor.errors import CatalogFileError, UnknownName, from_validation
from advisor.yamlio import read_yaml

BUILTIN_DIR = Path(__file__).parent
SECTIONS: dict[str, type[BaseModel]] = {
    "hardware": Hardware,
    "models": Model,
    "formats": WeightFormat,
    "engines": Engine,
    "links": Link,
}
_KIND_NAMES = {
    "hardware": "hardware",
    "models": "model",
    "formats": "weight format",
    "engines": "engine",
    "links": "link",
}

E = TypeVar("E", bound=CatalogEntry)
MAX_NAME_CHARS = 200

# How quantized and repackaged releases name a model on the Hub: an uploader's prefix
# ("unsloth/", "bartowski/Qwen_", "mlx-community/") and a packaging suffix ("-GGUF", "-4bit",
# "-AWQ", "-Instruct-2507"). Stripped one at a time, each step looked up again.
_UPLOADER = re.compile(r"^(?:[\w.-]+/)?(?:[A-Za-z0-9.-]+_(?=[A-Za-z]))?")
_PACKAGING = re.compile(
    r"[-_.](?:gguf|mlx|\d+(?:\.\d+)?bits?|awq|gptq|int[48]|w4a16|w8a8|fp8|fp16|bf16|nvfp4|mxfp4|"
    r"dwq|qat|bnb|unsloth|ud|dynamic|q\d(?:_[a-z0-9]+)*|iq\d(?:_[a-z0-9]+)*|instruct|it|chat|hf|"
    r"base|\d{4})$",
    flags=re.IGNORECASE,
)


def names_of(entry: CatalogEntry) -> Iterator[str]:
    """Every name an entry answers to: id, display name, aliases, and its variants' names."""
    yield from (entry.id, entry.name, *entry.aliases)
    for variant, names in getattr(entry, "variants", {}).items():
        yield variant
        yield from names


def _release_bases(name: str) -> Iterator[str]:
    """Keys for `name` with its uploader prefix and then each packaging suffix removed:
    'bartowski/Qwen_Qwen3-32B-GGUF' -> 'qwen332bgguf', 'qwen332b'."""
    if len(name) > MAX_NAME_CHARS:
        return
    base = _UPLOADER.sub("", name.strip())
    yield name_key(base)
    for _ in range(6):
        shorter = _PACKAGING.sub("", base)
        if shorter == base or not shorter:
            return
        base = shorter
        yield name_key(base)
        if base.lower().startswith("meta-"):
            yield name_key(base[5:])


@dataclass
class Section(Generic[E]):
    """The entries of one kind, with lookup by id or alias and "did you mean" suggestions."""

    kind: str
    entries: dict[str, E] = field(default_factory=dict)
    _by_key: dict[str, str] = field(default_factory=dict)

    def add(self, entry: E) -> None:
        self.entries[entry.id] = entry

    def reindex(self) -> None:
        self._by_key = {}
        entries: list[E] = list(self.entries.values())
        for item in entries:  # later files (the user's) win a shared alias
            for name in names_of(item):
                self._by_key[name_key(name)] = item.id
        for item in entries:  # ids win over another entry's alias
            self._by_key[name_key(item.id)] = item.id

    def find(self, query: str) -> E | None:
        exact = self.entries.get(query)  # an id as written: most lookups, no folding needed
        if exact is not None:
            return exact
        entry_id = self._by_key.get(name_key(query))
        if entry_id is None and self.kind == "model":
            entry_id = next(filter(None, map(self._by_key.get, _release_bases(query))), None)
        return self.entries[entry_id] if entry_id else None

    def get(self, query: str) -> E:
        found = self.find(query)
        if found is None:
            raise UnknownName(self.kind, query, self.suggest(query))
        return found

    def suggest(self, query: str, limit: int = 3, min_score: float = 70) -> list[str]:
        from rapidfuzz import fuzz, process

        key = name_key(query)
        if not 2 <= len(key) <= MAX_NAME_CHARS:  # too short to guess from, or a flood
            return []
        scored = process.extract(key, list(self._by_key), scorer=fuzz.WRatio, limit=limit * 4)
        ids: list[str] = []
        for candidate, score, _ in scored:
            entry_id = self._by_key[candidate]
            if score >= min_score and entry_id not in ids:
                ids.append(entry_id)
        return ids[:limit]

    def names(self) -> dict[str, str]:
        """Every name (id, display name, alias) mapped to the entry id it resolves to."""
        out: dict[str, str] = {}
        entries: list[E] = list(self.entries.values())
        for item in entries:
            for name in names_of(item):
                out.setdefault(name, item.id)
        return out

    def __iter__(self) -> Iterator[E]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)


@dataclass
class Catalog:
    hardware: Section[Hardware]
    models: Section[Model]
    formats: Section[WeightFormat]
    engines: Section[Engine]
    links: Section[Link]
    files: tuple[str, ...] = ()

    def with_hardware(self, entry: Hardware) -> Catalog:
        """This catalog plus one more box (a detected machine), leaving this one as it is."""
        hardware: Section[Hardware] = Section(self.hardware.kind, {**self.hardware.entries})
        hardware.add(entry)
        hardware.reindex()
        return replace(self, hardware=hardware)

    def section(self, name: str) -> Section[Any]:
        return getattr(self, name)  # type: ignore[no-any-return]


def _validate_entries(
    path: Path, section: str, raw: Any, cls: type[BaseModel]
) -> Iterable[BaseModel]:
    if not isinstance(raw, list):
        raise CatalogFileError(str(path), f"'{section}' must be a list of entries")
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping):
            raise CatalogFileError(str(path), "each entry must be a mapping", entry=f"#{index + 1}")
        entry_id = str(item.get("id") or f"#{index + 1}")
        try:
            yield cls.model_validate(item)
        except ValidationError as exc:
            raise from_validation(str(path), exc, entry_id) from None


def _load_file(path: Path, sections: Mapping[str, Section[Any]], section: str | None) -> None:
    data = read_yaml(path)
    if section is not None:  # a built-in file holds one section as a bare list
        chunks = {section: data}
    elif isinstance(data, Mapping):
        unknown = sorted(set(data) - set(SECTIONS))
        if unknown:
            raise CatalogFileError(
                str(path),
                f"unknown section '{unknown[0]}' (expected one of: {', '.join(SECTIONS)})",
            )
        chunks = dict(data)
    elif data is None:
        chunks = {}
    else:
        raise CatalogFileError(
            str(path), "expected a mapping of sections (hardware:, models:, formats:, ...)"
        )
    for name, raw in chunks.items():
        for entry in _validate_entries(path, name, raw, SECTIONS[name]):
            sections[name].add(entry)


def _check_references(catalog: Catalog) -> None:
    for hw in catalog.hardware:
        for link in hw.links:
            if catalog.links.find(link) is None:
                raise CatalogFileError(
                    "hardware", f"unknown link '{link}'", entry=hw.id, field="links"
                )
    for fabric in catalog.links:
        named = fabric.cluster_engine
        if named is not None and getattr(catalog.engines.find(named), "id", None) != named:
            raise CatalogFileError(
                "links", f"unknown engine id '{named}'", entry=fabric.id, field="cluster_engine"
            )
    for engine in catalog.engines:
        for fmt in engine.formats:
            if catalog.formats.find(fmt) is None:
                raise CatalogFileError(
                    "engines", f"unknown format '{fmt}'", entry=engine.id, field="formats"
                )


def load_catalog(extra_files: Iterable[str | Path] = ()) -> Catalog:
    """The built-in catalog, extended (and overridden by id) by the given user files."""
    extra = tuple(str(Path(p).expanduser()) for p in extra_files)
    return _load_catalog_cached(extra)


@cache
def _load_catalog_cached(extra_files: tuple[str, ...]) -> Catalog:
    from advisor.cache import cached

    code = [Path(__file__), BUILTIN_DIR / "entries.py"]
    data = [*(BUILTIN_DIR / f"{name}.yaml" for name in SECTIONS), *map(Path, extra_files)]
    sources = [*code, *data]
    if not all(path.is_file() for path in sources):  # a device, a folder, a missing file
        return _parse_catalog(extra_files)
    return cached("catalog", sources, lambda: _parse_catalog(extra_files), Catalog)


def _parse_catalog(extra_files: tuple[str, ...]) -> Catalog:
    sections: dict[str, Section[Any]] = {name: Section(kind=_KIND_NAMES[name]) for name in SECTIONS}
    for name in SECTIONS:
        _load_file(BUILTIN_DIR / f"{name}.yaml", sections, name)
    for extra in extra_files:
        _load_file(Path(extra), sections, None)
    for section in sections.values():
        section.reindex()
    catalog = Catalog(files=extra_files, **sections)
    _check_references(catalog)
    return catalog


def load_user_catalog(files: Iterable[str | Path] = ()) -> Catalog:
    """The catalog every face answers from: built-in entries plus the given files or, when
    none are given, the user's own `catalog.yaml` if there is one."""
    chosen = [str(f) for f in files]
    if not chosen and default_user_catalog().exists():  # a pipe there is refused, not skipped
        chosen = [str(default_user_catalog())]
    return load_catalog(chosen)


def default_user_catalog() -> Path:
    """Where a user's own catalog file is looked for when none is given."""
    from advisor.paths import user_config_dir

    return user_config_dir() / "catalog.yaml"
