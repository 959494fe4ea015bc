"""How fast the advisor answers: estimates per second in-process, and the wall time of the CLI.

    python scripts/bench.py

Not a test (timings depend on the machine); it prints figures for the closing notes and README.
"""

from __future__ import annotations

import contextlib
import statistics
import subprocess
import sys
import time

from advisor.catalog import load_catalog
from advisor.errors import AdvisorError
from advisor.estimate import EstimateRequest, estimate


def estimates_per_second(seconds: float = 2.0) -> float:
    catalog = load_catalog()
    requests = [
        EstimateRequest(model=model.id, hardware=hardware.id)
        for model in list(catalog.models)[:6]
        for hardware in list(catalog.hardware)[:6]
        if model.max_context >= 8192
    ]
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for request in requests:
            with contextlib.suppress(AdvisorError):  # a combination that does not apply
                estimate(catalog, request)
            count += 1
    return count / (time.perf_counter() - start)


def wall_time(args: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    rate = estimates_per_second()
    print(f"estimates per second (in-process): {rate:,.0f}  ({1e6 / rate:.0f} µs each)")
    cli = [
        sys.executable,
        "-m",
        "advisor.cli",
        "estimate",
        "-m",
        "llama-3.3-70b",
        "--hw",
        "dgx-spark",
    ]
    print(f"`advisor estimate` wall time (median of 5): {wall_time(cli) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
