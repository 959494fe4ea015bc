"""Answer a parsed question with the same machinery as the CLI: estimate, rules, recommend."""

from __future__ import annotations

import math
import re
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from advisor.advice import Assessment, Constraints, assess
from advisor.ask.parse import Clarification, GenericSpec, Language, ParsedQuery, normalize, parse
from advisor.catalog import Catalog
from advisor.catalog.entries import Model
from advisor.errors import AdvisorError
from advisor.estimate import EstimateRequest, default_engine, estimate
from advisor.explain import environment, render_assessment
from advisor.recommend import Option, RecommendQuery, compare, format_for_engine, recommend

_FOLLOW_UP = re.compile(
    r"^(?:and|what about|how about|now|instead|ok,? (?:and|what)|then|same (?:but|with)|also)\b|"
    r"^那|呢[?？]?$|^换成|^如果|^改成|^用\s|^再|^要是|^那么|^budget is|^预算(?:改|变|换)"
)


_SLOT_WORDS = {
    "context_tokens": "the context",
    "prompt_tokens": "the prompt",
    "budget": "the budget",
    "min_tok_s": "the speed asked for",
    "concurrency": "the number of users",
}


class TableRow(BaseModel):
    """One candidate as the app's comparison table and chart show it."""

    label: str
    hardware: str | None
    units: int
    quant: str
    fits: Literal["yes", "raise", "no"]
    decode_tok_s: float | None
    ttft_s: float | None
    price: float | None
    currency: str
    tok_s_per_1000: float | None
    verdict: str
    explanation: str


class AskResult(BaseModel):
    query: ParsedQuery
    result: dict[str, Any] | None = None
    rows: list[TableRow] = Field(default_factory=list)
    answer: str


class Defaults(BaseModel):
    """What a user set once (in the app's settings) and wants used when a question is silent."""

    currency: Literal["USD", "CNY"] | None = None
    context_tokens: int | None = Field(default=None, ge=1, le=10_000_000)
    quant: str | None = None
    max_units: int | None = Field(default=None, ge=1, le=8)

    def apply(self, query: ParsedQuery) -> ParsedQuery:
        update: dict[str, Any] = {}
        assumed = dict(query.assumed)
        if query.currency is None and self.currency:
            update["currency"] = self.currency
            assumed["currency"] = f"{self.currency} (your setting)"
        if query.context_tokens is None and self.context_tokens:
            update["context_tokens"] = self.context_tokens
            assumed["context_tokens"] = f"{self.context_tokens} (your setting)"
        if query.quant is None and self.quant:
            update["quant"] = self.quant
            assumed["quant"] = f"{self.quant} (your setting)"
        if query.units is None and self.max_units and query.intent == "recommend":
            update["units"] = self.max_units
            assumed["units"] = f"up to {self.max_units} per cluster (your setting)"
        if not update:
            return query
        return query.model_copy(update={**update, "assumed": assumed})


class Session(BaseModel):
    """One conversation: keeps the last complete query so a follow-up can change one slot."""

    last: ParsedQuery | None = None
    history: list[str] = Field(default_factory=list)
    defaults: Defaults = Field(default_factory=Defaults)

    def ask(self, catalog: Catalog, question: str, lang: Language | None = None) -> AskResult:
        parsed = parse(catalog, question)
        parsed = self._merge(question, parsed)
        if not parsed.follow_up:
            parsed = self.defaults.apply(parsed)
        result = answer(catalog, parsed, lang)
        if result.query.intent in ("recommend", "can_run", "compare", "capacity") and (
            result.query.clarify is None
        ):
            self.last = result.query
        self.history.append(question)
        return result

    def _merge(self, question: str, parsed: ParsedQuery) -> ParsedQuery:
        last = self.last
        if last is None or parsed.intent in ("list", "explain"):
            return parsed
        text = normalize(question)
        names_nothing = parsed.model is None and parsed.generic is None and parsed.clarify is None
        changes = {
            slot: getattr(parsed, slot)
            for slot in (
                "concurrency",
                "quant",
                "context_tokens",
                "prompt_tokens",
                "budget",
                "currency",
                "units",
                "min_tok_s",
            )
            if getattr(parsed, slot) is not None
        }
        if parsed.hardware:
            changes["hardware"] = parsed.hardware
        looks_like_follow_up = bool(_FOLLOW_UP.search(text)) or (names_nothing and changes)
        if not looks_like_follow_up or (not names_nothing and not _FOLLOW_UP.search(text)):
            return parsed
        if not names_nothing:
            changes.update(
                model=parsed.model, generic=parsed.generic, model_confidence=parsed.model_confidence
            )
        if not changes:
            return parsed
        intent = last.intent
        if "hardware" in changes:
            hardware = changes["hardware"]
            if last.intent == "compare" and len(hardware) == 1:
                changes["hardware"] = list(dict.fromkeys([*last.hardware, *hardware]))
            elif last.intent == "recommend" and len(hardware) == 1:
                intent = "can_run"
            elif len(hardware) >= 2:
                intent = "compare"
        if intent == "can_run" and "budget" in changes and "hardware" not in changes:
            intent = "recommend"  # a new budget asks what to buy, not about the same box
            changes["hardware"] = []
        merged = last.model_copy(
            update={
                **changes,
                "intent": intent,
                "language": parsed.language,
                "follow_up": True,
                "clarify": None,
                "assumed": {},
            }
        )
        return merged


# --- answering ------------------------------------------------------------------------------

MAX_ROWS = 12


def _row(catalog: Catalog, assessment: Assessment, lang: str, units_label: bool = True) -> TableRow:
    e = assessment.estimate
    hardware = catalog.hardware.get(e.hardware)
    label = (f"{e.units} × " if e.units > 1 and units_label else "") + hardware.label
    price = assessment.price
    fits = "yes" if e.memory.fits else ("raise" if e.memory.fits_if_raised else "no")
    return TableRow(
        label=label,
        hardware=hardware.id,
        units=e.units,
        quant=e.quant,
        fits=fits,
        decode_tok_s=e.decode_tok_s,
        ttft_s=e.ttft_s,
        price=price,
        currency=assessment.currency,
        tok_s_per_1000=e.decode_tok_s / (price / 1000) if price else None,
        verdict=assessment.verdict,
        explanation=render_assessment(catalog, assessment, lang),
    )


def _rows(catalog: Catalog, options: list[Option], lang: str) -> list[TableRow]:
    return [_row(catalog, o.assessment, lang) for o in options[:MAX_ROWS]]


def nearest_model(catalog: Catalog, spec: GenericSpec) -> Model:
    """The catalog model closest in size (and in MoE-ness) to a bare size."""

    def distance(model: Model) -> float:
        total = abs(math.log(model.params_total_b / spec.params_b))
        if spec.active_b is None:
            return total + (1.0 if model.is_moe else 0.0)
        active = abs(math.log(model.params_active_b / spec.active_b))
        return total + active + (0.0 if model.is_moe else 1.0)

    return min(catalog.models, key=lambda m: (distance(m), m.id))


def _model_id(catalog: Catalog, query: ParsedQuery) -> tuple[str | None, str | None]:
    """(model id, note about a stand-in)."""
    if query.model:
        return query.model, None
    if query.generic:
        stand_in = nearest_model(catalog, query.generic)
        return stand_in.id, stand_in.name
    return None, None


def _quant_options(query: ParsedQuery) -> tuple[tuple[str, ...] | None, bool]:
    if query.quant == "native":
        return None, True
    return ((query.quant,) if query.quant else None), False


def _render(lang: str, template: str, **context: Any) -> str:
    return environment(lang).get_template(template).render(**context).strip() + "\n"


def _clarify(catalog: Catalog, query: ParsedQuery, lang: str) -> AskResult:
    clarify = query.clarify or Clarification(slot="model", choices=[])
    names = [catalog.models.get(c).name for c in clarify.choices if catalog.models.find(c)]
    boxes = [catalog.hardware.get(c).label for c in clarify.choices if catalog.hardware.find(c)]
    return AskResult(
        query=query,
        answer=_render(
            lang,
            "clarify.md.j2",
            slot=clarify.slot,
            choices=names,
            ids=clarify.choices,
            unknown=clarify.unknown,
            hw_choices=boxes,
        ),
    )


def _with_assumptions(query: ParsedQuery, model_note: str | None, lang: str) -> ParsedQuery:
    assumed = dict(query.assumed)
    if model_note:
        assumed["model"] = f"closest catalog model to the size asked: {model_note}"
    if query.context_tokens is None:
        assumed["context_tokens"] = "8192"
    if query.quant is None and query.intent in ("recommend", "can_run", "compare"):
        assumed["quant"] = "the usual format for each engine (4-bit or 8-bit)"
    if query.intent == "recommend" and query.units is None:
        assumed["units"] = "up to 2 per cluster"
    return query.model_copy(update={"assumed": assumed})


def answer(catalog: Catalog, query: ParsedQuery, lang: Language | None = None) -> AskResult:
    """Answer `query` in `lang` (default: the question's language). Never raises on bad input."""
    language = lang or query.language
    query = query.model_copy(update={"language": language})
    try:
        return _answer(catalog, query, language)
    except AdvisorError as exc:
        return AskResult(query=query, answer=_render(language, "error.md.j2", message=exc.message))
    except ValidationError as exc:  # a slot out of range ("10M context", a huge budget)
        problems = "; ".join(
            f"{_SLOT_WORDS.get(str(e['loc'][0]), str(e['loc'][0])) if e['loc'] else 'input'}: "
            f"{str(e['msg']).removeprefix('Value error, ').lower()}"
            for e in exc.errors()
        )
        return AskResult(query=query, answer=_render(language, "error.md.j2", message=problems))


def _answer(catalog: Catalog, query: ParsedQuery, lang: Language) -> AskResult:
    if query.clarify and query.intent not in ("help", "list", "explain"):
        return _clarify(catalog, query, lang)
    if query.intent == "help":
        return AskResult(
            query=query, answer=_render(lang, "help.md.j2", other_language=query.other_language)
        )
    if query.intent == "list":
        models = sorted(catalog.models, key=lambda m: m.params_total_b)
        boxes = [h for h in catalog.hardware if h.featured] + [
            h for h in catalog.hardware if not h.featured
        ]
        return AskResult(
            query=query, answer=_render(lang, "list.md.j2", models=models, boxes=boxes)
        )
    if query.intent == "explain":
        return AskResult(
            query=query, answer=_render(lang, "explain.md.j2", term=query.term or "decode")
        )
    model_id, model_note = _model_id(catalog, query)
    query = _with_assumptions(query, model_note, lang)
    if query.intent == "capacity":
        return _capacity(catalog, query, lang)
    if model_id is None:
        return _clarify(
            catalog,
            query.model_copy(
                update={
                    "clarify": Clarification(
                        slot="model",
                        choices=["deepseek-r1", "qwen3-32b", "llama-3.3-70b", "gpt-oss-120b"],
                    )
                }
            ),
            lang,
        )
    quants, native = _quant_options(query)
    context = query.context_tokens or 8192
    recommend_query = RecommendQuery(
        model=model_id,
        quants=quants,
        native_only=native,
        context_tokens=context,
        prompt_tokens=min(query.prompt_tokens, context) if query.prompt_tokens else None,
        min_tok_s=query.min_tok_s,
        concurrency=query.concurrency or 1,
        budget=query.budget,
        currency=query.currency or ("CNY" if lang == "zh" else "USD"),
        max_units=query.units or 2,
        hardware=tuple(query.hardware) or None,
        lang=lang,
    )
    note = _render(lang, "stand_in.md.j2", name=model_note) if model_note else ""
    if query.intent == "compare" and len(query.hardware) >= 2:
        per_box = query.units_by_hardware if len(set(query.units_by_hardware.values())) > 1 else {}
        comparison = compare(
            catalog,
            recommend_query.model_copy(update={"max_units": query.units or 2}),
            units=per_box or None,
        )
        return AskResult(
            query=query,
            result=comparison.model_dump(
                mode="json", exclude={"sides": {"__all__": {"assessment"}}}
            ),
            rows=_rows(catalog, comparison.sides, lang),
            answer=note + comparison.answer,
        )
    if query.intent == "can_run" and query.hardware:
        return _can_run(catalog, query, recommend_query, note, lang)
    result = recommend(catalog, recommend_query)
    data = result.model_dump(
        mode="json",
        exclude={"options": {"__all__": {"assessment"}}, "picks": True, "cheapest_working": True},
    )
    data["options"] = data["options"][:8]
    return AskResult(
        query=query,
        result=data,
        rows=_rows(catalog, result.options, lang),
        answer=note + result.answer,
    )


def _can_run(
    catalog: Catalog, query: ParsedQuery, rq: RecommendQuery, note: str, lang: str
) -> AskResult:
    hardware = catalog.hardware.get(query.hardware[0])
    model = catalog.models.get(rq.model)
    engine = default_engine(catalog, hardware)
    fmt_id: str | None = None
    if query.quant == "native":
        fmt = format_for_engine(catalog, engine, catalog.formats.get(model.native_dtype))
        fmt_id = fmt.id if fmt else None
    elif query.quant:
        fmt = format_for_engine(catalog, engine, catalog.formats.get(query.quant))
        fmt_id = fmt.id if fmt else None
    units = min(query.units or 1, hardware.max_units)
    request = EstimateRequest(
        model=model.id,
        hardware=hardware.id,
        quant=fmt_id,
        units=units,
        context_tokens=rq.context_tokens,
        prompt_tokens=rq.prompt,
        concurrency=rq.concurrency,
        raise_memory_limit=False,
    )
    constraints = Constraints(budget=rq.budget, currency=rq.currency, min_tok_s=rq.min_tok_s)
    assessment = assess(catalog, request, constraints)
    takes = _what_it_takes(catalog, request) if assessment.verdict == "wont_fit" else None
    text = note + render_assessment(catalog, assessment, lang, takes)
    data = {
        "estimate": assessment.estimate.model_dump(mode="json"),
        "verdict": assessment.verdict,
        "fired_rules": assessment.fired_ids,
    }
    rows = [_row(catalog, assessment, lang)]
    for other in catalog.hardware:  # the same model on the boxes people compare it with
        if not other.featured or other.id == hardware.id:
            continue
        other_engine = default_engine(catalog, other)
        other_fmt = format_for_engine(
            catalog, other_engine, catalog.formats.get(assessment.estimate.quant)
        )
        try:
            other_assessment = assess(
                catalog,
                request.model_copy(
                    update={
                        "hardware": other.id,
                        "units": 1,
                        "quant": other_fmt.id if other_fmt else None,
                        "engine": None,
                        "split": None,
                        "link": None,
                    }
                ),
                constraints,
            )
        except AdvisorError:
            continue
        rows.append(_row(catalog, other_assessment, lang))
    return AskResult(query=query, result=data, rows=rows, answer=text)


def _what_it_takes(catalog: Catalog, request: EstimateRequest) -> dict[str, Any]:
    """When a model does not fit a box: the fewest boxes that hold it, or the lightest
    format that fits one."""
    hardware = catalog.hardware.get(request.hardware)
    takes: dict[str, Any] = {}
    for units in range(max(request.units, 1) + 1, hardware.max_units + 1):
        for split in ("tensor", "pipeline"):
            try:
                result = estimate(
                    catalog,
                    request.model_copy(
                        update={"units": units, "split": split, "engine": None, "link": None}
                    ),
                )
            except AdvisorError:
                continue
            if result.memory.fits_if_raised:
                takes.update(
                    units=units, units_split=result.split, units_decode=result.decode_tok_s
                )
                break
        if takes:
            break
    engine = default_engine(catalog, hardware)
    for low_bit in ("q3_k_m", "q2_k"):
        fmt = format_for_engine(catalog, engine, catalog.formats.get(low_bit))
        if fmt is None:
            continue
        try:
            result = estimate(
                catalog,
                request.model_copy(
                    update={"quant": fmt.id, "units": 1, "split": None, "link": None}
                ),
            )
        except AdvisorError:
            continue
        if result.memory.fits_if_raised:
            takes.update(quant=fmt.id, quant_decode=result.decode_tok_s)
            break
    return takes


def _capacity(catalog: Catalog, query: ParsedQuery, lang: str) -> AskResult:
    """The largest catalog models one box (or N) holds, at 4-bit and at full precision."""
    if not query.hardware:
        return _clarify(catalog, query, lang)
    hardware = catalog.hardware.get(query.hardware[0])
    units = min(query.units or 1, hardware.max_units)
    engine = default_engine(catalog, hardware)
    rows: list[dict[str, Any]] = []
    for model in sorted(catalog.models, key=lambda m: -m.params_total_b):
        context = min(query.context_tokens or 8192, model.max_context)
        try:
            result = estimate(
                catalog,
                EstimateRequest(
                    model=model.id,
                    hardware=hardware.id,
                    units=units,
                    context_tokens=context,
                    prompt_tokens=min(1024, context),
                    engine=engine.id,
                ),
            )
        except AdvisorError:
            continue
        if result.memory.fits_if_raised:
            rows.append(
                {
                    "model": model.name,
                    "id": model.id,
                    "params": model.params_total_b,
                    "quant": result.quant,
                    "decode": result.decode_tok_s,
                    "needs_raise": not result.memory.fits,
                }
            )
    usable = [r for r in rows if r["decode"] >= 5]
    data = {
        "hardware": hardware.id,
        "units": units,
        "fits": rows[:10],
        "largest": rows[0] if rows else None,
        "largest_usable": usable[0] if usable else None,
    }
    text = _render(
        lang,
        "capacity.md.j2",
        box=hardware.name,
        units=units,
        usable_gb=hardware.usable_max_gb * units,
        largest=data["largest"],
        largest_usable=data["largest_usable"],
        rows=usable[:5],
    )
    return AskResult(query=query, result=data, answer=text)
