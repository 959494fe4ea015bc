"""The comparison table of candidate boxes: sortable, and a row explains itself when chosen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from advisor.render.formats import duration, figure, money, per_money
from tui.messages import OptionSelected

if TYPE_CHECKING:
    from advisor.ask.answer import TableRow

HEADERS = {
    "en": ("Box", "Verdict", "Fit", "start tok/s", "TTFT {prompt}", "Price", "tok/s/1k {per}"),
    "zh": ("机器", "结论", "装得下", "起始 tok/s", "首字 {prompt}", "价格", "{per} tok/s"),
}
# a team's rows: speed is each user's, value for money counts every user's tokens
TEAM_HEADERS = {
    "en": (
        "Box",
        "Verdict",
        "Fit",
        "start tok/s each",
        "TTFT {prompt}",
        "Price",
        "tok/s/1k {per}, all",
    ),
    "zh": (
        "机器",
        "结论",
        "装得下",
        "每人起始 tok/s",
        "首字 {prompt}",
        "价格",
        "{per} tok/s（合计）",
    ),
}
VERDICTS = {
    "en": {
        "wont_fit": "won't fit",
        "not_usable": "not usable",
        "poc_only": "PoC only",
        "usable": "usable",
        "comfortable": "comfortable",
    },
    "zh": {
        "wont_fit": "装不下",
        "not_usable": "不可用",
        "poc_only": "只够 PoC",
        "usable": "可用",
        "comfortable": "流畅",
    },
}
FITS = {
    "en": {"yes": "yes", "raise": "raise limit", "no": "no"},
    "zh": {"yes": "是", "raise": "需调上限", "no": "否"},
}
# the verdict beside the name: a narrow panel cuts the last columns first
SORT_KEYS = ("label", "verdict", "fits", "decode_tok_s", "ttft_s", "price", "tok_s_per_1000")
# shown when the setting asks for it: what owning the box costs, sortable like the rest
COST_COLUMN = {"en": "3-yr cost", "zh": "三年总成本"}
_VERDICT_ORDER = ("wont_fit", "not_usable", "poc_only", "usable", "comfortable")


def _prompt(tokens: int) -> str:
    """The prompt length time to first token is for, short: "1k", "32k", "500"."""
    return f"{tokens // 1024}k" if tokens % 1024 == 0 else f"{tokens:,}"


class OptionsTable(DataTable[Text]):
    def __init__(self, language: str = "en", **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.rows_shown: list[TableRow] = []
        self.language = language  # of the headers before the first answer
        self.cost_column = False
        self._sort: tuple[str, bool] = ("", False)

    def on_mount(self) -> None:
        self._columns_for(self.language, None)

    def _columns_for(self, language: str, first: TableRow | None) -> None:
        self.clear(columns=True)
        labels = self._labels(language, first)
        # widths set from the cells, not left to the table's measuring on idle, which a snapshot
        # taken under load could catch unmeasured ("M3 U" for "M3 Ultra 512GB")
        cells = [self._cells(row) for row in self.rows_shown]
        for index, (key, label) in enumerate(labels):
            width = max([cell_len(label), *(cell_len(row[index]) for row in cells)])
            self.add_column(label, key=key, width=width)

    def _labels(self, language: str, first: TableRow | None) -> list[tuple[str, str]]:
        prompt = _prompt(first.prompt_tokens) if first else ""
        per = "" if first is None else first.currency
        if first and language == "zh":
            per = per_money(first.currency, language)[0]
        headers = TEAM_HEADERS if first and first.users > 1 else HEADERS
        labels = [
            (key, label.format(prompt=prompt, per=per).strip())
            for key, label in zip(SORT_KEYS, headers[language], strict=True)
        ]
        return labels + ([("owning_cost", COST_COLUMN[language])] if self.cost_column else [])

    def show(self, rows: list[TableRow], language: str, cost_column: bool = False) -> None:
        self.language = language
        self.cost_column = cost_column
        self.rows_shown = list(rows)
        self._columns_for(language, rows[0] if rows else None)
        self._fill()

    def _cells(self, row: TableRow) -> tuple[str, ...]:
        verdicts, fits = VERDICTS[self.language], FITS[self.language]
        cells: tuple[str, ...] = (
            row.label,
            verdicts.get(row.verdict, row.verdict),
            fits[row.fits],
            figure(row.decode_tok_s),
            duration(row.ttft_s, self.language),  # "1.5 秒" in a Chinese table
            money(row.price, row.currency) if row.price is not None else "—",
            self._per_money(row),
        )
        if self.cost_column:
            owning = row.owning_cost
            cells += (money(owning, row.currency) if owning is not None else "—",)
        return cells

    def _fill(self) -> None:
        self.clear()
        for index, row in enumerate(self.rows_shown):
            self.add_row(
                *(Text(cell) for cell in self._cells(row)),  # a name is never read as markup
                key=str(index),
            )

    def _per_money(self, row: TableRow) -> str:
        """Value for money in the sum the header names (10,000 yuan in Chinese, as answers say)."""
        if row.tok_s_per_1000 is None:
            return figure(None)
        per = per_money(row.currency, self.language)[1]
        value = row.tok_s_per_1000 * per / 1000
        return figure(value, 1 if value >= 10 else 2)  # three figures: 224 / 32.3 / 2.41

    def sort_by(self, key: str) -> None:
        reverse = (
            not self._sort[1]
            if self._sort[0] == key
            else key in ("decode_tok_s", "tok_s_per_1000", "verdict")  # best first
        )
        self._sort = (key, reverse)

        def value(row: TableRow) -> tuple[int, Any]:
            raw = _VERDICT_ORDER.index(row.verdict) if key == "verdict" else getattr(row, key)
            return (raw is None, raw if raw is not None else 0)

        present = [r for r in self.rows_shown if getattr(r, key) is not None]
        missing = [r for r in self.rows_shown if getattr(r, key) is None]
        self.rows_shown = sorted(present, key=value, reverse=reverse) + missing
        self._fill()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.sort_by(str(event.column_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        index = int(str(event.row_key.value))
        if 0 <= index < len(self.rows_shown):
            self.post_message(OptionSelected(self.rows_shown[index]))
