"""What can be asked of the core, as typed requests, and the defaults a silent question gets.

Every default (context, prompt, answer length, cluster size, the speed bar, the serving batch)
is written here once; every face and every core function reads it from here.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_TOKENS = 10_000_000
MAX_NAME_CHARS = 200  # the longest model or box name a request may carry
# a budget above this buys more than every box here many times over: a typo or a test, refused
MAX_BUDGET = 1_000_000_000
DEFAULT_CONTEXT_TOKENS = 8192
DEFAULT_PROMPT_TOKENS = 1024
DEFAULT_OUTPUT_TOKENS = 512
# from this prompt length the wait for the first token is part of the speed a setup is chosen by
# (the same length the slow-long-prompts rule warns from)
LONG_PROMPT_TOKENS = 8000
DEFAULT_MAX_UNITS = 2
SERVING_BATCH = 8  # sequences at once when we ask "what would serving a small team give?"
DEFAULT_BAR_TOK_S = 10.0  # "meets the bar" without a stated minimum: interactive (see rules)
DEFAULT_HOURS_PER_DAY = 8.0  # running cost: a working day under load, idle the rest

Currency = Literal["USD", "CNY", "EUR"]
Language = Literal["en", "zh"]
Split = Literal["none", "pipeline", "tensor"]
KvDtype = Literal["f16", "bf16", "fp8", "q8_0", "q4_0"]
# the least verdict accepted: "comfortable" for "runs smoothly" (流畅); "usable" is the usual bar
MinVerdict = Literal["usable", "comfortable"]
# what a buyer puts first: the cheapest meeting the bar, the fastest, the shortest first-token wait
Preference = Literal["cheapest", "fastest", "first_token"]
HaveHost = Annotated[bool, Field(description="You own a PC for the cards: price cards alone.")]
HoursPerDay = Annotated[
    float,
    Field(
        ge=0, le=24, description="Hours a day under load, for the electricity cost (idle the rest)."
    ),
]
Electricity = Annotated[
    Currency | None,
    Field(
        description="Whose household electricity rate prices the power: that currency's region "
        "(USD: US, CNY: China, EUR: EU); default: the currency's. Keep a Chinese buyer's rate "
        "when they only ask to see dollars."
    ),
]
KwhPrice = Annotated[
    float | None,
    Field(
        gt=0,
        le=10,
        description="Your own electricity price per kWh, in `electricity`'s currency (default: "
        "`currency`); default: that region's household rate.",
    ),
]
NATIVE_WORDS = frozenset({"native", "满血", "full", "不量化"})


def scaled_tokens(value: float, scale: str) -> int:
    """A length written with k or M: 1,024 (1,024²) times a power of two, as windows are sized
    ("32k" is 32,768, "128k" 131,072, "1M" 1,048,576), else a thousand (a million) times it
    ("100k" is 100,000, "0.1M" 100,000, "1.5k" 1,500)."""
    whole = value == int(value) and value >= 1
    binary = whole and int(value) & (int(value) - 1) == 0
    base = 1024 if binary else 1000
    return round(value * (base if scale == "k" else base * base))


def is_native(word: str | None) -> bool:
    """Words for the model's own full-precision weights: native, 满血, full, 不量化."""
    return word is not None and word.strip().lower() in NATIVE_WORDS


def context_holding(context_tokens: int, prompt_tokens: int | None, output_tokens: int) -> int:
    """A context window big enough for the prompt asked about and the answer after it: a
    stated prompt longer than the default window grows the window rather than failing."""
    if prompt_tokens is None:
        return context_tokens
    return max(context_tokens, prompt_tokens + output_tokens)


def default_prompt(context_tokens: int) -> int:
    """The prompt length time to first token is quoted for when the question names none."""
    return min(DEFAULT_PROMPT_TOKENS, context_tokens)


class Workload(BaseModel):
    """The work one setup does: how much context it holds, the prompt it reads, the answer it
    writes and how many sequences it serves at once."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    context_tokens: int = Field(default=DEFAULT_CONTEXT_TOKENS, ge=1, le=MAX_TOKENS)
    prompt_tokens: int = Field(default=DEFAULT_PROMPT_TOKENS, ge=1, le=MAX_TOKENS)
    depth_tokens: int = Field(default=0, ge=0, le=MAX_TOKENS)
    output_tokens: int = Field(default=DEFAULT_OUTPUT_TOKENS, ge=1, le=MAX_TOKENS)
    concurrency: int = Field(default=1, ge=1, le=4096)
    kv_dtype: KvDtype = "f16"

    @model_validator(mode="after")
    def _context_holds_the_work(self) -> Workload:
        if self.depth_tokens + self.prompt_tokens > self.context_tokens:
            raise ValueError(
                f"the prompt ({self.prompt_tokens:,} tokens) plus the tokens already in context "
                f"({self.depth_tokens:,}) exceed the context window ({self.context_tokens:,})"
            )
        if self.output_tokens > self.context_tokens:  # the answer is held in the context too
            raise ValueError(
                f"the answer ({self.output_tokens:,} tokens) is longer than the context window "
                f"({self.context_tokens:,}); raise the context or shorten the answer"
            )
        return self


class UnitPrice(BaseModel):
    """A price the buyer was quoted for one unit of a box or card."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)

    hardware: str = Field(min_length=1, max_length=MAX_NAME_CHARS, description="Catalog id.")
    price: float = Field(gt=0, le=10_000_000, description="One unit, in the request's currency.")


class Constraints(BaseModel):
    """What the buyer asked for beyond the model: money and speed."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    budget: float | None = Field(
        default=None, gt=0, le=MAX_BUDGET, description="Most you will spend."
    )
    currency: Currency = Field(default="USD", description="Currency of the budget and prices.")
    min_tok_s: float | None = Field(default=None, gt=0, description="Slowest decode you accept.")
    min_verdict: MinVerdict | None = Field(
        default=None, description="The least verdict you accept, e.g. 'comfortable' (流畅)."
    )
    max_ttft_s: float | None = Field(
        default=None,
        gt=0,
        le=86_400,
        description="Longest wait for the first token you accept, seconds.",
    )
    have_host: HaveHost = False
    hours_per_day: HoursPerDay = DEFAULT_HOURS_PER_DAY
    electricity: Electricity = None
    kwh_price: KwhPrice = None
    unit_prices: tuple[UnitPrice, ...] = Field(
        default=(), description="Prices the buyer was quoted for one unit of a box."
    )


class EstimateRequest(BaseModel):
    """One question for the core: this model, in this format, on these boxes, for this work.

    Left out, the format, engine, split and link are chosen by the setup resolver, the same way
    for every face; a format the engine does not run is replaced by its nearest equivalent."""

    # validators built on first use: `estimate` never asks for a recommendation, `ask` seldom
    # for an estimate request
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)

    model: str = Field(
        min_length=1,
        max_length=MAX_NAME_CHARS,
        description="Model id or alias, e.g. 'deepseek-r1' or 'llama3 70b'.",
    )
    hardware: str = Field(
        min_length=1,
        max_length=MAX_NAME_CHARS,
        description="Hardware id or alias, e.g. 'dgx-spark'.",
    )
    quant: str | None = Field(
        default=None,
        description="Weight format id, e.g. 'q4_k_m', or 'native'; default: the best usual one.",
    )
    quant_as_named: bool = Field(
        default=False,
        description="Run the format asked as itself wherever an engine on the box runs it (a "
        "GGUF named runs on llama.cpp), not as another engine's format of the same bits; "
        "default: whichever of them is faster.",
    )
    units: int = Field(default=1, ge=1, le=64, description="How many boxes or cards.")
    link: str | None = Field(default=None, description="What joins the units, e.g. 'tb5-rdma'.")
    split: Split | None = Field(default=None, description="'pipeline' (layers) or 'tensor'.")
    engine: str | None = Field(default=None, description="Engine id; default: the best one.")
    context_tokens: int = Field(
        default=DEFAULT_CONTEXT_TOKENS,
        ge=1,
        le=MAX_TOKENS,
        description="Context window the KV cache holds.",
    )
    prompt_tokens: int | None = Field(
        default=None,
        ge=1,
        le=MAX_TOKENS,
        description="Prompt length for time to first token; default 1024 (or the context).",
    )
    depth_tokens: int = Field(
        default=0, ge=0, le=MAX_TOKENS, description="Tokens already in the cache before it."
    )
    output_tokens: int = Field(
        default=DEFAULT_OUTPUT_TOKENS, ge=1, le=MAX_TOKENS, description="Tokens to write."
    )
    concurrency: int = Field(default=1, ge=1, le=4096, description="Sequences served at once.")
    kv_dtype: KvDtype = Field(default="f16", description="KV cache element type.")
    raise_memory_limit: bool = Field(
        default=False, description="Assume the GPU memory limit was raised (macOS wired limit)."
    )

    @model_validator(mode="after")
    def _context_holds_the_work(self) -> EstimateRequest:
        if self.context_tokens is not None:  # a tool call may leave it to the user's setting
            self.workload()  # the same check, said once
        return self

    def workload(self) -> Workload:
        return Workload(
            context_tokens=self.context_tokens,
            prompt_tokens=self.prompt_tokens or default_prompt(self.context_tokens),
            depth_tokens=self.depth_tokens,
            output_tokens=self.output_tokens,
            concurrency=self.concurrency,
            kv_dtype=self.kv_dtype,
        )


class RecommendQuery(BaseModel):
    """What a buyer asks: a model, how they will use it, and what they can spend."""

    # validators built on first use: `estimate` never asks for a recommendation, `ask` seldom
    # for an estimate request
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)

    model: str = Field(
        min_length=1,
        max_length=MAX_NAME_CHARS,
        description="Model id or alias, e.g. 'deepseek-r1'.",
    )
    quants: tuple[str, ...] | None = Field(
        default=None, description="Acceptable weight formats; default: the usual ones."
    )
    native_only: bool = Field(default=False, description="Full precision only ('满血').")
    quant_as_named: bool = Field(
        default=False,
        description="Run the format asked as itself wherever an engine on the box runs it (a "
        "GGUF named runs on llama.cpp), not as another engine's format of the same bits; "
        "default: whichever of them is faster.",
    )
    engine: str | None = Field(
        default=None, max_length=MAX_NAME_CHARS, description="Engine id; default: the best one."
    )
    split: Split | None = Field(default=None, description="'pipeline' (layers) or 'tensor'.")
    link: str | None = Field(
        default=None, max_length=MAX_NAME_CHARS, description="What joins the units, e.g. 'pcie'."
    )
    context_tokens: int = Field(default=DEFAULT_CONTEXT_TOKENS, ge=1, le=MAX_TOKENS)
    prompt_tokens: int | None = Field(default=None, ge=1, le=MAX_TOKENS)
    output_tokens: int = Field(default=DEFAULT_OUTPUT_TOKENS, ge=1, le=MAX_TOKENS)
    concurrency: int = Field(default=1, ge=1, le=4096)
    kv_dtype: KvDtype = Field(
        default="f16",
        description="KV cache element type; q8_0 (llama.cpp) or fp8 (vLLM) halve the cache.",
    )
    min_tok_s: float | None = Field(default=None, gt=0, le=100_000)
    min_verdict: MinVerdict | None = Field(
        default=None,
        description="The least verdict that meets the bar: 'comfortable' for a box that runs the "
        "model smoothly (流畅); default: usable.",
    )
    max_ttft_s: float | None = Field(default=None, gt=0, le=86_400)
    budget: float | None = Field(default=None, gt=0, le=MAX_BUDGET)
    currency: Currency = "USD"
    have_host: HaveHost = False
    hours_per_day: HoursPerDay = DEFAULT_HOURS_PER_DAY
    electricity: Electricity = None
    kwh_price: KwhPrice = None
    # unsaid: DEFAULT_MAX_UNITS, and a datacenter GPU at the sizes a server splits over
    max_units: int | None = Field(default=None, ge=1, le=64)
    one_machine: bool = Field(
        default=False,
        description="One machine: a box alone, or one PC with as many cards as "
        f"max(max_units, {DEFAULT_MAX_UNITS}); not a cluster of boxes.",
    )
    prefer: Preference | None = Field(
        default=None,
        description="What the buyer puts first: the cheapest option that meets the bar, the "
        "fastest in budget, or the shortest wait for the first token in budget; default: the "
        "best (verdict, then value for money).",
    )
    new_only: bool = Field(
        default=False,
        description="Weigh only boxes sold new: no used, discontinued or withdrawn ones (boxes "
        "named in `hardware` are weighed as named).",
    )
    used_only: bool = Field(
        default=False,
        description="Weigh only boxes no longer sold new, bought used ('used cards', '二手'); "
        "boxes named in `hardware` are weighed as named.",
    )
    cards_only: bool = Field(
        default=False,
        description="Weigh only graphics cards, in a PC ('used GPUs', '二手显卡'); boxes named in "
        "`hardware` are weighed as named.",
    )
    unit_prices: tuple[UnitPrice, ...] = Field(
        default=(),
        max_length=64,
        description="Your own price for one unit of a box or card (a used offer, a quote), in "
        "`currency`; it replaces the catalog's price for that box.",
    )
    hardware: tuple[Annotated[str, Field(max_length=MAX_NAME_CHARS)], ...] | None = Field(
        default=None, max_length=64, description="Boxes to consider."
    )
    lang: Language = "en"

    @model_validator(mode="after")
    def _prompt_fits_the_context(self) -> RecommendQuery:
        if self.context_tokens is not None:  # a tool call may leave it to the user's setting
            self.workload()
        return self

    def workload(self) -> Workload:
        return Workload(
            context_tokens=self.context_tokens,
            prompt_tokens=self.prompt_tokens or default_prompt(self.context_tokens),
            output_tokens=self.output_tokens,
            concurrency=self.concurrency,
            kv_dtype=self.kv_dtype,
        )

    def most_units(self) -> int:
        """The largest cluster weighed of a box that is not a datacenter GPU."""
        return self.max_units or DEFAULT_MAX_UNITS

    def constraints(self) -> Constraints:
        return Constraints(
            budget=self.budget,
            currency=self.currency,
            min_tok_s=self.min_tok_s,
            min_verdict=self.min_verdict,
            max_ttft_s=self.max_ttft_s,
            have_host=self.have_host,
            hours_per_day=self.hours_per_day,
            electricity=self.electricity,
            kwh_price=self.kwh_price,
            unit_prices=self.unit_prices,
        )

    @property
    def format_wish(self) -> tuple[str, ...] | None:
        """The formats asked for: ids, or ('native',); None for the usual ones."""
        return ("native",) if self.native_only else self.quants

    @property
    def setup_wish(self) -> tuple[str | None, Split | None, str | None]:
        """The engine, split and link asked for (None: the resolver's choice)."""
        return self.engine, self.split, self.link


def query_of_request(request: EstimateRequest, constraints: Constraints) -> RecommendQuery:
    """The buyer's question an estimate request and its constraints stand for: what chooses a
    configuration of a product line named without a size, as a question naming it would."""
    native = is_native(request.quant)
    return RecommendQuery(
        model=request.model,
        quants=None if request.quant is None or native else (request.quant,),
        native_only=native,
        quant_as_named=request.quant_as_named,
        engine=request.engine,
        split=request.split,
        link=request.link,
        context_tokens=request.context_tokens,
        prompt_tokens=request.prompt_tokens,
        output_tokens=request.output_tokens,
        concurrency=request.concurrency,
        kv_dtype=request.kv_dtype,
        max_units=max(request.units, DEFAULT_MAX_UNITS),
        **constraints.model_dump(),
    )
