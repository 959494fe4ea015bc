"""Where the advisor's data lives: shipped rules and templates, and the user's config dir and
settings (read here without pydantic, so the chat app can paint before the core loads)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

_PACKAGE_DIR = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    """A top-level data folder: inside the wheel (advisor/_data/NAME) or the source checkout."""
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE_DIR.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"advisor's '{name}' folder is missing from this installation")


def rules_dir() -> Path:
    return _shipped("rules")


def templates_dir() -> Path:
    return _shipped("templates")


def benchmarks_dir() -> Path:
    return _shipped("benchmarks")


def user_config_dir() -> Path:
    """The user's config dir (ADVISOR_CONFIG_DIR overrides it, e.g. in tests)."""
    override = os.environ.get("ADVISOR_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path("advisor", appauthor=False)


def settings_path() -> Path:
    """The user's saved settings (JSON; advisor.settings reads and writes it)."""
    return user_config_dir() / "settings.json"


def locale_language() -> Literal["en", "zh"]:
    """ "zh" when the environment's locale is Chinese, else "en": the answer language when the
    settings say "auto"."""
    locale = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "zh" if locale.lower().startswith("zh") else "en"


def user_cache_dir() -> Path:
    """Where parsed data files are cached (ADVISOR_CACHE_DIR overrides it, e.g. in tests)."""
    override = os.environ.get("ADVISOR_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("advisor", appauthor=False)
