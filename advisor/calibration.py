"""Fitted efficiency factors and fixed costs, stored as data (calibration.yaml).

``scripts/fit_calibration.py`` reproduces the fit from ``benchmarks`` CSV files; this module only
reads the result.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from advisor.catalog.entries import Family

CALIBRATION_FILE = Path(__file__).parent / "calibration.yaml"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DecodeConstants(_Frozen):
    """time per token = bytes / (bandwidth x efficiency) + overhead_ms + per_layer_us x layers."""

    efficiency: float = Field(gt=0, le=1.2)
    overhead_ms: float = Field(ge=0)
    per_layer_us: float = Field(ge=0)


class PrefillConstants(_Frozen):
    """time = max(FLOPs / (peak x mfu), weight reads) + overhead_ms."""

    mfu: float = Field(gt=0, le=1.2)
    overhead_ms: float = Field(ge=0)


class Band(_Frozen):
    """measured / predicted ratios: the 10th and 90th percentile over calibration rows."""

    low: float = Field(gt=0)
    high: float = Field(gt=0)
    rows: int = Field(ge=0)


class FamilyResiduals(_Frozen):
    decode: Band
    prefill: Band


class Calibration(_Frozen):
    decode: dict[Family, DecodeConstants]
    prefill: dict[Family, PrefillConstants]
    moe_efficiency: float = Field(gt=0, le=1.5)
    moe_prefill: float = Field(gt=0, le=1.5)
    quantized_prefill: float = Field(gt=0, le=1.5)
    engine_decode: dict[str, float] = Field(default_factory=dict)
    engine_prefill: dict[str, float] = Field(default_factory=dict)
    collective_us: float = Field(ge=0)
    hop_us: float = Field(ge=0)
    residuals: dict[Family, FamilyResiduals]
    calibrated_engines: dict[Family, list[str]]
    fitted_on: list[str] = Field(default_factory=list)
    note: str = ""

    def is_calibrated(self, family: Family, engine: str) -> bool:
        return engine in self.calibrated_engines.get(family, [])


@cache
def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration:
    with path.open(encoding="utf-8") as handle:
        return Calibration.model_validate(yaml.safe_load(handle))
