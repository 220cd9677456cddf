"""Correcting a case already on file: its intake fields, its parties' names, its mediators and how it ended, as a
re-imported ledger (or a form) gives them.

A ``CaseEdit`` names only what changes (``None``: leave it). ``apply_edit`` makes the changes through the ORM in
the caller's unit of work, so the revision log and the case's history record each one with who made it;
``edit_case`` is the same as one service call. The outcome follows the lifecycle (``plan_outcome``, pure, so a
caller can tell beforehand whether an edit can be made):

- an outcome for an open case concludes it (mediation started first when the outcome needs it), and a closing
  date files it, as the ledger import does for a new case;
- an outcome corrected to another kind is a correction of the record, not a step of the lifecycle: the status
  becomes the one the new outcome leads to. It is refused once an agreement, a follow-up visit or a judicial
  confirmation is on file (those records rest on the outcome: correct them in the case first), and for a case
  refused at intake;
- an outcome is never removed, and a closing date never unset: a case does not reopen.

Parties are matched by name first (a party keeps its details), then in order (a corrected name is the same
party with its ID and phone kept); a name no longer listed is removed, a new one added.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain.codes import (
    CaseMediatorRole,
    CaseSource,
    OutcomeKind,
    PartyRole,
    Performance,
    all_categories,
)
from mediation_desk.domain.dates import check_not_future, check_order
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.intake import PartyInput
from mediation_desk.domain.lifecycle import (
    OUTCOME_ACTIONS,
    CaseAction,
    CaseStatus,
    allowed_actions,
    status_after_outcome,
    transition,
)
from mediation_desk.domain.permissions import Permission, check
from mediation_desk.domain.text import clean_block, clean_line
from mediation_desk.services.cases.intake import load_case
from mediation_desk.services.cases.views import CaseRow, case_rows
from mediation_desk.services.desk import Desk, Result, UnitOfWork
from mediation_desk.store.models import (
    Agreement,
    CaseMediator,
    DisputeCase,
    FollowUp,
    JudicialConfirmation,
    Outcome,
    Party,
)

MAX_PARTY_NAME = 100


@dataclass(slots=True)
class CaseEdit:
    """What to change in a case; every ``None`` leaves that part as it is."""

    intake_date: date | None = None
    category: str | None = None  # a code of the 15 categories or a sub-type
    source: CaseSource | None = None
    facts: str | None = None
    notes: str | None = None
    amount_fen: int | None = None
    persons: int | None = None
    group_dispute: bool | None = None
    applicants: list[PartyInput] | None = None
    respondents: list[PartyInput] | None = None
    mediator_ids: list[uuid.UUID] | None = None  # the first presides
    outcome: OutcomeKind | None = None
    closing_date: date | None = None
    performance: Performance | None = None
    ledger_key: str | None = None  # the key of the ledger row the case now agrees with


@dataclass(frozen=True, slots=True)
class CaseState:
    """What the outcome rules need to know of a case."""

    status: CaseStatus
    intake_date: date
    closing_date: date | None
    outcome: OutcomeKind | None
    decided_on: date | None
    performance: Performance | None
    documents: bool  # an agreement, a follow-up visit or a judicial confirmation is on file


@dataclass(frozen=True, slots=True)
class OutcomePlan:
    status: CaseStatus
    outcome: OutcomeKind | None
    decided_on: date | None
    closing_date: date | None
    performance: Performance | None


def _concluded(state: CaseState, kind: OutcomeKind, closed: bool) -> CaseStatus:
    status = state.status
    if status is CaseStatus.REGISTERED:
        status = transition(status, CaseAction.ACCEPT)
    if OUTCOME_ACTIONS[kind] not in allowed_actions(status):
        status = transition(status, CaseAction.START)
    return status_after_outcome(status, kind, closed=closed)


def _corrected(state: CaseState, kind: OutcomeKind, closed: bool) -> CaseStatus:
    if state.outcome is OutcomeKind.REFUSED or kind is OutcomeKind.REFUSED:
        raise ValidationError("不予受理的案件不能改为其他调解结果，反之亦然")
    if state.documents:
        raise ValidationError("该案件已有调解协议书、回访或司法确认记录，调解结果请在案件中修改")
    return status_after_outcome(CaseStatus.MEDIATING, kind, closed=closed)


def plan_outcome(state: CaseState, edit: CaseEdit) -> OutcomePlan:
    """Where the edit's outcome, closing date and performance take the case; ``DomainError`` when they cannot."""
    intake = edit.intake_date or state.intake_date
    kind = edit.outcome or state.outcome
    closing = edit.closing_date or state.closing_date
    if closing is not None and kind is None:
        raise ValidationError("没有调解结果的案件不能结案", field="closing_date")
    status = state.status
    if edit.outcome is not None and edit.outcome is not state.outcome:
        closed = closing is not None
        status = (
            _concluded(state, edit.outcome, closed)
            if state.outcome is None
            else _corrected(state, edit.outcome, closed)
        )
    elif closing is not None and state.closing_date is None:
        status = transition(status, CaseAction.CLOSE)
    decided_on = state.decided_on
    moved = (
        edit.intake_date not in (None, state.intake_date)
        or edit.closing_date not in (None, state.closing_date)
        or edit.outcome not in (None, state.outcome)
    )
    if kind is not None and (decided_on is None or (moved and decided_on in (state.intake_date, state.closing_date))):
        decided_on = closing or intake  # a date the outcome took from the case moves with it
    check_order(intake, closing)
    if decided_on is not None and decided_on < intake:
        raise ValidationError("调解结果的日期不能早于受理日期", field="intake_date")
    performance = edit.performance or state.performance
    if kind is None or not kind.successful:
        if edit.performance is not None:
            raise ValidationError("只有调解成功的案件才有履行情况", field="performance")
        performance = None
    return OutcomePlan(status, kind, decided_on, closing, performance)


# ---------------------------------------------------------------------------------------------------------------
# Applying an edit


def case_state(session: Session, case: DisputeCase) -> tuple[CaseState, Outcome | None]:
    outcome = session.scalar(sa.select(Outcome).where(Outcome.case_id == case.id))
    documents = any(
        session.scalar(sa.select(model.id).where(model.case_id == case.id).limit(1)) is not None
        for model in (Agreement, FollowUp, JudicialConfirmation)
    )
    state = CaseState(
        case.status,
        case.intake_date,
        case.closing_date,
        outcome.kind if outcome else None,
        outcome.decided_on if outcome else None,
        outcome.performance if outcome else None,
        documents,
    )
    return state, outcome


def _check(edit: CaseEdit, today: date) -> None:
    if edit.intake_date is not None:
        check_not_future(edit.intake_date, today=today, field="intake_date", what="受理日期")
    if edit.closing_date is not None:
        check_not_future(edit.closing_date, today=today, field="closing_date", what="结案日期")
    if edit.category is not None and edit.category not in all_categories():
        raise ValidationError(f"未知的纠纷类型代码“{edit.category}”", field="category")
    if edit.amount_fen is not None and edit.amount_fen < 0:
        raise ValidationError("金额不能为负数", field="amount")
    if edit.persons is not None and edit.persons < 0:
        raise ValidationError("涉及人数不能为负数", field="persons")
    for parties in (edit.applicants, edit.respondents):
        for party in parties or ():
            party.name = clean_line(party.name, label=f"{party.role.label}姓名（名称）", field="name")
            if not party.name or len(party.name) > MAX_PARTY_NAME:
                raise ValidationError(f"当事人姓名（名称）不能为空，最多 {MAX_PARTY_NAME} 字", field="name")
    if edit.facts is not None:
        edit.facts = clean_block(edit.facts, label="纠纷简要情况", field="facts")
    if edit.notes is not None:
        edit.notes = clean_block(edit.notes, label="备注", field="notes")


def _case_fields(case: DisputeCase, edit: CaseEdit) -> None:
    if edit.intake_date is not None:
        case.intake_date = edit.intake_date
    if edit.category is not None:
        category = all_categories()[edit.category]
        case.category, case.subtype = category.top, category.code if category.parent else None
    for name in ("source", "facts", "notes", "amount_fen", "persons", "group_dispute", "ledger_key"):
        value = getattr(edit, name)
        if value is not None:
            setattr(case, name, value)


def _parties(session: Session, case: DisputeCase, role: PartyRole, wanted: list[PartyInput]) -> None:
    """The case's parties of ``role`` become ``wanted``: kept by name, then renamed in order, removed or added."""
    present = session.scalars(
        sa.select(Party).where(Party.case_id == case.id, Party.role == role).order_by(Party.position)
    ).all()
    remaining = list(wanted)
    leftover: list[Party] = []
    for party in present:
        same = next((entry for entry in remaining if entry.name == party.name), None)
        if same is None:
            leftover.append(party)
        else:
            remaining.remove(same)
    renamed = min(len(leftover), len(remaining))
    for party, entry in zip(leftover[:renamed], remaining[:renamed], strict=True):
        party.name = entry.name
    for party in leftover[renamed:]:
        session.delete(party)
    last = session.scalar(sa.select(sa.func.max(Party.position)).where(Party.case_id == case.id))
    position = -1 if last is None else last
    for entry in remaining[renamed:]:
        position += 1
        session.add(Party(case_id=case.id, position=position, role=role, kind=entry.kind, name=entry.name))


def _mediators(session: Session, case: DisputeCase, mediator_ids: list[uuid.UUID], on: date) -> None:
    links = {
        link.mediator_id: link
        for link in session.scalars(sa.select(CaseMediator).where(CaseMediator.case_id == case.id))
    }
    for mediator_id, link in links.items():
        if mediator_id not in mediator_ids:
            session.delete(link)
    for index, mediator_id in enumerate(mediator_ids):
        role = CaseMediatorRole.PRESIDING if index == 0 else CaseMediatorRole.ASSISTING
        present = links.get(mediator_id)
        if present is None:
            session.add(CaseMediator(case_id=case.id, mediator_id=mediator_id, role=role, assigned_on=on))
        elif present.role is not role:
            present.role = role
    if mediator_ids and case.status is CaseStatus.ACCEPTED:
        case.status = transition(case.status, CaseAction.START)


def _outcome(session: Session, case: DisputeCase, plan: OutcomePlan, outcome: Outcome | None) -> None:
    case.status = plan.status
    case.closing_date = plan.closing_date
    if plan.outcome is None or plan.decided_on is None:
        return
    if outcome is None:
        session.add(
            Outcome(case_id=case.id, kind=plan.outcome, decided_on=plan.decided_on, performance=plan.performance)
        )
        return
    outcome.kind, outcome.decided_on, outcome.performance = plan.outcome, plan.decided_on, plan.performance


def apply_edit(session: Session, case: DisputeCase, edit: CaseEdit, *, today: date | None = None) -> None:
    """Make ``edit`` to ``case`` in the caller's unit of work (no commit); ``DomainError`` when it cannot be made."""
    _check(edit, today or date.today())
    state, outcome = case_state(session, case)
    plan_outcome(state, edit)  # refused before anything changes
    _case_fields(case, edit)
    if edit.applicants is not None:
        _parties(session, case, PartyRole.APPLICANT, edit.applicants)
    if edit.respondents is not None:
        _parties(session, case, PartyRole.RESPONDENT, edit.respondents)
    if edit.mediator_ids is not None:
        _mediators(session, case, edit.mediator_ids, case.intake_date)
        state = replace(state, status=case.status)  # mediation may have started
    plan = plan_outcome(state, edit)
    if plan != _unchanged(state):
        _outcome(session, case, plan, outcome)
    session.flush()


def _unchanged(state: CaseState) -> OutcomePlan:
    return OutcomePlan(state.status, state.outcome, state.decided_on, state.closing_date, state.performance)


def edit_case(desk: Desk, key: str | uuid.UUID, edit: CaseEdit) -> Result[CaseRow]:
    """Correct a case (see the module docstring); filing it with a closing date needs the right to close cases."""
    if edit.closing_date is not None:
        check(desk.actor.role, Permission.CLOSE_CASE)

    def body(work: UnitOfWork) -> CaseRow:
        case = load_case(work.session, key)
        apply_edit(work.session, case, edit)
        work.changed("dispute_case", "party", "outcome", "case_mediator", case_id=case.id)
        return case_rows(work.session, [case])[0]

    return desk.run("cases.edit", Permission.EDIT_CASE, body)
