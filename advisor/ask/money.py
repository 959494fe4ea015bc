"""Amounts of money as people write them: "$3,000", "8k", "3万", "1.2w", "5000 元"."""

from __future__ import annotations

# a k or w that starts a word is not a scale: "$3000 with", "6000 wanting", "$3000 w/ 32k"
# "$5M", "2.5 million"; not the m of "m4"
SCALE = r"k(?![a-z])|w(?![a-z/])|万|千|thousand|grand\b|million\b|m(?![a-z0-9])"
# commas group thousands ("15,000"); "15000，2个人" is an amount and then a head count
NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)*"
AMOUNT = rf"({NUMBER})\s*({SCALE})?"
USD_AFTER = r"\s*(?:usd|us\$|dollars?|bucks|美元|美金|刀)"
CNY_AFTER = r"\s*(?:元|块钱?|rmb|cny|yuan\b|人民币|软妹币)"
EUR_AFTER = r"\s*(?:eur\b|euros?\b|欧元)"


def amount(number: str, scale: str | None) -> float:
    """The value of `number` written with `scale` (k, w, 万, 千, thousand, million)."""
    cleaned = number.replace(",", "")
    if cleaned.count(".") > 1:
        cleaned = cleaned.replace(".", "")
    factor = {
        "k": 1_000,
        "thousand": 1_000,
        "grand": 1_000,
        "w": 10_000,
        "万": 10_000,
        "千": 1_000,
        "m": 1_000_000,
        "million": 1_000_000,
    }.get(scale or "", 1)
    return float(cleaned) * factor
