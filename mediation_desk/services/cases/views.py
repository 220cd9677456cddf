"""What the case services return: a row per case for lists, the detail of one case, its history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

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
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.store.models import DisputeCase, Party
from mediation_desk.store.queries import cases as case_queries


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
    chosen_by_parties: bool = False
    recusal_reason: str = ""


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


def case_rows(session: Session, cases: list[DisputeCase]) -> list[CaseRow]:
    """The list rows of these cases, in the same order."""
    if not cases:
        return []
    ids = [case.id for case in cases]
    orgs = case_queries.orgs_of(session, cases)
    names = case_queries.party_names(session, ids)
    outcomes = case_queries.outcome_kinds(session, ids)
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


def _party_info(party: Party) -> PartyInfo:
    return PartyInfo(
        party.id,
        party.role,
        party.kind,
        party.name,
        party.gender,
        party.ethnicity,
        party.birth_date,
        party.id_type,
        party.id_number,
        party.phone,
        party.address,
        party.occupation,
        party.employer,
        party.agent_name,
    )


def _sort_key(when: datetime | date) -> datetime:
    if isinstance(when, datetime):
        return when
    return datetime(when.year, when.month, when.day, tzinfo=UTC)


def case_records(session: Session, case_id: uuid.UUID) -> list[RecordInfo]:
    """Investigations, sessions, follow-up visits and judicial confirmations of a case, oldest first."""
    records: list[RecordInfo] = []
    for inv in case_queries.investigations_of(session, case_id):
        records.append(RecordInfo(inv.id, "investigation", inv.held_at, f"调查 {inv.interviewee}", inv.body))
    for ses in case_queries.sessions_of(session, case_id):
        records.append(RecordInfo(ses.id, "session", ses.held_at, ses.matter or "调解", ses.body))
    for fol in case_queries.follow_ups_of(session, case_id):
        records.append(
            RecordInfo(
                fol.id,
                "follow_up",
                fol.visited_on,
                f"回访 {fol.visited_party}：{fol.performance.label}",
                fol.measures or fol.risks,
            )
        )
    for jud in case_queries.confirmations_of(session, case_id):
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
    return records


def case_detail(session: Session, case: DisputeCase) -> CaseDetail:
    """Everything shown about one case: its row, its fields, parties, mediators, records and outcome."""
    row = case_rows(session, [case])[0]
    parties = case_queries.parties_of(session, case.id)
    assigned = case_queries.assignments_of(session, case.id)
    records = case_records(session, case.id)
    outcome = case_queries.outcome_of(session, case.id)
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
        parties=tuple(_party_info(party) for party in parties),
        mediators=tuple(
            AssignedMediator(
                link.mediator_id,
                name,
                link.role,
                link.assigned_on,
                link.recused,
                link.chosen_by_parties,
                link.recusal_reason or "",
            )
            for link, name in assigned
        ),
        records=tuple(records),
        outcome=OutcomeInfo(outcome.kind, outcome.decided_on, outcome.reason, outcome.performance) if outcome else None,
    )
