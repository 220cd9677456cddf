"""``python -m bench [--quick | --smoke] [--only NAME ...] [--output FILE]``: run the benchmarks, print each figure
with its baseline and the DESIGN.md target, and write the results as JSON (default ``bench/results/latest.json``).
The exit status is 1 when a correctness check fails (timings never fail a run)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench import RESULTS, BenchResult, Mode, report, write_results
from bench.benchmarks import BENCHMARKS, SIZES


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="smaller sizes, fewer repetitions (about two minutes)")
    size.add_argument("--smoke", action="store_true", help="tiny sizes, one repetition: proves the harness runs")
    parser.add_argument("--only", action="append", choices=sorted(BENCHMARKS), help="run only this benchmark")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"JSON results file (default {RESULTS})")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    mode = Mode.SMOKE if args.smoke else Mode.QUICK if args.quick else Mode.FULL
    sizes = SIZES[mode]
    started = datetime.now(UTC)
    print(f"Mediation Desk benchmarks, {mode.value} mode, {started:%Y-%m-%d %H:%M} UTC", flush=True)
    results: list[BenchResult] = []
    with tempfile.TemporaryDirectory(prefix="mediation-desk-bench-") as temporary:
        for name in args.only or list(BENCHMARKS):
            work = Path(temporary) / name
            work.mkdir()
            result = BENCHMARKS[name](work, sizes)
            report(result)
            sys.stdout.flush()
            results.append(result)
    write_results(args.output, mode, results, started)
    print(f"results written to {args.output}")
    failed = [result.name for result in results if not result.ok]
    if failed:
        print("checks failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
