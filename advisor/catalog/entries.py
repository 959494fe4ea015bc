"""Typed catalog entries. Every number an entry carries must name its source."""

from __future__ import annotations

from typing import Any, ClassVar, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from advisor.catalog.keys import name_key
from advisor.errors import printable

Family = Literal["apple", "nvidia", "amd"]
Dtype = Literal["fp16", "bf16", "fp8", "fp4", "int8"]
# Whether a buyer can get one today: sold new; only used; taken off sale early by the vendor
# (a configuration withdrawn); replaced at end of life; ordered now, shipped later.
Availability = Literal["new", "used_only", "withdrawn", "discontinued", "preorder"]
SOLD_NEW: frozenset[str] = frozenset({"new", "preorder"})
Market = Literal["us", "cn", "eu"]


MAX_NAME_CHARS = 200


class CatalogEntry(BaseModel):
    # Numbers must be finite: an infinite memory or price would poison every comparison.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, allow_inf_nan=False)

    id: str = Field(min_length=1, max_length=MAX_NAME_CHARS, pattern=r"^[a-z0-9][a-z0-9._+-]*$")
    name: str = Field(min_length=1, max_length=MAX_NAME_CHARS)
    aliases: tuple[str, ...] = ()
    notes: str | None = None
    sources: dict[str, str] = Field(default_factory=dict)

    @field_validator("name", "aliases", "notes", "short_name", mode="before", check_fields=False)
    @classmethod
    def _no_control_characters(cls, value: object) -> object:
        """Names reach terminals: escape sequences and control characters are dropped."""
        if isinstance(value, str):
            return printable(value).strip()
        if isinstance(value, list | tuple):
            return [printable(v).strip() if isinstance(v, str) else v for v in value]
        return value

    # Numbers that are labels or conventions rather than facts about the world.
    unsourced_fields: ClassVar[frozenset[str]] = frozenset()

    def source_of(self, field: str) -> str | None:
        """The source for one number, falling back to the entry's default source ("*")."""
        return self.sources.get(field) or self.sources.get("*")

    @model_validator(mode="after")
    def _every_number_has_a_source(self) -> CatalogEntry:
        missing = [
            path
            for path, _ in _numbers(self.model_dump(exclude={"sources"}))
            if path not in self.unsourced_fields and self.source_of(path) is None
        ]
        if missing:
            raise ValueError(f"no source for {', '.join(missing)} (add them under 'sources:')")
        return self


def _numbers(data: dict[str, Any], prefix: str = "") -> list[tuple[str, float]]:
    found: list[tuple[str, float]] = []
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int | float):
            found.append((path, float(value)))
        elif isinstance(value, dict):
            found.extend(_numbers(value, prefix=f"{path}."))
    return found


class Tflops(BaseModel):
    """Dense peak TFLOPS of the GPU's matrix path, per dtype it runs natively."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, allow_inf_nan=False)

    fp16: float | None = Field(default=None, gt=0, le=1_000_000)
    bf16: float | None = Field(default=None, gt=0, le=1_000_000)
    fp8: float | None = Field(default=None, gt=0, le=1_000_000)
    fp4: float | None = Field(default=None, gt=0, le=1_000_000)
    int8: float | None = Field(default=None, gt=0, le=1_000_000)

    def peak(self, dtype: Dtype) -> tuple[Dtype, float]:
        """The peak for `dtype`, or for the nearest wider dtype the hardware has."""
        ladders: dict[Dtype, list[Dtype]] = {
            "fp4": ["fp4", "fp8", "fp16", "bf16"],
            "fp8": ["fp8", "fp16", "bf16"],
            "int8": ["int8", "fp16", "bf16"],
            "bf16": ["bf16", "fp16"],
            "fp16": ["fp16", "bf16"],
        }
        ladder = ladders[dtype]
        for candidate in ladder:
            value = getattr(self, candidate)
            if value:
                return candidate, float(value)
        raise ValueError("no fp16/bf16 compute figure")


class Bilingual(BaseModel):
    """A note that reaches answers, in both languages the advisor speaks."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    en: str = Field(min_length=1, max_length=1000)
    zh: str = Field(min_length=1, max_length=1000)

    @field_validator("en", "zh", mode="before")
    @classmethod
    def _printable(cls, value: object) -> object:
        return printable(value).strip() if isinstance(value, str) else value

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Hardware(CatalogEntry):
    short_name: str | None = Field(default=None, description="for tables: 'M3 Ultra 512GB'")
    vendor: str
    family: Family
    kind: Literal["box", "card", "datacenter"]
    line: str | None = Field(
        default=None,
        max_length=80,
        description="product line: configurations of one machine (a generic name picks among them)",
    )
    arch: str | None = Field(
        default=None, description="GPU architecture where engines' kernels differ: 'sm_121' (GB10)"
    )
    memory_gb: float = Field(gt=0, le=100_000)
    usable_gb: float = Field(gt=0, le=100_000)
    usable_max_gb: float = Field(gt=0, le=100_000)
    raise_limit: str | None = None
    memory_type: str | None = None
    bandwidth_gbs: float = Field(ge=1, le=100_000)  # GB/s: from a phone's to a rack's
    tflops: Tflops
    tflops_note: str | None = None
    gpu_dies: int | None = Field(
        default=None,
        ge=1,
        le=8,
        description="GPU dies joined in one package where more than one (an Ultra is two Max "
        "dies); the small per-layer kernels of a decode step run at one die's rate",
    )
    gpu_bf16: bool | None = Field(
        default=None,
        description="false where the GPU has no bf16 arithmetic (Apple M1 and M2): engines "
        "convert a bf16 model's activations in software",
    )
    pcie_peer_to_peer: bool = Field(
        default=True,
        description="false where the stock driver gives the card no PCIe peer-to-peer (GeForce): "
        "copies between cards in one host go through host memory",
    )
    power_w: float | None = Field(
        default=None, gt=0, le=1_000_000, description="boxes: the whole system under load"
    )
    idle_w: float | None = Field(default=None, gt=0, le=1_000_000)
    price_usd: float | None = Field(default=None, gt=0, le=100_000_000)
    price_date: str | None = None
    price_cny: float | None = Field(default=None, gt=0, le=1_000_000_000)
    price_note: Bilingual | None = None
    street_price_usd: float | None = Field(
        default=None, gt=0, le=100_000_000, description="what it sells for now (used if not new)"
    )
    street_price_cny: float | None = Field(default=None, gt=0, le=1_000_000_000)
    street_price_date: str | None = None
    markets: tuple[Market, ...] = Field(
        default=("us", "cn", "eu"), min_length=1, description="where it is sold"
    )
    links: tuple[str, ...] = ()
    max_units: int = Field(default=1, ge=1)
    released: str | None = None
    availability: Availability = "new"
    availability_note: Bilingual | None = None
    market_note: Bilingual | None = Field(
        default=None, description="why it is not sold in a market its `markets` leave out"
    )
    featured: bool = (
        False  # a box buyers compare first; answers explain why it does or doesn't work
    )

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def calibration_group(self) -> str:
        """Family, with HBM GPUs apart: at batch 1 they reach a lower share of their bandwidth
        and compute peaks than GDDR or LPDDR parts (reference/estimation.md §3.4). Kept on the
        entry once worked out: a question asks it ~5,000 times."""
        found = self.__dict__.get("_calibration_group")
        if found is None:
            found = self._group()
            self.__dict__["_calibration_group"] = found
        assert isinstance(found, str)
        return found

    def _group(self) -> str:
        if self.memory_type and "hbm" in self.memory_type.lower():
            return f"{self.family}-hbm"
        if self.family == "amd" and self.kind == "card":
            return "amd-card"  # AMD's constants are fitted on Strix Halo's unified LPDDR5X
        return self.family

    @model_validator(mode="before")
    @classmethod
    def _notes_in_one_language(cls, data: Any) -> Any:
        """A user's file written before notes were bilingual: free text serves both languages."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        status = data.get("availability")
        if status is None:
            data.pop("availability", None)
        elif isinstance(status, str) and status not in get_args(Availability):
            data["availability"] = "new"
            data.setdefault("availability_note", {"en": status, "zh": status})
        if isinstance(data.get("price_note"), str):
            data["price_note"] = {"en": data["price_note"], "zh": data["price_note"]}
        return data

    @property
    def sold_new(self) -> bool:
        return self.availability in SOLD_NEW

    @model_validator(mode="after")
    def _usable_within_total(self) -> Hardware:
        if self.usable_gb > self.memory_gb + 1e-6:
            raise ValueError(f"usable_gb {self.usable_gb} exceeds memory_gb {self.memory_gb}")
        if self.usable_max_gb + 1e-6 < self.usable_gb:
            raise ValueError("usable_max_gb is below usable_gb")
        if self.usable_max_gb > self.memory_gb + 1e-6:
            raise ValueError(f"usable_max_gb {self.usable_max_gb} exceeds memory_gb")
        if self.tflops.fp16 is None and self.tflops.bf16 is None:
            raise ValueError("tflops needs at least fp16 or bf16")
        return self


class Model(CatalogEntry):
    family: str
    params_total_b: float = Field(gt=0, le=1_000_000)
    params_active_b: float = Field(gt=0)
    expert_params_b: float = Field(default=0.0, ge=0)
    layers: int = Field(gt=0)
    hidden_size: int = Field(gt=0)
    heads: int = Field(gt=0)
    kv_heads: int = Field(gt=0)
    head_dim: int = Field(gt=0)
    vocab_size: int = Field(gt=0)
    tied_embeddings: bool = False
    attention: Literal["gqa", "mla", "sliding", "hybrid"]
    kv_lora_rank: int | None = Field(default=None, gt=0)
    qk_rope_head_dim: int | None = Field(default=None, gt=0)
    sliding_window: int | None = Field(default=None, gt=0)
    full_attention_layers: int | None = Field(default=None, ge=0)
    recurrent_state_mb: float | None = Field(default=None, ge=0)
    experts: int | None = Field(default=None, gt=0)
    experts_active: int | None = Field(default=None, gt=0)
    native_dtype: Literal["bf16", "fp16", "fp8", "mxfp4", "int4"]
    gguf_expert_bits: float | None = Field(
        default=None,
        gt=0,
        le=16,
        description="bits per weight its routed experts keep in every GGUF, whatever the quant "
        "(gpt-oss's MXFP4 experts): a k-quant re-quantizes only the rest",
    )
    max_context: int = Field(gt=0)
    rope_scaled_context: int | None = Field(
        default=None,
        gt=0,
        description="the longer context its makers validated with RoPE scaling (YaRN) switched "
        "on, beyond max_context, the window it has as released",
    )
    released: str | None = None
    featured: bool = Field(
        default=False,
        description="a model people ask for by name most at its size: the stand-in a bare size "
        '("a 14B model") is answered with, before a lesser-known one of about the same size',
    )
    generic: bool = False
    variants: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="other releases with this very architecture (fine-tunes, distills): their "
        "display name -> the names people type; figures for them are this entry's",
    )

    def variant_named(self, text: str) -> str | None:
        """The display name of the variant `text` names, if it names one."""
        key = name_key(text)
        for variant, names in self.variants.items():
            if key in {name_key(n) for n in (variant, *names)}:
                return variant
        return None

    @property
    def context_limit(self) -> int:
        """The longest context it takes: with RoPE scaling switched on where that is validated."""
        return max(self.max_context, self.rope_scaled_context or 0)

    @property
    def is_moe(self) -> bool:
        return self.expert_params_b > 0

    @model_validator(mode="after")
    def _architecture_is_consistent(self) -> Model:
        if self.params_active_b > self.params_total_b * 1.0001:
            raise ValueError("params_active_b exceeds params_total_b")
        if self.expert_params_b >= self.params_total_b:
            raise ValueError("expert_params_b must be below params_total_b")
        if self.attention == "mla" and (self.kv_lora_rank is None or self.qk_rope_head_dim is None):
            raise ValueError("attention 'mla' needs kv_lora_rank and qk_rope_head_dim")
        if self.attention == "sliding" and self.sliding_window is None:
            raise ValueError("attention 'sliding' needs sliding_window")
        if self.attention in ("sliding", "hybrid") and self.full_attention_layers is None:
            raise ValueError(f"attention '{self.attention}' needs full_attention_layers")
        if self.full_attention_layers is not None and self.full_attention_layers > self.layers:
            raise ValueError("full_attention_layers exceeds layers")
        if (self.experts is None) != (self.experts_active is None):
            raise ValueError("give both experts and experts_active, or neither")
        return self


class WeightFormat(CatalogEntry):
    unsourced_fields: ClassVar[frozenset[str]] = frozenset({"nominal_bits"})
    kind: Literal["float", "gguf", "mlx"]
    bits: float = Field(gt=0, le=32)
    nominal_bits: int = Field(gt=0, le=32)
    applies_to: Literal["all", "experts"] = "all"
    other_bits: float | None = Field(default=None, gt=0, le=32)
    matmul_dtype: Dtype = "fp16"

    @property
    def is_quantized(self) -> bool:
        return self.kind != "float" or self.nominal_bits < 8


_LABEL = Field(
    default=None,
    min_length=1,
    max_length=40,
    description="how a sentence names it ('vLLM', 'PCIe'); default: its id",
)


class Engine(CatalogEntry):
    label: str | None = _LABEL
    families: tuple[Family, ...]
    formats: tuple[str, ...]
    usual_format: str
    mla_cache: Literal["latent", "latent_kv", "full"]
    mla_prompt: Literal["absorbed", "materialized"] = Field(
        default="materialized",
        description="how an MLA model's prompts attend over a latent cache: per-head keys and "
        "values rebuilt from it, or every head over the whole latent (4.25x the FLOPs)",
    )
    mla_full_cache_for: tuple[str, ...] = Field(
        default=(),
        description="models whose code in this engine still caches per-head keys and values "
        "where its other MLA models cache the latent",
    )
    sliding_window_cache: Literal["windowed", "full"]
    low_precision_matmul: bool
    splits: tuple[Literal["pipeline", "tensor"], ...]
    separate_bench_phases: bool
    default_for: tuple[Family, ...] = ()
    default_for_kinds: tuple[Literal["box", "card", "datacenter"], ...] = Field(
        default=(), description="kinds of hardware whose usual engine it is, before the family's"
    )
    quantized_kv: Literal["q8_0", "fp8"] | None = Field(
        default=None, description="the smaller KV cache element type it offers, if any"
    )
    batches_like: str | None = Field(
        default=None,
        description="the engine whose batching it shares (a llama.cpp backend, Ollama over "
        "llama.cpp): its calibrated small-batch share applies",
    )
    prefill_pass_tokens: tuple[tuple[float, int], ...] = Field(
        default=((0, 512),),
        description="(smallest device memory in GB, prompt tokens per forward pass): the "
        "weights are read once per pass; the last row whose memory the device has applies",
    )
    weight_only: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="format -> architectures where the engine has no native kernel for it and "
        "dequantizes the weights to 16 bits (W4A16) instead",
    )
    weight_only_moe: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="format -> architectures where the engine's MoE decode kernels lack it and "
        "dequantize the weights to 16 bits (Marlin) instead; its prompts still run at the "
        "format's rate",
    )
    untuned_decode: dict[str, dict[Literal["dense", "moe"], float]] = Field(
        default_factory=dict,
        description="architecture -> the share of the platform's decode speed the engine's "
        "kernels reach there, dense and MoE apart, where its builds for that GPU are not tuned "
        "(vLLM on Strix Halo, gfx1151); measured against llama.cpp on the same box",
    )

    staged_all_reduce_gbps: float | None = Field(
        default=None,
        gt=0,
        description="Gb/s its tensor split's all-reduce moves activations at, where it copies "
        "them through host memory rather than peer to peer (unset: at the link's rate)",
    )
    bf16_emulated_prefill: float | None = Field(
        default=None,
        gt=0,
        le=1,
        description="share of its prompt rate the engine keeps with a bf16 model on a GPU "
        "without bf16 arithmetic (unset: it computes in f16/f32 and loses nothing)",
    )

    def pass_tokens(self, memory_gb: float) -> int:
        """Prompt tokens the engine feeds through the model in one pass on a device this big."""
        fitting = [tokens for smallest, tokens in self.prefill_pass_tokens if memory_gb >= smallest]
        return fitting[-1] if fitting else self.prefill_pass_tokens[0][1]

    def mla_cache_for(self, model_id: str) -> Literal["latent", "latent_kv", "full"]:
        """What this engine caches for an MLA model."""
        return "full" if model_id in self.mla_full_cache_for else self.mla_cache

    def kernel_share(self, hardware: Hardware, moe: bool) -> float:
        """The share of the platform's decode speed this engine's kernels reach on the box's
        GPU: 1 where they are tuned for it."""
        shares = self.untuned_decode.get(hardware.arch or "", {})
        return shares.get("moe" if moe else "dense", 1.0)

    def runs_on(self, hardware: Hardware) -> bool:
        """Whether the engine runs on the box's platform."""
        return hardware.family in self.families


class Link(CatalogEntry):
    label: str | None = _LABEL
    gbps: float | None = Field(default=None, gt=0)
    latency_us: float | None = Field(default=None, gt=0)
    tensor_parallel_ok: bool = False
    in_host: bool = Field(
        default=False,
        description="GPUs in one host: a pipeline hop is a device copy, not a network message",
    )
    cluster_engine: str | None = Field(
        default=None,
        description="the engine boxes clustered over this link are usually run with (vLLM "
        "tensor parallel between DGX Sparks): not a departure from the usual one there",
    )
