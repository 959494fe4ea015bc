"""The zh and en templates: same names, strict variables, and every model x box renders."""

from __future__ import annotations

import pytest

from advisor.catalog import Catalog
from advisor.choose import estimate_request
from advisor.errors import AdvisorError
from advisor.render.answers import render_option
from advisor.render.env import environment, template_names
from advisor.requests import Constraints, EstimateRequest
from advisor.rules import load_rules
from tests.conftest import RunCli
from tests.helpers import shipped_advisor


def test_both_languages_have_the_same_templates() -> None:
    assert template_names("en") == template_names("zh")
    assert "recommend.md.j2" in template_names("en")


def test_every_rule_has_an_explanation_in_both_languages() -> None:
    for rule in load_rules():
        for lang in ("en", "zh"):
            assert f"reasons/{rule.spec.explain}.j2" in template_names(lang), (rule.id, lang)


def test_templates_run_sandboxed_with_strict_names() -> None:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = environment("en")
    assert isinstance(env, ImmutableSandboxedEnvironment) and env.undefined is StrictUndefined


def test_every_model_on_every_box_renders_in_both_languages(catalog: Catalog) -> None:
    advisor = shipped_advisor(catalog)
    rendered = 0
    for model in catalog.models:
        context = min(8192, model.max_context)
        for hardware in catalog.hardware:
            request = EstimateRequest(
                model=model.id,
                hardware=hardware.id,
                context_tokens=context,
                prompt_tokens=min(1024, context),
            )
            try:
                option = estimate_request(advisor, request)
            except AdvisorError:
                continue
            for lang in ("en", "zh"):
                text = render_option(catalog, option, lang)
                assert model.name in text and "GB" in text
                speed_line = "- Decode:" if lang == "en" else "- 生成速度："
                # a speed is quoted only for what fits
                assert (speed_line in text) == (option.verdict != "wont_fit"), (lang, text)
            rendered += 1
    assert rendered >= 0.9 * len(catalog.models) * len(catalog.hardware)


@pytest.mark.parametrize(("lang", "words"), [("en", "$4,699"), ("zh", "3.3 万元")])
def test_prices_are_written_the_way_each_language_writes_them(
    catalog: Catalog, lang: str, words: str
) -> None:
    currency = "CNY" if lang == "zh" else "USD"
    request = EstimateRequest(model="qwen3-32b", hardware="dgx-spark")
    option = estimate_request(shipped_advisor(catalog), request, Constraints(currency=currency))
    text = render_option(catalog, option, lang)
    assert words in text


def test_a_setup_that_nearly_fills_memory_is_called_tight_with_its_real_figure() -> None:
    """Mistral Small 3.1 24B at q4_k_m (asked for) needs 15.9 GB of a 16 GB RTX 4080: the
    answer must not round that to "16 of 16", and says tight in both languages."""
    from advisor.ask.answer import answer
    from advisor.ask.parse import parse
    from advisor.render.formats import gigabytes_of

    assert (gigabytes_of(19.8, 20), gigabytes_of(44, 24), gigabytes_of(20, 20)) == (
        "19.8",
        "44",
        "20",
    )
    advisor = shipped_advisor()
    question = "can an rtx 4080 run mistral small 3.1 24b at q4_k_m"
    en = answer(advisor, parse(advisor.catalog, question)).answer
    assert "Memory is tight: 15.9 of 16 GB" in en and "15.9 GB needed of 16 GB usable" in en
    question = "rtx 4080 能跑 q4_k_m 的 mistral small 3.1 24b 吗"
    zh = answer(advisor, parse(advisor.catalog, question)).answer
    assert "内存很紧：15.9 / 16 GB" in zh


def test_a_wait_on_the_edge_of_a_unit_is_said_in_the_larger_one() -> None:
    # 119.97 s had been "120.0 s" beside another wait's "2.0 min"
    from advisor.render.formats import duration

    assert [duration(v) for v in (0.9996, 0.9994, 119.94, 119.97, 120.4)] == [
        "1.0 s",
        "999 ms",
        "119.9 s",
        "2.0 min",
        "2.0 min",
    ]
    assert duration(119.97, "zh") == "2.0 分钟"


def test_a_comparison_says_how_each_sides_engine_was_chosen(run_cli: RunCli) -> None:
    # it said "each side uses the engine that runs it best there" where a side kept its
    # platform's usual engine though another was up to 15% faster
    args = ["compare", "dgx-spark", "mac-studio-m4-max-128gb", "-m", "qwen3-32b"]
    assert "runs its platform's usual engine, or another where that is clearly faster (by 15%" in (
        run_cli(*args).stdout
    )
    assert (
        "各自用该平台常用的引擎，别的引擎估算快 15% 以上时才换用"
        in run_cli(*args, "--lang", "zh").stdout
    )
