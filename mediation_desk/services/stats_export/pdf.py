"""The statistics as a PDF report (ReportLab, the bundled fonts embedded as subsets, text extractable).

The scope and the headline figures first, then one section per grouping with its table (the totals row last) and
a chart (cases by category, by month and by organisation as bars; the outcomes as a pie), the mediators when the
report is by mediator, and the data-quality check. The page furniture, fonts and paragraph styles are the printed
forms' (``documents``), so a report looks like the rest of the desk's paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from mediation_desk.documents.fonts import BODY, TITLE, covered
from mediation_desk.documents.pages import PageSetup, render_counted
from mediation_desk.documents.styles import FRAME_WIDTH, HEADING, PLAIN, SUBTITLE, TITLE_STYLE, para
from mediation_desk.domain.codes import OutcomeKind
from mediation_desk.domain.statistics import Counts, Grouping
from mediation_desk.services.stats import Group, Statistics
from mediation_desk.services.stats_export.columns import (
    MEDIATOR_COLUMNS,
    PDF_COLUMNS,
    figure_text,
    headline_rows,
    scope_rows,
)
from mediation_desk.services.stats_quality import QualityReport
from mediation_desk.store.files import atomic_write

SIZE = 9
CELL = ParagraphStyle("stats-cell", parent=PLAIN, fontSize=SIZE, leading=12)
HEAD = ParagraphStyle("stats-head", parent=CELL, fontName=TITLE, alignment=TA_CENTER)
FIGURE = ParagraphStyle("stats-figure", parent=CELL, alignment=TA_RIGHT)
INK = colors.black
RULE = colors.Color(0.55, 0.55, 0.55)
SHADE = colors.Color(0.87, 0.9, 0.94)
BAR = colors.Color(0.25, 0.42, 0.62)
PIE_COLOURS = (
    colors.Color(0.25, 0.42, 0.62),
    colors.Color(0.45, 0.65, 0.85),
    colors.Color(0.85, 0.55, 0.25),
    colors.Color(0.75, 0.3, 0.3),
    colors.Color(0.6, 0.6, 0.6),
    colors.Color(0.4, 0.7, 0.45),
)
CHART_ROWS = 25  # bars in one chart at most (the biggest groups)
LISTED_ISSUES = 40
SECTION_TITLES = {
    Grouping.CATEGORY: "按纠纷类型",
    Grouping.SOURCE: "按案件来源",
    Grouping.MONTH: "按月份",
    Grouping.ORG: "按组织（下一级）",
    Grouping.SUBTYPE: "按纠纷细类",
}
NUMERALS = "一二三四五六七八九十"


def _drawing(width: float, height: float) -> Drawing:
    """A drawing whose text starts in the body face (ReportLab's default would add an unembedded Helvetica)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = BODY
    drawing.initialFontSize = SIZE
    return drawing


def _grid(rows: list[list[object]], widths: Sequence[float], *, totals: bool) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=1, hAlign="CENTER")
    commands: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), BODY, SIZE),  # the table's own default would add an unembedded Helvetica
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("BOX", (0, 0), (-1, -1), 0.9, INK),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if totals:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), SHADE))
    table.setStyle(TableStyle(commands))
    return table


def _figures(counts: Counts, bold: bool = False) -> list[object]:
    style = ParagraphStyle("stats-figure-bold", parent=FIGURE, fontName=TITLE) if bold else FIGURE
    return [para(figure_text(column.kind, column.value(counts)), style) for column in PDF_COLUMNS]


def group_table(groups: Sequence[Group], total: Counts, first_heading: str, total_label: str = "合计") -> Table:
    """One row per group with the PDF's columns, and the totals row."""
    name_width = FRAME_WIDTH * 0.24
    widths = [name_width, *([(FRAME_WIDTH - name_width) / len(PDF_COLUMNS)] * len(PDF_COLUMNS))]
    rows: list[list[object]] = [[para(first_heading, HEAD), *(para(column.heading, HEAD) for column in PDF_COLUMNS)]]
    rows += [[para(group.name, CELL), *_figures(group.counts)] for group in groups]
    rows.append([para(total_label, HEAD), *_figures(total, bold=True)])
    return _grid(rows, widths, totals=True)


def _label(text: str) -> str:
    """A chart label: the text when the body face has every character (charts draw plain strings)."""
    return text if covered(text, BODY) else "".join(char if covered(char, BODY) else "□" for char in text)


def bar_chart(labels: Sequence[str], values: Sequence[int], *, horizontal: bool) -> Drawing:
    """Cases per group as bars (at most ``CHART_ROWS``, the biggest when there are more)."""
    pairs = list(zip(labels, values, strict=True))
    if len(pairs) > CHART_ROWS:
        pairs = sorted(pairs, key=lambda pair: -pair[1])[:CHART_ROWS]
    height = (10 + 5.2 * len(pairs)) * mm if horizontal else 62 * mm
    drawing = _drawing(FRAME_WIDTH, height)
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    chart.x, chart.y = (38 * mm, 6 * mm) if horizontal else (12 * mm, 14 * mm)
    chart.width = FRAME_WIDTH - chart.x - 8 * mm
    chart.height = height - chart.y - 4 * mm
    shown = list(reversed(pairs)) if horizontal else pairs
    chart.data = [[value for _, value in shown]]
    chart.categoryAxis.categoryNames = [_label(label) for label, _ in shown]
    chart.categoryAxis.labels.fontName = BODY
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = BODY
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = BODY
    chart.barLabels.fontSize = 6
    if horizontal:
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 2
    else:
        chart.barLabels.boxAnchor = "s"
        chart.barLabels.dy = 1
        chart.categoryAxis.labels.angle = 0
    drawing.add(chart)
    return drawing


def outcome_chart(totals: Counts) -> Drawing:
    """The counted cases by how they ended, as a pie (the empty slices left out)."""
    slices = [
        (OutcomeKind.WRITTEN_AGREEMENT.label, totals.written_agreements),
        (OutcomeKind.ORAL_AGREEMENT.label, totals.oral_agreements),
        (OutcomeKind.FAILED.label, totals.failed),
        (OutcomeKind.TERMINATED.label, totals.terminated),
        (OutcomeKind.REFUSED.label, totals.refused),
        ("在办", totals.pending),
    ]
    shown = [(name, value, colour) for (name, value), colour in zip(slices, PIE_COLOURS, strict=True) if value]
    drawing = _drawing(FRAME_WIDTH, 58 * mm)
    if not shown:
        drawing.add(String(FRAME_WIDTH / 2, 28 * mm, "没有案件", fontName=BODY, fontSize=10, textAnchor="middle"))
        return drawing
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 20 * mm, 4 * mm, 50 * mm, 50 * mm
    pie.data = [value for _, value, _ in shown]
    pie.labels = None
    pie.slices.strokeColor = colors.white
    for index, (_, _, colour) in enumerate(shown):
        pie.slices[index].fillColor = colour
    drawing.add(pie)
    total = sum(value for _, value, _ in shown)
    for index, (name, value, colour) in enumerate(shown):
        y = 48 * mm - index * 7 * mm
        drawing.add(Rect(82 * mm, y - 0.5 * mm, 4 * mm, 3 * mm, fillColor=colour, strokeColor=None))
        text = f"{name} {value} 件（{value * 100 / total:.1f}%）"
        drawing.add(String(88 * mm, y, text, fontName=BODY, fontSize=9))
    return drawing


def _section(number: int, title: str) -> Flowable:
    return para(f"{NUMERALS[number - 1] if number <= 10 else number}、{title}", HEADING)


def _pairs_table(pairs: Sequence[tuple[str, str]]) -> Table:
    rows: list[list[object]] = [[para(name, HEAD), para(value, CELL)] for name, value in pairs]
    table = Table(rows, colWidths=[FRAME_WIDTH * 0.3, FRAME_WIDTH * 0.7], hAlign="CENTER")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), BODY, SIZE),
                ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                ("BOX", (0, 0), (-1, -1), 0.9, INK),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _grouping(result: Statistics, grouping: Grouping) -> list[Flowable]:
    groups = result.groups(grouping)
    first = {Grouping.MONTH: "月份", Grouping.ORG: "组织", Grouping.SOURCE: "案件来源"}.get(grouping, "纠纷类型")
    if grouping is Grouping.SUBTYPE:
        total = Counts()
        for group in groups:
            total.add(group.counts)
        story: list[Flowable] = [group_table(groups, total, "纠纷细类", "合计（有细类的案件）")]
    else:
        story = [group_table(groups, result.totals, first)]
    shown = [group for group in groups if group.counts.cases] if grouping is not Grouping.MONTH else groups
    if grouping in (Grouping.CATEGORY, Grouping.ORG, Grouping.MONTH) and shown:
        labels = [group.name if grouping is not Grouping.MONTH else group.name[5:] for group in shown]
        if grouping is Grouping.MONTH and len({group.code[:4] for group in shown}) > 1:
            labels = [group.code for group in shown]
        chart = bar_chart(labels, [group.counts.cases for group in shown], horizontal=grouping is not Grouping.MONTH)
        story += [Spacer(1, 3 * mm), chart]
    return story


def _mediators(result: Statistics) -> Table:
    name_width = FRAME_WIDTH * 0.36
    widths = [name_width, *([(FRAME_WIDTH - name_width) / len(MEDIATOR_COLUMNS)] * len(MEDIATOR_COLUMNS))]
    rows: list[list[object]] = [[para("调解员（所属组织）", HEAD), *(para(c.heading, HEAD) for c in MEDIATOR_COLUMNS)]]
    for row in result.by_mediator or []:
        name = f"{row.name}（{row.org_name}，{'专职' if row.full_time else '兼职'}）"
        figures = [para(figure_text(c.kind, c.value(row.counts)), FIGURE) for c in MEDIATOR_COLUMNS]
        rows.append([para(name, CELL), *figures])
    return _grid(rows, widths, totals=False)


def _quality(report: QualityReport) -> list[Flowable]:
    story: list[Flowable] = [para(report.summary(), PLAIN)]
    if report.ok:
        return story
    story.append(_pairs_table([(rule.label, f"{count} 项") for rule, count in report.counts.items()]))
    lines = [
        f"[{issue.rule.label}] {issue.org_name} {issue.case_number or ''}：{issue.detail}"
        for issue in report.issues[:LISTED_ISSUES]
    ]
    story += [Spacer(1, 2 * mm), *(para(line, CELL) for line in lines)]
    if len(report.issues) > LISTED_ISSUES:
        story.append(para(f"……另有 {len(report.issues) - LISTED_ISSUES} 项，见 stats check 或 Excel 工作簿", CELL))
    return story


def build_story(result: Statistics, quality: QualityReport | None, made_on: date) -> list[Flowable]:
    story: list[Flowable] = [
        para(result.org_name, SUBTITLE),
        para("人民调解工作统计报告", TITLE_STYLE),
        _pairs_table(scope_rows(result, made_on)),
        Spacer(1, 4 * mm),
    ]
    number = 1
    story += [_section(number, "主要指标"), _pairs_table(headline_rows(result))]
    order = [Grouping.CATEGORY, Grouping.SOURCE, Grouping.MONTH, Grouping.ORG, Grouping.SUBTYPE]
    if result.by in order:
        order.remove(result.by)
        order.insert(0, result.by)
    for grouping in order:
        number += 1
        story += [CondPageBreak(60 * mm), _section(number, SECTION_TITLES[grouping]), *_grouping(result, grouping)]
    number += 1
    story += [KeepTogether([_section(number, "调解结果"), outcome_chart(result.totals)])]
    if result.by_mediator is not None:
        number += 1
        story += [CondPageBreak(60 * mm), _section(number, "按调解员（考核）"), _mediators(result)]
    if quality is not None:
        number += 1
        story += [CondPageBreak(40 * mm), _section(number, "数据质量检查"), *_quality(quality)]
    return story


def build_pdf(result: Statistics, quality: QualityReport | None = None, made_on: date | None = None) -> bytes:
    made_on = made_on or date.today()
    setup = PageSetup(
        title=f"人民调解工作统计报告 {result.org_name}",
        footer_right=f"{result.org_name} {made_on.isoformat()}",
        subject="人民调解工作统计",
    )
    return render_counted(build_story(result, quality, made_on), setup)[0]


def write_pdf(result: Statistics, target: Path, quality: QualityReport | None = None) -> None:
    """Write the report to ``target`` whole or not at all."""
    atomic_write(target, build_pdf(result, quality))
