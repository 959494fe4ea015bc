"""Fit the estimator's efficiency factors and fixed costs on measured benchmark rows.

    python scripts/fit_calibration.py ../shared/benchmarks/dev.csv benchmarks/extra.csv \\
        --loaded benchmarks/batched_deep.csv [--write]

Minimises the log-ratio of predicted to measured speed over every decode and prefill figure
the rows hold (scipy least squares, soft-L1 loss so one odd row cannot drag a family), then
prints the per-family errors and, with --write, stores the constants in advisor/calibration.yaml
with the ids of the rows they came from. Requires the dev extra (scipy).
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np
import yaml
from scipy.optimize import least_squares

from advisor.calibration import CALIBRATION_FILE, Calibration
from advisor.catalog import load_catalog
from advisor.validate import BenchmarkRow, RowPrediction, predict_row, read_rows, validate_rows

FAMILIES = ("apple", "nvidia", "nvidia-hbm", "amd")  # calibration groups (see Hardware)
# Engines whose speed differs from their family's default enough, with enough rows, to earn a
# factor of their own. The rest share their family's constants.
ENGINE_DECODE_FACTORS = ("mlx", "ollama", "llama.cpp-rocm", "exo")
ENGINE_PREFILL_FACTORS = ("mlx", "llama.cpp-rocm")
# Engines with batched measurements: each has its own small-batch decode compute share.
BATCH_DECODE_ENGINES = ("llama.cpp", "llama.cpp-vulkan", "vllm", "mlx")
# Platform groups whose long-prompt rows refit attention (decode and prompt). HBM parts
# have none, and Apple's one fitted source (an M1 Max on MLX) is off by 1.7x at every depth,
# so its attention would absorb a bandwidth error.
LONG_PROMPT_FAMILIES = ("nvidia", "amd")
# Groups whose per-token fixed costs (norms, routing, the small kernels between weight reads)
# run on the ALUs their matmuls use, quoted at this 16-bit rate per GPU die: small-active MoE
# decode on Macs of one bandwidth scales with the GPU (Qwen3.6-35B-A3B 4-bit at 400 GB/s: M1
# Max 57 tok/s, omlx#3555; M2 Max 80, Rapid-MLX#1065), and an Ultra's second die does not
# speed them up. Being in other units, their per-layer and MoE routing costs are their own.
FIXED_COST_TFLOPS = {"apple": 20.0}
NO_BATCH_GAIN = 0.01  # the lowest share fitted; each extra sequence then costs a turn of its own
# One figure each for these groups, not one per group: flash-attention kernels read the KV cache
# at a similar share of bandwidth everywhere, and a group measured by a single source (Strix
# Halo) must not bend its attention to that source.
SHARED_DECODE_ATTENTION = "decode.shared.attention_efficiency"
SHARED_PREFILL_ATTENTION = "prefill.shared.attention_efficiency"


def parameter_layout() -> list[tuple[str, float, float, float]]:
    """(name, start, lower, upper) for every fitted constant."""
    layout: list[tuple[str, float, float, float]] = []
    for family in FAMILIES:
        layout += [
            (f"decode.{family}.efficiency", 0.8, 0.2, 1.0),
            (f"decode.{family}.overhead_ms", 1.0, 0.0, 20.0),
            (f"decode.{family}.attention_efficiency", 0.9, 0.1, 1.0),
            (f"prefill.{family}.mfu", 0.5, 0.02, 1.0),
            (f"prefill.{family}.overhead_ms", 20.0, 0.0, 500.0),
        ]
        if family != "nvidia-hbm":
            layout.append((f"prefill.{family}.attention_efficiency", 0.7, 0.05, 1.5))
    layout += [
        ("decode.per_layer_us", 20.0, 0.0, 200.0),
        ("moe_efficiency", 0.8, 0.2, 1.2),
        ("moe_prefill", 0.5, 0.05, 1.2),
        ("quantized_prefill", 0.8, 0.2, 1.2),
        ("int8_matmul", 0.5, 0.05, 1.2),
        ("moe_per_layer_us", 10.0, 0.0, 300.0),
        *((f"decode.{f}.moe_per_layer_us", 10.0, 0.0, 300.0) for f in FIXED_COST_TFLOPS),
        *((f"decode.{f}.per_layer_us", 20.0, 0.0, 300.0) for f in FIXED_COST_TFLOPS),
        ("collective_us", 30.0, 0.0, 500.0),
        ("hop_us", 100.0, 0.0, 5000.0),
    ]
    layout += [(f"batch_decode.{e}", 0.3, 0.01, 2.0) for e in BATCH_DECODE_ENGINES]
    layout += [(SHARED_DECODE_ATTENTION, 0.7, 0.1, 1.0), (SHARED_PREFILL_ATTENTION, 0.7, 0.05, 1.5)]
    layout += [(f"engine_decode.{e}", 1.0, 0.3, 2.0) for e in ENGINE_DECODE_FACTORS]
    layout += [(f"engine_prefill.{e}", 1.0, 0.2, 3.0) for e in ENGINE_PREFILL_FACTORS]
    return layout


def _attention(values: dict[str, float], phase: str, family: str) -> float:
    """A group's attention efficiency: the shared second-stage figure where it applies, else the
    group's own. HBM parts have no long prompts measured; their prompt attention (the same
    flash-attention kernels) is NVIDIA's."""
    shared = f"{phase}.shared.attention_efficiency"
    if family == "nvidia-hbm" and phase == "prefill":
        family = "nvidia"
    if family in LONG_PROMPT_FAMILIES and shared in values:
        return values[shared]
    return values[f"{phase}.{family}.attention_efficiency"]


def _own(values: dict[str, float], family: str, name: str) -> float:
    """A decode constant the group has its own of, else the one all groups share."""
    return values.get(f"decode.{family}.{name}", values[f"decode.{name}"])


def _batch_shares(values: dict[str, float]) -> dict[str, float]:
    """The engines whose batching the rows measured (only those get a fitted share)."""
    return {
        e: values[f"batch_decode.{e}"]
        for e in BATCH_DECODE_ENGINES
        if f"batch_decode.{e}" in values
    }


def _batched_engines(rows: list[BenchmarkRow]) -> list[str]:
    """Engines (or the engine they batch like) with measurements above batch 1 in `rows`."""
    catalog = load_catalog()
    measured = set()
    for row in rows:
        engine = catalog.engines.find(row.engine) if row.batch > 1 else None
        if engine is not None:
            measured.add(engine.id if engine.id in BATCH_DECODE_ENGINES else engine.batches_like)
    return [e for e in BATCH_DECODE_ENGINES if e in measured]


def calibration_from(
    values: dict[str, float],
    residuals: dict | None = None,
    engines: dict | None = None,
    rows: list[str] | None = None,
    regimes: dict | None = None,
) -> Calibration:
    data = {
        "decode": {
            f: {
                "efficiency": values[f"decode.{f}.efficiency"],
                "overhead_ms": values[f"decode.{f}.overhead_ms"],
                "per_layer_us": _own(values, f, "per_layer_us"),
                "attention_efficiency": _attention(values, "decode", f),
                "moe_per_layer_us": values.get(f"decode.{f}.moe_per_layer_us"),
            }
            for f in FAMILIES
        },
        "prefill": {
            f: {
                "mfu": values[f"prefill.{f}.mfu"],
                "overhead_ms": values[f"prefill.{f}.overhead_ms"],
                "attention_efficiency": _attention(values, "prefill", f),
            }
            for f in FAMILIES
        },
        "moe_efficiency": values["moe_efficiency"],
        "moe_prefill": values["moe_prefill"],
        "quantized_prefill": values["quantized_prefill"],
        "int8_matmul": values["int8_matmul"],
        "moe_per_layer_us": values["moe_per_layer_us"],
        "batch_decode": (shares := _batch_shares(values)),
        # an engine never measured in batches is assumed to gain nothing over serving its users
        # in turn (the decode step's cap): an optimistic team figure is the costly mistake. The
        # first stage fits no batching: its few batched rows batch for free there, as before.
        "batch_decode_default": NO_BATCH_GAIN if shares else 1.0,
        "fixed_cost_tflops": FIXED_COST_TFLOPS,
        "collective_us": values["collective_us"],
        "hop_us": values["hop_us"],
        "engine_decode": {e: values[f"engine_decode.{e}"] for e in ENGINE_DECODE_FACTORS},
        "engine_prefill": {e: values[f"engine_prefill.{e}"] for e in ENGINE_PREFILL_FACTORS},
        "residuals": residuals
        or {
            f: {
                "decode": {"low": 1, "high": 1, "rows": 0},
                "prefill": {"low": 1, "high": 1, "rows": 0},
            }
            for f in FAMILIES
        },
        "calibrated_engines": engines or {f: [] for f in FAMILIES},
        "regime_residuals": regimes or {},
        "fitted_on": rows or [],
    }
    return Calibration.model_validate(data)


def starts_of(name: str) -> float:
    return next(start for n, start, *_ in parameter_layout() if n == name)


def second_stage(name: str) -> bool:
    """Fitted in the second stage, on every row, with the single-stream constants held: how
    attention fares at depth, and how engines batch."""
    if name.startswith("batch_decode."):
        return True
    return name in (SHARED_DECODE_ATTENTION, SHARED_PREFILL_ATTENTION)


def residual_vector(predictions: list[RowPrediction]) -> np.ndarray:
    out = []
    for p in predictions:
        for metric in ("decode", "prefill"):
            measured = getattr(p, f"{metric}_measured")
            predicted = getattr(p, f"{metric}_predicted")
            if measured is not None and predicted is not None:
                out.append(math.log(predicted / measured))
    return np.array(out)


def fit_rows(csv_paths: list[str], leave_out: str | None = None) -> list[BenchmarkRow]:
    """The rows to fit on: all but those marked `explain`, and those of one left-out source."""
    return [
        row
        for path in csv_paths
        for row in read_rows(path)
        if row.calibration != "explain" and not (leave_out and leave_out in row.source_url)
    ]


def _solve(rows: list[BenchmarkRow], free: list[str], fixed: dict[str, float]) -> dict[str, float]:
    """Least squares over the `free` constants, the others held at `fixed`."""
    catalog = load_catalog()
    layout = {name: (start, lo, hi) for name, start, lo, hi in parameter_layout()}

    def predictions_for(vector: np.ndarray) -> list[RowPrediction]:
        cal = calibration_from({**fixed, **dict(zip(free, vector, strict=True))})
        return [p for row in rows if isinstance(p := predict_row(catalog, row, cal), RowPrediction)]

    start = np.array([fixed.get(name, layout[name][0]) for name in free])
    bounds = (np.array([layout[n][1] for n in free]), np.array([layout[n][2] for n in free]))
    result = least_squares(
        lambda v: residual_vector(predictions_for(v)),
        np.clip(start, bounds[0], bounds[1]),
        bounds=bounds,
        loss="soft_l1",
        f_scale=0.15,
        x_scale="jac",
    )
    return {**fixed, **dict(zip(free, (float(x) for x in result.x), strict=True))}


def _first_stage(rows: list[BenchmarkRow]) -> dict[str, float]:
    """Every single-stream constant, prompt attention included (its own, not decode's: the two
    run different kernels)."""
    starts = {n: start for n, start, *_ in parameter_layout() if not second_stage(n)}
    return _solve(rows, list(starts), starts)


def _second_stage(rows: list[BenchmarkRow], values: dict[str, float]) -> dict[str, float]:
    """Attention at depth (shared by the long-prompt groups) and the batching share of each
    engine the rows measured in batches, with the first stage's constants held."""
    values = dict(values)
    for phase, shared in (
        ("decode", SHARED_DECODE_ATTENTION),
        ("prefill", SHARED_PREFILL_ATTENTION),
    ):
        names = [f"{phase}.{family}.attention_efficiency" for family in LONG_PROMPT_FAMILIES]
        values[shared] = float(np.mean([values[name] for name in names]))
    batched = _batched_engines(rows)
    for engine in batched:
        values[f"batch_decode.{engine}"] = starts_of("batch_decode." + engine)
    free = [SHARED_DECODE_ATTENTION, SHARED_PREFILL_ATTENTION]
    return _solve(rows, free + [f"batch_decode.{e}" for e in batched], values)


def _bands(predictions: list[RowPrediction]) -> tuple[dict, dict, dict[str, list[str]]]:
    """Residual bands per group (single-stream rows) and per regime, and the engines each
    group was fitted with."""
    residuals = {}
    engines: dict[str, list[str]] = {}
    for family in FAMILIES:
        members = [p for p in predictions if p.family == family]
        engines[family] = sorted({p.engine for p in members})
        singles = [p for p in members if p.regime == "single"]
        residuals[family] = {metric: _band(singles, metric) for metric in ("decode", "prefill")}
    regimes = {
        regime: {
            metric: _band([p for p in predictions if p.regime == regime], metric)
            for metric in ("decode", "prefill")
        }
        for regime in ("batched", "deep")
    }
    return residuals, regimes, engines


def fit(
    single_paths: list[str], loaded_paths: list[str], leave_out: str | None = None
) -> tuple[Calibration, list[RowPrediction]]:
    """Stage 1: every constant on the single-stream files. Stage 2: attention at depth and
    batching on those plus the batched and long-context files, the rest held."""
    single = fit_rows(single_paths, leave_out)
    rows = single + (fit_rows(loaded_paths, leave_out) if loaded_paths else [])
    values = _first_stage(single)
    if loaded_paths:
        values = _second_stage(rows, values)
    catalog = load_catalog()
    cal = calibration_from(values)
    predictions = [
        p for row in rows if isinstance(p := predict_row(catalog, row, cal), RowPrediction)
    ]
    residuals, regimes, engines = _bands(predictions)
    rounded = {k: round(float(v), 4) for k, v in values.items()}
    cal = calibration_from(
        rounded, residuals, engines, sorted({p.id for p in predictions}, key=_id_key), regimes
    )
    return cal, predictions


def _id_key(row_id: str) -> tuple[int, str]:
    return (int(row_id), "") if row_id.isdigit() else (10**9, row_id)


def _band(members: list[RowPrediction], metric: str) -> dict[str, float]:
    ratios = sorted(
        getattr(p, f"{metric}_measured") / getattr(p, f"{metric}_predicted")
        for p in members
        if getattr(p, f"{metric}_measured") is not None
        and getattr(p, f"{metric}_predicted") is not None
    )
    if len(ratios) < 3:
        return {"low": 0.7, "high": 1.3, "rows": len(ratios)}
    low = float(np.percentile(ratios, 10))
    high = float(np.percentile(ratios, 90))
    return {"low": round(min(low, 0.95), 3), "high": round(max(high, 1.05), 3), "rows": len(ratios)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="+", help="single-stream benchmark CSV file(s) to fit on")
    parser.add_argument(
        "--loaded",
        nargs="*",
        default=[],
        help="batched and long-context CSV file(s), for the second stage",
    )
    parser.add_argument("--write", action="store_true", help=f"store the fit in {CALIBRATION_FILE}")
    args = parser.parse_args()
    cal, _ = fit(args.csv, args.loaded)
    for path in args.csv + args.loaded:
        print(path)
        report = validate_rows(load_catalog(), read_rows(path), cal)
        for group, metrics in report.summary.items():
            for metric, s in metrics.items():
                if s.rows:
                    print(
                        f"  {group:10} {metric:8} n={s.rows:3} median {s.median_ape:6.1%} "
                        f"p90 {s.p90_ape:6.1%} worst {s.worst_ape:6.1%} (row {s.worst_id})"
                    )
    if args.write:
        data = cal.model_dump()
        data["note"] = (
            "Fitted by scripts/fit_calibration.py on "
            f"{', '.join(Path(p).name for p in args.csv + args.loaded)} "
            f"({len(cal.fitted_on)} rows). Residual bands are the 10th/90th percentile of "
            "measured/predicted on those rows."
        )
        header = "# Generated by scripts/fit_calibration.py; do not edit by hand.\n"
        CALIBRATION_FILE.write_text(
            header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        print(f"wrote {CALIBRATION_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
