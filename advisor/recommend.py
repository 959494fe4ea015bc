"""Which box to buy: enumerate boxes x formats x unit counts, judge each, rank them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.advice import Assessment, Constraints, Currency, assess
from advisor.catalog import Catalog
from advisor.catalog.entries import Engine, Hardware, Model, WeightFormat
from advisor.errors import AdvisorError, InvalidInput
from advisor.estimate import MAX_TOKENS, EstimateRequest, default_engine, estimate, usual_format
from advisor.rules import VERDICTS, FiredRule, Rule, Verdict, load_rules

Language = Literal["en", "zh"]
WORKING: frozenset[Verdict] = frozenset({"poc_only", "usable", "comfortable"})
DEFAULT_BAR_TOK_S = 10.0  # "meets the bar" without a stated minimum: interactive (see rules)
TIGHT_HEADROOM = 0.08  # below this share of usable memory free, a setup is one long chat from OOM
LONG_PROMPT = 8192  # the prompt length "long prompts" are judged at in comparisons


class RecommendQuery(BaseModel):
    """What a buyer asks: a model, how they will use it, and what they can spend."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str = Field(description="Model id or alias, e.g. 'deepseek-r1'.")
    quants: tuple[str, ...] | None = Field(
        default=None, description="Acceptable weight formats; default: the usual ones."
    )
    native_only: bool = Field(default=False, description="Full precision only ('满血').")
    context_tokens: int = Field(default=8192, ge=1, le=MAX_TOKENS)
    prompt_tokens: int | None = Field(default=None, ge=1, le=MAX_TOKENS)
    output_tokens: int = Field(default=512, ge=1, le=MAX_TOKENS)
    concurrency: int = Field(default=1, ge=1, le=4096)
    min_tok_s: float | None = Field(default=None, gt=0, le=100_000)
    budget: float | None = Field(default=None, gt=0)
    currency: Currency = "USD"
    max_units: int = Field(default=2, ge=1, le=8)
    hardware: tuple[str, ...] | None = Field(default=None, description="Boxes to consider.")
    lang: Language = "en"

    @property
    def prompt(self) -> int:
        return self.prompt_tokens or min(1024, self.context_tokens)


class Option(BaseModel):
    """One way to run the model: a box (or several), a format, an engine, and how it fares."""

    hardware: str
    hardware_name: str
    units: int
    split: str
    link: str
    quant: str
    engine: str
    verdict: Verdict
    fits: bool
    needs_raise: bool
    decode_tok_s: float
    prefill_tok_s: float
    ttft_s: float
    ttft_long_prompt_s: float
    batch_tok_s: float
    memory_total_gb: float
    memory_usable_gb: float
    price: float | None
    currency: Currency
    tok_s_per_1000: float | None
    in_budget: bool
    meets_bar: bool
    calibrated: bool
    nominal_bits: int
    fired_rules: list[str]
    reasons: list[FiredRule]
    assessment: Assessment = Field(exclude=True)

    @property
    def working(self) -> bool:
        return self.verdict in WORKING

    def rank_key(self) -> tuple[float, ...]:
        """Working and affordable first; among options that fail, the nearest to fitting."""
        if not self.working:
            coverage = self.memory_usable_gb / self.memory_total_gb if self.memory_total_gb else 0
            return (0.0, 0.0, float(VERDICTS.index(self.verdict)), 0.0, coverage, 0.0)
        return (
            float(self.in_budget),
            float(self.meets_bar),
            float(VERDICTS.index(self.verdict)),
            float(self.nominal_bits >= 4),  # quality before the last few tok/s per dollar
            self.tok_s_per_1000 or 0.0,
            self.decode_tok_s,
        )


class Picks(BaseModel):
    best: Option | None
    cheapest: Option | None
    fastest: Option | None
    best_value: Option | None


class Recommendation(BaseModel):
    query: RecommendQuery
    model_name: str
    options: list[Option]
    picks: Picks
    nothing_in_budget: bool
    cheapest_working: Option | None
    answer: str = ""


# --- formats and engines to try --------------------------------------------------------------


def engines_for(catalog: Catalog, hardware: Hardware) -> list[Engine]:
    """The platform's usual engine, plus llama.cpp on Apple (it keeps DeepSeek's MLA latent)."""
    engines = [default_engine(catalog, hardware)]
    if hardware.family == "apple":
        engines.append(catalog.engines.get("llama.cpp"))
    if hardware.family == "nvidia" and hardware.kind == "box":
        engines.append(catalog.engines.get("vllm"))  # tensor parallel across boxes
    return engines


def format_for_engine(
    catalog: Catalog, engine: Engine, wanted: WeightFormat
) -> WeightFormat | None:
    """The engine's own format closest to `wanted` (same nominal bits), or None."""
    if wanted.id in engine.formats:
        return wanted
    usual = catalog.formats.find(engine.usual_format)
    same_bits = [
        catalog.formats.get(f)
        for f in engine.formats
        if catalog.formats.get(f).nominal_bits == wanted.nominal_bits
    ]
    same_bits.sort(key=lambda f: (f.kind != (usual.kind if usual else f.kind), f.id))
    return same_bits[0] if same_bits else None


def candidate_formats(
    catalog: Catalog, engine: Engine, model: Model, query: RecommendQuery
) -> list[WeightFormat]:
    native = catalog.formats.get(model.native_dtype)
    if query.native_only:
        wanted = [native]
    elif query.quants:
        wanted = [catalog.formats.get(q) for q in query.quants]
    else:
        wanted = [
            usual_format(catalog, engine, model),
            catalog.formats.get("q4_k_m"),
            catalog.formats.get("q8_0"),
            catalog.formats.get("q3_k_m"),  # a last resort, ranked below any 4-bit that fits
        ]
        if native.nominal_bits <= 8:
            wanted.append(native)
    found: list[WeightFormat] = []
    for fmt in wanted:
        mapped = format_for_engine(catalog, engine, fmt)
        if mapped and mapped not in found:
            found.append(mapped)
    return found


# --- enumerate and judge ---------------------------------------------------------------------


def _splits(
    catalog: Catalog, hardware: Hardware, engine: Engine, units: int
) -> list[tuple[str, str]]:
    """(split, link) pairs worth trying for `units` boxes."""
    if units == 1:
        return [("none", "none")]
    pairs: list[tuple[str, str]] = []
    if "pipeline" in engine.splits and hardware.links:
        pairs.append(("pipeline", hardware.links[0]))
    fast = [lid for lid in hardware.links if catalog.links.get(lid).tensor_parallel_ok]
    # llama.cpp splits tensors only across GPUs in one host; between boxes it pipelines (RPC)
    across_boxes = hardware.kind == "box" and engine.id.startswith("llama.cpp")
    if "tensor" in engine.splits and fast and not across_boxes:
        pairs.append(("tensor", fast[0]))
    return pairs


def option_from(
    catalog: Catalog,
    assessment: Assessment,
    budget: float | None = None,
    min_tok_s: float | None = None,
    long_prompt_s: float | None = None,
) -> Option:
    """One judged setup as an option: its figures, price and value in the asked currency."""
    e = assessment.estimate
    hardware = catalog.hardware.get(e.hardware)
    price = assessment.price
    needs_raise = e.memory.fits_if_raised and not e.memory.fits
    return Option(
        hardware=hardware.id,
        hardware_name=hardware.name,
        units=e.units,
        split=e.split,
        link=e.link,
        quant=e.quant,
        engine=e.engine,
        verdict=assessment.verdict,
        fits=e.memory.fits,
        needs_raise=needs_raise,
        decode_tok_s=e.decode_tok_s,
        prefill_tok_s=e.prefill_tok_s,
        ttft_s=e.ttft_s,
        ttft_long_prompt_s=e.ttft_s if long_prompt_s is None else long_prompt_s,
        batch_tok_s=assessment.batch_tok_s,
        memory_total_gb=e.memory_total_gb,
        memory_usable_gb=e.memory.usable_max_gb if needs_raise else e.memory_usable_gb,
        price=price,
        currency=assessment.currency,
        tok_s_per_1000=e.decode_tok_s * e.concurrency / (price / 1000) if price else None,
        in_budget=budget is None or (price is not None and price <= budget),
        meets_bar=e.memory.fits_if_raised and e.decode_tok_s >= (min_tok_s or DEFAULT_BAR_TOK_S),
        calibrated=e.calibrated,
        nominal_bits=catalog.formats.get(e.quant).nominal_bits,
        fired_rules=assessment.fired_ids,
        reasons=assessment.fired_rules,
        assessment=assessment,
    )


def _request(
    query: RecommendQuery,
    model: Model,
    hardware: Hardware,
    engine: Engine,
    fmt: WeightFormat,
    units: int,
    split: str,
    link: str,
) -> EstimateRequest:
    return EstimateRequest(
        model=model.id,
        hardware=hardware.id,
        quant=fmt.id,
        engine=engine.id,
        units=units,
        split=None if split == "none" else split,
        link=None if link == "none" else link,
        context_tokens=query.context_tokens,
        prompt_tokens=query.prompt,
        output_tokens=query.output_tokens,
        concurrency=query.concurrency,
    )


def evaluate_options(
    catalog: Catalog,
    query: RecommendQuery,
    rules: tuple[Rule, ...] | None = None,
    keep_clusters: bool = False,
) -> list[Option]:
    """Every (box, units, format, engine) worth showing, judged; the best per (box, units)."""
    rules = load_rules() if rules is None else rules
    model = catalog.models.get(query.model)
    if query.context_tokens > model.max_context:
        raise InvalidInput(
            f"{model.name} supports at most {model.max_context:,} tokens of context, "
            f"not {query.context_tokens:,}"
        )
    boxes = (
        [catalog.hardware.get(h) for h in query.hardware]
        if query.hardware
        else list(catalog.hardware)
    )
    constraints = Constraints(
        budget=query.budget, currency=query.currency, min_tok_s=query.min_tok_s
    )
    best: dict[tuple[str, int], Option] = {}
    for hardware in boxes:
        for units in range(1, min(query.max_units, hardware.max_units) + 1):
            quick: list[tuple[tuple[bool, bool, bool, float, float], EstimateRequest]] = []
            for engine in engines_for(catalog, hardware):
                for fmt in candidate_formats(catalog, engine, model, query):
                    for split, link in _splits(catalog, hardware, engine, units):
                        request = _request(query, model, hardware, engine, fmt, units, split, link)
                        try:
                            figures = estimate(catalog, request)
                        except AdvisorError:
                            continue
                        memory = figures.memory
                        roomy = memory.headroom_gb >= TIGHT_HEADROOM * memory.usable_gb
                        speed = (
                            memory.fits_if_raised,
                            catalog.formats.get(request.quant or "").nominal_bits >= 4,
                            roomy,
                            figures.decode_tok_s,
                            -figures.ttft_s,
                        )
                        quick.append((speed, request))
            # judging is the costly step: only the setups that could win are judged in full
            quick.sort(key=lambda item: item[0], reverse=True)
            for _, request in quick[:2]:
                assessment = assess(catalog, request, constraints, rules)
                long_prompt_s = (
                    assessment.estimate.ttft_s
                    if query.prompt >= LONG_PROMPT
                    else LONG_PROMPT / assessment.estimate.prefill_tok_s
                )
                option = option_from(
                    catalog, assessment, query.budget, query.min_tok_s, long_prompt_s
                )
                key = (hardware.id, units)
                if key not in best or option.rank_key() > best[key].rank_key():
                    best[key] = option
    # a cluster only belongs in the list when it does something one box of the kind cannot
    kept = []
    for (hardware_id, units), option in best.items():
        single = best.get((hardware_id, 1))
        if (
            not keep_clusters
            and units > 1
            and single
            and single.working
            and (option.decode_tok_s <= single.decode_tok_s * 1.15)
        ):
            continue
        kept.append(option)
    return sorted(kept, key=lambda o: o.rank_key(), reverse=True)


def pick(options: list[Option], query: RecommendQuery) -> Picks:
    working = [o for o in options if o.working]
    affordable = [o for o in working if o.in_budget]
    priced = [o for o in affordable if o.price is not None]
    meeting = [o for o in priced if o.meets_bar]
    fits = [o for o in options if o.fits or o.needs_raise]
    fits_in_budget = [o for o in fits if o.in_budget] or ([] if query.budget else fits)
    return Picks(
        best=affordable[0] if affordable else None,
        cheapest=min(meeting, key=lambda o: (o.price or 0, -o.decode_tok_s)) if meeting else None,
        fastest=max(fits_in_budget, key=lambda o: o.decode_tok_s) if fits_in_budget else None,
        best_value=max(priced, key=lambda o: o.tok_s_per_1000 or 0) if priced else None,
    )


def recommend(
    catalog: Catalog, query: RecommendQuery, rules: tuple[Rule, ...] | None = None
) -> Recommendation:
    model = catalog.models.get(query.model)
    options = evaluate_options(catalog, query, rules)
    picks = pick(options, query)
    working_priced = [o for o in options if o.working and o.price is not None]
    cheapest_working = min(working_priced, key=lambda o: o.price or 0) if working_priced else None
    result = Recommendation(
        query=query,
        model_name=model.name,
        options=options,
        picks=picks,
        nothing_in_budget=query.budget is not None and picks.best is None,
        cheapest_working=cheapest_working,
    )
    from advisor.explain import render_recommendation

    result.answer = render_recommendation(catalog, result)
    return result


# --- named comparisons -------------------------------------------------------------------------


class Winners(BaseModel):
    chat: str | None
    long_prompts: str | None
    serving: str | None
    price: str | None


class Comparison(BaseModel):
    query: RecommendQuery
    model_name: str
    sides: list[Option]
    missing: list[str]
    winners: Winners
    answer: str = ""


def compare(
    catalog: Catalog,
    query: RecommendQuery,
    rules: tuple[Rule, ...] | None = None,
    units: Mapping[str, int] | None = None,
) -> Comparison:
    """The best way to run the model on each named box, and a winner per use. `units` fixes
    how many of a box a side has ("two 3090s or one 4090"); otherwise the fewest that work."""
    if not query.hardware or len(query.hardware) < 2:
        raise InvalidInput("name at least two boxes to compare")
    model = catalog.models.get(query.model)
    ids = list(dict.fromkeys(catalog.hardware.get(h).id for h in query.hardware))
    if len(ids) < 2:
        raise InvalidInput(f"name at least two different boxes to compare (got only {ids[0]})")
    fixed = {catalog.hardware.get(h).id: n for h, n in (units or {}).items()}
    wider = max([query.max_units, *fixed.values()])
    options = evaluate_options(
        catalog,
        query.model_copy(update={"hardware": tuple(ids), "max_units": wider}),
        rules,
        keep_clusters=bool(fixed),
    )
    sides: list[Option] = []
    missing: list[str] = []
    for hardware_id in ids:
        mine = [o for o in options if o.hardware == hardware_id]
        if hardware_id in fixed:
            mine = [o for o in mine if o.units == fixed[hardware_id]]
        working = [o for o in mine if o.working] or [o for o in mine if o.fits or o.needs_raise]
        if working:
            # the box itself, as one unit, unless it takes a cluster to run the model at all
            sides.append(max(working, key=lambda o: (-o.units, o.rank_key()[1:])))
        elif hardware_id in fixed and mine:
            sides.append(max(mine, key=lambda o: o.rank_key()))  # asked for: show it failing
        else:
            missing.append(hardware_id)
    working_sides = [o for o in sides if o.working]

    def winner(key: str, best: str) -> str | None:
        if not working_sides:
            return None
        chosen = (max if best == "max" else min)(working_sides, key=lambda o: getattr(o, key) or 0)
        return chosen.hardware

    priced = [o for o in working_sides if o.price is not None]
    result = Comparison(
        query=query,
        model_name=model.name,
        sides=sides,
        missing=missing,
        winners=Winners(
            chat=winner("decode_tok_s", "max"),
            long_prompts=winner("ttft_long_prompt_s", "min"),
            serving=winner("batch_tok_s", "max"),
            price=max(priced, key=lambda o: o.tok_s_per_1000 or 0).hardware if priced else None,
        ),
    )
    from advisor.explain import render_comparison

    result.answer = render_comparison(catalog, result)
    return result
