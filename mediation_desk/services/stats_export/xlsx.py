"""The statistics as an Excel workbook laid out like the forms townships send up (openpyxl).

A cover sheet with the scope, the basis and the headline figures (and the data-quality check, when one was run);
then one sheet per grouping: a title row, the scope, the column headings (frozen, with the first column), one row
per group and a totals row; numbers stay numbers with their formats (counts, two-decimal percentages, yuan, 万元),
and every column is as wide as its longest text counting a Chinese character as two.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from mediation_desk.domain.statistics import Counts, Grouping
from mediation_desk.services.stats import Group, Statistics
from mediation_desk.services.stats_export.columns import (
    COUNT_COLUMNS,
    MEDIATOR_COLUMNS,
    Kind,
    headline_rows,
    scope_rows,
)
from mediation_desk.services.stats_quality import QualityReport
from mediation_desk.store.files import atomic_path

FORMATS = {Kind.COUNT: "#,##0", Kind.RATE: "0.00", Kind.YUAN: "#,##0.00", Kind.WAN: "#,##0.00", Kind.DAYS: "0.0"}
TITLE_FONT = Font(name="宋体", size=14, bold=True)
HEAD_FONT = Font(name="宋体", size=10, bold=True)
BODY_FONT = Font(name="宋体", size=10)
HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FIRST_ROW = 4  # title, scope, headings, then the data
SHEETS = {
    Grouping.ORG: "按组织",
    Grouping.CATEGORY: "按纠纷类型",
    Grouping.SUBTYPE: "按纠纷细类",
    Grouping.SOURCE: "按案件来源",
    Grouping.MONTH: "按月份",
}
FIRST_HEADINGS = {
    Grouping.ORG: ("组织代码", "组织名称"),
    Grouping.CATEGORY: ("类型代码", "纠纷类型"),
    Grouping.SUBTYPE: ("细类代码", "纠纷细类"),
    Grouping.SOURCE: ("来源代码", "案件来源"),
    Grouping.MONTH: ("月份", "月份名称"),
}


def text_width(text: str) -> int:
    """Columns a text needs: a Chinese (wide) character counts as two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _fit(sheet: Worksheet, skip_rows: int = 0) -> None:
    widths: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=skip_rows + 1):
        for cell in row:
            if cell.value is None:
                continue
            shown = f"{cell.value:,.2f}" if isinstance(cell.value, float) else str(cell.value)
            widths[cell.column] = max(widths.get(cell.column, 0), text_width(shown))
    for column, needed in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(needed + 2, 8), 60)


def _title(sheet: Worksheet, title: str, scope: str, width: int) -> None:
    sheet.cell(1, 1, title).font = TITLE_FONT
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 2))
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.cell(2, 1, scope).font = BODY_FONT
    sheet.row_dimensions[1].height = 24


def _headings(sheet: Worksheet, headings: Sequence[str]) -> None:
    for index, heading in enumerate(headings, start=1):
        cell = sheet.cell(FIRST_ROW - 1, index, heading)
        cell.font, cell.fill, cell.border = HEAD_FONT, HEAD_FILL, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=False)
    sheet.freeze_panes = f"C{FIRST_ROW}"  # the headings and the code and name columns stay in view


def _figures(sheet: Worksheet, row: int, first: int, counts: Counts, *, bold: bool = False) -> None:
    for offset, column in enumerate(COUNT_COLUMNS):
        cell = sheet.cell(row, first + offset, column.value(counts))
        cell.number_format = FORMATS[column.kind]
        cell.font = HEAD_FONT if bold else BODY_FONT
        cell.border = BOX


def _labels(sheet: Worksheet, row: int, labels: Sequence[str], *, bold: bool = False) -> None:
    for index, label in enumerate(labels, start=1):
        cell = sheet.cell(row, index, label)
        cell.number_format = "@"  # codes are text: 331122001001 must not become 3.31E+11
        cell.font = HEAD_FONT if bold else BODY_FONT
        cell.border = BOX


def _scope_line(result: Statistics, made_on: date) -> str:
    return "；".join(f"{name}：{value}" for name, value in scope_rows(result, made_on))


def _cover(sheet: Worksheet, result: Statistics, made_on: date, quality: QualityReport | None) -> None:
    sheet.title = "封面"
    sheet.cell(1, 1, "人民调解工作统计表").font = TITLE_FONT
    sheet.merge_cells("A1:B1")
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    row = 3
    for name, value in [*scope_rows(result, made_on), ("", ""), *headline_rows(result)]:
        if name:
            sheet.cell(row, 1, name).font = HEAD_FONT
            sheet.cell(row, 2, value).font = BODY_FONT
        row += 1
    if quality is not None:
        row += 1
        sheet.cell(row, 1, "数据质量检查").font = HEAD_FONT
        sheet.cell(row, 2, quality.summary()).font = BODY_FONT
        for rule, count in quality.counts.items():
            row += 1
            sheet.cell(row, 1, rule.label).font = BODY_FONT
            sheet.cell(row, 2, count).number_format = FORMATS[Kind.COUNT]
    _fit(sheet, skip_rows=1)


def _group_sheet(book: Workbook, result: Statistics, grouping: Grouping, made_on: date) -> None:
    sheet = book.create_sheet(SHEETS[grouping])
    groups: list[Group] = result.groups(grouping)
    width = 2 + len(COUNT_COLUMNS)
    _title(sheet, f"人民调解工作统计表（{grouping.label}）", _scope_line(result, made_on), width)
    _headings(sheet, [*FIRST_HEADINGS[grouping], *(column.heading for column in COUNT_COLUMNS)])
    row = FIRST_ROW
    for group in groups:
        _labels(sheet, row, [group.code, group.name])
        _figures(sheet, row, 3, group.counts)
        row += 1
    if grouping is Grouping.SUBTYPE:
        total = Counts()
        for group in groups:
            total.add(group.counts)
        _labels(sheet, row, ["合计", "（分有细类的案件）"], bold=True)
    else:
        total = result.totals
        _labels(sheet, row, ["合计", ""], bold=True)
    _figures(sheet, row, 3, total, bold=True)
    _fit(sheet, skip_rows=2)


def _tree_sheet(book: Workbook, result: Statistics, made_on: date) -> None:
    sheet = book.create_sheet("组织明细")
    extra = ("排查次数", "排查发现纠纷（件）", "预防纠纷（件）", "防止民转刑（件）", "调解员（人）", "专职（人）")
    headings = ["组织代码", "组织名称", "层级", "本级受理（件）", *(c.heading for c in COUNT_COLUMNS), *extra]
    _title(sheet, "人民调解工作统计表（各级组织，含下级）", _scope_line(result, made_on), len(headings))
    _headings(sheet, headings)
    row = FIRST_ROW
    for node in result.org_tree:
        _labels(sheet, row, [node.code, "　" * node.depth + node.name, node.level.label], bold=node.depth == 0)
        own = sheet.cell(row, 4, node.own.cases)
        own.number_format, own.border = FORMATS[Kind.COUNT], BOX
        _figures(sheet, row, 5, node.counts, bold=node.depth == 0)
        values = (
            node.screening.rounds,
            node.screening.disputes_found,
            node.screening.disputes_prevented,
            node.screening.escalations_prevented,
            node.roster.mediators,
            node.roster.full_time,
        )
        for offset, value in enumerate(values):
            cell = sheet.cell(row, 5 + len(COUNT_COLUMNS) + offset, value)
            cell.number_format, cell.border = FORMATS[Kind.COUNT], BOX
        row += 1
    _fit(sheet, skip_rows=2)


def _mediator_sheet(book: Workbook, result: Statistics, made_on: date) -> None:
    sheet = book.create_sheet("按调解员")
    headings = ["调解员", "所属组织", "专职/兼职", "法治指导员", *(c.heading for c in MEDIATOR_COLUMNS)]
    _title(sheet, "调解员考核统计表", _scope_line(result, made_on), len(headings))
    _headings(sheet, headings)
    row = FIRST_ROW
    for mediator in result.by_mediator or []:
        labels = [mediator.name, mediator.org_name, "专职" if mediator.full_time else "兼职"]
        _labels(sheet, row, [*labels, "是" if mediator.legal_instructor else "否"])
        for offset, column in enumerate(MEDIATOR_COLUMNS):
            value = column.value(mediator.counts)
            cell = sheet.cell(row, 5 + offset, "—" if value is None else value)
            cell.number_format, cell.border, cell.font = FORMATS[column.kind], BOX, BODY_FONT
        row += 1
    _fit(sheet, skip_rows=2)


def _quality_sheet(book: Workbook, quality: QualityReport) -> None:
    sheet = book.create_sheet("数据质量")
    headings = ["问题", "组织代码", "组织名称", "案件编号", "受理日期", "说明"]
    _title(sheet, "发布前数据质量检查", quality.summary(), len(headings))
    _headings(sheet, headings)
    row = FIRST_ROW
    for issue in quality.issues:
        intake = issue.intake_date.isoformat() if issue.intake_date else ""
        _labels(sheet, row, [issue.rule.label, issue.org_code, issue.org_name, issue.case_number or "", intake])
        sheet.cell(row, 6, issue.detail).font = BODY_FONT
        row += 1
    _fit(sheet, skip_rows=2)


def build_workbook(result: Statistics, quality: QualityReport | None = None, made_on: date | None = None) -> Workbook:
    made_on = made_on or date.today()
    book = Workbook()
    cover = book.active
    assert isinstance(cover, Worksheet)
    _cover(cover, result, made_on, quality)
    first = [result.by] if result.by in SHEETS else []
    for grouping in [*first, *(g for g in SHEETS if g not in first)]:
        _group_sheet(book, result, grouping, made_on)
    _tree_sheet(book, result, made_on)
    if result.by_mediator is not None:
        _mediator_sheet(book, result, made_on)
    if quality is not None and quality.issues:
        _quality_sheet(book, quality)
    return book


def write_xlsx(result: Statistics, target: Path, quality: QualityReport | None = None) -> None:
    """Write the workbook to ``target`` whole or not at all."""
    book = build_workbook(result, quality)
    with atomic_path(target) as temporary:
        book.save(temporary)
