"""How a case ends: accepted or refused at intake, concluded with its outcome, closed (filed)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from mediation_desk.domain.codes import OutcomeKind
from mediation_desk.domain.dates import check_not_future, check_order
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.lifecycle import OUTCOME_ACTIONS, CaseAction, transition
from mediation_desk.domain.permissions import Permission
from mediation_desk.domain.text import clean_block
from mediation_desk.services.cases.intake import load_case
from mediation_desk.services.cases.views import CaseRow, case_rows
from mediation_desk.services.desk import Desk, Result, UnitOfWork
from mediation_desk.store.models import DisputeCase, Outcome

Extra = Callable[[Session, DisputeCase], None]


def _case_action(
    desk: Desk,
    key: str | uuid.UUID,
    operation: str,
    permission: Permission,
    action: CaseAction,
    extra: Extra | None = None,
) -> Result[CaseRow]:
    """Move the case on by ``action`` (the lifecycle's rules), then let ``extra`` record what goes with it."""

    def body(work: UnitOfWork) -> CaseRow:
        case = load_case(work.session, key)
        case.status = transition(case.status, action)
        if extra is not None:
            extra(work.session, case)
        work.changed("dispute_case", case_id=case.id)
        work.session.flush()
        return case_rows(work.session, [case])[0]

    return desk.run(operation, permission, body)


def accept_case(desk: Desk, key: str | uuid.UUID) -> Result[CaseRow]:
    return _case_action(desk, key, "cases.accept", Permission.EDIT_CASE, CaseAction.ACCEPT)


def refuse_case(desk: Desk, key: str | uuid.UUID, reason: str, on: date | None = None) -> Result[CaseRow]:
    """不予受理 with the reason on record (a party refuses, another authority's matter, already accepted elsewhere)."""
    reason = clean_block(reason, label="不予受理的理由", field="reason").strip()
    if not reason:
        raise ValidationError("不予受理必须写明理由", field="reason")
    day = check_not_future(on or date.today(), what="日期")

    def extra(session: Session, case: DisputeCase) -> None:
        case.refusal_reason = reason
        session.add(Outcome(case_id=case.id, kind=OutcomeKind.REFUSED, decided_on=day, reason=reason))

    return _case_action(desk, key, "cases.refuse", Permission.EDIT_CASE, CaseAction.REFUSE, extra)


def conclude_case(
    desk: Desk,
    key: str | uuid.UUID,
    kind: OutcomeKind,
    *,
    on: date | None = None,
    reason: str = "",
    amount_fen: int | None = None,
) -> Result[CaseRow]:
    """End mediation: agreement (written or oral), failure, or termination with its reason (Art. 23, 26, 28, 29).

    The status it leads to is the lifecycle's (``OUTCOME_ACTIONS``): an outcome from a status that does not allow
    it is a ``LifecycleError``.
    """
    if kind is OutcomeKind.REFUSED:
        raise ValidationError("不予受理请使用“不予受理”操作")
    reason = clean_block(reason, label="原因", field="reason").strip()
    if kind in (OutcomeKind.TERMINATED, OutcomeKind.FAILED) and not reason:
        raise ValidationError("终止调解或调解不成须写明原因", field="reason")
    day = check_not_future(on or date.today(), what="日期")

    def extra(session: Session, case: DisputeCase) -> None:
        check_order(case.intake_date, day)
        session.add(Outcome(case_id=case.id, kind=kind, decided_on=day, reason=reason))
        if amount_fen is not None:
            if amount_fen < 0:
                raise ValidationError("金额不能为负数", field="amount")
            case.amount_fen = amount_fen

    return _case_action(desk, key, "cases.conclude", Permission.EDIT_CASE, OUTCOME_ACTIONS[kind], extra)


def close_case(desk: Desk, key: str | uuid.UUID, on: date | None = None) -> Result[CaseRow]:
    """结案: file a concluded case."""
    day = check_not_future(on or date.today(), what="结案日期")

    def extra(_session: Session, case: DisputeCase) -> None:
        check_order(case.intake_date, day)
        case.closing_date = day

    return _case_action(desk, key, "cases.close", Permission.CLOSE_CASE, CaseAction.CLOSE, extra)
