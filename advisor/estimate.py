"""The physics: does a model fit on a box, how fast does it decode and prefill, and why.

Every function here is pure: catalog entries and calibration constants in, figures out.
Memory is counted in GiB (2^30 bytes), the unit RAM is sold in, and printed as "GB".
Bandwidth is in 10^9 bytes/s and compute in 10^12 FLOP/s, as vendors quote them.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from advisor.calibration import Calibration, load_calibration
from advisor.catalog import Catalog
from advisor.catalog.entries import Dtype, Engine, Hardware, Link, Model, WeightFormat
from advisor.errors import InvalidInput

GIB = 2**30
KV_BYTES_PER_ELEMENT = {"f16": 2.0, "bf16": 2.0, "fp8": 1.0, "q8_0": 34 / 32, "q4_0": 18 / 32}
BASE_RUNTIME_OVERHEAD_GIB = 1.0  # llama.cpp `--fit` keeps a 1024 MiB margin per device
UBATCH_TOKENS = 512  # llama.cpp's default n_ubatch: prefill reads the weights once per ubatch
ACTIVATION_BYTES = 4  # per hidden element crossing a pipeline hop (gguf-parser's RPC estimate)
MAX_TOKENS = 10_000_000

Split = Literal["none", "pipeline", "tensor"]
Bound = Literal["bandwidth", "compute", "capacity", "interconnect"]


class EstimateRequest(BaseModel):
    """One question for the core: this model, in this format, on these boxes, for this work."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str = Field(description="Model id or alias, e.g. 'deepseek-r1' or 'llama3 70b'.")
    hardware: str = Field(description="Hardware id or alias, e.g. 'dgx-spark'.")
    quant: str | None = Field(
        default=None, description="Weight format id, e.g. 'q4_k_m'; default: the engine's usual."
    )
    units: int = Field(default=1, ge=1, le=64, description="How many boxes or cards.")
    link: str | None = Field(default=None, description="What joins the units, e.g. 'tb5-rdma'.")
    split: Split | None = Field(default=None, description="'pipeline' (layers) or 'tensor'.")
    engine: str | None = Field(default=None, description="Engine id; default: the platform's.")
    context_tokens: int = Field(
        default=8192, ge=1, le=MAX_TOKENS, description="Context window the KV cache holds."
    )
    prompt_tokens: int = Field(
        default=1024, ge=1, le=MAX_TOKENS, description="Prompt length for time to first token."
    )
    depth_tokens: int = Field(
        default=0, ge=0, le=MAX_TOKENS, description="Tokens already in the cache before it."
    )
    output_tokens: int = Field(default=512, ge=1, le=MAX_TOKENS, description="Tokens to write.")
    concurrency: int = Field(default=1, ge=1, le=4096, description="Sequences served at once.")
    kv_dtype: Literal["f16", "bf16", "fp8", "q8_0", "q4_0"] = Field(
        default="f16", description="KV cache element type."
    )
    raise_memory_limit: bool = Field(
        default=False, description="Assume the GPU memory limit was raised (macOS wired limit)."
    )

    @model_validator(mode="after")
    def _context_holds_the_work(self) -> EstimateRequest:
        if self.depth_tokens + self.prompt_tokens > self.context_tokens:
            raise ValueError(
                f"the prompt ({self.prompt_tokens:,} tokens) plus the tokens already in context "
                f"({self.depth_tokens:,}) exceed the context window ({self.context_tokens:,})"
            )
        return self


class Memory(BaseModel):
    weights_gb: float
    kv_cache_gb: float
    overhead_gb: float
    total_gb: float
    usable_gb: float
    usable_max_gb: float
    per_unit_gb: float
    per_unit_usable_gb: float
    fits: bool
    fits_if_raised: bool
    headroom_gb: float
    active_weights_gb: float
    active_fits: bool


class Band(BaseModel):
    low: float
    high: float


class Estimate(BaseModel):
    """The figures for one request, and the assumptions behind them."""

    model: str
    hardware: str
    quant: str
    engine: str
    units: int
    link: str
    split: Split
    concurrency: int
    context_tokens: int
    prompt_tokens: int
    output_tokens: int
    fits: bool
    memory_total_gb: float
    memory_usable_gb: float
    memory: Memory
    decode_tok_s: float = Field(description="Per sequence, averaged over the output.")
    decode_tok_s_aggregate: float = Field(description="All sequences together.")
    decode_tok_s_full_context: float
    decode_band: Band
    prefill_tok_s: float
    prefill_band: Band
    ttft_s: float
    generation_s: float
    bound: Bound
    decode_bound: Bound
    prefill_bound: Bound
    price_usd: float | None
    price_cny: float | None
    tok_s_per_1000_usd: float | None
    calibrated: bool
    assumptions: dict[str, str]


# --- bytes ---------------------------------------------------------------------------------


def _format_bits(model: Model, fmt: WeightFormat) -> tuple[float, float]:
    """Bits per weight for (routed expert weights, everything else)."""
    if fmt.applies_to == "experts" and model.is_moe and fmt.other_bits is not None:
        return fmt.bits, fmt.other_bits
    return fmt.bits, fmt.bits


def _embedding_params(model: Model) -> float:
    return float(model.vocab_size * model.hidden_size)


def weight_bytes(model: Model, fmt: WeightFormat) -> float:
    """Bytes of all weights held in memory (every expert of a MoE is resident)."""
    expert_bits, other_bits = _format_bits(model, fmt)
    experts = model.expert_params_b * 1e9
    other = model.params_total_b * 1e9 - experts
    return (experts * expert_bits + other * other_bits) / 8


def _active_expert_params(model: Model) -> float:
    """Routed-expert parameters one token uses: k of E experts, from the architecture itself
    (model cards count "active" with or without embeddings, so their figure is not used)."""
    if model.experts and model.experts_active:
        return model.expert_params_b * 1e9 * model.experts_active / model.experts
    non_expert = (model.params_total_b - model.expert_params_b) * 1e9
    return max(model.params_active_b * 1e9 - non_expert, 0.0)


def active_params(model: Model) -> float:
    """Parameters one token passes through (every non-expert weight plus its experts)."""
    if not model.is_moe:
        return model.params_total_b * 1e9
    return (model.params_total_b - model.expert_params_b) * 1e9 + _active_expert_params(model)


def expert_touch_fraction(model: Model, tokens: int) -> float:
    """Share of all routed-expert weights read when `tokens` tokens pass one layer together.

    With E experts and k per token, the expected number of distinct experts hit by B tokens is
    E * (1 - (1 - k/E)^B).
    """
    if not model.is_moe or not model.experts or not model.experts_active:
        return 1.0
    experts, per_token = model.experts, model.experts_active
    distinct = experts * (1 - (1 - per_token / experts) ** tokens)
    return min(distinct, experts) / experts


def decode_read_bytes(model: Model, fmt: WeightFormat, tokens: int = 1) -> float:
    """Weight bytes read per decode step for `tokens` sequences.

    Reads the non-expert weights (less the input embedding table, of which only one row per
    token is read, unless it is tied to the output head) and the routed experts those tokens hit.
    """
    expert_bits, other_bits = _format_bits(model, fmt)
    non_expert = (model.params_total_b - model.expert_params_b) * 1e9
    if not model.tied_embeddings:
        non_expert -= _embedding_params(model)
    expert_read = 0.0
    if model.is_moe:
        growth = expert_touch_fraction(model, tokens) / expert_touch_fraction(model, 1)
        expert_read = min(_active_expert_params(model) * growth, model.expert_params_b * 1e9)
    return (max(non_expert, 0.0) * other_bits + expert_read * expert_bits) / 8


def kv_bytes_per_token_layers(model: Model, engine: Engine, kv_dtype: str) -> tuple[float, float]:
    """KV bytes one token adds, split into (layers that keep growing, windowed layers)."""
    element = KV_BYTES_PER_ELEMENT[kv_dtype]
    if model.attention == "mla":
        rank = model.kv_lora_rank or 0
        rope = model.qk_rope_head_dim or 0
        width = {
            "latent": rank + rope,
            "latent_kv": rank + rope + rank,
            "full": model.heads * (model.head_dim + rope + model.head_dim),
        }[engine.mla_cache]
        return model.layers * width * element, 0.0
    per_layer = 2 * model.kv_heads * model.head_dim * element
    if model.attention == "gqa":
        return model.layers * per_layer, 0.0
    full_layers = model.full_attention_layers or 0
    if model.attention == "hybrid":
        return full_layers * per_layer, 0.0  # linear layers keep a constant state instead
    local_layers = model.layers - full_layers
    if engine.sliding_window_cache == "full":
        return model.layers * per_layer, 0.0
    return full_layers * per_layer, local_layers * per_layer


def kv_cache_bytes(model: Model, engine: Engine, kv_dtype: str, tokens: int) -> float:
    """KV cache for one sequence of `tokens` tokens, windowed layers capped at the window."""
    growing, windowed = kv_bytes_per_token_layers(model, engine, kv_dtype)
    window = model.sliding_window or tokens
    constant = (model.recurrent_state_mb or 0.0) * 1e6 if model.attention == "hybrid" else 0.0
    return growing * tokens + windowed * min(tokens, window) + constant


def runtime_overhead_bytes(model: Model) -> float:
    """Per unit: the runtime's margin plus the logits buffer of one ubatch (fp32)."""
    return BASE_RUNTIME_OVERHEAD_GIB * GIB + UBATCH_TOKENS * model.vocab_size * 4


# --- compute -------------------------------------------------------------------------------


def matmul_flops_per_token(model: Model) -> float:
    """2 FLOPs per active weight, less embeddings: the input table is a lookup, and the output
    head runs once per step (counted in decode, skipped for all but the last prompt token)."""
    heads = 1 if model.tied_embeddings else 2
    return 2 * max(active_params(model) - heads * _embedding_params(model), 0.1e9)


def attention_flops(model: Model, tokens: int, depth: int) -> float:
    """QK^T and AV for `tokens` new tokens after `depth` cached ones (causal)."""
    width = model.heads * model.head_dim
    full_layers = model.layers
    windowed_layers = 0
    if model.attention in ("sliding", "hybrid"):
        full_layers = model.full_attention_layers or 0
        windowed_layers = model.layers - full_layers if model.attention == "sliding" else 0
    seen_full = tokens * depth + tokens * tokens / 2
    window = model.sliding_window or 0
    seen_windowed = tokens * min(depth + tokens / 2, window)
    return 4 * width * (full_layers * seen_full + windowed_layers * seen_windowed)


def prefill_dtype(fmt: WeightFormat, engine: Engine, hardware: Hardware) -> Dtype:
    """The dtype prompt matmuls run in: FP8/FP4 tensor cores where the engine uses them,
    int8 tensor-core MMA for llama.cpp's quantized (MMQ) CUDA kernels, else FP16."""
    if engine.low_precision_matmul:
        return fmt.matmul_dtype
    if fmt.kind == "gguf" and hardware.family == "nvidia":
        return "int8"
    return "fp16"


# --- resolution ----------------------------------------------------------------------------


def default_engine(catalog: Catalog, hardware: Hardware) -> Engine:
    engines: list[Engine] = list(catalog.engines)
    for engine in engines:
        if hardware.family in engine.default_for:
            return engine
    return next(e for e in engines if hardware.family in e.families)


def usual_format(catalog: Catalog, engine: Engine, model: Model) -> WeightFormat:
    """What people usually run: a model's own low-bit release, else the engine's default."""
    if model.native_dtype in ("mxfp4", "int4") and model.native_dtype in engine.formats:
        return catalog.formats.get(model.native_dtype)
    if engine.usual_format == "native":
        return catalog.formats.get(model.native_dtype)
    return catalog.formats.get(engine.usual_format)


def native_format(catalog: Catalog, model: Model) -> WeightFormat:
    return catalog.formats.get(model.native_dtype)


class Resolved(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    model: Model
    hardware: Hardware
    fmt: WeightFormat
    engine: Engine
    link: Link
    split: Split
    quant_assumed: bool
    engine_assumed: bool


def resolve(catalog: Catalog, request: EstimateRequest) -> Resolved:
    model = catalog.models.get(request.model)
    hardware = catalog.hardware.get(request.hardware)
    engine_assumed = request.engine is None
    engine = (
        default_engine(catalog, hardware)
        if engine_assumed
        else catalog.engines.get(request.engine or "")
    )
    if (
        engine_assumed
        and request.split == "tensor"
        and request.units > 1
        and (hardware.kind == "box" and engine.id.startswith("llama.cpp"))
    ):
        # tensor parallel across boxes needs an engine that does it (vLLM on NVIDIA, MLX on Apple)
        engine = next(
            (
                e
                for e in catalog.engines
                if hardware.family in e.families
                and "tensor" in e.splits
                and not e.id.startswith("llama.cpp")
            ),
            engine,
        )
    if hardware.family not in engine.families:
        runs_on = ", ".join(engine.families)
        raise InvalidInput(
            f"{engine.id} does not run on {hardware.name} ({hardware.family}); it runs on {runs_on}"
        )
    quant_assumed = request.quant is None
    fmt = (
        usual_format(catalog, engine, model)
        if quant_assumed
        else catalog.formats.get(request.quant or "")
    )
    if fmt.id not in engine.formats:
        raise InvalidInput(
            f"{engine.id} does not run {fmt.id} weights; it runs {', '.join(engine.formats)}"
        )
    units = request.units
    if units > hardware.max_units:
        raise InvalidInput(
            f"{hardware.name} clusters up to {hardware.max_units} units in practice, not {units}"
        )
    if units == 1:
        split: Split = "none"
        link = catalog.links.get("none")
    else:
        split = request.split if request.split not in (None, "none") else engine.splits[0]
        if split not in engine.splits:
            raise InvalidInput(f"{engine.id} cannot split a model by {split}")
        if split == "tensor" and hardware.kind == "box" and engine.id.startswith("llama.cpp"):
            raise InvalidInput(
                f"{engine.id} splits tensors only across GPUs in one host; between boxes it "
                "splits by layers (pipeline). Use vllm, sglang, mlx or exo for tensor parallel"
            )
        if request.link is None:
            if not hardware.links:
                raise InvalidInput(f"{hardware.name} has no link to cluster over")
            link = catalog.links.get(hardware.links[0])
        else:
            link = catalog.links.get(request.link)
            if link.id not in hardware.links:
                raise InvalidInput(
                    f"{hardware.name} does not connect over {link.id}; "
                    f"it connects over {', '.join(hardware.links) or 'nothing'}"
                )
        if split == "tensor" and model.heads % units:
            raise InvalidInput(
                f"tensor parallel needs the head count ({model.heads}) to divide by {units}"
            )
    if request.context_tokens > model.max_context:
        raise InvalidInput(
            f"{model.name} supports at most {model.max_context:,} tokens of context, "
            f"not {request.context_tokens:,}"
        )
    return Resolved(
        model=model,
        hardware=hardware,
        fmt=fmt,
        engine=engine,
        link=link,
        split=split,
        quant_assumed=quant_assumed,
        engine_assumed=engine_assumed,
    )


# --- timing --------------------------------------------------------------------------------


class StepTime(BaseModel):
    memory_s: float
    compute_s: float
    overhead_s: float
    comm_s: float

    @property
    def total_s(self) -> float:
        return max(self.memory_s, self.compute_s) + self.overhead_s + self.comm_s

    @property
    def bound(self) -> Bound:
        if self.comm_s > max(self.memory_s, self.compute_s):
            return "interconnect"
        return "compute" if self.compute_s > self.memory_s else "bandwidth"


def _effective_bandwidth(r: Resolved, cal: Calibration) -> float:
    constants = cal.decode_for(r.hardware)
    efficiency = constants.efficiency * cal.engine_decode.get(r.engine.id, 1.0)
    if r.model.is_moe:
        efficiency *= cal.moe_efficiency
    return r.hardware.bandwidth_gbs * 1e9 * efficiency


def _effective_compute(r: Resolved, cal: Calibration) -> float:
    dtype, peak = r.hardware.tflops.peak(prefill_dtype(r.fmt, r.engine, r.hardware))
    mfu = cal.prefill_for(r.hardware).mfu * cal.engine_prefill.get(r.engine.id, 1.0)
    if dtype == "int8":
        mfu *= cal.int8_matmul
    if r.fmt.is_quantized and not r.engine.low_precision_matmul:
        mfu *= cal.quantized_prefill
    return peak * 1e12 * mfu


def _collective_s(r: Resolved, cal: Calibration, units: int, payload_bytes: float) -> float:
    """One all-reduce over the link: fixed software cost, link latency per ring step, data."""
    steps = 2 * (units - 1)
    latency = (r.link.latency_us or 0.0) * steps
    gbps = r.link.gbps or 1e6
    data = payload_bytes * steps / units / (gbps / 8 * 1e9)
    return (cal.collective_us + latency) * 1e-6 + data


def _hop_s(r: Resolved, cal: Calibration, payload_bytes: float) -> float:
    gbps = r.link.gbps or 1e6
    return (cal.hop_us + (r.link.latency_us or 0.0)) * 1e-6 + payload_bytes / (gbps / 8 * 1e9)


def decode_step(
    r: Resolved, cal: Calibration, units: int, batch: int, depth: float, kv_dtype: str
) -> StepTime:
    """One decode step for `batch` sequences each holding `depth` tokens of context."""
    model = r.model
    constants = cal.decode_for(r.hardware)
    bandwidth = _effective_bandwidth(r, cal)
    weights = decode_read_bytes(model, r.fmt, batch)
    kv = (
        batch
        * kv_cache_bytes(model, r.engine, kv_dtype, max(int(depth), 1))
        / constants.attention_efficiency
    )
    flops = batch * (
        matmul_flops_per_token(model)
        + 2 * _embedding_params(model)
        + attention_flops(model, 1, int(depth))
    )
    compute = _effective_compute(r, cal)
    per_layer_us = constants.per_layer_us + (cal.moe_per_layer_us if model.is_moe else 0.0)
    overhead = (constants.overhead_ms + per_layer_us * model.layers / 1000) / 1000
    activation = batch * model.hidden_size * ACTIVATION_BYTES
    if r.split == "tensor":
        return StepTime(
            memory_s=(weights + kv) / units / bandwidth,
            compute_s=flops / units / compute,
            overhead_s=overhead,
            comm_s=2 * model.layers * _collective_s(r, cal, units, activation / 2),
        )
    return StepTime(
        memory_s=(weights + kv) / bandwidth,
        compute_s=flops / compute,
        overhead_s=overhead,
        comm_s=(units - 1) * _hop_s(r, cal, activation) if r.split == "pipeline" else 0.0,
    )


def prefill_time(r: Resolved, cal: Calibration, units: int, tokens: int, depth: int) -> StepTime:
    """Process a prompt of `tokens` tokens after `depth` cached ones, for one sequence."""
    model = r.model
    attention_efficiency = cal.decode_for(r.hardware).attention_efficiency
    flops = (
        matmul_flops_per_token(model) * tokens
        + attention_flops(model, tokens, depth) / attention_efficiency
    )
    compute = _effective_compute(r, cal)
    if model.is_moe:
        compute *= cal.moe_prefill
    passes = math.ceil(tokens / UBATCH_TOKENS)
    touched = decode_read_bytes(model, r.fmt, min(tokens, UBATCH_TOKENS))
    memory = passes * touched / _effective_bandwidth(r, cal)
    overhead = cal.prefill_for(r.hardware).overhead_ms / 1000
    activation = tokens * model.hidden_size * ACTIVATION_BYTES
    if r.split == "tensor":
        return StepTime(
            memory_s=memory / units,
            compute_s=flops / units / compute,
            overhead_s=overhead,
            comm_s=2 * model.layers * _collective_s(r, cal, units, activation / 2),
        )
    hops = (units - 1) * _hop_s(r, cal, activation) if r.split == "pipeline" else 0.0
    return StepTime(memory_s=memory, compute_s=flops / compute, overhead_s=overhead, comm_s=hops)


# --- the estimate --------------------------------------------------------------------------


def memory_figures(r: Resolved, request: EstimateRequest) -> Memory:
    units = request.units
    weights = weight_bytes(r.model, r.fmt)
    kv = request.concurrency * kv_cache_bytes(
        r.model, r.engine, request.kv_dtype, request.context_tokens
    )
    overhead = units * runtime_overhead_bytes(r.model)
    total = weights + kv + overhead
    hw = r.hardware
    per_unit_usable = hw.usable_max_gb if request.raise_memory_limit else hw.usable_gb
    per_unit = total / units / GIB
    active = decode_read_bytes(r.model, r.fmt, 1)
    return Memory(
        weights_gb=weights / GIB,
        kv_cache_gb=kv / GIB,
        overhead_gb=overhead / GIB,
        total_gb=total / GIB,
        usable_gb=per_unit_usable * units,
        usable_max_gb=hw.usable_max_gb * units,
        per_unit_gb=per_unit,
        per_unit_usable_gb=per_unit_usable,
        fits=per_unit <= per_unit_usable,
        fits_if_raised=per_unit <= hw.usable_max_gb,
        headroom_gb=(per_unit_usable - per_unit) * units,
        active_weights_gb=active / GIB,
        active_fits=active / units / GIB <= per_unit_usable,
    )


def _band(value: float, low: float, high: float) -> Band:
    return Band(low=value * low, high=value * high)


def estimate(
    catalog: Catalog, request: EstimateRequest, calibration: Calibration | None = None
) -> Estimate:
    """All the figures for one request. Raises UnknownName or InvalidInput for bad input."""
    cal = calibration or load_calibration()
    r = resolve(catalog, request)
    units = request.units
    memory = memory_figures(r, request)
    batch = request.concurrency

    start = request.depth_tokens + request.prompt_tokens
    average_depth = start + request.output_tokens / 2
    step = decode_step(r, cal, units, batch, average_depth, request.kv_dtype)
    full = decode_step(r, cal, units, batch, request.context_tokens, request.kv_dtype)
    prefill = prefill_time(r, cal, units, request.prompt_tokens, request.depth_tokens)

    decode_tok_s = 1 / step.total_s
    prefill_tok_s = request.prompt_tokens / prefill.total_s
    decode_bound: Bound = step.bound
    bound: Bound = "capacity" if not memory.fits_if_raised else decode_bound

    residuals = cal.residuals_for(r.hardware)
    calibrated = residuals is not None and cal.is_calibrated(r.hardware, r.engine.id)
    decode_band = _band(
        decode_tok_s, *((residuals.decode.low, residuals.decode.high) if residuals else (0.5, 1.5))
    )
    prefill_band = _band(
        prefill_tok_s,
        *((residuals.prefill.low, residuals.prefill.high) if residuals else (0.5, 1.5)),
    )
    if not calibrated:  # no measurements behind this platform/engine: widen the band
        decode_band = Band(low=decode_band.low * 0.8, high=decode_band.high * 1.2)
        prefill_band = Band(low=prefill_band.low * 0.7, high=prefill_band.high * 1.3)

    price_usd = r.hardware.price_usd * units if r.hardware.price_usd else None
    unit_cny = price_in_cny(r.hardware)
    price_cny = unit_cny * units if unit_cny else None
    per_1000 = decode_tok_s * batch / (price_usd / 1000) if price_usd else None

    return Estimate(
        model=r.model.id,
        hardware=r.hardware.id,
        quant=r.fmt.id,
        engine=r.engine.id,
        units=units,
        link=r.link.id,
        split=r.split,
        concurrency=batch,
        context_tokens=request.context_tokens,
        prompt_tokens=request.prompt_tokens,
        output_tokens=request.output_tokens,
        fits=memory.fits,
        memory_total_gb=memory.total_gb,
        memory_usable_gb=memory.usable_gb,
        memory=memory,
        decode_tok_s=decode_tok_s,
        decode_tok_s_aggregate=decode_tok_s * batch,
        decode_tok_s_full_context=1 / full.total_s,
        decode_band=decode_band,
        prefill_tok_s=prefill_tok_s,
        prefill_band=prefill_band,
        ttft_s=prefill.total_s,
        generation_s=request.output_tokens * step.total_s,
        bound=bound,
        decode_bound=decode_bound,
        prefill_bound=prefill.bound,
        price_usd=price_usd,
        price_cny=price_cny,
        tok_s_per_1000_usd=per_1000,
        calibrated=calibrated,
        assumptions=_assumptions(r, request, cal, calibrated),
    )


USD_TO_CNY = 7.1
USD_TO_CNY_SOURCE = (
    "assumed rate 7.1 CNY per USD (late-2026 level), used where no China price is known"
)


def price_in_cny(hardware: Hardware) -> float | None:
    if hardware.price_cny:
        return hardware.price_cny
    return hardware.price_usd * USD_TO_CNY if hardware.price_usd else None


def _assumptions(
    r: Resolved, request: EstimateRequest, cal: Calibration, calibrated: bool
) -> dict[str, str]:
    hw = r.hardware
    constants = cal.decode_for(hw)
    efficiency = constants.efficiency * cal.engine_decode.get(r.engine.id, 1.0)
    kv_layout = r.engine.mla_cache if r.model.attention == "mla" else "per-head"
    notes = {
        "engine": r.engine.id
        + (" (the usual engine on this platform)" if r.engine_assumed else ""),
        "quant": f"{r.fmt.id}, {r.fmt.bits:g} bits per weight"
        + (" (the usual format for this engine and model)" if r.quant_assumed else ""),
        "usable_memory": (
            f"{hw.usable_max_gb if request.raise_memory_limit else hw.usable_gb:g} GB per unit"
            + (" after raising the limit" if request.raise_memory_limit else " by default")
        ),
        "bandwidth_efficiency": f"{efficiency:.2f} of {hw.bandwidth_gbs:g} GB/s"
        + (f", x{cal.moe_efficiency:.2f} for MoE" if r.model.is_moe else ""),
        "fixed_cost_per_token": f"{constants.overhead_ms:.2f} ms + {constants.per_layer_us:.0f} µs"
        f" x {r.model.layers} layers",
        "kv_cache": f"{request.kv_dtype}, {kv_layout} layout, {request.context_tokens:,} tokens"
        f" x {request.concurrency} sequence(s)",
        "calibration": "fitted on measured rows for this platform and engine"
        if calibrated
        else "no measurements for this platform/engine: wider band, treat as rough",
        "memory_unit": "GB here means GiB (2^30 bytes), the unit RAM is sold in",
    }
    if r.split != "none":
        notes["cluster"] = f"{request.units} units, {r.split} split over {r.link.id}"
    if hw.kind == "card":
        notes["price"] = "card only; the host PC is extra"
    if hw.price_cny is None and hw.price_usd:
        notes["price_cny"] = USD_TO_CNY_SOURCE
    return notes
