"""A process that has imported the program once and forks a child for every run, so that a hundred runs can be
killed in a couple of minutes (starting Python and importing the program takes longer than most of the work).

Each child is the program doing one job, exactly as ``mediation-desk`` does it after start-up: ``cli`` runs
``cli.main(argv)``; ``saves`` registers and concludes cases in a loop through the case services, as the GUI
does; ``check`` inspects a desk after a kill and writes what it found as JSON. The parent (``test_kills``) sends
one request per line on stdin and reads back, on stdout, the child's pid and then its wait status.

POSIX only (``fork``, ``SIGKILL``).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pypinyin  # noqa: F401  the search index loads it at a process's first save: once here, like the program
import sqlalchemy as sa

from mediation_desk import cli
from mediation_desk.domain import hlc
from mediation_desk.domain.codes import CaseSource, OutcomeKind, PartyRole
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.services import cases
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.store import revisions
from mediation_desk.store.models import Base, DeviceState, DisputeCase, Revision

SURNAMES = "张王李赵刘陈杨黄周吴"


def saves(root: Path, count: int) -> int:
    """Register a case, record a session, conclude it, ``count`` times: each a transaction of its own, as in the
    GUI."""
    desk = Desk.open(root, Actor.local_operator("crash-test"), lock=True)
    try:
        start = date.today() - timedelta(days=200)
        for index in range(count):
            data = CaseInput(
                intake_date=start + timedelta(days=index % 150),
                source=CaseSource.APPLICATION,
                category="02",
                parties=[
                    PartyInput(f"{SURNAMES[index % 10]}甲{index}", PartyRole.APPLICANT),
                    PartyInput(f"{SURNAMES[(index + 3) % 10]}乙{index}", PartyRole.RESPONDENT),
                ],
                facts=f"第{index}起：相邻通行纠纷",
            )
            case = cases.register_case(desk, data).value
            held = datetime.combine(data.intake_date + timedelta(days=1), time(9, 30), tzinfo=UTC)
            cases.record_session(desk, case.id, held_at=held, body="双方陈述意见，调解员释法说理。", place="调解室")
            cases.conclude_case(desk, case.id, OutcomeKind.ORAL_AGREEMENT, on=data.intake_date + timedelta(days=2))
    finally:
        desk.close()
    return 0


SYNCED_TABLES = [t for t in Base.metadata.sorted_tables if set(revisions.REVISION_COLUMNS) <= set(t.c.keys())]


def _rows_agree_with_their_revisions(desk: Desk) -> list[str]:
    """Every synced row has a latest revision that holds exactly that row, stamped with it; the device's counter
    is its last revision."""
    problems: list[str] = []
    log = Revision.__table__
    newest = sa.select(sa.func.max(log.c.id)).group_by(log.c.table_name, log.c.record_id)
    with desk.read() as session:
        latest = {
            (revision.table_name, revision.record_id): revision
            for revision in session.execute(sa.select(log).where(log.c.id.in_(newest)))
        }
        for table in SYNCED_TABLES:
            for row in session.execute(sa.select(table)).mappings():
                found = latest.get((table.name, row["id"]))
                if found is None:
                    problems.append(f"{table.name} row without a revision")
                elif (found.origin_device, found.origin_seq) != (row["rev_device"], row["rev_seq"]):
                    problems.append(f"{table.name} row stamped with another revision")
                elif row["rev_hlc"] != hlc.text(found.hlc):
                    problems.append(f"{table.name} row with another clock")
                elif json.loads(found.data) != revisions.row_data(table.name, dict(row)):
                    problems.append(f"{table.name} row differs from its revision")
        state = session.get(DeviceState, 1)
        if state is not None:
            own = session.scalar(sa.select(sa.func.max(log.c.origin_seq)).where(log.c.origin_device == state.device_id))
            if (own or 0) != state.last_seq:
                problems.append(f"device counter {state.last_seq} but its last revision is {own}")
    return problems


def check(root: Path, result: Path) -> int:
    """What a desk holds after a kill: case count, device identity, and whether rows and revisions agree."""
    desk = Desk.open(root, Actor.local_operator("crash-test"))
    try:
        with desk.read() as session:
            count = session.scalar(sa.select(sa.func.count()).select_from(DisputeCase))
            state = session.get(DeviceState, 1)
            device = str(state.device_id) if state else None
        found = {"cases": count, "device": device, "problems": _rows_agree_with_their_revisions(desk)}
    finally:
        desk.close()
    result.write_text(json.dumps(found), encoding="utf-8")
    return 0


def _child(request: dict[str, Any]) -> int:
    if request.get("keyring"):
        os.environ["XDG_DATA_HOME"] = request["keyring"]
    mode = request["mode"]
    if mode == "cli":
        return cli.main(request["argv"])
    if mode == "saves":
        return saves(Path(request["root"]), int(request.get("count", 1000)))
    if mode == "check":
        return check(Path(request["root"]), Path(request["result"]))
    raise ValueError(f"unknown mode {mode!r}")


def _run_child(request: dict[str, Any]) -> None:
    """In the forked child: output to the run's log, run the job, leave without cleaning up the parent's state."""
    code = 70
    try:
        log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        sys.stdout = os.fdopen(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = os.fdopen(2, "w", encoding="utf-8", closefd=False)
        code = _child(request)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def main() -> None:
    replies = sys.stdout
    print("ready", file=replies, flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _run_child(request)
        print(json.dumps({"pid": pid}), file=replies, flush=True)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"status": status}), file=replies, flush=True)


if __name__ == "__main__":
    main()
