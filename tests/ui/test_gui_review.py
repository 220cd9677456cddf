"""The GUI as a newcomer finds it (issue 9): every form fits a 1366×768 screen, and a 1366×768 laptop at 125%
(1093×614 logical pixels) once it scrolls; no two controls of a window share a mnemonic (also with the main
window's menus); every push button has an icon; a case's party cards are replaced cleanly when it is reloaded."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCommandLinkButton,
    QDialog,
    QLabel,
    QMenuBar,
    QPushButton,
    QScrollArea,
    QWidget,
)
from pytestqt.qtbot import QtBot

from mediation_desk.domain.codes import CaseSource, OutcomeKind, PartyRole, UserRole
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services.cases import assign_mediators, conclude_case, get_case, register_case
from mediation_desk.services.casework import agreement_of
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.mediators import MediatorInput, add_mediator, list_mediators
from mediation_desk.services.orgs import list_orgs
from mediation_desk.services.roster import mediator_detail
from mediation_desk.ui import case_dialogs as cd
from mediation_desk.ui import roster_dialogs as rd
from mediation_desk.ui.case_editor import CaseEditor, load_bundle
from mediation_desk.ui.case_form import CaseForm
from mediation_desk.ui.case_parties import PartiesSection, PartyEditor
from mediation_desk.ui.main_window import PAGE_ROSTERS, PAGE_SETTINGS, MainWindow
from mediation_desk.ui.settings_page import PasswordDialog
from mediation_desk.ui.tasks import TaskRunner

SCREEN = (1366, 768 - 40)  # less the task bar
SCREEN_125 = (1093, 614 - 40)  # 1366×768 at 125%, in logical pixels
MNEMONIC = re.compile(r"&([^&\s])")

Make = Callable[[Desk, TaskRunner, uuid.UUID], QDialog]


def _case(desk: Desk) -> uuid.UUID:
    data = CaseInput(
        intake_date=date.today(),
        source=CaseSource.APPLICATION,
        category="0401",
        parties=[PartyInput("张三", PartyRole.APPLICANT), PartyInput("李四", PartyRole.RESPONDENT)],
        facts="借款两万元到期未还",
    )
    return register_case(desk, data).value.id


def _mediator(desk: Desk) -> uuid.UUID:
    add_mediator(desk, MediatorInput("王调解"))
    return list_mediators(desk)[0].id


DIALOGS: dict[str, Make] = {
    "refuse": lambda desk, runner, case: cd.RefuseDialog(runner, desk, case, None),
    "assign": lambda desk, runner, case: cd.AssignDialog(runner, desk, case, list_mediators(desk), [], None),
    "recuse": lambda desk, runner, case: cd.RecuseDialog(runner, desk, case, [], None),
    "investigation": lambda desk, runner, case: cd.InvestigationDialog(runner, desk, case, "王调解", None),
    "session": lambda desk, runner, case: cd.SessionDialog(runner, desk, case, None),
    "conclude": lambda desk, runner, case: cd.ConcludeDialog(
        runner, desk, case, CaseStatus.MEDIATING, date.today(), None
    ),
    "follow-up": lambda desk, runner, case: cd.FollowUpDialog(runner, desk, case, "张三", "王调解", None),
    "confirmation": lambda desk, runner, case: cd.ConfirmationDialog(runner, desk, case, None),
    "close": lambda desk, runner, case: cd.CloseDialog(runner, desk, case, date.today(), None),
    "mediator": lambda desk, runner, _case: rd.MediatorDialog(runner, desk, list_orgs(desk), None, None),
    "mediator-edit": lambda desk, runner, _case: rd.MediatorDialog(
        runner, desk, list_orgs(desk), mediator_detail(desk, list_mediators(desk)[0].id), None
    ),
    "pairing": lambda desk, runner, _case: rd.PairingDialog(
        runner, desk, list_mediators(desk)[0].id, "王调解", list_orgs(desk), None
    ),
    "assessment": lambda desk, runner, _case: rd.AssessmentDialog(
        runner, desk, list_mediators(desk)[0].id, "王调解", None
    ),
    "password": lambda desk, runner, _case: PasswordDialog(runner, desk, None),
    "register": lambda desk, runner, _case: CaseForm(runner, lambda data: register_case(desk, data).value),
}


@pytest.fixture(params=sorted(DIALOGS))
def dialog(request: pytest.FixtureRequest, qtbot: QtBot, desk: Desk, runner: TaskRunner) -> Iterator[QDialog]:
    _mediator(desk)
    made = DIALOGS[request.param](desk, runner, _case(desk))
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    yield made
    made.dirty = False  # type: ignore[attr-defined]


def shown(window: QWidget) -> list[QWidget]:
    return [widget for widget in window.findChildren(QWidget) if widget.isVisible()]


def mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Each Alt+letter of the visible controls: labels with a buddy, buttons, tabs, the menu bar."""
    owners: dict[str, list[str]] = {}
    texts: list[str] = []
    for widget in shown(window):
        if (isinstance(widget, QLabel) and widget.buddy() is not None) or isinstance(widget, QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QMenuBar):
            texts += [action.text() for action in widget.actions()]
    for text in texts:
        found = MNEMONIC.search(text)
        if found:
            owners.setdefault(found.group(1).upper(), []).append(text)
    return owners


def shared(window: QWidget) -> dict[str, list[str]]:
    return {key: texts for key, texts in mnemonics(window).items() if len(texts) > 1}


def test_the_dialog_fits_the_screen_and_at_125_percent_once_it_scrolls(dialog: QDialog) -> None:
    hint, least = dialog.sizeHint(), dialog.minimumSizeHint()
    assert hint.width() <= SCREEN[0]
    assert hint.height() <= SCREEN[1]
    assert least.width() <= SCREEN_125[0]
    assert least.height() <= SCREEN_125[1]


def test_no_two_controls_of_the_dialog_share_a_mnemonic(dialog: QDialog) -> None:
    assert mnemonics(dialog), "the dialog's labels carry mnemonics"
    assert shared(dialog) == {}


def test_every_push_button_of_the_dialog_has_an_icon(dialog: QDialog) -> None:
    bare = [
        button.text()
        for button in shown(dialog)
        if isinstance(button, QPushButton) and not isinstance(button, QCommandLinkButton) and button.icon().isNull()
    ]
    assert bare == []


@pytest.mark.parametrize("page", [PAGE_ROSTERS, PAGE_SETTINGS])
def test_a_page_shares_no_mnemonic_with_the_window_menus(main_window: MainWindow, page: int) -> None:
    main_window.show_page(page)
    owners = mnemonics(main_window)
    assert {"D", "A", "V", "H"} <= owners.keys()  # the menus are counted
    assert shared(main_window) == {}


@pytest.mark.parametrize("page", [PAGE_ROSTERS, PAGE_SETTINGS])
def test_every_push_button_of_a_page_has_an_icon(main_window: MainWindow, page: int) -> None:
    main_window.show_page(page)
    bare = [b.text() for b in shown(main_window) if isinstance(b, QPushButton) and b.icon().isNull()]
    assert bare == []


def test_reloaded_party_cards_leave_no_old_card_painted(qtbot: QtBot, desk: Desk) -> None:
    detail = get_case(desk, _case(desk))
    section = PartiesSection()
    qtbot.addWidget(section)
    section.resize(1000, 700)
    section.show()
    section.fill(detail.parties, {})
    section.fill(detail.parties, {})  # a reload, before the event loop has deleted the old cards
    QCoreApplication.processEvents()  # new cards are shown; old ones are deleted only by an event loop
    cards = [card for card in section.findChildren(PartyEditor) if card.isVisible()]
    assert cards == section.editors
    assert len(cards) == 2
    section.editors[1].remove_button.click()
    QCoreApplication.processEvents()
    assert [card for card in section.findChildren(PartyEditor) if card.isVisible()] == section.editors[:1]


def test_an_optional_date_is_one_row_its_check_box_enabling_it(qtbot: QtBot, desk: Desk, runner: TaskRunner) -> None:
    form = rd.MediatorDialog(runner, desk, list_orgs(desk), None, None)
    qtbot.addWidget(form)
    form.name.setText("钱调解")
    assert not form.active_from.isEnabled()
    assert form.form.labelForField(form.fields["active_from"]) is form.has_from
    form.has_from.setChecked(True)
    assert form.active_from.isEnabled()
    assert form.dirty
    form.active_from.setDate(QDate(2024, 3, 1))
    form.submit()
    assert form.saved
    saved = mediator_detail(desk, list_mediators(desk, str(form.org.currentData()))[0].id)
    assert (saved.active_from, saved.active_to) == (date(2024, 3, 1), None)


@pytest.fixture
def editor(qtbot: QtBot, desk: Desk, runner: TaskRunner) -> CaseEditor:
    desk.actor = Actor.signed_in("gui", "admin", UserRole.ADMIN)
    window = CaseEditor(desk, runner, load_bundle(desk, _case(desk)))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_case_editor_fits_a_small_screen_at_125_percent(editor: CaseEditor) -> None:
    least = editor.minimumSizeHint()
    assert least.width() <= SCREEN_125[0]
    assert least.height() <= SCREEN_125[1]


def test_no_tab_of_the_case_editor_shares_a_mnemonic_or_lacks_an_icon(editor: CaseEditor) -> None:
    for index in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(index)
        assert shared(editor) == {}, editor.tabs.tabText(index)
        bare = [b.text() for b in shown(editor) if isinstance(b, QPushButton) and b.icon().isNull()]
        assert bare == [], editor.tabs.tabText(index)


def test_enter_in_a_line_of_a_form_saves_it(qtbot: QtBot, desk: Desk, runner: TaskRunner) -> None:
    form = rd.MediatorDialog(runner, desk, list_orgs(desk), None, None)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.phone.setFocus()
    qtbot.keyClick(form.phone, Qt.Key.Key_Return)
    assert form.fields["name"].error == "请输入调解员姓名"  # Save was pressed: the missing name is said
    form.name.setText("孙调解")
    qtbot.keyClick(form.name, Qt.Key.Key_Return)
    assert form.saved


def test_the_roster_table_fills_its_width(main_window: MainWindow, runner: TaskRunner) -> None:
    add_mediator(main_window.desk, MediatorInput("王调解"))
    main_window.show_page(PAGE_ROSTERS)
    page = main_window.rosters
    page.refresh()
    QCoreApplication.processEvents()
    header = page.table.horizontalHeader()
    used = sum(header.sectionSize(column) for column in range(page.table.columnCount()))
    assert page.table.rowCount() == 1
    assert used >= page.table.viewport().width() - 2


def tab_stops(start: QWidget) -> list[QWidget]:
    """The widgets Tab visits from ``start`` round to it again."""
    stops, widget = [start], start.nextInFocusChain()
    while widget is not None and widget is not start:
        takes_tab = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.focusProxy() is None
        if takes_tab and widget.isVisible() and widget.isEnabled() and widget.parentWidget() is not None:
            stops.append(widget)
        widget = widget.nextInFocusChain()
    return stops


def test_tab_goes_down_the_registration_then_through_the_cards_then_to_save(qtbot: QtBot, desk: Desk) -> None:
    form = CaseForm(TaskRunner(synchronous=True), lambda data: register_case(desk, data).value)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.parties.add_buttons[PartyRole.THIRD_PARTY].click()  # a card added later takes its place too
    form.dirty = False  # closed after the test without the unsaved-input question
    QCoreApplication.processEvents()
    stops = tab_stops(form.intake_date)
    cards = form.parties.editors
    expected = [
        form.requests,
        *[widget for card in cards for widget in (card.name_edit, card.remove_button)],
        form.parties.add_buttons[PartyRole.APPLICANT],
        form.buttons.buttons()[0],
    ]
    positions = [stops.index(widget) for widget in expected]
    assert positions == sorted(positions)
    assert not any(isinstance(stop, QScrollArea) for stop in stops)


def test_the_agreement_is_saved_from_another_tab(qtbot: QtBot, desk: Desk, runner: TaskRunner) -> None:
    """Terms typed on the outcome tab, then Save pressed while another tab is shown: they are saved."""
    desk.actor = Actor.signed_in("gui", "admin", UserRole.ADMIN)
    case = _case(desk)
    assign_mediators(desk, case, [_mediator(desk)], on=date.today())
    conclude_case(desk, case, OutcomeKind.WRITTEN_AGREEMENT, on=date.today())
    window = CaseEditor(desk, runner, load_bundle(desk, case))
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.outcome)
    window.outcome.terms.add_term("李四于本月底前归还张三一万元", edit=False)
    window.outcome.dirty = True
    window.tabs.setCurrentWidget(window.records)
    window.save_button.click()
    agreement = agreement_of(desk, case)
    assert agreement is not None
    assert agreement.terms == ("李四于本月底前归还张三一万元",)
    assert not window.dirty


def test_the_agreement_fields_have_their_own_mnemonics(editor: CaseEditor) -> None:
    editor.tabs.setCurrentWidget(editor.outcome)
    editor.outcome.agreement_box.show()
    labels = {label.buddy(): label.text() for label in editor.outcome.findChildren(QLabel) if label.buddy() is not None}
    assert labels[editor.outcome.manner] == "履行方式(&M)"
    assert labels[editor.outcome.terms.list] == "协议条款（按序编号）(&N)"
    assert shared(editor) == {}


def test_a_form_opens_with_every_field_in_view_when_the_screen_has_room(
    qtbot: QtBot, desk: Desk, runner: TaskRunner
) -> None:
    form = rd.MediatorDialog(runner, desk, list_orgs(desk), None, None)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    room = form.screen().availableGeometry().height() - 40
    assert form.sizeHint().height() > room * 2 // 3  # taller than Qt alone would open it
    assert form.height() >= min(room, form.sizeHint().height())
