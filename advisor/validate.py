"""Predict the rows of a benchmark CSV (the format of shared/benchmarks) and score the errors.

Conventions for turning a measured row into a request:
- An empty quant is evaluated with the engine's usual format for that model (and says so).
- Engines measured with llama-bench (`separate_bench_phases`) decode at `context_depth`;
  other engines, and every batch above 1, decode right after the prompt, at
  `context_depth + prompt_tokens`. An optional `decode_depth` column says it outright. Either way
  the reported speed averages over the generated tokens, so half of `gen_tokens` is added.
- A decode measured after a prompt of unreported length (prompt_tokens empty while a prefill
  was measured) has an unknown depth and is skipped, as is a prefill with no prompt length.
- Above batch 1 the measured speeds are aggregate over all sequences (`decode_tok_s`, or the
  optional `aggregate_decode_tok_s`; a `per_user_decode_tok_s` alone is multiplied out).
- A server engine above batch 1 with a stated prompt length also prefills the other
  sequences' prompts while each one decodes (see `estimate.loaded_token_s`).
- A time to first token (`ttft_ms`, optional) is predicted as the row's prompts arriving
  together and prefilled one after another: the mean wait is (batch + 1) / 2 prompts.
- The KV cache is the row's `kv_type` where it names one, else f16.
- Each row has a regime, scored on its own: `batched` above batch 1, else `deep` when the
  prompt or the context already held reaches 16K tokens, else `single`.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable

from pydantic import (
    BaseModel,
    Field,
    ValidationError,
)

from advisor.benchmark_rows import REGIMES, BenchmarkRow, Regime
from advisor.benchmark_rows import read_rows as read_rows  # the CLI and scripts read through here
from advisor.calibration import Calibration
from advisor.catalog import Catalog
from advisor.errors import AdvisorError
from advisor.estimate import (
    Setup,
    burst_ttft_s,
    decode_step,
    loaded_token_s,
    memory_figures,
    prefill_time,
)
from advisor.requests import EstimateRequest
from advisor.setups import exact_setup

DEFAULT_GEN_TOKENS = 128
METRICS = ("decode", "prefill", "ttft")


class RowPrediction(BaseModel):
    id: str
    hardware: str
    family: str
    engine: str
    model: str
    quant: str
    quant_assumed: bool
    units: int
    split: str
    batch: int
    regime: Regime
    decode_measured: float | None
    decode_predicted: float | None
    prefill_measured: float | None
    prefill_predicted: float | None
    ttft_measured: float | None = None  # seconds
    ttft_predicted: float | None = None
    fits: bool
    notes: list[str] = Field(default_factory=list)

    def error(self, metric: str) -> float | None:
        measured: float | None = getattr(self, f"{metric}_measured")
        predicted: float | None = getattr(self, f"{metric}_predicted")
        if measured is None or predicted is None:
            return None
        return abs(predicted - measured) / measured


class Skipped(BaseModel):
    id: str
    reason: str


def _decode_depth(row: BenchmarkRow, resolved: Setup) -> float | None:
    gen = row.gen_tokens or DEFAULT_GEN_TOKENS
    if row.decode_depth is not None:
        return row.decode_depth + gen / 2
    if resolved.engine.separate_bench_phases and row.batch == 1:
        return row.context_depth + gen / 2
    if row.prompt_tokens is None and row.prefill_tok_s is not None:
        return None
    return row.context_depth + (row.prompt_tokens or 0) + gen / 2


def _request_for(row: BenchmarkRow) -> EstimateRequest:
    """The setup and work a benchmark row describes, as written."""
    prompt = row.prompt_tokens or 1
    gen = row.gen_tokens or DEFAULT_GEN_TOKENS
    return EstimateRequest(
        model=row.model,
        hardware=row.hardware,
        quant=row.quant,
        engine=row.engine,
        units=row.units,
        link=None if row.link == "none" else row.link,
        split=None if row.split == "none" else row.split,
        context_tokens=row.context_depth + prompt + gen,
        prompt_tokens=prompt,
        depth_tokens=row.context_depth,
        output_tokens=gen,
        concurrency=row.batch,
    )


def _decode_token_s(row: BenchmarkRow, resolved: Setup, cal: Calibration, depth: float) -> float:
    """Seconds per token per sequence; a server under load also prefills the others' prompts."""
    step = decode_step(resolved, cal, row.units, row.batch, depth, row.kv_dtype)
    if row.batch == 1 or resolved.engine.separate_bench_phases or row.prompt_tokens is None:
        return step.total_s
    prompt = prefill_time(resolved, cal, row.units, row.prompt_tokens, row.context_depth)
    return loaded_token_s(step, row.batch, prompt.total_s, row.gen_tokens or DEFAULT_GEN_TOKENS)


def _predicted_decode(
    row: BenchmarkRow, resolved: Setup, cal: Calibration, notes: list[str]
) -> float | None:
    if row.decode_measured is None:
        return None
    depth = _decode_depth(row, resolved)
    if depth is None:
        notes.append("decode followed a prompt of unreported length: depth unknown, skipped")
        return None
    return row.batch / _decode_token_s(row, resolved, cal, depth)


def _predicted_prefill(
    row: BenchmarkRow, resolved: Setup, cal: Calibration, notes: list[str]
) -> tuple[float | None, float | None]:
    """Aggregate prefill tok/s, and the mean time to first token (s) when the row has one."""
    if row.prefill_tok_s is None and row.ttft_ms is None:
        return None, None
    if row.prompt_tokens is None:
        notes.append("prompt length not reported: prefill skipped")
        return None, None
    together = prefill_time(
        resolved, cal, row.units, row.prompt_tokens, row.context_depth, row.batch
    )
    prefill = row.batch * row.prompt_tokens / together.total_s if row.prefill_tok_s else None
    if row.ttft_ms is None:
        return prefill, None
    alone = prefill_time(resolved, cal, row.units, row.prompt_tokens, row.context_depth)
    return prefill, burst_ttft_s(alone.total_s, row.batch)


def predict_row(catalog: Catalog, row: BenchmarkRow, cal: Calibration) -> RowPrediction | Skipped:
    if row.decode_measured is None and row.prefill_tok_s is None and row.ttft_ms is None:
        return Skipped(id=row.id, reason="no decode, prefill or first-token measurement")
    try:
        request = _request_for(row)
        resolved = exact_setup(catalog, request)
    except (AdvisorError, ValidationError) as exc:
        message = exc.message if isinstance(exc, AdvisorError) else str(exc.errors()[0]["msg"])
        return Skipped(id=row.id, reason=message)

    notes: list[str] = []
    if resolved.format_chosen:
        notes.append(f"quant not stated: evaluated as {resolved.fmt.id}, the engine's usual format")
    decode_predicted = _predicted_decode(row, resolved, cal, notes)
    prefill_predicted, ttft_predicted = _predicted_prefill(row, resolved, cal, notes)
    if decode_predicted is None and prefill_predicted is None and ttft_predicted is None:
        return Skipped(id=row.id, reason="; ".join(notes) or "nothing to evaluate")
    memory = memory_figures(resolved, request.workload())
    return RowPrediction(
        id=row.id,
        hardware=resolved.hardware.id,
        family=resolved.hardware.calibration_group,
        engine=resolved.engine.id,
        model=resolved.model.id,
        quant=resolved.fmt.id,
        quant_assumed=resolved.format_chosen,
        units=row.units,
        split=resolved.split,
        batch=row.batch,
        regime=row.regime,
        decode_measured=row.decode_measured if decode_predicted is not None else None,
        decode_predicted=decode_predicted,
        prefill_measured=row.prefill_tok_s if prefill_predicted is not None else None,
        prefill_predicted=prefill_predicted,
        ttft_measured=row.ttft_ms / 1000 if row.ttft_ms and ttft_predicted is not None else None,
        ttft_predicted=ttft_predicted,
        fits=memory.fits_if_raised,
        notes=notes,
    )


class ErrorSummary(BaseModel):
    rows: int
    median_ape: float | None
    p90_ape: float | None
    worst_ape: float | None
    worst_id: str | None


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(predictions: Iterable[RowPrediction], metric: str) -> ErrorSummary:
    scored = [(p.id, e) for p in predictions if (e := p.error(metric)) is not None]
    if not scored:
        return ErrorSummary(rows=0, median_ape=None, p90_ape=None, worst_ape=None, worst_id=None)
    errors = [e for _, e in scored]
    worst_id, worst = max(scored, key=lambda item: item[1])
    return ErrorSummary(
        rows=len(errors),
        median_ape=statistics.median(errors),
        p90_ape=_percentile(errors, 0.9),
        worst_ape=worst,
        worst_id=worst_id,
    )


class ValidationReport(BaseModel):
    rows: list[RowPrediction]
    skipped: list[Skipped]
    summary: dict[str, dict[str, ErrorSummary]]


def validate_rows(
    catalog: Catalog, rows: list[BenchmarkRow], calibration: Calibration
) -> ValidationReport:
    predictions: list[RowPrediction] = []
    skipped: list[Skipped] = []
    for row in rows:
        result = predict_row(catalog, row, calibration)
        (predictions if isinstance(result, RowPrediction) else skipped).append(result)  # type: ignore[arg-type]
    by_regime: dict[str, list[RowPrediction]] = {regime: [] for regime in REGIMES}
    by_family: dict[str, list[RowPrediction]] = {}
    for prediction in predictions:
        by_regime[prediction.regime].append(prediction)
        by_family.setdefault(prediction.family, []).append(prediction)
    groups = {"all": predictions, **by_regime, **dict(sorted(by_family.items()))}
    summary = {
        group: {metric: summarize(members, metric) for metric in METRICS}
        for group, members in groups.items()
    }
    return ValidationReport(rows=predictions, skipped=skipped, summary=summary)
