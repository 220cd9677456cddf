"""The case list as it is shown, to an Excel workbook: the same rows in the same order, one sheet, Chinese
headers. Written whole or not at all (a temporary file renamed into place), in pages so that 100,000 rows
need little memory; ``report(done, total)`` tells the progress and may stop the export (nothing is left)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook

from mediation_desk.domain.errors import DomainError
from mediation_desk.domain.money import fen_to_yuan
from mediation_desk.services.cases.views import CaseRow
from mediation_desk.services.desk import Desk
from mediation_desk.services.search import CaseKey, rows_by_key
from mediation_desk.store.files import atomic_path

HEADERS = (
    "案号",
    "受理日期",
    "调委会",
    "纠纷类型",
    "案件来源",
    "申请人",
    "被申请人",
    "状态",
    "调解结果",
    "涉及金额（元）",
    "结案日期",
)
PAGE = 500


def _cells(row: CaseRow) -> list[object]:
    return [
        row.number,
        row.intake_date,
        row.org_name,
        row.category_name,
        row.source.label,
        row.applicants,
        row.respondents,
        row.status.label,
        row.outcome.label if row.outcome else "",
        float(fen_to_yuan(row.amount_fen)) if row.amount_fen else None,
        row.closing_date,
    ]


def export_cases(
    desk: Desk, keys: Sequence[CaseKey], path: Path, report: Callable[[int, int], None] | None = None
) -> int:
    """Write the cases ``keys`` (a list's order) to ``path`` (.xlsx); the number of rows written."""
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("案件")
    sheet.append(list(HEADERS))
    written = 0
    for start in range(0, len(keys), PAGE):
        for row in rows_by_key(desk, keys[start : start + PAGE]):
            sheet.append(_cells(row))
            written += 1
        if report is not None:
            report(min(start + PAGE, len(keys)), len(keys))
    try:
        with atomic_path(path) as staged:
            workbook.save(staged)
    except OSError as error:
        raise DomainError(f"无法写入文件“{path}”：{error.strerror or error}") from None
    return written
