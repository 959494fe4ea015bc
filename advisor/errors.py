"""Errors a user can act on. Each carries a message fit to print as it is."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from pydantic import ValidationError


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0 and C1: terminal escapes, bells, OSC 52


def printable(text: str) -> str:
    """`text` without control characters: what a user or a file typed never drives the
    terminal (escape sequences, bells, clipboard writes) when it is echoed back."""
    return _CONTROL.sub("", text)


class AdvisorError(Exception):
    """A problem with the user's input or files, explained in one or two sentences."""

    exit_code = 2

    def __init__(self, message: str, zh: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.zh = zh

    def text(self, language: str) -> str:
        """The message in `language` where it has been written in it, else in English."""
        return self.zh if language == "zh" and self.zh else self.message


class UnknownName(AdvisorError):
    """A model, hardware, format or engine name the catalog does not know."""

    def __init__(self, kind: str, query: str, suggestions: list[str]) -> None:
        self.kind = kind
        self.query = query
        self.suggestions = suggestions
        message = f"unknown {kind} '{query}'"
        zh = f"不认识的{_KIND_ZH.get(kind, kind)}「{query}」"
        if suggestions:
            message += f"; did you mean {_or_list(suggestions)}?"
            zh += f"；是不是想说 {'、'.join(suggestions)}？"
        else:
            section = _catalog_section(kind)
            message += f"; run `advisor catalog {section}` to list them"
            zh += f"；运行 `advisor catalog {section}` 可以列出全部"
        super().__init__(message, zh)


_KIND_ZH = {
    "model": "模型",
    "hardware": "硬件",
    "format": "量化格式",
    "engine": "推理引擎",
    "link": "互联方式",
}


class CatalogFileError(AdvisorError):
    """A catalog or rule file that cannot be used, naming the file, the entry and the field."""

    def __init__(
        self, path: str, reason: str, entry: str | None = None, field: str | None = None
    ) -> None:
        self.path = path
        self.entry = entry
        self.field = field
        where = path
        if entry:
            where += f", entry '{entry}'"
        if field:
            where += f", field '{field}'"
        super().__init__(f"{where}: {reason}")


def from_validation(
    path: str, exc: ValidationError, entry: str | None, prefix: str = ""
) -> CatalogFileError:
    """A pydantic error on one entry of a file, as a message naming file, entry and field."""
    error = exc.errors()[0]
    field = ".".join(str(part) for part in error["loc"]) or None
    return CatalogFileError(path, f"{prefix}{error['msg']}", entry=entry, field=field)


class InvalidInput(AdvisorError):
    """A number or option outside what makes sense (negative context, zero units, ...)."""


ErrorCode = Literal["unknown_name", "bad_file", "invalid_input", "other_language"]


def error_code(exc: AdvisorError) -> ErrorCode:
    """The machine-readable kind of `exc`, as the CLI's and `ask`'s JSON report it."""
    if isinstance(exc, UnknownName):
        return "unknown_name"
    if isinstance(exc, CatalogFileError):
        return "bad_file"
    return "invalid_input"


def _or_list(items: list[str]) -> str:
    quoted = [f"'{item}'" for item in items]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _catalog_section(kind: str) -> str:
    sections = {"model": "models", "weight format": "quants", "engine": "engines", "link": "links"}
    return sections.get(kind, kind)
