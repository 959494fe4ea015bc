"""Decode speed per box as bars, averaged over a conversation as the verdict judges it, with the
5 tok/s "not usable" line drawn through them and each bar coloured by its verdict."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from advisor.render.formats import figure

if TYPE_CHECKING:
    from advisor.ask.answer import TableRow

NOT_USABLE_TOK_S = 5.0
VERDICT_STYLE = {"comfortable": "green", "usable": "green", "poc_only": "yellow"}
LABEL_WIDTH = 16
NO_FIT = {"en": "({} more do not fit)", "zh": "（另有 {} 个装不下）"}
TITLE = {
    "en": "decode tok/s over a conversation   ┊ = 5 tok/s, below it: not usable",
    "zh": "生成速度 tok/s（整段对话平均）   ┊ = 5 tok/s，低于它不可用",
}


def bar_chart(rows: list[TableRow], width: int, language: str) -> Text:
    """One line per box: label, bar, figure; a dotted line marks 5 tok/s."""
    shown = [r for r in rows if r.decode_tok_s is not None and r.fits != "no"][:10]
    left_out = sum(1 for r in rows if r.fits == "no")
    text = Text(TITLE.get(language, TITLE["en"]) + "\n", style="bold")
    if not shown:
        return text
    # labels whole where the width allows ("2 × M3 Ultra 256GB" had been cut to "2 × M3 Ultra 25",
    # a size read as a count), shortened with an ellipsis where it does not
    label_width = min(
        max(LABEL_WIDTH, max(len(r.label) for r in shown) + 1), max(LABEL_WIDTH, width // 2)
    )
    # the widest figure whole, and room for a scrollbar: "30.5" had been cut to "30."
    figures = max(len(figure(_judged_speed(r))) for r in shown)
    bar_width = max(width - label_width - figures - 6, 10)
    top = max(max(_judged_speed(r) for r in shown), NOT_USABLE_TOK_S * 2)
    line_at = round(NOT_USABLE_TOK_S / top * bar_width)
    for row in shown:
        speed = _judged_speed(row)
        filled = round(speed / top * bar_width)
        style = VERDICT_STYLE.get(row.verdict, "red")
        label = row.label if len(row.label) < label_width else row.label[: label_width - 2] + "…"
        text.append(label.ljust(label_width))
        _append_bar(text, filled, line_at, bar_width, style)
        text.append(f" {figure(speed)}\n")
    if left_out:
        text.append(NO_FIT.get(language, NO_FIT["en"]).format(left_out), style="dim")
    return text


def _judged_speed(row: TableRow) -> float:
    """The speed the verdict judges: decode averaged over a conversation (5.1 tok/s at first
    can be 4.9 on average, and not usable)."""
    return row.decode_tok_s_conversation or row.decode_tok_s or 0.0


def _append_bar(text: Text, filled: int, line_at: int, width: int, style: str) -> None:
    """`filled` blocks then blanks, `width` columns in all, with the 5 tok/s mark at `line_at`;
    appended in runs, not a span per column (a tenth of the spans to lay out and draw)."""

    def run(start: int, end: int) -> None:
        blocks = max(0, min(filled, end) - start)
        if blocks:
            text.append("█" * blocks, style=style)
        if end - start - blocks > 0:
            text.append(" " * (end - start - blocks))

    if 0 <= line_at < width:
        run(0, line_at)
        text.append("┊", style="bold magenta")
        run(line_at + 1, width)
    else:
        run(0, width)


class SpeedChart(Static):
    def __init__(self, language: str = "en", **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self._rows: list[TableRow] = []
        self._language = language

    def show(self, rows: list[TableRow], language: str) -> None:
        self._rows = rows
        self._language = language
        self.refresh_chart()

    def refresh_chart(self) -> None:
        width = self.size.width or 60
        self.update(bar_chart(self._rows, width, self._language))

    def on_resize(self) -> None:
        self.refresh_chart()
