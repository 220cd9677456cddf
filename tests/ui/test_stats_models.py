"""The statistics page's models pass Qt's own model tester, through resets, on the hand-computed county."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from mediation_desk.domain.statistics import Grouping
from mediation_desk.services.desk import Desk
from mediation_desk.services.stats import StatsQuery, statistics
from mediation_desk.ui.stats_table import (
    COLUMN_LEVEL,
    COLUMN_NAME,
    SORT_ROLE,
    TREE_FIRST,
    MediatorTableModel,
    StatsTreeModel,
    column_of,
)
from tests.stats.conftest import county, county_root, county_template  # noqa: F401 - the fixtures
from tests.stats.county import WUYUN, YEAR_2024

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal


def test_the_tree_model_passes_the_model_tester(county: Desk) -> None:  # noqa: F811 - the fixture
    model = StatsTreeModel()
    tester = QAbstractItemModelTester(model, FATAL)
    result = statistics(county, StatsQuery(*YEAR_2024))
    model.set_statistics(result)
    assert model.rowCount() == 1
    top = model.index(0, 0)
    assert model.rowCount(top) == 18  # the county's townships
    assert model.columnCount() == TREE_FIRST + 21
    assert model.parent(model.index(0, 0, top)) == top
    assert not model.parent(top).isValid()
    townships = [model.index(row, 0, top) for row in range(18)]
    wuyun = next(
        index for index in townships if model.data(index, Qt.ItemDataRole.ToolTipRole).endswith(f"（{WUYUN}）")
    )
    assert [model.data(model.index(row, 0, wuyun)) for row in range(model.rowCount(wuyun))] == [
        "五云街道（本级）",
        "甲村",
        "乙村",
    ]
    assert model.data(model.index(0, COLUMN_LEVEL, wuyun)) == ""  # the own-cases row has no level
    assert model.data(model.index(wuyun.row(), COLUMN_LEVEL, top)) == "乡镇（街道）"
    assert model.rowCount(model.index(0, column_of("cases"), top)) == 0  # only the first column has children
    assert model.data(model.index(0, column_of("success_rate")), SORT_ROLE) == 60.0
    assert model.headerData(column_of("amount_wan_yuan"), Qt.Orientation.Horizontal) == "协议金额（万元）"
    assert model.figure_at(model.index(0, COLUMN_NAME)) is None
    model.set_statistics(statistics(county, StatsQuery(*YEAR_2024, org_code=WUYUN)))
    assert model.data(model.index(0, 0)) == "五云街道"
    model.set_statistics(None)
    assert model.rowCount() == 0
    assert not model.index(0, 0).isValid()
    del tester


def test_the_mediator_model_passes_the_model_tester(county: Desk) -> None:  # noqa: F811 - the fixture
    model = MediatorTableModel()
    tester = QAbstractItemModelTester(model, FATAL)
    result = statistics(county, StatsQuery(*YEAR_2024, by=Grouping.MEDIATOR))
    model.set_rows(result.by_mediator or [])
    assert model.rowCount() == 4
    kept = QPersistentModelIndex(model.index(0, 0))
    name = model.data(kept)
    model.sort(7, Qt.SortOrder.DescendingOrder)  # success rate
    rates = [model.data(model.index(row, 7)) for row in range(4)]
    assert rates == sorted(rates, key=float, reverse=True)
    assert model.data(kept) == name  # a selection follows its row
    model.sort(4, Qt.SortOrder.AscendingOrder)  # cases handled
    assert [model.data(model.index(row, 4), SORT_ROLE) for row in range(4)] == [1.0, 1.0, 2.0, 2.0]
    model.sort(0, Qt.SortOrder.DescendingOrder)
    names = [model.data(model.index(row, 0)) for row in range(4)]
    assert names == sorted(names, reverse=True)
    assert model.rowCount(model.index(0, 0)) == 0
    assert not model.index(0, 0, QModelIndex()).parent().isValid()
    model.set_rows([])
    model.sort(0)
    assert model.rowCount() == 0
    del tester
