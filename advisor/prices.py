"""What a setup costs, in the currency asked: to buy (the box as sold, or cards plus a host PC
sized for them, at what it sells for now) and to run (electricity at the stated use). One place
for prices, the exchange rates and the running-cost arithmetic."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from advisor.catalog.costs import HostBuild, load_costs
from advisor.catalog.entries import Hardware
from advisor.requests import Currency

# where a currency's buyers live: what is sold there is what an answer in it weighs unnamed
MARKET_OF_CURRENCY = {"USD": "us", "CNY": "cn", "EUR": "eu"}
USD_TO_CNY = 7.0197
USD_TO_CNY_DATE = "2026-01-08"
USD_TO_CNY_SOURCE = (
    f"converted from the USD price at {USD_TO_CNY} CNY per USD, the yuan's central parity rate "
    f"reported by the China Foreign Exchange Trade System for {USD_TO_CNY_DATE} "
    "(https://menafn.com/1110571586/Chinese-Yuan-Edges-Down-Against-US-Dollar); "
    "used where no China price is known"
)
USD_PER_EUR = 1.1739
USD_PER_EUR_DATE = "2026-01-22"
USD_PER_EUR_SOURCE = (
    f"converted from the USD price at {USD_PER_EUR} USD per EUR, the ECB reference rate "
    f"reported for {USD_PER_EUR_DATE} "
    "(https://businessnovinite.bg/bg-biznes/kursat-na-dolara-za-22-januari-2026-g.html); "
    "European list prices, with VAT, differ"
)
OWNING_YEARS = 3  # "cheapest to own": the price plus this many years of electricity
PriceBasis = Literal["list", "street", "used", "quoted"]


def _convert(usd: float | None, cny: float | None, currency: Currency) -> float | None:
    if currency == "CNY":
        return cny or (usd * USD_TO_CNY if usd else None)
    if usd is None:
        return None
    return usd / USD_PER_EUR if currency == "EUR" else usd


def exchanged(amount: float, from_currency: Currency, to_currency: Currency) -> float:
    """`amount` in another currency at the rates above (a budget carried into a follow-up that
    asks for prices in yuan)."""
    in_usd = {"USD": 1.0, "CNY": 1 / USD_TO_CNY, "EUR": USD_PER_EUR}
    return amount * in_usd[from_currency] / in_usd[to_currency]


def unit_price(hardware: Hardware, currency: Currency) -> float | None:
    """What one unit costs to buy now: its street price where one is sourced (the used price
    for what is no longer sold new), else its list price while it is sold new; China prices
    for CNY where known. None for what is no longer sold new and has no sourced used price:
    a launch price from years ago is not a price anyone can pay."""
    street = _convert(hardware.street_price_usd, hardware.street_price_cny, currency)
    if street is not None:
        return street
    if not hardware.sold_new:
        return None
    return _convert(hardware.price_usd, hardware.price_cny, currency)


def last_list_price(hardware: Hardware, currency: Currency) -> float | None:
    """The last list price, for saying what a box cost when it was sold new."""
    return _convert(hardware.price_usd, hardware.price_cny, currency)


def _has_street_price(hardware: Hardware, currency: Currency) -> bool:
    """Whether the price in `currency` is a street price: a yuan one answers only in yuan (an
    H20's is, its dollar price being NVIDIA's 2024 list price)."""
    if currency == "CNY" and hardware.street_price_cny is not None:
        return True
    return hardware.street_price_usd is not None


def converted(hardware: Hardware, currency: Currency) -> bool:
    """Whether the price in `currency` is a dollar price converted (no local price sourced)."""
    if currency == "USD":
        return False
    if currency == "EUR":
        return True
    street = _has_street_price(hardware, currency)
    local = hardware.street_price_cny if street else hardware.price_cny
    return local is None


def price_basis(hardware: Hardware, currency: Currency = "USD") -> PriceBasis:
    """What the price in `currency` is: a list price, a street price (new, or a discontinued
    model's remaining stock), or a used price (what is sold used only, or was withdrawn)."""
    if not _has_street_price(hardware, currency):
        return "list"
    return "used" if hardware.availability in ("used_only", "withdrawn") else "street"


def price_date(hardware: Hardware, currency: Currency) -> str | None:
    """When the price in `currency` was seen or set."""
    if _has_street_price(hardware, currency):
        return hardware.street_price_date
    return hardware.price_date


# The cards a PC one already has takes: the largest desktop host in costs.yaml (two on an X870E
# board). More cards than that need a server board, priced like a new host.
OWNED_HOST_CARDS = 2


def needs_host(hardware: Hardware) -> bool:
    """Cards run in a PC; a box is a whole computer (datacenter GPUs: a server, left out)."""
    return hardware.kind == "card"


def host_build(hardware: Hardware, units: int) -> HostBuild | None:
    """The typical host the cards are priced with; None for a box, or when no sourced build
    holds this many cards of this power (then the system has no price)."""
    if not needs_host(hardware):
        return None
    return load_costs().host_for(units, hardware.power_w or 0.0)


class SystemPrice(BaseModel):
    """The price of something that runs: the boxes or cards, and the host the cards need."""

    total: float
    hardware: float = Field(description="the boxes or cards")
    host: float = Field(description="the host PC for cards; 0 for a box or an owned host")
    host_cards: int | None = Field(description="the cards the host is priced for; None: no host")
    basis: PriceBasis = Field(
        description="list price, street price new, used price, or the price the buyer quoted"
    )
    date: str | None
    converted: bool = Field(description="converted from dollars: no local price is sourced")
    market_unit: float | None = Field(
        default=None,
        description="when the buyer quoted their own price: the catalog's for one unit, to "
        "weigh the quote against",
    )
    market_basis: PriceBasis | None = Field(default=None, description="what `market_unit` is")
    market_date: str | None = None
    market_converted: bool = Field(
        default=False, description="`market_unit` is converted from dollars"
    )
    quote_vs_market: float | None = Field(
        default=None, description="the quote over the catalog's price, less one (-0.2: 20% below)"
    )


def system_price(
    hardware: Hardware,
    units: int,
    currency: Currency,
    have_host: bool = False,
    quoted: float | None = None,
) -> SystemPrice | None:
    """What `units` of `hardware` cost, with the host cards need; `quoted` is the buyer's own
    price for one unit (a used offer), in place of the catalog's."""
    unit = quoted if quoted is not None else unit_price(hardware, currency)
    if unit is None:
        return None
    build = None if have_host else host_build(hardware, units)
    if build is None and needs_host(hardware) and not have_host:
        return None  # no sourced host for this many cards: a guess would mislead
    host = _convert(build.price_usd, build.price_cny, currency) if build else None
    market = unit_price(hardware, currency) if quoted is not None else None
    return SystemPrice(
        market_unit=market,
        market_basis=price_basis(hardware, currency) if market else None,
        market_date=price_date(hardware, currency) if market else None,
        market_converted=bool(market) and converted(hardware, currency),
        quote_vs_market=unit / market - 1 if market else None,
        total=unit * units + (host or 0.0),
        hardware=unit * units,
        host=host or 0.0,
        host_cards=units if build else None,
        basis="quoted" if quoted is not None else price_basis(hardware, currency),
        date=None if quoted is not None else price_date(hardware, currency),
        converted=quoted is None and converted(hardware, currency),
    )


def per_1000(tok_s: float | None, price: float | None) -> float | None:
    """Decode tokens/s (all sequences served together) per 1,000 of the currency: the one
    value figure every face shows and every ranking uses."""
    if tok_s is None or not price:
        return None
    return tok_s / (price / 1000)


class RunningCost(BaseModel):
    """Electricity at the stated use: under load for `hours_per_day`, idle the rest."""

    power_w: float = Field(description="whole system under load, W")
    idle_w: float | None = Field(description="whole system idle, W (None: not sourced)")
    hours_per_day: float
    energy_cost_year: float
    cost_per_million_tokens: float | None = Field(
        description=f"the price over {OWNING_YEARS} years plus electricity, per million tokens"
    )
    owning_cost: float | None = Field(description=f"price + {OWNING_YEARS} years of electricity")
    per_kwh: float = Field(description="the electricity price used, per kWh, in `rate_currency`")
    rate_currency: Currency
    own_rate: bool = Field(description="the buyer's own price, not a sourced household tariff")


def system_power(hardware: Hardware, units: int) -> tuple[float | None, float | None]:
    """(under load, idle) watts of the whole system: a box as measured or rated; cards at
    their board power (a ceiling: decode draws less) plus the host that holds them."""
    if hardware.power_w is None:
        return None, None
    load, idle = hardware.power_w * units, (hardware.idle_w or 0.0) * units
    build = host_build(hardware, units)
    if build is not None:
        load, idle = load + build.load_w, idle + build.idle_w
    return load, (idle or None)


def running_cost(
    hardware: Hardware,
    units: int,
    currency: Currency,
    hours_per_day: float,
    tok_s_aggregate: float | None,
    price: SystemPrice | None,
    electricity: Currency | None = None,
    kwh_price: float | None = None,
) -> RunningCost | None:
    """Power and electricity for `hours_per_day` at full load, in `currency`: at `kwh_price`
    (the buyer's own, in `electricity`'s currency) or else at the household rate where
    `electricity`'s buyers live (default: `currency`'s, so a buyer who only asks to see dollars
    keeps their own rate)."""
    load, idle = system_power(hardware, units)
    if load is None:
        return None
    rate_in = electricity or currency
    per_kwh = kwh_price or load_costs().tariff(rate_in).per_kwh
    kwh_year = (load * hours_per_day + (idle or 0.0) * (24 - hours_per_day)) * 365 / 1000
    energy = exchanged(kwh_year * per_kwh, rate_in, currency)
    owning = price.total + OWNING_YEARS * energy if price else None
    tokens_year = (tok_s_aggregate or 0.0) * 3600 * hours_per_day * 365
    per_million = (
        (owning / OWNING_YEARS) / tokens_year * 1e6 if owning is not None and tokens_year else None
    )
    return RunningCost(
        power_w=load,
        idle_w=idle,
        hours_per_day=hours_per_day,
        energy_cost_year=energy,
        cost_per_million_tokens=per_million,
        owning_cost=owning,
        per_kwh=per_kwh,
        rate_currency=rate_in,
        own_rate=kwh_price is not None,
    )


def price_notes(
    hardware: Hardware, currency: Currency, price: SystemPrice | None
) -> dict[str, str]:
    """What the price figures assume, for the option's `assumptions`."""
    notes: dict[str, str] = {}
    if price is not None:
        notes["price"] = _price_note(hardware, price)
    if currency == "CNY" and price is not None and price.converted:
        notes["price_cny"] = USD_TO_CNY_SOURCE
    if currency == "EUR" and hardware.price_usd:
        notes["price_eur"] = USD_PER_EUR_SOURCE
    return notes


def _price_note(hardware: Hardware, price: SystemPrice) -> str:
    basis = {
        "list": "list price",
        "street": "street price",
        "used": "used price",
        "quoted": "the price you were quoted, per unit",
    }[price.basis]
    said = f"{basis} as of {price.date}" if price.date else basis
    if not needs_host(hardware):
        return f"the box as sold ({said})"
    if price.host_cards is None:
        return f"cards only ({said}); you said you have a host PC"
    build = host_build(hardware, price.host_cards)
    assert build is not None  # a card is priced only with a host that holds it
    return (
        f"cards ({said}) plus a typical host PC for {build.cards} card"
        f"{'s' if build.cards > 1 else ''} ({build.parts}; as of {build.date})"
    )


def energy_notes(cost: RunningCost | None) -> dict[str, str]:
    if cost is None:
        return {}
    tariff = load_costs().tariff(cost.rate_currency)
    idle = f"{cost.idle_w:.0f} W" if cost.idle_w else "idle power not sourced, counted as 0 W"
    rate = (
        "your own price" if cost.own_rate else f"{tariff.region.en}, {tariff.date}, {tariff.source}"
    )
    return {
        "electricity": (
            f"{cost.power_w:.0f} W under load for {cost.hours_per_day:g} h a day, {idle} the "
            f"rest; {cost.per_kwh:g} {cost.rate_currency}/kWh ({rate})"
        ),
        "cost_per_million_tokens": (
            f"the price spread over {OWNING_YEARS} years plus electricity, over the tokens "
            f"written at the quoted total speed for {cost.hours_per_day:g} h a day"
        ),
    }
