"""What a working system costs beyond the box: a host PC for cards, and electricity. Read from
costs.yaml beside this module; every figure there carries its source and date."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from advisor.catalog.entries import Bilingual
from advisor.errors import from_validation
from advisor.yamlio import read_yaml

COSTS_FILE = Path(__file__).parent / "costs.yaml"


class _Data(BaseModel):
    # built on first use: the costs come from the cache, which needs no validation
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)


class HostBuild(_Data):
    """A typical PC for `cards` GPUs of up to `max_card_w` each: everything but the cards."""

    cards: int = Field(ge=1, le=8)
    max_card_w: float = Field(gt=0, le=2000)
    price_usd: float = Field(gt=0)
    price_cny: float | None = Field(default=None, gt=0)
    date: str
    idle_w: float = Field(gt=0, description="the host alone, cards idle excluded")
    load_w: float = Field(gt=0, description="the host's share while the cards work")
    platform: str = Field(
        description="the board and CPU family: a host of another platform is a new build, not "
        "an upgrade of the one owned"
    )
    parts: str
    note: Bilingual
    sources: dict[str, str] = Field(description="price_usd, idle_w and load_w, each sourced")

    @model_validator(mode="after")
    def _sourced(self) -> HostBuild:
        missing = {"price_usd", "idle_w", "load_w"} - set(self.sources)
        if missing:
            raise ValueError(f"no source for {', '.join(sorted(missing))}")
        return self


class Tariff(_Data):
    """Household electricity, per kWh, where a currency's buyers live."""

    currency: str = Field(pattern=r"^[A-Z]{3}$")
    per_kwh: float = Field(gt=0, le=10)
    date: str
    region: Bilingual
    source: str


class Costs(_Data):
    hosts: tuple[HostBuild, ...] = Field(min_length=1)
    electricity: tuple[Tariff, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _every_currency_priced(self) -> Costs:
        missing = {"USD", "CNY", "EUR"} - {t.currency for t in self.electricity}
        if missing:
            raise ValueError(f"no electricity price for {', '.join(sorted(missing))}")
        return self

    def host_for(self, cards: int, card_w: float) -> HostBuild | None:
        """The smallest typical build that holds `cards` cards of `card_w` each, priced no
        lower than a build for fewer such cards (the sourced builds come from different
        platforms and months, and a host for more cards does not cost less). None when no
        sourced build holds them."""
        fitting = [h for h in self.hosts if h.cards >= cards and h.max_card_w >= card_w]
        if not fitting:
            return None
        smallest = min(fitting, key=lambda h: (h.cards, h.price_usd))
        fewer = [h for h in self.hosts if h.cards <= cards and h.max_card_w >= card_w]
        floor = max(fewer, key=lambda h: h.price_usd, default=smallest)
        if floor.price_usd <= smallest.price_usd:
            return smallest
        # the build that holds the cards, at the price of the dearer one for fewer
        source = f"not below the {floor.cards}-card host: {floor.sources['price_usd']}"
        return smallest.model_copy(
            update={
                "price_usd": floor.price_usd,
                "price_cny": floor.price_cny,
                "date": floor.date,
                "sources": {**smallest.sources, "price_usd": source},
            }
        )

    def tariff(self, currency: str) -> Tariff:
        for tariff in self.electricity:
            if tariff.currency == currency:
                return tariff
        return self.electricity[0]


@cache
def load_costs() -> Costs:
    """The costs file, parsed once and then read from the cache (PyYAML is not even imported
    for an answer then)."""
    from advisor.cache import cached

    code = [Path(__file__), Path(__file__).parent / "entries.py"]
    return cached("costs", [*code, COSTS_FILE], _parse_costs, Costs)


def _parse_costs() -> Costs:
    try:
        return Costs.model_validate(read_yaml(COSTS_FILE))
    except ValidationError as exc:
        raise from_validation(str(COSTS_FILE), exc, "costs") from None
