"""The question box: completes model and box names from the catalog, remembers history."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.suggester import Suggester
from textual.widgets import Input

from tui.messages import QuestionSubmitted

if TYPE_CHECKING:
    from advisor.catalog import Catalog


class CatalogSuggester(Suggester):
    """Completes the name being typed at the end of the question ("deeps" -> "deepseek r1")."""

    def __init__(self, catalog: Catalog) -> None:
        super().__init__(use_cache=True, case_sensitive=True)
        names = set()
        for section in ("models", "hardware"):
            for name in catalog.section(section).names():
                if len(name) >= 3:
                    names.add(name)
        self._names = sorted(names, key=lambda n: (len(n), n))

    async def get_suggestion(self, value: str) -> str | None:
        if not value or value.endswith(" "):
            return None
        words = re.split(r"(\s+)", value)
        for take in (5, 3, 1):  # "mac studio 5" before "5"
            tail = "".join(words[-take:]).lstrip()
            if len(tail) < 2:
                continue
            lowered = tail.lower()
            for name in self._names:
                if name.lower().startswith(lowered) and len(name) > len(tail):
                    return value + name[len(tail) :]
        return None


class QuestionInput(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history(-1)", "Previous question", show=False),
        Binding("down", "history(1)", "Next question", show=False),
        Binding("tab", "accept_suggestion", "Complete name", show=False),
    ]

    def __init__(self, placeholder: str, **kwargs: object) -> None:
        # focus coming back (after the panel is toggled) keeps a half-typed question whole
        super().__init__(placeholder=placeholder, select_on_focus=False, **kwargs)  # type: ignore[arg-type]
        self.history: list[str] = []
        self._cursor = 0

    def complete_from(self, catalog: Catalog) -> None:
        """Complete names from this catalog (loaded after the first paint)."""
        self.suggester = CatalogSuggester(catalog)

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        self._cursor = max(0, min(len(self.history), self._cursor + step))
        self.value = self.history[self._cursor] if self._cursor < len(self.history) else ""
        self.cursor_position = len(self.value)

    def action_accept_suggestion(self) -> None:
        if self._suggestion:
            self.value = self._suggestion
            self.cursor_position = len(self.value)

    async def action_submit(self) -> None:
        text = self.value.strip()
        if not text:
            return
        self.history.append(text)
        self._cursor = len(self.history)
        self.value = ""
        self.post_message(QuestionSubmitted(text))
