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

from advisor.ask.names import (
    box_specs,
    box_with_units,
    boxes_and_counts,
    hardware_named,
    model_named,
)
from advisor.ask.variants import boxes_on_lines, request_on_line
from advisor.catalog import Catalog, name_key, names_of
from advisor.catalog.entries import CatalogEntry, Engine, Hardware, Link, Model, WeightFormat
from advisor.choose import estimate_request
from advisor.context import Advisor, load_advisor
from advisor.errors import AdvisorError, CatalogFileError, UnknownName, printable
from advisor.judge import Option
from advisor.recommend import capacity, compare, recommend
from advisor.render.answers import (
    render_capacity,
    render_comparison,
    render_option,
    render_recommendation,
    render_upgrade,
)
from advisor.render.data import comparison_data, option_data, recommendation_data, upgrade_data
from advisor.render.formats import a_tokens, duration, figure, gigabytes_of, money
from advisor.render.tables import decode_limit
from advisor.requests import SERVING_BATCH, Constraints, EstimateRequest, RecommendQuery
from advisor.setups import default_context_for
from advisor.tools.schemas import (
    PICKS,
    SECTION_NAMES,
    VERDICT_SCALE,
    CapacityArgs,
    CapacityModel,
    CapacityResult,
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
    RecommendArgs,
    RecommendResult,
    SearchCatalogArgs,
    SectionName,
    UpgradeArgs,
    UpgradeResult,
)
from advisor.upgrade import upgrade

M = TypeVar("M", bound=BaseModel)


class ToolInputError(Exception):
    """A call the agent can fix: the message says what was wrong and how to call again."""

    def __init__(self, message: str) -> None:
        super().__init__(printable(message))
        self.message = printable(message)


@dataclass
class ToolContext:
    """The context the tools answer from: by default the one every face builds (the built-in
    files plus the user's own catalog, rules and settings), loaded on the first call."""

    advisor: Advisor | None = None

    def get_advisor(self) -> Advisor:
        if self.advisor is None:
            self.advisor = load_advisor()
        return self.advisor

    def get_catalog(self) -> Catalog:
        return self.get_advisor().catalog


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
        except Exception as exc:  # a bug: the agent still gets a message, never a traceback
            raise ToolInputError(
                f"The advisor failed on this call ({exc.__class__.__name__}: {exc}). This is a "
                "fault in the advisor, not in the arguments: tell the user the figures are "
                "unavailable rather than guessing them."
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


# --- estimate and explain --------------------------------------------------------------------


def core_model(model: type[M], args: BaseModel, advisor: Advisor) -> M:
    """The core's own request made of the arguments the agent gave (argument models extend the
    core's request models, so each of its fields is there), the user's settings filling what
    the call leaves out, as they do for the CLI."""
    given = args.model_dump(exclude_unset=True)
    values = advisor.settings.fill_unsaid(given, model.model_fields, given.get("lang", "en"))
    unstated_context = (
        given.get("context_tokens") is None and "context_tokens" in model.model_fields
    )
    if unstated_context and values.get("context_tokens") and "model" in values:
        context = default_context_for(advisor.catalog, values["model"], values["context_tokens"])
        values["context_tokens"] = context
    return model(**{k: v for k, v in values.items() if k in model.model_fields})


def _named(advisor: Advisor, request: EstimateRequest) -> EstimateRequest:
    """Names as the user typed them ("m3-ultra-512", "Llama 3.3 70B") resolved the CLI's way."""
    model = model_named(advisor.catalog, request.model)
    hardware, units = box_with_units(advisor.catalog, request.hardware, request.units)
    return request.model_copy(update={"model": model, "hardware": hardware, "units": units})


def _named_query(advisor: Advisor, query: RecommendQuery) -> RecommendQuery:
    boxes = tuple(hardware_named(advisor.catalog, h) for h in query.hardware or ())
    model = model_named(advisor.catalog, query.model)
    return query.model_copy(update={"model": model, "hardware": boxes or None})


def _option(context: ToolContext, args: BaseModel) -> tuple[Option, str]:
    """The option for a tool's estimate, and what a box given by its line was read as."""
    advisor = context.get_advisor()
    asked = core_model(EstimateRequest, args, advisor)
    constraints = core_model(Constraints, args, advisor)
    request, note = request_on_line(advisor, _named(advisor, asked), constraints, asked.hardware)
    return estimate_request(advisor, request, constraints), note


def _option_line(option: Option | None) -> str:
    if option is None:
        return "none"
    units = f" x{option.units}" if option.units > 1 else ""
    speed = (
        "does not fit" if option.decode_tok_s is None else f"{figure(option.decode_tok_s)} tok/s"
    )
    return (
        f"{option.hardware}{units} ({option.quant} on {option.engine}, "
        f"{speed}, {money(option.price, option.currency)})"
    )


def estimate_text(result: EstimateResult) -> str:
    """The figures in a few lines, for the model to read and quote. No speed is given for a
    setup that does not fit."""
    o = result.option
    m = o.memory
    boxes = result.hardware_name
    if o.units > 1:
        boxes = f"{o.units} x {boxes} ({o.split} split over {o.link})"
    lines = [
        f"{result.model_name} on {boxes}: {o.quant} on {o.engine}",
        f"verdict: {o.verdict} (scale: {VERDICT_SCALE})",
        f"memory: {_fit_words(o)} (weights {figure(m.weights_gb)}, KV cache "
        f"{figure(m.kv_cache_gb)})",
    ]
    if o.decode_tok_s is not None and o.decode_band is not None:
        lines += [
            f"decode: {figure(o.decode_tok_s)} tok/s per sequence (likely "
            f"{figure(o.decode_band.low)}-{figure(o.decode_band.high)}), {decode_limit(o)}; "
            f"{figure(o.decode_tok_s_full_context)} tok/s at the full "
            f"{o.context_tokens:,}-token context; {figure(o.decode_tok_s_conversation)} tok/s "
            "averaged over a conversation growing to it (the verdict judges this)",
            f"prefill: {figure(o.prefill_tok_s)} tok/s; first token after {duration(o.ttft_s)} "
            f"for {a_tokens(o.prompt_tokens)}-token prompt; {o.output_tokens:,} tokens in "
            f"{duration(o.generation_s)}",
            f"serving {SERVING_BATCH} at once: {figure(o.batch_tok_s)} tok/s in total"
            if o.batch_tok_s is not None
            else f"serving {SERVING_BATCH} at once: their contexts do not fit in memory",
        ]
        if o.concurrency > 1:
            lines.insert(4, f"{o.concurrency} at once: {figure(o.decode_tok_s_aggregate)} tok/s")
    else:
        lines.append("speed: none, because it does not fit; do not quote a speed for it")
    if o.price is not None:
        value = (
            f" ({o.tok_s_per_1000:.2f} tok/s per 1,000 {o.currency})" if o.tok_s_per_1000 else ""
        )
        lines.append(f"price: {money(o.price, o.currency)}{value}")
    if o.fired_rules:
        lines.append("rules fired: " + ", ".join(o.fired_rules))
    lines.append(
        "calibration: "
        + (
            "fitted on measurements of this platform and engine"
            if o.calibrated
            else "no measurements for this platform/engine, treat as rough"
        )
    )
    return "\n".join(lines)


def _fit_words(o: Option) -> str:
    m = o.memory
    needed = gigabytes_of(m.total_gb, m.usable_gb)
    if m.fits:
        return f"fits: {needed} GB needed of {figure(m.usable_gb)} GB usable"
    if m.fits_if_raised:
        return (
            f"fits only after raising the GPU memory limit: {figure(m.total_gb)} GB needed, "
            f"{figure(m.usable_gb)} GB usable by default, {figure(m.usable_max_gb)} GB raised"
        )
    return f"does NOT fit: {needed} GB needed of {figure(m.usable_gb)} GB usable"


def run_estimate(context: ToolContext, args: BaseModel) -> Outcome:
    catalog = context.get_catalog()
    option, note = _option(context, args)
    result = EstimateResult(
        model_name=catalog.models.get(option.model).name,
        hardware_name=catalog.hardware.get(option.hardware).name,
        option=OptionResult.model_validate(option_data(option)),
    )
    return Outcome((f"{note}.\n\n" if note else "") + estimate_text(result), result)


def run_explain(context: ToolContext, args: BaseModel) -> Outcome:
    lang = args.model_dump()["lang"]
    option, note = _option(context, args)
    text = (f"{note}.\n\n" if note else "") + render_option(context.get_catalog(), option, lang)
    result = ExplainResult(lang=lang, verdict=option.verdict, text=text, findings=option.findings)
    return Outcome(text, result)


# --- recommend and compare -------------------------------------------------------------------


def run_recommend(context: ToolContext, args: BaseModel) -> Outcome:
    advisor = context.get_advisor()
    rec = recommend(advisor, _named_query(advisor, core_model(RecommendQuery, args, advisor)))
    text = render_recommendation(advisor.catalog, rec)
    result = RecommendResult.model_validate(recommendation_data(rec, text))
    picks = {name: getattr(rec.picks, name) for name in PICKS}
    ids = "; ".join(f"{name}: {_option_line(option)}" for name, option in picks.items())
    return Outcome(f"{text.strip()}\n\nPicks by hardware id: {ids}", result)


def run_compare(context: ToolContext, args: BaseModel) -> Outcome:
    advisor = context.get_advisor()
    asked = core_model(RecommendQuery, args, advisor)
    boxes, counts = boxes_and_counts(advisor.catalog, asked.hardware or ())  # "2x dgx-spark"
    query = _named_query(advisor, asked.model_copy(update={"hardware": boxes}))
    lined, notes = boxes_on_lines(advisor, query, box_specs(asked.hardware or ()), counts)
    cmp = compare(advisor, query.model_copy(update={"hardware": lined}), counts)
    text = "".join(f"{note}.\n\n" for note in notes) + render_comparison(advisor.catalog, cmp)
    result = CompareResult.model_validate(comparison_data(cmp, text))
    winners = "; ".join(f"{use}: {box or 'none'}" for use, box in cmp.winners.model_dump().items())
    sides = "; ".join(_option_line(side) for side in cmp.sides)
    answer = f"{text.strip()}\n\nBy hardware id: {sides}. Winners: {winners}."
    if cmp.missing:
        answer += f" Cannot run it: {', '.join(cmp.missing)}."
    return Outcome(answer, result)


def run_upgrade(context: ToolContext, args: BaseModel) -> Outcome:
    advisor = context.get_advisor()
    values = args.model_dump()
    have = advisor.catalog.hardware.get(hardware_named(advisor.catalog, values["have"])).id
    query = _named_query(advisor, core_model(RecommendQuery, args, advisor))
    up = upgrade(advisor, query, have, values["have_units"])
    text = render_upgrade(advisor.catalog, up)
    result = UpgradeResult.model_validate(upgrade_data(up, text))
    best = up.cheapest_step
    step = f"{best.kind} {best.option.units} x {best.option.hardware}" if best else "none"
    return Outcome(f"{text.strip()}\n\nCheapest step by hardware id: {step}.", result)


def run_capacity(context: ToolContext, args: BaseModel) -> Outcome:
    advisor = context.get_advisor()
    given = args.model_dump(exclude_unset=True)
    values = advisor.settings.fill_unsaid(given, CapacityArgs.model_fields, given.get("lang", "en"))
    quant = values.get("quant")
    found = capacity(
        advisor,
        hardware_named(advisor.catalog, values["hardware"]),
        units=values.get("units", 1),
        context_tokens=values["context_tokens"],
        formats=(quant,) if quant else None,
        min_tok_s=values.get("min_tok_s"),
        currency=values.get("currency", "USD"),
        concurrency=values.get("concurrency", 1),
    )
    text = render_capacity(advisor.catalog, found, values.get("lang", "en"))
    result = CapacityResult(
        hardware=found.hardware,
        hardware_name=found.hardware_name,
        units=found.units,
        concurrency=found.concurrency,
        usable_gb=found.usable_gb,
        usable_max_gb=found.usable_max_gb,
        speed_bar=found.speed_bar,
        largest=found.largest.option.model if found.largest else None,
        largest_meeting_bar=found.largest_usable.option.model if found.largest_usable else None,
        models=[
            CapacityModel(
                model=row.option.model,
                model_name=row.model_name,
                params_b=row.params_b,
                option=OptionResult.model_validate(option_data(row.option)),
            )
            for row in found.fits
        ],
        answer=text,
    )
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
            keys = (name_key(n) for n in names_of(entry))
            if key and any(key in k for k in keys):
                add(name, entry, "partial")
    if not found:  # a typo: the core's "did you mean", less the far-fetched
        from rapidfuzz import fuzz

        for name in sections:
            for entry_id in catalog.section(name).suggest(query):
                entry = catalog.section(name).get(entry_id)
                names = tuple(names_of(entry))
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
            f"Nothing in {where} matches '{printable(values['query'])}'. Try another spelling, or "
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
        name="upgrade_hardware",
        purpose=(
            "The user already owns a box or card and asks what to add or buy to run an LLM: "
            "keeping it, adding more of it, and buying each other box are judged and ranked "
            "by what they cost on top of what is owned, with speeds and verdicts. Use it for "
            "'I have a 4090; add a second card or buy a Spark for Qwen3 235B?' or "
            "'我有两张 3090，加卡还是换 Mac？'."
        ),
        args_model=UpgradeArgs,
        result_model=UpgradeResult,
        answer=run_upgrade,
    ),
    Operation(
        name="largest_models_on_hardware",
        purpose=(
            "The largest LLMs one box, card or cluster can run: every catalog model that fits, "
            "largest first, each at its best setup with decode speed, and the largest that "
            "still reaches a speed bar (min_tok_s, default 5 tok/s). Use it when the user "
            "has or names a box and asks what it can run ('what's the biggest model two "
            "DGX Sparks run at 10 tok/s?', '4090 最大能跑多大的模型')."
        ),
        args_model=CapacityArgs,
        result_model=CapacityResult,
        answer=run_capacity,
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
