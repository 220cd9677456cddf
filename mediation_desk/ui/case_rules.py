"""Which steps of a case's life are open now, and why a closed one is closed: the editor disables each step that
the lifecycle (``domain.lifecycle``) or the signed-in role (``domain.permissions``) does not allow, with a
tooltip giving the reason. The services check the same rules again."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QCoreApplication

from mediation_desk.domain.codes import OutcomeKind, UserRole
from mediation_desk.domain.lifecycle import CaseAction, CaseStatus, allowed_actions
from mediation_desk.domain.permissions import Permission, allowed
from mediation_desk.services.cases import CaseDetail
from mediation_desk.services.casework import AgreementInfo

CONTEXT = "CaseRules"


class Step(StrEnum):
    EDIT = "edit"
    ACCEPT = "accept"
    REFUSE = "refuse"
    ASSIGN = "assign"
    RECUSE = "recuse"
    INVESTIGATION = "investigation"
    SESSION = "session"
    CONCLUDE = "conclude"
    AGREEMENT = "agreement"
    FOLLOW_UP = "follow_up"
    CONFIRMATION = "confirmation"
    CLOSE = "close"
    ATTACH = "attach"


@dataclass(frozen=True, slots=True)
class Availability:
    enabled: bool
    reason: str  # why not (empty when enabled)


def _lifecycle(step: Step, detail: CaseDetail, agreement: AgreementInfo | None) -> str:
    """Why the case's life does not allow ``step`` now ('' when it does)."""
    status = detail.row.status
    outcome = detail.outcome.kind if detail.outcome else None
    if status is CaseStatus.CLOSED:
        return QCoreApplication.translate("CaseRules", "The case is closed and filed: nothing in it changes.")
    open_for_work = status in (CaseStatus.ACCEPTED, CaseStatus.MEDIATING)
    reasons = {
        Step.ACCEPT: ""
        if CaseAction.ACCEPT in allowed_actions(status)
        else QCoreApplication.translate("CaseRules", "Only a registered case is accepted."),
        Step.REFUSE: ""
        if CaseAction.REFUSE in allowed_actions(status)
        else QCoreApplication.translate("CaseRules", "Only a registered case can be refused."),
        Step.ASSIGN: ""
        if open_for_work
        else QCoreApplication.translate(
            "CaseRules", "Mediators are assigned once the case is accepted and until it ends."
        ),
        Step.RECUSE: ""
        if open_for_work and detail.mediators
        else QCoreApplication.translate("CaseRules", "No mediator is assigned to step aside."),
        Step.INVESTIGATION: ""
        if open_for_work
        else QCoreApplication.translate("CaseRules", "Records are added while the case is being mediated."),
        Step.SESSION: ""
        if open_for_work
        else QCoreApplication.translate("CaseRules", "Records are added while the case is being mediated."),
        Step.CONCLUDE: ""
        if status is CaseStatus.MEDIATING or status is CaseStatus.ACCEPTED
        else QCoreApplication.translate("CaseRules", "Mediation has ended already, or the case is not accepted yet."),
        Step.AGREEMENT: _agreement_reason(outcome, agreement),
        Step.FOLLOW_UP: ""
        if outcome and outcome.successful
        else QCoreApplication.translate("CaseRules", "Follow-up visits are for cases that reached an agreement."),
        Step.CONFIRMATION: ""
        if outcome is OutcomeKind.WRITTEN_AGREEMENT
        else QCoreApplication.translate("CaseRules", "Only a written agreement can be confirmed by a court."),
        Step.CLOSE: ""
        if CaseAction.CLOSE in allowed_actions(status)
        else QCoreApplication.translate("CaseRules", "A case is closed once mediation has ended."),
    }
    return reasons.get(step, "")


def _agreement_reason(outcome: OutcomeKind | None, agreement: AgreementInfo | None) -> str:
    if outcome is None or not outcome.successful:
        return QCoreApplication.translate("CaseRules", "The agreement is written once mediation has reached one.")
    if agreement is not None and agreement.state.value != "draft":
        return QCoreApplication.translate(
            "CaseRules", "The agreement is {state}: correct it by voiding it and issuing a new one."
        ).format(state=agreement.state.label)
    return ""


PERMISSIONS = {Step.CLOSE: Permission.CLOSE_CASE}


def availability(step: Step, detail: CaseDetail, agreement: AgreementInfo | None, role: UserRole) -> Availability:
    permission = PERMISSIONS.get(step, Permission.EDIT_CASE)
    if not allowed(role, permission):
        return Availability(
            False,
            QCoreApplication.translate("CaseRules", "Your role ({role}) may not do this.").format(role=role.label),
        )
    reason = _lifecycle(step, detail, agreement)
    return Availability(not reason, reason)
