"""The structured results every face prints or returns (`--json`, `ask --json`, the agent
tools' artifacts): one shape per result, written once, so faces cannot disagree."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from advisor.judge import Option
    from advisor.recommend import CanRun, Comparison, Recommendation
    from advisor.upgrade import Upgrade, UpgradePath

PICK_NAMES = (
    "best",
    "cheapest",
    "fastest",
    "soonest_first_token",
    "best_value",
    "best_new",
    "cheapest_to_own",
    "cheaper_below_4bit",
    "just_over_budget",
)


def option_data(option: Option | None) -> dict[str, Any] | None:
    return None if option is None else option.model_dump(mode="json")


def _pick(option: Option | None) -> dict[str, Any] | None:
    """Which option a pick is: the box and how many of it."""
    return None if option is None else {"hardware": option.hardware, "units": option.units}


def recommendation_data(
    rec: Recommendation, answer: str, options_shown: int | None = None
) -> dict[str, Any]:
    """The recommendation's data, with its first `options_shown` options (default: all) and
    every picked one, so each pick's figures are there to read."""
    picks = {name: getattr(rec.picks, name) for name in PICK_NAMES}
    shown = rec.options[:options_shown]
    picked = {id(o) for o in picks.values() if o is not None}
    shown += [o for o in rec.options[len(shown) :] if id(o) in picked]
    return {
        "model": rec.query.model,
        "model_name": rec.model_name,
        "query": rec.query.model_dump(mode="json"),
        "options": [option_data(o) for o in shown],
        "picks": {name: _pick(o) for name, o in picks.items()},
        "nothing_in_budget": rec.nothing_in_budget,
        "cheapest_working": option_data(rec.cheapest_working),
        "cheapest_new": option_data(rec.cheapest_new),
        "quantized_in_budget": option_data(rec.quantized_in_budget),
        "roomiest": option_data(rec.roomiest),
        "quickest": option_data(rec.quickest),
        "memory_needed_gb": rec.memory_needed_gb,
        "larger_cluster": None
        if rec.larger_cluster is None
        else {"hardware": rec.larger_cluster[0], "units": rec.larger_cluster[1]},
        "answer": answer,
    }


def comparison_data(cmp: Comparison, answer: str) -> dict[str, Any]:
    return {
        "model": cmp.query.model,
        "model_name": cmp.model_name,
        "query": cmp.query.model_dump(mode="json"),
        "options": [option_data(o) for o in cmp.sides],
        "missing": cmp.missing,
        "missing_for_team": cmp.missing_for_team,
        "clusters": [option_data(o) for o in cmp.clusters],
        "own_engine": cmp.own_engine,
        "grown": cmp.grown,
        "winners": cmp.winners.model_dump(mode="json"),
        "serving": {key: option_data(o) for key, o in cmp.serving.items()},
        "at_counts": cmp.at_counts,
        "answer": answer,
    }


def can_run_data(checked: CanRun) -> dict[str, Any]:
    takes = checked.takes
    return {
        "option": option_data(checked.option),
        "verdict": checked.option.verdict,
        "takes": None
        if takes is None
        else {
            "format": option_data(takes.format),
            "context": option_data(takes.context),
            "kv_cache": option_data(takes.kv_cache),
            "kv_cache_type": takes.kv_cache_type,
            "units": option_data(takes.units),
            "lighter": option_data(takes.lighter),
            "users": option_data(takes.users),
            "elsewhere": option_data(takes.elsewhere),
        },
        "others": [option_data(o) for o in checked.others],
        "most_users": option_data(checked.most_users),
        "longest_context": None
        if checked.longest_context is None
        else {
            "option": option_data(checked.longest_context.option),
            "kv_cache": option_data(checked.longest_context.kv_cache),
            "kv_cache_type": checked.longest_context.kv_cache_type,
            "model_limit": checked.longest_context.model_limit,
            "model_window": checked.longest_context.model_window,
        },
        "fewer_as_fast": option_data(checked.fewer_as_fast),
        "fewer_is_faster": checked.fewer_is_faster,
        "faster_at_its_bits": option_data(checked.faster_at_its_bits),
        "close_engine": option_data(checked.close_engine),
    }


def _path_data(path: UpgradePath | None) -> dict[str, Any] | None:
    if path is None:
        return None
    return {
        "kind": path.kind,
        "hardware": path.option.hardware,
        "units": path.option.units,
        "added_units": path.added_units,
        "cost": path.cost,
        "in_budget": path.in_budget,
        "works": path.works,
        "step_up": path.step_up,
        "option": option_data(path.option),
    }


def upgrade_data(up: Upgrade, answer: str) -> dict[str, Any]:
    """Paths carry `cost`, what they add to what is owned, beside the option's full `price`."""
    return {
        "model": up.query.model,
        "model_name": up.model_name,
        "query": up.query.model_dump(mode="json"),
        "have": {"hardware": up.have, "units": up.have_units},
        "keep": _path_data(up.keep),
        "fewer_owned": option_data(up.fewer_owned),
        "paths": [_path_data(p) for p in up.paths],
        "cheapest_step": _path_data(up.cheapest_step),
        "cheapest_over_budget": _path_data(up.cheapest_over_budget),
        "fastest": _path_data(up.fastest),
        "fastest_tok_s": up.fastest_tok_s,
        "fastest_in_band": up.fastest_in_band,
        "fastest_top_cost": up.fastest_top_cost,
        "answer": answer,
    }
