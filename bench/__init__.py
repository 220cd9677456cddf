"""Benchmarks with their own targets (DESIGN.md, Performance targets).

Each benchmark times its subject and a baseline on the same data in the same run, alternately, and reports the
median, minimum and maximum of each and the ratio of the medians: times on a shared machine drift, ratios hold.
Run ``python -m bench`` (full), ``python -m bench --quick`` (smaller, under about two minutes) or
``--smoke`` (tiny, one repetition: proves the harness runs). Results go to ``bench/results/latest.json``.
Timings are reported, never asserted; only correctness checks (such as totals agreeing) fail a run.
"""

from __future__ import annotations

import gc
import json
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"

# One repetition: set up (untimed), then the body is timed, then cleaned up.
Trial = Callable[[], AbstractContextManager[Callable[[], object]]]


class Mode(StrEnum):
    SMOKE = "smoke"
    QUICK = "quick"
    FULL = "full"


@dataclass(slots=True)
class Timing:
    runs_ms: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.runs_ms)

    @property
    def minimum(self) -> float:
        return min(self.runs_ms)

    @property
    def maximum(self) -> float:
        return max(self.runs_ms)

    def as_json(self) -> dict[str, Any]:
        return {
            "median_ms": round(self.median, 3),
            "min_ms": round(self.minimum, 3),
            "max_ms": round(self.maximum, 3),
            "runs_ms": [round(run, 3) for run in self.runs_ms],
        }


@dataclass(slots=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass(slots=True)
class BenchResult:
    name: str
    size: str
    target: str
    subject: Timing | None = None
    baseline: Timing | None = None
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None

    @property
    def ratio(self) -> float | None:
        if self.subject is None or self.baseline is None or self.baseline.median <= 0:
            return None
        return self.subject.median / self.baseline.median

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def check(self, name: str, ok: bool, detail: str) -> None:
        self.checks.append(Check(name, ok, detail))

    def as_json(self) -> dict[str, Any]:
        ratio = self.ratio
        return {
            "name": self.name,
            "size": self.size,
            "target": self.target,
            "subject": self.subject.as_json() if self.subject else None,
            "baseline": self.baseline.as_json() if self.baseline else None,
            "ratio": round(ratio, 3) if ratio is not None else None,
            "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in self.checks],
            "notes": self.notes,
            "skipped": self.skipped,
        }


def _time_once(trial: Trial) -> float:
    with trial() as body:
        gc.collect()
        start = time.perf_counter_ns()
        body()
        elapsed = time.perf_counter_ns() - start
    return elapsed / 1e6


def measure(subject: Trial, baseline: Trial | None, repeat: int) -> tuple[Timing, Timing | None]:
    """Run subject and baseline ``repeat`` times each, alternating so that drift affects both alike."""
    subject_timing = Timing()
    baseline_timing = Timing() if baseline is not None else None
    for _ in range(repeat):
        if baseline is not None and baseline_timing is not None:
            baseline_timing.runs_ms.append(_time_once(baseline))
        subject_timing.runs_ms.append(_time_once(subject))
    return subject_timing, baseline_timing


def _ms(value: float) -> str:
    return f"{value:,.1f} ms" if value < 10_000 else f"{value / 1000:,.2f} s"


def report(result: BenchResult, out: Callable[[str], object] = print) -> None:
    out(f"{result.name}  ({result.size})")
    if result.skipped:
        out(f"  skipped: {result.skipped}")
        return
    for label, timing in (("subject ", result.subject), ("baseline", result.baseline)):
        if timing is not None:
            out(
                f"  {label}  median {_ms(timing.median):>12}   min {_ms(timing.minimum):>12}   "
                f"max {_ms(timing.maximum):>12}   n={len(timing.runs_ms)}"
            )
    ratio = result.ratio
    if ratio is not None:
        out(f"  ratio     {ratio:,.2f}× the baseline (medians)")
    out(f"  target    {result.target}")
    for check in result.checks:
        out(f"  check     {'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
    for note in result.notes:
        out(f"  note      {note}")


def machine() -> dict[str, Any]:
    import os

    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "sqlite": sqlite3.sqlite_version,
    }


def write_results(path: Path, mode: Mode, results: list[BenchResult], started: datetime) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "started": started.isoformat(),
        "finished": datetime.now(UTC).isoformat(),
        "mode": mode.value,
        "machine": machine(),
        "ok": all(result.ok for result in results),
        "benchmarks": [result.as_json() for result in results],
    }
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    temporary.replace(path)


def peak_mb() -> float | None:
    """This process's peak RSS: ``VmHWM`` on Linux (a child's ``ru_maxrss`` can start at its parent's size, kept
    across ``exec``), else ``resource.getrusage``."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:  # not on Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def sized_name(base: str, count: int) -> str:
    """A benchmark's name with its size: ``caselist_1000k``, ``stats_300``."""
    return f"{base}_{count // 1000}k" if count >= 1000 and count % 1000 == 0 else f"{base}_{count}"


MeasureDesk = Callable[[Path, int, str, str], "BenchResult"]


def desk_main(argv: list[str] | None, *, prog: str, doc: str | None, measure_desk: MeasureDesk, repeat: int) -> int:
    """``python -m bench.NAME DATA_FOLDER [--repeat N]``: a desk benchmark on a desk already built."""
    import argparse

    parser = argparse.ArgumentParser(prog=f"python -m bench.{prog}", description=doc)
    parser.add_argument("folder", type=Path, help="a desk's data folder (already built; it is opened)")
    parser.add_argument("--repeat", type=int, default=repeat)
    args = parser.parse_args(argv)
    result = measure_desk(args.folder, args.repeat, prog, f"{prog} on {args.folder}")
    report(result)
    return 0 if result.ok else 1
