"""The done-when test of sync, through the command line only (``cli.main`` with ``--data-dir``): three villages,
their township and the county, each its own data folder.

The villages set up, exchange public keys with the township (``keys export`` / ``keys trust --yes``), import
their ledgers and export. The township imports the files in every order, twice, with a truncated and a tampered
file among them (both refused with clear messages, the database unchanged). The township edits a case that its
village edits too: the conflict is shown by ``sync conflicts``, resolved with ``sync resolve``, and the resolution
reaches the village and the county. The county imports the township's file, and ``stats --json`` there equals the
sum of the ledgers, nothing counted twice.
"""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from mediation_desk import cli
from mediation_desk.services.desk import Actor, Desk
from tests.conftest import TEST_PASSWORD
from tests.sync.test_desk_support import COUNTY, TOWNSHIP, VILLAGES, database_hash, open_conflicts, synced_hash
from tests.unit.ledgers import expected_totals, random_ledger, write_csv

SIZES = (9, 6, 7)
FACTS = "纠纷简要情况"


class Cli:
    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.capsys = capsys
        self.password = root / "password.txt"
        self.password.write_text(TEST_PASSWORD + "\n", encoding="utf-8")

    def __call__(self, desk: str, *args: str | Path, expect: int = 0) -> tuple[str, str]:
        self.capsys.readouterr()
        code = cli.main(["--data-dir", str(self.root / desk), *(str(arg) for arg in args)])
        captured = self.capsys.readouterr()
        assert code == expect, (args, captured.out, captured.err)
        return captured.out, captured.err

    def json(self, desk: str, *args: str | Path, expect: int = 0) -> Any:
        out, _err = self(desk, *args, expect=expect)
        return json.loads(out)

    def file(self, name: str) -> Path:
        return self.root / name


def _rows(number: int, count: int) -> list[dict[str, Any]]:
    rows = random_ledger(count, seed=100 + number)
    for index, row in enumerate(rows, 1):
        row["案件编号"] = f"（2025）村{number}调字第{index}号"
        row[FACTS] = f"{row[FACTS]}（村 {number}）"
    return rows


def _set_up(run: Cli) -> list[list[dict[str, Any]]]:
    desks = [
        ("county", COUNTY, "county", None),
        ("township", TOWNSHIP, "township", COUNTY[0]),
        *((f"village{n}", VILLAGES[n], "village", TOWNSHIP[0]) for n in range(3)),
    ]
    for name, (code, title), level, parent in desks:
        extra = ["--parent", parent] if parent else []
        run(name, "init", "--org", code, "--name", title, "--level", level, *extra,
            "--admin", "admin", "--password-file", run.password)  # fmt: skip
        run(name, "keys", "export", run.file(f"{name}.pub"))
    shown, _ = run("township", "keys", "trust", run.file("village0.pub"), "--yes")
    assert VILLAGES[0][1] in shown
    assert "指纹" in shown
    for n in (1, 2):
        run("township", "keys", "trust", run.file(f"village{n}.pub"), "--yes")
    for n in range(3):
        run(f"village{n}", "keys", "trust", run.file("township.pub"), "--yes")
    run("township", "keys", "trust", run.file("county.pub"), "--yes")
    run("county", "keys", "trust", run.file("township.pub"), "--yes")
    ledgers = []
    for n, count in enumerate(SIZES):
        rows = _rows(n, count)
        ledgers.append(rows)
        run(f"village{n}", "ledger", "import", write_csv(run.file(f"ledger{n}.csv"), rows))
        out, _ = run(f"village{n}", "sync", "export", "--to", TOWNSHIP[0], "-o", run.file(f"v{n}.mdsync"))
        assert "已写出同步文件" in out
    return ledgers


def _bad_files(run: Cli) -> tuple[Path, Path]:
    data = run.file("v0.mdsync").read_bytes()
    truncated = run.file("cut.mdsync")
    truncated.write_bytes(data[: len(data) * 2 // 3])
    flipped = bytearray(data)
    flipped[-100] ^= 0x10
    tampered = run.file("tampered.mdsync")
    tampered.write_bytes(bytes(flipped))
    return truncated, tampered


def _open(root: Path) -> Desk:
    return Desk.open(root, Actor.local_operator("test"))


def _hashes(root: Path) -> tuple[str, str]:
    desk = _open(root)
    try:
        return database_hash(desk), synced_hash(desk)
    finally:
        desk.close()


def _import_in_every_order(run: Cli, bad: tuple[Path, Path]) -> None:
    """The villages' files in every order, each twice, with the bad files among them, each order on a fresh copy
    of the township: the same content every time. Then the township itself: the bad files alone change nothing."""
    good = [run.file(f"v{n}.mdsync") for n in range(3)]
    pristine = run.root / "township-pristine"
    shutil.copytree(run.root / "township", pristine, ignore=shutil.ignore_patterns("*.lock"))
    empty = _hashes(pristine)
    outcomes = set()
    for number, order in enumerate(itertools.permutations(good)):
        name = f"township-{number}"
        shutil.copytree(pristine, run.root / name, ignore=shutil.ignore_patterns("*.lock"))
        files = [order[0], bad[0], order[1], bad[1], order[2], *reversed(order)]
        report = run.json(name, "sync", "import", *files, "--json", expect=1)
        statuses = [item["status"] for item in report["files"]]
        assert statuses == ["OK", "ERROR", "OK", "ERROR", "OK", "OK", "OK", "OK"]
        assert [item["already_imported"] for item in report["files"][5:]] == [True, True, True]
        outcomes.add(_hashes(run.root / name)[1])
        shutil.rmtree(run.root / name)
    assert len(outcomes) == 1
    refused = run.json("township", "sync", "import", *bad, "--json", expect=1)
    codes = [item["messages"][0]["code"] for item in refused["files"]]
    assert codes[0] == "truncated"
    assert codes[1] in ("damaged", "truncated")
    assert all(len(item["messages"]) == 1 and item["messages"][0]["text"] for item in refused["files"])
    assert _hashes(run.root / "township") == empty  # nothing changed
    out, err = run("township", "sync", "import", *good, *bad, expect=1)
    assert "已拒收" in out
    assert "2 个文件被拒收" in err
    assert _hashes(run.root / "township")[1] in outcomes


def _conflict(run: Cli, ledgers: list[list[dict[str, Any]]]) -> None:
    """The village and the township both correct case 1 of village 0, differently; resolved at the township."""
    row = dict(ledgers[0][0], 调委会=VILLAGES[0][0])
    village_row = {**row, FACTS: "村里更正的案情"}
    township_row = {**row, FACTS: "乡镇更正的案情"}
    run("village0", "ledger", "import", write_csv(run.file("v-fix.csv"), [village_row]), "--update")
    run("township", "ledger", "import", write_csv(run.file("t-fix.csv"), [township_row]), "--update")
    run("village0", "sync", "export", "--to", TOWNSHIP[0], "-o", run.file("v0-2.mdsync"))
    run("township", "sync", "import", run.file("v0-2.mdsync"))
    listed = run.json("township", "sync", "conflicts", "--json")["conflicts"]
    [conflict] = [item for item in listed if item["table"] == "dispute_case"]
    assert conflict["label"] == "hard"
    facts = next(item for item in conflict["fields"] if item["name"] == "facts")
    assert set(facts["values"].values()) == {"村里更正的案情", "乡镇更正的案情"}
    shown, _ = run("township", "sync", "conflicts")
    assert "冲突（同一字段改得不同）" in shown
    chosen = next(key for key, value in facts["values"].items() if value == "乡镇更正的案情")
    out, err = run("township", "sync", "resolve", str(conflict["id"]), "--field", f"facts={chosen}", expect=1)
    assert "请逐一选择" in err  # the ledger's own key of the row was changed on both sides too
    out, _ = run("township", "sync", "resolve", str(conflict["id"]), "--take", chosen)
    assert "已解决" in out
    assert run.json("township", "sync", "conflicts", "--json")["conflicts"] == []
    run("township", "sync", "export", "--to", VILLAGES[0][0], "-o", run.file("t-v0.mdsync"))
    run("village0", "sync", "import", run.file("t-v0.mdsync"))
    assert run.json("village0", "sync", "conflicts", "--json")["conflicts"] == []
    case = run.json("village0", "cases", "show", row["案件编号"], "--json")
    assert case["facts"] == "乡镇更正的案情"


def test_three_villages_a_township_and_the_county_through_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = Cli(tmp_path, capsys)
    ledgers = _set_up(run)
    _import_in_every_order(run, _bad_files(run))
    _conflict(run, ledgers)
    run("township", "sync", "export", "--to", COUNTY[0], "-o", run.file("t-county.mdsync"))
    report = run.json("county", "sync", "import", run.file("t-county.mdsync"), "--json")
    assert report["status"] in ("OK", "WARNING")
    assert report["files"][0]["totals"]["rejected"] == 0
    county = _open(run.root / "county")
    try:
        assert open_conflicts(county) == set()
    finally:
        county.close()
    case = run.json("county", "cases", "show", ledgers[0][0]["案件编号"], "--json")
    assert case["facts"] == "乡镇更正的案情"
    totals = run.json("county", "stats", "--json")["totals"]
    wanted = [expected_totals(rows) for rows in ledgers]
    summed = {key: sum(item[key] for item in wanted) for key in wanted[0] if key != "success_rate"}
    assert {key: totals[key] for key in summed} == summed
    again = run.json("county", "sync", "import", run.file("t-county.mdsync"), "--json")
    assert again["files"][0]["already_imported"]
    assert run.json("county", "stats", "--json")["totals"] == totals
    status = run.json("township", "sync", "status", "--json")
    assert {peer["org"] for peer in status["peers"]} == {*(code for code, _ in VILLAGES), COUNTY[0]}
    assert all(peer["files"] >= 1 for peer in status["peers"] if peer["role"] == "village")
