"""The start page (今日工作) from ``services.worklist``: an overdue case, a follow-up due after a performance
deadline, a judicial-confirmation window about to close, cases awaiting a step; each item opens its case."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from pytestqt.qtbot import QtBot

from mediation_desk.domain.codes import CaseSource, OutcomeKind, PartyRole, Performance
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.services import worklist as worklist_service
from mediation_desk.services.cases import assign_mediators, conclude_case, record_follow_up, register_case
from mediation_desk.services.casework import AgreementDraft, save_agreement_draft
from mediation_desk.services.desk import Desk
from mediation_desk.services.mediators import MediatorInput, add_mediator
from mediation_desk.services.worklist import WorkKind, one_month_before, worklist
from mediation_desk.ui.tasks import TaskRunner
from mediation_desk.ui.today_page import TodayPage

TODAY = date.today()


def case(desk: Desk, name: str, days_ago: int, *, accept: bool = True) -> str:
    data = CaseInput(
        intake_date=TODAY - timedelta(days=days_ago),
        source=CaseSource.APPLICATION,
        category="02",
        parties=[PartyInput(name, PartyRole.APPLICANT), PartyInput("邻居", PartyRole.RESPONDENT)],
        accept=accept,
    )
    return str(register_case(desk, data).value.id)


def agreed(desk: Desk, name: str, days_ago: int, deadline: date) -> str:
    key = case(desk, name, days_ago)
    mediator = add_mediator(desk, MediatorInput(f"调解员{name}")).value
    case_id, day = uuid.UUID(key), TODAY - timedelta(days=days_ago)
    assign_mediators(desk, case_id, [mediator.id], on=day)
    conclude_case(desk, case_id, OutcomeKind.WRITTEN_AGREEMENT, on=day)
    save_agreement_draft(desk, case_id, AgreementDraft("欠款纠纷", ["一次还清"], performance_deadline=deadline))
    return key


def test_one_month_before() -> None:
    assert one_month_before(date(2024, 3, 31)) == date(2024, 2, 29)
    assert one_month_before(date(2024, 1, 15)) == date(2023, 12, 15)


def test_the_worklist_sections(desk: Desk) -> None:
    overdue = case(desk, "超期甲", 45)
    fresh = case(desk, "新案乙", 2, accept=False)
    due = agreed(desk, "回访丙", 20, TODAY - timedelta(days=3))
    visited = agreed(desk, "回访丁", 20, TODAY - timedelta(days=3))
    record_follow_up(
        desk,
        uuid.UUID(visited),
        visited_on=TODAY,
        visited_party="回访丁",
        performance=Performance.PERFORMED,
        visitor="李",
    )
    work = worklist(desk)
    ids = {kind: [str(item.case_id) for item in work.section(kind).items] for kind in WorkKind}
    assert ids[WorkKind.OVERDUE] == [overdue]
    assert ids[WorkKind.TO_ACCEPT] == [fresh]
    assert ids[WorkKind.TO_ASSIGN] == [overdue]
    assert ids[WorkKind.FOLLOW_UP_DUE] == [due]  # the visited one is done
    assert set(ids[WorkKind.TO_CLOSE]) == {due, visited}
    item = work.section(WorkKind.OVERDUE).items[0]
    assert (item.days, item.parties) == (45, "超期甲 — 邻居")


def test_the_start_page_lists_an_overdue_case_and_a_due_follow_up(qtbot: QtBot, desk: Desk, runner: TaskRunner) -> None:
    overdue = case(desk, "超期甲", 45)
    due = agreed(desk, "回访丙", 20, TODAY - timedelta(days=3))
    page = TodayPage(desk, runner)
    qtbot.addWidget(page)
    page.show()
    assert page.stack.currentWidget() is page.tree
    rows = page.items(WorkKind.OVERDUE)
    assert [(row.text(1), row.text(3)) for row in rows] == [("超期甲 — 邻居", "已受理 45 天")]
    follow = page.items(WorkKind.FOLLOW_UP_DUE)
    assert [(row.text(1), row.text(3)) for row in follow] == [("回访丙 — 邻居", "履行期限已过 3 天")]
    titles = [page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())]  # type: ignore[union-attr]
    assert "受理超过一个月未结（1）" in titles
    opened: list[object] = []
    page.open_case.connect(opened.append)
    page.tree.itemActivated.emit(rows[0], 0)
    page.tree.itemActivated.emit(follow[0], 0)
    assert [str(case_id) for case_id in opened] == [overdue, due]


def test_the_worklist_over_the_whole_tree_needs_no_organisation_filter(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    case(desk, "超期甲", 45)
    case(desk, "新案乙", 2, accept=False)
    agreed(desk, "回访丙", 20, TODAY - timedelta(days=3))
    filtered = worklist(desk)
    with desk.read() as session:
        assert worklist_service._org_ids(desk, session) is not None  # the village's township is on file too
    monkeypatch.setattr("mediation_desk.store.queries.cases.whole_desk", lambda _session, _ids: True)
    with desk.read() as session:
        assert worklist_service._org_ids(desk, session) is None
    assert worklist(desk) == filtered  # every case on the desk is the village's: the same sections either way
