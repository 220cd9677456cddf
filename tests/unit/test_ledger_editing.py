"""Correcting a case on file (``services.cases.editing``), which a re-imported ledger's ``update`` goes through:
the outcome rules, parties kept by name and renamed in order, the rights it needs, the history it leaves."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from mediation_desk.domain.codes import CaseSource, OutcomeKind, PartyKind, PartyRole, Performance, UserRole
from mediation_desk.domain.errors import DomainError, LifecycleError, PermissionDenied, ValidationError
from mediation_desk.domain.identity import check_character
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services import cases
from mediation_desk.services.cases import CaseEdit, CaseState, edit_case, plan_outcome
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.store.models import Outcome, Party

INTAKE = date(2025, 3, 5)


def state(
    status: CaseStatus = CaseStatus.ACCEPTED,
    outcome: OutcomeKind | None = None,
    *,
    closing: date | None = None,
    documents: bool = False,
) -> CaseState:
    return CaseState(status, INTAKE, closing, outcome, INTAKE if outcome else None, None, documents)


@pytest.mark.parametrize(
    ("before", "edit", "status"),
    [
        (state(), CaseEdit(outcome=OutcomeKind.WRITTEN_AGREEMENT), CaseStatus.AGREED),
        (state(), CaseEdit(outcome=OutcomeKind.TERMINATED), CaseStatus.TERMINATED),
        (state(CaseStatus.MEDIATING), CaseEdit(outcome=OutcomeKind.FAILED, closing_date=INTAKE), CaseStatus.CLOSED),
        (state(CaseStatus.AGREED, OutcomeKind.ORAL_AGREEMENT), CaseEdit(closing_date=INTAKE), CaseStatus.CLOSED),
        (state(CaseStatus.FAILED, OutcomeKind.FAILED), CaseEdit(outcome=OutcomeKind.ORAL_AGREEMENT), CaseStatus.AGREED),
        (
            state(CaseStatus.CLOSED, OutcomeKind.FAILED, closing=INTAKE),
            CaseEdit(outcome=OutcomeKind.TERMINATED),
            CaseStatus.CLOSED,
        ),
        (state(CaseStatus.REGISTERED), CaseEdit(outcome=OutcomeKind.FAILED), CaseStatus.FAILED),
    ],
)
def test_outcome_plans(before: CaseState, edit: CaseEdit, status: CaseStatus) -> None:
    plan = plan_outcome(before, edit)
    assert plan.status is status
    assert plan.outcome is (edit.outcome or before.outcome)
    assert plan.decided_on == (edit.closing_date or before.closing_date or INTAKE)


AGREED_WITH_DOCUMENTS = state(CaseStatus.AGREED, OutcomeKind.WRITTEN_AGREEMENT, documents=True)
REFUSED = state(CaseStatus.REFUSED, OutcomeKind.REFUSED)
FAILED = state(CaseStatus.FAILED, OutcomeKind.FAILED)


@pytest.mark.parametrize(
    ("before", "edit", "error", "fragment"),
    [
        (state(), CaseEdit(closing_date=INTAKE), ValidationError, "没有调解结果的案件不能结案"),
        (AGREED_WITH_DOCUMENTS, CaseEdit(outcome=OutcomeKind.FAILED), ValidationError, "已有调解协议书"),
        (REFUSED, CaseEdit(outcome=OutcomeKind.FAILED), ValidationError, "不予受理"),
        (state(CaseStatus.REFUSED), CaseEdit(outcome=OutcomeKind.FAILED), LifecycleError, "不予受理"),
        (state(), CaseEdit(outcome=OutcomeKind.FAILED, performance=Performance.PERFORMED), ValidationError, "履行情况"),
        (FAILED, CaseEdit(closing_date=date(2025, 3, 1)), ValidationError, "早于受理日期"),
    ],
)
def test_outcome_plans_refused(before: CaseState, edit: CaseEdit, error: type[DomainError], fragment: str) -> None:
    with pytest.raises(error, match=fragment):
        plan_outcome(before, edit)


def _register(desk: Desk) -> str:
    first17 = "331122198001010" + "12"
    parties = [
        PartyInput("张山", PartyRole.APPLICANT, id_number=first17 + check_character(first17), phone="13800001234"),
        PartyInput("王五", PartyRole.APPLICANT),
        PartyInput("李四", PartyRole.RESPONDENT),
    ]
    data = CaseInput(INTAKE, CaseSource.APPLICATION, "02", parties, facts="原来的案情")
    return cases.register_case(desk, data).value.number


def _parties(desk: Desk) -> list[tuple[str, str, bool, int]]:
    with desk.read() as session:
        found = session.scalars(sa.select(Party).order_by(Party.position)).all()
        return [(party.role.value, party.name, bool(party.id_number), party.position) for party in found]


def test_parties_are_kept_by_name_renamed_in_order_removed_and_added(desk: Desk) -> None:
    number = _register(desk)
    edit = CaseEdit(
        applicants=[PartyInput("王五", PartyRole.APPLICANT), PartyInput("张三", PartyRole.APPLICANT)],
        respondents=[PartyInput("某某建材有限公司", PartyRole.RESPONDENT, PartyKind.ORGANISATION)],
        facts="更正后的案情",
    )
    edit_case(desk, number, edit)
    assert _parties(desk) == [
        ("applicant", "张三", True, 0),  # 张山 corrected: the same party, its ID number kept
        ("applicant", "王五", False, 1),
        ("respondent", "某某建材有限公司", False, 2),  # 李四 renamed in order
    ]
    edit_case(desk, number, CaseEdit(respondents=[]))
    assert [entry[1] for entry in _parties(desk)] == ["张三", "王五"]
    edit_case(desk, number, CaseEdit(respondents=[PartyInput("赵六", PartyRole.RESPONDENT)]))
    assert _parties(desk)[-1] == ("respondent", "赵六", False, 2)


def test_an_edit_concludes_and_is_in_the_history(desk: Desk) -> None:
    number = _register(desk)
    row = edit_case(desk, number, CaseEdit(outcome=OutcomeKind.ORAL_AGREEMENT, amount_fen=5000, closing_date=INTAKE))
    assert (row.value.status, row.value.amount_fen, row.value.closing_date) == (CaseStatus.CLOSED, 5000, INTAKE)
    assert row.changes.touches("dispute_case")
    with desk.read() as session:
        kinds = session.scalars(sa.select(Outcome.kind)).all()
    assert kinds == [OutcomeKind.ORAL_AGREEMENT]
    history = cases.case_history(desk, number)
    assert ("cases.edit", "insert", "outcome") in {(e.operation, e.action, e.table) for e in history}


def test_edits_are_checked_and_filing_needs_the_right_to_close(desk: Desk) -> None:
    number = _register(desk)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        edit_case(desk, number, CaseEdit(intake_date=date(2999, 1, 1)))
    with pytest.raises(ValidationError, match="控制字符"):
        edit_case(desk, number, CaseEdit(facts="有\x1b控制字符"))
    with pytest.raises(ValidationError, match="未知的纠纷类型"):
        edit_case(desk, number, CaseEdit(category="99"))
    mediator = Desk(desk.database, Actor("cli:someone", UserRole.MEDIATOR))
    with pytest.raises(PermissionDenied):
        edit_case(mediator, number, CaseEdit(outcome=OutcomeKind.FAILED, closing_date=INTAKE))
    assert edit_case(mediator, number, CaseEdit(outcome=OutcomeKind.FAILED)).value.status is CaseStatus.FAILED
