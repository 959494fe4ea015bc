"""Turn a question typed the way people type it into a structured query. Rules, not an LLM.

Each slot has its own small recogniser; the catalog supplies model and hardware names (ids,
aliases, typos through rapidfuzz). Nothing here raises on odd input: the worst case is a query
with intent "help".
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from itertools import pairwise
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.ask.money import (
    AMOUNT,
    CNY_AFTER,
    EUR_AFTER,
    EURO_NUMBER,
    NUMBER,
    SCALE,
    USD_AFTER,
    ZH_DIGITS,
    KwhPrice,
    amount,
    euro_amount,
    kwh_price,
    money_words_to_digits,
    other_currency,
)
from advisor.ask.quotes import ONE_BEFORE, Quote, parse_quotes
from advisor.catalog import Catalog, name_key, names_of
from advisor.catalog.entries import Hardware, Model
from advisor.requests import Currency, MinVerdict, Preference, is_native, scaled_tokens

Intent = Literal[
    "recommend", "can_run", "compare", "capacity", "upgrade", "explain", "list", "help"
]
Language = Literal["zh", "en"]
MAX_QUESTION_CHARS = 2000

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[a-z]{2,}")
_EN_NUMBERS = {
    "one": 1,
    "pair": 2,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "a pair of": 2,
    "pair of": 2,
    "couple of": 2,
    "dual": 2,
    "double": 2,
    "triple": 3,
    "quad": 4,
    "single": 1,
}


OutOfScope = Literal["training", "closed_model", "device", "gaming"]
_OUT_OF_SCOPE: tuple[tuple[OutOfScope, re.Pattern[str]], ...] = (
    (
        "training",
        re.compile(
            r"fine[- ]?tun|finetun|\btrain(?:ing)?\b|\blora\b|\bqlora\b|\bsft\b|\bpre-?train|微调|训练"
        ),
    ),
    (
        "closed_model",
        re.compile(
            r"\bgpt[- ]?(?:4o?|4\.1|4\.5|5(?:\.\d)?)\b|chatgpt|\bclaude\b|\bgemini\b|\bo[134](?:-mini)?\b|文心一言|豆包"
        ),
    ),
    (
        "device",
        re.compile(r"iphone|ipad|\bandroid\b|\bphone\b|手机|平板|raspberry\s*pi|树莓派"),
    ),
    ("gaming", re.compile(r"\bgaming\b|打游戏|游戏本|游戏电脑|游戏主机")),
)


def out_of_scope(text: str, has_box: bool) -> OutOfScope | None:
    """Training, a closed model, a phone or a Raspberry Pi, a gaming PC: not local inference
    on a box the catalog sizes (a gaming PC with a named card is a question about the card)."""
    for topic, pattern in _OUT_OF_SCOPE:
        if not pattern.search(text) or (topic == "gaming" and has_box):
            continue
        if topic in ("training", "gaming") and _BACK_TO_INFERENCE.search(text):
            continue  # "forget training, just inference", "不训练了，就跑 …"
        return topic
    return None


_BACK_TO_INFERENCE = re.compile(
    r"\bforget\b|\bjust inference\b|\binference\b|不训练|不玩|只做推理|就跑|推理|主要还是"
)


class GenericSpec(BaseModel):
    """A model named only by its size: "a 70B model", "200B MoE with 20B active"."""

    model_config = ConfigDict(frozen=True)

    params_b: float = Field(gt=0)
    active_b: float | None = Field(default=None, gt=0)


class Clarification(BaseModel):
    """One short question back, with the choices, instead of a guess presented as fact."""

    slot: str
    choices: list[str]
    unknown: str | None = Field(default=None, description="the name we did not recognise")
    hub_repo: str | None = Field(
        default=None, description="the unknown model as a Hugging Face repo id (ORG/NAME)"
    )
    typo: bool = Field(default=False, description="the unknown name reads as a known one mistyped")
    several: bool = Field(
        default=False, description="two models named side by side, to size one at a time"
    )


PromptUnit = Literal["words", "characters", "pages", "bytes"]


class ParsedQuery(BaseModel):
    intent: Intent
    model_variant: str | None = Field(
        default=None,
        description="the release asked about, when the catalog answers for the "
        "model whose architecture it shares (QwQ-32B -> Qwen2.5-32B)",
    )
    have: str | None = Field(default=None, description="the box the asker owns (upgrade)")
    have_units: int | None = Field(default=None, ge=1, le=64)
    this_machine: bool = Field(
        default=False, description="the question is about the machine it runs on"
    )
    model: str | None = None
    model_confidence: float | None = None
    model_as_written: str | None = Field(
        default=None,
        description="a size or version the question gives the model that the model answered "
        "for lacks ('80b' for Llama 3.3 70B): the answer says it is the nearest",
    )
    generic: GenericSpec | None = None
    quant: str | None = None
    quant_as_named: bool = Field(
        default=False,
        description="the format was named ('Q4_K_M', 'a 4-bit GGUF'), not its bits alone: it is "
        "run as itself where an engine does",
    )
    engine: str | None = Field(default=None, description="the engine named, by catalog id")
    engines_weighed: list[str] = Field(
        default_factory=list,
        description="engines named as a choice ('llama.cpp or vLLM?'), by catalog id: each is "
        "answered, and `engine` is left to the resolver",
    )
    formats_weighed: list[str] = Field(
        default_factory=list,
        description="formats named as a choice ('4-bit or 8-bit?', 'Q4 还是 Q8'), by catalog id: "
        "each is answered beside the setup of `quant`",
    )
    split: Literal["pipeline", "tensor"] | None = Field(
        default=None, description="how the units split the model, when said"
    )
    link: str | None = Field(default=None, description="what joins the units, by catalog id")
    context_tokens: int | None = None
    prompt_tokens: int | None = None
    prompt_said: tuple[int, PromptUnit] | None = Field(
        default=None,
        description="the prompt as said in words, characters or pages: prompt_tokens counts it",
    )
    prompt_trimmed_from: int | None = Field(
        default=None,
        description="the prompt as said, when it filled the model's whole window and was cut to "
        "leave room for the answer ('128k documents' for a 128k model)",
    )
    budget: float | None = None
    unit_prices: dict[str, float] = Field(
        default_factory=dict,
        description="a price the asker was quoted for one unit of a box, by catalog id",
    )
    currency: Literal["USD", "CNY", "EUR"] | None = None
    kwh_price: float | None = Field(
        default=None, description="the electricity price stated, per kWh, in `electricity`"
    )
    electricity: Literal["USD", "CNY", "EUR"] | None = Field(
        default=None,
        description="whose electricity rate: the currency a stated price per kWh was said in, or "
        "the one the conversation began in when a follow-up only asked to see another "
        "('用美元算')",
    )
    units: int | None = None
    one_machine: bool | None = Field(
        default=None, description="'one box', '共用一台': a box, or one PC with its cards"
    )
    hardware: list[str] = Field(default_factory=list)
    memory_asked_gb: int | None = Field(
        default=None,
        description="a memory size asked about with no box named ('is 128GB enough for Qwen3 "
        "235B?'): the boxes of that size are weighed",
    )
    counts_weighed: list[int] = Field(
        default_factory=list,
        description="counts of the one box named weighed against each other ('one DGX Spark or "
        "two?': [1, 2]): a comparison of the box at each",
    )
    counts_weighed_of: str | None = Field(
        default=None,
        description="the box `counts_weighed` are of when other boxes are named beside it ('M3 "
        "Ultra 512G, one Spark or two Sparks'): each count of it is a side of its own",
    )
    min_tok_s: float | None = None
    min_verdict: MinVerdict | None = Field(
        default=None, description="'comfortable' for 'runs smoothly' (流畅); 'usable' lifts it"
    )
    max_ttft_s: float | None = Field(
        default=None, description="the longest wait for the first token accepted, in seconds"
    )
    wait_waved: bool = Field(
        default=False, description="a first-token bound said not to matter ('... doesn't matter')"
    )
    prefer: Preference | None = Field(
        default=None, description="what the asker puts first, when said"
    )
    new_only: bool | None = Field(
        default=None, description="True when the asker wants only boxes sold new, when said"
    )
    used_only: bool | None = Field(
        default=None, description="True when the asker wants only used boxes ('used cards')"
    )
    cards_only: bool | None = Field(
        default=None, description="True when the asker wants only graphics cards ('二手显卡')"
    )
    asks_users: bool = Field(
        default=False, description="the question asks how many users a box serves at once"
    )
    asks_context: bool = Field(
        default=False, description="the question asks the longest context a box holds"
    )
    asks_memory: bool = Field(
        default=False, description="the question asks how much memory the model needs"
    )
    asks_fewest_units: bool = Field(
        default=False,
        description="'how many 3090s do I need?', 'can 3090s run it?', '要几台 Spark': the one "
        "box named, at the fewest of it that run the model",
    )
    asks_monthly: bool = Field(
        default=False, description="the question asks what the electricity costs a month"
    )
    concurrency: int | None = Field(default=None, description="people or requests served at once")
    have_host: bool | None = Field(
        default=None, description="the asker owns a PC to put cards in: price cards alone"
    )
    hours_per_day: float | None = Field(
        default=None,
        description="hours a day under load, for electricity (as said: the request refuses "
        "what a day cannot hold)",
    )
    units_by_hardware: dict[str, int] = Field(
        default_factory=dict, description="counts written against box names"
    )
    named_as_line: dict[str, str] = Field(
        default_factory=dict,
        description="boxes named by product line without a memory size: id -> name as written",
    )
    owned: list[str] = Field(
        default_factory=list,
        description="boxes a can-run question says the asker has ('I have a 4090. Can it ...')",
    )
    owned_units: dict[str, int] = Field(
        default_factory=dict,
        description="how many of each box owned the asker has ('I have 2 3090s'; else 1)",
    )
    named_as_laptop: dict[str, str] = Field(
        default_factory=dict,
        description="Mac Studios named as the MacBook with their chip: id -> the laptop's name",
    )
    box_as_written: dict[str, str] = Field(
        default_factory=dict,
        description="a box read from its name typed wrong ('dgx sprak'): id -> as typed",
    )
    language: Language = "en"
    term: str | None = None
    assumed: dict[str, str] = Field(default_factory=dict)
    clarify: Clarification | None = None
    follow_up: bool = False
    budget_said: float | None = Field(
        default=None, description="the budget asked before 'cheaper?' set one under the pick"
    )
    cheaper_than: float | None = Field(
        default=None, description='"cheaper?": the price of the pick before, in `currency`'
    )
    other_language: bool = Field(default=False, description="written in neither zh nor en")
    other_currency: str | None = Field(
        default=None, description="money said in a currency not priced in ('£5,000'), as said"
    )
    out_of_scope: OutOfScope | None = Field(
        default=None, description="what the question asks that local-inference sizing is not"
    )


# --- text helpers ---------------------------------------------------------------------------


_NEGATIVE_WORD = re.compile(r"负\s*(?=[\d一二两俩三四五六七八九十])")


# traditional characters of the words the parser reads (counts, money, "enough?"), written as
# in simplified Chinese: "兩台 Mac Studio 夠嗎" is "两台 Mac Studio 够吗"
_SIMPLIFIED = str.maketrans(
    "兩臺張萬個塊預夠嗎麼們語議時間專買賣條長", "两台张万个块预够吗么们语议时间专买卖条长"
)


def normalize(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII), lower case, one space between words."""
    # a Chinese comma ends a clause: "deepseek v3，100个人用" is not the number 3,100
    text = text[:MAX_QUESTION_CHARS].replace("，", ", ")
    text = unicodedata.normalize("NFKC", text).translate(_SIMPLIFIED)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    # "70b的模型", "q4版本": a space between Chinese and Latin/digits keeps word boundaries
    text = re.sub(
        r"(?<=[\u4e00-\u9fff])(?=[a-z0-9$])|(?<=[a-z0-9%+])(?=[\u4e00-\u9fff])", " ", text.lower()
    )
    text = _NEGATIVE_WORD.sub("-", text)  # "负5个人" is -5, kept for the request to refuse
    text = _GLUED_COUNT.sub(lambda m: " x" if m.group(1) else "x ", text)
    text = _LETTER_O_FOR_ZERO.sub("0", text)  # "rtx 509o": a card number ends in a zero
    return re.sub(r"\s+", " ", text).strip()


_LETTER_O_FOR_ZERO = re.compile(r"(?<=\b\d{3})o\b")


# a unit count glued to a card's number: "rtx5090x2" reads as "rtx5090 x2", "2x3090" as "2x 3090"
_GLUED_COUNT = re.compile(r"(?<=\d{4})(x)(?=\d\b)|(?<=\b\d)x(?=\d{4}\b)")


_OTHER_SCRIPT = re.compile(
    r"[\u0400-\u04ff\u0590-\u06ff\u0900-\u0dff\u0e00-\u0eff\u3040-\u30ff\uac00-\ud7af]"
)
_LATIN_FOREIGN = re.compile(
    r"\b(?:quel|quelle|combien|cuánt[oa]s?|necesita|memoria|mémoire|speicher|puis-je|pour|acheter|ordinateur|faire tourner|welche[sn]?|kann|"
    r"können|brauche|kaufen|cuál|cuánto|puedo|necesito|comprar|qual|posso|quanto|rodar|"
    r"computador|welk|hoeveel|puede|ejecutar|correr|funciona|presupuesto|modelo|peut|est-ce|"
    r"exécuter|ausführen|laufen|reicht|eine?|pode|executar|orçamento)\b|[äöüßéèêàçñ¿¡]"
)


# Japanese written in kanji alone ("予算30万円 Qwen3 32B 推奨機"): forms simplified Chinese
# writes otherwise (预算, 元, 推荐, 机, 购入, 运行)
_JAPANESE_KANJI = re.compile(r"予算|円|推奨|機|購入|実行|動作|対応|処理")


def is_other_language(text: str) -> bool:
    """Mostly written in a language we do not answer in (Cyrillic, kana, Hangul, Arabic, ...,
    Japanese kanji, or common French/German/Spanish/Portuguese words)."""
    other = len(_OTHER_SCRIPT.findall(text))
    letters = len(re.findall(r"[a-z\u4e00-\u9fff]", text))
    return (
        (other >= 3 and other >= 0.3 * letters)
        or len(_LATIN_FOREIGN.findall(text)) >= 2
        or len(_JAPANESE_KANJI.findall(text)) >= 2
    )


def detect_language(text: str) -> Language:
    cjk = len(CJK.findall(text))
    words = len(LATIN_WORD.findall(text))
    return "zh" if cjk and cjk >= 0.5 * words else "en"  # "5090 x2 跑 qwen3 32b" is Chinese


# a Chinese amount: digits and scales ("两万五千", "一万五", "三千五", "十万", "一亿"), at least
# one scale of money (千, 万, 亿) and a digit before it ("千万" is "by all means", "万一" "in case")
_ZH_AMOUNT = re.compile(
    r"(?<![零一两二三四五六七八九十百千万亿])"
    r"[一两二三四五六七八九十][零一两二三四五六七八九十百]*[千万亿][零一两二三四五六七八九十百千万亿]*"
)
_ZH_UNITS = {"十": 10, "百": 100, "千": 1_000, "万": 10_000, "亿": 100_000_000}


def _zh_number(word: str) -> int:
    """ "五" 5, "十" 10, "十五" 15, "二十" 20, "二十五" 25; 0 for what is not a number."""
    if "十" not in word:
        return ZH_DIGITS.get(word, 0)
    tens, _, ones = word.partition("十")
    return (ZH_DIGITS.get(tens, 1) if tens else 1) * 10 + (ZH_DIGITS.get(ones, 0) if ones else 0)


def _zh_amount(word: str) -> int:
    """The value of a Chinese amount: "两万五千" 25000, "一万五" 15000 (a last digit counts in
    the unit below the one before it), "三千五" 3500, "十二万" 120000, "一亿" 100000000."""
    total = section = digit = 0
    last = 1
    for char in word:
        unit = _ZH_UNITS.get(char)
        if unit is None:
            digit = ZH_DIGITS.get(char, 0)  # 零 is 0
            continue
        if unit == 100_000_000:
            total, section = (total + section + digit) * unit, 0
        elif unit == 10_000:
            total, section = total + (section + digit) * unit, 0
        else:
            section += (digit or (1 if unit == 10 else 0)) * unit
        digit, last = 0, unit
    return total + section + digit * (last // 10 if last >= 100 else 1)


def _scaled(value: int) -> str:
    """An amount in digits, in 万 from ten thousand up (a 万 amount is read as yuan)."""
    if value >= 10_000:
        return f"{value / 10_000:g}万"
    return f"{value / 1_000:g}千" if value % 1_000 else f"{value // 1_000}千"


def chinese_numerals_to_digits(text: str) -> str:
    """ "两万" -> "2万", "十五万" -> "15万", "两万五千" -> "2.5万", "三千五" -> "3.5千" (amounts
    only: those with 千, 万 or 亿); digits too: "2万5千" -> "2.5万", "1万5" -> "1.5万"."""
    text = _ZH_AMOUNT.sub(lambda m: _scaled(_zh_amount(m.group(0))) or m.group(0), text)
    text = re.sub(r"(\d+)\s*万\s*(\d)\s*千", r"\1.\2万", text)
    # "1万5" / "2w5": the digit after 万 is thousands
    return _WAN_AND_THOUSANDS.sub(lambda m: f"{m.group(1)}.{m.group(3)}{m.group(2)}", text)


# "1万5", "2w5", "1 万 5" (the parser spaces Chinese from digits); not "3w 6个人用" or "3万5个人",
# which count people (it had read "预算3w 6个人用" as a budget of 36,000)
_WAN_AND_THOUSANDS = re.compile(
    r"(\d+)\s*(万|w)\s*(\d)(?![\d.kw万千]|,\d{3}"
    r"|\s*(?:个|人|位|名|张|台|卡|users?\b|people\b|devs?\b|engineers?\b|seats?\b))"
)


# --- slots ----------------------------------------------------------------------------------

_BUDGET_WORDS = r"(?:预算(?:提到|只有|涨到|降到|加到|追加|加|改成|变成|调到|提高到|降低到)?|budget(?:\s+(?:is|of|around|about))?|under|below|less than|within|up to|max(?:imum)?|no more than|不超过|以内|控制在|大概|左右)"


CURRENCY_FROM_LANGUAGE = "the budget named no currency; taken from the language"


def currency_of(language: Language) -> Literal["USD", "CNY"]:
    """The currency a budget without one is read in."""
    return "CNY" if language == "zh" else "USD"


def currency_from_language(query: ParsedQuery) -> bool:
    return CURRENCY_FROM_LANGUAGE in query.assumed.get("currency", "")


# not after a letter, digit or amount ("gpt-4", "3000-5000", "3万-5万"); after another Chinese
# word it is a sign ("预算-1万")
_MINUS_BEFORE = re.compile(r"(?<![0-9a-z_万千百亿元块])-\s*(?:\$|us\$|usd|[¥￥€])?\s*$")


def _signed(text: str, number_start: int) -> bool:
    """A minus written before the amount ("budget -100", "-$100", "-5000 元"), kept for the
    request to refuse; not the dash of a range ("3000-5000 dollars")."""
    return _MINUS_BEFORE.search(text, 0, number_start) is not None


def parse_budget(text: str, language: Language) -> tuple[float | None, str | None, bool]:
    """(amount, currency, currency_was_assumed)."""
    text = money_words_to_digits(chinese_numerals_to_digits(text))
    patterns: list[tuple[str, str | None]] = [
        (rf"(?:\$|us\$|usd\s*)\s*(-)?\s*{AMOUNT}", "USD"),
        (rf"(-)?{AMOUNT}{USD_AFTER}", "USD"),
        (rf"[¥￥]\s*(-)?\s*{AMOUNT}", "CNY"),
        (rf"(-)?{AMOUNT}{CNY_AFTER}", "CNY"),
        (rf"(?:€|eur\s)\s*(-)?\s*{AMOUNT}", "EUR"),
        (rf"(-)?({EURO_NUMBER})\s*({SCALE})?{EUR_AFTER}", "EUR"),
        (rf"\b(?:rmb|cny)\s*(-)?\s*{AMOUNT}", "CNY"),  # "RMB 15000 budget", "CNY 15,000"
        (rf"(-)?{AMOUNT}{EUR_AFTER}", "EUR"),
        (
            rf"{_BUDGET_WORDS}\s*[:：是为]?\s*(?:about|around|大概|约)?\s*-?\s*{AMOUNT}(?!\s*(?:b\b|gb|g\b|tok|token|t/s|k?\s*(?:context|ctx|的?上下文|窗口)|位|bit))",
            None,
        ),
        (rf"{AMOUNT}\s*(?:以内|以下|左右)(?!\s*(?:b\b|gb|g\b|tok|token))", None),
        (rf"({NUMBER})\s*(k|w|万|千)\s*(?:块|元)?\s*(?=买|能买|可以买|够买|够不够)", None),
        # "1.5万能跑 32b 吗": money in 万 or 千 before what it should run
        (
            rf"({NUMBER})\s*(w|万|千)\s*(?:块钱?|元)?\s*(?=能跑|可以跑|够跑|跑得动|能不能跑|够不够跑|能上|跑)",
            None,
        ),
        # "手上有15000", "最多花十万": what the asker has or will spend
        (rf"(?:手上|手里|手头)\s*(?:只|就|总共|一共)?\s*(?:有|剩)\s*{AMOUNT}{_NOT_A_COUNT}", None),
        (rf"花\s*(?:个|掉)?\s*{AMOUNT}(?!\s*(?:秒|分钟|小时|天|s\b|min|tok)){_NOT_A_COUNT}", None),
        (rf"{AMOUNT}\s*(?:to spend|budget|dollar budget|spending limit|的?\s*预算)", None),
        (rf"\bfor\s+({NUMBER})\s*(万|w(?![a-z/]))", None),  # "buy a Mac for 3万"
        (rf"({NUMBER})\s*(grand)\b", None),  # "about 8 grand": money, whatever it buys
        (
            rf"spend(?:ing)?\s*(?:more than|over|up to|at most|about|around)?\s*\$?\s*{AMOUNT}",
            None,
        ),
    ]
    for pattern, said_in in patterns:
        for match in re.finditer(pattern, text):  # "大概 8 个, 预算 15 万": the next may be it
            found = _budget_at(text, match, said_in, language)
            if found is not None:
                return found
    return None, None, False


def _budget_at(
    text: str, match: re.Match[str], currency: str | None, language: Language
) -> tuple[float, str, bool] | None:
    """The budget `match` says, or None when it is no budget after all (a window, a count)."""
    explicit = currency is not None  # "$0", "-5000 元": said as money, so answered as such
    if not explicit and _AFTER_CONTEXT.search(text, 0, match.start()):
        return None  # "context up to 16k" is a window, not money
    groups = match.groups()[1:] if explicit else match.groups()
    number, scale = groups[0], groups[1]
    if currency == "EUR":
        number = euro_amount(number)  # "3.500 €", "5 000 €", "3,5k€"
    if scale in (None, "") and re.match(r"\s*(?:w(?![a-z/])|万|亿)", text[match.end() :] or ""):
        return None
    value = amount(number, scale) * (-1 if _signed(text, match.start(2 if explicit else 1)) else 1)
    top = _range_top(text, match, scale)
    value = top if top is not None and top > value >= 0 else value
    said_as_budget = re.match(r"预算|budget", match.group(0)) is not None
    if 0 <= value < 100 and not explicit and not (value == 0 and said_as_budget):
        return None  # "预算 8" is not a budget a box can be bought with; "8 万" is handled above
    if currency is None:
        after = text[match.end() : match.end() + 8]
        if re.match(USD_AFTER, after):
            currency = "USD"
        elif re.match(CNY_AFTER, after):
            currency = "CNY"
        elif re.match(EUR_AFTER, after):
            currency = "EUR"
        elif scale in ("w", "万", "亿"):
            return value, "CNY", False  # "3w", "3万": counted in yuan whatever the language
        else:
            return value, currency_of(language), True
    return value, currency, False


# what an amount counts when it is no money: "手上有 2 张卡", "花 3 秒"
_NOT_A_COUNT = r"(?!\s*(?:张|台|个|块(?!钱)|卡|gb|g\b|b\b|tb|k\s*(?:上下文|context)))"
_AFTER_CONTEXT = re.compile(r"(?:context|ctx|上下文|窗口)\s*(?:window\s*)?$")
# the top of a budget range: "3万-5万", "1万到1.5万", "3k-5k", "between $6000 and $9000"
_RANGE_TOP = re.compile(
    rf"\s*(?P<joint>-|–|~|～|到|至|\bto\b|\band\b)\s*(?:\$|us\$|€|[¥￥])?\s*{AMOUNT}"
    r"(?!\s*(?:b\b|gb|g\b|tok|token|k\s*(?:context|上下文)|位|bit|users?|people|人|个))"
)


def _range_top(text: str, match: re.Match[str], scale: str | None) -> float | None:
    """The upper amount of a range the budget starts ("预算3万-5万": 5万); "and" only after
    "between" ("$6000 and 2 users" is no range)."""
    top = _RANGE_TOP.match(text, match.end())
    if top is None or (top.group("joint") == "and" and "between" not in text[: match.start()]):
        return None
    return amount(top.group(2), top.group(3) or scale)


# "-32k context": a minus against the digits, not the dash of "DGX Spark - 32k context"
_MINUS_TOUCHING = re.compile(r"(?:^|[\s(（:：,，])-$")


# "w" is 万 ("3w"), not the w of "words"; "m" a million, not the m of "minutes"
# "50,000", "50 000", "32k", "3万", "5 million"
_SIZE = (
    r"((?<![\d.,])\d{1,3}(?:,\d{3})+|(?<![\d.,] )(?<![\d.,])\d{2,3}(?: \d{3})+(?![\d.,])|\d+(?:\.\d+)?)"
    r"\s*(k(?![a-z])|千|万|w(?![a-z/])|m(?![a-z])|thousand\b|million\b)?"
)
_CONTEXT_WORDS = r"(?:context|ctx|context window|上下文|长度|窗口)"
_PROMPT_WORDS = r"(?:prompt|prompts|提示词|输入|input)"
# what people paste in: its length is a prompt's, said with "token" ("100k-token documents")
_PASTED = (
    r"(?:(?:long|legal|pdf|text|source|whole|entire|big|large|technical|internal)\s+)?"
    r"(?:documents?|docs|files?|codebases?|code\s*bases?|contracts?|reports?|papers?"
    r"|transcripts?|logs|articles?|books?|chapters?|pdfs?|文档|文件|合同|报告|论文|代码库|资料"
    r"|材料|文章|长文|书)"
)
_PASTED_ZH = r"(?:文档|文件|合同|报告|论文|代码库|资料|材料|文章|长文)"
_PER_QUERY = r"(?:per|each|every|a|for each)\s+(?:query|request|question|call|prompt|turn)"
_TOKEN = r"(?:tokens?|个\s*token|token\s*的?)"
# (pattern, slot): the first match of each slot counts, and a span is read once
_LENGTHS = tuple(
    (re.compile(pattern), slot)
    for pattern, slot in (
        (
            rf"{_SIZE}\s*-?\s*tokens?\s+(?:of\s+(?:[a-z]+\s+)?(?:context|text)\s+)?{_PER_QUERY}",
            "prompt",
        ),
        (  # "I paste 60k tokens of code into it", "we feed it 60k tokens per request"
            rf"\b(?:paste[sd]?|pasting|feed(?:s|ing)?|fed|send(?:s|ing)?|sent|upload(?:s|ed|ing)?"
            rf"|stuff(?:s|ed|ing)?|dump(?:s|ed|ing)?|drop(?:s|ped|ping)?)\s+(?:in\s+|it\s+|them\s+)?"
            rf"(?:about\s+|around\s+|roughly\s+|up to\s+|~\s*)?{_SIZE}\s*-?\s*tokens?\b",
            "prompt",
        ),
        (  # "20k-token queries", "a 30k-token request"
            rf"{_SIZE}\s*-?\s*tokens?\s+(?:queries|query|requests?|questions?|calls?|messages?)\b",
            "prompt",
        ),
        (
            rf"每(?:次|个)(?:查询|请求|问题|调用|提问|都)?\s*(?:要|会|得)?\s*(?:塞|喂|丢|传|发|贴|粘贴|输入|给)?"
            rf"(?:(?!上下文|输出|返回|生成|回答|回复)[^,，。;；]){{0,8}}?{_SIZE}\s*{_TOKEN}",
            "prompt",
        ),
        (  # "每次塞128k上下文": a context fed in each time is a prompt
            rf"每(?:次|个问题|个请求|轮)?\s*(?:都)?\s*(?:要|会|得)?\s*(?:塞满?|喂|灌|输入|贴|粘贴|丢|传)"
            rf"\s*(?:进去|进)?\s*{_SIZE}\s*(?:tokens?|token\s*的?)?\s*(?:的\s*)?{_CONTEXT_WORDS}",
            "prompt",
        ),
        (  # "we stuff 64k of context into it"
            rf"\b(?:paste[sd]?|pasting|feed(?:s|ing)?|fed|stuff(?:s|ed|ing)?|fill(?:s|ed|ing)?)\s+"
            rf"(?:in\s+|it\s+|them\s+)?(?:about\s+|around\s+|up to\s+|~\s*)?{_SIZE}\s*-?\s*"
            rf"(?:tokens?\s+)?(?:of\s+)?context\b",
            "prompt",
        ),
        (
            rf"{_SIZE}\s*-?\s*(?:tokens?|token\s*的?)?\s*-?\s*(?:of\s+)?(?:的\s*)?(?:长\s*)?"
            rf"{_CONTEXT_WORDS}",
            "context",
        ),
        (
            rf"{_CONTEXT_WORDS}\s*(?:of|is|=|:|：|长度|为|是|最好|要|需要|至少|大概|around|at least"
            rf"|about)?\s*(?:是|要|有)?\s*-?{_SIZE}(?:\s*tokens?)?",
            "context",
        ),
        (  # "上下文开到64k", "bump the context to 64k": the window itself, not a prompt's length
            rf"(?:上下文|context|ctx)\s*(?:window\s*)?(?:up to|to|at|开到|调到|改成|改到|设为|设成|加到"
            rf"|提到|拉到|变成|升到|扩到)\s*-?{_SIZE}(?:\s*tokens?)?",
            "context",
        ),
        (rf"{_SIZE}\s*-?\s*(?:words?\b|个?(?:英文)?单?词(?!元))", "words"),
        (  # "3 万字的中文合同": what kind of text may stand between the length and the paper
            rf"{_SIZE}\s*(?:个)?汉?字(?!节)\s*(?:的\s*)?(?:(?:中文|英文|中英文|法律|技术|纯文本|长)\s*)?"
            rf"{_PASTED}",
            "characters",
        ),
        (  # "每人每次贴3万字", "丢进去5万字": what is pasted, in characters
            rf"(?:贴|粘贴|丢|扔|输入|上传)\s*(?:进去|进来|上去)?\s*(?:一份|一篇|大概|大约|约)?\s*"
            rf"{_SIZE}\s*(?:个)?汉?字(?!节)",
            "characters",
        ),
        (  # "长文档总结，一篇大概5万字", "文档一篇5万字左右"
            rf"(?:{_PASTED}|提示词|输入)(?:\s*(?:总结|摘要|翻译))?\s*[,，]?\s*"
            rf"(?:一篇|每篇|一份|每份|单篇)?\s*(?:有|是|为|大概|大约|约|共|一般|通常)?\s*"
            rf"{_SIZE}\s*(?:个)?汉?字(?!节)",
            "characters",
        ),
        (  # "a 2 MB text file", "500KB 的日志": a file's size, in bytes (a PDF's says little)
            rf"((?<![\d.,])\d+(?:\.\d+)?)\s*(k|m)i?b\b\s*-?\s*(?:of\s+)?(?:(?!pdf|docx?\b|word\b)[a-z]+\s+){{0,2}}?"
            rf"(?:text\b|txt\b|markdown\b|logs?\b|code\b|csv\b|json\b|(?!pdf|docx?\b|word\b){_PASTED}"
            rf"|(?:的\s*)?(?:中文|英文|纯文本|技术)?\s*(?:文本|日志|代码|{_PASTED_ZH}))",
            "bytes",
        ),
        (
            rf"{_SIZE}\s*(?:-\s*pages?\b|pages?\s+(?:long\b|of\b|pdfs?\b|{_PASTED})"
            rf"|页\s*(?:的\s*)?(?:中文|英文|技术|扫描)?\s*(?:pdf|{_PASTED}))",
            "pages",
        ),
        (
            rf"{_SIZE}\s*-?\s*(?:tokens?|token\s*的?)?\s*(?:的\s*)?(?:long\s+)?{_PROMPT_WORDS}",
            "prompt",
        ),
        (
            rf"{_PROMPT_WORDS}\s*(?:(?:of|is|are|=|:|：|长度|为|是|一般|通常|大概|大约|平均|最长|最多"
            rf"|usually|typically|around|about|up to|as long as|at most)\s*)*{_SIZE}(?:\s*tokens?)?",
            "prompt",
        ),
        (rf"{_SIZE}\s*-?\s*{_TOKEN}\s*-?\s*(?:的\s*)?{_PASTED}", "prompt"),
        # "贴 32k 的长文档", "32k 文档", "文档一般 32k 左右": a length in k beside what is
        # pasted is in tokens ("10k documents" is a count of them; "3万份文档" too)
        (
            rf"((?<![\d.,])\d+(?:\.\d+)?)\s*(k)(?![a-z])\s*(?:的\s*{_PASTED}|(?:长)?{_PASTED_ZH})",
            "prompt",
        ),
        (
            rf"{_PASTED_ZH}\s*(?:一般|通常|大概|大约|约|都是|有|是|平均|基本)*\s*"
            rf"((?<![\d.,])\d+(?:\.\d+)?)\s*(k)(?![a-z])(?!\s*(?:个|份|篇|条))",
            "prompt",
        ),
        (
            rf"{_PASTED}\s*[(（]?\s*(?:of|有|大概|大约|约|都是|一般|about|around|~|up to|roughly)?"
            rf"\s*(?:about|around|~)?\s*{_SIZE}\s*-?\s*{_TOKEN}",
            "prompt",
        ),
        # "32k tokens per conversation" is a context; "500 tokens per second" a speed
        (rf"{_SIZE}\s*(?:tokens?|个\s*token)\b(?!\s*(?:/\s*s|per\s+s|a\s+s|每秒))", "tokens"),
    )
)
# Rules of thumb, which the answer says it used: "100 tokens ~= 75 words" (OpenAI, "What are
# tokens and how to count them", help.openai.com/en/articles/4936856, read 2026-11-30); a page
# of a document "500 words, ~650 tokens" (tw.icebreaker.top/docs/ai/basics/token, read
# 2026-11-30). A Chinese character is 0.7 tokens for the tokenizers of the models Chinese buyers
# run (benchmarks/zh_tokens_per_char.md): DeepSeek "1 个中文字符 ≈ 0.6 个 token"
# (api-docs.deepseek.com/zh-cn/quick_start/token_usage, 2025-02), Qwen "1个token平均对应1.5-1.8个
# 汉字" (help.aliyun.com DashScope metering, 2024), Moonshot 1.5-2 characters a token (2024-03);
# Qwen3 and DeepSeek V3 tokenizers measured at 0.64-0.71 on Chinese prose.
# A byte of a text file is a quarter of a token: "1 token ~= 4 chars in English" (the same OpenAI
# article), and Chinese is 3 bytes a character in UTF-8 at 0.7 tokens a character (0.23 a byte).
TOKENS_PER: dict[PromptUnit, float] = {
    "words": 4 / 3,
    "characters": 0.7,
    "pages": 650,
    "bytes": 0.25,
}
# Families whose tokenizers take a Chinese character at a rate of their own, measured on the same
# two corpora (benchmarks/zh_tokens_per_char.md, whole-text figures): Llama 3.1 0.85 (0.80-0.89),
# gpt-oss 0.81 (0.77-0.85). Every other family is counted at TOKENS_PER["characters"].
ZH_TOKENIZERS: dict[str, tuple[str, float]] = {
    "llama": ("Llama 3", 0.85),
    "gpt-oss": ("gpt-oss", 0.81),
}


def tokens_per_character(family: str | None) -> float:
    """Tokens one Chinese character takes in a model family's tokenizer."""
    own = ZH_TOKENIZERS.get(family or "")
    return own[1] if own else TOKENS_PER["characters"]


def tokenizer_of(family: str | None) -> str | None:
    """The tokenizer a family's Chinese rate of its own was measured on; None: the default's."""
    own = ZH_TOKENIZERS.get(family or "")
    return own[0] if own else None


# what is written or said back, or a daily volume, is not a prompt
_OUTPUT_CUE = re.compile(
    r"\b(?:write|writes|writing|generate|generates|output|answers?|repl(?:y|ies)|respon(?:d|se)"
    r"|produce)\b|写|生成|输出|回答|回复|返回"
)
_PER_PERIOD = re.compile(
    r"\s*(?:(?:per|a|each|every)\s+(?:day|week|month|hour)\b|daily|/day|每|一天)"
)
_INPUT_CUE = re.compile(
    r"paste|feed|summari[sz]|read|upload|analy[sz]|review|translat|process|ingest|prompt|input"
    r"|document|pdf|contract|report|paper|book|输入|总结|审阅|阅读|分析|翻译|丢给|粘贴|贴|上传|处理"
    r"|提示词|文档|合同|报告|论文|书"
)


# what may stand between "write" and the length of what is written
_FILLER = re.compile(
    r"\s*(?:(?:a|an|the|about|around|roughly|up to|some|个|篇|份|约|大约|大概|一篇|一份|出)\s*)*"
)


def _fed_in(text: str, match: re.Match[str], slot: str) -> bool:
    """Whether words, characters or pages are what a question feeds the model: not an answer
    it writes, not a volume a day; bare words only beside something read or pasted."""
    window = max(0, match.start() - 30)
    written = [cue.end() for cue in _OUTPUT_CUE.finditer(text, window, match.start())]
    if written and _FILLER.fullmatch(text, written[-1], match.start()):
        return False  # "write 3000 words", "生成约3000字", "write a 2000-word report"
    read = [cue.end() for cue in _INPUT_CUE.finditer(text, window, match.end())]
    read_next = _INPUT_CUE.search(text, match.end(), match.end() + 12) is not None
    if written and not (read_next or (read and read[-1] > written[-1])):
        return False  # "write it in 3000 words"; not "写代码用，经常粘贴3万字的长文档"
    if _PER_PERIOD.match(text, match.end()):
        return False
    return slot != "words" or _INPUT_CUE.search(text) is not None


def _tokens(number: str, scale: str | None, in_tokens: bool = True) -> int:
    """A length as written: "32k" tokens are 32,768, "100k" 100,000 (`scaled_tokens`); "50k"
    words are 50,000 (not `in_tokens`)."""
    value = float(number.replace(",", "").replace(" ", ""))
    if scale in ("k", "m") and in_tokens:
        return scaled_tokens(value, scale)
    multiple = {"k": 1000, "千": 1000, "万": 10000, "w": 10000, "m": 1_000_000}
    multiple |= {"thousand": 1000, "million": 1_000_000}
    return round(value * multiple.get(scale or "", 1))


def parse_lengths(text: str) -> dict[str, int]:
    """The lengths said: "context" (the window), "prompt" (what one question feeds in) and
    a prompt said in "words", "characters" or "pages" (left to the caller to count in tokens)."""
    text = chinese_numerals_to_digits(text)  # "6万4" is 64,000, "三万字" 30,000 characters
    found: dict[str, int] = {}
    used: list[tuple[int, int]] = []
    for pattern, slot in _LENGTHS:
        match = pattern.search(text)
        bare = slot == "tokens"  # "N tokens" with no word saying what of: a context
        slot = "context" if bare else slot
        if not match or slot in found or (slot in TOKENS_PER and "prompt" in found):
            continue
        if any(match.start() < end and start < match.end() for start, end in used):
            continue  # "a 20k token prompt" is the prompt, not also the context
        if slot in TOKENS_PER and not _fed_in(text, match, slot):
            continue  # "write 3000 words", "5000 words a day": not what one question feeds in
        if bare and _OUTPUT_CUE.search(text, max(0, match.start() - 12), match.start()):
            continue  # "每次请求输出 2000 token", "generate 4000 tokens": the answer's length
        value = _tokens(match.group(1), match.group(2), in_tokens=slot not in TOKENS_PER)
        if value < (1 if slot == "pages" else 256) and not match.group(2):
            continue
        if _MINUS_TOUCHING.search(text, 0, match.start(1)):
            value = -value  # kept for the request to refuse
        used.append(match.span())
        found[slot] = value
    return found


def parse_context(text: str) -> tuple[int | None, int | None, tuple[int, PromptUnit] | None]:
    """(context window, prompt length) in tokens, and the prompt as said when it was said in
    words, characters or pages (counted at `TOKENS_PER` of each)."""
    found = parse_lengths(text)
    prompt, said = found.get("prompt"), None
    unit = next((u for u in TOKENS_PER if u in found), None)
    if prompt is None and unit is not None:
        said = (found[unit], unit)
        prompt = round(found[unit] * TOKENS_PER[unit])
    return found.get("context"), prompt, said


def parse_speed(text: str) -> float | None:
    unit = r"(?:tok(?:en)?s?\s*/\s*s(?:ec)?|t/s|tps|tokens?\s+(?:per|a)\s+second|token每秒|tok/秒|个?\s*token\s*/?\s*秒)"
    for pattern in (
        rf"(?P<minus>(?<![\w.])-\s*)?(\d+(?:\.\d+)?)\s*\+?\s*{unit}",
        r"(?:不低于|至少|不少于|大于|超过)\s*(\d+(?:\.\d+)?)\s*(?:个)?\s*(?:token|tok)",
        r"每秒\s*(?:至少|能有|能到|有)?\s*(\d+(?:\.\d+)?)\s*个?\s*(?:token|tok|词|字)",
        r"(\d+(?:\.\d+)?)\s*(?:个)?\s*(?:token|tok)\s*(?:每秒|/秒|一秒)",
    ):
        match = re.search(pattern, text)
        if match:
            value = float(match.group(match.lastindex or 1))  # the number, the last group
            if match.groupdict().get("minus"):
                return -value  # "at least -5 tok/s": kept for the request to refuse
            if 0 < value <= 100_000:
                return value
    return None


_FIRST_TOKEN = (
    r"(?:(?:time\s+to\s+)?(?:the\s+)?first[- ]token|ttft|首字(?:延迟)?|首\s*token(?:\s*延迟)?"
    r"|首个\s*token|第一个\s*(?:token|字))"
)
_WAIT = (
    r"(?:(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*"
    r"(?P<unit>ms\b|毫秒|s\b|secs?\b|seconds?\b|秒|min(?:ute)?s?\b|分钟)"
    r"|(?P<minute>an?|one|一|半)\s*(?:min(?:ute)?\b|分钟))"  # "under a minute", "一分钟内"
)
_AT_MOST = r"(?:under|below|within|less than|at most|no more than|max(?:imum)?|<=?|≤|不超过|小于|低于|少于|控制在|不要超过|别超过|不能超过)"
# "first token under 10 seconds", "首字延迟要在10秒内", "10秒内出首字", "under 3 s to first token";
# a wait said without a bound ("my Mac gives 45 s to first token") is a report, not a requirement
_WAIT_BOUNDS = tuple(
    re.compile(pattern)
    for pattern in (
        rf"{_FIRST_TOKEN}[^\d,，。;；?？]{{0,24}}?{_AT_MOST}\s*(?:of\s*)?{_WAIT}",
        rf"{_FIRST_TOKEN}[^\d,，。;；?？]{{0,12}}?{_WAIT}\s*(?:以内|之内|内|or less|or under|max"
        r"|(?:我|也)?(?:能|可以)接受|还行|is fine|is ok|is acceptable)",
        rf"{_AT_MOST}\s*{_WAIT}\s*(?:以内|之内|内)?\s*(?:出|给出|返回|看到|to|until|before)?\s*"
        rf"(?:the\s+)?{_FIRST_TOKEN}",
        rf"{_WAIT}\s*(?:以内|之内|内)\s*(?:出|给出|返回|看到)?\s*{_FIRST_TOKEN}",
    )
)
_SECONDS = {"ms": 0.001, "毫秒": 0.001, "min": 60.0, "分钟": 60.0}
# "first token within 10 s doesn't matter", "I don't care about TTFT under 2 s", "首字 3 秒内无所谓":
# a bound waved away
_WAVED_AFTER = re.compile(
    r"\s*(?:is|are|really)?\s*(?:doesn't|does not|don't|do not|won't|isn't|is not)\s+(?:really\s+)?"
    r"(?:matter|important|needed|necessary|required|a (?:concern|priority|requirement))"
    r"|\s*(?:is|isn't)?\s*(?:irrelevant|unimportant|not a (?:concern|priority|requirement))"
    r"|\s*(?:也)?(?:无所谓|不重要|没关系|不要紧|不在乎|不用管|不讲究|不是(?:重点|必须))"
)
_WAVED_BEFORE = re.compile(
    r"(?:don't|do not|doesn't|does not|not|never)\s+(?:really\s+)?(?:care|worry|worried|need)"
    r"(?:\s+(?:about|if|whether|that))?\s*(?:the\s+|a\s+)?$|(?:不在乎|不管|不需要|不用|不要求|不必)\s*$"
)


def parse_wait(text: str) -> tuple[float | None, list[tuple[str, int, int]]]:
    """The longest wait for the first token the asker accepts, in seconds: a bound said on the
    first token ("TTFT under 10 s"), not a figure asked for ("首字多久") nor one waved away
    ("... doesn't matter"); and where it was said, so that "under 500 ms" is not read again as
    a budget."""
    for pattern in _WAIT_BOUNDS:
        if match := pattern.search(text):
            span = [("wait", *match.span())]
            if _WAVED_AFTER.match(text, match.end()) or _WAVED_BEFORE.search(
                text, max(0, match.start() - 32), match.start()
            ):
                return None, span
            if minute := match.group("minute"):
                return (30.0 if minute == "半" else 60.0), span
            unit = match.group("unit")
            scale = next((v for k, v in _SECONDS.items() if unit.startswith(k)), 1.0)
            value = float(match.group("n").replace(",", "")) * scale
            return (value if value > 0 else None), span
    return None, []


_BOX_WORDS = (
    r"(?:box|boxes|machine|hardware|setup|option|gpu|card|computer|pc|build|system|way to run"
    r"|mac|one|config(?:uration)?)"
)
# "cheapest?", "ok, the fastest one?", "what's the cheapest?" as the whole of a follow-up; not
# "which format is fastest?"
_ONLY_THE = (
    r"^\s*(?:(?:ok|okay|and|so|then|what about|how about)[,\s]+)*"
    r"(?:what'?s\s+|which\s+(?:one\s+)?is\s+)?(?:the\s+)?"
)
# "the fastest under $5000 for X", "the cheapest for X": the pick, said first, of what follows
_PICK_FOR = r"(?:under|below|within|for|up to|at most|i can (?:get|buy)|money can buy)\b"
# "最便宜能流畅跑 X 的": the box that runs it, said first
_CAN_RUN = r"(?:能|可以)(?:流畅|顺畅|稳定|顺利)?地?(?:跑|运行)"
_PREFER = re.compile(
    r"(?P<cheapest>(?:cheapest|least expensive|lowest[- ]cost|lowest[- ]price|most affordable)"
    rf"(?:\s+[\w-]+){{0,2}}?\s+{_BOX_WORDS}\b|as cheap as possible"
    r"|最便宜的?\s*(?:全?新的?)?(?:机器|方案|配置|选择|显卡|硬件|组合|设备|电脑|能跑|能运行|可以跑)|最省钱|成本最低|花钱最少"
    # "最少要花多少钱", "最低要多少钱", "at least how much": what it takes, at the least
    r"|最(?:少|低|便宜)(?:也)?(?:要|得|需要)?(?:花)?多少钱|\bhow much (?:do|would|will) (?:i|we) need to spend at least\b"
    r"|\bminimum (?:budget|spend|cost)\b"
    r"|最便宜的(?:呢|吧|是哪个|是哪台|是啥)"
    rf"|{_ONLY_THE}cheapest(?:\s+one)?\s*[?？]?$"
    rf"|{_ONLY_THE}cheapest\s+{_PICK_FOR}|最便宜(?:又|而且)?{_CAN_RUN}"
    r"|(?:买|选|用)?(?:什么|哪个|哪款|哪台)最便宜|最便宜(?:地|的)?\s*(?:买|选|配)\s*(?:什么|哪个|哪款|哪台))"
    # "the fastest first token", "首字最快": the shortest wait before the answer starts
    r"|(?P<first_token>(?:fastest|quickest|lowest|shortest|least)\s+(?:time[- ]to[- ]first[- ]token"
    r"|ttft|first[- ]token(?:\s+(?:wait|latency|time))?|wait(?:\s+for\s+the\s+first\s+token)?"
    r"|prompt[- ]processing\s+wait)"
    r"|首\s*(?:字|token|个\s*token)\s*(?:延迟|等待|时间)?\s*最(?:快|短|低|少)"
    # "首字要快", "首字延迟要低", "首字越快越好": put first, even without 最
    r"|首\s*(?:字|token|个\s*token)\s*(?:延迟|等待|时间)?\s*(?:要|得|必须|一定要|尽量|越)\s*(?:快|短|低)"
    r"|第一个\s*(?:字|token)\s*(?:出来)?最快|等待(?:时间)?最短)"
    rf"|(?P<fastest>(?:fastest|quickest)(?:\s+[\w-]+){{0,2}}?\s+{_BOX_WORDS}\b"
    r"|(?:fastest|quickest|lowest)\s+latency"
    r"|最快的?\s*(?:全?新的?)?(?:机器|方案|配置|选择|显卡|硬件|组合|设备|电脑)|跑得最快|速度最快"
    r"|最快的(?:呢|吧|是哪个|是哪台|是啥)"
    rf"|{_ONLY_THE}(?:fastest|quickest)(?:\s+one)?\s*[?？]?$"
    rf"|{_ONLY_THE}(?:fastest|quickest)\s+{_PICK_FOR}|最快(?:又|而且)?{_CAN_RUN}"
    r"|(?:买|选|用)?(?:什么|哪个|哪款|哪台)最快)"
)
_NOT_WANTED = re.compile(
    r"(?:don't|do not|doesn't|no need for|not)\s+(?:need\s+|want\s+)?(?:the\s+)?$|(?:不要|不需要|不用|不必|不一定要)\s*$"
)


def parse_preference(text: str) -> Preference | None:
    """What the asker puts first, when they say it of a box: "the cheapest box that ...",
    "最快的机器", "the fastest first token"; not "the fastest way to learn", "最快多久能到货" or
    "不要最便宜的"."""
    match = _PREFER.search(text)
    if match is None or _NOT_WANTED.search(text, max(0, match.start() - 16), match.start()):
        return None
    if match.group("cheapest"):
        return "cheapest"
    return "first_token" if match.group("first_token") else "fastest"


# "new only", "要新机，不要二手": nothing used, discontinued or withdrawn; said of what is bought,
# not of a model ("全新发布的 Qwen3", "brand new Qwen3")
_NEW_ONLY = re.compile(
    r"\b(?:(?:brand[- ])?new (?:hardware |gear |equipment |boxes |machines |cards )?only"
    r"|only (?:buy |want |buy(?:ing)? )?(?:brand[- ])?new(?: ones| boxes| machines| cards| hardware| gear)?\b(?! model)"
    r"|buy(?:ing)? (?:it |them )?new\b|(?:no|not|nothing|don't want|do not want|without) "
    r"(?:a |any )?(?:used|second[- ]hand|refurbished)|sold new)\b"
    r"|要新(?:机|货)|买新机|只要新(?:机|的)|只(?:想|打算)?买新|全新(?:机器|的机器|未拆)|不要二手|不买二手|不考虑二手"
    r"|不想买二手|别(?:推荐|给我)?二手|二手(?:的)?不要"
    # "the cheapest new box", "最便宜的新机器"; "a new PC" is another machine, not an unused one
    r"|\bcheapest (?:brand[- ])?new (?:box|machine|computer|pc|rig|workstation|hardware)\b"
    r"|最便宜的?(?:全)?新(?:机器|电脑|机子|主机)"
)
# "used GPUs", "what about used cards?", "二手显卡": only what is sold used; said of what is
# bought, not "used for coding" or "二手也行" (used is fine, new too)
_USED_ONLY = re.compile(
    r"\b(?:used|second[- ]hand|pre[- ]owned|refurbished)\s+(?:(?:nvidia|rtx|geforce|amd)\s+)?"
    r"(?:gpus?|graphics cards?|video cards?|cards?|boxes|macs?|mac studios?|machines?|hardware"
    r"|ones|rigs?|3090s?|4090s?)\b|\bonly used\b"
    r"|二手(?:的)?(?:显卡|卡|机器|电脑|mac|苹果|主机|硬件|设备|3090|4090)|只(?:买|要|考虑|看)二手|^二手的?呢"
)
# "used GPUs", "二手显卡": only cards in a PC ("买什么显卡" alone is often said of any box: a
# Mac may answer it better, which the answer should be free to say)
_CARDS_ONLY = re.compile(
    r"\b(?:used|second[- ]hand|pre[- ]owned|refurbished)\s+(?:(?:nvidia|rtx|geforce|amd)\s+)?"
    r"(?:gpus?|graphics cards?|video cards?|cards?)\b"
    r"|二手(?:的)?(?:显卡|卡)"
)
# "used is fine", "二手也行": the bar lifted again, in a follow-up
_USED_FINE = re.compile(
    r"\bused (?:is|are|ones are|boxes are|parts are) (?:fine|ok|okay|good)|(?:don't|do not) mind used"
    r"|happy (?:to buy|with) used|二手(?:的)?也(?:行|可以|没问题|ok|好)|可以(?:买|考虑)二手"
)


def parse_new_only(text: str) -> bool | None:
    """True when the asker wants only boxes sold new, False when they say used is fine; None
    when they say neither."""
    if _USED_FINE.search(text):
        return False
    return True if _NEW_ONLY.search(text) else None


# "runs smoothly", "想流畅跑": the answer must be comfortable, not merely usable
# said of running the model, not of prose, a wait or the asker ("写出流畅的中文", "I'm
# comfortable with 5 tok/s", "smooth video editing")
_SMOOTH = re.compile(
    r"(?:流畅|顺畅|丝滑)地?\s*(?:跑|运行|用|使用|推理|对话|聊天)|(?:跑|运行|用)(?:得|起来)\s*(?:很|比较|够|更)?"
    r"(?:流畅|顺畅|丝滑)|\b(?:runs?|running)\b[^.?!,;]{0,40}?\b(?:smoothly|comfortably)\b"
    r"|\b(?:smoothly|comfortably) (?:runs?|running)\b"
    # "Qwen3 235B smoothly under $1500": the model named, then how it should run
    r"|(?<!reads )(?<!flows )(?<!writes )\bsmoothly\b"
)
# "doesn't need to be smooth", "可用就行": the usual bar again, in a follow-up
_SMOOTH_WAVED = re.compile(
    r"(?:不用|不需要|不必|无需|不要求|没必要|用不着)(?:很|太|那么|特别|非常)?(?:流畅|顺畅|丝滑)"
    r"|(?:可用|能用|够用|能跑)就(?:行|好|可以|够了)"
    r"|(?:doesn't|does not|don't|do not|needn't|need not) (?:need to |have to )?be (?:very |that |"
    r"super )?(?:smooth|comfortable|fast)|usable is (?:fine|enough|ok|okay)|just usable"
)


def parse_min_verdict(text: str) -> MinVerdict | None:
    """ "comfortable" when the asker wants the model to run smoothly, "usable" when they say it
    need not; None when they say neither."""
    if _SMOOTH_WAVED.search(text):
        return "usable"
    return "comfortable" if _SMOOTH.search(text) else None


# "how many users can it serve?", "最多能同时服务几个人": a count asked for, not said
# "what context length can I fit?", "max context", "最长能开多少上下文": the longest a box holds
_LONGEST_CONTEXT = re.compile(
    r"\b(?:what|how much|how many tokens of|how long (?:a|of a))\s+context(?: length| window| size)?"
    r"\s+(?:can|could|will|would|does|do|fits?|is possible|can i|can we)\b"
    r"|\bmax(?:imum)?\s+context\b|\blongest\s+context\b|\bcontext\s+(?:length\s+)?limit\b"
    r"|\bhow\s+(?:long|big|large)\s+(?:a\s+|of\s+a\s+)?context(?: window)?\b"
    r"|最(?:长|大|多)\s*(?:能|可以)?\s*(?:开|支持|跑|用|放)?\s*(?:多(?:长|大|少)|几)\s*k?\s*(?:token\s*)?的?\s*上下文"
    r"|上下文\s*(?:长度)?\s*最(?:长|大|多)\s*(?:能|可以)?\s*(?:开|支持|到|用)?\s*(?:多(?:长|大|少)|几)"
    r"|(?:能|可以)\s*(?:开|支持|跑|用)\s*多(?:长|大)\s*的?\s*上下文"
)

# "GLM 4.6 需要多少显存？", "how much VRAM does Llama 3.3 70B need?": the model's own need
_MEMORY_NEEDED = re.compile(
    r"(?:需要|要|得|占|吃)\s*多(?:少|大)\s*(?:的)?\s*(?:显存|内存|统一内存|gb|g\b)"
    r"|(?:显存|内存)\s*(?:需要|要|得)?\s*多(?:少|大)|(?:显存|内存)(?:需求|占用|要求)"
    r"|\bhow much (?:v?ram|memory|gpu memory|unified memory)\b[^?!？。]{0,60}?\b(?:need|needs|take|takes"
    r"|require|requires|use|uses)\b|\b(?:v?ram|memory) (?:requirements?|needed|footprint)\b"
    r"|\bhow much (?:v?ram|memory|gpu memory|unified memory) (?:for|to run|is needed)\b"
    r"|\bhow many (?:gb|gigabytes)\b[^.?!]{0,40}?\b(?:need|needs|take|takes|require|requires)\b"
)

# "what does it cost per month?", "每个月电费多少": the electricity a month, first
_MONTHLY = re.compile(r"\b(?:per|a|each|every) month\b|\bmonthly\b|每个?月|一个月|月电费")
_POWER_WORDS = re.compile(r"electric|power|energy|\bcost|\bbill|电费|电|功耗|耗电|花多少")
# "how much per month?" of a box already chosen: what it costs to run
_HOW_MUCH = re.compile(r"\bhow much\b|多少钱")

_HOW_MANY_USERS = re.compile(
    r"how many (?:concurrent |simultaneous |parallel )?(?:users|people|requests|sessions|seats"
    r"|engineers|developers|devs|clients|streams)|max(?:imum)? (?:number of )?(?:concurrent "
    r"|simultaneous )?users"
    r"|(?:同时|并发|一起).{0,8}?(?:几|多少)\s*(?:个|位|路)?\s*(?:人|用户|并发)"
    r"|(?:服务|支持|带|供|撑)\s*(?:得了|得动)?\s*(?:几|多少)\s*(?:个|位|路)?\s*(?:人|用户|并发)"
    r"|(?:几|多少)\s*(?:个|位)?\s*(?:人|用户)\s*(?:同时|一起|并发)|多少\s*路?\s*并发"
)


# a count of people, not of boxes: "五个工程师", "3位同事"
_PEOPLE_ZH = (
    r"人|用户|工程师|同事|开发者|研发|开发|程序员|研究员|研究生|学生|同学|员工|成员|客户|朋友|老师"
    r"|家人|伙伴|队员|分析师|设计师|agent|智能体|客户端"
)
# "两台", "2张", "3块": boxes or cards; "个" only before a word for one ("2个节点", "两个显卡"),
# not "8个小时", "2个模型", "3个agent", "五个工程师". A count against a box's name ("两个 4090")
# is read beside the name (units_next_to_names): the names are blanked out here.
_UNIT_COUNT = re.compile(
    r"(两|二|俩|三|四|五|六|七|八|九|十|(?<![\w.])-?\d{1,2})\s*"
    r"(?:(?:台|张|块|部|卡)(?!\s*(?:token|tok|" + _PEOPLE_ZH + r"))"
    r"|个(?=\s*(?:gpu|显卡|卡|节点|机器|主机|盒子|设备)))",
)


def parse_units(text: str) -> int | None:
    match = _UNIT_COUNT.search(text)
    if match:
        word = match.group(1)
        value = ZH_DIGITS.get(word) or int(word)
        if value <= 64:
            return value  # a sign or a zero is kept for the request to refuse
    if re.search(r"双机|两机|双卡|两卡", text):
        return 2
    match = re.search(r"(两|二|三|四|五|六|七|八)\s*(?:卡|机)", text)
    if match:
        return ZH_DIGITS[match.group(1)]
    match = re.search(
        r"(?<![\w.$])(-\d{1,2}|0|[2-9]|[1-9][0-9]{1,2})\s*(?:gpus|cards|boxes|units|nodes|machines|sparks|macs|mac studios|of them)\b",
        text,
    )
    if match:
        return int(match.group(1))
    match = re.search(r"(?<![\w.])(\d)\s*[x×]\s*(?=[a-z\u4e00-\u9fff]|\d{4})", text)
    if match:
        return int(match.group(1))
    match = re.search(r"[x×]\s*(\d)(?!\d)", text)
    if match and re.search(r"(spark|mac|4090|5090|3090|box|gpu|card|strix)\s*[x×]\s*\d", text):
        return int(match.group(1))
    match = _COUNT_THAT_RUNS.search(text)  # "can 3 run it?", "would two handle it?"
    if match:
        return _EN_NUMBERS.get(match.group(1)) or int(match.group(1))
    for words, value in _EN_NUMBERS.items():
        if re.search(
            rf"\b{words}\s+(?:of\s+)?(?:the\s+)?(?:dgx\s+)?(?:spark|sparks|mac|macs|mac studios|studios|boxes|units|machines|nodes|gpus|cards|4090s|5090s|3090s|rtx|strix|of them|m3 ultras)",
            text,
        ):
            return value
    if _JUST_ONE.search(text):
        return 1
    return None


_COUNT_THAT_RUNS = re.compile(
    r"\b(?:can|could|would|will|do|does)\s+([1-8]|one|two|three|four|five|six|seven|eight)\s+"
    r"(?:of (?:them|these|those)\s+)?(?:run|handle|fit|hold|serve)\b"
)
_ONE_PERSON = (
    r"(?!\s+(?:users?|persons?|people|seats?|requests?|sessions?|streams?|devs?|developers?"
    r"|engineers?|colleagues?|of us)\b)"
)
_JUST_ONE = re.compile(
    r"单台|单卡|单张|只买一台|只用一台|共用一台|就一台|只要一台|(?:其中|用)一(?:台|张|块)"
    # "just one user", "a single person": one at a time, not one box
    rf"|\bsingle\b{_ONE_PERSON}|\b(?:just|only) (?:one|a single)\b{_ONE_PERSON}"
    r"|\bshare (?:one|a single) (?:box|machine|computer)\b"
    r"|\b(?:what|which) one (?:box|machine|computer)\b"
)


# one machine, not one card: a PC with two cards is one box
_ONE_MACHINE = re.compile(
    r"单台|只买一台|只用一台|共用一台|就一台|只要一台|一台(?:机器|电脑|主机|工作站|服务器)"
    r"|\b(?:one|a single|just one|only one) (?:box|machine|computer|workstation|pc|server)\b"
)


_BARE_COUNT = re.compile(
    r"^(?:(?:ok|okay|fine|so)[,.]?\s+)?(?:and|what about|how about|so|ok|then)?\s*(?:on\s+|with\s+)?"
    r"(?:just\s+|only\s+)?(?:a\s+)?"
    r"(one|single|two|three|four|pair|[1-9]|[1-5][0-9]|6[0-4])\s*"
    r"(?:x|×|units?|boxes|of them|cards|stock ones|ones)?\s*(?:instead)?\s*[?？]?$"
    r"|^(?:那|那么)?\s*(?:只用|只买)?\s*(一|两|二|俩|三|四|五|六|七|八|\d{1,2})\s*(?:台|张|块|个)\s*"
    r"(?:呢|就够了?吧?|就行了?吧?|够不够|够吗|够了吧|行吗|行不行|可以吗)?\s*[?？]?$"
    # "is one enough?", "would two be enough?"
    r"|^(?:so\s+)?(?:is|would|will)\s+(one|two|three|four|[1-9])\s+(?:of them\s+|cards?\s+|gpus?\s+"
    r"|box(?:es)?\s+|machines?\s+|macs?\s+)?(?:be\s+)?enough\s*[?？]?$"
)


def number_word(word: str) -> int:
    """A count as written: "two", "两", "3"."""
    return _EN_NUMBERS.get(word) or ZH_DIGITS.get(word) or int(word)


# "one DGX Spark or two?", "1 or 2 Sparks", "一台还是两台", "单卡还是双卡": one box at two counts
_DIGIT_COUNT = r"(?<!\d\.)[1-4](?!\.\d)"  # not the 3 of "Llama 3.3"
_EN_COUNT_WORD = rf"one|two|three|four|a single|single|{_DIGIT_COUNT}"
_COUNTS_WEIGHED = re.compile(
    rf"\b({_EN_COUNT_WORD})\b(?:(?!\b(?:users?|people|persons?|engineers?|devs?|developers?)\b)"
    rf"[^.?!,;:]){{0,40}}?\bor\s+(?:just\s+)?(?:get\s+|buy\s+)?({_EN_COUNT_WORD}|dual)\b"
    r"(?!\s*(?:-|\s)?(?:users?|people|persons?|engineers?|devs?|developers?|bits?|b\b|k\b|"
    r"tok|months?|years?|hours?))"
    r"|(一|1|单|两|二|2|双|三|3|四|4)\s*(?:台|张|块|卡|机)[^，。？?!！；;]{0,30}?还是\s*(?:买|要|上|用)?\s*"
    r"(一|1|单|两|二|2|双|三|3|四|4)\s*(?:台|张|块|卡|机)"
    # "is one Spark enough or do I need two?", "一台够吗？要不要两台"
    rf"|\b(one|a single|1)\b[^?!]{{0,40}}?\benough\b[^?!]{{0,40}}?\b(two|three|{_DIGIT_COUNT})\b"
    r"|(一|单)\s*(?:台|张|块|卡|机)[^。]{0,10}?够[^。]{0,14}?(两|二|2|双|三|3)\s*(?:台|张|块|卡|机)"
    # "1 DGX Spark vs 2 DGX Sparks", "1台 Spark 和 2台 Spark 比一下": the box at each count
    rf"|\b({_EN_COUNT_WORD})\b[^.?!,;:]{{0,30}}?\b(?:vs\.?|versus|against|compared (?:to|with))"
    rf"\s+({_EN_COUNT_WORD})\b(?!\s*(?:-|\s)?(?:users?|people|bits?|b\b|k\b|tok))"
    r"|(一|1|单|两|二|2|双|三|3|四|4)\s*(?:台|张|块)[^，。？?!！；;]{0,20}?(?:和|跟|与|对比|vs)\s*"
    r"(一|1|单|两|二|2|双|三|3|四|4)\s*(?:台|张|块)"
)
_COUNT_OF = {"a single": 1, "single": 1, "单": 1, "dual": 2, "双": 2}


# "is 128GB enough for Qwen3 235B?", "128G 内存够跑 70B 吗", "will 64 GB of RAM fit it?"
_MEMORY_SIZE = re.compile(
    r"(?<![\w.])(16|24|32|48|64|96|128|192|256|512)\s*(?:gb|g)\b\s*(?:of\s+)?"
    r"(?:unified\s+)?(?:memory|ram|vram|内存|显存|统一内存)?"
)
_ENOUGH = re.compile(
    r"\benough\b|\bsufficient\b|\bfit\b|\brun\b|\bhandle\b|\bhold\b|够不够|够吗|够用|够跑|够不|"
    r"装得下|装不装得下|能跑|能不能跑|跑得动"
)


def memory_asked(text: str) -> int | None:
    """The memory size a question asks is enough, with no box named; None when it asks none."""
    size = _MEMORY_SIZE.search(text)
    return int(size.group(1)) if size and _ENOUGH.search(text) else None


# "is a second DGX Spark worth it?", "第二台值得买吗": one of it against two
_SECOND_WORTH = re.compile(
    r"\ba second\b[^.?!]{0,30}?\bworth\b|\bworth\b[^.?!]{0,12}?\b(?:buying|getting|adding)"
    r" a second\b|第二(?:台|张|块)[^。？?]{0,12}?(?:值|有必要|划算)|(?:值不值得|有没有必要|要不要)"
    r"(?:再)?(?:买|加|上)?第二(?:台|张|块)|\b(?:should|do|would)\s+(?:i|we)\s+(?:get|buy|add)\s+another\b"
)


def counts_weighed(text: str) -> list[int]:
    """The counts a question weighs of one box ("one DGX Spark or two?": [1, 2]); [] when it
    weighs none, or the same count twice."""
    if _SECOND_WORTH.search(text):
        return [1, 2]
    match = _COUNTS_WEIGHED.search(text)
    if match is None:
        return []
    words = [w for w in match.groups() if w is not None]
    counts = sorted({_COUNT_OF.get(w) or number_word(w) for w in words})
    return counts if len(counts) == 2 else []


def bare_count(text: str) -> int | None:
    """A count alone at the end of a follow-up: "what about two?", "2x?", "那三台呢"."""
    match = _BARE_COUNT.search(text.strip())
    if match is None:
        return None
    word = match.group(1) or match.group(2) or match.group(3)
    value = _EN_NUMBERS.get(word) or _EN_NUMBERS.get(f"{word} of") or ZH_DIGITS.get(word)
    return value or int(word)


_UNQUANTIZED = r"不量化|未量化|unquantized|no quant|without quantization|不做量化"
# formats said by their own names, not by their bits alone ("Q4_K_M", not "4-bit"); INT4
# weight-only builds are named by their tool: AWQ, GPTQ, AutoRound (vLLM runs them)
_NAMED_QUANTS = {
    "q4_k_m": r"q4_k_m|q4km",
    "q4_0": r"q4_0",
    "iq4_xs": r"iq4_xs",
    "q5_k_m": r"q5_k_m",
    "q6_k": r"q6_k",
    "q3_k_m": r"q3_k_m",
    "q2_k": r"q2_k",
    "q8_0": r"q8_0",
    "mlx-4bit": r"mlx[- ]?4[- ]?bit|mlx q4",
    "mlx-8bit": r"mlx[- ]?8[- ]?bit|mlx q8",
    "mxfp4": r"mxfp4",
    "nvfp4": r"nvfp4",
    "fp8": r"\bfp8\b|float8",
    "int4": r"\bawq\b|\bgptq(?:-?int4)?\b|auto-?round|\bw4a16\b",
}
_QUANTS: list[tuple[str, str]] = [
    (
        r"满血|full[- ]precision|full[- ]fat|原版精度|原生精度|native precision|native weights|original precision|全精度",
        "native",
    ),
    (_UNQUANTIZED, "f16"),
    *((_NAMED_QUANTS[q], q) for q in ("q4_k_m", "q4_0", "iq4_xs")),
    (_NAMED_QUANTS["q5_k_m"] + r"|q5\b|5[- ]?bit|5\s?位", "q5_k_m"),
    (_NAMED_QUANTS["q6_k"] + r"|q6\b|6[- ]?bit|6\s?位", "q6_k"),
    (_NAMED_QUANTS["q3_k_m"] + r"|q3\b|3[- ]?bit|3\s?位|三位", "q3_k_m"),
    (_NAMED_QUANTS["q2_k"] + r"|q2\b|2[- ]?bit|2\s?位", "q2_k"),
    *((_NAMED_QUANTS[q], q) for q in ("mlx-4bit", "mlx-8bit", "mxfp4", "nvfp4", "int4")),
    (_NAMED_QUANTS["fp8"] + r"|8[- ]?bit float", "fp8"),
    (
        _NAMED_QUANTS["q8_0"]
        + r"|q8\b|(?<![\d.])8[- ]?bit|(?<![\d.])8\s?位|int8|八位|(?<![\d.])8\s?比特",
        "q8_0",
    ),
    (r"\bbf16\b|bfloat16", "bf16"),
    (r"\bfp16\b|\bf16\b|16[- ]?bit|16\s?位|半精度", "f16"),
    (r"q4\b|4[- ]?bit|4\s?位|int4|四位|4\s?比特|4\s?位", "q4_k_m"),
]


_PEOPLE_COUNTED = re.compile(r"(?:\d+|[一二两俩三四五六七八九十]+)\s*位\s*(?=" + _PEOPLE_ZH + ")")


def formats_weighed(text: str) -> list[str]:
    """Formats named side by side as a choice, in the order named: "4位和8位差多少",
    "Q4 or Q8?", "q4_k_m vs q8_0" (two or more distinct ones, each joined to the next by "or",
    "还是", "和", "vs" ...)."""
    text = _PEOPLE_COUNTED.sub(" ", text)
    spans: list[tuple[int, int, str]] = []  # (start, end, format): in the order said
    for pattern, quant in _QUANTS:
        if quant == "native":
            continue
        for match in re.finditer(pattern, text):
            if not any(s < match.end() and match.start() < e for s, e, _ in spans):
                spans.append((match.start(), match.end(), quant))
    return joined_as_a_choice(text, [(q, start, end) for start, end, q in sorted(spans)])


def parse_quant(text: str) -> str | None:
    """The format asked for. 满血 with a bit count ("满血 4位") means the full model (not a
    distill) at those bits; 满血 alone means its native weights."""
    text = _PEOPLE_COUNTED.sub(" ", text)  # "3位同事" counts people, not bits
    found = [quant for pattern, quant in _QUANTS if re.search(pattern, text)]
    if len(found) > 1 and found[0] == "native":
        return found[1]
    return found[0] if found else None


# --- names from the catalog -------------------------------------------------------------------


_NAME_INDEX: dict[tuple[int, str], list[tuple[str, str]]] = {}


def _name_index(catalog: Catalog, section: str) -> list[tuple[str, str]]:
    """(folded name, id) for every name, longest first."""
    key = (id(catalog), section)
    if key not in _NAME_INDEX:
        names = catalog.section(section).names()
        folded = {
            (folded_name, i) for n, i in names.items() if len(folded_name := name_key(n)) >= 2
        }
        _NAME_INDEX[key] = sorted(folded, key=lambda item: (-len(item[0]), item[0]))
    return _NAME_INDEX[key]


def _fold_with_map(text: str) -> tuple[str, list[int]]:
    """The text folded like catalog names, with each folded char's index in the original."""
    chars: list[str] = []
    positions: list[int] = []
    for index, ch in enumerate(text):
        if re.match(r"[\s_\-.·/]", ch):
            continue
        chars.append(ch)
        positions.append(index)
    return "".join(chars), positions


_WORDISH = re.compile(r"[a-z0-9]")


def find_names(catalog: Catalog, section: str, text: str) -> list[tuple[str, int, int]]:
    """Catalog entries named in `text`: (id, start, end) in the original text, in order."""
    folded, positions = _fold_with_map(text)
    taken = [False] * len(folded)
    found: list[tuple[str, int, int]] = []
    for key, entry_id in _name_index(catalog, section):
        start = folded.find(key)
        while start != -1:
            end = start + len(key)
            if not any(taken[start:end]) and _standalone(text, positions, start, end):
                for i in range(start, end):
                    taken[i] = True
                found.append((entry_id, positions[start], positions[end - 1] + 1))
            start = folded.find(key, start + 1)
    found.sort(key=lambda item: item[1])
    return found


_ARTICLE_AND_NUMBER = re.compile(r"[aA]\s+\d")
_THOUSANDS = re.compile(r"(?:,\d{3}(?!\d)|\.\d)")


def _standalone(text: str, positions: list[int], start: int, end: int) -> bool:
    """A name must not sit inside a longer word or number ("spark" in "sparkling" is not)."""
    first, last = positions[start], positions[end - 1]
    before = text[first - 1] if first > 0 else " "
    after = text[last + 1] if last + 1 < len(text) else " "
    if _WORDISH.match(text[first]) and _WORDISH.match(before):
        return False
    if _ARTICLE_AND_NUMBER.match(text, first, last + 1) or _THOUSANDS.match(text, last + 1):
        return False  # "a 100,000-token prompt" names no A100
    after_plural = text[last + 2] if last + 2 < len(text) else " "
    if after == "s" and not _WORDISH.match(after_plural):  # "sparks", "4090s", "macs"
        return True
    return not (
        _WORDISH.match(text[last])
        and _WORDISH.match(after)
        and not (text[last].isalpha() and after.isdigit())
    )


_FAMILIES: list[tuple[str, str]] = [
    (r"deepseek|深度求索|\bds\b", "deepseek"),
    (r"qwen|千问|通义", "qwen"),
    (r"llama|羊驼", "llama"),
    (r"gpt[- ]?oss|\boss\b", "gpt-oss"),
    (r"gemma", "gemma"),
    (r"mistral|mixtral", "mistral"),
    (r"\bglm|智谱", "glm"),
    (r"kimi|月之暗面", "kimi"),
    (r"\bphi\b|phi[- ]?\d", "phi"),
    (r"minimax", "minimax"),
    (r"nemotron", "nemotron"),
    (r"ernie|文心", "ernie"),
    (r"hunyuan|混元", "hunyuan"),
    (r"internlm|书生", "internlm"),
    (r"\byi\b|零一万物", "yi"),
    (r"granite", "granite"),
    (r"\bolmo", "olmo"),
    (r"smollm", "smollm"),
    (r"command[- ]?r|cohere", "cohere"),
    (r"falcon", "falcon"),
    (r"seed[- ]?oss|豆包", "seed"),
]


_TRILLIONS = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:trillion\b|t\b(?=\s*-?\s*(?:param|model|moe|llm))|万亿)"
)
# "a 70 billion parameter model", "700亿参数": a size in words, said of parameters or a model
_BILLIONS = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s*-?\s*billion\b(?=\s*-?\s*(?:param|model|moe|llm|dense))"
)
_HUNDRED_MILLIONS = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*亿(?=\s*(?:个)?\s*参数)")


def sizes_said(text: str) -> list[float]:
    """The model sizes a text says, in billions of parameters ("32b", "235 b", "a 70 billion
    parameter model", "700亿参数", "a 1 trillion parameter model", "1T model", "1万亿参数")."""
    billions = [float(m) for m in re.findall(r"(?<![\w.])(\d+(?:\.\d+)?)\s*b\b", text)]
    billions += [float(m) for m in _BILLIONS.findall(text)]
    billions += [float(m) / 10 for m in _HUNDRED_MILLIONS.findall(text)]
    return billions + [float(m) * 1000 for m in _TRILLIONS.findall(text)]


def _choice_order(model: Model) -> tuple[bool, str, float]:
    """Which members of a family to offer first: general models before coders, distills and
    sub-3B ones, then the newest, then the largest."""
    specialty = any(word in model.id for word in ("coder", "distill")) or model.params_total_b < 3
    released = "".join(chr(255 - ord(ch)) for ch in model.released or "")  # newest first
    return specialty, released, -model.params_total_b


def resolve_model_by_family(catalog: Catalog, text: str) -> tuple[str | None, float, list[str]]:
    """A family word plus a size ("llama3 70b", "千问3 32b", "qwen3 235"): the closest model.

    Returns (id, confidence, choices); choices are listed when the size is missing and the
    family has several sizes.
    """
    family = next((fam for pattern, fam in _FAMILIES if re.search(pattern, text)), None)
    if family is None:
        return None, 0.0, []
    members = [m for m in catalog.models if m.family == family or m.id.startswith(family)]
    if not members:
        return None, 0.0, []
    size_match = re.search(
        rf"(?:{'|'.join(p for p, f in _FAMILIES if f == family)})\s*[\w.]*?[\s:-]*(\d+(?:\.\d+)?)\s*b?\b",
        text,
    )
    sizes = sizes_said(text)
    if not sizes and size_match:
        candidate = float(size_match.group(1))
        # a bare number after the family is a size unless it looks like a version ("llama 3.3")
        if (candidate >= 1 and candidate not in (2, 2.5, 3, 3.1, 3.3, 4)) or candidate > 20:
            sizes = [candidate]
    version = _VERSIONED.search(text)
    if version and (same := [m for m in members if _of_version(m.id, version.group(3))]):
        members = same  # "qwen3 72b" is no Qwen2.5 72B
    newest_first = [m.id for m in sorted(members, key=_choice_order)]
    if not sizes:
        return None, 0.0, newest_first

    def score(model_id: str, total: float) -> tuple[float, float]:
        closeness = min(abs(total - s) / max(s, 1) for s in sizes)
        version_bonus = 0.0
        if version and _of_version(model_id, version.group(3)):
            version_bonus = -0.05
        return closeness + version_bonus, total

    best = min(members, key=lambda m: score(m.id, m.params_total_b))
    closeness = score(best.id, best.params_total_b)[0]
    if closeness > 0.25:
        return None, 0.0, newest_first
    same_size = [
        m for m in members if score(m.id, m.params_total_b) == score(best.id, best.params_total_b)
    ]
    typed = _sibling_typed(text, best, same_size)
    if typed is not None:  # "qwen3 codr 30b": Qwen3-Coder-30B-A3B, not Qwen3-30B-A3B
        return typed.id, 0.9, []
    return best.id, min(1.0, max(0.7, 1.0 - closeness)), []


def _sibling_typed(text: str, best: Model, same_size: list[Model]) -> Model | None:
    """A model of the same family and size as `best` whose own word ("coder", "thinking")
    the question writes with a typo ("codr"): the question names that one."""
    words = set(re.findall(r"[a-z]{4,}", text))
    own = set(best.id.split("-"))
    for sibling in same_size:
        marks = {w for w in sibling.id.split("-") if len(w) >= 4 and w not in own}
        if any(_typed_as(w, m) for w in words for m in marks):
            return sibling
    return None


def _typed_as(written: str, word: str) -> bool:
    """Whether `written` is `word` with a typo ("codr", "cder" for "coder"); not the word,
    nor a real word it starts with ("code")."""
    from rapidfuzz import fuzz

    if written == word or word.startswith(written) or word in written:  # "medgemma" has gemma
        return False
    return abs(len(written) - len(word)) <= 2 and fuzz.ratio(written, word) >= 80


def own_word_typed(catalog: Catalog, text: str, model_id: str) -> str | None:
    """A word of the model's own name the question writes with a typo ("deepsek", "codr"), as
    written: the answer says which model it read it as."""
    words = set(re.findall(r"[a-z]{4,}", text))
    missing = sorted(w for w in re.findall(r"[a-z]+", model_id) if len(w) >= 4 and w not in words)
    return next((w for w in sorted(words) for m in missing if _typed_as(w, m)), None)


def fuzzy_model(catalog: Catalog, text: str) -> tuple[str | None, float, list[str]]:
    """Typos: compare word windows against every model name."""
    from rapidfuzz import fuzz, process

    words = re.findall(r"[a-z0-9.]+|[\u4e00-\u9fff]+", text)
    names = catalog.models.names()
    keys = {folded_name: i for n, i in names.items() if len(folded_name := name_key(n)) >= 4}
    best: tuple[float, str] = (0.0, "")
    for size in (4, 3, 2, 1):
        for start in range(0, max(len(words) - size + 1, 0)):
            window = name_key(" ".join(words[start : start + size]))
            if len(window) < 4:
                continue
            digits = re.findall(r"\d+", window)
            for candidate, score, _ in process.extract(
                window, list(keys), scorer=fuzz.ratio, limit=5
            ):
                # a typo in letters is a typo; a different number is a different model
                if re.findall(r"\d+", candidate) != digits:
                    continue
                if score > best[0]:
                    best = (score, keys[candidate])
                break
    score, model_id = best
    if score >= 86:
        return model_id, score / 100, []
    if score >= 75:
        return None, score / 100, [model_id]
    return None, 0.0, []


def parse_generic(text: str) -> GenericSpec | None:
    moe = (
        re.search(
            r"(\d+(?:\.\d+)?)\s*b\b[^0-9]{0,40}?(?:with|,|，|激活|active|activated|活跃)\s*(?:of\s+)?(?:约|about|~)?\s*(\d+(?:\.\d+)?)\s*b\b",
            text,
        )
        or re.search(r"(\d+(?:\.\d+)?)\s*b[- ]?a(\d+(?:\.\d+)?)b\b", text)
        or re.search(
            r"(\d+(?:\.\d+)?)\s*b\b\s*(?:moe)?[^0-9]{0,20}?(\d+(?:\.\d+)?)\s*b\s*(?:active|激活|活跃)",
            text,
        )
    )
    if moe:
        total, active = float(moe.group(1)), float(moe.group(2))
        if 0 < active < total:
            return GenericSpec(params_b=total, active_b=active)
    sizes = [s for s in sizes_said(text) if 0.5 <= s <= 3000]
    if sizes:
        return GenericSpec(params_b=sizes[0])
    return None


# --- intent ---------------------------------------------------------------------------------

_TERMS: list[tuple[str, str]] = [
    (r"bandwidth[- ]bound|带宽瓶颈|带宽受限|内存带宽|memory bandwidth", "bandwidth_bound"),
    (r"\bmoe\b|mixture of experts|混合专家|专家模型", "moe"),
    (r"prefill|预填充|prompt processing|\bpp\b|首字延迟|ttft|time to first token", "prefill"),
    (r"满血", "full_precision"),
    (r"量化|quantiz|quantis|\bgguf\b|q4_k_m", "quantization"),
    (r"kv ?cache|kv缓存|kv 缓存", "kv_cache"),
    (r"unified memory|统一内存", "unified_memory"),
    (r"\bdecode\b|解码|tok/s|tokens per second|生成速度|token generation", "decode"),
    (r"\bmla\b|\bgqa\b|\bmha\b|multi-head latent|注意力机制", "attention"),
    (r"激活参数|active param|only \d+b are active|\d+b active|激活是什么", "moe"),
    (r"mxfp4|nvfp4|\bfp8\b|\bfp4\b|q\d_k", "quantization"),
]
_EXPLAIN = r"差别|差多少|差距|指什么|怎么回事|是怎么|啥叫|what(?:'s| is| are| does)|explain|meaning of|mean\b|什么是|是什么|啥是|啥意思|什么意思|解释|科普|为什么|是啥|区别|代表什么|difference between|\bwhy (?:is|does|do|are)\b|什么叫|有啥区别"
_LIST = r"清单|every (?:box|model|gpu)|you know about|(?:have|got) data (?:for|on)|which llms|列出|目前能查|能查哪些|都有哪些|有哪些.{0,8}(?:可以选|可选)|数据库里|你知道哪些|list (?:all|the|of)|\bmodel list\b|what (?:quant(?:ization)? formats|formats|hardware options|options)|which models are supported|what (?:hardware|gpus|models) (?:options )?(?:are there|do you have)|list the |(?:what|which|list)\s+(?:models?|hardware|boxes|gpus?|cards)\s+(?:do|can|are)\s+(?:you|u)\b|list (?:all|the|your)?\s*(?:models|hardware|boxes|catalog)|show (?:me )?(?:the |your )?(?:catalog|models|hardware)|支持哪些|有哪些(?:模型|硬件|机器|显卡|设备)|都有什么(?:模型|硬件|机器|显卡)|模型列表|硬件列表|catalog"
_CAPACITY = r"max(?:imum)? param|最大参数|largest|biggest|how big|max(?:imum)? (?:model|size)|what (?:models?|size).{0,30}(?:can|could|fit|run)|能跑多大|最大能跑|能跑多大的|跑多大的|最大.{0,6}模型|能装多大|能跑什么模型|能跑哪些模型|装得下多大"
_COMPARE = r"\bvs\.?\b|versus|还是|对比|比较|compare|哪个好|哪个更|which (?:one|is) (?:better|faster)|\bor\b|or the|和.{1,20}比|跟.{1,20}比|相比"
_BUY = r"买|购|推荐|recommend|which (?:box|machine|hardware|gpu|computer|setup)|what (?:box|machine|hardware|gpu|computer|setup|should i (?:buy|get))|should i (?:buy|get)|配置|选什么|选哪|什么机器|什么硬件|什么配置|\bbuy\b|purchase|budget|预算|build"
_CAN_RUN = r"\bcan\b|could|能不能|能否|可以跑|能跑|跑得动|跑的动|跑起来|how fast|how many tok|多少\s*token|多快|速度|speed|\brun\b|\bruns\b|跑|装得下|fit\b|handle|够不够|行不行|怎么样|how (?:well|good)|表现"
_HELP = r"^(?:hi|hello|hey|yo|你好|您好|嗨|哈喽|thanks?|thank you|谢谢|多谢|help|帮助)\b|what can you do|你能做什么|你会什么|你是谁|who are you|how do i use|怎么用你"
_WHICH_OF_LINE_ZH = r"选哪|哪个配置|哪种配置|哪款|哪一款|哪个型号|哪个版本"
_BUY_STRONG = (
    r"\bwhich\b[^.?!]{0,30}?\bshould (?:i|we) (?:buy|get|choose|pick)\b|(?:^|what(?:'s| is) the |which is the )best (?:mac|box|gpu|card|machine|computer|setup|rig|workstation)s? (?:for|to)\b|推荐|recommend|what (?:should|to) (?:i )?buy|买什么|买哪|值得买|best to buy|what(?:'s| is) best to buy|open to alternatives|what would you buy|\brecs?\b|best rig|怎么配|配什么"
    # "能跑满血 R1 的最便宜方案是什么" asks for a box, not what 满血 means
    r"|最(?:便宜|划算|省钱|快|好)的?[^，。？?,]{0,6}?(?:方案|配置|机器|电脑|硬件|选择|办法|组合)"
    r"|\b(?:cheapest|fastest)\b[^.?!]{0,24}?\b(?:box|machine|computer|setup|rig|way|option"
    r"|hardware|gpu|card|pc)s?\b"
    # "Mac Studio 选哪个配置", "买哪款": which of a line to buy
    r"|" + _WHICH_OF_LINE_ZH
)
# which of a line to buy: a recommendation over the line, even when it says 跑
_WHICH_OF_LINE = (
    _WHICH_OF_LINE_ZH + r"|\bwhich (?:config(?:uration)?|size|variant|one) (?:should|to|do)\b"
)
# "which Mac Studio for it?": a line named to choose within, not a box to check
WHICH_LINE_EN = (
    r"\bwhich (?:mac studio|mac mini|macbook(?: pro)?|mac|strix halo|dgx spark)\b"
    r"(?!\s+(?:is|are|runs?|would|will|can|does|do)\b)"
)
_HARDWARE_WORDS = r"\bgpu\b|显卡|machine|box|hardware|硬件|机器|电脑|computer|mac|spark|workstation|服务器|server|mini ?pc"


# "I have a 4090 ... should I add a second card or buy a Spark?", "我有一张 4090，加卡还是换机器",
# "my 3080", "我的 4090"
_HAVE = re.compile(
    r"\b(?:i|we)\s+(?:already\s+|currently\s+)?(?:have|own)\b|\bi've got\b|\bi got\b|"
    # "I use a 3090" is one had; "can I use two 3090s at $700 each?" weighs them
    r"(?<!\bcan )(?<!could )(?<!would )(?<!should )(?<!might )(?<!\bwill )"
    r"\b(?:i|we)\s+(?:already\s+|currently\s+)?(?:run|use)\b|"
    r"^(?:got|already (?:have|own))\b|\bupgrade\s+(?:my|our)\b|\b(?:my|our)\b|"
    r"我们?(?:现在|已经|手上|手里|家里)?有|咱们有|手上有|手里有|家里有|已经有|现有|我的|我们的"
)
# what may stand between "I have" and the box it has: a count, an article, a word about the
# box ("I have two used 3090s", "我手上有一张 4090", "I have $2,000 and a 3090"); not a verb or
# a noun ("I have a friend with a 4090", "I have been looking at a 4090", "我的预算能买一台 4090")
_OWNED_GAP = re.compile(
    r"\s*(?:(?:[$€¥￥]\s*\d[\d,.]*k?|\d[\d,.]*\s*(?:k|dollars|usd|万|元|块))\s*(?:的?预算|budget)?\s*"
    r"[,，]?\s*(?:and|plus|和|还有|外加|以及)\s*)?"
    r"(?:(?:a|an|one|two|three|four|a pair of|a couple of|\d+\s*x?|already|currently|at home|"
    r"used|new|spare|old|current|existing|stock|modded|second[- ]hand|nvidia|geforce|apple|amd)"
    r"\s+)*(?:[一两二三四五六七八九十俩\d]*\s*(?:台|张|块|个|部)\s*|一对\s*|一双\s*)?"
)
_UPGRADE = re.compile(
    r"\bupgrad(?:e|ing)|\badd (?:a |an |one |another |more |two )?(?:second |third |more )?(?:card|gpu|box|one|unit)|"
    r"\banother (?:card|gpu|one|box)|\bsecond (?:card|gpu|one|box)|\bsell\b|\breplace\b|\bswitch to\b|"
    r"\bor (?:buy|get)\b|\bkeep\b|\bwhat (?:should|do|can) (?:i|we) add\b|"
    r"\b(?:buy|get|add) (?:a |an )?(?:second|third|fourth|another)\b|"
    r"升级|加(?:一|两|二)?(?:张|块|台)|加卡|加什么|加点什么|再买|再加|卖掉|换成|换(?:一|个)?台|还是换|还是买"
    r"|要不要换|换不换|该不该换|值不值得换|值得换|换掉|值不值|划不划算|值得吗"
    # "I have a 4090. Would a 5090 be better?", "我有 4090，5090 会更快吗": another box weighed
    # against the one owned
    r"|\bwould (?:a|an|the|two|2)\b[^.?!;]{0,40}?\bbe (?:better|faster|worth)"
    r"|\b(?:is|are) (?:a|an|the|two|2)\b[^.?!;]{0,40}?\b(?:better|faster|worth it)\b"
    r"|\bworth (?:upgrading|switching|the upgrade)|会(?:不会)?更(?:好|快)|是不是更(?:好|快)"
)


def owned_spans(text: str, spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The boxes the asker says they have: each named just after "I have" / "my" / "我有"."""
    found: list[tuple[str, int, int]] = []
    for cue in _HAVE.finditer(text):
        for span in spans:
            gap = span[1] >= cue.end() and _OWNED_GAP.fullmatch(text, cue.end(), span[1])
            if gap and span not in found:
                found.append(span)
    return found


def owned_box(
    text: str, spans: list[tuple[str, int, int]], has_money: bool = False
) -> tuple[str, int, int] | None:
    """The box the asker has, when they ask what to add or buy next (or name a budget beside
    it)."""
    if not (_UPGRADE.search(text) or has_money):
        return None
    found = owned_spans(text, spans)
    return found[0] if found else None


def owned_boxes(text: str, spans: list[tuple[str, int, int]]) -> dict[str, int]:
    """The boxes a can-run question says the asker has, with how many ("I have 2 3090s"; one
    unless a count is written beside the name): what they cost is spent, so the answer does
    not price them as a purchase."""
    found: dict[str, int] = {}
    for span in owned_spans(text, spans):
        found.setdefault(span[0], units_next_to_names(text, [span]) or 1)
    return found


def detect_term(text: str) -> str | None:
    return next((term for pattern, term in _TERMS if re.search(pattern, text)), None)


def classify(
    text: str, has_model: bool, hardware: list[str], term: str | None, has_money: bool
) -> Intent:
    if re.search(_HELP, text) and not (has_model or hardware or has_money):
        return "help"
    if re.search(_LIST, text) and not has_model:
        return "list"
    asks_explain = re.search(_EXPLAIN, text) is not None
    if (
        term
        and asks_explain
        and not hardware
        and not has_money
        and (not has_model or term in ("full_precision", "quantization", "moe", "attention"))
        and not re.search(_BUY_STRONG, text)
    ):
        return "explain"
    if hardware and re.search(_CAPACITY, text):
        return "capacity"
    if len(hardware) >= 2:
        return "compare"
    if hardware and has_model and re.search(WHICH_LINE_EN, text):
        return "recommend"  # "which Mac Studio for gpt-oss-120b?": which configuration to buy
    if hardware and has_model and not re.search(_BUY_STRONG, text):
        return "can_run"
    which = re.search(_WHICH_OF_LINE, text) is not None  # "Mac Studio 选哪个配置跑 …"
    if hardware and re.search(_CAN_RUN, text) and not has_money and not (has_model and which):
        return "can_run" if has_model else "capacity"
    if has_model or has_money or re.search(_BUY, text):
        return "recommend"
    if term and asks_explain:
        return "explain"
    if hardware:
        return "capacity"
    return "help"


_COUNT_BEFORE = re.compile(  # a sign or a zero is kept for the request to refuse
    r"(?:\b(a pair of|pair of|two|three|four|five|six|seven|eight|dual|twin|triple|quad)"
    r"|(?<![\w.$,])(-\d{1,2}|0|[2-9]|[1-5][0-9]|6[0-4]|[1-9][0-9]{1,2}(?=\s*[x×*])))"
    r"\s*(?:x\s*|×\s*|\*\s*)?"
    r"(?:(?:used|new|second-hand|secondhand|refurbished)\s*)?$"  # "two used 3090s"
)
_ZH_COUNT_BEFORE = re.compile(  # "1000 张" is a thousand (refused), not the 0 it ends with
    r"(?:(两|二|三|四|五|六|七|八|九|十|(?<![\w.])(?:-\d{1,2}|0|[2-9]|[1-5][0-9]|6[0-4]))\s*"
    r"(?:台|张|块|个|部)|(?<![\w.])([1-9]\d{1,3})\s*(?:台|张)|双|一对|一双)\s*(?:二手|全新|新的?)?\s*$"
)
_COUNT_AFTER = re.compile(r"^s?\s*(?:x|×|\*)\s*([2-9]|[1-5][0-9]|6[0-4])(?!\d)")
# a count after the name, the memory size between: "换成 4090 48g 一张呢", "5090 两张跑"
_ZH_COUNT_AFTER = re.compile(
    r"\s*(?:\d{2,3}\s*g(?:b)?\s*)?([一两二三四五六七八九]|[1-8])\s*(?:张|台|块)(?!钱)"
)


def counts_by_name(text: str, spans: list[tuple[str, int, int]]) -> dict[str, int]:
    """How many of each named box: {"rtx-3090": 2, "rtx-4090": 1} for "2 3090s or a 4090"."""
    counts: dict[str, int] = {}
    for hardware_id, start, end in spans:  # the first count said of a box stands
        found = units_next_to_names(text, [(hardware_id, start, end)])
        if found is not None:
            counts.setdefault(hardware_id, found)
    for hardware_id, start, _ in spans:  # "a 4090": one, where no count is said of it
        if hardware_id not in counts and ONE_BEFORE.search(text[max(0, start - 20) : start]):
            counts[hardware_id] = 1
    return counts


def box_at_two_counts(text: str, spans: list[tuple[str, int, int]]) -> tuple[str, list[int]] | None:
    """A box named twice at two counts beside others, in one sentence ("M3 Ultra vs one DGX
    Spark vs two DGX Sparks"): the box and its counts (a box said with no count is one). "2
    3090s or a 4090? A 3090 costs $700" names the 3090 again only to price it."""
    for box in dict.fromkeys(found for found, _, _ in spans):
        named = [span for span in spans if span[0] == box]
        apart = any(_SENTENCE_END.search(text[a[2] : b[1]]) for a, b in itertools.pairwise(named))
        counts = sorted({units_next_to_names(text, [span]) or 1 for span in named})
        if len(counts) >= 2 and not apart:
            return box, counts
    return None


_SENTENCE_END = re.compile(r"[.?!。？！;；]")


def units_next_to_names(text: str, spans: list[tuple[str, int, int]]) -> int | None:
    """A count written against a box name: "a pair of gx10", "4 3090s", "rtx pro 6000 x2";
    the first said ("Is one Spark enough, or do I need 2 Sparks?" is about one)."""
    for _, start, end in spans:
        window = text[max(0, start - 14) : start].rstrip()
        if _ONE_SAID.search(window):
            return 1
        chinese = _ZH_COUNT_BEFORE.search(window)
        if chinese:
            word = chinese.group(1) or chinese.group(2) or "两"  # "双 5090"
            return ZH_DIGITS.get(word) or int(word)
        before = _COUNT_BEFORE.search(window)
        if before:
            word = before.group(1)
            return _EN_NUMBERS.get(word, 2) if word else int(before.group(2))
        after = _COUNT_AFTER.match(text[end:])
        if after:
            return int(after.group(1))
        chinese_after = _ZH_COUNT_AFTER.match(text, end)  # "4090 48g 一张", "5090 两张"
        if chinese_after:
            word = chinese_after.group(1)
            return ZH_DIGITS.get(word) or int(word)
        many = _MANY_BEFORE.search(window)
        if many and re.match(r"e?s\b", text[end:]):  # "100 sparks", not "128 m4 max"
            return int(many.group(1))
    return None


_ONE_SAID = re.compile(r"(?:\b(?:one|a single|single)|(?<![\d一-龥])[一单]\s*(?:台|张|块))\s*$")
# the request refuses too many; four digits are a year or a card ("2025 mac studios", "1080s")
_MANY_BEFORE = re.compile(r"(?<![\w.$,])([1-9]\d{1,2})\s*$")


_RUN_SOMETHING = re.compile(
    r"(?:\brun(?:ning)?|跑|部署)\s+(?:a |an |the )?([a-z][a-z0-9.\- ]{2,40}?)\s*(?:[?？,，!]|$| on\b| with\b| at\b| in\b| locally\b| using\b|(?=[\u4e00-\u9fff]))"
)
_NOT_A_NAME = {
    "on",
    "in",
    "at",
    "with",
    "for",
    "into",
    "onto",
    "my",
    "our",
    "your",
    "models",
    "bigger",
    "it",
    "them",
    "this",
    "that",
    "model",
    "llms",
    "llm",
    "locally",
    "local",
    "big",
    "anything",
    "something",
    "what",
    "which",
    "how",
    "inference",
    "ai",
}


def unknown_model_name(text: str) -> str | None:
    """A name after "run"/"跑" that is no catalog model: reported back instead of guessed."""
    match = _RUN_SOMETHING.search(text)
    if not match:
        return None
    name = match.group(1).strip()
    words = name.split()
    if not words or words[0] in _NOT_A_NAME or all(w in _NOT_A_NAME for w in words):
        return None
    return name


_MEMORY_SIZE = re.compile(r"(?<![\d.])(\d{2,3})\s*(?:g|gb|gib)(?![a-z])")
_HARDWARE_LIKE = re.compile(
    r"\b(?:(?:rtx|gtx|rx|radeon|arc|quadro|tesla)\s*[a-z]?\s*\d{3,4}(?:\s*(?:ti|super|xtx|xt|ada))?"
    r"|\d{4}\s*(?:xtx|xt|ti|super)|m[1-6]\s*(?:pro|max|ultra)|(?:mi|h|b|a|l)\d{2,3}[a-z]?"
    r"|[2-5]0[5-9]0(?!\s*(?:元|块|usd|dollars?|美元|tok|token|b\b|gb|g\b|k\b))"
    # boxes people ask about that the catalog has no figures for: named back, not swapped
    r"|jetson(?:\s+agx)?(?:\s+(?:thor|orin)(?:\s+nano)?)?|(?:agx\s+)?thor"
    r"|(?:radeon\s+)?(?:ai\s+pro\s+)?r9700|arc\s+pro\s+b\d{2}|gaudi\s*\d|orin)\b"
    # Chinese characters count as word characters: "用昇腾910b跑" has no word boundary
    r"|(?<![a-z0-9])(?:(?:ascend|昇腾)\s*\d{3}[a-z]?|910[bc])(?![a-z0-9])"
)
# a sign and overflow are kept for the request to refuse; after "v3," or an amount a count may
# follow ("deepseek v3,10 个人用", "预算15000，2个人用", "1万5，2个人用") but not inside "1,000"
# or "1,5"
_COUNT = (
    r"((?<!\d)(?:(?<!\d[.,])|(?:(?<=[a-z]\d,)|(?<=\d{3},)|(?<=[万千w] \d,)|(?<=[万千w]\d,))"
    r"(?=\d{1,2}(?!\d)))-?\d{1,7})"
)
_USERS = re.compile(
    # not the 3 of "Qwen3 Coder", a name's digits before a word for people
    rf"(?<![a-z]){_COUNT}\s*(?:concurrent\s+|simultaneous\s+|parallel\s+)?(?:users?|people|persons?|seats?|requests?|sequences?|devs?|developers?|engineers?|colleagues?|co-?workers?|teammates?|analysts?|researchers?|students?|employees?|agents?|clients?|lawyers?|attorneys?|paralegals?|doctors?|writers?|editors?|translators?|accountants?|programmers?|coders?|of us)\b"
    rf"|{_COUNT}\s*(?:个|位|名|号)\s*(?:{_PEOPLE_ZH})(?!\s*(?:民币|电脑))(?=\s*(?:[,，。.!！?？、]|$|想|要|在|的|团队|同时|一起|共用|共享|用|使用|呢|吗|的话|预算"
    r"|写|做|搞|跑|编|开发|日常|平时|办公|每天|都|上班|工作|协作|会)|\s)"
    # a word only a person is ("3个agent通过API调用"): whatever follows it
    rf"|{_COUNT}\s*(?:个|位|名)\s*(?:{_PEOPLE_ZH})(?<!人)(?<!开发)(?<!客户)(?!\s*(?:板|端))"
    rf"|\bteam\s+of\s+{_COUNT}|{_COUNT}\s*(?:-\s*)?(?:person|people|member)\s+team|{_COUNT}\s*人\s*的?\s*小?\s*(?:团队|小组|组)|团队\s*{_COUNT}\s*(?:个|位)?\s*人"
    rf"|{_COUNT}\s*(?:个|位)?\s*(?:人|用户|同事)\s*(?:同时|一起|共用|共享|轮流|用|使用|跑)|{_COUNT}\s*(?:个|路|人)?\s*并发|并发\s*{_COUNT}"
    rf"|(?:给|供)\s*{_COUNT}\s*(?:个|位|名)?\s*(?:{_PEOPLE_ZH})(?!\s*(?:板|端))"
    rf"|{_COUNT}\s*(?:个|位)?\s*(?:并发)?\s*用户"
    # "8人呢？", "组里6人。": people, with no measure word
    rf"|{_COUNT}\s*人(?=\s*(?:呢|吗|的话|[,，。!！?？]|$))"
    # "6 parallel sessions", "4 chats at once": sessions are users only when said to overlap
    rf"|{_COUNT}\s*(?:concurrent|simultaneous|parallel)\s+(?:sessions?|chats?|streams?)\b"
    rf"|{_COUNT}\s*(?:sessions?|chats?|streams?)\s+(?:at once|at the same time|in parallel)"
    # "what if we were 12?", "we're 6": the team counted without a word for people
    rf"|\bwe(?:'re|\s+are|\s+were)\s+(?:now\s+|only\s+|just\s+)?{_COUNT}(?!\s*(?:k\b|%|\$|tok))\b"
)
_PEOPLE_SAID = re.compile(r"人|用户|员工|同事|\b(?:users?|people|employees|staff)\b")
# how many at once, said beside a head count: "50 employees, maybe 10 at the same time",
# "50个员工，同时在线大概10个人"
_AT_ONCE = re.compile(
    rf"{_COUNT}\s*(?:of (?:them|us|those)\s+|(?:users?|people|of the \w+)\s+)?"
    rf"(?:active\s+|online\s+|busy\s+)?(?:at (?:the same|one|a) time|at once|concurrently|simultaneously)\b"
    rf"|{_COUNT}\s*concurrent\b"
    rf"|(?:同时|并发)\s*(?:在线|使用|用|访问|请求|提问)?\s*(?:的)?\s*(?:大概|大约|约|最多|不超过|也就)?"
    rf"\s*{_COUNT}\s*(?:个|位|名|路)?"
    rf"|{_COUNT}\s*(?:个|位|名)?\s*(?:人|用户)?\s*同时"
)
# a head count ("20人的公司", "a 12-person startup"): its users, unless the question says how
# many will use it ("20人的公司，3个人用")
_HEAD_COUNT = re.compile(
    rf"{_COUNT}\s*(?:-\s*)?(?:person|people|employee)\s+(?:company|startup|firm|lab|office|group)"
    rf"|{_COUNT}\s*人\s*的?\s*(?:公司|部门|企业|工作室|实验室)"
)
_NUMBER_WORDS = {
    "one": 1,
    "a single": 1,
    "single": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "half a dozen": 6,  # not the 12 of "a dozen"
    "a dozen": 12,
    "dozen": 12,
    "a couple of": 2,
    "a couple": 2,
    "a hundred": 100,
    "hundred": 100,
}
_ENGLISH_COUNT = re.compile(
    r"\b(" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")\b"
)
# "十几个人", "二十来个同事", "二十多人": about that many (几 and 多 read as half a ten more)
_CHINESE_COUNT = re.compile(
    r"(?<!第)([一二两俩三四五六七八九]?十[一二三四五六七八九]?|[一二两俩三四五六七八九])(几|来|多)?"
    r"(?=\s*(?:个|位|名|号|人|路))"
)
# "me and two colleagues" are three, "a couple of us" two
_ME_AND = re.compile(
    r"\b(?:me|myself|i)\s+(?:and|plus|\+)\s+(\d+)\s+(?:colleagues?|co-?workers?|teammates?"
    r"|friends?|others?|people|engineers?|devs?|developers?)\b"
    r"|我\s*(?:和|跟|加上?)\s*(\d+)\s*(?:个|位|名)?\s*(?:同事|朋友|伙伴|队友|工程师|同学)"
)
# one person, said without a count: "just me", "only me", "by myself", 只有我, 我自己用
_JUST_ME = re.compile(r"\b(?:just|only) me\b|\bby myself\b|只有我|就我|我自己用|自己一个人")


def _digits_for_number_words(text: str) -> str:
    """ "two people", "a dozen users", "one user", "just me", "五个工程师", "十二个人": the counts
    as digits."""
    text = _JUST_ME.sub(" 1 user ", text)
    text = re.sub(r"\ba couple of us\b", "2 of us", text)
    text = _ENGLISH_COUNT.sub(lambda m: str(_NUMBER_WORDS[m.group(1)]), text)
    text = _CHINESE_COUNT.sub(
        lambda m: str(_zh_number(m.group(1)) + (5 if m.group(2) in ("几", "多") else 0)), text
    )
    return _ME_AND.sub(lambda m: f" {int(m.group(1) or m.group(2)) + 1} users ", text)


def parse_concurrency(text: str) -> int | None:
    counted = _digits_for_number_words(text)
    match = _USERS.search(counted) or _HEAD_COUNT.search(counted)
    at_once = _AT_ONCE.search(counted)  # those at once, of all who use it
    if at_once and (match or _PEOPLE_SAID.search(counted)):
        match = at_once  # "公司 30 人，同时用的大概 8 个", "同时在线 8 人"
    if not match:
        return None
    return int(next(group for group in match.groups() if group))  # the request says if too many


_CORES = re.compile(r"-\d+c(?=-)")


def _without_cores(hardware_id: str) -> str:
    """The id without its GPU core count: "M3 Ultra 96G" after a bare "M3 Ultra" (the 80-core
    512 GB) names a size, not the 80-core chip."""
    return _CORES.sub("", hardware_id)


def _named_by_size(hardware: Hardware, memory_gb: int) -> bool:
    """Whether the catalog calls this variant by its size alone ("m3 ultra 96gb"): the one a
    size names when several chips come with it."""
    plain = (f" {memory_gb}gb", f" {memory_gb}g")
    return any(a.endswith(plain) and not re.search(r"\d+c\b|core", a) for a in hardware.aliases)


def _shared_prefix(first: str, second: str) -> int:
    count = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        count += 1
    return count


def adjust_for_memory(
    catalog: Catalog, text: str, spans: list[tuple[str, int, int]]
) -> list[tuple[str, int, int]]:
    """ "128GB Mac", "M3 Ultra 96G", "strix halo 64g": the variant with that much memory. A
    size no variant of that product has (a modified "4090 48G") is left for
    `unsized_box` to name back, never swapped for another product with that memory."""
    adjusted = []
    for hardware_id, start, end in spans:
        hardware = catalog.hardware.get(hardware_id)
        wanted = _size_asked(text, spans, start, end, hardware)
        if wanted is None:
            wanted = _bare_size(catalog, text, end, hardware)
        if wanted is not None:
            same_line = sized_variants(catalog, hardware, wanted)
            if _CHIP_NAMED.search(text, start, end):  # "M4 Max 48GB" is no M5 Max 48GB
                same_line = [h for h in same_line if h.line == hardware.line]
            if same_line:
                best = max(
                    same_line,
                    key=lambda h: (
                        _shared_prefix(_without_cores(h.id), _without_cores(hardware.id)),
                        h.featured,
                        _named_by_size(h, wanted),
                        h.id,
                    ),
                )
                hardware_id = best.id
        adjusted.append((hardware_id, start, end))
    return adjusted


def sized_variants(catalog: Catalog, hardware: Hardware, memory_gb: int) -> list[Hardware]:
    """The variants of `hardware`'s product with `memory_gb` of memory."""
    return [
        h
        for h in catalog.hardware
        if h.family == hardware.family
        and h.kind == hardware.kind
        and int(h.memory_gb) == memory_gb
        and _shared_prefix(h.id, hardware.id) >= _SAME_PRODUCT_PREFIX
    ]


def _bare_size(catalog: Catalog, text: str, end: int, hardware: Hardware) -> int | None:
    """A size written without its unit right after a box name ("2 m3 ultra 512"), when a
    variant of that product has that much memory."""
    bare = _BARE_SIZE.match(text, end)
    size = int(bare.group(1)) if bare else None
    return size if size is not None and sized_variants(catalog, hardware, size) else None


_CHIP_NAMED = re.compile(r"\bm[1-9]\s*(?:ultra|max|pro)\b")
_BARE_SIZE = re.compile(r"\s*(\d{2,3})(?![\d.,%]|\s*(?:b\b|k\b|tok|token|g\b|gb|w\b|usd|元|块))")
_SAME_PRODUCT_PREFIX = 8  # "mac-studio-m3-ultra-…" variants share it; rtx-4090 and rtx-a6000 do not


def _size_asked(
    text: str, spans: list[tuple[str, int, int]], start: int, end: int, hardware: Hardware
) -> int | None:
    """A memory size written next to a box name (not past a neighbouring name) that is not the
    box's own; for a card, not the PC's RAM ("a 3090 and 64GB of RAM")."""
    sizes = _sizes_near(text, spans, start, end, pc_ram=hardware.kind == "card")
    if int(hardware.memory_gb) in sizes:
        return None
    return next((size for size in sizes if size != int(hardware.memory_gb)), None)


_SYSTEM_RAM = re.compile(r"\s*(?:of\s+)?(?:system\s+|ddr\d?\s+)?(?:ram|memory\b|ddr|内存)")


def _sizes_near(
    text: str, spans: list[tuple[str, int, int]], start: int, end: int, pc_ram: bool = False
) -> list[int]:
    """Memory sizes written within a few characters of a box name, not past a neighbour's, and
    not nearer a neighbour ("m3 ultra 256g vs dgx spark": the 256 is the Mac's); with `pc_ram`,
    not a size said to be RAM (a card's host PC's)."""
    left = max([0, start - 12, *(e for _, _, e in spans if e <= start)])
    right = min([len(text), end + 12, *(b for _, b, _ in spans if b >= end)])
    return [
        int(match.group(1))
        for match in _MEMORY_SIZE.finditer(text, left, right)
        if _nearest_name(spans, match.start(), match.end()) == (start, end)
        and not (pc_ram and _SYSTEM_RAM.match(text, match.end()))
    ]


def _nearest_name(spans: list[tuple[str, int, int]], start: int, end: int) -> tuple[int, int]:
    """(start, end) of the box name nearest the text at start:end; on a tie the name before
    it, as a size follows its box ("m3 ultra 256g")."""

    def distance(span: tuple[str, int, int]) -> tuple[int, int]:
        _, name_start, name_end = span
        before = name_end <= start
        return (start - name_end if before else name_start - end, 0 if before else 1)

    _, name_start, name_end = min(spans, key=distance)
    return name_start, name_end


def named_as_line(catalog: Catalog, text: str, spans: list[tuple[str, int, int]]) -> dict[str, str]:
    """Boxes named by their product line with no memory size ("a Mac Studio", "strix halo"):
    id -> the name as written. The answer then picks the line's cheapest configuration that
    holds the model instead of the one a bare name resolves to."""
    found: dict[str, str] = {}
    # "Framework Desktop (Strix Halo 128GB)": a size said with another name of the box
    sized = {
        hardware_id
        for hardware_id, start, end in spans
        if _sizes_near(text, spans, start, end)
        or _bare_size(catalog, text, end, catalog.hardware.get(hardware_id)) is not None
    }
    for hardware_id, start, end in spans:
        hardware = catalog.hardware.get(hardware_id)
        if hardware.line is None or hardware_id in sized:
            continue
        line = [h.memory_gb for h in catalog.hardware if h.line == hardware.line]
        if len(line) > 1 and hardware.memory_gb == max(line):  # the line's name, not "m4 max 32c"
            tier = _TIER_AFTER.match(text, end)  # "Mac Studio Ultra": the tier is part of it
            found[hardware_id] = text[start : tier.end() if tier else end]
    return found


_LAPTOP_SIZE = re.compile(
    r"\b(macbook(?:\s*(?:pro|air))?|mbp)[\s-]*1[3-6](?:\.\d)?(?:\s*(?:寸|英寸|-?inch|\"))?(?![\d.])"
)
_LAPTOP_BEFORE = re.compile(
    r"(?:macbook|mbp)(?:\s*(?:pro|air))?(?:\s*1[46](?:\s*(?:寸|英寸|inch|\"))?)?"
    r"(?:\s+with(?:\s+an?|\s+the)?)?\s*$"
)
_LAPTOP_WORD = re.compile(r"macbook(?:\s*(?:pro|air))?|mbp")


def named_as_laptop(text: str, spans: list[tuple[str, int, int]]) -> dict[str, str]:
    """Mac Studios found by the chip of a MacBook named ("MacBook Pro M4 Max 128G"): id -> the
    laptop ("MacBook Pro"), for the answer to say whose figures it gives."""
    found: dict[str, str] = {}
    for hardware_id, start, end in spans:
        laptop = (  # "MacBook Pro M4 Max", "MacBook Pro with an M4 Max", "M4 Max MacBook Pro"
            _LAPTOP_BEFORE.search(text, max(0, start - 32), start)
            or _LAPTOP_WORD.search(text, start, end)
            or _LAPTOP_WORD.match(text, end + 1 if text[end : end + 1] == " " else end)
        )
        if laptop and hardware_id.startswith("mac-studio-"):
            found[hardware_id] = "MacBook Air" if "air" in laptop.group(0) else "MacBook Pro"
    return found


CHIP_TIERS = "ultra|max|pro"  # an Apple chip's tier, after its generation ("m3 ultra")
_TIER_AFTER = re.compile(rf"\s+(?:{CHIP_TIERS})\b")


def as_written(question: str, names: dict[str, str]) -> dict[str, str]:
    """Names found in the folded text, in the question's own capitals where it has them."""
    out = {}
    for key, name in names.items():
        found = re.search(re.escape(name).replace(r"\ ", r"\s+"), question, re.IGNORECASE)
        out[key] = found.group(0) if found else name
    return out


def unsized_box(
    catalog: Catalog, question: str, text: str, spans: list[tuple[str, int, int]]
) -> tuple[str, str] | None:
    """(id, name as written) of a box named with a memory size it is not sold with ("4090
    48G", "MacBook Pro M3 Max 36GB"): a different machine, which the advisor names back as the
    question has it ("M3 Max 36GB", not the catalog's "M3 Max 64GB 36GB") rather than sizing."""
    for hardware_id, start, end in spans:
        hardware = catalog.hardware.get(hardware_id)
        size = _size_asked(text, spans, start, end, hardware)
        if size is not None:
            written = as_written(question, {hardware_id: text[start:end]})[hardware_id]
            return hardware_id, f"{written} {size}GB"
    return None


def unknown_hardware_name(text: str, spans: list[tuple[str, int, int]]) -> str | None:
    """A GPU or chip name the catalog does not have ("rtx 3060", "7900 xtx")."""
    for match in _HARDWARE_LIKE.finditer(text):
        inside = any(start <= match.start() < end for _, start, end in spans)
        active_params = re.fullmatch(
            r"a\d{1,3}b", match.group(0)
        )  # "235b-a22b": a MoE's active size
        if not inside and not active_params:
            return match.group(0)
    return None


_BOX_CUE = re.compile(
    r"^(?:dgx|rtx|mac|macbook|studio|spark|strix|halo|ryzen|radeon|geforce|nvidia|apple|gx10|"
    r"ascent|framework|evo|jetson|thor|m[1-5])$"
)


def misspelt_box(catalog: Catalog, text: str) -> str | None:
    """Two words that read as a box name typed wrong ("dgx sprak", "mac stuido"): said back
    with the closest boxes rather than answered as if no box was named."""
    found = _closest_box_name(catalog, text)
    return found[0] if found else None


def box_typo_fixed(catalog: Catalog, text: str) -> tuple[str, str] | None:
    """(as typed, the catalog name) for a box name typed wrong in its letters only, close
    enough to be sure of ("dgx sprak": DGX Spark), as a model's typo is read; a different number
    is a different box."""
    found = _closest_box_name(catalog, text)
    if found is None:
        return None
    typed, name, score = found
    same_digits = re.findall(r"\d+", typed) == re.findall(r"\d+", name.lower())
    return (typed, name) if score >= SURE_TYPO_SCORE and same_digits else None


SURE_TYPO_SCORE = 86  # rapidfuzz ratio: one swapped or missing letter in a two-word name


def _closest_box_name(catalog: Catalog, text: str) -> tuple[str, str, float] | None:
    """(two words as typed, the catalog name they are nearest, the score) where the words read
    as a box name typed wrong."""
    words = re.findall(r"[a-z0-9+]+", text)
    names = [n for n in catalog.hardware.names() if " " in n.strip()]
    for first, second in pairwise(words):
        if not (_BOX_CUE.match(first) or _BOX_CUE.match(second)):
            continue
        from rapidfuzz import fuzz, process  # only now: most questions name no box word

        pair = f"{first} {second}"
        found = process.extractOne(pair, names, scorer=fuzz.ratio, score_cutoff=80)
        if found and found[0].lower() != pair:
            return pair, found[0], found[1]
    return None


def size_mismatch_fix(catalog: Catalog, text: str, model_id: str, alias_text: str) -> str | None:
    """ "deepseek 14b" matched the alias "deepseek" (671B): find the 14B model that carries that
    name (the R1 distill), or None when no catalog model of that size does."""
    sizes = sizes_said(text)
    model = catalog.models.get(model_id)
    if not sizes or any(abs(model.params_total_b - s) / s <= 0.3 for s in sizes):
        return model_id
    keys = _name_keys(model, alias_text)
    carriers = [m for m in catalog.models if m.id != model.id and _carries(names_of(m), keys)]
    close = [m for m in carriers if min(abs(m.params_total_b - s) / s for s in sizes) <= 0.25]
    if not close:
        return None
    return min(close, key=lambda m: min(abs(m.params_total_b - s) for s in sizes)).id


# --- the whole parse ----------------------------------------------------------------------------


class _ModelSlot(BaseModel):
    model: str | None = None
    written: str | None = None  # the model's name as the question has it
    confidence: float | None = None
    generic: GenericSpec | None = None
    clarify: Clarification | None = None


THIS_MACHINE = re.compile(
    r"\b(?:this|my|our)\s+(?:own\s+)?(?:machine|computer|pc|box|rig|workstation|desktop|laptop|"
    r"hardware|setup|system|server|gpu|gpus|graphics card|video card)\b|\bwhat i have\b|"
    r"本机|本地机器|这台(?:电脑|机器|主机|笔记本|工作站)|"
    r"我(?:的|们的)\s*(?:电脑|机器|主机|工作站|笔记本|配置|显卡)|我现在的(?:电脑|机器|配置)"
)


_REPO_IN_TEXT = re.compile(r"(?<![\w./-])([a-z0-9][\w.-]{1,95}/[a-z0-9][\w.-]{2,95})(?![\w/])")


_NOT_REPOS = re.compile(
    r"^(?:tok|token|tokens|t|gb|mb|tb|gib|mib|w|kw|kwh|usd|cny|and|or|yes|no|and|either|"
    r"input|output|read|write|on|off|day|month|year|hour|hr|sec|s|ms|user|users|\d+)/"
)


def repos_in_text(text: str) -> list[tuple[str, int, int]]:
    """Each Hugging Face repo id (ORG/NAME) in the folded question, as written there, and where."""
    found = []
    for match in _REPO_IN_TEXT.finditer(text):
        repo = match.group(1).rstrip(".")
        name = repo.split("/", 1)[1]
        if not _NOT_REPOS.match(repo) and not re.fullmatch(r"[\d.]+", name):
            found.append((repo, match.start(1), match.start(1) + len(repo)))
    return found


def _outside(
    spans: list[tuple[str, int, int]], repos: list[tuple[str, int, int]]
) -> list[tuple[str, int, int]]:
    """The names not inside a repo id: "mlx-community/…" names no engine."""
    return [s for s in spans if not any(r[1] <= s[1] and s[2] <= r[2] for r in repos)]


def _joined(
    catalog: Catalog, text: str, spans: list[tuple[str, int, int]]
) -> list[tuple[str, int, int]]:
    """Two names of one box side by side ("M3 Ultra Mac Studios", "M2 Ultra 192GB Mac Studio")
    as the one name they are: the product's name alone was taken for another of its kind."""
    joined: list[tuple[str, int, int]] = []
    for span in spans:
        beside = joined and not text[joined[-1][2] : span[1]].strip()
        if beside and _same_box(catalog, joined[-1][0], span[0], text[span[1] : span[2]]):
            joined[-1] = (joined[-1][0], joined[-1][1], span[2])
        else:
            joined.append(span)
    return joined


def _same_box(catalog: Catalog, named: str, then: str, then_written: str) -> bool:
    """Whether a name written right after the box `named` is that box again: the same entry,
    or a bare product name with no figures in it that the box's own name holds."""
    if named == then:
        return True
    if re.search(r"\d", then_written):
        return False
    name = catalog.hardware.get(named).name.lower()
    return all(word.rstrip("s") in name for word in then_written.split())


# a family word and the version after it: "qwen4 72b", "llama 5", "deepseek v4", "千问4"
_VERSIONED = re.compile(
    r"(?<![a-z])(qwen|llama|gemma|glm|deepseek|千问)\s*-?\s*(v)?(\d(?:\.\d+)?)"
    r"(?![\d.]|\s*-?\s*(?:b\b|bit|位|k\b|x\b|gb|g\b))(?:\s*-?\s*(\d+(?:\.\d+)?)\s*b\b)?"
)
_FAMILY_OF_WORD = {"千问": "qwen"}


_VERSIONS: dict[int, dict[str, set[str]]] = {}


def _versions(catalog: Catalog, family: str) -> set[str]:
    """Every version the catalog's names give a family: {"2.5", "3", "3.6"} for qwen (read
    once per catalog, like the name index)."""
    if id(catalog) not in _VERSIONS:
        found: dict[str, set[str]] = {}
        for name in catalog.models.names():
            for match in _VERSIONED.finditer(name.lower()):
                word = match.group(1)
                found.setdefault(_FAMILY_OF_WORD.get(word, word), set()).add(match.group(3))
        _VERSIONS[id(catalog)] = found
    return _VERSIONS[id(catalog)].get(family, set())


def _of_version(model_id: str, written: str) -> bool:
    """Whether a catalog id is of the version written: "3" takes qwen3-32b and qwen3.6-35b-a3b."""
    match = _VERSIONED.search(model_id)
    return match is not None and (
        match.group(3) == written or match.group(3).startswith(written + ".")
    )


def unknown_version(catalog: Catalog, text: str) -> str | None:
    """A family at a version the catalog does not have ("Qwen4 72B", "Llama 5 70B", "DeepSeek
    V4"), or at a size that version does not come in ("Llama 2 70B"): a name to say back, not
    one to swap for the nearest model of another version."""
    for match in _VERSIONED.finditer(text):
        family = _FAMILY_OF_WORD.get(match.group(1), match.group(1))
        if family == "deepseek" and not match.group(2):
            continue  # "deepseek 671b" is a size; DeepSeek's versions are written with a v
        if catalog.models.find(match.group(0).strip()) is not None:
            continue  # a name the catalog has for a model ("llama 3.1 70b" is Llama 3.3's)
        written, known = match.group(3), _versions(catalog, family)
        if known and not any(v == written or v.startswith(written + ".") for v in known):
            return match.group(0).strip()
        if match.group(4) and not _near_size(catalog, family, written, float(match.group(4))):
            return match.group(0).strip()
    return None


# a size ("80b"; not "8x7b" or "a3b") or a DeepSeek line and version ("r2", "v3.1") as written
_SIZE_WRITTEN = re.compile(r"(?<![\w.])(?<!\dx)(\d+(?:\.\d+)?)\s*b\b")
_DEEPSEEK_LINE = re.compile(r"\bdeepse+e?k\s*-?\s*([rv]\d+(?:\.\d+)?)(?![\d.])")
SIZE_TOLERANCE = 0.05  # "qwen3 32b" is 32.8B, "gpt-oss 20b" 20.9B; "qwen3 253b" is not 235B


def unmatched_token(catalog: Catalog, text: str, model_id: str) -> str | None:
    """A size or DeepSeek version the question writes that the model it is answered for does
    not have ("llama 3.3 80b" answered as Llama 3.3 70B, "deepsek r2" as DeepSeek-R1), as
    written: the answer says which model it is for instead."""
    model = catalog.models.get(model_id)
    names = " ".join((model.id, model.name, *model.aliases)).lower().replace("-", " ")
    named_sizes = {float(size) for size in _SIZE_WRITTEN.findall(names.replace(":", " "))}
    sizes = (model.params_total_b, model.params_active_b)

    def its_own(size: float) -> bool:  # "qwen3 14b" is Qwen3-14B's name, though it has 14.8B
        return size in named_sizes or any(abs(size - p) <= SIZE_TOLERANCE * p for p in sizes if p)

    written = [(float(m.group(1)), m.group(0).strip()) for m in _SIZE_WRITTEN.finditer(text)]
    if not any(its_own(size) for size, _ in written):  # "主要跑 70B，偶尔跑 Qwen3 235B": two
        for size, said in written:
            if size:
                return said
    line = _DEEPSEEK_LINE.search(text)
    if (
        line
        and model.id.startswith("deepseek")
        and not re.search(rf"\b{re.escape(line.group(1))}(?![\d.])", names)
    ):
        return line.group(1)  # not for an R1 distill, answered as the model it distils into
    return None


def _near_size(catalog: Catalog, family: str, version: str, size: float) -> bool:
    """Whether the family comes in this version at about this size (within a quarter)."""
    return any(
        _of_version(m.id, version) and abs(m.params_total_b - size) <= 0.25 * size
        for m in catalog.models
        if m.family == family or m.id.startswith(family)
    )


# "Qwen3 235B 和 DeepSeek V3 哪个好", "Llama 70B vs Qwen3 32B": only a joining word between them
_JOINED = re.compile(r"\s*(?:vs\.?|versus|还是|和|跟|与|or|and|对比|[,，、/])\s*")


def _family_near_size(catalog: Catalog, version: str, text: str) -> list[str]:
    """For a version the catalog lacks, said with a size ("qwen5 200b"): the family's models
    nearest that size, nearest first (Qwen3-235B-A22B, not Qwen2.5-0.5B); [] without a size."""
    family = re.match(r"[a-z]+", version)
    sizes = sizes_said(text)
    if family is None or not sizes:
        return []
    members = [m for m in catalog.models if m.family == family.group(0)]
    newest_first = sorted(members, key=lambda m: m.released or "", reverse=True)
    by_size = sorted(  # stable: of two the same size, the newer first
        newest_first, key=lambda m: round(min(abs(m.params_total_b - s) / s for s in sizes), 2)
    )
    return [m.id for m in by_size[:3]]


def _models_side_by_side(spans: list[tuple[str, int, int]], text: str) -> list[str]:
    """Two different models named one after the other, joined by "and", "or", "vs", "和"."""
    for (first, _, end), (second, start, _) in pairwise(spans):
        if first != second and _JOINED.fullmatch(text, end, start):
            return [first, second]
    return []


def _model_slot(
    catalog: Catalog,
    masked: str,
    repos: list[tuple[str, int, int]],
    model_spans: list[tuple[str, int, int]],
) -> _ModelSlot:
    """The model: a catalog name, a repo id, a family plus size, a typo, or a bare size; or a
    question back when it is ambiguous or unknown."""
    repo = repos[0][0] if repos else None
    if (version := None if repo else unknown_version(catalog, masked)) is not None:
        suggestions = _family_near_size(catalog, version, masked) or catalog.models.suggest(
            version, min_score=70
        )
        return _ModelSlot(clarify=Clarification(slot="model", choices=suggestions, unknown=version))
    several = list(dict.fromkeys(m.id for r, _, _ in repos if (m := catalog.models.find(r))))
    if len(several) > 1:  # "mlx-community/Qwen3-30B-A3B-4bit 和 unsloth/Qwen3-32B-GGUF 哪个快"
        return _ModelSlot(clarify=Clarification(slot="model", choices=several, several=True))
    if repo:
        known = catalog.models.find(repo)
        if known:
            return _ModelSlot(model=known.id, confidence=1.0)
        suggestions = catalog.models.suggest(repo.split("/", 1)[1], min_score=85)
        return _ModelSlot(
            clarify=Clarification(slot="model", choices=suggestions, unknown=repo, hub_repo=repo)
        )
    if side_by_side := _models_side_by_side(model_spans, masked):
        return _ModelSlot(clarify=Clarification(slot="model", choices=side_by_side, several=True))
    if model_spans:
        model_id, start, end = model_spans[0]
        model = size_mismatch_fix(catalog, masked, model_id, masked[start:end])
        if model:
            written = masked[start:end]
            if model != model_id:  # "deepseek-r1:8b": the R1 release of that size, said so
                named = catalog.models.get(model_id)
                keys = _name_keys(named, written)
                release = _release_named(catalog.models.get(model), keys, masked, named.family)
                written = release or written
            return _ModelSlot(model=model, written=written, confidence=1.0)
    by_family, family_confidence, choices = resolve_model_by_family(catalog, masked)
    if by_family:
        return _ModelSlot(model=by_family, confidence=family_confidence)
    fuzzy, fuzzy_confidence, near = fuzzy_model(catalog, masked)
    if fuzzy:
        return _ModelSlot(model=fuzzy, confidence=fuzzy_confidence)
    unknown = unknown_model_name(masked)
    if unknown and choices and sizes_said(masked) and _names_a_model(unknown):
        # "Nemotron Super 49B": a family the catalog has, at a size it does not
        return _ModelSlot(clarify=Clarification(slot="model", choices=choices[:6], unknown=unknown))
    if unknown and not (near or choices) and _names_a_model(unknown):
        # "Zorblax 70B": a name to say back, not a size to stand a catalog model in for
        suggestions = catalog.models.suggest(unknown, min_score=80)
        return _ModelSlot(clarify=Clarification(slot="model", choices=suggestions, unknown=unknown))
    if near:  # "千闻3 32b": a name nearly written, before a catalog model of its size
        return _ModelSlot(clarify=Clarification(slot="model", choices=near))
    generic = parse_generic(masked)
    if generic is not None:
        return _ModelSlot(generic=generic)
    if choices:
        return _ModelSlot(clarify=Clarification(slot="model", choices=choices[:6]))
    if unknown:
        suggestions = catalog.models.suggest(unknown, min_score=80)
        return _ModelSlot(clarify=Clarification(slot="model", choices=suggestions, unknown=unknown))
    return _ModelSlot()


_SIZE_WORDS = re.compile(
    r"\b\d+(?:\.\d+)?\s*[bmt]\b|\b(?:a|an|the|model|models|moe|dense|llm|llms|with|active|"
    r"billion|trillion|"
    r"params?|parameters?|sized?|class|big|small|open|local|of|and|or)\b|[^a-z]+"
)


def _names_a_model(phrase: str) -> bool:
    """Whether a phrase where a model goes holds a name ("zorblax 70b", "foo-model-9b") rather
    than only a size ("a 70b model", "200b moe")."""
    words = [w for w in _SIZE_WORDS.sub(" ", phrase).split() if len(w) >= 3]
    return bool(words)


def is_bare_size(text: str) -> bool:
    """Whether a model named by flag is only a size ("70b", "200b-a20b") that a catalog model
    stands in for, not a misspelt name ("qwn3-32b"), which gets a "did you mean"."""
    return parse_generic(text) is not None and not _names_a_model(text)


def _blank(text: str, quotes: list[Quote]) -> str:
    """The text with the quoted prices blanked out, so none is read as a budget."""
    for quote in quotes:
        text = text[: quote.start] + " " * (quote.end - quote.start) + text[quote.end :]
    return text


def _mask(text: str, spans: list[tuple[str, int, int]]) -> str:
    """Blank out hardware names so "512g" or "4090" do not read as sizes or budgets."""
    for _, start, end in sorted(spans, key=lambda s: -s[1]):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _electricity_rate(text: str) -> tuple[KwhPrice | None, str]:
    """The electricity price the question states, and the text without it ("电费1块钱一度" is
    no budget of one yuan, "$0.30/kWh" no model)."""
    rate = kwh_price(text)
    if rate is None:
        return None, text
    return rate, text[: rate.start] + " " * (rate.end - rate.start) + text[rate.end :]


def _money(
    masked: str, spans: list[tuple[str, int, int]], counts: dict[str, int], language: Language
) -> tuple[dict[str, float], float | None, str | None, bool]:
    """(quoted unit prices, budget, currency, whether the currency was assumed): a price
    quoted for a box is not read again as the budget."""
    digits = chinese_numerals_to_digits(masked)
    quotes = parse_quotes(digits, spans, counts)
    priced = _blank(digits, quotes) if quotes else masked
    budget, currency, currency_assumed = parse_budget(priced, language)
    if quotes and budget is None:
        said = next((q.currency for q in quotes if q.currency), None)
        currency, currency_assumed = said or currency_of(language), said is None
    if budget is None and not quotes and (named := currency_named(digits)) is not None:
        currency, currency_assumed = named, False  # "in yuan please", "用美元算"
    return {q.hardware: q.unit_price for q in quotes}, budget, currency, currency_assumed


# a budget said per person: "$2k per person", "每人预算 1 万", "人均 8000"
_PER_HEAD = re.compile(
    r"\bper (?:person|head|user|seat|engineer|developer|dev|member)\b|\ba head\b|每人|人均|每个人"
)


def _budget_for_the_team(
    masked: str, budget: float | None, currency: str | None
) -> tuple[float | None, str | None]:
    """The budget for all, when it is said per person of a team counted ("8 of us, $2k per
    person" is $16,000), with a note saying so."""
    if budget is None or not _PER_HEAD.search(masked):
        return budget, None
    team = parse_concurrency(masked)
    if team is None or team < 2:
        return budget, None
    total = budget * team
    return total, f"{total:,.0f} {currency} ({budget:,.0f} per person for {team} people)"


_CURRENCY_NAMED = re.compile(
    r"\bin (?:(?P<cny>yuan|rmb|cny|renminbi|chinese yuan)|(?P<usd>dollars|usd|us dollars)|"
    r"(?P<eur>euros?|eur))\b|"
    r"(?:用|按|换成|改成|以|换算成|折合)\s*(?:(?P<cny_zh>人民币|元)|(?P<usd_zh>美元|美金)|(?P<eur_zh>欧元))"
)


def currency_named(text: str) -> Currency | None:
    """The currency a question asks prices in, without an amount ("in yuan please", "用美元算")."""
    match = _CURRENCY_NAMED.search(text)
    if match is None:
        return None
    if match.group("cny") or match.group("cny_zh"):
        return "CNY"
    return "USD" if match.group("usd") or match.group("usd_zh") else "EUR"


_VARIANT_AFTER = re.compile(r"\s*(ti|super|xtx|xt)\b")


def _unknown_variant(
    catalog: Catalog, text: str, spans: list[tuple[str, int, int]]
) -> tuple[str, str] | None:
    """(id, name as written) of a card named with a variant word it is not sold as ("rtx 4090
    ti", never released): a card the catalog lacks, asked about rather than answered as the
    plain one."""
    names = catalog.hardware.names()
    for hardware_id, start, end in spans:
        variant = _VARIANT_AFTER.match(text, end)
        written = f"{text[start:end]} {variant.group(1)}" if variant else ""
        if variant and written not in names:
            return hardware_id, written
    return None


def _box_to_clarify(
    catalog: Catalog,
    text: str,
    masked: str,
    spans: list[tuple[str, int, int]],
    unsized: tuple[str, str] | None,
) -> Clarification | None:
    """A box named at a size it is not sold in, one the catalog lacks, or a misspelt one: which
    did they mean?"""
    unknown_box = unsized[1] if unsized else unknown_hardware_name(text, spans)
    misspelt = misspelt_box(catalog, masked) if unknown_box is None and not spans else None
    if not (unknown_box or misspelt):
        return None
    name = unknown_box or misspelt or ""
    suggestions = catalog.hardware.suggest(name, min_score=75)
    return Clarification(
        slot="hardware", choices=suggestions, unknown=name, typo=misspelt is not None
    )


_GGUF = re.compile(r"\bgguf\b")


def quant_as_named(catalog: Catalog, masked: str, quant: str | None) -> bool:
    """Whether the format was asked by its own name ("Q4_K_M", "a 4-bit GGUF"), to be run as
    itself, rather than by its bits alone ("4-bit"), which any engine's format of them meets."""
    if quant is None or is_native(quant):
        return False
    named = _NAMED_QUANTS.get(quant)
    if named is not None and re.search(named, masked):
        return True
    return catalog.formats.get(quant).kind == "gguf" and _GGUF.search(masked) is not None


def _quant_for(catalog: Catalog, masked: str, model_id: str | None) -> str | None:
    """The format asked for; "unquantized" for a model released below 16 bits (DeepSeek R1 in
    FP8) is its own weights, not an upcast to f16 of twice the size."""
    quant = parse_quant(masked)
    released_below_16 = model_id is not None and catalog.models.get(model_id).native_dtype not in (
        "bf16",
        "fp16",
    )
    if quant == "f16" and released_below_16 and re.search(_UNQUANTIZED, masked):
        return "native"
    return quant


# full precision said not to be needed: "不一定要满血", "不用满血", "don't need full precision"
_NOT_FULL_PRECISION = re.compile(
    r"(?:不\s*(?:一定|必|用|需要?|要求|追求|在乎|强求|是非得?|非得?)\s*(?:要|是|上|用)?|无需|没必要|用不着)"
    r"\s*满血(?:版)?|满血(?:版)?\s*(?:不是必须的?|不必要|没必要|不需要)"
    r"|\b(?:don'?t|do not|doesn'?t|does not|no)\s+(?:need|have to be|require)\s+(?:the\s+)?"
    r"(?:full[- ]precision|native precision|native weights)|\bno need for full[- ]precision"
)


def _prepared(question: str) -> str:
    """The question as the patterns read it: normalized, "负5个人" as -5 (for the request to
    refuse), "MacBook Pro 16 M5 Max" without the screen size (not 16 boxes), full precision
    said not to be needed left out (it asks for nothing)."""
    text = _LAPTOP_SIZE.sub(r"\1", _NEGATIVE_WORD.sub("-", normalize(question)))
    return _NOT_FULL_PRECISION.sub(" ", text)


def _model_fields(catalog: Catalog, slot: _ModelSlot, masked: str) -> dict[str, Any]:
    """The model named (or its size alone), a variant of it, and the format asked for it."""
    variant = _variant(catalog, slot)
    return {
        "model": slot.model,
        "model_variant": variant,
        "model_confidence": slot.confidence,
        "model_as_written": (
            unmatched_token(catalog, masked, slot.model)
            or own_word_typed(catalog, masked, slot.model)
        )
        if slot.model and not variant
        else None,
        "generic": slot.generic,
        "quant": (quant := _quant_for(catalog, masked, slot.model)),
        "quant_as_named": quant_as_named(catalog, masked, quant),
    }


_FIRST_TOKEN_ASKED = re.compile(r"\bttft\b|first token|time to first|首字|首个\s*token")
_WAIT_ASKED = re.compile(r"how long|要等多久|等多久|多久(?:才|能)?出|多长时间")


def _asks_a_wait(text: str, prompt: int | None) -> bool:
    """Whether the question asks how long a first token takes (for a prompt of a size said)."""
    if _FIRST_TOKEN_ASKED.search(text):
        return True
    return prompt is not None and _WAIT_ASKED.search(text) is not None


def _language_of_the_words(rest: str, language: Language) -> Language:
    """The language of what is said around the names (`rest`: the question with boxes, engines
    and models blanked): "gpt-oss-120b 用DGX Spark还是Mac Studio M4 Max 128G？" is Chinese,
    though most of its letters are product names; `language` when nothing else is said."""
    if not (CJK.search(rest) or LATIN_WORD.search(rest)):
        return language
    return detect_language(rest)


def _intent_of(
    text: str,
    has_model: bool,
    named: list[str],
    owned: bool,
    this_machine: bool,
    term: str | None,
    budget: float | None,
) -> tuple[Intent, str | None]:
    """The intent, and what puts the question out of scope (then "help")."""
    intent = classify(
        text,
        has_model=has_model,
        hardware=named or (["this machine"] if this_machine else []),
        term=term,
        has_money=budget is not None,
    )
    if has_model and (owned or (this_machine and _UPGRADE.search(text))) and intent != "help":
        intent = "upgrade"
    scope = out_of_scope(text, bool(named))
    return ("help" if scope is not None else intent), scope


def _wishes(text: str, masked: str, rate_said: bool = False) -> dict[str, Any]:
    """What the asker wants of the box beyond the model: speed, verdict, what comes first,
    new or used, how many users and hours, a host PC of their own."""
    return {
        "min_tok_s": parse_speed(masked),
        "min_verdict": parse_min_verdict(masked),
        "prefer": parse_preference(masked),
        "new_only": parse_new_only(masked),
        "used_only": True if _USED_ONLY.search(masked) else None,
        "cards_only": True if _CARDS_ONLY.search(masked) else None,
        "asks_users": _HOW_MANY_USERS.search(masked) is not None,
        "asks_context": _LONGEST_CONTEXT.search(masked) is not None,
        "asks_memory": _MEMORY_NEEDED.search(masked) is not None,
        # "电费按1块钱一度算，一个月多少钱？": with a tariff said, a month's cost is electricity
        "asks_monthly": bool(
            _MONTHLY.search(masked)
            and (rate_said or _POWER_WORDS.search(masked) or _HOW_MUCH.search(masked))
        ),
        "concurrency": parse_concurrency(masked),
        "have_host": says_have_host(text),
        "hours_per_day": parse_hours(text),
    }


def _how_boxes_were_named(
    catalog: Catalog,
    question: str,
    text: str,
    spans: list[tuple[str, int, int]],
    intent: Intent,
    units: int | None,
) -> dict[str, Any]:
    """How many of each box, a line or a laptop named for a box, and the boxes owned."""
    owned = owned_boxes(text, spans) if intent == "can_run" else {}
    return {
        "units_by_hardware": counts_each(text, spans, units) or counts_by_name(text, spans),
        "named_as_line": as_written(question, named_as_line(catalog, text, spans)),
        "named_as_laptop": named_as_laptop(text, spans),
        "owned": list(owned),
        "owned_units": owned,
        "asks_fewest_units": units is None and not owned and asks_fewest_units(text, spans),
    }


_HOW_MANY_BEFORE = re.compile(
    r"(?:how many\s+(?:(?:more|extra|used|new|second-?hand|rtx|nvidia|geforce|amd|apple|mac)\s+)"
    r"{0,2}|(?:几|多少)\s*(?:台|张|块)\s*)$"
)
_HOW_MANY_AFTER = re.compile(r"\s*(?:要|需要|得|用)?\s*(?:几|多少)\s*(?:台|张|块)")


def asks_fewest_units(text: str, spans: list[tuple[str, int, int]]) -> bool:
    """Whether the one box named is asked for in a number not said: "how many 3090s do I
    need?", "需要几张4090", "Spark要几台", or its plural ("can used 3090s run it?")."""
    if len({box for box, _, _ in spans}) != 1:
        return False
    _, start, end = spans[0]
    plural = text[end : end + 1] == "s" and not _WORDISH.match(text[end + 1 : end + 2] or " ")
    return (
        plural
        or _HOW_MANY_BEFORE.search(text, 0, start) is not None
        or _HOW_MANY_AFTER.match(text, end) is not None
    )


# "各用4张", "4 cards each", "two of each": one count for every box named
EACH = re.compile(r"各(?!位|种|自)|每(?:种|样|边)|\beach\b|\bapiece\b")
# "two 3090s for $600 each": the price of each, not two of each box named
_PRICE_EACH = re.compile(
    rf"(?:[$€¥￥]\s*{NUMBER}\s*k?|{NUMBER}\s*k?\s*(?:{USD_AFTER}|{CNY_AFTER}|{EUR_AFTER}))"
    r"\s*(?:each|apiece|a (?:piece|card|box|unit))\b"
)


def counts_each(text: str, spans: list[tuple[str, int, int]], units: int | None) -> dict[str, int]:
    """{box: count} when a count is said of each of two or more boxes named, else {}."""
    boxes = list(dict.fromkeys(box for box, _, _ in spans))
    if units is None or len(boxes) < 2 or EACH.search(_PRICE_EACH.sub(" ", text)) is None:
        return {}
    return dict.fromkeys(boxes, units)


def _units_asked(text: str, masked: str, spans: list[tuple[str, int, int]]) -> int | None:
    """How many the question runs on: a count said of the run ("三张能跑", "Can 3 run?") before
    one said of the boxes the asker has ("我有两张 3090", "I have 2 3090s")."""
    elsewhere = masked
    for _, start, _ in owned_spans(text, spans):
        before = max(0, start - 14)  # where units_next_to_names reads a count
        elsewhere = elsewhere[:before] + " " * (start - before) + elsewhere[start:]
    if elsewhere != masked and (said := parse_units(elsewhere)) is not None:
        return said
    return parse_units(masked) or units_next_to_names(text, spans)


def _hardware_in(
    catalog: Catalog, text: str, repos: list[tuple[str, int, int]]
) -> tuple[str, list[tuple[str, int, int]], dict[str, str]]:
    """The boxes named (id, start, end), outside repo ids; a box name typed wrong and sure of
    ("dgx sprak") is written right in the text first, and kept as typed: {id: as typed}."""
    spans = _outside(find_names(catalog, "hardware", text), repos)
    typed: dict[str, str] = {}
    for _ in range(MAX_BOX_TYPOS):
        # "rtx 4090 vs dgx sprak": the other; "mac studo m3 ultar": a one-word name ("mac")
        # stays in view, to be read with the word typed wrong beside it
        fixed = box_typo_fixed(catalog, _mask(text, [s for s in spans if " " in text[s[1] : s[2]]]))
        if fixed is None:
            break
        as_typed, name = fixed
        text = text.replace(as_typed, name.lower(), 1)
        spans = _outside(find_names(catalog, "hardware", text), repos)
        typed[catalog.hardware.names()[name]] = as_typed
    return text, _joined(catalog, text, adjust_for_memory(catalog, text, spans)), typed


# "with the 60-core GPU", "60核": the chip variant with that many GPU cores
_GPU_CORES = re.compile(r"(?<!\d)(\d{2})\s*-?\s*(?:core|核|c\b)(?:\s*gpu)?")


def _cores_said(
    catalog: Catalog, text: str, spans: list[tuple[str, int, int]]
) -> list[tuple[str, int, int]]:
    """Each box named as the variant with the GPU core count said of it, in its name or just
    after it, where the catalog has one ("M3 Ultra 256GB with the 60-core GPU" is the 60-core
    one; "m3 ultra 60c 256gb vs m3 ultra 80c 96gb": each its own)."""
    if not spans:
        return spans
    ends = [start for _, start, _ in spans[1:]] + [len(text)]
    found: list[tuple[str, int, int]] = []
    for (box, start, end), next_start in zip(spans, ends, strict=True):
        said = _GPU_CORES.search(text, start, min(max(end + 40, start), next_start))
        other = re.sub(r"-\d{2}c-", f"-{said.group(1)}c-", box) if said else box
        found.append((other if catalog.hardware.find(other) is not None else box, start, end))
    return found


MAX_BOX_TYPOS = 3  # names typed wrong in one question, each fixed in turn


_CJK_PUNCTUATION = re.compile(r"[？！。，、；：…]")


def parse(catalog: Catalog, question: str) -> ParsedQuery:
    """Every slot the question states; intent "help" when it is not about LLM hardware."""
    text = _prepared(question)
    language = detect_language(text)
    if not re.search(r"[a-z0-9\u4e00-\u9fff]", text) and _CJK_PUNCTUATION.search(question):
        language = "zh"  # "？？？": no words, but Chinese punctuation
    if not text:
        return ParsedQuery(intent="help", language=language)
    if is_other_language(text):
        return ParsedQuery(intent="help", language="en", other_language=True)
    foreign = other_currency(text)  # "£0.25/kWh" too, before the rate is read from it
    rate, text = _electricity_rate(text)  # "$0.30/kWh" is no repo, model or budget
    repos = repos_in_text(text)
    text, hardware_spans, typed_box = _hardware_in(catalog, text, repos)
    hardware_spans = _cores_said(catalog, text, hardware_spans)
    hardware = list(dict.fromkeys(entry_id for entry_id, _, _ in hardware_spans))
    engine_spans = _outside(find_names(catalog, "engines", text), repos)
    max_ttft_s, wait_spans = parse_wait(text)
    masked = _mask(text, hardware_spans + engine_spans + wait_spans)  # "llama.cpp" names no Llama
    model_spans = find_names(catalog, "models", masked)
    language = _language_of_the_words(_mask(masked, model_spans), language)
    units = _units_asked(text, masked, hardware_spans)
    counts = counts_by_name(text, hardware_spans)
    if units and len(hardware) == 1:
        counts = {hardware[0]: units}
    prices, budget, currency, currency_assumed = _money(masked, hardware_spans, counts, language)
    budget, per_head_note = _budget_for_the_team(masked, budget, currency)
    context, prompt, prompt_said = parse_context(masked)
    slot = _model_slot(catalog, masked, repos, model_spans)
    clarify = slot.clarify
    unsized = unsized_box(catalog, question, text, hardware_spans) or _unknown_variant(
        catalog, text, hardware_spans
    )
    named = list(hardware)  # what the question is about, for its intent
    if unsized:
        hardware = [h for h in hardware if h != unsized[0]]
    clarify = clarify or _box_to_clarify(catalog, text, masked, hardware_spans, unsized)
    has_model = slot.model is not None or slot.generic is not None or clarify is not None
    # a box owned is set aside only for the upgrade question a model makes of it
    owned = owned_box(text, hardware_spans, has_money=budget is not None) if has_model else None
    if owned:
        named = [h for h in named if h != owned[0]]
        hardware = [h for h in hardware if h != owned[0]]
    term = detect_term(text)
    this_machine = not named and not owned and THIS_MACHINE.search(text) is not None
    intent, scope = _intent_of(text, has_model, named, bool(owned), this_machine, term, budget)
    if (
        intent in ("capacity", "help")
        and scope is None
        and not has_model
        and _asks_a_wait(text, prompt)
    ):
        # "TTFT for a 32k prompt on a Mac Studio", "贴10万字的合同让模型总结，要等多久": the wait
        # depends on the model, so the answer asks which rather than list what the box holds
        intent = "can_run" if hardware else "recommend"
    weighed_counts = counts_weighed(text) if len(hardware) <= 1 and not owned else []
    twice = None if owned or len(hardware) < 2 else box_at_two_counts(text, hardware_spans)
    if twice is not None:  # "M3 Ultra 512G、一台 Spark、两台 Spark": each count a side
        weighed_counts = twice[1]
    if weighed_counts and hardware and intent in ("can_run", "compare", "recommend"):
        intent, units = "compare", None  # "one DGX Spark or two?": the box at each count
    if intent in ("can_run", "compare") and len(hardware) == 1 and _FAMILY_ALTERNATIVE.search(text):
        intent, hardware = "recommend", []  # "Mac 还是 N 卡？": every box, ranked
    if intent == "recommend" and hardware and all(h in prices for h in hardware):
        hardware = []  # "I can get 3090s for $650 each; what should I buy?": every box, priced
    assumed: dict[str, str] = {}
    if currency_assumed:
        assumed["currency"] = f"{currency} ({CURRENCY_FROM_LANGUAGE})"
    if per_head_note:
        assumed["budget"] = per_head_note
    weighed = engines_weighed(text, engine_spans)
    gguf_choice = [] if weighed else gguf_or_engine(text, engine_spans)
    model_fields = _model_fields(catalog, slot, masked)
    if gguf_choice:  # the format names one side of the choice, not the setup to show
        weighed, model_fields["quant_as_named"] = gguf_choice, False
    return ParsedQuery(
        intent=intent,
        have=owned[0] if owned and intent == "upgrade" else None,
        have_units=(units_next_to_names(text, [owned]) or 1)
        if owned and intent == "upgrade"
        else None,
        **model_fields,
        engine=None if weighed else parse_engine(text, engine_spans),
        engines_weighed=weighed,
        formats_weighed=formats_weighed(text),
        split=parse_split(text),
        link=parse_link(catalog, text, hardware),
        context_tokens=context,
        prompt_tokens=prompt,
        prompt_said=prompt_said,
        budget=budget,
        currency=currency,
        other_currency=foreign,
        kwh_price=rate.price if rate else None,
        electricity=rate.currency if rate else None,
        units=None if owned else units,
        counts_weighed=weighed_counts,
        counts_weighed_of=twice[0] if twice else None,
        memory_asked_gb=None if named or owned or unsized else memory_asked(masked),
        one_machine=True if units == 1 and not owned and _ONE_MACHINE.search(masked) else None,
        unit_prices=prices,
        hardware=hardware,
        max_ttft_s=max_ttft_s,
        wait_waved=bool(wait_spans) and max_ttft_s is None,
        **_wishes(text, masked, rate is not None),
        **_how_boxes_were_named(catalog, question, text, hardware_spans, intent, units),
        box_as_written=typed_box,
        language=language,
        term=term if intent == "explain" else None,
        assumed=assumed,
        clarify=None if intent in ("help", "list") else _as_written_repo(question, clarify),
        this_machine=this_machine and intent not in ("help", "list", "explain"),
        out_of_scope=scope,
    )


# LM Studio runs llama.cpp or MLX, whichever the model file is: it names no one engine
_EITHER_ENGINE = re.compile(r"lm\s*studio")


def parse_engine(text: str, spans: list[tuple[str, int, int]]) -> str | None:
    """The engine a question pins, by catalog id: the first named, LM Studio (which runs
    either llama.cpp or MLX) excepted."""
    pinned = [e for e, start, end in spans if not _EITHER_ENGINE.fullmatch(text[start:end])]
    return pinned[0] if pinned else None


# what joins names said as a choice: "llama.cpp or vLLM", "用llama.cpp还是vllm", "4位和8位"
_CHOICE = re.compile(r"\s*(?:or|vs\.?|versus|还是|或者|或|对比|和|与|跟|/|,)\s*(?:用\s*)?")


def engines_weighed(text: str, spans: list[tuple[str, int, int]]) -> list[str]:
    """Engines named side by side as a choice, in the order named: two or more distinct ones,
    each joined to the next by "or", "还是", "vs" ... ("llama.cpp with ROCm" is one engine)."""
    pinned = [s for s in spans if not _EITHER_ENGINE.fullmatch(text[s[1] : s[2]])]
    return joined_as_a_choice(text, pinned)


def joined_as_a_choice(text: str, named: list[tuple[str, int, int]]) -> list[str]:
    """The names of `named` (name, start, end), in the order said, when each is joined to the
    next by a word of choice ("or", "还是", "vs" ...) and two or more differ; else none."""
    found: list[str] = []
    for (first, _, end), (second, start, _) in pairwise(named):
        if first == second or not _CHOICE.fullmatch(text, end, start):
            return []
        found += [n for n in (first, second) if n not in found]
    return found


# a kind of box named as the alternative to one box: "Mac 还是 N 卡", "a Mac or an NVIDIA GPU"
_KIND_OF_BOX = (
    r"(?:[na]\s*卡|英伟达(?:的)?\s*(?:显卡|卡)?|nvidia\s*(?:cards?|gpus?)?|amd\s*(?:cards?|gpus?)"
    r"|(?:a\s+|an\s+)?(?:gaming\s+)?(?:gpus?|graphics cards?|pc)|显卡|独显|台式机)(?![a-z0-9])"
)
_FAMILY_ALTERNATIVE = re.compile(
    rf"(?:还是|或者|\bor\b|\bvs\.?|versus)\s*(?:买|用|选|上)?\s*(?:an?\s+)?{_KIND_OF_BOX}"
    rf"|{_KIND_OF_BOX}\s*(?:还是|或者|\bor\b|\bvs\.?|versus)"
)


def gguf_or_engine(text: str, spans: list[tuple[str, int, int]]) -> list[str]:
    """ "Q4_K_M 的 GGUF 还是 MLX 4bit 快?", "GGUF or vLLM?": llama.cpp, which runs GGUF files on
    every platform, weighed against the one engine named, in the order named."""
    pinned = [s for s in spans if not _EITHER_ENGINE.fullmatch(text[s[1] : s[2]])]
    if len(pinned) != 1 or pinned[0][0].startswith("llama.cpp") or pinned[0][0] == "ollama":
        return []
    engine, start, end = pinned[0]
    for said in _GGUF.finditer(text):
        if said.end() <= start and _CHOICE.fullmatch(text, said.end(), start):
            return ["llama.cpp", engine]
        if end <= said.start() and _CHOICE.fullmatch(text, end, said.start()):
            return [engine, "llama.cpp"]
    return []


# "tensor parallel", "TP=4", "-sm row", "张量并行"; "pipeline", "layer split", "-sm layer"
# ("--tensor-split 1,1" is llama.cpp's share of layers per card, and a RAG "pipeline" no split)
_TENSOR_SPLIT = re.compile(
    r"\btensor[- ]?parallel(?:ism)?|\btp\s*=?\s*[248]\b|-sm\s+(?:row|tensor)|张量并行"
)
_PIPELINE_SPLIT = re.compile(
    r"\bpipeline[- ](?:parallel(?:ism)?|split)|\blayer[- ]split|-sm\s+layer|流水线并行|按层切分"
)


def parse_split(text: str) -> Literal["pipeline", "tensor"] | None:
    if _TENSOR_SPLIT.search(text):
        return "tensor"
    return "pipeline" if _PIPELINE_SPLIT.search(text) else None


# what joins the units: "NVLink bridge", "Thunderbolt 5 with RDMA", "ConnectX-7", "雷电5"
_LINK_WORDS = (
    (re.compile(r"thunderbolt\s*5|\btb\s*5\b|雷电\s*5"), "tb5"),
    (re.compile(r"thunderbolt\s*4|\btb\s*4\b|雷电\s*4"), "tb4"),
    (re.compile(r"connectx|\bcx-?7\b|\bqsfp"), "cx7"),
    (re.compile(r"\bpcie\b"), "pcie"),
    (re.compile(r"\busb\s*4\b"), "usb4"),
    (re.compile(r"\b(?:10|25|100)\s*g(?:be|bit)?\s*ethernet|\bethernet\b|以太网"), "ethernet"),
)
_NVLINK = re.compile(r"\bnvlink\b")
_RDMA = re.compile(r"\brdma\b")
_WITHOUT = re.compile(r"(?:\bno|\bwithout|\bnot? (?:using|over)|不带|没有|不用|无)\s*$")


def parse_link(catalog: Catalog, text: str, hardware: list[str]) -> str | None:
    """The link named between units ("no NVLink" names none); NVLink on cards is their two-way
    bridge, RDMA between Macs Thunderbolt 5 with RDMA."""
    boxes = [catalog.hardware.get(h) for h in hardware]
    if _said(_NVLINK, text):
        return "nvlink-bridge" if any(b.kind == "card" for b in boxes) else "nvlink"
    for pattern, link in _LINK_WORDS:
        if _said(pattern, text):
            return "tb5-rdma" if link == "tb5" and _said(_RDMA, text) else link
    macs = boxes and all(b.family == "apple" for b in boxes)
    return "tb5-rdma" if macs and _said(_RDMA, text) else None


def _said(pattern: re.Pattern[str], text: str) -> bool:
    """Whether `pattern` is said, and not as something left out ("without NVLink")."""
    return any(not _WITHOUT.search(text[: m.start()]) for m in pattern.finditer(text))


# "I already have a PC", "we have a workstation for the cards", "我已经有主机", "主机有了"
_HAVE_HOST = re.compile(
    r"\b(?:i|we)(?: already)? (?:have|own|got)(?: already)? (?:a |an |my |our )?"
    r"(?:(?:gaming |desktop )?pc|host(?: pc)?|desktop|tower|workstation|rig)\b|"
    r"(?:已经?|现在)?有(?:了)?(?:一台|台)?(?:现成的?)?(?:电脑)?(?:主机|台式机|整机|机箱)|主机(?:已经)?有了"
)


def says_have_host(text: str) -> bool | None:
    return True if _HAVE_HOST.search(text) else None


# "4 hours a day", "2h/day", "每天用 2 小时", "每天跑8个小时", "24/7", "全天", "around the clock"
_HOURS = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:h|hrs?|hours?)\s*(?:a|per|/|each)\s*day|"
    r"每天\s*(?:用|跑|开|运行|工作)?\s*(\d+(?:\.\d+)?)\s*(?:个)?\s*小时"
)
_ALL_DAY = re.compile(r"24\s*/\s*7|around the clock|all day|全天|24\s*小时")


def parse_hours(text: str) -> float | None:
    """Hours a day the box works, when the question says."""
    if _ALL_DAY.search(text):
        return 24.0
    found = _HOURS.search(text)
    if found is None:
        return None
    return float(found.group(1) or found.group(2))  # "30 hours a day" is for the request to refuse


def _name_keys(model: Model, written: str) -> set[str]:
    """The keys of `model`'s names of more than two letters, and of the name as written ("ds
    r1" is DeepSeek-R1, whose other names "deepseek r1" and "r1 14b" then share)."""
    return {name_key(n) for n in (written, *names_of(model)) if len(name_key(n)) > 1}


def _carries(names: Iterable[str], keys: set[str]) -> bool:
    return any(key in name_key(name) for name in names for key in keys)


def _words(text: str) -> set[str]:
    """The words of a name that are not a size: "deepseek", "r1", "distill" ("蒸馏" is one)."""
    words = re.findall(r"[a-z][a-z\d]*", text.lower().replace("蒸馏", " distill "))
    return {w for w in words if len(w) > 1}


def _release_named(model: Model, keys: set[str], text: str, family: str) -> str | None:
    """The release of `model`'s architecture whose names carry one of `keys` ("deepseek r1" in
    DeepSeek-R1-Distill-Llama-8B) and that the question names by more than the family ("r1",
    "distill"; "deepseek coder 7b" names no R1 distill), when there is one."""
    said = _words(text) - {family}
    return next(
        (
            v
            for v, names in model.variants.items()
            if _carries((v, *names), keys) and said & (_words(v) - {family})
        ),
        None,
    )


def _variant(catalog: Catalog, slot: _ModelSlot) -> str | None:
    if slot.model is None or slot.written is None:
        return None
    return catalog.models.get(slot.model).variant_named(slot.written)


def _as_written_repo(question: str, clarify: Clarification | None) -> Clarification | None:
    if clarify is None or clarify.hub_repo is None:
        return clarify
    repo = as_written(question, {"repo": clarify.hub_repo})["repo"]
    return clarify.model_copy(update={"hub_repo": repo, "unknown": repo})
