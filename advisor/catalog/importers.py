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


def _from_config(path: Path) -> dict[str, Any]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogFileError(str(path), f"not a readable JSON config ({exc})") from None
    if not isinstance(raw, dict):
        raise CatalogFileError(str(path), "expected a JSON object")
    text_config = raw.get("text_config")
    config: dict[str, Any] = {**raw, **(text_config if isinstance(text_config, dict) else {})}

    def need(*keys: str) -> Any:
        for key in keys:
            if config.get(key) is not None:
                return config[key]
        raise CatalogFileError(str(path), f"config has no '{keys[0]}'", field=keys[0])

    layers = int(need("num_hidden_layers", "n_layer", "num_layers"))
    hidden = int(need("hidden_size", "n_embd", "d_model"))
    heads = int(need("num_attention_heads", "n_head"))
    kv_heads = int(config.get("num_key_value_heads") or heads)
    head_dim = int(config.get("head_dim") or config.get("v_head_dim") or hidden // heads)
    vocab = int(need("vocab_size"))
    tied = bool(config.get("tie_word_embeddings", False))
    intermediate = int(config.get("intermediate_size") or 4 * hidden)
    experts = (
        config.get("n_routed_experts")
        or config.get("num_experts")
        or config.get("num_local_experts")
    )
    experts_active = config.get("num_experts_per_tok") or config.get("num_experts_per_token")
    moe_intermediate = int(config.get("moe_intermediate_size") or intermediate)
    shared = int(config.get("n_shared_experts") or 0)
    dense_layers = int(config.get("first_k_dense_replace") or 0) if experts else layers

    kv_lora = config.get("kv_lora_rank")
    rope = config.get("qk_rope_head_dim")
    if kv_lora and rope:
        nope = int(config.get("qk_nope_head_dim") or head_dim)
        v_dim = int(config.get("v_head_dim") or head_dim)
        q_lora = config.get("q_lora_rank")
        q_proj = (
            (hidden * q_lora + q_lora * heads * (nope + rope))
            if q_lora
            else (hidden * heads * (nope + rope))
        )
        attention_params = (
            q_proj
            + hidden * (kv_lora + rope)
            + kv_lora * heads * (nope + v_dim)
            + heads * v_dim * hidden
        )
        attention = "mla"
    else:
        attention_params = 2 * hidden * heads * head_dim + 2 * hidden * kv_heads * head_dim
        attention = "gqa"

    layer_types = config.get("layer_types")
    window = config.get("sliding_window")
    full_layers = None
    if isinstance(layer_types, list) and layer_types:
        full_layers = sum(1 for t in layer_types if t in ("full_attention", "attention"))
        if any("linear" in str(t) for t in layer_types):
            attention = "hybrid"
        elif window and full_layers < layers:
            attention = "sliding"
    elif window and config.get("sliding_window_pattern"):
        pattern = int(config["sliding_window_pattern"])
        full_layers = layers // pattern
        attention = "sliding"

    embeddings = vocab * hidden * (1 if tied else 2)
    dense_mlp = 3 * hidden * intermediate
    moe_layers = layers - dense_layers if experts else 0
    expert_params = (moe_layers * int(experts) * 3 * hidden * moe_intermediate) if experts else 0
    shared_params = moe_layers * shared * 3 * hidden * moe_intermediate
    router = moe_layers * hidden * int(experts or 0)
    total = (
        embeddings
        + layers * attention_params
        + dense_layers * dense_mlp
        + expert_params
        + shared_params
        + router
    )
    active = total - expert_params
    if experts and experts_active:
        active += moe_layers * int(experts_active) * 3 * hidden * moe_intermediate

    quant = config.get("quantization_config") or {}
    native = _NATIVE_DTYPES.get(str(config.get("torch_dtype") or config.get("dtype")), "bf16")
    if isinstance(quant, dict):
        method = str(quant.get("quant_method", "")).lower()
        if method in ("fp8", "mxfp4"):
            native = method
    model_name = str(raw.get("_name_or_path") or _folder_name(path))
    derived = (
        f"derived from {path.name}: embeddings {embeddings:,} + {layers} layers x attention "
        f"{attention_params:,} + MLPs ({dense_layers} dense, {moe_layers} MoE)"
    )
    return {
        "id": _slug(Path(model_name).name),
        "name": Path(model_name).name or "Imported model",
        "family": str(config.get("model_type") or "imported"),
        "params_total_b": round(total / 1e9, 3),
        "params_active_b": round(active / 1e9, 3),
        "expert_params_b": round(expert_params / 1e9, 3),
        "layers": layers,
        "hidden_size": hidden,
        "heads": heads,
        "kv_heads": kv_heads if attention != "mla" else heads,
        "head_dim": head_dim,
        "vocab_size": vocab,
        "tied_embeddings": tied,
        "attention": attention,
        "kv_lora_rank": int(kv_lora) if attention == "mla" and kv_lora else None,
        "qk_rope_head_dim": int(rope) if attention == "mla" and rope else None,
        "sliding_window": int(window) if attention == "sliding" and window else None,
        "full_attention_layers": full_layers if attention in ("sliding", "hybrid") else None,
        "experts": int(experts) if experts else None,
        "experts_active": int(experts_active) if experts and experts_active else None,
        "native_dtype": native,
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


def _from_gguf(path: Path) -> dict[str, Any]:
    try:
        from gguf import GGUFReader

        reader = GGUFReader(str(path), "r")
    except Exception as exc:  # the reader raises bare ValueError/struct errors on bad files
        raise CatalogFileError(str(path), f"not a readable GGUF file ({exc})") from None

    def value(key: str) -> Any:
        field = reader.fields.get(key)
        if field is None:
            return None
        return field.contents()

    arch = value("general.architecture")
    if not arch:
        raise CatalogFileError(str(path), "GGUF has no general.architecture", field="metadata")

    def arch_value(key: str) -> Any:
        return value(f"{arch}.{key}")

    def need(key: str) -> Any:
        found = arch_value(key)
        if found is None:
            raise CatalogFileError(str(path), f"GGUF has no {arch}.{key}", field=key)
        return found

    total = 0
    expert_total = 0
    vocab = 0
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
    layers = int(need("block_count"))
    hidden = int(need("embedding_length"))
    heads = int(need("attention.head_count"))
    kv_heads = int(arch_value("attention.head_count_kv") or heads)
    head_dim = int(
        arch_value("attention.value_length")
        or arch_value("attention.key_length")
        or hidden // heads
    )
    experts = arch_value("expert_count")
    experts_active = arch_value("expert_used_count")
    active = total - expert_total
    if experts and experts_active and expert_total:
        active += expert_total * int(experts_active) // int(experts)
    kv_lora = arch_value("attention.kv_lora_rank")
    rope = arch_value("rope.dimension_count")
    window = arch_value("attention.sliding_window")
    attention = "mla" if kv_lora else "gqa"
    name = str(value("general.name") or path.stem)
    return {
        "id": _slug(name),
        "name": name,
        "family": str(arch),
        "params_total_b": total / 1e9,
        "params_active_b": active / 1e9,
        "expert_params_b": expert_total / 1e9,
        "layers": layers,
        "hidden_size": hidden,
        "heads": heads,
        "kv_heads": kv_heads,
        "head_dim": head_dim,
        "vocab_size": vocab or int(arch_value("vocab_size") or 32000),
        "tied_embeddings": not has_output,
        "attention": attention,
        "kv_lora_rank": int(kv_lora) if kv_lora else None,
        "qk_rope_head_dim": int(rope) if kv_lora and rope else None,
        "sliding_window": None,
        "full_attention_layers": None,
        "experts": int(experts) if experts else None,
        "experts_active": int(experts_active) if experts and experts_active else None,
        "native_dtype": "bf16",
        "max_context": int(arch_value("context_length") or 4096),
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
