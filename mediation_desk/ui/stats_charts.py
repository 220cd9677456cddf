"""The dashboard's charts (QtCharts): disputes by category (bars), the outcomes (a pie), by organisation one level
down (bars) side by side, and by month (bars, received and successful) across the width, all from one
``Statistics``.

Only groups with cases get a bar (the empty ones are in the table and the reports); a click on a bar or a slice
lists the cases behind it (``StatsCharts.picked``). Labels use the application's
font, so Chinese shows in the bundled font; the long-label charts lie on their side and grow with their bars, in a
scroll area, so nothing is clipped on a 1366×768 screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6 import QtCharts
from PySide6.QtCore import QCoreApplication, QMargins, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QApplication, QFrame, QGridLayout, QScrollArea, QWidget

from mediation_desk.services.stats import Group, Statistics
from mediation_desk.services.stats_cases import Behind

CONTEXT = "StatsCharts"
BAR_HEIGHT = 18  # pixels per bar of a horizontal chart
CHART_MIN_HEIGHT = 240
COLOURS = ("#2f6fb0", "#4f9a5a", "#d08a2e", "#b3453b", "#7a5aa6", "#5e8c99")


@dataclass(frozen=True, slots=True)
class ChartPick:
    """What a bar or a slice counts: the cases behind it, for an organisation (``None``: the report's)."""

    what: str
    behind: Behind
    org_code: str | None = None
    own_only: bool = False


Clicked = Callable[[int, int], None]
"""``clicked(set, label)``: a bar of a set (numbered from 0) over a label (in the order given) was clicked."""


def _font(scale: float = 1.0, *, bold: bool = False) -> QFont:
    font = QFont(QApplication.font())
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    return font


def _chart(title: str) -> QtCharts.QChart:
    chart = QtCharts.QChart()
    chart.setTitle(title)
    chart.setTitleFont(_font(1.1, bold=True))
    chart.setFont(_font())
    chart.legend().setFont(_font())
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(0)
    chart.setAnimationOptions(QtCharts.QChart.AnimationOption.NoAnimation)
    return chart


def bar_chart(
    title: str,
    labels: list[str],
    sets: list[tuple[str, list[int]]],
    *,
    horizontal: bool = False,
    show_values: bool = True,
    clicked: Clicked | None = None,
) -> QtCharts.QChart:
    """Bars of ``sets`` (name, one value per label) over ``labels``; lying on their side when ``horizontal``."""
    chart = _chart(title)
    series: QtCharts.QAbstractBarSeries = QtCharts.QHorizontalBarSeries() if horizontal else QtCharts.QBarSeries()
    order = list(reversed(range(len(labels)))) if horizontal else list(range(len(labels)))  # first on top
    for number, (name, values) in enumerate(sets):
        bar_set = QtCharts.QBarSet(name)
        bar_set.setColor(QColor(COLOURS[number % len(COLOURS)]))
        bar_set.append([float(values[index]) for index in order])
        bar_set.setLabelFont(_font(0.9))
        bar_set.setLabelColor(QColor("#222"))
        if clicked is not None:
            bar_set.clicked.connect(lambda index, number=number: clicked(number, order[index]))
        series.append(bar_set)
    series.setLabelsVisible(show_values)
    series.setLabelsPosition(QtCharts.QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    chart.addSeries(series)
    names = QtCharts.QBarCategoryAxis()
    names.append([labels[index] for index in order])
    names.setLabelsFont(_font())
    names.setTruncateLabels(False)  # a category's whole name, never "…"
    values_axis = QtCharts.QValueAxis()
    values_axis.setLabelFormat("%d")
    values_axis.setLabelsFont(_font(0.9))
    top = max((max(values, default=0) for _name, values in sets), default=0)
    values_axis.setRange(0, max(1, top * 1.15))
    values_axis.applyNiceNumbers()
    chart.addAxis(names, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(values_axis, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(names)
    series.attachAxis(values_axis)
    chart.legend().setVisible(len(sets) > 1)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def pie_chart(
    title: str, slices: list[tuple[str, int]], clicked: Callable[[int], None] | None = None
) -> QtCharts.QChart:
    chart = _chart(title)
    series = QtCharts.QPieSeries()
    for number, (name, value) in enumerate(slices):
        piece = series.append(f"{name} {value}", float(value))
        piece.setColor(QColor(COLOURS[number % len(COLOURS)]))
        piece.setLabelFont(_font(0.9))
        if clicked is not None:
            piece.clicked.connect(lambda number=number: clicked(number))
    series.setPieSize(0.8)
    chart.addSeries(series)
    chart.legend().setVisible(True)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    return chart


def month_label(group: Group, one_year: bool) -> str:
    year, month = int(group.code[:4]), int(group.code[5:7])
    if one_year:
        return QCoreApplication.translate("StatsCharts", "Month {month}").format(month=month)
    return QCoreApplication.translate("StatsCharts", "{year}-{month}").format(year=year, month=month)


Pick = Callable[[ChartPick], None]
"""Told what a clicked bar or slice counts."""


def category_chart(result: Statistics, pick: Pick | None = None) -> QtCharts.QChart:
    groups = [group for group in result.by_category if group.counts.cases]
    disputes = QCoreApplication.translate("StatsCharts", "Disputes")

    def clicked(_set: int, label: int) -> None:
        if pick is not None:
            group = groups[label]
            pick(ChartPick(f"{group.name} · {disputes}", Behind("cases", category=group.code)))

    return bar_chart(
        QCoreApplication.translate("StatsCharts", "Disputes by category"),
        [group.name for group in groups],
        [(disputes, [group.counts.cases for group in groups])],
        horizontal=True,
        clicked=clicked,
    )


def month_chart(result: Statistics, pick: Pick | None = None) -> QtCharts.QChart:
    months = result.by_month
    one_year = len({group.code[:4] for group in months}) <= 1
    labels = [month_label(group, one_year) for group in months]
    sets = [
        (QCoreApplication.translate("StatsCharts", "Disputes"), [group.counts.cases for group in months]),
        (QCoreApplication.translate("StatsCharts", "Successful"), [group.counts.successful for group in months]),
    ]
    indicators = ("cases", "successful")

    def clicked(number: int, label: int) -> None:
        if pick is not None:
            what = f"{labels[label]} · {sets[number][0]}"
            pick(ChartPick(what, Behind(indicators[number], month=months[label].code)))

    return bar_chart(
        QCoreApplication.translate("StatsCharts", "By month"),
        labels,
        sets,
        show_values=len(months) <= 6,
        clicked=clicked,
    )


def outcome_slices(result: Statistics) -> list[tuple[str, int, str]]:
    """(label, value, indicator) of the outcomes with cases."""
    totals = result.totals
    slices = [
        (QCoreApplication.translate("StatsCharts", "Written agreement"), "written_agreements"),
        (QCoreApplication.translate("StatsCharts", "Oral agreement"), "oral_agreements"),
        (QCoreApplication.translate("StatsCharts", "Failed"), "failed"),
        (QCoreApplication.translate("StatsCharts", "Terminated"), "terminated"),
        (QCoreApplication.translate("StatsCharts", "Refused"), "refused"),
        (QCoreApplication.translate("StatsCharts", "Open"), "pending"),
    ]
    return [(name, getattr(totals, key), key) for name, key in slices if getattr(totals, key)]


def outcome_chart(result: Statistics, pick: Pick | None = None) -> QtCharts.QChart:
    slices = outcome_slices(result)

    def clicked(number: int) -> None:
        if pick is not None:
            pick(ChartPick(slices[number][0], Behind(slices[number][2])))

    return pie_chart(
        QCoreApplication.translate("StatsCharts", "Outcomes"),
        [(name, value) for name, value, _key in slices],
        clicked,
    )


def org_label(result: Statistics, group: Group) -> str:
    if group.code == result.org_code:
        return QCoreApplication.translate("StatsCharts", "{name} (own cases)").format(name=group.name)
    return group.name


def org_chart(result: Statistics, pick: Pick | None = None) -> QtCharts.QChart:
    groups = result.by_org
    disputes = QCoreApplication.translate("StatsCharts", "Disputes")

    def clicked(_set: int, label: int) -> None:
        if pick is not None:
            group = groups[label]
            own = group.code == result.org_code
            pick(ChartPick(disputes, Behind("cases"), group.code, own_only=own))

    return bar_chart(
        QCoreApplication.translate("StatsCharts", "Disputes by organisation"),
        [org_label(result, group) for group in groups],
        [(disputes, [group.counts.cases for group in groups])],
        horizontal=True,
        clicked=clicked,
    )


class StatsCharts(QScrollArea):
    """The four charts: three side by side, the months under them; the views are kept, their charts replaced on
    every result."""

    picked = Signal(object)  # a ChartPick: a bar or a slice was clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        grid = QGridLayout(inner)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        self.category_view, self.outcome_view, self.month_view, self.org_view = (self._view() for _ in range(4))
        grid.addWidget(self.category_view, 0, 0)
        grid.addWidget(self.outcome_view, 0, 1)
        grid.addWidget(self.org_view, 0, 2)
        grid.addWidget(self.month_view, 1, 0, 1, 3)  # the months want the width
        for column in range(3):
            grid.setColumnStretch(column, 1)
        self.setWidget(inner)

    def _view(self) -> QtCharts.QChartView:
        view = QtCharts.QChartView()
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(CHART_MIN_HEIGHT)
        return view

    def show_statistics(self, result: Statistics) -> None:
        pick: Pick = self.picked.emit
        charts = (
            (self.category_view, category_chart(result, pick), sum(1 for g in result.by_category if g.counts.cases)),
            (self.outcome_view, outcome_chart(result, pick), 0),
            (self.month_view, month_chart(result, pick), 0),
            (self.org_view, org_chart(result, pick), len(result.by_org)),
        )
        for view, chart, bars in charts:
            old = view.chart()
            view.setChart(chart)
            view.setMinimumHeight(max(CHART_MIN_HEIGHT, 80 + BAR_HEIGHT * bars))
            if old is not None:
                old.deleteLater()
