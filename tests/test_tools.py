"""The LangChain tools: LangChain's own conformance suites, an agent loop with a fake chat model,
mistakes an LLM can recover from, and schemas that come from the core's models."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from typing import Any, ClassVar

import pytest
import yaml
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolCall, ToolMessage
from langchain_core.tools import BaseTool
from langchain_tests.integration_tests import ToolsIntegrationTests
from langchain_tests.unit_tests import ToolsUnitTests

from advisor.catalog import SECTIONS, Catalog
from advisor.choose import estimate_request
from advisor.context import Advisor
from advisor.recommend import compare, recommend
from advisor.render.answers import render_option, render_recommendation
from advisor.requests import DEFAULT_MAX_UNITS, Constraints, EstimateRequest, RecommendQuery
from advisor.tools import get_tools
from advisor.tools.operations import OPERATIONS, operation
from advisor.tools.schemas import (
    FROM_SETTINGS,
    SECTION_NAMES,
    CompareArgs,
    EstimateArgs,
    ExplainArgs,
    RecommendArgs,
    derive_args,
)
from tests.conftest import RunCli
from tests.helpers import shipped_advisor

TOOLS: dict[str, BaseTool] = {tool.name: tool for tool in get_tools()}


def call(name: str, args: dict[str, Any], call_id: str = "call-1") -> ToolMessage:
    message = TOOLS[name].invoke({"type": "tool_call", "name": name, "args": args, "id": call_id})
    assert isinstance(message, ToolMessage)
    return message


# --- LangChain's standard suites, for every tool ----------------------------------------------


class _AdvisorTool:
    """The tool under test and its worked example (the one in its argument schema)."""

    tool_name: ClassVar[str]

    @property
    def tool_constructor(self) -> BaseTool:
        return TOOLS[self.tool_name]

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return operation(self.tool_name).example


class TestEstimateToolUnit(_AdvisorTool, ToolsUnitTests):
    tool_name = "estimate_llm_on_hardware"


class TestEstimateToolIntegration(_AdvisorTool, ToolsIntegrationTests):
    tool_name = "estimate_llm_on_hardware"


class TestRecommendToolUnit(_AdvisorTool, ToolsUnitTests):
    tool_name = "recommend_hardware"


class TestRecommendToolIntegration(_AdvisorTool, ToolsIntegrationTests):
    tool_name = "recommend_hardware"


class TestCompareToolUnit(_AdvisorTool, ToolsUnitTests):
    tool_name = "compare_hardware"


class TestCompareToolIntegration(_AdvisorTool, ToolsIntegrationTests):
    tool_name = "compare_hardware"


class TestListCatalogToolUnit(_AdvisorTool, ToolsUnitTests):
    tool_name = "list_catalog"


class TestListCatalogToolIntegration(_AdvisorTool, ToolsIntegrationTests):
    tool_name = "list_catalog"


class TestSearchCatalogToolUnit(_AdvisorTool, ToolsUnitTests):
    tool_name = "search_catalog"


class TestSearchCatalogToolIntegration(_AdvisorTool, ToolsIntegrationTests):
    tool_name = "search_catalog"


class TestExplainToolUnit(_AdvisorTool, ToolsUnitTests):
    tool_name = "explain_verdict"


class TestExplainToolIntegration(_AdvisorTool, ToolsIntegrationTests):
    tool_name = "explain_verdict"


class TestCapacityToolUnit(_AdvisorTool, ToolsUnitTests):
    tool_name = "largest_models_on_hardware"


class TestCapacityToolIntegration(_AdvisorTool, ToolsIntegrationTests):
    tool_name = "largest_models_on_hardware"


class TestUpgradeToolUnit(_AdvisorTool, ToolsUnitTests):
    tool_name = "upgrade_hardware"


class TestUpgradeToolIntegration(_AdvisorTool, ToolsIntegrationTests):
    tool_name = "upgrade_hardware"


def test_the_upgrade_tool_the_command_and_ask_give_one_answer(run_cli: RunCli) -> None:
    asked = json.loads(
        run_cli(
            "ask",
            "I have a 4090. Should I add a second card, or buy another box, to run Qwen3 235B?",
            "--json",
        ).stdout
    )
    command = json.loads(
        run_cli("upgrade", "--have", "rtx-4090", "--model", "qwen3-235b-a22b", "--json").stdout
    )
    reply = call("upgrade_hardware", {"have": "rtx-4090", "model": "qwen3-235b-a22b"})
    results = (asked["result"], command, reply.artifact)
    assert len({json.dumps(r["cheapest_step"], sort_keys=True) for r in results}) == 1
    assert len({json.dumps(r["paths"], sort_keys=True) for r in results}) == 1
    assert asked["answer"] == command["answer"] == reply.artifact["answer"]


@pytest.mark.parametrize(
    ("command", "tool", "args"),
    [
        (
            ("compare", "dgx-spark", "rtx-5090", "--model", "qwen3-32b"),
            "compare_hardware",
            {"model": "qwen3-32b", "hardware": ["dgx-spark", "rtx-5090"]},
        ),
        (
            ("upgrade", "--have", "3x rtx-3090", "--model", "llama-3.3-70b"),
            "upgrade_hardware",
            {"have": "rtx-3090", "have_units": 3, "model": "llama-3.3-70b"},
        ),
    ],
)
def test_a_tools_structured_result_is_the_commands_json(
    run_cli: RunCli, command: tuple[str, ...], tool: str, args: dict[str, Any]
) -> None:
    """The compare tool had lacked `serving` (8 users on each side) and the upgrade tool
    `fewer_owned` (two of three 3090s on vLLM), which the commands' JSON and the tools' own
    text gave."""
    printed = json.loads(run_cli(*command, "--json").stdout)
    reply = call(tool, args)
    assert printed == reply.artifact
    assert printed.get("serving") or printed.get("fewer_owned")


def test_the_capacity_tool_says_what_ask_says(run_cli: RunCli) -> None:
    question = "What's the biggest model two DGX Sparks can run at 10 tok/s?"
    out = run_cli("ask", question, "--json")
    asked = json.loads(out.stdout)
    reply = call(
        "largest_models_on_hardware", {"hardware": "dgx-spark", "units": 2, "min_tok_s": 10}
    )
    assert (
        asked["result"]["largest_usable"]["option"]["model"]
        == reply.artifact["largest_meeting_bar"]
    )
    assert asked["answer"] == reply.artifact["answer"]


def test_the_largest_model_for_a_team_holds_every_users_context(run_cli: RunCli) -> None:
    """ "最大能跑多大的模型，8个人用" had named DeepSeek-V2.5 at one user's 21.1 tok/s, a model
    a can-run answer for 8 users says does not fit."""
    asked = json.loads(run_cli("ask", "DGX Spark 最大能跑多大的模型，8个人用", "--json").stdout)[
        "result"
    ]
    reply = call(
        "largest_models_on_hardware", {"hardware": "dgx-spark", "concurrency": 8, "lang": "zh"}
    )
    largest = asked["largest"]["option"]
    assert (largest["model"], asked["concurrency"]) == (reply.artifact["largest"], 8)
    assert largest["concurrency"] == 8 and largest["model"] != "deepseek-v2.5"
    assert "供 8 人同时用" in reply.artifact["answer"] and "每人约" in reply.artifact["answer"]
    alone = call("largest_models_on_hardware", {"hardware": "dgx-spark"})
    assert alone.artifact["largest"] == "deepseek-v2.5"


def test_estimate_names_what_limits_decode_as_the_answer_reasons_it(run_cli: RunCli) -> None:
    # the estimate said "bandwidth-bound" where ask said reading the weights takes a quarter of
    # each token's time and fixed per-token work the rest
    out = run_cli("estimate", "--model", "qwen3-30b-a3b", "--hardware", "rtx-5090")
    assert "bound by fixed per-token work, not bandwidth" in out.stdout
    reply = call("estimate_llm_on_hardware", {"model": "qwen3-30b-a3b", "hardware": "rtx-5090"})
    assert "bound by fixed per-token work, not bandwidth" in str(reply.content)
    asked = run_cli("ask", "Can an RTX 5090 run Qwen3 30B-A3B?")
    assert "the rest is fixed per-token work" in asked.stdout
    dense = run_cli("estimate", "--model", "llama-3.3-70b", "--hardware", "dgx-spark")
    assert "), bandwidth-bound" in dense.stdout


def test_every_tool_has_a_standard_suite() -> None:
    suites = [
        cls
        for cls in globals().values()
        if isinstance(cls, type) and issubclass(cls, _AdvisorTool) and cls is not _AdvisorTool
    ]
    for base in (ToolsUnitTests, ToolsIntegrationTests):
        covered = sorted(cls.tool_name for cls in suites if issubclass(cls, base))
        assert covered == sorted(TOOLS), base.__name__


# --- an agent loop ----------------------------------------------------------------------------


class ToolCallingFakeModel(GenericFakeChatModel):
    """A scripted chat model that "binds" tools (GenericFakeChatModel has no bind_tools)."""

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ToolCallingFakeModel:  # type: ignore[override]
        return self


def run_agent(model: ToolCallingFakeModel, question: str, turns: int = 5) -> list[BaseMessage]:
    """The usual loop: ask the model, run the tools it calls, hand back the results."""
    tools = get_tools()
    by_name = {tool.name: tool for tool in tools}
    bound = model.bind_tools(tools)
    messages: list[BaseMessage] = [HumanMessage(question)]
    for _ in range(turns):
        reply = bound.invoke(messages)
        messages.append(reply)
        if not reply.tool_calls:
            return messages
        messages += [by_name[c["name"]].invoke(c) for c in reply.tool_calls]
    raise AssertionError("the agent did not finish")


def tool_call(name: str, call_id: str, **args: Any) -> ToolCall:
    return ToolCall(name=name, args=args, id=call_id, type="tool_call")


def test_an_agent_gets_the_figures_and_recovers_from_a_wrong_name(catalog: Catalog) -> None:
    model = ToolCallingFakeModel(
        messages=iter(
            [
                AIMessage(
                    "",
                    tool_calls=[
                        tool_call("search_catalog", "c1", query="asus ascent gx10"),
                        tool_call(
                            "estimate_llm_on_hardware",
                            "c2",
                            model="llama 3.3 70",
                            hardware="dgx-spark",
                        ),
                    ],
                ),
                AIMessage(
                    "",
                    tool_calls=[
                        tool_call(
                            "estimate_llm_on_hardware",
                            "c3",
                            model="llama-3.3-70b",
                            hardware="dgx-spark",
                            context_tokens=32768,
                        ),
                        tool_call(
                            "explain_verdict",
                            "c4",
                            model="llama-3.3-70b",
                            hardware="dgx-spark",
                            lang="zh",
                        ),
                    ],
                ),
                AIMessage("A DGX Spark runs Llama 3.3 70B as a proof of concept."),
            ]
        )
    )
    messages = run_agent(model, "Can the ASUS Ascent GX10 run Llama 3.3 70B?")
    results = {m.tool_call_id: m for m in messages if isinstance(m, ToolMessage)}
    assert sorted(results) == ["c1", "c2", "c3", "c4"]
    assert isinstance(messages[-1], AIMessage) and not messages[-1].tool_calls

    assert results["c1"].status == "success"
    assert results["c1"].artifact["matches"][0]["id"] == "asus-ascent-gx10"

    wrong = results["c2"]
    assert wrong.status == "error" and wrong.artifact is None
    assert "Did you mean 'llama-3.3-70b'" in str(wrong.content)
    assert "`model`" in str(wrong.content)

    expected = estimate_request(
        shipped_advisor(catalog),
        EstimateRequest(model="llama-3.3-70b", hardware="dgx-spark", context_tokens=32768),
    )
    figures = results["c3"]
    assert figures.status == "success"
    assert f"{expected.decode_tok_s:.1f} tok/s per sequence" in str(figures.content)
    assert f"verdict: {expected.verdict}" in str(figures.content)
    assert figures.artifact["option"]["decode_tok_s"] == expected.decode_tok_s
    assert figures.artifact["option"]["memory"]["total_gb"] == expected.memory.total_gb
    assert json.loads(json.dumps(figures.artifact)) == figures.artifact

    explained = results["c4"]
    assert explained.status == "success"
    assert "DGX Spark" in str(explained.content) and "tok/s" in str(explained.content)
    assert explained.artifact["lang"] == "zh"


# --- mistakes come back as messages the model can act on --------------------------------------

MISTAKES = [
    (
        "estimate_llm_on_hardware",
        {"model": "llama 3.3 70", "hardware": "dgx-spark"},
        "'llama-3.3-70b'",
    ),
    (
        "estimate_llm_on_hardware",
        {"model": "llama-3.3-70b", "hardware": "dgx-sprak"},
        "'dgx-spark'",
    ),
    (
        "estimate_llm_on_hardware",
        {"model": "qwen3-32b", "hardware": "rtx-5090", "quant": "q4_k_x"},
        "`quant`",
    ),
    (
        "estimate_llm_on_hardware",
        {"model": "qwen3-32b", "hardware": "rtx-5090", "units": 0},
        "`units`",
    ),
    (
        "estimate_llm_on_hardware",
        {"model": "qwen3-32b", "hardware": "dgx-spark", "units": 9},
        "up to 4 units",
    ),
    (
        "estimate_llm_on_hardware",
        {
            "model": "qwen3-32b",
            "hardware": "rtx-5090",
            "context_tokens": 512,
            "prompt_tokens": 2048,
        },
        "exceed the context window",
    ),
    (
        "estimate_llm_on_hardware",
        {"model": "qwen3-32b", "hardware": "rtx-5090", "engine": "mlx"},
        "mlx",
    ),
    (
        "estimate_llm_on_hardware",
        {"model": "qwen3-32b", "hardware": "rtx-5090", "gpu": "yes"},
        "`gpu`",
    ),
    ("estimate_llm_on_hardware", {"hardware": "rtx-5090"}, "`model`: Field required"),
    ("recommend_hardware", {"model": "llama-3.3-70b", "budget": -5}, "`budget`"),
    ("recommend_hardware", {"model": "gpt5"}, "'gpt-oss-20b'"),
    ("compare_hardware", {"model": "llama-3.3-70b", "hardware": ["dgx-spark"]}, "`hardware`"),
    (
        "compare_hardware",
        {"model": "llama-3.3-70b", "hardware": ["dgx-spark", "rtx 9090"]},
        "'rtx-5090'",
    ),
    ("list_catalog", {"section": "gpus"}, "`section`"),
    ("search_catalog", {"query": ""}, "`query`"),
    ("explain_verdict", {"model": "qwen3-32b", "hardware": "rtx-5090", "lang": "fr"}, "`lang`"),
]


@pytest.mark.parametrize(("name", "args", "hint"), MISTAKES)
def test_a_wrong_call_comes_back_as_an_error_message_with_a_fix(
    name: str, args: dict[str, Any], hint: str
) -> None:
    message = call(name, args)
    assert message.status == "error"
    assert hint in str(message.content)
    assert f"call {name} again" in str(message.content) or "Did you mean" in str(message.content)
    # invoked with bare arguments (no tool call) the error is the returned text, not a raise
    assert hint in str(TOOLS[name].invoke(args))


# --- the structured results -------------------------------------------------------------------


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
def test_each_result_is_plain_json_that_its_result_model_reads_back(op: Any) -> None:
    message = call(op.name, op.example)
    assert message.status == "success"
    assert isinstance(message.content, str) and message.content
    assert json.loads(json.dumps(message.artifact, ensure_ascii=False)) == message.artifact
    assert (
        op.result_model.model_validate(message.artifact).model_dump(mode="json") == message.artifact
    )


def test_recommend_and_compare_report_what_the_core_decides(advisor: Advisor) -> None:
    query = RecommendQuery(model="llama-3.3-70b", budget=5000, min_tok_s=10)
    expected = recommend(advisor, query)
    message = call(
        "recommend_hardware", {"model": "llama-3.3-70b", "budget": 5000, "min_tok_s": 10}
    )
    best = message.artifact["options"][0]
    assert expected.picks.best is not None
    assert message.artifact["picks"]["best"] == {
        "hardware": expected.picks.best.hardware,
        "units": expected.picks.best.units,
    }
    assert (best["hardware"], best["units"]) == (
        expected.picks.best.hardware,
        expected.picks.best.units,
    )
    assert [o["hardware"] for o in message.artifact["options"]] == [
        o.hardware for o in expected.options
    ]
    assert render_recommendation(advisor.catalog, expected).strip() in str(message.content)
    assert f"best: {expected.picks.best.hardware}" in str(message.content)

    boxes = ("dgx-spark", "mac-studio-m3-ultra-80c-512gb")
    versus = compare(advisor, RecommendQuery(model="deepseek-r1", hardware=boxes))
    message = call("compare_hardware", {"model": "deepseek-r1", "hardware": list(boxes)})
    assert message.artifact["winners"] == versus.winners.model_dump()
    assert message.artifact["missing"] == versus.missing == ["dgx-spark"]
    assert "Cannot run it: dgx-spark" in str(message.content)


def test_explain_gives_the_core_answer_in_the_asked_language(advisor: Advisor) -> None:
    request = EstimateRequest(model="qwen3-32b", hardware="rtx-5090")
    for lang, currency in (("en", "USD"), ("zh", "CNY")):
        constraints = Constraints(currency=currency)  # a Chinese answer is priced in yuan
        option = estimate_request(advisor, request, constraints)
        expected = render_option(advisor.catalog, option, lang)
        message = call(
            "explain_verdict", {"model": "qwen3-32b", "hardware": "rtx-5090", "lang": lang}
        )
        assert message.content == expected
        assert message.artifact["text"] == expected


def test_constraints_reach_the_verdict(advisor: Advisor) -> None:
    args = {"model": "llama-3.3-70b", "hardware": "dgx-spark", "budget": 2000}
    expected = estimate_request(
        advisor,
        EstimateRequest(model="llama-3.3-70b", hardware="dgx-spark"),
        Constraints(budget=2000),
    )
    message = call("estimate_llm_on_hardware", args)
    assert expected.facts.over_budget
    assert [r["id"] for r in message.artifact["option"]["findings"]] == expected.fired_rules


def test_the_catalog_tools_list_and_find_ids(catalog: Catalog) -> None:
    for section in SECTION_NAMES:
        listed = call("list_catalog", {"section": section}).artifact
        assert [item["id"] for item in listed["items"]] == [e.id for e in catalog.section(section)]
    found = call("search_catalog", {"query": "m3 ultra", "section": "hardware"}).artifact
    ids = [m["id"] for m in found["matches"]]
    assert ids[0] == catalog.hardware.get("m3 ultra").id and len(ids) > 1
    assert all(i.startswith("mac-studio-m3-ultra") for i in ids)
    typo = call("search_catalog", {"query": "deepsek r1"}).artifact["matches"]
    assert typo[0]["id"] == "deepseek-r1" and typo[0]["match"] == "similar"
    assert typo[0]["entry"]["sources"]
    nothing = call("search_catalog", {"query": "zzzz qqqq"})
    assert nothing.status == "success" and nothing.artifact["matches"] == []
    assert "list_catalog" in str(nothing.content)


def test_the_tools_read_the_users_own_catalog_like_the_cli(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    mine = catalog.hardware.get("dgx-spark").model_dump(mode="json")
    mine.update(id="my-spark-clone", name="My Spark clone", aliases=["lab box"])
    (tmp_path / "catalog.yaml").write_text(yaml.safe_dump({"hardware": [mine]}), encoding="utf-8")
    monkeypatch.setenv("ADVISOR_CONFIG_DIR", str(tmp_path))
    tools = {tool.name: tool for tool in get_tools()}
    found = tools["search_catalog"].invoke(
        {"type": "tool_call", "name": "search_catalog", "args": {"query": "lab box"}, "id": "1"}
    )
    assert found.artifact["matches"][0]["id"] == "my-spark-clone"


# --- one source of truth ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args_model", "cores"),
    [
        (EstimateArgs, (EstimateRequest, Constraints)),
        (ExplainArgs, (EstimateRequest, Constraints)),
        (RecommendArgs, (RecommendQuery,)),
        (CompareArgs, (RecommendQuery,)),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_argument_models_are_the_core_models_with_notes(args_model: Any, cores: Any) -> None:
    for core in cores:
        assert issubclass(args_model, core)
        for name, core_field in core.model_fields.items():
            field = args_model.model_fields[name]
            if args_model is CompareArgs and name == "hardware":
                continue  # required there: a comparison needs the boxes
            if name in FROM_SETTINGS:  # left out, the user's saved setting fills it
                assert field.default is None and "saved setting" in (field.description or "")
                # an unsaid largest cluster is 2 (a datacenter GPU is weighed at server sizes)
                unsaid = DEFAULT_MAX_UNITS if name == "max_units" else core_field.default
                assert f"else {unsaid}" in (field.description or ""), name
                continue
            assert field.annotation == core_field.annotation, name
            assert field.metadata == core_field.metadata, name
            assert field.default == core_field.default, name
            assert (field.description or "").startswith(core_field.description or ""), name


def test_every_argument_is_described_and_every_schema_has_a_worked_example() -> None:
    for op in OPERATIONS:
        schema = op.args_model.model_json_schema()
        assert schema["examples"], op.name
        for example in schema["examples"]:
            op.args_model.model_validate(example)
        for name, prop in schema["properties"].items():
            assert len(prop.get("description", "")) > 15, (op.name, name)
        assert "Example arguments" in TOOLS[op.name].description


def test_an_undescribed_field_is_refused() -> None:
    with pytest.raises(TypeError, match="describe"):
        derive_args("Bare", (RecommendQuery,), doc="", example={"model": "x"}, notes={})


def test_catalog_sections_are_the_catalogs_own() -> None:
    assert set(SECTION_NAMES) == set(SECTIONS)


# --- what loads what --------------------------------------------------------------------------


def _top_modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


def test_only_the_langchain_face_loads_langchain() -> None:
    assert not {"langchain_core", "mcp"} & _top_modules_after(
        "import advisor, advisor.tools, advisor.tools.operations"
    )
    assert "langchain_core" not in _top_modules_after("import advisor.mcp_server")
    assert "langchain_core" in _top_modules_after(
        "from advisor.tools import get_tools; get_tools()"
    )


def test_a_counted_box_is_compared_as_that_many_through_every_door(
    advisor: Advisor, run_cli: Any
) -> None:
    # `compare 2x-dgx-spark ...` had compared one Spark, while `ask` compared two
    boxes = ["2x-dgx-spark", "mac-studio-m5-ultra-256gb"]
    tool = call("compare_hardware", {"model": "qwen3-235b-a22b", "hardware": boxes})
    cli = json.loads(run_cli("compare", *boxes, "-m", "qwen3-235b-a22b", "--json").stdout)
    from advisor.ask.answer import answer
    from advisor.ask.parse import parse

    asked = answer(
        advisor, parse(advisor.catalog, "2台 DGX Spark 和 M5 Ultra 256GB 跑 Qwen3 235B 哪个好")
    )
    for sides in (tool.artifact["options"], cli["options"], asked.result["options"]):
        units = {side["hardware"]: side["units"] for side in sides}
        assert units == {"dgx-spark": 2, "mac-studio-m5-ultra-256gb": 1}
    decode = [
        next(s for s in sides if s["hardware"] == "dgx-spark")["decode_tok_s"]
        for sides in (tool.artifact["options"], cli["options"], asked.result["options"])
    ]
    assert decode[0] == decode[1] == decode[2]


def test_the_tools_read_a_box_given_by_its_line_as_the_cli_and_a_question_do() -> None:
    reply = call(
        "estimate_llm_on_hardware", {"model": "qwen3-32b", "hardware": "mac studio m5 ultra"}
    )
    text = str(reply.content)
    assert text.startswith("'mac studio m5 ultra' names a product line; reading it as")
    assert "M5 Ultra 30-core CPU / 64-core GPU, 96 GB" in text
    compared = call(
        "compare_hardware",
        {"model": "qwen3-32b", "hardware": ["dgx-spark", "mac-studio-m5-ultra"]},
    )
    assert "mac-studio-m5-ultra-96gb" in str(compared.content)
