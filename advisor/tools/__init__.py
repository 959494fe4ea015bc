"""Agent tools: the advisor's deterministic figures for an LLM agent to call.

`get_tools()` gives LangChain structured tools; `advisor mcp` serves the same operations over
MCP. Both are generated from `advisor.tools.operations.OPERATIONS`, whose argument schemas are
derived from the core's request models. `import advisor` alone loads neither LangChain nor MCP.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from langchain_core.tools import BaseTool

    from advisor.context import Advisor

__all__ = ["get_tools"]


def get_tools(advisor: Advisor | None = None) -> list[BaseTool]:
    """LangChain tools for estimating, recommending, comparing, listing and searching the
    catalog, and explaining a verdict. By default they answer from the same context as the
    `advisor` command (built-in files plus the user's own catalog, rules and settings), built
    by `advisor.context.load_advisor`."""
    from advisor.tools.langchain_tools import build_tools
    from advisor.tools.operations import ToolContext

    return build_tools(ToolContext(advisor))
