"""The main window on a desk with cases: navigation, actions with icons and shortcuts, the case list with its
filter bar (Chinese and pinyin search), export, empty states, and what a role may not do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QFontMetrics, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from mediation_desk.demo import SYNTHETIC_SETTING
from mediation_desk.domain.codes import UserRole
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.permissions import Permission
from mediation_desk.services.cases import count_cases
from mediation_desk.services.desk import Actor, Desk, set_setting
from mediation_desk.ui.case_editor import CaseEditor
from mediation_desk.ui.case_table_model import COLUMN_APPLICANTS, COLUMN_NUMBER
from mediation_desk.ui.main_window import PAGE_CASES, PAGE_PRINT, PAGE_STATS, PAGE_SYNC, MainWindow
from mediation_desk.ui.tasks import ChangeHub, TaskRunner
from tests.ui.conftest import make_case


def open_editors() -> list[CaseEditor]:
    return [
        widget for widget in QApplication.topLevelWidgets() if isinstance(widget, CaseEditor) and widget.isVisible()
    ]


def applicants(window: MainWindow) -> list[str]:
    model = window.cases.model
    return sorted(model.data(model.index(row, COLUMN_APPLICANTS)) for row in range(model.rowCount()))


def search(window: MainWindow, text: str) -> None:
    window.show_page(PAGE_CASES)
    window.cases.filters.search.setText(text)  # QTest types ASCII only
    window.cases.filters.flush()


def test_the_frame_shows_the_parts_of_the_program(main_window: MainWindow) -> None:
    assert main_window.windowTitle() == "调解工作台 — 示例村人民调解委员会"
    labels = [main_window.nav.item(row).text() for row in range(main_window.nav.count())]
    assert labels == ["今日工作", "案件", "调解员与组织", "打印", "统计", "同步", "设置"]
    assert main_window.current_page() == 0  # the start page first
    menus = [action.text() for action in main_window.menuBar().actions()]
    assert menus == ["工作台(&D)", "案件(&A)", "视图(&V)", "帮助(&H)"]
    shortcuts = {
        main_window.new_case_action: "Ctrl+N",
        main_window.save_action: "Ctrl+S",
        main_window.find_action: "Ctrl+F",
        main_window.refresh_action: "F5",
        main_window.print_action: "Ctrl+P",
    }
    for action, keys in shortcuts.items():
        assert action.shortcut() == QKeySequence(keys)
    for menu in main_window.menuBar().actions():
        submenu = menu.menu()
        assert isinstance(submenu, QMenu)
        entries = [action for action in submenu.actions() if not action.isSeparator()]
        for action in entries:
            assert not action.icon().isNull(), f"{action.text()} has no icon"
        mnemonics = [re.search(r"&(\w)", action.text()) for action in entries]
        letters = [found.group(1).upper() for found in mnemonics if found]
        assert len(letters) == len(set(letters)) == len(entries), f"mnemonics in {menu.text()}: {letters}"
    assert main_window.user_label.text().startswith("当前用户：")


def test_the_case_list_and_its_count(main_window: MainWindow) -> None:
    main_window.show_page(PAGE_CASES)
    assert main_window.cases.model.rowCount() == 25
    assert main_window.cases.count_label.text() == "共 25 件案件"
    assert not main_window.synthetic_marker.isVisible()
    assert main_window.cases.model.data(main_window.cases.model.index(0, COLUMN_NUMBER)).endswith("缙五人调字第1号")


def test_chinese_substring_and_pinyin_search(main_window: MainWindow, qtbot: QtBot) -> None:
    search(main_window, "排水")
    assert main_window.cases.model.rowCount() == 5
    assert main_window.cases.count_label.text() == "符合条件的案件：5 件"
    search(main_window, "zhangs")  # full pinyin of the surname, initial of the given name: 张申
    assert applicants(main_window) == ["张申0", "张申10", "张申20"]
    search(main_window, "zs")  # initials: 张申, 赵申 and 周申 all read z-s
    assert applicants(main_window) == sorted(
        ["张申0", "张申10", "张申20", "赵申13", "赵申23", "赵申3", "周申18", "周申8"]
    )
    qtbot.keyClick(main_window.cases.filters.search, Qt.Key.Key_Escape)  # Esc clears the search
    main_window.cases.filters.flush()
    assert main_window.cases.model.rowCount() == 25


def test_status_type_and_period_filters(main_window: MainWindow) -> None:
    filters = main_window.cases.filters
    main_window.show_page(PAGE_CASES)
    filters.category.setCurrentIndex(filters.category.findData("04"))  # 合同纠纷, with its sub-type 0401
    assert main_window.cases.model.rowCount() == 7
    filters.category.setCurrentIndex(0)
    filters.status.setCurrentIndex(filters.status.findData(CaseStatus.CLOSED))
    assert main_window.cases.model.rowCount() == 0
    assert main_window.cases.stack.currentWidget() is main_window.cases.empty
    assert "没有符合条件的案件" in main_window.cases.empty.text()
    filters.clear()
    filters.period.setCurrentIndex(filters.period.findData("this_month"))
    assert 0 < main_window.cases.model.rowCount() <= 25


def test_enter_opens_the_case_editor(main_window: MainWindow, qtbot: QtBot) -> None:
    main_window.show_page(PAGE_CASES)
    qtbot.keyClick(main_window.cases.filters.search, Qt.Key.Key_Down)  # from the search field into the list
    assert main_window.cases.table.hasFocus()
    assert main_window.open_action.isEnabled()
    qtbot.keyClick(main_window.cases.table, Qt.Key.Key_Return)
    editors = open_editors()
    assert len(editors) == 1
    editor = editors[0]
    assert editor.bundle.detail.row.number.endswith("第1号")
    tabs = [editor.tabs.tabText(index) for index in range(editor.tabs.count())]
    assert tabs == ["基本情况", "当事人", "调解员", "调查与调解记录", "调解结果与协议", "协议书", "附件", "历史记录"]
    main_window.open_case(editor.case_id)  # opening it again raises the same window
    assert open_editors() == [editor]
    editor.close()


def test_registering_through_the_form_adds_a_row_and_opens_the_case(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch, desk_with_cases: Desk
) -> None:
    from mediation_desk.ui.case_form import CaseForm

    def fill_and_save(form: CaseForm) -> int:
        form.category.setCurrentIndex(form.category.findData("02"))
        form.facts.setPlainText(make_case(99).facts)
        form.parties.editors[0].name_edit.setText("新来的申请人")
        form.parties.editors[1].name_edit.setText("新来的被申请人")
        form.save()
        return form.result()

    monkeypatch.setattr(CaseForm, "exec", fill_and_save)
    main_window.new_case_action.trigger()
    assert count_cases(desk_with_cases) == 26
    assert main_window.cases.model.rowCount() == 26  # refreshed through the change signal
    current = main_window.cases.model.case_row(main_window.cases.table.currentIndex())
    assert current is not None
    assert current.applicants == "新来的申请人"  # the new case is selected
    editors = open_editors()
    assert [editor.bundle.detail.row.applicants for editor in editors] == ["新来的申请人"]
    editors[0].close()


def test_export_of_the_current_view(main_window: MainWindow, tmp_path: Path) -> None:
    search(main_window, "排水")
    target = tmp_path / "列表.xlsx"
    main_window.cases.export_to(target, main_window.cases.model.keys())
    sheet = load_workbook(target, read_only=True).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("案号", "受理日期", "调委会")
    assert len(values) == 6
    assert [name for name in tmp_path.iterdir() if name.name.startswith(".")] == []  # no temporary left


def test_a_role_sees_what_it_may_not_do(qtbot: QtBot, desk: Desk, runner: TaskRunner, changes: ChangeHub) -> None:
    desk.actor = Actor.signed_in("gui", "clerk", UserRole.COUNTY_CLERK)
    window = MainWindow(desk, runner, changes)
    qtbot.addWidget(window)
    assert window.new_case_action.isEnabled()
    assert not window.settings_page.restore_button.isEnabled()
    assert window.settings_page.restore_button.toolTip() == "只有调委会主任或系统管理员可以恢复备份"
    desk.actor = Actor.signed_in("gui", "mediator", UserRole.MEDIATOR)
    window = MainWindow(desk, runner, changes)
    qtbot.addWidget(window)
    assert not window.rosters.add_button.isEnabled()
    assert window.rosters.add_button.toolTip() == "您的角色无权修改调解员名册"
    assert not window.settings_page.backup_button.isEnabled()


def test_demo_data_is_marked(qtbot: QtBot, desk: Desk, runner: TaskRunner, changes: ChangeHub) -> None:
    with desk.write("test.mark", Permission.MANAGE_USERS) as work:
        set_setting(work.session, SYNTHETIC_SETTING, "1")
    window = MainWindow(desk, runner, changes)
    qtbot.addWidget(window)
    window.show()
    assert window.synthetic_marker.isVisible()
    assert window.synthetic_marker.text() == "示例数据"
    assert window.windowTitle().endswith("（示例数据）")


def test_empty_desk_says_what_to_do(qtbot: QtBot, desk: Desk, runner: TaskRunner, changes: ChangeHub) -> None:
    window = MainWindow(desk, runner, changes)
    qtbot.addWidget(window)
    assert window.today.stack.currentWidget() is window.today.empty
    assert "Ctrl+N" in window.today.empty.text()
    assert window.cases.stack.currentWidget() is window.cases.empty
    assert window.cases.empty.text() == "工作台中还没有案件。按 Ctrl+N 登记第一件。"


def test_window_geometry_is_remembered(qtbot: QtBot, desk: Desk, runner: TaskRunner, changes: ChangeHub) -> None:
    first = MainWindow(desk, runner, changes)
    qtbot.addWidget(first)
    first.resize(780, 560)  # the offscreen screen is 800×600; restoreGeometry keeps windows on it
    first.show()
    first.close()
    second = MainWindow(desk, runner, changes)
    qtbot.addWidget(second)
    assert second.height() == 560
    assert second.width() <= 800  # kept on the (small) screen


def test_the_bundled_font_draws_chinese(main_window: MainWindow) -> None:
    assert "WenQuanYi Micro Hei" in QFontDatabase.families()
    metrics = QFontMetrics(main_window.cases.table.font())
    assert all(metrics.inFontUcs4(ord(char)) for char in "调解工作台案号受理日期纠纷类型缙")


def test_the_list_fits_1366_by_768(main_window: MainWindow) -> None:
    main_window.resize(1366, 768)
    main_window.show_page(PAGE_CASES)
    image = main_window.grab()
    assert (image.width(), image.height()) == (1366, 768)
    table = main_window.cases.table
    header = table.horizontalHeader()
    assert header.length() <= table.viewport().width() + 1  # every column visible without scrolling sideways
    for column in range(main_window.cases.model.columnCount()):
        text = main_window.cases.model.headerData(column, Qt.Orientation.Horizontal)
        assert header.sectionSize(column) >= QFontMetrics(header.font()).horizontalAdvance(text)


def test_printing_statistics_and_sync_are_pages_of_the_window(main_window: MainWindow) -> None:
    from mediation_desk.ui.print_page import PrintPage
    from mediation_desk.ui.stats_page import StatsPage
    from mediation_desk.ui.sync_page import SyncPage

    for index, kind in ((PAGE_PRINT, PrintPage), (PAGE_STATS, StatsPage), (PAGE_SYNC, SyncPage)):
        assert main_window.built(index) is None  # built when first shown
        main_window.show_page(index)
        assert isinstance(main_window.page(index), kind)
        assert main_window.current_page() == index


def test_ctrl_p_takes_the_selected_cases_to_the_print_page(main_window: MainWindow) -> None:
    from mediation_desk.ui.print_page import PrintPage

    main_window.show_page(PAGE_CASES)
    main_window.cases.table.selectRow(0)
    chosen = main_window.cases.selected_ids()
    assert len(chosen) == 1
    main_window.print_action.trigger()
    page = main_window.page(PAGE_PRINT)
    assert isinstance(page, PrintPage)
    assert main_window.current_page() == PAGE_PRINT
    assert page.checked == set(chosen)
