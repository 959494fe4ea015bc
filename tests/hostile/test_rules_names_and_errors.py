"""User rules that fail, names full of markup and escape codes, floods of text, and errors an
agent or a script reads: each a clear message or a correct answer, fast."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from advisor.tools import get_tools
from tests.conftest import RunCli
from tui.app import AdvisorApp
from tui.widgets.options_table import OptionsTable
from tui.widgets.question_input import QuestionInput

QUESTION = "Can a DGX Spark run Llama 3.3 70B?"
QUICK_S = 5.0


def _rules(tmp_path: Path, text: str) -> str:
    folder = tmp_path / "my-rules"
    folder.mkdir(exist_ok=True)
    (folder / "mine.yaml").write_text(text, encoding="utf-8")
    return str(folder)


def _rule(when: str, explain: str = "over_budget") -> str:
    return f"- id: mine\n  when: '{when}'\n  kind: advice\n  explain: {explain}\n"


@pytest.mark.parametrize(
    ("when", "explain", "message"),
    [
        ("int(decode_tok_s) / int(units - 1.0) > 1", "over_budget", "fails when the figures are"),
        ("fits", "no_such_text", "no explanation 'no_such_text'"),
        ("fits and decode_tok_s < 5", "over_budget", "old rule syntax"),
        ('model.matches("(a+)+$")', "over_budget", None),  # RE2: no catastrophic backtracking
    ],
)
def test_a_rule_that_would_fail_is_refused_at_load_or_runs_safely(
    run_cli: RunCli, tmp_path: Path, when: str, explain: str, message: str | None
) -> None:
    folder = _rules(tmp_path, _rule(when, explain))
    started = time.monotonic()
    out = run_cli("ask", "--rules", folder, QUESTION)
    assert time.monotonic() - started < QUICK_S
    if message is None:
        assert out.returncode == 0 and "tok/s" in out.stdout
    else:
        assert out.returncode == 2 and message in out.stderr and "mine" in out.stderr
        assert "internal error" not in out.stderr


def test_a_rule_that_fails_on_one_option_is_skipped_and_said(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # fine at the load-time trial (figures of 0 and 1), out of int64 range for real speeds
    folder = _rules(tmp_path, _rule("int(decode_tok_s * 1.0e18) > 0"))
    out = run_cli("ask", "--rules", folder, "Can an RTX 5090 run Qwen3 8B?")
    assert out.returncode == 0, out.stderr
    assert "A rule of yours failed on this option and was skipped" in out.stdout
    assert "rule 'mine'" in out.stdout


MARKUP_CATALOG = """\
hardware:
- id: dgx-spark
  name: "[bold red]Evil[/] \\x1b]52;c;aGVsbG8=\\x07box"
  short_name: "[/oops] box \\x1b[2J"
  vendor: v
  family: nvidia
  kind: box
  memory_gb: 128
  usable_gb: 119.7
  usable_max_gb: 119.7
  bandwidth_gbs: 273
  tflops: {fp16: 62}
  max_units: 4
  links: [cx7]
  sources: {'*': 'a hostile test'}
"""


def test_escape_codes_in_names_never_reach_the_terminal(run_cli: RunCli, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(MARKUP_CATALOG, encoding="utf-8")
    out = run_cli("ask", "--catalog", str(catalog), QUESTION)
    assert out.returncode == 0, out.stderr
    assert "\x1b" not in out.stdout and "\x07" not in out.stdout
    assert "\\[bold red\\]Evil" in out.stdout  # markup shown as text, escaped for Markdown


async def test_markup_in_names_is_shown_as_text_in_the_app(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(MARKUP_CATALOG, encoding="utf-8")
    app = AdvisorApp(catalog_files=[str(catalog)])
    async with app.run_test(size=(160, 48)) as pilot:
        app.query_one(QuestionInput).value = QUESTION
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.query_one(OptionsTable)
        labels = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
    # the cell is the text itself, not Rich markup, and the escape character is gone
    assert any(label.startswith("[/oops] box") and "\x1b" not in label for label in labels)


@pytest.mark.parametrize("length", [300, 1_000_000])
def test_a_flood_of_a_name_is_refused_fast_everywhere(run_cli: RunCli, length: int) -> None:
    name = "x" * length
    started = time.monotonic()
    out = run_cli("estimate", "--model", name, "--hardware", "dgx-spark", "--json")
    assert time.monotonic() - started < QUICK_S
    error = json.loads(out.stdout)["error"]
    assert out.returncode == 2 and "at most 200 characters" in error["message"]
    assert len(out.stdout) < 2000  # the flood is not echoed back
    tools = {tool.name: tool for tool in get_tools()}
    started = time.monotonic()
    reply = tools["estimate_llm_on_hardware"].invoke(
        {
            "type": "tool_call",
            "name": "x",
            "args": {"model": name, "hardware": "dgx-spark"},
            "id": "1",
        }
    )
    assert time.monotonic() - started < QUICK_S
    assert reply.status == "error" and "200 characters" in str(reply.content)
    assert len(str(reply.content)) < 2000


@pytest.mark.parametrize(
    "args",
    [
        ("estimate", "--model", "lama-3.3-70b", "--hardware", "dgx-spark"),
        ("estimate", "--model", "llama-3.3-70b", "--hardware", "dgx-spark", "--units", "0"),
        ("recommend", "--model", "llama-3.1-8b", "--budget", "-5"),
        ("compare", "dgx-spark", "--model", "llama-3.1-8b"),
        ("validate", "/nonexistent.csv"),
        ("catalog", "gpus"),
        ("ask", ""),
    ],
)
def test_under_json_every_error_is_a_json_object(run_cli: RunCli, args: tuple[str, ...]) -> None:
    out = run_cli(*args, "--json", stdin="")
    assert out.returncode == 2
    error: dict[str, Any] = json.loads(out.stdout)["error"]
    assert error["message"] and error["code"] in {"invalid_input", "unknown_name", "bad_file"}
    assert out.stderr == ""


async def test_the_mcp_server_refuses_a_flood_fast_and_keeps_answering() -> None:
    import anyio
    from mcp import Client

    from advisor.mcp_server import build_server

    async with Client(build_server()) as client:
        started = time.monotonic()
        flood = await client.call_tool(
            "estimate_llm_on_hardware", {"model": "x" * 1_000_000, "hardware": "dgx-spark"}
        )
        assert flood.is_error and time.monotonic() - started < QUICK_S
        replies: list[Any] = []

        async def ask_one() -> None:
            replies.append(
                await client.call_tool(
                    "estimate_llm_on_hardware", {"model": "qwen3-32b", "hardware": "rtx-5090"}
                )
            )

        async with anyio.create_task_group() as group:
            for _ in range(20):
                group.start_soon(ask_one)
    assert len(replies) == 20 and not any(reply.is_error for reply in replies)


def test_a_user_rule_may_reuse_any_shipped_explanation(run_cli: RunCli, tmp_path: Path) -> None:
    rule = "- id: my-rule\n  when: 'fits'\n  kind: warning\n  explain: tight_headroom\n"
    out = run_cli("ask", "--rules", _rules(tmp_path, rule), QUESTION)
    assert out.returncode == 0, out.stderr
    assert "GB" in out.stdout
