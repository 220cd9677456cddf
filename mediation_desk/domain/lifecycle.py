"""The life of a case (MEDIATION.md) as an explicit state machine.

    registered ──accept──▶ accepted ──start──▶ mediating ──agree──▶ agreed ──close──▶ closed
        │                     │                  │ ├─fail──▶ failed ──close──▶ closed
        └─refuse─▶ refused    └─terminate─┐      │ └─terminate─▶ terminated ──close──▶ closed
                     │                    └──────┴──────────────▶ terminated
                     └─close──▶ closed

A party may end mediation at any time (Art. 23), so termination is open from ``accepted`` and ``mediating``.
Failure and agreement need mediation to have started. Closing files the case (结案); nothing reopens it: a later
development of the same dispute is a new case.
"""

from __future__ import annotations

from enum import StrEnum

from mediation_desk.domain.codes import OutcomeKind
from mediation_desk.domain.errors import LifecycleError


class CaseStatus(StrEnum):
    REGISTERED = "registered"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    MEDIATING = "mediating"
    AGREED = "agreed"
    FAILED = "failed"
    TERMINATED = "terminated"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        """Still being worked on (counts towards overdue lists)."""
        return self in (CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING)


class CaseAction(StrEnum):
    ACCEPT = "accept"
    REFUSE = "refuse"
    START = "start"
    AGREE = "agree"
    FAIL = "fail"
    TERMINATE = "terminate"
    CLOSE = "close"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_STATUS_LABELS = {
    CaseStatus.REGISTERED: "已登记",
    CaseStatus.ACCEPTED: "已受理",
    CaseStatus.REFUSED: "不予受理",
    CaseStatus.MEDIATING: "调解中",
    CaseStatus.AGREED: "达成协议",
    CaseStatus.FAILED: "调解不成",
    CaseStatus.TERMINATED: "终止调解",
    CaseStatus.CLOSED: "已结案",
}

_ACTION_LABELS = {
    CaseAction.ACCEPT: "受理",
    CaseAction.REFUSE: "不予受理",
    CaseAction.START: "开始调解",
    CaseAction.AGREE: "达成协议",
    CaseAction.FAIL: "调解不成",
    CaseAction.TERMINATE: "终止调解",
    CaseAction.CLOSE: "结案",
}

TRANSITIONS: dict[tuple[CaseStatus, CaseAction], CaseStatus] = {
    (CaseStatus.REGISTERED, CaseAction.ACCEPT): CaseStatus.ACCEPTED,
    (CaseStatus.REGISTERED, CaseAction.REFUSE): CaseStatus.REFUSED,
    (CaseStatus.ACCEPTED, CaseAction.START): CaseStatus.MEDIATING,
    (CaseStatus.ACCEPTED, CaseAction.TERMINATE): CaseStatus.TERMINATED,
    (CaseStatus.MEDIATING, CaseAction.AGREE): CaseStatus.AGREED,
    (CaseStatus.MEDIATING, CaseAction.FAIL): CaseStatus.FAILED,
    (CaseStatus.MEDIATING, CaseAction.TERMINATE): CaseStatus.TERMINATED,
    (CaseStatus.AGREED, CaseAction.CLOSE): CaseStatus.CLOSED,
    (CaseStatus.FAILED, CaseAction.CLOSE): CaseStatus.CLOSED,
    (CaseStatus.TERMINATED, CaseAction.CLOSE): CaseStatus.CLOSED,
    (CaseStatus.REFUSED, CaseAction.CLOSE): CaseStatus.CLOSED,
}


def allowed_actions(status: CaseStatus) -> list[CaseAction]:
    """The actions open to a case in this status, in lifecycle order."""
    return [action for (source, action) in TRANSITIONS if source is status]


def transition(status: CaseStatus, action: CaseAction) -> CaseStatus:
    """The status after ``action``; raise ``LifecycleError`` with a Chinese message when it is not allowed."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        allowed = "、".join(a.label for a in allowed_actions(status)) or "无"
        raise LifecycleError(f"案件当前状态为“{status.label}”，不能执行“{action.label}”（可执行：{allowed}）") from None


OUTCOME_ACTIONS: dict[OutcomeKind, CaseAction] = {
    OutcomeKind.WRITTEN_AGREEMENT: CaseAction.AGREE,
    OutcomeKind.ORAL_AGREEMENT: CaseAction.AGREE,
    OutcomeKind.FAILED: CaseAction.FAIL,
    OutcomeKind.TERMINATED: CaseAction.TERMINATE,
    OutcomeKind.REFUSED: CaseAction.REFUSE,
}


def status_after_outcome(status: CaseStatus, kind: OutcomeKind, *, closed: bool = False) -> CaseStatus:
    """The one rule for "what status follows this outcome": the outcome's step from ``status``, then filing.

    ``closed``: the case is filed (结案) with the outcome, as a ledger row with a closing date or a finished demo
    case is. Every caller (the case services, the ledger import, the demo county) goes through here, so an
    outcome always lands a case in the same status; an outcome the lifecycle does not allow from ``status``
    raises ``LifecycleError`` (agreement and failure need mediation to have started).
    """
    reached = transition(status, OUTCOME_ACTIONS[kind])
    return transition(reached, CaseAction.CLOSE) if closed else reached
