"""Fitted efficiency factors and fixed costs, stored as data (calibration.yaml).

``scripts/fit_calibration.py`` reproduces the fit from ``benchmarks`` CSV files; this module only
reads the result.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from advisor.catalog.entries import Engine, Hardware
from advisor.yamlio import load_yaml

CALIBRATION_FILE = Path(__file__).parent / "calibration.yaml"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class DecodeConstants(_Frozen):
    """time per token = bytes / (bandwidth x efficiency) + overhead_ms + per_layer_us x layers."""

    efficiency: float = Field(gt=0, le=1.2)
    overhead_ms: float = Field(ge=0)
    per_layer_us: float = Field(ge=0)
    attention_efficiency: float = Field(default=1.0, gt=0, le=1.5)
    moe_per_layer_us: float | None = Field(
        default=None, ge=0, description="the group's own MoE routing cost per layer, if fitted"
    )


class PrefillConstants(_Frozen):
    """time = max(FLOPs / (peak x mfu), weight reads) + overhead_ms, where attention FLOPs run
    at `attention_efficiency` of the 16-bit matmul rate (flash-attention kernels vs GEMM)."""

    mfu: float = Field(gt=0, le=1.2)
    overhead_ms: float = Field(ge=0)
    attention_efficiency: float = Field(default=1.0, gt=0, le=1.5)


class Band(_Frozen):
    """measured / predicted ratios: the 10th and 90th percentile over calibration rows."""

    low: float = Field(gt=0)
    high: float = Field(gt=0)
    rows: int = Field(ge=0)


class FamilyResiduals(_Frozen):
    decode: Band
    prefill: Band


class Calibration(_Frozen):
    decode: dict[str, DecodeConstants]
    prefill: dict[str, PrefillConstants]
    moe_efficiency: float = Field(gt=0, le=1.5)
    moe_prefill: float = Field(gt=0, le=1.5)
    quantized_prefill: float = Field(gt=0, le=1.5)
    int8_matmul: float = Field(gt=0, le=1.5)
    moe_per_layer_us: float = Field(default=0.0, ge=0)
    engine_decode: dict[str, float] = Field(default_factory=dict)
    engine_prefill: dict[str, float] = Field(default_factory=dict)
    batch_decode: dict[str, float] = Field(
        default_factory=dict,
        description="engine -> share of its prompt-processing compute rate that each extra "
        "sequence in a decode batch runs at (small-batch matmuls hide little under the weight "
        "stream)",
    )
    batch_decode_default: float = Field(default=1.0, gt=0, le=2.0)
    fixed_cost_tflops: dict[str, float] = Field(
        default_factory=dict,
        description="group -> the 16-bit TFLOPS its per-token fixed costs are quoted at; a box "
        "of the group pays them scaled by that over its own rate (Apple GPUs run the small "
        "per-layer kernels on the ALUs their matmuls use, so a slower GPU pays more)",
    )
    collective_us: float = Field(ge=0)
    hop_us: float = Field(ge=0)
    residuals: dict[str, FamilyResiduals]
    regime_residuals: dict[str, FamilyResiduals] = Field(
        default_factory=dict, description="bands for batched serving and long contexts"
    )
    calibrated_engines: dict[str, list[str]]
    fitted_on: list[str] = Field(default_factory=list)
    note: str = ""

    def group(self, hardware: Hardware) -> str:
        """The calibration group of a box: its own if fitted, else its platform family's."""
        group = hardware.calibration_group
        return group if group in self.decode else hardware.family

    def decode_for(self, hardware: Hardware) -> DecodeConstants:
        return self.decode[self.group(hardware)]

    def routing_us(self, hardware: Hardware) -> float:
        """A MoE layer's fixed routing cost per token on this box's group (before scaling)."""
        own = self.decode_for(hardware).moe_per_layer_us
        return self.moe_per_layer_us if own is None else own

    def prefill_for(self, hardware: Hardware) -> PrefillConstants:
        return self.prefill[self.group(hardware)]

    def per_layer_us(self, hardware: Hardware, moe: bool) -> float:
        """A layer's fixed cost per token on this box's group (a MoE's routing too), unscaled."""
        own = self.decode_for(hardware).per_layer_us
        return own + (self.routing_us(hardware) if moe else 0.0)

    def fixed_ms(self, hardware: Hardware, layers: int, moe: bool) -> float:
        """Milliseconds each decode step pays whatever it reads: the group's overhead and its
        cost per layer, scaled to this box's GPU."""
        fixed = (
            self.decode_for(hardware).overhead_ms + self.per_layer_us(hardware, moe) * layers / 1000
        )
        return fixed * self.fixed_cost_scale(hardware)

    def fixed_cost_scale(self, hardware: Hardware) -> float:
        """How much longer than quoted this box takes for the per-token fixed costs."""
        reference = self.fixed_cost_tflops.get(self.group(hardware))
        if reference is None:
            return 1.0
        _, peak = hardware.tflops.peak("fp16")
        per_die = peak / (hardware.gpu_dies or 1)
        return reference / per_die if per_die else 1.0

    def batch_share(self, engine: Engine) -> float:
        """The engine's small-batch decode share: its own, else that of the engine it batches
        like (a llama.cpp backend), else the lowest measured."""
        for name in (engine.id, engine.batches_like):
            if name in self.batch_decode:
                return self.batch_decode[name]
        return self.batch_decode_default

    def residuals_for(self, hardware: Hardware) -> FamilyResiduals | None:
        return self.residuals.get(self.group(hardware))

    def is_calibrated(self, hardware: Hardware, engine: str) -> bool:
        """Fitted on this box's group with this engine; a group that borrows its family's
        constants (a discrete AMD card from Strix Halo's) is not."""
        own = hardware.calibration_group
        if own != hardware.family and own not in self.decode:
            return False
        return engine in self.calibrated_engines.get(self.group(hardware), [])


@cache
def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration:
    from advisor.cache import cached

    def parse() -> Calibration:
        return Calibration.model_validate(load_yaml(path.read_text(encoding="utf-8")))

    return cached("calibration", [Path(__file__), path], parse, Calibration)
