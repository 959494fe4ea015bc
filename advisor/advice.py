"""From one estimate to a judgement: the facts rules read, the rules that fired, the verdict."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.catalog import Catalog
from advisor.errors import AdvisorError
from advisor.estimate import Estimate, EstimateRequest, estimate, price_in_cny
from advisor.rules import FiredRule, Rule, Verdict, fire, load_rules, overall_verdict

Currency = Literal["USD", "CNY"]
SERVING_BATCH = 8  # sequences at once when we ask "what would serving a small team give?"
_NATIVE_BITS = {"bf16": 16, "fp16": 16, "fp8": 8, "mxfp4": 4, "int4": 4}
_FOUR_BIT = {"mlx": "mlx-4bit", "exo": "mlx-4bit", "vllm": "nvfp4", "sglang": "nvfp4"}


class Constraints(BaseModel):
    """What the buyer asked for beyond the model: money and speed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    budget: float | None = Field(default=None, gt=0, description="Most you will spend.")
    currency: Currency = Field(default="USD", description="Currency of the budget and prices.")
    min_tok_s: float | None = Field(default=None, gt=0, description="Slowest decode you accept.")


class Assessment(BaseModel):
    """One option judged: its figures, the facts the rules read, what fired and the verdict."""

    estimate: Estimate
    price: float | None
    currency: Currency
    facts: dict[str, Any]
    fired_rules: list[FiredRule]
    verdict: Verdict
    batch_tok_s: float

    @property
    def fired_ids(self) -> list[str]:
        return [r.id for r in self.fired_rules]


def price_of(catalog: Catalog, hardware_id: str, units: int, currency: Currency) -> float | None:
    hardware = catalog.hardware.get(hardware_id)
    unit = hardware.price_usd if currency == "USD" else price_in_cny(hardware)
    return unit * units if unit else None


def _four_bit_fits(catalog: Catalog, request: EstimateRequest, result: Estimate) -> bool:
    four_bit = _FOUR_BIT.get(result.engine, "q4_k_m")
    engine = catalog.engines.get(result.engine)
    if four_bit not in engine.formats:
        return result.memory.fits_if_raised
    try:
        other = estimate(catalog, request.model_copy(update={"quant": four_bit}))
    except AdvisorError:
        return result.memory.fits_if_raised
    return other.memory.fits_if_raised


def facts_for(
    catalog: Catalog,
    request: EstimateRequest,
    result: Estimate,
    constraints: Constraints,
    batch_tok_s: float,
) -> dict[str, Any]:
    hardware = catalog.hardware.get(result.hardware)
    model = catalog.models.get(result.model)
    fmt = catalog.formats.get(result.quant)
    link = catalog.links.get(result.link)
    price = price_of(catalog, hardware.id, result.units, constraints.currency)
    memory = result.memory
    usable = memory.usable_gb
    return {
        "decode_tok_s": result.decode_tok_s,
        "decode_tok_s_full_context": result.decode_tok_s_full_context,
        "decode_tok_s_aggregate": result.decode_tok_s_aggregate,
        "prefill_tok_s": result.prefill_tok_s,
        "ttft_s": result.ttft_s,
        "headroom_gb": memory.headroom_gb,
        "headroom_share": memory.headroom_gb / usable if usable else 0.0,
        "memory_total_gb": memory.total_gb,
        "memory_usable_gb": usable,
        "units": float(result.units),
        "link_latency_us": float(link.latency_us or 0.0),
        "quant_bits": float(fmt.nominal_bits),
        "native_bits": float(_NATIVE_BITS[model.native_dtype]),
        "params_total_b": model.params_total_b,
        "params_active_b": model.params_active_b,
        "prompt_tokens": float(result.prompt_tokens),
        "context_tokens": float(result.context_tokens),
        "concurrency": float(result.concurrency),
        "price": float(price or 0.0),
        "budget": float(constraints.budget or 0.0),
        "min_tok_s": float(constraints.min_tok_s or 0.0),
        "batch_gain": batch_tok_s / result.decode_tok_s if result.decode_tok_s else 1.0,
        "batch_tok_s": batch_tok_s,
        # a pipeline reads each unit's layers in turn: one unit's bandwidth sets the pace
        "bandwidth_gbs": hardware.bandwidth_gbs * (result.units if result.split == "tensor" else 1),
        "tok_s_per_1000": result.decode_tok_s / (price / 1000) if price else 0.0,
        "max_units": float(hardware.max_units),
        "fits": memory.fits,
        "fits_if_raised": memory.fits_if_raised,
        "needs_raise": memory.fits_if_raised and not memory.fits,
        "active_fits": memory.active_fits,
        "is_moe": model.is_moe,
        "is_native": fmt.id == model.native_dtype,
        "link_tensor_ok": link.tensor_parallel_ok,
        "calibrated": result.calibrated,
        "fits_at_4bit": _four_bit_fits(catalog, request, result),
        "over_budget": bool(constraints.budget and price and price > constraints.budget),
        "price_known": price is not None,
        "bound": result.bound,
        "decode_bound": result.decode_bound,
        "prefill_bound": result.prefill_bound,
        "split": result.split,
        "link": result.link,
        "family": hardware.family,
        "kind": hardware.kind,
        "hardware": hardware.id,
        "model": model.id,
        "engine": result.engine,
        "quant": result.quant,
        "currency": constraints.currency,
        "memory_kind": hardware.memory_type or "",
        "has_availability_note": hardware.availability is not None,
    }


def assess(
    catalog: Catalog,
    request: EstimateRequest,
    constraints: Constraints | None = None,
    rules: tuple[Rule, ...] | None = None,
) -> Assessment:
    """Estimate `request`, then judge it with the rule set."""
    constraints = constraints or Constraints()
    rules = load_rules() if rules is None else rules
    result = estimate(catalog, request)
    serving = (
        estimate(catalog, request.model_copy(update={"concurrency": SERVING_BATCH}))
        if request.concurrency < SERVING_BATCH
        else result
    )
    batch_tok_s = serving.decode_tok_s_aggregate
    facts = facts_for(catalog, request, result, constraints, batch_tok_s)
    fired = fire(rules, facts)
    return Assessment(
        estimate=result,
        price=price_of(catalog, result.hardware, result.units, constraints.currency),
        currency=constraints.currency,
        facts=facts,
        fired_rules=fired,
        verdict=overall_verdict(fired),
        batch_tok_s=batch_tok_s,
    )
