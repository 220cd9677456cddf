"""The workbook re-read with openpyxl and the PDF's text (``pdftotext``) carry the JSON's figures, case for case."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from mediation_desk import cli
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.statistics import Grouping
from mediation_desk.services.desk import Desk
from mediation_desk.services.stats import StatsQuery, statistics
from mediation_desk.services.stats_export import export_pdf, export_xlsx
from mediation_desk.services.stats_export.columns import COUNT_COLUMNS, PDF_COLUMNS, figure_text
from mediation_desk.services.stats_export.xlsx import text_width
from mediation_desk.services.stats_quality import quality
from tests.stats.county import YEAR_2024

# the JSON key under each heading of the tables
KEYS = {
    "受理纠纷（件）": "cases",
    "调解结束（件）": "mediated",
    "调解成功（件）": "successful",
    "成功率（%）": "success_rate",
    "调解不成（件）": "failed",
    "终止调解（件）": "terminated",
    "不予受理（件）": "refused",
    "在办（件）": "pending",
    "书面协议（件）": "written_agreements",
    "口头协议（件）": "oral_agreements",
    "协议金额（元）": "amount_yuan",
    "协议金额（万元）": "amount_wan_yuan",
    "涉及人数（人）": "persons",
    "群体性纠纷（件）": "group_cases",
    "群体性纠纷涉及（人）": "group_persons",
    "已履行（件）": "performed",
    "部分履行（件）": "partly_performed",
    "未履行（件）": "not_performed",
    "申请司法确认（件）": "judicial_applied",
    "司法确认有效（件）": "judicial_granted",
    "化解可能民转刑（件）": "escalation_risk_cases",
    "化解可能民转刑涉及（人）": "escalation_risk_persons",
}
SHEETS = {
    "按组织": "by_org",
    "按纠纷类型": "by_category",
    "按纠纷细类": "by_subtype",
    "按案件来源": "by_source",
    "按月份": "by_month",
}
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")


def _cli_json(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    capsys.readouterr()
    assert cli.main(["--data-dir", str(root), "stats", *args, "--json"]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def _rows(sheet: Worksheet) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in sheet.iter_rows(min_row=4, values_only=True)]


def test_workbook_matches_the_json(
    county: Desk, county_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _cli_json(county_root, capsys, "--from", "2024-01-01", "--to", "2024-12-31", "--by", "mediator")
    result = statistics(county, StatsQuery(*YEAR_2024, by=Grouping.MEDIATOR))
    path = export_xlsx(result, tmp_path / "统计.xlsx", quality(county, StatsQuery(*YEAR_2024)))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["封面", *SHEETS, "组织明细", "按调解员", "数据质量"]
    cover = {row[0]: row[1] for row in book["封面"].iter_rows(min_row=3, values_only=True) if row[0]}
    assert cover["统计期间"] == "2024-01-01 至 2024-12-31"
    assert cover["统计口径"] == "案件按受理日期计入统计期"
    assert cover["调解成功率"] == "60.00%"
    assert cover["受理纠纷"] == f"{report['totals']['cases']} 件"
    for title, key in SHEETS.items():
        sheet = book[title]
        assert sheet.freeze_panes == "C4"
        headings = [str(cell.value) for cell in sheet[3]]
        assert headings[2:] == [column.heading for column in COUNT_COLUMNS]
        rows = _rows(sheet)
        assert len(rows) == len(report[key]) + 1, title
        for row, group in zip(rows, report[key], strict=False):
            assert (row[0], row[1]) == (group["code"], group["name"])
            assert {KEYS[h]: v for h, v in zip(headings[2:], row[2:], strict=True)} == {
                KEYS[h]: group[KEYS[h]] for h in headings[2:]
            }, (title, group["code"])
        total = dict(zip((KEYS[h] for h in headings[2:]), rows[-1][2:], strict=True))
        if key != "by_subtype":
            assert rows[-1][0] == "合计"
            assert total == {name: report["totals"][name] for name in total}
        rate = sheet.cell(4, 2 + list(KEYS).index("成功率（%）") + 1)
        assert rate.number_format == "0.00"
        widest = max(text_width(str(row[1])) for row in rows)
        assert sheet.column_dimensions["B"].width >= widest
    mediators = _rows(book["按调解员"])
    assert sorted((row[0], row[4]) for row in mediators) == sorted(
        (m["name"], m["cases"]) for m in report["by_mediator"]
    )
    tree = _rows(book["组织明细"])
    assert [(row[0], row[4]) for row in tree] == [(entry["code"], entry["cases"]) for entry in report["org_tree"]]


def _tokens(text: str) -> list[list[str]]:
    return [line.split() for line in text.splitlines() if line.strip()]


@needs_poppler
def test_pdf_text_matches_the_json(
    county: Desk, county_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _cli_json(county_root, capsys, "--from", "2024-01-01", "--to", "2024-12-31")
    result = statistics(county, StatsQuery(*YEAR_2024))
    path = export_pdf(result, tmp_path / "统计.pdf", quality(county, StatsQuery(*YEAR_2024)))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    totals = report["totals"]
    for phrase in (
        f"受理纠纷{totals['cases']}件",
        f"调解成功{totals['successful']}件",
        f"调解成功率{totals['success_rate']:.2f}%",
        f"协议金额{totals['amount_yuan']:.2f}元（{totals['amount_wan_yuan']:.2f}万元）",
        f"群体性纠纷{totals['group_cases']}件，涉及{totals['group_persons']}人",
        f"司法确认申请{totals['judicial_applied']}件，确认有效{totals['judicial_granted']}件",
        f"排查次数{report['screening']['rounds']}次",
        "统计口径案件按受理日期计入统计期",
        "2024-01-01至2024-12-31",
        "有金额无协议1项",
    ):
        assert phrase in flat, phrase
    lines = _tokens(text)
    for key in ("by_category", "by_source", "by_month", "by_org", "by_subtype"):
        for group in report[key]:
            if not group["cases"]:
                continue
            figures = [figure_text(column.kind, group[KEYS[column.heading]]) for column in PDF_COLUMNS]
            assert [group["name"], *figures] in lines, (key, group["code"])
    total_row = ["合计", *(figure_text(c.kind, totals[KEYS[c.heading]]) for c in PDF_COLUMNS)]
    assert lines.count(total_row) == 4  # category, source, month, organisation
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts
    assert all(line.split()[-5] == "yes" for line in fonts), fonts  # every font embedded


def test_cli_exports_and_warns_about_quality(
    county_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "县统计.xlsx"
    code = cli.main(
        ["--data-dir", str(county_root), "stats", "--from", "2024-01-01", "--to", "2024-12-31", "--xlsx", str(target)]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert f"已导出：{target}" in captured.out
    assert "数据质量检查发现 2 个问题" in captured.err
    assert openpyxl.load_workbook(target)["按组织"].cell(4, 1).value == "331122001"
    assert not [path for path in tmp_path.iterdir() if path.name.endswith(".tmp")]


def test_export_refuses_a_bad_target(county: Desk, tmp_path: Path) -> None:
    result = statistics(county, StatsQuery(*YEAR_2024))
    with pytest.raises(ValidationError, match="文件夹不存在"):
        export_xlsx(result, tmp_path / "missing" / "a.xlsx")
    with pytest.raises(ValidationError, match=r"\.pdf"):
        export_pdf(result, tmp_path / "a.txt")
    assert [path.name for path in tmp_path.iterdir()] == ["county"]  # the desk's folder only
