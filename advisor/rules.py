"""The rule set: data files of conditions over named figures, checked when they are loaded.

A rule reads facts (the figures of one option and the question asked) through a typed
`rule-engine` context, so a misspelt name or a comparison of a number with a string is rejected
at load time with the file and the rule id, never at answer time. No `eval` anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

import rule_engine
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor.errors import CatalogFileError, from_validation
from advisor.facts import Facts, fact_types
from advisor.paths import rules_dir
from advisor.yamlio import read_yaml

Verdict = Literal["wont_fit", "not_usable", "poc_only", "usable", "comfortable"]
VERDICTS: tuple[Verdict, ...] = ("wont_fit", "not_usable", "poc_only", "usable", "comfortable")
Kind = Literal["verdict", "bottleneck", "warning", "advice", "caveat"]

# Every name a rule may read, and its type, from the typed facts the judge fills in.
_RULE_TYPES = {
    "float": rule_engine.DataType.FLOAT,
    "bool": rule_engine.DataType.BOOLEAN,
    "str": rule_engine.DataType.STRING,
}
FACT_TYPES: dict[str, rule_engine.DataType] = {
    name: _RULE_TYPES[kind] for name, kind in fact_types().items()
}
_CONTEXT = rule_engine.Context(type_resolver=rule_engine.type_resolver_from_dict(FACT_TYPES))


class RuleSpec(BaseModel):
    """One rule as written in a rules file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    when: str = Field(min_length=1, description="condition over facts (rule-engine syntax)")
    kind: Kind
    verdict: Verdict | None = None
    tag: str | None = None
    priority: int = Field(default=50, ge=0, le=100)
    explain: str = Field(
        pattern=r"^[a-z0-9_]+$", description="template key in templates/*/reasons/"
    )
    reads: tuple[str, ...] = Field(default=(), description="facts to show beside the rule")
    source: str | None = None


@dataclass(frozen=True)
class Rule:
    spec: RuleSpec
    condition: rule_engine.Rule
    file: str

    @property
    def id(self) -> str:
        return self.spec.id

    @cached_property
    def names_read(self) -> tuple[str, ...]:
        """The facts this rule's condition reads, plus those it asks to show."""
        named = {name for name in FACT_TYPES if _mentions(self.spec.when, name)}
        return tuple(sorted(named | set(self.spec.reads)))


def _mentions(condition: str, name: str) -> bool:
    import re

    return re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", condition) is not None


class FiredRule(BaseModel):
    """A rule that fired, with the figures it read, so "why" is always answerable."""

    id: str
    kind: Kind
    verdict: Verdict | None
    tag: str | None
    priority: int
    explain: str
    figures: dict[str, Any]
    source: str | None = None


def _load_rules_file(path: Path) -> list[Rule]:
    raw = read_yaml(path)
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise CatalogFileError(str(path), "a rules file is a list of rules")
    rules = []
    for index, item in enumerate(raw):
        rule_id = str(item.get("id")) if isinstance(item, Mapping) else f"#{index + 1}"
        try:
            spec = RuleSpec.model_validate(item)
        except ValidationError as exc:
            raise from_validation(str(path), exc, rule_id) from None
        try:
            condition = rule_engine.Rule(spec.when, context=_CONTEXT)
        except rule_engine.SymbolResolutionError as exc:
            raise CatalogFileError(
                str(path),
                f"unknown name '{exc.symbol_name}' in condition",
                entry=spec.id,
                field="when",
            ) from None
        except rule_engine.EngineError as exc:
            raise CatalogFileError(
                str(path), f"bad condition ({exc.message})", entry=spec.id, field="when"
            ) from None
        for name in spec.reads:
            if name not in FACT_TYPES:
                raise CatalogFileError(
                    str(path), f"unknown fact '{name}'", entry=spec.id, field="reads"
                )
        rules.append(Rule(spec=spec, condition=condition, file=str(path)))
    return rules


def _rule_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise CatalogFileError(str(folder), "rules folder not found")
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def load_rules(user_dirs: Iterable[str | Path] = ()) -> tuple[Rule, ...]:
    """The shipped rules, then each user folder's; a user rule with a shipped id replaces it."""
    return _load_rules_cached(tuple(str(Path(d).expanduser()) for d in user_dirs))


@cache
def _load_rules_cached(user_dirs: tuple[str, ...]) -> tuple[Rule, ...]:
    by_id: dict[str, Rule] = {}
    for folder in (rules_dir(), *map(Path, user_dirs)):
        for path in _rule_files(folder):
            seen_here: set[str] = set()
            for rule in _load_rules_file(path):
                if rule.id in seen_here:
                    raise CatalogFileError(str(path), "duplicate rule id", entry=rule.id)
                seen_here.add(rule.id)
                by_id[rule.id] = rule
    return tuple(sorted(by_id.values(), key=lambda r: (-r.spec.priority, r.id)))


def load_user_rules(folders: Iterable[str | Path] = ()) -> tuple[Rule, ...]:
    """The shipped rules plus the given folders or, when none are given, `rules/` in the
    user's config dir if it exists."""
    from advisor.paths import user_config_dir

    chosen = [str(f) for f in folders]
    user_rules = user_config_dir() / "rules"
    if not chosen and user_rules.is_dir():
        chosen = [str(user_rules)]
    return load_rules(chosen)


def fire(rules: Iterable[Rule], facts: Facts) -> list[FiredRule]:
    """Every rule whose condition holds for these facts, highest priority first."""
    fired = []
    thing = facts.model_dump()
    for rule in rules:
        if rule.condition.matches(thing):
            fired.append(
                FiredRule(
                    id=rule.id,
                    kind=rule.spec.kind,
                    verdict=rule.spec.verdict,
                    tag=rule.spec.tag,
                    priority=rule.spec.priority,
                    explain=rule.spec.explain,
                    figures={name: thing[name] for name in rule.names_read},
                    source=rule.spec.source,
                )
            )
    return fired


def overall_verdict(fired: Iterable[FiredRule]) -> Verdict:
    """Worst verdict among the fired rules; "usable" when no verdict rule fired."""
    levels = [VERDICTS.index(r.verdict) for r in fired if r.verdict is not None]
    return VERDICTS[min(levels)] if levels else "usable"
