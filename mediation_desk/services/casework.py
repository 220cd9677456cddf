"""Work on one case from its editor: its particulars, its parties in full, the recorder, a mediator stepping aside,
and the text of its agreement while it is a draft.

The steps of the lifecycle (accept, refuse, assign, records, conclude, follow up, confirm, close) are the case
services' (``services.cases``); these calls change what the case holds between the steps. Each checks that the
case may still change (a closed case is filed: nothing in it changes) and goes through ``Desk.run``, so the role
is checked and the history names the signed-in user. The agreement is only touched while it is a draft: printing
it for signing, marking it signed and voiding it belong to the agreement's own life (``services.agreements``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain.codes import AgreementState, CaseSource, OutcomeKind, PartyRole, RiskFlag, all_categories
from mediation_desk.domain.dates import check_not_future
from mediation_desk.domain.errors import NotFound, ValidationError
from mediation_desk.domain.intake import PartyInput, clean_party
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.permissions import Permission
from mediation_desk.domain.text import clean_block, clean_line
from mediation_desk.services.cases.intake import load_case
from mediation_desk.services.cases.views import CaseRow, case_rows
from mediation_desk.services.desk import Desk, Result, UnitOfWork
from mediation_desk.store.models import Agreement, CaseMediator, DisputeCase, Outcome, Party

MAX_TERMS = 50


@dataclass(slots=True)
class CaseFields:
    """The particulars of a case as its editor shows them (受理登记 fields)."""

    intake_date: date
    source: CaseSource
    category: str
    facts: str = ""
    requests: str = ""
    title: str = ""
    place: str = ""
    referral_body: str = ""
    amount_fen: int = 0
    persons: int = 0
    group_dispute: bool = False
    risk_flags: list[RiskFlag] = field(default_factory=list)
    notes: str = ""


@dataclass(slots=True)
class PartyEntry:
    """A party as the editor holds it: ``id`` of the party on file, ``None`` for a new one."""

    id: uuid.UUID | None
    data: PartyInput


@dataclass(slots=True)
class AgreementDraft:
    """The content of a (written or oral) agreement, numbered terms in order."""

    facts: str
    terms: list[str]
    performance_manner: str = ""
    performance_place: str = ""
    performance_deadline: date | None = None


@dataclass(frozen=True, slots=True)
class AgreementInfo:
    id: uuid.UUID
    number: str
    oral: bool
    state: AgreementState
    facts: str
    terms: tuple[str, ...]
    performance_manner: str
    performance_place: str
    performance_deadline: date | None
    copies: int
    effective_date: date | None


def _open_case(session: Session, key: uuid.UUID) -> DisputeCase:
    case = load_case(session, key)
    if case.status is CaseStatus.CLOSED:
        raise ValidationError("案件已结案归档，不能再修改")
    return case


# ---------------------------------------------------------------------------------------------------------------
# Particulars


def clean_fields(fields: CaseFields, today: date | None = None) -> CaseFields:
    """Validate and normalise the particulars; raise ``ValidationError`` naming the field."""
    check_not_future(fields.intake_date, today=today, field="intake_date", what="受理日期")
    if fields.category not in all_categories():
        raise ValidationError(f"未知的纠纷类型代码“{fields.category}”", field="category")
    for name, label in (("title", "案件名称"), ("place", "纠纷发生地点"), ("referral_body", "移送单位")):
        setattr(fields, name, clean_line(getattr(fields, name), label=label, field=name))
    for name, label in (("facts", "纠纷简要情况"), ("requests", "申请事项"), ("notes", "备注")):
        setattr(fields, name, clean_block(getattr(fields, name), label=label, field=name))
    if fields.source is CaseSource.REFERRAL and not fields.referral_body:
        raise ValidationError("请写明移送案件的单位", field="referral_body")
    if fields.source is not CaseSource.REFERRAL:
        fields.referral_body = ""
    if fields.amount_fen < 0:
        raise ValidationError("金额不能为负数", field="amount")
    if fields.persons < 0:
        raise ValidationError("涉及人数不能为负数", field="persons")
    return fields


def update_case(desk: Desk, case_id: uuid.UUID, fields: CaseFields) -> Result[CaseRow]:
    """Correct the particulars of an open (not yet filed) case; the intake date stays before its outcome."""
    clean_fields(fields)

    def body(work: UnitOfWork) -> CaseRow:
        case = _open_case(work.session, case_id)
        outcome = work.session.scalar(sa.select(Outcome).where(Outcome.case_id == case.id))
        if outcome is not None and fields.intake_date > outcome.decided_on:
            raise ValidationError("受理日期不能晚于调解结果的日期", field="intake_date")
        category = all_categories()[fields.category]
        case.intake_date, case.source, case.referral_body = fields.intake_date, fields.source, fields.referral_body
        case.category, case.subtype = category.top, category.code if category.parent else None
        case.facts, case.requests, case.title, case.place = fields.facts, fields.requests, fields.title, fields.place
        case.amount_fen, case.group_dispute, case.notes = fields.amount_fen, fields.group_dispute, fields.notes
        case.persons = fields.persons
        case.risk_flags = [flag.value for flag in fields.risk_flags]
        work.session.flush()
        work.changed("dispute_case", case_id=case.id)
        return case_rows(work.session, [case])[0]

    return desk.run("cases.edit", Permission.EDIT_CASE, body)


# ---------------------------------------------------------------------------------------------------------------
# Parties


def _party_columns(party: Party, data: PartyInput) -> None:
    for name in (
        "role",
        "kind",
        "name",
        "gender",
        "ethnicity",
        "birth_date",
        "id_type",
        "id_number",
        "phone",
        "address",
        "occupation",
        "employer",
        "representative",
        "agent_name",
        "agent_phone",
    ):
        setattr(party, name, getattr(data, name))


def _check_roles(entries: list[PartyEntry]) -> None:
    roles = {entry.data.role for entry in entries}
    if PartyRole.APPLICANT not in roles or PartyRole.RESPONDENT not in roles:
        raise ValidationError("案件至少要有一名申请人和一名被申请人", field="parties")


def save_parties(desk: Desk, case_id: uuid.UUID, entries: list[PartyEntry]) -> Result[CaseRow]:
    """The case's parties become ``entries``, in that order: those on file are updated by id, new ones added,
    the others removed. Every party is checked by the domain's rules first (ID number, phone, birth date)."""
    for entry in entries:
        clean_party(entry.data)
    _check_roles(entries)

    def body(work: UnitOfWork) -> CaseRow:
        case = _open_case(work.session, case_id)
        present = {party.id: party for party in work.session.scalars(sa.select(Party).where(Party.case_id == case.id))}
        wanted = {entry.id for entry in entries if entry.id is not None}
        for party_id, party in present.items():
            if party_id not in wanted:
                work.session.delete(party)
        work.session.flush()
        for position, entry in enumerate(entries):
            found = present.get(entry.id) if entry.id is not None else None
            party = found or Party(id=uuid.uuid4(), case_id=case.id)
            if found is None:
                work.session.add(party)
            _party_columns(party, entry.data)
            party.position = position
        work.session.flush()
        work.changed("party", "dispute_case", case_id=case.id)
        return case_rows(work.session, [case])[0]

    return desk.run("cases.parties", Permission.EDIT_CASE, body)


@dataclass(frozen=True, slots=True)
class PartyExtras:
    """What a party holds beyond ``PartyInfo``, so that an editor saving the party keeps it."""

    representative: str
    agent_phone: str


def party_extras(desk: Desk, case_id: uuid.UUID) -> dict[uuid.UUID, PartyExtras]:
    with desk.read() as session:
        parties = session.scalars(sa.select(Party).where(Party.case_id == case_id))
        return {party.id: PartyExtras(party.representative, party.agent_phone) for party in parties}


# ---------------------------------------------------------------------------------------------------------------
# Mediators and recorder


def set_recorder(desk: Desk, case_id: uuid.UUID, recorder: str) -> Result[CaseRow]:
    """记录人: who writes the records of the case (named on the agreement)."""
    recorder = clean_line(recorder, label="记录人", field="recorder")
    if len(recorder) > 50:
        raise ValidationError("记录人姓名最多 50 字", field="recorder")

    def body(work: UnitOfWork) -> CaseRow:
        case = _open_case(work.session, case_id)
        case.recorder = recorder
        work.changed("dispute_case", case_id=case.id)
        return case_rows(work.session, [case])[0]

    return desk.run("cases.recorder", Permission.EDIT_CASE, body)


def recuse_mediator(desk: Desk, case_id: uuid.UUID, mediator_id: uuid.UUID, reason: str) -> Result[CaseRow]:
    """回避: a party asked the mediator to step aside (Art. 20); the assignment stays on file, marked."""
    reason = clean_block(reason, label="回避理由", field="reason").strip()
    if not reason:
        raise ValidationError("请写明回避的理由", field="reason")

    def body(work: UnitOfWork) -> CaseRow:
        case = _open_case(work.session, case_id)
        if case.status not in (CaseStatus.ACCEPTED, CaseStatus.MEDIATING):
            raise ValidationError(f"案件状态为“{case.status.label}”，调解员不能再回避")
        link = work.session.scalar(
            sa.select(CaseMediator).where(CaseMediator.case_id == case.id, CaseMediator.mediator_id == mediator_id)
        )
        if link is None:
            raise NotFound("该调解员没有被指派到本案")
        if link.recused:
            raise ValidationError("该调解员已经回避")
        link.recused, link.recusal_reason = True, reason
        work.changed("case_mediator", case_id=case.id)
        return case_rows(work.session, [case])[0]

    return desk.run("cases.recuse", Permission.EDIT_CASE, body)


# ---------------------------------------------------------------------------------------------------------------
# The agreement's content while it is a draft


def _agreement_info(agreement: Agreement) -> AgreementInfo:
    return AgreementInfo(
        agreement.id,
        agreement.number,
        agreement.oral,
        agreement.state,
        agreement.facts,
        tuple(agreement.terms),
        agreement.performance_manner,
        agreement.performance_place,
        agreement.performance_deadline,
        agreement.copies,
        agreement.effective_date,
    )


def _current_agreement(session: Session, case_id: uuid.UUID) -> Agreement | None:
    """The case's agreement that is not void (the newest one)."""
    return session.scalar(
        sa.select(Agreement)
        .where(Agreement.case_id == case_id, Agreement.state != AgreementState.VOID)
        .order_by(Agreement.created_at.desc())
        .limit(1)
    )


def agreement_of(desk: Desk, case_id: uuid.UUID) -> AgreementInfo | None:
    with desk.read() as session:
        agreement = _current_agreement(session, case_id)
        return _agreement_info(agreement) if agreement else None


def clean_agreement(draft: AgreementDraft, *, oral: bool) -> AgreementDraft:
    draft.facts = clean_block(draft.facts, label="纠纷事实、争议事项及各方责任", field="facts").strip()
    terms = [clean_block(term, label="协议条款", field="terms").strip() for term in draft.terms]
    draft.terms = [term for term in terms if term]
    draft.performance_manner = clean_line(draft.performance_manner, label="履行方式", field="performance_manner")
    draft.performance_place = clean_line(draft.performance_place, label="履行地点", field="performance_place")
    if not draft.terms:
        raise ValidationError("协议至少要有一条内容", field="terms")
    if len(draft.terms) > MAX_TERMS:
        raise ValidationError(f"协议最多 {MAX_TERMS} 条", field="terms")
    if not oral and not draft.facts:
        raise ValidationError("书面协议须写明纠纷事实、争议事项及各方责任", field="facts")
    return draft


def save_agreement_draft(desk: Desk, case_id: uuid.UUID, draft: AgreementDraft) -> Result[AgreementInfo]:
    """Write the agreement of a case that reached one (its outcome is a written or an oral agreement): a new draft
    numbered like the case, or the draft on file changed. A printed or signed agreement is not changed here."""

    def body(work: UnitOfWork) -> AgreementInfo:
        case = _open_case(work.session, case_id)
        outcome = work.session.scalar(sa.select(Outcome).where(Outcome.case_id == case.id))
        if outcome is None or not outcome.kind.successful:
            raise ValidationError("只有达成协议的案件才有调解协议")
        oral = outcome.kind is OutcomeKind.ORAL_AGREEMENT
        clean_agreement(draft, oral=oral)
        agreement = _current_agreement(work.session, case.id)
        if agreement is not None and agreement.state is not AgreementState.DRAFT:
            raise ValidationError(f"协议已{agreement.state.label}，不能在此修改；更正须作废后重新出具")
        if agreement is None:
            parties = work.session.scalar(sa.select(sa.func.count()).where(Party.case_id == case.id)) or 0
            agreement = Agreement(
                id=uuid.uuid4(), case_id=case.id, number=case.number or "", oral=oral, copies=1 if oral else parties + 1
            )
            work.session.add(agreement)
        agreement.oral = oral
        agreement.facts, agreement.terms = draft.facts, list(draft.terms)
        agreement.performance_manner, agreement.performance_place = draft.performance_manner, draft.performance_place
        agreement.performance_deadline = draft.performance_deadline
        if oral:
            agreement.effective_date = outcome.decided_on  # an oral agreement is effective when reached (Art. 28)
        work.session.flush()
        work.changed("agreement", case_id=case.id)
        return _agreement_info(agreement)

    return desk.run("cases.agreement_draft", Permission.EDIT_CASE, body)
