"""The revision log (SYNC.md): every change of a synced record, by any write path, has its revision.

The strongest check is a replay: every revision of a desk, applied in order to an empty database, gives the same
content, row for row and column for column, and the same log.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from mediation_desk.demo import create_demo
from mediation_desk.domain import canonical, hlc
from mediation_desk.domain.codes import CaseSource, PartyRole
from mediation_desk.domain.intake import CaseInput, PartyInput, clean_case
from mediation_desk.domain.permissions import Permission
from mediation_desk.security.fields import INDEX_COLUMN
from mediation_desk.services import cases
from mediation_desk.services.desk import Actor, Desk, UnitOfWork
from mediation_desk.services.ledger import import_ledger
from mediation_desk.store import revisions
from mediation_desk.store.database import Database
from mediation_desk.store.datadir import DataDir
from mediation_desk.store.models import AuditEvent, Base, DeviceState, Party, Revision, Synced
from tests.conftest import VILLAGE_CODE
from tests.scenario import populate
from tests.unit.ledgers import random_ledger, write_csv

SYNCED_TABLES = [t for t in Base.metadata.sorted_tables if {"rev_device", "rev_seq", "rev_hlc"} <= set(t.c.keys())]
LOG_COLUMNS = ("origin_device", "origin_seq", "table_name", "record_id", "vv", "hlc", "deleted", "data", "case_id")


def _content(engine: sa.Engine) -> dict[str, list[dict[str, Any]]]:
    """Every synced row and the log, as read back (decrypted, unsealed) through the desk's own key. The blind
    index is left out: it is keyed by each desk's own data key, so two desks never share it."""
    with engine.connect() as connection:
        content = {
            table.name: [
                {key: value for key, value in row.items() if key != INDEX_COLUMN}
                for row in connection.execute(sa.select(table).order_by(table.c.id)).mappings()
            ]
            for table in SYNCED_TABLES
        }
        log = sa.select(*(Revision.__table__.c[name] for name in LOG_COLUMNS)).order_by(Revision.id)
        content["revision"] = [dict(row) for row in connection.execute(log).mappings()]
    return content


def _every_row_is_its_latest_revision(desk: Desk) -> int:
    with desk.read() as session:
        latest: dict[tuple[str, uuid.UUID], Revision] = {}
        for revision in session.scalars(sa.select(Revision).order_by(Revision.id)):
            latest[(revision.table_name, revision.record_id)] = revision
        count = 0
        for mapper in Base.registry.mappers:
            model = mapper.class_
            if not issubclass(model, Synced):
                continue
            table = model.__tablename__  # type: ignore[attr-defined]
            for obj in session.scalars(sa.select(model)):
                revision = latest[(table, obj.id)]
                assert (revision.origin_device, revision.origin_seq) == (obj.rev_device, obj.rev_seq)
                assert obj.rev_hlc == hlc.text(revision.hlc)
                row = {attr.key: getattr(obj, attr.key) for attr in sa.inspect(model).column_attrs}
                assert json.loads(revision.data) == revisions.row_data(table, row)
                count += 1
        return count


def _replay(source: Desk, target_root: Path) -> Database:
    target = Database.open(DataDir(target_root), create=True)
    with source.read() as session:
        log = [revisions.IncomingRevision.of(r) for r in session.scalars(sa.select(Revision).order_by(Revision.id))]
    with target.sessions() as session:
        session.info["actor"], session.info["operation"] = "test", "test.replay"
        for start in range(0, len(log), 700):  # in batches, as a merge would apply them
            revisions.apply_revisions(session, log[start : start + 700])
        session.commit()
    return target


def test_services_ledger_and_replay_give_the_same_content(desk: Desk, tmp_path: Path) -> None:
    populate(desk, [VILLAGE_CODE], 24)
    import_ledger(desk, write_csv(tmp_path / "ledger.csv", random_ledger(30)))
    assert _every_row_is_its_latest_revision(desk) > 24 + 30
    target = _replay(desk, tmp_path / "replayed")
    try:
        assert _content(target.engine) == _content(desk.database.engine)
    finally:
        target.close()


def test_the_demo_county_replays_to_the_same_content(tmp_path: Path) -> None:
    create_demo(tmp_path / "demo", villages=3, cases=60)
    desk = Desk.open(tmp_path / "demo", Actor.local_operator("test"))
    try:
        assert _every_row_is_its_latest_revision(desk) > 60
        target = _replay(desk, tmp_path / "replayed")
        try:
            assert _content(target.engine) == _content(desk.database.engine)
        finally:
            target.close()
    finally:
        desk.close()


def test_a_transaction_is_one_change_set_that_says_who_did_it(desk: Desk) -> None:
    row = cases.register_case(desk, _neighbours()).value
    with desk.read() as session:
        logged = session.scalars(sa.select(Revision).where(Revision.case_id == row.id)).all()
        assert sorted(r.table_name for r in logged) == ["dispute_case", "party", "party"]
        assert len({r.change_id for r in logged}) == 1
        change = session.get(AuditEvent, logged[0].change_id)
        assert change is not None
        assert change.operation == "cases.register"
        assert change.actor.startswith("test:")


def test_a_deletion_is_a_tombstone_without_personal_data(desk: Desk) -> None:
    row = cases.register_case(desk, _neighbours()).value

    def remove(work: UnitOfWork) -> uuid.UUID:
        party = work.session.scalars(sa.select(Party).where(Party.case_id == row.id, Party.name == "赵小红")).one()
        work.session.delete(party)
        return party.id

    party_id = desk.run("test.delete", Permission.EDIT_CASE, remove).value
    with desk.read() as session:
        tombstone = session.scalars(sa.select(Revision).where(Revision.record_id == party_id).order_by(Revision.id))
        last = list(tombstone)[-1]
        assert last.deleted
        assert last.data == "{}"
        assert last.case_id == row.id  # still in the case's history
        assert "赵小红" not in last.vv + last.data
    assert [e.action for e in cases.case_history(desk, row.id)][-1] == "delete"


def test_a_dry_run_leaves_no_revision_and_no_sequence_number(desk: Desk) -> None:
    with desk.read() as session:
        before = session.scalar(sa.select(sa.func.count()).select_from(Revision))
        state = session.get(DeviceState, 1)
        assert state is not None
        seq = state.last_seq

    def register(work: UnitOfWork) -> None:
        cases.add_case(work.session, desk.own_org(work.session), clean_case(_neighbours()))
        work.session.flush()

    desk.run("test.dry", Permission.EDIT_CASE, register, dry_run=True)
    with desk.read() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Revision)) == before
        state = session.get(DeviceState, 1)
        assert state is not None
        assert state.last_seq == seq
        assert session.scalar(sa.select(AuditEvent).where(AuditEvent.operation == "test.dry")) is None


def test_a_remote_revision_is_applied_without_this_desks_identity(desk: Desk) -> None:
    row = cases.register_case(desk, _neighbours()).value
    with desk.read() as session:
        revision = session.scalars(sa.select(Revision).where(Revision.record_id == row.id)).one()
        state = session.get(DeviceState, 1)
        assert state is not None
        own_device, own_seq, own_clock = state.device_id, state.last_seq, state.hlc
    remote_device = uuid.uuid4()
    data = json.loads(revision.data)
    data["facts"] = "在另一台电脑上补充的事实"
    far_future = hlc.tick(0, hlc.physical(own_clock).replace(year=2035))
    incoming = revisions.IncomingRevision(
        remote_device,
        1,
        "dispute_case",
        row.id,
        canonical.dumps({str(own_device): revision.origin_seq, str(remote_device): 1}),
        far_future,
        False,
        canonical.dumps(data),
    )
    with desk.database.sessions() as session:
        revisions.apply_revisions(session, [incoming])
        session.commit()
    detail = cases.get_case(desk, row.id)
    assert detail.facts == "在另一台电脑上补充的事实"
    with desk.read() as session:
        state = session.get(DeviceState, 1)
        assert state is not None
        assert (state.device_id, state.last_seq) == (own_device, own_seq)  # nothing restamped
        assert own_clock < state.hlc < far_future  # observed, but clamped: 2035 drags nobody along
        stored = session.scalars(sa.select(Revision).where(Revision.origin_device == remote_device)).one()
        assert (stored.origin_seq, stored.hlc, stored.data) == (1, far_future, incoming.data)


def _neighbours() -> CaseInput:
    return CaseInput(
        intake_date=date(2026, 3, 2),
        source=CaseSource.APPLICATION,
        category="02",
        parties=[PartyInput("王小明", PartyRole.APPLICANT), PartyInput("赵小红", PartyRole.RESPONDENT)],
    )
