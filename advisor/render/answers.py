"""Answers in words: a recommendation, a comparison, one option, a capacity list, rendered from
the core's results through typed views and the templates of one language."""

from __future__ import annotations

from collections.abc import Sequence

from advisor.catalog import Catalog
from advisor.catalog.entries import SOLD_NEW, Hardware
from advisor.judge import DEPARTURE_GAIN, Option
from advisor.recommend import (
    CLEARLY_FASTER,
    SAME_SPEED,
    SERVER_GPUS,
    SHORTEST_CONTEXT,
    CanRun,
    Capacity,
    Comparison,
    FewestUnits,
    Recommendation,
    WhatItTakes,
    parse_side_key,
)
from advisor.render.data import PICK_NAMES
from advisor.render.env import render
from advisor.render.formats import plain
from advisor.render.views import (
    OptionView,
    capacity_row_view,
    option_view,
    owned_view,
    takes_view,
)
from advisor.requests import DEFAULT_BAR_TOK_S, RecommendQuery
from advisor.rules import usable
from advisor.sizing import MemoryNeed
from advisor.upgrade import Upgrade, UpgradePath

WHY_NOT_SHOWN = 4
UPGRADE_PATHS_SHOWN = 9
UPGRADE_ADDS_SHOWN = 3  # adding to what you own is always shown, working or not


def _why_not(catalog: Catalog, rec: Recommendation, chosen: list[Option | None]) -> list[Option]:
    """The boxes a buyer would ask about that the answer does not pick: the featured ones (set
    beside the pick when they work within the budget too), the ones named, boxes that cannot
    hold the model, and where the budget buys a server the other servers first; dearest
    featured first."""
    picked = {o.hardware for o in chosen if o is not None}
    quoted = {price.hardware for price in rec.query.unit_prices}  # said under the offer

    def server(option: Option) -> bool:
        return rec.servers_weighed and catalog.hardware.get(option.hardware).kind == "datacenter"

    named = rec.query.hardware or ()
    shown = []
    servers_seen: set[str] = set()  # a server's best size stands for it (8 H100s, not 4)
    for option in rec.options:
        hardware = catalog.hardware.get(option.hardware)
        if (option.units > 1 and not server(option)) or option.hardware in picked:
            continue
        if server(option):
            if option.hardware in servers_seen:
                continue
            servers_seen.add(option.hardware)
        if option.working and option.in_budget and not (hardware.featured and rec.picks.best):
            continue
        if option.hardware in quoted:
            continue
        if (
            option.hardware in named
            or hardware.featured
            or server(option)
            or (not option.working and hardware.kind == "box")
        ):
            shown.append(option)
    shown.sort(
        key=lambda o: (
            not server(o),
            not catalog.hardware.get(o.hardware).featured,
            o.price is None,
            -(o.price or 0),
        )
    )
    return shown[:WHY_NOT_SHOWN]


def _quoted(rec: Recommendation, chosen: list[Option | None]) -> list[Option]:
    """The option on each box the buyer was quoted a price for, when no pick is on it: the
    fewest units that work (one box quoted is not priced as two), else the best there is."""
    on_picks = {o.hardware for o in chosen if o is not None}
    quoted = {price.hardware for price in rec.query.unit_prices} - on_picks
    found: list[Option] = []
    for hardware in sorted(quoted):
        on_it = [o for o in rec.options if o.hardware == hardware]  # best first
        working = sorted((o for o in on_it if o.working), key=lambda o: o.units)
        found.extend((working or on_it)[:1])
    return found


class OptionViews:
    """The views of the options one answer shows, each made once (its explanations rendered)
    however many places show it: a pick, a line of the table."""

    def __init__(self, catalog: Catalog, lang: str) -> None:
        self.catalog, self.lang = catalog, lang
        self._made: dict[int, tuple[Option, OptionView]] = {}  # the option keeps its id taken

    def of(self, option: Option) -> OptionView:
        found = self._made.get(id(option))
        if found is None:
            found = self._made[id(option)] = (option, option_view(self.catalog, option, self.lang))
        return found[1]


def render_recommendation(
    catalog: Catalog,
    rec: Recommendation,
    views: OptionViews | None = None,
    bits_only: bool = False,
    cheaper_than: float | None = None,
) -> str:
    """The recommendation in words (`views`: the answer's views, to share with its table;
    `bits_only`: the format was asked by its bits alone, which a stand-in of them meets;
    `cheaper_than`: "cheaper?" asked, the last pick's price, which the budget stands under)."""
    lang = rec.query.lang
    chosen = [getattr(rec.picks, name) for name in PICK_NAMES]
    # explanations are rendered only for options shown
    made = views if views and views.lang == lang else OptionViews(catalog, lang)

    def view_of(option: Option | None) -> OptionView | None:
        return made.of(option) if option is not None else None

    picks = dict(zip(PICK_NAMES, map(view_of, chosen), strict=True))
    return render(
        lang,
        "recommend.md.j2",
        q=rec.query.model_dump(),
        model=plain(rec.model_name),
        picks=picks,
        nothing_in_budget=rec.nothing_in_budget,
        why_not=[view_of(o) for o in _why_not(catalog, rec, chosen)],
        quoted=[view_of(o) for o in _quoted(rec, chosen)],
        cheapest_working=view_of(rec.cheapest_working),
        cheapest_new=view_of(rec.cheapest_new),
        quantized=view_of(rec.quantized_in_budget),
        roomiest=view_of(rec.roomiest),
        quickest=view_of(rec.quickest),
        needed_gb=rec.memory_needed_gb,
        larger=_larger_cluster(catalog, rec.larger_cluster),
        servers=rec.servers_weighed,
        server_gpus=SERVER_GPUS,
        # boxes named are weighed as named: the note is said only when nothing used was weighed
        only_new=rec.query.new_only and all(o.availability in SOLD_NEW for o in rec.options),
        bits_only=bits_only,
        cheaper_than=cheaper_than,
    )


def _larger_cluster(
    catalog: Catalog, larger: tuple[str, int] | None
) -> tuple[str, int, str] | None:
    """(the box's label, how many, its kind) of a cluster that would hold it."""
    if larger is None:
        return None
    hardware = catalog.hardware.get(larger[0])
    return plain(hardware.label), larger[1], hardware.kind


def _side_name(catalog: Catalog, option: Option, lang: str) -> str:
    return counted_name(catalog.hardware.get(option.hardware), option.units, lang)


def counted_name(hardware: Hardware, units: int, lang: str) -> str:
    """'2 × DGX Spark', '2 台 DGX Spark'; one of it is its name alone."""
    if units == 1:
        return hardware.label
    times = "×" if lang == "en" else ("张" if hardware.kind != "box" else "台")
    return f"{units} {times} {hardware.label}"


def _missing_side(catalog: Catalog, cmp: Comparison, key: str, lang: str) -> tuple[str, bool, str]:
    """(its name, whether it holds the model for one user, its kind) of a side that cannot run
    the model."""
    hardware_id, units = parse_side_key(key)
    hardware = catalog.hardware.get(hardware_id)
    return plain(counted_name(hardware, units, lang)), key in cmp.missing_for_team, hardware.kind


def render_comparison(catalog: Catalog, cmp: Comparison, bits_only: bool = False) -> str:
    lang = cmp.query.lang
    names = {cmp.key(o): plain(_side_name(catalog, o, lang)) for o in cmp.sides}
    prompt = cmp.sides[0].prompt_tokens if cmp.sides else cmp.query.workload().prompt_tokens
    return render(
        lang,
        "compare.md.j2",
        q=cmp.query.model_dump(),
        model=plain(cmp.model_name),
        sides=[option_view(catalog, o, lang) for o in cmp.sides],
        serving=[_served_view(catalog, cmp, o, lang) for o in cmp.sides],
        missing=[_missing_side(catalog, cmp, key, lang) for key in cmp.missing],
        own_engine=[plain(catalog.hardware.get(h).label) for h in cmp.own_engine],
        grown=[option_view(catalog, o, lang) for o in cmp.sides if o.hardware in cmp.grown],
        clusters=[option_view(catalog, o, lang) for o in cmp.clusters],
        prompt=prompt,
        # an engine other than the platform's usual one must be this much faster to be chosen
        departure_gain_pct=round((DEPARTURE_GAIN - 1) * 100),
        winners={
            k: names.get(v) if v else None
            for k, v in cmp.winners.model_dump(exclude={"even", "unpriced"}).items()
        },
        even=cmp.winners.even,
        unpriced=[names[h] for h in cmp.winners.unpriced],
        # a side that wins a use yet runs the model only as a proof of concept is marked so
        short_of_usable=[
            names[cmp.key(o)] for o in cmp.sides if o.working and not usable(o.verdict)
        ],
        over_budget=[
            names[cmp.key(o)]
            for o in cmp.sides
            if o.working and o.price is not None and not o.in_budget
        ],
        bits_only=bits_only,
    )


def _served_view(catalog: Catalog, cmp: Comparison, side: Option, lang: str) -> OptionView | None:
    """How `side`'s boxes serve several users at once at best (`Comparison.serving`)."""
    best_way = cmp.serving.get(cmp.key(side))
    return option_view(catalog, best_way, lang) if best_way is not None else None


def render_option(
    catalog: Catalog,
    option: Option,
    lang: str,
    takes: WhatItTakes | None = None,
    views: OptionViews | None = None,
    owned_units: int = 0,
    fewer_as_fast: Option | None = None,
    fewer_is_faster: bool = False,
    faster_at_its_bits: Option | None = None,
    bits_only: bool = False,
    fewer_in_budget: Option | None = None,
) -> str:
    """The paragraph for one option (what `advisor ask` says for "can X run Y"); `takes` says
    what would work instead when it does not fit (`views`: the answer's views, in `lang`);
    `owned_units`: how many of the box the asker has already, so more cost what they add;
    `fewer_as_fast`: fewer of the box that run it as fast (`fewer_is_faster`: clearly faster);
    `faster_at_its_bits`: another format of the bits named that runs clearly faster;
    `bits_only`: the format was asked by its bits alone, which a stand-in of them meets;
    `fewer_in_budget`: fewer of the box within the budget the units asked are over."""
    return render(
        lang,
        "estimate.md.j2",
        o=views.of(option) if views and views.lang == lang else option_view(catalog, option, lang),
        model=plain(catalog.models.get(option.model).name),
        takes=takes_view(catalog, takes, lang),
        owned=owned_view(option, owned_units, takes),
        fewer=option_view(catalog, fewer_as_fast, lang) if fewer_as_fast else None,
        fewer_is_faster=fewer_is_faster,
        faster=option_view(catalog, faster_at_its_bits, lang) if faster_at_its_bits else None,
        bits_only=bits_only,
        within=option_view(catalog, fewer_in_budget, lang) if fewer_in_budget else None,
    )


def render_fewest_units(
    catalog: Catalog, fewest: FewestUnits, query: RecommendQuery, lang: str
) -> str:
    """The answer to "how many do I need?", before the setup at that count."""
    assert query.hardware  # counted of the one box named
    hardware = catalog.hardware.get(query.hardware[0])
    return paragraph(
        render(
            lang,
            "fewest_units.md.j2",
            units=fewest.units,
            one=fewest.one,
            most=hardware.max_units,
            runs=fewest.runs,
            at_bar=fewest.at_bar,
            bar=query.min_tok_s or DEFAULT_BAR_TOK_S,
            name=plain(hardware.label),
            mw="张" if hardware.kind == "card" else "台",  # the measure word for it
            formats_asked=bool(query.quants),
            model=plain(catalog.models.get(query.model).name),
        )
    )


def render_most_users(catalog: Catalog, checked: CanRun, query: RecommendQuery, lang: str) -> str:
    """The answer to "how many users can it serve?": the most at the speed bar, or none."""
    most = checked.most_users
    return paragraph(
        render(
            lang,
            "most_users.md.j2",
            o=option_view(catalog, checked.option, lang),
            most=option_view(catalog, most, lang) if most is not None else None,
            searched=checked.users_searched,
            bar=query.min_tok_s or DEFAULT_BAR_TOK_S,
            wait=query.max_ttft_s,
            model=plain(catalog.models.get(checked.option.model).name),
        )
    )


def render_close_engine(catalog: Catalog, checked: CanRun, lang: str) -> str:
    """A line on another engine estimated a little faster than the one shown, when there is."""
    if checked.close_engine is None:
        return ""
    return paragraph(
        render(
            lang,
            "close_engine.md.j2",
            e=option_view(catalog, checked.close_engine, lang),
            o=option_view(catalog, checked.option, lang),
        )
    )


def render_longest_context(catalog: Catalog, checked: CanRun, lang: str) -> str:
    """The answer to "what context length can I fit?": the longest the box holds the model
    with, and with a smaller KV cache."""
    found = checked.longest_context
    assert found is not None  # asked for, so searched
    return paragraph(
        render(
            lang,
            "longest_context.md.j2",
            o=option_view(catalog, found.option, lang) if found.option else None,
            t=option_view(catalog, checked.option, lang),
            kv=option_view(catalog, found.kv_cache, lang) if found.kv_cache else None,
            kv_type=found.kv_cache_type,
            limit=found.model_limit,
            window=found.model_window,
            shortest=SHORTEST_CONTEXT,
            model=plain(catalog.models.get(checked.option.model).name),
        )
    )


def render_memory_needed(need: MemoryNeed, lang: str, native: bool = False) -> str:
    """The answer to "how much memory does it need?": each format's weights, KV cache and
    runtime, before any box; led by the usual 4 bits, or by its own weights when those were
    asked ('满血', `native`)."""
    lead = need.formats[0] if native else None
    return paragraph(
        render(
            lang,
            "memory_needed.md.j2",
            need=need,
            model=plain(need.model_name),
            lead=lead or next((f for f in need.formats if f.bits == 4), need.formats[-1]),
        )
    )


def render_monthly(catalog: Catalog, option: Option, lang: str) -> str:
    """The answer to "what does it cost a month?": the electricity of a year, by twelve."""
    view = option_view(catalog, option, lang)
    if view.energy_cost_year is None:
        return ""
    return paragraph(render(lang, "monthly_cost.md.j2", o=view))


def render_capacity(catalog: Catalog, cap: Capacity, lang: str) -> str:
    rows = [capacity_row_view(r) for r in cap.fits if (r.option.decode_tok_s or 0) >= cap.speed_bar]
    hardware = catalog.hardware.get(cap.hardware)
    note = hardware.price_note
    return render(
        lang,
        "capacity.md.j2",
        box=plain(hardware.name if lang == "en" else hardware.label),
        kind=hardware.kind,
        price_note=(note.zh if lang == "zh" else note.en).rstrip("。.") if note else None,
        units=cap.units,
        users=cap.concurrency,
        context=cap.fits[0].option.context_tokens if cap.fits else None,
        memory_gb=catalog.hardware.get(cap.hardware).memory_gb * cap.units,
        usable_gb=cap.usable_gb,
        usable_max_gb=cap.usable_max_gb,
        largest=capacity_row_view(cap.largest),
        largest_usable=capacity_row_view(cap.largest_usable),
        rows=rows[:5],
        bar=cap.speed_bar,
        # every row is the same box: any prices it ("how much does a Spark cost?")
        priced=option_view(catalog, cap.fits[0].option, lang) if cap.fits else None,
    )


def render_formats_weighed(
    catalog: Catalog, weighed: list[tuple[str, Option | None]], chosen: Option, lang: str
) -> str:
    """ "4位和8位差多少？": the box's speed and memory in each format asked about, and which
    of them the setup the answer then gives (`chosen`) is in."""
    rows = [(fmt, option_view(catalog, o, lang)) for fmt, o in weighed if o is not None]
    said = render(
        lang,
        "formats_weighed.md.j2",
        rows=[{"asked": fmt, "o": view} for fmt, view in rows],
        chosen=chosen.quant,
        released=_released_in(catalog, chosen.model),
    )
    return paragraph(said)


def render_formats_bought(
    catalog: Catalog,
    bought: list[tuple[str, Option | None]],
    query: RecommendQuery,
    lang: str,
) -> str:
    """ "Q4 or Q8?" with no box named: the box each format would have the asker buy, its speed
    and price, or that nothing runs the model in it."""
    views = [(fmt, option_view(catalog, o, lang) if o else None) for fmt, o in bought]
    bits = {view.nominal_bits for _, view in views if view is not None}
    said = render(
        lang,
        "formats_bought.md.j2",
        rows=[{"asked": fmt, "o": view} for fmt, view in views],
        q=query,
        by_bits=len(bits) == len(views),
        released=_released_in(catalog, query.model),
    )
    return paragraph(said)


def _released_in(catalog: Catalog, model_id: str) -> dict[str, object] | None:
    """The format a model is released in, when it is a quantized one ("gpt-oss-120b ships in
    MXFP4"): a build with more bits then adds no quality its release had."""
    model = catalog.models.get(model_id)
    native = catalog.formats.find(model.native_dtype)
    if native is None or native.nominal_bits >= 8:
        return None
    return {"model": plain(model.name), "format": native.id, "bits": native.nominal_bits}


def paragraph(text: str) -> str:
    """`text` as a paragraph of its own before what follows (a line break alone would join
    them in Markdown)."""
    return text.rstrip("\n") + "\n\n"


def render_engines_weighed(
    catalog: Catalog, weighed: list[tuple[str, Option | None]], chosen: Option, lang: str
) -> str:
    """ "llama.cpp or vLLM?": each engine asked about on the box, and how the one whose setup
    the answer then gives (`chosen`, the resolver's) compares with the others over a
    conversation, the speed verdicts judge."""

    def name(engine: str) -> str:
        return plain(catalog.engines.get(engine).name).split(" (")[0]  # "llama.cpp (CUDA / Metal)"

    views = [(name(e), option_view(catalog, o, lang)) for e, o in weighed if o is not None]
    absent = [name(e) for e, o in weighed if o is None]
    pace = chosen.decode_tok_s_conversation or chosen.decode_tok_s or 0.0
    others = [
        float(v.facts["decode_tok_s_conversation"])
        for n, v in views
        if n != name(chosen.engine) and v.decode_tok_s is not None
    ]
    lead = pace / max(others) if others and max(others) > 0 else None
    # the chooser's own margin: an engine other than the usual must be this much faster
    standing = (
        None
        if lead is None
        else "ahead"
        if lead >= DEPARTURE_GAIN
        else "even"
        if lead > 1 / DEPARTURE_GAIN
        else "behind"
    )
    return paragraph(
        render(
            lang,
            "engines_weighed.md.j2",
            rows=[{"name": n, "o": v} for n, v in views],
            absent=absent,
            chosen=name(chosen.engine),
            # llama.cpp asked, its Vulkan backend chosen on an AMD box: the one asked about
            asked=name(chosen.engine) in {name(engine) for engine, _ in weighed},
            lead=lead,
            standing=standing,
            margin_percent=round((DEPARTURE_GAIN - 1) * 100),
        )
    )


def render_upgrade(catalog: Catalog, up: Upgrade, asked_boxes: Sequence[str] = ()) -> str:
    """The owner's paths; `asked_boxes` are the boxes the question names one by one, each said
    in a line even when it is no step up ("or replace them with one 5090?")."""
    lang = up.query.lang
    have = catalog.hardware.get(up.have)
    # adding to what you own is always shown (it is what people ask about); buying another
    # box only when it is a step up, or when what you own cannot run the model, one that can
    adds = sorted((p for p in up.paths if p.kind == "add"), key=lambda p: p.added_units)
    adds = adds[:UPGRADE_ADDS_SHOWN]
    # a box the buyer named is weighed in the open even when it is no step up
    asked = [p for p in up.paths if p.kind == "buy" and p.option.hardware in asked_boxes]
    buys = asked + [
        p
        for p in up.paths
        if p.kind == "buy"
        and p not in asked
        and (p.step_up or (not up.keep.works and p.option.decode_tok_s is not None))
    ]
    shown = adds + buys[: UPGRADE_PATHS_SHOWN - len(adds)]
    more = len(up.paths) - len(shown)

    def path_view(path: UpgradePath | None) -> dict[str, object] | None:
        if path is None:
            return None
        return {
            "kind": path.kind,
            "o": option_view(catalog, path.option, lang),
            "added": path.added_units,
            "cost": path.cost,
            "works": path.works,
            "in_budget": path.in_budget,
            "step_up": path.step_up,
        }

    return render(
        lang,
        "upgrade.md.j2",
        q=up.query.model_dump(),
        model=plain(up.model_name),
        have=plain(_side_name(catalog, up.keep.option, lang)),
        have_kind=have.kind,
        keep=path_view(up.keep),
        fewer=option_view(catalog, up.fewer_owned, lang) if up.fewer_owned else None,
        have_units=up.have_units,
        paths=[path_view(p) for p in shown],
        cheapest=path_view(up.cheapest_step),
        over_budget=path_view(up.cheapest_over_budget),
        fastest=path_view(up.fastest),
        fastest_tok_s=up.fastest_tok_s,
        fastest_in_band=up.fastest_in_band,
        fastest_top_cost=up.fastest_top_cost,
        fastest_gain=up.fastest_gain,
        clearly_faster=CLEARLY_FASTER,
        asked=[path_view(p) for p in asked if not p.step_up and up.keep.works],
        keep_floor=(up.keep.option.decode_tok_s or 0.0) * (1 - SAME_SPEED),
        band_percent=round(SAME_SPEED * 100),
        more=more,
    )
