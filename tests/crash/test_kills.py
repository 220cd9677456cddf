"""Crash safety, proved by killing the program (SIGKILL) at random moments, a hundred times in all.

The program is killed while it saves cases (register, then conclude), imports a ledger, builds the demo county,
makes a backup and restores one. After every kill:

- ``PRAGMA integrity_check`` of the database is ``ok``;
- nothing is half-done: a ledger's cases are all there or none of them; a demo folder is as it was or holds the
  whole county; every file under a backup's name is a complete, verified backup; a restore left the previous
  database or the restored one, and the restored one never carries the backup's device identity;
- every synced row is its latest revision, and the device's revision counter is its last revision;
- the program starts normally: a read command exits 0 (so no stale lock or half-made file stops it).

Runs are children forked from a process that has already imported the program (``zygote``), so a kill costs
milliseconds rather than a Python start-up; each child does its job exactly as ``mediation-desk`` does. Kill
delays are drawn uniformly over the time an unkilled run of the same job takes.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mediation_desk.demo import create_demo
from mediation_desk.services.desk import Actor
from mediation_desk.services.setup import initialise
from mediation_desk.store import backup
from mediation_desk.store.datadir import DataDir
from tests.conftest import village_setup
from tests.unit.ledgers import random_ledger, write_csv

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and fork are POSIX")

PROJECT = Path(__file__).resolve().parents[2]
DB_NAME = "mediation-desk.sqlite3"
KILLS = {"saves": 25, "ledger": 25, "demo": 20, "backup": 15, "restore": 15}  # a hundred in all
LEDGER_ROWS = 120
DEMO_VILLAGES, DEMO_CASES = 2, 60
DIGITS = "〇一二三四五六七八九"


@dataclass(frozen=True, slots=True)
class Run:
    killed: bool
    code: int | None
    seconds: float
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


class Zygote:
    """The forking server of ``tests.crash.zygote``: one child per run, killed on request."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.runs = 0
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.crash.zygote"],
            cwd=PROJECT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        assert self._reply() == "ready"

    def _reply(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the zygote has gone")
        return line.strip()

    def run(self, request: dict[str, Any], *, kill_after: float | None = None) -> Run:
        assert self.process.stdin is not None
        self.runs += 1
        log = self.logs / f"run-{self.runs}.log"
        started = time.perf_counter()
        self.process.stdin.write(json.dumps({**request, "log": str(log)}) + "\n")
        self.process.stdin.flush()
        pid = int(json.loads(self._reply())["pid"])
        if kill_after is not None:
            time.sleep(kill_after)
            with contextlib.suppress(ProcessLookupError):  # it finished first
                os.kill(pid, signal.SIGKILL)
        status = int(json.loads(self._reply())["status"])
        seconds = time.perf_counter() - started
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
        return Run(killed, code, seconds, log)

    def cli(self, *argv: str | Path, kill_after: float | None = None, keyring: Path | None = None) -> Run:
        request: dict[str, Any] = {"mode": "cli", "argv": [str(arg) for arg in argv]}
        if keyring is not None:
            request["keyring"] = str(keyring)
        return self.run(request, kill_after=kill_after)

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def zygote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zygote]:
    server = Zygote(tmp_path_factory.mktemp("crash-logs"))
    yield server
    server.close()


# ---------------------------------------------------------------------------------------------------------------
# What must hold after every kill


def integrity(database: Path) -> str:
    connection = sqlite3.connect(database)
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


def case_count(database: Path) -> int:
    connection = sqlite3.connect(database)
    try:
        return int(connection.execute("SELECT count(*) FROM dispute_case").fetchone()[0])
    finally:
        connection.close()


def inspect_desk(zygote: Zygote, root: Path, *, keyring: Path | None = None) -> dict[str, Any]:
    """Integrity, the rows against their revisions (in a child), and a read command that must exit 0."""
    assert integrity(root / DB_NAME) == "ok"
    result = root.parent / f".{root.name}-check.json"
    request: dict[str, Any] = {"mode": "check", "root": str(root), "result": str(result)}
    if keyring is not None:
        request["keyring"] = str(keyring)
    checked = zygote.run(request)
    assert checked.code == 0, checked.output()
    found: dict[str, Any] = json.loads(result.read_text(encoding="utf-8"))
    result.unlink()
    assert found["problems"] == []
    listed = zygote.cli("--data-dir", root, "cases", "list", "--json", keyring=keyring)
    assert listed.code == 0, listed.output()
    return found


def kill_at_random(
    zygote: Zygote, rng: random.Random, window: float, job: Any, *, kills: int, after: Any
) -> tuple[int, int]:
    """Run ``job(kill_after)`` until it has been killed ``kills`` times, checking ``after(run)`` each time; the
    delay is drawn from a little more than ``window`` (an unkilled run's time), so that some kills come during
    the last steps (commit, checkpoint, rename) and some runs finish first: those are checked too. Returns
    (kills, runs)."""
    killed = runs = 0
    while killed < kills:
        runs += 1
        assert runs <= 3 * kills, "the job keeps finishing before the kill"
        run: Run = job(rng.uniform(0.0, 1.1 * window))
        after(run)
        if run.killed:
            killed += 1
        else:
            assert run.code == 0, run.output()
    return killed, runs


def unique_ledger(path: Path, iteration: int, count: int) -> Path:
    """A ledger of ``count`` valid rows, none of which any other iteration's ledger has (the applicants differ)."""
    rows = random_ledger(count, seed=iteration)
    for index, values in enumerate(rows):
        number = "".join(DIGITS[int(d)] for d in f"{iteration:03d}{index:04d}")
        values["申请人"] = f"测{number}"
        values["调解员"] = ""
    return write_csv(path, rows)


def new_desk(root: Path) -> Path:
    initialise(root, village_setup(), Actor.local_operator("crash-test")).close()
    return root


# ---------------------------------------------------------------------------------------------------------------
# The kills


def test_kills_while_saving_cases(zygote: Zygote, tmp_path: Path) -> None:
    root = new_desk(tmp_path / "desk")
    rng = random.Random(7001)
    before = inspect_desk(zygote, root)

    def job(delay: float) -> Run:
        return zygote.run({"mode": "saves", "root": str(root), "count": 100_000}, kill_after=0.05 + delay)

    def after(run: Run) -> None:
        assert run.killed, run.output()  # it saves until it is killed
        inspect_desk(zygote, root)

    kill_at_random(zygote, rng, 0.4, job, kills=KILLS["saves"], after=after)
    assert case_count(root / DB_NAME) > before["cases"]


def test_kills_during_ledger_import(zygote: Zygote, tmp_path: Path) -> None:
    root = new_desk(tmp_path / "desk")
    rng = random.Random(7002)
    ledgers = tmp_path / "ledgers"
    ledgers.mkdir()
    iteration = 0

    def ledger() -> Path:
        nonlocal iteration
        iteration += 1
        return unique_ledger(ledgers / f"ledger-{iteration}.csv", iteration, LEDGER_ROWS)

    calibration = zygote.cli("--data-dir", root, "ledger", "import", ledger())
    assert calibration.code == 0, calibration.output()
    state = {"before": case_count(root / DB_NAME)}
    assert state["before"] == LEDGER_ROWS

    def job(delay: float) -> Run:
        state["before"] = case_count(root / DB_NAME)
        return zygote.cli("--data-dir", root, "ledger", "import", ledger(), kill_after=delay)

    def after(run: Run) -> None:
        count = case_count(root / DB_NAME)
        allowed = {state["before"], state["before"] + LEDGER_ROWS}
        assert count in allowed, f"half an import: {count} cases, expected one of {sorted(allowed)}"
        if not run.killed:
            assert count == state["before"] + LEDGER_ROWS
        inspect_desk(zygote, root)

    kill_at_random(zygote, rng, calibration.seconds, job, kills=KILLS["ledger"], after=after)


def test_kills_while_building_the_demo(zygote: Zygote, tmp_path: Path) -> None:
    rng = random.Random(7003)
    places = tmp_path / "places"
    places.mkdir()
    keyrings = tmp_path / "keyrings"
    iteration = 0
    options = ("demo", "--villages", str(DEMO_VILLAGES), "--cases", str(DEMO_CASES), "--year", "2024")
    state: dict[str, Any] = {}

    def job(delay: float | None) -> Run:
        nonlocal iteration
        iteration += 1
        target = places / f"desk-{iteration}"
        empty_before = iteration % 2 == 0  # half into an empty folder, half into none
        if empty_before:
            target.mkdir()
        keyring = keyrings / f"keyring-{iteration}"  # a kill while the key is saved must not harm other desks
        keyring.mkdir(parents=True)
        state.update(target=target, empty_before=empty_before, keyring=keyring)
        return zygote.cli("--data-dir", target, *options, kill_after=delay, keyring=keyring)

    def after(run: Run) -> None:
        target: Path = state["target"]
        if (target / DB_NAME).exists():
            assert case_count(target / DB_NAME) == DEMO_CASES
            inspect_desk(zygote, target, keyring=state["keyring"])
        elif state["empty_before"]:
            assert target.is_dir()
            assert list(target.iterdir()) == [], "an interrupted demo changed the folder"
        else:
            assert not target.exists(), "an interrupted demo left a folder behind"
        if not run.killed:
            assert (target / DB_NAME).exists()

    calibration = job(None)
    after(calibration)
    kill_at_random(zygote, rng, calibration.seconds, job, kills=KILLS["demo"], after=after)
    # the folder of an interrupted demo takes a new demo as if nothing had happened
    interrupted = [path for path in sorted(places.iterdir()) if path.name.startswith("desk-")]
    interrupted = [path for path in interrupted if not (path / DB_NAME).exists()] or [places / "desk-new"]
    again = zygote.cli("--data-dir", interrupted[0], *options, keyring=keyrings / "keyring-1")
    assert again.code == 0, again.output()
    assert case_count(interrupted[0] / DB_NAME) == DEMO_CASES


def test_kills_during_backups(zygote: Zygote, tmp_path: Path) -> None:
    root = tmp_path / "desk"
    create_demo(root, villages=3, cases=100)
    rng = random.Random(7004)
    data_dir = DataDir(root)
    calibration = zygote.cli("--data-dir", root, "backup", "create")
    assert calibration.code == 0, calibration.output()

    def job(delay: float) -> Run:
        return zygote.cli("--data-dir", root, "backup", "create", kill_after=delay)

    def after(_run: Run) -> None:
        for info in backup.list_backups(data_dir):  # every file under a backup's name is a whole, intact backup
            backup.check_sqlite_file(info.path)
        inspect_desk(zygote, root)

    kill_at_random(zygote, rng, calibration.seconds, job, kills=KILLS["backup"], after=after)


def _device(database: Path) -> str:
    connection = sqlite3.connect(database)
    try:
        return str(connection.execute("SELECT device_id FROM device_state").fetchone()[0])
    finally:
        connection.close()


def test_kills_during_restores(zygote: Zygote, tmp_path: Path) -> None:
    root = tmp_path / "desk"
    create_demo(root, villages=3, cases=100)
    rng = random.Random(7005)
    made = zygote.cli("--data-dir", root, "backup", "create")
    assert made.code == 0, made.output()
    (saved,) = backup.list_backups(DataDir(root))
    saved_cases, saved_device = case_count(root / DB_NAME), _device(root / DB_NAME)
    ledger = unique_ledger(tmp_path / "ledger.csv", 999, 40)
    imported = zygote.cli("--data-dir", root, "ledger", "import", ledger)
    assert imported.code == 0, imported.output()
    state: dict[str, Any] = {}

    def job(delay: float | None) -> Run:
        state["before"] = (case_count(root / DB_NAME), _device(root / DB_NAME))
        return zygote.cli("--data-dir", root, "backup", "restore", saved.name, kill_after=delay)

    def after(run: Run) -> None:
        count, device = case_count(root / DB_NAME), _device(root / DB_NAME)
        assert device != saved_device, "a restored backup kept the backup's device identity"
        if (count, device) != state["before"]:
            assert count == saved_cases  # restored, with a new identity
        if not run.killed:
            assert count == saved_cases
        inspect_desk(zygote, root)

    calibration = job(None)
    after(calibration)
    kill_at_random(zygote, rng, calibration.seconds, job, kills=KILLS["restore"], after=after)
    # the restored desk takes new work
    again = zygote.cli("--data-dir", root, "ledger", "import", ledger)
    assert again.code == 0, again.output()
