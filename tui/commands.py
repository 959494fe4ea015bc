"""Settings and actions in the command palette (ctrl+p)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Protocol

from textual.command import DiscoveryHit, Hit, Hits, Provider


class SettingsHost(Protocol):
    """What the palette's commands act on: the app's settings and answer actions."""

    def change_setting(self, name: str, value: object) -> None: ...
    def action_save_answer(self) -> None: ...
    def action_copy_answer(self) -> None: ...
    def action_toggle_panel(self) -> None: ...
    def action_help(self) -> None: ...
    def action_new_topic(self) -> None: ...


def _commands(app: SettingsHost) -> list[tuple[str, Callable[[], object], str]]:
    setting = app.change_setting
    return [
        ("Language: English", partial(setting, "language", "en"), "answers in English"),
        ("Language: 中文", partial(setting, "language", "zh"), "用中文回答"),
        (
            "Language: follow the question",
            partial(setting, "language", "auto"),
            "answer in the language of each question",
        ),
        ("Currency: USD", partial(setting, "currency", "USD"), "prices and budgets in dollars"),
        ("Currency: CNY (元)", partial(setting, "currency", "CNY"), "价格和预算用人民币"),
        ("Currency: EUR (€)", partial(setting, "currency", "EUR"), "prices and budgets in euros"),
        ("Default context: 8k", partial(setting, "context_tokens", 8192), "8,192 tokens"),
        ("Default context: 32k", partial(setting, "context_tokens", 32768), "32,768 tokens"),
        ("Default context: 128k", partial(setting, "context_tokens", 131072), "131,072 tokens"),
        (
            "Weight format: usual (4/8-bit)",
            partial(setting, "quant", None),
            "each engine's usual formats",
        ),
        ("Weight format: 4-bit", partial(setting, "quant", "q4_k_m"), "Q4_K_M / MLX 4-bit"),
        ("Weight format: 8-bit", partial(setting, "quant", "q8_0"), "Q8_0 / MLX 8-bit"),
        (
            "Weight format: full precision (满血)",
            partial(setting, "quant", "native"),
            "the model's native dtype",
        ),
        ("Max cluster size: 1", partial(setting, "max_units", 1), "single boxes only"),
        ("Max cluster size: 2", partial(setting, "max_units", 2), "pairs allowed"),
        ("Max cluster size: 4", partial(setting, "max_units", 4), "up to four boxes"),
        (
            "Hugging Face Hub: online",
            partial(setting, "online", True),
            "a model I don't know is read from the Hub and added to your catalog",
        ),
        ("Hugging Face Hub: offline", partial(setting, "online", False), "never use the network"),
        (
            "My hardware: detect this machine",
            partial(setting, "my_hardware", None),
            "'this machine' / '本机' is read with nvidia-smi, sysctl or /proc each time",
        ),
        (
            "Table: 3-year cost column",
            partial(setting, "cost_column", True),
            "price plus 3 years of electricity, sortable: cheapest to own",
        ),
        ("Table: no cost column", partial(setting, "cost_column", False), "the usual columns"),
        (
            "I already have a PC for the cards",
            partial(setting, "have_host", True),
            "price cards alone, without a host PC",
        ),
        ("Price cards with a host PC", partial(setting, "have_host", False), "the default"),
        ("Save answer as Markdown", app.action_save_answer, "write the last answer to a .md file"),
        ("Copy answer", app.action_copy_answer, "copy the last answer to the clipboard"),
        ("Toggle comparison panel", app.action_toggle_panel, "show or hide the table and chart"),
        ("New topic", app.action_new_topic, "ctrl+n or /new: the next question starts afresh"),
        ("Help: keys and example questions", app.action_help, "F1"),
    ]


class AdvisorCommands(Provider):
    """Settings (language, currency, context, format, cluster size) and answer actions."""

    async def discover(self) -> Hits:
        app: SettingsHost = self.app  # type: ignore[assignment]
        for name, command, help_text in _commands(app):
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        app: SettingsHost = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        for name, command, help_text in _commands(app):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)
