"""The whole life of a case in the editor, as a mediator goes through it: register, accept, assign a mediator,
record an investigation and a session, conclude with a written agreement and its numbered terms, follow up,
close; then find it again by pinyin. Also an oral agreement and a refusal. Every step goes through its form
(``exec`` replaced by filling and submitting it), so the forms' own checks and the services run for real."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import TypeVar

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from mediation_desk.domain.codes import AgreementState, CaseSource, OutcomeKind, PartyRole, Performance, UserRole
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services.cases import get_case, register_case
from mediation_desk.services.casework import agreement_of
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.mediators import MediatorInput, add_mediator
from mediation_desk.services.search import SearchFilter, search_cases
from mediation_desk.ui import case_dialogs as dialogs
from mediation_desk.ui.case_editor import CaseEditor, load_bundle
from mediation_desk.ui.forms import FormDialog
from mediation_desk.ui.tasks import TaskRunner
from mediation_desk.ui.widgets import select_data

D = TypeVar("D", bound=FormDialog)


@pytest.fixture
def signed_in(desk: Desk) -> Desk:
    desk.actor = Actor.signed_in("gui", "admin", UserRole.ADMIN)
    return desk


def new_case(desk: Desk, *, accept: bool = True) -> CaseInput:
    data = CaseInput(
        intake_date=date.today() - timedelta(days=3),
        source=CaseSource.APPLICATION,
        category="0401",
        parties=[PartyInput("张三", PartyRole.APPLICANT), PartyInput("李四", PartyRole.RESPONDENT)],
        facts="借款两万元到期未还",
        accept=accept,
    )
    register_case(desk, data)
    return data


@pytest.fixture
def editor(qtbot: QtBot, signed_in: Desk, runner: TaskRunner) -> Iterator[CaseEditor]:
    new_case(signed_in)
    row = search_cases(signed_in)[0]
    window = CaseEditor(signed_in, runner, load_bundle(signed_in, row.id))
    window.show()
    yield window
    window.intake.dirty = window.outcome.dirty = window.mediators.dirty = window.parties_dirty = False
    window.close()


def fill_with(monkeypatch: pytest.MonkeyPatch, kind: type[D], fill: Callable[[D], None]) -> None:
    """The next ``kind`` form is filled by ``fill`` and submitted instead of waiting for a person."""

    def run(self: D) -> int:
        fill(self)
        self.submit()
        assert self.saved, [row.error for row in self.fields.values() if row.has_error] or self.message.message()
        return 1

    monkeypatch.setattr(kind, "exec", run)


def status(editor: CaseEditor) -> CaseStatus:
    return editor.bundle.detail.row.status


def assign_and_record(monkeypatch: pytest.MonkeyPatch, editor: CaseEditor) -> None:
    """Assign the roster's mediator, then an investigation and a session."""

    def tick_first(dialog: dialogs.AssignDialog) -> None:
        item = dialog.choices.item(0)
        assert item is not None
        item.setCheckState(item.checkState().Checked)

    fill_with(monkeypatch, dialogs.AssignDialog, tick_first)
    editor.mediators.assign_button.click()
    assert status(editor) is CaseStatus.MEDIATING
    assert [m.name for m in editor.bundle.detail.mediators] == ["王调解"]

    def investigation(dialog: dialogs.InvestigationDialog) -> None:
        assert dialog.investigator.text() == "王调解"  # the presiding mediator, filled in
        dialog.interviewee.setText("张三")
        dialog.body.setPlainText("借条一张，金额两万元")

    fill_with(monkeypatch, dialogs.InvestigationDialog, investigation)
    editor.records.investigation_button.click()
    fill_with(monkeypatch, dialogs.SessionDialog, lambda d: d.body.setPlainText("双方同意分两期还款"))
    editor.records.session_button.click()
    assert [record.kind for record in editor.bundle.detail.records] == ["investigation", "session"]


def conclude_with_written_agreement(monkeypatch: pytest.MonkeyPatch, editor: CaseEditor, desk: Desk) -> None:
    def written(dialog: dialogs.ConcludeDialog) -> None:
        select_data(dialog.kind, OutcomeKind.WRITTEN_AGREEMENT)
        dialog.amount.setText("20,000")

    fill_with(monkeypatch, dialogs.ConcludeDialog, written)
    editor.outcome.conclude_button.click()
    assert status(editor) is CaseStatus.AGREED
    assert editor.tabs.currentWidget() is editor.outcome
    assert editor.outcome.agreement_box.isVisibleTo(editor.outcome)
    terms = editor.outcome.terms
    terms.add_term("李四于本月底前归还张三一万元", edit=False)
    terms.add_term("余款一万元于下月底前还清", edit=False)
    editor.outcome.has_deadline.setChecked(True)
    editor.outcome.deadline.setDate(QDate.currentDate())
    editor.outcome.manner.setText("银行转账")
    editor.outcome.manner.textEdited.emit("银行转账")
    editor.outcome.save_agreement.click()
    agreement = agreement_of(desk, editor.case_id)
    assert agreement is not None
    assert agreement.terms == ("李四于本月底前归还张三一万元", "余款一万元于下月底前还清")
    assert agreement.state is AgreementState.DRAFT
    assert agreement.copies == 3  # one per party and one for the committee


def follow_up_and_close(monkeypatch: pytest.MonkeyPatch, editor: CaseEditor) -> None:
    assert editor.records.follow_up_button.isEnabled()

    def visit(dialog: dialogs.FollowUpDialog) -> None:
        assert dialog.party.text() == "张三"
        select_data(dialog.performance, Performance.PERFORMED)

    fill_with(monkeypatch, dialogs.FollowUpDialog, visit)
    editor.records.follow_up_button.click()
    assert editor.bundle.detail.outcome is not None
    assert editor.bundle.detail.outcome.performance is Performance.PERFORMED
    fill_with(monkeypatch, dialogs.CloseDialog, lambda _dialog: None)
    editor.outcome.close_button.click()
    assert status(editor) is CaseStatus.CLOSED


def test_the_whole_life_of_a_case(monkeypatch: pytest.MonkeyPatch, editor: CaseEditor, signed_in: Desk) -> None:
    desk = signed_in
    add_mediator(desk, MediatorInput("王调解"))
    assert status(editor) is CaseStatus.ACCEPTED
    assert not editor.outcome.accept_button.isEnabled()
    assert editor.outcome.close_button.toolTip() == "调解结束后才能结案。"
    assert not editor.records.follow_up_button.isEnabled()
    assign_and_record(monkeypatch, editor)
    conclude_with_written_agreement(monkeypatch, editor, desk)
    follow_up_and_close(monkeypatch, editor)
    assert not editor.intake.isEnabled()
    assert editor.intake.toolTip() == "案件已结案归档，不能再修改。"
    assert not editor.records.session_button.isEnabled()
    history = editor.history.list.table
    people = {history.item(row, 1).text() for row in range(history.rowCount())}  # type: ignore[union-attr]
    assert people == {"admin"}  # the signed-in account, not the operating-system user
    operations = [history.item(row, 2).text() for row in range(history.rowCount())]  # type: ignore[union-attr]
    assert operations[0] == "受理登记"
    assert operations[-1] == "结案"
    assert "已拟定协议" in operations
    found = search_cases(desk, SearchFilter(text="zs"))  # the applicant 张三 by pinyin initials
    assert [row.id for row in found] == [editor.case_id]
    assert search_cases(desk, SearchFilter(text="zhangs"))[0].status is CaseStatus.CLOSED


def test_an_oral_agreement(monkeypatch: pytest.MonkeyPatch, editor: CaseEditor, signed_in: Desk) -> None:
    add_mediator(signed_in, MediatorInput("王调解"))
    fill_with(monkeypatch, dialogs.SessionDialog, lambda d: d.body.setPlainText("当场达成口头协议"))
    editor.records.session_button.click()
    fill_with(monkeypatch, dialogs.ConcludeDialog, lambda d: select_data(d.kind, OutcomeKind.ORAL_AGREEMENT))
    editor.outcome.conclude_button.click()
    assert editor.bundle.detail.outcome is not None
    assert editor.bundle.detail.outcome.kind is OutcomeKind.ORAL_AGREEMENT
    editor.outcome.terms.add_term("李四当场归还张三五千元", edit=False)
    editor.save_agreement()
    agreement = agreement_of(signed_in, editor.case_id)
    assert agreement is not None
    assert agreement.oral
    assert agreement.copies == 1
    assert agreement.effective_date == date.today()  # effective when reached (Art. 28)
    assert not editor.records.confirmation_button.isEnabled()
    assert editor.records.confirmation_button.toolTip() == "只有书面调解协议才能申请司法确认。"


def test_a_refusal_needs_its_reason(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, signed_in: Desk, runner: TaskRunner
) -> None:
    new_case(signed_in, accept=False)
    row = search_cases(signed_in)[0]
    editor = CaseEditor(signed_in, runner, load_bundle(signed_in, row.id))
    qtbot.addWidget(editor)
    assert status(editor) is CaseStatus.REGISTERED
    assert editor.outcome.refuse_button.isEnabled()
    assert not editor.mediators.assign_button.isEnabled()

    dialog = dialogs.RefuseDialog(runner, signed_in, row.id, editor)
    qtbot.addWidget(dialog)
    dialog.submit()
    assert dialog.fields["reason"].error == "请写明不予受理的理由"
    dialog.reason.setPlainText("人民法院已受理该纠纷")
    assert dialog.fields["reason"].error == ""  # gone as soon as the input is right
    dialog.dirty = False

    fill_with(monkeypatch, dialogs.RefuseDialog, lambda d: d.reason.setPlainText("人民法院已受理该纠纷"))
    editor.outcome.refuse_button.click()
    assert status(editor) is CaseStatus.REFUSED
    detail = get_case(signed_in, row.id)
    assert detail.refusal_reason == "人民法院已受理该纠纷"
    assert not editor.outcome.conclude_button.isEnabled()
    assert editor.outcome.close_button.isEnabled()


def test_parties_are_edited_in_full(editor: CaseEditor, signed_in: Desk) -> None:
    card = editor.parties.editors[0]
    card.id_number_edit.setText("11010519491231002X")
    card.id_number_edit.textEdited.emit("11010519491231002X")  # checked as it is typed
    assert card.fields["id_number"].error == ""
    assert card.birth_value() == date(1949, 12, 31)
    assert card.gender_combo.currentText() == "女"
    card.agent_edit.setText("王律师")
    card.agent_phone_edit.setText("13800138000")
    editor.parties_dirty = True
    editor.save()
    detail = get_case(signed_in, editor.case_id)
    applicant = next(party for party in detail.parties if party.role is PartyRole.APPLICANT)
    assert (applicant.name, applicant.agent_name, applicant.birth_date) == ("张三", "王律师", date(1949, 12, 31))
    assert not editor.dirty


def test_an_id_number_that_disagrees_with_the_gender_is_a_warning_at_once(editor: CaseEditor) -> None:
    card = editor.parties.editors[0]
    select_data(card.gender_combo, None)
    card.gender_combo.setCurrentIndex(card.gender_combo.findText("男"))
    card.id_number_edit.setText("11010519491231002X")
    card.id_number_edit.textEdited.emit("11010519491231002X")
    assert card.fields["gender"].message.message() == "身份证号码显示为女"
    assert not card.fields["gender"].has_error  # a warning; saving refuses it


def test_the_mediators_tab_says_who_chose_each_mediator_and_why_one_stepped_aside(
    monkeypatch: pytest.MonkeyPatch, editor: CaseEditor, signed_in: Desk
) -> None:
    add_mediator(signed_in, MediatorInput("王调解"))
    add_mediator(signed_in, MediatorInput("赵调解"))

    def chosen_by_the_parties(dialog: dialogs.AssignDialog) -> None:
        for row in range(dialog.choices.count()):
            item = dialog.choices.item(row)
            assert item is not None
            item.setCheckState(item.checkState().Checked)
        dialog.chosen.setChecked(True)

    fill_with(monkeypatch, dialogs.AssignDialog, chosen_by_the_parties)
    editor.mediators.assign_button.click()

    def step_aside(dialog: dialogs.RecuseDialog) -> None:
        dialog.mediator.setCurrentIndex(dialog.mediator.findText("赵调解"))
        dialog.reason.setPlainText("与申请人系亲属")

    fill_with(monkeypatch, dialogs.RecuseDialog, step_aside)
    editor.mediators.recuse_button.click()
    table = editor.mediators.list.table
    headers = [table.horizontalHeaderItem(column).text() for column in range(table.columnCount())]  # type: ignore[union-attr]
    assert headers == ["姓名", "身份", "选定方式", "指派日期", "已回避"]
    rows = {
        table.item(row, 0).text(): [table.item(row, column).text() for column in range(1, 5)]  # type: ignore[union-attr]
        for row in range(table.rowCount())
    }
    assert rows["王调解"][1] == rows["赵调解"][1] == "当事人选定"
    assert rows["王调解"][3] == ""
    assert rows["赵调解"][3] == "是：与申请人系亲属"
