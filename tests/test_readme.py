"""The README's example answers are what the advisor says today, word for word."""

from __future__ import annotations

import importlib.util
from pathlib import Path

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
