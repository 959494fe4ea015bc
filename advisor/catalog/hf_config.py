"""A Hugging Face config.json as a catalog model: the standard transformer arithmetic, every
field it reads checked as a whole number within a sane bound."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.catalog.file_values import (
    MAX_CONTEXT,
    MAX_EXPERTS,
    MAX_HEAD_DIM,
    MAX_HEADS,
    MAX_HIDDEN,
    MAX_LAYERS,
    MAX_TEXT,
    MAX_VOCAB,
    MAX_WIDTH,
    is_unset,
    one_line,
    shown,
    slug,
    whole_number,
)
from advisor.errors import CatalogFileError

_NATIVE_DTYPES = {"bfloat16": "bf16", "float16": "fp16", "float32": "bf16"}


# --- Hugging Face config.json ---------------------------------------------------------------

_CONFIG_MAX_BYTES = 50 * 1024 * 1024  # the largest real config.json files are tens of kilobytes


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
        raise CatalogFileError(str(path), f"cannot be read ({one_line(str(exc))})") from None
    except UnicodeDecodeError as exc:
        reason = f"not UTF-8 text: byte 0x{content[exc.start]:02x} at offset {exc.start:,}"
        raise CatalogFileError(str(path), f"not a readable JSON config ({reason})") from None
    except RecursionError:
        reason = "it nests objects or lists too deeply"
        raise CatalogFileError(str(path), f"not a readable JSON config ({reason})") from None
    except ValueError as exc:  # json.JSONDecodeError, or an integer with thousands of digits
        reason = one_line(str(exc).split("; use sys.")[0])
        raise CatalogFileError(str(path), f"not a readable JSON config ({reason})") from None
    if not isinstance(raw, dict):
        raise CatalogFileError(str(path), f"expected a JSON object, got {shown(raw)}")
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
                return whole_number(self.path, key, self.config[key], 1, high)
        raise CatalogFileError(str(self.path), f"config has no '{keys[0]}'", field=keys[0])

    def optional(self, key: str, high: int, low: int = 1, limit: str = "") -> int | None:
        """`key` as a whole number from `low` to `high`, or None if null, false or 0."""
        value = self.config.get(key)
        if is_unset(value):
            return None
        return whole_number(self.path, key, value, low, high, limit)

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
                str(self.path), f"must be true or false, got {shown(value)}", field=key
            )
        return value

    def text(self, key: str) -> str | None:
        value = self.config.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise CatalogFileError(
                str(self.path),
                f"must be text of at most {MAX_TEXT:,} characters, got {shown(value)}",
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
                f"must be a list of layer type names, got {shown(value)}",
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
        layers = self.required(MAX_LAYERS, "num_hidden_layers", "n_layer", "num_layers")
        hidden = self.required(MAX_HIDDEN, "hidden_size", "n_embd", "d_model")
        heads = self.required(MAX_HEADS, "num_attention_heads", "n_head")
        kv_heads = self.optional(
            "num_key_value_heads", heads, limit=" (the number of attention heads)"
        )
        head_dim = self.first(MAX_HEAD_DIM, "head_dim", "v_head_dim")
        if head_dim is None:
            if hidden % heads:
                raise CatalogFileError(
                    str(self.path),
                    f"{hidden:,} does not divide into {heads:,} attention heads, and no "
                    "head_dim is given",
                    field="hidden_size",
                )
            head_dim = hidden // heads
        intermediate = self.optional("intermediate_size", MAX_WIDTH) or 4 * hidden
        experts = self.first(MAX_EXPERTS, "n_routed_experts", "num_experts", "num_local_experts")
        experts_active = self.first(
            experts or MAX_EXPERTS,
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
            vocab=self.required(MAX_VOCAB, "vocab_size"),
            tied=self.flag("tie_word_embeddings"),
            intermediate=intermediate,
            kv_lora=self.optional("kv_lora_rank", MAX_WIDTH),
            q_lora=self.optional("q_lora_rank", MAX_WIDTH),
            rope=self.optional("qk_rope_head_dim", MAX_HEAD_DIM),
            nope=self.optional("qk_nope_head_dim", MAX_HEAD_DIM) or head_dim,
            v_dim=self.optional("v_head_dim", MAX_HEAD_DIM) or head_dim,
            layer_types=self.layer_types(layers),
            window=self.optional("sliding_window", MAX_CONTEXT),
            window_pattern=self.optional("sliding_window_pattern", MAX_LAYERS),
            experts=experts,
            experts_active=experts_active,
            moe_intermediate=self.optional("moe_intermediate_size", MAX_WIDTH) or intermediate,
            first_dense=self.optional(
                "first_k_dense_replace", layers, low=0, limit=" (the number of layers)"
            )
            or 0,
            shared_experts=self.optional("n_shared_experts", MAX_EXPERTS, low=0) or 0,
            max_context=self.optional("max_position_embeddings", MAX_CONTEXT) or 4096,
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
        "id": slug(Path(model_name).name),
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
