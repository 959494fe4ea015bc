"""The facts a rule may read about one judged setup: one typed model, so the rule checker's
type table and the judge that fills it in cannot drift apart."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

FactType = Literal["float", "bool", "str"]


class Facts(BaseModel):
    """Figures of one setup and of the question asked. Numbers are floats; a budget or speed
    bar that was not given is 0."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    decode_tok_s: float  # per sequence
    decode_tok_s_full_context: float
    # over a conversation growing from its prompt to the full context: what verdicts judge
    decode_tok_s_conversation: float
    decode_tok_s_aggregate: float
    decode_read_share: float  # of a decode step, the time spent reading weights and KV cache
    prefill_tok_s: float
    ttft_s: float
    headroom_gb: float
    headroom_share: float
    spare_share: float  # left over of what it uses: the default limit, or the raised one
    memory_total_gb: float
    memory_usable_gb: float
    units: float
    link_latency_us: float
    quant_bits: float
    native_bits: float
    params_total_b: float
    params_active_b: float
    prompt_tokens: float
    context_tokens: float
    native_context: float  # the model's window as released; beyond it, RoPE scaling (YaRN)
    concurrency: float
    price: float
    # the cards' own price when only the host PC priced with them takes it over budget; else 0
    cards_alone_in_budget: float
    budget: float
    min_tok_s: float
    max_ttft_s: float
    # the first token's wait a bound on it judges: under the team's load when others decode
    ttft_wait_s: float
    batch_gain: float
    # of the platform's decode speed, what the engine's kernels reach on this GPU (1: tuned)
    kernel_share: float
    batch_tok_s: float
    sustained_tok_s: float  # one stream answer after answer, its own prompts included
    stall_share: float  # share of each user's generation time spent on the others' prompts
    bandwidth_gbs: float
    tok_s_per_1000: float
    max_units: float
    fits: bool
    serving_fits: bool  # 8 sequences of this context fit beside the weights
    fits_if_raised: bool
    needs_raise: bool
    active_fits: bool
    is_moe: bool
    is_native: bool
    link_tensor_ok: bool
    calibrated: bool
    fits_at_4bit: bool
    all_but_full: bool  # it fits with less to spare than memory estimates disagree by
    four_bit_all_but_full: bool  # the same of the most compact 4-bit format
    fallback_format: bool  # the resolver chose a compact format (IQ4_XS) over the usual ones
    four_bit_format: str  # the most compact 4-bit format that fits, when the engine has one
    over_budget: bool
    price_known: bool
    has_availability_note: bool
    sold_here: bool  # sold where the answer's currency is spent
    sold_new: bool
    have_host: bool
    bound: str
    decode_bound: str
    prefill_bound: str
    split: str
    link: str
    family: str
    kind: str
    hardware: str
    model: str
    engine: str
    quant: str
    currency: str
    memory_kind: str
    availability: str


def fact_types() -> dict[str, FactType]:
    """Every fact's name and type, read from `Facts` itself."""
    names: dict[object, FactType] = {float: "float", bool: "bool", str: "str"}
    return {name: names[info.annotation] for name, info in Facts.model_fields.items()}
