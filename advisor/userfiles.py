"""The user's own files (a session, the settings): read only when they are plain files, changed
only under a lock and replaced atomically, so concurrent writers keep every change and a FIFO,
a socket or a device at the path is never replaced."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from advisor.errors import InvalidInput

LOCK_TIMEOUT_S = 30.0
MAX_USER_FILE_BYTES = 20 * 2**20  # a session or settings file is kilobytes; refuse a flood


def checked(path: Path) -> Path:
    """`path` if it is absent or a regular file (a symlink counts by what it points to);
    otherwise an InvalidInput naming it. Never follows a link to anything but a file."""
    if path.is_symlink() and not path.exists():
        raise InvalidInput(f"{path}: a link to nothing; give a plain file's path")
    if path.exists() and not path.is_file():
        raise InvalidInput(f"{path}: not a regular file (a folder, pipe, socket or device)")
    return path


def read_text(path: Path) -> str | None:
    """A user file's text, or None when it does not exist yet."""
    checked(path)
    try:
        if path.stat().st_size > MAX_USER_FILE_BYTES:
            raise InvalidInput(f"{path}: larger than {MAX_USER_FILE_BYTES // 2**20} MB")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.__class__.__name__})") from None


def write_atomically(path: Path, content: str | bytes) -> None:
    """Replace `path` with `content` (text as UTF-8) through a uniquely named temporary file
    beside it."""
    checked(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.replace(temporary, path.resolve() if path.is_symlink() else path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold `path`'s lock (a `.NAME.lock` file beside it) for a read, change and write."""
    from filelock import FileLock, Timeout

    checked(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path.with_name(f".{path.name}.lock")), timeout=LOCK_TIMEOUT_S)
    try:
        with lock:
            yield
    except Timeout:
        raise InvalidInput(f"{path}: still locked by another advisor after 30 s") from None
