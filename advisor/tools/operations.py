"""The operations an agent may call, each defined once: name, when to use it, argument model,
result model, and the function that answers from the core.

`advisor.tools.get_tools()` (LangChain) and `advisor.mcp_server` (MCP) are both generated from
`OPERATIONS`. This module imports neither LangChain nor MCP.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError

from advisor.advice import SERVING_BATCH, Assessment, Constraints, assess
from advisor.catalog import Catalog, load_user_catalog, name_key
from advisor.catalog.entries import CatalogEntry, Engine, Hardware, Link, Model, WeightFormat
from advisor.errors import AdvisorError, CatalogFileError, UnknownName
from advisor.estimate import EstimateRequest
from advisor.recommend import Option, RecommendQuery, compare, recommend
from advisor.rules import Rule, load_user_rules
from advisor.tools.schemas import (
    PICKS,
    SECTION_NAMES,
    VERDICT_SCALE,
    CatalogItem,
    CatalogListing,
    CatalogMatch,
    CatalogSearch,
    CompareArgs,
    CompareResult,
    EstimateArgs,
    EstimateResult,
    ExplainArgs,
    ExplainResult,
    ListCatalogArgs,
    OptionResult,
    PickName,
    RecommendArgs,
    RecommendResult,
    SearchCatalogArgs,
    SectionName,
)

M = TypeVar("M", bound=BaseModel)


class ToolInputError(Exception):
    """A call the agent can fix: the message says what was wrong and how to call again."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ToolContext:
    """The catalog and rules the tools answer from; by default the same ones the CLI uses
    (the built-in files plus the user's own `catalog.yaml` and `rules/`, if present)."""

    catalog: Catalog | None = None
    rules: tuple[Rule, ...] | None = None

    def get_catalog(self) -> Catalog:
        if self.catalog is None:
            self.catalog = load_user_catalog()
        return self.catalog

    def get_rules(self) -> tuple[Rule, ...]:
        if self.rules is None:
            self.rules = load_user_rules()
        return self.rules


@dataclass(frozen=True)
class Outcome:
    """What an operation gives back: a short text for the model and the structured result."""

    text: str
    data: BaseModel


@dataclass(frozen=True)
class Operation:
    """One thing an agent can ask: its tool name, what it is for (the tool description), the
    argument and result models, and the function that answers from the core."""

    name: str
    purpose: str
    args_model: type[BaseModel]
    result_model: type[BaseModel]
    answer: Callable[[ToolContext, Any], Outcome] = field(repr=False)

    @property
    def example(self) -> dict[str, Any]:
        """The worked example from the argument schema."""
        examples = cast("list[dict[str, Any]]", self.args_model.model_json_schema()["examples"])
        return dict(examples[0])

    @property
    def description(self) -> str:
        """What the tool does and when to use it, with the worked example."""
        return f"{self.purpose}\n\nExample arguments: {json.dumps(self.example)}"

    def call(self, context: ToolContext, arguments: Mapping[str, Any]) -> Outcome:
        """Validate `arguments`, answer, and turn any mistake into a `ToolInputError`."""
        try:
            args = self.args_model.model_validate(dict(arguments))
        except ValidationError as exc:
            raise ToolInputError(validation_message(exc, self.name)) from exc
        try:
            return self.answer(context, args)
        except UnknownName as exc:
            raise ToolInputError(unknown_name_message(exc, self)) from exc
        except ValidationError as exc:  # a core model rejecting a combination of arguments
            raise ToolInputError(validation_message(exc, self.name)) from exc
        except CatalogFileError as exc:
            raise ToolInputError(
                f"{exc.message}. This is a problem in the user's own advisor files, not in the "
                "call: tell the user."
            ) from exc
        except AdvisorError as exc:
            raise ToolInputError(
                f"{exc.message}. Change the arguments accordingly and call {self.name} again."
            ) from exc


# --- error messages an LLM can act on --------------------------------------------------------

_SECTION_OF_KIND = {
    "model": "models",
    "hardware": "hardware",
    "weight format": "formats",
    "engine": "engines",
    "link": "links",
}
_ARGUMENTS_OF_KIND = {
    "model": ("model",),
    "hardware": ("hardware",),
    "weight format": ("quant", "quants"),
    "engine": ("engine",),
    "link": ("link",),
}


def validation_message(exc: ValidationError, tool: str) -> str:
    """One line per rejected argument, then how to go on."""
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        problems.append(f"`{where}`: {message}" if where else message)
    return (
        f"Invalid arguments for {tool}: "
        + "; ".join(problems)
        + f". Fix them (see the argument descriptions) and call {tool} again."
    )


def unknown_name_message(exc: UnknownName, operation: Operation) -> str:
    section = _SECTION_OF_KIND.get(exc.kind, "")
    fields = operation.args_model.model_fields
    argument = next((a for a in _ARGUMENTS_OF_KIND.get(exc.kind, ()) if a in fields), exc.kind)
    message = f"Unknown {exc.kind} '{exc.query}'."
    if exc.suggestions:
        message += " Did you mean " + " or ".join(f"'{s}'" for s in exc.suggestions) + "?"
    return (
        f"{message} Set `{argument}` to a catalog id (search_catalog finds one by name; "
        f"list_catalog(section='{section}') lists them all) and call {operation.name} again."
    )


# --- numbers in words ------------------------------------------------------------------------


def _num(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


def _secs(value: float) -> str:
    if value < 1:
        return f"{value * 1000:.0f} ms"
    return f"{value:.1f} s" if value < 120 else f"{value / 60:.1f} min"


def _money(amount: float | None, currency: str) -> str:
    if amount is None:
        return "price unknown"
    return f"${amount:,.0f}" if currency == "USD" else f"¥{amount:,.0f}"


def _option_line(option: Option | None) -> str:
    if option is None:
        return "none"
    units = f" x{option.units}" if option.units > 1 else ""
    return (
        f"{option.hardware}{units} ({option.quant} on {option.engine}, "
        f"{_num(option.decode_tok_s)} tok/s, {_money(option.price, option.currency)})"
    )


# --- estimate and explain --------------------------------------------------------------------


def core_model(model: type[M], args: BaseModel) -> M:
    """The core's own request made of the tool arguments it has (argument models extend the
    core's request models, so each of its fields is there)."""
    values = args.model_dump()
    return model(**{k: v for k, v in values.items() if k in model.model_fields})


def _assess(context: ToolContext, args: BaseModel) -> Assessment:
    request = core_model(EstimateRequest, args)
    constraints = core_model(Constraints, args)
    return assess(context.get_catalog(), request, constraints, context.get_rules())


def estimate_text(result: EstimateResult) -> str:
    """The figures in a few lines, for the model to read and quote."""
    e = result.estimate
    m = e.memory
    boxes = result.hardware_name
    if e.units > 1:
        boxes = f"{e.units} x {boxes} ({e.split} split over {e.link})"
    if m.fits:
        fit = f"fits: {_num(m.total_gb)} GB needed of {_num(m.usable_gb)} GB usable"
    elif m.fits_if_raised:
        fit = (
            f"fits only after raising the GPU memory limit: {_num(m.total_gb)} GB needed, "
            f"{_num(m.usable_gb)} GB usable by default, {_num(m.usable_max_gb)} GB raised"
        )
    else:
        fit = f"does NOT fit: {_num(m.total_gb)} GB needed of {_num(m.usable_gb)} GB usable"
    lines = [
        f"{result.model_name} on {boxes}: {e.quant} on {e.engine}",
        f"verdict: {result.verdict} (scale: {VERDICT_SCALE})",
        f"memory: {fit} (weights {_num(m.weights_gb)}, KV cache {_num(m.kv_cache_gb)})",
        f"decode: {_num(e.decode_tok_s)} tok/s per sequence (likely {_num(e.decode_band.low)}"
        f"-{_num(e.decode_band.high)}), {e.decode_bound}-bound; "
        f"{_num(e.decode_tok_s_full_context)} tok/s at the full {e.context_tokens:,}-token context",
        f"prefill: {_num(e.prefill_tok_s)} tok/s; first token after {_secs(e.ttft_s)} for a "
        f"{e.prompt_tokens:,}-token prompt; {e.output_tokens:,} tokens in {_secs(e.generation_s)}",
        f"serving {SERVING_BATCH} at once: {_num(result.serving_tok_s)} tok/s in total",
    ]
    if e.concurrency > 1:
        lines.insert(4, f"{e.concurrency} at once: {_num(e.decode_tok_s_aggregate)} tok/s in total")
    if result.price is not None:
        per_1000 = e.decode_tok_s * e.concurrency / (result.price / 1000)
        lines.append(
            f"price: {_money(result.price, result.currency)} "
            f"({per_1000:.2f} tok/s per 1,000 {result.currency})"
        )
    if result.findings:
        lines.append("rules fired: " + ", ".join(r.id for r in result.findings))
    lines.append(
        "calibration: "
        + (
            "fitted on measurements of this platform and engine"
            if e.calibrated
            else "no measurements for this platform/engine, treat as rough"
        )
    )
    return "\n".join(lines)


def run_estimate(context: ToolContext, args: BaseModel) -> Outcome:
    catalog = context.get_catalog()
    assessment = _assess(context, args)
    e = assessment.estimate
    result = EstimateResult(
        model_name=catalog.models.get(e.model).name,
        hardware_name=catalog.hardware.get(e.hardware).name,
        verdict=assessment.verdict,
        findings=assessment.fired_rules,
        price=assessment.price,
        currency=assessment.currency,
        serving_tok_s=assessment.batch_tok_s,
        estimate=e,
    )
    return Outcome(estimate_text(result), result)


def run_explain(context: ToolContext, args: BaseModel) -> Outcome:
    from advisor.explain import render_assessment

    lang = args.model_dump()["lang"]
    assessment = _assess(context, args)
    text = render_assessment(context.get_catalog(), assessment, lang)
    result = ExplainResult(
        lang=lang, verdict=assessment.verdict, text=text, findings=assessment.fired_rules
    )
    return Outcome(text, result)


# --- recommend and compare -------------------------------------------------------------------


def _result_option(option: Option | None) -> OptionResult | None:
    return None if option is None else OptionResult.model_validate(dict(option))


def _result_options(options: list[Option]) -> list[OptionResult]:
    return [OptionResult.model_validate(dict(option)) for option in options]


def run_recommend(context: ToolContext, args: BaseModel) -> Outcome:
    query = core_model(RecommendQuery, args)
    rec = recommend(context.get_catalog(), query, context.get_rules())
    picks: dict[PickName, Option | None] = {name: getattr(rec.picks, name) for name in PICKS}
    result = RecommendResult(
        model=context.get_catalog().models.get(query.model).id,
        model_name=rec.model_name,
        query=query,
        picks={name: _result_option(option) for name, option in picks.items()},
        nothing_in_budget=rec.nothing_in_budget,
        cheapest_working=_result_option(rec.cheapest_working),
        options=_result_options(rec.options),
        answer=rec.answer,
    )
    ids = "; ".join(f"{name}: {_option_line(option)}" for name, option in picks.items())
    return Outcome(f"{rec.answer.strip()}\n\nPicks by hardware id: {ids}", result)


def run_compare(context: ToolContext, args: BaseModel) -> Outcome:
    query = core_model(RecommendQuery, args)
    cmp = compare(context.get_catalog(), query, context.get_rules())
    result = CompareResult(
        model=context.get_catalog().models.get(query.model).id,
        model_name=cmp.model_name,
        query=query,
        sides=_result_options(cmp.sides),
        missing=cmp.missing,
        winners=cmp.winners,
        answer=cmp.answer,
    )
    winners = "; ".join(f"{use}: {box or 'none'}" for use, box in cmp.winners.model_dump().items())
    sides = "; ".join(_option_line(side) for side in cmp.sides)
    text = f"{cmp.answer.strip()}\n\nBy hardware id: {sides}. Winners: {winners}."
    if cmp.missing:
        text += f" Cannot run it: {', '.join(cmp.missing)}."
    return Outcome(text, result)


# --- the catalog -----------------------------------------------------------------------------


def entry_summary(entry: CatalogEntry) -> str:
    """The figures that tell entries of one kind apart, in one line."""
    if isinstance(entry, Hardware):
        price = f"${entry.price_usd:,.0f}" if entry.price_usd else "price unknown"
        cluster = f", up to {entry.max_units} units" if entry.max_units > 1 else ""
        return (
            f"{entry.memory_gb:g} GB ({entry.usable_gb:g} usable by default), "
            f"{entry.bandwidth_gbs:g} GB/s, {entry.family} {entry.kind}, {price}{cluster}"
        )
    if isinstance(entry, Model):
        size = f"{entry.params_total_b:g}B parameters"
        if entry.is_moe:
            size += f", {entry.params_active_b:g}B active (MoE)"
        return (
            f"{size}, {entry.attention} attention, native {entry.native_dtype}, "
            f"up to {entry.max_context:,} tokens of context"
        )
    if isinstance(entry, WeightFormat):
        scope = ", experts only" if entry.applies_to == "experts" else ""
        return f"{entry.bits:g} bits per weight ({entry.kind}{scope})"
    if isinstance(entry, Engine):
        return f"runs on {', '.join(entry.families)}; formats: {', '.join(entry.formats)}"
    if isinstance(entry, Link):
        speed = f"{entry.gbps:g} Gb/s" if entry.gbps else "no data rate"
        latency = f", {entry.latency_us:g} µs" if entry.latency_us else ""
        return speed + latency
    return entry.name


def _item(section: SectionName, entry: CatalogEntry) -> CatalogItem:
    return CatalogItem(
        section=section,
        id=entry.id,
        name=entry.name,
        aliases=list(entry.aliases),
        summary=entry_summary(entry),
    )


def run_list_catalog(context: ToolContext, args: BaseModel) -> Outcome:
    section: SectionName = args.model_dump()["section"]
    entries: list[CatalogEntry] = list(context.get_catalog().section(section))
    items = [_item(section, entry) for entry in entries]
    lines = [f"{len(items)} {section} (id: name: figures):"]
    lines += [f"{item.id}: {item.name}: {item.summary}" for item in items]
    return Outcome("\n".join(lines), CatalogListing(section=section, items=items))


SIMILAR_RATIO = 70  # rapidfuzz ratio (0-100) a typo must reach against some name of the entry


def search_catalog(
    catalog: Catalog, query: str, section: SectionName | None, limit: int
) -> list[CatalogMatch]:
    """Exact matches (id, name or alias) first, then names the query is part of; typos only
    when neither found anything."""
    key = name_key(query)
    found: dict[tuple[str, str], CatalogMatch] = {}

    def add(name: SectionName, entry: CatalogEntry, how: str) -> None:
        if (name, entry.id) not in found:
            item = _item(name, entry)
            found[(name, entry.id)] = CatalogMatch(
                **item.model_dump(), match=how, entry=entry.model_dump(mode="json")
            )

    sections = [section] if section else list(SECTION_NAMES)
    for name in sections:
        exact = catalog.section(name).find(query)
        if exact is not None:
            add(name, exact, "exact")
    for name in sections:
        entries: list[CatalogEntry] = list(catalog.section(name))
        for entry in entries:
            keys = (name_key(n) for n in (entry.id, entry.name, *entry.aliases))
            if key and any(key in k for k in keys):
                add(name, entry, "partial")
    if not found:  # a typo: the core's "did you mean", less the far-fetched
        from rapidfuzz import fuzz

        for name in sections:
            for entry_id in catalog.section(name).suggest(query):
                entry = catalog.section(name).get(entry_id)
                names = (entry.id, entry.name, *entry.aliases)
                if max(fuzz.ratio(key, name_key(n)) for n in names) >= SIMILAR_RATIO:
                    add(name, entry, "similar")
    return list(found.values())[:limit]


def run_search_catalog(context: ToolContext, args: BaseModel) -> Outcome:
    values = args.model_dump()
    matches = search_catalog(
        context.get_catalog(), values["query"], values["section"], values["limit"]
    )
    result = CatalogSearch(query=values["query"], matches=matches)
    if not matches:
        where = f"section '{values['section']}'" if values["section"] else "the catalog"
        return Outcome(
            f"Nothing in {where} matches '{values['query']}'. Try another spelling, or "
            "list_catalog to see every id; the advisor only knows what its catalog holds.",
            result,
        )
    lines = [f"Matches for '{values['query']}' (section id: name: figures):"]
    lines += [f"[{m.match}] {m.section} {m.id}: {m.name}: {m.summary}" for m in matches]
    return Outcome("\n".join(lines), result)


# --- the registry ----------------------------------------------------------------------------

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        name="estimate_llm_on_hardware",
        purpose=(
            "Figures for running one LLM locally on one box, card or cluster: whether it fits "
            "in memory (GB needed against GB usable), decode speed in tokens/s with its likely "
            "range, prefill speed, time to first token, price, and a verdict "
            f"({VERDICT_SCALE}) with the rules behind it. Use it whenever the user names both "
            "a model and the hardware ('can a DGX Spark run Llama 3.3 70B?', 'how fast is "
            "DeepSeek-R1 on two Mac Studios?'). The figures are computed from a sourced catalog "
            "and a calibrated model: quote them rather than guessing."
        ),
        args_model=EstimateArgs,
        result_model=EstimateResult,
        answer=run_estimate,
    ),
    Operation(
        name="recommend_hardware",
        purpose=(
            "Which box (or pair of boxes) to buy to run a given LLM locally: judges every box "
            "in the catalog at the usual formats and cluster sizes, under an optional budget "
            "and speed bar, and returns the best pick, the cheapest that meets the bar, the "
            "fastest and the best value, with the reasons in words. Use it when the user names "
            "a model but not the hardware, or asks what to buy."
        ),
        args_model=RecommendArgs,
        result_model=RecommendResult,
        answer=run_recommend,
    ),
    Operation(
        name="compare_hardware",
        purpose=(
            "Compare two or more named boxes for one LLM: the best way to run it on each, and "
            "which one wins for chat (decode speed), long prompts (time to first token), "
            "serving several users, and price per speed. Use it when the user weighs specific "
            "boxes against each other ('DGX Spark or Mac Studio for DeepSeek?')."
        ),
        args_model=CompareArgs,
        result_model=CompareResult,
        answer=run_compare,
    ),
    Operation(
        name="list_catalog",
        purpose=(
            "List every entry in one section of the advisor's catalog (hardware, models, "
            "weight formats, engines or links) with its id and key figures. Use it to see what "
            "the advisor knows or to find the id to pass to the other tools."
        ),
        args_model=ListCatalogArgs,
        result_model=CatalogListing,
        answer=run_list_catalog,
    ),
    Operation(
        name="search_catalog",
        purpose=(
            "Turn a name as the user wrote it (product name, alias, typo, Chinese name) into "
            "catalog ids, best match first, each with its figures and their sources. Use it "
            "before the other tools when you are unsure of an id, or after one of them reports "
            "an unknown name."
        ),
        args_model=SearchCatalogArgs,
        result_model=CatalogSearch,
        answer=run_search_catalog,
    ),
    Operation(
        name="explain_verdict",
        purpose=(
            "Explain in words, in Chinese ('zh') or English ('en'), whether an LLM runs well on "
            "a box and why: the verdict, the bottleneck, and what to change. Takes the same "
            "arguments as estimate_llm_on_hardware plus `lang`. Use it when the user wants the "
            "reasoning rather than the figures, or an answer in Chinese."
        ),
        args_model=ExplainArgs,
        result_model=ExplainResult,
        answer=run_explain,
    ),
)


def operation(name: str) -> Operation:
    for op in OPERATIONS:
        if op.name == name:
            return op
    raise KeyError(name)
