"""One question, one answer: the same request through every face gives the same pick, format,
engine, units, decode, time to first token, price and verdict.

Each case is a question as a user types it. Its parse (from `ask --json`) is turned into the
flags of `advisor estimate|recommend|compare --json`, the arguments of the LangChain tools and
the MCP tools, and the question is also typed into the app, whose table rows are read back.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from mcp import Client

from advisor.ask.answer import answer
from advisor.ask.parse import parse
from advisor.catalog import load_catalog
from advisor.context import Advisor
from advisor.mcp_server import build_server
from advisor.tools import get_tools
from tui.app import AdvisorApp
from tui.widgets.options_table import OptionsTable
from tui.widgets.question_input import QuestionInput

from .conftest import RunCli

SAME = ("hardware", "units", "quant", "engine", "decode_tok_s", "ttft_s", "price", "verdict")
ROW_SAME = ("hardware", "units", "quant", "decode_tok_s", "ttft_s", "price", "verdict")

CAN_RUN = [
    "Can a DGX Spark run Llama 3.3 70B?",
    "单台 DGX Spark 能跑 Llama 3.3 70B 吗？",
    "can an rtx 4090 run llama 3.3 70b",
    "4090 能跑 qwen3 32b 吗",
    "Can a Mac Studio M3 Ultra 512GB run DeepSeek R1 at 4-bit?",
    "M3 Ultra 512G 能跑满血 DeepSeek R1 吗？",
    "can two dgx sparks run qwen3 235b with 32k context",
    "两台 Spark 能跑 Llama 3.1 405B 吗",
    "Will gpt-oss-120b run on a Strix Halo 128GB?",
    "AI Max 395 跑 gpt oss 120b 怎么样",
    "can an rtx 5090 run qwen3 32b at 8-bit with a 32k prompt",
    "M4 Max 128GB 能跑 Qwen3 235B 吗，上下文 16k",
    "can a strix halo run qwen3 32b?",
    "Can a DGX Spark run Qwen3 30B A3B with 50k-token documents? First token under 10 seconds.",
    "Two 3090s, Llama 3.3 70B, Q4_K_M GGUF: how fast?",
]
RECOMMEND = [
    "Which box for DeepSeek R1 under $10k?",
    "预算 8 万，想本地跑满血 DeepSeek R1，买什么？",
    "best hardware for llama 3.3 70b, budget $4000",
    "预算3万，想跑 Qwen3 235B，买什么？",
    "what should I buy to run qwen3 32b at least 20 tok/s",
    "跑 gpt-oss-120b 买什么机器，每秒 30 个 token 以上",
    "cheapest box for llama 3.1 8b",
    "想跑 GLM 4.6，预算 5 万",
    "which machine for qwen3 235b with 32k context, $12k",
    "8 个人一起用 qwen3 32b，买什么",
    "buy what for Llama 4 Scout, 4-bit, under 6000 dollars",
    "跑 DeepSeek R1 8位量化，预算 15 万",
    "Qwen3 32B 给 5 个人用，32k 的提示词，首字延迟要在 20 秒内，预算 15 万",
    "What's the cheapest box that runs Llama 3.3 70B at at least 15 tok/s?",
    "Best box under $6000 for Llama 3.3 70B as a Q4_K_M GGUF?",
    "跑 Llama 3.3 70B 最快的机器，预算 8 万",
    "预算3万，想跑 Qwen3 32B，只要新机，不要二手",
    "Llama 3.3 70B running smoothly, what's the cheapest box?",
    "想流畅跑 Llama 3.3 70B，预算 2 万，买什么？",
    "Which box gives the fastest first token for Qwen3 32B with 32k prompts, budget $6000?",
]
COMPARE = [
    "mac studio 512g vs dgx spark for qwen3 235b, 32k context",
    "DGX Spark 和 Mac Studio 跑 DeepSeek R1 哪个好",
    "rtx 5090 or dgx spark for qwen3 32b",
    "两张3090还是一张4090跑 llama 3.3 70b",
    "strix halo vs m4 max 128gb for gpt-oss-120b",
    "M3 Ultra 512GB 对比 DGX Spark，跑 Llama 3.3 70B",
    "should I get 2 3090s or a 4090 for llama 3.3 70b",
    "Spark 还是 Strix Halo 跑 Qwen3 30B A3B",
    "Mac Studio vs DGX Spark for llama 3.3 70b",
    "One DGX Spark or two for Llama 3.3 70B?",
    "一台 DGX Spark 还是两台？跑 Qwen3 235B",
]


def _ask(run_cli: RunCli, question: str) -> dict[str, Any]:
    out = run_cli("ask", question, "--json")
    assert out.returncode == 0, out.stderr
    data: dict[str, Any] = json.loads(out.stdout)
    assert data["result"] is not None, data["answer"]
    return data


def _picked(option: dict[str, Any]) -> dict[str, Any]:
    return {key: option[key] for key in SAME}


def _cli_json(run_cli: RunCli, *args: str) -> dict[str, Any]:
    out = run_cli(*args, "--json")
    assert out.returncode == 0, out.stderr
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def _money_flags(query: dict[str, Any], currency: str) -> list[str]:
    flags = ["--currency", currency]
    if query["budget"]:
        flags += ["--budget", str(query["budget"])]
    if query["min_tok_s"]:
        flags += ["--min-tok-s", str(query["min_tok_s"])]
    if query.get("min_verdict"):
        flags += ["--min-verdict", query["min_verdict"]]
    if query["max_ttft_s"]:
        flags += ["--max-ttft", str(query["max_ttft_s"])]
    return flags


def _work_flags(core: dict[str, Any]) -> list[str]:
    flags = ["--context", str(core["context_tokens"])]
    if core.get("prompt_tokens"):
        flags += ["--prompt", str(core["prompt_tokens"])]
    return [*flags, "--concurrency", str(core["concurrency"])]


def _tool_artifact(name: str, args: dict[str, Any]) -> dict[str, Any]:
    tools = {tool.name: tool for tool in get_tools()}
    message = tools[name].invoke({"type": "tool_call", "name": name, "args": args, "id": "p"})
    assert message.status == "success", message.content
    artifact: dict[str, Any] = message.artifact
    return artifact


async def _mcp_content(name: str, args: dict[str, Any]) -> dict[str, Any]:
    async with Client(build_server()) as client:
        result = await client.call_tool(name, args)
    assert not result.is_error, result.content
    content: dict[str, Any] = result.structured_content or {}
    return content


async def _app_rows(question: str) -> list[dict[str, Any]]:
    app = AdvisorApp()
    async with app.run_test(size=(160, 48)) as pilot:
        app.query_one(QuestionInput).value = question
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        return [row.model_dump() for row in app.query_one(OptionsTable).rows_shown]


def _row_matches(row: dict[str, Any], option: dict[str, Any]) -> None:
    assert {k: row[k] for k in ROW_SAME} == {k: option[k] for k in ROW_SAME}


@pytest.mark.parametrize("question", CAN_RUN)
async def test_can_run_answers_agree_in_every_face(run_cli: RunCli, question: str) -> None:
    data = _ask(run_cli, question)
    assert data["query"]["intent"] == "can_run", data["query"]
    option = data["result"]["option"]
    currency = option["currency"]
    flags = [
        "--model", option["model"], "--hardware", option["hardware"],
        "--units", str(option["units"]),
        *_work_flags({"context_tokens": option["context_tokens"],
                      "prompt_tokens": option["prompt_tokens"],
                      "concurrency": option["concurrency"]}),
        *_money_flags(data["query"], currency),
    ]  # fmt: skip
    if data["query"]["quant"]:
        flags += ["--quant", data["query"]["quant"]]
    if data["query"]["quant_as_named"]:
        flags += ["--as-named"]
    cli = _cli_json(run_cli, "estimate", *flags)
    tool_args = {
        "model": option["model"],
        "hardware": option["hardware"],
        "units": option["units"],
        "quant": data["query"]["quant"],
        "quant_as_named": data["query"]["quant_as_named"],
        "context_tokens": option["context_tokens"],
        "prompt_tokens": option["prompt_tokens"],
        "concurrency": option["concurrency"],
        "currency": currency,
        "budget": data["query"]["budget"],
        "min_tok_s": data["query"]["min_tok_s"],
        "max_ttft_s": data["query"]["max_ttft_s"],
    }
    tool = _tool_artifact("estimate_llm_on_hardware", tool_args)["option"]
    mcp = (await _mcp_content("estimate_llm_on_hardware", tool_args))["option"]
    assert _picked(cli) == _picked(option) == _picked(tool) == _picked(mcp)
    assert cli == option == tool == mcp  # every figure, not only the headline ones
    rows = await _app_rows(question)
    _row_matches(rows[0], option)


def _query_flags(data: dict[str, Any], core: dict[str, Any]) -> list[str]:
    flags = [
        "--model",
        core["model"],
        "--lang",
        core["lang"],
    ]
    if core["max_units"] is not None:
        flags += ["--max-units", str(core["max_units"])]
    for quant in core["quants"] or (["native"] if core["native_only"] else []):
        flags += ["--quant", quant]
    if core["prefer"]:
        flags += ["--prefer", core["prefer"].replace("_", "-")]
    if core["new_only"]:
        flags += ["--new-only"]
    if core["quant_as_named"]:
        flags += ["--as-named"]
    return [*flags, *_work_flags(core), *_money_flags(core, core["currency"])]


def _query_args(core: dict[str, Any]) -> dict[str, Any]:
    keys = ("model", "quants", "native_only", "context_tokens", "prompt_tokens", "concurrency",
            "min_tok_s", "max_ttft_s", "budget", "currency", "max_units", "hardware",
            "lang", "prefer", "new_only", "min_verdict", "quant_as_named")  # fmt: skip
    return {key: core[key] for key in keys}


@pytest.mark.parametrize("question", RECOMMEND)
async def test_recommendations_agree_in_every_face(run_cli: RunCli, question: str) -> None:
    data = _ask(run_cli, question)
    assert data["query"]["intent"] == "recommend", data["query"]
    core = data["result"]["query"]
    cli = _cli_json(run_cli, "recommend", *_query_flags(data, core))
    tool = _tool_artifact("recommend_hardware", _query_args(core))
    mcp = await _mcp_content("recommend_hardware", _query_args(core))
    best = data["result"]["options"][0]
    assert _picked(cli["options"][0]) == _picked(best)
    assert cli["options"][0] == best == tool["options"][0] == mcp["options"][0]
    assert cli["picks"] == data["result"]["picks"] == tool["picks"] == mcp["picks"]
    assert tool == cli == mcp  # the recommend tool's artifact is the CLI's JSON
    rows = await _app_rows(question)
    for row, option in zip(rows, cli["options"], strict=False):
        _row_matches(row, option)


@pytest.mark.parametrize("question", COMPARE)
async def test_comparisons_agree_in_every_face(run_cli: RunCli, question: str) -> None:
    data = _ask(run_cli, question)
    assert data["query"]["intent"] == "compare", data["query"]
    core = data["result"]["query"]
    sides = data["result"]["options"]
    fixed_counts = len({o["units"] for o in sides}) > 1
    # counts the question wrote against each box are written so for the other faces
    boxes = [f"{o['units']}x {o['hardware']}" for o in sides] if fixed_counts else core["hardware"]
    cli = _cli_json(run_cli, "compare", *boxes, *_query_flags(data, core))
    tool = _tool_artifact("compare_hardware", _query_args(core) | {"hardware": boxes})
    mcp = await _mcp_content("compare_hardware", _query_args(core) | {"hardware": boxes})
    assert [_picked(o) for o in cli["options"]] == [_picked(o) for o in sides]
    assert cli["options"] == sides == tool["options"] == mcp["options"]
    assert cli["winners"] == data["result"]["winners"] == tool["winners"] == mcp["winners"]
    for side in sides:  # each side is what estimate says for that box and count
        alone = _cli_json(
            run_cli, "estimate", "--model", side["model"], "--hardware", side["hardware"],
            "--units", str(side["units"]), *_work_flags(side),
            *_money_flags(core, side["currency"]),
            *(f for q in core["quants"] or () for f in ("--quant", q)),
        )  # fmt: skip
        assert _picked(alone) == _picked(side)
    rows = await _app_rows(question)
    for row, option in zip(rows, sides, strict=True):
        _row_matches(row, option)


def test_ask_table_rows_repeat_their_options_figures(run_cli: RunCli) -> None:
    for question in (RECOMMEND[0], COMPARE[0], CAN_RUN[0], RECOMMEND[1]):
        data = _ask(run_cli, question)
        result = data["result"]
        options = result.get("options") or [result["option"], *result["others"]]
        assert data["rows"]
        for row, option in zip(data["rows"], options, strict=False):
            _row_matches(row, option)
            assert row["tok_s_per_1000"] == option["tok_s_per_1000"]
            assert row["prompt_tokens"] == option["prompt_tokens"]


USER_RULE = """\
- id: no-cards-in-my-office
  when: kind == "card"
  kind: verdict
  verdict: not_usable
  priority: 95
  explain: uncalibrated
  source: "a user's own rule: no desktop cards"
"""


def test_a_user_rule_changes_ask_exactly_as_it_changes_recommend(
    run_cli: RunCli, tmp_path: Any
) -> None:
    folder = tmp_path / "my-rules"
    folder.mkdir()
    (folder / "office.yaml").write_text(USER_RULE, encoding="utf-8")
    question = "which box for qwen3 32b under $5000"
    plain = _ask(run_cli, question)["result"]["options"][0]
    out = run_cli("ask", question, "--json", "--rules", str(folder))
    with_rule = json.loads(out.stdout)["result"]["options"][0]
    flags = ("--model", "qwen3-32b", "--budget", "5000", "--rules", str(folder))
    recommended = _cli_json(run_cli, "recommend", *flags)["options"][0]
    kind = {h.id: h.kind for h in load_catalog().hardware}
    assert kind[plain["hardware"]] == "card"  # a card wins without the rule
    assert kind[with_rule["hardware"]] != "card"
    assert "no-cards-in-my-office" not in with_rule["fired_rules"]
    assert with_rule == recommended


async def test_the_app_reads_the_users_rules_from_the_config_dir(run_cli: RunCli) -> None:
    from advisor.paths import user_config_dir

    folder = user_config_dir() / "rules"
    folder.mkdir(parents=True)
    (folder / "office.yaml").write_text(USER_RULE, encoding="utf-8")
    question = "which box for qwen3 32b under $5000"
    rows = await _app_rows(question)
    recommended = _cli_json(run_cli, "recommend", "--model", "qwen3-32b", "--budget", "5000")
    assert {h.id: h.kind for h in load_catalog().hardware}[rows[0]["hardware"]] != "card"
    _row_matches(rows[0], recommended["options"][0])


async def test_the_users_settings_reach_every_face(run_cli: RunCli) -> None:
    """Saved settings (as the app writes them) fill what a flag, a tool call or a question
    leaves out, the same way in every face."""
    from advisor.settings import save_setting

    for name, value in (("currency", "CNY"), ("context_tokens", 32768), ("max_units", 1)):
        save_setting(name, value)
    cli = _cli_json(run_cli, "estimate", "--model", "llama-3.3-70b", "--hardware", "dgx-spark")
    args = {"model": "llama-3.3-70b", "hardware": "dgx-spark"}
    tool = _tool_artifact("estimate_llm_on_hardware", args)["option"]
    mcp = (await _mcp_content("estimate_llm_on_hardware", args))["option"]
    asked = _ask(run_cli, "Can a DGX Spark run Llama 3.3 70B?")["result"]["option"]
    assert cli["context_tokens"] == 32768 and cli["currency"] == "CNY"
    assert cli == tool == mcp == asked
    recommended = _cli_json(run_cli, "recommend", "--model", "llama-3.3-70b")
    tool_pick = _tool_artifact("recommend_hardware", {"model": "llama-3.3-70b"})
    mcp_pick = await _mcp_content("recommend_hardware", {"model": "llama-3.3-70b"})
    assert all(o["units"] == 1 for o in recommended["options"])
    assert recommended["options"][0] == tool_pick["options"][0] == mcp_pick["options"][0]


def test_a_saved_currency_reads_a_bare_budget(run_cli: RunCli) -> None:
    """A budget with no currency is read in the saved currency, not the question's language."""
    from advisor.settings import save_setting

    save_setting("currency", "CNY")
    query = _ask(run_cli, "what should I buy for qwen3 32b, budget 30000")["query"]
    assert (query["budget"], query["currency"]) == (30000, "CNY")
    assert "your setting" in query["assumed"]["currency"]


def test_a_quoted_price_is_the_same_through_ask_and_the_estimate_tool(advisor: Advisor) -> None:
    question = "I can get two used RTX 3090s for $600 each for Llama 3.3 70B"
    asked = answer(advisor, parse(advisor.catalog, question))
    assert asked.result is not None
    option = asked.result["option"]
    tool = {t.name: t for t in get_tools()}["estimate_llm_on_hardware"]
    text = tool.invoke(
        {
            "model": "llama-3.3-70b",
            "hardware": "rtx-3090",
            "units": 2,
            "unit_prices": [{"hardware": "rtx-3090", "price": 600}],
        }
    )
    assert f"price: ${option['price']:,.0f} " in text and option["price_split"]["hardware"] == 1200


def test_an_engine_named_in_a_question_is_the_one_every_door_uses(
    advisor: Advisor, run_cli: RunCli
) -> None:
    question = "4x RTX 3090 with vLLM tensor parallel for Llama 3.3 70B, how fast?"
    asked = answer(advisor, parse(advisor.catalog, question))
    assert asked.result is not None
    option = asked.result["option"]
    assert (option["engine"], option["split"], option["units"]) == ("vllm", "tensor", 4)
    assert "on vLLM, tensor split" in asked.answer
    out = run_cli(
        "estimate",
        "-m",
        "llama-3.3-70b",
        "--hw",
        "rtx-3090",
        "--units",
        "4",
        "-e",
        "vllm",
        "--split",
        "tensor",
        "--json",
    )
    assert json.loads(out.stdout)["decode_tok_s"] == pytest.approx(option["decode_tok_s"])
    tool = {t.name: t for t in get_tools()}["recommend_hardware"]
    text = tool.invoke({"model": "llama-3.3-70b", "hardware": ["rtx-3090"], "engine": "vllm"})
    assert "vllm" in text and "llama.cpp" not in text


def test_a_long_prompt_grows_the_context_through_every_door(
    advisor: Advisor, run_cli: RunCli
) -> None:
    asked = answer(advisor, parse(advisor.catalog, "RTX 5090, Qwen3 32B, 64k prompt"))
    assert asked.result is not None
    out = run_cli("estimate", "-m", "qwen3-32b", "--hw", "rtx-5090", "--prompt", "64k", "--json")
    assert out.returncode == 0, out.stderr
    estimated = json.loads(out.stdout)
    option = asked.result["option"]
    assert estimated["memory_total_gb"] == pytest.approx(option["memory_total_gb"])
    assert estimated["context_tokens"] == option["context_tokens"] > 65536
