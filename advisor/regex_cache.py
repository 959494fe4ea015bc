"""Regular expressions compiled by an earlier process, handed to this one.

Compiling a pattern is pure Python (`re._parser`, `re._compiler`) ending in a list of opcodes
for the C engine; the ~250 patterns a question meets (the parser's, Jinja's lexer's) cost
~40 ms of every `advisor ask` that way, a sixth of the call. `keep()` stores each pattern's
opcodes in the user cache under the exact interpreter that produced them; `seed()` hands them
to `_sre` at start-up and puts the results in `re`'s own per-process cache, where `re.compile`
and `re.search` look first. An entry is stored only if the pattern it rebuilds compares equal
(same source, flags and opcodes) to the one `re` compiled, so a Python whose internals differ
stores nothing and compiles as usual; so does an unreadable cache.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # CPython's regex engine has no stubs
import hashlib
import pickle
import re
import sys
import warnings
from pathlib import Path
from typing import Any

from advisor.cache import store_pickle
from advisor.paths import user_cache_dir

# (source, flags) -> the arguments of _sre.compile after the source: final flags, opcodes,
# group count, group index, index group
_Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
# as many as `re` itself keeps: patterns built from what users type never grow it past that
_LIMIT = getattr(re, "_MAXCACHE", 512)
_known: dict[tuple[str | bytes, int], _Entry] = {}


def _path(suffix: str = ".pickle") -> Path:
    interpreter = f"{sys.version}|{sys.implementation.cache_tag}|{_sre.MAGIC}|{_sre.CODESIZE}"
    tag = hashlib.sha256(interpreter.encode()).hexdigest()[:16]
    return user_cache_dir() / f"regex-{tag}{suffix}"


def _re_cache() -> dict[Any, Any] | None:
    found = getattr(re, "_cache", None)
    return found if isinstance(found, dict) else None


def seed() -> None:
    """Put the stored patterns in `re`'s cache (a no-op when there are none or they cannot
    be read)."""
    cache = _re_cache()
    if cache is None or _known:
        return
    try:
        with _path().open("rb") as handle:
            table = pickle.load(handle)
        for (source, flags), entry in table.items():
            cache[(type(source), source, flags)] = _sre.compile(source, *entry)
    except Exception:  # any damage to the cache only costs speed
        _known.clear()
        return
    _known.update(table)


def keep() -> None:
    """Store the patterns this process compiled that an earlier one compiled too and the
    cache lacks. A pattern compiled once is only remembered as seen, and only with others
    (new code brings many): `tokenize` builds one anew in every process, from a set whose order
    follows the hash seed, and it must neither be stored nor rewrite the record on every call.
    A full table (patterns of code since changed) is emptied, to be learnt again."""
    cache = _re_cache()
    if cache is None:
        return
    new = {
        (key[1], key[2]): pattern
        for key, pattern in list(cache.items())
        if len(key) == 3 and key[0] in (str, bytes) and (key[1], key[2]) not in _known
    }
    if not new:
        return
    if len(_known) + len(new) > _LIMIT:
        _known.clear()
        store_pickle(_path(), _known)
        return
    seen = _seen()
    marks = {key: _mark(*key) for key in new}
    stored = len(_known)
    for source, flags in (key for key, mark in marks.items() if mark in seen):
        entry = _opcodes(source, flags)
        if entry is not None and _rebuilds(source, entry, new[source, flags]):
            _known[(source, flags)] = entry
    if len(_known) > stored:
        store_pickle(_path(), _known)
    fresh = set(marks.values()) - seen
    if len(fresh) > 1:
        store_pickle(_path(".seen"), (seen | fresh) if len(seen) < _LIMIT else fresh)


def _mark(source: str | bytes, flags: int) -> str:
    return hashlib.sha1(f"{flags}|{source!r}".encode()).hexdigest()[:16]


def _seen() -> set[str]:
    try:
        with _path(".seen").open("rb") as handle:
            found = pickle.load(handle)
    except Exception:  # an unreadable record: nothing seen yet
        return set()
    return found if isinstance(found, set) else set()


def _opcodes(source: str | bytes, flags: int) -> _Entry | None:
    """What `re._compiler.compile` hands `_sre.compile` for this pattern (3.11-3.13)."""
    try:
        with warnings.catch_warnings():  # a warning is re's to give, once, not this rebuild's
            warnings.simplefilter("error")
            parsed = re._parser.parse(source, flags)  # type: ignore[attr-defined]
        code = [int(op) for op in re._compiler._code(parsed, flags)]  # type: ignore[attr-defined]
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        return (
            flags | parsed.state.flags,
            code,
            parsed.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        )
    except Exception:  # internals of another Python: store nothing
        return None


def _rebuilds(source: str | bytes, entry: _Entry, compiled: object) -> bool:
    try:
        return bool(_sre.compile(source, *entry) == compiled)
    except Exception:  # a pattern that does not rebuild is not stored
        return False
