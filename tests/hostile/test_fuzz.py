"""6,000 generated inputs, seeded (derandomized) so a failure reproduces: any text as a
question, any numbers and names as estimate flags. None may end in a traceback or an internal
error; each is an answer (exit 0) or a clear refusal (exit 2)."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.cli import main

FUZZ = settings(
    max_examples=3000,  # 6,000 in all: under a minute of CI on a slow 2-core box
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
NAMES = st.sampled_from(["llama-3.3-70b", "qwen3-32b", "deepseek-r1", "gpt-oss-120b", "x"])
BOXES = st.sampled_from(["dgx-spark", "rtx-4090", "m3-ultra-512", "strix halo", "?"])
NUMBER = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["8k", "1e308", "-0", "nan", "inf", "3w", "32K", "", "0x10", "１２"]),
    st.text(max_size=8),
)


def _run(args: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    stdin, sys.stdin = sys.stdin, io.StringIO("")  # an empty question reads a pipe: an empty one
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
    except SystemExit as exc:  # argparse's --help / version paths
        code = int(exc.code or 0)
    finally:
        sys.stdin = stdin
    return code, out.getvalue() + err.getvalue()


def _isolated() -> None:
    os.environ["ADVISOR_CONFIG_DIR"] = tempfile.mkdtemp(prefix="advisor-fuzz-config-")


@FUZZ
@given(st.text(max_size=300))
def test_any_text_as_a_question_is_answered_or_refused_clearly(question: str) -> None:
    _isolated()
    code, output = _run(["ask", question or "?", "--json"])
    assert code in (0, 2), output
    assert "Traceback" not in output and "internal error" not in output, output


@FUZZ
@given(
    NAMES,
    BOXES,
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "--units",
                    "--context",
                    "--prompt",
                    "--output",
                    "--concurrency",
                    "--depth",
                    "--budget",
                    "--min-tok-s",
                    "--quant",
                ]
            ),
            NUMBER,
        ),
        max_size=4,
    ),
)
def test_any_numbers_as_estimate_flags_are_answered_or_refused_clearly(
    model: str, box: str, flags: list[tuple[str, str]]
) -> None:
    _isolated()
    args = ["estimate", "--model", model, "--hardware", box, "--json"]
    for flag, value in flags:
        args += [flag, value]
    code, output = _run(args)
    assert code in (0, 2), output
    assert "Traceback" not in output and "internal error" not in output, output
