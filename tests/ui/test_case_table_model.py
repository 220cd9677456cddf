"""The case table model without widgets (Vorta's ``test_archive_table_model.py``, Qt's model tester): headers,
roles, keys with a row cache filled on demand, and the loader that feeds it from the search service."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.domain.codes import CaseSource, OutcomeKind
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services.cases import CaseRow, CaseSort
from mediation_desk.services.desk import Desk
from mediation_desk.services.search import SearchFilter, pack_keys
from mediation_desk.ui.case_list import CaseListLoader
from mediation_desk.ui.case_table_model import (
    CASE_ROW_ROLE,
    COLUMN_APPLICANTS,
    COLUMN_INTAKE_DATE,
    COLUMN_NUMBER,
    COLUMN_OUTCOME,
    COLUMN_STATUS,
    LOADING,
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
    model.set_keys([r.id.hex for r in rows], rows)
    assert model.rowCount() == 2
    assert model.columnCount() == 8
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    assert model.data(model.index(0, COLUMN_NUMBER)) == "(2021)缙五人调字第1号"
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


def test_rows_not_yet_read_are_asked_for_in_one_batch(qtbot: QtBot) -> None:
    """``data()`` never reads the database: a missing row shows an ellipsis and is asked for, with its
    neighbours, once per event-loop turn; the answer fills just those rows."""
    model = CaseTableModel()
    rows = [row(day) for day in range(1, 29)]
    model.set_keys([r.id.hex for r in rows], rows[:3])
    asked: list[list[str]] = []
    model.rows_wanted.connect(asked.append)
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, last: changed.append((first.row(), last.row())))
    assert model.data(model.index(10, COLUMN_NUMBER)) == LOADING
    assert model.data(model.index(11, COLUMN_APPLICANTS)) == ""
    assert model.case_row(model.index(10, 0)) is None
    assert model.case_id(model.index(10, 0)) == rows[10].id  # known before the row is read
    qtbot.waitUntil(lambda: bool(asked))
    assert len(asked) == 1
    assert set(asked[0]) == {r.id.hex for r in rows[3:]}
    model.add_rows(rows[3:])
    assert changed == [(3, 27)]
    assert model.data(model.index(10, COLUMN_NUMBER)) == rows[10].number
    assert model.loaded == 28


def test_keys_are_held_packed_in_either_form_and_found_again(qtbot: QtBot) -> None:
    rows = [row(day) for day in range(1, 29)]
    keys = [str(r.id) for r in rows]  # PostgreSQL's form, with hyphens
    assert pack_keys(keys) == b"".join(r.id.bytes for r in rows)
    model = CaseTableModel()
    model.set_keys(keys[:5], rows[:2])
    assert model.total == 5
    assert model.loaded == 2
    assert model.extend_keys(pack_keys(keys))  # packed on the worker: appended, no reset
    assert model.total == 28
    assert not model.extend_keys(pack_keys(keys[1:]))  # another start: the caller replaces the list
    assert model.keys() == [r.id.hex for r in rows]
    assert model.key_at(27) == rows[27].id.hex
    assert model.key_at(28) is None
    assert model.index_of(rows[20].id).row() == 20
    assert model.case_id(model.index(20, 0)) == rows[20].id
    asked: list[list[str]] = []
    model.rows_wanted.connect(asked.append)
    model.data(model.index(20, COLUMN_NUMBER))
    qtbot.waitUntil(lambda: bool(asked))
    assert rows[20].id.hex in asked[0]
    model.rows_failed(asked[0])  # asked for again next time
    model.data(model.index(20, COLUMN_NUMBER))
    qtbot.waitUntil(lambda: len(asked) == 2)
    model.add_rows([rows[20], row(1)])  # a row of a key not listed is dropped
    assert model.case_row(model.index(20, 0)) is rows[20]
    assert model.loaded == 3
    model.set_keys(pack_keys(keys[::-1]))  # a new list: the cache starts again
    assert model.loaded == 0
    assert model.index_of(rows[0].id).row() == 27


def test_the_model_passes_qt_model_checks(qtmodeltester: ModelTester) -> None:
    model = CaseTableModel()
    rows = [row(day) for day in range(1, 20)]
    model.set_keys([r.id.hex for r in rows], rows[:10])
    qtmodeltester.check(model)
    model.add_rows(rows[10:])
    qtmodeltester.check(model)


def test_the_loader_lists_filters_and_sorts_in_the_database(desk: Desk, runner: TaskRunner) -> None:
    add_cases(desk, 25)
    model = CaseTableModel()
    loader = CaseListLoader(desk, runner, model)
    totals: list[int] = []
    loader.loaded.connect(totals.append)
    loader.reload()
    assert totals == [25]
    assert model.total == 25
    assert model.data(model.index(0, COLUMN_APPLICANTS)) == "张申0"  # newest first
    loader.set_filter(SearchFilter(text="zhangs"))  # pinyin of 张申
    assert sorted(model.data(model.index(r, COLUMN_APPLICANTS)) for r in range(model.rowCount())) == [
        "张申0",
        "张申10",
        "张申20",
    ]
    loader.set_filter(SearchFilter())
    model.sort(COLUMN_APPLICANTS, Qt.SortOrder.AscendingOrder)
    assert loader.filter.sort is CaseSort.APPLICANTS
    first = [model.data(model.index(r, COLUMN_APPLICANTS)) for r in range(3)]
    assert first == sorted(first)
