"""Leave one source out: fit without it, predict its rows, and report the errors by regime.

    python scripts/leave_one_source_out.py ../shared/benchmarks/dev.csv benchmarks/extra.csv \\
        --loaded benchmarks/batched_deep.csv

Every source of the --loaded files (a page, a repository folder or a site: `source_of`) is
held out in turn: the two-stage fit of scripts/fit_calibration.py runs on everything else, then
predicts the held-out rows, fit and explain alike. Prints, per regime and metric, the mean
over sources of each source's median error, and the median over all held-out rows.
Requires the dev extra (scipy).
"""

from __future__ import annotations

import argparse
import statistics
from collections import defaultdict

from fit_calibration import fit

from advisor.catalog import load_catalog
from advisor.validate import METRICS, read_rows, validate_rows

TARGETS = {
    ("batched", "decode"): 0.25,
    ("deep", "prefill"): 0.25,
    ("deep", "decode"): 0.15,
    ("single", "decode"): 0.10,
}


def source_of(url: str) -> str:
    """One source per page, repository folder or site: every log file of one benchmark run in
    a repository, or the three pages of one blog series, count as one."""
    if "/blob/" in url:
        head, path = url.split("/blob/", 1)
        commit, _, rest = path.partition("/")
        return f"{head}/blob/{commit}/{rest.split('/', 1)[0]}"
    if "://" in url and "github.com" not in url:
        return url.split("/", 3)[2]
    return url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="+", help="single-stream benchmark CSV file(s)")
    parser.add_argument("--loaded", nargs="+", required=True, help="batched/deep CSV file(s)")
    args = parser.parse_args()
    rows = [row for path in args.loaded for row in read_rows(path)]
    sources = sorted({source_of(row.source_url) for row in rows})
    per_source: dict[tuple[str, str], list[float]] = defaultdict(list)
    pooled: dict[tuple[str, str], list[float]] = defaultdict(list)
    for source in sources:
        cal, _ = fit(args.csv, args.loaded, leave_out=source)
        held = [row for row in rows if source_of(row.source_url) == source]
        report = validate_rows(load_catalog(), held, cal)
        errors: dict[tuple[str, str], list[float]] = defaultdict(list)
        for p in report.rows:
            for metric in METRICS:
                if (error := p.error(metric)) is not None:
                    errors[(p.regime, metric)].append(error)
        for key, values in errors.items():
            per_source[key].append(statistics.median(values))
            pooled[key].extend(values)
        summary = ", ".join(
            f"{regime} {metric} {statistics.median(v):.0%} (n={len(v)})"
            for (regime, metric), v in sorted(errors.items())
        )
        print(f"{source}\n  {summary}", flush=True)
    print("\nregime   metric   sources  mean of source medians  pooled median  target")
    for key in sorted(per_source):
        target = TARGETS.get(key)
        print(
            f"{key[0]:8} {key[1]:8} {len(per_source[key]):7}  "
            f"{statistics.mean(per_source[key]):22.1%}  {statistics.median(pooled[key]):13.1%}  "
            + (f"<= {target:.0%}" if target else "")
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
