"""The `advisor` command. Subcommands are scriptable; with no arguments it opens the chat app.

Heavy faces (the Textual app, LangChain, MCP) are imported only by the subcommands that use them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from pydantic import BaseModel, ValidationError

from advisor.errors import AdvisorError, InvalidInput, error_code, printable
from advisor.requests import DEFAULT_OUTPUT_TOKENS, scaled_tokens

Handler = Callable[[argparse.Namespace], int]


def _positive_int(text: str) -> int:
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _tokens(text: str) -> int:
    """A token count: 8192, 8k, 32K, 128k, 1m."""
    cleaned = text.strip().lower().replace(",", "").replace("_", "")
    scale = cleaned[-1:] if cleaned.endswith(("k", "m")) else ""
    try:
        number = float(cleaned[:-1] if scale else cleaned)
        if not math.isfinite(number):
            raise ValueError(text)
        value = scaled_tokens(number, scale) if scale else round(number)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a token count (try 8192 or 8k)"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 token, got {text}")
    return value


def _depth_tokens(text: str) -> int:
    """Tokens already in the cache: a token count (8k, 8192) or 0."""
    if text.strip().startswith("-"):
        raise argparse.ArgumentTypeError(f"cannot be negative, got {text.strip()}")
    return 0 if text.strip() in ("0", "0k") else _tokens(text)


def _dump(model: BaseModel | dict[str, Any] | list[Any]) -> str:
    data = model.model_dump(mode="json") if isinstance(model, BaseModel) else model
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)


def _add_catalog_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--catalog",
        action="append",
        default=[],
        metavar="PATH",
        help="extra catalog file (YAML) with your own hardware/models; repeatable",
    )


def _add_rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="DIR",
        help="folder of your own rule files (YAML); a rule with a shipped id replaces it",
    )


def _advisor_from(args: argparse.Namespace) -> Any:
    """The one context: built-in and user catalog, rules, calibration and settings."""
    from advisor.context import load_advisor

    advisor = load_advisor(getattr(args, "catalog", []) or [], getattr(args, "rules", []) or [])
    for note in advisor.notes:  # a settings file that could not be used, and why
        print(f"advisor: {printable(note)}", file=sys.stderr)
    return advisor


def _flags_given(args: argparse.Namespace, **fields: str) -> dict[str, Any]:
    """The flags the user typed (not left at None), under the request's field names; the
    user's settings fill the others."""
    return {
        field: getattr(args, flag)
        for flag, field in fields.items()
        if getattr(args, flag) is not None
    }


def _fit_context(advisor: Any, values: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """An unstated context window shortened to what the model supports, and grown to hold a
    stated prompt and its answer (as a question's is)."""
    from advisor.requests import DEFAULT_OUTPUT_TOKENS, context_holding
    from advisor.setups import default_context_for

    if given.get("context_tokens") is None and "context_tokens" in values:
        context = default_context_for(advisor.catalog, values["model"], values["context_tokens"])
        prompt = values.get("prompt_tokens")
        if prompt is not None:
            prompt += values.get("depth_tokens") or 0
        output = values.get("output_tokens") or DEFAULT_OUTPUT_TOKENS
        values = {**values, "context_tokens": context_holding(context, prompt, output)}
    return values


def _fields_of(model: type[BaseModel], values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if key in model.model_fields}


# --- estimate ------------------------------------------------------------------------------


def _cmd_estimate(args: argparse.Namespace) -> int:
    from advisor.ask.names import box_with_units, model_named
    from advisor.choose import estimate_request
    from advisor.render.data import option_data
    from advisor.requests import Constraints, EstimateRequest

    advisor = _advisor_from(args)
    box, units = box_with_units(advisor.catalog, args.hardware, args.units)  # "2x-dgx-spark"
    given = {
        "model": model_named(advisor.catalog, args.model),
        "hardware": box,
        "units": units,
        "link": args.link,
        "split": args.split,
        "engine": args.engine,
        "prompt_tokens": args.prompt,
        "depth_tokens": args.depth,
        "output_tokens": args.output,
        "concurrency": args.concurrency,
        "kv_dtype": args.kv_dtype,
        "raise_memory_limit": args.raise_limit,
        "quant_as_named": args.as_named,
        "budget": args.budget,
        "min_tok_s": args.min_tok_s,
        "min_verdict": args.min_verdict,
        "max_ttft_s": args.max_ttft,
    }
    given |= _currency_of_budget(args)
    given |= _flags_given(
        args,
        quant="quant",
        context="context_tokens",
        currency="currency",
        electricity="electricity",
        kwh_price="kwh_price",
        have_host="have_host",
        hours_per_day="hours_per_day",
    )
    fields = {*EstimateRequest.model_fields, *Constraints.model_fields}
    values = _fit_context(advisor, advisor.settings.fill_unsaid(given, fields, "en"), given)
    request = EstimateRequest(**_fields_of(EstimateRequest, values))
    constraints = Constraints(**_fields_of(Constraints, values))
    if box != args.hardware.strip():  # not an id: maybe a product line ("mac-studio-m5-ultra")
        from advisor.ask.variants import request_on_line

        request, note = request_on_line(advisor, request, constraints, args.hardware)
        if note:
            print(f"advisor: {note}", file=sys.stderr)
    option = estimate_request(advisor, request, constraints)
    if args.json:
        print(_dump(option_data(option) or {}))
    else:
        from advisor.render.tables import estimate_text

        print(estimate_text(advisor.catalog, option))
    return 0


def _add_estimate(sub: Any) -> None:
    p = sub.add_parser("estimate", help="figures for one model on one box (or a cluster)")
    p.add_argument("--model", "-m", required=True, help="model id or alias, e.g. llama-3.3-70b")
    p.add_argument("--hardware", "--hw", required=True, help="hardware id, e.g. dgx-spark")
    p.add_argument("--quant", "-q", help="weight format id, e.g. q4_k_m (default: usual one)")
    p.add_argument(
        "--as-named",
        action="store_true",
        help="run the format as itself where an engine does (q4_k_m on llama.cpp), not another "
        "engine's format of the same bits",
    )
    p.add_argument("--units", type=_positive_int, default=1, help="how many boxes/cards")
    p.add_argument("--link", help="what joins the units: pcie, tb5, tb5-rdma, cx7, ...")
    p.add_argument("--split", choices=["pipeline", "tensor"], help="how to split over units")
    p.add_argument("--engine", "-e", help="llama.cpp, mlx, vllm, ... (default: the usual one)")
    p.add_argument("--context", type=_tokens, help="context window (8k, 32768); default 8k")
    p.add_argument("--prompt", type=_tokens, help="prompt tokens for time to first token")
    p.add_argument(
        "--depth",
        type=_depth_tokens,
        default=0,
        help="tokens already in the cache before the prompt",
    )
    p.add_argument(
        "--output", type=_tokens, default=DEFAULT_OUTPUT_TOKENS, help="tokens to generate"
    )
    p.add_argument("--concurrency", type=_positive_int, default=1, help="sequences at once")
    p.add_argument("--kv-dtype", default="f16", choices=["f16", "bf16", "fp8", "q8_0", "q4_0"])
    p.add_argument(
        "--raise-limit",
        action="store_true",
        help="assume the GPU memory limit is raised (macOS iogpu.wired_limit_mb)",
    )
    _add_money_options(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    _add_catalog_option(p)
    _add_rules_option(p)
    p.set_defaults(handler=_cmd_estimate)


# --- recommend and compare ---------------------------------------------------------------


class _Amount(float):
    """A budget flag's amount, with the currency its writing says: '3万', '3w', '¥30000' and
    '30000元' are yuan, '$5000' dollars, '€4000' euros (None: not said)."""

    currency: str | None = None


_CURRENCY_MARKS = (("$", "USD"), ("¥", "CNY"), ("￥", "CNY"), ("€", "EUR"))


def _money(text: str) -> float:
    cleaned = text.strip().lower().replace(",", "").replace("_", "")
    currency = next((c for mark, c in _CURRENCY_MARKS if cleaned.startswith(mark)), None)
    cleaned = cleaned.lstrip("$¥￥€")
    if cleaned.endswith(("元", "块")):
        cleaned, currency = cleaned[:-1], "CNY"
    if cleaned.endswith("€"):
        cleaned, currency = cleaned[:-1].strip(), "EUR"
    tail = re.fullmatch(r"(\d+)(?:万|w)(\d)", cleaned)  # "1万5": 15,000 yuan, as ask reads it
    if tail:
        cleaned, currency = f"{tail.group(1)}.{tail.group(2)}万", "CNY"
    scale = 1.0
    for suffix, factor in (("w", 10_000.0), ("万", 10_000.0), ("k", 1_000.0)):
        if cleaned.endswith(suffix):
            cleaned, scale = cleaned[: -len(suffix)], factor
            currency = "CNY" if suffix in ("w", "万") else currency
    try:
        value = float(cleaned) * scale
        if not math.isfinite(value):
            raise ValueError(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an amount (try 8000 or 8k)") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {text}")
    amount = _Amount(value)
    amount.currency = currency
    return amount


def _currency_of_budget(args: argparse.Namespace) -> dict[str, Any]:
    """The currency a budget flag's writing says ('--budget 3万': yuan), unless --currency
    says one."""
    said = getattr(args.budget, "currency", None) if getattr(args, "budget", None) else None
    return {"currency": said} if said and getattr(args, "currency", None) is None else {}


def _hours(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of hours") from None
    if not 0 <= value <= 24:
        raise argparse.ArgumentTypeError(f"hours a day run from 0 to 24, got {text}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {text}")
    return value


def _model_or_size(catalog: Any, text: str) -> str:
    """A catalog model, or for a bare size ("70b", "200b-a20b") the nearest one, said aloud."""
    from advisor.ask.names import model_named

    named = model_named(catalog, text)
    if catalog.models.find(named):
        return named
    from advisor.ask.answer import nearest_model
    from advisor.ask.parse import is_bare_size, normalize, parse_generic

    spec = parse_generic(normalize(text))
    if spec is None or not is_bare_size(normalize(text)):
        return text  # unknown: the lookup later says so, with a "did you mean"
    stand_in = nearest_model(catalog, spec)
    print(
        f"advisor: no model named; {stand_in.name} is the closest catalog model to "
        f"'{text}' and stands in for it",
        file=sys.stderr,
    )
    return str(stand_in.id)


def _query_from(advisor: Any, args: argparse.Namespace, hardware: tuple[str, ...] | None) -> Any:
    """The core's query from the flags, the user's settings filling what they leave out."""
    from advisor.ask.names import hardware_named
    from advisor.requests import RecommendQuery, is_native

    lang = args.lang or advisor.settings.resolved_language()
    given: dict[str, Any] = {
        "model": _model_or_size(advisor.catalog, args.model),
        "prompt_tokens": args.prompt,
        "output_tokens": args.output,
        "concurrency": args.concurrency,
        "min_tok_s": args.min_tok_s,
        "min_verdict": args.min_verdict,
        "max_ttft_s": args.max_ttft,
        "prefer": (getattr(args, "prefer", None) or "").replace("-", "_") or None,  # recommend's
        "new_only": getattr(args, "new_only", False),  # recommend's alone
        "quant_as_named": args.as_named,
        "budget": args.budget,
        "engine": args.engine,
        "split": args.split,
        "link": args.link,
        "lang": lang,
        "hardware": tuple(hardware_named(advisor.catalog, h) for h in hardware)
        if hardware
        else None,
    }
    given |= _currency_of_budget(args)
    wishes = tuple(args.quant or ())
    if wishes:
        native = any(is_native(q) for q in wishes)
        given |= {"native_only": native, "quants": None if native else wishes}
    given |= _flags_given(
        args,
        context="context_tokens",
        currency="currency",
        electricity="electricity",
        kwh_price="kwh_price",
        max_units="max_units",
        one_machine="one_machine",
        have_host="have_host",
        hours_per_day="hours_per_day",
    )
    values = advisor.settings.fill_unsaid(given, RecommendQuery.model_fields, lang)
    return RecommendQuery(**_fit_context(advisor, values, given))


def _cmd_recommend(args: argparse.Namespace) -> int:
    from advisor.recommend import recommend
    from advisor.render.answers import render_recommendation
    from advisor.render.data import recommendation_data

    advisor = _advisor_from(args)
    hardware = tuple(args.hardware) if args.hardware else None
    result = recommend(advisor, _query_from(advisor, args, hardware))
    text = render_recommendation(advisor.catalog, result)
    print(
        _dump(recommendation_data(result, text)) if args.json else text,
        end="\n" if args.json else "",
    )
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from advisor.ask.names import box_specs, boxes_and_counts, boxes_read_as
    from advisor.ask.variants import boxes_on_lines
    from advisor.recommend import compare
    from advisor.render.answers import render_comparison
    from advisor.render.data import comparison_data

    advisor = _advisor_from(args)
    boxes, counts = boxes_and_counts(advisor.catalog, args.boxes)  # "2x dgx-spark": two
    query = _query_from(advisor, args, boxes)
    lined, notes = boxes_on_lines(advisor, query, box_specs(args.boxes), counts)
    for written, box in boxes_read_as(advisor.catalog, args.boxes):  # a typo
        if box in lined:
            name = advisor.catalog.hardware.get(box).name
            print(f"advisor: reading '{written}' as {box} ({name})", file=sys.stderr)
    for note in notes:  # a product line: the configuration a question naming it gets
        print(f"advisor: {note}", file=sys.stderr)
    result = compare(advisor, query.model_copy(update={"hardware": lined}), counts)
    text = render_comparison(advisor.catalog, result)
    print(
        _dump(comparison_data(result, text)) if args.json else text, end="\n" if args.json else ""
    )
    return 0


def _add_money_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--min-tok-s", type=_positive_float, help="slowest decode you accept")
    p.add_argument(
        "--min-verdict",
        choices=["usable", "comfortable"],
        help="least verdict you accept: comfortable for a box that runs the model smoothly "
        "(default: usable)",
    )
    p.add_argument(
        "--max-ttft", type=_positive_float, help="longest wait for the first token you accept, s"
    )
    p.add_argument("--budget", type=_money, help="most you will spend (8000, 8k, 3w, 3万)")
    p.add_argument("--currency", choices=["USD", "CNY", "EUR"], type=str.upper, help="default: USD")
    p.add_argument(
        "--electricity",
        choices=["USD", "CNY", "EUR"],
        type=str.upper,
        help="price the power at the household rate of this currency's region (US, China, EU); "
        "default: the --currency's",
    )
    p.add_argument(
        "--kwh-price",
        type=_positive_float,
        help="your own electricity price per kWh, in the --electricity currency (default: "
        "--currency's); default: that region's household rate",
    )
    _add_running_options(p)


def _add_running_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--have-host",
        action="store_const",
        const=True,
        help="you own a PC for the cards: price cards alone (default: a typical host is added)",
    )
    p.add_argument(
        "--hours-per-day",
        type=_hours,
        help="hours a day under load, for the electricity cost (default 8; idle the rest)",
    )


def _add_question_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--model",
        "-m",
        required=True,
        help="model id or alias, or a bare size: 70b, 200b-a20b (nearest model)",
    )
    p.add_argument("--quant", "-q", action="append", help="acceptable format(s); '满血' = native")
    p.add_argument(
        "--as-named",
        action="store_true",
        help="run the format as itself where an engine does (q4_k_m on llama.cpp), not another "
        "engine's format of the same bits",
    )
    p.add_argument("--engine", "-e", help="only this engine: llama.cpp, mlx, vllm, ...")
    p.add_argument("--split", choices=["pipeline", "tensor"], help="how clusters split the model")
    p.add_argument("--link", help="what joins a cluster's units: pcie, tb5, tb5-rdma, cx7, ...")
    p.add_argument("--context", type=_tokens, help="context window (8k, 32768); default 8k")
    p.add_argument("--prompt", type=_tokens, help="typical prompt length (for time to first token)")
    p.add_argument(
        "--output", type=_tokens, default=DEFAULT_OUTPUT_TOKENS, help="typical answer length"
    )
    p.add_argument("--concurrency", type=_positive_int, default=1, help="sequences at once")
    _add_money_options(p)
    p.add_argument("--max-units", type=_positive_int, help="largest cluster to consider (2)")
    p.add_argument(
        "--one-machine",
        action="store_const",
        const=True,
        help="one machine: a box alone, or one PC with up to two cards (with --max-units 1 too)",
    )
    p.add_argument("--lang", choices=["en", "zh"], help="answer language (default: en)")
    p.add_argument("--json", action="store_true", help="print JSON")
    _add_catalog_option(p)
    _add_rules_option(p)


def _add_recommend(sub: Any) -> None:
    p = sub.add_parser("recommend", help="which box (or pair) to buy for a model and budget")
    _add_question_options(p)
    p.add_argument(
        "--prefer",
        choices=["cheapest", "fastest", "first-token"],
        help="put first the cheapest that meets the bar, the fastest in budget, or the "
        "shortest wait for the first token in budget (default: the best, by verdict then value)",
    )
    p.add_argument(
        "--new-only",
        action="store_true",
        help="weigh only boxes sold new: no used, discontinued or withdrawn ones",
    )
    p.add_argument("--hardware", "--hw", action="append", help="only consider these boxes")
    p.set_defaults(handler=_cmd_recommend)


def _add_compare(sub: Any) -> None:
    p = sub.add_parser("compare", help="compare named boxes for one model, with a winner per use")
    p.add_argument("boxes", nargs="+", help="two or more hardware ids or names")
    _add_question_options(p)
    p.set_defaults(handler=_cmd_compare)


def _cmd_upgrade(args: argparse.Namespace) -> int:
    from advisor.render.answers import render_upgrade
    from advisor.render.data import upgrade_data
    from advisor.upgrade import upgrade

    advisor = _advisor_from(args)
    advisor, have, units = _owned(advisor, args.have)
    result = upgrade(advisor, _query_from(advisor, args, None), have, units)
    text = render_upgrade(advisor.catalog, result)
    print(_dump(upgrade_data(result, text)) if args.json else text, end="\n" if args.json else "")
    return 0


def _owned(advisor: Any, spec: str) -> tuple[Any, str, int]:
    """(advisor, hardware id, units) for --have: a box ('2x rtx-4090'), or 'this' machine."""
    if spec.strip().lower() in ("this", "this-machine", "this machine", "本机"):
        from advisor.ask.this_machine import machine_as_entry

        return machine_as_entry(advisor)
    from advisor.ask.names import hardware_and_units

    return (advisor, *hardware_and_units(advisor.catalog, spec))


def _add_upgrade(sub: Any) -> None:
    p = sub.add_parser(
        "upgrade", help="I have a box: keep it, add units of it, or buy another, for a model"
    )
    p.add_argument(
        "--have",
        required=True,
        help="what you own: a box id or name, with a count ('2x rtx-4090'), or 'this' machine",
    )
    _add_question_options(p)
    p.set_defaults(handler=_cmd_upgrade)


# --- ask ---------------------------------------------------------------------------------


def _cmd_ask(args: argparse.Namespace) -> int:
    from advisor.userfiles import locked

    question = " ".join(args.question).strip()
    from_stdin = args.question in ([], ["-"])  # a blank argument is an empty question
    if from_stdin:
        question = sys.stdin.read().strip() if not sys.stdin.isatty() else ""
    if not question:
        blank = (
            ""
            if from_stdin
            else " (the question was blank; to read it from stdin, pass - or nothing)"
        )
        raise InvalidInput(
            'ask a question, e.g. advisor ask "Can a DGX Spark run Llama 3.3 70B?"' + blank
        )
    advisor = _advisor_from(args)
    flags = _flags_given(args, have_host="have_host", hours_per_day="hours_per_day")
    if args.online:
        flags["online"] = True
    if flags:  # this call only; `advisor settings` would keep them
        advisor = advisor.with_settings(advisor.settings.model_copy(update=flags))
    path = Path(args.session).expanduser() if args.session else None
    # load, answer and save under the session's lock, so parallel questions all keep their turn
    with locked(path) if path else contextlib.nullcontext():
        session = _load_session(path)
        result = session.ask(advisor, question, args.lang)
        if path:
            from advisor.userfiles import write_atomically

            write_atomically(path, session.model_dump_json())
    print(_dump(result) if args.json else result.answer, end="\n" if args.json else "")
    return InvalidInput.exit_code if result.error else 0  # a refusal, not an answer


def _load_session(path: Path | None) -> Any:
    from advisor.ask.session import Session
    from advisor.userfiles import read_text

    text = read_text(path) if path else None
    if not text:
        return Session()
    refusal = InvalidInput(
        f"{path}: not a session file written by advisor ask; it is left as it is "
        "(name a new file, or an empty one, to start a conversation)"
    )
    try:
        found = json.loads(text)
    except ValueError:
        raise refusal from None
    # every session written holds its history; a JSON file of anything else (package.json)
    # must not be taken for an empty session and overwritten
    fields = set(Session.model_fields)
    if not isinstance(found, dict) or "history" not in found or set(found) - fields:
        raise refusal
    try:
        return Session.model_validate(found)
    except ValidationError:
        raise refusal from None


def _add_ask(sub: Any) -> None:
    p = sub.add_parser("ask", help="a question in Chinese or English, answered in words")
    p.add_argument("question", nargs="*", help="the question (or '-' / nothing to read stdin)")
    p.add_argument("--lang", choices=["en", "zh"], help="answer language (default: the question's)")
    _add_running_options(p)
    p.add_argument("--json", action="store_true", help="print the parse, the result and the answer")
    p.add_argument(
        "--session",
        metavar="FILE",
        help="keep the conversation in FILE so follow-ups ('what about 8-bit?') work",
    )
    p.add_argument(
        "--online",
        action="store_true",
        help="read a model the catalog lacks from the Hugging Face Hub and add it to your catalog",
    )
    _add_catalog_option(p)
    _add_rules_option(p)
    p.set_defaults(handler=_cmd_ask)


# --- validate ------------------------------------------------------------------------------


def _cmd_validate(args: argparse.Namespace) -> int:
    from advisor.render.tables import validation_text
    from advisor.validate import read_rows, validate_rows

    advisor = _advisor_from(args)
    report = validate_rows(advisor.catalog, read_rows(args.csv), advisor.calibration)
    if args.json:
        print(
            _dump(
                {
                    "rows": [
                        {
                            "id": r.id,
                            "decode_measured": r.decode_measured,
                            "decode_predicted": r.decode_predicted,
                            "prefill_measured": r.prefill_measured,
                            "prefill_predicted": r.prefill_predicted,
                            "ttft_measured_s": r.ttft_measured,
                            "ttft_predicted_s": r.ttft_predicted,
                            "fits": r.fits,
                            "quant": r.quant,
                            "quant_assumed": r.quant_assumed,
                            "notes": r.notes,
                        }
                        for r in report.rows
                    ],
                    "skipped": [s.model_dump() for s in report.skipped],
                    "summary": {
                        group: {metric: s.model_dump() for metric, s in metrics.items()}
                        for group, metrics in report.summary.items()
                    },
                }
            )
        )
    else:
        print(validation_text(report))
    return 0


def _add_validate(sub: Any) -> None:
    p = sub.add_parser("validate", help="predict every row of a benchmark CSV and score it")
    p.add_argument("csv", help="CSV in the format of shared/benchmarks/dev.csv")
    p.add_argument("--json", action="store_true", help="print JSON")
    _add_catalog_option(p)
    p.set_defaults(handler=_cmd_validate)


# --- catalog -------------------------------------------------------------------------------


def _cmd_catalog(args: argparse.Namespace) -> int:
    from advisor.render.tables import catalog_json, catalog_text

    catalog = _advisor_from(args).catalog
    section = {"quants": "formats", "formats": "formats"}.get(args.section, args.section)
    print(_dump(catalog_json(catalog, section)) if args.json else catalog_text(catalog, section))
    return 0


def _add_catalog(sub: Any) -> None:
    p = sub.add_parser("catalog", help="list known hardware, models, weight formats, engines")
    p.add_argument(
        "section",
        nargs="?",
        default="all",
        choices=["all", "hardware", "models", "quants", "formats", "engines", "links"],
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    _add_catalog_option(p)
    p.set_defaults(handler=_cmd_catalog)


def _cmd_import_model(args: argparse.Namespace) -> int:
    from advisor.catalog.importers import add_to_user_catalog, import_model, model_yaml

    if _is_hub_source(args.path):
        from advisor.catalog.hub import import_from_hub

        read = import_from_hub(
            args.path, revision=args.revision, filename=args.file, model_id=args.id, name=args.name
        )
        entry = read.entry
        for note in read.notes:
            print(f"note: {note}", file=sys.stderr)
    elif args.revision or args.file:
        raise InvalidInput("--revision and --file apply to a Hub repo id (ORG/NAME), not a file")
    else:
        entry = import_model(Path(args.path), model_id=args.id, name=args.name)
    if args.add or args.add_to:
        added = add_to_user_catalog(entry, Path(args.add_to) if args.add_to else None)
        verb = "replaced" if added.replaced else "added"
        note = " (the file was written anew: its comments are gone)" if added.rewritten else ""
        print(f"{verb} '{entry.id}' in {added.path}{note}")
    else:
        print(model_yaml(entry), end="")
    return 0


def _is_hub_source(source: str) -> bool:
    if Path(source).exists():
        return False
    from advisor.catalog.hub import is_repo_id

    return is_repo_id(source)


def _add_import(sub: Any) -> None:
    p = sub.add_parser(
        "import-model",
        help="make a catalog entry from a Hub repo (ORG/NAME), a config.json or a GGUF file",
    )
    p.add_argument(
        "path", help="a Hub repo id (ORG/NAME), config.json, a folder holding one, or a .gguf file"
    )
    p.add_argument("--revision", help="Hub branch, tag or commit (default: main)")
    p.add_argument("--file", help="which GGUF file of a Hub repo to read (its header only)")
    p.add_argument("--id", help="catalog id to give it (default: from the file)")
    p.add_argument("--name", help="display name")
    p.add_argument("--add", action="store_true", help="append it to your catalog file")
    p.add_argument("--add-to", metavar="PATH", help="catalog file to add it to (implies --add)")
    p.set_defaults(handler=_cmd_import_model)


# --- detect -----------------------------------------------------------------------------------


def _cmd_detect(args: argparse.Namespace) -> int:
    from advisor.ask.this_machine import detected_machine, summary
    from advisor.detect import custom_hardware

    advisor = _advisor_from(args)
    found = detected_machine(advisor)
    entry = custom_hardware(found, advisor.catalog)
    if args.json:
        data = found.model_dump(mode="json")
        data["hardware_name"] = entry.name if entry else None
        print(_dump(data))
        return 0
    lang = args.lang or advisor.settings.resolved_language()
    print(summary(found, entry, lang), end="")
    for note in found.notes if lang == "en" else []:  # the readers' notes are English
        print(f"- {printable(note)}")
    if found.evidence:
        print(("read: " if lang == "en" else "读取：") + ", ".join(map(printable, found.evidence)))
    return 0


def _add_detect(sub: Any) -> None:
    p = sub.add_parser("detect", help="what hardware this machine has, as a catalog entry")
    p.add_argument("--json", action="store_true", help="the devices, the match and the evidence")
    p.add_argument("--lang", choices=["en", "zh"], help="answer language (default: settings)")
    _add_catalog_option(p)
    p.set_defaults(handler=_cmd_detect)


# --- mcp -----------------------------------------------------------------------------------


def _cmd_mcp(args: argparse.Namespace) -> int:
    import contextlib
    import gc

    gc.enable()  # a server lives long: it collects the cyclic garbage advisor.launch leaves
    try:
        from advisor.mcp_server import build_server
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] != "mcp":
            raise
        raise AdvisorError(
            "`advisor mcp` needs the MCP Python SDK: pip install '.[mcp]' in the advisor checkout"
        ) from None
    from advisor.tools.operations import ToolContext

    context = ToolContext(_advisor_from(args))
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C ends the server quietly
        build_server(context).run("stdio")
    return 0


def _add_mcp(sub: Any) -> None:
    p = sub.add_parser(
        "mcp", help="serve the estimate/recommend/compare/catalog tools over MCP (stdio)"
    )
    _add_catalog_option(p)
    _add_rules_option(p)
    p.set_defaults(handler=_cmd_mcp)


# --- entry point ---------------------------------------------------------------------------


_COMMANDS: dict[str, Callable[[Any], None]] = {
    "ask": _add_ask,
    "estimate": _add_estimate,
    "recommend": _add_recommend,
    "compare": _add_compare,
    "upgrade": _add_upgrade,
    "validate": _add_validate,
    "catalog": _add_catalog,
    "import-model": _add_import,
    "detect": _add_detect,
    "mcp": _add_mcp,
}


def _command_first(arguments: list[str]) -> list[str]:
    """`advisor --json estimate ...` as `advisor estimate ... --json`; `advisor help` as -h."""
    if arguments and arguments[0] == "help":
        return ["-h", *arguments[1:]]
    if arguments and arguments[0] == "--json" and len(arguments) > 1:
        return [*arguments[1:], "--json"]
    return arguments


def _check_command(word: str) -> None:
    """A first word that is no command (nor an option) is refused, with the nearest one."""
    if word.startswith("-") or word in _COMMANDS:
        return
    if " " in word.strip() or not word.isascii():  # a question, not a command
        raise InvalidInput(f'to ask a question, put ask before it: advisor ask "{word}"')
    from rapidfuzz import process

    near = process.extractOne(word, list(_COMMANDS), score_cutoff=60)
    hint = f"did you mean '{near[0]}'?" if near else f"the commands are {', '.join(_COMMANDS)}"
    raise InvalidInput(f"unknown command '{word}'; {hint}")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; given a known `command`, with only that command's options
    (a call parses one command, and building all ten is a few ms of every call)."""
    parser = _Parser(
        prog="advisor",
        description="Which box should I buy to run this LLM locally? Calibrated estimates.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    adders = [_COMMANDS[command]] if command in _COMMANDS else _COMMANDS.values()
    for add in adders:
        add(sub)
    return parser


def _run_app() -> int:
    """`advisor` with no arguments: the chat app (imported only now: the CLI stays light)."""
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        print(
            'advisor: the chat app needs a terminal; for scripts use `advisor ask "..."` '
            "(see `advisor --help`)",
            file=sys.stderr,
        )
        return 2
    from tui.app import run

    run()
    return 0


_BOUNDS = {"less_than_equal": ("le", "at most"), "greater_than_equal": ("ge", "at least")}


def _figure(value: float) -> str:
    """A bound or a value as written: '1,000,000,000', '0.5'."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        field = ".".join(str(p) for p in error["loc"]) or "input"
        message = str(error["msg"]).removeprefix("Value error, ")
        bound = _BOUNDS.get(error["type"])
        if bound and isinstance(error.get("input"), int | float):
            limit = error.get("ctx", {})[bound[0]]
            message = f"must be {bound[1]} {_figure(limit)}, got {_figure(error['input'])}"
        option = "--" + field.replace("_tokens", "").replace("_", "-")
        parts.append(message if field == "input" or not error["loc"] else f"{option}: {message}")
    return "; ".join(parts)


class _Parser(argparse.ArgumentParser):
    """argparse that raises InvalidInput for a bad flag instead of exiting, so the message is
    printed the same way as every other error (as JSON under --json)."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("advisor").strip()  # the top parser is "advisor" itself
        raise InvalidInput(f"{command}: {message}" if command else message)


def _report(code: str, message: str, exit_code: int, as_json: bool) -> int:
    """An error in one line on stderr, or as {"error": {...}} on stdout under --json."""
    message = printable(message)  # a name typed with escape codes is echoed without them
    if as_json:
        print(json.dumps({"error": {"message": message, "code": code}}, ensure_ascii=False))
    else:
        print(f"advisor: {message}", file=sys.stderr)
    return exit_code


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments:
        return _run_app()
    as_json = "--json" in arguments
    arguments = _negatives_joined(_command_first(arguments))
    try:
        _check_command(arguments[0])
        args = build_parser(arguments[0]).parse_args(arguments)
        handler: Handler | None = getattr(args, "handler", None)
        if handler is None:
            build_parser().print_help()
            return 0
        return handler(args)
    except AdvisorError as exc:
        return _report(error_code(exc), exc.message, exc.exit_code, as_json)
    except ValidationError as exc:
        return _report("invalid_input", _validation_message(exc), InvalidInput.exit_code, as_json)
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so in one line rather than a traceback
        message = (
            f"internal error ({exc.__class__.__name__}: {exc}); please report it with the "
            "command you ran"
        )
        return _report("internal", message, 1, as_json)


_NEGATIVE_VALUE = re.compile(r"-[\d.]")


def _negatives_joined(arguments: list[str]) -> list[str]:
    """'--context -8k' as '--context=-8k': argparse takes a value starting with a minus and
    a letter after its digits for an option and says only that one is missing; joined, the
    flag's own check says what is wrong with it."""
    out: list[str] = []
    for argument in arguments:
        before = out[-1] if out else ""
        flag = before.startswith("--") and "=" not in before
        if flag and _NEGATIVE_VALUE.match(argument):
            out[-1] = f"{before}={argument}"
        else:
            out.append(argument)
    return out


def entry() -> None:
    """The `advisor` command: `main`, then leave without tearing the interpreter down.

    Freeing every object at exit costs ~35 ms, a fifth of a call; everything the command writes
    is closed by then, so the streams are flushed and the process ends at once."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    from advisor import regex_cache

    regex_cache.keep()  # after the answer is out; writes only when it learns patterns
    os._exit(code)


if __name__ == "__main__":
    raise SystemExit(main())
