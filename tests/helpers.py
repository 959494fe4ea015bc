"""Shared by tests: the shipped context, and the physics of one setup taken as written."""

from __future__ import annotations

from typing import Any

from advisor.calibration import load_calibration
from advisor.catalog import Catalog, load_catalog
from advisor.context import Advisor
from advisor.estimate import Estimate, estimate
from advisor.requests import EstimateRequest
from advisor.rules import load_rules
from advisor.settings import Settings
from advisor.setups import exact_setup


def shipped_advisor(catalog: Catalog | None = None) -> Advisor:
    """The built-in catalog, rules and calibration with default settings: no user files."""
    return Advisor(
        catalog=catalog or load_catalog(),
        rules=load_rules(),
        calibration=load_calibration(),
        settings=Settings(),
    )


def physics(catalog: Catalog, **request: Any) -> Estimate:
    """The figures of exactly the setup described (no format or engine chosen for it)."""
    parsed = EstimateRequest(**request)
    return estimate(exact_setup(catalog, parsed), parsed.workload(), load_calibration())
