"""Which box to buy, and what a box can do: enumerate boxes x formats x unit counts through the
setup resolver, judge them, rank them. Data in, data out; the words are rendered elsewhere."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from advisor.catalog.entries import SOLD_NEW, Hardware, Model
from advisor.choose import candidates_for_query, option_on, with_measured
from advisor.context import Advisor
from advisor.errors import InvalidInput
from advisor.judge import DEPARTURE_GAIN, Option, all_but_full
from advisor.prices import (
    MARKET_OF_CURRENCY,
    OWNED_HOST_CARDS,
    OWNING_YEARS,
    last_list_price,
    needs_host,
    unit_price,
)
from advisor.requests import (
    DEFAULT_CONTEXT_TOKENS,
    DEFAULT_MAX_UNITS,
    SERVING_BATCH,
    Currency,
    RecommendQuery,
    is_native,
)
from advisor.rules import VERDICTS, usable
from advisor.setups import check_cluster, check_work, engines_for, weighs_serving

CLUSTER_GAIN = 1.15  # a cluster is shown only if it decodes this much faster than one box
STRETCH = 0.10  # "just over budget": a buyer stretches this far for a clearly better box
CLEARLY_FASTER = 1.25  # beyond the estimates' error band: a difference a user feels
SAME_SPEED = 0.05  # decode speeds this close are within the estimates' error band
# a format tried in place of the one asked stands for its bits: any engine's format of them
_BITS_ALONE = {"native_only": False, "quant_as_named": False}


SERVER_GPUS = 8  # an HGX/DGX server holds eight datacenter modules
SERVER_SIZES = (1, 2, 4, 8)  # how many of them tensor parallel splits over


def _boxes(advisor: Advisor, query: RecommendQuery) -> list[Hardware]:
    """The boxes named, or every box one can buy and run where the currency is spent: not a
    China-only card for a buyer in dollars, no datacenter GPU unless the budget buys a server
    of them (`buys_a_server`; the server itself is not priced, and they are compared when
    named), and only what is sold new when the buyer wants nothing used (`new_only`)."""
    if query.hardware:
        return [advisor.catalog.hardware.get(h) for h in query.hardware]
    servers = buys_a_server(advisor, query)
    return [h for h in advisor.catalog.hardware if for_sale(h, query, servers)]


def for_sale(hardware: Hardware, query: RecommendQuery, servers: bool = False) -> bool:
    """Whether a box is weighed unnamed: sold where the query's currency is spent, not a
    datacenter GPU unless `servers`, sold new when the buyer wants nothing used, used when
    they want only that, and a card when they want only cards."""
    return (
        MARKET_OF_CURRENCY[query.currency] in hardware.markets
        and (hardware.kind != "datacenter" or servers)
        and (hardware.availability in SOLD_NEW or not query.new_only)
        and (hardware.availability not in SOLD_NEW or not query.used_only)
        and (hardware.kind == "card" or not query.cards_only)
    )


# a budget this share of the cheapest server's price weighs servers: one that works is worth
# naming as the cheapest that does, over the budget ("预算50万…满血R1": 8 H20s at 88万)
SERVER_REACH = 0.5


def _servers_sold(advisor: Advisor, query: RecommendQuery) -> list[Hardware]:
    """The datacenter GPUs sold where the query's currency is spent."""
    market = MARKET_OF_CURRENCY[query.currency]
    return [h for h in advisor.catalog.hardware if h.kind == "datacenter" and market in h.markets]


def buys_a_server(advisor: Advisor, query: RecommendQuery) -> bool:
    """Whether the budget comes within `SERVER_REACH` of `SERVER_GPUS` of the cheapest
    datacenter GPU sold where it is spent: "$500,000 for R1 for 20 users" had been told nothing
    runs it usably."""
    if query.budget is None:
        return False
    prices = [
        price
        for h in _servers_sold(advisor, query)
        if (price := unit_price(h, query.currency)) is not None
    ]
    return bool(prices) and query.budget >= SERVER_GPUS * min(prices) * SERVER_REACH


def _unit_counts(hardware: Hardware, query: RecommendQuery) -> list[int]:
    """The cluster sizes weighed: up to the query's, or for a datacenter GPU the sizes a server
    splits over."""
    if hardware.kind == "datacenter" and not query.hardware:
        most = min(hardware.max_units, query.max_units or hardware.max_units)
        return [n for n in SERVER_SIZES if n <= most]
    most = query.most_units()
    if query.one_machine:  # "one box": a PC with two cards is one, two Macs are not
        most = max(most, DEFAULT_MAX_UNITS) if needs_host(hardware) else 1
    return list(range(1, min(most, hardware.max_units) + 1))


def evaluate_options(
    advisor: Advisor, query: RecommendQuery, keep_clusters: bool = False
) -> list[Option]:
    """The best option per (box, unit count) worth showing, best first. A cluster is kept only
    when it does something one box of the kind cannot (unless `keep_clusters`)."""
    model = advisor.catalog.models.get(query.model)
    check_work(model, query.workload())
    best: dict[tuple[str, int], Option] = {}
    for hardware in _boxes(advisor, query):
        for units in _unit_counts(hardware, query):
            single = best.get((hardware.id, 1))
            # a cluster that cannot beat one box is left out below: it need not be judged
            bar = None if keep_clusters or units == 1 else _cluster_bar(single)
            option = option_on(advisor, query, hardware, units, must_beat=bar)
            if option is not None:
                best[(hardware.id, units)] = option
    kept = [
        option
        for (hardware_id, units), option in best.items()
        if keep_clusters
        or units == 1
        or not _cluster_adds_nothing(option, best.get((hardware_id, 1)))
    ]
    return sorted(kept, key=lambda o: o.rank_key(), reverse=True)


def _cluster_bar(single: Option | None) -> float | None:
    """The decode speed a cluster must beat to be shown beside one working box of its kind;
    None when no single box works."""
    if single is None or not single.working:
        return None
    return (single.decode_tok_s or 0.0) * CLUSTER_GAIN


def _cluster_adds_nothing(cluster: Option, single: Option | None) -> bool:
    bar = _cluster_bar(single)
    return bar is not None and (cluster.decode_tok_s or 0.0) <= bar


class Picks(BaseModel):
    best: Option | None
    cheapest: Option | None
    fastest: Option | None
    best_value: Option | None
    best_new: Option | None = Field(
        default=None, description="the best option sold new, when `best` is not"
    )
    cheapest_to_own: Option | None = Field(
        default=None, description="lowest price plus 3 years of electricity, meeting the bar"
    )
    just_over_budget: Option | None = Field(
        default=None,
        description="a buy at most 10% over the budget a quarter faster, as a user feels it, "
        "than the fastest within it",
    )
    soonest_first_token: Option | None = Field(
        default=None,
        description="the shortest wait for the first token in budget, when the buyer puts it first",
    )
    cheaper_below_4bit: Option | None = Field(
        default=None,
        description="the cheapest meeting the bar below 4 bits, when it costs less than the "
        "cheapest at 4 bits or more (which the cheapest pick puts first)",
    )


class Recommendation(BaseModel):
    query: RecommendQuery
    model_name: str
    options: list[Option]
    picks: Picks
    nothing_in_budget: bool
    servers_weighed: bool = Field(
        default=False,
        description="datacenter GPUs were weighed unnamed, up to a server of them: the budget "
        "buys one (`buys_a_server`)",
    )
    cheapest_working: Option | None = Field(
        description="the cheapest option at any price that meets the bar (usable, or the speed "
        "or verdict asked), else the cheapest that runs the model at all"
    )
    cheapest_new: Option | None = Field(
        default=None, description="the same, sold new, when the cheapest is not"
    )
    roomiest: Option | None = Field(
        default=None,
        description="when no option holds the model: the one with the most memory, to say how "
        "far the largest box or cluster considered falls short",
    )
    memory_needed_gb: float | None = Field(
        default=None,
        description="when no option holds the model: the memory one box would need for it",
    )
    quickest: Option | None = Field(
        default=None,
        description="when a first-token wait was asked and no option that holds the model "
        "meets it: the one whose first token comes soonest",
    )
    quantized_in_budget: Option | None = Field(
        default=None,
        description="when full precision ('满血') was asked and nothing within the budget runs "
        "it: the best option within it at the usual formats (4-bit and the like)",
    )
    larger_cluster: tuple[str, int] | None = Field(
        default=None,
        description="when no option holds the model: a box and about how many of it would "
        "(more than the cluster size considered, no more than the box clusters to), the one "
        "needing fewest; from one unit's usable memory, so an estimate",
    )


def _short_of_memory(
    advisor: Advisor, query: RecommendQuery, options: list[Option]
) -> tuple[Option | None, float | None, tuple[str, int] | None]:
    """When nothing considered holds the model: the option with the most memory, the memory one
    box would need, and a larger cluster that would hold it (see `Recommendation`)."""
    if not options or any(o.fits or o.needs_raise for o in options):
        return None, None, None
    roomiest = max(options, key=lambda o: (o.memory_usable_gb, -o.units))
    needed = min(o.memory_total_gb for o in options if o.quant == roomiest.quant)
    larger = [
        (max(math.ceil(needed / o.memory_usable_gb), query.most_units() + 1), o.hardware)
        for o in options
        if o.units == 1 and o.memory_usable_gb > 0
    ]
    within = [
        (units, hardware)
        for units, hardware in larger
        if units <= advisor.catalog.hardware.get(hardware).max_units
    ]
    fewest = min(within, key=lambda found: _to_name(advisor, *found), default=None)
    return roomiest, needed, (fewest[1], fewest[0]) if fewest else None


def _to_name(advisor: Advisor, units: int, hardware_id: str) -> tuple[int, bool, bool, float, str]:
    """How a larger cluster is chosen to name: the fewest units, then one with a price, sold
    new, the fastest reader (two Mac minis at 273 GB/s had been named before two Mac Studios
    at 546 for coming first in the alphabet)."""
    hardware = advisor.catalog.hardware.get(hardware_id)
    return (
        units,
        unit_price(hardware, "USD") is None,
        hardware.availability not in SOLD_NEW,
        -hardware.bandwidth_gbs,
        hardware_id,
    )


def _quickest(query: RecommendQuery, options: list[Option]) -> Option | None:
    """When no option that holds the model meets the first-token wait asked: the nearest."""
    if query.max_ttft_s is None:
        return None
    holding = [o for o in options if o.fits or o.needs_raise]
    if not holding or any(o.facts.ttft_wait_s <= query.max_ttft_s for o in holding):
        return None
    # of those as quick (two boxes of one chip), the one a buyer would take: within the
    # budget, running it best, priced, cheapest
    return min(
        _as_soon_as_any(holding),
        key=lambda o: (
            not o.in_budget,
            -VERDICTS.index(o.verdict),
            o.price is None,
            o.price or 0.0,
            o.facts.ttft_wait_s,
        ),
    )


def pick(options: list[Option], query: RecommendQuery) -> Picks:
    working = [o for o in options if o.working]
    affordable = [o for o in working if o.in_budget]
    priced = [o for o in affordable if o.price is not None]
    meeting = [o for o in priced if o.meets_bar]
    fits = [o for o in options if o.fits or o.needs_raise]
    fits_in_budget = [o for o in fits if o.in_budget] or ([] if query.budget else fits)
    owned = [o for o in meeting if o.owning_cost is not None]
    cheapest = _cheapest(meeting)
    # the fastest that works in budget; else the fastest that holds the model at all
    fastest = _fastest(affordable) or _fastest(fits_in_budget)
    soonest = _soonest_first_token(meeting, affordable) if query.prefer == "first_token" else None
    best = _preferred(query, affordable, cheapest, fastest, soonest)
    sold_new = [o for o in affordable if o.availability in SOLD_NEW]
    new_meeting = [o for o in meeting if o.availability in SOLD_NEW]
    soonest_new = _soonest_first_token(new_meeting, sold_new) if soonest else None
    return Picks(
        best=best,
        best_new=_preferred(
            query, sold_new, _cheapest(new_meeting), _fastest(sold_new), soonest_new
        )
        if best and best.availability not in SOLD_NEW
        else None,
        cheapest_to_own=min(
            owned,
            key=lambda o: (o.nominal_bits < 4, o.owning_cost or 0, -(o.decode_tok_s or 0)),
            default=None,
        ),
        cheapest=cheapest,
        cheaper_below_4bit=_cheaper_below_4bit(meeting, cheapest),
        just_over_budget=_just_over_budget(working, query, fastest),
        fastest=fastest,
        soonest_first_token=soonest,
        # value among what meets the bar when anything does: tok/s per dollar of a box too
        # slow for the team is no value
        best_value=_best_value(meeting, priced),
    )


def _best_value(meeting: list[Option], priced: list[Option]) -> Option | None:
    """Decode per unit of money among what meets the bar when anything does (tok/s per dollar of
    a box too slow for the team is no value), at 4 bits or more first. Speed is as a user feels
    it: a long prompt's wait counts. When nothing meets the bar, what runs it best comes first:
    value in a proof of concept is none."""

    def value(o: Option) -> float:
        felt = o.answer_tok_s / o.decode_tok_s if o.decode_tok_s else 1.0
        return (o.tok_s_per_1000 or 0.0) * felt

    if meeting:
        return max(meeting, key=lambda o: (o.nominal_bits >= 4, value(o)))
    return max(
        priced,
        key=lambda o: (VERDICTS.index(o.verdict), o.nominal_bits >= 4, value(o)),
        default=None,
    )


def _just_over_budget(
    working: list[Option], query: RecommendQuery, fastest: Option | None
) -> Option | None:
    """The cheapest buy a little over the budget (`STRETCH`) that is clearly faster, as a user
    feels it, than the fastest within it: said beside the pick, never instead of it, and not
    to one who asked for the cheapest."""
    if query.budget is None or fastest is None or query.prefer == "cheapest":
        return None
    bar = fastest.answer_tok_s * CLEARLY_FASTER
    near = [
        o
        for o in working
        if o.meets_bar
        and o.price is not None
        and query.budget < o.price <= query.budget * (1 + STRETCH)
        and o.nominal_bits >= min(fastest.nominal_bits, 4)
        and o.answer_tok_s >= bar
    ]
    return min(near, key=lambda o: (o.price or 0, -o.answer_tok_s), default=None)


def _cheaper_below_4bit(meeting: list[Option], cheapest: Option | None) -> Option | None:
    """The cheapest meeting the bar at under 4 bits, where it costs less than `cheapest` at 4
    bits or more: the squeeze the buyer may take, said beside the pick."""
    if cheapest is None or cheapest.nominal_bits < 4:
        return None
    below = [o for o in meeting if o.nominal_bits < 4 and (o.price or 0) < (cheapest.price or 0)]
    return min(below, key=lambda o: (o.price or 0, -(o.decode_tok_s or 0)), default=None)


def _cheapest(options: list[Option]) -> Option | None:
    """The cheapest, at 4 bits or more before a 3-bit squeeze; the faster at one price."""
    return min(
        options,
        key=lambda o: (o.nominal_bits < 4, o.price or 0, -(o.decode_tok_s or 0)),
        default=None,
    )


def _fastest(options: list[Option]) -> Option | None:
    """The fastest as a user feels it over a conversation (`conversation_answer_tok_s`, as the
    verdict judges it). Speeds within `TIE` of it are the estimate's to split, not a user's to
    feel: of those, one at 4 bits or more, with a price (a preorder's is unknown), the cheaper."""
    if not options:
        return None
    top = max(o.conversation_answer_tok_s for o in options)
    near = [o for o in options if o.conversation_answer_tok_s >= top * (1 - TIE)]
    return max(
        near,
        key=lambda o: (
            o.nominal_bits >= 4,
            o.price is not None,
            -(o.price or 0),
            o.conversation_answer_tok_s,
        ),
    )


def _preferred(
    query: RecommendQuery,
    affordable: list[Option],
    cheapest: Option | None,
    fastest: Option | None,
    soonest: Option | None,
) -> Option | None:
    """The pick to buy: the best working option in budget (`rank_key`), or what the buyer put
    first ("the cheapest box that ...": the cheapest meeting the bar; "the fastest ...": the
    fastest that works, as a user feels it; "the fastest first token": the shortest wait for
    it) when there is one."""
    if not affordable:
        return None
    wanted = {"cheapest": cheapest, "fastest": fastest, "first_token": soonest}
    return wanted.get(query.prefer or "") or affordable[0]


def _as_soon_as_any(options: list[Option]) -> list[Option]:
    """The options whose first-token wait (`ttft_wait_s`) is within `SAME_SPEED` of the
    soonest: the estimate cannot split them."""
    soonest = min(o.facts.ttft_wait_s for o in options)
    return [o for o in options if o.facts.ttft_wait_s <= soonest * (1 + SAME_SPEED)]


def _soonest_first_token(meeting: list[Option], affordable: list[Option]) -> Option | None:
    """The option whose user waits least for the first token (under the team's load,
    `ttft_wait_s`), among those meeting the bar when any does (a Spark reads a prompt soonest
    but may decode a 70B only as a proof of concept), else among those that work. Waits within
    `SAME_SPEED` of it are the estimate's to split: of those, one at 4 bits or more, then the
    faster answer, then the cheaper."""
    working = meeting or [o for o in affordable if o.working]
    if not working:
        return None
    return max(
        _as_soon_as_any(working),
        key=lambda o: (
            o.nominal_bits >= 4,
            o.conversation_answer_tok_s,
            o.price is not None,
            -(o.price or 0),
        ),
    )


def _cheapest_at_4_bits_if_near(options: list[Option]) -> Option | None:
    """The cheapest priced option, or one at 4 bits or more costing at most `STRETCH` more
    than a cheapest below 4 bits (2 × RTX 3090 Ti at int4 for $138 over 2 × RX 7900 XTX at
    3 bits)."""
    cheapest = min(options, key=lambda o: (o.price or 0, -(o.decode_tok_s or 0)), default=None)
    if cheapest is None or cheapest.nominal_bits >= 4:
        return cheapest
    near = [
        o
        for o in options
        if o.nominal_bits >= 4 and (o.price or 0) <= (cheapest.price or 0) * (1 + STRETCH)
    ]
    return min(near, key=lambda o: (o.price or 0, -(o.decode_tok_s or 0)), default=cheapest)


def _cheapest_candidates(options: list[Option]) -> list[Option]:
    """The priced options the cheapest that works is chosen among: those meeting the bar
    (usable, or what the buyer asked: "smoothly", "at least 20 tok/s"), else those that run
    the model at all."""
    working = [o for o in options if o.working and o.price is not None]
    return [o for o in working if o.meets_bar] or working


def _quantized_in_budget(advisor: Advisor, query: RecommendQuery) -> Option | None:
    """For full precision asked and out of budget: the best within it at the usual formats."""
    if not query.native_only:
        return None
    usual = query.model_copy(update={"native_only": False})
    best = pick(evaluate_options(advisor, usual), usual).best
    return best if best is not None and best.meets_bar else None


def recommend(advisor: Advisor, query: RecommendQuery) -> Recommendation:
    model = advisor.catalog.models.get(query.model)
    options = evaluate_options(advisor, query)
    picks = pick(options, query)
    working_priced = _cheapest_candidates(options)
    cheapest = _cheapest_at_4_bits_if_near(working_priced)
    servers = not query.hardware and buys_a_server(advisor, query)
    if cheapest is None and not query.hardware and not servers:
        cheapest = _cheapest_server(advisor, query)  # "20 users of R1 on 15万": what it takes
    new_priced = [o for o in working_priced if o.availability in SOLD_NEW]
    roomiest, needed, larger_cluster = _short_of_memory(advisor, query, options)
    nothing_in_budget = query.budget is not None and picks.best is None
    return Recommendation(
        quantized_in_budget=_quantized_in_budget(advisor, query) if nothing_in_budget else None,
        roomiest=roomiest,
        quickest=_quickest(query, options),
        memory_needed_gb=needed,
        larger_cluster=larger_cluster,
        query=query,
        model_name=model.name,
        options=options,
        picks=picks,
        nothing_in_budget=nothing_in_budget,
        servers_weighed=servers,
        cheapest_working=cheapest,
        cheapest_new=_cheapest_at_4_bits_if_near(new_priced)
        if cheapest and cheapest.availability not in SOLD_NEW and new_priced
        else None,
    )


def _cheapest_server(advisor: Advisor, query: RecommendQuery) -> Option | None:
    """When nothing the budget weighs runs the model, the cheapest priced server of datacenter
    GPUs sold where the buyer lives that runs it usably: the fewest of each that do."""
    found: list[Option] = []
    for hardware in _servers_sold(advisor, query):
        for units in (n for n in SERVER_SIZES if n <= hardware.max_units):
            option = option_on(advisor, query, hardware, units)
            if option is not None and option.working and option.price is not None:
                found.append(option)
                break
    return min(found, key=lambda o: (o.price or 0.0, o.hardware), default=None)


# --- named comparisons -------------------------------------------------------------------------


TIE = 0.02  # two sides this close on a figure are even: the estimate cannot split them


class Winners(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built when this kind of answer is given

    chat: str | None
    long_prompts: str | None
    serving: str | None
    price: str | None
    owning: str | None = Field(
        default=None,
        description=f"the cheapest to own over {OWNING_YEARS} years (price plus electricity)",
    )
    even: list[str] = Field(
        default=[], description="uses where the best two sides are within 2%: no real winner"
    )
    unpriced: list[str] = Field(
        default=[],
        description="working sides with no price: value is compared only among two priced",
    )
    serving_alone: str | None = Field(
        default=None,
        description="the only working side with the memory for 8 users at once: it has no "
        "rival to beat, so it wins nothing",
    )


class Comparison(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built when this kind of answer is given

    query: RecommendQuery
    model_name: str
    sides: list[Option]
    missing: list[str]
    winners: Winners
    clusters: list[Option] = Field(
        default_factory=list,
        description="for a side shown as one box that holds the model but does not work, "
        "the fewest of it that would",
    )
    missing_for_team: list[str] = Field(
        default_factory=list,
        description="boxes that hold the model for one user but not the team's contexts",
    )
    own_engine: list[str] = Field(
        default_factory=list,
        description="boxes the engine asked for does not run on, shown on their usual one",
    )
    grown: list[str] = Field(
        default_factory=list,
        description="boxes shown as a cluster because one of them cannot hold the model",
    )
    at_counts: list[str] = Field(
        default_factory=list,
        description="boxes compared at two counts ('one DGX Spark or two?'): their sides, "
        "winners and `missing` name them '1x dgx-spark', '2x dgx-spark'",
    )
    serving: dict[str, Option] = Field(
        default_factory=dict,
        description=f"side key -> the best way to serve {SERVING_BATCH} users at once on that "
        f"side's boxes, as `estimate --concurrency {SERVING_BATCH}` finds it (a format or "
        "engine that batches better may serve them, not the one that decodes fastest for one), "
        "where it holds their contexts; empty when the question is a team's already (its sides "
        "are set up for it)",
    )

    def key(self, option: Option) -> str:
        """How the winners and `missing` name the side `option` is."""
        return key_of(option, self.at_counts)


def _side(mine: list[Option], fixed: bool) -> tuple[Option | None, Option | None]:
    """The side to show, and a cluster of it that would work where the side does not: the box
    itself, as one unit, whenever one holds the model (a cluster is what it takes, said
    beside it); the fewest units that work when one does not hold it."""
    if fixed:
        return (max(mine, key=lambda o: o.rank_key()) if mine else None), None
    holds = [o for o in mine if o.fits or o.needs_raise]
    working = [o for o in mine if o.working]
    fewest = max(working, key=lambda o: (-o.units, o.rank_key()[1:]), default=None)
    # one H200 holds Qwen3 235B only at 3 bits, a proof of concept: two run it well
    in_use = [o for o in working if usable(o.verdict)]
    fewest_usable = max(in_use, key=lambda o: (-o.units, o.rank_key()[1:]), default=None)
    one = [o for o in holds if o.units == 1]
    if one:
        side = max(one, key=lambda o: o.rank_key())
        if not side.working:
            return side, fewest
        if usable(side.verdict) or fewest_usable is None or fewest_usable.units < 2:
            return side, None
        return side, fewest_usable
    if fewest is not None:
        return fewest, None
    return (max(holds, key=lambda o: (-o.units, o.rank_key()[1:])) if holds else None), None


def _winners(
    sides: list[Option], key: Callable[[Option], str], serving: dict[str, Option]
) -> Winners:
    """The side (by `key`) best at each use; serving is judged on `serving` (see
    `Comparison.serving`) unless the sides serve a team already."""
    working = [o for o in sides if o.working]

    def served(o: Option) -> float | None:
        if o.concurrency > 1:  # serving is the team's own total then
            return o.decode_tok_s_aggregate
        best_way = serving.get(key(o))
        return best_way.decode_tok_s_aggregate if best_way else None

    def reads(figure: str) -> Callable[[Option], float | None]:
        return lambda o: getattr(o, figure)

    def best(figure: Callable[[Option], float | None]) -> str | None:
        """The side best at `figure`; None when no side has it (8 users fit on neither)."""
        top = max(working, key=lambda o: figure(o) or 0.0, default=None)
        return key(top) if top is not None and (figure(top) or 0.0) > 0 else None

    def even(figure: Callable[[Option], float | None]) -> bool:
        values = sorted((figure(o) or 0.0 for o in working), reverse=True)
        return len(values) > 1 and values[0] > 0 and values[1] >= values[0] * (1 - TIE)

    priced = [o for o in working if o.price is not None]
    uses = {
        "chat": reads("decode_tok_s_conversation"),  # what the verdict judges: a chat slows
        "long_prompts": reads("prefill_tok_s"),
        "serving": served,
        "price": reads("tok_s_per_1000"),
    }
    holders = [o for o in working if (served(o) or 0.0) > 0]
    alone = len(holders) == 1 and len(working) > 1
    return Winners(
        chat=best(uses["chat"]),
        long_prompts=best(uses["long_prompts"]),
        serving=None if alone else best(uses["serving"]),
        serving_alone=key(holders[0]) if alone else None,
        price=best(uses["price"]) if len(priced) > 1 else None,
        owning=_cheapest_to_own(priced, key),
        even=[use for use, figure in uses.items() if even(figure)],
        unpriced=[key(o) for o in working if o.price is None],
    )


def _cheapest_to_own(priced: list[Option], key: Callable[[Option], str]) -> str | None:
    """The side cheapest over the years with its electricity, of two or more priced."""
    owned = [o for o in priced if o.owning_cost is not None]
    if len(owned) < 2:
        return None
    return key(min(owned, key=lambda o: (o.owning_cost or 0.0, o.hardware, o.units)))


def compare(
    advisor: Advisor, query: RecommendQuery, units: Sequence[int | None] = ()
) -> Comparison:
    """The best way to run the model on each named box, and a winner per use. `units[i]`
    fixes how many of `query.hardware[i]` its side has ("two 3090s or one 4090"; "one DGX
    Spark or two" names the same box twice); otherwise one box when it holds the model, else
    the fewest that work. An engine asked for runs each side it can run on; the others keep
    their platform's usual engine (`own_engine`)."""
    catalog = advisor.catalog
    if not query.hardware or len(query.hardware) < 2:
        raise InvalidInput("name at least two boxes to compare")
    model = catalog.models.get(query.model)
    specs, twice = _side_specs(advisor, query.hardware, units)
    ids = list(dict.fromkeys(h for h, _ in specs))
    fixed = [n for _, n in specs if n is not None]
    wider = max([query.most_units(), *fixed])
    own_engine = [h for h in ids if not engine_runs_on(advisor, query, h)]  # vLLM on a Mac
    options: list[Option] = []
    for group, asked in (
        ([i for i in ids if i not in own_engine], query),
        (own_engine, on_usual_engine(query)),
    ):
        if group:
            wide = asked.model_copy(update={"hardware": tuple(group), "max_units": wider})
            options += evaluate_options(advisor, wide, keep_clusters=bool(fixed))
    sides: list[Option] = []
    missing: list[str] = []
    clusters: list[Option] = []
    grown: list[str] = []
    for hardware_id, count in specs:
        mine = [o for o in options if o.hardware == hardware_id]
        if count is not None:
            mine = [o for o in mine if o.units == count]
        side, cluster = _side(mine, count is not None)
        if side is None:
            missing.append(side_key(hardware_id, count if hardware_id in twice else None))
        else:
            sides.append(side)
            if side.units > 1 and count is None:
                grown.append(hardware_id)
        if cluster is not None:
            clusters.append(cluster)
    team = query.concurrency > 1  # its sides are set up for it already
    serving = {} if team else _served_best(advisor, query, sides, own_engine, twice)
    return Comparison(
        query=query,
        model_name=model.name,
        sides=sides,
        missing=missing,
        missing_for_team=_held_by_one_user(advisor, query, missing, wider),
        own_engine=own_engine,
        grown=grown,
        winners=_winners(sides, lambda o: key_of(o, twice), serving),
        clusters=clusters,
        at_counts=twice,
        serving=serving,
    )


def _served_best(
    advisor: Advisor,
    query: RecommendQuery,
    sides: list[Option],
    own_engine: list[str],
    at_counts: Sequence[str],
) -> dict[str, Option]:
    """Side key -> the best way to serve `SERVING_BATCH` users on its boxes, for each working
    side whose boxes hold their contexts, found as `estimate --concurrency` finds it: the side's
    engine and format are what one user is served fastest with, not always what batches best
    (MLX on a Mac, llama.cpp on a Spark against vLLM)."""
    found: dict[str, Option] = {}
    for side in sides:
        if not side.working:
            continue
        asked = on_usual_engine(query) if side.hardware in own_engine else query
        team = asked.model_copy(update={"concurrency": SERVING_BATCH})
        hardware = advisor.catalog.hardware.get(side.hardware)
        best_way = option_on(advisor, team, hardware, side.units)
        if best_way is not None and best_way.decode_tok_s_aggregate is not None:
            found[key_of(side, at_counts)] = best_way
    return found


def side_key(hardware_id: str, units: int | None) -> str:
    """How a comparison names a side: the box's id, or "2x dgx-spark" where the same box is
    compared at two counts (`units` given only then)."""
    return hardware_id if units is None else f"{units}x {hardware_id}"


def key_of(option: Option, at_counts: Sequence[str]) -> str:
    """The side key of `option` in a comparison that weighs the boxes `at_counts` at two
    counts."""
    return side_key(option.hardware, option.units if option.hardware in at_counts else None)


def parse_side_key(key: str) -> tuple[str, int]:
    """The box and count a side key names ("2x dgx-spark": two; "dgx-spark": one)."""
    count, _, hardware_id = key.partition("x ")
    return (hardware_id, int(count)) if hardware_id and count.isdigit() else (key, 1)


def _side_specs(
    advisor: Advisor, hardware: Sequence[str], units: Sequence[int | None]
) -> tuple[list[tuple[str, int | None]], list[str]]:
    """(box id, fixed count or None) per side, each once, and the boxes named at two counts,
    which are compared at both (one named without a count stands for one of it then)."""
    ids = [advisor.catalog.hardware.get(h).id for h in hardware]
    counts = [*units, *([None] * len(ids))][: len(ids)]
    specs = list(dict.fromkeys(zip(ids, counts, strict=True)))
    twice = [h for h in dict.fromkeys(ids) if sum(1 for i, _ in specs if i == h) > 1]
    if twice:
        specs = list(dict.fromkeys((h, 1 if n is None and h in twice else n) for h, n in specs))
    if len(specs) < 2:
        raise InvalidInput(f"name at least two different boxes to compare (got only {ids[0]})")
    return specs, twice


def engine_runs_on(advisor: Advisor, query: RecommendQuery, hardware_id: str) -> bool:
    """Whether the engine the query asks for (if any) runs on this box's platform."""
    catalog = advisor.catalog
    return query.engine is None or catalog.engines.get(query.engine).runs_on(
        catalog.hardware.get(hardware_id)
    )


def per_engine(
    advisor: Advisor, query: RecommendQuery, engines: list[str], units: int = 1
) -> list[tuple[str, Option | None]]:
    """The query's model on its one named box (or `units` of it) with each of `engines` pinned:
    None for one that does not run there or builds no setup for it ("llama.cpp or vLLM?")."""
    if not query.hardware:
        return [(engine, None) for engine in engines]
    hardware = advisor.catalog.hardware.get(query.hardware[0])
    found: list[tuple[str, Option | None]] = []
    for engine in engines:
        pinned = query.model_copy(update={"engine": engine})
        runs = engine_runs_on(advisor, pinned, hardware.id)
        found.append((engine, option_on(advisor, pinned, hardware, units) if runs else None))
    return found


def per_format(
    advisor: Advisor, query: RecommendQuery, formats: list[str], units: int = 1
) -> list[tuple[str, Option | None]]:
    """The query's model on its one named box (or `units` of it) in each of `formats`, named or
    by bits as the query asked ("4位和8位差多少？", "q4_k_m vs iq4_xs"); None where no setup is
    built."""
    if not query.hardware:
        return [(fmt, None) for fmt in formats]
    hardware = advisor.catalog.hardware.get(query.hardware[0])
    asked = [query.model_copy(update={"quants": (fmt,)}) for fmt in formats]
    return [(q.quants[0], option_on(advisor, q, hardware, units)) for q in asked if q.quants]


def best_per_format(
    advisor: Advisor, query: RecommendQuery, formats: list[str]
) -> list[tuple[str, Option | None]]:
    """ "Q4 or Q8?" with no box named: what the query would recommend in each of `formats`
    alone (its best pick, else the cheapest that runs it over the budget); None where nothing
    runs the model in that format."""
    found: list[tuple[str, Option | None]] = []
    for fmt in formats:
        alone = recommend(advisor, query.model_copy(update={"quants": (fmt,)}))
        found.append((fmt, alone.picks.best or alone.cheapest_working))
    return found


def on_usual_engine(query: RecommendQuery) -> RecommendQuery:
    """The query with no engine, split or link asked for: each box on its usual ones."""
    return query.model_copy(update={"engine": None, "split": None, "link": None})


def _held_by_one_user(
    advisor: Advisor, query: RecommendQuery, missing: list[str], units: int
) -> list[str]:
    """Of the boxes that cannot hold a team's contexts, those that hold the model for one."""
    if query.concurrency == 1 or not missing:
        return []
    alone = on_usual_engine(query).model_copy(update={"concurrency": 1})
    held = []
    for side in missing:
        hardware_id, count = parse_side_key(side)
        hardware = advisor.catalog.hardware.get(hardware_id)
        most = count if side != hardware_id else units
        option = option_on(advisor, alone, hardware, min(most, hardware.max_units))
        if option is not None and (option.fits or option.needs_raise):
            held.append(side)
    return held


# --- one box: can it run the model, what would it take, what else could -----------------------


class WhatItTakes(BaseModel):
    """When a model does not fit a box, the changes that make it fit, cheapest first: a lighter
    format still at 4 bits or more, a shorter context, more units; below 4 bits only when
    nothing at 4 bits or more fits one unit. `kv_cache` is the setup tried with the engine's
    smaller KV cache type (q8_0 in llama.cpp, fp8 in vLLM)."""

    model_config = ConfigDict(defer_build=True)  # built when this kind of answer is given

    format: Option | None = None
    context: Option | None = None
    kv_cache: Option | None = None
    kv_cache_type: str | None = None
    units: Option | None = None
    lighter: Option | None = None
    users: Option | None = None  # the most of the users asked for that it serves usably
    elsewhere: Option | None = Field(
        default=None,
        description="when nothing on this box makes it work, or only more of it at no known "
        "price: the cheapest priced box or pair that runs the model at the speed bar",
    )


class LongestContext(BaseModel):
    """The longest context a box holds the model with, in the format it runs it in: as the
    engine keeps its KV cache, and with the engine's smaller KV cache type (q8_0 in llama.cpp,
    fp8 in vLLM) when that holds more; to the nearest `CONTEXT_STEP` tokens."""

    model_config = ConfigDict(defer_build=True)  # built when this kind of answer is given

    option: Option | None = Field(description="at the longest context held; None if none is")
    kv_cache: Option | None = Field(
        default=None, description="the same with the smaller KV cache type, when it holds more"
    )
    kv_cache_type: str | None = None
    model_limit: int = Field(description="the longest context the model itself takes")
    model_window: int = Field(description="its window as released, before RoPE scaling")


class CanRun(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built when this kind of answer is given

    option: Option
    takes: WhatItTakes | None
    others: list[Option]
    most_users: Option | None = Field(
        default=None,
        description="when asked how many users the box serves: the most served at once, each at "
        "the speed bar or faster (None when not asked, or when not even one is)",
    )
    users_searched: int = Field(
        default=0, description="the most users tried: `most_users` at this count means at least"
    )
    longest_context: LongestContext | None = Field(
        default=None, description="when asked: the longest context the box holds the model with"
    )
    fewer_as_fast: Option | None = Field(
        default=None,
        description="the fewest units of the box that run it as fast (within 5%) or faster, "
        "when fewer than asked do: the rest add memory, not speed",
    )
    fewer_is_faster: bool = Field(
        default=False,
        description="`fewer_as_fast` is clearly faster (a tensor split the count "
        "asked cannot share), not just as fast",
    )
    close_engine: Option | None = Field(
        default=None,
        description="another engine the chooser weighed on this box, estimated faster than the "
        "one shown by less than it takes to leave the platform's usual engine (15%): said, as "
        "estimates this close cannot tell them apart",
    )
    faster_at_its_bits: Option | None = Field(
        default=None,
        description="when the format was named and runs as named: another engine's format of "
        "its bits on the same units, when clearly faster (vLLM's INT4 beside a Q4_K_M GGUF)",
    )
    fewer_in_budget: Option | None = Field(
        default=None,
        description="when the units asked are over the budget: the most fewer of them within "
        "it that run the model as the buyer asked (two Macs at $10,998 for an $8,000 budget, "
        "one at $5,499 runs it comfortably too)",
    )


def _fewer_as_fast(
    advisor: Advisor, query: RecommendQuery, hardware: Hardware, units: int, option: Option
) -> Option | None:
    """Fewer units of `hardware` than `units` that run the model as fast as `option` does on
    `units` (within `SAME_SPEED`) or faster over a conversation, as the verdict judges it
    (one box quicker on an empty context may slow more as five users' contexts fill), at as
    many bits (3 cards cannot split 64 heads; 2
    can): the fastest of them when it is clearly faster (2 Sparks split by tensor beside 3 split
    by layer), else the fewest."""
    if units < 2 or not option.working:
        return None
    found = [
        fewer
        for count in range(1, units)
        if (fewer := option_on(advisor, query, hardware, count)) is not None
        and fewer.working
        and fewer.nominal_bits >= option.nominal_bits
        and fewer.conversation_answer_tok_s >= option.conversation_answer_tok_s * (1 - SAME_SPEED)
    ]
    fastest = max(found, key=lambda o: (o.conversation_answer_tok_s, -o.units), default=None)
    clearly = option.conversation_answer_tok_s * CLEARLY_FASTER
    if fastest is not None and fastest.conversation_answer_tok_s >= clearly:
        return fastest
    return found[0] if found else None


def _fewer_in_budget(
    advisor: Advisor, query: RecommendQuery, hardware: Hardware, units: int, option: Option
) -> Option | None:
    """The most units fewer than `units` that are within the budget and meet the bar, when
    `units` of the box are over it."""
    if units < 2 or query.budget is None or option.in_budget:
        return None
    for count in range(units - 1, 0, -1):
        fewer = option_on(advisor, query, hardware, count)
        if fewer is not None and fewer.in_budget and fewer.meets_bar:
            return fewer
    return None


def _close_engine(
    advisor: Advisor, query: RecommendQuery, hardware: Hardware, units: int, option: Option
) -> Option | None:
    """The fastest other engine the chooser weighed for `option`'s box, when it is estimated
    more than `SAME_SPEED` faster over a conversation yet was not chosen (a Spark's one user on
    llama.cpp at 11.5 tok/s, vLLM at 12.4, which two users are then shown on)."""
    if query.engine or query.quants or not option.working:
        return None  # an engine or a format asked: what was asked is shown
    weighed = engines_for(advisor.catalog, hardware, weighs_serving(query.workload()), units)
    others = per_engine(advisor, query, [e.id for e in weighed if e.id != option.engine], units)
    found = [
        other
        for _, other in others
        if other is not None
        and other.working
        and VERDICTS.index(other.verdict) >= VERDICTS.index(option.verdict)
    ]
    best = max(found, key=lambda o: o.conversation_answer_tok_s, default=None)
    if best is None:
        return None
    gain = min(
        best.conversation_answer_tok_s / option.conversation_answer_tok_s,
        (best.decode_tok_s or 0.0) / (option.decode_tok_s or 1.0),
    )
    return best if 1 + SAME_SPEED < gain < DEPARTURE_GAIN else None


def _faster_at_its_bits(
    advisor: Advisor, query: RecommendQuery, hardware: Hardware, units: int, option: Option
) -> Option | None:
    """For a format named and run as named: the best setup of its bits alone on the same
    units, when that is another format and clearly faster (`CLEARLY_FASTER`) as a user feels
    it."""
    if not query.quant_as_named or not option.working:
        return None
    found = option_on(advisor, query.model_copy(update=_BITS_ALONE), hardware, units)
    if found is None or found.quant == option.quant or not found.working:
        return None
    return found if found.answer_tok_s >= option.answer_tok_s * CLEARLY_FASTER else None


def what_it_takes(
    advisor: Advisor, query: RecommendQuery, hardware: Hardware, units: int, tried: Option
) -> WhatItTakes:
    """What makes the model run usably on `hardware` when `tried` (the query as asked on
    `units` of it) does not."""
    takes = WhatItTakes(
        format=_lighter_format(advisor, query, hardware, units, tried),
        context=_shorter_context(advisor, query, hardware, units, tried),
        kv_cache=_quantized_kv(advisor, query, hardware, units, tried),
        users=_fewer_users(advisor, query, hardware, units),
    )
    if takes.kv_cache is not None:
        takes.kv_cache_type = advisor.catalog.engines.get(tried.engine).quantized_kv
    takes.units = _fewest_working(advisor, query, hardware, units + 1)
    if takes.format is None and not any(map(_four_bit_fits, (takes.context, takes.kv_cache))):
        for low_bit in ("q3_k_m", "q2_k"):
            lighter = query.model_copy(update={"quants": (low_bit,), **_BITS_ALONE})
            option = option_on(advisor, lighter, hardware, 1)
            if option is not None and option.working:
                takes.lighter = option
                break
    fixes = (takes.format, takes.context, takes.kv_cache, takes.users, takes.lighter)
    # more units with no price (a server host nobody prices) is no buy to point at alone
    unpriced_units = takes.units is not None and takes.units.price is None
    if all(fix is None for fix in fixes) and (takes.units is None or unpriced_units):
        takes.elsewhere = _cheapest_elsewhere(advisor, query, hardware)
    return takes


def _fewest_working(
    advisor: Advisor,
    query: RecommendQuery,
    hardware: Hardware,
    least: int,
    at_bar: bool = False,
) -> Option | None:
    """The fewest units of `hardware`, `least` or more, that run the model (`at_bar`: at the
    speed bar), at 4 bits or more unless a format was asked."""
    for more in range(least, hardware.max_units + 1):
        option = option_on(advisor, _host_for(query, hardware, more), hardware, more)
        if option is None or not (option.meets_bar if at_bar else option.working):
            continue
        if option.nominal_bits >= 4 or query.quants:
            return option
    return None


class FewestUnits(NamedTuple):
    """The answer to "how many do I need?": `units`, with `one` (the model on one of the box)
    to say why one is not enough."""

    units: int
    one: Option | None
    runs: bool  # `units` of it run the model
    at_bar: bool  # and at the speed bar


def fewest_units(advisor: Advisor, query: RecommendQuery) -> FewestUnits:
    """How many of the query's one box "how many do I need?" answers with: the fewest that
    meet the speed bar, else the fewest that run the model at all, else one (what it would
    take is then said of one)."""
    if not query.hardware:
        raise InvalidInput("name the box to count")
    hardware = advisor.catalog.hardware.get(query.hardware[0])
    one = option_on(advisor, query, hardware, 1)
    at_bar = _fewest_working(advisor, query, hardware, 1, at_bar=True)
    if at_bar is not None:
        return FewestUnits(at_bar.units, one, True, True)
    working = _fewest_working(advisor, query, hardware, 1)
    if working is None:
        return FewestUnits(1, one, False, False)
    return FewestUnits(working.units, one, True, False)


def _host_for(query: RecommendQuery, hardware: Hardware, units: int) -> RecommendQuery:
    """The query for `units` cards: a PC one has holds a few; beyond them the cards need a
    server host, priced (or, with no sourced build, unpriced) like one bought."""
    if query.have_host and needs_host(hardware) and units > OWNED_HOST_CARDS:
        return query.model_copy(update={"have_host": False})
    return query


def _cheapest_elsewhere(
    advisor: Advisor, query: RecommendQuery, hardware: Hardware
) -> Option | None:
    """The cheapest priced box (or pair) other than `hardware` that runs the query's model at
    the speed bar, for "if not, what's the cheapest way?" when no change to this box does."""
    everywhere = query.model_copy(update={"hardware": None, "max_units": DEFAULT_MAX_UNITS})
    options = evaluate_options(advisor, everywhere)
    return _cheapest(
        [o for o in options if o.meets_bar and o.price is not None and o.hardware != hardware.id]
    )


def _fewer_users(
    advisor: Advisor, query: RecommendQuery, hardware: Hardware, units: int
) -> Option | None:
    """The most users short of the team asked for that the box serves (each user's KV cache is
    what stops a team fitting)."""
    return _most_served(advisor, query, hardware, units, query.concurrency - 1, lambda o: o.working)


def _most_served(
    advisor: Advisor,
    query: RecommendQuery,
    hardware: Hardware,
    units: int,
    most: int,
    serves: Callable[[Option], bool],
) -> Option | None:
    """The option for the most users, up to `most`, that `serves`: a search over the count,
    as each user's KV cache and share of the box only grow with it."""

    def ask(count: int) -> RecommendQuery:
        return query.model_copy(update={"concurrency": count})

    return last_that(advisor, hardware, units, (1, most), ask, serves)


def last_that(
    advisor: Advisor,
    hardware: Hardware,
    units: int,
    bounds: tuple[int, int],
    ask: Callable[[int], RecommendQuery],
    good: Callable[[Option], bool],
) -> Option | None:
    """The option for the largest n in `bounds` (inclusive) whose question `ask(n)` gets an
    option that is `good`, when being good only gets harder as n grows (more users, a longer
    context): a binary search, each step one question judged once per context."""
    low, high = bounds
    best = None
    while low <= high:
        middle = (low + high) // 2
        option = option_on(advisor, ask(middle), hardware, units)
        if option is not None and good(option):
            best, low = option, middle + 1
        else:
            high = middle - 1
    return best


def _four_bit_fits(option: Option | None) -> bool:
    return option is not None and option.nominal_bits >= 4


def _lighter_format(
    advisor: Advisor, query: RecommendQuery, hardware: Hardware, units: int, tried: Option
) -> Option | None:
    """The heaviest format below the one tried, at 4 bits or more, that runs usably."""
    tried_bits = advisor.catalog.formats.get(tried.quant).bits
    lighter = sorted(
        (f for f in advisor.catalog.formats if f.nominal_bits >= 4 and f.bits < tried_bits),
        key=lambda f: (-f.bits, f.id),
    )
    for fmt in lighter:
        asked = query.model_copy(update={"quants": (fmt.id,), **_BITS_ALONE})
        option = option_on(advisor, asked, hardware, units)
        if option is not None and option.working:
            return option
    return None


def _quantized_kv(
    advisor: Advisor, query: RecommendQuery, hardware: Hardware, units: int, tried: Option
) -> Option | None:
    """The setup tried, with its engine's smaller KV cache type, if that runs usably."""
    kv_dtype = advisor.catalog.engines.get(tried.engine).quantized_kv
    if kv_dtype is None or query.kv_dtype != "f16":
        return None
    asked = query.model_copy(
        update={"quants": (tried.quant,), "native_only": False, "kv_dtype": kv_dtype}
    )
    option = option_on(advisor, asked, hardware, units)
    if option is None or not option.working or option.engine != tried.engine:
        return None  # another engine's figures would not be this fix
    return option


SHORTEST_CONTEXT = 4096  # below this a chat model is of little use (a few pages of text)
CONTEXT_STEP = 1024  # the longest context is told to the nearest thousand tokens or so


def _shorter_context(
    advisor: Advisor, query: RecommendQuery, hardware: Hardware, units: int, tried: Option
) -> Option | None:
    """The longest context shorter than the one asked, in steps of `CONTEXT_STEP`, that still
    holds the prompt and the answer and runs usably in the format tried (a lighter format is
    another fix): a search over the length, as memory and the conversation's pace only get
    worse with it. Halving had offered 32k where 57k runs (what "how long a context?" says)."""
    floor = max(SHORTEST_CONTEXT, (query.prompt_tokens or 0) + query.output_tokens)
    same_format = {"quants": (tried.quant,), "native_only": False}

    steps = (-(-floor // CONTEXT_STEP), (query.context_tokens - 1) // CONTEXT_STEP)

    def ask(count: int) -> RecommendQuery:
        return query.model_copy(update={"context_tokens": count * CONTEXT_STEP, **same_format})

    # usable first: a longer context only as a proof of concept is the lesser fix
    return last_that(
        advisor, hardware, units, steps, ask, lambda o: usable(o.verdict)
    ) or last_that(advisor, hardware, units, steps, ask, lambda o: o.working)


def can_run(
    advisor: Advisor,
    query: RecommendQuery,
    units: int = 1,
    count_users: bool = False,
    find_context: bool = False,
) -> CanRun:
    """The query's model on its one named box (or `units` of it), what it would take if it does
    not fit, and the same model on the boxes people compare it with; with `count_users`, the
    most users it serves at once at the speed bar (`most_users`); with `find_context`, the
    longest context it holds (`longest_context`)."""
    if not query.hardware:
        raise InvalidInput("name the box to check")
    hardware = advisor.catalog.hardware.get(query.hardware[0])
    check_work(advisor.catalog.models.get(query.model), query.workload())
    found = option_on(advisor, query, hardware, units)
    if found is None:
        candidates_for_query(advisor, query, hardware, units)  # raises why no setup is built
        raise InvalidInput(f"no setup runs {query.model} on {hardware.label}")
    option = with_measured(found)
    takes = (
        what_it_takes(advisor, query, hardware, units, option)
        if option.verdict == "wont_fit"
        else None
    )
    usual = on_usual_engine(query)  # the boxes it is compared with run their own usual engine
    others = [
        found
        for other in advisor.catalog.hardware
        if other.featured
        and other.id != hardware.id
        and (found := option_on(advisor, usual, other, 1)) is not None
    ]
    most = most_users(advisor, query, hardware, units) if count_users else None
    fewer = _fewer_as_fast(advisor, query, hardware, units, option)
    within = None if fewer else _fewer_in_budget(advisor, query, hardware, units, option)
    return CanRun(
        close_engine=_close_engine(advisor, query, hardware, units, option),
        fewer_in_budget=within,
        faster_at_its_bits=_faster_at_its_bits(advisor, query, hardware, units, option),
        fewer_as_fast=fewer,
        fewer_is_faster=fewer is not None
        and fewer.conversation_answer_tok_s > option.conversation_answer_tok_s * CLUSTER_GAIN,
        option=option,
        takes=takes,
        others=others,
        most_users=most,
        users_searched=MOST_USERS_SEARCHED if count_users else 0,
        longest_context=longest_context(advisor, query, hardware, units, option)
        if find_context
        else None,
    )


MOST_USERS_SEARCHED = 256  # a team, a department: beyond this it is a datacenter question


def most_users(
    advisor: Advisor, query: RecommendQuery, hardware: Hardware, units: int
) -> Option | None:
    """The most users `units` of `hardware` serve at once, each at the speed bar or faster and
    within the first-token wait asked (`meets_bar`), with the whole context each."""
    return _most_served(
        advisor, query, hardware, units, MOST_USERS_SEARCHED, lambda o: o.working and o.meets_bar
    )


def longest_context(
    advisor: Advisor, query: RecommendQuery, hardware: Hardware, units: int, tried: Option
) -> LongestContext:
    """The longest context `units` of `hardware` hold the model with, in any setup the query
    leaves open (the best at that length), and with that engine's smaller KV cache; none
    shorter than `SHORTEST_CONTEXT` counts. `tried`: the setup at the context asked."""
    model = advisor.catalog.models.get(query.model)
    # at 4 bits or more unless a format was asked: a longer context is no reason to squeeze
    bits = 0 if query.quants else 4
    found = LongestContext(
        option=_longest_held(advisor, query, hardware, units, model.context_limit, bits),
        model_limit=model.context_limit,
        model_window=model.max_context,
    )
    held = found.option or tried  # the smaller KV cache of the engine that holds the most
    kv_dtype = advisor.catalog.engines.get(held.engine).quantized_kv
    if kv_dtype is None or query.kv_dtype != "f16":
        return found
    smaller = query.model_copy(
        update={"kv_dtype": kv_dtype, "engine": held.engine, "quants": (held.quant,)}
    )
    kv = _longest_held(advisor, smaller, hardware, units, model.context_limit, bits)
    longest = found.option.context_tokens if found.option else 0
    if kv is not None and kv.context_tokens > longest:
        found.kv_cache, found.kv_cache_type = kv, kv_dtype
    return found


def _longest_held(
    advisor: Advisor,
    query: RecommendQuery,
    hardware: Hardware,
    units: int,
    limit: int,
    bits: int,
) -> Option | None:
    """The option at the longest context, in steps of `CONTEXT_STEP` up to `limit`, whose
    memory holds the model (once a limit is raised where it can be) at `bits` or more: the
    setup the query gets at that length, as an estimate there would give it. A search over
    the length, as the KV cache only grows with it."""

    def holds(option: Option | None) -> bool:
        return (
            option is not None
            and (option.fits or option.needs_raise)
            and (option.nominal_bits >= bits)
        )

    at_limit = query.model_copy(update={"context_tokens": limit, "prompt_tokens": None})
    whole = option_on(advisor, at_limit, hardware, units)
    if holds(whole):
        return whole  # the model's whole window, which need not be a whole number of steps

    def ask(count: int) -> RecommendQuery:
        return query.model_copy(
            update={"context_tokens": count * CONTEXT_STEP, "prompt_tokens": None}
        )

    steps = (SHORTEST_CONTEXT // CONTEXT_STEP, limit // CONTEXT_STEP)
    return last_that(advisor, hardware, units, steps, ask, holds)


# --- capacity: the largest models a box holds ---------------------------------------------------


USABLE_TOK_S = 5.0  # below this a model "fits" but is not worth running (rules: not_usable)


class CapacityRow(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built when this kind of answer is given

    option: Option
    model_name: str
    params_b: float


class Capacity(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built when this kind of answer is given

    hardware: str
    hardware_name: str
    units: int
    concurrency: int = 1
    usable_gb: float
    usable_max_gb: float
    fits: list[CapacityRow]
    largest: CapacityRow | None
    largest_usable: CapacityRow | None
    speed_bar: float = USABLE_TOK_S  # tok/s the largest_usable decodes at, at least


def capacity(
    advisor: Advisor,
    hardware_id: str,
    units: int = 1,
    context_tokens: int = DEFAULT_CONTEXT_TOKENS,
    formats: tuple[str, ...] | None = None,
    min_tok_s: float | None = None,
    currency: Currency = "USD",
    concurrency: int = 1,
) -> Capacity:
    """The catalog's models that `units` of a box hold for `concurrency` users at once (each
    with a `context_tokens` window), largest first, each at the best setup the resolver finds
    for the formats asked (the usual ones by default), priced in `currency`, and the largest
    that also decodes at `min_tok_s` for each user (5 tok/s, the not-usable line, when none is
    asked)."""
    hardware = advisor.catalog.hardware.get(hardware_id)
    check_cluster(advisor.catalog, hardware, units, None)
    rows: list[CapacityRow] = []
    for model in sorted(advisor.catalog.models, key=lambda m: (-m.params_total_b, m.id)):
        option = _capacity_option(
            advisor, hardware, units, model, (context_tokens, concurrency), formats, currency
        )
        if option is not None and option.decode_tok_s is not None:
            rows.append(
                CapacityRow(option=option, model_name=model.name, params_b=model.params_total_b)
            )
    bar = min_tok_s or USABLE_TOK_S
    usable = [r for r in rows if (r.option.decode_tok_s or 0) >= bar]
    return Capacity(
        hardware=hardware.id,
        hardware_name=hardware.name,
        units=units,
        concurrency=concurrency,
        usable_gb=hardware.usable_gb * units,
        usable_max_gb=hardware.usable_max_gb * units,
        fits=rows,
        largest=rows[0] if rows else None,
        largest_usable=usable[0] if usable else None,
        speed_bar=bar,
    )


def _capacity_option(
    advisor: Advisor,
    hardware: Hardware,
    units: int,
    model: Model,
    load: tuple[int, int],
    formats: tuple[str, ...] | None,
    currency: Currency,
) -> Option | None:
    """The best setup of `model` on the box for the load (context window, users at once)."""
    context_tokens, concurrency = load
    native = any(is_native(f) for f in formats or ())
    query = RecommendQuery(
        model=model.id,
        quants=None if native else formats,
        native_only=native,
        context_tokens=min(context_tokens, model.context_limit),
        concurrency=concurrency,
        max_units=units,
        currency=currency,
    )
    return option_on(advisor, query, hardware, units)


# --- a product line named without a memory size ------------------------------------------------


VariantFit = Literal["works", "nearest"] | None


def _squeezed(option: Option) -> bool:
    """Whether an option holds the model only in a fallback format or all but full: no room for
    a longer context. Another configuration of the line with room comes first."""
    return option.facts.fallback_format or all_but_full(option.memory)


def cheapest_variant(
    advisor: Advisor,
    query: RecommendQuery,
    hardware_id: str,
    units: int = 1,
    lines: frozenset[str] | None = None,
) -> tuple[Hardware, VariantFit]:
    """The cheapest priced configuration of `hardware_id`'s product line (or of any of `lines`:
    every Mac Studio chip when none was named) that runs the query's model usably on `units` of
    it ("a Mac Studio" for a 70B is the 96 GB one, not the 512 GB): "works". When none does,
    the cheapest of those that come nearest (the best verdict among those that hold it):
    "nearest". One sold new before one that is not at the same price; the named one when it
    has no line, the largest (None) when none holds it."""
    catalog = advisor.catalog
    named = catalog.hardware.get(hardware_id)
    if named.line is None:
        return named, None
    wanted = lines or frozenset({named.line})

    def price(box: Hardware) -> float:  # what it costs now, else what it last listed at
        return unit_price(box, query.currency) or last_list_price(box, query.currency) or 0.0

    line = sorted(
        # a configuration on pre-order and not yet priced counts too ("M5 Ultra" for R1: 512 GB),
        # and, for "the cheapest Mac Studio", one priced only used (an M1 Ultra 128GB, never
        # listed at a price of its own)
        (
            h
            for h in catalog.hardware
            if h.line in wanted
            and (
                h.price_usd is not None
                or h.availability == "preorder"
                or (query.prefer == "cheapest" and unit_price(h, query.currency) is not None)
            )
        ),
        key=lambda h: (
            unit_price(h, query.currency) is None,  # one on sale today first
            price(h),
            h.availability not in SOLD_NEW,
            h.id,
        ),
    )
    # at 4 bits or more, judged cheapest first: not a 3-bit squeeze to save $100; below 4 bits
    # only when nothing holds it at 4
    holding: list[tuple[Hardware, Option]] = []
    squeezed: Hardware | None = None  # works, but only in a fallback format or all but full
    for box in line:
        option = option_on(advisor, query, box, units)
        if option is None or option.verdict == "wont_fit":
            continue
        if option.nominal_bits >= 4 and usable(option.verdict):
            if not _squeezed(option):
                return box, "works"
            squeezed = squeezed or box
        holding.append((box, option))
    if squeezed is not None:  # "a Mac Studio" for a 70B: not the 48 GB at IQ4_XS, 39 of 40 GB
        return squeezed, "works"
    four_bit = [pair for pair in holding if pair[1].nominal_bits >= 4] or holding
    if four_bit:
        box, option = max(four_bit, key=lambda pair: VERDICTS.index(pair[1].verdict))
        return box, "works" if usable(option.verdict) else "nearest"
    return max(line, key=lambda h: (h.memory_gb, price(h)), default=named), None
