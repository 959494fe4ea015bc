"""What a template may read: typed views of the core's results, one per thing a template
shows. A template that reads a name not here fails loudly (StrictUndefined)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from advisor.catalog import Catalog
from advisor.catalog.costs import load_costs
from advisor.catalog.entries import Hardware
from advisor.estimate import Band
from advisor.judge import Option
from advisor.measured import Measured, gap
from advisor.prices import RunningCost, host_build, last_list_price, needs_host
from advisor.recommend import CapacityRow, WhatItTakes
from advisor.render.env import environment
from advisor.render.formats import plain
from advisor.requests import LONG_PROMPT_TOKENS
from advisor.rules import FiredRule

_GROUP_OF_KIND = {
    "verdict": "verdict",
    "bottleneck": "why",
    "warning": "why",
    "advice": "advice",
    "caveat": "caveat",
}


class ReasonLines(BaseModel):
    """The fired rules' explanations, rendered and grouped by where an answer shows them."""

    verdict: list[str] = []
    why: list[str] = []
    caveat: list[str] = []
    advice: list[str] = []
    owner_caveat: list[str] = []  # the caveats but those about buying (tag: purchase)


class OptionView(BaseModel):
    """One option as templates read it (`o`, `b`, `s`, `picks.best`, ...)."""

    model_name: str
    hardware: str
    hardware_name: str
    short_name: str
    family: str
    kind: str
    featured: bool
    units: int
    split: str
    link: str
    link_label: str
    quant: str
    asked_quant: str | None
    engine: str
    engine_name: str
    engine_label: str
    verdict: str
    working_view: bool
    fits: bool
    needs_raise: bool
    nominal_bits: int
    in_budget: bool
    meets_bar: bool
    calibrated: bool
    decode_tok_s: float | None
    measured: Measured | None  # published runs of this very setup
    measured_gap: float  # the estimate above (+) or below (-) them; 0 where they agree
    average_when_slower: float | None  # over a conversation, where 10% or more below the first
    long_prompt_wait_s: float | None  # the first token's wait, where the prompt is long
    band: Band | None
    decode_tok_s_aggregate: float | None
    prefill_tok_s: float | None
    ttft_s: float | None
    ttft_loaded_s: float | None
    ttft_together_s: float | None
    long_prompt_tokens: int | None
    long_ttft_s: float | None
    long_ttft_loaded_s: float | None
    stall_share: float | None
    max_sequences: int | None
    prompt_tokens: int
    context_tokens: int
    concurrency: int
    memory_total_gb: float
    memory_usable_gb: float
    memory_usable_max_gb: float  # once the GPU memory limit is raised (Macs); else the same
    price: float | None
    currency: str
    tok_s_per_1000: float | None
    availability: str
    availability_note: str
    market_note: str
    sold_new: bool
    price_basis: str
    price_date: str
    price_converted: bool
    market_unit: float | None
    market_basis: str
    market_date: str
    market_converted: bool
    quote_vs_market: float | None
    last_list_price: float | None
    list_date: str
    price_hardware: float | None
    price_host: float
    host_cards: int | None
    host_unpriced: bool  # no price: the server host this many cards need has none sourced
    price_caveat: str  # for a used price: what the catalog says of where it comes from
    power_w: float | None
    idle_w: float | None
    hours_per_day: float
    energy_cost_year: float | None
    per_kwh: float | None
    rate_currency: str
    rate_region: str  # whose household tariff; empty for the buyer's own price
    cost_per_million_tokens: float | None
    owning_cost: float | None
    raise_limit: str
    raise_command: str
    facts: dict[str, Any]
    assumptions: dict[str, str]
    rules_skipped: list[str]
    reasons: ReasonLines


def reason_lines(lang: str, view: OptionView, fired: list[FiredRule]) -> ReasonLines:
    env = environment(lang)
    lines = ReasonLines()
    for rule in fired:
        # every fact is there for the text (`reads` chooses what the finding lists, not what an
        # explanation may say), so a user rule reusing a shipped explanation always renders
        figures = {**view.facts, **rule.figures}
        text = (
            env.get_template(f"reasons/{rule.explain}.j2")
            .render(o=view, f=view.facts, r=figures)
            .strip()
        )
        if text:
            getattr(lines, _GROUP_OF_KIND[rule.kind]).append(text)
            if rule.kind == "caveat" and rule.tag != PURCHASE_TAG:
                lines.owner_caveat.append(text)
    return lines


PURCHASE_TAG = "purchase"  # a rule's tag for what concerns buying the box, not having it
SLOWER_ON_AVERAGE = 0.9  # a conversation's average this far below its first reply is said


def _average_when_slower(option: Option) -> float | None:
    """The speed a conversation averages, said beside its first reply's where it is clearly
    lower (it is what the verdict judges)."""
    first, average = option.decode_tok_s, option.decode_tok_s_conversation
    if first and average is not None and average < SLOWER_ON_AVERAGE * first:
        return average
    return None


def _long_prompt_wait(option: Option) -> float | None:
    """The first token's wait where the prompt is long: under the team's load, as it is judged."""
    if option.ttft_s is None or option.prompt_tokens < LONG_PROMPT_TOKENS:
        return None
    return option.facts.ttft_wait_s


def option_view(catalog: Catalog, option: Option, lang: str) -> OptionView:
    hardware = catalog.hardware.get(option.hardware)
    view = OptionView(
        model_name=plain(catalog.models.get(option.model).name),
        hardware=hardware.id,
        hardware_name=plain(hardware.name),
        short_name=plain(hardware.label),
        family=hardware.family,
        kind=hardware.kind,
        featured=hardware.featured,
        units=option.units,
        split=option.split,
        link=option.link,
        link_label=catalog.links.get(option.link).label or option.link,
        quant=option.quant,
        asked_quant=option.asked_quant,
        engine=option.engine,
        engine_name=catalog.engines.get(option.engine).name,
        engine_label=catalog.engines.get(option.engine).label or option.engine,
        verdict=option.verdict,
        working_view=option.working,
        fits=option.fits,
        needs_raise=option.needs_raise,
        nominal_bits=option.nominal_bits,
        in_budget=option.in_budget,
        meets_bar=option.meets_bar,
        calibrated=option.calibrated,
        decode_tok_s=option.decode_tok_s,
        measured=option.measured,
        measured_gap=gap(option.decode_tok_s, option.measured)
        if option.measured and option.decode_tok_s
        else 0.0,
        average_when_slower=_average_when_slower(option),
        long_prompt_wait_s=_long_prompt_wait(option),
        band=option.decode_band,
        decode_tok_s_aggregate=option.decode_tok_s_aggregate,
        prefill_tok_s=option.prefill_tok_s,
        ttft_s=option.ttft_s,
        ttft_loaded_s=option.ttft_loaded_s,
        ttft_together_s=option.ttft_together_s,
        long_prompt_tokens=option.long_prompt_tokens,
        long_ttft_s=option.long_ttft_s,
        long_ttft_loaded_s=option.long_ttft_loaded_s,
        stall_share=option.stall_share,
        max_sequences=option.max_sequences,
        prompt_tokens=option.prompt_tokens,
        context_tokens=option.context_tokens,
        concurrency=option.concurrency,
        memory_total_gb=option.memory_total_gb,
        memory_usable_gb=option.memory_usable_gb,
        memory_usable_max_gb=option.memory.usable_max_gb,
        price=option.price,
        currency=option.currency,
        tok_s_per_1000=option.tok_s_per_1000,
        **_cost_fields(hardware, option, lang),
        raise_limit=hardware.raise_limit or "",
        raise_command=(hardware.raise_limit or "").split(" (")[0],
        facts=option.facts.model_dump(),
        assumptions=option.assumptions,
        rules_skipped=option.rules_skipped,
        reasons=ReasonLines(),
    )
    return view.model_copy(update={"reasons": reason_lines(lang, view, option.findings)})


def _cost_fields(hardware: Hardware, option: Option, lang: str) -> dict[str, Any]:
    """What it costs to buy and run, and whether it is sold new."""
    split, running = option.price_split, option.running
    note = hardware.availability_note.text(lang) if hardware.availability_note else ""
    return {
        "availability": hardware.availability,
        "availability_note": re.sub(r"\s*\[[^\]]*\]", "", note),  # citations stay in the catalog
        "market_note": hardware.market_note.text(lang) if hardware.market_note else "",
        "sold_new": hardware.sold_new,
        "price_basis": split.basis if split else "list",
        "price_date": (split.date if split else hardware.price_date) or "",
        "price_converted": bool(split and split.converted),
        "market_unit": split.market_unit if split else None,
        "market_basis": (split.market_basis if split else None) or "",
        "market_date": (split.market_date if split else None) or "",
        "market_converted": bool(split and split.market_converted),
        "quote_vs_market": split.quote_vs_market if split else None,
        "last_list_price": last_list_price(hardware, option.currency),
        "list_date": hardware.price_date or "",
        "price_hardware": split.hardware if split else None,
        "price_host": split.host if split else 0.0,
        "host_cards": split.host_cards if split else None,
        "price_caveat": hardware.price_note.text(lang)
        if split and split.basis == "used" and hardware.price_note
        else "",
        "host_unpriced": split is None
        and needs_host(hardware)
        and not option.facts.have_host
        and host_build(hardware, option.units) is None,
        "power_w": running.power_w if running else None,
        "idle_w": running.idle_w if running else None,
        "hours_per_day": running.hours_per_day if running else 0.0,
        "energy_cost_year": option.energy_cost_year,
        **_rate_fields(running, lang),
        "cost_per_million_tokens": option.cost_per_million_tokens,
        "owning_cost": option.owning_cost,
    }


def _rate_fields(running: RunningCost | None, lang: str) -> dict[str, Any]:
    """The electricity price the yearly cost is at, and whose it is."""
    if running is None:
        return {"per_kwh": None, "rate_currency": "", "rate_region": ""}
    tariff = None if running.own_rate else load_costs().tariff(running.rate_currency)
    return {
        "per_kwh": running.per_kwh,
        "rate_currency": running.rate_currency,
        "rate_region": tariff.region.text(lang) if tariff else "",
    }


class TakesView(BaseModel):
    """What would make a model fit a box that cannot hold it."""

    units: int | None = None
    units_split: str | None = None
    units_quant: str | None = None
    units_decode: float | None = None
    units_price: float | None = None  # the cluster's, in `units_currency`
    units_currency: str = "USD"
    units_over_budget: bool = False
    quant: str | None = None
    quant_decode: float | None = None
    format: str | None = None
    format_decode: float | None = None
    format_bits: int | None = None
    context: int | None = None
    context_decode: float | None = None
    kv_cache: str | None = None
    kv_cache_decode: float | None = None
    users: int | None = None
    users_decode: float | None = None
    users_quant: str | None = None
    elsewhere: OptionView | None = (
        None  # when nothing on this box works: the cheapest box that does
    )
    # the ways that hold the model but only as a proof of concept or worse: their verdicts
    weak: dict[str, str] = Field(default_factory=dict)
    # of those, for a long prompt: the first-token wait that makes them so
    waits: dict[str, float] = Field(default_factory=dict)
    # the ways that hold it only once the GPU memory limit is raised
    raised: list[str] = Field(default_factory=list)
    # how each way that keeps several units splits them (it may not be the headline's split)
    splits: dict[str, str] = Field(default_factory=dict)

    @property
    def any(self) -> bool:
        ways = (self.units, self.quant, self.format, self.context, self.kv_cache, self.users)
        return any(x is not None for x in ways)


def takes_view(catalog: Catalog, takes: WhatItTakes | None, lang: str) -> TakesView:
    if takes is None:
        return TakesView()
    view = TakesView()
    if takes.elsewhere is not None:
        view.elsewhere = option_view(catalog, takes.elsewhere, lang)
    if takes.units is not None:
        view.units = takes.units.units
        view.units_split = takes.units.split
        view.units_quant = takes.units.quant
        view.units_decode = takes.units.decode_tok_s
        view.units_price = takes.units.price
        view.units_currency = takes.units.currency
        view.units_over_budget = not takes.units.in_budget
    if takes.lighter is not None:
        view.quant = takes.lighter.quant
        view.quant_decode = takes.lighter.decode_tok_s
    if takes.format is not None:
        view.format = takes.format.quant
        view.format_decode = takes.format.decode_tok_s
        view.format_bits = takes.format.nominal_bits
    if takes.context is not None:
        view.context = takes.context.context_tokens
        view.context_decode = takes.context.decode_tok_s
    if takes.kv_cache is not None:
        view.kv_cache = takes.kv_cache_type
        view.kv_cache_decode = takes.kv_cache.decode_tok_s
    if takes.users is not None:
        view.users = takes.users.concurrency
        view.users_decode = takes.users.decode_tok_s
        view.users_quant = takes.users.quant
    ways = {
        "units": takes.units,
        "quant": takes.lighter,
        "format": takes.format,
        "context": takes.context,
        "kv_cache": takes.kv_cache,
        "users": takes.users,
    }
    view.weak = {
        kind: way.verdict
        for kind, way in ways.items()
        if way is not None and way.verdict in ("poc_only", "not_usable")
    }
    view.waits = {
        kind: way.ttft_s
        for kind, way in ways.items()
        if kind in view.weak
        and way is not None
        and way.ttft_s is not None
        and way.prompt_tokens >= LONG_PROMPT_TOKENS
    }
    view.raised = [kind for kind, way in ways.items() if way is not None and way.needs_raise]
    view.splits = {
        kind: way.split for kind, way in ways.items() if way is not None and way.units > 1
    }
    return view


@dataclass(frozen=True)
class OwnedView:
    """What the asker has of an option's box: how many (`units`), whether that is as many as
    the option runs on (`owns_all`), the `more` still to buy and their cost (`extra`), and what
    the larger setup suggested instead costs beyond what they have (`takes_extra`)."""

    units: int
    owns_all: bool
    more: int
    extra: float | None
    takes_extra: float | None


def owned_view(
    option: Option, owned_units: int, takes: WhatItTakes | None = None
) -> OwnedView | None:
    """None when the asker has none of the option's box."""
    if owned_units <= 0:
        return None
    split = option.price_split
    each = split.hardware / option.units if split else None
    more = max(option.units - owned_units, 0)
    larger = takes.units if takes else None
    takes_extra = None
    if each is not None and larger is not None and larger.price is not None:
        takes_extra = max(larger.price - each * min(owned_units, larger.units), 0.0)
    return OwnedView(
        units=owned_units,
        owns_all=more == 0,
        more=more,
        extra=None if each is None else each * more,
        takes_extra=takes_extra,
    )


class CapacityRowView(BaseModel):
    model: str
    id: str
    params: float
    quant: str
    bits: int
    decode: float | None
    needs_raise: bool


def capacity_row_view(row: CapacityRow | None) -> CapacityRowView | None:
    if row is None:
        return None
    return CapacityRowView(
        model=plain(row.model_name),
        id=row.option.model,
        params=row.params_b,
        quant=row.option.quant,
        bits=row.option.nominal_bits,
        decode=row.option.decode_tok_s,
        needs_raise=row.option.needs_raise,
    )
