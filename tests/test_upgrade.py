"""'I have X; what should I add or buy for model M?': keep, add units, or buy another box,
ranked by what each costs on top of what is owned."""

from __future__ import annotations

import json

import pytest

from advisor.ask.answer import answer
from advisor.ask.parse import parse
from advisor.catalog import Catalog
from advisor.context import Advisor
from advisor.prices import host_build, system_price, unit_price
from advisor.requests import RecommendQuery
from advisor.upgrade import upgrade
from tests.conftest import RunCli


def _upgrade(run_cli: RunCli, *args: str) -> dict:  # type: ignore[type-arg]
    out = run_cli("upgrade", *args, "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_a_4090_owner_sees_added_cards_a_spark_and_a_mac_at_their_extra_cost(
    run_cli: RunCli, catalog: Catalog
) -> None:
    result = _upgrade(run_cli, "--have", "rtx-4090", "--model", "qwen3-235b-a22b")
    assert result["keep"]["cost"] == 0 and not result["keep"]["works"]  # 24 GB cannot hold it
    card = catalog.hardware.get("rtx-4090")

    def system(units: int) -> float | None:
        price = system_price(card, units, "USD")
        return None if price is None else price.total

    added = [p for p in result["paths"] if p["kind"] == "add"]
    # the card added and the step from the owned host to one that holds two; three or four
    # 450 W cards need an EPYC host with a second power supply, bought whole (another platform)
    one, two = system(1), system(2)
    assert one is not None and two is not None and two - one > (unit_price(card, "USD") or 0)
    each = unit_price(card, "USD") or 0
    server = host_build(card, 4)
    assert server is not None and server.platform == "EPYC" and server.cards == 4
    assert [(p["units"], p["cost"]) for p in added] == [
        (2, two - one),
        (3, 2 * each + server.price_usd),
        (4, 3 * each + server.price_usd),
    ]
    spark = next(p for p in result["paths"] if p["hardware"] == "dgx-spark")
    assert spark["kind"] == "buy"
    # one Spark holds it only below 4 bits: two at INT4 on vLLM is the path shown, at two prices
    assert spark["cost"] == spark["units"] * (
        unit_price(catalog.hardware.get("dgx-spark"), "USD") or 0
    )
    macs = [p for p in result["paths"] if catalog.hardware.get(p["hardware"]).family == "apple"]
    assert macs and all(p["cost"] and p["works"] for p in macs[:3])
    step = result["cheapest_step"]
    working_costs = [p["cost"] for p in result["paths"] if p["works"] and p["cost"] is not None]
    assert step["works"] and step["cost"] == min(working_costs)
    assert "You have RTX 4090" in result["answer"] and "extra cost" in result["answer"]


def test_an_owner_whose_box_already_works_is_offered_only_clearly_faster_steps(
    run_cli: RunCli,
) -> None:
    result = _upgrade(run_cli, "--have", "2x rtx-3090", "--model", "llama-3.3-70b")
    keep = result["keep"]
    assert keep["works"] and keep["units"] == 2
    step = result["cheapest_step"]
    assert step["option"]["decode_tok_s"] >= 1.15 * keep["option"]["decode_tok_s"]
    assert "it already runs it" in result["answer"]


def test_the_budget_is_for_what_is_added(run_cli: RunCli) -> None:
    result = _upgrade(run_cli, "--have", "rtx-3090", "--model", "llama-3.3-70b", "--budget", "1500")
    for path in result["paths"]:
        assert path["in_budget"] == (path["cost"] is not None and path["cost"] <= 1500)
    step = result["cheapest_step"]
    assert step is None or step["cost"] <= 1500


def test_upgrade_questions_in_chinese_and_english_are_understood(run_cli: RunCli) -> None:
    out = run_cli("ask", "我有两张 3090，想跑 llama 3.3 70b，加卡还是换机器？", "--json")
    asked = json.loads(out.stdout)
    query = asked["query"]
    assert (query["intent"], query["have"], query["have_units"]) == ("upgrade", "rtx-3090", 2)
    assert "你现在有 2 张 RTX 3090" in asked["answer"] and "追加花费" in asked["answer"]
    en = json.loads(
        run_cli(
            "ask",
            "I have a 4090. Should I add a second card or buy a Spark for Qwen3 235B?",
            "--json",
        ).stdout
    )
    assert en["query"]["have"] == "rtx-4090" and en["query"]["hardware"] == ["dgx-spark"]
    assert {p["hardware"] for p in en["result"]["paths"]} == {"rtx-4090", "dgx-spark"}


def test_a_follow_up_keeps_what_the_asker_owns(run_cli: RunCli, tmp_path: object) -> None:
    session = f"{tmp_path}/chat.json"
    run_cli("ask", "I have a 4090; should I add a second card for Qwen3 32B?", "--session", session)
    out = run_cli("ask", "and for Llama 3.3 70B?", "--session", session, "--json")
    query = json.loads(out.stdout)["query"]
    assert (query["intent"], query["have"], query["model"]) == (
        "upgrade",
        "rtx-4090",
        "llama-3.3-70b",
    )


@pytest.mark.parametrize(
    ("have", "message"),
    [
        ("rtx-9099", "did you mean"),
        ("9x dgx-spark", "used 4 at most together; you said you have 9"),
        # zero had been answered "used 8 at most together; you said you have 0"
        ("rtx-3090x0", "you said you have 0 of NVIDIA GeForce RTX 3090 24 GB"),
    ],
)
def test_an_owned_box_that_cannot_be_is_a_clear_message(
    run_cli: RunCli, have: str, message: str
) -> None:
    out = run_cli("upgrade", "--have", have, "--model", "qwen3-32b")
    assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize(
    ("question", "have", "units"),
    [
        (
            "I have 2x RTX 3090. What should I add to run Llama 3.3 70B, budget $3000?",
            "rtx-3090",
            2,
        ),
        ("I own 3 4090s, want to run deepseek r1, budget 20k USD", "rtx-4090", 3),
        ("Got a 3090, upgrade for qwen3 32b?", "rtx-3090", 1),
        ("我有两张3090，想跑 llama 3.3 70b，预算一万，加什么？", "rtx-3090", 2),
        # the box named a second time was a name the catalog lacked: "which 4090?", refused
        (
            "I have a 4090. Should I add a second 4090 or buy a 5090 to run Qwen3 32B?",
            "rtx-4090",
            1,
        ),
        ("我有一张 4090，再加一张 4090 还是换 5090 跑 Qwen3 32B？", "rtx-4090", 1),
    ],
)
def test_upgrade_phrasings_people_use_are_upgrades(
    run_cli: RunCli, question: str, have: str, units: int
) -> None:
    out = run_cli("ask", question, "--json")
    assert out.returncode == 0, out.stderr
    query = json.loads(out.stdout)["query"]
    assert (query["intent"], query["have"], query["have_units"]) == ("upgrade", have, units)
    assert not query["unit_prices"], "a box named again is no price"


def test_a_3_bit_owner_is_offered_a_4_bit_step_and_the_second_unit_asked_about(
    run_cli: RunCli,
) -> None:
    out = run_cli("ask", "I have a DGX Spark, should I buy a second one for Qwen3 235B?", "--json")
    result = json.loads(out.stdout)
    assert "below 4 bits" in result["answer"] and "| add 1 → 2 × DGX Spark |" in result["answer"]
    keep = result["result"]["keep"]["option"]
    steps = [p for p in result["result"]["paths"] if p["step_up"]]
    # each step is clearly faster or at 4 bits; a 4-bit one is among them, and the cheapest
    # step is the least extra spend of all of them
    assert all(
        p["option"]["decode_tok_s"] >= 1.15 * keep["decode_tok_s"]
        or p["option"]["nominal_bits"] >= 4
        for p in steps
    )
    assert any(p["option"]["nominal_bits"] >= 4 for p in steps)
    priced = [p["cost"] for p in steps if p["cost"] is not None]
    assert result["result"]["cheapest_step"]["cost"] == min(priced)


def test_a_box_the_owner_names_is_answered_as_one_unit_too(run_cli: RunCli) -> None:
    """'add a second card or buy a DGX Spark': one Spark is in the table beside the pair that
    runs it better, so the question asked is answered."""
    question = (
        "I have one RTX 4090. Should I add a second card or buy a DGX Spark for Llama 3.3 70B?"
    )
    out = run_cli("ask", question)
    assert "| buy DGX Spark |" in out.stdout and "| buy 2 × DGX Spark |" in out.stdout


@pytest.mark.parametrize(
    ("question", "words", "row"),
    [
        (
            "We own 2 RTX 3090s. Should we add a third 3090 or replace them with one 5090 for "
            "Qwen3 32B?",
            "as asked:** about",
            "| buy RTX 5090 |",
        ),
        (
            "我们有两张3090，跑 Qwen3 32B，是再加一张3090还是换成一张5090？",
            "**你问到的 RTX 5090（显卡）**：约",
            "| 买 RTX 5090 |",
        ),
    ],
)
def test_a_box_the_owner_asks_about_is_weighed_even_when_it_is_no_faster(
    run_cli: RunCli, question: str, words: str, row: str
) -> None:
    # one 5090 decodes Qwen3 32B about as fast as two 3090s: it had been left to `--json`, and
    # "我们有" had not been read as owning them (a comparison priced the owned pair)
    out = run_cli("ask", question).stdout
    assert words in out and row in out
    assert "add 1 → 3 × RTX 3090" in out or "加 1 → 3 张 RTX 3090" in out


def test_a_line_named_to_buy_instead_is_not_said_box_by_box(run_cli: RunCli) -> None:
    # "or buy a Mac Studio?" had a line for every Mac Studio ("as asked: about — tok/s (won't
    # fit) ... slower than what you have"); only boxes named one by one get that line
    question = "I have one DGX Spark, add a second or buy a Mac Studio? for gpt-oss-120b"
    out = run_cli("ask", question).stdout
    assert "as asked" not in out and "| add 1 → 2 × DGX Spark |" in out


def test_switching_to_a_mac_weighs_the_cheapest_mac_that_holds_the_model(run_cli: RunCli) -> None:
    out = run_cli(
        "ask",
        "I have an RTX 5090 and $3000 to spend. For Llama 3.3 70B, add a card or switch to a Mac?",
    )
    # "a Mac" names no chip: every Mac Studio is weighed, the used M1 and M2 Ultras too, and
    # the cheapest that works is a used M1 Ultra within the budget (before they were weighed,
    # it was an M5 Max 48GB at $3,099, $99 over)
    least = "buy Mac Studio (2022) M1 Ultra 20-core CPU / 64-core GPU, 128 GB: **$2,142** more"
    assert least in out.stdout
    assert "price unknown (over budget)" not in out.stdout


def test_should_i_switch_in_chinese_is_an_owners_question(advisor: Advisor) -> None:
    # "我有两张 3090 ... 要不要换 5090" was a buy-versus-buy comparison that priced the 3090s
    # the asker owns
    parsed = parse(advisor.catalog, "我有两张 3090，想跑 qwen3-coder 30b，要不要换 5090")
    assert parsed.intent == "upgrade" and parsed.have == "rtx-3090" and parsed.have_units == 2
    text = answer(advisor, parsed).answer
    assert text.startswith("**你现在有 2 张 RTX 3090。") and "追加花费" in text


def test_a_fastest_pick_slower_than_another_path_says_it_is_within_the_band(
    advisor: Advisor,
) -> None:
    # "Fastest: 2 × RX 7900 XTX, 17.6 tok/s" above a table with two faster paths in budget
    question = "I have a RTX 4090. What should I add for Qwen3 235B? Budget $6000."
    result = answer(advisor, parse(advisor.catalog, question))
    assert result.result is not None
    fastest, top = result.result["fastest"], result.result["fastest_tok_s"]
    paths = result.result["paths"]
    speeds = [p["option"]["decode_tok_s"] for p in paths if p["step_up"] and p["in_budget"]]
    assert top == pytest.approx(max(speeds), rel=0.001)
    speed = fastest["option"]["decode_tok_s"]
    assert top * 0.95 <= speed < top
    assert "**Within 5% of the fastest, for less:**" in result.answer
    assert f"(the fastest path here: {top:.1f} tok/s for $" in result.answer
    assert "**Fastest:**" not in result.answer


def test_cards_that_outgrow_the_owners_platform_are_charged_a_whole_new_host(
    advisor: Advisor,
) -> None:
    # two 3090s to four had cost the two cards only (1.3万): four cards need an EPYC board,
    # not the owner's AM5 one
    card = advisor.catalog.hardware.get("rtx-3090")
    two_host, four_host = host_build(card, 2), host_build(card, 4)
    assert two_host is not None and four_host is not None
    assert two_host.platform != four_host.platform
    result = upgrade(advisor, RecommendQuery(model="llama-3.3-70b"), "rtx-3090", 2)
    four = next(p for p in result.paths if p.kind == "add" and p.option.units == 4)
    assert four.cost == pytest.approx(2 * (unit_price(card, "USD") or 0) + four_host.price_usd)


def test_a_fastest_path_barely_faster_than_the_cheapest_says_how_little_it_buys(
    advisor: Advisor,
) -> None:
    # two 3090 Ti cards for $2,380 had been called the fastest beside adding one 3090 for
    # $1,580, with nothing said of a 5% gain, nor of the 3090 left over
    question = "I have one RTX 3090. Llama 3.3 70B comfortably: what should I add or buy, $3000?"
    said = answer(advisor, parse(advisor.catalog, question)).answer
    fastest = next(line for line in said.splitlines() if line.startswith("**Fastest:**"))
    assert "buy 2 × NVIDIA GeForce RTX 3090 Ti" in fastest and "your RTX 3090 set aside" in fastest
    assert "That is only 5% faster than the least extra spend, for $800 more." in fastest
    zh = "我有一张 3090，想跑 Llama 3.3 70B，预算 2 万，加什么还是换什么？"
    said_zh = answer(advisor, parse(advisor.catalog, zh)).answer
    assert "你现有的 RTX 3090 就闲置了。比花钱最少的做法只快 5%，却要多花 5,616 元。" in said_zh
    # a clearly faster path is not belittled
    wide = "I have one RTX 3090. Llama 3.3 70B: what should I add or buy, $6000?"
    assert "only" not in answer(advisor, parse(advisor.catalog, wide)).answer.split("|")[0]


@pytest.mark.parametrize(
    ("question", "said"),
    [
        (
            "I have a DGX Spark. Should I add a second one for Llama 3.3 70B?",
            "it runs, but only as a **proof of concept** (about 5.5 tok/s",
        ),
        (
            "我有一台 DGX Spark，要不要再加一台跑 Llama 3.3 70B？",
            "能跑，但**只够做 PoC**（约 5.5 tok/s",
        ),
    ],
)
def test_a_proof_of_concept_owned_box_is_said_once(
    advisor: Advisor, question: str, said: str
) -> None:
    # "it runs, but only **proof of concept only**"
    text = answer(advisor, parse(advisor.catalog, question)).answer
    assert said in text.splitlines()[0]


def test_the_largest_cluster_asked_caps_what_is_added_and_bought(run_cli: RunCli) -> None:
    # "--max-units 2" had still listed adding 2 and 3 Sparks to the one owned
    args = ["--have", "dgx-spark", "--model", "qwen3-coder-30b-a3b", "--concurrency", "6"]
    capped = _upgrade(run_cli, *args, "--prompt", "32k", "--max-units", "2")
    assert capped["paths"] and max(p["option"]["units"] for p in capped["paths"]) <= 2
    uncapped = _upgrade(run_cli, *args, "--prompt", "32k")
    assert max(p["option"]["units"] for p in uncapped["paths"]) > 2


def test_a_cheaper_path_near_the_fastest_says_what_the_fastest_costs(advisor: Advisor) -> None:
    # "Within 5% of the fastest, for less: ... 192 tok/s (the fastest path here: 192 tok/s)"
    # read as the fastest itself, the dearest row shown
    question = "I own a Mac Studio M4 Max 64GB. Is it worth adding a second one for gpt-oss-120b?"
    result = answer(advisor, parse(advisor.catalog, question))
    assert result.result is not None and result.result["fastest_in_band"]
    top, near = result.result["fastest_top_cost"], result.result["fastest"]["cost"]
    assert top > near
    assert f"(the fastest path here: 192 tok/s for ${top:,.0f} more) for ${near:,.0f} more" in (
        result.answer
    )


@pytest.mark.parametrize("have", ["two 3090s", "两张3090", "一对3090", "a pair of 3090s"])
def test_a_count_said_in_words_with_have_is_that_many(run_cli: RunCli, have: str) -> None:
    # "--have 'two 3090s'" had been one card
    result = _upgrade(run_cli, "--have", have, "--model", "qwen3-32b")
    assert result["keep"]["units"] == 2


@pytest.mark.parametrize(
    ("question", "intent", "units"),
    [
        ("一对 3090 能跑 Llama 3.3 70B 吗？", "can_run", 2),  # had been one card: won't fit
        ("我有一对3090，跑 Llama 3.3 70B 要升级吗？", "upgrade", 2),  # had lost the upgrade
    ],
)
def test_a_pair_said_in_chinese_is_two(
    advisor: Advisor, question: str, intent: str, units: int
) -> None:
    query = parse(advisor.catalog, question)
    assert query.intent == intent
    assert (query.units if intent == "can_run" else query.have_units) == units


def test_fewer_of_the_cards_owned_are_offered_when_they_run_it_clearly_better(
    run_cli: RunCli,
) -> None:
    # three 3090s run Llama 3.3 70B on llama.cpp at 17.3 tok/s; two of them on vLLM (it splits
    # over 2 or 4) at 30.4, which the answer had not said
    result = _upgrade(run_cli, "--have", "3x rtx-3090", "--model", "llama-3.3-70b")
    fewer = result["fewer_owned"]
    assert fewer is not None and fewer["units"] == 2 and fewer["engine"] == "vllm"
    assert fewer["decode_tok_s"] > 1.15 * result["keep"]["option"]["decode_tok_s"]
    assert "**Use 2 of your 3 for nothing more:**" in result["answer"]
    # two that already run it as well as they can: nothing to say
    assert _upgrade(run_cli, "--have", "2x rtx-3090", "--model", "qwen3-32b")["fewer_owned"] is None


@pytest.mark.parametrize(
    ("question", "said"),
    [
        (
            "我有一张 4090，想给 8 个人跑 Qwen3 32B，加一张还是换 Spark？",
            "装不下 8 人的上下文（可容纳 2 人；需要 34 GB",
        ),
        (
            "I have one 4090 and want Qwen3 32B for 8 users, add a card or buy a Spark?",
            "it does not hold 8 users' contexts at once, only 2 (34 GB needed",
        ),
    ],
)
def test_a_box_too_small_for_the_team_says_so_not_that_the_model_does_not_fit(
    advisor: Advisor, question: str, said: str
) -> None:
    """One 4090 holds Qwen3 32B at 4 bits for one user: "won't fit (34 GB needed)" had hidden
    that it is the 8 users' contexts that do not."""
    assert said in answer(advisor, parse(advisor.catalog, question)).answer
