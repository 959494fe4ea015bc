"""`advisor import-model` on hostile files: a GGUF header declaring counts or lengths its bytes
cannot hold, and config.json files with fields of the wrong kind or absurd size.

Each file is written here, into tmp_path. Each must be refused with exit code 2 and one line on
stderr, `advisor: <file>[, field '<field>']: <reason>`, within a few seconds, with no file changed:
not the input, not the catalog named by --add-to, not the user's own catalog (--add).
"""

from __future__ import annotations

import hashlib
import json
import struct
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest

from advisor.catalog import default_user_catalog
from tests.conftest import CliResult, RunCli
from tests.model_configs import DEEPSEEK_CONFIG, LLAMA_CONFIG

WALL_CLOCK_BOUND = 5.0  # seconds; each refusal takes milliseconds, a hang takes minutes

MIXTRAL_CONFIG = {
    **LLAMA_CONFIG,
    "_name_or_path": "mistralai/Mixtral-8x7B-v0.1",
    "model_type": "mixtral",
    "num_local_experts": 8,
    "num_experts_per_tok": 2,
    "vocab_size": 32000,
}


# --- GGUF bytes, by hand ------------------------------------------------------------------------

UINT8, UINT32, FLOAT32, STRING, ARRAY, UINT64 = 0, 4, 6, 8, 9, 10


def u32(value: int) -> bytes:
    return struct.pack("<I", value)


def u64(value: int) -> bytes:
    return struct.pack("<Q", value)


def gstr(text: str | bytes, declared: int | None = None) -> bytes:
    """A GGUF string: uint64 length (or a `declared` lie), then the bytes."""
    raw = text.encode() if isinstance(text, str) else text
    return u64(len(raw) if declared is None else declared) + raw


def kv(key: str | bytes, kind: int, payload: bytes) -> bytes:
    return gstr(key) + u32(kind) + payload


def array(kind: int, count: int, body: bytes = b"") -> bytes:
    """An array value: element type, declared element count, then whatever body is given."""
    return u32(kind) + u64(count) + body


def gguf(
    *pairs: bytes,
    tensors: int = 0,
    keys: int | None = None,
    version: int = 3,
    magic: bytes = b"GGUF",
    tail: bytes = b"",
) -> bytes:
    """A GGUF header: magic, version, tensor count, key/value count (true unless given), pairs."""
    count = len(pairs) if keys is None else keys
    return magic + u32(version) + u64(tensors) + u64(count) + b"".join(pairs) + tail


ARCH = kv("general.architecture", STRING, gstr("llama"))


def tensor_info(name: str, dims: list[int], n_dims: int | None = None) -> bytes:
    declared = len(dims) if n_dims is None else n_dims
    return gstr(name) + u32(declared) + b"".join(u64(d) for d in dims) + u32(0) + u64(0)


def written_gguf(path: Path, tokens: int = 0) -> None:
    """A well-formed GGUF written by the gguf package, with a `tokens`-entry vocabulary."""
    import gguf

    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("Tiny Llama Test")
    writer.add_block_count(2)
    writer.add_embedding_length(64)
    writer.add_head_count(4)
    writer.add_head_count_kv(2)
    writer.add_context_length(2048)
    if tokens:
        writer.add_token_list([f"t{i}" for i in range(tokens)])
        writer.add_token_scores([0.0] * tokens)
    writer.add_tensor("token_embd.weight", np.zeros((100, 64), dtype=np.float32))
    writer.add_tensor("blk.0.attn_q.weight", np.zeros((64, 64), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def cut_gguf(path: Path) -> None:
    """A valid GGUF cut off in the middle of its vocabulary (after room for its 1,000 lengths)."""
    written_gguf(path, tokens=1000)
    path.write_bytes(path.read_bytes()[:10_000])


class Hostile(NamedTuple):
    write: Callable[[Path], None]  # writes the hostile file at the path given
    says: str  # a phrase the one-line refusal must hold
    field: str | None = None  # the field it must name, if any


def raw(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


GGUF_CASES: dict[str, Hostile] = {
    "array-of-1e8-floats-in-68-bytes": Hostile(
        raw(gguf(ARCH, kv("tokenizer.ggml.scores", ARRAY, array(FLOAT32, 10**8)))),
        "element count of the value of 'tokenizer.ggml.scores' is 100,000,000, which needs at "
        "least 400,000,000 bytes",
    ),
    "array-of-2^60-uint32": Hostile(
        raw(gguf(kv("a", ARRAY, array(UINT32, 2**60)))),
        f"is {2**60:,}, which needs at least",
    ),
    "array-of-2^64-1-uint8": Hostile(
        raw(gguf(kv("a", ARRAY, array(UINT8, 2**64 - 1)))),
        f"is {2**64 - 1:,}, which needs at least",
    ),
    "string-array-of-1e8": Hostile(
        raw(gguf(kv("tokenizer.ggml.tokens", ARRAY, array(STRING, 10**8, gstr("a"))))),
        "is 100,000,000, which needs at least 800,000,000 bytes",
    ),
    "string-array-entry-past-end": Hostile(
        raw(gguf(kv("tokens", ARRAY, array(STRING, 3, gstr("a") + gstr("b", 10**6) + gstr("c"))))),
        "a string in the value of 'tokens' runs past the end of the file",
    ),
    "string-value-of-2^62-bytes": Hostile(
        raw(gguf(kv("general.name", STRING, gstr("x", declared=2**62)))),
        f"the length of the value of 'general.name' is {2**62:,}, which needs at least",
    ),
    "string-value-longer-than-file": Hostile(
        raw(gguf(kv("general.name", STRING, gstr("x" * 10, declared=1000)))),
        "the length of the value of 'general.name' is 1,000, which needs at least 1,000 bytes but "
        "only 10 remain",
    ),
    "key-of-2^63-bytes": Hostile(
        raw(gguf(gstr("k", declared=2**63) + u32(UINT8) + b"\x00")),
        f"the length of key #1 is {2**63:,}, more than the 65,535 allowed",
    ),
    "key-not-utf8": Hostile(
        raw(gguf(kv(b"\xff\xfe", UINT8, b"\x00"))),
        "key #1 at byte 32 is not UTF-8 text",
    ),
    "kv-count-2^40": Hostile(
        raw(gguf(keys=2**40)),
        f"the key/value count is {2**40:,}, more than the 100,000 allowed",
    ),
    "kv-count-1e5-in-24-bytes": Hostile(
        raw(gguf(keys=100_000)),
        "the key/value count is 100,000, which needs at least 1,300,000 bytes but only 0 remain",
    ),
    "kv-count-over-cap-with-bytes-for-it": Hostile(
        raw(gguf(keys=100_001, tail=bytes(100_001 * 13))),
        "the key/value count is 100,001, more than the 100,000 allowed",
    ),
    "tensor-count-2^50": Hostile(
        raw(gguf(tensors=2**50)),
        f"the tensor count is {2**50:,}, more than the 1,000,000 allowed",
    ),
    "tensor-count-1e6-in-24-bytes": Hostile(
        raw(gguf(tensors=1_000_000)),
        "the tensor count is 1,000,000, which needs at least 24,000,000 bytes",
    ),
    "tensor-with-2^32-1-dims": Hostile(
        raw(gguf(ARCH, tensors=1, tail=tensor_info("t", [], n_dims=2**32 - 1))),
        "tensor 't' has 4,294,967,295 dimensions; GGUF allows 1 to 4",
    ),
    "tensor-of-2^126-elements": Hostile(
        raw(gguf(ARCH, tensors=1, tail=tensor_info("t", [2**63, 2**63]))),
        f"tensor 't' declares {2**126:,} elements",
    ),
    "duplicate-tensor": Hostile(
        raw(gguf(ARCH, tensors=2, tail=tensor_info("t", [4]) * 2)),
        "tensor 't' appears twice",
    ),
    "nested-array-bomb-1e8-outer": Hostile(
        raw(gguf(kv("a", ARRAY, array(ARRAY, 10**8, array(UINT64, 2**60))))),
        "is 100,000,000, which needs at least 1,200,000,000 bytes",
    ),
    "nested-array-bomb-2^60-inner": Hostile(
        raw(gguf(kv("a", ARRAY, array(ARRAY, 2, array(UINT64, 2**60) + array(UINT64, 0))))),
        f"the element count of an array nested in the value of 'a' is {2**60:,}",
    ),
    "100001-empty-nested-arrays": Hostile(
        raw(gguf(kv("a", ARRAY, array(ARRAY, 100_001, array(UINT8, 0) * 100_001)))),
        "its arrays hold more than 100,000 arrays",
    ),
    "arrays-nested-100000-deep": Hostile(
        raw(gguf(kv("a", ARRAY, array(ARRAY, 1) * 100_000 + array(UINT8, 0)))),
        "an array nested in the value of 'a' nests arrays more than 8 deep",
    ),
    "truncated-header": Hostile(raw(b"GGUF\x03\x00\x00\x00\x00"), "the tensor count at byte 8"),
    "cut-in-the-vocabulary": Hostile(cut_gguf, "runs past the end of the file"),
    "wrong-magic": Hostile(
        raw(gguf(ARCH, magic=b"GGUG")), "it does not start with the GGUF magic bytes"
    ),
    "empty-file": Hostile(raw(b""), "not a readable GGUF file (it is empty)"),
    "version-99": Hostile(raw(gguf(ARCH, version=99)), "version 99; only versions 2 and 3"),
    "version-1": Hostile(raw(gguf(ARCH, version=1)), "version 1; only versions 2 and 3"),
    "unknown-value-type": Hostile(
        raw(gguf(kv("a", 13, b"\x00" * 8))), "the value of 'a' has unknown value type 13"
    ),
    "unknown-array-element-type": Hostile(
        raw(gguf(kv("a", ARRAY, array(2**32 - 1, 1)))),
        "the value of 'a' is an array of unknown value type 4294967295",
    ),
    "duplicate-key": Hostile(raw(gguf(ARCH, ARCH)), "key 'general.architecture' appears twice"),
    "key-with-newline-duplicated": Hostile(
        raw(gguf(kv("a\nb", UINT8, b"\x00"), kv("a\nb", UINT8, b"\x00"))),
        r"key 'a\nb' appears twice",
    ),
    "no-architecture": Hostile(
        raw(gguf(kv("general.name", STRING, gstr("x")))),
        "missing from the GGUF metadata",
        field="general.architecture",
    ),
    "architecture-not-text": Hostile(
        raw(gguf(kv("general.architecture", UINT32, u32(7)))),
        "must be an architecture name",
        field="general.architecture",
    ),
    "architecture-with-newline": Hostile(
        raw(gguf(kv("general.architecture", STRING, gstr("llama\nINJECTED")))),
        r"got 'llama\nINJECTED'",
        field="general.architecture",
    ),
    "block-count-as-text": Hostile(
        raw(
            gguf(
                ARCH,
                kv("llama.block_count", STRING, gstr("thirty")),
                kv("llama.embedding_length", UINT32, u32(64)),
                kv("llama.attention.head_count", UINT32, u32(4)),
            )
        ),
        "must be a whole number from 1 to 10,000, got 'thirty'",
        field="llama.block_count",
    ),
    "head-count-zero": Hostile(
        raw(
            gguf(
                ARCH,
                kv("llama.block_count", UINT32, u32(2)),
                kv("llama.embedding_length", UINT32, u32(64)),
                kv("llama.attention.head_count", UINT32, u32(0)),
            )
        ),
        "must be a whole number from 1 to 100,000, got 0",
        field="llama.attention.head_count",
    ),
    "half-a-million-token-vocabulary-then-no-block-count": Hostile(
        raw(
            gguf(ARCH, kv("tokenizer.ggml.tokens", ARRAY, array(STRING, 500_000, u64(0) * 500_000)))
        ),
        "missing from the GGUF metadata",
        field="llama.block_count",
    ),
}


# --- config.json ------------------------------------------------------------------------------


def config(**fields: object) -> Callable[[Path], None]:
    """The Llama config with `fields` replaced (a None value removes nothing: it writes null)."""
    return lambda path: path.write_text(json.dumps({**LLAMA_CONFIG, **fields}))


def config_from(base: dict[str, object], **fields: object) -> Callable[[Path], None]:
    return lambda path: path.write_text(json.dumps({**base, **fields}))


def config_text(text: str) -> Callable[[Path], None]:
    return lambda path: path.write_text(text)


def literal(field: str, token: str) -> Callable[[Path], None]:
    """The Llama config with `field` set to a literal JSON token (NaN, Infinity, 10^5000...)."""
    body = json.dumps({**LLAMA_CONFIG, field: "PLACEHOLDER"})
    return config_text(body.replace('"PLACEHOLDER"', token))


def sparse_file(size: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with path.open("wb") as handle:
            handle.write(b"{")
            handle.truncate(size)

    return write


def layers_message(got: str) -> str:
    return f"must be a whole number from 1 to 10,000, got {got}"


CONFIG_CASES: dict[str, Hostile] = {
    "layers-as-word": Hostile(
        config(num_hidden_layers="thirty"), layers_message("'thirty'"), "num_hidden_layers"
    ),
    "layers-as-list": Hostile(
        config(num_hidden_layers=[1, 2]), layers_message("a list of 2 items"), "num_hidden_layers"
    ),
    "layers-1e308": Hostile(
        config(num_hidden_layers=1e308), layers_message("1e+308"), "num_hidden_layers"
    ),
    "layers-negative": Hostile(
        config(num_hidden_layers=-5), layers_message("-5"), "num_hidden_layers"
    ),
    "layers-zero": Hostile(config(num_hidden_layers=0), layers_message("0"), "num_hidden_layers"),
    "layers-true": Hostile(
        config(num_hidden_layers=True), layers_message("true"), "num_hidden_layers"
    ),
    "layers-fractional": Hostile(
        config(num_hidden_layers=31.5), layers_message("31.5"), "num_hidden_layers"
    ),
    "layers-NaN-literal": Hostile(
        literal("num_hidden_layers", "NaN"), layers_message("NaN"), "num_hidden_layers"
    ),
    "hidden-Infinity-literal": Hostile(
        literal("hidden_size", "Infinity"), "got Infinity", "hidden_size"
    ),
    "vocab-minus-Infinity-literal": Hostile(
        literal("vocab_size", "-Infinity"), "got -Infinity", "vocab_size"
    ),
    "layers-with-5000-digits": Hostile(
        literal("num_hidden_layers", "9" * 5000), "not a readable JSON config (Exceeds the limit"
    ),
    "heads-zero": Hostile(
        config(num_attention_heads=0), "from 1 to 100,000, got 0", "num_attention_heads"
    ),
    "hidden-not-divisible-by-heads": Hostile(
        config(hidden_size=4097), "4,097 does not divide into 32 attention heads", "hidden_size"
    ),
    "kv-heads-above-heads": Hostile(
        config(num_key_value_heads=64),
        "from 1 to 32 (the number of attention heads), got 64",
        "num_key_value_heads",
    ),
    "head-dim-1e9": Hostile(config(head_dim=1e9), "got 1000000000.0", "head_dim"),
    "vocab-null": Hostile(config(vocab_size=None), "config has no 'vocab_size'", "vocab_size"),
    "intermediate-negative": Hostile(config(intermediate_size=-1), "got -1", "intermediate_size"),
    "context-as-text": Hostile(
        config(max_position_embeddings="128k"), "got '128k'", "max_position_embeddings"
    ),
    "tied-as-text": Hostile(
        config(tie_word_embeddings="false"),
        "must be true or false, got 'false'",
        "tie_word_embeddings",
    ),
    "experts-as-word": Hostile(
        config_from(MIXTRAL_CONFIG, num_local_experts="eight"), "got 'eight'", "num_local_experts"
    ),
    "experts-per-token-above-experts": Hostile(
        config_from(MIXTRAL_CONFIG, num_experts_per_tok=16),
        "from 1 to 8 (the number of experts), got 16",
        "num_experts_per_tok",
    ),
    "dense-layers-above-layers": Hostile(
        config_from(DEEPSEEK_CONFIG, first_k_dense_replace=100),
        "from 0 to 61 (the number of layers), got 100",
        "first_k_dense_replace",
    ),
    "q-lora-rank-as-long-text": Hostile(  # text times a width once made a string of gigabytes
        config_from(DEEPSEEK_CONFIG, q_lora_rank="x" * 100_000), "got 'xxxx", "q_lora_rank"
    ),
    "layer-types-wrong-length": Hostile(
        config(layer_types=["full_attention"] * 3),
        "names 3 layer types for 32 layers",
        "layer_types",
    ),
    "layer-types-not-names": Hostile(
        config(layer_types=[1] * 32), "must be a list of layer type names", "layer_types"
    ),
    "sliding-pattern-as-word": Hostile(
        config(sliding_window=4096, sliding_window_pattern="six"),
        "got 'six'",
        "sliding_window_pattern",
    ),
    "name-as-list": Hostile(config(_name_or_path=["a", "b"]), "must be text", "_name_or_path"),
    "model-type-as-object": Hostile(config(model_type={"a": 1}), "got an object", "model_type"),
    "100000-deep-nesting": Hostile(
        config_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        "not a readable JSON config (it nests objects or lists too deeply)",
    ),
    "top-level-list": Hostile(
        config_text("[1, 2, 3]"), "expected a JSON object, got a list of 3 items"
    ),
    "top-level-string": Hostile(config_text('"config"'), "expected a JSON object, got 'config'"),
    "not-utf8": Hostile(
        raw(b'{"model_type": "\xff\xfe"}'),
        "not a readable JSON config (not UTF-8 text: byte 0xff at offset 16)",
    ),
    "empty-file": Hostile(config_text(""), "not a readable JSON config (Expecting value"),
    "cut-short": Hostile(config_text(json.dumps(LLAMA_CONFIG)[:50]), "not a readable JSON config"),
    "60-MB-file": Hostile(sparse_file(60 * 1024 * 1024), "is larger than 50 MB"),
}


# --- the checks -------------------------------------------------------------------------------


def snapshot(*folders: Path) -> dict[Path, str]:
    """Every file under `folders`, with its SHA-256."""
    return {
        path: hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def catalogs(tmp_path: Path, run_cli: RunCli) -> tuple[Path, Path]:
    """(a catalog file for --add-to, the user's own catalog for --add), both holding one entry."""
    source = tmp_path / "valid" / "config.json"
    source.parent.mkdir()
    source.write_text(json.dumps(LLAMA_CONFIG))
    target = tmp_path / "catalogs" / "mine.yaml"
    own = default_user_catalog()
    for path in (target, own):
        result = run_cli("import-model", str(source), "--add-to", str(path))
        assert result.returncode == 0, result.stderr
    return target, own


def assert_refused(
    run_cli: RunCli,
    catalogs: tuple[Path, Path],
    path: Path,
    says: str,
    field: str | None,
) -> None:
    """Plain, --add and --add-to runs on `path` each refuse it cleanly and change no file."""
    target, own = catalogs
    watched = (path.parent, target.parent, own.parent)
    before = snapshot(*watched)
    for extra in ([], ["--add"], ["--add-to", str(target)]):
        started = time.monotonic()
        result: CliResult = run_cli("import-model", str(path), *extra)
        elapsed = time.monotonic() - started
        assert result.returncode == 2, result
        assert result.stdout == ""
        assert result.stderr.startswith(f"advisor: {path}"), result.stderr
        assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n"), result.stderr
        assert says in result.stderr, result.stderr
        if field is not None:
            assert f", field '{field}': " in result.stderr, result.stderr
        assert elapsed < WALL_CLOCK_BOUND, f"took {elapsed:.1f} s"
    assert snapshot(*watched) == before


@pytest.mark.parametrize("case", GGUF_CASES.values(), ids=GGUF_CASES.keys())
def test_a_hostile_gguf_is_refused_in_one_line(
    case: Hostile, tmp_path: Path, run_cli: RunCli, catalogs: tuple[Path, Path]
) -> None:
    path = tmp_path / "input" / "model.gguf"
    path.parent.mkdir()
    case.write(path)
    assert_refused(run_cli, catalogs, path, case.says, case.field)


@pytest.mark.parametrize("case", CONFIG_CASES.values(), ids=CONFIG_CASES.keys())
def test_a_hostile_config_is_refused_in_one_line(
    case: Hostile, tmp_path: Path, run_cli: RunCli, catalogs: tuple[Path, Path]
) -> None:
    path = tmp_path / "input" / "config.json"
    path.parent.mkdir()
    case.write(path)
    assert_refused(run_cli, catalogs, path, case.says, case.field)


def test_a_hostile_config_is_refused_when_named_by_its_folder(
    tmp_path: Path, run_cli: RunCli, catalogs: tuple[Path, Path]
) -> None:
    folder = tmp_path / "input"
    folder.mkdir()
    config(num_hidden_layers="thirty")(folder / "config.json")
    result = run_cli("import-model", str(folder))
    assert result.returncode == 2
    assert result.stderr == (
        f"advisor: {folder / 'config.json'}, field 'num_hidden_layers': "
        "must be a whole number from 1 to 10,000, got 'thirty'\n"
    )


# --- what still imports -------------------------------------------------------------------------


def test_a_large_vocabulary_gguf_imports_fast(tmp_path: Path, run_cli: RunCli) -> None:
    """200,000 tokens and scores: the header walk skips them instead of building an array each."""
    path = tmp_path / "vocab.gguf"
    written_gguf(path, tokens=200_000)
    started = time.monotonic()
    result = run_cli("import-model", str(path))
    assert time.monotonic() - started < WALL_CLOCK_BOUND
    assert result.returncode == 0, result.stderr
    assert "layers: 2" in result.stdout and "vocab_size: 100" in result.stdout


def test_a_gguf_header_without_its_tensor_data_imports(tmp_path: Path, run_cli: RunCli) -> None:
    """Only the header is read, so the first bytes of a large GGUF are enough."""
    whole = tmp_path / "whole.gguf"
    written_gguf(whole)
    content = whole.read_bytes()
    header = tmp_path / "header.gguf"
    header.write_bytes(content[: content.index(b"blk.0.attn_q.weight") + 200])
    result = run_cli("import-model", str(header))
    assert result.returncode == 0, result.stderr
    assert run_cli("import-model", str(whole)).stdout == result.stdout.replace(
        "header.gguf", "whole.gguf"
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"head_dim": None, "sliding_window": None, "num_local_experts": 0, "layer_types": []},
        {"num_hidden_layers": 32.0, "tie_word_embeddings": None, "num_key_value_heads": 0},
    ],
    ids=["nulls-and-zeros-mean-unset", "whole-float-and-null-flag"],
)
def test_lenient_but_sane_configs_still_import(
    fields: dict[str, object], tmp_path: Path, run_cli: RunCli
) -> None:
    path = tmp_path / "config.json"
    config(**fields)(path)
    result = run_cli("import-model", str(path))
    assert result.returncode == 0, result.stderr
    assert "layers: 32" in result.stdout
