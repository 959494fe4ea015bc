"""What the conversation holds: questions, answers and error notes, drawn as Markdown.

Kept apart from the conversation so the first paint does not import the Markdown parsers
(markdown_it, Textual's Markdown widget); the app imports this module while it loads the core.
"""

from __future__ import annotations

from rich.markdown import Markdown as RichMarkdown
from textual.widgets import Markdown, Static


class Question(Markdown):
    """A question the user asked."""


class Answer(Static):
    """The advisor's answer, drawn by Rich's Markdown renderer (one widget, not one per block:
    a long answer appears in a frame rather than after a quarter of a second)."""

    def __init__(self, source: str) -> None:
        super().__init__(RichMarkdown(source))
        self.source = source


class ErrorNote(Markdown):
    """Something went wrong; said in words, never a traceback."""
