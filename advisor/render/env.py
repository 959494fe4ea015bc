"""The Jinja2 environment per language: sandboxed, strict about undefined names, with the
filters templates write figures through."""

from __future__ import annotations

import contextlib
from functools import cache, partial
from typing import Any

from jinja2 import FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from jinja2.bccache import Bucket
from jinja2.sandbox import ImmutableSandboxedEnvironment

from advisor.paths import templates_dir, user_cache_dir
from advisor.prices import USD_PER_EUR, USD_PER_EUR_DATE, USD_TO_CNY, USD_TO_CNY_DATE
from advisor.render.formats import (
    a_tokens,
    duration,
    figure,
    gigabytes,
    gigabytes_of,
    money,
    per_money,
    percent,
    tokens,
    whole,
)
from advisor.requests import DEFAULT_CONTEXT_TOKENS, DEFAULT_MAX_UNITS, LONG_PROMPT_TOKENS

LANGUAGES = ("en", "zh")


class _CompiledTemplates(FileSystemBytecodeCache):
    """Templates compiled once and kept in the user's cache dir (Jinja checks each against its
    source): compiling them again took ~80 ms of every answer. A cache that cannot be written
    only costs that time."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    folder = user_cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _CompiledTemplates(str(folder))


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, remembering which attributes of which types it may read: its
    check looks at the object's type and the attribute's name, never at the value, and ran on
    every attribute a template read (a third of rendering an answer)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._safe: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = super().is_safe_attribute(obj, attr, value)
        return safe


@cache
def environment(lang: str) -> ImmutableSandboxedEnvironment:
    if lang not in LANGUAGES:
        raise ValueError(f"no templates for language '{lang}'")
    env = _Sandbox(
        loader=FileSystemLoader(str(templates_dir() / lang)),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["num"] = figure
    env.filters["money"] = partial(money, lang=lang)
    env.filters["secs"] = partial(duration, lang=lang)
    env.filters["gb"] = gigabytes
    env.filters["gb_of"] = gigabytes_of
    env.filters["pct"] = percent
    env.filters["tokens"] = tokens
    env.filters["a_tokens"] = a_tokens
    env.filters["whole"] = whole
    env.globals["money_unit"] = partial(per_money, lang=lang)
    env.globals["default_context_tokens"] = DEFAULT_CONTEXT_TOKENS  # other contexts are said
    env.globals["default_max_units"] = DEFAULT_MAX_UNITS  # the largest cluster when none is said
    env.globals["long_prompt_tokens"] = LONG_PROMPT_TOKENS  # the wait is part of "fastest" then
    env.globals["usd_per_eur"] = USD_PER_EUR
    env.globals["usd_per_eur_date"] = USD_PER_EUR_DATE
    env.globals["cny_per_usd"] = USD_TO_CNY
    env.globals["cny_per_usd_date"] = USD_TO_CNY_DATE
    return env


def template_names(lang: str) -> list[str]:
    return sorted(environment(lang).list_templates(extensions=["j2"]))


def render(lang: str, template: str, **context: object) -> str:
    """One template, rendered, with one trailing newline."""
    return environment(lang).get_template(template).render(**context).strip() + "\n"
