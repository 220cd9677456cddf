"""Work on a case under mediation: mediators, investigation and session records, follow-up visits, judicial
confirmation."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from mediation_desk.domain.codes import CaseMediatorRole, OutcomeKind, Performance
from mediation_desk.domain.dates import check_not_future
from mediation_desk.domain.errors import NotFound, ValidationError
from mediation_desk.domain.lifecycle import CaseAction, CaseStatus, transition
from mediation_desk.domain.permissions import Permission
from mediation_desk.domain.text import clean_block, clean_line
from mediation_desk.services.cases.intake import load_case
from mediation_desk.services.cases.views import CaseDetail, case_detail
from mediation_desk.services.desk import Desk, Result, UnitOfWork
from mediation_desk.store.models import (
    CaseMediator,
    DisputeCase,
    FollowUp,
    InvestigationRecord,
    JudicialConfirmation,
    Mediator,
    SessionRecord,
)
from mediation_desk.store.queries import cases as case_queries

CONFIRMATION_WINDOW_DAYS = 30


def _start_mediation(case: DisputeCase) -> None:
    case.status = transition(case.status, CaseAction.START)


def _now() -> datetime:
    return datetime.now(UTC)


def assign_mediators(
    desk: Desk,
    key: str | uuid.UUID,
    mediator_ids: Sequence[uuid.UUID],
    *,
    on: date | None = None,
    chosen_by_parties: bool = False,
) -> Result[CaseDetail]:
    """Designate mediators (Art. 19); the first presides. Starts mediation if the case was only accepted."""
    if not mediator_ids:
        raise ValidationError("请至少选择一名调解员", field="mediators")
    day = on or date.today()

    def body(work: UnitOfWork) -> CaseDetail:
        case = load_case(work.session, key)
        if case.status not in (CaseStatus.ACCEPTED, CaseStatus.MEDIATING):
            raise ValidationError(f"案件状态为“{case.status.label}”，不能再指派调解员")
        present = case_queries.mediator_ids_of(work.session, case.id)
        for index, mediator_id in enumerate(mediator_ids):
            mediator = work.session.get(Mediator, mediator_id)
            if mediator is None:
                raise NotFound("找不到所选调解员")
            if mediator_id in present:
                continue
            role = CaseMediatorRole.PRESIDING if index == 0 and not present else CaseMediatorRole.ASSISTING
            work.session.add(
                CaseMediator(
                    case_id=case.id,
                    mediator_id=mediator_id,
                    role=role,
                    assigned_on=day,
                    chosen_by_parties=chosen_by_parties,
                )
            )
        if case.status is CaseStatus.ACCEPTED:
            _start_mediation(case)
        work.changed("dispute_case", "case_mediator", case_id=case.id)
        work.session.flush()
        return case_detail(work.session, case)

    return desk.run("cases.assign", Permission.EDIT_CASE, body)


def _check_held_at(held_at: datetime, what: str) -> None:
    """A record's time is an aware datetime, not later than now (a few minutes of clock drift allowed)."""
    if held_at.tzinfo is None:
        raise ValidationError(f"{what}缺少时区", field="held_at")
    if held_at > _now() + timedelta(minutes=5):
        raise ValidationError(f"{what}不能晚于现在", field="held_at")


def _require_mediating(case: DisputeCase) -> None:
    if case.status is CaseStatus.ACCEPTED:
        _start_mediation(case)
    elif case.status is not CaseStatus.MEDIATING:
        raise ValidationError(f"案件状态为“{case.status.label}”，不能再添加调查或调解记录")


def record_investigation(
    desk: Desk,
    key: str | uuid.UUID,
    *,
    held_at: datetime,
    investigator: str,
    interviewee: str,
    body: str,
    place: str = "",
    recorder: str = "",
) -> Result[uuid.UUID]:
    _check_held_at(held_at, "调查时间")
    investigator = clean_line(investigator, label="调查人", field="investigator")
    interviewee = clean_line(interviewee, label="被调查人", field="interviewee")
    place = clean_line(place, label="调查地点", field="place")
    recorder = clean_line(recorder, label="记录人", field="recorder")
    body = clean_block(body, label="调查内容", field="body")
    if not body.strip() or not investigator or not interviewee:
        raise ValidationError("调查记录须写明调查人、被调查人和调查内容")

    def run(work: UnitOfWork) -> uuid.UUID:
        case = load_case(work.session, key)
        _require_mediating(case)
        record = InvestigationRecord(
            id=uuid.uuid4(),
            case_id=case.id,
            held_at=held_at,
            place=place,
            investigator=investigator,
            interviewee=interviewee,
            recorder=recorder,
            body=body,
        )
        work.session.add(record)
        work.changed("investigation_record", case_id=case.id)
        return record.id

    return desk.run("cases.investigation", Permission.EDIT_CASE, run)


def record_session(
    desk: Desk,
    key: str | uuid.UUID,
    *,
    held_at: datetime,
    body: str,
    place: str = "",
    matter: str = "",
    participants: str = "",
    result: str = "",
    recorder: str = "",
) -> Result[uuid.UUID]:
    _check_held_at(held_at, "调解时间")
    place = clean_line(place, label="调解地点", field="place")
    matter = clean_block(matter, label="调解事项", field="matter")
    participants = clean_line(participants, label="参加人", field="participants")
    body = clean_block(body, label="调解记录内容", field="body")
    result = clean_block(result, label="调解结果", field="result")
    recorder = clean_line(recorder, label="记录人", field="recorder")
    if not body.strip():
        raise ValidationError("调解记录内容不能为空", field="body")

    def run(work: UnitOfWork) -> uuid.UUID:
        case = load_case(work.session, key)
        _require_mediating(case)
        record = SessionRecord(
            id=uuid.uuid4(),
            case_id=case.id,
            held_at=held_at,
            place=place,
            matter=matter,
            participants=participants,
            body=body,
            result=result,
            recorder=recorder,
        )
        work.session.add(record)
        work.changed("session_record", "dispute_case", case_id=case.id)
        return record.id

    return desk.run("cases.session", Permission.EDIT_CASE, run)


def record_follow_up(
    desk: Desk,
    key: str | uuid.UUID,
    *,
    visited_on: date,
    visited_party: str,
    performance: Performance,
    visitor: str,
    satisfaction: str = "",
    lawsuit: bool = False,
    risks: str = "",
    measures: str = "",
) -> Result[uuid.UUID]:
    """回访 (Art. 31): only for a case that reached an agreement; updates the outcome's performance."""
    check_not_future(visited_on, field="visited_on", what="回访日期")
    visited_party = clean_line(visited_party, label="回访对象", field="visited_party")
    visitor = clean_line(visitor, label="回访人", field="visitor")
    satisfaction = clean_line(satisfaction, label="满意度", field="satisfaction")
    risks = clean_block(risks, label="风险情况", field="risks")
    measures = clean_block(measures, label="处置措施", field="measures")
    if not visited_party or not visitor:
        raise ValidationError("回访记录须写明回访对象和回访人")

    def run(work: UnitOfWork) -> uuid.UUID:
        case = load_case(work.session, key)
        outcome = case_queries.outcome_of(work.session, case.id)
        if outcome is None or not outcome.kind.successful:
            raise ValidationError("只有达成协议的案件才需要回访")
        if visited_on < outcome.decided_on:
            raise ValidationError("回访日期不能早于达成协议的日期", field="visited_on")
        record = FollowUp(
            id=uuid.uuid4(),
            case_id=case.id,
            visited_on=visited_on,
            visited_party=visited_party,
            performance=performance,
            visitor=visitor,
            satisfaction=satisfaction,
            lawsuit=lawsuit,
            risks=risks,
            measures=measures,
        )
        work.session.add(record)
        outcome.performance = performance
        work.changed("follow_up", "outcome", case_id=case.id)
        return record.id

    return desk.run("cases.follow_up", Permission.EDIT_CASE, run)


def record_judicial_confirmation(
    desk: Desk,
    key: str | uuid.UUID,
    *,
    applied_on: date,
    court: str,
    ruled_on: date | None = None,
    granted: bool | None = None,
    ruling_number: str = "",
) -> Result[uuid.UUID]:
    """司法确认 (Art. 33): a written agreement, applied for within 30 days of its effective date."""
    check_not_future(applied_on, field="applied_on", what="申请日期")
    court = clean_line(court, label="人民法院", field="court")
    ruling_number = clean_line(ruling_number, label="裁定书编号", field="ruling_number")
    if not court:
        raise ValidationError("请填写受理司法确认的人民法院", field="court")
    if ruled_on is not None and ruled_on < applied_on:
        raise ValidationError("裁定日期不能早于申请日期", field="ruled_on")

    def run(work: UnitOfWork) -> uuid.UUID:
        case = load_case(work.session, key)
        outcome = case_queries.outcome_of(work.session, case.id)
        if outcome is None or outcome.kind is not OutcomeKind.WRITTEN_AGREEMENT:
            raise ValidationError("只有书面调解协议才能申请司法确认")
        deadline = outcome.decided_on + timedelta(days=CONFIRMATION_WINDOW_DAYS)
        if not outcome.decided_on <= applied_on <= deadline:
            raise ValidationError(
                f"司法确认应在协议生效之日起 30 日内申请（{outcome.decided_on.isoformat()} 至 {deadline.isoformat()}）",
                field="applied_on",
            )
        record = JudicialConfirmation(
            id=uuid.uuid4(),
            case_id=case.id,
            applied_on=applied_on,
            court=court,
            ruled_on=ruled_on,
            granted=granted,
            ruling_number=ruling_number,
        )
        work.session.add(record)
        work.changed("judicial_confirmation", case_id=case.id)
        return record.id

    return desk.run("cases.judicial_confirmation", Permission.EDIT_CASE, run)
