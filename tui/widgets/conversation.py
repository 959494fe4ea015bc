"""The conversation: the user's questions and the advisor's answers, newest at the bottom."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from textual.containers import VerticalScroll
from textual.widgets import Static

if TYPE_CHECKING:
    from tui.widgets.entries import Answer

EXAMPLES = {
    "en": [
        "Can a DGX Spark run Llama 3.3 70B?",
        "Mac Studio 512GB vs DGX Spark for DeepSeek R1",
        "What should I buy for Qwen3 32B under $3,000?",
        "How big a model can two Sparks run?",
    ],
    "zh": [
        "单台 DGX Spark 能跑 Llama 3.3 70B 吗？",
        "预算 8 万，想本地跑满血 DeepSeek R1，买什么？",
        "mac studio 512g 和 dgx spark 跑 qwen3 235b 哪个好",
        "两台 Spark 能跑多大的模型",
    ],
}
WELCOME = {
    "en": "[b]Ask which box to buy to run a model locally.[/b] For example:",
    "zh": "[b]问问本地跑大模型该买什么机器。[/b] 比如：",
}


class Examples(Static):
    """Shown on an empty conversation, in the user's language."""

    def __init__(self, language: str) -> None:
        lines = [WELCOME[language], *[f"  • {escape(q)}" for q in EXAMPLES[language]]]
        super().__init__("\n".join(lines))


class Conversation(VerticalScroll):
    def on_mount(self) -> None:
        self.anchor()

    def show_examples(self, language: str) -> None:
        for old in self.query(Examples):
            old.remove()
        if not self.query("Question"):
            self.mount(Examples(language))

    def add_question(self, text: str) -> None:
        from tui.widgets.entries import Question

        for old in self.query(Examples):
            old.remove()
        self.mount(Question(f"> {text}"))

    def add_answer(self, markdown: str) -> Answer:
        """Mount the answer and show its beginning: the recommendation comes first."""
        from tui.widgets.entries import Answer, Question

        answer = Answer(markdown)
        self.mount(answer)
        questions = list(self.query(Question))
        target = questions[-1] if questions else answer
        self.call_after_refresh(self.scroll_to_widget, target, top=True, animate=False)
        return answer

    def add_topic_break(self, words: str) -> None:
        """A rule and a line where a new topic begins: what is above it is not carried on."""
        from tui.widgets.entries import TopicBreak

        self.mount(TopicBreak(f"---\n\n*{words}*"))
        self.scroll_end(animate=False)

    def add_error(self, message: str) -> None:
        from tui.widgets.entries import ErrorNote

        self.mount(ErrorNote(f"**!** {message}"))
