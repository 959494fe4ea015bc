"""The `advisor` chat app: a face over the same question -> estimate -> rules -> answer core.

It computes nothing itself: questions go to `advisor.ask.answer.Session` in a worker thread,
and the answer, its table rows and their explanations come back as they are. The first paint
needs none of the core: it is imported and loaded in a worker right after, while the user types.
"""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header

from tui.commands import AdvisorCommands
from tui.messages import AnswerFailed, AnswerReady, CoreLoaded, OptionSelected, QuestionSubmitted
from tui.preferences import peek_language
from tui.widgets.conversation import Conversation
from tui.widgets.options_table import OptionsTable
from tui.widgets.question_input import QuestionInput
from tui.widgets.speed_chart import SpeedChart

# The core (pydantic, the catalog, the rules) is imported in a worker after the first paint.
if TYPE_CHECKING:
    from advisor.ask.session import Session
    from advisor.context import Advisor
    from advisor.settings import Settings

NARROW_COLUMNS = 110
WARM_UP_QUESTION = "Can an RTX 4090 run Qwen3 8B?"
PLACEHOLDER = {
    "en": "Ask: which box for DeepSeek R1 under $10k?  (Tab completes names, F1 help)",
    "zh": "问：预算 8 万跑满血 DeepSeek R1 买什么？（Tab 补全名字，F1 帮助）",
}
# the footer's name for each key's action: (English, Chinese)
KEY_NAMES = {
    "quit": ("Quit", "退出"),
    "help": ("Help", "帮助"),
    "toggle_panel": ("Panel", "侧栏"),
    "new_topic": ("New topic", "新话题"),
    "save_answer": ("Save", "保存"),
    "copy_answer": ("Copy", "复制"),
    "command_palette": ("palette", "命令"),  # Textual's own binding, named in the footer too
}


@contextmanager
def _long_lived() -> Iterator[None]:
    """For a block that makes objects living as long as the app (modules, the catalog, the
    rules: ~55,000 of them): no collection while they are made (its passes over them cost
    ~40 ms of the load), then they are frozen, left out of every later full collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


class AdvisorApp(App[None]):
    TITLE = "advisor"
    CSS_PATH = "app.tcss"
    AUTO_FOCUS = "QuestionInput"
    COMMANDS = App.COMMANDS | {AdvisorCommands}
    BINDINGS: ClassVar[list[BindingType]] = [  # names in KEY_NAMES, as the footer shows them
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
        self._sources = (catalog_files or [], rule_dirs or [])
        self._advisor: Advisor | None = None
        self._session: Session | None = None
        self._loading = threading.Lock()
        self._asking = threading.Lock()  # one answer at a time: the warm-up never slows a real one
        self._asked = False
        self.loaded = asyncio.Event()  # set once the core is loaded and shown; tests wait on it
        self._first_language = peek_language()
        self.last_answer: str | None = None
        self._spoken: str | None = None  # the language of the last answer
        self._context_asked: int | None = None  # the context the last answer was for
        self.started = time.perf_counter()
        self.first_paint_s: float | None = None

    @property
    def advisor(self) -> Advisor:
        return self._advisor if self._advisor is not None else self._load()

    @property
    def session(self) -> Session:
        self._load()
        assert self._session is not None
        return self._session

    @property
    def settings(self) -> Settings:
        return self.advisor.settings

    @property
    def language(self) -> str:
        if self._advisor is None:  # still loading: the language the screen was painted in
            return self._first_language
        return self.settings.resolved_language()

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        with Horizontal(id="main"):
            with Vertical(id="chat"):
                yield Conversation(id="conversation")
                yield QuestionInput(PLACEHOLDER[self.language], id="question")
            with Vertical(id="side"):
                yield OptionsTable(self.language, id="options")
                yield SpeedChart(self.language, id="chart")
        yield Footer()

    def on_mount(self) -> None:
        self._label_keys(self.language)
        self.query_one(Conversation).show_examples(self.language)
        self._fit_layout(self.size.width)
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        self.first_paint_s = time.perf_counter() - self.started
        self.load_core()

    @work(thread=True, group="core", description="load the catalog and rules")
    def load_core(self) -> None:
        self._load()
        self.post_message(CoreLoaded())

    def _load(self) -> Advisor:
        """The core, loaded once: by the worker after the first paint, or by whatever needs it
        first (a setting changed in the first moments waits for it rather than failing)."""
        with self._loading:
            if self._advisor is None:
                with _long_lived():
                    import tui.widgets.entries  # noqa: F401  (the Markdown parsers answers need)
                    from advisor.ask.session import Session
                    from advisor.context import load_advisor_or_builtin

                    self._session = Session()
                    self._advisor = load_advisor_or_builtin(*self._sources)
        return self._advisor

    @on(CoreLoaded)
    def core_loaded(self) -> None:
        self.sub_title = self._subtitle()
        if not self.query(Conversation):  # the app was closed while the core loaded
            self.loaded.set()
            return
        self.query_one(QuestionInput).complete_from(self.advisor.catalog)
        if self.language != self._first_language:  # the saved settings said otherwise
            self.query_one(QuestionInput).placeholder = PLACEHOLDER[self.language]
            self.query_one(Conversation).show_examples(self.language)
        conversation = self.query_one(Conversation)
        for note in self.advisor.notes:
            conversation.add_error(note)
        if not self._asked:
            self.warm_up()
        self.loaded.set()

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False, description="warm up")
    def warm_up(self) -> None:
        """While the user types: answer a question nobody sees, so the first real answer finds
        the templates compiled, the rules checked and the parser's patterns built."""
        from advisor.ask.session import Session

        with self._asking:
            if not self._asked:
                Session().ask(self.advisor, WARM_UP_QUESTION)
        # The catalog, rules, templates and modules live as long as the app: set them aside
        # from the collector, or its next full pass (~40 ms walking them) lands in the frame
        # that shows the first answer.
        gc.freeze()

    def _subtitle(self) -> str:
        s = self.settings
        parts = [
            {"auto": self._words("language: auto", "语言：自动"), "en": "English", "zh": "中文"}[
                s.language
            ],
            s.currency or self._words("USD/CNY by language", "币种随语言"),
            self._context_words(s.context_tokens),
            {"native": "满血", None: self._words("usual formats", "常用格式")}.get(
                s.quant, s.quant or ""
            ),
            self._words(f"≤{s.max_units} units", f"最多 {s.max_units} 台"),
        ]
        return " · ".join(parts)

    def _context_words(self, default: int) -> str:
        """The context the last answer was for, beside the default when a question changed it
        ("上下文改成64k呢？" had left "上下文 8k" showing)."""
        asked = self._context_asked
        if asked is None or asked == default:
            return self._words(f"context {_k(default)}", f"上下文 {_k(default)}")
        return self._words(
            f"context {_k(asked)} (default {_k(default)})",
            f"上下文 {_k(asked)}（默认 {_k(default)}）",
        )

    # --- layout -------------------------------------------------------------------------------

    def on_resize(self, event: Any) -> None:
        self._fit_layout(event.size.width)

    def _fit_layout(self, width: int) -> None:
        self.screen.set_class(width < NARROW_COLUMNS, "narrow")

    def action_toggle_panel(self) -> None:
        self.screen.toggle_class("panel-toggled")
        self.call_after_refresh(self._typing_again)

    def _typing_again(self) -> None:
        """Back to the question box once the layout has changed, where it shows: toggling the
        panel had left the focus on the conversation, so the next question typed was lost."""
        question = self.query_one(QuestionInput)
        if question.visible and question.region.area:
            question.focus()

    # --- questions and answers ----------------------------------------------------------------

    @on(QuestionSubmitted)
    def ask(self, event: QuestionSubmitted) -> None:
        self._asked = True
        self.answer_question(event.text)  # first: its thread starts while the question is drawn
        self.query_one(Conversation).add_question(event.text)

    @work(
        thread=True,
        exclusive=True,
        group="answer",
        exit_on_error=False,
        description="answer a question",
    )
    def answer_question(self, question: str) -> None:
        """Answer once the core is loaded: a question asked while it loads waits for it."""
        from advisor.errors import AdvisorError

        try:
            with self._asking:
                settings = self.settings
                language = None if settings.language == "auto" else settings.language
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
        result = event.result
        self.last_answer = result.answer
        self.query_one(Conversation).add_answer(result.answer)
        # the box to type in, the settings line and the keys speak the conversation's language
        self._spoken = result.query.language
        self._context_asked = result.query.context_tokens
        self.query_one(QuestionInput).placeholder = PLACEHOLDER[result.query.language]
        self.sub_title = self._subtitle()
        self._label_keys(result.query.language)
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
        from advisor.errors import AdvisorError
        from advisor.settings import Settings, save_setting

        try:
            settings, path = save_setting(name, value)
            self.notify(f"{name.replace('_', ' ')}: {value} (saved to {path.name})", timeout=3)
        except AdvisorError as exc:
            settings = Settings.model_validate({**self.settings.model_dump(), name: value})
            self.notify(f"could not save settings: {exc.message}", severity="error")
        self._advisor = self.advisor.with_settings(settings)
        self.sub_title = self._subtitle()
        if name == "cost_column":
            table = self.query_one(OptionsTable)
            table.show(table.rows_shown, table.language, cost_column=settings.cost_column)
        if name == "language":
            self._spoken = None  # the language chosen, until a question is answered in another
            self._label_keys(self.language)
            self.query_one(QuestionInput).placeholder = PLACEHOLDER[self.language]
            self.query_one(Conversation).show_examples(self.language)

    def _words(self, en: str, zh: str) -> str:
        """A notice in the conversation's language (the last answer's, a new topic too), else
        the setting's."""
        return zh if (self._spoken or self.language) == "zh" else en

    def _label_keys(self, language: str) -> None:
        """The footer's key names in `language`."""
        bindings = self._bindings.key_to_bindings
        for key, found in bindings.items():
            bindings[key] = [
                replace(b, description=KEY_NAMES[b.action][language == "zh"])
                if b.action in KEY_NAMES
                else b
                for b in found
            ]
        self.refresh_bindings()

    def action_toggle_language(self) -> None:
        self.change_setting("language", "en" if self.language == "zh" else "zh")

    # --- answers out --------------------------------------------------------------------------

    def action_copy_answer(self) -> None:
        if self.last_answer is None:
            self.notify(self._words("no answer yet", "还没有回答"), severity="warning")
            return
        self.copy_to_clipboard(self.last_answer)
        self.notify(self._words("answer copied", "回答已复制"))

    def action_save_answer(self) -> None:
        if self.last_answer is None:
            self.notify(self._words("no answer yet", "还没有回答"), severity="warning")
            return
        path = Path.cwd() / f"advisor-answer-{time.strftime('%Y%m%d-%H%M%S')}.md"
        try:
            path.write_text(self.last_answer, encoding="utf-8")
        except OSError as exc:
            self.notify(self._words(f"could not save: {exc}", f"保存失败：{exc}"), severity="error")
            return
        self.notify(self._words(f"saved {path}", f"已保存到 {path}"))

    def action_new_topic(self) -> None:
        """Start afresh: the next question carries nothing over (as typing /new does)."""
        words = self._words(
            "new topic: the next question is answered on its own", "新话题：下一个问题单独回答"
        )
        self.session.new_topic()
        self._context_asked = None
        self.sub_title = self._subtitle()
        language = self._words("en", "zh")  # the last topic's options go with it
        self.query_one(OptionsTable).show([], language, cost_column=self.settings.cost_column)
        self.query_one(SpeedChart).show([], language)
        self.query_one(Conversation).add_topic_break(words)
        self.notify(words)

    def action_help(self) -> None:
        from tui.screens import HelpScreen  # Textual's Markdown widget: not before the first paint

        self.push_screen(HelpScreen(self._words("en", "zh")))


def run(catalog_files: list[str] | None = None, rule_dirs: list[str] | None = None) -> None:
    AdvisorApp(catalog_files, rule_dirs).run()


def _k(tokens: int) -> str:
    """A context length as people say it: 8k for 8,192, 100k for 100,000."""
    return f"{tokens // 1024}k" if tokens % 1024 == 0 else f"{tokens / 1000:g}k"
