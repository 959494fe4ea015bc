"""`advisor estimate` and `advisor catalog` as a user runs them.

Most tests call the CLI's main() in process (the run_cli fixture); a few at the end start the
real command, to check the entry point, exit codes and a stdin pipe end to end.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import RunCli


def test_estimate_prints_figures_with_units_and_assumptions(run_cli: RunCli) -> None:
    out = run_cli("estimate", "--model", "llama-3.3-70b", "--hardware", "dgx-spark")
    assert out.returncode == 0, out.stderr
    for words in ("tok/s", "GB", "first token", "bandwidth-bound", "assumptions", "engine "):
        assert words in out.stdout


def test_estimate_json_has_the_keys_other_tools_read(run_cli: RunCli) -> None:
    out = run_cli(
        "estimate", "-m", "deepseek-r1", "--hw", "mac-studio-m3-ultra-80c-512gb", "--json"
    )
    data = json.loads(out.stdout)
    assert set(data) >= {
        "decode_tok_s",
        "prefill_tok_s",
        "ttft_s",
        "fits",
        "memory_total_gb",
        "memory_usable_gb",
        "bound",
        "assumptions",
    }
    assert data["bound"] in {"bandwidth", "compute", "capacity", "interconnect"}


def test_the_same_question_gives_the_same_bytes(run_cli: RunCli) -> None:
    args = ("estimate", "-m", "qwen3-32b", "--hw", "rtx-5090", "--json")
    assert run_cli(*args).stdout == run_cli(*args).stdout


def test_an_unknown_model_gets_a_did_you_mean_and_exit_code_2(run_cli: RunCli) -> None:
    out = run_cli("estimate", "--model", "lama-3.3-70b", "--hardware", "dgx-spark")
    assert out.returncode == 2
    assert "did you mean 'llama-3.3-70b'" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--context", "-5"), "must be at least 1"),
        (("--units", "0"), "must be at least 1"),
        (("--concurrency", "lots"), "is not a whole number"),
        (("--units", "9"), "clusters up to 4 units"),
        (("--prompt", "99999", "--context", "8k"), "exceed the context window"),
        # had printed 0.1 tok/s and 1.5 million minutes, and exited 0
        (("--output", "10M"), "the answer (10,000,000 tokens) is longer than the context window"),
        # a budget nothing here approaches: had been answered as a real one
        (
            ("--budget", "1e15"),
            "--budget: must be at most 1,000,000,000, got 1,000,000,000,000,000",
        ),
        (("--context", "16m"), "--context: must be at most 10,000,000, got 16,777,216"),
        (("--engine", "mlx"), "mlx does not run on"),
    ],
)
def test_impossible_numbers_get_a_clear_error(
    run_cli: RunCli, args: tuple[str, ...], message: str
) -> None:
    out = run_cli("estimate", "-m", "llama-3.1-8b", "--hw", "dgx-spark", *args)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize(
    ("question", "code", "words"),
    [
        ("A team of -3 wants Qwen3 32B on a DGX Spark", "invalid_input", "at least 1"),
        ("Can a DGX Spark run Qwen3 32B with a 500k-token prompt?", "invalid_input", "context"),
        ("Can 0 DGX Sparks run Qwen3 8B?", "invalid_input", "at least 1"),
        ("Spark 跑 llama3 70b 要 -2 台", "invalid_input", "至少为 1"),
        ("Which box for qwen3 32b with budget -100?", "invalid_input", "budget"),
        ("Which box for qwen3 32b, budget -$100?", "invalid_input", "budget"),
        ("Can a DGX Spark run Llama 4.5 900B?", "unknown_name", "llama 4.5 900b"),
    ],
)
def test_a_refused_question_exits_2_with_the_error_in_the_json(
    run_cli: RunCli, question: str, code: str, words: str
) -> None:
    out = run_cli("ask", question, "--json")
    data = json.loads(out.stdout)
    assert out.returncode == 2
    assert data["error"]["code"] == code and words in data["error"]["message"]
    assert data["error"]["message"] in data["answer"]


def test_an_answered_question_exits_0_with_no_error(run_cli: RunCli) -> None:
    out = run_cli("ask", "Can an RTX 4090 run Qwen3 8B?", "--json")
    assert out.returncode == 0 and json.loads(out.stdout)["error"] is None


@pytest.mark.parametrize(
    ("typed", "memory"),
    [("m3-ultra-256", "256 GB"), ("m3-ultra-96", "96 GB"), ("m3-ultra-512", "512 GB")],
)
def test_a_number_after_a_box_name_is_its_memory(run_cli: RunCli, typed: str, memory: str) -> None:
    out = run_cli("estimate", "-m", "llama-3.1-8b", "--hw", typed)
    assert out.returncode == 0 and memory in out.stdout.splitlines()[0]


def test_a_memory_size_no_variant_has_is_refused_not_swapped(run_cli: RunCli) -> None:
    out = run_cli("estimate", "-m", "llama-3.1-8b", "--hw", "m3-ultra-300")
    assert out.returncode == 2 and "unknown hardware 'm3-ultra-300'" in out.stderr


def test_catalog_prices_a_china_market_card_in_yuan(run_cli: RunCli) -> None:
    """The yuan-only cards ask prices in yuan are not listed as having no price."""
    line = next(
        row for row in run_cli("catalog", "hardware").stdout.splitlines() if "rtx-4090-48gb" in row
    )
    assert "¥" in line and "no current price" not in line


def test_catalog_lists_models_and_hardware_as_json(run_cli: RunCli) -> None:
    data = json.loads(run_cli("catalog", "--json").stdout)
    assert {"hardware", "models", "formats"} <= set(data)
    assert any(m["id"] == "deepseek-r1" for m in data["models"])
    quants = run_cli("catalog", "quants").stdout
    assert "q4_k_m" in quants and "bits/weight" in quants


def test_a_broken_catalog_file_is_named_and_left_alone(run_cli: RunCli, tmp_path: Path) -> None:
    bad = tmp_path / "mine.yaml"
    bad.write_text("models:\n  - id: nope\n    layers: lots\n")
    before = bad.read_text()
    out = run_cli("estimate", "-m", "llama-3.1-8b", "--hw", "dgx-spark", "--catalog", str(bad))
    assert out.returncode == 2 and "mine.yaml, entry 'nope'" in out.stderr
    assert bad.read_text() == before


# --- the real command: a few end-to-end runs in a new process ---------------------------------


def _command(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor.cli", *args], capture_output=True, text=True, input=stdin
    )


def test_the_installed_advisor_script_prints_an_estimate() -> None:
    script = Path(sys.executable).with_name("advisor")
    if not script.is_file():
        pytest.skip("the advisor script is not installed beside this Python (pip install -e .)")
    out = subprocess.run(
        [str(script), "estimate", "-m", "llama-3.3-70b", "--hw", "dgx-spark"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert "tok/s" in out.stdout and "assumptions" in out.stdout


def test_the_module_exits_with_code_2_and_a_message_on_a_bad_name() -> None:
    out = _command("estimate", "--model", "lama-3.3-70b", "--hardware", "dgx-spark")
    assert out.returncode == 2
    assert "did you mean 'llama-3.3-70b'" in out.stderr and "Traceback" not in out.stderr


def test_ask_reads_a_question_piped_to_the_command() -> None:
    out = _command("ask", stdin="Can a DGX Spark run Llama 3.3 70B?\n")
    assert out.returncode == 0, out.stderr
    assert "Llama 3.3 70B" in out.stdout


def test_a_blank_question_is_refused_and_leaves_stdin_alone() -> None:
    # `advisor ask "$q"` with an empty $q in a loop had swallowed the questions piped after it
    out = _command("ask", "   ", stdin="Can a DGX Spark run Llama 3.3 70B?\n")
    assert out.returncode == 2 and out.stdout == ""
    assert 'ask a question, e.g. advisor ask "Can a DGX Spark run' in out.stderr
    assert "to read it from stdin, pass - or nothing" in out.stderr


@pytest.mark.parametrize(
    ("words", "said"),
    [
        (["estimat", "-m", "qwen3-8b"], "unknown command 'estimat'; did you mean 'estimate'?"),
        (["import", "x"], "did you mean 'import-model'?"),
        (["Can a DGX Spark run Qwen3 8B?"], 'advisor ask "Can a DGX Spark run Qwen3 8B?"'),
        (["预算3万买什么"], 'advisor ask "预算3万买什么"'),
    ],
)
def test_an_unknown_command_is_named_with_the_nearest(
    run_cli: RunCli, words: list[str], said: str
) -> None:
    out = run_cli(*words)
    assert out.returncode == 2
    assert said in out.stderr and "Traceback" not in out.stderr


def test_json_before_the_command_and_help_as_a_word(run_cli: RunCli) -> None:
    out = run_cli("--json", "estimate", "-m", "qwen3-8b", "--hardware", "rtx-4090")
    assert out.returncode == 0 and json.loads(out.stdout)["model"] == "qwen3-8b"
    assert "usage: advisor" in run_cli("help").stdout


@pytest.mark.parametrize("spec", ["99x-rtx-3090", "0x-rtx-3090"])
def test_compare_refuses_a_count_a_box_is_not_used_in(run_cli: RunCli, spec: str) -> None:
    # "99x-rtx-3090" had been "cannot hold Qwen3-32B even as a cluster of 2", "0x" one card
    out = run_cli("compare", "2x-dgx-spark", spec, "--model", "qwen3-32b")
    assert out.returncode == 2 and "is used 1 to 8 together" in out.stderr


def test_compare_says_how_it_read_a_box_typed_wrong(run_cli: RunCli) -> None:
    # "mac-stduio" had been compared as the 512 GB M3 Ultra with not a word said; it is "a Mac
    # Studio", as `ask` reads "rtx 5090 vs mac studio": the cheapest one that runs the model
    out = run_cli("compare", "rtx-5090", "mac-stduio", "2x", "dgx-spark", "--model", "qwen3-32b")
    assert out.returncode == 0
    assert out.stderr.strip() == (
        "advisor: 'mac-stduio' names a product line; reading it as mac-studio-m5-max-36gb (M5 Max "
        "32c 36GB): the cheapest configuration named that runs Qwen3-32B usably"
    )


def test_an_unknown_flag_is_named_once(run_cli: RunCli) -> None:
    # "advisor: advisor: unrecognized arguments: --lang zh"
    out = run_cli("estimate", "-m", "qwen3-32b", "--hw", "dgx-spark", "--lang", "zh")
    assert (
        out.returncode == 2 and out.stderr.strip() == "advisor: unrecognized arguments: --lang zh"
    )


def test_estimate_reads_a_count_written_with_the_box(run_cli: RunCli) -> None:
    # "--hardware 2x-dgx-spark" had quietly answered for one Spark ($4,699, 5.5 tok/s)
    two = json.loads(
        run_cli("estimate", "-m", "llama-3.3-70b", "--hw", "2x-dgx-spark", "--json").stdout
    )
    units = run_cli(
        "estimate", "-m", "llama-3.3-70b", "--hw", "dgx-spark", "--units", "2", "--json"
    )
    assert two["units"] == 2 and two == json.loads(units.stdout)
    both = run_cli("estimate", "-m", "llama-3.3-70b", "--hw", "2x dgx-spark", "--units", "3")
    assert both.returncode == 2 and "say it once" in both.stderr


def test_a_box_just_short_of_memory_does_not_read_as_needing_all_it_has(run_cli: RunCli) -> None:
    # "fits no: 112 GB needed of 112 GB usable" read as a contradiction
    out = run_cli(
        "estimate", "-m", "qwen3-235b", "--hw", "ryzen-ai-max-395-128gb", "--raise-limit",
        "--quant", "q3_k_m",
    )  # fmt: skip
    assert "fits           no: 112.2 GB needed of 112 GB usable" in out.stdout


def test_a_box_given_by_its_line_is_the_configuration_a_question_naming_it_gets(
    run_cli: RunCli,
) -> None:
    """`estimate --hw mac-studio-m5-ultra` had been the 512 GB one on pre-order, with no price,
    where `ask` about "a Mac Studio M5 Ultra" answered with the 96 GB one at $5,499."""
    asked = json.loads(run_cli("ask", "Qwen3 32B on a Mac Studio M5 Ultra?", "--json").stdout)
    estimated = run_cli("estimate", "-m", "qwen3-32b", "--hw", "mac-studio-m5-ultra", "--json")
    option = json.loads(estimated.stdout)
    assert option["hardware"] == asked["result"]["option"]["hardware"] == "mac-studio-m5-ultra-96gb"
    assert option["decode_tok_s"] == asked["result"]["option"]["decode_tok_s"]
    assert "'mac-studio-m5-ultra' names a product line; reading it as mac-studio-m5-ultra-96gb" in (
        estimated.stderr
    )
    compared = run_cli("compare", "dgx-spark", "mac-studio-m5-ultra", "-m", "qwen3-32b", "--json")
    sides = [side["hardware"] for side in json.loads(compared.stdout)["options"]]
    assert "mac-studio-m5-ultra-96gb" in sides
    # a size said is that size
    sized = run_cli("estimate", "-m", "qwen3-32b", "--hw", "mac-studio-m5-ultra-512gb", "--json")
    assert json.loads(sized.stdout)["hardware"] == "mac-studio-m5-ultra-512gb" and not sized.stderr


def test_a_negative_value_after_a_flag_gets_the_flags_own_message(run_cli: RunCli) -> None:
    """'--context -8k' had been 'expected one argument', as if no value had been given."""
    out = run_cli("estimate", "-m", "qwen3-32b", "--hw", "dgx-spark", "--context", "-8k")
    assert out.returncode == 2
    assert out.stderr.strip() == (
        "advisor: estimate: argument --context: must be at least 1 token, got -8k"
    )


def test_a_context_of_zero_is_refused_not_replaced_by_the_default(run_cli: RunCli) -> None:
    out = run_cli("ask", "Qwen3 32B at 0k context on a DGX Spark")
    assert out.stdout.startswith("I could not answer that: the context must be at least 1")


@pytest.mark.parametrize(
    ("budget", "currency"),
    [("3万", "CNY"), ("1.5w", "CNY"), ("¥30000", "CNY"), ("30000元", "CNY"), ("5000", "USD")],
)
def test_a_yuan_budget_flag_is_yuan(run_cli: RunCli, budget: str, currency: str) -> None:
    """`recommend --budget 3万` had been $30,000: seven times the budget `ask` reads in it."""
    out = run_cli("recommend", "--model", "llama-3.3-70b", "--budget", budget, "--json")
    assert json.loads(out.stdout)["query"]["currency"] == currency


def test_a_line_named_box_is_said_even_when_it_is_the_largest(run_cli: RunCli) -> None:
    out = run_cli("estimate", "--model", "deepseek-r1", "--hw", "m3-ultra")
    assert "'m3-ultra' names a product line; reading it as mac-studio-m3-ultra-80c-512gb" in (
        out.stderr
    )


@pytest.mark.parametrize(
    ("flag", "tokens"), [("32k", 32_768), ("128k", 131_072), ("100k", 100_000), ("1.5k", 1_500)]
)
def test_a_context_flag_reads_thousands_as_a_question_does(
    run_cli: RunCli, flag: str, tokens: int
) -> None:
    # "--context 100k" had been 102,400 tokens; the same length in a question is 100,000
    out = run_cli(
        "estimate", "--model", "qwen3-32b", "--hw", "dgx-spark", "--context", flag, "--json"
    )
    assert json.loads(out.stdout)["context_tokens"] == tokens


def test_the_depth_flag_reads_lengths_as_context_and_prompt_do(run_cli: RunCli) -> None:
    # "--depth 8k" had been refused ("'8k' is not a whole number")
    args = ["estimate", "--model", "qwen3-32b", "--hw", "dgx-spark", "--context", "32k", "--json"]
    waits = [
        json.loads(run_cli(*args, "--depth", depth).stdout)["ttft_s"]
        for depth in ("8k", "8192", "0")
    ]
    assert waits[0] == waits[1] > waits[2]
    refused = run_cli(*args, "--depth", "-5")
    assert refused.returncode != 0 and "cannot be negative" in refused.stdout  # as JSON


@pytest.mark.parametrize(
    ("budget", "amount", "currency"),
    [("1万5", 15_000, "CNY"), ("1w5", 15_000, "CNY"), ("3000€", 3_000, "EUR")],
)
def test_a_budget_flag_reads_what_a_question_does(
    run_cli: RunCli, budget: str, amount: float, currency: str
) -> None:
    # "--budget 1万5" had been refused ("'1万5' is not an amount"), though ask reads it
    out = run_cli("recommend", "-m", "qwen3-32b", "--budget", budget, "--json")
    assert out.returncode == 0, out.stdout
    query = json.loads(out.stdout)["query"]
    assert (query["budget"], query["currency"]) == (amount, currency)
