"""Importing a model from a Hugging Face config.json or a GGUF header."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from advisor.catalog import load_catalog
from advisor.catalog.importers import add_to_user_catalog, import_model
from advisor.errors import CatalogFileError
from tests.model_configs import DEEPSEEK_CONFIG, LLAMA_CONFIG


def test_a_llama_config_imports_with_the_published_parameter_count(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps(LLAMA_CONFIG))
    model = import_model(config)
    assert model.id == "llama-3.1-8b-instruct"
    assert model.params_total_b == pytest.approx(8.03, rel=0.01)  # model card: 8.03B
    assert (model.layers, model.kv_heads, model.head_dim) == (32, 8, 128)
    assert model.attention == "gqa" and not model.is_moe


def test_a_deepseek_config_imports_as_mla_moe(tmp_path: Path) -> None:
    config = {**DEEPSEEK_CONFIG, "quantization_config": {"quant_method": "fp8"}}
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    model = import_model(path)
    assert model.attention == "mla" and model.kv_lora_rank == 512
    assert model.native_dtype == "fp8"
    assert model.params_total_b == pytest.approx(671, rel=0.02)  # model card: 671B
    assert model.params_active_b == pytest.approx(37, rel=0.05)  # model card: 37B activated


def _write_tiny_gguf(path: Path) -> None:
    import gguf

    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("Tiny Llama Test")
    writer.add_block_count(2)
    writer.add_embedding_length(64)
    writer.add_head_count(4)
    writer.add_head_count_kv(2)
    writer.add_context_length(2048)
    writer.add_tensor("token_embd.weight", np.zeros((100, 64), dtype=np.float32))
    writer.add_tensor("output.weight", np.zeros((100, 64), dtype=np.float32))
    for layer in range(2):
        writer.add_tensor(f"blk.{layer}.attn_q.weight", np.zeros((64, 64), dtype=np.float32))
        writer.add_tensor(f"blk.{layer}.ffn_up.weight", np.zeros((128, 64), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def test_a_gguf_header_imports_with_exact_tensor_counts(tmp_path: Path) -> None:
    path = tmp_path / "tiny.gguf"
    _write_tiny_gguf(path)
    model = import_model(path)
    expected = 2 * 100 * 64 + 2 * (64 * 64 + 128 * 64)
    assert model.params_total_b == pytest.approx(expected / 1e9, abs=1e-4)
    assert (model.layers, model.heads, model.kv_heads, model.vocab_size) == (2, 4, 2, 100)
    assert model.max_context == 2048 and not model.tied_embeddings


def test_a_file_that_is_not_gguf_is_rejected_by_name(tmp_path: Path) -> None:
    path = tmp_path / "broken.gguf"
    path.write_bytes(b"not a gguf file at all")
    with pytest.raises(CatalogFileError, match=r"broken\.gguf: not a readable GGUF"):
        import_model(path)


def test_imported_model_is_added_and_usable(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps(LLAMA_CONFIG))
    target = tmp_path / "my-catalog.yaml"
    add_to_user_catalog(import_model(config, model_id="my-llama"), target)
    catalog = load_catalog([target])
    assert catalog.models.get("my-llama").layers == 32


def test_adding_to_a_broken_user_catalog_leaves_it_untouched(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps(LLAMA_CONFIG))
    target = tmp_path / "broken.yaml"
    broken = "models:\n  - id: x\n    layers: [unclosed\n"
    target.write_text(broken)
    with pytest.raises(CatalogFileError, match=r"broken\.yaml"):
        add_to_user_catalog(import_model(config), target)
    assert target.read_text() == broken
