"""The core never pays for the faces it does not use."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("textual", "langchain_core", "langchain", "jinja2", "mcp")


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


def test_importing_the_core_pulls_in_no_tui_langchain_or_jinja() -> None:
    loaded = _modules_after(
        "import advisor, advisor.estimate, advisor.catalog, advisor.validate, advisor.cli"
    )
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_an_estimate_from_the_cli_loads_no_heavy_faces() -> None:
    loaded = _modules_after(
        "from advisor.cli import main; main(['estimate','-m','llama-3.1-8b','--hw','dgx-spark'])"
    )
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_no_module_imports_itself_back() -> None:
    """No import cycles anywhere in advisor/ or tui/ (TYPE_CHECKING imports included)."""
    import grimp

    graph = grimp.build_graph("advisor", "tui")
    cycles = [
        (module, other)
        for module in sorted(graph.modules)
        for other in sorted(graph.find_modules_directly_imported_by(module))
        if other in graph.modules and graph.chain_exists(importer=other, imported=module)
    ]
    assert cycles == []
