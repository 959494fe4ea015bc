"""What a setup costs, in the currency asked: one place for prices and the exchange rate."""

from __future__ import annotations

from advisor.catalog.entries import Hardware
from advisor.requests import Currency

USD_TO_CNY = 7.1
USD_TO_CNY_SOURCE = (
    "assumed rate 7.1 CNY per USD (late-2026 level), used where no China price is known"
)


USD_PER_EUR = 1.1739
USD_PER_EUR_DATE = "2026-01-22"
USD_PER_EUR_SOURCE = (
    f"converted from the USD price at {USD_PER_EUR} USD per EUR, the ECB reference rate "
    f"reported for {USD_PER_EUR_DATE} "
    "(https://businessnovinite.bg/bg-biznes/kursat-na-dolara-za-22-januari-2026-g.html); "
    "European list prices, with VAT, differ"
)


def unit_price(hardware: Hardware, currency: Currency) -> float | None:
    """One unit's price: the catalog's China price for CNY where known, else converted."""
    if currency == "USD":
        return hardware.price_usd
    if currency == "EUR":
        return hardware.price_usd / USD_PER_EUR if hardware.price_usd else None
    if hardware.price_cny:
        return hardware.price_cny
    return hardware.price_usd * USD_TO_CNY if hardware.price_usd else None


def price_of(hardware: Hardware, units: int, currency: Currency) -> float | None:
    unit = unit_price(hardware, currency)
    return unit * units if unit else None


def per_1000(tok_s: float | None, price: float | None) -> float | None:
    """Decode tokens/s (all sequences served together) per 1,000 of the currency: the one
    value figure every face shows and every ranking uses."""
    if tok_s is None or not price:
        return None
    return tok_s / (price / 1000)


def price_notes(hardware: Hardware, currency: Currency) -> dict[str, str]:
    notes: dict[str, str] = {}
    if hardware.kind == "card":
        notes["price"] = "card only; the host PC is extra"
    if currency == "CNY" and hardware.price_cny is None and hardware.price_usd:
        notes["price_cny"] = USD_TO_CNY_SOURCE
    if currency == "EUR" and hardware.price_usd:
        notes["price_eur"] = USD_PER_EUR_SOURCE
    return notes
