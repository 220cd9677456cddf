"""Synthetic ledgers (台账) for tests: invented names only, every date in the past."""

from __future__ import annotations

import csv
import random
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from mediation_desk.services.ledger import COLUMNS

CHINESE = [column.zh for column in COLUMNS]
ENGLISH = {column.zh: column.en for column in COLUMNS}

SURNAMES = "张王李赵钱孙周吴郑冯"
GIVEN = ["三", "四", "五", "六", "小明", "小红", "大伟", "晓燕", "建国", "秀英"]


def row(**values: Any) -> dict[str, Any]:
    """A valid open case (accepted, no outcome), with ``values`` (Chinese headers) on top."""
    base: dict[str, Any] = {
        "受理日期": "2025-03-05",
        "纠纷类型": "邻里纠纷",
        "案件来源": "当事人申请",
        "申请人": "张三",
        "被申请人": "李四",
        "纠纷简要情况": "两家因共用通道堆放杂物发生争执",
    }
    base.update(values)
    return base


def write_csv(
    path: Path,
    rows: Sequence[dict[str, Any]],
    *,
    headers: Sequence[str] | None = None,
    english: bool = False,
    bom: bool = True,
    encoding: str = "utf-8",
) -> Path:
    """Write ``rows`` (keyed by Chinese header) as CSV; ``headers`` defaults to the keys used, in order."""
    names = list(headers) if headers is not None else _headers(rows)
    written = [ENGLISH.get(name, name) if english else name for name in names]
    with path.open(
        "w", encoding=("utf-8-sig" if bom else "utf-8") if encoding == "utf-8" else encoding, newline=""
    ) as f:
        writer = csv.writer(f)
        writer.writerow(written)
        for values in rows:
            writer.writerow(["" if values.get(name) is None else values.get(name) for name in names])
    return path


def write_xlsx(
    path: Path,
    rows: Sequence[dict[str, Any]],
    *,
    headers: Sequence[str] | None = None,
    english: bool = False,
    title: str | None = None,
) -> Path:
    from openpyxl import Workbook

    names = list(headers) if headers is not None else _headers(rows)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title:
        sheet.append([title])
    sheet.append([ENGLISH.get(name, name) if english else name for name in names])
    for values in rows:
        sheet.append([values.get(name) for name in names])
    workbook.save(path)
    return path


def _headers(rows: Sequence[dict[str, Any]]) -> list[str]:
    names: list[str] = []
    for values in rows:
        for name in values:
            if name not in names:
                names.append(name)
    return names


def random_ledger(count: int, seed: int = 7, *, start: date = date(2025, 1, 2)) -> list[dict[str, Any]]:
    """A ledger of ``count`` distinct, valid rows covering every outcome, agreement, source and flag."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for index in range(count):
        intake = start + timedelta(days=rng.randrange(300))
        outcome = rng.choice(["成功", "成功", "成功", "不成功", "终止", ""])
        agreement = {"成功": rng.choice(["书面", "口头"]), "不成功": rng.choice(["无", ""]), "终止": "", "": ""}[
            outcome
        ]
        closing = (intake + timedelta(days=rng.randrange(0, 30))).isoformat() if outcome and rng.random() < 0.7 else ""
        applicants = "、".join(rng.choice(SURNAMES) + rng.choice(GIVEN) for _ in range(rng.choice([1, 1, 2])))
        respondents = rng.choice(SURNAMES) + rng.choice(GIVEN) if rng.random() < 0.9 else ""
        values: dict[str, Any] = {
            "受理日期": intake.isoformat(),
            "纠纷类型": rng.choice(["邻里纠纷", "02", "婚姻家庭纠纷", "10", "合同", "民间借贷纠纷"]),
            "案件来源": rng.choice(["当事人申请", "主动调解", "委托移送", "application"]),
            "申请人": applicants,
            "被申请人": respondents,
            "纠纷简要情况": f"虚构案情第 {index + 1} 号",
            "调解员": rng.choice(["", "调解员甲", "调解员乙、调解员丙"]),
            "调解结果": outcome,
            "协议形式": agreement,
            "协议金额": rng.choice(["", "0", f"{rng.randrange(1, 50000)}", f"{rng.randrange(1, 900)}.50"]),
            "涉及人数": rng.choice(["", str(rng.randrange(1, 30))]),
            "结案日期": closing,
            "履行情况": rng.choice(["已履行", "部分履行", "未履行", ""]) if outcome == "成功" else "",
            "群体性": rng.choice(["是", "否", ""]),
            "备注": "",
        }
        rows.append(values)
    return rows


def expected_totals(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The ``stats --json`` totals that a ledger should produce, computed from its rows alone."""
    successful = sum(1 for r in rows if r.get("调解结果") == "成功")
    failed = sum(1 for r in rows if r.get("调解结果") == "不成功")
    terminated = sum(1 for r in rows if r.get("调解结果") == "终止")
    amount = sum(
        (Decimal(str(r.get("协议金额") or 0)) for r in rows if r.get("调解结果") == "成功"),
        Decimal(0),
    )
    persons = 0
    for r in rows:
        named = len([n for n in str(r.get("申请人") or "").split("、") if n]) + len(
            [n for n in str(r.get("被申请人") or "").split("、") if n]
        )
        persons += int(r["涉及人数"]) if r.get("涉及人数") not in (None, "", "0") else named
    mediated = successful + failed + terminated
    rate = (
        float((Decimal(successful) * 100 / Decimal(mediated)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
        if mediated
        else 0.0
    )
    return {
        "cases": len(rows),
        "successful": successful,
        "success_rate": rate,
        "failed": failed,
        "terminated": terminated,
        "written_agreements": sum(1 for r in rows if r.get("协议形式") == "书面" and r.get("调解结果") == "成功"),
        "oral_agreements": sum(1 for r in rows if r.get("协议形式") == "口头" and r.get("调解结果") == "成功"),
        "amount_yuan": float(amount),
        "persons": persons,
        "group_cases": sum(1 for r in rows if r.get("群体性") == "是"),
    }


def write_workbook(
    path: Path,
    sheets: Mapping[str, Sequence[Any]],
    *,
    hidden: Sequence[str] = (),
    epoch_1904: bool = False,
) -> Path:
    """A workbook with one sheet per entry, in order: rows keyed by Chinese header (a header row is written), or
    plain lists of cells (written as they are); the sheets named in ``hidden`` are hidden."""
    from openpyxl import Workbook
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    workbook = Workbook()
    if epoch_1904:
        workbook.epoch = CALENDAR_MAC_1904
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        if rows and isinstance(rows[0], dict):
            names = _headers(rows)
            sheet.append(names)
            for values in rows:
                assert isinstance(values, dict)
                sheet.append([values.get(header) for header in names])
        else:
            for cells in rows:
                sheet.append(list(cells))
        if name in hidden:
            sheet.sheet_state = "hidden"
    workbook.save(path)
    return path


def rewrite_member(path: Path, member: str, change: Any) -> Path:
    """Rewrite one member of a zip (an .xlsx) with ``change(bytes) -> bytes``, keeping the others as they are."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info, change(data) if info.filename == member else data)
    return path


def desk_state(desk: Any) -> tuple[int, ...]:
    """Counts of every table an import writes, the revision log and the audit trail included: a refused import
    leaves them all as they were, and a change to a case adds revisions."""
    import sqlalchemy as sa

    from mediation_desk.store.models import AuditEvent, CaseMediator, DisputeCase, Mediator, Outcome, Party, Revision

    with desk.read() as session:
        return tuple(
            int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)
            for model in (DisputeCase, Party, Outcome, CaseMediator, Mediator, Revision, AuditEvent)
        )
