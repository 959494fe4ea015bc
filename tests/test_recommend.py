"""Recommendations and comparisons a buyer would ask for, and the seed's verdicts through them."""

from __future__ import annotations

import json

import pytest

from advisor.ask.answer import answer
from advisor.ask.parse import parse
from advisor.ask.session import Session
from advisor.catalog import Catalog
from advisor.context import Advisor
from advisor.recommend import compare, recommend
from advisor.render.answers import render_comparison, render_recommendation
from advisor.requests import RecommendQuery

from .conftest import RunCli

MAC_512 = "mac-studio-m3-ultra-80c-512gb"


def test_r1_at_4_bit_on_10k_usd_names_what_is_sold_new_beside_the_withdrawn_512_gb_mac(
    run_cli: RunCli,
) -> None:
    out = run_cli(
        "recommend", "--model", "deepseek-r1", "--quant", "q4_k_m", "--budget", "10000", "--json"
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    mac = next(o for o in data["options"] if (o["hardware"], o["units"]) == (MAC_512, 1))
    assert mac["availability"] == "withdrawn" and mac["verdict"] in {"usable", "comfortable"}
    assert mac["price_split"]["basis"] == "used"
    # MLX holds R1 at 4 bits in the default 384 GB since it caches the MLA latent (mlx-lm #839)
    assert mac["fits"] and "raise-wired-limit" not in mac["fired_rules"]
    assert "Buy: Mac Studio" not in data["answer"]
    # the option sold new is named: the cheapest that works, or beside it when that one is not
    named = data["cheapest_new"] or data["cheapest_working"]
    assert named is not None and named["availability"] in {"new", "preorder"}
    how = {"poc_only": "at all", "usable": "usably", "comfortable": "comfortably"}[named["verdict"]]
    assert f"runs it {how} is {named['units']} × " in data["answer"]
    assert "DGX Spark" in data["answer"] and "does not fit" in data["answer"]
    for option in data["options"]:
        assert option["power_w"] > 0 and option["energy_cost_year"] > 0, option["hardware"]
        assert "/kWh" in option["assumptions"]["electricity"]


def test_full_precision_r1_needs_two_512_gb_macs(advisor: Advisor) -> None:
    query = RecommendQuery(model="deepseek-r1", native_only=True, max_units=2)
    result = recommend(advisor, query)
    assert result.picks.best is not None
    assert result.picks.best.units == 2
    assert advisor.catalog.hardware.get(result.picks.best.hardware).memory_gb == 512
    one_mac = [o for o in result.options if o.hardware == MAC_512 and o.units == 1]
    assert one_mac and one_mac[0].verdict == "wont_fit"


def test_full_precision_r1_with_one_box_allowed_says_what_it_would_take(advisor: Advisor) -> None:
    result = recommend(
        advisor,
        RecommendQuery(
            model="deepseek-r1", native_only=True, max_units=1, hardware=(MAC_512, "dgx-spark")
        ),
    )
    assert result.picks.best is None and result.larger_cluster == (MAC_512, 2)
    text = render_recommendation(advisor.catalog, result)
    assert text.startswith("**No box considered holds DeepSeek-R1 at mlx-8bit: it needs 666 GB")
    assert "About 2 × M3 Ultra 512GB would hold it" in text


def test_a_model_no_box_or_pair_holds_is_not_blamed_on_the_budget(run_cli: RunCli) -> None:
    # "Nothing in a budget of $5,000,000 runs DeepSeek-R1 usably": no money buys what is not
    # weighed; say what it needs, the most on offer, and the cluster that would hold it
    question = "Budget $5,000,000. I want to run DeepSeek R1 at BF16. What should I buy?"
    data = json.loads(run_cli("ask", question, "--json").stdout)["result"]
    assert data["larger_cluster"] == {"hardware": MAC_512, "units": 4}
    # $5,000,000 buys a server of datacenter GPUs: eight H200s (1,128 GB) are the most on offer
    assert data["roomiest"]["units"] == 8 and data["roomiest"]["hardware"] == "h200-sxm"
    text = data["answer"]
    assert text.startswith(
        "**No box or cluster of up to 2 (8 datacenter GPUs to a server) considered holds "
        "DeepSeek-R1 at bf16"
    )
    assert "weighed only when named" not in text
    assert f"it needs {data['memory_needed_gb']:,.0f} GB" in text and "1,128 GB" in text
    assert "budget" not in text.split("\n")[0]
    followed = run_cli("ask", "DeepSeek R1 at BF16 on 4 × M3 Ultra 512GB").stdout
    assert followed.startswith("**DeepSeek-R1 on 4 × Mac Studio") and "tok/s" in followed
    chinese = run_cli("ask", "预算500万，想跑 BF16 的 DeepSeek R1，买什么？").stdout
    assert (
        "都装不下 DeepSeek-R1（bf16）" in chinese and "大约 4 台 M3 Ultra 512GB 能装下" in chinese
    )


def test_70b_on_4000_usd_is_honest_about_the_spark(advisor: Advisor) -> None:
    result = recommend(advisor, RecommendQuery(model="llama-3.3-70b", budget=4000))
    spark = next(o for o in result.options if o.hardware == "dgx-spark" and o.units == 1)
    assert spark.verdict in {"poc_only", "not_usable"} and not spark.in_budget
    assert "spark-70b-poc" in spark.fired_rules
    assert result.picks.best is not None and result.picks.best.in_budget
    assert result.picks.best.decode_tok_s > 2 * spark.decode_tok_s
    text = render_recommendation(advisor.catalog, result)
    assert "DGX Spark: " in text and "over your $4,000" in text


def test_nothing_in_budget_says_so_and_names_the_cheapest_that_works(advisor: Advisor) -> None:
    result = recommend(advisor, RecommendQuery(model="deepseek-r1", budget=2000))
    assert result.nothing_in_budget
    assert result.cheapest_working is not None
    text = render_recommendation(advisor.catalog, result)
    assert "Nothing in a budget of $2,000" in text
    assert "The cheapest option that runs it comfortably is 2 × M2 Ultra 192GB" in text


def test_a_budget_in_yuan_is_compared_with_yuan_prices(advisor: Advisor) -> None:
    result = recommend(
        advisor, RecommendQuery(model="qwen3-32b", budget=30000, currency="CNY", lang="zh")
    )
    assert result.picks.best is not None and result.picks.best.currency == "CNY"
    assert result.picks.best.price is not None and result.picks.best.price <= 30000
    text = render_recommendation(advisor.catalog, result)
    assert ("建议买" in text or "最合适的配置" in text) and "元" in text
    split = result.picks.best.price_split
    assert split is not None and split.total == result.picks.best.price
    if split.host:
        assert "主机约" in text  # a card is priced with the PC it needs, and says so


def test_a_minimum_speed_is_respected(advisor: Advisor) -> None:
    result = recommend(advisor, RecommendQuery(model="llama-3.3-70b", min_tok_s=15))
    assert result.picks.cheapest is not None and result.picks.cheapest.decode_tok_s >= 15


def test_c11_seed_verdicts_on_one_spark(advisor: Advisor) -> None:
    for model, acceptable in (
        ("qwen2.5-14b", {"usable", "comfortable"}),
        ("qwen3-32b", {"poc_only", "usable"}),
        ("llama-3.3-70b", {"poc_only", "not_usable"}),
    ):
        result = recommend(
            advisor,
            RecommendQuery(model=model, hardware=("dgx-spark",), max_units=1, quants=("q4_k_m",)),
        )
        assert result.options[0].verdict in acceptable, (model, result.options[0].verdict)


def test_c12_mac_against_spark_for_r1_and_for_70b(advisor: Advisor) -> None:
    r1 = compare(
        advisor,
        RecommendQuery(
            model="deepseek-r1", hardware=(MAC_512, "dgx-spark"), quants=("q4_k_m",), max_units=1
        ),
    )
    assert (
        r1.winners.chat == MAC_512 and "dgx-spark" in r1.missing
    )  # the Mac wins what the Spark cannot hold
    seventy = compare(
        advisor, RecommendQuery(model="llama-3.3-70b", hardware=("dgx-spark", MAC_512))
    )
    # The article: the Mac is twice the price for similar performance, and decode per dollar went
    # to the Mac (3x the bandwidth for 2x the price). Withdrawn since, the 512 GB sells refurbished
    # from $14,609, 3.1 times the (repriced) Spark, for 3.1 times its decode: per dollar they are
    # even; long prompts go to the Spark's compute either way.
    assert seventy.winners.chat == MAC_512
    assert seventy.winners.long_prompts == "dgx-spark"
    assert "price" in seventy.winners.even


def test_a_use_won_by_a_proof_of_concept_says_so(run_cli: RunCli) -> None:
    # "Price (tok/s per USD): DGX Spark" read as a recommendation of a box at 5.5 tok/s
    out = run_cli("compare", "dgx-spark", "mac studio 512g", "-m", "llama-3.3-70b").stdout
    assert "- Chat (decode speed): M3 Ultra 512GB\n" in out
    assert "- Serving several users: DGX Spark (only a proof of concept for this model)" in out
    assert "per USD of decode speed they are about even" in out  # as the winners say
    zh = run_cli("ask", "DGX Spark 和 M3 Ultra 512G 跑 llama 3.3 70b 哪个好").stdout
    assert "- 长提示词（RAG、Agent）：DGX Spark（跑这个模型只够做 PoC）" in zh


def test_compare_on_the_cli_prints_a_table_and_winners(run_cli: RunCli) -> None:
    out = run_cli("compare", "dgx-spark", "mac studio 512g", "-m", "llama-3.3-70b")
    assert out.returncode == 0, out.stderr
    assert "| decode |" in out.stdout and "Winners" in out.stdout
    zh = run_cli("compare", "dgx-spark", "mac studio 512g", "-m", "llama-3.3-70b", "--lang", "zh")
    assert "各场景谁胜出" in zh.stdout and "生成速度" in zh.stdout


def test_estimate_json_carries_the_verdict_and_fired_rules(run_cli: RunCli) -> None:
    data = json.loads(
        run_cli("estimate", "-m", "llama-3.3-70b", "--hw", "dgx-spark", "--json").stdout
    )
    assert data["verdict"] == "poc_only"
    assert {"bandwidth-bound", "spark-70b-poc"} <= set(data["fired_rules"])


def test_same_question_same_bytes(run_cli: RunCli) -> None:
    args = (
        "recommend",
        "-m",
        "qwen3-235b-a22b",
        "--budget",
        "3w",
        "--currency",
        "cny",
        "--lang",
        "zh",
    )
    first = run_cli(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout == run_cli(*args).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("recommend", "-m", "deepsek r1"), "did you mean 'deepseek-r1'"),
        (("recommend", "-m", "llama-3.1-8b", "--budget", "-5"), "must be more than 0"),
        (("compare", "dgx-spark", "-m", "llama-3.1-8b"), "name at least two boxes"),
        (
            ("recommend", "-m", "llama-3.1-8b", "--rules", "/nonexistent/rules"),
            "rules folder not found",
        ),
    ],
)
def test_bad_questions_get_clear_messages(
    run_cli: RunCli, args: tuple[str, ...], message: str
) -> None:
    out = run_cli(*args)
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr


def test_a_bare_size_stands_in_the_nearest_model_and_says_so(
    run_cli: RunCli, catalog: Catalog
) -> None:
    out = run_cli("recommend", "--model", "200b-a20b", "--json")
    assert out.returncode == 0, out.stderr
    stand_in = catalog.models.get(json.loads(out.stdout)["model"])
    assert f"{stand_in.name} is the closest catalog model" in out.stderr
    assert stand_in.params_total_b == pytest.approx(200, rel=0.2)  # a ~200B MoE
    assert stand_in.params_active_b == pytest.approx(20, rel=0.15)  # with ~20B active


@pytest.mark.parametrize("command", ["recommend", "compare"])
def test_a_misspelt_model_gets_a_did_you_mean_not_a_stand_in(run_cli: RunCli, command: str) -> None:
    # "qwn3-32b" had OLMo 2 32B stand in for it in compare and recommend, while estimate
    # asked "did you mean 'qwen3-32b'"
    boxes = ["dgx-spark", "rtx-5090"] if command == "compare" else []
    out = run_cli(command, *boxes, "--model", "qwn3-32b")
    assert out.returncode == 2
    assert "did you mean 'qwen3-32b'" in out.stderr and "OLMo" not in out.stderr + out.stdout


def test_a_4_bit_setup_that_fits_beats_a_faster_3_bit_one(advisor: Advisor) -> None:
    result = recommend(
        advisor,
        RecommendQuery(
            model="qwen3-32b", context_tokens=32768, hardware=("rtx-5090",), max_units=1
        ),
    )
    assert result.options[0].quant == "q4_k_m"


def test_a_model_with_its_own_low_bit_release_is_answered_in_it(run_cli: RunCli) -> None:
    """gpt-oss ships in MXFP4 and every measurement of it is that file; a Q4_K_M build is
    smaller on paper (4-bit attention) and was chosen for it, 12% faster than measured."""
    out = json.loads(
        run_cli("estimate", "-m", "gpt-oss-120b", "--hw", "dgx-spark", "--json").stdout
    )
    assert out["quant"] == "mxfp4"
    # llama-bench tg32 on a Spark, 59.02 tok/s (shared/benchmarks/dev.csv row 39)
    assert out["decode_tok_s"] == pytest.approx(59.02, rel=0.10)
    asked = json.loads(
        run_cli(
            "estimate", "-m", "gpt-oss-120b", "--hw", "dgx-spark", "-q", "q4_k_m", "--json"
        ).stdout
    )
    assert asked["quant"] == "q4_k_m"  # a format asked for is still answered


def test_for_long_prompts_the_pick_is_the_box_whose_answer_comes_soonest(run_cli: RunCli) -> None:
    """Two 3090 Tis decode as fast as one 5090 but read a 32k prompt at 596 tok/s against 969:
    the pair was headlined for 32k prompts at 55 s before the first token, against 34."""
    question = "Best box for Qwen3 32B with 32k-token prompts, budget $6000?"
    out = json.loads(run_cli("ask", question, "--json").stdout)
    options = out["result"]["options"]

    def chosen(name: str) -> dict[str, object]:
        pick = out["result"]["picks"][name]
        return next(o for o in options if (o["hardware"], o["units"]) == tuple(pick.values()))

    best = chosen("best")
    rivals = [o for o in options if o["in_budget"] and o["verdict"] == best["verdict"]]
    quickest = min(o["ttft_s"] for o in rivals)
    # no rival as cheap reads the prompt clearly sooner; the fastest pick reads it soonest
    as_cheap = [o for o in rivals if o["price"] <= best["price"]]
    assert best["ttft_s"] <= 1.1 * min(o["ttft_s"] for o in as_cheap)
    assert chosen("fastest")["ttft_s"] == quickest
    fastest = run_cli("ask", question.replace("Best box", "Fastest time to first token")).stdout
    pick = chosen("fastest")
    name = ("2 × " if pick["units"] == 2 else "") + str(pick["hardware_name"])
    first = f"**Quickest first token: {name}"
    assert fastest.startswith(first) and "for a 32,768-token prompt" in fastest


def test_a_first_token_wait_met_only_on_vllm_is_found_without_naming_it(
    run_cli: RunCli,
) -> None:
    """Cards were judged on llama.cpp alone unless a team was asked: with a 20 s wait for a 32k
    prompt, "nothing works" ($4,230 over budget), though vLLM on two RTX 6000 Adas reads it in
    about 19 s within the budget."""
    flags = ["-m", "llama-3.3-70b", "--budget", "15000", "--prompt", "32k", "--max-ttft", "20"]
    result = json.loads(run_cli("recommend", *flags, "--json").stdout)
    best = next(
        o
        for o in result["options"]
        if (o["hardware"], o["units"]) == tuple(result["picks"]["best"].values())
    )
    assert best["engine"] == "vllm" and best["ttft_s"] <= 20 and best["in_budget"]
    # for one user and a short prompt, one card runs the platform's usual engine (a long prompt
    # weighs vLLM too: its prefill is much of the wait for the answer)
    alone = json.loads(run_cli("recommend", *flags[:4], "--json").stdout)
    one_card = [o for o in alone["options"] if o["hardware"].startswith("rtx") and o["units"] == 1]
    assert one_card and all(o["engine"] != "vllm" for o in one_card)
    # a wait every box meets changes nothing but the words that say it is met: vLLM is weighed
    # only where the usual ones miss it
    loose = ["-m", "llama-3.3-70b", "--budget", "15000"]
    waited = run_cli("recommend", *loose, "--max-ttft", "60").stdout
    assert ", within the 60.0 s you asked for" in waited
    assert run_cli("recommend", *loose).stdout == waited.replace(
        ", within the 60.0 s you asked for", ""
    )


def test_the_cheapest_at_4_bits_is_shown_beside_a_cheaper_squeeze(run_cli: RunCli) -> None:
    """ "Cheapest new box for Qwen3 235B" headlined two Strix Halos at $7,000 (4-bit) and never
    named the one $3,539 ThinkStation PGX that runs it usably at 3 bits."""
    out = run_cli("ask", "Cheapest new box that runs Qwen3 235B usably?", "--json")
    result = json.loads(out.stdout)["result"]
    cheapest, below = result["picks"]["cheapest"], result["picks"]["cheaper_below_4bit"]
    assert below is not None and cheapest is not None
    text = json.loads(out.stdout)["answer"]
    line = next(ln for ln in text.splitlines() if ln.startswith("- Cheaper below 4 bits: "))
    assert "below 4 bits" in line and "usable" in line


def test_a_full_recommendation_estimates_each_setup_once(
    advisor: Advisor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import advisor.judge as judge
    from tests.helpers import shipped_advisor

    fresh = shipped_advisor(advisor.catalog)
    calls: list[object] = []
    real = judge.estimate

    def counted(setup, work, calibration, *known):  # type: ignore[no-untyped-def]
        calls.append((setup.key, work))
        return real(setup, work, calibration, *known)

    monkeypatch.setattr(judge, "estimate", counted)
    result = recommend(fresh, RecommendQuery(model="qwen3-235b-a22b", budget=30000, currency="CNY"))
    assert result.options and len(calls) > 50
    assert len(calls) == len(set(calls)), "a setup was estimated twice for the same work"
    recommend(fresh, RecommendQuery(model="qwen3-235b-a22b", budget=30000, currency="CNY"))
    assert len(calls) == len(set(calls))  # asked again, nothing is estimated again


def test_fixes_come_cheapest_first_and_never_below_4_bit_while_4_bit_fits() -> None:
    """Qwen3-32B at 8 bits overflows a 32 GB RTX 5090 (36 GB); q6_k fits. The fix list offers
    the lighter 4-bit-or-better format before a second card, and no 3-bit at all."""
    from advisor.ask.answer import answer
    from advisor.ask.parse import parse
    from tests.helpers import shipped_advisor

    advisor = shipped_advisor()
    result = answer(advisor, parse(advisor.catalog, "can an rtx 5090 run qwen3 32b at 8-bit"))
    line = next(ln for ln in result.answer.splitlines() if ln.startswith("- What would work"))
    assert line.index("q6_k instead") < line.index("2 of these")
    assert "q3" not in result.answer and "q2" not in result.answer
    takes = result.result["takes"] if result.result else {}
    assert takes["format"]["quant"] == "q6_k" and takes["lighter"] is None


def test_a_shorter_context_is_offered_before_more_units() -> None:
    from advisor.ask.answer import answer
    from advisor.ask.parse import parse
    from tests.helpers import shipped_advisor

    advisor = shipped_advisor()
    question = "can a mac studio 96gb run llama 3.3 70b with 128k context at 8-bit"
    result = answer(advisor, parse(advisor.catalog, question))
    assert result.result is not None
    takes = result.result["takes"]
    assert takes["context"]["context_tokens"] < 131072 and takes["units"]["units"] == 2
    line = next(ln for ln in result.answer.splitlines() if ln.startswith("- What would work"))
    assert line.index("-token context") < line.index("2 of these")
    zh = answer(advisor, parse(advisor.catalog, question), "zh").answer
    assert "上下文缩到" in zh and zh.index("上下文缩到") < zh.index("组 2 台集群")


def test_a_shorter_context_is_offered_only_in_the_format_tried() -> None:
    from advisor.ask.answer import answer
    from advisor.ask.parse import parse
    from tests.helpers import shipped_advisor

    advisor = shipped_advisor()
    # "a 4,096-token context (about 18.1 tok/s)" was offered for Qwen3 235B on a 128 GB Strix
    # Halo: at q3_k_m with the GPU memory limit raised, though the line named neither
    question = "Is a Strix Halo 128GB good enough for Qwen3 235B with 16k context?"
    result = answer(advisor, parse(advisor.catalog, question))
    assert result.result is not None
    tried, context = result.result["option"], result.result["takes"]["context"]
    assert context is None or context["quant"] == tried["quant"]
    assert "-token context" not in result.answer
    shorter = answer(
        advisor, parse(advisor.catalog, "Can an RTX 4090 run Qwen3 32B with 128k context?")
    )
    assert shorter.result is not None
    fix = shorter.result["takes"]["context"]
    assert fix["quant"] == shorter.result["option"]["quant"] and fix["context_tokens"] < 131072


def test_a_quantized_kv_cache_is_offered_where_the_engine_has_one() -> None:
    """Qwen2.5-32B at q4_k_m with a 64k context overflows an RTX 5090 only by its KV cache;
    llama.cpp's q8_0 cache halves it, so that fix sits between a shorter context and a second
    card. MLX declares no smaller cache type, so a Mac never gets it."""
    from advisor.ask.answer import answer
    from advisor.ask.parse import parse
    from tests.helpers import shipped_advisor

    advisor = shipped_advisor()
    result = answer(
        advisor, parse(advisor.catalog, "can an rtx 5090 run qwen2.5 32b with 64k context")
    )
    assert result.result is not None
    takes = result.result["takes"]
    assert takes["kv_cache_type"] == "q8_0" and takes["kv_cache"]["engine"] == "llama.cpp"
    line = next(ln for ln in result.answer.splitlines() if ln.startswith("- What would work"))
    assert line.index("-token context") < line.index("q8_0 KV cache") < line.index("2 of these")
    mac = "can a mac studio 96gb run llama 3.3 70b with 128k context at 8-bit"
    assert answer(advisor, parse(advisor.catalog, mac)).result["takes"]["kv_cache"] is None  # type: ignore[index]


def test_a_comparison_shows_the_box_asked_and_says_what_a_cluster_would_do(
    advisor: Advisor,
) -> None:
    """One Spark holds Qwen3 32B for 5 users at 32k but too slowly; the comparison shows that
    Spark, not a pair it chose silently, and says what two would do."""
    result = Session().ask(advisor, "dgx spark vs rtx 4090 for qwen3 32b, 5 users, 32k context")
    assert "**Qwen3-32B: DGX Spark**" in result.answer
    assert "- 2 × DGX Spark would make it proof of concept only:" in result.answer
    assert "cannot hold Qwen3-32B with 5 users' 32,768-token contexts" in result.answer


def test_an_engine_asked_for_runs_where_it_can_and_the_answer_says_where_not(
    advisor: Advisor,
) -> None:
    result = Session().ask(
        advisor, "what's better for llama 70b, a strix halo with ROCm or a mac studio m4 max?"
    )
    assert "llama.cpp-rocm does not run on M4 Max" in result.answer
    assert "cannot hold" not in result.answer


def test_a_proof_of_concept_pick_is_headlined_as_one_new_or_used(run_cli: RunCli) -> None:
    out = run_cli(
        "recommend",
        "-m",
        "qwen3-235b-a22b",
        "--budget",
        "10000",
        "--concurrency",
        "4",
        "--context",
        "32k",
    )
    first = out.stdout.splitlines()[0]
    assert first.startswith("**The best within $10,000:") and "only as a proof of concept" in first
    assert "nothing within it runs it usably. It is sold used only:" in first


def test_a_side_grown_to_a_cluster_says_one_cannot_hold_it(advisor: Advisor) -> None:
    result = Session().ask(
        advisor, "DGX Spark vs RTX 5090 for Qwen3 32B with vLLM, 4 users, 32k context"
    )
    assert "One RTX 5090 cannot hold Qwen3-32B as asked: 2 × RTX 5090 is the fewest" in (
        result.answer
    )
    assert "runs Qwen3-32B usably**" in result.answer


def test_value_is_not_won_against_a_side_with_no_price(run_cli: RunCli) -> None:
    # "性价比：DGX Spark" beside "价格未知" for the Mac: a win by default
    question = "dgx spark 和 mac studio m4 max 128g 跑 llama 3.3 70b 哪个好？"
    data = json.loads(run_cli("ask", question, "--json").stdout)["result"]
    assert data["winners"]["price"] is None and len(data["winners"]["unpriced"]) == 1
    assert "性价比：没有 M4 Max 128GB 的价格，没法比" in data["answer"]
    english = run_cli("ask", "DGX Spark vs Mac Studio M4 Max 128GB for Llama 3.3 70B").stdout
    assert "Price (tok/s per USD): no price for M4 Max 128GB to weigh" in english


def test_a_cluster_of_cards_that_would_hold_the_model_is_counted_in_cards(run_cli: RunCli) -> None:
    text = run_cli("recommend", "-m", "llama-3.1-405b", "--hw", "rtx-5090", "--lang", "zh").stdout
    assert "大约 7 张 RTX 5090 能装下" in text and "7 台" not in text
    assert "数据中心 GPU" not in text  # the boxes were named


def test_serving_is_not_won_by_the_only_side_that_holds_eight_users(run_cli: RunCli) -> None:
    # "Serving several users: M4 Max 128GB" at 3.5 tok/s in total, beside a 5090 whose one
    # user gets 37.8: the 5090 has no memory for eight, so there was no contest
    question = "RTX 5090 vs M4 Max 128GB for Qwen3 32B with 32k prompts"
    out = json.loads(run_cli("ask", question, "--json").stdout)
    winners = out["result"]["winners"]
    assert winners["serving"] is None and winners["serving_alone"] == "mac-studio-m4-max-128gb"
    text = run_cli("ask", question).stdout
    assert "- Serving several users: only M4 Max 128GB has the memory for 8 users at once" in text


@pytest.mark.parametrize(
    ("hardware", "served_on"),
    [("mac-studio-m4-max-128gb", "q4_k_m on llama.cpp"), ("dgx-spark", "int4 on vLLM")],
)
def test_a_comparison_serves_eight_users_as_estimate_does(
    run_cli: RunCli, hardware: str, served_on: str
) -> None:
    # compare had served 8 users with the engine one user is fastest on: MLX on the M4 Max at
    # 22.7 tok/s in total (below its one user's 24.8), where `estimate --concurrency 8` picks
    # llama.cpp at 48.8; llama.cpp on the Spark at 60.9 where estimate picks vLLM at 75.1
    boxes = ["mac-studio-m4-max-128gb", "dgx-spark"]
    compared = json.loads(run_cli("compare", "--model", "qwen3-32b", *boxes, "--json").stdout)
    served = compared["serving"][hardware]
    alone = run_cli("estimate", "--model", "qwen3-32b", "--hw", hardware, "--json").stdout
    eight = run_cli(
        "estimate", "--model", "qwen3-32b", "--hw", hardware, "--concurrency", "8", "--json"
    ).stdout
    estimated, single = json.loads(eight), json.loads(alone)
    assert served["decode_tok_s_aggregate"] == pytest.approx(estimated["decode_tok_s_aggregate"])
    assert (served["engine"], served["quant"]) == (estimated["engine"], estimated["quant"])
    assert served["decode_tok_s_aggregate"] > single["decode_tok_s"]  # a team gets more in all
    text = run_cli("compare", "--model", "qwen3-32b", *boxes).stdout
    row = next(line for line in text.splitlines() if line.startswith("| 8 users at once"))
    assert f"({served_on})" in row


def test_two_sparks_run_as_two_sparks_are_run_vllm_tensor_parallel(run_cli: RunCli) -> None:
    # two Sparks had been set up as a llama.cpp pipeline at 43.0 tok/s ("one of these runs it
    # at about 54.8"), the vLLM tensor split at 58.2 discounted as an unusual engine, though it
    # is how two Sparks are run and how 24 of the 26 published two-Spark runs were made
    two = json.loads(
        run_cli(
            "estimate", "--model", "gpt-oss-120b", "--hw", "dgx-spark", "--units", "2",
            "--context", "32k", "--json",
        ).stdout
    )  # fmt: skip
    assert (two["engine"], two["split"]) == ("vllm", "tensor")
    one = json.loads(
        run_cli("estimate", "--model", "gpt-oss-120b", "--hw", "dgx-spark", "--json").stdout
    )
    assert two["decode_tok_s"] > one["decode_tok_s"]
    text = run_cli("ask", "One DGX Spark or two for gpt-oss-120b at 32k context?").stdout
    assert "mxfp4 on vLLM, tensor split over ConnectX-7" in text


def test_a_team_nothing_serves_is_told_to_count_who_uses_it_at_once(run_cli: RunCli) -> None:
    # "给300人的公司用 qwen3 32b" read 300 users at once and said only that nothing runs Qwen3-32B
    text = run_cli("ask", "给300人的公司用 qwen3 32b，买什么").stdout
    assert text.startswith("**候选机器里没有能让 300 人同时正常用 Qwen3-32B 的。**")
    assert "同一时刻真正在用的人数" in text


def test_value_and_owning_cost_picks_are_at_4_bits_where_any_works(run_cli: RunCli) -> None:
    # "Best value: M1 Ultra 128GB" and "cheapest to own" were a q3_k_m squeeze with the memory
    # limit raised, cheaper than the cheapest that meets the bar at 4 bits
    out = json.loads(run_cli("recommend", "-m", "qwen3-235b-a22b", "--json").stdout)
    options = {(o["hardware"], o["units"]): o for o in out["options"]}
    for name in ("best_value", "cheapest_to_own"):
        pick = out["picks"][name]
        assert options[(pick["hardware"], pick["units"])]["nominal_bits"] >= 4, name


def test_just_over_budget_is_at_most_a_tenth_over_and_faster_than_all_within(
    advisor: Advisor,
) -> None:
    query = RecommendQuery(model="gpt-oss-120b", budget=5000, context_tokens=131072)
    rec = recommend(advisor, query)
    stretch = rec.picks.just_over_budget
    assert stretch is not None and stretch.price is not None
    assert 5000 < stretch.price <= 5500
    within = [o for o in rec.options if o.working and o.in_budget]
    assert stretch.answer_tok_s >= 1.25 * max(o.answer_tok_s for o in within)
    # no budget, nothing over it
    assert recommend(advisor, RecommendQuery(model="llama-3.3-70b")).picks.just_over_budget is None


def test_a_budget_that_buys_a_server_weighs_datacenter_gpus(advisor: Advisor) -> None:
    # "$500,000 for full DeepSeek R1 for 20 users" had been "Nothing in a budget of $500,000
    # runs DeepSeek-R1 usably": datacenter GPUs were weighed only when named
    big = answer(
        advisor,
        parse(
            advisor.catalog,
            "Budget $500,000, run full DeepSeek R1 for 20 users, what should we buy?",
        ),
    )
    assert big.answer.startswith("**Buy: ") and "(datacenter module)" in big.answer.split("\n")[0]
    assert "which the price leaves out" in big.answer  # the server is not in the price
    small = answer(
        advisor, parse(advisor.catalog, "Budget $20,000, run DeepSeek R1, what should I buy?")
    )
    assert "datacenter" not in small.answer


def test_a_long_context_comparison_calls_chat_on_the_conversation_and_names_the_cheapest_to_own(
    advisor: Advisor,
) -> None:
    # at 128k the two first replies are even (28.1 against 28.0 tok/s) but a conversation
    # averages 17.4 against 12.8: "不相上下" had contradicted the row the verdict is judged on
    question = "M3 Ultra 512G 和 2台 DGX Spark 跑 Qwen3 235B 哪个划算？128k 上下文"
    text = answer(advisor, parse(advisor.catalog, question)).answer
    assert "- 聊天（生成速度）：M3 Ultra 512GB" in text
    assert "整段对话的生成速度是它的 1.4 倍" in text
    assert "- 三年总持有成本最低（含每天 8 小时的电费）：2 台 DGX Spark" in text
    rq = RecommendQuery(
        model="qwen3-235b-a22b",
        hardware=("mac-studio-m3-ultra-80c-512gb", "dgx-spark"),
        budget=10000,
    )
    found = compare(advisor, rq, [None, 2])
    assert found.winners.owning == "dgx-spark"
    costs = {o.hardware: o.owning_cost for o in found.sides}
    assert costs["dgx-spark"] < costs["mac-studio-m3-ultra-80c-512gb"]
    english = render_comparison(advisor.catalog, found)
    assert "- Over your budget of $10,000: M3 Ultra 512GB\n" in english


def test_fastest_for_a_long_prompt_says_it_counts_the_wait(advisor: Advisor) -> None:
    # "最快：2 张 RTX 4090，约 29.7 tok/s" beside a pick at 30.4 read as a slower "fastest": it
    # is the fastest to a whole answer once a 35,000-token prompt's wait is counted
    question = "我要贴 5 万字的合同让模型审，用 Qwen3 32B，首字要等多久？预算4万"
    text = Session().ask(advisor, question).answer
    assert (
        "- 算上首字等待、整段回答最快：2 张 RTX 4090（fp8），约 29.7 tok/s，首字约 20.5 秒" in text
    )
    short = Session().ask(advisor, "预算4万，跑 Qwen3 32B 买什么？").answer
    assert "- 最快：" in short and "整段回答最快" not in short


def test_a_compared_side_that_needs_the_memory_limit_raised_says_so_and_how(
    advisor: Advisor,
) -> None:
    # "39 / 40 GB" had stood with no word that macOS gives the GPU 36 GB until the limit is raised
    text = Session().ask(advisor, "M5 Max 48GB 对比 DGX Spark，跑 Llama 3.3 70B 哪个好？").answer
    assert "| 39 / 40 GB（需先调高 GPU 内存上限） |" in text
    assert "要先调高 GPU 内存上限：`sudo sysctl iogpu.wired_limit_mb=40960`。" in text
    english = Session().ask(advisor, "M5 Max 48GB vs DGX Spark for Llama 3.3 70B?").answer
    assert (
        "GB once the GPU limit is raised |" in english
        and "`sudo sysctl iogpu.wired_limit_mb=" in english
    )


def test_nothing_in_a_small_budget_for_a_big_team_names_the_server_that_would_do(
    advisor: Advisor,
) -> None:
    # "预算15万，团队20人用，跑 DeepSeek R1 满血" had said only that nothing within it works
    text = Session().ask(advisor, "预算15万，团队20人用，跑 DeepSeek R1 满血，买什么？").answer
    assert text.startswith("**预算 15 万元以内，没有能把 DeepSeek-R1 跑到可用的方案。**\n")
    assert (
        "能跑到流畅的最便宜方案是 8 张 H20，88 万元（只算 GPU，服务器另算；2025-12 市场价），"
        "比预算多 73 万元" in text
    )


def test_a_budget_that_buys_no_box_within_the_wait_asked_says_the_wait(advisor: Advisor) -> None:
    # "Nothing in a budget of $6,000 runs Qwen3-32B usably": many do; the 30 s wait is what fails
    question = "Which box for Qwen3 32B with 60k-token prompts, TTFT under 30 seconds, budget $6000"
    first = Session().ask(advisor, question).answer.splitlines()[0]
    assert first == (
        "**Nothing in a budget of $6,000 runs Qwen3-32B usably with its first token within "
        "30.0 s.**"
    )


def test_a_compared_box_that_is_only_a_proof_of_concept_names_the_cluster_that_works(
    advisor: Advisor,
) -> None:
    # one H200 holds Qwen3 235B only at 3 bits; the two that run it well ($59,000, within the
    # $80k asked) had never been named beside 2 x H100
    text = Session().ask(advisor, "H100 or H200 for Qwen3 235B for 20 users, budget $80k?").answer
    assert "- 2 × H200 would make it comfortable: 30.3 tok/s each for 20 users" in text


def test_a_server_budget_sets_the_other_servers_beside_the_pick(advisor: Advisor) -> None:
    # "why not the others" under a server budget had listed only Macs and a Spark
    text = (
        Session()
        .ask(advisor, "Suggest a build for llama 405b in fp8, need >10 t/s, budget $100,000")
        .answer
    )
    why_not = text.split("**Why not the others**", 1)[1]
    assert "- 8 × H200: 24.1 tok/s" in why_not and "- DGX Spark:" not in why_not


def test_a_comparison_names_the_electricity_rate_it_used(run_cli: RunCli) -> None:
    # "--kwh-price 0.3" changed the figures of a comparison but no word said at what rate
    out = run_cli(
        "compare", "dgx-spark", "mac-studio-m3-ultra-96gb", "-m", "qwen3-32b", "--kwh-price", "0.3"
    )
    assert "| electricity a year, 8 h/day at $0.30/kWh (your price) |" in out.stdout


@pytest.mark.parametrize(
    ("model", "budget", "context"),
    [("qwen3-32b", 6000, 32_768), ("qwen3-32b", 5000, 8192), ("minimax-m2", 10_000, 8192)],
)
def test_the_fastest_is_fastest_over_a_conversation_and_the_cheaper_of_equals(
    advisor: Advisor, model: str, budget: int, context: int
) -> None:
    # "Fastest: RTX 5090, 56.9 tok/s, 45.5 on average" was slower over a conversation than
    # the pick beside it (46.5), and an RTX PRO 6000 was named where two 5090s are as fast
    rec = recommend(advisor, RecommendQuery(model=model, budget=budget, context_tokens=context))
    fastest = rec.picks.fastest
    assert fastest is not None
    inside = [o for o in rec.options if o.working and o.in_budget]
    top = max(o.conversation_answer_tok_s for o in inside)
    assert fastest.conversation_answer_tok_s >= top * 0.98
    equals = [o for o in inside if o.conversation_answer_tok_s >= top * 0.98 and o.price]
    four_bit = [o for o in equals if o.nominal_bits >= 4] or equals
    assert fastest.price == min(o.price or 0 for o in four_bit)


def test_best_value_for_long_documents_counts_the_wait_when_nothing_works_well(
    advisor: Advisor,
) -> None:
    # "Best value: M1 Ultra 128GB" for 100k-token documents, whose first token takes 48 min
    question = "We need to summarize 100k-token legal documents with Llama 3.3 70B. Budget $10,000"
    rec = answer(advisor, parse(advisor.catalog, question))
    assert rec.result is not None
    value = rec.result["picks"]["best_value"]
    assert value["hardware"] != "mac-studio-m1-ultra-128gb"
    assert "Best value: M1 Ultra" not in rec.answer


def test_the_largest_cluster_asked_caps_datacenter_servers_too(run_cli: RunCli) -> None:
    # "--max-units 2" had offered "Just over the budget: 4 x H100 SXM"
    args = ["-m", "gpt-oss-120b", "--budget", "100000", "--concurrency", "10"]
    capped = run_cli("recommend", *args, "--prompt", "50000", "--max-units", "2", "--json")
    assert capped.returncode == 0, capped.stderr
    found = json.loads(capped.stdout)
    picked = [o for o in found["picks"].values() if o] + found["options"]
    assert picked and max(o["units"] for o in picked) <= 2
    uncapped = run_cli("recommend", *args, "--prompt", "50000", "--json")
    assert max(o["units"] for o in json.loads(uncapped.stdout)["options"]) > 2
