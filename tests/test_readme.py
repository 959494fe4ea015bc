"""The README's example answers are what the advisor says today, word for word."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from advisor.choose import estimate_request
from advisor.context import Advisor
from advisor.requests import EstimateRequest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "readme_examples.py"


def test_each_readme_example_is_the_exact_output_of_its_command() -> None:
    spec = importlib.util.spec_from_file_location("readme_examples", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = module.examples(module.README.read_text(encoding="utf-8"))
    assert len(found) >= 4
    for command, written, now in found:
        assert written == now, f"README example out of date: {command} (run {SCRIPT.name} --write)"


def test_the_teams_figures_quoted_in_prose_are_todays(advisor: Advisor) -> None:
    text = (SCRIPT.parent.parent / "README.md").read_text(encoding="utf-8")
    said = re.search(
        r"get ([\d.]+) tok/s each at first and ([\d.]+) once the contexts fill, and are judged\s+"
        r"on the ([\d.]+) they average",
        text,
    )
    assert said is not None
    request = EstimateRequest(
        model="qwen3-32b", hardware="dgx-spark", context_tokens=32768, concurrency=5
    )
    option = estimate_request(advisor, request)
    now = (
        option.decode_tok_s,
        option.decode_tok_s_full_context,
        option.decode_tok_s_conversation,
    )
    assert [float(x) for x in said.groups()] == [round(x or 0, 1) for x in now]
