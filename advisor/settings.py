"""What a user set once (language, currency, context, format, cluster size), kept as JSON in
the user's config dir. The app writes it; every face reads it, so a setting changes the answer
the same way wherever the question comes in."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor.paths import locale_language, settings_path
from advisor.requests import (
    DEFAULT_CONTEXT_TOKENS,
    DEFAULT_HOURS_PER_DAY,
    DEFAULT_MAX_UNITS,
    DEFAULT_OUTPUT_TOKENS,
    Currency,
    Language,
    context_holding,
    is_native,
)


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    language: Literal["auto", "en", "zh"] = "auto"
    currency: Currency | None = None
    context_tokens: int = Field(default=DEFAULT_CONTEXT_TOKENS, ge=512, le=1_048_576)
    quant: str | None = None
    max_units: int = Field(default=DEFAULT_MAX_UNITS, ge=1, le=8)
    my_hardware: str | None = Field(default=None, max_length=80)  # "this machine", pinned
    online: bool = False  # a model the catalog lacks may be read from the Hugging Face Hub
    have_host: bool = False  # owns a PC for cards: cards are priced alone
    hours_per_day: float = Field(default=DEFAULT_HOURS_PER_DAY, ge=0, le=24)  # under load
    cost_column: bool = False  # the app's table shows price plus 3 years of electricity

    def resolved_language(self) -> Language:
        if self.language != "auto":
            return self.language
        return locale_language()

    def currency_for(self, language: Language) -> Currency:
        """The currency a question that names none is answered in."""
        return self.currency or ("CNY" if language == "zh" else "USD")

    def fill_unsaid(
        self, given: Mapping[str, Any], fields: Iterable[str], language: Language
    ) -> dict[str, Any]:
        """`given` (what a flag or tool call said) with each of the request's `fields` it
        leaves out or at None filled from these settings: context, currency, largest cluster,
        weight format."""
        wanted = set(fields)
        unsaid: dict[str, Any] = {
            "context_tokens": self.context_tokens,
            "currency": self.currency_for(language),
            # the default is no cap said: a datacenter GPU is still weighed at a server's sizes
            "max_units": self.max_units if self.max_units != DEFAULT_MAX_UNITS else None,
            "have_host": self.have_host,
            "hours_per_day": self.hours_per_day,
        }
        if self.quant and is_native(self.quant):
            unsaid |= {"native_only": True, "quant": "native"}
        elif self.quant:
            unsaid |= {"quants": (self.quant,), "quant": self.quant}
        format_keys = {"quant", "quants", "native_only"}
        says_format = any(given.get(key) for key in format_keys)
        filled = {
            key: value
            for key, value in unsaid.items()
            if key in wanted and given.get(key) is None and not (says_format and key in format_keys)
        }
        if "context_tokens" in filled and given.get("prompt_tokens"):
            output = given.get("output_tokens") or DEFAULT_OUTPUT_TOKENS
            filled["context_tokens"] = context_holding(
                filled["context_tokens"], given["prompt_tokens"], output
            )
        return {**given, **filled}


def load_settings() -> tuple[Settings, str | None]:
    """The saved settings, or defaults and a note saying why the file was not used."""
    from advisor.errors import AdvisorError
    from advisor.userfiles import read_text

    path = settings_path()
    try:
        text = read_text(path)
        return (Settings.model_validate(json.loads(text)) if text else Settings()), None
    except (AdvisorError, ValueError, ValidationError) as exc:
        return Settings(), f"{path} could not be read ({exc.__class__.__name__}); using defaults"


def save_setting(name: str, value: object) -> tuple[Settings, Path]:
    """Change one setting in the saved file, under its lock, keeping what other windows saved
    meanwhile; the settings as saved. Raises InvalidInput for a path that is not a file."""
    from advisor.userfiles import locked, write_atomically

    path = settings_path()
    with locked(path):
        current, _ = load_settings()
        changed = Settings.model_validate({**current.model_dump(), name: value})
        write_atomically(path, changed.model_dump_json(indent=2))
    return changed, path
