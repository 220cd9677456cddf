"""The bulk writer leaves what an ORM flush would: revision stamps, full-row revisions, one change set."""

from __future__ import annotations

import json
import uuid
from datetime import date

import sqlalchemy as sa

from mediation_desk.domain.codes import CaseSource, OutcomeKind, PartyRole
from mediation_desk.domain.intake import CaseInput, PartyInput, clean_case
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.permissions import Permission
from mediation_desk.services import cases
from mediation_desk.services.desk import Desk, UnitOfWork
from mediation_desk.store.bulk import BulkWriter
from mediation_desk.store.models import AuditEvent, DeviceState, DisputeCase, Outcome, Party, Revision


def _input() -> CaseInput:
    return CaseInput(
        intake_date=date(2026, 2, 3),
        source=CaseSource.APPLICATION,
        category="02",
        parties=[PartyInput("郑甲", PartyRole.APPLICANT), PartyInput("冯乙", PartyRole.RESPONDENT)],
    )


def test_bulk_rows_are_stamped_and_audited_like_orm_rows(desk: Desk) -> None:
    orm = cases.register_case(desk, _input()).value

    def body(work: UnitOfWork) -> uuid.UUID:
        org = desk.own_org(work.session)
        writer = BulkWriter(work.session)
        # the child first: the writer orders tables by their foreign keys
        values, parties = cases.case_values(work.session, org, clean_case(_input()))
        writer.add(
            Outcome, {"case_id": values["id"], "kind": OutcomeKind.ORAL_AGREEMENT, "decided_on": date(2026, 2, 4)}
        )
        case_id = writer.add(DisputeCase, values)
        for party in parties:
            writer.add(Party, party)
        values["status"] = CaseStatus.AGREED  # changed after queueing: the queued dict is what goes in
        writer.flush()
        return case_id

    bulk_id = desk.run("test.bulk", Permission.EDIT_CASE, body).value
    bulk = cases.get_case(desk, bulk_id)
    assert bulk.row.status is CaseStatus.AGREED
    assert bulk.row.number == "(2026)缙五人调字第2号"
    assert [p.name for p in bulk.parties] == ["郑甲", "冯乙"]
    with desk.read() as session:
        device = session.get(DeviceState, 1)
        assert device is not None
        seqs = list(session.scalars(sa.select(DisputeCase.rev_seq).order_by(DisputeCase.rev_seq)))
        assert all(seq is not None for seq in seqs)
        devices = set(session.scalars(sa.select(Party.rev_device)))
        assert devices == {device.device_id}
        all_seqs = [
            *session.scalars(sa.select(DisputeCase.rev_seq)),
            *session.scalars(sa.select(Party.rev_seq)),
            *session.scalars(sa.select(Outcome.rev_seq)),
        ]
        assert len(set(all_seqs)) == len(all_seqs)
        assert max(s for s in all_seqs if s is not None) == device.last_seq
        change = session.scalars(sa.select(AuditEvent).where(AuditEvent.operation == "test.bulk")).one()
        logged = session.scalars(sa.select(Revision).where(Revision.change_id == change.id)).all()
        assert sorted(r.table_name for r in logged) == ["dispute_case", "outcome", "party", "party"]
        assert all(r.case_id == bulk_id for r in logged)
        assert {(r.origin_device, r.origin_seq) for r in logged} == {
            (device.device_id, seq) for seq in all_seqs if seq in {r.origin_seq for r in logged}
        }
        bulk_data = json.loads(next(r.data for r in logged if r.table_name == "dispute_case"))
        orm_revision = session.scalars(
            sa.select(Revision).where(Revision.table_name == "dispute_case", Revision.record_id == orm.id)
        ).one()
        orm_data = json.loads(orm_revision.data)
        assert set(bulk_data) == set(orm_data)  # the full row either way, defaults included
        assert bulk_data["status"] == "agreed"
        assert orm_data["risk_flags"] == bulk_data["risk_flags"] == []
