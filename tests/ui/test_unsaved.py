"""Unsaved changes are never lost silently: the case editor asks on close and on Esc, and keeps an encrypted
draft that a later start offers back; the small forms ask too."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from mediation_desk.domain.codes import PartyRole
from mediation_desk.services import drafts
from mediation_desk.services.cases import get_case
from mediation_desk.services.desk import Desk
from mediation_desk.services.search import search_cases
from mediation_desk.ui.case_dialogs import SessionDialog
from mediation_desk.ui.case_editor import CaseEditor, load_bundle
from mediation_desk.ui.case_form import CaseForm, draft_key
from mediation_desk.ui.tasks import TaskRunner
from tests.ui.conftest import add_cases

Answer = QMessageBox.StandardButton


@pytest.fixture
def case_id(desk: Desk) -> uuid.UUID:
    add_cases(desk, 1)
    return search_cases(desk)[0].id


def editor_for(qtbot: QtBot, desk: Desk, runner: TaskRunner, case_id: uuid.UUID) -> CaseEditor:
    editor = CaseEditor(desk, runner, load_bundle(desk, case_id))
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def type_facts(editor: CaseEditor, text: str) -> None:
    editor.intake.facts.setPlainText(text)
    assert editor.dirty


def answering(monkeypatch: pytest.MonkeyPatch, answer: Answer) -> list[str]:
    asked: list[str] = []

    def ask(self: CaseEditor) -> Answer:
        asked.append(self.windowTitle())
        return answer

    monkeypatch.setattr(CaseEditor, "ask_discard", ask)
    return asked


def test_esc_asks_and_cancel_keeps_editing(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, desk: Desk, runner: TaskRunner, case_id: uuid.UUID
) -> None:
    editor = editor_for(qtbot, desk, runner, case_id)
    type_facts(editor, "改过的案情")
    asked = answering(monkeypatch, Answer.Cancel)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert len(asked) == 1
    assert editor.isVisible()
    answering(monkeypatch, Answer.Discard)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible()
    assert get_case(desk, case_id).facts != "改过的案情"


def test_closing_asks_and_save_saves(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, desk: Desk, runner: TaskRunner, case_id: uuid.UUID
) -> None:
    editor = editor_for(qtbot, desk, runner, case_id)
    type_facts(editor, "保存后的案情")
    asked = answering(monkeypatch, Answer.Save)
    editor.close()
    assert len(asked) == 1
    assert not editor.isVisible()
    assert get_case(desk, case_id).facts == "保存后的案情"


def test_a_clean_editor_closes_without_asking(qtbot: QtBot, desk: Desk, runner: TaskRunner, case_id: uuid.UUID) -> None:
    editor = editor_for(qtbot, desk, runner, case_id)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # no question: the autouse fixture would fail the test
    assert not editor.isVisible()


def test_ctrl_s_saves(qtbot: QtBot, desk: Desk, runner: TaskRunner, case_id: uuid.UUID) -> None:
    editor = editor_for(qtbot, desk, runner, case_id)
    type_facts(editor, "快捷键保存")
    shortcuts = [found for found in editor.findChildren(QShortcut) if found.key() == QKeySequence("Ctrl+S")]
    assert len(shortcuts) == 1
    shortcuts[0].activated.emit()  # what Ctrl+S does (the offscreen platform gives no window the keyboard focus)
    assert not editor.dirty
    assert get_case(desk, case_id).facts == "快捷键保存"
    editor.close()


def test_the_draft_is_kept_encrypted_and_offered_back(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, desk: Desk, runner: TaskRunner, case_id: uuid.UUID
) -> None:
    editor = editor_for(qtbot, desk, runner, case_id)
    type_facts(editor, "断电前输入的案情")
    editor.autosave()
    stored = desk.data_dir.root / drafts.FOLDER / f"{editor.draft_key}.draft"
    assert stored.is_file()
    assert "断电前".encode() not in stored.read_bytes()  # encrypted with the desk's data key
    editor.intake.dirty = False
    editor.close()  # as if the program had stopped: the draft stays
    monkeypatch.setattr(CaseEditor, "ask_restore_draft", lambda self: Answer.Yes)
    again = editor_for(qtbot, desk, runner, case_id)
    again.offer_draft()
    assert again.intake.facts.toPlainText() == "断电前输入的案情"
    assert again.dirty
    again.save()
    assert not stored.exists()  # saving discards the draft
    assert get_case(desk, case_id).facts == "断电前输入的案情"
    again.close()


def test_a_form_asks_before_discarding_typed_input(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, desk: Desk, runner: TaskRunner, case_id: uuid.UUID
) -> None:
    dialog = SessionDialog(runner, desk, case_id, None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.body.setPlainText("记了一半")
    asked: list[bool] = []

    def ask(_self: SessionDialog) -> Answer:
        asked.append(True)
        return Answer.Cancel

    monkeypatch.setattr(SessionDialog, "ask_discard", ask)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == [True]
    assert dialog.isVisible()
    dialog.dirty = False
    dialog.close()


def test_a_registration_is_kept_as_a_draft_and_offered_back(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, desk: Desk, runner: TaskRunner
) -> None:
    def type_and_crash(self: CaseForm) -> int:
        self.category.setCurrentIndex(self.category.findData("0401"))
        self.facts.setPlainText("停电前登记的借款纠纷")
        self.amount.setText("3,000")
        self.parties.editors[0].name_edit.setText("钱申请")
        self.parties.editors[0].phone_edit.setText("13800138000")
        self.parties.add_party(PartyRole.THIRD_PARTY).name_edit.setText("孙第三")
        self.dirty = True
        self.autosave()
        self.dirty = False  # the window goes away without saving, as when the power fails
        return 0

    monkeypatch.setattr(CaseForm, "exec", type_and_crash)
    assert CaseForm.register(None, runner, desk) == (None, False)
    stored = desk.data_dir.root / drafts.FOLDER / f"{draft_key(desk)}.draft"
    assert stored.is_file()
    assert "停电前".encode() not in stored.read_bytes()
    assert b"13800138000" not in stored.read_bytes()

    def save_what_came_back(self: CaseForm) -> int:
        assert self.facts.toPlainText() == "停电前登记的借款纠纷"
        assert [editor.name_edit.text() for editor in self.parties.editors] == ["钱申请", "", "孙第三"]
        assert self.parties.editors[2].role is PartyRole.THIRD_PARTY
        self.parties.editors[1].name_edit.setText("周被申")
        self.save()
        return self.result()

    monkeypatch.setattr(CaseForm, "ask_restore_draft", lambda self: Answer.Yes)
    monkeypatch.setattr(CaseForm, "exec", save_what_came_back)
    row, ok = CaseForm.register(None, runner, desk)
    assert ok
    assert row is not None
    assert row.amount_fen == 300_000
    assert [party.name for party in get_case(desk, row.id).parties] == ["钱申请", "周被申", "孙第三"]
    assert not stored.exists()  # saving drops the draft


def test_a_refused_registration_draft_is_dropped(
    monkeypatch: pytest.MonkeyPatch, desk: Desk, runner: TaskRunner
) -> None:
    drafts.save_draft(desk, draft_key(desk), {"facts": "不要了", "parties": []})
    monkeypatch.setattr(CaseForm, "ask_restore_draft", lambda self: Answer.No)
    seen: list[str] = []

    def look(self: CaseForm) -> int:
        seen.append(self.facts.toPlainText())
        return 0

    monkeypatch.setattr(CaseForm, "exec", look)
    CaseForm.register(None, runner, desk)
    assert seen == [""]
    assert drafts.load_draft(desk, draft_key(desk)) is None


def test_edited_party_cards_are_kept_in_the_case_draft(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, desk: Desk, runner: TaskRunner, case_id: uuid.UUID
) -> None:
    editor = editor_for(qtbot, desk, runner, case_id)
    card = editor.parties.editors[0]
    card.address_edit.setText("某村三组")
    card.address_edit.textEdited.emit("某村三组")
    assert editor.parties_dirty
    editor.autosave()
    editor.parties_dirty = False
    editor.close()
    monkeypatch.setattr(CaseEditor, "ask_restore_draft", lambda self: Answer.Yes)
    again = editor_for(qtbot, desk, runner, case_id)
    again.offer_draft()
    assert again.parties.editors[0].address_edit.text() == "某村三组"
    assert again.parties.editors[0].party_id == card.party_id
    again.save()
    assert get_case(desk, case_id).parties[0].address == "某村三组"
    assert len(get_case(desk, case_id).parties) == 2
    again.close()
