"""Screens other than the main conversation."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from tui.widgets.conversation import EXAMPLES

HELP = {
    "en": """# advisor — keys

| key | does |
|---|---|
| Enter | ask |
| ↑ / ↓ | previous / next question |
| Tab or → | complete the model or box name |
| ctrl+p | settings and commands (language, currency, context, format, cluster size) |
| ctrl+l | switch language |
| ctrl+t | show or hide the comparison panel |
| ctrl+n or /new | new topic: the next question carries nothing over |
| ctrl+s | save the last answer as Markdown |
| ctrl+y | copy the last answer |
| Enter on a table row | explain that option |
| click a column header | sort by it |
| F1 | this help |
| ctrl+q, ctrl+c, or q outside the input | quit |

## Ask like this
""",
    "zh": """# advisor — 快捷键

| 按键 | 作用 |
|---|---|
| Enter | 提问 |
| ↑ / ↓ | 上一个 / 下一个问题 |
| Tab 或 → | 补全模型或机器名 |
| ctrl+p | 设置和命令（语言、货币、上下文、量化、集群台数） |
| ctrl+l | 切换语言 |
| ctrl+t | 显示或隐藏对比面板 |
| ctrl+n 或 /new | 新话题：下一个问题不沿用之前的条件 |
| ctrl+s | 把最后一个回答存成 Markdown |
| ctrl+y | 复制最后一个回答 |
| 表格行上按 Enter | 解释这个方案 |
| 点击列标题 | 按该列排序 |
| F1 | 本帮助 |
| ctrl+q、ctrl+c，或不在输入框时按 q | 退出 |

## 可以这样问
""",
}


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "dismiss", "Close")]

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def compose(self) -> ComposeResult:
        examples = "\n".join(f"- {q}" for q in EXAMPLES[self.language])
        with VerticalScroll(id="help-box"):
            yield Markdown(HELP[self.language] + examples)
