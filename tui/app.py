"""The `advisor` chat app: a face over the same question -> estimate -> rules -> answer core.

It computes nothing itself: questions go to `advisor.ask.answer.Session` in a worker thread,
and the answer, its table rows and their explanations come back as they are.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header

from advisor.ask.answer import AskResult
from advisor.ask.session import Session
from advisor.context import load_advisor_or_builtin
from advisor.errors import AdvisorError
from advisor.settings import Settings, save_setting
from tui.commands import AdvisorCommands
from tui.messages import AnswerFailed, AnswerReady, OptionSelected, QuestionSubmitted
from tui.screens import HelpScreen
from tui.widgets.conversation import Conversation
from tui.widgets.options_table import OptionsTable
from tui.widgets.question_input import QuestionInput
from tui.widgets.speed_chart import SpeedChart

NARROW_COLUMNS = 110
WARM_UP_QUESTION = "Can an RTX 4090 run Qwen3 8B?"
PLACEHOLDER = {
    "en": "Ask: which box for DeepSeek R1 under $10k?  (Tab completes names, F1 help)",
    "zh": "问：预算 8 万跑满血 DeepSeek R1 买什么？（Tab 补全名字，F1 帮助）",
}


class AdvisorApp(App[None]):
    TITLE = "advisor"
    CSS_PATH = "app.tcss"
    AUTO_FOCUS = "QuestionInput"
    COMMANDS = App.COMMANDS | {AdvisorCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+c", "quit", "Quit", priority=True, show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("q", "quit", "Quit", show=False),
        Binding("f1", "help", "Help"),
        Binding("ctrl+l", "toggle_language", "中/EN", id="language"),
        Binding("ctrl+t", "toggle_panel", "Panel"),
        Binding("ctrl+n", "new_topic", "New topic"),
        Binding("ctrl+s", "save_answer", "Save"),
        Binding("ctrl+y", "copy_answer", "Copy"),
    ]

    def __init__(
        self, catalog_files: list[str] | None = None, rule_dirs: list[str] | None = None
    ) -> None:
        super().__init__()
        self.advisor = load_advisor_or_builtin(catalog_files or [], rule_dirs or [])
        self.session = Session()
        self.last_answer: str | None = None
        self.started = time.perf_counter()
        self.first_paint_s: float | None = None

    @property
    def settings(self) -> Settings:
        return self.advisor.settings

    @property
    def language(self) -> str:
        return self.settings.resolved_language()

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        with Horizontal(id="main"):
            with Vertical(id="chat"):
                yield Conversation(id="conversation")
                yield QuestionInput(self.advisor.catalog, PLACEHOLDER[self.language], id="question")
            with Vertical(id="side"):
                yield OptionsTable(id="options")
                yield SpeedChart(id="chart")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self._subtitle()
        conversation = self.query_one(Conversation)
        conversation.show_examples(self.language)
        for note in self.advisor.notes:
            conversation.add_error(note)
        self._fit_layout(self.size.width)
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        self.first_paint_s = time.perf_counter() - self.started
        self.warm_up()

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False, description="warm up")
    def warm_up(self) -> None:
        """While the user types: answer a question nobody sees, so the first real answer finds
        the templates compiled, the rules checked and the parser's patterns built."""
        Session().ask(self.advisor, WARM_UP_QUESTION)

    def _subtitle(self) -> str:
        s = self.settings
        parts = [
            {"auto": "language: auto", "en": "English", "zh": "中文"}[s.language],
            s.currency or "USD/CNY by language",
            f"context {s.context_tokens // 1024}k",
            {"native": "满血", None: "usual formats"}.get(s.quant, s.quant or ""),
            f"≤{s.max_units} units",
        ]
        return " · ".join(parts)

    # --- layout -------------------------------------------------------------------------------

    def on_resize(self, event: Any) -> None:
        self._fit_layout(event.size.width)

    def _fit_layout(self, width: int) -> None:
        self.screen.set_class(width < NARROW_COLUMNS, "narrow")

    def action_toggle_panel(self) -> None:
        self.screen.toggle_class("panel-toggled")

    # --- questions and answers ----------------------------------------------------------------

    @on(QuestionSubmitted)
    def ask(self, event: QuestionSubmitted) -> None:
        self.query_one(Conversation).add_question(event.text)
        self.answer_question(event.text)

    @work(
        thread=True,
        exclusive=True,
        group="answer",
        exit_on_error=False,
        description="answer a question",
    )
    def answer_question(self, question: str) -> None:
        language = None if self.settings.language == "auto" else self.settings.language
        try:
            result = self.session.ask(self.advisor, question, language)
        except AdvisorError as exc:
            self.post_message(AnswerFailed(question, exc.message))
            return
        except Exception as exc:  # a bug must not take the conversation down with it
            self.post_message(AnswerFailed(question, f"internal error: {exc!r}"))
            return
        self.post_message(AnswerReady(question, result))

    @on(AnswerReady)
    def show_answer(self, event: AnswerReady) -> None:
        result: AskResult = event.result
        self.last_answer = result.answer
        self.query_one(Conversation).add_answer(result.answer)
        if result.rows:
            language = result.query.language
            self.query_one(OptionsTable).show(
                result.rows, language, cost_column=self.settings.cost_column
            )
            self.query_one(SpeedChart).show(result.rows, language)

    @on(AnswerFailed)
    def show_failure(self, event: AnswerFailed) -> None:
        self.query_one(Conversation).add_error(event.message)

    @on(OptionSelected)
    def explain_option(self, event: OptionSelected) -> None:
        self.last_answer = event.row.explanation
        self.query_one(Conversation).add_answer(event.row.explanation)

    # --- settings -----------------------------------------------------------------------------

    def change_setting(self, name: str, value: object) -> None:
        try:
            settings, path = save_setting(name, value)
            self.notify(f"{name.replace('_', ' ')}: {value} (saved to {path.name})", timeout=3)
        except AdvisorError as exc:
            settings = Settings.model_validate({**self.settings.model_dump(), name: value})
            self.notify(f"could not save settings: {exc.message}", severity="error")
        self.advisor = self.advisor.with_settings(settings)
        self.sub_title = self._subtitle()
        if name == "cost_column":
            table = self.query_one(OptionsTable)
            table.show(table.rows_shown, table.language, cost_column=settings.cost_column)
        if name == "language":
            self.query_one(QuestionInput).placeholder = PLACEHOLDER[self.language]
            self.query_one(Conversation).show_examples(self.language)

    def action_toggle_language(self) -> None:
        self.change_setting("language", "en" if self.language == "zh" else "zh")

    # --- answers out --------------------------------------------------------------------------

    def action_copy_answer(self) -> None:
        if self.last_answer is None:
            self.notify("no answer yet", severity="warning")
            return
        self.copy_to_clipboard(self.last_answer)
        self.notify("answer copied")

    def action_save_answer(self) -> None:
        if self.last_answer is None:
            self.notify("no answer yet", severity="warning")
            return
        path = Path.cwd() / f"advisor-answer-{time.strftime('%Y%m%d-%H%M%S')}.md"
        try:
            path.write_text(self.last_answer, encoding="utf-8")
        except OSError as exc:
            self.notify(f"could not save: {exc}", severity="error")
            return
        self.notify(f"saved {path}")

    def action_new_topic(self) -> None:
        """Start afresh: the next question carries nothing over (as typing /new does)."""
        self.session.new_topic()
        self.notify("new topic: the next question is answered on its own")

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.language))


def run(catalog_files: list[str] | None = None, rule_dirs: list[str] | None = None) -> None:
    AdvisorApp(catalog_files, rule_dirs).run()
