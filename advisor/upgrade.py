"""I have this box; what should I add or buy for this model? Keeping it, adding units of it,
and buying another box are judged by the same core as a recommendation, then ranked by what
they cost on top of what the buyer owns. Data in, data out; the words are rendered elsewhere."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.catalog.entries import Hardware
from advisor.choose import option_on
from advisor.context import Advisor
from advisor.errors import InvalidInput
from advisor.judge import Option
from advisor.prices import host_build
from advisor.recommend import CLUSTER_GAIN, SAME_SPEED, evaluate_options
from advisor.requests import RecommendQuery

MAX_ADDED_UNITS = 3  # "add a second card" up to four of a kind: what one host or desk takes
FASTER_BY = 0.15  # a step up from a box that already works: this much faster (or more bits)

PathKind = Literal["keep", "add", "buy"]


class UpgradePath(BaseModel):
    """One way forward from what the buyer has, and what it costs on top."""

    model_config = ConfigDict(defer_build=True)  # built when this kind of answer is given

    kind: PathKind = Field(description="keep what you have, add units of it, or buy another box")
    option: Option
    added_units: int = Field(description="units bought (of the owned box for 'add')")
    cost: float | None = Field(description="what it costs on top of what is owned; None: unpriced")
    in_budget: bool
    step_up: bool = Field(
        default=False,
        description="works and, when what is owned already works, is clearly faster or has "
        "more bits per weight at much the same speed",
    )

    @property
    def works(self) -> bool:
        return self.option.working and self.option.meets_bar


class Upgrade(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built when this kind of answer is given

    query: RecommendQuery
    model_name: str
    have: str
    have_units: int
    keep: UpgradePath
    fewer_owned: Option | None = Field(
        default=None,
        description="fewer of the units owned, set up otherwise, when that runs the model "
        "clearly better than all of them (vLLM splits a model over 2 or 4 cards, not 3): free",
    )
    paths: list[UpgradePath] = Field(description="adding and buying, best first")
    cheapest_step: UpgradePath | None = Field(
        description="the least extra spend within the budget that is a step up"
    )
    cheapest_over_budget: UpgradePath | None = Field(
        description="when nothing within the budget works: the least extra spend that does"
    )
    fastest: UpgradePath | None = Field(
        description="the cheapest step up within the budget whose decode is within 5% of the "
        "fastest's (estimates that close cannot tell them apart)"
    )
    fastest_tok_s: float | None = Field(
        default=None, description="the fastest decode of any step up within the budget"
    )
    fastest_top_cost: float | None = Field(
        default=None,
        description="the extra cost of the fastest step up, when `fastest` is a cheaper one",
    )
    fastest_in_band: bool = Field(
        default=False,
        description="`fastest` is a cheaper one within 5% of the fastest, not the fastest itself",
    )
    fastest_gain: float | None = Field(
        default=None,
        description="`fastest`'s decode over `cheapest_step`'s, when they differ: under "
        "CLEARLY_FASTER (1.25) the answer says how little the extra spend buys",
    )


def upgrade(advisor: Advisor, query: RecommendQuery, have: str, have_units: int = 1) -> Upgrade:
    """Paths from `have_units` of `have` to running `query.model`: keep, add, or buy."""
    hardware = advisor.catalog.hardware.get(have)
    if have_units < 1:
        raise InvalidInput(
            f"you said you have {have_units} of {hardware.name}; say at least one "
            f"(e.g. --have {have}x1), or ask what to buy instead"
        )
    if have_units > hardware.max_units:
        raise InvalidInput(
            f"{hardware.name} is used {hardware.max_units} at most together; "
            f"you said you have {have_units}"
        )
    unbudgeted = query.model_copy(update={"budget": None})  # judged on what is added
    keep_option = option_on(advisor, unbudgeted, hardware, have_units)
    if keep_option is None:
        raise InvalidInput(f"no engine runs {query.model} on {hardware.name}")
    keep = UpgradePath(kind="keep", option=keep_option, added_units=0, cost=0.0, in_budget=True)
    found = [
        *_added(advisor, unbudgeted, keep_option),
        *_bought(advisor, unbudgeted, keep_option),
    ]
    paths = sorted((_path(*path, query.budget, keep) for path in found), key=_rank)
    steps = [p for p in paths if p.step_up and p.cost is not None]
    affordable = [p for p in steps if p.in_budget]
    ups = _steps_up(advisor, hardware, paths)
    fastest = _fastest(ups)
    cheapest_step = _cheapest(affordable)
    top_path = max(ups, key=lambda p: p.option.decode_tok_s or 0.0, default=None)
    top = top_path.option.decode_tok_s or 0.0 if top_path is not None else None
    in_band = fastest is not None and top is not None and (fastest.option.decode_tok_s or 0.0) < top
    return Upgrade(
        query=query,
        model_name=advisor.catalog.models.get(query.model).name,
        have=hardware.id,
        have_units=have_units,
        keep=keep,
        fewer_owned=_fewer_owned(advisor, unbudgeted, hardware, keep_option),
        paths=paths,
        cheapest_step=cheapest_step,
        cheapest_over_budget=None if affordable else _cheapest(steps),
        fastest=fastest,
        fastest_tok_s=top,
        fastest_in_band=in_band,
        fastest_top_cost=top_path.cost if in_band and top_path is not None else None,
        fastest_gain=_gain(fastest, cheapest_step),
    )


def _fewer_owned(
    advisor: Advisor, query: RecommendQuery, hardware: Hardware, keep: Option
) -> Option | None:
    """The best way to run the model on fewer of the units owned, when it clearly beats all of
    them: it works where they do not, or decodes `CLUSTER_GAIN` faster at a verdict as good."""
    found = [
        option
        for units in range(1, keep.units)
        if (option := option_on(advisor, query, hardware, units)) is not None and option.working
    ]
    best = max(found, key=lambda o: o.rank_key(), default=None)
    if best is None or best.rank_key() <= keep.rank_key():
        return None
    faster = (best.decode_tok_s or 0.0) >= (keep.decode_tok_s or 0.0) * CLUSTER_GAIN
    return best if not keep.working or faster else None


def _gain(fastest: UpgradePath | None, cheapest: UpgradePath | None) -> float | None:
    """How much faster `fastest` decodes than `cheapest`, when they are two paths."""
    if fastest is None or cheapest is None or fastest is cheapest:
        return None
    base = cheapest.option.decode_tok_s
    return (fastest.option.decode_tok_s or 0.0) / base if base else None


def _cheapest(paths: list[UpgradePath]) -> UpgradePath | None:
    return min(paths, key=lambda p: (p.cost or 0.0, -(p.option.decode_tok_s or 0.0)), default=None)


def _steps_up(advisor: Advisor, have: Hardware, paths: list[UpgradePath]) -> list[UpgradePath]:
    """The priced steps up within the budget; a datacenter module is no upgrade for a desk
    unless that is what the buyer has."""
    return [
        p
        for p in paths
        if p.step_up
        and p.in_budget
        and p.cost is not None
        and (have.kind == "datacenter" or _kind(advisor, p) != "datacenter")
    ]


def _fastest(fits: list[UpgradePath]) -> UpgradePath | None:
    """The fastest of `fits`, or a cheaper one within the error band of it (5%)."""
    if not fits:
        return None
    top = max(p.option.decode_tok_s or 0.0 for p in fits)
    return _cheapest([p for p in fits if (p.option.decode_tok_s or 0.0) >= top * (1 - SAME_SPEED)])


Found = tuple[PathKind, Option, int, float | None]  # kind, option, units bought, extra cost


def _added(advisor: Advisor, query: RecommendQuery, keep: Option) -> list[Found]:
    """More units of what is owned: the extra cards or boxes, and for cards the step to a
    host that holds them (what the larger setup costs less what the owned one does)."""
    hardware, have_units = advisor.catalog.hardware.get(keep.hardware), keep.units
    most = min(
        hardware.max_units,
        have_units + MAX_ADDED_UNITS,
        query.max_units or have_units + MAX_ADDED_UNITS,
    )
    paths: list[Found] = []
    for units in range(have_units + 1, most + 1):
        option = option_on(advisor, query, hardware, units)
        if option is None:
            continue
        paths.append(("add", option, units - have_units, _added_cost(hardware, option, keep)))
    return paths


def _added_cost(hardware: Hardware, option: Option, keep: Option) -> float | None:
    """What more units cost the owner: the units, and for cards the host step. Within one
    platform that is what the larger host costs over the owned one (a second card: a bigger
    supply and more RAM); a host of another platform (four cards need an EPYC board) is bought
    whole."""
    if not option.price or not keep.price:
        return None
    larger, owned = host_build(hardware, option.units), host_build(hardware, keep.units)
    if larger is None or owned is None or larger.platform == owned.platform:
        return option.price - keep.price
    assert option.price_split is not None and keep.price_split is not None  # cards with hosts
    return option.price_split.hardware - keep.price_split.hardware + option.price_split.host


def _bought(advisor: Advisor, query: RecommendQuery, keep: Option) -> list[Found]:
    """The best way to run it on each other box (one unit or a cluster), bought outright; new
    cards go into the host the owner has, so only a larger host's extra is counted."""
    owned_host = keep.price_split.host if keep.price_split else 0.0
    best: dict[str, Option] = {}
    for option in evaluate_options(advisor, query):
        if option.hardware != keep.hardware and option.hardware not in best:
            best[option.hardware] = option  # evaluate_options lists best first
    named_singles = [  # a box the buyer named, one of it, is an answer even if two do better
        option_on(advisor, query, advisor.catalog.hardware.get(hardware_id), 1)
        for hardware_id in query.hardware or ()
        if hardware_id != keep.hardware and hardware_id in best and best[hardware_id].units > 1
    ]
    found: list[Found] = []
    for option in [*best.values(), *filter(None, named_singles)]:
        host = option.price_split.host if option.price_split else 0.0
        cost = option.price - min(host, owned_host) if option.price is not None else None
        found.append(("buy", option, option.units, cost))
    return found


def _beats(path: UpgradePath, keep: UpgradePath) -> bool:
    """A step up from what is owned: anything that works when that does not; else clearly
    faster, or more bits per weight (3-bit to 4-bit) at much the same speed."""
    if not keep.works:
        return True
    speed, owned = path.option.decode_tok_s or 0.0, keep.option.decode_tok_s or 0.0
    more_bits = path.option.nominal_bits > keep.option.nominal_bits and speed >= owned * (
        1 - FASTER_BY
    )
    return speed > owned * (1 + FASTER_BY) or more_bits


def _kind(advisor: Advisor, path: UpgradePath) -> str:
    return advisor.catalog.hardware.get(path.option.hardware).kind


def _path(
    kind: PathKind,
    option: Option,
    added: int,
    cost: float | None,
    budget: float | None,
    keep: UpgradePath,
) -> UpgradePath:
    path = UpgradePath(
        kind=kind,
        option=option,
        added_units=added,
        cost=cost,
        in_budget=budget is None or (cost is not None and cost <= budget),
    )
    return path.model_copy(update={"step_up": path.works and _beats(path, keep)})


def _rank(path: UpgradePath) -> tuple[float, ...]:
    """The steps up within the budget first, then what works at all, each by the least extra
    spend, then speed."""
    option = path.option
    return (
        -float(path.step_up and path.in_budget),
        -float(path.works),
        path.cost if path.cost is not None else float("inf"),
        -(option.decode_tok_s or 0.0),
    )
