"""Migration 0002 carries a database from before the revision log over, with its history.

Every synced record gets one revision of its current row, in the very encoding the program writes (so the
frozen copy of the encoding in the migration cannot drift from ``domain.canonical``); the old audit trail
becomes ``legacy_history`` with field names only; and the program then goes on appending revisions after them.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import sqlalchemy as sa

from mediation_desk.domain.codes import OutcomeKind
from mediation_desk.services import cases
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.store import revisions
from mediation_desk.store.datadir import DataDir
from mediation_desk.store.models import Base, DeviceState, LegacyHistory, Revision, Synced
from tests.migrations.make_fixtures import FIXTURES

FIXTURE = FIXTURES / "schema_0001.sqlite3"
SYNCED = [mapper.class_ for mapper in Base.registry.mappers if issubclass(mapper.class_, Synced)]


def _old_audit(path: Path) -> list[tuple[str, str, str]]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(connection.execute("SELECT actor, action, table_name FROM audit_event ORDER BY id"))
    finally:
        connection.close()


def _open(tmp_path: Path) -> Desk:
    data_dir = DataDir(tmp_path / "desk")
    data_dir.create()
    shutil.copyfile(FIXTURE, data_dir.database)
    return Desk.open(data_dir.root, Actor.local_operator("test"), lock=True)


def test_every_record_gets_one_revision_of_its_current_row(tmp_path: Path) -> None:
    desk = _open(tmp_path)
    try:
        with desk.read() as session:
            logged = {(r.table_name, r.record_id): r for r in session.scalars(sa.select(Revision))}
            total = 0
            for model in SYNCED:
                table = model.__tablename__  # type: ignore[attr-defined]
                for obj in session.scalars(sa.select(model)):
                    total += 1
                    revision = logged[(table, obj.id)]
                    row = {attr.key: getattr(obj, attr.key) for attr in sa.inspect(model).column_attrs}
                    assert json.loads(revision.data) == revisions.row_data(table, row)
                    assert revision.data == json.dumps(
                        json.loads(revision.data), ensure_ascii=False, sort_keys=True, separators=(",", ":")
                    )
                    assert (revision.origin_device, revision.origin_seq) == (obj.rev_device, obj.rev_seq)
                    assert json.loads(revision.vv) == {str(obj.rev_device): obj.rev_seq}
                    assert revision.change_id is None
                    assert not revision.deleted
            assert total == len(logged) > 0
            device = session.get(DeviceState, 1)
            assert device is not None
            assert device.hlc >= max(r.hlc for r in logged.values())
    finally:
        desk.close()


def test_the_old_audit_trail_becomes_legacy_history_without_values(tmp_path: Path) -> None:
    old = _old_audit(FIXTURE)
    desk = _open(tmp_path)
    try:
        with desk.read() as session:
            legacy = session.scalars(sa.select(LegacyHistory).order_by(LegacyHistory.id)).all()
            assert [(e.actor, e.action, e.table_name) for e in legacy] == old
            assert all(isinstance(e.fields, list) and all(isinstance(f, str) for f in e.fields) for e in legacy)
            case_id = next(e.case_id for e in legacy if e.table_name == "dispute_case" and e.action == "insert")
        assert case_id is not None
        history = cases.case_history(desk, case_id)
        assert history
        assert history[0].action == "insert"
        assert len(history) == sum(1 for e in legacy if e.case_id == case_id)
    finally:
        desk.close()


def test_changes_after_the_migration_follow_on_in_the_log(tmp_path: Path) -> None:
    desk = _open(tmp_path)
    try:
        row = next(r for r in cases.list_cases(desk) if r.status.is_open)
        before = len(cases.case_history(desk, row.id))
        cases.conclude_case(desk, row.id, OutcomeKind.TERMINATED, reason="申请人撤回", on=row.intake_date)
        history = cases.case_history(desk, row.id)
        assert len(history) > before
        assert history[-1].operation == "cases.conclude"
        with desk.read() as session:
            case_revisions = session.scalars(
                sa.select(Revision).where(Revision.record_id == row.id).order_by(Revision.id)
            ).all()
            first, last = case_revisions[0], case_revisions[-1]
            earlier, later = json.loads(first.vv), json.loads(last.vv)
            assert all(later.get(device, 0) >= seq for device, seq in earlier.items())  # the edit descends from it
            assert later[str(last.origin_device)] == last.origin_seq
    finally:
        desk.close()
