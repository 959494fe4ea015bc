"""Patterns compiled by one `advisor` process are handed compiled to the next, which answers
the same; a damaged cache only costs speed."""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from advisor import regex_cache

# One process: seed from the cache, count what `re` still has to compile while the question
# parser is imported and a question parsed, then store what was compiled.
_ONE_PROCESS = """
import json, re, sys
from advisor import regex_cache
regex_cache.seed()
compiled = []
real = re._compiler.compile
re._compiler.compile = lambda p, flags=0: compiled.append(repr(p)) or real(p, flags)
from advisor.ask.parse import parse
from advisor.catalog import load_catalog
query = parse(load_catalog(), sys.argv[1])
regex_cache.keep()
print(json.dumps({"compiled": compiled, "query": query.model_dump(mode="json")}))
"""
QUESTION = "预算3万，想跑 Qwen3 235B，5个人用，32k 上下文，买什么？"


def _process(cache: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", _ONE_PROCESS, QUESTION],
        capture_output=True,
        text=True,
        env={**os.environ, "ADVISOR_CACHE_DIR": str(cache)},
    )
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    assert isinstance(found, dict)
    return found


def _compiled(found: dict[str, object]) -> set[str]:
    compiled = found["compiled"]
    assert isinstance(compiled, list)
    return set(compiled)


def test_a_pattern_compiled_by_two_processes_is_not_compiled_by_the_third(
    tmp_path: Path,
) -> None:
    first, second, third = _process(tmp_path), _process(tmp_path), _process(tmp_path)
    assert len(_compiled(first)) > 100
    assert len(_compiled(second)) > 100  # seen once is not yet stored
    assert not _compiled(third) & _compiled(second)  # what varies by process is all it compiles
    assert len(_compiled(third)) <= 2
    assert third["query"] == first["query"]
    assert third["query"]["budget"] == 30000 and third["query"]["concurrency"] == 5  # type: ignore[index]


def test_a_damaged_pattern_cache_is_ignored_and_rewritten(tmp_path: Path) -> None:
    first, second = _process(tmp_path), _process(tmp_path)
    for stored in tmp_path.glob("regex-*"):
        stored.write_bytes(b"not a pickle")
    again = _process(tmp_path)
    assert len(_compiled(again)) > 100  # compiled as usual
    assert again["query"] == first["query"]
    _process(tmp_path)
    assert not _compiled(_process(tmp_path)) & _compiled(second)  # and stored again


def test_the_command_answers_through_a_damaged_pattern_cache(tmp_path: Path) -> None:
    _process(tmp_path), _process(tmp_path)
    for stored in tmp_path.glob("regex-*"):
        stored.write_bytes(b"\x80\x05garbage")
    out = subprocess.run(
        [sys.executable, "-c", "from advisor.launch import entry; entry()", "ask", QUESTION],
        capture_output=True,
        text=True,
        env={**os.environ, "ADVISOR_CACHE_DIR": str(tmp_path)},
    )
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    assert "Qwen3" in out.stdout


def test_once_learnt_a_call_writes_nothing(tmp_path: Path) -> None:
    for _ in range(3):
        _process(tmp_path)
    stamps = {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("regex-*")}
    _process(tmp_path)
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("regex-*")} == stamps


def test_a_table_full_of_other_patterns_is_emptied_and_learnt_again(tmp_path: Path) -> None:
    first = _process(tmp_path)
    _process(tmp_path)
    (stored,) = tmp_path.glob("regex-*.pickle")
    table = pickle.loads(stored.read_bytes())
    stale = {(f"stale{n}", 0): next(iter(table.values())) for n in range(600 - len(table))}
    stored.write_bytes(pickle.dumps({**table, **stale}))
    _process(tmp_path)  # finds no room: starts again
    _process(tmp_path)  # learns this code's patterns
    assert not _compiled(_process(tmp_path)) & _compiled(first)
    assert len(pickle.loads(stored.read_bytes())) < 400


def _kept_twice(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pattern: str
) -> dict[object, object]:
    """Compile `pattern` (and a second: one alone is not recorded) in an empty `re` cache, and
    keep them as two processes would."""
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(regex_cache, "_known", {})
    monkeypatch.setattr(re, "_cache", {})
    re.compile(pattern), re.compile(pattern + "-too")
    regex_cache.keep()  # seen once
    regex_cache.keep()  # seen again: stored if it rebuilds equal
    stored = list(tmp_path.glob("regex-*.pickle"))
    return pickle.loads(stored[0].read_bytes()) if stored else {}


def test_a_pattern_is_stored_only_if_it_rebuilds_equal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pattern = r"(?P<size>\d+)\s*(?:gb|g)\bzq-only-in-this-test"
    assert (pattern, 0) in _kept_twice(monkeypatch, tmp_path / "equal", pattern)
    real = regex_cache._opcodes

    def altered(source: str | bytes, flags: int) -> object:
        entry = real(source, flags)
        assert entry is not None
        final, code, groups, index, names = entry
        return (final ^ re.IGNORECASE, code, groups, index, names)  # rebuilds, but differently

    monkeypatch.setattr(regex_cache, "_opcodes", altered)
    assert (pattern, 0) not in _kept_twice(monkeypatch, tmp_path / "altered", pattern)
