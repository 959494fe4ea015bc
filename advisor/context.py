"""The one context every answer comes from: catalog, rules, calibration and settings, loaded
once. Every face builds it with `load_advisor` from the same user files; every core entry point
takes it, and none falls back quietly to the shipped defaults."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.calibration import Calibration, load_calibration
from advisor.catalog import Catalog, load_user_catalog
from advisor.rules import Rule, load_user_rules
from advisor.settings import Settings, load_settings


@dataclass
class Advisor:
    """What an answer is computed from. `estimates` keeps each distinct setup's figures so one
    question never estimates the same setup twice."""

    catalog: Catalog
    rules: tuple[Rule, ...]
    calibration: Calibration
    settings: Settings = field(default_factory=Settings)
    notes: tuple[str, ...] = ()
    estimates: dict[Any, Any] = field(default_factory=dict, repr=False)

    def with_settings(self, settings: Settings) -> Advisor:
        return Advisor(self.catalog, self.rules, self.calibration, settings, self.notes)


def load_advisor(
    catalog_files: Iterable[str | Path] = (),
    rule_dirs: Iterable[str | Path] = (),
    settings: Settings | None = None,
) -> Advisor:
    """The built-in catalog and rules plus the user's own (the given files and folders or, when
    none are given, `catalog.yaml` and `rules/` in the config dir), the fitted calibration, and
    the saved settings (unless `settings` is given). Raises CatalogFileError for a broken file."""
    notes: list[str] = []
    if settings is None:
        settings, note = load_settings()
        if note:
            notes.append(note)
    return Advisor(
        catalog=load_user_catalog(catalog_files),
        rules=load_user_rules(rule_dirs),
        calibration=load_calibration(),
        settings=settings,
        notes=tuple(notes),
    )


def load_advisor_or_builtin(
    catalog_files: Iterable[str | Path] = (), rule_dirs: Iterable[str | Path] = ()
) -> Advisor:
    """For the app, which cannot stop at a broken user file: the user's context, or the
    built-in catalog and rules with a note saying which file was set aside and why."""
    from advisor.catalog import load_catalog
    from advisor.errors import CatalogFileError
    from advisor.rules import load_rules

    try:
        return load_advisor(catalog_files, rule_dirs)
    except CatalogFileError as exc:
        settings, note = load_settings()
        return Advisor(
            catalog=load_catalog(),
            rules=load_rules(),
            calibration=load_calibration(),
            settings=settings,
            notes=(f"{exc.message} — using the built-in catalog and rules only",)
            + ((note,) if note else ()),
        )
