"""A conversation: which turn is a new question and which a follow-up that changes one thing,
and the user's settings for what a question leaves unsaid."""

from __future__ import annotations

import math
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from advisor.ask.answer import AskResult, answer
from advisor.ask.parse import (
    CJK,
    LATIN_WORD,
    WHICH_LINE_EN,
    Language,
    ParsedQuery,
    bare_count,
    currency_from_language,
    currency_of,
    detect_language,
    normalize,
    number_word,
    parse,
    sized_variants,
    sizes_said,
)
from advisor.catalog import Catalog, names_of
from advisor.catalog.entries import CatalogEntry
from advisor.context import Advisor
from advisor.prices import exchanged
from advisor.render.answers import counted_name, paragraph
from advisor.render.env import render
from advisor.render.formats import plain
from advisor.requests import DEFAULT_CONTEXT_TOKENS, DEFAULT_MAX_UNITS, Currency, scaled_tokens
from advisor.rules import VERDICTS, usable
from advisor.settings import Settings

_FOLLOW_UP = re.compile(
    r"^(?:(?:ok|okay|fine|so|right|hmm)[,.]?\s+)?(?:and|what about|how about|now|instead|"
    r"ok,? (?:and|what)|then|same (?:but|with)|also)\b|\binstead\??$|"
    r"^那|呢[?？]?$|^换成|^如果|^改成|^用\s|^再|^要是|^那么|^budget is|"
    r"^预算(?:改|变|换|提|只有|涨|降|加|减|调)|"
    r"^(?:i mean|i meant|i'm asking about|就是|我说的是|我指的是|我是说)"  # "就是那个满血的R1"
    r"|^(?:(?:ok|okay|so|now)[,.]?\s+)?(?:switch|change|swap|move)\s+(?:it\s+|that\s+)?(?:to|for)\b"
    r"|^(?:try|make it)\s"  # "switch to gpt-oss-120b", "try 8-bit"
)
# "和 spark 比呢", "compare with a Spark": the box named joins the last one, side by side
_COMPARING = re.compile(
    r"(?:和|跟|与|同).{0,20}比|对比|相比|比较一下|\bcompared?\b|\bvs\.?\b|versus|stack up"
    r"|\bwhy not\b|为(?:什么|啥)不(?:选|买|推荐|用)"  # "为什么不选 DGX Spark？": it beside the pick
)
# "so which should I buy?", "哪个更值得买？": a box to buy, or a comparison's pick
_WHICH_ONE_TO_BUY = (
    r"\bwhich (?:one )?(?:should|would|do) (?:i|we) (?:buy|get)\b"
    r"|哪(?:个|台)(?:更)?值得买|买哪(?:个|台)"
)
# "what should I buy instead?", "那该买什么": after a can-run, a box to buy, not that one again
_BUY_INSTEAD = re.compile(
    r"\bwhat (?:should|do|would) (?:i|we) (?:buy|get)\b|\bwhat to buy\b|\bbuy instead\b"
    rf"|{_WHICH_ONE_TO_BUY}"
    r"|\bwhich (?:box|machine|computer|setup|hardware)\b"  # "which box gets it under a minute?"
    r"|(?:该|应该|要|得)?(?:买|换)(?:什么|啥|哪个|哪款|哪台)|哪(?:台|款|种|个)(?:机器|电脑|设备|配置)"
)
# "it", "that", "those two", "这台": the boxes of the question before
_BACK_REFERENCE = re.compile(
    r"\b(?:it|that|that card|that box|those|those two|the two|both|them)\b|"
    r"这台|这两台|它|这张卡|这个配置"
)
# "can it run gpt-oss-120b?" after a recommendation: the box it picked
_RUN_ON_IT = re.compile(
    r"\b(?:can|could|will|would|does|is)\s+(?:it|that|that one|that box|this one|the pick)\s+"
    r"(?:also\s+)?(?:run|handle|fit|hold|manage|do)\b|它(?:也)?能(?:不能)?跑|这台(?:也)?能(?:不能)?跑"
)
# a question about a box that asks what it can hold, rather than whether the model fits
_CAPACITY_ASKED = re.compile(
    r"largest|biggest|how big|what (?:models?|size)|max(?:imum)? (?:model|size)|at all|"
    r"最大|多大|能跑什么|能跑哪些|装得下多大"
)
_WORDS = re.compile(r"[a-z0-9\u4e00-\u9fff]")
_CARRIED_SLOTS = (
    "concurrency",
    "quant",
    "engine",
    "split",
    "link",
    "context_tokens",
    "prompt_tokens",
    "budget",
    "currency",
    "units",
    "min_tok_s",
    "min_verdict",
    "max_ttft_s",
    "prefer",
    "new_only",
    "used_only",
    "cards_only",
    "have_host",
    "hours_per_day",
    "kwh_price",
    "electricity",
    "one_machine",
)
REMEMBERED_INTENTS = ("recommend", "can_run", "compare", "capacity", "upgrade")
# "cheaper?", "anything cheaper", "便宜点的呢": the same question under the last pick's price
_CHEAPER = re.compile(
    r"^(?:(?:and|ok|so|anything|something|any|a|what about|how about)\s+)*cheaper\b"
    r"|\bcheaper (?:one|option|box)s?\b|"
    r"更便宜|便宜(?:一?点|些)"
)
# "compare the two", "两个对比一下": the last two boxes asked about
_THE_TWO = re.compile(
    r"\bcompare (?:the|these|those) two\b|\bcompare them\b|\bthe two side by side\b"
    r"|(?:两个|两台|这两个|这俩)(?:对比|比较|比)一下|(?:对比|比较)一下(?:这)?两(?:个|台)"
)
# "just inference then, how fast?", "那只做推理，速度多少": the question before, asked again
_ASKED_AGAIN = re.compile(
    r"\bhow fast\b|\bwhat speed\b|\bjust inference\b|\binference (?:only|then)\b"
    r"|速度(?:大概|大约)?(?:是)?多少|多快|只做推理|就做推理|只跑推理"
    # "一年电费多少", "how much is the electricity?": the answer before gives it
    r"|电费(?:一年|一个月|每个?月)?(?:大概|大约)?(?:要)?多少|(?:一年|一个月|每个?月)(?:的)?电费|电费呢"
    r"|\bhow much (?:is|would) (?:the )?electricity\b"
    # "what's the electricity per month?", "monthly power bill?"
    r"|\b(?:what|how much)\b[^?]{0,30}\b(?:electricity|power bill|energy bill|running costs?)\b"
    r"|\b(?:monthly|yearly|annual) (?:electric(?:ity)?|power|energy)\b"
    # "how much per month?", "每个月多少钱？" of the box just answered: what it costs to run
    r"|\bhow much (?:is it |would it be |does it cost )?(?:per|a|each|every) (?:month|year)\b"
    r"|(?:每个?月|一个月|一年)(?:要)?(?:大概|大约)?多少钱"
)
NEW_TOPIC_WORDS = frozenset({"/new", "new topic", "新话题", "换个问题"})
# "请用中文回答", "in English please": the answer before, in that language
_IN_LANGUAGE = re.compile(
    r"^(?:(?:can you |could you )?(?:please )?(?:answer|reply|respond|say (?:it|that)|write "
    r"(?:it|that)|repeat (?:it|that)|explain (?:it|that))?\s*(?:again\s+)?in "
    r"(?P<en>english|chinese|mandarin)(?: please)?"
    r"|(?:请|麻烦)?(?:你)?(?:用|以|说|讲|换成|改用)(?P<zh>中文|汉语|英文|英语)"
    r"(?:回答|回复|说|讲|再说一遍|重新回答|来说|写)?(?:吧|一下|一遍)?)[\s.!?。！？]*$"
)
_LANGUAGE_NAMED: dict[str, Language] = {
    "english": "en",
    "chinese": "zh",
    "mandarin": "zh",
    "中文": "zh",
    "汉语": "zh",
    "英文": "en",
    "英语": "en",
}


def apply_settings(settings: Settings, query: ParsedQuery) -> ParsedQuery:
    """Fill what the question left unsaid from what the user set (where it differs from the
    built-in default), and say so in `assumed`."""
    update: dict[str, Any] = {}
    assumed = dict(query.assumed)
    if settings.currency and (query.currency is None or currency_from_language(query)):
        update["currency"] = settings.currency
        assumed["currency"] = f"{settings.currency} (your setting)"
    if query.context_tokens is None and settings.context_tokens != DEFAULT_CONTEXT_TOKENS:
        update["context_tokens"] = settings.context_tokens
        assumed["context_tokens"] = f"{settings.context_tokens} (your setting)"
    if query.quant is None and settings.quant:
        update["quant"] = settings.quant
        assumed["quant"] = f"{settings.quant} (your setting)"
    wants_units = query.units is None and query.intent == "recommend"
    if wants_units and settings.max_units != DEFAULT_MAX_UNITS:
        update["units"] = settings.max_units
        assumed["units"] = f"up to {settings.max_units} per cluster (your setting)"
    if not update:
        return query
    return query.model_copy(update={**update, "assumed": assumed})


class Session(BaseModel):
    """One conversation: keeps the last complete query so a follow-up can change one slot."""

    model_config = ConfigDict(extra="ignore")

    last: ParsedQuery | None = None
    last_price: tuple[float, str] | None = Field(
        default=None, description="the last answer's pick: price and currency"
    )
    last_pick: str | None = Field(
        default=None, description='the box a recommendation put first, for "那两台呢？"'
    )
    last_setup: tuple[str, int, str] | None = Field(
        default=None, description="the box, count and format an answer put first"
    )
    history: list[str] = Field(default_factory=list)
    boxes_asked: list[str] = Field(
        default_factory=list,
        description="the boxes the topic's answers were about, most recent last, each once: "
        "'compare the two' compares the last two",
    )
    topic_start: int = Field(
        default=0, description="where in `history` the topic began (a new topic starts one)"
    )
    asked_back: ParsedQuery | None = Field(
        default=None,
        description="a question answered with 'which model?': the reply that names one "
        "completes it",
    )

    def new_topic(self) -> None:
        """Forget the question before: the next one is answered on its own."""
        self.last = None
        self.last_price = None
        self.last_pick = None
        self.asked_back = None
        self.topic_start = len(self.history)
        self.boxes_asked = []

    def ask(self, advisor: Advisor, question: str, lang: Language | None = None) -> AskResult:
        if question.strip().lower() in NEW_TOPIC_WORDS:
            # "/new" says nothing of its language: answer in the conversation's
            spoken = detect_language(normalize(question))
            said = spoken if question.strip().lower() != "/new" else None
            language = lang or said or (self.last.language if self.last else "en")
            self.new_topic()
            return answer(advisor, parse(advisor.catalog, ""), language, new_topic=True)
        switched = self._in_language(advisor, question)
        if switched is not None:
            return switched
        advisor, first, notes = _outside_facts(advisor, question, lang)
        if self.last is not None and not _WORDS.search(question.lower()):
            first = first.model_copy(update={"language": self.last.language})  # "???" mid-talk
        still_unknown = advisor.settings.online and _unknown_model(first)
        no_box = first.this_machine and not (first.hardware or first.have)
        if still_unknown or no_box:  # the Hub or the machine gave nothing to answer with: say so
            self.history.append(question)
            return AskResult(query=first, answer=notes)
        if len(self.history) == self.topic_start and _follows_nothing(first, question):
            self.history.append(question)  # "what about two of them?" as a first question
            language = lang or first.language
            return AskResult(query=first, answer=render(language, "no_earlier.md.j2"))
        why_answer = self._why_answer(advisor, first, question, lang)
        if why_answer is not None:
            self.history.append(question)
            return why_answer
        parsed = self._merge(advisor.catalog, question, first)
        if self.last is not None and parsed.intent == "help" and _follows_nothing(parsed, question):
            # "二手的呢": a follow-up that changes nothing it can read
            self.history.append(question)
            language = lang or first.language
            return AskResult(query=first, answer=render(language, "follow_up_unclear.md.j2"))
        if not parsed.follow_up:
            parsed = apply_settings(advisor.settings, parsed)
        result = answer(advisor, parsed, lang)
        count = first.units or bare_count(normalize(question))  # "what about two of them?"
        notes = _as_before(advisor.catalog, self.last_setup, first, count, result) + notes
        if notes:
            result = result.model_copy(update={"answer": notes + result.answer})
        self.asked_back = result.query if _asks_which_model(result.query) else None
        refused = bool(result.error)  # "a budget of -500?": the question before still stands
        if (
            result.query.intent in REMEMBERED_INTENTS
            and result.query.clarify is None
            and not refused
        ):
            nothing_cheaper = result.query.cheaper_than is not None and bool(
                result.result and result.result.get("nothing_in_budget")
            )
            if not nothing_cheaper:  # "cheaper?" again still asks below the last real pick
                same_need = self.last is not None and _same_need(self.last, result.query)
                self.last = result.query
                # a pick that does not run the model ("换成 5090 呢": it does not fit), or runs it
                # unusably ("为什么不是 Spark"), is no price to go below: the last that works stays
                price = _pick_price(result.result)
                works = price is not None and _pick_works(result.result)
                # the last that worked, for the same model and work: after "and with 64k
                # context?" the price of the 16k pick is no price to go below
                kept = self.last_price if same_need else None
                self.last_price = price if works or kept is None else kept
                self.last_pick = _pick_box(result.result)
                self.last_setup = _pick_setup(result.result)
                shown = result.query.hardware or ([self.last_pick] if self.last_pick else [])
                asked = [h for h in shown if h not in self.boxes_asked[-2:]]
                self.boxes_asked = [*self.boxes_asked, *asked][-4:]
        elif _carries_on(result.query):
            # "can I fine-tune X on Y?", "can my iPhone run X?": the model (and a box) carry on;
            # "GPT-5 on an M3 Ultra?": the box
            self.last = result.query.model_copy(
                update={"intent": "can_run" if result.query.hardware else "recommend"}
            )
        self.history.append(question)
        return result

    def _why_answer(
        self, advisor: Advisor, first: ParsedQuery, question: str, lang: Language | None
    ) -> AskResult | None:
        """The last answer's reasons, when the question asks why it chose what it did ("为什么
        不选其他的？", "why not the Mac?" of a side or of the pick's own line); else None."""
        last, language = self.last, lang or first.language
        if last is None:
            return None
        why = _why_asked(last, first, question)
        if why is None and _why_not_a_side(advisor.catalog, last, first, question):
            why = "side"  # "why not the Mac?" after RTX 5090 vs Mac Studio: that side's reasons
        if why is not None:
            return _why_of(answer(advisor, last, language), why)
        if not self._why_not_the_pick(advisor.catalog, first, question):
            return None
        assert self.last_pick is not None  # "why not the Mac?" when the pick is a Mac already
        lead = render(
            language,
            "pick_is_that.md.j2",
            pick=plain(advisor.catalog.hardware.get(self.last_pick).label),
            written=plain(_ARTICLE.sub("", next(iter(first.named_as_line.values())))),
        )
        found = _why_of(answer(advisor, last, language), "this")
        return found.model_copy(update={"answer": paragraph(lead) + found.answer})

    def _why_not_the_pick(self, catalog: Catalog, parsed: ParsedQuery, question: str) -> bool:
        """ "why not the Mac?" after a recommendation that picked a Mac: the line named is the
        pick's own."""
        last, pick = self.last, self.last_pick
        if last is None or last.intent != "recommend" or pick is None or parsed.model:
            return False
        if not _WHY_NOT.search(normalize(question)) or len(parsed.named_as_line) != 1:
            return False
        return _of_line(catalog, next(iter(parsed.named_as_line.values())), pick)

    def _in_language(self, advisor: Advisor, question: str) -> AskResult | None:
        """ "请用中文回答", "in English please": the answer before, in the language asked."""
        switched = _IN_LANGUAGE.match(normalize(question))
        if switched is None or self.last is None:
            return None
        self.history.append(question)
        language = _LANGUAGE_NAMED[switched.group("en") or switched.group("zh")]
        self.last = self.last.model_copy(update={"language": language, "follow_up": True})
        return answer(advisor, self.last, language)

    def _counts_weighed(self, parsed: ParsedQuery, text: str) -> dict[str, Any]:
        """ "One or two?" naming no box: the box just picked, or the one box just asked about,
        at each count said; "why not one?" of the box just asked about several of."""
        last = self.last
        if last is None:
            return {}
        several = last.intent == "can_run" and (last.units or 1) > 1
        if several and parsed.hardware == last.hardware and _COMPARING.search(text):
            # "为什么不选 Spark？" after two Sparks: one of it against the two
            return {"counts_weighed": [1, last.units], "units": None}
        if not parsed.counts_weighed:
            return {}
        picked = last.intent == "recommend" and self.last_pick
        box = [self.last_pick] if picked else last.hardware if len(last.hardware) == 1 else []
        if len(parsed.hardware) == 1:
            box = parsed.hardware  # "one or two Sparks?": the box it names
        if not box or parsed.hardware not in ([], box):  # "第二台 Spark 值得买吗" after a Spark
            return {}
        return {"hardware": box, "counts_weighed": parsed.counts_weighed, "units": None}

    def _merge(self, catalog: Catalog, question: str, parsed: ParsedQuery) -> ParsedQuery:
        text = normalize(question)
        if self.asked_back is not None:
            chosen = _chosen_by_size(catalog, self.asked_back, text)  # "235B", "the 30B MoE one"
            named = parsed.model is not None and (parsed.model_confidence or 0) >= 1.0
            if chosen is not None and not named:  # "Qwen3-Coder-30B" is that, not the 32B
                parsed = parsed.model_copy(
                    update={
                        "model": chosen,
                        "generic": None,
                        "clarify": None,
                        "model_confidence": 1.0,
                    }
                )
            if parsed.model is not None and parsed.clarify is None:
                return _completed(catalog, self.asked_back, parsed, text)
        last = self.last
        # "what's the time to first token with a 32k prompt?" asks the last setup's, not what
        # TTFT means
        asks_of_last = parsed.intent == "explain" and bool(parsed.prompt_tokens)
        if last is None or (parsed.intent in ("list", "explain") and not asks_of_last):
            return parsed
        if parsed.out_of_scope is not None:  # "can I train it on that card?": still training,
            return parsed.model_copy(  # of the model and box before
                update={
                    "model": parsed.model or last.model,
                    "hardware": parsed.hardware or last.hardware,
                }
            )
        if _CHEAPER.search(text) and parsed.budget is None and self.last_price:
            return _cheaper(last, self.last_price, parsed.language)
        names_nothing = parsed.model is None and parsed.generic is None and parsed.clarify is None
        changes = _changed_slots(last, parsed, text)
        length = _bare_length(text)
        if length and not ({"context_tokens", "prompt_tokens"} & set(changes)):
            # "64k 呢", "and with 64k?": the length the question before set, said anew
            slot = "prompt_tokens" if last.prompt_tokens else "context_tokens"
            changes[slot] = length
            if slot == "prompt_tokens":
                changes["prompt_said"] = None
        if last.cheaper_than is not None and _NEW_NEED & set(changes):
            # "cheaper?" then "for 5 users?": the budget said before, not the one "cheaper?" made
            # ("and at 8-bit?" still asks below the last pick)
            changes.setdefault("budget", last.budget_said)
            changes.update(cheaper_than=None, budget_said=None)
        if parsed.wait_waved and last.max_ttft_s is not None:
            changes["max_ttft_s"] = None  # "actually the first token within 2 s doesn't matter"
        bare = _names_only(catalog, parsed, text)  # "R1", "Qwen3 8B", "RTX 4090": a new slot
        # "so which should I buy?" names nothing: the last question's model, any box
        buys = names_nothing and _BUY_INSTEAD.search(text) is not None
        asked_again = names_nothing and _ASKED_AGAIN.search(text) is not None  # "一年电费多少"
        said_follow_up = bool(_FOLLOW_UP.search(text)) or bare or buys or asked_again
        if parsed.intent == "capacity" and _CAPACITY_ASKED.search(text) and not said_follow_up:
            return parsed  # "how big a model can two Sparks run?" is a question of its own
        if parsed.units is None:
            count = bare_count(text)  # "what about two?", "2x?", "一台呢", "two stock ones?"
            # "what if I add one more?", "再加一台呢": a fragment, not a question of its own
            # ("再加一台Spark呢" names the box it adds to)
            same_box = not parsed.hardware or parsed.hardware == last.hardware
            added = _added_units(text) if names_nothing and same_box else 0
            if count or added:
                changes["units"] = count or (last.units or last.have_units or 1) + added
                said_follow_up = True
        pick = [self.last_pick] if last.intent == "recommend" and self.last_pick else []
        resized = _resized(catalog, last.hardware or pick, parsed, text)
        if resized is not None:  # "一台 512G 的呢" after two M3 Ultra 256GBs: the 512 GB one
            changes["hardware"] = [resized]
            if _ONE_SAID.search(text):
                changes["units"] = 1
            said_follow_up = True
        the_two = not parsed.hardware and len(self.boxes_asked) >= 2 and _THE_TWO.search(text)
        if the_two:  # "两个对比一下", "compare the two for Qwen3 235B"
            changes["hardware"] = self.boxes_asked[-2:]
            said_follow_up = True
        weighed = self._counts_weighed(parsed, text)
        if weighed:  # "one or two?" after a box was named or picked: that box at each count
            changes.update(weighed)
            said_follow_up = True
        each = last.intent == "compare" and "units" in changes
        if each and not parsed.hardware:  # "换成各用8张呢", "那两台呢？": that many of each side
            changes["units_by_hardware"] = dict.fromkeys(last.hardware, changes["units"])
        picked = last.intent == "recommend" and self.last_pick and not parsed.hardware
        if picked and "units" in changes:  # "那两台呢？" after a recommendation: two of its pick
            changes["hardware"] = [self.last_pick]
        if not parsed.hardware and last.hardware and _BACK_REFERENCE.search(text):
            changes["hardware"] = last.hardware  # "can it run gpt-oss-120b?", "those two"
            said_follow_up = True
        run_on_pick = bool(picked and not last.hardware and _RUN_ON_IT.search(text))
        if run_on_pick and self.last_setup:  # "can it run gpt-oss-120b?" after a pick
            changes.update(hardware=[self.last_setup[0]], units=self.last_setup[1])
            said_follow_up = True
        if not (said_follow_up or (names_nothing and changes)):
            return parsed
        if not names_nothing and not said_follow_up:
            return parsed
        if not names_nothing:
            changes.update(
                model=parsed.model, generic=parsed.generic, model_confidence=parsed.model_confidence
            )
            changes |= _unquantized_for(catalog, last, parsed)
            if last.cheaper_than is not None and parsed.model not in (None, last.model):
                # "cheaper?" then "换成 gpt-oss-120b 呢": the budget said, for another model
                changes.setdefault("budget", last.budget_said)
                changes.update(cheaper_than=None, budget_said=None)
        if not changes and _BUY_INSTEAD.search(text):
            changes["hardware"] = []  # "what should I buy instead?": the same question, any box
        if not changes and _ASKED_AGAIN.search(text):
            changes["follow_up"] = True  # "那只做推理，速度多少": the question before, answered
        if not changes:
            return parsed
        if "context_tokens" not in changes and _outgrows(changes.get("prompt_tokens"), last):
            changes["context_tokens"] = None  # a longer prompt grows the window it was asked in
        beside = (
            [self.last_pick] if last.intent == "recommend" and self.last_pick else last.hardware
        )
        joins = bool(_COMPARING.search(text)) and bool(beside)
        changes["intent"] = _follow_up_intent(last, changes, beside if joins else [], text)
        if the_two:
            changes.update(intent="compare", hardware=self.boxes_asked[-2:])
        if run_on_pick:
            changes["intent"] = "can_run"
        if parsed.named_as_line and re.search(WHICH_LINE_EN, text):
            changes["intent"] = "recommend"  # "OK then, which Mac Studio for gpt-oss-120b?"
        asks_capacity = parsed.intent in ("capacity", "help") and not parsed.model
        if asks_capacity and _CAPACITY_ASKED.search(text) and changes.get("hardware"):
            # "what's the biggest model it can run at all?": the box's, whatever the model
            changes.update(intent="capacity", model=None, generic=None)
        picked_side = _side_named(catalog, last, parsed, joins)
        if picked_side is not None:  # "what about the Mac?" after Spark vs M4 Max: that side
            changes.update(intent="can_run", hardware=[picked_side], named_as_line={})
            parsed = parsed.model_copy(update={"hardware": [picked_side], "named_as_line": {}})
        if "counts_weighed" in changes:  # the one box at each count, not beside the others
            box = weighed.get("hardware") or changes.get("hardware") or last.hardware
            changes.update(intent="compare", hardware=box)
        elif resized is not None and last.intent == "compare":  # "the 256GB one?": that side
            changes.update(intent="can_run", hardware=[resized])
        setup = self.last_setup if last.intent == "recommend" else None
        if last.intent == "can_run" and last.units and last.hardware:
            setup = (last.hardware[0], last.units, "")
        if joins and changes["intent"] == "compare" and setup and setup[1] > 1:
            # "为什么不选 H100？" after 2 x RTX PRO 6000: the pick as it was, two cards; the box
            # named beside it is one, unless a count is said of it ("compare that with two
            # Sparks" after 2 x RTX 4090: both 4090s, beside two Sparks)
            counts = {**changes.get("units_by_hardware", {}), setup[0]: setup[1]}
            changes["units_by_hardware"] = {**counts, **parsed.units_by_hardware}
            changes.setdefault("units", parsed.units)
        if not parsed.hardware and {"used_only", "cards_only"} & set(changes):
            changes.update(intent="recommend", hardware=[])  # "what about used cards?": any
        if _ranks_every_box(changes["intent"], parsed, text):
            changes.update(intent="recommend", hardware=[])
            if parsed.units is None:  # "单台 Spark 能跑吗？" then "哪台机器…": any box, any count
                changes["units"] = None
        was_in = last.currency or currency_of(last.language)
        switched = changes.get("currency", was_in) != was_in
        if switched and last.electricity is None and "electricity" not in changes:
            changes["electricity"] = was_in  # "用美元算" shows dollars; the power is still China's
        if "budget" not in changes and last.budget and last.currency:
            now_in = changes.get("currency")
            if now_in and now_in != last.currency:  # "in yuan please": the same budget in yuan
                changes |= _in_currency(last, now_in)
        if "hardware" in changes:
            changes |= _boxes_named(catalog, last, parsed, changes["hardware"])
        same_boxes = changes.get("hardware", last.hardware) == last.hardware
        if "units" in changes and "one_machine" not in changes:
            changes["one_machine"] = None  # "那两台呢？": two boxes, not one machine any more
        if "units" in changes and not parsed.hardware and same_boxes:
            # "and two of them linked?": two of the configuration just shown, not the line's
            # cheapest again
            changes["named_as_line"] = {}
        weighs = _counts_carried(last, changes)
        if last.counts_weighed and not weighs and len(changes.get("hardware", last.hardware)) == 1:
            changes["intent"] = "can_run"  # "what about three?" after "one or two?": three of it
        carried = _carried(last, ("model", *_CARRIED_SLOTS, "hardware"), changes)
        return last.model_copy(
            update={
                **changes,
                "language": last.language if bare else parsed.language,
                "model_as_written": parsed.model_as_written,  # said back on its own turn only
                "box_as_written": parsed.box_as_written,
                "follow_up": True,
                "asks_monthly": parsed.asks_monthly,  # "每个月电费多少": asked on this turn
                "counts_weighed": weighs,
                "clarify": None,
                "assumed": carried,
            }
        )


def _asks_which_model(query: ParsedQuery) -> bool:
    """Whether the answer asked back which of several models the question meant."""
    clarify = query.clarify
    return (
        clarify is not None
        and clarify.slot == "model"
        and not clarify.several
        and query.intent in REMEMBERED_INTENTS
    )


SIZE_MATCH = 0.12  # "30B" is Qwen3-30B-A3B's 30.5B, not Qwen3.6's 34.7B


def _chosen_by_size(catalog: Catalog, asked: ParsedQuery, text: str) -> str | None:
    """The model offered in 'which model?' nearest the size a reply names ("235B", "我说的是
    32B那个": Qwen3-32B, not Qwen3-30B-A3B), within `SIZE_MATCH`; "MoE" or "dense" narrows
    the choice first. None when it names no size, or two offered are as near."""
    clarify = asked.clarify
    sizes = sizes_said(text)
    if clarify is None or not sizes:
        return None
    offered = [catalog.models.get(c) for c in clarify.choices if catalog.models.find(c)]
    if re.search(r"\bmoe\b|混合专家", text):
        offered = [m for m in offered if m.is_moe]
    elif re.search(r"\bdense\b|稠密", text):
        offered = [m for m in offered if not m.is_moe]
    near = sorted(
        (min(abs(m.params_total_b - s) / s for s in sizes), m.id)
        for m in offered
        if any(abs(m.params_total_b - s) <= SIZE_MATCH * s for s in sizes)
    )
    if not near or (len(near) > 1 and near[1][0] - near[0][0] < SIZE_TIE):
        return None
    return near[0][1]


SIZE_TIE = 0.005  # two offered models this near the size said are as near as each other


def _completed(catalog: Catalog, asked: ParsedQuery, reply: ParsedQuery, text: str) -> ParsedQuery:
    """The question that was asked back about, with the model the reply names and whatever
    else the reply states; in the question's language when the reply is only names."""
    changes = _changed_slots(asked, reply, text)
    changes.update(
        model=reply.model,
        generic=reply.generic,
        model_confidence=reply.model_confidence,
        model_variant=reply.model_variant,
    )
    changes["intent"] = _follow_up_intent(asked, changes, [], text)
    if "hardware" in changes:
        changes |= _boxes_named(catalog, asked, reply, changes["hardware"])
    bare = _names_only(catalog, reply, text)
    return asked.model_copy(
        update={
            **changes,
            "language": asked.language if bare else reply.language,
            "model_as_written": reply.model_as_written,
            "box_as_written": reply.box_as_written or asked.box_as_written,
            "clarify": None,
        }
    )


def _names_only(catalog: Catalog, parsed: ParsedQuery, text: str) -> bool:
    """Whether a reply is only the names of a model or a box ("R1", "Qwen3 8B", "RTX 4090"):
    it changes that one thing in the conversation and has no language of its own."""
    if CJK.search(text) or not (parsed.model or parsed.hardware):
        return False
    entries: list[CatalogEntry] = [catalog.hardware.get(h) for h in parsed.hardware]
    if parsed.model:
        entries.append(catalog.models.get(parsed.model))
    vocabulary = {
        word
        for entry in entries
        for name in names_of(entry)
        for word in LATIN_WORD.findall(name.lower())
    }
    words = LATIN_WORD.findall(_WITH_DIGITS.sub(" ", text))  # "qwen3", "32b" are names
    return all(word in vocabulary for word in words)


_WITH_DIGITS = re.compile(r"[a-z]*\d[a-z0-9]*")


def _unquantized_for(catalog: Catalog, last: ParsedQuery, parsed: ParsedQuery) -> dict[str, Any]:
    """16 bits carried to a model released below 16 bits (DeepSeek R1 in FP8) are its own
    weights, as "unquantized" said of it would be: not an upcast of twice the size."""
    if parsed.quant is not None or last.quant != "f16" or parsed.model is None:
        return {}
    released = catalog.models.get(parsed.model).native_dtype
    return {} if released in ("bf16", "fp16") else {"quant": "native"}


def _setup_for_new_boxes(
    catalog: Catalog, last: ParsedQuery, parsed: ParsedQuery, hardware: list[str]
) -> dict[str, Any]:
    """What a follow-up about other boxes keeps of the setup asked before: not the link, which
    joined the old ones, nor an engine the new ones do not run ("what about a Mac?" after "2x
    3090 with vLLM")."""
    dropped: dict[str, Any] = {} if parsed.link else {"link": None}
    if parsed.engine is None and last.engine is not None:
        engine = catalog.engines.get(last.engine)
        if not all(engine.runs_on(catalog.hardware.get(h)) for h in hardware):
            dropped |= {"engine": None, "split": None}
    return dropped


def _outgrows(prompt_tokens: int | None, last: ParsedQuery) -> bool:
    """A follow-up's prompt no longer fits the context carried over (the rule a question's own
    context is held to: `answer.recommend_query`)."""
    context = last.context_tokens
    return bool(prompt_tokens and context and prompt_tokens > context)


def _named_as(
    names: str, last: ParsedQuery, parsed: ParsedQuery, hardware: list[str]
) -> dict[str, str]:
    """Which of the follow-up's boxes were named by product line (`names` "named_as_line") or
    as a laptop ("named_as_laptop"): as the question before named them, unless this one names
    them again."""
    before = {h: n for h, n in getattr(last, names).items() if h not in parsed.hardware}
    named = {**before, **getattr(parsed, names)}
    return {h: named[h] for h in hardware if h in named}


def _picked(result: dict[str, Any] | None) -> dict[str, Any] | None:
    """What an answer put first: the recommended option, else (nothing in the budget) the
    cheapest that works, else the box checked."""
    if not result:
        return None
    options = [o for o in result.get("options") or [result.get("option")] if o]
    best = (result.get("picks") or {}).get("best")  # which box and how many, not its figures
    if best:
        chosen = [
            o for o in options if (o["hardware"], o["units"]) == (best["hardware"], best["units"])
        ]
        return chosen[0] if chosen else None
    first = result.get("cheapest_working") or (options[0] if options else None)
    return first if isinstance(first, dict) else None


def _pick_works(result: dict[str, Any] | None) -> bool:
    """Whether what an answer put first runs the model usably."""
    first = _picked(result)
    verdict = first.get("verdict") if first else None
    return verdict in VERDICTS and usable(verdict)


def _pick_box(result: dict[str, Any] | None) -> str | None:
    """The one box a recommendation put first (a cluster's box too), if it picked one."""
    first = _picked(result)
    return str(first["hardware"]) if first and first.get("hardware") else None


def _pick_setup(result: dict[str, Any] | None) -> tuple[str, int, str] | None:
    """The box, count and format of what an answer put first."""
    first = _picked(result)
    if not first or not first.get("hardware") or not first.get("quant"):
        return None
    return str(first["hardware"]), int(first["units"]), str(first["quant"])


def _as_before(
    catalog: Catalog,
    before: tuple[str, int, str] | None,
    asked: ParsedQuery,
    count: int | None,
    result: AskResult,
) -> str:
    """ "换成 4 位呢？" when the answer before was at 4 bits already, "what about two?" when it
    was two: say so, rather than give the same answer again as if it were new."""
    # "4 or 8?" (formats weighed) asks for no one of them
    only_format = asked.quant is not None and not (
        asked.model or asked.hardware or asked.formats_weighed
    )
    if not (result.query.follow_up and before) or before != _pick_setup(result.result):
        return ""
    picked = _picked(result.result) or {}
    if only_format:
        bits = picked.get("nominal_bits")
        return paragraph(
            render(result.query.language, "same_setup.md.j2", quant=before[2], bits=bits)
        )
    said_else = asked.model or asked.hardware or asked.quant or asked.context_tokens
    if count == before[1] > 1 and not (
        said_else or asked.budget or asked.prompt_tokens or asked.concurrency
    ):
        # "what about two of them?" when the pick was two cards already
        lang = result.query.language
        name = plain(counted_name(catalog.hardware.get(before[0]), before[1], lang))
        return paragraph(render(lang, "same_count.md.j2", name=name))
    return ""


def _pick_price(result: dict[str, Any] | None) -> tuple[float, str] | None:
    """The price of what an answer put first, and its currency, if it runs the model."""
    first = _picked(result)
    if not first or not first.get("price") or first.get("decode_tok_s") is None:
        return None
    return float(first["price"]), str(first["currency"])


# what a follow-up after "cheaper?" changes that makes it a new need, not a cheaper variant
_NEW_NEED = frozenset(
    {"concurrency", "context_tokens", "prompt_tokens", "budget", "hardware", "units", "min_tok_s"}
)


def _same_need(before: ParsedQuery, now: ParsedQuery) -> bool:
    """Whether two questions ask the same model to do the same work."""
    fields = ("model", "context_tokens", "prompt_tokens", "concurrency", "max_ttft_s", "min_tok_s")
    return all(getattr(before, f) == getattr(now, f) for f in fields)


def _cheaper(last: ParsedQuery, priced: tuple[float, str], language: Language) -> ParsedQuery:
    """ "cheaper?": what to buy for the same model and use, for less than the last pick."""
    price, currency = priced
    budget = math.floor(price) - 1
    carried = _carried(last, ("model", *_CARRIED_SLOTS), ("budget",))
    carried["budget"] = f"{budget:,} {currency} (under the last pick's price)"
    said = last.budget if last.currency == currency else None
    if said is not None and said < budget:  # the last pick went over what was said ("two?")
        budget = math.floor(said)
        carried["budget"] = f"{budget:,} {currency} (the budget said; the last pick cost more)"
    return last.model_copy(
        update={
            "intent": "recommend",
            "hardware": [],
            "named_as_line": {},
            "named_as_laptop": {},
            "budget": float(budget),
            # a count said of a box named ("a Mac Studio") is no cap on what to buy instead
            "units": last.units if last.intent == "recommend" else None,
            "budget_said": last.budget if last.cheaper_than is None else last.budget_said,
            "cheaper_than": price,
            "currency": currency,
            "language": language,
            # what the last question asked first (a month's electricity, the memory needed)
            # is not what "cheaper?" asks
            "asks_monthly": False,
            "asks_memory": False,
            "follow_up": True,
            "clarify": None,
            "assumed": carried,
        }
    )


def _carried(last: ParsedQuery, slots: tuple[str, ...], changed: Any) -> dict[str, str]:
    """What a follow-up keeps from the question before, for `assumed`."""
    return {
        slot: f"{_said(getattr(last, slot))} (from the question before)"
        for slot in slots
        if slot not in changed and getattr(last, slot) not in (None, [])
    }


def _in_currency(last: ParsedQuery, currency: Currency) -> dict[str, Any]:
    """The last question's budget in another currency; after "cheaper?" the pick's price it
    stands under too (the budget rounded down, so the pick is not let back in by a cent), and
    the budget said before it, which a new need goes back to."""
    assert last.budget is not None and last.currency is not None
    budget = exchanged(last.budget, last.currency, currency)
    if last.cheaper_than is None:
        return {"budget": round(budget)}
    said = last.budget_said
    return {
        "budget": math.floor(budget),
        "cheaper_than": exchanged(last.cheaper_than, last.currency, currency),
        "budget_said": None if said is None else round(exchanged(said, last.currency, currency)),
    }


def _side_named(
    catalog: Catalog, last: ParsedQuery, parsed: ParsedQuery, joins: bool
) -> str | None:
    """The side of the last comparison a follow-up names alone ("what about the Mac?", "那 Mac
    呢，单独看"), by its id or by a line it belongs to; None when it names another box or asks to
    compare ("和 spark 比呢")."""
    if last.intent != "compare" or len(parsed.hardware) != 1 or joins or parsed.counts_weighed:
        return None
    named = parsed.hardware[0]
    if named in last.hardware:
        return named
    written = parsed.named_as_line.get(named)
    if written is None:
        return None
    sides = [h for h in last.hardware if _of_line(catalog, written, h)]
    return sides[0] if len(sides) == 1 else None


_ARTICLES = ("the", "a", "an", "my", "our", "that")
_ARTICLE = re.compile(rf"^(?:{'|'.join(_ARTICLES)})\s+", re.IGNORECASE)


def _of_line(catalog: Catalog, written: str, hardware_id: str) -> bool:
    """Whether a product line as written ("the Mac", "Mac Studio") names this box: each of its
    words is in one of the box's names."""
    words = set(normalize(written).split()) - set(_ARTICLES)
    return words <= set(normalize(" ".join(names_of(catalog.hardware.get(hardware_id)))).split())


_ONE_SAID = re.compile(r"一台|一张|单台|单张|单卡|\ba single\b|\b(?:just|only) one\b")
# "一台 512G 的呢", "the 128GB one?": a memory size said alone, of the box before
_SIZE_ALONE = re.compile(r"(?<![\w.])(\d{2,4})\s*g(?:b)?\b")


def _resized(catalog: Catalog, boxes: list[str], parsed: ParsedQuery, text: str) -> str | None:
    """The variant of the box before (the one asked about or picked) with the memory a
    follow-up names alone; None when it names a box, no size, or one the box does not come in."""
    size = _SIZE_ALONE.search(text)
    if parsed.hardware or not boxes or size is None:
        return None
    memory = int(size.group(1))
    if len(boxes) > 1:  # "the 256GB one?" after Spark vs M3 Ultra 256GB: that side
        sides = [h for h in boxes if round(catalog.hardware.get(h).memory_gb) == memory]
        return sides[0] if len(sides) == 1 else None
    box = catalog.hardware.get(boxes[0])
    cores = re.search(r"-\d{2}c-", box.id)
    product = "-".join(box.id.split("-")[:2])  # "mac-studio": another chip of the product
    variants = sized_variants(catalog, box, memory) or [
        h
        for h in catalog.hardware
        if h.id.startswith(product) and h.kind == box.kind and round(h.memory_gb) == memory
    ]
    same_chip = [h for h in variants if cores and cores.group(0) in h.id]
    found = same_chip or variants
    return found[0].id if found and found[0].id != box.id else None


def _carries_on(query: ParsedQuery) -> bool:
    """Whether an out-of-scope question names what the next may ask about: a model trained or
    meant for a phone, a box a closed model was asked of."""
    scope = query.out_of_scope
    return bool(
        (scope in ("training", "device") and query.model)
        or (scope == "closed_model" and query.hardware)
    )


def _follows_nothing(parsed: ParsedQuery, question: str) -> bool:
    """A follow-up with no question before it ("what about two?", "cheaper?", "那两台呢？"):
    it names nothing to answer about."""
    if parsed.intent != "help" or parsed.out_of_scope or parsed.other_language:
        return False
    if parsed.model or parsed.hardware or parsed.generic or parsed.clarify:
        return False
    text = normalize(question)
    said = (_FOLLOW_UP, _CHEAPER, _COMPARING)
    return bare_count(text) is not None or any(p.search(text) for p in said)


def _counts_carried(last: ParsedQuery, changes: dict[str, Any]) -> list[int]:
    """The counts a follow-up weighs: those it says, else those of a comparison of one box at
    two counts it goes on with ("and at 32k context?"); none once it names other boxes."""
    if "counts_weighed" in changes:
        return list(changes["counts_weighed"])
    same = changes.get("hardware", last.hardware) == last.hardware
    goes_on = changes.get("intent") == "compare" and same and "units" not in changes
    return last.counts_weighed if goes_on else []


def _said(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _changed_slots(last: ParsedQuery, parsed: ParsedQuery, text: str) -> dict[str, Any]:
    """The slots a follow-up states anew: the rest are carried from the last question."""
    changes: dict[str, Any] = {
        slot: getattr(parsed, slot) for slot in _CARRIED_SLOTS if getattr(parsed, slot) is not None
    }
    if "prompt_tokens" in changes:
        changes["prompt_said"] = parsed.prompt_said  # the new prompt, as it was said
    if "quant" in changes:
        changes["quant_as_named"] = parsed.quant_as_named  # "8-bit then?" after "Q4_K_M"
        changes["formats_weighed"] = parsed.formats_weighed  # "Q4 or Q8?": both, not the last
    if parsed.hardware:
        changes["hardware"] = _swapped(last.hardware, parsed.hardware, text) or parsed.hardware
        said_one = all(parsed.units_by_hardware.get(h) == 1 for h in parsed.hardware)
        if parsed.units is None and said_one and (last.units or 1) > 1 and not bare_count(text):
            changes["units"] = 1  # "what about a DGX Spark?" after "three 3090s": one
    if parsed.unit_prices:
        changes["unit_prices"] = parsed.unit_prices  # "what if I can get a Spark for $3500?"
    several = {h: n for h, n in parsed.units_by_hardware.items() if n > 1}
    if parsed.hardware and several:  # "two DGX Sparks" ("再加一个 M4 Max" adds a side, any count)
        changes["units_by_hardware"] = several
    return changes


# a length and nothing else: "64k 呢", "如果是 128k 呢？", "and with 64k?", "what about 128k?"
_BARE_LENGTH = re.compile(
    r"^(?:(?:and|what about|how about|with|at|if it'?s|then|or)\s+)*(\d+(?:\.\d+)?)\s*([km])"
    r"(?:\s*tokens?)?\s*(?:then|instead)?\s*[?？!.。]*$"
    r"|^(?:那|那么|如果是?|要是|换成|改成|那如果是?)?\s*(\d+(?:\.\d+)?)\s*([km])\s*(?:tokens?)?"
    r"\s*(?:的话)?\s*(?:呢|怎么样|如何)?\s*[?？!！。]*$"
)


def _bare_length(text: str) -> int | None:
    """The tokens a follow-up says alone, with no word for what they are the length of."""
    found = _BARE_LENGTH.match(text)
    if found is None:
        return None
    number, scale = (found.group(1), found.group(2)) if found.group(1) else found.group(3, 4)
    return scaled_tokens(float(number), scale)


# "the M5 Max instead of the Strix Halo?", "用 M3 Ultra 替代 DGX Spark", "把 Strix 换成 M5 Max"
_SWAPPING = re.compile(
    r"\binstead of\b|\bin place of\b|\breplac(?:e|ing)\b|替代|代替|取代|换掉|换成"
)


def _swapped(had: list[str], named: list[str], text: str) -> list[str] | None:
    """The boxes of the question before with one swapped for another, when a follow-up names
    one of them and a new one to take its place; None otherwise."""
    if len(named) != 2 or not _SWAPPING.search(text):
        return None
    old = [h for h in named if h in had]
    new = [h for h in named if h not in had]
    if len(old) != 1 or len(new) != 1:
        return None
    return [new[0] if h == old[0] else h for h in had]


# "why not the others?", "为什么不选其他的？" / "why this one?", "为什么选它？": of the last answer
_WHY_NOT_OTHERS = re.compile(
    r"\bwhy not (?:the |any of the )?others?\b|\bwhy not (?:something|anything) else\b"
    r"|\bwhat about the others\b"
    r"|为(?:什么|啥)不(?:选|买|推荐)?(?:其他|其它|别)的|其他的(?:为什么|为啥)不行"
)
_WHY_THIS = re.compile(
    r"^(?:but |and |so )?why (?:this|that|it)(?: one| box)?\s*[?？]?$|\bwhy did you (?:pick|choose)"
    r"|\bwhy (?:is|was) (?:it|this|that) (?:the )?(?:best|pick|picked|chosen)"
    r"|为(?:什么|啥)(?:选|推荐|挑)(?:它|这个|这台|这款|这张)|凭什么选"
    # "为什么是这个结论？", "why that verdict?": the reasons the last answer gave
    r"|为(?:什么|啥)(?:是|得出)?(?:这个|这样的?)结论|为什么这么说|怎么得出(?:的|这个)"
    r"|\bwhy (?:this|that|the) (?:verdict|conclusion|rating)\b|\bwhy do you say (?:so|that)\b"
    # "why?", "explain", "为什么？", "为什么这么慢": had been answered with the help text
    r"|^(?:but |and |so |ok,? )?(?:why|how come|explain(?: (?:that|this|it|why))?|why so \w+"
    r"|why is (?:it|that|this) so \w+|why (?:can'?t|won'?t|doesn'?t) it(?: \w+)?)\s*[?？!.。]*$"
    r"|^(?:那|那么)?(?:为什么|为啥|为何|怎么回事|何以见得|解释一下|解释下|能解释一下吗)(?:呢|啊|呀)?\s*[?？!！。]*$"
    r"|^(?:那|那么)?为(?:什么|啥|何)(?:这么|那么|会这么|会)(?:慢|快|贵|便宜|卡)"
    r"|^(?:那|那么)?为(?:什么|啥|何)(?:会)?(?:装不下|跑不了|跑不动|不行|不能用|不可用|只能)"
)
# after a comparison, "so which should I buy?", "哪个更值得买？": its winners, not a new question
_WHICH_TO_BUY = re.compile(
    rf"{_WHICH_ONE_TO_BUY}|\bwhich (?:one )?(?:should|would|do) (?:i|we) (?:pick|choose|go with)\b"
    r"|\bwhich (?:one )?is (?:better|the better buy|worth it)\b|\bwhich wins\b"
    r"|哪(?:个|台)(?:更)?(?:划算|好|合适)|选哪(?:个|台)"
)
# the sections of an answer each asks for, by how their first line starts, in either language
_WHY_SECTIONS = {
    "others": ("**Why not the others**", "**为什么不选其他的**"),
    "this": ("**Why**", "**原因**"),
    "which": ("**Winners**", "**各场景谁胜出**", "**Price against speed:**", "**价格和速度：**"),
}
_WHY_SECTIONS["side"] = _WHY_SECTIONS["this"] + _WHY_SECTIONS["which"]  # why a side lost


def _why_asked(last: ParsedQuery | None, parsed: ParsedQuery, question: str) -> str | None:
    """ "others", "this" or "which" when a question asks why the last answer chose what it did
    ("why not the others?", "为什么选它？"), or which of a comparison's sides to buy."""
    if last is None or last.intent not in ("recommend", "can_run", "compare") or last.clarify:
        return None
    if parsed.model or parsed.hardware or parsed.generic:
        return None  # "为什么不选 DGX Spark？" names a box: a question of its own
    text = normalize(question)
    compared = last.intent == "compare"
    if compared and _WHICH_TO_BUY.search(text):
        return "which"
    if _WHY_NOT_OTHERS.search(text) and last.intent != "can_run":
        return "this" if compared else "others"  # a comparison's "others" are its sides
    return "this" if _WHY_THIS.search(text) else None


_WHY_NOT = re.compile(r"\bwhy not\b|为(?:什么|啥)不(?:选|买|推荐|用)?")


def _why_not_a_side(
    catalog: Catalog, last: ParsedQuery | None, parsed: ParsedQuery, question: str
) -> bool:
    """ "why not the Mac?" after a comparison with a Mac in it: asked of that side, whose
    reasons the comparison gave, not a box to add beside it."""
    if last is None or parsed.model or not _WHY_NOT.search(normalize(question)):
        return False
    return _side_named(catalog, last, parsed, False) is not None


def _why_of(result: AskResult, why: str) -> AskResult:
    """The last answer's headline and the sections that say why; all of it if it has none."""
    blocks = result.answer.split("\n\n")
    sections = [b.rstrip() for b in blocks if b.startswith(_WHY_SECTIONS[why])]
    headline = next((b for b in blocks if b.startswith("**")), None)  # past a note on the prompt
    if not sections or headline is None:
        return result
    return result.model_copy(update={"answer": "\n\n".join([headline, *sections]) + "\n"})


_ADD_MORE = re.compile(
    r"\badd(?:ed|ing)?\s+(one|two|three|another|a third|a second|\d)(?:\s+more)?\b"
    r"|\b(one|two|three|\d)\s+more\b|再加\s*([一两二三1-3])\s*(?:台|张|块)"
)


def _added_units(text: str) -> int:
    """How many more units a follow-up adds: "add one more", "two more?", "再加一台呢"; 0."""
    match = _ADD_MORE.search(text)
    if match is None:
        return 0
    word = next(group for group in match.groups() if group)
    return 1 if word in ("another", "a second", "a third") else number_word(word)


def _ranks_every_box(intent: str, parsed: ParsedQuery, text: str) -> bool:
    """ "What should I buy instead?", or "cheapest?" / "fastest?" after "can X run it?": a box
    to buy, of all of them."""
    if intent == "can_run" and parsed.prefer and not parsed.hardware:
        return True
    return intent in ("can_run", "capacity") and _BUY_INSTEAD.search(text) is not None


def _boxes_named(
    catalog: Catalog, last: ParsedQuery, parsed: ParsedQuery, hardware: list[str]
) -> dict[str, Any]:
    """What goes with the boxes a follow-up is about: how each was named, which the asker has
    and how many (the box of an upgrade question too), the setup asked for new ones."""
    found: dict[str, Any] = {
        names: _named_as(names, last, parsed, hardware)
        for names in ("named_as_line", "named_as_laptop")
    }
    had = {last.have: last.have_units or 1} if last.intent == "upgrade" and last.have else {}
    counts = had | last.owned_units | parsed.owned_units
    owned = dict.fromkeys([*last.owned, *had, *parsed.owned])
    found["owned"] = [h for h in owned if h in hardware]
    found["owned_units"] = {h: counts.get(h, 1) for h in found["owned"]}
    return found | _setup_for_new_boxes(catalog, last, parsed, hardware)


# "what if I had two?", "要是我有两张呢": a count of what the asker owns
_OWNING = re.compile(r"\b(?:had|have|owned|own)\b|有")


def _follow_up_intent(
    last: ParsedQuery, changes: dict[str, Any], beside: list[str], text: str
) -> str:
    """What a follow-up asks, given what it changes: a box named after a recommendation asks
    about that box; two boxes ask for a comparison, as does one set `beside` the last ("和
    spark 比呢"); a new budget asks what to buy."""
    intent = last.intent
    if intent == "upgrade":
        if "units" in changes and last.have and not _OWNING.search(text):
            changes["hardware"] = [last.have]  # "what about three of them?": that many in all
            return "can_run"
        if "units" in changes:
            changes["have_units"] = changes.pop("units")
        return intent
    if intent == "capacity" and changes.get("model"):
        intent = "can_run"  # "can it run gpt-oss-120b?" after "what fits on a Spark?"
    if "hardware" in changes:
        hardware = changes["hardware"]
        if beside and len(hardware) == 1 and hardware[0] not in beside:
            changes["hardware"] = [*beside, *hardware]
            if "units_by_hardware" in changes:  # "compare that with two DGX Sparks": two of
                # those beside the box before as it was, not two of it too
                kept = {b: last.units_by_hardware.get(b) or last.units or 1 for b in beside}
                changes["units_by_hardware"] = {**kept, **changes["units_by_hardware"]}
            intent = "compare"
        elif last.intent == "compare" and len(hardware) == 1:
            changes["hardware"] = list(dict.fromkeys([*last.hardware, *hardware]))
        elif last.intent == "recommend" and len(hardware) == 1:
            intent = "can_run"
        elif len(hardware) >= 2:
            intent = "compare"
    if intent == "can_run" and "budget" in changes and "hardware" not in changes:
        intent = "recommend"
        changes["hardware"] = []
    return intent


def _unknown_model(query: ParsedQuery) -> bool:
    """A question about a model the catalog does not know (by repo id or by name)."""
    clarify = query.clarify
    return (
        clarify is not None
        and clarify.slot == "model"
        and clarify.unknown is not None
        # a repo id is read as named; a plain name near a catalog one is a typo to ask about
        and (clarify.hub_repo is not None or not clarify.choices)
    )


def _outside_facts(
    advisor: Advisor, question: str, lang: Language | None
) -> tuple[Advisor, ParsedQuery, str]:
    """The question parsed after what it needs from outside the catalog: a model read from the
    Hub (when allowed) and this machine's box; with the notes that say so."""
    parsed = parse(advisor.catalog, question)
    notes = []
    if advisor.settings.online and parsed.clarify and _unknown_model(parsed):
        from advisor.ask.hub_turn import read_from_hub

        advisor, note = read_from_hub(advisor, parsed.clarify, lang or parsed.language)
        parsed = parse(advisor.catalog, question)
        notes.append(note)
    if parsed.this_machine and not parsed.hardware:
        from advisor.ask.this_machine import with_this_machine

        advisor, parsed, note = with_this_machine(advisor, parsed, lang or parsed.language)
        notes.append(note)
    return advisor, parsed, "".join(note + "\n" for note in notes)
