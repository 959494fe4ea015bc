"""The rows of a benchmark CSV (the format of shared/benchmarks), read and checked: what
`advisor validate` predicts and scores, and what an answer quotes beside its estimate."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Literal, cast, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from advisor.errors import CatalogFileError, from_validation, printable
from advisor.estimate import DEEP_TOKENS
from advisor.requests import KvDtype

COLUMNS = (
    "id",
    "hardware",
    "units",
    "link",
    "split",
    "model",
    "quant",
    "engine",
    "prompt_tokens",
    "gen_tokens",
    "context_depth",
    "batch",
    "prefill_tok_s",
    "decode_tok_s",
    "source_url",
    "source_note",
)
Regime = Literal["single", "batched", "deep"]
REGIMES: tuple[Regime, ...] = get_args(Regime)


class BenchmarkRow(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True, allow_inf_nan=False)

    id: str
    hardware: str
    units: int = Field(ge=1)
    link: str = "none"
    split: Literal["none", "pipeline", "tensor"] = "none"
    model: str
    quant: str | None = None
    engine: str
    prompt_tokens: int | None = Field(default=None, ge=1)
    gen_tokens: int | None = Field(default=None, ge=1)
    context_depth: int = Field(default=0, ge=0)
    batch: int = Field(default=1, ge=1)
    prefill_tok_s: float | None = Field(default=None, gt=0)
    decode_tok_s: float | None = Field(default=None, gt=0)
    aggregate_decode_tok_s: float | None = Field(default=None, gt=0)
    per_user_decode_tok_s: float | None = Field(default=None, gt=0)
    kv_type: str | None = None
    ttft_ms: float | None = Field(default=None, gt=0)
    decode_depth: int | None = Field(default=None, ge=0)
    calibration: Literal["fit", "explain"] | None = None  # rows kept out of the fit: explain
    source_url: str = ""

    @property
    def regime(self) -> Regime:
        if self.batch > 1:
            return "batched"
        if max(self.context_depth, self.prompt_tokens or 0) >= DEEP_TOKENS:
            return "deep"
        return "single"

    @property
    def decode_measured(self) -> float | None:
        """Decode over all sequences, however the file states it."""
        if self.aggregate_decode_tok_s is not None:
            return self.aggregate_decode_tok_s
        if self.decode_tok_s is not None:
            return self.decode_tok_s
        if self.per_user_decode_tok_s is not None:
            return self.per_user_decode_tok_s * self.batch
        return None

    @property
    def kv_dtype(self) -> KvDtype:
        named = (self.kv_type or "").lower()
        return cast(KvDtype, named) if named in get_args(KvDtype) else "f16"

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_missing(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str) and value.strip() == "":
            return _EMPTY_MEANS.get(info.field_name or "")
        return printable(value) if isinstance(value, str) else value


_EMPTY_MEANS: dict[str, object] = {
    "context_depth": 0,
    "batch": 1,
    "units": 1,
    "link": "none",
    "split": "none",
}


MAX_CSV_BYTES = 50 * 2**20


def read_rows(path: str | Path) -> list[BenchmarkRow]:
    """The rows of a benchmark CSV (UTF-8, with or without a byte-order mark)."""
    path = Path(path)
    if path.exists() and not path.is_file():
        raise CatalogFileError(str(path), "not a regular file")
    if path.is_file() and path.stat().st_size > MAX_CSV_BYTES:
        raise CatalogFileError(str(path), f"larger than {MAX_CSV_BYTES // 2**20} MB")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS[:14] if c not in (reader.fieldnames or [])]
            if missing:
                raise CatalogFileError(str(path), f"missing columns: {', '.join(missing)}")
            rows = []
            for line, raw in enumerate(reader, start=2):
                try:
                    rows.append(BenchmarkRow.model_validate(raw))
                except ValidationError as exc:
                    raise from_validation(
                        str(path), exc, raw.get("id") or f"line {line}", prefix=f"line {line}: "
                    ) from None
            return rows
    except FileNotFoundError:
        raise CatalogFileError(str(path), "file not found") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CatalogFileError(str(path), f"cannot be read as CSV ({exc})") from None
