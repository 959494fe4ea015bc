"""The operations as an MCP server (`advisor mcp` runs it on stdio).

Each tool's parameters are the fields of its argument model, with the model's worked examples
(the same ones the LangChain tools use); it answers with the short text as content and the
result model as structured content, whose schema is the tool's output schema. A call the model
got wrong comes back as an error result saying how to fix it. Needs the `mcp` extra:
`pip install '.[mcp]'` from the checkout.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field, ValidationError

from advisor.tools.operations import (
    OPERATIONS,
    Operation,
    ToolContext,
    ToolInputError,
    validation_message,
)

INSTRUCTIONS = (
    "Deterministic figures for running LLMs locally: memory needed against usable, decode and "
    "prefill speed, time to first token, price, and a verdict, from a sourced catalog and a "
    "calibrated model. Quote these figures instead of guessing. Use search_catalog or "
    "list_catalog to find ids; estimate_llm_on_hardware when the user names a model and a box; "
    "recommend_hardware when they ask what to buy; compare_hardware to weigh named boxes; "
    "largest_models_on_hardware when they ask what a box can run; "
    "upgrade_hardware when they own a box and ask what to add or buy; "
    "explain_verdict for the reasoning in Chinese or English."
)


def build_server(context: ToolContext | None = None) -> MCPServer:
    """An MCP server exposing every operation, answering from `context` (by default the same
    catalog and rules as the `advisor` command)."""
    context = context or ToolContext()
    tools = [mcp_tool(op, context) for op in OPERATIONS]
    return MCPServer(name="advisor", instructions=INSTRUCTIONS, log_level="WARNING", tools=tools)


class _AdvisorTool(Tool):
    """A tool whose arguments, when the SDK refuses them against the input schema, get the
    message a LangChain tool gives ("Invalid arguments for …: `units`: … Fix them …"), not
    pydantic's dump with its documentation links."""

    async def run(
        self, arguments: dict[str, Any], context: Any, convert_result: bool = False
    ) -> Any:
        try:
            return await super().run(arguments, context, convert_result)
        except ToolError as exc:
            if isinstance(exc.__cause__, ValidationError):
                raise ToolError(validation_message(exc.__cause__, self.name)) from exc.__cause__
            raise


def mcp_tool(op: Operation, context: ToolContext) -> Tool:
    """`op` as an MCP tool. The SDK reads the input schema from `tool_function`'s signature,
    which cannot hold the argument model's worked examples; they are added to it here, so an MCP
    client sees the same `examples` as a LangChain one."""
    tool = _AdvisorTool.from_function(
        tool_function(op, context),
        name=op.name,
        description=op.description,
        annotations=ToolAnnotations(
            read_only_hint=True, idempotent_hint=True, open_world_hint=False
        ),
        structured_output=True,
    )
    examples = op.args_model.model_json_schema().get("examples")
    if examples:
        tool.parameters["examples"] = examples
    return tool


def tool_function(op: Operation, context: ToolContext) -> Callable[..., CallToolResult]:
    """A function whose signature is `op`'s argument model, field for field, for the SDK to
    read the tool's input schema from; its return annotation names the output schema."""

    def call(**arguments: Any) -> CallToolResult:
        try:
            outcome = op.call(context, arguments)
        except ToolInputError as exc:
            raise ToolError(exc.message) from exc
        return CallToolResult(
            content=[TextContent(type="text", text=outcome.text)],
            structured_content=outcome.data.model_dump(mode="json"),
        )

    parameters = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=inspect.Parameter.empty if info.is_required() else info.default,
            # the field's type, bounds and description; its default is the parameter's
            annotation=Annotated[
                (info.annotation, *info.metadata, Field(description=info.description))
            ],
        )
        for name, info in op.args_model.model_fields.items()
    ]
    call.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        parameters, return_annotation=Annotated[CallToolResult, op.result_model]
    )
    call.__name__ = op.name
    call.__doc__ = op.description
    return call
