"""The registration form: inline Chinese validation from the domain, saving through the services, and no input
lost silently. Driven through ``CaseForm.register`` (the seam) or a form built directly."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from mediation_desk.domain.codes import CaseSource, Gender, PartyRole
from mediation_desk.services.cases import count_cases, get_case, register_case
from mediation_desk.services.desk import Desk
from mediation_desk.ui.case_form import CaseForm
from mediation_desk.ui.tasks import TaskRunner
from mediation_desk.ui.widgets import select_data

VALID_ID = "11010519491231002X"  # GB 11643's own example
BAD_CHECK_DIGIT = "110105194912310021"


@pytest.fixture
def form(qtbot: QtBot, desk: Desk, runner: TaskRunner) -> Iterator[CaseForm]:
    dialog = CaseForm(runner, lambda data: register_case(desk, data).value)
    dialog.show()
    qtbot.waitExposed(dialog)
    yield dialog
    dialog.dirty = False  # closed here, after the test, without the unsaved-input question
    dialog.close()
    dialog.deleteLater()


def fill_minimum(form: CaseForm) -> None:
    form.category.setCurrentIndex(form.category.findData("0401"))
    form.facts.setPlainText("借款两万元到期未还")
    form.parties.editors[0].name_edit.setText("张三")
    form.parties.editors[1].name_edit.setText("李四")


def test_register_seam_saves_the_case(monkeypatch: pytest.MonkeyPatch, desk: Desk, runner: TaskRunner) -> None:
    def fill(self: CaseForm) -> int:
        fill_minimum(self)
        self.amount.setText("20,000")
        editor = self.parties.editors[0]
        editor.id_number_edit.setText(VALID_ID.lower())
        editor.phone_edit.setText("138 0013 8000")
        self.save()
        return self.result()

    monkeypatch.setattr(CaseForm, "exec", fill)
    row, ok = CaseForm.register(None, runner, desk)
    assert ok
    assert row is not None
    assert row.applicants == "张三"
    assert row.category_name == "民间借贷纠纷"
    assert row.amount_fen == 2_000_000
    detail = get_case(desk, row.id)
    applicant = detail.parties[0]
    assert (applicant.id_number, applicant.phone, applicant.gender) == (VALID_ID, "13800138000", Gender.FEMALE)


def test_leaving_the_form_unsaved_returns_nothing(
    monkeypatch: pytest.MonkeyPatch, desk: Desk, runner: TaskRunner
) -> None:
    monkeypatch.setattr(CaseForm, "exec", lambda self: 0)
    assert CaseForm.register(None, runner, desk) == (None, False)
    assert count_cases(desk) == 0


def test_a_wrong_id_number_is_shown_beside_the_field_and_nothing_is_saved(form: CaseForm, desk: Desk) -> None:
    fill_minimum(form)
    editor = form.parties.editors[0]
    editor.id_number_edit.setText(BAD_CHECK_DIGIT)
    editor.phone_edit.setText("12345")
    form.save()
    assert editor.fields["id_number"].error == "身份证号码校验位不正确，请核对后重新输入"
    assert editor.fields["id_number"].message.isVisible()
    assert editor.fields["phone"].error.startswith("电话号码格式不正确")  # every problem at once, not one by one
    assert form.summary.text() == "尚未保存。请先改正标为红色的内容。"
    assert form.isVisible()
    assert form.saved is None
    assert count_cases(desk) == 0
    editor.id_number_edit.setText(VALID_ID)
    editor.phone_edit.setText("0578-3123456")
    form.save()
    assert form.saved is not None
    assert count_cases(desk) == 1


def test_leaving_the_id_field_checks_it_and_fills_in_the_gender(form: CaseForm) -> None:
    editor = form.parties.editors[0]
    editor.id_number_edit.setText("110105491231002")  # a legacy 15-digit number
    editor.id_number_edit.editingFinished.emit()
    assert editor.id_number_edit.text() == "110105194912310025"[:17] + editor.id_number_edit.text()[17]
    assert len(editor.id_number_edit.text()) == 18
    assert editor.gender_combo.currentData() == Gender.FEMALE.value
    assert not editor.fields["id_number"].has_error


def test_form_level_rules(form: CaseForm, desk: Desk) -> None:
    form.parties.editors[0].name_edit.setText("张三")
    select_data(form.source, CaseSource.REFERRAL)
    form.amount.setText("十元")
    form.save()
    assert form.fields["category"].error == "请选择纠纷类型"
    assert form.fields["referral_body"].error == "请填写委托移送单位"
    assert form.fields["amount"].error == "金额“十元”不是数字"
    assert count_cases(desk) == 0


def test_a_service_error_lands_on_its_field(form: CaseForm, desk: Desk) -> None:
    form.category.setCurrentIndex(form.category.findData("02"))
    form.save()  # both party cards are blank: the service says a party is needed
    assert form.parties.message.text() == "至少需要登记一名当事人"
    assert form.parties.message.isVisible()
    assert count_cases(desk) == 0


def test_the_intake_date_cannot_be_in_the_future(form: CaseForm) -> None:
    assert form.intake_date.maximumDate() == QDate.currentDate()
    form.intake_date.setDate(QDate.currentDate().addDays(3))
    assert form.intake_date.date().toPython() == date.today()


def test_parties_are_added_and_removed(form: CaseForm) -> None:
    form.parties.add_buttons[PartyRole.THIRD_PARTY].click()
    form.parties.add_buttons[PartyRole.APPLICANT].click()
    titles = [editor.title() for editor in form.parties.editors]
    assert titles == ["申请人 1", "被申请人 1", "第三人 1", "申请人 2"]
    form.parties.editors[2].remove_button.click()
    assert [editor.title() for editor in form.parties.editors] == ["申请人 1", "被申请人 1", "申请人 2"]


def test_closing_with_unsaved_input_asks_first(form: CaseForm, monkeypatch: pytest.MonkeyPatch, desk: Desk) -> None:
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    asked: list[str] = []

    def question(*args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    form.close()  # nothing typed yet: closes without asking
    assert asked == []
    form.show()
    form.parties.editors[0].name_edit.setText("张三")
    form.parties.editors[0].name_edit.textEdited.emit("张三")
    form.reject()  # Esc or the Cancel button
    assert form.isVisible()  # "Cancel": keep editing
    form.close()  # the window's close button
    assert not form.isVisible()  # "Discard"
    assert asked == ["此案件尚未保存。现在保存，还是放弃已填写的内容？"] * 2
    assert count_cases(desk) == 0


def test_saving_from_the_unsaved_question(form: CaseForm, monkeypatch: pytest.MonkeyPatch, desk: Desk) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Save)
    fill_minimum(form)
    form.facts.setPlainText("改过的案情")
    form.reject()
    assert form.saved is not None
    assert count_cases(desk) == 1
