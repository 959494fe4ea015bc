"""How fast the advisor answers: estimates and question parsing in-process, and the CLI's wall time.

    python scripts/bench.py

Not a test (timings depend on the machine); it prints figures for the closing notes and README.
"""

from __future__ import annotations

import contextlib
import os
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


BENCH_QUESTION = "预算3万，想跑 Qwen3 235B，买什么？"


def _run_once(args: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MiB) of one run of a whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited {process.returncode}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def paired(command: list[str], baseline: list[str], runs: int = 9) -> tuple[float, float, float]:
    """Median wall seconds of `command`, median of its ratio to `baseline` run right after it
    (pair by pair, so drift in the machine's speed cancels), and its peak RSS in MiB."""
    _run_once(command), _run_once(baseline)  # warm the caches and the page cache
    walls, ratios, peaks = [], [], []
    for _ in range(runs):
        wall, peak = _run_once(command)
        base, _ = _run_once(baseline)
        walls.append(wall)
        ratios.append(wall / base)
        peaks.append(peak)
    return statistics.median(walls), statistics.median(ratios), max(peaks)


def ask_in_process(runs: int = 9) -> tuple[float, float, int]:
    """Median milliseconds of one `ask` of the benchmark question in a warm process: with no
    estimate remembered from an earlier question, and asked again; and estimate() calls."""
    import advisor.judge as judge
    from advisor.ask.session import Session
    from advisor.context import load_advisor

    advisor = load_advisor()
    Session().ask(advisor, "Can an RTX 4090 run Qwen3 8B?")  # imports, templates, patterns
    cold, warm = [], []
    for _ in range(runs):
        advisor.estimates.clear()
        start = time.perf_counter()
        Session().ask(advisor, BENCH_QUESTION)
        cold.append(time.perf_counter() - start)
        start = time.perf_counter()
        Session().ask(advisor, BENCH_QUESTION)
        warm.append(time.perf_counter() - start)
    calls = 0
    real = judge.estimate

    def counted(*args: object) -> object:
        nonlocal calls
        calls += 1
        return real(*args)  # type: ignore[arg-type]

    judge.estimate = counted  # type: ignore[assignment]
    advisor.estimates.clear()
    Session().ask(advisor, BENCH_QUESTION)
    judge.estimate = real
    return statistics.median(cold) * 1000, statistics.median(warm) * 1000, calls


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
    advisor = shutil.which("advisor") or "advisor"
    baseline = [sys.executable, "-c", "import pydantic"]
    estimate = [advisor, "estimate", "-m", "llama-3.3-70b", "--hw", "dgx-spark", "--json"]
    wall, ratio, peak = paired(estimate, baseline)
    print(
        f"`advisor estimate ... --json`: {wall * 1000:.0f} ms wall, {ratio:.2f}x `import "
        f"pydantic` (median of 9 pairs; aim <= 3.0, goal 2.0), peak RSS {peak:.0f} MiB"
    )
    wall, ratio, peak = paired([advisor, "ask", BENCH_QUESTION, "--json"], baseline)
    print(
        f'`advisor ask "{BENCH_QUESTION}" --json`: {wall * 1000:.0f} ms wall, {ratio:.2f}x '
        f"`import pydantic` (median of 9 pairs; aim <= 3.5), peak RSS {peak:.0f} MiB"
    )
    cold, warm, calls = ask_in_process()
    print(
        f"in-process ask of the same question (median of 9): {cold:.1f} ms with no estimate "
        f"remembered, {warm:.1f} ms asked again (aim: under 20 ms); {calls} calls to estimate()"
    )
    print(f"chat app, construction to first paint (headless): {app_first_paint() * 1000:.0f} ms")
    if shutil.which("tmux"):
        print("chat app in a real terminal (tmux; aims: paint under 0.5 s, answer within 0.1 s):")
        subprocess.run(["bash", "scripts/tmux_check.sh", advisor], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
