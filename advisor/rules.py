"""The rule set: data files of conditions over named figures, checked when they are loaded.

A condition is a CEL expression (Common Expression Language, the rule language of Kubernetes
and Envoy) over the typed facts of one option, compiled by `cel-expr-python` against the fact
types read from `advisor.facts.Facts`: a misspelt name or a comparison of a number with a
string is rejected at load time with the file, the rule id and the column, never at answer
time. No `eval` anywhere.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

from cel_expr_python import cel
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor.errors import CatalogFileError, from_validation
from advisor.facts import Facts, FactType, fact_types
from advisor.paths import rules_dir
from advisor.yamlio import read_yaml

Verdict = Literal["wont_fit", "not_usable", "poc_only", "usable", "comfortable"]
VERDICTS: tuple[Verdict, ...] = ("wont_fit", "not_usable", "poc_only", "usable", "comfortable")


def usable(verdict: Verdict) -> bool:
    """Usable or better: more than a proof of concept."""
    return VERDICTS.index(verdict) >= VERDICTS.index("usable")


def at_least(verdict: Verdict, least: Verdict | None) -> bool:
    """Whether `verdict` is `least` or better (any verdict when none is asked)."""
    return least is None or VERDICTS.index(verdict) >= VERDICTS.index(least)


Kind = Literal["verdict", "bottleneck", "warning", "advice", "caveat"]

# Every name a rule may read, and its CEL type, from the typed facts the judge fills in. Numbers
# are doubles, so a condition writes them with a decimal point (5.0).
_CEL_TYPES = {"float": cel.Type.DOUBLE, "bool": cel.Type.BOOL, "str": cel.Type.STRING}
FACT_TYPES: dict[str, FactType] = fact_types()


@cache
def _environment() -> cel.Env:
    return cel.NewEnv(variables={name: _CEL_TYPES[kind] for name, kind in FACT_TYPES.items()})


class RuleSpec(BaseModel):
    """One rule as written in a rules file."""

    # built on first use: a cached rules file needs no validation
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    when: str = Field(min_length=1, description="condition over facts (a CEL expression)")
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
    file: str

    @property
    def id(self) -> str:
        return self.spec.id

    @cached_property
    def condition(self) -> cel.Expression:
        """The condition alone, compiled when one rule must be evaluated by itself (answers
        evaluate all conditions at once; this one was checked when its file was)."""
        return compile_condition(self.file, self.spec.id, self.spec.when)

    @cached_property
    def names_read(self) -> tuple[str, ...]:
        """The facts this rule's condition reads, plus those it asks to show."""
        named = set(_NAME.findall(_STRING.sub("", self.spec.when))) & set(FACT_TYPES)
        return tuple(sorted(named | set(self.spec.reads)))


_NAME = re.compile(r"(?<![\w.])[A-Za-z_]\w*")


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


def _read_specs(path: Path) -> list[RuleSpec]:
    """The rules a file holds, validated (conditions are compiled by the caller)."""
    raw = read_yaml(path)
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise CatalogFileError(str(path), "a rules file is a list of rules")
    specs = []
    for index, item in enumerate(raw):
        rule_id = str(item.get("id")) if isinstance(item, Mapping) else f"#{index + 1}"
        try:
            spec = RuleSpec.model_validate(item)
        except ValidationError as exc:
            raise from_validation(str(path), exc, rule_id) from None
        for name in spec.reads:
            if name not in FACT_TYPES:
                raise CatalogFileError(
                    str(path), f"unknown fact '{name}'", entry=spec.id, field="reads"
                )
        specs.append(spec)
    return specs


def _load_rules_file(path: Path) -> list[Rule]:
    """The file's rules, checked: read, compiled and tried at the edges once per content of
    the file (and of what the checks read), then answered from the cache."""
    from advisor.cache import cached

    if not path.is_file():
        return _checked_rules(path)
    specs = cached(
        "rules",
        _check_inputs(path),
        lambda: [rule.spec for rule in _checked_rules(path)],
        list,
        stamp=_cel_build(),
    )
    return [Rule(spec=spec, file=str(path)) for spec in specs]


def _checked_rules(path: Path) -> list[Rule]:
    """Every rule the file holds, or a CatalogFileError for the first that is wrong."""
    rules = [Rule(spec=spec, file=str(path)) for spec in _read_specs(path)]
    for rule in rules:
        rule.condition  # noqa: B018  (compiling is checking the condition against the facts)
        _check_explanation(path, rule.spec)
        _check_edges(path, rule)
    return rules


def _check_inputs(path: Path) -> list[Path]:
    """What the checks of a rules file read besides the file: the fact types that type-check
    the conditions, and the explanations the rules name."""
    from advisor.facts import __file__ as facts_file
    from advisor.paths import templates_dir

    reasons = [templates_dir() / lang / "reasons" for lang in ("en", "zh")]
    return [Path(__file__), Path(facts_file), *reasons, path]


def _cel_build() -> str:
    """The installed CEL library, by size and time (14 MB: too big to hash on every call)."""
    library = os.stat(cel.__file__ or "")
    return f"{cel.__file__}|{library.st_size}|{library.st_mtime_ns}"


@cache
def _edge_facts() -> tuple[tuple[dict[str, object], cel.Activation], ...]:
    """Facts at their edges (zeros, ones, negatives, empty names) for a load-time trial run,
    each with its activation, made once for every rule."""
    values: dict[str, tuple[object, ...]] = {
        "float": (0.0, 1.0, -1.0),
        "bool": (False, True, False),
        "str": ("", "x", "none"),
    }
    edges = [{name: values[kind][index] for name, kind in FACT_TYPES.items()} for index in range(3)]
    return tuple((facts, _environment().Activation(data=facts)) for facts in edges)


def _check_edges(path: Path, rule: Rule) -> None:
    """A rule that fails when a figure is zero (or one, or negative) is refused at load rather
    than failing in some answer later."""
    for facts, activation in _edge_facts():
        holds = _holds(rule, activation)
        if isinstance(holds, str):
            raise CatalogFileError(
                str(path),
                f"the condition fails when the figures are {facts['units']} "
                f"({holds.splitlines()[0]}); guard it, e.g. `units > 1.0 && ...`",
                entry=rule.id,
                field="when",
            )


def _check_explanation(path: Path, spec: RuleSpec) -> None:
    """A rule's explanation must exist in every answer language, or its answers would fail."""
    from advisor.paths import templates_dir

    templates = templates_dir()
    for lang in ("en", "zh"):
        if not (templates / lang / "reasons" / f"{spec.explain}.j2").is_file():
            raise CatalogFileError(
                str(path),
                f"no explanation '{spec.explain}' in templates/{lang}/reasons/ (use one of the "
                "shipped ones, e.g. 'over_budget')",
                entry=spec.id,
                field="explain",
            )


def compile_condition(path: str, rule_id: str, text: str) -> cel.Expression:
    """The condition checked against the fact types; a CatalogFileError naming the file, the
    rule and what is wrong (with the old rule syntax, how to write it now)."""
    try:
        expression = _environment().compile(text)
    except RuntimeError as exc:
        raise CatalogFileError(
            path, _condition_problem(text, str(exc)), entry=rule_id, field="when"
        ) from None
    if expression.return_type() != cel.Type.BOOL:
        kind = {"DOUBLE": "number", "STRING": "string"}.get(
            expression.return_type().name(), "value"
        )
        raise CatalogFileError(
            path, f"the condition gives a {kind}, not true or false", entry=rule_id, field="when"
        )
    return expression


def _condition_problem(text: str, message: str) -> str:
    unknown = re.search(r"undeclared reference to '([^']+)'", message)
    if unknown:
        from rapidfuzz import process

        name = unknown.group(1)
        near = process.extractOne(name, list(FACT_TYPES), score_cutoff=75)
        return f"unknown name '{name}' in condition" + (
            f"; did you mean '{near[0]}'?"
            if near
            else " (the facts are listed in advisor/facts.py)"
        )
    lines = message.removeprefix("INVALID_ARGUMENT: ").split("\n")
    first = lines[0].removeprefix("ERROR: ").replace("<input>:", "column ")
    first = re.sub(r"column (\d+):(\d+)", r"line \1, column \2", first)
    rewritten = _from_old_syntax(text)
    if rewritten is not None:
        return (
            "written in the old rule syntax; conditions are CEL expressions now (&&, ||, !, "
            f"numbers with a decimal point): write it as `{rewritten}` ({first})"
        )
    return f"bad condition: {first}"


_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")


def _from_old_syntax(text: str) -> str | None:
    """A condition in rule-engine's syntax (and, or, not, whole numbers) as CEL, when that
    compiles; None when it is not that."""
    parts = []
    last = 0
    for literal in _STRING.finditer(text):
        parts += [_cel_words(text[last : literal.start()]), literal.group()]
        last = literal.end()
    rewritten = "".join([*parts, _cel_words(text[last:])])
    if rewritten == text:
        return None
    try:
        expression = _environment().compile(rewritten)
    except RuntimeError:
        return None
    return rewritten if expression.return_type() == cel.Type.BOOL else None


def _cel_words(code: str) -> str:
    code = re.sub(r"\band\b", "&&", code)
    code = re.sub(r"\bor\b", "||", code)
    code = re.sub(r"\bnot\s+", "!", code)
    return re.sub(r"(?<![\w.])(\d+)(?![\w.])", r"\1.0", code)


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


def _holds(rule: Rule, activation: cel.Activation) -> bool | str:
    """True or False, or why the condition could not be evaluated for these facts."""
    try:
        value = rule.condition.eval(activation=activation)
    except RuntimeError as exc:
        return str(exc)
    if value.type() != cel.Type.BOOL:
        return str(value.value())
    return value.value() is True


@lru_cache(maxsize=4)
def _together(conditions: tuple[str, ...]) -> cel.Expression | None:
    """Every condition as one CEL list, so one evaluation answers them all (evaluating them
    one by one was half of judging an option); None if they do not compile together. Each
    condition has lines of its own, so a `//` comment in one cannot swallow the next."""
    listed = "[\n" + ",\n".join(f"({c}\n)" for c in conditions) + "\n]"
    try:
        return _checked_list(listed)
    except RuntimeError:
        return None


def _checked_list(listed: str) -> cel.Expression:
    """The type-checked list, compiled once per text of the conditions, fact types and CEL
    library, then read back from the cache: compiling it took 11 ms of every call, reading it
    0.2 ms. Raises RuntimeError when the conditions do not compile together."""
    from advisor.cache import cached
    from advisor.facts import __file__ as facts_file

    def build() -> bytes:
        return bytes(_environment().compile(listed).serialize())

    found = cached(
        "conditions", [Path(__file__), Path(facts_file)], build, bytes, f"{_cel_build()}|{listed}"
    )
    try:
        return _environment().deserialize(found)
    except RuntimeError:  # a damaged cache: compiled again
        return _environment().compile(listed)


def _all_hold(rules: tuple[Rule, ...], activation: cel.Activation) -> list[bool | str]:
    """`_holds` for each rule: at once when none of them fails on these facts (an error in
    one is the error of the whole list), else one by one to say which failed and why."""
    together = _together(tuple(rule.spec.when for rule in rules)) if rules else None
    if together is not None:
        value = together.eval(activation=activation)
        if value.type() != cel.Type.ERROR:
            held = value.plain_value()
            if (
                isinstance(held, list)
                and len(held) == len(rules)
                and all(isinstance(h, bool) for h in held)
            ):
                return list(held)
    return [_holds(rule, activation) for rule in rules]


def fire(rules: Iterable[Rule], facts: Facts, skipped: list[str] | None = None) -> list[FiredRule]:
    """Every rule whose condition holds for these facts, highest priority first. A rule that
    fails on them (a division by zero in a user's rule) is left out, and said in `skipped`."""
    fired = []
    thing = facts.model_dump()
    activation = _environment().Activation(data=thing)  # the facts, handed to CEL once
    listed = tuple(rules)
    for rule, holds in zip(listed, _all_hold(listed, activation), strict=True):
        if isinstance(holds, str):
            if skipped is not None:
                skipped.append(f"{rule.file}, rule '{rule.id}': {holds}")
            continue
        if holds:
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
