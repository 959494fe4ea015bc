"""What the agent tools take and give back, derived from the core's own models.

Argument models are subclasses of the core's request models (`EstimateRequest`, `Constraints`,
`RecommendQuery`): every field keeps its type, default, bounds and validators, and gains a note
for an LLM (units, id formats, which tool lists the ids) appended to the core's description.
Result models are built from the core's result models. Nothing here writes a JSON schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal, Optional, cast, get_args

from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic.json_schema import SkipJsonSchema

from advisor.facts import Facts
from advisor.judge import Option
from advisor.recommend import Winners
from advisor.requests import (
    DEFAULT_BAR_TOK_S,
    DEFAULT_MAX_UNITS,
    MAX_NAME_CHARS,
    SERVING_BATCH,
    Constraints,
    Currency,
    EstimateRequest,
    Language,
    RecommendQuery,
)
from advisor.rules import FiredRule, Verdict

SectionName = Literal["hardware", "models", "formats", "engines", "links"]
SECTION_NAMES: tuple[SectionName, ...] = ("hardware", "models", "formats", "engines", "links")
VERDICT_SCALE = "wont_fit < not_usable < poc_only < usable < comfortable"

_LIST_IDS = "list_catalog(section='{section}') lists the ids; search_catalog finds one by name"


# Fields a call may leave out to get the user's saved setting (as the CLI and the app do).
FROM_SETTINGS = frozenset({"context_tokens", "currency", "max_units"})


def noted(model: type[BaseModel], field: str, note: str) -> tuple[Any, Any]:
    """`model`'s field with `note` after its description: the same type, bounds and default
    (a field the user's settings fill is optional, its default named)."""
    info = model.model_fields[field]
    if info.alias or info.examples or info.json_schema_extra:
        raise TypeError(f"noted() would drop the alias or examples of {model.__name__}.{field}")
    description = " ".join(part for part in (info.description, note) if part)
    annotation = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    if field in FROM_SETTINGS:
        default = DEFAULT_MAX_UNITS if field == "max_units" else info.default
        description += f" Leave out for the user's saved setting, else {default}."
        return Optional[annotation], Field(default=None, description=description)  # noqa: UP045
    if info.default_factory is not None:
        return annotation, Field(default_factory=info.default_factory, description=description)
    return annotation, Field(default=info.default, description=description)


def derive_args(
    name: str,
    bases: tuple[type[BaseModel], ...],
    *,
    doc: str,
    example: Mapping[str, Any],
    notes: Mapping[str, str],
    extra: Mapping[str, Any] | None = None,
) -> type[BaseModel]:
    """A tool's argument model: a subclass of `bases` whose fields carry `notes` for an LLM.

    `extra` adds or replaces fields (one borrowed with `noted`, or one a tool needs stricter
    than the core). The worked example goes in the schema's `examples`. Every field must end up
    with a description.
    """
    config = ConfigDict(json_schema_extra={"examples": [dict(example)]})
    # create_model() takes a config together with a base only from pydantic 2.11.4 on, so the
    # config rides on an intermediate class.
    with_example = cast(
        "type[BaseModel]",
        type(f"{name}Base", bases, {"__module__": __name__, "model_config": config}),
    )
    fields: dict[str, Any] = {f: noted(with_example, f, note) for f, note in notes.items()}
    fields.update(extra or {})
    model = create_model(name, __base__=with_example, __module__=__name__, __doc__=doc, **fields)
    bare = sorted(field for field, info in model.model_fields.items() if not info.description)
    if bare:
        raise TypeError(f"{name}: describe {', '.join(bare)} for the LLM")
    return model


# --- arguments -------------------------------------------------------------------------------

_MIN_VERDICT_NOTE = (
    "'comfortable' when the user wants the model to run smoothly ('流畅', 'runs smoothly'); "
    "leave out otherwise (the bar is then 'usable')."
)
_REQUEST_NOTES = {
    "model": "Catalog ids are lowercase with dashes (llama-3.3-70b, deepseek-r1, qwen3-32b); "
    + _LIST_IDS.format(section="models")
    + ".",
    "hardware": "One box or card (a cluster is `units` of it); ids like dgx-spark, rtx-5090, "
    "mac-studio-m3-ultra-80c-512gb; " + _LIST_IDS.format(section="hardware") + ".",
    "quant": "Ids like q4_k_m, q8_0, mlx-4bit, fp8, bf16; list_catalog(section='formats').",
    "quant_as_named": "True when the user names the format itself ('Q4_K_M', 'a 4-bit GGUF', "
    "'MLX 4-bit'), to run it as named; false for bits alone ('4-bit'), which any engine's format "
    "of those bits meets.",
    "units": "1 for a single box; 2 or more for a cluster of the same box.",
    "link": "Only with units > 1; default: the box's usual link. list_catalog(section='links').",
    "split": "Only with units > 1; default: the engine's usual split.",
    "engine": "Ids like llama.cpp, mlx, vllm, sglang, ollama; list_catalog(section='engines').",
    "context_tokens": "In tokens, as a whole number (32k is 32768).",
    "prompt_tokens": "In tokens; with depth_tokens it must fit in context_tokens.",
    "depth_tokens": "In tokens; 0 for a fresh conversation.",
    "output_tokens": "In tokens; sets how long generation takes.",
    "concurrency": "1 for one user; more to judge serving several at once.",
    "kv_dtype": "Leave at f16 unless the user quantizes the KV cache.",
    "raise_memory_limit": "Matters on Macs only, where the default GPU limit is about 75% of RAM.",
    "budget": "In `currency`, for all units together; leave out for no limit.",
    "currency": "'USD', 'CNY' or 'EUR'.",
    "min_tok_s": "Decode tokens per second per sequence; leave out if the user did not say.",
    "min_verdict": _MIN_VERDICT_NOTE,
    "max_ttft_s": "Longest wait for the first token the user accepts, in seconds ('first token "
    "within 10 s': 10); leave out if the user did not say.",
    "have_host": "Set when the user says so ('I already have a PC'); otherwise a typical host "
    "is priced with the cards.",
    "hours_per_day": "Leave at 8 unless the user says how much the box will work.",
    "electricity": "Leave out unless the user lives in another currency's region than the one "
    "prices are shown in (a Chinese buyer who asks for dollars: 'CNY').",
    "kwh_price": "Only when the user states their electricity price, per kWh, in `electricity` "
    "(or `currency`): 'we pay 1 yuan a kWh' is kwh_price=1, electricity='CNY'.",
    "unit_prices": "Only when the user was offered a price for a box, per unit, e.g. "
    "[{'hardware': 'rtx-3090', 'price': 600}] for used 3090s at $600 each; leave out otherwise.",
}

EstimateArgs = derive_args(
    "EstimateArgs",
    (Constraints, EstimateRequest),
    doc="One model on one box (or a cluster of it), the work it does, and what the buyer wants.",
    example={"model": "llama-3.3-70b", "hardware": "dgx-spark", "context_tokens": 32768},
    notes=_REQUEST_NOTES,
)

ExplainArgs = derive_args(
    "ExplainArgs",
    (EstimateArgs,),
    doc="The same question as estimate_llm_on_hardware, answered in words in one language.",
    example={"model": "deepseek-r1", "hardware": "mac-studio-m3-ultra-80c-512gb", "lang": "zh"},
    notes={},
    extra={"lang": noted(RecommendQuery, "lang", "Language of the answer: 'zh' or 'en'.")},
)

_QUERY_NOTES = {
    "model": _REQUEST_NOTES["model"],
    "engine": _REQUEST_NOTES["engine"] + " Leave out to try each engine the platform runs.",
    "split": _REQUEST_NOTES["split"],
    "link": _REQUEST_NOTES["link"],
    "quants": "Format ids, e.g. ['q4_k_m', 'q8_0']; leave out to try the usual 4- and 8-bit ones.",
    "native_only": "True when the user insists on the model's own full-precision weights.",
    "quant_as_named": "True when the user names the format itself ('Q4_K_M', 'a 4-bit GGUF', "
    "'MLX 4-bit'), to run it as named; false for bits alone ('4-bit'), which any engine's format "
    "of those bits meets.",
    "context_tokens": "Context window to plan for, in tokens (32k is 32768).",
    "prompt_tokens": "Typical prompt length in tokens, for time to first token; "
    "default: 1024 or the context window if smaller.",
    "output_tokens": "Typical answer length in tokens.",
    "concurrency": "Sequences served at once; 1 for one user.",
    "min_tok_s": "Slowest decode the user accepts, in tokens/s per sequence; "
    f"default bar: {DEFAULT_BAR_TOK_S:g} (interactive).",
    "min_verdict": _MIN_VERDICT_NOTE,
    "max_ttft_s": "Longest wait for the first token the user accepts, in seconds, for "
    "`prompt_tokens` (under the team's load when concurrency > 1); leave out if not said.",
    "budget": "Most the user will spend, in `currency`, for all units together; "
    "leave out for no limit.",
    "currency": "'USD', 'CNY' or 'EUR'; prices and the budget are in it.",
    "max_units": "Largest cluster to consider; 1 for single boxes only.",
    "one_machine": "True when the user wants one machine ('one box', 'a single workstation'): "
    "a box alone, or one PC with two cards; leave out otherwise.",
    "prefer": "'cheapest' when the user asks for the cheapest box that does the job, 'fastest' "
    "for the fastest, 'first_token' for the shortest wait for the first token (time to first "
    "token, TTFT); leave out otherwise.",
    "new_only": "True only when the user says they want nothing used.",
    "have_host": _REQUEST_NOTES["have_host"],
    "hours_per_day": _REQUEST_NOTES["hours_per_day"],
    "electricity": _REQUEST_NOTES["electricity"],
    "kwh_price": _REQUEST_NOTES["kwh_price"],
    "unit_prices": _REQUEST_NOTES["unit_prices"],
    "hardware": "Hardware ids; leave out to consider every box in the catalog. "
    + _LIST_IDS.format(section="hardware")
    + ".",
    "lang": "Language of the `answer` text: 'en' or 'zh'.",
}

RecommendArgs = derive_args(
    "RecommendArgs",
    (RecommendQuery,),
    doc="A model to run, how it will be used, and what the buyer can spend.",
    example={"model": "llama-3.3-70b", "budget": 5000, "currency": "USD", "min_tok_s": 10},
    notes=_QUERY_NOTES,
)

CompareArgs = derive_args(
    "CompareArgs",
    (RecommendQuery,),
    doc="A model and two or more named boxes to compare for it.",
    example={"model": "deepseek-r1", "hardware": ["dgx-spark", "mac-studio-m3-ultra-80c-512gb"]},
    notes={k: v for k, v in _QUERY_NOTES.items() if k != "hardware"},
    extra={
        "hardware": (
            tuple[Annotated[str, Field(max_length=MAX_NAME_CHARS)], ...],
            Field(
                min_length=2,
                max_length=64,
                description="Two or more hardware ids or names to compare, e.g. "
                "['dgx-spark', 'rtx-5090']; a count before one fixes how many of it, and one box "
                "at two counts compares them: ['dgx-spark', '2x dgx-spark']; "
                + _LIST_IDS.format(section="hardware")
                + ".",
            ),
        )
    },
)


UpgradeArgs = derive_args(
    "UpgradeArgs",
    (RecommendQuery,),
    doc="What the user already owns, the model they want to run, and what they can add.",
    example={"have": "rtx-4090", "have_units": 1, "model": "qwen3-235b-a22b", "budget": 6000},
    notes={
        **{k: v for k, v in _QUERY_NOTES.items() if k != "hardware"},
        "budget": "Most the user will spend on top of what they own, in `currency`; "
        "leave out for no limit.",
        "hardware": "Boxes they would buy instead (hardware ids); leave out to consider every "
        "box. " + _LIST_IDS.format(section="hardware") + ".",
    },
    extra={
        "have": (
            str,
            Field(
                min_length=1,
                max_length=MAX_NAME_CHARS,
                description="Hardware id (or name) of the box the user owns, e.g. 'rtx-4090'.",
            ),
        ),
        "have_units": (
            int,
            Field(default=1, ge=1, le=64, description="How many of it they own."),
        ),
    },
)


class UpgradePathResult(BaseModel):
    """One way forward from what the user owns."""

    kind: Literal["keep", "add", "buy"] = Field(
        description="keep what they have, add units of it, or buy another box"
    )
    hardware: str = Field(description="Hardware id.")
    units: int = Field(description="Units used in all (owned plus bought, for 'add').")
    added_units: int = Field(description="Units bought.")
    cost: float | None = Field(description="What it costs on top of what they own; None: unpriced.")
    in_budget: bool
    works: bool = Field(description="Runs at a working verdict and meets the speed bar.")
    step_up: bool = Field(
        description="Works and, when what they own already works, decodes clearly faster."
    )
    option: OptionResult


class UpgradeResult(BaseModel):
    """Keep, add or buy, ranked by extra spend (the same object `advisor upgrade --json` prints)."""

    model: str
    model_name: str
    query: RecommendQuery
    have: Pick
    keep: UpgradePathResult
    paths: list[UpgradePathResult] = Field(description="Adding and buying, best first.")
    cheapest_step: UpgradePathResult | None = Field(
        description="The least extra spend that works (and is clearly faster, when what they "
        "own already works)."
    )
    cheapest_over_budget: UpgradePathResult | None = Field(
        description="When nothing within the budget works: the least extra spend that does."
    )
    fastest: UpgradePathResult | None = Field(
        description="The cheapest step up within the budget whose decode is within 5% of the "
        "fastest's."
    )
    fastest_tok_s: float | None = Field(
        description="The fastest decode of any step up within the budget."
    )
    fastest_in_band: bool = Field(
        default=False,
        description="`fastest` is a cheaper one within 5% of the fastest, not the fastest itself.",
    )
    fastest_top_cost: float | None = Field(
        default=None,
        description="The extra cost of the fastest step up, when `fastest` is a cheaper one.",
    )
    fewer_owned: OptionResult | None = Field(
        default=None,
        description="Fewer of the units owned, set up otherwise, when that runs the model "
        "clearly better than all of them (vLLM splits a model over 2 or 4 cards, not 3): free.",
    )
    answer: str = Field(description="The advice in words, in the asked language.")


class CapacityArgs(BaseModel):
    """A box (or a cluster of it) and how fast a model must run on it."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        json_schema_extra={"examples": [{"hardware": "dgx-spark", "units": 2, "min_tok_s": 10}]},
    )

    hardware: str = Field(
        min_length=1,
        max_length=MAX_NAME_CHARS,
        description="One box or card, e.g. 'dgx-spark' or 'rtx-4090'; "
        + _LIST_IDS.format(section="hardware")
        + ".",
    )
    units: int = Field(default=1, ge=1, le=64, description="How many of it, joined as a cluster.")
    min_tok_s: float | None = Field(
        default=None,
        gt=0,
        le=100_000,
        description="Slowest decode, tokens/s per user, the largest model must still reach; "
        "default 5 (below that a model is not usable).",
    )
    context_tokens: int | None = Field(
        default=None,
        ge=1,
        le=10_000_000,
        description="Context window each model must hold, in tokens (32k is 32768). Leave out "
        "for the user's saved setting, else 8192.",
    )
    quant: str | None = Field(
        default=None,
        max_length=MAX_NAME_CHARS,
        description="Weight format every model is run at, e.g. 'q4_k_m', 'q8_0' or 'native'; "
        "default: the best usual one per model.",
    )
    concurrency: int = Field(
        default=1,
        ge=1,
        le=4096,
        description="Users served at once, each with `context_tokens` of context; 1 for one "
        "user. `min_tok_s` is then each user's speed.",
    )
    currency: Currency | None = Field(
        default=None,
        description="'USD', 'CNY' or 'EUR' for the box's price; leave out for the user's "
        "saved setting.",
    )
    lang: Language = Field(default="en", description="Language of the `answer` text.")


class ListCatalogArgs(BaseModel):
    """Which part of the catalog to list."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra={"examples": [{"section": "hardware"}]}
    )

    section: SectionName = Field(
        description="'hardware' (boxes and cards with memory, bandwidth, price), 'models' "
        "(LLMs with size and architecture), 'formats' (quantizations with bits per weight), "
        "'engines' (llama.cpp, mlx, vllm, ...) or 'links' (what joins units of a cluster)."
    )


class SearchCatalogArgs(BaseModel):
    """A name as the user wrote it, to turn into catalog ids."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"examples": [{"query": "asus ascent gx10"}, {"query": "m3 ultra"}]},
    )

    query: str = Field(
        min_length=1,
        max_length=200,
        description="Any spelling: an id, a product name, an alias, a typo or a Chinese name "
        "('llama3 70b', 'strix halo', '满血deepseek').",
    )
    section: SectionName | None = Field(
        default=None, description="Search only this section; default: all of them."
    )
    limit: int = Field(default=8, ge=1, le=50, description="Most matches to return.")


# --- results ---------------------------------------------------------------------------------


class OptionResult(Option):
    """One way to run the model: a box (or several), a format and an engine, with every figure
    the advisor shows for it. Speeds are null where the model does not fit."""

    # The core keeps the typed facts the rules read on each option and never dumps them; the
    # tools leave them out of their schema too, so their output validates against it.
    facts: SkipJsonSchema[Facts | None] = Field(  # type: ignore[assignment]
        default=None, exclude=True
    )


class EstimateResult(BaseModel):
    """One model on one box (or cluster): the best setup, its figures, the verdict and the
    rules behind it (`option`, the same object `advisor estimate --json` prints)."""

    model_name: str
    hardware_name: str
    option: OptionResult


class ExplainResult(BaseModel):
    """The verdict for one model on one box, in words."""

    lang: Language
    verdict: Verdict = Field(description=f"From worst to best: {VERDICT_SCALE}.")
    text: str = Field(description="The explanation, in Markdown.")
    findings: list[FiredRule]


PickName = Literal[
    "best",
    "cheapest",
    "fastest",
    "soonest_first_token",
    "best_value",
    "best_new",
    "cheapest_to_own",
    "cheaper_below_4bit",
    "just_over_budget",
]
PICKS: tuple[PickName, ...] = get_args(PickName)


class Pick(BaseModel):
    """Which option a pick is."""

    hardware: str = Field(description="Hardware id.")
    units: int = Field(description="How many of it.")


class RecommendResult(BaseModel):
    """Every way to run the model, best first, the picks and the answer in words (the same
    object `advisor recommend --json` prints)."""

    model: str
    model_name: str
    query: RecommendQuery
    options: list[OptionResult]
    picks: dict[PickName, Pick | None] = Field(
        description="The box and unit count of each pick: best: what to buy; cheapest: "
        "cheapest that meets the speed bar; fastest; best_value: most tok/s per money; "
        "best_new: the best option sold new, when `best` is not; cheapest_to_own: lowest price "
        "plus 3 years of electricity."
    )
    nothing_in_budget: bool
    cheapest_working: OptionResult | None = Field(
        description="The cheapest option at any price that meets the bar (usable, or the "
        "speed or verdict asked), else the cheapest that runs the model at all."
    )
    cheapest_new: OptionResult | None = Field(
        description="The same, sold new, when the cheapest is not."
    )
    quantized_in_budget: OptionResult | None = Field(
        default=None,
        description="When full precision was asked and nothing within the budget runs it: the "
        "best option within it at the usual formats (4-bit and the like).",
    )
    roomiest: OptionResult | None = Field(
        default=None,
        description="When no option holds the model: the one with the most memory.",
    )
    quickest: OptionResult | None = Field(
        default=None,
        description="When a first-token wait was asked and no option that holds the model "
        "meets it: the one whose first token comes soonest.",
    )
    memory_needed_gb: float | None = Field(
        default=None,
        description="When no option holds the model: the memory one box would need for it.",
    )
    larger_cluster: Pick | None = Field(
        default=None,
        description="When no option holds the model: a box and about how many of it would, "
        "beyond the cluster size considered (an estimate from one unit's memory).",
    )
    answer: str = Field(description="The recommendation in words, in the asked language.")


class CompareResult(BaseModel):
    """The best way to run the model on each named box, and a winner per use (the same object
    `advisor compare --json` prints)."""

    model: str
    model_name: str
    query: RecommendQuery
    options: list[OptionResult] = Field(description="One side per box, in the order asked.")
    missing: list[str] = Field(
        description="Hardware ids (or '1x id' sides, see `at_counts`) that cannot run the model."
    )
    missing_for_team: list[str] = Field(
        description="Of `missing`, those that hold the model for one user but not the team's "
        "contexts."
    )
    clusters: list[OptionResult] = Field(
        description="For a side that holds the model but does not work, the fewest of it that "
        "would."
    )
    own_engine: list[str] = Field(
        description="Hardware ids the engine asked for does not run on, shown on their usual one."
    )
    grown: list[str] = Field(
        description="Hardware ids shown as a cluster because one unit cannot hold the model."
    )
    serving: dict[str, OptionResult] = Field(
        default={},
        description=f"Side (as in `winners`) -> the best way to serve {SERVING_BATCH} users at "
        "once on it, where it holds their contexts; empty when the question is a team's already.",
    )
    winners: Winners = Field(
        description="Hardware id winning each use, None if none works; '2x dgx-spark' names a "
        "side of a box compared at two counts (`at_counts`)."
    )
    at_counts: list[str] = Field(
        default=[],
        description="Hardware ids compared at two counts ('one DGX Spark or two?'): `winners` "
        "and `missing` name their sides with the count, '1x dgx-spark', '2x dgx-spark'.",
    )
    answer: str = Field(description="The comparison in words, in the asked language.")


class CapacityModel(BaseModel):
    """One model the box holds, at its best setup there."""

    model: str = Field(description="Model id.")
    model_name: str
    params_b: float = Field(description="Total parameters, billions.")
    option: OptionResult = Field(description="The setup and every figure, as estimate gives.")


class CapacityResult(BaseModel):
    """The catalog models a box (or cluster) holds, largest first."""

    hardware: str
    hardware_name: str
    units: int
    concurrency: int = Field(description="Users at once the models are held and timed for.")
    usable_gb: float = Field(description="GPU-usable memory of all units, default limit.")
    usable_max_gb: float = Field(description="The same after raising the limit (Macs).")
    speed_bar: float = Field(description="Decode tok/s the largest_meeting_bar reaches.")
    largest: str | None = Field(description="Id of the largest model that fits at all.")
    largest_meeting_bar: str | None = Field(description="Id of the largest that reaches the bar.")
    models: list[CapacityModel]
    answer: str = Field(description="The same in words, in the asked language.")


class CatalogItem(BaseModel):
    """One catalog entry, in short."""

    section: SectionName
    id: str = Field(description="The id to pass to the other tools.")
    name: str
    aliases: list[str]
    summary: str = Field(description="The key figures in one line.")


class CatalogListing(BaseModel):
    section: SectionName
    items: list[CatalogItem]


class CatalogMatch(CatalogItem):
    match: Literal["exact", "partial", "similar"] = Field(
        description="exact: the query is this entry's id, name or alias; partial: it is part of "
        "one; similar: a likely typo."
    )
    entry: dict[str, Any] = Field(description="The whole entry, each number with its source.")


class CatalogSearch(BaseModel):
    query: str
    matches: list[CatalogMatch]
