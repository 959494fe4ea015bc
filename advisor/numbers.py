"""How figures are written: one place for the rounding rules every face uses."""

from __future__ import annotations

SECOND_UNITS = {"en": ("ms", "s", "min"), "zh": ("毫秒", "秒", "分钟")}


def figure(value: float | None, digits: int = 1) -> str:
    """3 significant-looking digits: 1,234 / 56.7 / 8.9; a dash when unknown."""
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.{digits}f}"


def duration(value: float, lang: str = "en") -> str:
    """Milliseconds under a second, seconds under two minutes, then minutes."""
    ms, s, minutes = SECOND_UNITS.get(lang, SECOND_UNITS["en"])
    if value < 1:
        return f"{value * 1000:.0f} {ms}"
    if value < 120:
        return f"{value:.1f} {s}"
    return f"{value / 60:.1f} {minutes}"
