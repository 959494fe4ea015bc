"""`advisor ask`: questions as people type them, follow-ups, clarifications and odd input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.ask.answer import answer
from advisor.ask.parse import parse
from advisor.ask.session import Session
from advisor.catalog import load_catalog
from advisor.context import Advisor
from tests.helpers import shipped_advisor

from .conftest import RunCli

CATALOG = load_catalog()
ADVISOR = shipped_advisor(CATALOG)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "我想本地跑满血 DeepSeek R1，预算 8 万，买什么？",
            {
                "intent": "recommend",
                "model": "deepseek-r1",
                "quant": "native",
                "budget": 80000,
                "currency": "CNY",
                "language": "zh",
            },
        ),
        (
            "Can a DGX Spark run Llama 3.3 70B?",
            {
                "intent": "can_run",
                "model": "llama-3.3-70b",
                "hardware": ["dgx-spark"],
                "language": "en",
            },
        ),
        (
            "mac studio 512g vs dgx spark for qwen3 235b, 32k context",
            {
                "intent": "compare",
                "model": "qwen3-235b-a22b",
                "context_tokens": 32768,
                "hardware": ["mac-studio-m3-ultra-80c-512gb", "dgx-spark"],
            },
        ),
        (
            "两台 Spark 能跑多大的模型",
            {"intent": "capacity", "units": 2, "hardware": ["dgx-spark"], "language": "zh"},
        ),
        (
            "gpt oss 120 on strix halo, at least 20 tok/s",
            {"model": "gpt-oss-120b", "hardware": ["ryzen-ai-max-395-128gb"], "min_tok_s": 20},
        ),
        ("预算3w 元 跑 ds r1 4bit", {"budget": 30000, "currency": "CNY", "quant": "q4_k_m"}),
        (
            "a 200B MoE with 20B active, budget $5k",
            {"intent": "recommend", "model": None, "budget": 5000, "currency": "USD"},
        ),
        ("deepsek r1 on a mac studio", {"model": "deepseek-r1"}),
        ("128k 上下文 跑千问3 30b", {"context_tokens": 131072, "model": "qwen3-30b-a3b"}),
        ("每秒 10 个 token 以上，跑 llama3 70b", {"min_tok_s": 10, "model": "llama-3.3-70b"}),
        ("what is bandwidth-bound?", {"intent": "explain", "term": "bandwidth_bound"}),
        ("what models do you support", {"intent": "list"}),
    ],
)
def test_questions_parse_into_their_slots(question: str, expected: dict[str, object]) -> None:
    parsed = parse(CATALOG, question).model_dump()
    for slot, value in expected.items():
        assert parsed[slot] == value, (slot, parsed[slot])


def test_a_bare_size_is_answered_with_the_nearest_model_and_says_so() -> None:
    result = answer(ADVISOR, parse(CATALOG, "a 200B MoE with 20B active, budget $5k"))
    assert result.query.generic is not None and result.query.generic.active_b == 20
    assert "stands in for it" in result.answer
    assert "model" in result.query.assumed


def test_follow_ups_change_one_slot_at_a_time() -> None:
    session = Session()
    first = session.ask(ADVISOR, "Can a DGX Spark run Llama 3.3 70B?")
    assert first.query.intent == "can_run"
    mac = session.ask(ADVISOR, "and the Mac?")
    # "the Mac" names no chip: the cheapest Mac on sale that holds a 70B at 4 bits, said in the
    # answer (it was the M3 Ultra 96GB at $3,672; an M5 Max 48GB at $3,099 holds it as IQ4_XS)
    assert mac.query.hardware == ["mac-studio-m5-max-48gb"] and mac.query.follow_up
    assert "the cheapest that runs Llama 3.3 70B usably" in mac.answer
    assert mac.query.model == "llama-3.3-70b"
    pair = session.ask(ADVISOR, "那两台呢？")
    assert pair.query.units == 2 and pair.query.model == "llama-3.3-70b"
    assert pair.query.language == "zh" and "2 台" in pair.answer
    eight = session.ask(ADVISOR, "用 8-bit 呢")
    assert eight.query.quant == "q8_0" and eight.query.units == 2
    longer = session.ask(ADVISOR, "what about 32k context?")
    assert longer.query.context_tokens == 32768 and longer.query.quant == "q8_0"
    budget = session.ask(ADVISOR, "budget is 5000 now")
    assert budget.query.intent == "recommend" and budget.query.budget == 5000
    assert budget.answer.startswith(
        ("**Buy:", "**Best setup:", "**The best there is:", "**Nothing in a budget of $5,000")
    )


def test_a_follow_up_adds_a_box_to_a_comparison() -> None:
    session = Session()
    session.ask(ADVISOR, "mac studio 512g vs dgx spark for qwen3 235b")
    more = session.ask(ADVISOR, "what about the strix halo?")
    assert more.query.intent == "compare"
    assert more.query.hardware[-1] == "ryzen-ai-max-395-128gb" and len(more.query.hardware) == 3


def test_a_new_model_starts_a_new_question() -> None:
    session = Session()
    session.ask(ADVISOR, "Can a DGX Spark run Llama 3.3 70B?")
    fresh = session.ask(ADVISOR, "which box for qwen3 32b?")
    assert fresh.query.model == "qwen3-32b" and not fresh.query.follow_up


def test_an_ambiguous_model_gets_one_short_question_with_choices() -> None:
    result = answer(ADVISOR, parse(CATALOG, "what should I buy to run qwen"))
    assert result.query.clarify is not None
    assert "Which model do you mean" in result.answer and "Qwen3-32B" in result.answer
    zh = answer(ADVISOR, parse(CATALOG, "跑千问买什么"))
    assert "你指的是哪个模型" in zh.answer


@pytest.mark.parametrize(
    "question", ["今天天气怎么样", "write me a poem about cats", "你好", "what can you do?"]
)
def test_off_topic_gets_what_the_advisor_does_and_two_examples(question: str) -> None:
    result = answer(ADVISOR, parse(CATALOG, question))
    assert result.query.intent == "help"
    assert result.answer.count("\n- ") == 2


@pytest.mark.parametrize(
    "question",
    [
        "Какой компьютер купить для нейросети?",
        "Quelle machine pour Llama 3?",
        "Qual computador comprar para rodar Llama 3?",
        "Welche Hardware brauche ich für Llama 3.3 70B?",
        # answered in English before: one foreign word or mark was not enough
        "¿Puede un DGX Spark ejecutar Llama 3.3 70B?",
        "Est-ce qu'un DGX Spark peut faire tourner Llama 3.3 70B ?",
    ],
)
def test_a_third_language_gets_a_clear_message(question: str) -> None:
    result = answer(ADVISOR, parse(CATALOG, question))
    assert "Chinese or English" in result.answer
    assert result.error is not None and result.error.code == "other_language"


def test_an_english_word_shared_with_french_is_still_english() -> None:
    result = answer(ADVISOR, parse(CATALOG, "Can I pour money into 2 RTX 5090 for Qwen3 32B?"))
    assert result.error is None and "tok/s" in result.answer


def test_answers_follow_the_question_language_unless_set() -> None:
    zh = answer(ADVISOR, parse(CATALOG, "单台 DGX Spark 能跑 Llama 3.3 70B 吗？"))
    assert "tok/s" in zh.answer and "生成速度" in zh.answer
    en = answer(ADVISOR, parse(CATALOG, "单台 DGX Spark 能跑 Llama 3.3 70B 吗？"), "en")
    assert "Decode" in en.answer


def test_ask_json_holds_the_parse_the_result_and_the_answer(run_cli: RunCli) -> None:
    out = run_cli("ask", "mac studio 512g 跑 ds r1 能到多少 token", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    query = data["query"]
    for key in (
        "intent",
        "model",
        "quant",
        "context_tokens",
        "budget",
        "currency",
        "units",
        "hardware",
        "min_tok_s",
        "language",
        "assumed",
    ):
        assert key in query
    assert query["model"] == "deepseek-r1" and query["language"] == "zh"
    assert data["answer"] and data["result"]["verdict"]


def test_ask_reads_the_question_from_stdin(run_cli: RunCli) -> None:
    out = run_cli("ask", stdin="Can a DGX Spark run Llama 3.3 70B?\n")
    assert out.returncode == 0 and "Llama 3.3 70B" in out.stdout


def test_an_empty_question_is_a_clear_error(run_cli: RunCli) -> None:
    out = run_cli("ask", stdin="")
    assert out.returncode == 2 and "ask a question" in out.stderr


def test_a_session_file_carries_follow_ups_between_calls(run_cli: RunCli, tmp_path: Path) -> None:
    session = str(tmp_path / "chat.json")
    run_cli("ask", "--session", session, "Can a DGX Spark run Llama 3.3 70B?")
    out = run_cli("ask", "--session", session, "--json", "那两台呢？")
    assert json.loads(out.stdout)["query"]["units"] == 2


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_gets_an_answer_never_a_traceback(text: str) -> None:
    result = answer(ADVISOR, parse(CATALOG, text))
    assert result.answer.strip()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "deepseek",
                "r1",
                "4bit",
                "两台",
                "spark",
                "预算",
                "3w",
                "vs",
                "mac",
                "128k",
                "上下文",
                "$5000",
                "at least",
                "20 tok/s",
                "70b",
                "what",
                "满血",
                "?",
                "呢",
                "and",
                "qwen3",
                "x2",
            ]
        ),
        max_size=12,
    )
)
def test_jumbled_domain_words_never_break_the_parser(words: list[str]) -> None:
    result = answer(ADVISOR, parse(CATALOG, " ".join(words)))
    assert result.answer.strip()


@pytest.mark.parametrize(
    "question",
    [
        "DGX Sparkで70Bモデルは動きますか？",
        "¿Puedo ejecutar llama 70b en un mac studio? ¿Cuánto cuesta?",
    ],
)
def test_japanese_and_spanish_get_the_language_message(question: str) -> None:
    assert "Chinese or English" in answer(ADVISOR, parse(CATALOG, question)).answer


def test_comparing_a_box_with_itself_is_refused(run_cli: RunCli) -> None:
    out = run_cli("compare", "dgx-spark", "spark", "-m", "llama-3.1-8b")
    assert out.returncode == 2 and "two different boxes" in out.stderr


@pytest.mark.parametrize(
    ("question", "slot", "expected"),
    [
        ("Does a 128GB Mac run GLM 4.6?", "hardware", ["mac-studio-m5-max-128gb"]),
        (
            "DGX Spark 和 Mac Studio M3 Ultra 96G 跑 qwen3 32b 哪个好",
            "hardware",
            ["dgx-spark", "mac-studio-m3-ultra-80c-96gb"],
        ),
        ("strix halo 64g 跑 qwen3 30b", "hardware", ["ryzen-ai-max-395-64gb"]),
        ("预算一万五跑qwen3 32b", "budget", 15000),
        ("预算2万5，跑 llama 3.3 70b，买什么", "budget", 25000),
        ("2w5 预算 跑 qwen3 32b", "budget", 25000),
        # the w of "with" / "wanting" is not 万 (it read $3,000 as 30 million)
        ("Which box for Llama 3.3 70B under $3000 with at least 20 tok/s?", "budget", 3000),
        ("budget 6000 wanting qwen3 32b", "currency", "USD"),
        ("budget 30000 yuan for qwen3 32b", "currency", "CNY"),
        ("Llama 3.3 70B for $4000 which box?", "budget", 4000),
        # lengths in words or with spaces were dropped for the 8k default
        ("Qwen3 32B on 4090, documents of 50 000 tokens", "prompt_tokens", 50000),
        ("Llama 3.3 70B on M3 Ultra 256GB, 100 thousand token prompts", "prompt_tokens", 100000),
        ("Qwen3 32B on a Spark with a 1 million token context", "context_tokens", 1_000_000),
        # a count glued to the card's number ("rtx5090x2" was no box at all)
        ("rtx5090x2 for deepseek r1 distill 70b", "units", 2),
        # the distill named without its base family is still said to be the distill
        ("rtx5090x2 for deepseek r1 distill 70b", "model_variant", "DeepSeek-R1-Distill-Llama-70B"),
        ("2x3090 for llama 3.3 70b", "hardware", ["rtx-3090"]),
        # what is had is the money, not the Spark asked about
        ("I have $5000 would a Spark work for Qwen3 32B?", "have", None),
        ("I have $2,000 and a 3090, what should I add for Llama 3.3 70B?", "have", "rtx-3090"),
        ("best box to serve llama 3.3 70b to 20 concurrent users", "concurrency", 20),
        ("我想给团队 10 个人用，跑 glm 4.5 air", "concurrency", 10),
        ("deepseek 14b on a 4090", "model", "qwen2.5-14b"),
        ("can i run deepseek on 2 sparks at 1.58 bit", "quant", None),
    ],
)
def test_wordings_buyers_use(question: str, slot: str, expected: object) -> None:
    assert getattr(parse(CATALOG, question), slot) == expected


@pytest.mark.parametrize("question", ["rtx 2060 12gb llama 8b", "deepseek 14b on a 2060"])
def test_an_unknown_box_is_named_back_not_swapped(question: str) -> None:
    result = answer(ADVISOR, parse(CATALOG, question))
    assert "I have no figures for" in result.answer and "2060" in result.answer
    assert "Buy:" not in result.answer


@pytest.mark.parametrize(
    ("question", "named"),
    [
        # answered "Buy: Mac Studio M5 Ultra" and "Best setup: RTX 3090 Ti" without a word of
        # the box asked about; "910B" was read as a model size
        ("Can a Jetson AGX Thor run Llama 3.3 70B?", "I have no figures for **jetson agx thor**"),
        (
            "Can a Radeon AI PRO R9700 run Qwen3 32B?",
            "I have no figures for **radeon ai pro r9700**",
        ),
        ("昇腾 910B 能跑满血 R1 吗", "我没有 **昇腾 910b** 的数据"),
        ("Can an Arc Pro B60 run Qwen3 8B?", "I have no figures for **arc pro b60**"),
    ],
)
def test_boxes_people_ask_about_that_the_catalog_lacks_are_named_back(
    question: str, named: str
) -> None:
    result = answer(ADVISOR, parse(CATALOG, question))
    assert result.answer.startswith(named)


def test_capacity_questions_with_on_a_are_not_unknown_models() -> None:
    for question in (
        "what's the biggest model I can run on a 5090?",
        "what can I run on an M4 Max 128GB?",
    ):
        parsed = parse(CATALOG, question)
        assert parsed.intent == "capacity" and parsed.clarify is None


@pytest.mark.parametrize(
    "question",
    ["should I get 2 3090s or a 4090 for llama 3.3 70b", "两张3090还是一张4090跑 llama 3.3 70b"],
)
def test_a_pair_against_a_single_card_keeps_each_sides_count(question: str) -> None:
    result = answer(ADVISOR, parse(CATALOG, question))
    sides = {s["hardware"]: s for s in (result.result or {})["options"]}
    assert sides["rtx-3090"]["units"] == 2 and sides["rtx-4090"]["units"] == 1
    assert sides["rtx-4090"]["verdict"] == "wont_fit"
    assert sides["rtx-3090"]["verdict"] in {"usable", "comfortable"}


def test_a_bare_count_is_a_follow_up_and_a_capacity_question_starts_fresh() -> None:
    session = Session()
    session.ask(ADVISOR, "Can a DGX Spark run Llama 3.3 70B?")
    two = session.ask(ADVISOR, "what about two?")
    assert (two.query.intent, two.query.units, two.query.model) == ("can_run", 2, "llama-3.3-70b")
    assert "2 × NVIDIA DGX Spark" in two.answer
    four = session.ask(ADVISOR, "what about 4x?")
    assert four.query.units == 4
    sized = session.ask(ADVISOR, "How big a model can two Sparks run?")
    assert sized.query.intent == "capacity" and not sized.query.follow_up
    assert "holds models up to" in sized.answer


@pytest.mark.parametrize(
    "question",
    [
        "Mac Studio vs DGX Spark for llama-3.3-70b",
        "Mac Studio 和 DGX Spark 跑 Llama 3.3 70B 哪个好？",
        "budget $6000 for qwen3-32b, what should I buy?",
        "单台 DGX Spark 能跑 Llama 3.3 70B 吗？",
    ],
)
def test_every_bullet_of_an_answer_starts_its_own_line(question: str) -> None:
    text = answer(ADVISOR, parse(CATALOG, question)).answer
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) >= 2
    for line in bullets:
        assert ".- " not in line and "。- " not in line, line


@pytest.mark.parametrize(
    ("question", "lang", "currency"),
    [
        ("budget 5000, what to buy for qwen3-32b", "zh", "CNY"),
        ("budget 5000, what to buy for qwen3-32b", "en", "USD"),
        ("预算5000 跑 qwen3-32b 买什么", "en", "USD"),
        ("budget 3w, what to buy for qwen3-32b", "en", "CNY"),
        ("预算3w 跑 qwen3-32b 买什么", "zh", "CNY"),
        ("budget $5000, what to buy for qwen3-32b", "zh", "USD"),
    ],
)
def test_a_bare_budget_is_read_in_the_answers_language(
    question: str, lang: str, currency: str
) -> None:
    """--lang zh reads "5000" as yuan; "3w"/"3万" is yuan in any language; "$" is dollars."""
    result = answer(ADVISOR, parse(CATALOG, question), lang)  # type: ignore[arg-type]
    assert result.query.currency == currency
    assert result.result is not None and result.result["options"][0]["currency"] == currency


@pytest.mark.parametrize(
    ("question", "box", "words"),
    [
        # a product line without a size: its cheapest configuration that holds the model
        (
            "Mac Studio vs DGX Spark for llama 3.3 70b",
            "mac-studio-m5-max-48gb",
            "the cheapest that runs Llama 3.3 70B usably",
        ),
        # a chip named: that chip's line
        ("M3 Ultra vs DGX Spark for llama 3.3 70b", "mac-studio-m3-ultra-60c-96gb", "M3 Ultra"),
        ("can a strix halo run qwen3 32b?", "ryzen-ai-max-395-64gb", "Strix Halo 64GB"),
        ("Strix Halo 能跑 gpt-oss-120b 吗", "ryzen-ai-max-395-128gb", "最便宜一款"),
        (
            "Mac Studio 和 DGX Spark 跑 DeepSeek R1 4位 哪个好",
            "mac-studio-m3-ultra-80c-512gb",
            "512GB",
        ),
        # a size named is that size
        ("Mac Studio 512GB vs DGX Spark for llama 3.3 70b", "mac-studio-m3-ultra-80c-512gb", None),
        ("can a strix halo 128gb run qwen3 32b?", "ryzen-ai-max-395-128gb", None),
    ],
)
def test_a_product_line_is_answered_with_its_cheapest_fitting_variant(
    question: str, box: str, words: str | None
) -> None:
    result = answer(ADVISOR, parse(CATALOG, question))
    assert result.query.hardware[0] == box
    first = result.answer.splitlines()[0]
    if words is None:
        assert "memory sizes" not in result.answer and "内存配置" not in result.answer
    else:
        assert words in first, first
        assert result.answer.splitlines()[1] == "", "the note is a paragraph of its own"


def test_a_mac_studio_named_without_a_size_is_the_smallest_that_holds_the_model() -> None:
    """ "A Mac Studio" for a 70B is the cheapest Mac Studio on sale that holds it at 4 bits, of
    any chip: an M5 Max 48GB at $3,099 (IQ4_XS), not the 512 GB M3 Ultra (nor the $3,672 M3 Ultra
    96GB it was before every chip was weighed)."""
    result = answer(ADVISOR, parse(CATALOG, "Mac Studio vs DGX Spark for llama 3.3 70b"))
    assert result.result is not None
    assert result.query.hardware[0] == "mac-studio-m5-max-48gb"
    assert result.result["winners"]["chat"] == "mac-studio-m5-max-48gb"
    assert "| availability | sold new | sold new |" in result.answer
    assert "comes in several configurations" in result.answer


@pytest.mark.parametrize(
    ("owner", "buyer", "about_buying"),
    [
        (
            "I have an RTX 4090. Can it run qwen3 32b with 32k context?",
            "Can an RTX 4090 run qwen3 32b with 32k context?",
            "check what it sells for today",
        ),
        (
            "我有一台 M2 Ultra 192GB，能跑 Qwen3 235B 吗",
            "M2 Ultra 192GB 能跑 Qwen3 235B 吗",
            "二手",
        ),
    ],
)
def test_an_owner_is_not_given_caveats_about_buying_the_box(
    owner: str, buyer: str, about_buying: str
) -> None:
    def caveats(question: str) -> str:
        text = answer(ADVISOR, parse(CATALOG, question)).answer
        return text.partition("**Caveats**")[2] or text.partition("**注意**")[2]

    assert about_buying in caveats(buyer)
    assert about_buying not in caveats(owner)


@pytest.mark.parametrize(
    ("question", "quant"),
    [
        # R1 is released in FP8: "unquantized" had asked for 1,252 GB of f16, four 512 GB Macs
        ("$60k budget, full DeepSeek R1 unquantized, what to buy?", "native"),
        ("预算 40 万，不量化跑 DeepSeek R1，买什么？", "native"),
        ("gemma 3 27b 不量化", "f16"),  # released in bf16: the same size either way
    ],
)
def test_unquantized_is_the_weights_as_released(question: str, quant: str) -> None:
    assert parse(CATALOG, question).quant == quant


def test_what_a_box_costs_is_said_with_what_it_holds() -> None:
    # "How much does a DGX Spark cost?" was answered with the models it holds and no price
    catalog_price = CATALOG.hardware.get("dgx-spark").street_price_usd
    en = answer(ADVISOR, parse(CATALOG, "How much does a DGX Spark cost?")).answer
    assert f"Price: ${catalog_price:,.0f} (street price as of" in en.splitlines()[1]
    zh = answer(ADVISOR, parse(CATALOG, "Mac Studio M3 Ultra 多少钱")).answer
    assert zh.splitlines()[1].startswith("价格：") and "万元" in zh.splitlines()[1]


@pytest.mark.parametrize(
    ("question", "units", "counts"),
    [
        # a box named again: the count said first stands
        ("2 3090s or a 4090 for llama 3.3 70b? A 3090 costs $700 used", 2, {"rtx-3090": 2}),
        ("Is one DGX Spark enough for Llama 3.3 70B, or do I need 2 DGX Sparks?", 1, {}),
        ("I have an RTX 3090 Ti. Can 2 3090 Tis run Llama 3.3 70B?", 2, {"rtx-3090-ti": 2}),
    ],
)
def test_a_box_named_twice_keeps_its_first_count(
    question: str, units: int, counts: dict[str, int]
) -> None:
    parsed = parse(CATALOG, question)
    assert all(parsed.units_by_hardware[h] == n for h, n in counts.items())
    assert parsed.units == units


def test_unquantized_carried_to_a_model_released_in_fp8_is_its_own_weights() -> None:
    session = Session()
    session.ask(ADVISOR, "Gemma 3 27B unquantized, what should I buy under $10000?")
    follow = session.ask(ADVISOR, "what about DeepSeek R1?")
    assert follow.query.quant == "native" and "1,252 GB" not in follow.answer


def test_what_to_buy_instead_after_a_can_run_weighs_every_box() -> None:
    # the question stayed on the Spark: "proof of concept only" again, budget and wish ignored
    session = Session()
    session.ask(ADVISOR, "Can a DGX Spark run Llama 3.3 70B?")
    follow = session.ask(
        ADVISOR, "I need it to run smoothly though. What should I buy instead, under $6000?"
    )
    assert follow.query.intent == "recommend" and follow.query.hardware == []
    assert follow.query.min_verdict == "comfortable" and follow.query.budget == 6000
    assert "comfortable" in follow.answer.splitlines()[0]


def test_a_chip_and_its_line_side_by_side_are_one_name() -> None:
    # "M3 Ultra Mac Studios" was two names of one box, the second ("Mac Studio") read as the
    # whole line: the answer said "Mac Studio" comes in several configurations
    result = answer(ADVISOR, parse(CATALOG, "Can 2 M3 Ultra Mac Studios run Kimi K2?"))
    assert result.query.units == 2
    assert result.answer.startswith('*"M3 Ultra Mac Studio" comes in several configurations')


@pytest.mark.parametrize(
    "question",
    [
        "budget €5000, what should I buy for qwen3 32b?",
        "预算 5000 欧元，跑 qwen3 32b 买什么",
        "which box for qwen3 32b under 5000 euros",
    ],
)
def test_a_euro_budget_is_answered_in_euros_at_a_named_dated_rate(question: str) -> None:
    from advisor.prices import USD_PER_EUR

    result = answer(ADVISOR, parse(CATALOG, question))
    assert (result.query.budget, result.query.currency) == (5000, "EUR")
    assert result.result is not None
    best = result.result["options"][0]
    assert best["currency"] == "EUR" and best["price"] <= 5000
    split = best["price_split"]
    hardware = CATALOG.hardware.get(best["hardware"])
    usd = hardware.street_price_usd or hardware.price_usd
    assert usd is not None
    assert split["hardware"] == pytest.approx(usd * best["units"] / USD_PER_EUR)
    assert best["price"] == pytest.approx(split["hardware"] + split["host"])
    assert "1.1739" in result.answer and "2026-01-22" in result.answer
    assert ("€" in result.answer) or ("欧元" in result.answer)


def test_cheaper_asks_the_same_question_under_the_last_picks_price() -> None:
    session = Session()
    first = session.ask(ADVISOR, "which box for llama 3.3 70b under $6000")
    assert first.result is not None
    price = first.result["options"][0]["price"]
    cheaper = session.ask(ADVISOR, "cheaper?")
    assert cheaper.query.intent == "recommend" and cheaper.query.model == "llama-3.3-70b"
    assert cheaper.query.budget is not None and cheaper.query.budget < price
    assert cheaper.result is not None and cheaper.result["options"][0]["price"] < price
    assert "under the last pick's price" in cheaper.query.assumed["budget"]
    zh = Session()
    zh.ask(ADVISOR, "Can a DGX Spark run qwen3 32b?")
    less = zh.ask(ADVISOR, "有更便宜的吗")
    assert (less.query.currency, less.query.budget) == ("USD", 4698)  # the Spark's $4,699, less
    assert less.answer.startswith(("**建议买：", "**最合适的配置："))


@pytest.mark.parametrize(
    ("question", "said"),
    [
        (
            "can a dgx sprak run qwen3 32b?",
            "I don't know a box called **dgx sprak**. Did you mean **DGX Spark**?",
        ),
        (
            "dgx sprak 能跑 qwen3 32b 吗",
            "我不认识叫 **dgx sprak** 的机器。你是不是指 **DGX Spark**？",
        ),
    ],
)
def test_a_mistyped_box_gets_a_did_you_mean_not_a_general_answer(question: str, said: str) -> None:
    result = answer(ADVISOR, parse(CATALOG, question))
    assert said in result.answer and "tok/s" not in result.answer


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("Can a 4090 run QwQ 32B?", "*QwQ-32B is built on Qwen2.5-32B's architecture"),
        ("4090 能跑 devstral 吗", "*Devstral Small 与 Mistral Small 3.1 24B 架构相同"),
        (
            "Can a DGX Spark run deepseek-r1:70b?",
            "*DeepSeek-R1-Distill-Llama-70B is built on Llama 3.3 70B",
        ),
    ],
)
def test_a_release_answered_under_the_model_it_is_built_on_says_so(
    question: str, said: str
) -> None:
    result = answer(ADVISOR, parse(CATALOG, question))
    assert result.answer.startswith(said) and "tok/s" in result.answer


def test_the_model_itself_gets_no_same_architecture_note() -> None:
    result = answer(ADVISOR, parse(CATALOG, "can a 4090 run qwen2.5 32b"))
    assert "architecture" not in result.answer.split("\n")[0]


@pytest.mark.parametrize(
    ("question", "boxes"),
    [
        (
            "mac studio m3 ultra 256g vs dgx spark for llama 3.3 70b",
            ["mac-studio-m3-ultra-80c-256gb", "dgx-spark"],
        ),
        (
            "dgx spark vs 256g m3 ultra for llama 3.3 70b",
            ["dgx-spark", "mac-studio-m3-ultra-80c-256gb"],
        ),
    ],
)
def test_a_memory_size_between_two_boxes_belongs_to_the_nearer(
    question: str, boxes: list[str]
) -> None:
    result = answer(ADVISOR, parse(CATALOG, question))
    assert result.query.hardware == boxes and result.error is None
    assert "256GB" in result.answer and "DGX Spark 256GB" not in result.answer


def test_a_misspelt_chip_name_is_said_back_not_dropped() -> None:
    result = answer(ADVISOR, parse(CATALOG, "M3 Ulta 512G 能跑 deepsek r1 吗？"))
    assert result.error is not None and result.error.code == "unknown_name"
    assert "m3 ulta" in result.answer and "M3 Ultra" in result.answer


@pytest.mark.parametrize(
    ("question", "named", "suggested"),
    [
        ("Can a DGX Spark run Qwen4 72B?", "qwen4 72b", "Qwen2.5-72B"),
        ("Can a DGX Spark run Llama 5 70B?", "llama 5 70b", "Llama 3.3 70B"),
        ("DeepSeek V4 on a Mac Studio?", "deepseek v4", "DeepSeek-V3"),
        ("Can a Mac Studio run llama 2 70b?", "llama 2 70b", "Llama 3.3 70B"),
        ("千问4 72B 能在 DGX Spark 上跑吗", "千问 4 72b", "Qwen2.5-72B"),
    ],
)
def test_a_version_the_catalog_lacks_is_said_back_not_swapped(
    question: str, named: str, suggested: str
) -> None:
    # these were answered as Qwen2.5-72B, Llama 3.3 70B and DeepSeek-R1 without a word
    result = answer(ADVISOR, parse(CATALOG, question))
    assert result.result is None and result.error is not None
    assert result.error.code == "unknown_name"
    assert f"**{named}**" in result.answer and suggested in result.answer


@pytest.mark.parametrize(
    ("question", "model"),
    [
        ("llama 3 70b on a spark", "llama-3.3-70b"),
        ("qwen2.5 72b on two 3090s", "qwen2.5-72b"),
        ("deepseek 671b on a mac studio", "deepseek-r1"),
        ("qwen3.6 35b on an m1 max", "qwen3.6-35b-a3b"),
        ("qwen 235b on a mac studio", "qwen3-235b-a22b"),
        ("千问 235b 能跑吗", "qwen3-235b-a22b"),
        ("qwen 32 on a 4090", "qwen3-32b"),
        ("llama 70 on a dgx spark", "llama-3.3-70b"),
        # a name the catalog lists for a model, though its version is another's
        ("can a dgx spark run llama 3.1 70b?", "llama-3.3-70b"),
        ("llama-3.1-70b-instruct on a mac studio", "llama-3.3-70b"),
    ],
)
def test_versions_the_catalog_has_still_resolve(question: str, model: str) -> None:
    assert parse(CATALOG, question).model == model


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("Qwen3 32B on a DGX Spark with -32k context", "the context must be at least 1."),
        ("Qwen3 32B on a DGX Spark with a -4000 token prompt", "the prompt must be at least 1."),
        ("负5个人共用 DGX Spark 跑 Qwen3 32B", "同时使用的人数至少为 1。"),
        ("负五个人共用 DGX Spark 跑 Qwen3 32B", "同时使用的人数至少为 1。"),
        ("上下文 -32k，DGX Spark 跑 Qwen3 32B", "上下文至少为 1。"),
    ],
)
def test_negative_contexts_prompts_and_teams_are_refused(question: str, words: str) -> None:
    # these were read as 32k, 4,000 tokens and five people
    result = answer(ADVISOR, parse(CATALOG, question))
    assert result.error is not None and result.error.code == "invalid_input"
    assert words in result.answer


@pytest.mark.parametrize(
    "question", ["Qwen3 32B on a DGX Spark - 32k context", "DGX Spark 跑 Qwen3 32B - 32k 上下文"]
)
def test_a_dash_between_words_is_not_a_minus(question: str) -> None:
    result = answer(ADVISOR, parse(CATALOG, question))
    assert result.error is None and result.query.context_tokens == 32768


@pytest.mark.parametrize(
    ("question", "context"),
    [
        ("Llama 3.3 70B on an RTX 5090 with 128k-token context", 131072),
        ("Qwen3 32B on a DGX Spark, 32k-context", 32768),
        ("上下文 32k，DGX Spark 跑 Qwen3 32B", 32768),
    ],
)
def test_a_context_written_with_a_hyphen_is_read(question: str, context: int) -> None:
    # "128k-token context" was dropped and the answer given for 8k (two cards instead of three)
    assert parse(CATALOG, question).context_tokens == context


@pytest.mark.parametrize(
    ("question", "prompt", "context"),
    [
        ("I paste 100k-token documents into Llama 3.3 70B on a Mac Studio", 102_400, None),
        ("documents of 100k tokens, llama 3.3 70b on a spark", 102_400, None),
        ("long documents (~80k tokens) with llama 3.3 70b on a spark", 81_920, None),
        ("I feed it 60,000-token codebases, llama 3.3 70b on a spark", 60_000, None),
        ("RAG with 20k tokens of retrieved context per query, qwen3 32b on a spark", 20_480, None),
        ("我要把10万token的文档丢给 Llama 3.3 70B，M3 Ultra 够吗", 100_000, None),
        ("合同文档大概2万token，qwen3 32b 在 spark 上首字多久", 20_000, None),
        ("预算4万，Qwen3 32B，经常贴 32k 的长文档，买什么？", 32_768, None),
        ("qwen3 32b, 32k context, 8k token prompts, spark", 8_192, 32_768),
        # a count of documents is not a length
        ("we have 500 documents, qwen3 32b on a spark", None, None),
        ("qwen3 32b with 128k context on a spark", None, 131_072),
    ],
)
def test_what_people_paste_in_is_read_as_the_prompt(
    question: str, prompt: int | None, context: int | None
) -> None:
    # "100k-token documents" was dropped, and "10万token的文档" read as a context: the answer
    # then quoted the first token for 1,024 tokens (6 s) where 100k take half an hour
    parsed = parse(CATALOG, question)
    assert (parsed.prompt_tokens, parsed.context_tokens) == (prompt, context)

