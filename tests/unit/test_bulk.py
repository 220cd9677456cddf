"""The bulk writer leaves what an ORM flush would: revision stamps and one audit row per insert."""

from __future__ import annotations

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
from mediation_desk.store.models import AuditEvent, DeviceState, DisputeCase, Outcome, Party


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
        events = session.scalars(sa.select(AuditEvent).where(AuditEvent.operation == "test.bulk")).all()
        assert sorted(e.table_name for e in events) == ["dispute_case", "outcome", "party", "party"]
        assert all(e.case_id == bulk_id for e in events)
        case_event = next(e for e in events if e.table_name == "dispute_case")
        orm_event = session.scalars(
            sa.select(AuditEvent).where(AuditEvent.table_name == "dispute_case", AuditEvent.case_id == orm.id)
        ).one()
        assert set(case_event.changes) == set(orm_event.changes)
        assert case_event.changes["status"] == [None, "agreed"]
