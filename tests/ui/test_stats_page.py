"""The statistics page on the hand-computed county of ``tests.stats.county`` (nine cases across three villages and
a township): the headline figures are the service's and ``stats --json``'s, the tree sums up exactly, the numbers
open exactly the cases they count, the charts have a bar per group, the mediators sort, and the export through
the page shows the data-quality check first and writes a workbook with the same totals."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa
from PySide6 import QtCharts
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from mediation_desk import cli
from mediation_desk.domain.codes import CaseSource, PartyRole
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.domain.statistics import Basis, Grouping
from mediation_desk.services.cases import register_case
from mediation_desk.services.desk import Changes, Desk
from mediation_desk.services.orgs import list_orgs
from mediation_desk.services.stats import StatsQuery, statistics
from mediation_desk.ui.main_window import subtree
from mediation_desk.ui.stats_dialogs import CasesDialog, QualityDialog
from mediation_desk.ui.stats_page import StatsPage
from mediation_desk.ui.stats_table import COLUMN_NAME, StatsTreeModel, column_of
from mediation_desk.ui.tasks import TaskRunner
from tests.stats.conftest import case_ids, county, county_root, county_template  # noqa: F401 - the fixtures
from tests.stats.county import (
    COUNTY,
    EXPECTED_2024_CLOSING,
    EXPECTED_2024_INTAKE,
    VILLAGE_A1,
    YEAR_2024,
)

YEAR_ARGS = ("--from", "2024-01-01", "--to", "2024-12-31")


@pytest.fixture
def page(qtbot: QtBot, county: Desk, runner: TaskRunner) -> StatsPage:  # noqa: F811 - the fixture above
    widget = StatsPage(county, runner, subtree(list_orgs(county), COUNTY))
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_query(StatsQuery(*YEAR_2024))
    return widget


def _cli_json(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    capsys.readouterr()
    assert cli.main(["--data-dir", str(root), "stats", *YEAR_ARGS, *args, "--json"]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def _find(model: StatsTreeModel, *names: str) -> QModelIndex:
    """The row reached by following these names down from the top."""
    index = model.index(0, 0)
    for name in names:
        rows = (model.index(row, 0, index) for row in range(model.rowCount(index)))
        index = next(child for child in rows if model.data(child) == name)
    return index


def _headlines(page: StatsPage) -> dict[str, str]:
    return {key: headline.value.text() for key, headline in page.headlines.items()}


def test_construction_reads_nothing(qtbot: QtBot, county: Desk, runner: TaskRunner) -> None:  # noqa: F811
    widget = StatsPage(county, runner, subtree(list_orgs(county), COUNTY))
    qtbot.addWidget(widget)
    assert widget.result is None
    assert _headlines(widget)["cases"] == "—"
    assert not widget.xlsx_button.isEnabled()  # nothing to export yet
    assert not widget.check_button.isEnabled()


def test_headline_figures_are_the_service_and_the_json(
    page: StatsPage,
    county: Desk,  # noqa: F811
    county_root: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert page.result is not None
    report = _cli_json(county_root, capsys, "--by", "mediator")
    assert page.result.report_json() == report
    assert report["totals"] == EXPECTED_2024_INTAKE
    service = statistics(county, StatsQuery(*YEAR_2024, by=Grouping.MEDIATOR))
    assert page.result.report_json() == service.report_json()
    assert _headlines(page) == {
        "cases": "7",
        "successful": "3",
        "success_rate": "60.00",
        "amount_wan_yuan": "5.03",
        "persons": str(EXPECTED_2024_INTAKE["persons"]),
        "pending": "1",
    }
    records = page.records_label.text()
    screening = report["screening"]
    assert f"排查 {screening['rounds']} 次，排查发现纠纷 {screening['disputes_found']} 件" in records
    assert (screening["rounds"], screening["disputes_found"]) == (5, 6)  # 甲村's first half and 壶镇镇's second
    assert f"调解员 {report['mediators']['total']} 人（专职 1 人，法治指导员 1 人）" in records
    assert f"调委会 {report['committees']['total']} 个" in records
    assert "缙云县（331122）及下级组织" in page.scope_label.text()
    assert "2024-01-01 至 2024-12-31" in page.scope_label.text()
    page.basis.setCurrentIndex(1)  # by closing date
    assert page.result.basis is Basis.CLOSING
    assert _cli_json(county_root, capsys, "--by", "mediator", "--basis", "closing") == page.result.report_json()
    assert _headlines(page)["success_rate"] == f"{EXPECTED_2024_CLOSING['success_rate']:.2f}" == "66.67"
    assert _headlines(page)["amount_wan_yuan"] == "5.15"


def test_the_organisation_picker_narrows_to_a_village(page: StatsPage) -> None:
    page.org.setCurrentIndex(page.org.findData(VILLAGE_A1))
    assert page.result is not None
    assert page.result.org_code == VILLAGE_A1
    assert _headlines(page)["cases"] == "2"  # B and C
    assert page.org.itemText(page.org.findData(VILLAGE_A1)).strip() == "甲村"


def test_quick_periods(page: StatsPage) -> None:
    page.period.setCurrentIndex(3)  # all dates
    assert page.result is not None
    assert (page.result.date_from, page.result.date_to) == (None, None)
    assert _headlines(page)["cases"] == "9"
    assert not page.date_from.isEnabled()
    page.period.setCurrentIndex(1)  # last year
    start = page.result.date_from
    assert start is not None
    assert (start.month, start.day) == (1, 1)
    assert page.period.currentIndex() == 1
    page.date_to.setDate(page.date_to.date().addDays(-1))
    assert page.period.currentIndex() == 4  # a date changed by hand: a custom period


def test_a_period_ending_before_it_starts_is_said_on_the_page(page: StatsPage) -> None:
    page.date_to.setDate(page.date_from.date().addDays(-1))
    assert page.scope_label.text() == "统计截止日期不能早于开始日期"
    assert page.result is not None
    assert page.result.date_to == YEAR_2024[1]  # the figures shown are still those of their scope
    page.date_to.setDate(page.date_from.date().addDays(30))
    assert "2024-01-01 至 2024-01-31" in page.scope_label.text()
    assert _headlines(page)["cases"] == "0"


def test_the_tree_sums_up_and_drills_down_to_the_cases(
    qtbot: QtBot,
    page: StatsPage,
    case_ids: dict[str, uuid.UUID],  # noqa: F811
) -> None:
    model = page.tree_model
    top = model.index(0, 0)
    assert model.data(top) == "缙云县"
    assert model.data(model.index(0, column_of("cases"))) == "7"
    assert model.data(model.index(0, column_of("success_rate"))) == "60.00"
    village = _find(model, "五云街道", "甲村")
    cell = model.index(village.row(), column_of("cases"), village.parent())
    assert model.data(cell) == "2"
    page.tabs.setCurrentIndex(1)
    page.tree.expandAll()
    page.tree.scrollTo(cell)
    listed: list[CasesDialog] = []
    page.cases_listed.connect(listed.append)
    rect = page.tree.visualRect(cell)
    qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(listed) == 1
    assert set(page.case_ids_listed()) == {case_ids["B"], case_ids["C"]}
    assert listed[0].model.rowCount() == 2
    opened: list[uuid.UUID] = []
    page.open_case.connect(opened.append)
    listed[0].table.activated.emit(listed[0].model.index(1, 3))
    assert opened == [listed[0].case_ids()[1]]
    assert listed[0].case_ids() == [case_ids["B"], case_ids["C"]]  # in intake order
    own = _find(model, "五云街道", "五云街道（本级）")
    page.list_cases(model.index(own.row(), column_of("failed"), own.parent()))
    assert page.case_ids_listed() == [case_ids["F"]]
    page.list_cases(model.index(0, column_of("successful")))
    assert set(page.case_ids_listed()) == {case_ids[label] for label in "DEH"}
    page.list_cases(model.index(0, COLUMN_NAME))  # a name is no number: nothing opens
    assert len(page.dialogs) == 3


def _walk(model: StatsTreeModel, parent: QModelIndex) -> list[QModelIndex]:
    found = []
    for row in range(model.rowCount(parent)):
        child = model.index(row, 0, parent)
        found += [child, *_walk(model, child)]
    return found


COUNT_KEYS = ("cases", "mediated", "successful", "failed", "terminated", "refused", "pending", "written_agreements",
              "oral_agreements", "group_cases", "performed", "partly_performed", "not_performed", "judicial_applied",
              "judicial_granted", "escalation_risk_cases")  # fmt: skip


def test_every_row_is_the_sum_of_its_children_and_every_count_lists_its_cases(
    page: StatsPage,
    county: Desk,  # noqa: F811
) -> None:
    from mediation_desk.services.stats_cases import Behind, cases_behind_figure

    model = page.tree_model
    assert page.query is not None
    sums = (*COUNT_KEYS, "persons", "group_persons", "amount_fen", "escalation_risk_persons")
    rows = _walk(model, QModelIndex())
    assert len(rows) == 1 + 18 + 3 + 1  # the county, its townships, three villages, 五云街道's own cases
    for index in rows:
        node = model.row_of(index)
        assert node is not None
        if node.children:
            for key in sums:
                assert getattr(node.counts, key) == sum(getattr(child.counts, key) for child in node.children), key
        figures = {key: getattr(node.counts, key) for key in COUNT_KEYS}
        if not figures["cases"]:
            continue
        for key, value in figures.items():
            figure = model.figure_at(model.index(index.row(), column_of(key), index.parent()))
            assert figure is not None
            assert figure.value == value
            found = cases_behind_figure(
                county, page.query, Behind(key), org_code=figure.org_code, own_only=figure.own_only
            )
            assert found.total == len(found.rows) == value, (node.name, key)


def test_the_charts_have_a_bar_per_group(page: StatsPage) -> None:
    charts = page.charts

    def bars(view: QtCharts.QChartView) -> list[int]:
        chart = view.chart()
        series = chart.series()[0]
        assert isinstance(series, QtCharts.QAbstractBarSeries)
        return [bar_set.count() for bar_set in series.barSets()]

    assert bars(charts.category_view) == [5]  # 01 02 03 04 10
    assert bars(charts.month_view) == [12, 12]  # received and successful, January to December
    assert bars(charts.org_view) == [2]  # 五云街道 and 壶镇镇
    org_axis = charts.org_view.chart().axes(Qt.Orientation.Vertical)[0]
    assert isinstance(org_axis, QtCharts.QBarCategoryAxis)
    assert set(org_axis.categories()) == {"五云街道", "壶镇镇"}
    pie = charts.outcome_view.chart().series()[0]
    assert isinstance(pie, QtCharts.QPieSeries)
    assert [piece.value() for piece in pie.slices()] == [2, 1, 1, 1, 1, 1]  # written, oral, failed, ... open
    assert pie.slices()[0].label() == "书面协议 2"
    assert charts.category_view.chart().title() == "按纠纷类型"


def test_a_bar_or_a_slice_lists_the_cases_it_counts(page: StatsPage, case_ids: dict[str, uuid.UUID]) -> None:  # noqa: F811
    charts = page.charts
    for view in (charts.category_view, charts.month_view, charts.org_view):
        series = view.chart().series()[0]
        assert isinstance(series, QtCharts.QAbstractBarSeries)
        for bar_set in series.barSets():
            for index in range(bar_set.count()):
                bar_set.clicked.emit(index)
                assert len(page.case_ids_listed()) == int(bar_set.at(index)), (view.chart().title(), index)
    pie = charts.outcome_view.chart().series()[0]
    assert isinstance(pie, QtCharts.QPieSeries)
    for piece in pie.slices():
        piece.clicked.emit()
        assert len(page.case_ids_listed()) == int(piece.value()), piece.label()
    org_axis = charts.org_view.chart().axes(Qt.Orientation.Vertical)[0]
    assert isinstance(org_axis, QtCharts.QBarCategoryAxis)
    org_set = charts.org_view.chart().series()[0].barSets()[0]  # type: ignore[attr-defined]
    org_set.clicked.emit(org_axis.categories().index("壶镇镇"))
    assert set(page.case_ids_listed()) == {case_ids["G"], case_ids["H"]}
    dialog = page.dialogs[-1]
    assert isinstance(dialog, CasesDialog)
    assert dialog.found.org_name == "壶镇镇"


def test_the_groups_tab_lists_each_group_and_its_cases(
    page: StatsPage,
    county: Desk,  # noqa: F811
    case_ids: dict[str, uuid.UUID],  # noqa: F811
) -> None:
    from mediation_desk.services.stats_cases import Behind, cases_behind_figure

    assert page.result is not None
    model = page.group_model
    for position, (grouping, groups) in enumerate(
        ((Grouping.CATEGORY, page.result.by_category), (Grouping.SOURCE, page.result.by_source),
         (Grouping.MONTH, page.result.by_month))
    ):  # fmt: skip
        page.grouping.setCurrentIndex(position)
        assert model.rowCount() == len(groups) + 1
        total = model.index(model.rowCount() - 1, 0)
        assert model.data(total) == "合计"
        assert model.data(model.index(total.row(), column_of("cases"))) == "7"
        for row, group in enumerate(groups):
            assert model.data(model.index(row, 1)) == group.code
            figure = model.figure_at(model.index(row, column_of("successful")))
            assert figure is not None
            assert figure.group == (grouping.value, group.code)
            found = cases_behind_figure(county, page.query, Behind("successful", **{grouping.value: group.code}))  # type: ignore[arg-type]
            assert found.total == group.counts.successful
    page.grouping.setCurrentIndex(0)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "纠纷类型"
    family = next(model.index(row, 0) for row in range(model.rowCount()) if model.data(model.index(row, 1)) == "04")
    assert [model.data(model.index(row, 1, family)) for row in range(model.rowCount(family))] == ["0401"]
    page.tabs.setCurrentIndex(2)
    page.groups.activated.emit(model.index(0, column_of("cases"), family))  # the sub-type 0401: E alone
    assert page.case_ids_listed() == [case_ids["E"]]
    page.groups.activated.emit(model.index(family.row(), column_of("cases")))  # the category 04: C and E
    assert set(page.case_ids_listed()) == {case_ids["C"], case_ids["E"]}
    page.groups.activated.emit(model.index(model.rowCount() - 1, column_of("pending")))  # the total: G
    assert page.case_ids_listed() == [case_ids["G"]]


def test_the_mediators_sort(page: StatsPage) -> None:
    assert page.result is not None
    proxy = page.mediator_model
    assert proxy.rowCount() == len(page.result.by_mediator or []) == 4
    cases_column = 4
    page.mediators.sortByColumn(cases_column, Qt.SortOrder.AscendingOrder)
    values = [int(proxy.data(proxy.index(row, cases_column))) for row in range(proxy.rowCount())]
    assert values == sorted(values) == [1, 1, 2, 2]
    page.mediators.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    names = [proxy.data(proxy.index(row, 0)) for row in range(4)]
    assert names == sorted(names)
    assert set(names) == {"钱一", "钱二", "钱三", "钱四"}
    days = 10  # average days to close
    assert proxy.headerData(days, Qt.Orientation.Horizontal) == "平均办结天数"
    assert proxy.data(proxy.index(names.index("钱二"), days)) == "11.5"  # D in 2 days, E in 21


def _plant(desk: Desk, case_id: uuid.UUID, **values: object) -> None:
    """Write a bad value straight into a case row, as a damaged import might hold it."""
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    with desk.database.engine.begin() as connection:
        connection.execute(
            sa.text(f"UPDATE dispute_case SET {assignments} WHERE id = :id"), {**values, "id": case_id.hex}
        )


def test_export_shows_the_check_first_then_writes_the_totals(
    page: StatsPage,
    county: Desk,  # noqa: F811
    case_ids: dict[str, uuid.UUID],  # noqa: F811
    tmp_path: Path,
) -> None:
    _plant(county, case_ids["B"], category="")
    page.refresh()
    assert page.result is not None
    target = tmp_path / "缙云县统计"
    page.export_to("xlsx", target)  # the ending is added
    dialog = page.exporter.dialog
    assert isinstance(dialog, QualityDialog)
    assert "缺少纠纷类型" in dialog.rules()
    assert case_ids["B"] in dialog.case_ids()
    dialog.reject()  # not now
    assert page.exporter.dialog is None
    assert not (tmp_path / "缙云县统计.xlsx").exists()
    messages: list[str] = []
    page.status.connect(messages.append)
    page.export_to("xlsx", target)
    dialog = page.exporter.dialog
    assert isinstance(dialog, QualityDialog)
    dialog.export_button.click()
    written = tmp_path / "缙云县统计.xlsx"
    assert written.is_file()
    assert any(str(written) in message for message in messages)
    book = openpyxl.load_workbook(written)
    sheet = book["按组织"]
    headings = [cell.value for cell in sheet[3]]
    total = next(row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0] == "合计")
    assert total[headings.index("受理纠纷（件）")] == page.result.totals.cases == 7
    assert total[headings.index("成功率（%）")] == page.result.totals.success_rate
    assert "数据质量" in book.sheetnames


def test_pdf_export_and_a_bad_target(page: StatsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *_args: warnings.append(text))
    page.export_to("pdf", tmp_path / "missing-folder" / "report.pdf")
    assert warnings
    assert "文件夹不存在" in warnings[0]
    assert page.exporter.dialog is None
    page.export_to("pdf", tmp_path / "report.pdf")
    dialog = page.exporter.dialog
    assert isinstance(dialog, QualityDialog)  # the clean county still has two findings (F, G)
    dialog.accept()
    written = tmp_path / "report.pdf"
    assert written.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        return  # poppler-utils not installed: the text is checked where it is
    text = subprocess.run(["pdftotext", str(written), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert page.result is not None
    totals = page.result.totals
    for phrase in (
        f"受理纠纷{totals.cases}件",
        f"调解成功率{totals.success_rate:.2f}%",
        "有金额无协议1项",  # the check shown before the export is in the report too
    ):
        assert phrase in flat, phrase


def test_the_check_button_lists_the_findings(page: StatsPage, case_ids: dict[str, uuid.UUID]) -> None:  # noqa: F811
    page.check_button.click()
    dialog = page.dialogs[-1]
    assert isinstance(dialog, QualityDialog)
    assert set(dialog.case_ids()) == {case_ids["F"], case_ids["G"]}
    assert not hasattr(dialog, "export_button")


def test_a_new_case_refreshes_the_page(page: StatsPage, county: Desk) -> None:  # noqa: F811
    data = CaseInput(
        intake_date=YEAR_2024[0],
        source=CaseSource.APPLICATION,
        category="02",
        parties=[PartyInput("周新甲", PartyRole.APPLICANT), PartyInput("吴新乙", PartyRole.RESPONDENT)],
        persons=2,
    )
    result = register_case(county, data, org_code=VILLAGE_A1)
    page.on_changes(result.changes)
    assert _headlines(page)["cases"] == "8"
    page.hide()  # a page not shown waits until it is
    page.on_changes(register_case(county, data, org_code=VILLAGE_A1).changes)
    assert _headlines(page)["cases"] == "8"
    page.show()
    assert _headlines(page)["cases"] == "9"
    page.on_changes(Changes(frozenset({"app_user"})))  # nothing the figures count
    assert page.result is not None
    assert page.result.totals.cases == 9


def test_the_page_works_with_a_real_runner(qtbot: QtBot, county: Desk) -> None:  # noqa: F811
    runner = TaskRunner()
    widget = StatsPage(county, runner, subtree(list_orgs(county), COUNTY))
    qtbot.addWidget(widget)
    widget.show()
    with qtbot.waitSignal(widget.loaded, timeout=20_000):
        widget.set_query(StatsQuery(*YEAR_2024))
    assert _headlines(widget)["success_rate"] == "60.00"
    with qtbot.waitSignal(widget.cases_listed, timeout=20_000):
        widget.list_cases(widget.tree_model.index(0, column_of("refused")))
    assert len(widget.case_ids_listed()) == 1
    assert runner.wait_for_done()


def test_screenshot(page: StatsPage, qtbot: QtBot) -> None:
    shots = Path("/tmp/shots/stats-gui")
    shots.mkdir(parents=True, exist_ok=True)
    for number, name in enumerate(("charts", "tree", "groups", "mediators")):
        page.tabs.setCurrentIndex(number)
        page.tree.expandAll()
        qtbot.wait(10)
        assert page.grab().save(str(shots / f"test-county-{name}.png"))
    assert page.headlines["cases"].value.text() == "7"
