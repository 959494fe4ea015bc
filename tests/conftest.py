from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from advisor.catalog import Catalog, load_catalog
from advisor.context import Advisor
from tests.helpers import shipped_advisor

REPO = Path(__file__).resolve().parent.parent
DEV_CSV = REPO / "benchmarks" / "dev.csv"
EXTRA_CSV = REPO / "benchmarks" / "extra.csv"
BATCHED_DEEP_CSV = REPO / "benchmarks" / "batched_deep.csv"


@pytest.fixture(autouse=True)
def _isolated_config_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the real user's config or cache dir."""
    monkeypatch.setenv("ADVISOR_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def advisor(catalog: Catalog) -> Advisor:
    """The shipped context: built-in catalog, rules and calibration, default settings."""
    return shipped_advisor(catalog)


class CliResult(NamedTuple):
    """What one `advisor ...` call gave: exit code, stdout and stderr (as subprocess names them)."""

    returncode: int
    stdout: str
    stderr: str


RunCli = Callable[..., CliResult]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> RunCli:
    """Run `advisor ARGS` in this process: run_cli("estimate", "-m", ..., stdin="...").

    `stdin` (text) replaces sys.stdin for the call, as a pipe would. An argparse usage error
    (SystemExit) becomes its exit code, as the real command's would.
    """
    from advisor.cli import main  # here, not at the top: only the tests that run the CLI need it

    def run(*args: str, stdin: str | None = None) -> CliResult:
        capsys.readouterr()  # drop anything printed before the call
        with monkeypatch.context() as patch:
            if stdin is not None:
                patch.setattr(sys, "stdin", io.StringIO(stdin))
            try:
                code = main(list(args))
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1 if exit_.code else 0
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run
