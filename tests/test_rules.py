"""The rule set: every rule fires when its condition holds and stays quiet when it does not;
broken rule files are rejected at load with file, rule id and reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from advisor.catalog import Catalog
from advisor.choose import estimate_request
from advisor.errors import CatalogFileError
from advisor.facts import Facts
from advisor.requests import EstimateRequest
from advisor.rules import _load_rules_file, fire, load_rules, overall_verdict
from tests.helpers import shipped_advisor


@pytest.fixture(scope="module")
def base_facts(catalog: Catalog) -> dict[str, Any]:
    request = EstimateRequest(model="qwen3-32b", hardware="rtx-5090", quant="q4_k_m")
    return estimate_request(shipped_advisor(catalog), request).facts.model_dump()


# rule id -> (facts that make it fire, facts that keep it quiet)
CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "wont-fit": ({"fits": False, "fits_if_raised": False}, {}),
    "memory-all-but-full": ({"all_but_full": True}, {"all_but_full": False}),
    "decode-below-reading-speed": (
        {"decode_tok_s_conversation": 3.0},
        {"decode_tok_s_conversation": 6.0},
    ),
    "decode-reading-speed": (
        {"decode_tok_s_conversation": 7.0},
        {"decode_tok_s_conversation": 12.0},
    ),
    "decode-interactive": (
        {"decode_tok_s_conversation": 15.0},
        {"decode_tok_s_conversation": 25.0},
    ),
    "decode-comfortable": (
        {"decode_tok_s_conversation": 25.0},
        {"decode_tok_s_conversation": 15.0},
    ),
    "long-prompt-wait": (
        {"prompt_tokens": 16000.0, "ttft_s": 90.0},
        {"prompt_tokens": 16000.0, "ttft_s": 30.0},
    ),
    "below-your-speed": (
        {"min_tok_s": 50.0, "decode_tok_s_conversation": 30.0},
        {"min_tok_s": 20.0, "decode_tok_s_conversation": 30.0},
    ),
    "above-your-wait": (
        {"max_ttft_s": 10.0, "ttft_wait_s": 25.0},
        {"max_ttft_s": 30.0, "ttft_wait_s": 25.0},
    ),
    "bandwidth-bound": (
        {"decode_bound": "bandwidth", "decode_read_share": 0.9},
        {"decode_bound": "bandwidth", "decode_read_share": 0.4},
    ),
    "fixed-cost-bound-decode": (
        {"decode_bound": "bandwidth", "decode_read_share": 0.4},
        {"decode_bound": "bandwidth", "decode_read_share": 0.9},
    ),
    "others-prompts-bound": (
        {"concurrency": 10.0, "stall_share": 0.66},
        {"concurrency": 10.0, "stall_share": 0.3},
    ),
    "compute-bound-decode": ({"decode_bound": "compute"}, {"decode_bound": "bandwidth"}),
    "interconnect-bound": ({"units": 2.0, "decode_bound": "interconnect"}, {"units": 1.0}),
    "slow-long-prompts": (
        {"prompt_tokens": 16000.0, "ttft_s": 40.0},
        {"prompt_tokens": 16000.0, "ttft_s": 5.0},
    ),
    "tight-headroom": ({"spare_share": 0.03}, {"spare_share": 0.3}),
    "raise-wired-limit": (
        {"needs_raise": True, "family": "apple"},
        {"needs_raise": False, "family": "apple"},
    ),
    "raise-gpu-limit": (
        {"needs_raise": True, "family": "amd"},
        {"needs_raise": True, "family": "apple"},
    ),
    "low-bit-only": (
        {"quant_bits": 3.0, "fits_at_4bit": True, "four_bit_all_but_full": True},
        {"quant_bits": 3.0, "fits_at_4bit": True, "four_bit_all_but_full": False},
    ),
    "compact-4bit-chosen": ({"fallback_format": True}, {"fallback_format": False}),
    "low-bit-chosen": (
        {"quant_bits": 2.0, "fits_at_4bit": True, "four_bit_all_but_full": False},
        {"quant_bits": 2.0, "fits_at_4bit": True, "four_bit_all_but_full": True},
    ),
    "pipeline-adds-capacity": (
        {"units": 2.0, "split": "pipeline"},
        {"units": 2.0, "split": "tensor"},
    ),
    "tensor-needs-low-latency": (
        {"units": 2.0, "split": "tensor", "link_tensor_ok": False},
        {"units": 2.0, "split": "tensor", "link_tensor_ok": True},
    ),
    "tensor-parallel-scales": (
        {"units": 2.0, "split": "tensor", "link_tensor_ok": True, "engine": "vllm"},
        {"units": 2.0, "split": "pipeline", "engine": "vllm"},
    ),
    "rope-scaling-needed": (
        {"context_tokens": 131072.0, "native_context": 40960.0},
        {"context_tokens": 32768.0, "native_context": 40960.0},
    ),
    "llama-cpp-tensor-split-unmeasured": (
        {"units": 2.0, "split": "tensor", "engine": "llama.cpp"},
        {"units": 2.0, "split": "tensor", "engine": "vllm"},
    ),
    "batching-pays": (
        {"batch_gain": 6.0, "serving_fits": True, "batch_tok_s": 60.0},
        # 30 tok/s over 8 is 3.8 each, slower than reading: no team box (a Spark on a 70B)
        {"batch_gain": 6.0, "serving_fits": True, "batch_tok_s": 30.0},
    ),
    "batching-limited": (
        {"batch_gain": 1.2, "serving_fits": True},
        {"batch_gain": 1.5, "serving_fits": True},
    ),
    "spark-small-models": (
        {"hardware": "dgx-spark", "params_total_b": 14.0, "decode_tok_s_conversation": 20.0},
        {"hardware": "dgx-spark", "params_total_b": 70.0},
    ),
    "spark-70b-poc": (
        {
            "hardware": "dgx-spark",
            "params_total_b": 70.0,
            "is_moe": False,
            "decode_tok_s_conversation": 5.5,
        },
        # below reading speed (a long prompt's depth) it is not usable, not a proof of concept
        {
            "hardware": "dgx-spark",
            "params_total_b": 70.0,
            "is_moe": False,
            "decode_tok_s_conversation": 2.3,
        },
    ),
    "over-budget": ({"budget": 1000.0, "over_budget": True}, {"budget": 0.0, "over_budget": False}),
    "no-price": ({"price_known": False}, {"price_known": True}),
    "card-needs-host": ({"kind": "card"}, {"kind": "box"}),
    "datacenter-needs-server": ({"kind": "datacenter"}, {"kind": "card"}),
    "availability": ({"has_availability_note": True}, {"has_availability_note": False}),
    "not-sold-here": ({"sold_here": False}, {"sold_here": True}),
    "uncalibrated": ({"calibrated": False}, {"calibrated": True}),
    "untuned-kernels": ({"kernel_share": 0.55}, {"kernel_share": 1.0}),
}


def test_every_shipped_rule_has_a_case() -> None:
    assert {r.id for r in load_rules()} == set(CASES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_a_rule_fires_and_stays_quiet(base_facts: dict[str, Any], rule_id: str) -> None:
    rules = [r for r in load_rules() if r.id == rule_id]
    firing, quiet = CASES[rule_id]
    assert [f.id for f in fire(rules, Facts(**{**base_facts, **firing}))] == [rule_id]
    assert fire(rules, Facts(**{**base_facts, **quiet})) == []


def test_a_fired_rule_carries_the_figures_it_read(base_facts: dict[str, Any]) -> None:
    fired = fire(load_rules(), Facts(**{**base_facts, "decode_tok_s_conversation": 3.0}))
    slow = next(f for f in fired if f.id == "decode-below-reading-speed")
    assert slow.figures["decode_tok_s_conversation"] == 3.0
    assert overall_verdict(fired) == "not_usable"


def test_the_worst_verdict_wins(base_facts: dict[str, Any]) -> None:
    fired = fire(
        load_rules(),
        Facts(**{**base_facts, "decode_tok_s": 30.0, "prompt_tokens": 16000.0, "ttft_s": 120.0}),
    )
    assert overall_verdict(fired) == "poc_only"


def _rules_dir(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "my-rules"
    folder.mkdir()
    (folder / "mine.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_user_rule_overrides_a_shipped_one(tmp_path: Path, base_facts: dict[str, Any]) -> None:
    folder = _rules_dir(
        tmp_path,
        """
- id: decode-below-reading-speed
  when: fits_if_raised && decode_tok_s < 8.0
  kind: verdict
  verdict: not_usable
  explain: below_reading_speed
""",
    )
    rules = load_rules([folder])
    fired = fire(rules, Facts(**{**base_facts, "decode_tok_s": 7.0}))
    assert "decode-below-reading-speed" in [f.id for f in fired]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "- id: bad\n  when: decode_tok_z < 5.0\n  kind: warning\n  explain: x\n",
            r"mine\.yaml, entry 'bad', field 'when': unknown name 'decode_tok_z' in condition; "
            r"did you mean 'decode_tok_s'\?",
        ),
        (
            "- id: old\n  when: fits and not needs_raise and units > 1\n  kind: warning\n"
            "  explain: x\n",
            r"entry 'old', field 'when': written in the old rule syntax.*write it as "
            r"`fits && !needs_raise && units > 1\.0`",
        ),
        (
            "- id: bad\n  when: decode_tok_s + 1.0\n  kind: warning\n  explain: x\n",
            r"entry 'bad', field 'when': the condition gives a number, not true or false",
        ),
        (
            "- id: bad\n  when: decode_tok_s < 'fast'\n  kind: warning\n  explain: x\n",
            r"entry 'bad', field 'when': bad condition",
        ),
        (
            "- id: bad\n  when: decode_tok_s <\n  kind: warning\n  explain: x\n",
            r"entry 'bad', field 'when': bad condition",
        ),
        ("- id: bad\n  when: fits\n  kind: shout\n  explain: x\n", r"entry 'bad', field 'kind'"),
        (
            "- id: bad\n  when: fits\n  kind: verdict\n  verdict: great\n  explain: x\n",
            r"entry 'bad', field 'verdict'",
        ),
        (
            "- id: bad\n  when: fits\n  kind: advice\n  explain: x\n  reads: [nonsense]\n",
            r"entry 'bad', field 'reads': unknown fact 'nonsense'",
        ),
        ("not: a list\n", r"mine\.yaml: a rules file is a list of rules"),
        (
            "- id: mine\n  when: fits\n  kind: advice\n  explain: no_such_text\n",
            r"entry 'mine', field 'explain': no explanation 'no_such_text' in templates/en",
        ),
    ],
)
def test_a_broken_rule_file_is_rejected_at_load(tmp_path: Path, text: str, message: str) -> None:
    folder = _rules_dir(tmp_path, text)
    with pytest.raises(CatalogFileError, match=message):
        load_rules([folder])


def test_a_rule_that_fails_on_some_facts_is_skipped_alone(
    tmp_path: Path, base_facts: dict[str, Any]
) -> None:
    """All conditions are evaluated together; one that fails must not change the others."""
    folder = _rules_dir(
        tmp_path,
        """
- id: huge-price
  when: price > 1.0 && int(price * 1e300) > 1 // a comment, then an error above 1
  kind: warning
  explain: over_budget
""",
    )
    facts = Facts(**{**base_facts, "decode_tok_s": 3.0, "price": 5.0})
    skipped: list[str] = []
    fired = fire(load_rules([folder]), facts, skipped)
    assert [f.id for f in fired] == [f.id for f in fire(load_rules(), facts)]
    assert len(skipped) == 1 and "rule 'huge-price'" in skipped[0]
    quiet = Facts(**{**base_facts, "price": 0.0})
    assert fire(load_rules([folder]), quiet, skipped) == fire(load_rules(), quiet)


def test_a_rules_file_is_checked_once_per_content(tmp_path: Path) -> None:
    """A file that passed its checks is answered from the cache, unchecked; once edited it is
    checked again, and a mistake in the edit is refused however often it is loaded."""
    good = """
- id: dear-box
  when: price > 9000.0
  kind: warning
  explain: over_budget
"""
    path = _rules_dir(tmp_path, good) / "mine.yaml"
    first = _load_rules_file(path)
    again = _load_rules_file(path)
    assert [r.spec for r in again] == [r.spec for r in first]
    path.write_text(good.replace("price > 9000.0", "prise > 9000.0"), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(CatalogFileError, match="did you mean 'price'"):
            _load_rules_file(path)


def test_the_spark_small_model_advice_is_not_given_beside_a_proof_of_concept() -> None:
    # "7B-32B models are what one DGX Spark handles well" had followed "proof of concept only"
    from advisor.ask.session import Session
    from advisor.context import load_advisor

    said = (
        Session()
        .ask(load_advisor(), "I paste 20k-token prompts into Qwen3 32B, how long on a DGX Spark?")
        .answer
    )
    assert "proof of concept only" in said and "7B–32B models" not in said


def test_conditions_read_back_from_the_cache_judge_as_compiled_ones(
    base_facts: dict[str, Any],
) -> None:
    """All conditions, type-checked together, are compiled once and then read from the user
    cache (11 ms of every call saved); a damaged cache is compiled again, never believed."""
    import os
    import pickle

    from advisor.rules import _together

    facts = [
        Facts(**{**base_facts, **firing}) for firing, _ in CASES.values()
    ]  # every rule fires on one of them
    _together.cache_clear()
    compiled = [fire(load_rules(), f) for f in facts]
    stored = list(Path(os.environ["ADVISOR_CACHE_DIR"]).glob("conditions-*.pickle"))
    assert len(stored) == 1
    _together.cache_clear()
    assert [fire(load_rules(), f) for f in facts] == compiled
    stored[0].write_bytes(pickle.dumps(b"\x0a\x03not a CEL expression"))
    _together.cache_clear()
    assert [fire(load_rules(), f) for f in facts] == compiled
    assert {r.id for fired in compiled for r in fired} == set(CASES)
