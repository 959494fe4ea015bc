"""Importing a model from the Hugging Face Hub, against a local stand-in on HF_ENDPOINT.

Every test runs the real `advisor` command in a new process, as a user would, with HF_HOME in a
temporary folder, so huggingface_hub reads the environment exactly as it does for them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.hub_standin import Hub, serve
from tests.model_configs import LLAMA_CONFIG, QWEN3_MOE_CONFIG

QWEN3_30B_PARAMS = 30_532_122_624  # Qwen/Qwen3-30B-A3B safetensors total, as the Hub reports it


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hub]:
    stand_in = Hub()
    stand_in.add(
        "acme/some-moe", {"config.json": QWEN3_MOE_CONFIG}, safetensors_total=QWEN3_30B_PARAMS
    )
    stand_in.add("acme/gated-llama", {"config.json": LLAMA_CONFIG}, gated=True)
    stand_in.add("nextlab/gemma-9-27b-it", {"config.json": LLAMA_CONFIG})  # near a catalog name
    stand_in.add("acme/tiny-GGUF", _gguf_files(tmp_path))
    with serve(stand_in):
        monkeypatch.setenv("HF_ENDPOINT", stand_in.url)
        monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
        monkeypatch.delenv("HF_TOKEN", raising=False)
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
        monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
        yield stand_in


def advisor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor.cli", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
    )


def _gguf_files(folder: Path) -> dict[str, bytes]:
    import gguf

    files = {}
    for quant in ("Q4_K_M", "Q8_0"):
        path = folder / f"tiny-{quant}.gguf"
        writer = gguf.GGUFWriter(str(path), "llama")
        writer.add_name("Tiny")
        writer.add_block_count(2)
        writer.add_embedding_length(64)
        writer.add_head_count(4)
        writer.add_head_count_kv(2)
        writer.add_context_length(4096)
        writer.add_tensor("token_embd.weight", np.zeros((1000, 64), dtype=np.float32))
        for layer in range(2):
            writer.add_tensor(f"blk.{layer}.attn_q.weight", np.zeros((64, 64), dtype=np.float32))
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        files[path.name] = path.read_bytes() + bytes(8 << 20)  # weights the reader must not fetch
    return files


def test_a_hub_moe_imports_at_its_total_and_active_parameters(hub: Hub) -> None:
    out = advisor("import-model", "acme/some-moe")
    assert out.returncode == 0, out.stderr
    assert "params_total_b: 30.53" in out.stdout and "params_active_b: 3.35" in out.stdout
    assert f"{hub.url}/acme/some-moe/blob/" in out.stdout  # the source names where it was read
    assert "parameter count checked" in out.stderr


def test_an_added_hub_model_is_estimated_by_its_repo_id(hub: Hub) -> None:
    added = advisor("import-model", "acme/some-moe", "--add")
    assert added.returncode == 0, added.stderr
    assert "added 'some-moe'" in added.stdout
    out = advisor("estimate", "--model", "acme/some-moe", "--hw", "rtx-4090", "--json")
    assert out.returncode == 0, out.stderr
    figures = json.loads(out.stdout)
    shipped = json.loads(
        advisor("estimate", "-m", "qwen3-30b-a3b", "--hw", "rtx-4090", "--json").stdout
    )
    assert figures["model"] == "some-moe" and figures["fits"]
    # the same architecture as the shipped Qwen3-30B-A3B entry: the same speed within 2%
    assert figures["decode_tok_s"] == pytest.approx(shipped["decode_tok_s"], rel=0.02)


def test_a_missing_repo_says_so_and_leaves_the_catalog_alone(hub: Hub, tmp_path: Path) -> None:
    catalog = tmp_path / "mine.yaml"
    catalog.write_text("# my models\nmodels: []\n")
    out = advisor("import-model", "acme/no-such-model", "--add-to", str(catalog))
    assert out.returncode == 2
    assert "no model acme/no-such-model on the Hub" in out.stderr and "Traceback" not in out.stderr
    assert catalog.read_text() == "# my models\nmodels: []\n"


def test_a_gated_repo_says_how_to_get_access(hub: Hub, tmp_path: Path) -> None:
    catalog = tmp_path / "mine.yaml"
    out = advisor("import-model", "acme/gated-llama", "--add-to", str(catalog))
    assert out.returncode == 2
    assert "gated" in out.stderr and "HF_TOKEN" in out.stderr
    assert not catalog.exists()


def test_a_gated_repo_imports_with_a_token(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_standin")
    out = advisor("import-model", "acme/gated-llama")
    assert out.returncode == 0, out.stderr
    assert "params_total_b: 8.03" in out.stdout


def test_a_model_read_once_imports_offline_from_the_hub_cache(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert advisor("import-model", "acme/some-moe").returncode == 0
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    out = advisor("import-model", "acme/some-moe")
    assert out.returncode == 0, out.stderr
    assert "params_total_b: 30.53" in out.stdout


def test_no_network_and_no_cache_is_a_clear_message(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens on the discard port
    out = advisor("import-model", "acme/some-moe")
    assert out.returncode == 2
    assert "cannot reach the Hub" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.splitlines()) == 1  # no retry chatter from the Hub library


def test_a_gguf_repo_lists_its_files_and_reads_only_the_header_of_the_one_picked(hub: Hub) -> None:
    listed = advisor("import-model", "acme/tiny-GGUF")
    assert listed.returncode == 2
    assert "pick one with --file" in listed.stderr and "tiny-Q4_K_M.gguf" in listed.stderr
    out = advisor("import-model", "acme/tiny-GGUF", "--file", "tiny-Q8_0.gguf")
    assert out.returncode == 0, out.stderr
    assert "layers: 2" in out.stdout and "max_context: 4096" in out.stdout
    fetched = [(path, ranged) for method, path, ranged in hub.log if path.endswith("Q8_0.gguf")]
    assert fetched and all(ranged and ranged.startswith("bytes=0-") for _, ranged in fetched)
    assert all(int(ranged.rsplit("-", 1)[1]) < 8 << 20 for _, ranged in fetched)
    assert "id: tiny\n" in out.stdout  # the repo's "-GGUF" is packaging, not the model's name


def test_a_gguf_header_read_once_imports_offline(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    assert advisor("import-model", "acme/tiny-GGUF", "--file", "tiny-Q8_0.gguf").returncode == 0
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    out = advisor("import-model", "acme/tiny-GGUF", "--file", "tiny-Q8_0.gguf")
    assert out.returncode == 0, out.stderr
    assert "layers: 2" in out.stdout
    never = advisor("import-model", "acme/tiny-GGUF", "--file", "tiny-Q4_K_M.gguf")
    assert never.returncode == 2 and "was not read before" in never.stderr


def test_ask_about_an_unknown_repo_says_how_to_read_it(hub: Hub) -> None:
    out = advisor("ask", "Can a DGX Spark run acme/some-moe?")
    assert out.returncode == 2, out.stderr  # not answered: the model is not known yet
    assert "advisor import-model acme/some-moe --add" in out.stdout and "--online" in out.stdout
    assert not [entry for entry in hub.log if "/api/models" in entry[1]]  # offline by default
    zh = advisor("ask", "DGX Spark 能跑 acme/some-moe 吗？")
    assert (
        "advisor import-model acme/some-moe --add" in zh.stdout and "Hugging Face 仓库" in zh.stdout
    )


def test_ask_online_reads_the_repo_and_answers_in_the_same_turn(hub: Hub) -> None:
    out = advisor("ask", "Can a DGX Spark run acme/some-moe?", "--online", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["query"]["model"] == "some-moe" and result["query"]["hardware"] == ["dgx-spark"]
    assert (
        "I read **acme/some-moe** from the Hugging Face Hub (30.5B parameters, 3.4B active"
        in (result["answer"])
    )
    assert "tok/s" in result["answer"]
    again = advisor("ask", "How fast is some-moe on an RTX 4090?")  # the next question knows it
    assert "some-moe" in again.stdout and "tok/s" in again.stdout


def test_ask_online_finds_a_plain_name_with_the_hub_search(hub: Hub) -> None:
    out = advisor("ask", "能在 DGX Spark 上跑 some-moe 吗", "--online")
    assert out.returncode == 0, out.stderr
    assert "已从 Hugging Face Hub 读取 **acme/some-moe**" in out.stdout and "tok/s" in out.stdout


def test_ask_online_with_a_missing_repo_says_why_and_changes_nothing(hub: Hub) -> None:
    out = advisor("ask", "Can a DGX Spark run acme/nothing-here?", "--online")
    assert out.returncode == 0, out.stderr
    assert "could not: no model acme/nothing-here on the Hub" in out.stdout
    assert "Your catalog is unchanged" in out.stdout and "--online" not in out.stdout


def test_a_model_found_by_the_hub_search_answers_to_the_name_asked(hub: Hub) -> None:
    out = advisor("ask", "Can an RTX 4090 run some moe?", "--online")
    assert "I read **acme/some-moe**" in out.stdout and "I don't know" not in out.stdout
    assert "tok/s" in out.stdout
    again = advisor("ask", "and on a DGX Spark, can it run some moe?")
    assert "tok/s" in again.stdout


def test_a_repo_id_near_a_catalog_name_is_still_read_when_online(hub: Hub) -> None:
    out = advisor("ask", "Can a DGX Spark run nextlab/gemma-9-27b-it?", "--online")
    assert "I read **nextlab/gemma-9-27b-it**" in out.stdout and "tok/s" in out.stdout


def test_re_importing_a_model_keeps_the_names_it_answered_to(hub: Hub) -> None:
    advisor("ask", "Can an RTX 4090 run some moe?", "--online")  # found by search: alias "some moe"
    again = advisor("import-model", "acme/some-moe", "--add")
    assert "replaced 'some-moe'" in again.stdout
    out = advisor("ask", "Can an RTX 4090 run some moe?")
    assert "tok/s" in out.stdout and "I don't know" not in out.stdout


def test_a_revision_never_writes_outside_the_cache(hub: Hub) -> None:
    cache = Path(os.environ["ADVISOR_CACHE_DIR"])
    out = advisor(
        "import-model",
        "acme/tiny-GGUF",
        "--file",
        "tiny-Q8_0.gguf",
        "--revision",
        "../../../escape",
    )
    assert out.returncode == 0, out.stderr
    headers = cache / "gguf-headers" / "acme" / "tiny-GGUF"
    assert [p.name for p in headers.iterdir()] == ["_________escape"]
    assert not (cache / "escape").exists() and not (cache.parent / "escape").exists()
