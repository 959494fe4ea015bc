"""Answer a parsed question with the same core calls as every other face: the setup resolver,
the judge, recommend/compare/capacity, and the same renderers."""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from advisor.ask.parse import (
    CURRENCY_FROM_LANGUAGE,
    Clarification,
    GenericSpec,
    Language,
    ParsedQuery,
    currency_from_language,
    currency_of,
    tokenizer_of,
    tokens_per_character,
)
from advisor.ask.variants import pick_variants, product_lines
from advisor.catalog import Catalog
from advisor.catalog.entries import Model
from advisor.context import Advisor
from advisor.errors import AdvisorError, ErrorCode, InvalidInput, error_code, printable
from advisor.judge import Option
from advisor.recommend import (
    Recommendation,
    best_per_format,
    can_run,
    capacity,
    compare,
    engine_runs_on,
    fewest_units,
    for_sale,
    on_usual_engine,
    per_engine,
    per_format,
    recommend,
)
from advisor.render.answers import (
    OptionViews,
    paragraph,
    render_capacity,
    render_close_engine,
    render_comparison,
    render_engines_weighed,
    render_fewest_units,
    render_formats_bought,
    render_formats_weighed,
    render_longest_context,
    render_memory_needed,
    render_monthly,
    render_most_users,
    render_option,
    render_recommendation,
    render_upgrade,
)
from advisor.render.data import (
    can_run_data,
    comparison_data,
    recommendation_data,
    upgrade_data,
)
from advisor.render.env import render
from advisor.render.formats import plain
from advisor.render.views import option_view
from advisor.requests import (
    DEFAULT_CONTEXT_TOKENS,
    DEFAULT_MAX_UNITS,
    DEFAULT_OUTPUT_TOKENS,
    RecommendQuery,
    UnitPrice,
    context_holding,
    is_native,
)
from advisor.rules import usable
from advisor.setups import check_context, default_context_for
from advisor.sizing import memory_needed
from advisor.upgrade import upgrade

MAX_ROWS = 12
OPTIONS_IN_JSON = 8
_SLOT_WORDS = {
    "en": {
        "context_tokens": "the context",
        "prompt_tokens": "the prompt",
        "budget": "the budget",
        "min_tok_s": "the speed asked for",
        "max_ttft_s": "the first-token wait asked for",
        "concurrency": "the number of users",
        "max_units": "the number of boxes",
        "kwh_price": "the electricity price per kWh",
        "hours_per_day": "the hours a day",
    },
    "zh": {
        "context_tokens": "上下文",
        "prompt_tokens": "提示词",
        "budget": "预算",
        "min_tok_s": "速度要求",
        "max_ttft_s": "首字延迟要求",
        "concurrency": "同时使用的人数",
        "max_units": "机器台数",
        "kwh_price": "每度电的电价",
        "hours_per_day": "每天使用的小时数",
    },
}
_OTHER_CURRENCY = {
    "en": "I price in US dollars, yuan and euros only, and {} is in none of them; ask again "
    "with the amount in one of them",
    "zh": "我只按美元、人民币和欧元计价，“{}”不在其中；请换成其中一种再问",
}
_BOUND_WORDS = {
    "en": {
        "greater_than": "must be more than {gt:g}",
        "greater_than_equal": "must be at least {ge:g}",
        "less_than_equal": "can be at most {le:,.0f}",
    },
    "zh": {
        "greater_than": "必须大于 {gt:g}",
        "greater_than_equal": "至少为 {ge:g}",
        "less_than_equal": "最多为 {le:,.0f}",
    },
}


def _slot_problem(error: Any, lang: Language) -> str:
    """One out-of-range slot, in the answer's language."""
    field = str(error["loc"][0]) if error["loc"] else ""
    words = _SLOT_WORDS[lang].get(field, field or ("input" if lang == "en" else "输入"))
    bound = _BOUND_WORDS[lang].get(error["type"])
    said = (
        bound.format(**error.get("ctx", {}))
        if bound
        else str(error["msg"]).removeprefix("Value error, ").lower()
    )
    if bound:  # "the context must be at least 1", "上下文至少为 1"
        return f"{words}{'' if lang == 'zh' else ' '}{said}"
    return f"{words}{'：' if lang == 'zh' else ': '}{said}"


_EXAMPLE_MODELS = ["deepseek-r1", "qwen3-32b", "llama-3.3-70b", "gpt-oss-120b"]


class TableRow(BaseModel):
    """One candidate as the app's comparison table and chart show it: its option's figures,
    repeated exactly."""

    label: str
    hardware: str | None
    units: int
    quant: str
    fits: Literal["yes", "raise", "no"]
    decode_tok_s: float | None
    decode_tok_s_conversation: float | None  # averaged over a conversation: what `verdict` judges
    ttft_s: float | None
    prompt_tokens: int
    users: int  # sharing the box at once: decode_tok_s is each one's, tok_s_per_1000 the total's
    price: float | None
    currency: str
    tok_s_per_1000: float | None
    owning_cost: float | None
    verdict: str
    explanation: str


class AskError(BaseModel):
    """Why a question was refused: its kind, as the CLI's errors name it, and the answer's
    words."""

    code: ErrorCode
    message: str


class AskResult(BaseModel):
    query: ParsedQuery
    result: dict[str, Any] | None = None
    rows: list[TableRow] = Field(default_factory=list)
    answer: str
    error: AskError | None = None  # set when the question was refused rather than answered


def table_row(
    catalog: Catalog,
    option: Option,
    lang: str,
    views: OptionViews | None = None,
    bits_only: bool = False,
) -> TableRow:
    hardware = catalog.hardware.get(option.hardware)
    return TableRow(
        label=(f"{option.units} × " if option.units > 1 else "") + hardware.label,
        hardware=hardware.id,
        units=option.units,
        quant=option.quant,
        fits="yes" if option.fits else ("raise" if option.needs_raise else "no"),
        decode_tok_s=option.decode_tok_s,
        decode_tok_s_conversation=option.decode_tok_s_conversation,
        ttft_s=option.ttft_s,
        prompt_tokens=option.prompt_tokens,
        users=option.concurrency,
        price=option.price,
        currency=option.currency,
        tok_s_per_1000=option.tok_s_per_1000,
        owning_cost=option.owning_cost,
        verdict=option.verdict,
        explanation=render_option(catalog, option, lang, views=views, bits_only=bits_only),
    )


def _rows(
    catalog: Catalog,
    options: list[Option],
    lang: str,
    views: OptionViews | None = None,
    bits_only: bool = False,
) -> list[TableRow]:
    return [table_row(catalog, o, lang, views, bits_only) for o in options[:MAX_ROWS]]


def _bits_only(query: ParsedQuery) -> bool:
    """Whether the format was asked by its bits alone ("4-bit", not "Q4_K_M"): any engine's
    format of them meets it, so a stand-in for the id it was read as is not said."""
    return query.quant is not None and not is_native(query.quant) and not query.quant_as_named


# How much nearer in size (as a log ratio, ~10%) a lesser-known model must be to stand in for a
# bare size before one people ask for by name: "14B" is Qwen3-14B, not Phi-3-medium's 13.96B
_NOT_FEATURED = 0.1
# How much nearer in size (a log ratio: 0.5 is ~1.65x) a model of the other kind must be to stand
# in: a bare "70B" is a dense model, "235B" or "671B" a mixture of experts (no open dense model
# is larger than 405B, so a whole 1.0 had read "a 1 trillion parameter model" as Llama 3.1 405B)
_OTHER_KIND = 0.5


def nearest_model(catalog: Catalog, spec: GenericSpec) -> Model:
    """The catalog model closest in size (and in MoE-ness) to a bare size, a featured one
    first among those about as close."""

    def distance(model: Model) -> float:
        total = abs(math.log(model.params_total_b / spec.params_b))
        known = 0.0 if model.featured else _NOT_FEATURED
        if spec.active_b is None:
            return total + known + (_OTHER_KIND if model.is_moe else 0.0)
        active = abs(math.log(model.params_active_b / spec.active_b))
        return total + active + known + (0.0 if model.is_moe else _OTHER_KIND)

    return min(catalog.models, key=lambda m: (distance(m), m.id))


def _model_id(catalog: Catalog, query: ParsedQuery) -> tuple[str | None, str | None]:
    """(model id, the name of a stand-in for a bare size)."""
    if query.model:
        return query.model, None
    if query.generic:
        stand_in = nearest_model(catalog, query.generic)
        return stand_in.id, stand_in.name
    return None, None


def _clarify(catalog: Catalog, query: ParsedQuery, lang: str) -> AskResult:
    clarify = query.clarify or Clarification(slot="model", choices=[])
    names = [plain(catalog.models.get(c).name) for c in clarify.choices if catalog.models.find(c)]
    boxes = [
        plain(catalog.hardware.get(c).label) for c in clarify.choices if catalog.hardware.find(c)
    ]
    text = render(
        lang,
        "clarify.md.j2",
        slot=clarify.slot,
        choices=names,
        ids=clarify.choices,
        unknown=plain(clarify.unknown) if clarify.unknown else None,
        hub_repo=plain(clarify.hub_repo) if clarify.hub_repo else None,
        hw_choices=boxes,
        typo=clarify.typo,
        several=clarify.several,
    )
    # a name the catalog lacks is refused like the other commands refuse it; a choice among
    # names it has ("which Llama?") is a question back, not an error
    if clarify.unknown:
        return _declined(query, text, "unknown_name")
    return AskResult(query=query, answer=text)


def _with_assumptions(query: ParsedQuery, model_note: str | None) -> ParsedQuery:
    assumed = dict(query.assumed)
    if model_note:
        assumed["model"] = f"closest catalog model to the size asked: {model_note}"
    if query.context_tokens is None:
        assumed["context_tokens"] = str(DEFAULT_CONTEXT_TOKENS)
    if query.quant is None and query.intent in ("recommend", "can_run", "compare"):
        assumed["quant"] = "the usual format for each engine (4-bit or 8-bit)"
    if query.intent == "recommend" and query.units is None:
        assumed["units"] = f"up to {DEFAULT_MAX_UNITS} per cluster"
    return query.model_copy(update={"assumed": assumed})


def _context_assumed(query: ParsedQuery, used: int) -> ParsedQuery:
    """`assumed` names the context the figures used when the question named none: grown to
    hold a long prompt, or cut to a model's own shorter window."""
    if query.context_tokens is not None or used == DEFAULT_CONTEXT_TOKENS:
        return query
    why = (
        f"the prompt asked and a {DEFAULT_OUTPUT_TOKENS}-token answer"
        if used > DEFAULT_CONTEXT_TOKENS
        else "the model's own window"
    )
    return query.model_copy(
        update={"assumed": {**query.assumed, "context_tokens": f"{used} ({why})"}}
    )


def _in_language(query: ParsedQuery, language: Language) -> ParsedQuery:
    """The query answered in `language`; a budget that named no currency follows it
    ("--lang zh" makes a bare "3000" yuan)."""
    update: dict[str, Any] = {"language": language}
    if currency_from_language(query) and query.currency != currency_of(language):
        update["currency"] = currency_of(language)
        update["assumed"] = {
            **query.assumed,
            "currency": f"{update['currency']} ({CURRENCY_FROM_LANGUAGE})",
        }
    return query.model_copy(update=update)


def answer(
    advisor: Advisor, query: ParsedQuery, lang: Language | None = None, new_topic: bool = False
) -> AskResult:
    """Answer `query` in `lang` (default: the question's language). Never raises on bad input."""
    language = lang or query.language
    query = _in_language(query, language)
    if new_topic:
        return AskResult(query=query, answer=render(language, "new_topic.md.j2"))
    try:
        return _answer(advisor, query, language)
    except AdvisorError as exc:
        return _refusal(query, language, error_code(exc), exc.text(language))
    except ValidationError as exc:  # a slot out of range ("10M context", a huge budget)
        problems = "; ".join(_slot_problem(e, language) for e in exc.errors())
        return _refusal(query, language, "invalid_input", problems)


def _refusal(query: ParsedQuery, language: Language, code: ErrorCode, message: str) -> AskResult:
    error = AskError(code=code, message=printable(message))
    text = render(language, "error.md.j2", message=message)
    # how a prompt said in pages or words was counted, where the refusal is about its length
    about_prompt = f"{query.prompt_tokens or 0:,}" in message
    counted = _prompt_counted(query, language) if about_prompt else ""
    return AskResult(query=query, answer=f"{text}\n{counted}" if counted else text, error=error)


def _characters_counted_for(
    catalog: Catalog, query: ParsedQuery, model_id: str | None
) -> ParsedQuery:
    """A prompt said in Chinese characters, counted at the rate of the model's own tokenizer
    family (gpt-oss and Llama take more tokens a character than the parser's default)."""
    said = query.prompt_said
    if not said or said[1] != "characters" or model_id is None:
        return query
    tokens = round(said[0] * tokens_per_character(catalog.models.get(model_id).family))
    return (
        query
        if tokens == query.prompt_tokens
        else query.model_copy(update={"prompt_tokens": tokens})
    )


def _prompt_fitted(catalog: Catalog, query: ParsedQuery, model_id: str | None) -> ParsedQuery:
    """A prompt said to fill the model's whole window ("128k 的长文档" for a 131,072-token
    model), with no context said: answered at the longest prompt that leaves room for the
    answer, and said so (`prompt_trimmed_from`), rather than refused for 512 tokens."""
    said = query.prompt_tokens
    if said is None or model_id is None or query.context_tokens is not None:
        return query
    limit = catalog.models.get(model_id).context_limit
    if not limit - DEFAULT_OUTPUT_TOKENS < said <= limit:
        return query
    return query.model_copy(
        update={"prompt_tokens": limit - DEFAULT_OUTPUT_TOKENS, "prompt_trimmed_from": said}
    )


def _prompt_counted(query: ParsedQuery, lang: Language, family: str | None = None) -> str:
    """How a prompt said in words, characters or pages was counted in tokens ("" if it was
    said in tokens), characters at the rate of the model's tokenizer `family`."""
    said = query.prompt_said
    if not said or not query.prompt_tokens:
        return ""
    count, unit = said
    return render(
        lang,
        "prompt_said.md.j2",
        count=count,
        unit=unit,
        tokens=query.prompt_tokens,
        per=tokens_per_character(family),
        tokenizer=tokenizer_of(family),
    )


def _declined(query: ParsedQuery, text: str, code: ErrorCode) -> AskResult:
    """An answer that declines (`text`, as rendered), its first line the error's message."""
    return AskResult(
        query=query, answer=text, error=AskError(code=code, message=text.split("\n", 1)[0])
    )


def _answer(advisor: Advisor, query: ParsedQuery, lang: Language) -> AskResult:
    catalog = advisor.catalog
    if query.other_currency and query.intent not in ("help", "list", "explain"):
        # "£5,000" read as $5,000, 500,000 yen as $500,000, "GBP/kWh" as a model: all mislead
        message = _OTHER_CURRENCY[lang].format(query.other_currency)
        return _refusal(query, lang, "invalid_input", message)
    if query.clarify and query.intent not in ("help", "list", "explain"):
        return _clarify(catalog, query, lang)
    if query.other_language:  # refused: the words say so in English, as the question was not
        return _declined(query, _plain_answer(catalog, query, lang), "other_language")
    if query.intent in ("help", "list", "explain"):
        return AskResult(query=query, answer=_plain_answer(catalog, query, lang))
    model_id, model_note = _model_id(catalog, query)
    query = _with_assumptions(query, model_note)
    query = _characters_counted_for(catalog, query, model_id)
    query = _prompt_fitted(catalog, query, model_id)
    if query.intent == "capacity":
        return _capacity(advisor, query, lang)
    if model_id is None:
        asked = Clarification(slot="model", choices=_EXAMPLE_MODELS)
        return _clarify(catalog, query.model_copy(update={"clarify": asked}), lang)
    rq = recommend_query(advisor, query, model_id, lang)
    query = _context_assumed(query, rq.context_tokens)
    query, rq, variant_note = pick_variants(advisor, query, rq, lang)
    note = _notes(catalog, query, model_id, model_note, variant_note, lang)
    if query.intent == "upgrade" and query.have:
        return _upgrade(advisor, query, rq, note)
    if query.intent == "compare" and len(query.hardware) >= (1 if query.counts_weighed else 2):
        return _compare(advisor, query, rq, note, lang)
    if query.intent == "can_run" and query.hardware:
        return _can_run(advisor, query, rq, note, lang)
    return _recommendation(advisor, query, rq, note, lang)


def _recommendation(
    advisor: Advisor, query: ParsedQuery, rq: RecommendQuery, note: str, lang: Language
) -> AskResult:
    """What to buy, after what the question asks first: the model's memory ("需要多少显存"),
    whether a memory size is enough."""
    catalog = advisor.catalog
    need = memory_needed(catalog, rq.model, rq.workload()) if query.asks_memory else None
    if (rq.used_only or rq.cards_only) and not rq.hardware:  # "used GPUs": say what is weighed
        note += render(lang, "weighed_only.md.j2", used=rq.used_only, cards=rq.cards_only) + "\n"
    if need is not None:  # "GLM 4.6 需要多少显存？": its need first, then what holds it
        note += render_memory_needed(need, lang, native=rq.native_only)
    sized = _of_the_size_asked(advisor, query, rq)
    rq = sized or rq
    result = recommend(advisor, rq)
    if sized is not None:  # "is 128GB enough?": yes, no or only below 4 bits, first
        note += _memory_enough(advisor.catalog, result, query.memory_asked_gb or 0, lang)
    picked = result.picks.best or result.cheapest_working
    if query.asks_monthly and picked is not None:
        note += render_monthly(catalog, picked, lang)
    note += _formats_bought(advisor, query, rq, lang)
    views = OptionViews(catalog, lang)  # an option both picked and in the table is viewed once
    text = render_recommendation(catalog, result, views, _bits_only(query), query.cheaper_than)
    best = result.picks.best
    below_usable = best is None or not usable(best.verdict)  # cheaper, but a proof of concept
    if query.cheaper_than is not None and (result.nothing_in_budget or below_usable):
        text = render(  # "cheaper?" when nothing cheaper works: say that, not a made-up budget
            lang,
            "nothing_cheaper.md.j2",
            model=plain(result.model_name),
            price=query.cheaper_than,
            currency=rq.currency,
            users=query.concurrency or 1,
            long_context=rq.context_tokens > DEFAULT_CONTEXT_TOKENS,  # else the weights decide
            cheapest=views.of(result.cheapest_working) if result.cheapest_working else None,
        )
    data = recommendation_data(result, text, OPTIONS_IN_JSON)
    if need is not None:
        data["memory_needed"] = need.model_dump(mode="json")
    rows = _rows(catalog, result.options, lang, views, _bits_only(query))
    return AskResult(query=query, result=data, rows=rows, answer=note + text)


def _of_the_size_asked(
    advisor: Advisor, query: ParsedQuery, rq: RecommendQuery
) -> RecommendQuery | None:
    """ "Is 128GB enough for Qwen3 235B?": the query over one box of each kind with that much
    memory sold where it is asked; None when no size was asked or no box has it."""
    if query.memory_asked_gb is None or rq.hardware:
        return None
    sized = [
        h.id
        for h in advisor.catalog.hardware
        if round(h.memory_gb) == query.memory_asked_gb and for_sale(h, rq)
    ]
    return rq.model_copy(update={"hardware": tuple(sized), "max_units": 1}) if sized else None


def _memory_enough(catalog: Catalog, result: Recommendation, size: int, lang: Language) -> str:
    """Whether `size` GB holds the model, from the best of the boxes of that size."""
    holding = [o for o in result.options if o.fits or o.needs_raise]
    best = max(holding, key=lambda o: o.rank_key(), default=None)
    return paragraph(
        render(
            lang,
            "memory_enough.md.j2",
            size=size,
            model=plain(result.model_name),
            best=option_view(catalog, best, lang) if best else None,
            four_bit=any(o.nominal_bits >= 4 for o in holding),
        )
    )


def _formats_bought(
    advisor: Advisor, query: ParsedQuery, rq: RecommendQuery, lang: Language
) -> str:
    """ "Q4 or Q8?" with no box named: the best buy in each format, before the best of all."""
    if not query.formats_weighed or query.hardware:
        return ""
    in_each = best_per_format(advisor, rq, query.formats_weighed)
    return render_formats_bought(advisor.catalog, in_each, rq, lang)


def _notes(
    catalog: Catalog,
    query: ParsedQuery,
    model_id: str,
    model_note: str | None,
    variant_note: str,
    lang: Language,
) -> str:
    """What the answer says before it answers, each its own paragraph: a model stood in for
    another, the nearest to a name, a variant, a laptop answered as a Mac Studio, a prompt
    counted from pages or characters."""
    stand_in = render(lang, "stand_in.md.j2", name=plain(model_note)) if model_note else ""
    nearest = (
        render(
            lang,
            "nearest_model.md.j2",
            written=plain(query.model_as_written),
            model=plain(catalog.models.get(model_id).name),
        )
        if query.model_as_written and query.model == model_id
        else ""
    )
    notes = (
        stand_in,
        nearest,
        _same_architecture_note(catalog, query, model_id, lang),
        variant_note,
        _box_notes(catalog, query, lang, "laptop.md.j2", query.named_as_laptop),
        _box_notes(catalog, query, lang, "typed_box.md.j2", query.box_as_written),
        _prompt_counted(query, lang, catalog.models.get(model_id).family),
        render(
            lang,
            "prompt_trimmed.md.j2",
            said=query.prompt_trimmed_from,
            tokens=query.prompt_tokens,
            answer=DEFAULT_OUTPUT_TOKENS,
            model=plain(catalog.models.get(model_id).name),
        )
        if query.prompt_trimmed_from
        else "",
    )
    return "".join(f"{n}\n" for n in notes if n)


def _box_notes(
    catalog: Catalog, query: ParsedQuery, lang: Language, template: str, said: dict[str, str]
) -> str:
    """`template` said for each box answered that the question wrote its own way (`said`: id ->
    as written): a laptop answered as the Mac Studio with its chip ("MacBook Pro M4 Max"), a
    name typed wrong and read ("dgx sprak")."""
    return "".join(
        render(
            lang,
            template,
            written=plain(written),
            box=plain(catalog.hardware.get(hardware_id).label),
        )
        for hardware_id, written in said.items()
        if hardware_id in query.hardware
    )


def _same_architecture_note(
    catalog: Catalog, query: ParsedQuery, model_id: str, lang: Language
) -> str:
    """'QwQ-32B shares Qwen2.5-32B's architecture': said whenever the release asked about is
    answered under the catalog model it is built on."""
    if not query.model_variant:
        return ""
    model = catalog.models.get(model_id)
    if model.variant_named(query.model_variant) is None:
        return ""  # a follow-up moved to another model
    return render(
        lang, "same_architecture.md.j2", variant=plain(query.model_variant), model=plain(model.name)
    )


def _plain_answer(catalog: Catalog, query: ParsedQuery, lang: Language) -> str:
    if query.intent == "help":
        return render(
            lang,
            "help.md.j2",
            other_language=query.other_language,
            out_of_scope=query.out_of_scope,
        )
    if query.intent == "list":
        models = [plain(m.name) for m in sorted(catalog.models, key=lambda m: m.params_total_b)]
        featured = [h for h in catalog.hardware if h.featured]
        boxes = [plain(h.name) for h in featured + [h for h in catalog.hardware if not h.featured]]
        return render(lang, "list.md.j2", models=models, boxes=boxes)
    return render(lang, "explain.md.j2", term=query.term or "decode")


def _formats_asked(query: ParsedQuery) -> tuple[str, ...] | None:
    """The formats a setup may be in: each of a choice ("Q4 or Q8?"), so the best of them is
    recommended, or shown on the box named, rather than the one parsed first; else the one
    asked."""
    if query.formats_weighed:
        return tuple(query.formats_weighed)
    return (query.quant,) if query.quant and query.quant != "native" else None


def recommend_query(
    advisor: Advisor, query: ParsedQuery, model_id: str, lang: Language
) -> RecommendQuery:
    """The core's query for a parsed question: what it says, else the defaults."""
    said = query.context_tokens
    context = (
        said
        if said is not None
        else context_holding(
            default_context_for(advisor.catalog, model_id, DEFAULT_CONTEXT_TOKENS),
            query.prompt_tokens,
            DEFAULT_OUTPUT_TOKENS,
        )
    )
    # "a 10M context": the model's window says no before the request's own upper bound does
    check_context(
        advisor.catalog.models.get(model_id),
        context,
        query.prompt_tokens or 0,
        DEFAULT_OUTPUT_TOKENS,
    )
    if query.prompt_tokens and query.prompt_tokens > context:
        raise InvalidInput(
            f"a {query.prompt_tokens:,}-token prompt does not fit the {context:,}-token context "
            "asked for; ask for a longer context or a shorter prompt",
            f"{query.prompt_tokens:,} token 的提示词放不进所问的 {context:,} token 上下文；"
            "请加长上下文或缩短提示词",
        )
    return RecommendQuery(
        model=model_id,
        quants=_formats_asked(query),
        native_only=query.quant == "native",
        quant_as_named=query.quant_as_named,
        engine=query.engine,
        split=query.split,
        link=query.link,
        context_tokens=context,
        prompt_tokens=query.prompt_tokens,
        min_tok_s=query.min_tok_s,
        min_verdict=query.min_verdict,
        max_ttft_s=query.max_ttft_s,
        prefer=query.prefer,
        new_only=bool(query.new_only),
        used_only=bool(query.used_only),
        cards_only=bool(query.cards_only),
        concurrency=1 if query.concurrency is None else query.concurrency,
        budget=query.budget,
        currency=query.currency or advisor.settings.currency_for(lang),
        electricity=query.electricity,
        kwh_price=query.kwh_price,
        have_host=bool(query.have_host) or advisor.settings.have_host,
        hours_per_day=advisor.settings.hours_per_day
        if query.hours_per_day is None
        else query.hours_per_day,
        max_units=query.units,
        one_machine=bool(query.one_machine),
        unit_prices=tuple(UnitPrice(hardware=h, price=p) for h, p in query.unit_prices.items()),
        hardware=tuple(query.hardware) or None,
        lang=lang,
    )


def _compare(
    advisor: Advisor, query: ParsedQuery, rq: RecommendQuery, note: str, lang: Language
) -> AskResult:
    per_box = dict(query.units_by_hardware)  # "one DGX Spark", "two 4090s": that many of it
    if not per_box and query.units:  # "H20 和 H100 哪个划算？8 卡的": that many of each
        per_box = dict.fromkeys(query.hardware, query.units)
    units: list[int | None] = [per_box.get(h) for h in query.hardware]
    if query.counts_weighed and len(query.hardware) == 1:  # "one DGX Spark or two?"
        rq = rq.model_copy(update={"hardware": tuple(query.hardware) * len(query.counts_weighed)})
        units = list(query.counts_weighed)
    elif query.counts_weighed and query.counts_weighed_of in query.hardware:
        # "M3 Ultra 512G, one Spark or two Sparks": that box at each count, beside the others
        sides = [
            (h, n)
            for h in query.hardware
            for n in (query.counts_weighed if h == query.counts_weighed_of else [per_box.get(h)])
        ]
        rq = rq.model_copy(update={"hardware": tuple(h for h, _ in sides)})
        units = [n for _, n in sides]
    comparison = compare(advisor, rq, units)
    text = render_comparison(advisor.catalog, comparison, _bits_only(query))
    return AskResult(
        query=query,
        result=comparison_data(comparison, text),
        rows=_rows(advisor.catalog, comparison.sides, lang, bits_only=_bits_only(query)),
        answer=note + text,
    )


def _upgrade(advisor: Advisor, query: ParsedQuery, rq: RecommendQuery, note: str) -> AskResult:
    """Keep, add to or replace the box the asker has; boxes they name (a whole line for "a
    Mac") are what they would buy instead, else every box."""
    assert query.have is not None
    catalog = advisor.catalog
    lines: set[str | None] = set()
    for named, written in query.named_as_line.items():
        lines |= product_lines(advisor, named, written) or {catalog.hardware.get(named).line}
    one_by_one = [h for h in query.hardware if h not in query.named_as_line]
    candidates = one_by_one + [h.id for h in catalog.hardware if h.line and h.line in lines]
    rq = rq.model_copy(update={"hardware": tuple(candidates) or None})
    result = upgrade(advisor, rq, query.have, query.have_units or 1)
    text = render_upgrade(catalog, result, asked_boxes=one_by_one)
    options = [result.keep.option, *(p.option for p in result.paths[:OPTIONS_IN_JSON])]
    return AskResult(
        query=query,
        result=upgrade_data(result, text),
        rows=_rows(catalog, options, query.language),
        answer=note + text,
    )


def _can_run(
    advisor: Advisor, query: ParsedQuery, rq: RecommendQuery, note: str, lang: Language
) -> AskResult:
    if rq.engine and rq.hardware and not engine_runs_on(advisor, rq, rq.hardware[0]):
        engine = plain(advisor.catalog.engines.get(rq.engine).name)  # "vLLM on a Mac Studio"
        box = plain(advisor.catalog.hardware.get(rq.hardware[0]).label)
        note += render(lang, "engine_elsewhere.md.j2", engine=engine, box=box)
        rq = on_usual_engine(rq)
    units = 1 if query.units is None else query.units
    if query.units is None and query.asks_fewest_units:  # "how many 3090s do I need?"
        fewest = fewest_units(advisor, rq)
        units = fewest.units
        note += render_fewest_units(advisor.catalog, fewest, rq, lang)
    box_id = rq.hardware[0] if rq.hardware else None
    owned = query.owned_units.get(box_id, 1) if box_id in query.owned else 0
    if box_id is not None and owned and advisor.catalog.hardware.get(box_id).kind != "box":
        rq = rq.model_copy(update={"have_host": True})  # a card one has sits in a host one has
    checked = can_run(
        advisor, rq, units, count_users=query.asks_users, find_context=query.asks_context
    )
    if query.asks_users:
        note += render_most_users(advisor.catalog, checked, rq, lang)
    if query.asks_context:
        note += render_longest_context(advisor.catalog, checked, lang)
    if query.asks_monthly:
        note += render_monthly(advisor.catalog, checked.option, lang)
    if query.engines_weighed:  # "llama.cpp or vLLM?": each, then the best setup in full
        weighed = per_engine(advisor, rq, query.engines_weighed, units)
        note += render_engines_weighed(advisor.catalog, weighed, checked.option, lang)
    elif query.formats_weighed:  # "4位和8位差多少？": each, then the setup of the one parsed
        in_each = per_format(advisor, rq, query.formats_weighed, units)
        note += render_formats_weighed(advisor.catalog, in_each, checked.option, lang)
    text = render_option(
        advisor.catalog,
        checked.option,
        lang,
        checked.takes,
        owned_units=owned,
        fewer_as_fast=checked.fewer_as_fast,
        fewer_is_faster=checked.fewer_is_faster,
        faster_at_its_bits=checked.faster_at_its_bits,
        bits_only=_bits_only(query),
        fewer_in_budget=checked.fewer_in_budget,
    )
    if not (query.engines_weighed or query.asks_users):  # after the answer: an aside
        aside = render_close_engine(advisor.catalog, checked, lang)
        text += f"\n{aside}" if aside else ""
    rows = _rows(
        advisor.catalog, [checked.option, *checked.others], lang, bits_only=_bits_only(query)
    )
    return AskResult(query=query, result=can_run_data(checked), rows=rows, answer=note + text)


def _capacity(advisor: Advisor, query: ParsedQuery, lang: Language) -> AskResult:
    """The largest catalog models one box (or N) holds."""
    if not query.hardware:
        return _clarify(advisor.catalog, query, lang)
    found = capacity(
        advisor,
        query.hardware[0],
        units=1 if query.units is None else query.units,
        context_tokens=query.context_tokens or DEFAULT_CONTEXT_TOKENS,
        formats=(query.quant,) if query.quant else None,
        min_tok_s=query.min_tok_s,
        currency=query.currency or advisor.settings.currency_for(lang),
        concurrency=query.concurrency or 1,
    )
    return AskResult(
        query=query,
        result=found.model_dump(mode="json"),
        answer=render_capacity(advisor.catalog, found, lang),
    )
