"""Published measurements of the very setup an answer estimates: the benchmark rows the advisor
ships (`benchmarks/`), found by box, count, model, format, engine and users, at a short context.
An answer quotes them beside its estimate, so a buyer sees where the two part."""

from __future__ import annotations

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


@cache
def _index() -> dict[Key, list[tuple[float, str]]]:
    """Per-user decode and source of every short-context row, by setup (parsed once, then
    read from the user cache while the files are unchanged); empty when the files are
    missing (the answer then quotes none)."""
    if not _has_benchmarks():
        return {}
    paths = [benchmarks_dir() / name for name in FILES]
    code = [Path(__file__), Path(__file__).with_name("benchmark_rows.py")]  # what parses them
    sources = [*code, *(path for path in paths if path.is_file())]
    return cached("measured", sources, lambda: _parsed(paths), dict)


def _parsed(paths: list[Path]) -> dict[Key, list[tuple[float, str]]]:
    from advisor.benchmark_rows import read_rows  # only when the cache is cold
    from advisor.errors import AdvisorError

    found: dict[Key, list[tuple[float, str]]] = {}
    for path in paths:
        try:
            rows = read_rows(path)
        except AdvisorError:  # a damaged file quotes nothing, as a missing one
            continue
        for row in rows:
            total = row.decode_measured
            short = row.context_depth + (row.prompt_tokens or 0) <= SHORT_CONTEXT
            if total is None or row.quant is None or not short:
                continue
            key = (row.hardware, row.units, row.model, row.quant, row.engine, row.batch)
            found.setdefault(key, []).append((total / row.batch, _source(row.source_url)))
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


AGREES = 0.1  # an estimate this close to the runs is said to agree with them


def gap(estimate: float, measured: Measured) -> float:
    """How far `estimate` is above (+) or below (-) the runs, as a share of them; 0 where it
    agrees with them (within `AGREES`)."""
    apart = estimate / measured.tok_s - 1
    return apart if abs(apart) >= AGREES else 0.0
