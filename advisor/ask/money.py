"""Amounts of money as people write them: "$3,000", "8k", "3万", "1.2w", "5000 元"."""

from __future__ import annotations

import re
from dataclasses import dataclass

# a k or w that starts a word is not a scale: "$3000 with", "6000 wanting", "$3000 w/ 32k"
# "$5M", "2.5 million"; not the m of "m4"
SCALE = (
    r"k(?![a-z])|w(?![a-z/])|万|亿|千|thousand|grand\b|million\b|m(?![a-z0-9])"
    r"|billion\b|trillion\b"  # said of a budget only to be refused as out of reach
)
# commas group thousands ("15,000"); "15000，2个人" is an amount and then a head count
NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)*"
AMOUNT = rf"({NUMBER})\s*({SCALE})?"
USD_AFTER = r"\s*(?:usd|us\$|dollars?|bucks|美元|美金|刀)"
CNY_AFTER = r"\s*(?:元|块钱?|rmb|cny|yuan\b|人民币|软妹币)"
EUR_AFTER = r"\s*(?:eur\b|euros?\b|欧元|€)"
# amounts as written in much of Europe, said before "€": "3.500 €", "5 000 €", "3,5k€"
EURO_NUMBER = r"\d{1,3}(?:\.\d{3})+(?![\d.])|\d{1,3}(?: \d{3})+(?!\d)|\d+,\d{1,2}(?!\d)"


_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70}
_EN_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "eighteen": 18,
}  # fmt: skip
_EN_AMOUNT = re.compile(
    rf"\b(?:({'|'.join(_EN_TENS)})[- ]?)?({'|'.join(_EN_UNITS)})?(?<=[a-z])"
    r"\s+(grand|thousand|k|hundred)\b"
)


def money_words_to_digits(text: str) -> str:
    """ "three grand", "five thousand dollars", "twenty-five k": the count in digits, before
    the scale it counts."""

    def digits(match: re.Match[str]) -> str:
        tens, units, scale = match.groups()
        value = _EN_TENS.get(tens or "", 0) + _EN_UNITS.get(units or "", 0)
        if value and scale == "hundred":  # "fifteen hundred dollars"
            return f"{value * 100}"
        return f"{value} {scale}" if value else match.group(0)

    return _EN_AMOUNT.sub(digits, text)


def euro_amount(number: str) -> str:
    """A number written the European way ("3.500", "5 000", "3,5") as digits `amount` reads."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", number):
        return number.replace(".", "")
    if re.fullmatch(r"\d+,\d{1,2}", number):
        return number.replace(",", ".")
    return number.replace(" ", "")


def amount(number: str, scale: str | None) -> float:
    """The value of `number` written with `scale` (k, w, 万, 亿, 千, thousand, million)."""
    cleaned = number.replace(",", "")
    if cleaned.count(".") > 1:
        cleaned = cleaned.replace(".", "")
    factor = {
        "k": 1_000,
        "thousand": 1_000,
        "grand": 1_000,
        "w": 10_000,
        "万": 10_000,
        "亿": 100_000_000,
        "千": 1_000,
        "m": 1_000_000,
        "million": 1_000_000,
        "billion": 1_000_000_000,
        "trillion": 1_000_000_000_000,
    }.get(scale or "", 1)
    return float(cleaned) * factor


# Chinese digits as written in counts and prices ("两张", "七毛")
ZH_DIGITS = {
    "一": 1,
    "两": 2,
    "二": 2,
    "俩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}


# an electricity price: "电费1块钱一度", "电价0.8元/度", "一度电七毛", "$0.30/kWh", "30c per kWh"
_KWH = r"(?:度|kwh|千瓦时|kilowatt[- ]?hours?)"
_PER_KWH = rf"\s*(?:/|每|一|1|per|a|an|each)?\s*{_KWH}"
_RATE_ZH_UNIT = r"(块钱?|元|毛钱?|角|分钱?|美元|美金|欧元)"
_RATE_NUMBER = r"(\d+(?:\.\d+)?|[一两二三四五六七八九])"
_RATE_PATTERNS = (
    re.compile(
        rf"(?:电费|电价)\s*(?:是|为|按|大概|约|[:：])?\s*(){_RATE_NUMBER}\s*{_RATE_ZH_UNIT}{_PER_KWH}"
    ),
    re.compile(rf"(?:每|一|1)\s*度电?\s*(?:是|要|大概|约)?\s*(){_RATE_NUMBER}\s*{_RATE_ZH_UNIT}"),
    re.compile(
        r"([$€¥￥])?\s*(\d+(?:\.\d+)?)\s*"
        r"(cents?|¢|c|usd|dollars?|eur|euros?|€|\$|yuan|rmb|cny|元|块钱?|毛钱?|角|分钱?)?"
        rf"\s*(?:/|per|a|an|each|每|一)\s*{_KWH}(?![a-z])"
    ),
)
_RATE_UNITS: dict[str, tuple[str, float]] = {
    "$": ("USD", 1.0),
    "usd": ("USD", 1.0),
    "美元": ("USD", 1.0),
    "美金": ("USD", 1.0),
    "欧元": ("EUR", 1.0),
    "dollar": ("USD", 1.0),
    "dollars": ("USD", 1.0),
    "cent": ("USD", 0.01),
    "cents": ("USD", 0.01),
    "¢": ("USD", 0.01),
    "c": ("USD", 0.01),
    "€": ("EUR", 1.0),
    "eur": ("EUR", 1.0),
    "euro": ("EUR", 1.0),
    "euros": ("EUR", 1.0),
    "¥": ("CNY", 1.0),
    "￥": ("CNY", 1.0),
    "yuan": ("CNY", 1.0),
    "rmb": ("CNY", 1.0),
    "cny": ("CNY", 1.0),
    "元": ("CNY", 1.0),
    "块": ("CNY", 1.0),
    "块钱": ("CNY", 1.0),
    "毛": ("CNY", 0.1),
    "毛钱": ("CNY", 0.1),
    "角": ("CNY", 0.1),
    "分": ("CNY", 0.01),
    "分钱": ("CNY", 0.01),
}


@dataclass(frozen=True)
class KwhPrice:
    """An electricity price the question states, per kWh, and where it was said."""

    price: float
    currency: str | None  # None: not said, the question's
    start: int
    end: int


def kwh_price(text: str) -> KwhPrice | None:
    """The electricity price `text` (with digits for Chinese numerals) states, if any."""
    for pattern in _RATE_PATTERNS:
        found = pattern.search(text)
        if found is None:
            continue
        symbol, number, unit = found.group(1), found.group(2), found.group(3)
        currency, factor = _RATE_UNITS.get(unit or symbol or "", (None, 1.0))
        value = ZH_DIGITS.get(number) or float(number)
        if text[max(0, found.start(2) - 2) : found.start(2)].strip().endswith("-"):
            value = -value  # "-0.20 $/kWh": kept for the request to refuse
        return KwhPrice(round(value * factor, 4), currency, found.start(), found.end())
    return None


# money in a currency the advisor does not price in: said back, never read as dollars or yuan
_OTHER_CURRENCY = re.compile(
    rf"(?P<before>£|₹|₩|₽|c\$|a\$|hk\$|nt\$|\b(?:rs\.?|gbp|cad|aud|jpy|chf|inr|krw|hkd|twd|sgd)\s*)\s*{NUMBER}"
    rf"\s*(?:{SCALE})?|"
    rf"{NUMBER}\s*(?:{SCALE})?\s*(?:(?:(?:lakhs?|crores?)(?:\s+rupees?)?|gbp|cad|aud|jpy|chf|inr|krw|hkd|twd|sgd|pounds?|yen|"
    r"rupees?|won|swiss francs?)\b|日元|日币|英镑|港币|港元|新台币|台币|韩元|卢布|澳元|加元|卢比)"
    r"|¥\s*[\d,.]+\s*[(（]?\s*(?:yen|日元)"
    r"|\b\d+(?:\.\d+)?\s*(?:p|pence)\s*(?:/|per|a)\s*kwh\b"  # "30p per kWh"
)


def other_currency(text: str) -> str | None:
    """The amount as written when `text` names money in a currency other than USD, CNY or EUR
    ("£5,000", "500000 JPY", "2万港币"), else None."""
    found = _OTHER_CURRENCY.search(text)
    return re.sub(r"\s*[(（]\s*", " ", found.group(0).strip()) if found else None
