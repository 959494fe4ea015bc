"""The question corpus (tests/data/ask_corpus.yaml): at least 95% of parsed fields right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from advisor.ask.parse import ParsedQuery, parse
from advisor.catalog import Catalog

CORPUS = Path(__file__).parent / "data" / "ask_corpus.yaml"
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


def load_corpus() -> list[dict[str, Any]]:
    return list(yaml.safe_load(CORPUS.read_text(encoding="utf-8")))


def field_value(parsed: ParsedQuery, field: str) -> Any:
    value = getattr(parsed, field)
    if field == "generic" and value is not None:
        return {"params_b": value.params_b, "active_b": value.active_b}
    return value


def mismatches(catalog: Catalog) -> tuple[int, list[tuple[str, str, Any, Any]]]:
    wrong = []
    total = 0
    for entry in load_corpus():
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
    corpus = load_corpus()
    assert len(corpus) >= 150
    languages = [e["expect"]["language"] for e in corpus]
    assert languages.count("zh") >= 0.45 * len(corpus) and languages.count("en") >= 0.45 * len(
        corpus
    )


def test_at_least_95_percent_of_fields_are_right(catalog: Catalog) -> None:
    total, wrong = mismatches(catalog)
    accuracy = 1 - len(wrong) / total
    report = "\n".join(f"{f:15} want {e!r:40} got {g!r:40} | {q}" for q, f, e, g in wrong[:40])
    assert accuracy >= 0.95, f"{accuracy:.1%} of {total} fields right; first misses:\n{report}"


def test_every_intent_is_mostly_recognised(catalog: Catalog) -> None:
    by_intent: dict[str, list[bool]] = {}
    for entry in load_corpus():
        want = entry["expect"]["intent"]
        by_intent.setdefault(want, []).append(parse(catalog, entry["q"]).intent == want)
    for intent, results in by_intent.items():
        assert sum(results) / len(results) >= 0.85, (intent, sum(results), len(results))
