"""The MCP server: the same operations as the LangChain tools, with structured content."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from mcp import Client, StdioServerParameters
from mcp.types import TextContent

from advisor.cli import main
from advisor.mcp_server import build_server
from advisor.tools import get_tools
from advisor.tools.operations import OPERATIONS, Operation


def text_of(result: Any) -> str:
    return "".join(block.text for block in result.content if isinstance(block, TextContent))


async def test_a_client_lists_every_tool_with_the_argument_models_schema() -> None:
    async with Client(build_server()) as client:
        listed = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert sorted(listed) == sorted(op.name for op in OPERATIONS)
    for op in OPERATIONS:
        tool = listed[op.name]
        expected = op.args_model.model_json_schema()
        assert tool.description == op.description
        assert tool.input_schema["properties"].keys() == expected["properties"].keys()
        assert sorted(tool.input_schema.get("required", [])) == sorted(expected["required"])
        for name, prop in tool.input_schema["properties"].items():
            assert prop["description"] == expected["properties"][name]["description"]
            assert prop.get("default") == expected["properties"][name].get("default")
        assert tool.output_schema is not None
        assert tool.annotations is not None and tool.annotations.read_only_hint


async def test_each_listed_input_schema_carries_the_argument_models_examples() -> None:
    async with Client(build_server()) as client:
        listed = {tool.name: tool for tool in (await client.list_tools()).tools}
    for op in OPERATIONS:
        schema = listed[op.name].input_schema
        assert schema["examples"] == op.args_model.model_json_schema()["examples"], op.name
        for example in schema["examples"]:
            assert example.keys() <= schema["properties"].keys(), op.name


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
async def test_each_tool_answers_like_its_langchain_twin(op: Operation) -> None:
    async with Client(build_server()) as client:
        result = await client.call_tool(op.name, op.example)
    assert not result.is_error, text_of(result)
    twin = {tool.name: tool for tool in get_tools()}[op.name].invoke(
        {"type": "tool_call", "name": op.name, "args": op.example, "id": "1"}
    )
    assert text_of(result) == twin.content
    assert result.structured_content == twin.artifact
    op.result_model.model_validate(result.structured_content)


async def test_a_wrong_call_is_an_error_result_with_a_fix() -> None:
    async with Client(build_server()) as client:
        unknown = await client.call_tool(
            "estimate_llm_on_hardware", {"model": "llama 3.3 70", "hardware": "dgx-spark"}
        )
        too_long = await client.call_tool(
            "estimate_llm_on_hardware",
            {
                "model": "qwen3-32b",
                "hardware": "rtx-5090",
                "context_tokens": 512,
                "prompt_tokens": 2048,
            },
        )
        one_box = await client.call_tool(
            "compare_hardware", {"model": "qwen3-32b", "hardware": ["rtx-5090"]}
        )
    assert unknown.is_error and "Did you mean 'llama-3.3-70b'" in text_of(unknown)
    assert too_long.is_error and "exceed the context window (512)" in text_of(too_long)
    assert one_box.is_error and "hardware" in text_of(one_box)


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        ({"units": 0}, "`units`: Input should be greater than or equal to 1"),
        ({"context_tokens": "32k"}, "`context_tokens`: Input should be a valid integer"),
        ({"concurrency": -2}, "`concurrency`: Input should be greater than or equal to 1"),
    ],
)
async def test_arguments_the_schema_refuses_get_the_langchain_tools_message(
    arguments: dict[str, Any], said: str
) -> None:
    """They had come back as pydantic's dump, with its documentation link."""
    call = {"model": "qwen3-32b", "hardware": "dgx-spark", **arguments}
    async with Client(build_server()) as client:
        result = await client.call_tool("estimate_llm_on_hardware", call)
    twin = {tool.name: tool for tool in get_tools()}["estimate_llm_on_hardware"].invoke(
        {"type": "tool_call", "name": "estimate_llm_on_hardware", "args": call, "id": "1"}
    )
    assert result.is_error and said in text_of(result)
    assert "errors.pydantic.dev" not in text_of(result)
    assert text_of(result).endswith("call estimate_llm_on_hardware again.")
    assert said in str(twin.content)


async def test_advisor_mcp_serves_over_stdio() -> None:
    command = StdioServerParameters(command=sys.executable, args=["-m", "advisor.cli", "mcp"])
    async with Client(command) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        found = await client.call_tool("search_catalog", {"query": "asus ascent gx10"})
    assert names == {op.name for op in OPERATIONS}
    assert not found.is_error
    assert found.structured_content is not None
    assert found.structured_content["matches"][0]["id"] == "asus-ascent-gx10"


def test_advisor_mcp_without_the_sdk_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in [n for n in sys.modules if n == "mcp" or n.startswith("mcp.")]:
        monkeypatch.setitem(sys.modules, name, None)  # as if the extra were not installed
    monkeypatch.delitem(sys.modules, "advisor.mcp_server", raising=False)
    assert main(["mcp"]) == 2
    assert "pip install '.[mcp]'" in capsys.readouterr().err
