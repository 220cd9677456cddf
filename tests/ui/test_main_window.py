"""The main window on a desk with cases: it shows them, filters them, opens them, and says when data is synthetic."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from mediation_desk.demo import SYNTHETIC_SETTING
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.permissions import Permission
from mediation_desk.services.cases import count_cases
from mediation_desk.services.desk import Desk, set_setting
from mediation_desk.ui.case_table_model import COLUMN_NUMBER
from mediation_desk.ui.case_view import CaseView
from mediation_desk.ui.main_window import MainWindow
from mediation_desk.ui.tasks import ChangeHub, TaskRunner
from tests.ui.conftest import make_case


def open_views() -> list[CaseView]:
    return [widget for widget in QApplication.topLevelWidgets() if isinstance(widget, CaseView) and widget.isVisible()]


def test_shows_the_cases_of_the_desk(main_window: MainWindow) -> None:
    assert main_window.windowTitle() == "调解工作台 — 示例村人民调解委员会"
    assert main_window.model.rowCount() == 25
    assert main_window.count_label.text() == "共 25 件案件"
    assert not main_window.synthetic_marker.isVisible()
    assert main_window.model.data(main_window.model.index(0, COLUMN_NUMBER)).endswith("缙五人调字第1号")


def test_text_filter_narrows_the_list(main_window: MainWindow, qtbot: QtBot) -> None:
    main_window.filters.search.setText("排水")  # QTest types ASCII only
    main_window.filters.flush()
    assert main_window.model.rowCount() == 5
    assert main_window.count_label.text() == "符合条件的案件：5 件"
    qtbot.keyClick(main_window.filters.search, Qt.Key.Key_Escape)  # Esc clears the search
    main_window.filters.flush()
    assert main_window.model.rowCount() == 25


def test_party_name_and_status_filters(main_window: MainWindow, desk_with_cases: Desk) -> None:
    main_window.filters.search.setText("张申")
    main_window.filters.flush()
    shown = [main_window.model.case_row(main_window.model.index(row, 0)) for row in range(main_window.model.rowCount())]
    assert sorted(row.applicants for row in shown if row) == ["张申0", "张申10", "张申20"]
    main_window.filters.search.clear()
    main_window.filters.flush()
    main_window.filters.status.setCurrentIndex(main_window.filters.status.findData(CaseStatus.CLOSED))
    assert main_window.model.rowCount() == 0
    assert main_window.count_label.text() == "符合条件的案件：0 件"


def test_enter_opens_the_selected_case_read_only(main_window: MainWindow, qtbot: QtBot) -> None:
    main_window.filters.search.setFocus()
    qtbot.keyClick(main_window.filters.search, Qt.Key.Key_Down)  # from the search field into the list
    assert main_window.table.hasFocus()
    assert main_window.open_action.isEnabled()
    qtbot.keyClick(main_window.table, Qt.Key.Key_Return)
    views = open_views()
    assert len(views) == 1
    view = views[0]
    qtbot.addWidget(view)
    assert view.detail.row.number.endswith("第1号")
    assert [view.tabs.tabText(index) for index in range(view.tabs.count())][:2] == ["基本情况(&P)", "当事人（2）(&R)"]
    view.close()


def test_registering_through_the_form_adds_a_row(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch, desk_with_cases: Desk
) -> None:
    from mediation_desk.ui.case_form import CaseForm

    def fill_and_save(form: CaseForm) -> int:
        data = make_case(99)
        form.category.setCurrentIndex(form.category.findData("02"))
        form.facts.setPlainText(data.facts)
        form.parties.editors[0].name_edit.setText("新来的申请人")
        form.parties.editors[1].name_edit.setText("新来的被申请人")
        form.save()
        return form.result()

    monkeypatch.setattr(CaseForm, "exec", fill_and_save)
    main_window.new_case_action.trigger()
    assert count_cases(desk_with_cases) == 26
    assert main_window.model.rowCount() == 26  # refreshed through the change signal
    assert main_window.count_label.text() == "共 26 件案件"
    current = main_window.current_case()
    assert current is not None
    assert current.applicants == "新来的申请人"  # the new case is selected


def test_demo_data_is_marked(qtbot: QtBot, desk: Desk, runner: TaskRunner, changes: ChangeHub) -> None:
    with desk.write("test.mark", Permission.MANAGE_USERS) as work:
        set_setting(work.session, SYNTHETIC_SETTING, "1")
    window = MainWindow(desk, runner, changes)
    qtbot.addWidget(window)
    window.show()
    assert window.synthetic_marker.isVisible()
    assert window.synthetic_marker.text() == "示例数据"
    assert window.windowTitle().endswith("（示例数据）")


def test_window_geometry_is_remembered(qtbot: QtBot, desk: Desk, runner: TaskRunner, changes: ChangeHub) -> None:
    first = MainWindow(desk, runner, changes)
    qtbot.addWidget(first)
    first.resize(760, 560)  # the offscreen screen is 800×600; restoreGeometry keeps windows on it
    first.show()
    first.close()
    second = MainWindow(desk, runner, changes)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (760, 560)


def test_the_bundled_font_draws_chinese(main_window: MainWindow) -> None:
    assert "WenQuanYi Micro Hei" in QFontDatabase.families()
    metrics = QFontMetrics(main_window.table.font())
    assert all(metrics.inFontUcs4(ord(char)) for char in "调解工作台案号受理日期纠纷类型缙")


def test_screenshot_at_1366_by_768(main_window: MainWindow, tmp_path: Path) -> None:
    main_window.resize(1366, 768)
    main_window.table.selectRow(0)
    path = tmp_path / "main_window.png"
    image = main_window.grab()
    assert image.save(str(path))
    assert (image.width(), image.height()) == (1366, 768)
    assert path.stat().st_size > 20_000
    # every column is visible without scrolling sideways at this size
    header = main_window.table.horizontalHeader()
    assert header.length() <= main_window.table.viewport().width() + 1
    for column in range(main_window.model.columnCount()):
        text = main_window.model.headerData(column, Qt.Orientation.Horizontal)
        assert header.sectionSize(column) >= QFontMetrics(header.font()).horizontalAdvance(text)
