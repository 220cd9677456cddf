"""Forms that behave: an error vanishes as soon as the input is right, without moving anything; every error at
once on submit; Enter submits; distinct mnemonics; the roster's and the settings' forms."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from mediation_desk.domain.codes import Employment, OrgLevel
from mediation_desk.services.desk import Desk
from mediation_desk.services.mediators import list_mediators
from mediation_desk.services.orgs import list_orgs
from mediation_desk.services.roster import mediator_detail
from mediation_desk.services.search import search_cases
from mediation_desk.ui import case_dialogs as dialogs
from mediation_desk.ui.forms import FormDialog
from mediation_desk.ui.main_window import subtree
from mediation_desk.ui.roster_dialogs import AssessmentDialog, MediatorDialog, PairingDialog
from mediation_desk.ui.rosters_page import RostersPage
from mediation_desk.ui.settings_page import SettingsPage
from mediation_desk.ui.tasks import TaskRunner
from mediation_desk.ui.widgets import select_data
from tests.ui.conftest import add_cases


@pytest.fixture
def case_id(desk: Desk) -> uuid.UUID:
    add_cases(desk, 1)
    return search_cases(desk)[0].id


def shown(qtbot: QtBot, dialog: FormDialog) -> FormDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def mnemonics(widget: QWidget) -> list[str]:
    texts = [label.text() for label in widget.findChildren(QLabel)]
    return [found.group(1).upper() for text in texts for found in [re.search(r"&(\w)", text)] if found]


def test_every_error_at_once_and_gone_when_right_without_moving(
    qtbot: QtBot, desk: Desk, runner: TaskRunner, case_id: uuid.UUID
) -> None:
    dialog = shown(qtbot, dialogs.InvestigationDialog(runner, desk, case_id, "", None))
    assert isinstance(dialog, dialogs.InvestigationDialog)
    body_top = dialog.body.mapTo(dialog, dialog.body.rect().topLeft())
    dialog.submit()
    errors = {key: row.error for key, row in dialog.fields.items() if row.has_error}
    assert errors == {"investigator": "请填写调查人", "interviewee": "请填写被调查人", "body": "请填写调查内容"}
    assert dialog.body.mapTo(dialog, dialog.body.rect().topLeft()) == body_top  # the form did not move
    dialog.investigator.setText("王调解")
    assert dialog.fields["investigator"].error == ""  # gone at once
    assert dialog.fields["interviewee"].error == "请填写被调查人"  # the others stay until fixed
    assert dialog.body.mapTo(dialog, dialog.body.rect().topLeft()) == body_top
    assert not dialog.saved
    dialog.dirty = False


def test_enter_submits(qtbot: QtBot, desk: Desk, runner: TaskRunner, case_id: uuid.UUID) -> None:
    dialog = shown(qtbot, dialogs.ConfirmationDialog(runner, desk, case_id, None))
    assert isinstance(dialog, dialogs.ConfirmationDialog)
    qtbot.keyClick(dialog.court, Qt.Key.Key_Return)
    assert dialog.fields["court"].error == "请填写人民法院"  # Enter ran the checks (and the service was not called)
    dialog.dirty = False


def test_mnemonics_are_distinct_in_each_form(qtbot: QtBot, desk: Desk, runner: TaskRunner, case_id: uuid.UUID) -> None:
    forms = [
        dialogs.InvestigationDialog(runner, desk, case_id, "", None),
        dialogs.SessionDialog(runner, desk, case_id, None),
        dialogs.FollowUpDialog(runner, desk, case_id, "", "", None),
        dialogs.ConfirmationDialog(runner, desk, case_id, None),
        MediatorDialog(runner, desk, list_orgs(desk), None, None),
    ]
    for form in forms:
        qtbot.addWidget(form)
        letters = mnemonics(form)
        assert len(letters) == len(set(letters)), f"{form.windowTitle()}: {letters}"


def test_the_roster_forms(qtbot: QtBot, desk: Desk, runner: TaskRunner) -> None:
    orgs = subtree(list_orgs(desk), desk.setting("desk.org_code"))
    page = RostersPage(desk, runner, orgs)
    qtbot.addWidget(page)
    assert page.empty.isVisibleTo(page)
    form = shown(qtbot, MediatorDialog(runner, desk, orgs, None, None))
    assert isinstance(form, MediatorDialog)
    form.name.setText("王调解")
    form.phone.setText("12")
    form.submit()
    assert form.fields["phone"].error
    form.phone.setText("13800138000")
    assert form.fields["phone"].error == ""
    select_data(form.employment, Employment.FULL_TIME)
    form.instructor.setChecked(True)
    form.submit()
    assert form.saved
    page.refresh()
    assert page.table.rowCount() == 1
    assert page.table.item(0, 6).text() == "13800138000"  # type: ignore[union-attr]  # the administrator sees it
    mediator = list_mediators(desk)[0]
    village = desk.setting("desk.org_code")
    pairing = shown(qtbot, PairingDialog(runner, desk, mediator.id, mediator.name, orgs, None))
    assert isinstance(pairing, PairingDialog)
    select_data(pairing.village, village)
    pairing.submit()
    assessment = shown(qtbot, AssessmentDialog(runner, desk, mediator.id, mediator.name, None))
    assessment.submit()
    detail = mediator_detail(desk, mediator.id)
    assert detail.legal_instructor
    assert detail.employment is Employment.FULL_TIME
    assert [p.org_code for p in detail.pairings] == [village]
    assert len(detail.assessments) == 1


def test_a_village_list_is_imported_into_the_tree(
    qtbot: QtBot, desk: Desk, runner: TaskRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    csv_file = tmp_path / "villages.csv"
    csv_file.write_text("code,name,level,parent_code\n331122001002,示例二村,village,331122001\n", encoding="utf-8")
    page = RostersPage(desk, runner, list_orgs(desk))
    qtbot.addWidget(page)
    shown_boxes: list[str] = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.information", lambda *args: shown_boxes.append(args[2]))
    page.import_file(csv_file)
    assert shown_boxes == ["新增 1 个，更新 0 个，0 个已在工作台中。"]
    page.refresh()
    names = [item.text(0) for item in page.tree.findItems("示例二村", Qt.MatchFlag.MatchRecursive)]
    assert names == ["示例二村"]
    assert any(org.level is OrgLevel.VILLAGE and org.name == "示例二村" for org in list_orgs(desk))


def test_settings_font_size_and_backup(qtbot: QtBot, desk: Desk, runner: TaskRunner) -> None:
    page = SettingsPage(desk, runner)
    qtbot.addWidget(page)
    assert page.backup_note.text() == "还没有备份：请立即建立一个。"
    page.back_up()
    assert len(page.backups) == 1
    before = QApplication.font().pointSizeF()
    page.font_size.setValue(14)
    assert page.dirty
    page.save()
    assert QApplication.font().pointSizeF() == 14
    page.font_size.setValue(int(before))
    page.save()
