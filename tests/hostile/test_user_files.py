"""Sessions, settings, catalogs and CSVs that are not what they should be: a clear message,
exit code 2, fast, and the file left as it was."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import RunCli

QUESTION = "Can a DGX Spark run Llama 3.3 70B?"
QUICK_S = 5.0  # every refusal here takes milliseconds; the bound only catches a hang


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "absent"


def _refused(run_cli: RunCli, *args: str) -> str:
    started = time.monotonic()
    out = run_cli(*args)
    assert time.monotonic() - started < QUICK_S
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert out.stderr.startswith("advisor: ") and out.stderr.count("\n") == 1, out.stderr
    assert "Traceback" not in out.stderr and "internal error" not in out.stderr
    return out.stderr


def test_a_fifo_as_session_is_refused_and_left_in_place(run_cli: RunCli, tmp_path: Path) -> None:
    fifo = tmp_path / "chat.json"
    os.mkfifo(fifo)
    message = _refused(run_cli, "ask", "--session", str(fifo), QUESTION)
    assert "not a regular file" in message
    assert fifo.is_fifo()


def test_a_socket_or_device_as_session_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    sock_path = tmp_path / "s.json"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        assert "not a regular file" in _refused(run_cli, "ask", "--session", str(sock_path), "hi")
        assert sock_path.is_socket()
    finally:
        server.close()
    assert "not a regular file" in _refused(run_cli, "ask", "--session", "/dev/null", "hi")


def test_a_link_to_a_session_file_updates_the_file(run_cli: RunCli, tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    assert run_cli("ask", "--session", str(real), "hello").returncode == 0
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert run_cli("ask", "--session", str(link), QUESTION).returncode == 0
    assert link.is_symlink() and json.loads(real.read_text())["history"] == ["hello", QUESTION]
    dangling = tmp_path / "nowhere.json"
    dangling.symlink_to(tmp_path / "missing" / "x.json")
    assert "link to nothing" in _refused(run_cli, "ask", "--session", str(dangling), "hi")


def test_a_broken_session_file_is_named_and_kept(run_cli: RunCli, tmp_path: Path) -> None:
    session = tmp_path / "chat.json"
    session.write_text('{"last": 42, "history": "no"}', encoding="utf-8")
    before = _digest(session)
    assert "not a session file" in _refused(run_cli, "ask", "--session", str(session), QUESTION)
    assert _digest(session) == before


@pytest.mark.parametrize(
    "text", ['{"name": "my-agent", "version": "1.0.0"}', "{}", '["history"]', '{"history": []']
)
def test_a_json_file_that_is_no_session_is_refused_and_kept(
    run_cli: RunCli, tmp_path: Path, text: str
) -> None:
    """A wrong path to someone's package.json had been taken for an empty session and
    overwritten with the conversation."""
    other = tmp_path / "package.json"
    other.write_text(text, encoding="utf-8")
    assert "not a session file" in _refused(run_cli, "ask", "--session", str(other), QUESTION)
    assert other.read_text(encoding="utf-8") == text


def test_twenty_concurrent_questions_all_keep_their_turn(tmp_path: Path) -> None:
    session = tmp_path / "same.json"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    started = time.monotonic()
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "advisor.cli",
                "ask",
                "--session",
                str(session),
                f"{QUESTION} {i}",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(20)
    ]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert all(run.returncode == 0 for run in runs), errors
    history = json.loads(session.read_text(encoding="utf-8"))["history"]
    assert sorted(history) == sorted(f"{QUESTION} {i}" for i in range(20))
    assert not list(tmp_path.glob("*.tmp")) and time.monotonic() - started < 120


def test_settings_from_two_writers_are_both_kept() -> None:
    from advisor.settings import load_settings, save_setting

    save_setting("currency", "CNY")
    save_setting("context_tokens", 32768)  # as a second window would, from stale settings
    settings, note = load_settings()
    assert note is None and settings.currency == "CNY" and settings.context_tokens == 32768


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("recommend", "-m", "llama-3.1-8b", "--catalog", "/dev/zero"), "not a regular file"),
        (("recommend", "-m", "llama-3.1-8b", "--catalog", "/"), "not a regular file"),
        (("validate", "/dev/zero"), "not a regular file"),
    ],
)
def test_devices_and_folders_are_never_read(
    run_cli: RunCli, args: tuple[str, ...], message: str
) -> None:
    assert message in _refused(run_cli, *args)


def test_a_user_catalog_with_an_infinite_number_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(
        "hardware:\n- id: dgx-spark\n  name: x\n  vendor: v\n  family: nvidia\n  kind: box\n"
        "  memory_gb: .inf\n  usable_gb: 100\n  usable_max_gb: 100\n  bandwidth_gbs: 273\n"
        "  tflops: {fp16: 100}\n  sources: {'*': 'a test'}\n",
        encoding="utf-8",
    )
    before = _digest(catalog)
    message = _refused(
        run_cli, "estimate", "-m", "qwen3-32b", "--hw", "dgx-spark", "--catalog", str(catalog)
    )
    assert "entry 'dgx-spark', field 'memory_gb'" in message and "finite" in message
    assert _digest(catalog) == before


def test_a_benchmark_csv_with_nan_is_refused_and_a_bom_is_read(
    run_cli: RunCli, tmp_path: Path
) -> None:
    header = (
        "id,hardware,units,link,split,model,quant,engine,prompt_tokens,gen_tokens,"
        "context_depth,batch,prefill_tok_s,decode_tok_s\n"
    )
    row = "1,dgx-spark,1,none,none,llama-3.1-8b,q4_k_m,llama.cpp,512,128,0,1,{p},{d}\n"
    nan = tmp_path / "nan.csv"
    nan.write_text(header + row.format(p="nan", d="38"), encoding="utf-8")
    assert "finite" in _refused(run_cli, "validate", str(nan))
    bom = tmp_path / "bom.csv"
    bom.write_text("\ufeff" + header + row.format(p="2000", d="38"), encoding="utf-8")
    out = run_cli("validate", str(bom), "--json")
    assert out.returncode == 0 and json.loads(out.stdout)["rows"][0]["decode_measured"] == 38


TINY_CONFIG = (
    '{"_name_or_path": "acme/tiny-7b", "model_type": "llama", "num_hidden_layers": 32,'
    ' "hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 8,'
    ' "vocab_size": 32000, "intermediate_size": 11008, "max_position_embeddings": 8192}'
)


def test_adding_a_model_keeps_the_users_comments_mode_and_link(
    run_cli: RunCli, tmp_path: Path
) -> None:
    config = tmp_path / "config.json"
    config.write_text(TINY_CONFIG, encoding="utf-8")
    real = tmp_path / "mine.yaml"
    real.write_text("# my own boxes and models\nmodels: []\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    out = run_cli("import-model", str(config), "--add-to", str(link))
    assert out.returncode == 0 and "added 'tiny-7b'" in out.stdout, out.stderr
    assert link.is_symlink() and (real.stat().st_mode & 0o777) == 0o640
    assert real.read_text(encoding="utf-8").startswith("# my own boxes and models\nmodels:\n- id")
    again = run_cli("import-model", str(config), "--add-to", str(real), "--name", "Tiny")
    assert again.returncode == 0 and "replaced 'tiny-7b'" in again.stdout
    assert "comments are gone" in again.stdout  # said, not silent


def test_escape_codes_in_arguments_are_not_echoed(run_cli: RunCli) -> None:
    out = run_cli("estimate", "--model", "\x1b]0;owned\x07zz", "--hardware", "dgx-spark")
    assert out.returncode == 2 and "unknown model" in out.stderr
    assert "\x1b" not in out.stderr and "\x07" not in out.stderr
