"""The question corpora: at least 95% of parsed fields right.

ask_corpus.yaml (195 questions) was written first and the parser tuned on it; ask_holdout.yaml
(80 questions) was written afterwards by someone who never saw the parser, and scored 98.6%
before any change was made for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.ask.parse import ParsedQuery, parse
from advisor.catalog import Catalog

DATA = Path(__file__).parent / "data"
CORPORA = ("ask_corpus.yaml", "ask_holdout.yaml")
FIELDS = (
    "intent",
    "model",
    "generic",
    "quant",
    "context_tokens",
    "budget",
    "currency",
    "units",
    "hardware",
    "min_tok_s",
    "language",
)


def load_corpus(name: str = "ask_corpus.yaml") -> list[dict[str, Any]]:
    return list(yaml.safe_load((DATA / name).read_text(encoding="utf-8")))


def field_value(parsed: ParsedQuery, field: str) -> Any:
    value = getattr(parsed, field)
    if field == "generic" and value is not None:
        return {"params_b": value.params_b, "active_b": value.active_b}
    return value


def mismatches(catalog: Catalog, name: str) -> tuple[int, list[tuple[str, str, Any, Any]]]:
    wrong = []
    total = 0
    for entry in load_corpus(name):
        parsed = parse(catalog, entry["q"])
        for field in FIELDS:
            total += 1
            expected = entry["expect"][field]
            got = field_value(parsed, field)
            if isinstance(expected, float | int) and isinstance(got, float | int):
                same = abs(float(expected) - float(got)) < 1e-6
            else:
                same = expected == got
            if not same:
                wrong.append((entry["q"], field, expected, got))
    return total, wrong


def test_the_corpus_is_large_and_balanced() -> None:
    corpus = load_corpus() + load_corpus("ask_holdout.yaml")
    assert len(corpus) >= 150
    languages = [e["expect"]["language"] for e in corpus]
    assert languages.count("zh") >= 0.45 * len(corpus) and languages.count("en") >= 0.45 * len(
        corpus
    )


@pytest.mark.parametrize("name", CORPORA)
def test_at_least_99_percent_of_fields_are_right(catalog: Catalog, name: str) -> None:
    """Today 99.9% (corpus) and 100% (hold-out): the bound sits just below, so a regression
    in any recogniser fails."""
    total, wrong = mismatches(catalog, name)
    accuracy = 1 - len(wrong) / total
    report = "\n".join(f"{f:15} want {e!r:40} got {g!r:40} | {q}" for q, f, e, g in wrong[:40])
    assert accuracy >= 0.99, f"{accuracy:.1%} of {total} fields right; first misses:\n{report}"


@pytest.mark.parametrize("name", CORPORA)
def test_every_intent_is_mostly_recognised(catalog: Catalog, name: str) -> None:
    by_intent: dict[str, list[bool]] = {}
    for entry in load_corpus(name):
        want = entry["expect"]["intent"]
        by_intent.setdefault(want, []).append(parse(catalog, entry["q"]).intent == want)
    for intent, results in by_intent.items():
        assert sum(results) / len(results) >= 0.95, (intent, sum(results), len(results))
