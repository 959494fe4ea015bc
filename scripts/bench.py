"""How fast the advisor answers: estimates and question parsing in-process, and the CLI's wall time.

    python scripts/bench.py

Not a test (timings depend on the machine); it prints figures for the closing notes and README.
"""

from __future__ import annotations

import contextlib
import shutil
import statistics
import subprocess
import sys
import time

from advisor.ask.parse import parse
from advisor.calibration import load_calibration
from advisor.catalog import load_catalog
from advisor.errors import AdvisorError
from advisor.estimate import Setup, estimate
from advisor.requests import Workload
from advisor.setups import candidates


def _setups() -> list[Setup]:
    catalog = load_catalog()
    found: list[Setup] = []
    for model in list(catalog.models)[:6]:
        for hardware in list(catalog.hardware)[:6]:
            with contextlib.suppress(AdvisorError):  # a combination that does not apply
                found.extend(candidates(catalog, model, hardware)[:1])
    return found


def estimates_per_second(seconds: float = 2.0) -> float:
    """The physics alone: one setup's figures, over and over (no memo)."""
    setups, work, cal = _setups(), Workload(), load_calibration()
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for setup in setups:
            estimate(setup, work, cal)
            count += 1
    return count / (time.perf_counter() - start)


def one_estimate_us(runs: int = 300) -> float:
    """Microseconds for one estimate: DeepSeek R1 on a 512 GB Mac Studio."""
    catalog = load_catalog()
    model = catalog.models.get("deepseek-r1")
    setup = candidates(catalog, model, catalog.hardware.get("mac-studio-m3-ultra-80c-512gb"))[0]
    work, cal = Workload(), load_calibration()
    estimate(setup, work, cal)  # warm caches
    start = time.perf_counter()
    for _ in range(runs):
        estimate(setup, work, cal)
    return (time.perf_counter() - start) / runs * 1e6


def parse_ms(runs: int = 50) -> float:
    """Milliseconds to parse one comparison question with context and budget."""
    catalog = load_catalog()
    question = "mac studio 512g vs dgx spark for qwen3 235b, 32k context, budget $10k"
    parse(catalog, question)  # warm caches
    start = time.perf_counter()
    for _ in range(runs):
        parse(catalog, question)
    return (time.perf_counter() - start) / runs * 1000


def wall_time(args: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def app_first_paint() -> float:
    """Start the chat app headless (Textual's test driver) and time construction to first paint."""
    import asyncio

    from tui.app import AdvisorApp

    async def measure() -> float:
        app = AdvisorApp()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            return app.first_paint_s or float("nan")

    return asyncio.run(measure())


def main() -> int:
    rate = estimates_per_second()
    print(f"estimates per second (in-process): {rate:,.0f}  ({1e6 / rate:.0f} µs each)")
    print(
        "one estimate, deepseek-r1 on a 512 GB Mac Studio (mean of 300): "
        f"{one_estimate_us():.0f} µs  (aim: under 1000 µs)"
    )
    print(f"parsing a comparison question (mean of 50): {parse_ms():.2f} ms  (aim: under 20 ms)")
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
    ask = [
        sys.executable,
        "-m",
        "advisor.cli",
        "ask",
        "mac studio 512g vs dgx spark for qwen3 235b",
    ]
    print(f"`advisor ask` (a comparison) wall time (median of 5): {wall_time(ask) * 1000:.0f} ms")
    print(f"chat app, construction to first paint (headless): {app_first_paint() * 1000:.0f} ms")
    if shutil.which("tmux"):
        print("chat app in a real terminal (tmux):")
        subprocess.run(
            ["bash", "scripts/tmux_check.sh", shutil.which("advisor") or "advisor"], check=False
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
