"""The case table model without widgets (Vorta's ``test_archive_table_model.py``): headers, roles, paging."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from mediation_desk.domain.codes import CaseSource, OutcomeKind
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services.cases import CaseRow, CaseSort, count_cases
from mediation_desk.services.desk import Desk
from mediation_desk.ui.case_list import CaseListLoader
from mediation_desk.ui.case_table_model import (
    CASE_ROW_ROLE,
    COLUMN_APPLICANTS,
    COLUMN_INTAKE_DATE,
    COLUMN_NUMBER,
    COLUMN_OUTCOME,
    COLUMN_STATUS,
    CaseTableModel,
)
from mediation_desk.ui.tasks import TaskRunner
from tests.ui.conftest import add_cases


def row(number: int, *, outcome: OutcomeKind | None = None) -> CaseRow:
    return CaseRow(
        id=uuid.uuid4(),
        number=f"(2021)缙五人调字第{number}号",
        intake_date=date(2021, 3, number),
        org_code="331122001001",
        org_name="示例村人民调解委员会",
        category="02",
        category_name="邻里纠纷",
        source=CaseSource.APPLICATION,
        status=CaseStatus.AGREED if outcome else CaseStatus.MEDIATING,
        outcome=outcome,
        applicants="张三、李四",
        respondents="王五",
        amount_fen=120050,
        closing_date=None,
    )


def test_headers_are_chinese(qapp: object) -> None:
    model = CaseTableModel()
    headers = [model.headerData(column, Qt.Orientation.Horizontal) for column in range(model.columnCount())]
    assert headers == ["案号", "受理日期", "调委会", "纠纷类型", "申请人", "被申请人", "状态", "结果"]
    assert model.headerData(0, Qt.Orientation.Vertical) is None


def test_rows_and_roles() -> None:
    model = CaseTableModel()
    rows = [row(1), row(2, outcome=OutcomeKind.WRITTEN_AGREEMENT)]
    model.set_rows(rows, 2)
    assert model.rowCount() == 2
    assert model.columnCount() == 8
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    first = model.index(0, COLUMN_NUMBER)
    assert model.data(first) == "(2021)缙五人调字第1号"
    assert model.data(model.index(0, COLUMN_INTAKE_DATE)) == "2021-03-01"
    assert model.data(model.index(0, COLUMN_APPLICANTS)) == "张三、李四"
    assert model.data(model.index(0, COLUMN_STATUS)) == "调解中"
    assert model.data(model.index(0, COLUMN_OUTCOME)) == ""
    assert model.data(model.index(1, COLUMN_OUTCOME)) == "书面协议"
    assert model.data(model.index(1, COLUMN_STATUS), CASE_ROW_ROLE) is rows[1]
    assert model.data(model.index(1, COLUMN_OUTCOME), Qt.ItemDataRole.ToolTipRole) == "涉及金额：1200.50 元"
    assert model.data(model.index(0, COLUMN_STATUS), Qt.ItemDataRole.TextAlignmentRole) == Qt.AlignmentFlag.AlignCenter
    assert model.data(model.index(5, 0)) is None
    assert model.case_row(model.index(1, 3)) is rows[1]
    assert model.index_of(rows[1].id).row() == 1
    assert not model.index_of(uuid.uuid4()).isValid()


def test_the_model_passes_qt_model_checks(qtmodeltester: ModelTester) -> None:
    model = CaseTableModel()
    model.set_rows([row(day) for day in range(1, 20)], 40)
    qtmodeltester.check(model)


def test_more_rows_are_requested_only_while_some_are_missing() -> None:
    model = CaseTableModel()
    requested: list[int] = []
    model.fetch_requested.connect(requested.append)
    model.set_rows([row(1), row(2)], 3)
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())  # a second request while the first is pending is ignored
    assert requested == [2]
    model.append_rows(5, [row(9)])  # a page for another offset (the list was reset meanwhile) is dropped
    assert model.rowCount() == 2
    model.append_rows(2, [row(3)])
    assert model.rowCount() == 3
    assert not model.canFetchMore(QModelIndex())


def test_pages_load_as_the_view_asks(desk: Desk) -> None:
    add_cases(desk, 25)
    model = CaseTableModel()
    loader = CaseListLoader(desk, TaskRunner(synchronous=True), model, page_size=10)
    totals: list[int] = []
    loader.loaded.connect(totals.append)
    loader.reload()
    assert (model.rowCount(), model.total, totals) == (10, 25, [25])
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 20
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 25
    assert not model.canFetchMore(QModelIndex())
    numbers = [model.data(model.index(position, COLUMN_NUMBER)) for position in range(25)]
    assert len(set(numbers)) == 25  # pages neither overlap nor skip
    dates = [model.case_row(model.index(position, 0)).intake_date for position in range(25)]  # type: ignore[union-attr]
    assert dates == sorted(dates, reverse=True)  # newest first


def test_a_header_click_sorts_every_case_in_the_database(desk: Desk) -> None:
    add_cases(desk, 25)
    model = CaseTableModel()
    loader = CaseListLoader(desk, TaskRunner(synchronous=True), model, page_size=10)
    loader.reload()
    model.sort(COLUMN_INTAKE_DATE, Qt.SortOrder.AscendingOrder)
    assert loader.filter.sort is CaseSort.INTAKE_DATE
    assert not loader.filter.descending
    oldest = model.case_row(model.index(0, 0))
    assert oldest is not None
    assert oldest.intake_date == min(row.intake_date for row in _all_rows(desk))
    model.sort(COLUMN_APPLICANTS, Qt.SortOrder.DescendingOrder)
    first = model.case_row(model.index(0, 0))
    assert first is not None
    assert first.applicants == max(row.applicants for row in _all_rows(desk))
    assert model.rowCount() == 10  # still one page: sorted in the database, not in memory


def test_filters_narrow_the_count(desk: Desk) -> None:
    add_cases(desk, 25)
    model = CaseTableModel()
    loader = CaseListLoader(desk, TaskRunner(synchronous=True), model, page_size=10)
    loader.reload()
    loader.set_filter(text="排水")
    assert model.total == count_cases(desk, loader.filter) == 5
    loader.set_filter(text="", category="04")
    shown = [model.case_row(model.index(position, 0)) for position in range(model.rowCount())]
    assert shown
    assert all(row is not None and row.category.startswith("04") for row in shown)  # sub-types count under 04


def _all_rows(desk: Desk) -> list[CaseRow]:
    from mediation_desk.services.cases import list_cases

    return list_cases(desk)
