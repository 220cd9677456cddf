"""Cases: register with parties, assign mediators, record investigations and sessions, conclude, follow up,
judicial confirmation, close; list and show. Every change goes through ``Desk.write`` (role check, audit trail)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain.codes import (
    CaseMediatorRole,
    CaseSource,
    Gender,
    IdType,
    OutcomeKind,
    PartyKind,
    PartyRole,
    Performance,
    RiskFlag,
    all_categories,
)
from mediation_desk.domain.dates import check_not_future, check_order
from mediation_desk.domain.errors import NotFound, ValidationError
from mediation_desk.domain.intake import CaseInput, PartyInput, clean_case
from mediation_desk.domain.lifecycle import OUTCOME_ACTIONS, CaseAction, CaseStatus, transition
from mediation_desk.domain.numbering import DEFAULT_PREFIX, format_case_number, next_seq, parse_case_number
from mediation_desk.domain.permissions import Permission
from mediation_desk.services.desk import Desk, Result, UnitOfWork
from mediation_desk.services.orgs import find_org, subtree_ids
from mediation_desk.store.models import (
    AuditEvent,
    CaseMediator,
    DisputeCase,
    FollowUp,
    InvestigationRecord,
    JudicialConfirmation,
    Mediator,
    OrgUnit,
    Outcome,
    Party,
    SessionRecord,
)

CONFIRMATION_WINDOW_DAYS = 30

# ---------------------------------------------------------------------------------------------------------------
# Plain data in and out


@dataclass(frozen=True, slots=True)
class CaseRow:
    id: uuid.UUID
    number: str
    intake_date: date
    org_code: str
    org_name: str
    category: str
    category_name: str
    source: CaseSource
    status: CaseStatus
    outcome: OutcomeKind | None
    applicants: str
    respondents: str
    amount_fen: int
    closing_date: date | None


@dataclass(frozen=True, slots=True)
class PartyInfo:
    id: uuid.UUID
    role: PartyRole
    kind: PartyKind
    name: str
    gender: Gender | None
    ethnicity: str
    birth_date: date | None
    id_type: IdType
    id_number: str
    phone: str
    address: str
    occupation: str
    employer: str
    agent_name: str


@dataclass(frozen=True, slots=True)
class AssignedMediator:
    mediator_id: uuid.UUID
    name: str
    role: CaseMediatorRole
    assigned_on: date
    recused: bool


@dataclass(frozen=True, slots=True)
class RecordInfo:
    """An investigation or session record, or a follow-up visit, as shown under a case."""

    id: uuid.UUID
    kind: str  # "investigation", "session", "follow_up", "judicial_confirmation"
    when: datetime | date
    summary: str
    body: str


@dataclass(frozen=True, slots=True)
class OutcomeInfo:
    kind: OutcomeKind
    decided_on: date
    reason: str
    performance: Performance | None


@dataclass(frozen=True, slots=True)
class CaseDetail:
    row: CaseRow
    facts: str
    requests: str
    title: str
    place: str
    referral_body: str
    subtype: str | None
    persons: int
    group_dispute: bool
    risk_flags: tuple[RiskFlag, ...]
    recorder: str
    refusal_reason: str
    notes: str
    parties: tuple[PartyInfo, ...]
    mediators: tuple[AssignedMediator, ...]
    records: tuple[RecordInfo, ...]
    outcome: OutcomeInfo | None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: datetime
    actor: str
    action: str
    table: str
    operation: str
    fields: tuple[str, ...]


class CaseSort(StrEnum):
    """What a case list is ordered by (the GUI's sortable columns)."""

    INTAKE_DATE = "intake_date"
    NUMBER = "number"
    ORG = "org"
    CATEGORY = "category"
    APPLICANTS = "applicants"
    RESPONDENTS = "respondents"
    STATUS = "status"
    OUTCOME = "outcome"


@dataclass(slots=True)
class CaseFilter:
    org_code: str | None = None  # the organisation and its subtree
    status: CaseStatus | None = None
    category: str | None = None
    text: str = ""
    date_from: date | None = None
    date_to: date | None = None
    limit: int | None = None
    offset: int = 0
    sort: CaseSort = CaseSort.INTAKE_DATE
    descending: bool = True  # newest first by default


# ---------------------------------------------------------------------------------------------------------------
# Helpers inside a unit of work


def allocate_number(session: Session, org: OrgUnit, year: int) -> tuple[str, int]:
    used = session.scalars(
        sa.select(DisputeCase.number_seq).where(
            DisputeCase.org_id == org.id, DisputeCase.number_year == year, DisputeCase.number_seq.is_not(None)
        )
    ).all()
    seq = next_seq({value for value in used if value is not None})
    return format_case_number(year, org.case_prefix or DEFAULT_PREFIX, seq), seq


def _party_values(case_id: uuid.UUID, position: int, party: PartyInput) -> dict[str, object]:
    return {
        "id": uuid.uuid4(),
        "case_id": case_id,
        "position": position,
        "role": party.role,
        "kind": party.kind,
        "name": party.name,
        "gender": party.gender,
        "ethnicity": party.ethnicity,
        "birth_date": party.birth_date,
        "id_type": party.id_type,
        "id_number": party.id_number,
        "phone": party.phone,
        "address": party.address,
        "occupation": party.occupation,
        "employer": party.employer,
        "representative": party.representative,
        "agent_name": party.agent_name,
        "agent_phone": party.agent_phone,
    }


def case_values(
    session: Session, org: OrgUnit, data: CaseInput, *, ledger_key: str | None = None, number_checked: bool = False
) -> tuple[dict[str, object], list[dict[str, object]]]:
    """The columns of a validated case and of its parties, ready to insert (ORM or bulk).

    ``number_checked``: the caller has already made sure a given case number is free in the organisation (a
    ledger import checks all its rows against one query instead of one query per row).
    """
    category = all_categories()[data.category]
    if data.number:
        number = data.number.strip()
        parsed = parse_case_number(number)
        year, seq = (parsed.year, parsed.seq) if parsed else (None, None)
        clash = None
        if not number_checked:
            clash = session.scalar(
                sa.select(DisputeCase.id).where(DisputeCase.org_id == org.id, DisputeCase.number == number)
            )
        if clash is not None:
            raise ValidationError(f"案号“{number}”在本组织已被使用", field="number")
    else:
        year = data.intake_date.year
        number, seq = allocate_number(session, org, year)
    status = CaseStatus.REGISTERED
    if data.accept:
        status = transition(status, CaseAction.ACCEPT)
    case_id = uuid.uuid4()
    case = {
        "id": case_id,
        "org_id": org.id,
        "number": number,
        "number_year": year,
        "number_seq": seq,
        "intake_date": data.intake_date,
        "source": data.source,
        "referral_body": data.referral_body,
        "category": category.top,
        "subtype": category.code if category.parent else None,
        "title": data.title,
        "facts": data.facts,
        "requests": data.requests,
        "place": data.place,
        "amount_fen": data.amount_fen,
        "persons": data.persons,
        "group_dispute": data.group_dispute,
        "risk_flags": [flag.value for flag in data.risk_flags],
        "status": status,
        "recorder": data.recorder,
        "notes": data.notes,
        "ledger_key": ledger_key,
    }
    return case, [_party_values(case_id, index, party) for index, party in enumerate(data.parties)]


def add_case(
    session: Session, org: OrgUnit, data: CaseInput, *, ledger_key: str | None = None, number_checked: bool = False
) -> DisputeCase:
    """Insert a validated case and its parties through the ORM (no commit)."""
    values, parties = case_values(session, org, data, ledger_key=ledger_key, number_checked=number_checked)
    case = DisputeCase(**values)
    session.add(case)
    session.add_all(Party(**party) for party in parties)
    return case


def load_case(session: Session, key: str | uuid.UUID) -> DisputeCase:
    """A case by id or by its number (unique per organisation; ambiguous numbers need the id)."""
    if isinstance(key, uuid.UUID):
        case = session.get(DisputeCase, key)
        if case is None:
            raise NotFound("找不到该案件")
        return case
    text = key.strip()
    matches = session.scalars(sa.select(DisputeCase).where(DisputeCase.number == text)).all()
    if not matches:
        parsed = parse_case_number(text)
        if parsed:
            matches = session.scalars(
                sa.select(DisputeCase).where(
                    DisputeCase.number_year == parsed.year,
                    DisputeCase.number_seq == parsed.seq,
                    DisputeCase.number.contains(parsed.prefix),
                )
            ).all()
    if not matches:
        try:
            return load_case(session, uuid.UUID(text))
        except ValueError:
            pass
        raise NotFound(f"找不到案号为“{text}”的案件")
    if len(matches) > 1:
        raise ValidationError(f"案号“{text}”在多个组织中存在，请指定组织")
    return matches[0]


def _step(case: DisputeCase, action: CaseAction) -> None:
    case.status = transition(case.status, action)


def _now() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------------------------------------------------------
# Use cases


def register_case(desk: Desk, data: CaseInput, *, org_code: str | None = None) -> Result[CaseRow]:
    clean_case(data)

    def body(work: UnitOfWork) -> CaseRow:
        org = find_org(work.session, org_code) if org_code else desk.own_org(work.session)
        case = add_case(work.session, org, data)
        work.session.flush()
        work.changed("dispute_case", "party", case_id=case.id)
        return _rows(work.session, [case])[0]

    return desk.run("cases.register", Permission.EDIT_CASE, body)


def _case_action(
    desk: Desk,
    key: str | uuid.UUID,
    operation: str,
    permission: Permission,
    action: CaseAction,
    extra: object = None,
) -> Result[CaseRow]:
    def body(work: UnitOfWork) -> CaseRow:
        case = load_case(work.session, key)
        _step(case, action)
        if callable(extra):
            extra(work.session, case)
        work.changed("dispute_case", case_id=case.id)
        work.session.flush()
        return _rows(work.session, [case])[0]

    return desk.run(operation, permission, body)


def accept_case(desk: Desk, key: str | uuid.UUID) -> Result[CaseRow]:
    return _case_action(desk, key, "cases.accept", Permission.EDIT_CASE, CaseAction.ACCEPT)


def refuse_case(desk: Desk, key: str | uuid.UUID, reason: str, on: date | None = None) -> Result[CaseRow]:
    """不予受理 with the reason on record (a party refuses, another authority's matter, already accepted elsewhere)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("不予受理必须写明理由", field="reason")
    day = check_not_future(on or date.today(), what="日期")

    def extra(session: Session, case: DisputeCase) -> None:
        case.refusal_reason = reason
        session.add(Outcome(case_id=case.id, kind=OutcomeKind.REFUSED, decided_on=day, reason=reason))

    return _case_action(desk, key, "cases.refuse", Permission.EDIT_CASE, CaseAction.REFUSE, extra)


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
        present = set(work.session.scalars(sa.select(CaseMediator.mediator_id).where(CaseMediator.case_id == case.id)))
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
            _step(case, CaseAction.START)
        work.changed("dispute_case", "case_mediator", case_id=case.id)
        work.session.flush()
        return _detail(work.session, case)

    return desk.run("cases.assign", Permission.EDIT_CASE, body)


def _check_held_at(held_at: datetime, what: str) -> None:
    """A record's time is an aware datetime, not later than now (a few minutes of clock drift allowed)."""
    if held_at.tzinfo is None:
        raise ValidationError(f"{what}缺少时区", field="held_at")
    if held_at > _now() + timedelta(minutes=5):
        raise ValidationError(f"{what}不能晚于现在", field="held_at")


def _require_mediating(case: DisputeCase) -> None:
    if case.status is CaseStatus.ACCEPTED:
        _step(case, CaseAction.START)
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
    if not body.strip() or not investigator.strip() or not interviewee.strip():
        raise ValidationError("调查记录须写明调查人、被调查人和调查内容")

    def run(work: UnitOfWork) -> uuid.UUID:
        case = load_case(work.session, key)
        _require_mediating(case)
        record = InvestigationRecord(
            id=uuid.uuid4(),
            case_id=case.id,
            held_at=held_at,
            place=place,
            investigator=investigator.strip(),
            interviewee=interviewee.strip(),
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


def conclude_case(
    desk: Desk,
    key: str | uuid.UUID,
    kind: OutcomeKind,
    *,
    on: date | None = None,
    reason: str = "",
    amount_fen: int | None = None,
) -> Result[CaseRow]:
    """End mediation: agreement (written or oral), failure, or termination with its reason (Art. 23, 26, 28, 29)."""
    if kind is OutcomeKind.REFUSED:
        raise ValidationError("不予受理请使用“不予受理”操作")
    if kind in (OutcomeKind.TERMINATED, OutcomeKind.FAILED) and not reason.strip():
        raise ValidationError("终止调解或调解不成须写明原因", field="reason")
    day = check_not_future(on or date.today(), what="日期")

    def extra(session: Session, case: DisputeCase) -> None:
        check_order(case.intake_date, day)
        session.add(Outcome(case_id=case.id, kind=kind, decided_on=day, reason=reason.strip()))
        if amount_fen is not None:
            if amount_fen < 0:
                raise ValidationError("金额不能为负数", field="amount")
            case.amount_fen = amount_fen

    return _case_action(desk, key, "cases.conclude", Permission.EDIT_CASE, OUTCOME_ACTIONS[kind], extra)


def _outcome(session: Session, case: DisputeCase) -> Outcome | None:
    return session.scalar(sa.select(Outcome).where(Outcome.case_id == case.id))


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
    if not visited_party.strip() or not visitor.strip():
        raise ValidationError("回访记录须写明回访对象和回访人")

    def run(work: UnitOfWork) -> uuid.UUID:
        case = load_case(work.session, key)
        outcome = _outcome(work.session, case)
        if outcome is None or not outcome.kind.successful:
            raise ValidationError("只有达成协议的案件才需要回访")
        if visited_on < outcome.decided_on:
            raise ValidationError("回访日期不能早于达成协议的日期", field="visited_on")
        record = FollowUp(
            id=uuid.uuid4(),
            case_id=case.id,
            visited_on=visited_on,
            visited_party=visited_party.strip(),
            performance=performance,
            visitor=visitor.strip(),
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
    if not court.strip():
        raise ValidationError("请填写受理司法确认的人民法院", field="court")
    if ruled_on is not None and ruled_on < applied_on:
        raise ValidationError("裁定日期不能早于申请日期", field="ruled_on")

    def run(work: UnitOfWork) -> uuid.UUID:
        case = load_case(work.session, key)
        outcome = _outcome(work.session, case)
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
            court=court.strip(),
            ruled_on=ruled_on,
            granted=granted,
            ruling_number=ruling_number.strip(),
        )
        work.session.add(record)
        work.changed("judicial_confirmation", case_id=case.id)
        return record.id

    return desk.run("cases.judicial_confirmation", Permission.EDIT_CASE, run)


def close_case(desk: Desk, key: str | uuid.UUID, on: date | None = None) -> Result[CaseRow]:
    """结案: file a concluded case."""
    day = check_not_future(on or date.today(), what="结案日期")

    def extra(_session: Session, case: DisputeCase) -> None:
        check_order(case.intake_date, day)
        case.closing_date = day

    return _case_action(desk, key, "cases.close", Permission.CLOSE_CASE, CaseAction.CLOSE, extra)


# ---------------------------------------------------------------------------------------------------------------
# Queries


def _filtered(session: Session, desk: Desk, flt: CaseFilter) -> sa.Select[DisputeCase]:
    query = sa.select(DisputeCase)
    root = find_org(session, flt.org_code) if flt.org_code else None
    if root is None:
        try:
            root = desk.own_org(session)
        except Exception:  # a desk not yet set up lists everything it holds
            root = None
    if root is not None:
        query = query.where(DisputeCase.org_id.in_(subtree_ids(session, root.id)))
    if flt.status is not None:
        query = query.where(DisputeCase.status == flt.status)
    if flt.category:
        query = query.where(DisputeCase.category == flt.category)
    if flt.date_from:
        query = query.where(DisputeCase.intake_date >= flt.date_from)
    if flt.date_to:
        query = query.where(DisputeCase.intake_date <= flt.date_to)
    text = flt.text.strip()
    if text:
        pattern = f"%{text}%"
        party_match = sa.select(Party.case_id).where(Party.name.like(pattern))
        query = query.where(
            sa.or_(
                DisputeCase.number.like(pattern),
                DisputeCase.facts.like(pattern),
                DisputeCase.title.like(pattern),
                DisputeCase.id.in_(party_match),
            )
        )
    return query


def _first_party(role: PartyRole) -> sa.ScalarSelect[str]:
    return (
        sa.select(Party.name)
        .where(Party.case_id == DisputeCase.id, Party.role == role)
        .order_by(Party.position)
        .limit(1)
        .scalar_subquery()
    )


def _ordering(flt: CaseFilter) -> list[Any]:
    """ORDER BY for a list: the chosen key, then newest first, then the id so that pages never overlap."""
    keys: dict[CaseSort, list[Any]] = {
        CaseSort.INTAKE_DATE: [DisputeCase.intake_date, DisputeCase.number_seq],
        CaseSort.NUMBER: [DisputeCase.number_year, DisputeCase.number_seq, DisputeCase.number],
        CaseSort.ORG: [sa.select(OrgUnit.code).where(OrgUnit.id == DisputeCase.org_id).scalar_subquery()],
        CaseSort.CATEGORY: [DisputeCase.category, DisputeCase.subtype],
        CaseSort.APPLICANTS: [_first_party(PartyRole.APPLICANT)],
        CaseSort.RESPONDENTS: [_first_party(PartyRole.RESPONDENT)],
        CaseSort.STATUS: [DisputeCase.status],
        CaseSort.OUTCOME: [sa.select(Outcome.kind).where(Outcome.case_id == DisputeCase.id).scalar_subquery()],
    }
    chosen = [key.desc() if flt.descending else key.asc() for key in keys[flt.sort]]
    tail = [DisputeCase.intake_date.desc(), DisputeCase.number_seq.desc(), DisputeCase.number, DisputeCase.id]
    return [*chosen, *tail]


def list_cases(desk: Desk, flt: CaseFilter | None = None) -> list[CaseRow]:
    """Cases in the filter's order (by default newest first: intake date, then number)."""
    flt = flt or CaseFilter()
    with desk.read() as session:
        query = _filtered(session, desk, flt).order_by(*_ordering(flt))
        if flt.limit is not None:
            query = query.limit(flt.limit)
        if flt.offset:
            query = query.offset(flt.offset)
        return _rows(session, list(session.scalars(query)))


def count_cases(desk: Desk, flt: CaseFilter | None = None) -> int:
    flt = flt or CaseFilter()
    with desk.read() as session:
        subquery = _filtered(session, desk, flt).with_only_columns(DisputeCase.id).subquery()
        return int(session.scalar(sa.select(sa.func.count()).select_from(subquery)) or 0)


def _rows(session: Session, cases: list[DisputeCase]) -> list[CaseRow]:
    if not cases:
        return []
    ids = [case.id for case in cases]
    orgs = {org.id: org for org in session.scalars(sa.select(OrgUnit).where(OrgUnit.id.in_({c.org_id for c in cases})))}
    names: dict[tuple[uuid.UUID, PartyRole], list[str]] = {}
    outcomes: dict[uuid.UUID, OutcomeKind] = {}
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        for case_id, role, name in session.execute(
            sa.select(Party.case_id, Party.role, Party.name).where(Party.case_id.in_(chunk)).order_by(Party.position)
        ):
            names.setdefault((case_id, role), []).append(name)
        for case_id, kind in session.execute(
            sa.select(Outcome.case_id, Outcome.kind).where(Outcome.case_id.in_(chunk))
        ):
            outcomes[case_id] = kind
    table = all_categories()
    return [
        CaseRow(
            id=case.id,
            number=case.number or "",
            intake_date=case.intake_date,
            org_code=orgs[case.org_id].code,
            org_name=orgs[case.org_id].name,
            category=case.subtype or case.category,
            category_name=table[case.subtype or case.category].name
            if (case.subtype or case.category) in table
            else case.category,
            source=case.source,
            status=case.status,
            outcome=outcomes.get(case.id),
            applicants="、".join(names.get((case.id, PartyRole.APPLICANT), [])),
            respondents="、".join(names.get((case.id, PartyRole.RESPONDENT), [])),
            amount_fen=case.amount_fen,
            closing_date=case.closing_date,
        )
        for case in cases
    ]


def _detail(session: Session, case: DisputeCase) -> CaseDetail:
    row = _rows(session, [case])[0]
    parties = session.scalars(sa.select(Party).where(Party.case_id == case.id).order_by(Party.position)).all()
    assigned = session.execute(
        sa.select(CaseMediator, Mediator.name)
        .join(Mediator, CaseMediator.mediator_id == Mediator.id)
        .where(CaseMediator.case_id == case.id)
        .order_by(CaseMediator.assigned_on, Mediator.name)
    ).all()
    records: list[RecordInfo] = []
    for inv in session.scalars(sa.select(InvestigationRecord).where(InvestigationRecord.case_id == case.id)):
        records.append(RecordInfo(inv.id, "investigation", inv.held_at, f"调查 {inv.interviewee}", inv.body))
    for ses in session.scalars(sa.select(SessionRecord).where(SessionRecord.case_id == case.id)):
        records.append(RecordInfo(ses.id, "session", ses.held_at, ses.matter or "调解", ses.body))
    for fol in session.scalars(sa.select(FollowUp).where(FollowUp.case_id == case.id)):
        records.append(
            RecordInfo(
                fol.id,
                "follow_up",
                fol.visited_on,
                f"回访 {fol.visited_party}：{fol.performance.label}",
                fol.measures or fol.risks,
            )
        )
    for jud in session.scalars(sa.select(JudicialConfirmation).where(JudicialConfirmation.case_id == case.id)):
        result = "待裁定" if jud.granted is None else ("确认有效" if jud.granted else "驳回申请")
        records.append(
            RecordInfo(
                jud.id,
                "judicial_confirmation",
                jud.applied_on,
                f"司法确认 {jud.court}：{result}",
                jud.ruling_number,
            )
        )
    records.sort(key=lambda record: _sort_key(record.when))
    outcome = _outcome(session, case)
    return CaseDetail(
        row=row,
        facts=case.facts,
        requests=case.requests,
        title=case.title,
        place=case.place,
        referral_body=case.referral_body,
        subtype=case.subtype,
        persons=case.persons,
        group_dispute=case.group_dispute,
        risk_flags=tuple(RiskFlag(flag) for flag in case.risk_flags),
        recorder=case.recorder,
        refusal_reason=case.refusal_reason,
        notes=case.notes,
        parties=tuple(
            PartyInfo(
                p.id,
                p.role,
                p.kind,
                p.name,
                p.gender,
                p.ethnicity,
                p.birth_date,
                p.id_type,
                p.id_number,
                p.phone,
                p.address,
                p.occupation,
                p.employer,
                p.agent_name,
            )
            for p in parties
        ),
        mediators=tuple(
            AssignedMediator(link.mediator_id, name, link.role, link.assigned_on, link.recused)
            for link, name in assigned
        ),
        records=tuple(records),
        outcome=OutcomeInfo(outcome.kind, outcome.decided_on, outcome.reason, outcome.performance) if outcome else None,
    )


def _sort_key(when: datetime | date) -> datetime:
    if isinstance(when, datetime):
        return when
    return datetime(when.year, when.month, when.day, tzinfo=UTC)


def get_case(desk: Desk, key: str | uuid.UUID) -> CaseDetail:
    with desk.read() as session:
        return _detail(session, load_case(session, key))


def case_history(desk: Desk, key: str | uuid.UUID) -> list[HistoryEntry]:
    """The audit trail of a case and everything under it, oldest first."""
    with desk.read() as session:
        case = load_case(session, key)
        events = session.scalars(
            sa.select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id)
        ).all()
        return [
            HistoryEntry(e.at, e.actor, e.action, e.table_name, e.operation, tuple(sorted(e.changes))) for e in events
        ]
