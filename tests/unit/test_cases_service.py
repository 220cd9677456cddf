"""Cases through the services: register, mediate, conclude, follow up, confirm, close; audit and revisions."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from mediation_desk.domain.codes import (
    CaseSource,
    Gender,
    IdType,
    OutcomeKind,
    PartyRole,
    Performance,
    UserRole,
)
from mediation_desk.domain.errors import LifecycleError, NotFound, PermissionDenied, ValidationError
from mediation_desk.domain.identity import check_character
from mediation_desk.domain.intake import CaseInput, PartyInput, clean_case
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services import cases
from mediation_desk.services.desk import Actor, Changes, Desk
from mediation_desk.services.mediators import MediatorInput, add_mediator, list_mediators
from mediation_desk.store.models import AuditEvent, DeviceState, DisputeCase, Party, Revision

INTAKE = date(2026, 3, 2)


def synthetic_id(birth: str, seq: int, area: str = "331122") -> str:
    first17 = f"{area}{birth}{seq:03d}"
    return first17 + check_character(first17)


def neighbours(**overrides: object) -> CaseInput:
    data = CaseInput(
        intake_date=INTAKE,
        source=CaseSource.APPLICATION,
        category="02",
        parties=[
            PartyInput("王小明", PartyRole.APPLICANT, id_number=synthetic_id("19800101", 123), phone="138 0000 1234"),
            PartyInput("赵小红", PartyRole.RESPONDENT, gender=Gender.FEMALE),
        ],
        facts="两家因共用通道堆放杂物发生争执",
        requests="清理通道",
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def test_register_allocates_numbers_per_org_and_year(desk: Desk) -> None:
    first = cases.register_case(desk, neighbours()).value
    second = cases.register_case(desk, neighbours()).value
    other_year = cases.register_case(desk, neighbours(intake_date=date(2025, 12, 30))).value
    assert first.number == "(2026)缙五人调字第1号"
    assert second.number == "(2026)缙五人调字第2号"
    assert other_year.number == "(2025)缙五人调字第1号"
    assert first.status is CaseStatus.ACCEPTED


def test_register_fills_gender_and_birth_from_id_and_normalises_phone(desk: Desk) -> None:
    row = cases.register_case(desk, neighbours()).value
    detail = cases.get_case(desk, row.number)
    applicant = detail.parties[0]
    assert applicant.gender is Gender.MALE
    assert applicant.birth_date == date(1980, 1, 1)
    assert applicant.phone == "13800001234"
    assert detail.row.applicants == "王小明"
    assert detail.row.respondents == "赵小红"
    assert detail.persons == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"intake_date": date.today() + timedelta(days=1)}, "intake_date"),
        ({"category": "99"}, "category"),
        ({"parties": []}, "parties"),
        ({"amount_fen": -1}, "amount"),
    ],
)
def test_invalid_cases_write_nothing(desk: Desk, change: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        cases.register_case(desk, neighbours(**change))
    assert caught.value.field == field
    assert cases.count_cases(desk) == 0


def test_invalid_party_id_is_refused_with_field(desk: Desk) -> None:
    data = neighbours()
    data.parties[0].id_number = "110105194912310021"
    with pytest.raises(ValidationError) as caught:
        cases.register_case(desk, data)
    assert caught.value.field == "id_number"
    with desk.read() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Party)) == 0


def test_passport_numbers_are_not_checked_as_resident_ids(desk: Desk) -> None:
    data = neighbours()
    data.parties[0].id_type = IdType.PASSPORT
    data.parties[0].id_number = "E12345678"
    row = cases.register_case(desk, data).value
    assert cases.get_case(desk, row.id).parties[0].id_number == "E12345678"


def test_full_life_of_a_written_agreement(desk: Desk) -> None:
    mediator = add_mediator(desk, MediatorInput("钱调解", gender=Gender.FEMALE)).value
    row = cases.register_case(desk, neighbours(amount_fen=500_000)).value
    detail = cases.assign_mediators(desk, row.id, [mediator.id], on=INTAKE).value
    assert detail.row.status is CaseStatus.MEDIATING
    assert detail.mediators[0].name == "钱调解"
    held = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
    cases.record_investigation(
        desk, row.id, held_at=held, investigator="钱调解", interviewee="王小明", body="了解通道使用情况"
    )
    cases.record_session(desk, row.id, held_at=held + timedelta(days=1), body="双方陈述，达成一致", matter="通道")
    concluded = cases.conclude_case(desk, row.id, OutcomeKind.WRITTEN_AGREEMENT, on=date(2026, 3, 5)).value
    assert concluded.status is CaseStatus.AGREED
    assert concluded.outcome is OutcomeKind.WRITTEN_AGREEMENT
    cases.record_follow_up(
        desk,
        row.id,
        visited_on=date(2026, 3, 20),
        visited_party="王小明",
        performance=Performance.PERFORMED,
        visitor="钱调解",
        satisfaction="满意",
    )
    cases.record_judicial_confirmation(
        desk,
        row.id,
        applied_on=date(2026, 3, 10),
        court="缙云县人民法院",
        ruled_on=date(2026, 3, 12),
        granted=True,
        ruling_number="(2026)浙1122民特1号",
    )
    closed = cases.close_case(desk, row.id, on=date(2026, 3, 25)).value
    assert closed.status is CaseStatus.CLOSED
    assert closed.closing_date == date(2026, 3, 25)
    detail = cases.get_case(desk, row.number)
    assert [record.kind for record in detail.records] == [
        "investigation",
        "session",
        "judicial_confirmation",
        "follow_up",
    ]
    assert detail.outcome is not None
    assert detail.outcome.performance is Performance.PERFORMED
    with pytest.raises(LifecycleError, match="已结案"):
        cases.conclude_case(desk, row.id, OutcomeKind.FAILED, reason="x")


def test_termination_and_failure_need_a_reason(desk: Desk) -> None:
    row = cases.register_case(desk, neighbours()).value
    with pytest.raises(ValidationError, match="原因"):
        cases.conclude_case(desk, row.id, OutcomeKind.TERMINATED)
    terminated = cases.conclude_case(desk, row.id, OutcomeKind.TERMINATED, reason="申请人撤回", on=INTAKE).value
    assert terminated.status is CaseStatus.TERMINATED


def test_agreement_needs_mediation_to_have_started(desk: Desk) -> None:
    row = cases.register_case(desk, neighbours()).value
    with pytest.raises(LifecycleError):
        cases.conclude_case(desk, row.id, OutcomeKind.ORAL_AGREEMENT)


def test_refusal_at_intake(desk: Desk) -> None:
    row = cases.register_case(desk, neighbours(accept=False)).value
    assert row.status is CaseStatus.REGISTERED
    with pytest.raises(ValidationError, match="理由"):
        cases.refuse_case(desk, row.id, " ")
    refused = cases.refuse_case(desk, row.id, "已由人民法院受理", on=INTAKE).value
    assert refused.status is CaseStatus.REFUSED
    assert refused.outcome is OutcomeKind.REFUSED
    assert cases.get_case(desk, row.id).refusal_reason == "已由人民法院受理"


def test_follow_up_and_confirmation_rules(desk: Desk) -> None:
    row = cases.register_case(desk, neighbours()).value
    with pytest.raises(ValidationError, match="达成协议"):
        cases.record_follow_up(
            desk, row.id, visited_on=INTAKE, visited_party="王小明", performance=Performance.PERFORMED, visitor="钱调解"
        )
    cases.record_session(desk, row.id, held_at=datetime(2026, 3, 3, tzinfo=UTC), body="调解")
    cases.conclude_case(desk, row.id, OutcomeKind.ORAL_AGREEMENT, on=date(2026, 3, 3))
    with pytest.raises(ValidationError, match="书面"):
        cases.record_judicial_confirmation(desk, row.id, applied_on=date(2026, 3, 4), court="缙云县人民法院")

    other = cases.register_case(desk, neighbours()).value
    cases.record_session(desk, other.id, held_at=datetime(2026, 3, 3, tzinfo=UTC), body="调解")
    cases.conclude_case(desk, other.id, OutcomeKind.WRITTEN_AGREEMENT, on=date(2026, 3, 3))
    with pytest.raises(ValidationError, match="30 日内"):
        cases.record_judicial_confirmation(desk, other.id, applied_on=date(2026, 4, 3), court="缙云县人民法院")


def test_close_needs_an_office_role(data_dir: object, desk: Desk) -> None:
    row = cases.register_case(desk, neighbours()).value
    cases.conclude_case(desk, row.id, OutcomeKind.TERMINATED, reason="撤回", on=INTAKE)
    mediator_desk = Desk(desk.database, Actor("gui:mediator", UserRole.MEDIATOR))
    with pytest.raises(PermissionDenied, match="调解员"):
        cases.close_case(mediator_desk, row.id)
    with pytest.raises(PermissionDenied):
        add_mediator(mediator_desk, MediatorInput("某人"))
    # but a mediator registers and records cases
    assert cases.register_case(mediator_desk, neighbours()).value.status is CaseStatus.ACCEPTED


def test_unknown_case_is_not_found(desk: Desk) -> None:
    with pytest.raises(NotFound, match="找不到"):
        cases.get_case(desk, "(2026)缙五人调字第99号")
    with pytest.raises(NotFound):
        cases.get_case(desk, uuid.uuid4())


def test_list_filters(desk: Desk) -> None:
    cases.register_case(desk, neighbours())
    cases.register_case(desk, neighbours(category="01", facts="婚后财产分割", intake_date=date(2026, 1, 5)))
    assert len(cases.list_cases(desk)) == 2
    assert [r.category for r in cases.list_cases(desk, cases.CaseFilter(category="01"))] == ["01"]
    assert len(cases.list_cases(desk, cases.CaseFilter(text="赵小红"))) == 2
    assert len(cases.list_cases(desk, cases.CaseFilter(text="财产"))) == 1
    assert len(cases.list_cases(desk, cases.CaseFilter(text="第1号"))) == 1
    assert len(cases.list_cases(desk, cases.CaseFilter(date_from=date(2026, 2, 1)))) == 1
    assert cases.count_cases(desk, cases.CaseFilter(status=CaseStatus.CLOSED)) == 0
    page = cases.list_cases(desk, cases.CaseFilter(limit=1, offset=1))
    assert len(page) == 1
    assert page[0].intake_date == date(2026, 1, 5)  # newest first


def test_changes_are_reported_and_listeners_called(desk: Desk) -> None:
    seen: list[Changes] = []
    desk.subscribe(seen.append)
    result = cases.register_case(desk, neighbours())
    assert result.changes.touches("dispute_case")
    assert result.value.id in result.changes.case_ids
    assert seen == [result.changes]


def test_every_change_is_audited_and_stamped_with_a_revision(desk: Desk) -> None:
    row = cases.register_case(desk, neighbours()).value
    cases.conclude_case(desk, row.id, OutcomeKind.TERMINATED, reason="撤回", on=INTAKE)
    history = cases.case_history(desk, row.id)
    operations = [entry.operation for entry in history]
    assert operations.count("cases.register") == 3  # the case and two parties
    assert "cases.conclude" in operations
    update = next(e for e in history if e.action == "update" and e.table == "dispute_case")
    assert update.fields == ("status",)
    assert all(entry.actor == "test:" + entry.actor.split(":", 1)[1] for entry in history)
    with desk.read() as session:
        device = session.get(DeviceState, 1)
        assert device is not None
        stamped = session.execute(sa.select(DisputeCase.rev_device, DisputeCase.rev_seq)).one()
        assert stamped[0] == device.device_id
        assert stamped[1] is not None
        assert stamped[1] <= device.last_seq
        seqs = [s for (s,) in session.execute(sa.select(Party.rev_seq))]
        assert len(set(seqs)) == len(seqs)  # never reused
        # the revision log holds the full rows with the data (not in any log file); the audit row says who
        party = session.scalars(sa.select(Revision).where(Revision.table_name == "party")).first()
        assert party is not None
        assert json.loads(party.data)["name"] in ("王小明", "赵小红")
        change = session.get(AuditEvent, party.change_id)
        assert change is not None
        assert change.operation == "cases.register"


def test_failed_transaction_leaves_nothing_behind(desk: Desk) -> None:
    def body(work: object) -> None:
        from mediation_desk.services.desk import UnitOfWork

        assert isinstance(work, UnitOfWork)
        org = desk.own_org(work.session)
        cases.add_case(work.session, org, clean_case(neighbours()))
        work.session.flush()
        raise RuntimeError("power cut")

    from mediation_desk.domain.permissions import Permission

    with pytest.raises(RuntimeError):
        desk.run("test.crash", Permission.EDIT_CASE, body)
    with desk.read() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(DisputeCase)) == 0
        assert (
            session.scalar(
                sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.operation == "test.crash")
            )
            == 0
        )


def test_mediator_roster(desk: Desk) -> None:
    add_mediator(desk, MediatorInput("孙主任", gender=Gender.MALE, phone="13900001111"))
    with pytest.raises(ValidationError):
        add_mediator(desk, MediatorInput(" "))
    with pytest.raises(ValidationError):
        add_mediator(desk, MediatorInput("某人", phone="123"))
    roster = list_mediators(desk)
    assert [m.name for m in roster] == ["孙主任"]
    assert roster[0].active


def test_children_added_before_their_case_in_one_flush_are_inserted_after_it(desk: Desk) -> None:
    """Sync merges and bulk loaders add records in any order; foreign keys must never trip over it."""
    from mediation_desk.domain.permissions import Permission
    from mediation_desk.services.desk import UnitOfWork
    from mediation_desk.store.models import Outcome, SessionRecord

    def body(work: UnitOfWork) -> uuid.UUID:
        org = desk.own_org(work.session)
        case_id = uuid.uuid4()
        work.session.add(
            SessionRecord(
                id=uuid.uuid4(), case_id=case_id, held_at=datetime(2026, 3, 3, tzinfo=UTC), body="先到的调解记录"
            )
        )
        work.session.add(Outcome(id=uuid.uuid4(), case_id=case_id, kind=OutcomeKind.ORAL_AGREEMENT, decided_on=INTAKE))
        work.session.add(
            DisputeCase(
                id=case_id,
                org_id=org.id,
                intake_date=INTAKE,
                source=CaseSource.APPLICATION,
                category="02",
                status=CaseStatus.AGREED,
            )
        )
        return case_id

    case_id = desk.run("test.order", Permission.EDIT_CASE, body).value
    assert cases.get_case(desk, case_id).records[0].body == "先到的调解记录"


def test_pairings_and_assessments(desk: Desk) -> None:
    from mediation_desk.services.mediators import assess_mediator, pair_mediator
    from mediation_desk.store.models import MediatorAssessment, MediatorPairing

    mediator = add_mediator(desk, MediatorInput("冯指导", gender=Gender.FEMALE, legal_instructor=True)).value
    pair_mediator(desk, mediator.id, "331122001001", start=date(2025, 1, 1))
    with pytest.raises(ValidationError):
        pair_mediator(desk, mediator.id, "331122001001", start=date(2025, 2, 1), end=date(2025, 1, 1))
    with pytest.raises(NotFound):
        pair_mediator(desk, uuid.uuid4(), "331122001001")
    first = assess_mediator(desk, mediator.id, 2025, "合格").value
    again = assess_mediator(desk, mediator.id, 2025, "优秀", "年度表彰").value
    assert first == again  # one assessment a year, corrected in place
    with pytest.raises(ValidationError):
        assess_mediator(desk, mediator.id, 1999, "合格")
    with desk.read() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(MediatorPairing)) == 1
        assessment = session.scalars(sa.select(MediatorAssessment)).one()
        assert (assessment.grade, assessment.notes) == ("优秀", "年度表彰")
