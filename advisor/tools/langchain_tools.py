"""The operations as LangChain structured tools.

Each tool returns `(text, data)` with `response_format="content_and_artifact"`: the model reads
the short text, the program gets the structured result (plain JSON data) as the ToolMessage's
artifact. A call the model got wrong comes back as an error ToolMessage saying how to fix it.
"""

from __future__ import annotations

from typing import Any

from langchain_core.tools import BaseTool, StructuredTool, ToolException
from pydantic import ValidationError

from advisor.tools.operations import (
    OPERATIONS,
    Operation,
    ToolContext,
    ToolInputError,
    validation_message,
)


def build_tools(context: ToolContext) -> list[BaseTool]:
    return [structured_tool(op, context) for op in OPERATIONS]


def structured_tool(op: Operation, context: ToolContext) -> StructuredTool:
    def run(**arguments: Any) -> tuple[str, dict[str, Any]]:
        try:
            outcome = op.call(context, arguments)
        except ToolInputError as exc:
            raise ToolException(exc.message) from exc
        return outcome.text, outcome.data.model_dump(mode="json")

    def invalid(exc: Any) -> str:
        if isinstance(exc, ValidationError):
            return validation_message(exc, op.name)
        return f"Invalid arguments for {op.name}: {exc}. Fix them and call {op.name} again."

    run.__name__ = op.name
    run.__doc__ = op.description
    return StructuredTool.from_function(
        func=run,
        name=op.name,
        description=op.description,
        args_schema=op.args_model,
        response_format="content_and_artifact",
        handle_tool_error=True,
        handle_validation_error=invalid,
    )
