"""The benchmark harness runs end to end (tiny sizes, one repetition) and its correctness checks pass.

Timings are never asserted: they are reported by ``python -m bench`` and compared as ratios by people.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.__main__ import main


def test_smoke_run_writes_results_and_checks_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "results" / "smoke.json"
    assert main(["--smoke", "--output", str(output)]) == 0
    printed = capsys.readouterr().out
    assert "ratio" in printed
    assert "target" in printed
    results = json.loads(output.read_text(encoding="utf-8"))
    assert results["mode"] == "smoke"
    assert results["ok"] is True
    by_name = {bench["name"].split("_")[0]: bench for bench in results["benchmarks"]}
    assert set(by_name) == {
        "ledger",
        "stats",
        "demo",
        "agreement",
        "startup",
        "schema",
        "sync",
        "caselist",
        "search",
        "gui",
    }
    stats = by_name["stats"]
    assert stats["subject"]["runs_ms"]
    assert stats["baseline"]["runs_ms"]
    assert stats["ratio"] is not None
    totals = next(check for check in stats["checks"] if check["name"].startswith("service totals"))
    assert totals["ok"], totals["detail"]
    for bench in results["benchmarks"]:
        assert bench["skipped"] is None, bench
        assert all(check["ok"] for check in bench["checks"]), bench["checks"]


def test_only_selects_benchmarks(tmp_path: Path) -> None:
    output = tmp_path / "stats.json"
    assert main(["--smoke", "--only", "stats", "--output", str(output)]) == 0
    names = [bench["name"] for bench in json.loads(output.read_text(encoding="utf-8"))["benchmarks"]]
    assert names == ["stats_300"]


def test_case_list_first_screen_matches_the_sql(tmp_path: Path) -> None:
    output = tmp_path / "caselist.json"
    assert main(["--smoke", "--only", "caselist", "--output", str(output)]) == 0
    (bench,) = json.loads(output.read_text(encoding="utf-8"))["benchmarks"]
    assert bench["name"] == "caselist_3k"
    assert bench["subject"]["runs_ms"]
    assert bench["baseline"]["runs_ms"]
    (check,) = bench["checks"]
    assert check["ok"], check["detail"]
    assert check["detail"].startswith("200 rows of 3,000 cases")
