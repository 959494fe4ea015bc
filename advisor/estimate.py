"""The physics: does a model fit on a box, how fast does it decode and prefill, and why.

Every function here is pure: catalog entries and calibration constants in, figures out.
Memory is counted in GiB (2^30 bytes), the unit RAM is sold in, and printed as "GB".
Bandwidth is in 10^9 bytes/s and compute in 10^12 FLOP/s, as vendors quote them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from advisor.calibration import Calibration
from advisor.catalog.entries import Dtype, Engine, Hardware, Link, Model, WeightFormat
from advisor.requests import KvDtype, Split, Workload

GIB = 2**30
KV_BYTES_PER_ELEMENT = {"f16": 2.0, "bf16": 2.0, "fp8": 1.0, "q8_0": 34 / 32, "q4_0": 18 / 32}
BASE_RUNTIME_OVERHEAD_GIB = 1.0  # llama.cpp `--fit` keeps a 1024 MiB margin per device
UBATCH_TOKENS = 512  # llama.cpp's default n_ubatch: its logits buffer holds one ubatch
ACTIVATION_BYTES = 4  # per hidden element crossing a pipeline hop (gguf-parser's RPC estimate)
# Under load, the share of the other users' prompts that land while one user is generating:
# prompts arrive spread out, so about half of them fall inside any one answer.
PROMPTS_DURING_ANSWER = 0.5
# The share of the byte-count rate vLLM keeps where it has no native kernel for the format on
# the GPU (`weight_only`): 0.8 (vllm-project/vllm#55397, 2026: 17-24% below the native kernel
# under load); FP8 MoE models decoding on a DGX Spark match it within 3% (benchmarks/
# batched_deep.csv rows 5146-5163). Prompts keep it for every format.
WEIGHT_ONLY_SHARE = 0.8
# A 4-bit format (NVFP4/MXFP4 on sm_120/sm_121) decodes lower: it unpacks two weights a byte.
# At one user stock vLLM on a Spark decodes Gemma 4 31B NVFP4 at 6.9 and 6.8 tok/s, gpt-oss-20b
# MXFP4 at 46.1 and 45.7, Nemotron 3 Super NVFP4 at 16.3 (rows 5122-5123, 5134-5135, 5198;
# djangodevreng 2026-05, kubis.ai 2026-03-30), 0.56-0.61 of the byte-count rate at the FP8 and
# BF16 rows' efficiency: 0.6, not fitted. Held out: NVIDIA's vLLM image, 4.1 and 33.5 tok/s for
# Llama 3.3 70B NVFP4 and gpt-oss-120b (rows 7107-7108, dgx-spark-playbooks#79, 2026-04-25),
# predicted 3.7 and 35.3.
WEIGHT_ONLY_FP4_DECODE = 0.6
DEEP_TOKENS = 16384  # where long-context calibration takes over (validate's `deep` regime)

Bound = Literal["bandwidth", "compute", "capacity", "interconnect"]


# Plain frozen value types: built hundreds of times an answer from figures computed here, they
# need no validation; an Option (a pydantic model) carries and serializes them as objects.
@dataclass(frozen=True, slots=True)
class Memory:
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


@dataclass(frozen=True, slots=True)
class Band:
    low: float
    high: float


@dataclass(frozen=True)
class TeamFigures:
    """A box shared by several users: what one of them waits for while the others work."""

    ttft_loaded_s: float  # the prompt, prefilled while the others keep decoding
    ttft_together_s: float  # every user's prompt at the same moment: the last one's first token
    long_ttft_loaded_s: float  # a prompt filling the context, while the others keep decoding
    stall_share: float  # share of each user's generation time lost to the others' prompts


@dataclass(frozen=True)
class Estimate:
    """The figures for one setup doing some work (the assumptions behind them: `assumptions`)."""

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
    decode_tok_s: float  # per sequence, averaged over the output
    decode_tok_s_aggregate: float  # all sequences together
    decode_band: Band
    prefill_tok_s: float
    prefill_band: Band
    ttft_s: float
    generation_s: float
    team: TeamFigures | None  # how it serves `concurrency` users, when there is more than one
    full_prompt_ttft_s: float  # a prompt that fills the context window, on an idle box
    max_sequences: int  # sequences of `context_tokens` the memory holds at once
    bound: Bound
    decode_bound: Bound
    prefill_bound: Bound
    calibrated: bool
    decode_read_share: float = 1.0  # of one decode step, the time spent reading memory


# --- bytes ---------------------------------------------------------------------------------


def _format_bits(model: Model, fmt: WeightFormat) -> tuple[float, float]:
    """Bits per weight for (routed expert weights, everything else)."""
    if fmt.kind == "gguf" and model.is_moe and model.gguf_expert_bits is not None:
        return model.gguf_expert_bits, fmt.bits
    if _experts_only(model, fmt) and fmt.other_bits is not None:
        return fmt.bits, fmt.other_bits
    return fmt.bits, fmt.bits


def _experts_only(model: Model, fmt: WeightFormat) -> bool:
    """Whether only the routed experts are in `fmt`: in a MoE's own release of it (Kimi K2.5's
    INT4 keeps attention and shared experts in BF16). An INT4 (W4A16) quantization made by
    others (AWQ, GPTQ, AutoRound) takes every linear layer but the router: GPTQModel's qwen3_moe
    definition quantizes self_attn q/k/v/o and each expert, not the gate
    (https://github.com/ModelCloud/GPTQModel/blob/9557469ede84b6dbaeeb6f8534456b43332ef3fd/
    gptqmodel/models/definitions/qwen3_moe.py)."""
    return fmt.applies_to == "experts" and model.is_moe and model.native_dtype == fmt.id


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
        # one token reads exactly its own experts (x / x is 1.0: the same figure as computed)
        growth = (
            expert_touch_fraction(model, tokens) / expert_touch_fraction(model, 1)
            if tokens != 1
            else 1.0
        )
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
        }[engine.mla_cache_for(model.id)]
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


def kv_copies(r: Setup) -> float:
    """How many units hold each byte of the KV cache. A tensor split shares out KV heads, but a
    head that cannot be shared is copied to every unit that attends with it: MLA's one latent
    to all of them, GQA's heads when they are fewer than the units (units / heads each). Every
    copy takes memory and is read for each token (vLLM's deepseek_v2.py: "Number of KV heads is
    less than TP size, so we replicate the KV heads"; the latent cannot be sharded along heads:
    https://docs.ray.io/en/latest/serve/llm/user-guides/data-parallel-attention.html)."""
    if r.split != "tensor" or r.units == 1:
        return 1.0
    if r.model.attention == "mla" and r.engine.mla_cache_for(r.model.id) != "full":
        return float(r.units)
    return max(1.0, r.units / r.model.kv_heads)


def runtime_overhead_bytes(model: Model) -> float:
    """Per unit: the runtime's margin plus the logits buffer of one ubatch (fp32)."""
    return BASE_RUNTIME_OVERHEAD_GIB * GIB + UBATCH_TOKENS * model.vocab_size * 4


# --- compute -------------------------------------------------------------------------------


def matmul_flops_per_token(model: Model) -> float:
    """2 FLOPs per active weight, less embeddings: the input table is a lookup, and the output
    head runs once per step (counted in decode, skipped for all but the last prompt token)."""
    heads = 1 if model.tied_embeddings else 2
    return 2 * max(active_params(model) - heads * _embedding_params(model), 0.1e9)


def attention_pair_flops(model: Model, engine: Engine, decoding: bool) -> float:
    """FLOPs of QK^T and AV for one query token against one cached token, in one layer.

    MLA over a cache of latents runs "absorbed": every head attends over the 512-wide latent
    plus the 64-wide rope key and sums latents (4.25x the work of DeepSeek's 128-wide heads). vLLM
    decodes that way and materializes per-head keys and values for prompts (vllm
    v1/attention/backends/mla/common.py); llama.cpp's MLA files lack the tensor that would
    materialize them, so its prompts run absorbed too (ik_llama.cpp#409); a cache of per-head
    keys and values (MLX here) is attended with keys of head_dim + rope and values of head_dim
    (exact where the two head widths are equal, as in DeepSeek and Kimi)."""
    if model.attention != "mla":
        return 4.0 * model.heads * model.head_dim
    rank, rope = model.kv_lora_rank or 0, model.qk_rope_head_dim or 0
    if engine.mla_cache_for(model.id) != "full" and (decoding or engine.mla_prompt == "absorbed"):
        return 2.0 * model.heads * (2 * rank + rope)
    return 2.0 * model.heads * (2 * model.head_dim + rope)


def attention_flops(
    model: Model, engine: Engine, tokens: int, depth: int, decoding: bool = False
) -> float:
    """QK^T and AV for `tokens` new tokens after `depth` cached ones (causal)."""
    full_layers = model.layers
    windowed_layers = 0
    if model.attention in ("sliding", "hybrid"):
        full_layers = model.full_attention_layers or 0
        windowed_layers = model.layers - full_layers if model.attention == "sliding" else 0
    seen_full = tokens * depth + tokens * tokens / 2
    window = model.sliding_window or 0
    seen_windowed = tokens * min(depth + tokens / 2, window)
    pair = attention_pair_flops(model, engine, decoding)
    return pair * (full_layers * seen_full + windowed_layers * seen_windowed)


def weight_only(fmt: WeightFormat, engine: Engine, hardware: Hardware, moe: bool = False) -> bool:
    """The engine has no native kernel for this format on this GPU and dequantizes the weights
    to 16 bits in every matmul (e.g. vLLM's NVFP4/MXFP4 on GB10, sm_121), or, with `moe`, in a
    MoE's decode steps (vLLM's FP8 MoE on sm_121; its prompts run at the FP8 rate)."""
    if hardware.arch is None:
        return False
    if hardware.arch in engine.weight_only.get(fmt.id, ()):
        return True
    return moe and hardware.arch in engine.weight_only_moe.get(fmt.id, ())


def prefill_dtype(fmt: WeightFormat, engine: Engine, hardware: Hardware) -> Dtype:
    """The dtype prompt matmuls run in: FP8/FP4 tensor cores where the engine uses them,
    int8 tensor-core MMA for llama.cpp's quantized (MMQ) CUDA kernels, else FP16."""
    if weight_only(fmt, engine, hardware):
        return "bf16"
    if engine.low_precision_matmul:
        return fmt.matmul_dtype
    if fmt.kind == "gguf" and hardware.family == "nvidia":
        return "int8"
    return "fp16"


# --- the setup ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setup:
    """One runnable way to serve a model: the box and how many, the weight format, the engine,
    and how the units split the model. Built by `advisor.setups`, never by hand in a face."""

    model: Model
    hardware: Hardware
    fmt: WeightFormat
    engine: Engine
    link: Link
    units: int = 1
    split: Split = "none"
    raise_limit: bool = False
    format_chosen: bool = True  # no format was asked: the resolver's choice
    engine_chosen: bool = True  # no engine was asked: the resolver's choice
    usual_engine: bool = True  # the platform's usual engine
    asked_format: str | None = None  # the format asked for, when this one stands in for it

    @cached_property
    def key(self) -> tuple[str | int | bool, ...]:
        return (
            self.model.id,
            self.hardware.id,
            self.fmt.id,
            self.engine.id,
            self.units,
            self.link.id,
            self.split,
            self.raise_limit,
        )


# --- timing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepTime:
    memory_s: float
    compute_s: float
    overhead_s: float
    comm_s: float
    batch_s: float = 0.0  # the matmuls of every sequence after the first, at small-batch speed

    @property
    def total_s(self) -> float:
        return max(self.memory_s, self.compute_s) + self.batch_s + self.overhead_s + self.comm_s

    @property
    def bound(self) -> Bound:
        if self.comm_s > max(self.memory_s, self.compute_s):
            return "interconnect"
        return "compute" if self.compute_s > self.memory_s else "bandwidth"


def _effective_bandwidth(r: Setup, cal: Calibration, decoding: bool = True) -> float:
    """Bytes per second the weight reads reach; `decoding` picks the kernels of a decode step
    (which may dequantize where the prompt's do not)."""
    constants = cal.decode_for(r.hardware)
    efficiency = constants.efficiency * cal.engine_decode.get(r.engine.id, 1.0)
    if r.model.is_moe:
        efficiency *= cal.moe_efficiency
    if weight_only(r.fmt, r.engine, r.hardware, moe=decoding and r.model.is_moe):
        four_bit_decode = decoding and r.fmt.nominal_bits < 8
        efficiency *= WEIGHT_ONLY_FP4_DECODE if four_bit_decode else WEIGHT_ONLY_SHARE
    if decoding:
        efficiency *= r.engine.kernel_share(r.hardware, r.model.is_moe)
    return r.hardware.bandwidth_gbs * 1e9 * efficiency


def _effective_compute(r: Setup, cal: Calibration) -> float:
    dtype, peak = r.hardware.tflops.peak(prefill_dtype(r.fmt, r.engine, r.hardware))
    mfu = cal.prefill_for(r.hardware).mfu * cal.engine_prefill.get(r.engine.id, 1.0)
    if dtype == "int8":
        mfu *= cal.int8_matmul
    if r.fmt.is_quantized and not r.engine.low_precision_matmul:
        mfu *= cal.quantized_prefill
    return peak * 1e12 * mfu


def _attention_compute(r: Setup, cal: Calibration) -> float:
    """FLOP/s of prompt attention: the 16-bit peak at the platform's prompt efficiency, times
    how flash-attention kernels fare against GEMM there."""
    _, peak = r.hardware.tflops.peak("fp16")
    constants = cal.prefill_for(r.hardware)
    mfu = constants.mfu * cal.engine_prefill.get(r.engine.id, 1.0)
    return peak * 1e12 * mfu * constants.attention_efficiency


def _software_bf16_share(r: Setup) -> float:
    """The share of its prompt rate an engine keeps where the GPU has no bf16 arithmetic (Apple
    M1/M2) and the model's activations are bf16, converted in software. Decode, bound by weight
    reads, loses about nothing (engine catalog sources)."""
    if r.hardware.gpu_bf16 is False and r.model.native_dtype == "bf16":
        return r.engine.bf16_emulated_prefill or 1.0
    return 1.0


def _collective_s(r: Setup, cal: Calibration, units: int, payload_bytes: float) -> float:
    """One all-reduce over the link: fixed software cost, link latency per ring step, data."""
    steps = 2 * (units - 1)
    latency = (r.link.latency_us or 0.0) * steps
    gbps = r.link.gbps or 1e6
    if r.link.id == "pcie" and not r.hardware.pcie_peer_to_peer:  # staged through host memory
        gbps = min(gbps, r.engine.staged_all_reduce_gbps or gbps)
    data = payload_bytes * steps / units / (gbps / 8 * 1e9)
    return (cal.collective_us + latency) * 1e-6 + data


def _hop_s(r: Setup, cal: Calibration, payload_bytes: float) -> float:
    """One pipeline hop: a network message pays the runtime's fixed cost (llama.cpp RPC, exo),
    a copy between GPUs in one host only the link's latency and transfer."""
    gbps = r.link.gbps or 1e6
    fixed = 0.0 if r.link.in_host else cal.hop_us
    return (fixed + (r.link.latency_us or 0.0)) * 1e-6 + payload_bytes / (gbps / 8 * 1e9)


def decode_step(
    r: Setup, cal: Calibration, units: int, batch: int, depth: float, kv_dtype: KvDtype
) -> StepTime:
    """One decode step for `batch` sequences each holding `depth` tokens of context."""
    model = r.model
    constants = cal.decode_for(r.hardware)
    bandwidth = _effective_bandwidth(r, cal)
    weights = decode_read_bytes(model, r.fmt, batch)
    kv = (
        batch
        * kv_cache_bytes(model, r.engine, kv_dtype, max(int(depth), 1))
        * kv_copies(r)
        / constants.attention_efficiency
    )
    flops = batch * (
        matmul_flops_per_token(model)
        + 2 * _embedding_params(model)
        + attention_flops(model, r.engine, 1, int(depth), decoding=True)
    )
    compute = _effective_compute(r, cal)
    overhead = cal.fixed_ms(r.hardware, model.layers, model.is_moe) / 1000
    activation = batch * model.hidden_size * ACTIVATION_BYTES
    extra = (batch - 1) * matmul_flops_per_token(model) / (compute * cal.batch_share(r.engine))
    shards = units if r.split == "tensor" else 1
    # batching never costs more than letting each extra sequence take its own turn
    turn = decode_read_bytes(model, r.fmt, 1) / shards / bandwidth + overhead
    batch_s = min(extra / shards, (batch - 1) * turn)
    if r.split == "tensor":
        return StepTime(
            memory_s=(weights + kv) / units / bandwidth,
            compute_s=flops / units / compute,
            overhead_s=overhead,
            comm_s=2 * model.layers * _collective_s(r, cal, units, activation / 2),
            batch_s=batch_s,
        )
    return StepTime(
        memory_s=(weights + kv) / bandwidth,
        compute_s=flops / compute,
        overhead_s=overhead,
        comm_s=(units - 1) * _hop_s(r, cal, activation) if r.split == "pipeline" else 0.0,
        batch_s=batch_s,
    )


def prefill_time(
    r: Setup, cal: Calibration, units: int, tokens: int, depth: int, batch: int = 1
) -> StepTime:
    """Process prompts of `tokens` tokens after `depth` cached ones, for `batch` sequences at
    once: the matmuls see every prompt token, attention stays within each sequence."""
    model = r.model
    total = tokens * batch
    bf16_share = _software_bf16_share(r)
    compute = _effective_compute(r, cal) * bf16_share
    if model.is_moe:
        compute *= cal.moe_prefill
    # attention runs in 16 bits whatever the weights are, at the flash-attention kernels' rate
    seconds = matmul_flops_per_token(model) * total / compute + batch * attention_flops(
        model, r.engine, tokens, depth
    ) / (_attention_compute(r, cal) * bf16_share)
    pass_tokens = r.engine.pass_tokens(r.hardware.memory_gb)
    passes = math.ceil(total / pass_tokens)
    touched = decode_read_bytes(model, r.fmt, min(total, pass_tokens))
    memory = passes * touched / _effective_bandwidth(r, cal, decoding=False)
    overhead = cal.prefill_for(r.hardware).overhead_ms / 1000
    activation = total * model.hidden_size * ACTIVATION_BYTES
    if r.split == "tensor":
        return StepTime(
            memory_s=memory / units,
            compute_s=seconds / units,
            overhead_s=overhead,
            comm_s=2 * model.layers * _collective_s(r, cal, units, activation / 2),
        )
    hops = (units - 1) * _hop_s(r, cal, activation) if r.split == "pipeline" else 0.0
    return StepTime(memory_s=memory, compute_s=seconds, overhead_s=overhead, comm_s=hops)


def loaded_token_s(
    step: StepTime, batch: int, prompt_prefill_s: float, output_tokens: int
) -> float:
    """Seconds per generated token for one of `batch` users of a server, where the other users'
    prompts are prefilled in between (chunked prefill stalls every decode step it joins)."""
    stalls = PROMPTS_DURING_ANSWER * (batch - 1) * prompt_prefill_s
    return step.total_s + stalls / max(output_tokens, 1)


def burst_ttft_s(prompt_s: float, batch: int) -> float:
    """Mean time to first token when `batch` prompts arrive together and are prefilled one
    after another: the k-th waits for k prompts."""
    return prompt_s * (batch + 1) / 2


def loaded_ttft_s(
    prefill: StepTime, others: StepTime, prompt_tokens: int, pass_tokens: int
) -> float:
    """Time to first token for one prompt while the other users keep decoding: every prefill
    pass also carries their next tokens."""
    chunks = math.ceil(prompt_tokens / pass_tokens)
    return prefill.total_s + chunks * others.total_s


# --- the estimate --------------------------------------------------------------------------


def usable_per_unit(hardware: Hardware, raised: bool) -> float:
    """The memory limit policy, the same everywhere: what the GPU may use by default, or after
    raising the limit (macOS `iogpu.wired_limit_mb`) when the setup says so."""
    return hardware.usable_max_gb if raised else hardware.usable_gb


@dataclass(frozen=True, slots=True)
class Sizes:
    """The bytes one model in one format holds on one engine for some work: the same on every
    box and unit count, so a recommendation sizes them once for all boxes."""

    weights: float
    kv: float  # every sequence's whole context
    overhead_per_unit: float
    active: float  # the weights one token reads


def sizes(model: Model, fmt: WeightFormat, engine: Engine, work: Workload) -> Sizes:
    return Sizes(
        weights=weight_bytes(model, fmt),
        kv=work.concurrency * kv_cache_bytes(model, engine, work.kv_dtype, work.context_tokens),
        overhead_per_unit=runtime_overhead_bytes(model),
        active=decode_read_bytes(model, fmt, 1),
    )


def memory_figures(r: Setup, work: Workload, sized: Sizes | None = None) -> Memory:
    """Where the bytes go and whether they fit (`sized`: the `sizes` of the setup's model,
    format and engine for this work, when they are known already)."""
    sized = sized or sizes(r.model, r.fmt, r.engine, work)
    units = r.units
    weights, kv, active = sized.weights, sized.kv * kv_copies(r), sized.active
    overhead = units * sized.overhead_per_unit
    total = weights + kv + overhead
    hw = r.hardware
    per_unit_usable = usable_per_unit(hw, r.raise_limit)
    per_unit = total / units / GIB
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


def _regime_band(cal: Calibration, regime: str, metric: str, ratio: Band) -> Band:
    """The wider of the platform's band and the band measured for batched or deep work."""
    residuals = cal.regime_residuals.get(regime)
    if residuals is None:
        return ratio
    measured = getattr(residuals, metric)
    return Band(low=min(ratio.low, measured.low), high=max(ratio.high, measured.high))


def _bands(
    r: Setup, cal: Calibration, work: Workload, decode: float, prefill: float
) -> tuple[Band, Band, bool]:
    """The likely ranges (10th-90th percentile of measured/predicted on the platform's rows),
    widened for serving several users or long prompts, and where no measurement stands behind
    this platform and engine."""
    residuals = cal.residuals_for(r.hardware)
    calibrated = residuals is not None and cal.is_calibrated(r.hardware, r.engine.id)
    unmeasured = Band(low=0.5, high=1.5)
    decode_ratio, prefill_ratio = unmeasured, unmeasured
    if residuals is not None:
        decode_ratio = Band(low=residuals.decode.low, high=residuals.decode.high)
        prefill_ratio = Band(low=residuals.prefill.low, high=residuals.prefill.high)
    if work.concurrency > 1:
        decode_ratio = _regime_band(cal, "batched", "decode", decode_ratio)
    if work.prompt_tokens + work.depth_tokens >= DEEP_TOKENS:
        decode_ratio = _regime_band(cal, "deep", "decode", decode_ratio)
        prefill_ratio = _regime_band(cal, "deep", "prefill", prefill_ratio)
    if not calibrated:
        decode_ratio = Band(low=decode_ratio.low * 0.8, high=decode_ratio.high * 1.2)
        prefill_ratio = Band(low=prefill_ratio.low * 0.7, high=prefill_ratio.high * 1.3)
    return (
        _band(decode, decode_ratio.low, decode_ratio.high),
        _band(prefill, prefill_ratio.low, prefill_ratio.high),
        calibrated,
    )


def _average_depth(work: Workload) -> float:
    """The context an answer is written at, on average: what was held, the prompt, half the
    answer."""
    return work.depth_tokens + work.prompt_tokens + work.output_tokens / 2


@dataclass(frozen=True, slots=True)
class Timing:
    """What the chooser ranks setups by before judging them, and what an estimate's speeds
    come from: one decode step at the average depth, the prompt's prefill, and the seconds per
    token each user sees (the other users' prompts prefilled in between)."""

    step: StepTime
    prefill: StepTime
    token_s: float

    @property
    def decode_tok_s(self) -> float:
        """Per sequence, averaged over the output."""
        return 1 / self.token_s

    @property
    def ttft_s(self) -> float:
        return self.prefill.total_s


def timing(r: Setup, work: Workload, cal: Calibration, prefill: StepTime | None = None) -> Timing:
    """The speeds `estimate` quotes, without the bands, the team's waits or the memory
    (`prefill`: the prompt's prefill, when known already: it is the same for any number of
    sequences)."""
    step = decode_step(r, cal, r.units, work.concurrency, _average_depth(work), work.kv_dtype)
    prefill = prefill or prefill_time(r, cal, r.units, work.prompt_tokens, work.depth_tokens)
    if work.concurrency == 1:
        return Timing(step, prefill, step.total_s)
    per_token = loaded_token_s(step, work.concurrency, prefill.total_s, work.output_tokens)
    return Timing(step, prefill, per_token)


def _team(
    r: Setup, cal: Calibration, work: Workload, timed: Timing, long_prompt: StepTime
) -> TeamFigures | None:
    """What a shared box means for the prompts (`long_prompt`: one that fills the context)."""
    if work.concurrency == 1:
        return None
    step, prefill, per_token = timed.step, timed.prefill, timed.token_s
    average_depth = _average_depth(work)
    others = decode_step(r, cal, r.units, work.concurrency - 1, average_depth, work.kv_dtype)
    pass_tokens = r.engine.pass_tokens(r.hardware.memory_gb)
    return TeamFigures(
        ttft_loaded_s=loaded_ttft_s(prefill, others, work.prompt_tokens, pass_tokens),
        # the prompts share the box's prompt rate: the last waits for all of them
        ttft_together_s=prefill_time(
            r, cal, r.units, work.prompt_tokens, 0, work.concurrency
        ).total_s,
        long_ttft_loaded_s=loaded_ttft_s(long_prompt, others, work.context_tokens, pass_tokens),
        stall_share=1 - step.total_s / per_token,
    )


def max_sequences(r: Setup, work: Workload, memory: Memory) -> int:
    """How many sequences of the whole context window fit beside the weights."""
    per_sequence = (
        kv_cache_bytes(r.model, r.engine, work.kv_dtype, work.context_tokens) * kv_copies(r) / GIB
    )
    # a setup that fits only once the GPU memory limit is raised is run with it raised
    usable = memory.usable_gb if memory.fits else memory.usable_max_gb
    room = usable - memory.weights_gb - memory.overhead_gb
    return max(int(room // per_sequence), 0) if per_sequence > 0 else 0


def estimate(
    r: Setup,
    work: Workload,
    cal: Calibration,
    memory: Memory | None = None,
    timed: Timing | None = None,
) -> Estimate:
    """All the figures for one setup doing this work (`memory` and `timed`: its
    `memory_figures` and `timing`, when they are known already)."""
    units, batch = r.units, work.concurrency
    memory = memory or memory_figures(r, work)
    timed = timed or timing(r, work, cal)
    step, prefill, token_s = timed.step, timed.prefill, timed.token_s
    long_prompt = prefill_time(r, cal, units, work.context_tokens, 0)
    team = _team(r, cal, work, timed, long_prompt)
    decode_tok_s = timed.decode_tok_s
    prefill_tok_s = work.prompt_tokens / prefill.total_s
    decode_band, prefill_band, calibrated = _bands(r, cal, work, decode_tok_s, prefill_tok_s)
    return Estimate(
        model=r.model.id,
        hardware=r.hardware.id,
        quant=r.fmt.id,
        engine=r.engine.id,
        units=units,
        link=r.link.id,
        split=r.split,
        concurrency=batch,
        context_tokens=work.context_tokens,
        prompt_tokens=work.prompt_tokens,
        output_tokens=work.output_tokens,
        fits=memory.fits,
        memory_total_gb=memory.total_gb,
        memory_usable_gb=memory.usable_gb,
        memory=memory,
        decode_tok_s=decode_tok_s,
        decode_tok_s_aggregate=decode_tok_s * batch,
        decode_band=decode_band,
        prefill_tok_s=prefill_tok_s,
        prefill_band=prefill_band,
        ttft_s=prefill.total_s,
        generation_s=work.output_tokens * token_s,
        team=team,
        full_prompt_ttft_s=long_prompt.total_s,
        max_sequences=max_sequences(r, work, memory),
        bound="capacity" if not memory.fits_if_raised else step.bound,
        decode_bound=step.bound,
        prefill_bound=prefill.bound,
        calibrated=calibrated,
        decode_read_share=step.memory_s / step.total_s,
    )


def decode_at_full_context(r: Setup, work: Workload, cal: Calibration, prompt_s: float) -> float:
    """Decode tokens/s per sequence once the context window is full (the slowest it gets),
    with the other users' prompts (`prompt_s` each: the estimate's `ttft_s`) prefilled in
    between as at the start."""
    step = decode_step(r, cal, r.units, work.concurrency, work.context_tokens, work.kv_dtype)
    return 1 / loaded_token_s(step, work.concurrency, prompt_s, work.output_tokens)


def decode_over_conversation(start_tok_s: float, full_tok_s: float) -> float:
    """Decode tokens/s over a whole conversation that grows from its prompt to a full context.

    Each token's step reads the weights plus every token already in context, so step time
    grows linearly with depth; over the conversation it averages the first and last steps,
    and the speed is the harmonic mean of the speeds at the two ends."""
    if start_tok_s <= 0 or full_tok_s <= 0:
        return 0.0
    return 2 / (1 / start_tok_s + 1 / full_tok_s)


def assumptions(r: Setup, work: Workload, cal: Calibration, calibrated: bool) -> dict[str, str]:
    """What the figures of `r` doing `work` assume, in words."""
    hw = r.hardware
    constants = cal.decode_for(hw)
    efficiency = constants.efficiency * cal.engine_decode.get(r.engine.id, 1.0)
    kv_layout = r.engine.mla_cache_for(r.model.id) if r.model.attention == "mla" else "per-head"
    limit = usable_per_unit(hw, r.raise_limit)
    scale, layers, moe = cal.fixed_cost_scale(hw), r.model.layers, r.model.is_moe
    per_layer = cal.per_layer_us(hw, moe)
    notes = {
        "engine": r.engine.id
        + (
            " (chosen: the platform's usual engine unless another is clearly faster)"
            if r.engine_chosen
            else ""
        ),
        "quant": f"{r.fmt.id} ({r.fmt.nominal_bits}-bit), {r.fmt.bits:g} bits per weight as stored"
        + (" (the best usual format for this box)" if r.format_chosen else ""),
        "usable_memory": f"{limit:g} GB per unit"
        + (" after raising the limit" if r.raise_limit else " by default"),
        "bandwidth_efficiency": f"{efficiency:.2f} of {hw.bandwidth_gbs:g} GB/s"
        + (f", x{cal.moe_efficiency:.2f} for MoE" if r.model.is_moe else ""),
        "fixed_cost_per_token": f"{cal.fixed_ms(hw, layers, moe):.2f} ms"
        f" ({constants.overhead_ms * scale:.2f} ms + {per_layer * scale:.0f} µs x {layers} layers)",
        "kv_cache": f"{work.kv_dtype}, {kv_layout} layout, {work.context_tokens:,} tokens"
        f" x {work.concurrency} sequence(s)",
        "prompt": f"{work.prompt_tokens:,} tokens for time to first token",
        "calibration": "fitted on measured rows for this platform and engine"
        if calibrated
        else "no measurements for this platform/engine: wider band, treat as rough",
        "memory_unit": "GB here means GiB (2^30 bytes), the unit RAM is sold in",
    }
    if r.asked_format:
        notes["quant"] += f", standing in for {r.asked_format}, which {r.engine.id} does not run"
    if r.split != "none":
        notes["cluster"] = f"{r.units} units, {r.split} split over {r.link.id}"
    return notes
