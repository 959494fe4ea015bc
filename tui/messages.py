"""Messages the app's widgets and workers send, named for what happened."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the app paints before the core is imported
    from advisor.ask.answer import AskResult, TableRow


class CoreLoaded(Message):
    """The catalog, rules and settings are loaded: questions can be answered."""


@dataclass
class AnswerReady(Message):
    """The core answered a question."""

    question: str
    result: AskResult


@dataclass
class AnswerFailed(Message):
    """The core could not answer; `message` says why, in words for the user."""

    question: str
    message: str


@dataclass
class QuestionSubmitted(Message):
    """The user pressed Enter on a question."""

    text: str


@dataclass
class OptionSelected(Message):
    """The user picked a row of the comparison table."""

    row: TableRow
