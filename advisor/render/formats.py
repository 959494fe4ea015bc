"""How figures are written: one place for the rounding rules, money and durations every face
uses."""

from __future__ import annotations

import re

SECOND_UNITS = {"en": ("ms", "s", "min"), "zh": ("毫秒", "秒", "分钟")}


def figure(value: float | None, digits: int = 1) -> str:
    """3 significant-looking digits: 1,234 / 56.7 / 8.9; a dash when unknown."""
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.{digits}f}"


def duration(value: float | None, lang: str = "en") -> str:
    """Milliseconds under a second, seconds under two minutes, then minutes; a dash if unknown."""
    if value is None:
        return "—"
    ms, s, minutes = SECOND_UNITS.get(lang, SECOND_UNITS["en"])
    # by the figure shown: 119.97 s is "2.0 min", not "120.0 s" beside another wait's "2.0 min"
    if round(value * 1000) < 1000:
        return f"{value * 1000:.0f} {ms}"
    if round(value, 1) < 120:
        return f"{value:.1f} {s}"
    return f"{value / 60:.1f} {minutes}"


def money(amount: float | None, currency: str, lang: str = "en") -> str:
    if lang == "zh":
        return _money_zh(amount, currency)
    if amount is None:
        return "price unknown"
    symbol = {"USD": "$", "EUR": "€"}.get(currency, "¥")
    return f"{symbol}{_amount(amount)}"


def _amount(amount: float) -> str:
    """Whole units, except for small sums (a cost per million tokens): cents then."""
    return f"{amount:,.2f}" if amount < 10 else f"{amount:,.0f}"


def _money_zh(amount: float | None, currency: str) -> str:
    if amount is None:
        return "价格未知"
    if currency == "USD":
        return f"{_amount(amount)} 美元"
    if currency == "EUR":
        return f"{_amount(amount)} 欧元"
    if amount >= 10_000:
        return f"{amount / 10_000:.1f} 万元".replace(".0 万", " 万")
    return f"{_amount(amount)} 元"


def per_money(currency: str, lang: str = "en") -> tuple[str, int]:
    """The sum a value-for-money figure is quoted per, in words and in units of the currency:
    10,000 yuan in Chinese (prices there are spoken in 万), else 1,000."""
    if lang != "zh":
        return f"per 1,000 {currency}", 1_000
    if currency == "CNY":
        return "每万元", 10_000
    return ("每千欧元" if currency == "EUR" else "每千美元"), 1_000


def gigabytes(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:,.1f}"


def gigabytes_of(needed: float, usable: float) -> str:
    """`needed` with enough decimals not to read as all of `usable` when it is less or more: a
    setup that needs 19.8 of 20 GB says 19.8, not 20; one that needs 112.4 of 112, 112.4."""
    digits = 0 if needed >= 10 else 1
    text = gigabytes(needed)

    def reads_as_usable(shown: float) -> bool:
        return shown >= usable if needed < usable else needed > usable and shown <= usable

    while reads_as_usable(round(needed, digits)) and digits < 2:
        digits += 1
        text = f"{needed:,.{digits}f}"
    return text


def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def whole(value: float) -> str:
    """A whole number with thousands separators: watts, years of cost."""
    return f"{value:,.0f}"


def tokens(count: float) -> str:
    return f"{int(count):,}"


def a_tokens(count: float) -> str:
    """A token count after the English article it takes: "a 1,024", "an 8,192", "an 11,000"."""
    written = tokens(count)
    lead = written.split(",", 1)[0]
    return f"{'an' if lead.startswith('8') or lead in ('11', '18') else 'a'} {written}"


_MARKDOWN = re.compile(r"([\\`*\[\]<>#|])")


def plain(name: str) -> str:
    """A name from a catalog file as literal Markdown text: brackets, backticks, stars, angle
    brackets, pipes and hashes escaped, so a name never becomes a link, markup or a table."""
    return _MARKDOWN.sub(r"\\\1", name)
