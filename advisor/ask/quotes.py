"""A price the asker was offered for a box: "two used 3090s for $600 each", "someone is selling
an M2 Ultra for $2,800", "二手 4090 报价 1.2 万一张", "两张 3090 总共 1 万块". It is what one unit
costs them, in place of the catalog's price; it is not a budget."""

from __future__ import annotations

import re
from typing import NamedTuple

from advisor.ask.money import CNY_AFTER, EUR_AFTER, NUMBER, SCALE, USD_AFTER, amount

_MONEY = (
    rf"(?P<sign>\$|us\$|€|[¥￥])?\s*(?P<num>{NUMBER})\s*"
    rf"(?P<scale>{SCALE})?\s*"
    rf"(?P<unit>{USD_AFTER}|{CNY_AFTER}|{EUR_AFTER})?"
    r"(?!\s*(?:tok|token|context|ctx|上下文|b\b|gb|g\b))"  # "at 32k context" is no price
)
_PER_UNIT = r"一张|一台|每张|每台|一块|每块"
_EACH = rf"\s*(?P<each>each|apiece|a piece|per (?:card|unit|box|gpu)|a card|{_PER_UNIT})?"
_IN_ALL = re.compile(
    r"\s*(?:for both|for the pair|for (?:the )?(?:two|three|four)|in total|total)|\s*总共"
)
_CLAUSE = r"[^.?!;。？！；]{0,60}?"
# (pattern, what else the question must say for the amount to be an offer rather than a budget)
_QUOTES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), needs)
    for pattern, needs in (
        # "someone is selling a used M2 Ultra for $2,800", "I can get two 3090s for $600 each"
        (
            r"\b(?:selling|sells|sold|offer(?:ed|ing|s)?|asking|quoted?|listed|going|"
            r"(?:i|we)\s+(?:can|could)\s+(?:get|buy|pick up))\b"
            + _CLAUSE
            + r"\b(?:for|at)\s+"
            + _MONEY
            + _EACH,
            "",
        ),
        # "got a quote of $4,200 for a DGX Spark"
        (r"\bquote[sd]?\s+(?:of\s+|at\s+)?" + _MONEY + _EACH, ""),
        # "get a Spark for $4000" is what they can spend unless the question says used / each
        (
            r"\b(?:get|getting|got|buy|buying|pick(?:ing)? up|found|snag)\b"
            + _CLAUSE
            + r"\b(?:for|at)\s+"
            + _MONEY
            + _EACH,
            "second-hand",
        ),
        (r"\b(?:costs?|priced at|goes for|going for)\s+" + _MONEY + _EACH, "second-hand"),
        # "found a 5090 for €2800": a find right before its price, in money
        (r"\bfound\b[^.?!;。？！；]{0,25}?\b(?:for|at)\s+" + _MONEY + _EACH, "currency"),
        # "used 3090s are $700 each here": a price per unit, said outright in money
        (
            r"\b(?:are|is|go|run)\s+(?:about\s+|around\s+)?"
            + _MONEY
            + r"\s*(?P<each>each|apiece|a piece|per (?:card|unit|box|gpu))",
            "currency",
        ),
        # "two 3090s at $600 each", "for $1300 total", "the M3 Ultra for $10000: a good deal?",
        # "a used 4090 at 1.5k"
        (r"\b(?:for|at)\s+" + _MONEY + _EACH, "each, in all or worth"),
        # "报价 1.2 万一张", "卖 6000 元", "总共 1 万块", "有人 1.5 万出一台", "二手 2.5 万"
        (
            r"(?:报价|要价|开价|出价|卖|二手|(?P<total>总共|一共|共|合计))\s*(?:价|才|只要)?\s*"
            + _MONEY
            + _EACH,
            "",
        ),
        (r"(?:收|入手|拿下?|要)\s*(?:价|才|只要)?\s*" + _MONEY + _EACH, "second-hand"),
        # "二手4090，1.2万", "一张二手3090（5000元）": the price beside the box it names
        (
            r"(?:二手|闲鱼)[^，,。；;]{1,20}[，,]\s*" + _MONEY + _EACH + r"\s*(?=[。.；;，,]|$)",
            "currency",
        ),
        (r"[（(]\s*" + _MONEY + _EACH + r"\s*[)）]", "currency"),
        (_MONEY + r"\s*(?:就)?(?:能买到|可以买到|能拿到|出(?=一台|一张|台|张))", ""),
        # "1.2 万一张", "每张 4500"
        (_MONEY + rf"\s*(?P<each>{_PER_UNIT})", ""),
        # right after the words: names are blanked before quotes are read, and "一台 m3 ultra
        # 512" must not read the Mac's size as the price of one
        (rf"(?P<each>{_PER_UNIT})\s?(?=\d|\$|us\$|€|[¥￥])" + _MONEY, ""),
    )
)
# one unit, named as one: "a used 4090", "one 5090", "一张二手 3090", "单卡"
ONE_BEFORE = re.compile(
    r"(?:\b(?:a|an|one|single)|一台|一张|一块|单卡|单张|单台|一个)\s*"
    r"(?:(?:used|new|second-?hand|refurbished)\s+|二手|全新|新的?)?\s*$"
)
_SENTENCE_END = re.compile(r"[.?!;。？！；]")
_SECOND_HAND = re.compile(r"\bused\b|second-?hand|refurb|\boffer|\bdeal\b|listing|seller|二手|闲鱼")
_WORTH = re.compile(r"worth (?:it|the)|good deal|\ba deal\b|bargain|值不值|值吗|值得|划算")
_CURRENCY_OF = {"$": "USD", "us$": "USD", "€": "EUR", "¥": "CNY", "￥": "CNY"}


class Quote(NamedTuple):
    hardware: str  # the catalog id of the box quoted for
    unit_price: float  # one unit, in `currency`
    currency: str | None  # None: not said (the question's language decides)
    start: int
    end: int
    side_by_side: bool = False  # priced only by standing beside its box among others


def parse_quotes(
    text: str, spans: list[tuple[str, int, int]], counts: dict[str, int]
) -> list[Quote]:
    """Every box's quoted price, per unit: "a used 4090 for $1500 or a new 5090 for $2800".
    After the first, a price counts only for a box named just before it in the same sentence,
    so "which box for $4000?" stays a budget."""
    quotes: list[Quote] = []
    for pattern, needs in _QUOTES:
        for match in pattern.finditer(text):
            if any(q.start < match.end() and match.start() < q.end for q in quotes):
                continue
            quote = _quote(text, match, needs, spans, counts)
            if quote is None or any(q.hardware == quote.hardware for q in quotes):
                continue
            if quotes and not _named_just_before(text, spans, quote):
                continue
            quotes.append(quote)
        if quotes and len(quotes) == len({h for h, _, _ in spans}):
            break
    if len(quotes) == 1 and quotes[0].side_by_side:
        return []  # "buy an M3 Ultra for $5,500 or two Sparks": one amount is what they spend
    return sorted(quotes, key=lambda q: q.start)


def _quote(
    text: str,
    match: re.Match[str],
    needs: str,
    spans: list[tuple[str, int, int]],
    counts: dict[str, int],
) -> Quote | None:
    """The price `match` quotes for the box named before it, per unit: a total over the units
    counted beside that box ("for both", "总共", or no "each" beside a count above one) is
    divided among them, unless the box was named as one ("a used 4090 for $1500")."""
    said = _said_as_money(match)
    if said is None or re.match(r"\s*(?:budget|预算)", text[match.end() :]):
        return None
    evident = _evident(needs, match, text)
    if not spans or not (evident or _priced_side(text, spans, match)):
        return None
    value = amount(match.group("num"), match.group("scale"))
    if value <= 0:
        return None
    before = [span for span in spans if span[1] < match.start("num")]  # the box it prices
    hardware, start, _ = before[-1] if before else spans[0]
    in_all = _IN_ALL.match(text, match.end()) is not None or bool(match.groupdict().get("total"))
    each = bool(match.groupdict().get("each"))
    named_as_one = not in_all and ONE_BEFORE.search(text[max(0, start - 20) : start]) is not None
    count = 1 if named_as_one else counts.get(hardware, 1)
    per_unit = value / count if (in_all or not each) and count > 1 else value
    return Quote(hardware, per_unit, said or None, match.start(), match.end(), not evident)


def _priced_side(text: str, spans: list[tuple[str, int, int]], match: re.Match[str]) -> bool:
    """Boxes set side by side, each with its price ("Strix Halo at $1,999 vs DGX Spark at
    $3,999"): an amount in money right after one of two or more boxes named."""
    if len({h for h, _, _ in spans}) < 2 or not (match.group("sign") or match.group("unit")):
        return False
    before = [end for _, _, end in spans if end <= match.start()]
    gap = text[before[-1] : match.start()] if before else ""
    return bool(before) and len(gap) <= 12 and _SENTENCE_END.search(gap) is None


def _named_just_before(text: str, spans: list[tuple[str, int, int]], quote: Quote) -> bool:
    """Whether the quoted box is named before the price, in the same sentence."""
    named = [span for span in spans if span[0] == quote.hardware and span[2] <= quote.end]
    between = re.sub(r"\d[.,]\d", "", text[named[-1][2] : quote.end]) if named else ""
    return bool(named) and _SENTENCE_END.search(between) is None


def _evident(needs: str, match: re.Match[str], text: str) -> bool:
    """Whether the question says enough for the amount to be an offer (see `_QUOTES`)."""
    each = bool(match.groupdict().get("each"))
    if needs == "currency":  # "16k each" is a prompt, "$700 each" and "1.2万" are prices
        return bool(
            match.group("sign") or match.group("unit") or match.group("scale") in ("万", "w")
        )
    if needs == "second-hand":
        return each or _SECOND_HAND.search(text) is not None
    if needs:
        in_all = _IN_ALL.match(text, match.end()) is not None
        said = _WORTH.search(text) or _SECOND_HAND.search(text)
        return each or in_all or said is not None
    return True


def _said_as_money(match: re.Match[str]) -> str | None:
    """The currency the amount is written in; "" when it is money without one (a 万 amount,
    or a price per unit); None when nothing says it is money."""
    sign, unit, scale = match.group("sign"), match.group("unit") or "", match.group("scale")
    if sign:
        return _CURRENCY_OF[sign]
    if unit:
        if re.fullmatch(USD_AFTER, unit):
            return "USD"
        return "EUR" if re.fullmatch(EUR_AFTER, unit) else "CNY"
    if scale in ("万", "w"):
        return "CNY"
    if scale in ("k", "thousand", "千"):
        return ""  # "a 4090 at 1.5k": money, in the question's currency
    return "" if match.groupdict().get("each") or match.groupdict().get("total") else None
