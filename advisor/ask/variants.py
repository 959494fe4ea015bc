"""A box named by its product line ("a Mac Studio", "Strix Halo") becomes the line's cheapest
configuration that runs the model usably (or comes nearest), and the answer says which."""

from __future__ import annotations

import re

from advisor.ask.names import names_a_line
from advisor.ask.parse import CHIP_TIERS, Language, ParsedQuery
from advisor.catalog.entries import Hardware
from advisor.context import Advisor
from advisor.prices import unit_price
from advisor.recommend import (
    VariantFit,
    cheapest_variant,
    engine_runs_on,
    for_sale,
    on_usual_engine,
)
from advisor.render.env import render
from advisor.render.formats import plain
from advisor.requests import Constraints, EstimateRequest, RecommendQuery, query_of_request

_WHY_PICKED = {
    "works": "the cheapest configuration named that runs the model usably",
    "nearest": "none named runs the model usably: the cheapest that comes nearest",
    None: "none named holds the model: the largest",
}


def pick_variants(
    advisor: Advisor, query: ParsedQuery, rq: RecommendQuery, lang: Language
) -> tuple[ParsedQuery, RecommendQuery, str]:
    """The query and core request with each line-named box swapped for its variant, and the note
    that says so (empty when nothing was named by line). A question about what to buy ("预算4万，
    买哪款 Mac Studio", "best Mac for it under $6000") weighs the whole line instead."""
    if not query.named_as_line:
        return query, rq, ""
    if query.intent == "recommend":
        return _within_lines(advisor, query, rq)
    if query.intent not in ("compare", "can_run"):
        return query, rq, ""
    catalog = advisor.catalog
    swaps: dict[str, str] = {}
    picks: list[dict[str, object]] = []
    chosen: list[str] = []  # what `assumed` says of each
    for hardware_id, written in query.named_as_line.items():
        if hardware_id not in query.hardware:
            continue
        units = query.units_by_hardware.get(hardware_id)
        if units is None and query.intent == "can_run":
            units = query.units
        count = 1 if units is None else units
        box, fit = variant_of_line(advisor, rq, hardware_id, written, count)
        if box.id != hardware_id and box.id in query.hardware:
            continue  # "Mac Studio vs M3 Ultra 96GB": both sides stay what was named
        swaps[hardware_id] = box.id
        chosen.append(f"{plain(box.label)} ({_WHY_PICKED[fit]})")
        picks.append(
            {
                "written": plain(written),
                "label": plain(box.label),
                "price": unit_price(box, rq.currency),
                "fit": fit,
                "other_size": _other_size(advisor, box.line, box.memory_gb),
            }
        )
    if not picks:
        return query, rq, ""
    hardware = [swaps.get(h, h) for h in query.hardware]
    units_by = {swaps.get(h, h): n for h, n in query.units_by_hardware.items()}
    by_line = {swaps.get(h, h): name for h, name in query.named_as_line.items()}
    laptops = {swaps.get(h, h): name for h, name in query.named_as_laptop.items()}
    assumed = dict(query.assumed)
    assumed["hardware"] = ", ".join(chosen)
    query = query.model_copy(
        update={
            "hardware": hardware,
            "units_by_hardware": units_by,
            "named_as_line": by_line,  # a follow-up about another model picks again
            "named_as_laptop": laptops,
            "owned": [swaps.get(h, h) for h in query.owned],
            "owned_units": {swaps.get(h, h): n for h, n in query.owned_units.items()},
            "assumed": assumed,
        }
    )
    rq = rq.model_copy(update={"hardware": tuple(hardware)})
    model = plain(catalog.models.get(rq.model).name)
    note = render(lang, "line_variant.md.j2", picks=picks, model=model, currency=rq.currency)
    return query, rq, note


def variant_of_line(
    advisor: Advisor, rq: RecommendQuery, hardware_id: str, written: str, units: int
) -> tuple[Hardware, VariantFit]:
    """The configuration a box named by its line (`written`, read as `hardware_id`) stands for
    in a question `rq` asks of `units` of it: the line's cheapest that runs the model usably;
    whatever the face it was named in."""
    lines = product_lines(advisor, hardware_id, written)
    asked = rq if engine_runs_on(advisor, rq, hardware_id) else on_usual_engine(rq)
    return cheapest_variant(advisor, asked, hardware_id, units, lines)


def line_note(advisor: Advisor, written: str, box: Hardware, model: str, fit: VariantFit) -> str:
    """What a scriptable face says (on stderr, or before a tool's answer) when a box it was
    given by its line stands for one configuration of it."""
    why = _WHY_PICKED[fit].replace("the model", plain(advisor.catalog.models.get(model).name))
    return f"'{written}' names a product line; reading it as {box.id} ({plain(box.label)}): {why}"


def request_on_line(
    advisor: Advisor, request: EstimateRequest, constraints: Constraints, written: str
) -> tuple[EstimateRequest, str]:
    """An estimate request whose box was given by its line (`written`) on the configuration a
    question naming it would get, and the note saying which (empty when it names a size)."""
    if not names_a_line(advisor.catalog, written, request.hardware):
        return request, ""
    rq = query_of_request(request, constraints)
    box, fit = variant_of_line(advisor, rq, request.hardware, written, request.units)
    note = line_note(advisor, written, box, request.model, fit)  # which, even the largest
    return request.model_copy(update={"hardware": box.id}), note


def boxes_on_lines(
    advisor: Advisor, rq: RecommendQuery, specs: list[str], counts: list[int | None]
) -> tuple[tuple[str, ...], list[str]]:
    """The boxes of a comparison (`rq.hardware`, given as `specs`), each given by its line on
    the configuration a question naming it would get (a side named with its size stays), and
    the notes saying which."""
    boxes = list(rq.hardware or ())
    notes: list[str] = []
    for index, (spec, box, count) in enumerate(zip(specs, boxes, counts, strict=True)):
        if not names_a_line(advisor.catalog, spec, box):
            continue
        chosen, fit = variant_of_line(advisor, rq, box, spec, count or 1)
        if chosen.id == box or chosen.id not in boxes:  # not a side already named
            boxes[index] = chosen.id
            notes.append(line_note(advisor, spec, chosen, rq.model, fit))
    return tuple(boxes), notes


def _within_lines(
    advisor: Advisor, query: ParsedQuery, rq: RecommendQuery
) -> tuple[ParsedQuery, RecommendQuery, str]:
    """A recommendation among every configuration of each line named, sold where the budget is
    spent (boxes named with their size stay as they are)."""
    boxes: list[str] = []
    for hardware_id in query.hardware:
        written = query.named_as_line.get(hardware_id)
        lines = None if written is None else product_lines(advisor, hardware_id, written)
        line = advisor.catalog.hardware.get(hardware_id).line
        members = [
            h.id
            for h in advisor.catalog.hardware
            if written is not None
            and (h.line in lines if lines else h.line == line)
            and for_sale(h, rq)
        ]
        boxes.extend(b for b in members or [hardware_id] if b not in boxes)
    return query, rq.model_copy(update={"hardware": tuple(boxes)}), ""


# "M3 Ultra", "m5 max": a chip named, so its line; "Mac Studio Ultra": any generation's Ultra
_GENERATION = re.compile(rf"\bm[1-9]\b|\bm[1-9](?=\s*(?:{CHIP_TIERS}))", re.I)
_TIER = re.compile(rf"\b({CHIP_TIERS})\b", re.I)


def product_lines(advisor: Advisor, hardware_id: str, written: str) -> frozenset[str] | None:
    """The product lines a Mac named without its chip's generation stands for: every Mac
    Studio's for "Mac Studio", every Ultra's for "Mac Studio Ultra", every Mac's for "Mac";
    None (the named box's line alone) otherwise."""
    if not hardware_id.startswith("mac-") or _GENERATION.search(written):
        return None
    product = "mac-studio-" if "studio" in written.lower() else "mac-"
    tier = _TIER.search(written)
    return frozenset(
        h.line
        for h in advisor.catalog.hardware
        if h.line
        and h.id.startswith(product)
        and (tier is None or h.line.endswith("-" + tier.group(1).lower()))
    )


def _other_size(advisor: Advisor, line: str | None, chosen_gb: float) -> int | None:
    """A memory size the line is also sold with, for the "name a size" hint."""
    sizes = sorted({int(h.memory_gb) for h in advisor.catalog.hardware if h.line == line})
    others = [size for size in sizes if size != int(chosen_gb)]
    return others[-1] if others else None
