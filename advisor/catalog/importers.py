"""Make a model entry from a Hugging Face config.json or a GGUF file's metadata.

Parameter counts come from the file itself: summed tensor sizes for GGUF, and for config.json
the standard transformer arithmetic (embeddings, attention, dense or expert MLPs), stated in the
entry's sources as derived.

Both kinds of file come from the internet, so neither is trusted: every config.json field the
arithmetic uses must be a whole number within a sane bound, and a GGUF header is walked with
bounded reads, each declared length checked against the bytes the file has, before anything is
built from it. A bad file is a one-line CatalogFileError naming the file (and the field), never
a hang, a memory blow-up or an internal error.
"""

from __future__ import annotations

import json
import math
import mmap
import os
import re
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import yaml
from pydantic import ValidationError

from advisor.catalog.entries import Model
from advisor.errors import CatalogFileError, from_validation

_NATIVE_DTYPES = {"bfloat16": "bf16", "float16": "fp16", "float32": "bf16"}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._+-]+", "-", text.lower()).strip("-.") or "imported-model"


def import_model(path: Path, model_id: str | None = None, name: str | None = None) -> Model:
    """Read `path` (config.json, a folder with one, or .gguf) into a validated Model entry."""
    if path.is_dir():
        path = path / "config.json"
    if not path.is_file():
        raise CatalogFileError(str(path), "file not found")
    data = _from_gguf(path) if path.suffix.lower() == ".gguf" else _from_config(path)
    if model_id:
        data["id"] = _slug(model_id)
    if name:
        data["name"] = name
    try:
        return Model.model_validate(data)
    except ValidationError as exc:
        raise from_validation(str(path), exc, data.get("id")) from None


# --- checking values read from a file ---------------------------------------------------------


def _one_line(text: str, limit: int = 200) -> str:
    """`text` as one short line, fit to put in an error message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _shown(value: Any) -> str:
    """A value as a short one-line phrase for an error message, in JSON's spelling."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, int):
        return str(value) if value.bit_length() < 100 else "a number too large to show"
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37]) + "..."
    if isinstance(value, list):
        return f"a list of {len(value):,} items"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, _NotKept):
        return value.description
    return f"a {type(value).__name__}"


def _whole_number(path: Path, field: str, value: Any, low: int, high: int, limit: str = "") -> int:
    """`value` if it is a whole number from `low` to `high`; else a message naming the field.

    A whole float (4096.0) is taken; a bool, text, list, NaN or infinity is not."""
    fits = (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and (isinstance(value, int) or (math.isfinite(value) and value.is_integer()))
        and low <= value <= high
    )
    if not fits:
        raise CatalogFileError(
            str(path),
            f"must be a whole number from {low:,} to {high:,}{limit}, got {_shown(value)}",
            field=field,
        )
    return int(value)


def _is_unset(value: Any) -> bool:
    """An optional number left out: null, false or 0 (as the `x or default` reading had it)."""
    return value is None or value is False or (type(value) in (int, float) and value == 0)


# --- Hugging Face config.json ---------------------------------------------------------------

_CONFIG_MAX_BYTES = 50 * 1024 * 1024  # the largest real config.json files are tens of kilobytes
_MAX_LAYERS = 10_000
_MAX_HIDDEN = 1_000_000
_MAX_HEADS = 100_000
_MAX_HEAD_DIM = 65_536
_MAX_VOCAB = 10_000_000
_MAX_WIDTH = 10_000_000  # MLP widths and low-rank projections
_MAX_EXPERTS = 100_000
_MAX_CONTEXT = 1_000_000_000
_MAX_TEXT = 1_000  # characters in a name or model type


def _folder_name(path: Path) -> str:
    """The model's name from where config.json sits; in a Hugging Face cache that is
    models--Org--Name/snapshots/<hash>/config.json."""
    for folder in path.resolve().parents:
        if folder.name.startswith("models--"):
            return folder.name.split("--")[-1]
        if not re.fullmatch(r"[0-9a-f]{40}", folder.name) and folder.name != "snapshots":
            return folder.name or "imported"
    return "imported"


def _read_config(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the file's object, its text model's config merged over it).

    The size is checked before the file is read whole; deep nesting, bytes that are not UTF-8
    and over-long numbers are reported as an unreadable file."""
    too_big = (
        f"is larger than {_CONFIG_MAX_BYTES // (1024 * 1024)} MB; a config.json is far smaller"
    )
    try:
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size > _CONFIG_MAX_BYTES:
                raise CatalogFileError(str(path), too_big)
            content = handle.read(_CONFIG_MAX_BYTES + 1)
        if len(content) > _CONFIG_MAX_BYTES:  # it grew after the check
            raise CatalogFileError(str(path), too_big)
        raw = json.loads(content.decode("utf-8-sig"))
    except OSError as exc:
        raise CatalogFileError(str(path), f"cannot be read ({_one_line(str(exc))})") from None
    except UnicodeDecodeError as exc:
        reason = f"not UTF-8 text: byte 0x{content[exc.start]:02x} at offset {exc.start:,}"
        raise CatalogFileError(str(path), f"not a readable JSON config ({reason})") from None
    except RecursionError:
        reason = "it nests objects or lists too deeply"
        raise CatalogFileError(str(path), f"not a readable JSON config ({reason})") from None
    except ValueError as exc:  # json.JSONDecodeError, or an integer with thousands of digits
        reason = _one_line(str(exc).split("; use sys.")[0])
        raise CatalogFileError(str(path), f"not a readable JSON config ({reason})") from None
    if not isinstance(raw, dict):
        raise CatalogFileError(str(path), f"expected a JSON object, got {_shown(raw)}")
    text_config = raw.get("text_config")
    return raw, {**raw, **(text_config if isinstance(text_config, dict) else {})}


@dataclass(frozen=True)
class _Shape:
    """The numbers a config states, each checked: whole numbers within sane bounds."""

    layers: int
    hidden: int
    heads: int
    kv_heads: int
    head_dim: int
    vocab: int
    tied: bool
    intermediate: int
    kv_lora: int | None
    q_lora: int | None
    rope: int | None
    nope: int
    v_dim: int
    layer_types: tuple[str, ...] | None
    window: int | None
    window_pattern: int | None
    experts: int | None
    experts_active: int | None
    moe_intermediate: int
    first_dense: int
    shared_experts: int
    max_context: int


class _ConfigReader:
    """Reads the fields of one config.json, each checked, with errors naming file and field."""

    def __init__(self, path: Path, config: dict[str, Any]) -> None:
        self.path = path
        self.config = config

    def required(self, high: int, *keys: str) -> int:
        """The first of `keys` that is set, a whole number from 1 to `high`."""
        for key in keys:
            if self.config.get(key) is not None:
                return _whole_number(self.path, key, self.config[key], 1, high)
        raise CatalogFileError(str(self.path), f"config has no '{keys[0]}'", field=keys[0])

    def optional(self, key: str, high: int, low: int = 1, limit: str = "") -> int | None:
        """`key` as a whole number from `low` to `high`, or None if null, false or 0."""
        value = self.config.get(key)
        if _is_unset(value):
            return None
        return _whole_number(self.path, key, value, low, high, limit)

    def first(self, high: int, *keys: str, limit: str = "") -> int | None:
        """The first of `keys` that is set (each one read is checked), or None."""
        for key in keys:
            value = self.optional(key, high, limit=limit)
            if value is not None:
                return value
        return None

    def flag(self, key: str) -> bool:
        value = self.config.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise CatalogFileError(
                str(self.path), f"must be true or false, got {_shown(value)}", field=key
            )
        return value

    def text(self, key: str) -> str | None:
        value = self.config.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str) or len(value) > _MAX_TEXT:
            raise CatalogFileError(
                str(self.path),
                f"must be text of at most {_MAX_TEXT:,} characters, got {_shown(value)}",
                field=key,
            )
        return value

    def layer_types(self, layers: int) -> tuple[str, ...] | None:
        value = self.config.get("layer_types")
        if value is None or value == []:
            return None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise CatalogFileError(
                str(self.path),
                f"must be a list of layer type names, got {_shown(value)}",
                field="layer_types",
            )
        if len(value) != layers:
            raise CatalogFileError(
                str(self.path),
                f"names {len(value):,} layer types for {layers:,} layers",
                field="layer_types",
            )
        return tuple(value)

    def shape(self) -> _Shape:
        layers = self.required(_MAX_LAYERS, "num_hidden_layers", "n_layer", "num_layers")
        hidden = self.required(_MAX_HIDDEN, "hidden_size", "n_embd", "d_model")
        heads = self.required(_MAX_HEADS, "num_attention_heads", "n_head")
        kv_heads = self.optional(
            "num_key_value_heads", heads, limit=" (the number of attention heads)"
        )
        head_dim = self.first(_MAX_HEAD_DIM, "head_dim", "v_head_dim")
        if head_dim is None:
            if hidden % heads:
                raise CatalogFileError(
                    str(self.path),
                    f"{hidden:,} does not divide into {heads:,} attention heads, and no "
                    "head_dim is given",
                    field="hidden_size",
                )
            head_dim = hidden // heads
        intermediate = self.optional("intermediate_size", _MAX_WIDTH) or 4 * hidden
        experts = self.first(_MAX_EXPERTS, "n_routed_experts", "num_experts", "num_local_experts")
        experts_active = self.first(
            experts or _MAX_EXPERTS,
            "num_experts_per_tok",
            "num_experts_per_token",
            limit=" (the number of experts)" if experts else "",
        )
        return _Shape(
            layers=layers,
            hidden=hidden,
            heads=heads,
            kv_heads=kv_heads or heads,
            head_dim=head_dim,
            vocab=self.required(_MAX_VOCAB, "vocab_size"),
            tied=self.flag("tie_word_embeddings"),
            intermediate=intermediate,
            kv_lora=self.optional("kv_lora_rank", _MAX_WIDTH),
            q_lora=self.optional("q_lora_rank", _MAX_WIDTH),
            rope=self.optional("qk_rope_head_dim", _MAX_HEAD_DIM),
            nope=self.optional("qk_nope_head_dim", _MAX_HEAD_DIM) or head_dim,
            v_dim=self.optional("v_head_dim", _MAX_HEAD_DIM) or head_dim,
            layer_types=self.layer_types(layers),
            window=self.optional("sliding_window", _MAX_CONTEXT),
            window_pattern=self.optional("sliding_window_pattern", _MAX_LAYERS),
            experts=experts,
            experts_active=experts_active,
            moe_intermediate=self.optional("moe_intermediate_size", _MAX_WIDTH) or intermediate,
            first_dense=self.optional(
                "first_k_dense_replace", layers, low=0, limit=" (the number of layers)"
            )
            or 0,
            shared_experts=self.optional("n_shared_experts", _MAX_EXPERTS, low=0) or 0,
            max_context=self.optional("max_position_embeddings", _MAX_CONTEXT) or 4096,
        )


def _attention(shape: _Shape) -> tuple[int, str]:
    """(attention parameters per layer, "mla" or "gqa")."""
    hidden, heads, head_dim = shape.hidden, shape.heads, shape.head_dim
    kv_lora, rope = shape.kv_lora, shape.rope
    if not (kv_lora and rope):
        return 2 * hidden * heads * head_dim + 2 * hidden * shape.kv_heads * head_dim, "gqa"
    nope, v_dim, q_lora = shape.nope, shape.v_dim, shape.q_lora
    q_proj = (
        (hidden * q_lora + q_lora * heads * (nope + rope))
        if q_lora
        else (hidden * heads * (nope + rope))
    )
    params = q_proj + hidden * (kv_lora + rope) + kv_lora * heads * (nope + v_dim)
    return params + heads * v_dim * hidden, "mla"


def _layer_pattern(shape: _Shape, attention: str) -> tuple[str, int | None]:
    """(attention kind, full-attention layers) from per-layer types or a sliding pattern."""
    layers, layer_types, window = shape.layers, shape.layer_types, shape.window
    if layer_types:
        full_layers = sum(1 for t in layer_types if t in ("full_attention", "attention"))
        if any("linear" in t for t in layer_types):
            return "hybrid", full_layers
        if window and full_layers < layers:
            return "sliding", full_layers
        return attention, full_layers
    if window and shape.window_pattern:
        return "sliding", layers // shape.window_pattern
    return attention, None


@dataclass(frozen=True)
class _Counts:
    total: int
    active: int
    expert: int
    embeddings: int
    attention: int
    dense_layers: int
    moe_layers: int


def _counts(shape: _Shape, attention_params: int) -> _Counts:
    """Parameters by the standard arithmetic: embeddings, attention, dense and expert MLPs."""
    hidden, layers, experts = shape.hidden, shape.layers, shape.experts
    dense_layers = shape.first_dense if experts else layers
    moe_layers = layers - dense_layers if experts else 0
    per_expert = 3 * hidden * shape.moe_intermediate
    expert = moe_layers * experts * per_expert if experts else 0
    shared = moe_layers * shape.shared_experts * per_expert
    embeddings = shape.vocab * hidden * (1 if shape.tied else 2)
    total = (
        embeddings
        + layers * attention_params
        + dense_layers * 3 * hidden * shape.intermediate
        + expert
        + shared
        + moe_layers * hidden * (experts or 0)  # routers
    )
    active = total - expert
    if experts and shape.experts_active:
        active += moe_layers * shape.experts_active * per_expert
    return _Counts(total, active, expert, embeddings, attention_params, dense_layers, moe_layers)


def _native_dtype(config: dict[str, Any]) -> str:
    native = _NATIVE_DTYPES.get(str(config.get("torch_dtype") or config.get("dtype")), "bf16")
    quant = config.get("quantization_config") or {}
    if isinstance(quant, dict) and str(quant.get("quant_method", "")).lower() in ("fp8", "mxfp4"):
        return str(quant["quant_method"]).lower()
    return native


def _from_config(path: Path) -> dict[str, Any]:
    raw, config = _read_config(path)
    shape = _ConfigReader(path, config).shape()
    model_type = _ConfigReader(path, config).text("model_type")
    model_name = _ConfigReader(path, raw).text("_name_or_path") or _folder_name(path)
    attention_params, attention = _attention(shape)
    attention, full_layers = _layer_pattern(shape, attention)
    counts = _counts(shape, attention_params)
    experts, experts_active = shape.experts, shape.experts_active
    derived = (
        f"derived from {path.name}: embeddings {counts.embeddings:,} + {shape.layers} layers x "
        f"attention {counts.attention:,} + MLPs ({counts.dense_layers} dense, "
        f"{counts.moe_layers} MoE)"
    )
    return {
        "id": _slug(Path(model_name).name),
        "name": Path(model_name).name or "Imported model",
        "family": model_type or "imported",
        "params_total_b": round(counts.total / 1e9, 3),
        "params_active_b": round(counts.active / 1e9, 3),
        "expert_params_b": round(counts.expert / 1e9, 3),
        "layers": shape.layers,
        "hidden_size": shape.hidden,
        "heads": shape.heads,
        "kv_heads": shape.kv_heads if attention != "mla" else shape.heads,
        "head_dim": shape.head_dim,
        "vocab_size": shape.vocab,
        "tied_embeddings": shape.tied,
        "attention": attention,
        "kv_lora_rank": shape.kv_lora if attention == "mla" else None,
        "qk_rope_head_dim": shape.rope if attention == "mla" else None,
        "sliding_window": shape.window if attention == "sliding" else None,
        "full_attention_layers": full_layers if attention in ("sliding", "hybrid") else None,
        "experts": experts,
        "experts_active": experts_active if experts else None,
        "native_dtype": _native_dtype(config),
        "max_context": shape.max_context,
        "notes": f"imported from {path}",
        "sources": {
            "*": str(path.resolve()),
            "params_total_b": derived,
            "params_active_b": derived,
            "expert_params_b": derived,
        },
    }


# --- GGUF ------------------------------------------------------------------------------------
#
# The header is read here, not by gguf.GGUFReader: that reader memory-maps the file and builds
# numpy arrays from the counts the file declares (one array per vocabulary entry), so a 68-byte
# file declaring 10^8 elements hangs it for minutes, and even a real 150k-token vocabulary costs
# it seconds and hundreds of MB. This walker reads the GGUF layout (gguf-py's constants: magic
# "GGUF", version 2 or 3, uint64 tensor and key/value counts, typed values, tensor infos) with
# bounded reads: every declared length or count is checked against the bytes the file has left
# before it is used, nothing is allocated from a declared count, and arrays are skipped (only
# short numeric ones, such as per-layer head counts, are kept). Tensor data is never read, so a
# header cut from a large file imports too.

_GGUF_SCALARS = {  # value type: struct code (the fixed-size types)
    0: "B",  # uint8
    1: "b",  # int8
    2: "H",  # uint16
    3: "h",  # int16
    4: "I",  # uint32
    5: "i",  # int32
    6: "f",  # float32
    7: "?",  # bool
    10: "Q",  # uint64
    11: "q",  # int64
    12: "d",  # float64
}
_GGUF_STRING, _GGUF_ARRAY = 8, 9
_GGUF_TYPE_NAMES = {
    0: "uint8",
    1: "int8",
    2: "uint16",
    3: "int16",
    4: "uint32",
    5: "int32",
    6: "float32",
    7: "bool",
    8: "string",
    9: "array",
    10: "uint64",
    11: "int64",
    12: "float64",
}
_GGUF_MAX_KEYS = 100_000
_GGUF_MAX_TENSORS = 1_000_000
_GGUF_MAX_NAME = 65_535  # bytes in a key or a tensor name
_GGUF_MAX_DIMS = 4  # ggml's GGML_MAX_DIMS
_GGUF_MAX_DEPTH = 8  # arrays of arrays of ...
_GGUF_MAX_STRINGS = 10_000_000  # strings inside arrays, stepped over one by one (~1 s)
_GGUF_MAX_NESTED = 100_000  # arrays inside arrays (real files have none), likewise
_GGUF_MAX_TENSOR_ELEMENTS = 2**53
_GGUF_KEEP_STRING = 4_096  # bytes; longer strings (chat templates) are skipped
_GGUF_KEEP_ARRAY = 4_096  # numeric elements; longer arrays (vocabulary scores) are skipped
_GGUF_MIN_KEY_VALUE = 13  # key length (8), value type (4), the smallest value (1)
_GGUF_MIN_TENSOR = 24  # name length (8), dimension count (4), type (4), data offset (8)


@dataclass(frozen=True)
class _NotKept:
    """A metadata value too large to keep (a vocabulary, a chat template): what it was."""

    description: str


@dataclass(frozen=True)
class _GGUFHeader:
    metadata: dict[str, Any]
    tensors: list[tuple[str, tuple[int, ...]]]  # (name, dimensions)


def _quoted(name: str) -> str:
    return repr(name) if len(name) <= 60 else repr(name[:57]) + "..."


class _GGUFWalker:
    """One pass over a GGUF header, with every declared size checked before it is used."""

    def __init__(self, path: Path, data: mmap.mmap) -> None:
        self.path = path
        self.data = data
        self.size = len(data)
        self.pos = 0
        self.order = "<"
        self.strings = 0
        self.nested = 0

    def fail(self, reason: str) -> NoReturn:
        raise CatalogFileError(str(self.path), f"not a readable GGUF file ({reason})")

    def left(self) -> int:
        return self.size - self.pos

    def take(self, length: int, what: str) -> int:
        """Step over `length` bytes (which must be in the file); their offset."""
        if length > self.left():
            self.fail(
                f"{what} at byte {self.pos:,} needs {length:,} bytes but only {self.left():,} "
                "remain"
            )
        start = self.pos
        self.pos += length
        return start

    def unpack(self, code: str, what: str) -> Any:
        fmt = self.order + code
        return struct.unpack_from(fmt, self.data, self.take(struct.calcsize(fmt), what))[0]

    def count(self, what: str, each: int, most: int | None = None) -> int:
        """A declared uint64 count of items of at least `each` bytes: at most `most` (if given),
        and fitting in the bytes left."""
        declared = int(self.unpack("Q", what))
        if most is not None and declared > most:
            self.fail(f"{what} is {declared:,}, more than the {most:,} allowed")
        if declared * each > self.left():
            self.fail(
                f"{what} is {declared:,}, which needs at least {declared * each:,} bytes but "
                f"only {self.left():,} remain"
            )
        return declared

    def name(self, what: str) -> str:
        length = self.count(f"the length of {what}", 1, _GGUF_MAX_NAME)
        start = self.take(length, what)
        try:
            return self.data[start : start + length].decode("utf-8")
        except UnicodeDecodeError:
            self.fail(f"{what} at byte {start:,} is not UTF-8 text")

    def value(self, kind: int, what: str, depth: int) -> Any:
        code = _GGUF_SCALARS.get(kind)
        if code is not None:
            return self.unpack(code, what)
        if kind == _GGUF_STRING:
            length = self.count(f"the length of {what}", 1)
            start = self.take(length, what)
            if length > _GGUF_KEEP_STRING:
                return _NotKept(f"a string of {length:,} bytes")
            return self.data[start : start + length].decode("utf-8", errors="replace")
        if kind == _GGUF_ARRAY:
            return self.array(what, depth + 1)
        self.fail(f"{what} has unknown value type {kind}")

    def array(self, what: str, depth: int) -> Any:
        if depth > _GGUF_MAX_DEPTH:
            self.fail(f"{what} nests arrays more than {_GGUF_MAX_DEPTH} deep")
        kind = int(self.unpack("I", f"the element type of {what}"))
        code = _GGUF_SCALARS.get(kind)
        if code is not None:
            each = struct.calcsize(self.order + code)
        elif kind in (_GGUF_STRING, _GGUF_ARRAY):
            each = 8 if kind == _GGUF_STRING else 12  # a length; an element type and a count
        else:
            self.fail(f"{what} is an array of unknown value type {kind}")
        length = self.count(f"the element count of {what}", each)
        kept = f"an array of {length:,} {_GGUF_TYPE_NAMES[kind]} values"
        if code is not None:
            start = self.take(length * each, what)
            if length > _GGUF_KEEP_ARRAY:
                return _NotKept(kept)
            return list(struct.unpack_from(f"{self.order}{length}{code}", self.data, start))
        if kind == _GGUF_STRING:
            self.strings += length
            if self.strings > _GGUF_MAX_STRINGS:
                self.fail(f"its arrays hold more than {_GGUF_MAX_STRINGS:,} strings")
            self.skip_strings(length, what)
        else:
            self.nested += length
            if self.nested > _GGUF_MAX_NESTED:
                self.fail(f"its arrays hold more than {_GGUF_MAX_NESTED:,} arrays")
            inner = what if what.startswith("an array nested in ") else f"an array nested in {what}"
            for _ in range(length):
                self.array(inner, depth + 1)
        return _NotKept(kept)

    def skip_strings(self, count: int, what: str) -> None:
        """Step over `count` strings (a vocabulary): a tight loop, as there can be a million."""
        data, size, pos = self.data, self.size, self.pos
        length_at = struct.Struct(self.order + "Q").unpack_from
        for _ in range(count):
            if pos + 8 > size:
                break
            pos += 8 + length_at(data, pos)[0]
            if pos > size:
                break
        else:
            self.pos = pos
            return
        self.fail(f"a string in {what} runs past the end of the file")

    def header(self) -> _GGUFHeader:
        if self.data[:4] != b"GGUF":
            self.fail("it does not start with the GGUF magic bytes")
        self.pos = 4
        version = self.unpack("I", "the version")
        if version & 0xFFFF == 0:  # written on a big-endian machine
            self.order = ">"
            version = struct.unpack_from(">I", self.data, 4)[0]
        if version not in (2, 3):
            self.fail(f"version {version:,}; only versions 2 and 3 are read")
        tensors = self.count("the tensor count", _GGUF_MIN_TENSOR, _GGUF_MAX_TENSORS)
        keys = self.count("the key/value count", _GGUF_MIN_KEY_VALUE, _GGUF_MAX_KEYS)
        if tensors * _GGUF_MIN_TENSOR + keys * _GGUF_MIN_KEY_VALUE > self.left():
            self.fail(
                f"{tensors:,} tensors and {keys:,} keys need more than the {self.left():,} "
                "bytes left"
            )
        metadata: dict[str, Any] = {}
        for index in range(keys):
            key = self.name(f"key #{index + 1:,}")
            kind = int(self.unpack("I", f"the value type of {_quoted(key)}"))
            if key in metadata:
                self.fail(f"key {_quoted(key)} appears twice")
            metadata[key] = self.value(kind, f"the value of {_quoted(key)}", 0)
        infos: list[tuple[str, tuple[int, ...]]] = []
        names: set[str] = set()
        for index in range(tensors):
            name = self.name(f"the name of tensor #{index + 1:,}")
            if name in names:
                self.fail(f"tensor {_quoted(name)} appears twice")
            names.add(name)
            dims = int(self.unpack("I", f"the dimension count of tensor {_quoted(name)}"))
            if not 1 <= dims <= _GGUF_MAX_DIMS:
                self.fail(f"tensor {_quoted(name)} has {dims:,} dimensions; GGUF allows 1 to 4")
            shape = tuple(
                int(self.unpack("Q", f"the shape of tensor {_quoted(name)}")) for _ in range(dims)
            )
            if math.prod(shape) > _GGUF_MAX_TENSOR_ELEMENTS:
                self.fail(f"tensor {_quoted(name)} declares {math.prod(shape):,} elements")
            self.take(12, f"the type and data offset of tensor {_quoted(name)}")
            infos.append((name, shape))
        return _GGUFHeader(metadata, infos)


def _read_gguf_header(path: Path) -> _GGUFHeader:
    try:
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                raise CatalogFileError(str(path), "not a readable GGUF file (it is empty)")
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return _GGUFWalker(path, data).header()
    except (OSError, ValueError, struct.error, OverflowError) as exc:
        reason = _one_line(str(exc)) or exc.__class__.__name__
        raise CatalogFileError(str(path), f"not a readable GGUF file ({reason})") from None


class _GGUFMetadata:
    """Lookups of one GGUF header's `{arch}.{key}` metadata, each checked."""

    def __init__(self, path: Path, header: _GGUFHeader) -> None:
        self.path = path
        self.metadata = header.metadata
        arch = self.metadata.get("general.architecture")
        if arch is None:
            raise CatalogFileError(
                str(path), "missing from the GGUF metadata", field="general.architecture"
            )
        if not isinstance(arch, str) or not re.fullmatch(r"[\w.+-]{1,100}", arch):
            raise CatalogFileError(
                str(path),
                f"must be an architecture name (letters, digits, '_.+-'), got {_shown(arch)}",
                field="general.architecture",
            )
        self.arch = arch

    def _whole(self, key: str, value: Any, high: int, limit: str) -> int:
        if isinstance(value, list) and value and all(type(item) is int for item in value):
            value = max(value)  # given per layer: the largest
        if type(value) is not int or not 1 <= value <= high:
            raise CatalogFileError(
                str(self.path),
                f"must be a whole number from 1 to {high:,}{limit}, got {_shown(value)}",
                field=f"{self.arch}.{key}",
            )
        return value

    def required(self, key: str, high: int) -> int:
        value = self.metadata.get(f"{self.arch}.{key}")
        if value is None:
            raise CatalogFileError(
                str(self.path), "missing from the GGUF metadata", field=f"{self.arch}.{key}"
            )
        return self._whole(key, value, high, "")

    def optional(self, key: str, high: int, limit: str = "") -> int | None:
        """`{arch}.{key}` as a whole number from 1 to `high`, or None if missing or 0."""
        value = self.metadata.get(f"{self.arch}.{key}")
        return None if _is_unset(value) else self._whole(key, value, high, limit)

    def name(self) -> str | None:
        value = self.metadata.get("general.name")
        return (value.strip() or None) if isinstance(value, str) else None


def _tensor_counts(header: _GGUFHeader) -> tuple[int, int, int, bool]:
    """(all parameters, expert parameters, vocabulary size, has an output head)."""
    total = expert_total = vocab = 0
    has_output = False
    for name, shape in header.tensors:
        count = math.prod(shape)
        total += count
        if "_exps" in name:
            expert_total += count
        if name == "token_embd.weight":
            vocab = max(shape)
        if name == "output.weight":
            has_output = True
    return total, expert_total, vocab, has_output


def _from_gguf(path: Path) -> dict[str, Any]:
    header = _read_gguf_header(path)
    meta = _GGUFMetadata(path, header)
    total, expert_total, vocab, has_output = _tensor_counts(header)
    layers = meta.required("block_count", _MAX_LAYERS)
    hidden = meta.required("embedding_length", _MAX_HIDDEN)
    heads = meta.required("attention.head_count", _MAX_HEADS)
    kv_heads = meta.optional("attention.head_count_kv", heads, " (the number of attention heads)")
    experts = meta.optional("expert_count", _MAX_EXPERTS)
    experts_active = meta.optional(
        "expert_used_count", experts or _MAX_EXPERTS, " (the number of experts)" if experts else ""
    )
    active = total - expert_total
    if experts and experts_active and expert_total:
        active += expert_total * experts_active // experts
    kv_lora = meta.optional("attention.kv_lora_rank", _MAX_WIDTH)
    rope = meta.optional("rope.dimension_count", _MAX_HEAD_DIM)
    window = meta.optional("attention.sliding_window", _MAX_CONTEXT)
    head_dim = meta.optional("attention.value_length", _MAX_HEAD_DIM) or meta.optional(
        "attention.key_length", _MAX_HEAD_DIM
    )
    if head_dim is None:
        if hidden % heads:
            raise CatalogFileError(
                str(path),
                f"{hidden:,} does not divide into {heads:,} attention heads, and no "
                "attention.key_length is given",
                field=f"{meta.arch}.embedding_length",
            )
        head_dim = hidden // heads
    name = meta.name() or path.stem
    return {
        "id": _slug(name),
        "name": name,
        "family": meta.arch,
        "params_total_b": total / 1e9,
        "params_active_b": active / 1e9,
        "expert_params_b": expert_total / 1e9,
        "layers": layers,
        "hidden_size": hidden,
        "heads": heads,
        "kv_heads": kv_heads or heads,
        "head_dim": head_dim,
        "vocab_size": vocab or meta.optional("vocab_size", _MAX_VOCAB) or 32000,
        "tied_embeddings": not has_output,
        "attention": "mla" if kv_lora else "gqa",
        "kv_lora_rank": kv_lora,
        "qk_rope_head_dim": rope if kv_lora else None,
        "sliding_window": None,
        "full_attention_layers": None,
        "experts": experts,
        "experts_active": experts_active if experts else None,
        "native_dtype": "bf16",
        "max_context": meta.optional("context_length", _MAX_CONTEXT) or 4096,
        "notes": f"imported from GGUF metadata of {path.name}"
        + (f"; sliding window {window} not modelled" if window else ""),
        "sources": {
            "*": f"GGUF metadata of {path.resolve()}",
            "params_total_b": f"derived: sum of tensor sizes in {path.name}",
            "params_active_b": "derived: non-expert tensors + expert tensors x used/total experts",
        },
    }


# --- writing a user's catalog safely ---------------------------------------------------------


def model_yaml(entry: Model) -> str:
    data = entry.model_dump(mode="json", exclude_defaults=False)
    data["aliases"] = list(entry.aliases)
    return yaml.safe_dump({"models": [data]}, sort_keys=False, allow_unicode=True)


def add_to_user_catalog(entry: Model, target: Path | None = None) -> Path:
    """Append `entry` to the user's catalog file, atomically, after validating the result.

    A file that is already broken is left untouched and reported.
    """
    from advisor.catalog import _load_catalog_cached, default_user_catalog, load_catalog

    path = (target or default_user_catalog()).expanduser()
    existing: dict[str, Any] = {}
    if path.exists():
        load_catalog([path])  # raises a CatalogFileError naming the problem; nothing is written
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        existing = dict(loaded)
    models = [m for m in existing.get("models", []) if m.get("id") != entry.id]
    data = entry.model_dump(mode="json")
    data["aliases"] = list(entry.aliases)
    existing["models"] = [*models, data]
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".catalog-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            yaml.safe_dump(existing, out, sort_keys=False, allow_unicode=True)
        _load_catalog_cached.cache_clear()
        load_catalog([temp_name])
        os.replace(temp_name, path)
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
    _load_catalog_cached.cache_clear()
    return path
