"""Answers are Markdown that renders: no bold left open, in Chinese above all, where a closing
`**` straight after full-width punctuation and before a character is not a closing one under
CommonMark (the app's renderer) and shows as literal asterisks."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from advisor.ask.answer import answer
from advisor.ask.parse import parse
from tests.helpers import shipped_advisor

ADVISOR = shipped_advisor()
QUESTIONS = [
    "单台 DGX Spark 能跑 Llama 3.3 70B 吗？",
    "预算 8 万，想本地跑满血 DeepSeek R1，买什么？",
    "mac studio 512g 和 dgx spark 跑 qwen3 235b 哪个好",
    "两台 Spark 能跑多大的模型",
    "我有两张 3090，想跑 llama 3.3 70b，加卡还是换机器？",
    "我有一张 4090，预算 3000 元，想跑 qwen3 235b，加卡还是换机器？",
    "什么是 MoE",
    "什么是预填充",
    "生成速度是什么意思",
    "4090 48G 能跑 qwen3 32b 吗",
    "dgx sprak 能跑 qwen3 32b 吗",
    "Can a DGX Spark run Llama 3.3 70B?",
    "I have a 4090. Should I add a second card or buy a Spark for Qwen3 235B?",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_bold_span_closes(question: str) -> None:
    text = answer(ADVISOR, parse(ADVISOR.catalog, question)).answer
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "**" not in html, [line for line in html.splitlines() if "**" in line]
