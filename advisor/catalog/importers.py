"""Make a model entry from a Hugging Face config.json or a GGUF file's metadata.

Parameter counts come from the file itself: summed tensor sizes for GGUF, and for config.json
the standard transformer arithmetic (embeddings, attention, dense or expert MLPs), stated in the
entry's sources as derived.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


# --- Hugging Face config.json ---------------------------------------------------------------


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
    """(the file's object, its text model's config merged over it)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogFileError(str(path), f"not a readable JSON config ({exc})") from None
    if not isinstance(raw, dict):
        raise CatalogFileError(str(path), "expected a JSON object")
    text_config = raw.get("text_config")
    return raw, {**raw, **(text_config if isinstance(text_config, dict) else {})}


def _need(path: Path, config: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if config.get(key) is not None:
            return config[key]
    raise CatalogFileError(str(path), f"config has no '{keys[0]}'", field=keys[0])


@dataclass(frozen=True)
class _Shape:
    """The transformer numbers a config states."""

    layers: int
    hidden: int
    heads: int
    kv_heads: int
    head_dim: int
    vocab: int
    tied: bool
    intermediate: int


def _shape(path: Path, config: dict[str, Any]) -> _Shape:
    hidden = int(_need(path, config, "hidden_size", "n_embd", "d_model"))
    heads = int(_need(path, config, "num_attention_heads", "n_head"))
    return _Shape(
        layers=int(_need(path, config, "num_hidden_layers", "n_layer", "num_layers")),
        hidden=hidden,
        heads=heads,
        kv_heads=int(config.get("num_key_value_heads") or heads),
        head_dim=int(config.get("head_dim") or config.get("v_head_dim") or hidden // heads),
        vocab=int(_need(path, config, "vocab_size")),
        tied=bool(config.get("tie_word_embeddings", False)),
        intermediate=int(config.get("intermediate_size") or 4 * hidden),
    )


def _attention(config: dict[str, Any], shape: _Shape) -> tuple[int, str]:
    """(attention parameters per layer, "mla" or "gqa")."""
    hidden, heads, head_dim = shape.hidden, shape.heads, shape.head_dim
    kv_lora = config.get("kv_lora_rank")
    rope = config.get("qk_rope_head_dim")
    if not (kv_lora and rope):
        return 2 * hidden * heads * head_dim + 2 * hidden * shape.kv_heads * head_dim, "gqa"
    nope = int(config.get("qk_nope_head_dim") or head_dim)
    v_dim = int(config.get("v_head_dim") or head_dim)
    q_lora = config.get("q_lora_rank")
    q_proj = (
        (hidden * q_lora + q_lora * heads * (nope + rope))
        if q_lora
        else (hidden * heads * (nope + rope))
    )
    params = q_proj + hidden * (kv_lora + rope) + kv_lora * heads * (nope + v_dim)
    return params + heads * v_dim * hidden, "mla"


def _layer_pattern(config: dict[str, Any], layers: int, attention: str) -> tuple[str, int | None]:
    """(attention kind, full-attention layers) from per-layer types or a sliding pattern."""
    layer_types = config.get("layer_types")
    window = config.get("sliding_window")
    if isinstance(layer_types, list) and layer_types:
        full_layers = sum(1 for t in layer_types if t in ("full_attention", "attention"))
        if any("linear" in str(t) for t in layer_types):
            return "hybrid", full_layers
        if window and full_layers < layers:
            return "sliding", full_layers
        return attention, full_layers
    if window and config.get("sliding_window_pattern"):
        return "sliding", layers // int(config["sliding_window_pattern"])
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


def _experts(config: dict[str, Any]) -> tuple[Any, Any]:
    """(routed experts, experts per token) as the config names them, or None."""
    experts = (
        config.get("n_routed_experts")
        or config.get("num_experts")
        or config.get("num_local_experts")
    )
    return experts, config.get("num_experts_per_tok") or config.get("num_experts_per_token")


def _counts(config: dict[str, Any], shape: _Shape, attention_params: int) -> _Counts:
    """Parameters by the standard arithmetic: embeddings, attention, dense and expert MLPs."""
    hidden, layers = shape.hidden, shape.layers
    experts, experts_active = _experts(config)
    moe_intermediate = int(config.get("moe_intermediate_size") or shape.intermediate)
    dense_layers = int(config.get("first_k_dense_replace") or 0) if experts else layers
    moe_layers = layers - dense_layers if experts else 0
    per_expert = 3 * hidden * moe_intermediate
    expert = moe_layers * int(experts) * per_expert if experts else 0
    shared = moe_layers * int(config.get("n_shared_experts") or 0) * per_expert
    embeddings = shape.vocab * hidden * (1 if shape.tied else 2)
    total = (
        embeddings
        + layers * attention_params
        + dense_layers * 3 * hidden * shape.intermediate
        + expert
        + shared
        + moe_layers * hidden * int(experts or 0)  # routers
    )
    active = total - expert
    if experts and experts_active:
        active += moe_layers * int(experts_active) * per_expert
    return _Counts(total, active, expert, embeddings, attention_params, dense_layers, moe_layers)


def _native_dtype(config: dict[str, Any]) -> str:
    native = _NATIVE_DTYPES.get(str(config.get("torch_dtype") or config.get("dtype")), "bf16")
    quant = config.get("quantization_config") or {}
    if isinstance(quant, dict) and str(quant.get("quant_method", "")).lower() in ("fp8", "mxfp4"):
        return str(quant["quant_method"]).lower()
    return native


def _from_config(path: Path) -> dict[str, Any]:
    raw, config = _read_config(path)
    shape = _shape(path, config)
    attention_params, attention = _attention(config, shape)
    attention, full_layers = _layer_pattern(config, shape.layers, attention)
    counts = _counts(config, shape, attention_params)
    experts, experts_active = _experts(config)
    kv_lora, rope = config.get("kv_lora_rank"), config.get("qk_rope_head_dim")
    window = config.get("sliding_window")
    model_name = str(raw.get("_name_or_path") or _folder_name(path))
    derived = (
        f"derived from {path.name}: embeddings {counts.embeddings:,} + {shape.layers} layers x "
        f"attention {counts.attention:,} + MLPs ({counts.dense_layers} dense, "
        f"{counts.moe_layers} MoE)"
    )
    return {
        "id": _slug(Path(model_name).name),
        "name": Path(model_name).name or "Imported model",
        "family": str(config.get("model_type") or "imported"),
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
        "kv_lora_rank": int(kv_lora) if attention == "mla" and kv_lora else None,
        "qk_rope_head_dim": int(rope) if attention == "mla" and rope else None,
        "sliding_window": int(window) if attention == "sliding" and window else None,
        "full_attention_layers": full_layers if attention in ("sliding", "hybrid") else None,
        "experts": int(experts) if experts else None,
        "experts_active": int(experts_active) if experts and experts_active else None,
        "native_dtype": _native_dtype(config),
        "max_context": int(config.get("max_position_embeddings") or 4096),
        "notes": f"imported from {path}",
        "sources": {
            "*": str(path.resolve()),
            "params_total_b": derived,
            "params_active_b": derived,
            "expert_params_b": derived,
        },
    }


# --- GGUF ------------------------------------------------------------------------------------


def _gguf_metadata(path: Path) -> tuple[Any, Callable[[str], Any]]:
    """(the reader, a lookup of `{arch}.{key}` metadata)."""
    try:
        from gguf import GGUFReader

        reader = GGUFReader(str(path), "r")
    except Exception as exc:  # the reader raises bare ValueError/struct errors on bad files
        raise CatalogFileError(str(path), f"not a readable GGUF file ({exc})") from None

    def value(key: str) -> Any:
        field = reader.fields.get(key)
        return None if field is None else field.contents()

    arch = value("general.architecture")
    if not arch:
        raise CatalogFileError(str(path), "GGUF has no general.architecture", field="metadata")
    return reader, lambda key: value(key) if key.startswith("general.") else value(f"{arch}.{key}")


def _tensor_counts(reader: Any) -> tuple[int, int, int, bool]:
    """(all parameters, expert parameters, vocabulary size, has an output head)."""
    total = expert_total = vocab = 0
    has_output = False
    for tensor in reader.tensors:
        count = int(tensor.n_elements)
        total += count
        if "_exps" in tensor.name:
            expert_total += count
        if tensor.name == "token_embd.weight":
            vocab = int(max(int(d) for d in tensor.shape))
        if tensor.name == "output.weight":
            has_output = True
    return total, expert_total, vocab, has_output


def _from_gguf(path: Path) -> dict[str, Any]:
    reader, meta = _gguf_metadata(path)

    def need(key: str) -> Any:
        found = meta(key)
        if found is None:
            raise CatalogFileError(
                str(path), f"GGUF has no {meta('general.architecture')}.{key}", field=key
            )
        return found

    total, expert_total, vocab, has_output = _tensor_counts(reader)
    hidden = int(need("embedding_length"))
    heads = int(need("attention.head_count"))
    experts, experts_active = meta("expert_count"), meta("expert_used_count")
    active = total - expert_total
    if experts and experts_active and expert_total:
        active += expert_total * int(experts_active) // int(experts)
    kv_lora, rope = meta("attention.kv_lora_rank"), meta("rope.dimension_count")
    window = meta("attention.sliding_window")
    name = str(meta("general.name") or path.stem)
    return {
        "id": _slug(name),
        "name": name,
        "family": str(meta("general.architecture")),
        "params_total_b": total / 1e9,
        "params_active_b": active / 1e9,
        "expert_params_b": expert_total / 1e9,
        "layers": int(need("block_count")),
        "hidden_size": hidden,
        "heads": heads,
        "kv_heads": int(meta("attention.head_count_kv") or heads),
        "head_dim": int(
            meta("attention.value_length") or meta("attention.key_length") or hidden // heads
        ),
        "vocab_size": vocab or int(meta("vocab_size") or 32000),
        "tied_embeddings": not has_output,
        "attention": "mla" if kv_lora else "gqa",
        "kv_lora_rank": int(kv_lora) if kv_lora else None,
        "qk_rope_head_dim": int(rope) if kv_lora and rope else None,
        "sliding_window": None,
        "full_attention_layers": None,
        "experts": int(experts) if experts else None,
        "experts_active": int(experts_active) if experts and experts_active else None,
        "native_dtype": "bf16",
        "max_context": int(meta("context_length") or 4096),
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
