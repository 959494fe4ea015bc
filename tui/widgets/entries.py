"""What the conversation holds: questions, answers and error notes, drawn as Markdown.

Kept apart from the conversation so the first paint does not import the Markdown parsers
(markdown_it, Textual's Markdown widget); the app imports this module while it loads the core.
"""

from __future__ import annotations

import re

from rich.markdown import Markdown as RichMarkdown
from textual.widgets import Markdown, Static

from advisor.ask.parse import CJK

# a number and the Chinese unit after it ("2.7 万元", "5.2 秒"): written together, so a line
# never ends between them
_NUMBER_UNIT = re.compile(r"(\d) (?=万|元|秒|毫秒|分钟|小时|台|张|块|人|位|年|倍|天|度|个|路)")
# after Chinese punctuation, a break mark: the terminal wraps a run of Chinese as one word,
# folding it anywhere (inside "2.7"); this gives it a place to break at each clause. The mark
# is U+001F, whitespace to Rich's wrapping yet no cell wide (a hair space showed as a space
# after every clause), and a control the terminal draws as nothing
_BREAK = "\x1f"
_CLAUSE_END = re.compile(r"([，：；、。）])(?=[^\s|*，：；、。）])")


def wrappable(source: str) -> str:
    """`source` with the places a Chinese answer's paragraphs may wrap at marked for the
    terminal; English is left as it is."""
    if not CJK.search(source):
        return source
    return "\n".join(
        line
        if line.startswith("|")
        else _CLAUSE_END.sub(f"\\1{_BREAK}", _NUMBER_UNIT.sub(r"\1", line))
        for line in source.split("\n")
    )  # a table's cells are wrapped by the table, which these marks would only narrow


class Question(Markdown):
    """A question the user asked."""


class Answer(Static):
    """The advisor's answer, drawn by Rich's Markdown renderer (one widget, not one per block:
    a long answer appears in a frame rather than after a quarter of a second)."""

    def __init__(self, source: str) -> None:
        super().__init__(RichMarkdown(wrappable(source)))
        self.source = source  # as written: what is saved and copied


class TopicBreak(Markdown):
    """Where a new topic begins: nothing above it is carried on."""


class ErrorNote(Markdown):
    """Something went wrong; said in words, never a traceback."""
