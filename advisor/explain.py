"""Answers in words: Jinja2 templates per language, rendered in a sandbox with strict names."""

from __future__ import annotations

import re
from functools import cache, partial
from typing import TYPE_CHECKING, Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from advisor.catalog import Catalog
from advisor.numbers import duration, figure
from advisor.paths import templates_dir

if TYPE_CHECKING:
    from advisor.advice import Assessment
    from advisor.recommend import Comparison, Option, Recommendation

LANGUAGES = ("en", "zh")


def _money_en(amount: float | None, currency: str) -> str:
    if amount is None:
        return "price unknown"
    return f"${amount:,.0f}" if currency == "USD" else f"¥{amount:,.0f}"


def _money_zh(amount: float | None, currency: str) -> str:
    if amount is None:
        return "价格未知"
    if currency == "USD":
        return f"{amount:,.0f} 美元"
    if amount >= 10_000:
        return f"{amount / 10_000:.1f} 万元".replace(".0 万", " 万")
    return f"{amount:,.0f} 元"


@cache
def environment(lang: str) -> ImmutableSandboxedEnvironment:
    if lang not in LANGUAGES:
        raise ValueError(f"no templates for language '{lang}'")
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(templates_dir() / lang)),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["num"] = figure
    env.filters["money"] = _money_zh if lang == "zh" else _money_en
    env.filters["secs"] = partial(duration, lang=lang)
    env.filters["gb"] = lambda v: f"{v:,.0f}" if v >= 10 else f"{v:,.1f}"
    env.filters["pct"] = lambda v: f"{v * 100:.0f}%"
    env.filters["tokens"] = lambda n: f"{int(n):,}"
    return env


def template_names(lang: str) -> list[str]:
    return sorted(environment(lang).list_templates(extensions=["j2"]))


def _reason_lines(lang: str, view: dict[str, Any]) -> dict[str, list[str]]:
    env = environment(lang)
    grouped: dict[str, list[str]] = {"verdict": [], "why": [], "caveat": [], "advice": []}
    for fired in view["fired"]:
        text = (
            env.get_template(f"reasons/{fired.explain}.j2")
            .render(o=view, f=view["facts"], r=fired.figures)
            .strip()
        )
        if not text:
            continue
        group = {
            "verdict": "verdict",
            "bottleneck": "why",
            "warning": "why",
            "advice": "advice",
            "caveat": "caveat",
        }[fired.kind]
        grouped[group].append(text)
    return grouped


def option_view(catalog: Catalog, option: Option, lang: str) -> dict[str, Any]:
    hardware = catalog.hardware.get(option.hardware)
    view = option.model_dump(exclude={"reasons", "assessment"})
    view.update(
        hardware_name=hardware.name,
        short_name=hardware.label,
        family=hardware.family,
        kind=hardware.kind,
        featured=hardware.featured,
        working_view=option.working,
        availability=re.sub(r"\s*\[[^\]]*\]", "", hardware.availability or ""),
        price_date=hardware.price_date or "",
        raise_limit=hardware.raise_limit or "",
        raise_command=(hardware.raise_limit or "").split(" (")[0],
        facts=option.assessment.facts,
        fired=option.reasons,
        band=option.assessment.estimate.decode_band.model_dump(),
        engine_name=catalog.engines.get(option.engine).name,
        assumptions=option.assessment.estimate.assumptions,
        prompt_tokens=option.assessment.estimate.prompt_tokens,
        context_tokens=option.assessment.estimate.context_tokens,
        model_name=catalog.models.get(option.assessment.estimate.model).name,
    )
    view["reasons"] = _reason_lines(lang, view)
    return view


def render_recommendation(catalog: Catalog, rec: Recommendation) -> str:
    lang = rec.query.lang
    chosen = [rec.picks.best, rec.picks.cheapest, rec.picks.fastest, rec.picks.best_value]
    chosen_ids = {id(o) for o in chosen if o is not None}
    why_not = [
        o
        for o in rec.options
        if id(o) not in chosen_ids
        and not (o.working and o.in_budget)
        and o.units == 1
        and (
            (rec.query.hardware and o.hardware in rec.query.hardware)
            or catalog.hardware.get(o.hardware).featured
            or (not o.working and catalog.hardware.get(o.hardware).kind == "box")
        )
    ]
    why_not.sort(
        key=lambda o: (
            not catalog.hardware.get(o.hardware).featured,
            o.price is None,
            -(o.price or 0),
        )
    )
    # explanations are rendered only for the options the answer shows
    views: dict[int, dict[str, Any]] = {}

    def view_of(option: Option | None) -> dict[str, Any] | None:
        if option is None:
            return None
        if id(option) not in views:
            views[id(option)] = option_view(catalog, option, lang)
        return views[id(option)]

    picks = dict(
        zip(("best", "cheapest", "fastest", "best_value"), map(view_of, chosen), strict=True)
    )
    return (
        environment(lang)
        .get_template("recommend.md.j2")
        .render(
            q=rec.query.model_dump(),
            model=catalog.models.get(rec.query.model).name,
            picks=picks,
            nothing_in_budget=rec.nothing_in_budget,
            why_not=[view_of(o) for o in why_not[:3]],
            cheapest_working=view_of(rec.cheapest_working),
        )
        .strip()
        + "\n"
    )


def render_comparison(catalog: Catalog, cmp: Comparison) -> str:
    from advisor.recommend import LONG_PROMPT as long_prompt_tokens

    lang = cmp.query.lang
    sides = [option_view(catalog, o, lang) for o in cmp.sides]

    def side_name(o: Option) -> str:
        hardware = catalog.hardware.get(o.hardware)
        if o.units == 1:
            return hardware.label
        times = "×" if lang == "en" else ("张" if hardware.kind == "card" else "台")
        return f"{o.units} {times} {hardware.label}"

    names = {o.hardware: side_name(o) for o in cmp.sides}
    return (
        environment(lang)
        .get_template("compare.md.j2")
        .render(
            q=cmp.query.model_dump(),
            model=cmp.model_name,
            sides=sides,
            missing=[catalog.hardware.get(h).name for h in cmp.missing],
            long_prompt=max(cmp.query.prompt, long_prompt_tokens),
            winners={k: names.get(v) if v else None for k, v in cmp.winners.model_dump().items()},
        )
        .strip()
        + "\n"
    )


def render_assessment(
    catalog: Catalog, assessment: Assessment, lang: str, takes: dict[str, Any] | None = None
) -> str:
    """The paragraph for one estimate (what `advisor ask` says for "can X run Y"); `takes`
    says what would work instead when it does not fit."""
    from advisor.recommend import option_from

    e = assessment.estimate
    option = option_from(catalog, assessment)
    view = option_view(catalog, option, lang)
    return (
        environment(lang)
        .get_template("estimate.md.j2")
        .render(
            o=view,
            model=catalog.models.get(e.model).name,
            q={"prompt_tokens": e.prompt_tokens, "context_tokens": e.context_tokens},
            takes={
                **dict.fromkeys(("units", "units_split", "units_decode", "quant", "quant_decode")),
                **(takes or {}),
            },
        )
        .strip()
        + "\n"
    )
