"""Published measurements of the very setup an answer estimates: the benchmark rows the advisor
ships (`benchmarks/`), found by box, count, model, format, engine and users, at a short context.
An answer quotes them beside its estimate, so a buyer sees where the two part."""

from __future__ import annotations

import csv
import statistics
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field

from advisor.cache import cached
from advisor.paths import benchmarks_dir

# the files the advisor ships, each row sourced (benchmarks/README.md)
FILES = ("dev.csv", "extra.csv", "batched_deep.csv", "held_out.csv")
SHORT_CONTEXT = 4096  # a prompt and depth up to this are what an answer's short-prompt figure is

Key = tuple[str, int, str, str, str, int]  # hardware, units, model, quant, engine, users


class Measured(BaseModel):
    """Decode each user saw in published runs of one setup, and who published them."""

    model_config = ConfigDict(frozen=True)

    tok_s: float = Field(description="median decode per user over the matching rows, tok/s")
    rows: int
    sources: list[str] = Field(description="where the rows come from, shortened")


def _source(url: str) -> str:
    """'github.com/ggml-org/llama.cpp', 'conselara.dev': enough to find the page."""
    parsed = urlparse(url.strip())
    parts = [p for p in parsed.path.split("/") if p]
    host = parsed.netloc.removeprefix("www.")
    return "/".join([host, *parts[:2]]) if host == "github.com" else host or url.strip()


def _number(text: str | None) -> float | None:
    try:
        value = float(text or "")
    except ValueError:
        return None
    return value if value > 0 else None


def _short(raw: dict[str, str]) -> bool:
    depth = _number(raw.get("context_depth")) or 0.0
    prompt = _number(raw.get("prompt_tokens")) or 0.0
    return depth + prompt <= SHORT_CONTEXT


@cache
def _index() -> dict[Key, list[tuple[float, str]]]:
    """Per-user decode and source of every short-context row, by setup (parsed once, then
    read from the user cache while the files are unchanged); empty when the files are
    missing (the answer then quotes none)."""
    if not _has_benchmarks():
        return {}
    paths = [benchmarks_dir() / name for name in FILES]
    sources = [Path(__file__), *(path for path in paths if path.is_file())]
    return cached("measured", sources, lambda: _parsed(paths), dict)


def _parsed(paths: list[Path]) -> dict[Key, list[tuple[float, str]]]:
    found: dict[Key, list[tuple[float, str]]] = {}
    for path in paths:
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.DictReader(handle))
        except (OSError, csv.Error, UnicodeDecodeError):
            continue
        for raw in rows:
            users = int(_number(raw.get("batch")) or 1)
            total = _number(raw.get("aggregate_decode_tok_s")) or _number(raw.get("decode_tok_s"))
            each = _number(raw.get("per_user_decode_tok_s")) or (total / users if total else None)
            if each is None or not raw.get("quant") or not _short(raw):
                continue
            key = (
                raw.get("hardware", ""),
                int(_number(raw.get("units")) or 1),
                raw.get("model", ""),
                raw.get("quant", ""),
                raw.get("engine", ""),
                users,
            )
            found.setdefault(key, []).append((each, _source(raw.get("source_url", ""))))
    return found


def _has_benchmarks() -> bool:
    try:
        benchmarks_dir()
    except FileNotFoundError:
        return False
    return True


def measured_decode(
    hardware: str, units: int, model: str, quant: str, engine: str, users: int
) -> Measured | None:
    """What published runs of exactly this setup decoded per user at a short context."""
    rows = _index().get((hardware, units, model, quant, engine, users))
    if not rows:
        return None
    return Measured(
        tok_s=statistics.median(tok_s for tok_s, _ in rows),
        rows=len(rows),
        sources=sorted({source for _, source in rows}),
    )
