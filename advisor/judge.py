"""From one setup to a judged option: its figures (estimated once), the typed facts the rules
read, the rules that fired and the verdict. An `Option` carries every figure a face shows."""

from __future__ import annotations

from dataclasses import replace

from pydantic import BaseModel, Field

from advisor.calibration import Calibration
from advisor.context import Advisor
from advisor.estimate import (
    Band,
    Estimate,
    Memory,
    Setup,
    Sizes,
    StepTime,
    Timing,
    assumptions,
    decode_at_full_context,
    decode_over_conversation,
    estimate,
    memory_figures,
    sizes,
    timing,
)
from advisor.facts import Facts
from advisor.measured import Measured
from advisor.prices import (
    MARKET_OF_CURRENCY,
    RunningCost,
    SystemPrice,
    energy_notes,
    per_1000,
    price_notes,
    running_cost,
    system_price,
)
from advisor.requests import (
    DEFAULT_BAR_TOK_S,
    LONG_PROMPT_TOKENS,
    SERVING_BATCH,
    Constraints,
    Currency,
    Workload,
)
from advisor.rules import (
    VERDICTS,
    FiredRule,
    Verdict,
    at_least,
    fire,
    overall_verdict,
    usable,
)
from advisor.setups import FALLBACK_FORMATS, equivalent_format, own_release

WORKING: frozenset[Verdict] = frozenset({"poc_only", "usable", "comfortable"})
TIGHT_HEADROOM = 0.08  # below this share of usable memory free, a setup is one long chat from OOM
# Under this share left beyond the runtime margin counted is inside what estimators disagree
# by: llama.cpp `--fit` keeps 1 GiB per device, whichllm adds 150 MB per 4K of context, FitLLM
# 12% of weights and 15% of the KV cache (reference/estimation.md §3.3). It may not load.
ALL_BUT_FULL = 0.01
# A setup that departs from what was asked (a stand-in for the format named) or from what is
# measured most (another engine than the platform's usual one) must be this much faster, for
# each departure, to be chosen: smaller gains are inside the error band.
DEPARTURE_GAIN = 1.15
MEMO_LIMIT = 50_000  # estimates kept per context (~1 kB each)
_NATIVE_BITS = {"bf16": 16, "fp16": 16, "fp8": 8, "mxfp4": 4, "int4": 4}


class Option(BaseModel):
    """One way to run the model (a box or several, a format, an engine) and how it fares.
    Speeds are None where the model does not fit: there is nothing to quote."""

    model: str
    hardware: str
    hardware_name: str
    units: int
    split: str
    link: str
    quant: str
    asked_quant: str | None = Field(description="the format asked for, when `quant` stands in")
    engine: str
    verdict: Verdict
    fits: bool
    needs_raise: bool
    context_tokens: int
    prompt_tokens: int = Field(description="the prompt length `ttft_s` is for")
    output_tokens: int
    concurrency: int
    decode_tok_s: float | None = Field(description="per sequence")
    decode_band: Band | None
    decode_tok_s_aggregate: float | None = Field(description="all `concurrency` sequences")
    decode_tok_s_full_context: float | None = Field(description="with the context window full")
    decode_tok_s_conversation: float | None = Field(
        description="averaged over a conversation growing from its prompt to a full context: "
        "what the verdict judges"
    )
    bound: str = Field(description="what limits it: capacity when it does not fit, else decode's")
    decode_bound: str
    prefill_tok_s: float | None
    prefill_band: Band | None
    prefill_bound: str
    ttft_s: float | None
    generation_s: float | None = Field(description="time to write `output_tokens`")
    batch_tok_s: float | None = Field(description=f"total with {SERVING_BATCH} sequences at once")
    ttft_loaded_s: float | None = Field(
        default=None, description="`ttft_s` while the other users keep decoding (teams only)"
    )
    ttft_together_s: float | None = Field(
        default=None,
        description="every user sends a prompt at the same moment: the last one's first token",
    )
    long_prompt_tokens: int | None = Field(
        default=None, description="a prompt filling the context window"
    )
    long_ttft_s: float | None = Field(default=None, description="that prompt on an idle box")
    long_ttft_loaded_s: float | None = Field(
        default=None, description="that prompt while the other users keep decoding"
    )
    stall_share: float | None = Field(
        default=None, description="share of each user's generation time spent on others' prompts"
    )
    max_sequences: int | None = Field(
        default=None, description="users the memory holds at once with the whole context each"
    )
    memory_total_gb: float
    memory_usable_gb: float = Field(description="the limit that applies (raised if it must be)")
    memory: Memory
    price: float | None = Field(description="what it costs to buy something that runs")
    price_split: SystemPrice | None = Field(description="boxes or cards, and the host for cards")
    currency: Currency
    availability: str = Field(description="new, used_only, withdrawn, discontinued or preorder")
    power_w: float | None = Field(description="whole system under load, W")
    energy_cost_year: float | None = Field(description="electricity a year at the stated use")
    cost_per_million_tokens: float | None
    owning_cost: float | None = Field(description="price plus 3 years of electricity")
    running: RunningCost | None = Field(default=None, exclude=True)
    tok_s_per_1000: float | None = Field(description="aggregate tok/s per 1,000 of `currency`")
    in_budget: bool
    meets_bar: bool
    calibrated: bool
    nominal_bits: int
    fired_rules: list[str]
    findings: list[FiredRule]
    rules_skipped: list[str] = Field(default=[], description="rules that failed on this option")
    measured: Measured | None = Field(
        default=None,
        description="published runs of exactly this setup at a short context, when the "
        "advisor ships some (only on an estimate of one setup)",
    )
    assumptions: dict[str, str]
    facts: Facts = Field(exclude=True)

    @property
    def working(self) -> bool:
        return self.verdict in WORKING

    @property
    def answer_tok_s(self) -> float:
        """Speed as one user feels it: decode, or for a long prompt the answer's tokens over the
        whole wait for them, its prefill included (as the chooser weighs setups)."""
        decode = self.decode_tok_s or 0.0
        if self.prompt_tokens < LONG_PROMPT_TOKENS or decode <= 0 or self.ttft_s is None:
            return decode
        return answer_tok_s(self.output_tokens, decode, self.ttft_s)

    @property
    def conversation_answer_tok_s(self) -> float:
        """`answer_tok_s` over a conversation as the verdict judges it: a box whose first reply
        is as fast but slows more as its context fills is the slower one."""
        decode = self.decode_tok_s or 0.0
        if decode <= 0 or self.decode_tok_s_conversation is None:
            return self.answer_tok_s
        return self.answer_tok_s * self.decode_tok_s_conversation / decode

    def rank_key(self) -> tuple[float, ...]:
        """Working and affordable first; among options that fail, the nearest to fitting. Value
        and speed are weighed as a user feels them (`answer_tok_s`): for long prompts a box that
        decodes as fast but reads the prompt slower ranks below; a box one long chat from full
        must be clearly better value (`roomy_speed`)."""
        if not self.working:
            coverage = self.memory_usable_gb / self.memory_total_gb if self.memory_total_gb else 0
            return (0.0, 0.0, float(VERDICTS.index(self.verdict)), 0.0, coverage, 0.0)
        felt = self.answer_tok_s / self.decode_tok_s if self.decode_tok_s else 1.0
        return (
            float(self.in_budget),
            float(self.meets_bar),
            float(VERDICTS.index(self.verdict)),
            float(self.nominal_bits >= 4),  # quality before the last few tok/s per dollar
            roomy_speed((self.tok_s_per_1000 or 0.0) * felt, self.memory),
            self.answer_tok_s,
        )


def estimate_once(advisor: Advisor, setup: Setup, work: Workload) -> Estimate:
    """The setup's figures for this work, computed once per context."""
    key = (setup.key, work)
    found = advisor.estimates.get(key)
    if found is None:
        memory, timed = memory_once(advisor, setup, work), timing_once(advisor, setup, work)
        found = remember(advisor, key, estimate(setup, work, advisor.calibration, memory, timed))
    assert isinstance(found, Estimate)
    return found


def remember(advisor: Advisor, key: object, value: object) -> object:
    """Keep `value` in the context's memo under `key`."""
    if len(advisor.estimates) > MEMO_LIMIT:  # a long app session: start the memo again
        advisor.estimates.clear()
    advisor.estimates[key] = value
    return value


def memory_once(advisor: Advisor, setup: Setup, work: Workload) -> Memory:
    """The setup's memory figures for this work (what an estimate holds, without the timing),
    computed once per context."""
    key = (setup.key, work, "memory")
    found = advisor.estimates.get(key)
    if found is None:
        found = remember(
            advisor, key, memory_figures(setup, work, sizes_once(advisor, setup, work))
        )
    assert isinstance(found, Memory)
    return found


def sizes_once(advisor: Advisor, setup: Setup, work: Workload) -> Sizes:
    """The bytes of the setup's model, format and engine for this work, figured once per
    context for every box they run on."""
    key = ("sizes", setup.model.id, setup.fmt.id, setup.engine.id, work)
    found = advisor.estimates.get(key)
    if found is None:
        found = remember(advisor, key, sizes(setup.model, setup.fmt, setup.engine, work))
    assert isinstance(found, Sizes)
    return found


def timing_once(
    advisor: Advisor, setup: Setup, work: Workload, prefill: StepTime | None = None
) -> Timing:
    """The setup's decode speed and time to first token for this work (what ranks it before
    judging, and what its estimate quotes), computed once per context (`prefill`: as in
    `timing`)."""
    key = (setup.key, work, "timing")
    found = advisor.estimates.get(key)
    if found is None:
        found = remember(advisor, key, timing(setup, work, advisor.calibration, prefill))
    assert isinstance(found, Timing)
    return found


def answer_after_prompt_tok_s(work: Workload, decode_tok_s: float, ttft_s: float) -> float:
    """The answer's tokens over the whole wait for them, its prompt's prefill included."""
    return answer_tok_s(work.output_tokens, decode_tok_s, ttft_s)


def answer_tok_s(output_tokens: int, decode_tok_s: float, ttft_s: float) -> float:
    """`output_tokens` over the whole wait for them: the prompt's prefill, then decode."""
    return output_tokens / (ttft_s + output_tokens / decode_tok_s)


def preferred_speed(setup: Setup, decode_tok_s: float, ttft_s: float, work: Workload) -> float:
    """Speed as the chooser weighs it: decode, or for a long prompt or a cluster the answer's
    tokens over the whole wait for them (its prefill included: a split by layers decodes a few
    percent faster than a tensor split over NVLink and reads the prompt several times slower);
    a stand-in format or an unusual engine must clearly beat the format asked on the usual
    engine."""
    speed = decode_tok_s
    if (work.prompt_tokens >= LONG_PROMPT_TOKENS or setup.units > 1) and decode_tok_s > 0:
        speed = answer_after_prompt_tok_s(work, decode_tok_s, ttft_s)
    departures = (not setup.usual_engine) + (setup.asked_format is not None)
    return speed / DEPARTURE_GAIN**departures


MemoryKey = tuple[bool, bool, bool, bool]


def memory_key(setup: Setup, memory: Memory) -> MemoryKey:
    """The start of `quick_key`, from the setup's memory and format alone: it fits, it is at
    least 4-bit, it is not all but full (`all_but_full`), it is no fallback format
    (`is_fallback`)."""
    four_bit = setup.fmt.nominal_bits >= 4
    usual = not is_fallback(setup)
    if not memory.fits_if_raised:
        return (False, four_bit, False, usual)
    return (True, four_bit, not all_but_full(memory), usual)


def roomy_speed(speed: float, memory: Memory) -> float:
    """`speed` as the chooser weighs it against the memory left: a setup with under
    `TIGHT_HEADROOM` to spare must be clearly faster (`DEPARTURE_GAIN`) than one with room. A
    discount, not a rank: 8 H20s serving R1 to 20 users split tensor-wise (30.9 tok/s each, 6%
    to spare) had gone unjudged behind a pipeline split with room (6.5 tok/s)."""
    roomy = memory.headroom_gb >= TIGHT_HEADROOM * memory.usable_gb
    return speed if roomy else speed / DEPARTURE_GAIN


def all_but_full(memory: Memory) -> bool:
    """Whether it fits with under `ALL_BUT_FULL` of the memory it uses to spare."""
    return memory.fits_if_raised and _spare_share(memory) < ALL_BUT_FULL


def quick_key(
    setup: Setup,
    memory: Memory,
    timed: Timing | None,
    work: Workload,
    max_ttft_s: float | None = None,
) -> tuple[bool, bool, bool, bool, bool, bool, float, float]:
    """How promising a setup is before it is judged: it fits, it is at least 4-bit, it is not
    all but full, it is no fallback format (`is_fallback`), it is the model's own release
    (`is_own_release`), then speed as the chooser weighs it (`timed`: its timing, for a setup
    that fits; discounted where memory is tight, `roomy_speed`). Before all but fitting, a setup
    whose first token on an idle box comes within `max_ttft_s` (when one was asked: a vLLM setup
    that meets it beats a llama.cpp one a little faster to decode that does not). A setup that
    does not fit is ranked by how near it comes (at 4-bit or more first), without estimating
    its speed."""
    fits, four_bit, room_enough, usual = memory_key(setup, memory)
    if not fits:
        near = memory.usable_max_gb / memory.total_gb
        return (False, False, four_bit, False, usual, False, near, 0.0)
    assert timed is not None, "a setup that fits is ranked by its speed"
    speed = preferred_speed(setup, timed.decode_tok_s, timed.ttft_s, work)
    within_wait = max_ttft_s is None or timed.ttft_s <= max_ttft_s
    return (
        True,
        within_wait,
        four_bit,
        room_enough,
        usual,
        is_own_release(setup),
        roomy_speed(speed, memory),
        -timed.ttft_s,
    )


def is_fallback(setup: Setup) -> bool:
    """Whether the resolver chose a format it keeps for where the usual ones fall short
    (`FALLBACK_FORMATS`: IQ4_XS, 4 bits where Q4_K_M does not fit)."""
    return setup.format_chosen and setup.fmt.id in FALLBACK_FORMATS


def is_own_release(setup: Setup) -> bool:
    """Whether the setup runs the model's own low-bit release (gpt-oss in MXFP4), or the model
    has none the engine runs, or a format was asked. Where it has one, that is what is measured
    and downloaded: a format the resolver would pick instead only for being smaller is left to
    those who ask for it."""
    release = own_release(setup.engine, setup.model) if setup.format_chosen else None
    return release is None or setup.fmt.id == release


def _four_bit_that_fits(
    advisor: Advisor, setup: Setup, work: Workload, result: Estimate
) -> tuple[bool, str, bool]:
    """Whether a 4-bit format fits, the most compact one the engine runs for Q4_K_M or IQ4_XS
    (4.25 bits: it holds Qwen3 235B on one Spark) when it has one ("" when it has neither, and
    a setup that fits is then taken as fitting at 4 bits), and whether it is all but full."""
    if not result.memory.fits_if_raised:
        return False, "", False  # read only by rules about setups that fit
    formats = advisor.catalog.formats
    wanted = (formats.get("q4_k_m"), formats.get("iq4_xs"))
    four_bit = [f for w in wanted if (f := equivalent_format(advisor.catalog, setup.engine, w))]
    if not four_bit:
        return True, "", all_but_full(result.memory)
    smallest = min(four_bit, key=lambda f: (f.bits, f.id))
    memory = memory_once(advisor, replace(setup, fmt=smallest), work)
    fits = memory.fits_if_raised
    return fits, smallest.id if fits else "", all_but_full(memory)


def price_for(setup: Setup, constraints: Constraints) -> SystemPrice | None:
    quoted = next(
        (q.price for q in constraints.unit_prices if q.hardware == setup.hardware.id), None
    )
    return system_price(
        setup.hardware,
        setup.units,
        constraints.currency,
        have_host=constraints.have_host,
        quoted=quoted,
    )


def facts_for(
    advisor: Advisor,
    setup: Setup,
    work: Workload,
    result: Estimate,
    constraints: Constraints,
    batch_tok_s: float | None,
    split: SystemPrice | None,
) -> Facts:
    price = _total(split)
    return Facts(
        **_figure_facts(setup, work, result, constraints, batch_tok_s, advisor.calibration, price),
        **_setup_facts(advisor, setup, work, result, constraints, price),
        serving_fits=batch_tok_s is not None,
        cards_alone_in_budget=_cards_alone_in_budget(split, constraints.budget),
    )


def _cards_alone_in_budget(split: SystemPrice | None, budget: float | None) -> float:
    """The cards' price when the host PC priced with them is what takes it over `budget`."""
    if split is None or not split.host or budget is None or split.total <= budget:
        return 0.0
    return split.hardware if split.hardware <= budget else 0.0


def _sustained_tok_s(work: Workload, result: Estimate) -> float:
    """What one stream turns out answer after answer, reading its own prompt each time."""
    if not result.decode_tok_s:
        return 0.0
    return answer_after_prompt_tok_s(work, result.decode_tok_s, result.ttft_s)


def _spare_share(memory: Memory) -> float:
    """The share of the memory it will use that is left over: of what the GPU may use by
    default, or once the limit is raised where it needs that."""
    usable = memory.usable_gb if memory.fits else memory.usable_max_gb
    return (usable - memory.total_gb) / usable if usable else 0.0


def _figure_facts(
    setup: Setup,
    work: Workload,
    result: Estimate,
    constraints: Constraints,
    batch_tok_s: float | None,
    calibration: Calibration,
    price: float | None,
) -> dict[str, float]:
    """The numbers: speeds, memory, sizes, the work asked and money."""
    model, memory = setup.model, result.memory
    full_context = (
        decode_at_full_context(setup, work, calibration, result.ttft_s)
        if memory.fits_if_raised
        else result.decode_tok_s  # read only by rules about setups that fit
    )
    usable = memory.usable_gb
    return {
        "decode_tok_s": result.decode_tok_s,
        "decode_tok_s_full_context": full_context,
        "decode_tok_s_conversation": decode_over_conversation(result.decode_tok_s, full_context),
        "decode_tok_s_aggregate": result.decode_tok_s_aggregate,
        "prefill_tok_s": result.prefill_tok_s,
        "decode_read_share": result.decode_read_share,
        "ttft_s": result.ttft_s,
        "headroom_gb": memory.headroom_gb,
        "headroom_share": memory.headroom_gb / usable if usable else 0.0,
        "spare_share": _spare_share(memory),
        "memory_total_gb": memory.total_gb,
        "memory_usable_gb": usable,
        "units": float(setup.units),
        "link_latency_us": float(setup.link.latency_us or 0.0),
        "quant_bits": float(setup.fmt.nominal_bits),
        "native_bits": float(_NATIVE_BITS[model.native_dtype]),
        "params_total_b": model.params_total_b,
        "params_active_b": model.params_active_b,
        "prompt_tokens": float(work.prompt_tokens),
        "context_tokens": float(work.context_tokens),
        "native_context": float(model.max_context),
        "concurrency": float(work.concurrency),
        "price": float(price or 0.0),
        "budget": float(constraints.budget or 0.0),
        "min_tok_s": float(constraints.min_tok_s or 0.0),
        "max_ttft_s": float(constraints.max_ttft_s or 0.0),
        "ttft_wait_s": result.team.ttft_loaded_s if result.team else result.ttft_s,
        # 0 when 8 sequences of this context do not fit: no serving figure to quote
        # served in a batch (which absorbs the others' prompts) against served in turn
        "batch_gain": (batch_tok_s or 0.0) / sustained
        if (sustained := _sustained_tok_s(work, result))
        else 1.0,
        "batch_tok_s": batch_tok_s or 0.0,
        "sustained_tok_s": sustained,
        "stall_share": result.team.stall_share if result.team else 0.0,
        # a pipeline reads each unit's layers in turn: one unit's bandwidth sets the pace
        "bandwidth_gbs": setup.hardware.bandwidth_gbs
        * (setup.units if setup.split == "tensor" else 1),
        "tok_s_per_1000": per_1000(result.decode_tok_s_aggregate, price) or 0.0,
        "max_units": float(setup.hardware.max_units),
        "kernel_share": setup.engine.kernel_share(setup.hardware, model.is_moe),
    }


def _setup_facts(
    advisor: Advisor,
    setup: Setup,
    work: Workload,
    result: Estimate,
    constraints: Constraints,
    price: float | None,
) -> dict[str, bool | str | float]:
    """Yes/no and names: what fits, what the setup is, what limits it (and how much room a
    4-bit format would leave)."""
    hardware, memory = setup.hardware, result.memory
    fits_at_4bit, four_bit_format, four_bit_all_but_full = _four_bit_that_fits(
        advisor, setup, work, result
    )
    return {
        "fits": memory.fits,
        "fits_if_raised": memory.fits_if_raised,
        "needs_raise": memory.fits_if_raised and not memory.fits,
        "active_fits": memory.active_fits,
        "is_moe": setup.model.is_moe,
        "is_native": setup.fmt.id == setup.model.native_dtype,
        "link_tensor_ok": setup.link.tensor_parallel_ok,
        "calibrated": result.calibrated,
        "fits_at_4bit": fits_at_4bit,
        "four_bit_format": four_bit_format,
        "four_bit_all_but_full": four_bit_all_but_full,
        "all_but_full": all_but_full(memory),
        "fallback_format": is_fallback(setup),
        "over_budget": bool(constraints.budget and price and price > constraints.budget),
        "price_known": price is not None,
        "has_availability_note": hardware.availability != "new",
        # an H100 for a yuan budget: US export rules keep it out of China
        "sold_here": MARKET_OF_CURRENCY[constraints.currency] in hardware.markets,
        "availability": hardware.availability,
        "sold_new": hardware.sold_new,
        "have_host": constraints.have_host,
        "bound": result.bound,
        "decode_bound": result.decode_bound,
        "prefill_bound": result.prefill_bound,
        "split": setup.split,
        "link": setup.link.id,
        "family": hardware.family,
        "kind": hardware.kind,
        "hardware": hardware.id,
        "model": setup.model.id,
        "engine": setup.engine.id,
        "quant": setup.fmt.id,
        "currency": constraints.currency,
        "memory_kind": hardware.memory_type or "",
    }


def _total(price: SystemPrice | None) -> float | None:
    return price.total if price else None


def judge(
    advisor: Advisor, setup: Setup, work: Workload, constraints: Constraints | None = None
) -> Option:
    """Estimate `setup` doing `work`, judge it with the context's rules, and give every figure
    a face may show; judged once per context (options are never changed once made)."""
    constraints = constraints or Constraints()
    chosen = (setup.format_chosen, setup.engine_chosen, setup.usual_engine, setup.asked_format)
    key = (setup.key, chosen, work, constraints)
    found = advisor.estimates.get(key)
    if found is None:
        found = remember(advisor, key, _judged(advisor, setup, work, constraints))
    assert isinstance(found, Option)
    return found


def _serving_tok_s(advisor: Advisor, setup: Setup, work: Workload) -> float | None:
    """Total tok/s with SERVING_BATCH sequences of this work at once (the team's own total when
    it is that large already); None when that many contexts do not fit beside the weights."""
    if work.concurrency >= SERVING_BATCH:
        return estimate_once(advisor, setup, work).decode_tok_s_aggregate
    serving_work = work.model_copy(update={"concurrency": SERVING_BATCH})
    if not memory_once(advisor, setup, serving_work).fits_if_raised:
        return None
    prefill = timing_once(advisor, setup, work).prefill  # the same prompt, however many users
    return timing_once(advisor, setup, serving_work, prefill).decode_tok_s * SERVING_BATCH


def _judged(advisor: Advisor, setup: Setup, work: Workload, constraints: Constraints) -> Option:
    result = estimate_once(advisor, setup, work)
    runs = result.memory.fits_if_raised
    batch_tok_s = _serving_tok_s(advisor, setup, work) if runs else None
    split = price_for(setup, constraints)  # priced once, read by the facts and the option
    facts = facts_for(advisor, setup, work, result, constraints, batch_tok_s, split)
    skipped: list[str] = []
    fired = fire(advisor.rules, facts, skipped)
    option = _option(
        setup, work, constraints, result, batch_tok_s, facts, fired, advisor.calibration, split
    )
    return option.model_copy(update={"rules_skipped": skipped}) if skipped else option


def _team_fields(result: Estimate, runs: bool) -> dict[str, float | int | None]:
    team = result.team if runs else None
    return {
        "ttft_loaded_s": team.ttft_loaded_s if team else None,
        "ttft_together_s": team.ttft_together_s if team else None,
        "long_prompt_tokens": result.context_tokens if runs else None,
        "long_ttft_s": result.full_prompt_ttft_s if runs else None,
        "long_ttft_loaded_s": team.long_ttft_loaded_s if team else None,
        "stall_share": team.stall_share if team else None,
        "max_sequences": result.max_sequences,  # also where a team is too big for the memory
    }


def _option(
    setup: Setup,
    work: Workload,
    constraints: Constraints,
    result: Estimate,
    batch_tok_s: float | None,
    facts: Facts,
    fired: list[FiredRule],
    calibration: Calibration,
    split: SystemPrice | None,
) -> Option:
    memory = result.memory
    runs = memory.fits_if_raised
    needs_raise = runs and not memory.fits
    price = _total(split)
    running = running_cost(
        setup.hardware,
        setup.units,
        constraints.currency,
        constraints.hours_per_day,
        result.decode_tok_s_aggregate if runs else None,
        split,
        constraints.electricity,
        constraints.kwh_price,
    )
    bar = constraints.min_tok_s or DEFAULT_BAR_TOK_S
    verdict = overall_verdict(fired)
    return Option(
        model=setup.model.id,
        hardware=setup.hardware.id,
        hardware_name=setup.hardware.name,
        units=setup.units,
        split=setup.split,
        link=setup.link.id,
        quant=setup.fmt.id,
        asked_quant=setup.asked_format,
        engine=setup.engine.id,
        verdict=verdict,
        fits=memory.fits,
        needs_raise=needs_raise,
        context_tokens=work.context_tokens,
        prompt_tokens=work.prompt_tokens,
        output_tokens=work.output_tokens,
        concurrency=work.concurrency,
        decode_tok_s=result.decode_tok_s if runs else None,
        decode_band=result.decode_band if runs else None,
        decode_tok_s_aggregate=result.decode_tok_s_aggregate if runs else None,
        decode_tok_s_full_context=facts.decode_tok_s_full_context if runs else None,
        decode_tok_s_conversation=facts.decode_tok_s_conversation if runs else None,
        bound=result.bound,
        decode_bound=result.decode_bound,
        prefill_tok_s=result.prefill_tok_s if runs else None,
        prefill_band=result.prefill_band if runs else None,
        prefill_bound=result.prefill_bound,
        ttft_s=result.ttft_s if runs else None,
        generation_s=result.generation_s if runs else None,
        batch_tok_s=batch_tok_s,
        **_team_fields(result, runs),
        memory_total_gb=memory.total_gb,
        memory_usable_gb=memory.usable_max_gb if needs_raise else memory.usable_gb,
        memory=memory,
        price=price,
        price_split=split,
        currency=constraints.currency,
        availability=setup.hardware.availability,
        power_w=running.power_w if running else None,
        energy_cost_year=running.energy_cost_year if running else None,
        cost_per_million_tokens=running.cost_per_million_tokens if running else None,
        owning_cost=running.owning_cost if running else None,
        running=running,
        tok_s_per_1000=per_1000(result.decode_tok_s_aggregate, price) if runs else None,
        in_budget=constraints.budget is None or (price is not None and price <= constraints.budget),
        meets_bar=runs
        and usable(verdict)
        and at_least(verdict, constraints.min_verdict)
        and facts.decode_tok_s_conversation >= bar
        and not (constraints.max_ttft_s and facts.ttft_wait_s > constraints.max_ttft_s),
        calibrated=result.calibrated,
        nominal_bits=setup.fmt.nominal_bits,
        fired_rules=[rule.id for rule in fired],
        findings=fired,
        assumptions={
            **assumptions(setup, work, calibration, result.calibrated),
            **price_notes(setup.hardware, constraints.currency, split),
            **energy_notes(running),
        },
        facts=facts,
    )
