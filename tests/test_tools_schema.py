"""What an LLM is shown of each tool, in OpenAI's function format: a change to a name, a
description or an argument shows up here first. Update with `pytest --snapshot-update`."""

from __future__ import annotations

import pytest
from langchain_core.utils.function_calling import convert_to_openai_tool
from syrupy.assertion import SnapshotAssertion

from advisor.tools import get_tools

TOOLS = {tool.name: tool for tool in get_tools()}


@pytest.mark.parametrize("name", sorted(TOOLS))
def test_openai_tool_schema(name: str, snapshot: SnapshotAssertion) -> None:
    assert convert_to_openai_tool(TOOLS[name]) == snapshot
