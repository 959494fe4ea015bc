"""A cache of parsed data files, keyed on their content: reading a pickle takes about 1 ms
where parsing and validating the catalog's YAML takes about 20 ms, on every call.

The key is a hash of every source file's bytes (the code that defines what is cached among
them) and of the Python and pydantic versions, so an edited file or an upgrade is never
answered from a stale cache. A cache that
cannot be read or written is ignored: the files are parsed as if there were none.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from advisor.paths import user_cache_dir

T = TypeVar("T")
_FORMAT = "1"


def _key(kind: str, sources: Iterable[Path], stamp: str) -> str:
    from pydantic.version import VERSION

    digest = hashlib.sha256(f"{kind}|{_FORMAT}|{sys.version}|{VERSION}|{stamp}".encode())
    for path in sources:
        digest.update(str(path).encode())
        if path.is_dir():  # what a folder holds, by name
            digest.update("\0".join(sorted(entry.name for entry in path.iterdir())).encode())
        else:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def cached(
    kind: str,
    sources: Iterable[Path],
    build: Callable[[], T],
    expected: type[T],
    stamp: str = "",
) -> T:
    """`build()`'s result, from the cache when the sources (files by content, folders by the
    names in them) and `stamp` are unchanged since it was built."""
    try:
        path = user_cache_dir() / f"{kind}-{_key(kind, sources, stamp)}.pickle"
    except OSError:
        return build()  # a source cannot be read: let build() say which, in its own words
    try:
        with path.open("rb") as handle:
            found = pickle.load(handle)
        if isinstance(found, expected):
            return found
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    result = build()
    store_pickle(path, result)
    return result


def store_pickle(path: Path, value: object) -> None:
    """Write `value` to `path` whole or not at all (another process may be reading it)."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:  # a read-only or full disk only costs speed
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
