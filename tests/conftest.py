from __future__ import annotations

from pathlib import Path

import pytest

from advisor.catalog import Catalog, load_catalog

REPO = Path(__file__).resolve().parent.parent
DEV_CSV = REPO / "benchmarks" / "dev.csv"
EXTRA_CSV = REPO / "benchmarks" / "extra.csv"


@pytest.fixture(autouse=True)
def _isolated_config_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the real user's config dir."""
    monkeypatch.setenv("ADVISOR_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()
