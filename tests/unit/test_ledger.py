"""Ledger (台账) import: reading, checking every row, all-or-nothing writes, idempotence, statuses."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from mediation_desk.domain.codes import CaseMediatorRole, CaseSource, OutcomeKind, PartyKind, Performance, UserRole
from mediation_desk.domain.errors import PermissionDenied, ValidationError
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services import cases, orgs
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.ledger import (
    LedgerChanged,
    LedgerError,
    LedgerInvalid,
    LedgerReport,
    import_ledger,
    ledger_key,
)
from mediation_desk.services.mediators import MediatorInput, add_mediator
from mediation_desk.services.stats import statistics
from mediation_desk.store.models import CaseMediator, DisputeCase, Mediator, Outcome, Party
from tests.unit.ledgers import CHINESE, expected_totals, random_ledger, row, write_csv, write_xlsx

VILLAGE = "331122001001"


def count(desk: Desk, model: type[Any] = DisputeCase) -> int:
    with desk.read() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def case_by_facts(desk: Desk, facts: str) -> DisputeCase:
    with desk.read() as session:
        found = session.scalar(sa.select(DisputeCase).where(DisputeCase.facts == facts))
        assert found is not None
        return found


def outcome_of(desk: Desk, case: DisputeCase) -> Outcome | None:
    with desk.read() as session:
        return session.scalar(sa.select(Outcome).where(Outcome.case_id == case.id))


def errors_of(desk: Desk, path: Path) -> list[LedgerError]:
    before = count(desk)
    with pytest.raises(LedgerInvalid) as caught:
        import_ledger(desk, path)
    assert count(desk) == before, "a bad ledger must write nothing"
    assert str(caught.value).startswith(f"台账有 {len(caught.value.errors)} 处错误")
    return caught.value.errors


# ---------------------------------------------------------------------------------------------------------------
# What rows become


LIFECYCLE_STATUSES = {
    "open": (CaseStatus.ACCEPTED, None),
    "mediating": (CaseStatus.MEDIATING, None),
    "written": (CaseStatus.AGREED, OutcomeKind.WRITTEN_AGREEMENT),
    "oral closed": (CaseStatus.CLOSED, OutcomeKind.ORAL_AGREEMENT),
    "failed": (CaseStatus.CLOSED, OutcomeKind.FAILED),
    "terminated": (CaseStatus.TERMINATED, OutcomeKind.TERMINATED),
}


def test_rows_become_cases_with_lifecycle_statuses(desk: Desk, tmp_path: Path) -> None:
    rows = [
        row(纠纷简要情况="open"),
        row(纠纷简要情况="mediating", 调解员="调解员甲、调解员乙"),
        row(纠纷简要情况="written", 调解结果="成功", 协议形式="书面", 协议金额="1,200.50", 履行情况="部分履行"),
        row(纠纷简要情况="oral closed", 调解结果="成功", 协议形式="口头", 结案日期="2025/3/9"),
        row(纠纷简要情况="failed", 调解结果="不成功", 协议形式="无", 结案日期="2025年3月20日"),
        row(纠纷简要情况="terminated", 调解结果="终止"),
        row(纠纷简要情况="group", 群体性="是", 涉及人数="12", 申请人="王五、赵六、钱七", 被申请人="某某建材有限公司"),
    ]
    path = write_csv(tmp_path / "ledger.csv", rows)
    result = import_ledger(desk, path)
    assert result.value == LedgerReport(rows=7, created=7, already_present=0, mediators_created=2, dry_run=False)
    assert result.changes.touches("dispute_case")
    assert len(result.changes.case_ids) == 7

    for facts, (status, kind) in LIFECYCLE_STATUSES.items():
        case = case_by_facts(desk, facts)
        outcome = outcome_of(desk, case)
        assert case.status is status, facts
        assert (outcome.kind if outcome else None) is kind, facts
        assert len(case.ledger_key or "") == 64

    written = case_by_facts(desk, "written")
    assert written.amount_fen == 120050
    outcome = outcome_of(desk, written)
    assert outcome is not None
    assert outcome.performance is Performance.PARTLY
    assert outcome.decided_on == date(2025, 3, 5)  # no closing date: the intake date
    closed = case_by_facts(desk, "oral closed")
    assert closed.closing_date == date(2025, 3, 9)
    closed_outcome = outcome_of(desk, closed)
    assert closed_outcome is not None
    assert closed_outcome.decided_on == date(2025, 3, 9)

    group = case_by_facts(desk, "group")
    assert group.group_dispute
    assert group.persons == 12
    assert case_by_facts(desk, "open").persons == 2  # default: the named parties
    with desk.read() as session:
        parties = session.scalars(sa.select(Party).where(Party.case_id == group.id).order_by(Party.position)).all()
        assert [(p.name, p.role.value, p.kind) for p in parties][-1] == (
            "某某建材有限公司",
            "respondent",
            PartyKind.ORGANISATION,
        )
        links = session.execute(
            sa.select(Mediator.name, CaseMediator.role)
            .join(Mediator, Mediator.id == CaseMediator.mediator_id)
            .where(CaseMediator.case_id == case_by_facts(desk, "mediating").id)
            .order_by(Mediator.name)
        ).all()
    assert sorted(links) == [("调解员乙", CaseMediatorRole.ASSISTING), ("调解员甲", CaseMediatorRole.PRESIDING)]


def test_numbers_follow_intake_order_and_skip_given_numbers(desk: Desk, tmp_path: Path) -> None:
    rows = [
        row(受理日期="2025-05-01", 纠纷简要情况="c"),
        row(受理日期="2025-02-01", 纠纷简要情况="a", 案件编号="(2025)缙五人调字第7号"),
        row(受理日期="2025-03-01", 纠纷简要情况="b"),
        row(受理日期="2024-12-30", 纠纷简要情况="old"),
    ]
    import_ledger(desk, write_csv(tmp_path / "l.csv", rows))
    numbers = {facts: case_by_facts(desk, facts).number for facts in ("a", "b", "c", "old")}
    assert numbers == {
        "a": "(2025)缙五人调字第7号",
        "b": "(2025)缙五人调字第8号",
        "c": "(2025)缙五人调字第9号",
        "old": "(2024)缙五人调字第1号",
    }
    registered = cases.register_case(
        desk,
        CaseInput(
            intake_date=date(2025, 6, 1),
            source=CaseSource.APPLICATION,
            category="02",
            parties=[PartyInput("孙小明")],
        ),
    ).value
    assert registered.number == "(2025)缙五人调字第10号"


def test_english_headers_xlsx_with_date_cells_title_row_and_numbers(desk: Desk, tmp_path: Path) -> None:
    rows = [
        row(受理日期=datetime(2025, 4, 1), 纠纷类型=2, 协议金额=1500.5, 涉及人数=3, 调解结果="成功", 协议形式="书面"),
        row(受理日期=date(2025, 4, 2), 纠纷类型="10", 案件来源="referral", 结案日期=datetime(2025, 4, 9)),
    ]
    rows[1].update(调解结果="failed", 协议形式="none")
    path = write_xlsx(tmp_path / "ledger.xlsx", rows, english=True, title="2025年示例村人民调解案件台账")
    assert import_ledger(desk, path).value.created == 2
    with desk.read() as session:
        found = session.scalars(sa.select(DisputeCase).order_by(DisputeCase.intake_date)).all()
    assert [(c.intake_date, c.category, c.amount_fen, c.persons) for c in found] == [
        (date(2025, 4, 1), "02", 150050, 3),
        (date(2025, 4, 2), "10", 0, 2),
    ]
    assert (found[1].source, found[1].status) == (CaseSource.REFERRAL, CaseStatus.CLOSED)


@pytest.mark.parametrize("bom", [True, False])
def test_csv_with_and_without_bom(desk: Desk, tmp_path: Path, bom: bool) -> None:
    path = write_csv(tmp_path / "l.csv", [row()], bom=bom)
    assert import_ledger(desk, path).value.created == 1


def test_headers_any_order_trimmed_with_units_and_serial_column(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text(
        "序号, 申请人 ,协议金额（元）,受理日期 (intake_date),纠纷类型,案件来源,调解结果,协议形式\n"
        "1,周三,800,2025-01-09,邻里,主动调解,成功,口头\n"
        "\n"
        ",,,,,,,\n"
        "2,吴四,,2025-01-10,04,委托移送,,\n",
        encoding="utf-8",
    )
    report = import_ledger(desk, path).value
    assert (report.rows, report.created) == (2, 2)  # blank rows are skipped
    with desk.read() as session:
        amounts = sorted(session.scalars(sa.select(DisputeCase.amount_fen)))
    assert amounts == [0, 80000]


def test_mediators_are_reused_by_name_within_the_org(desk: Desk, tmp_path: Path) -> None:
    add_mediator(desk, MediatorInput(name="调解员甲"))
    rows = [row(纠纷简要情况=f"案{i}", 调解员="调解员甲、调解员丁") for i in range(3)]
    assert import_ledger(desk, write_csv(tmp_path / "l.csv", rows)).value.mediators_created == 1
    assert count(desk, Mediator) == 2
    assert count(desk, CaseMediator) == 6


def test_org_code_in_subtree(desk: Desk, tmp_path: Path) -> None:
    studio = tmp_path / "orgs.csv"
    studio.write_text("code,name,level,parent_code\n331122001001001,示例调解工作室,studio,331122001001\n", "utf-8")
    orgs.import_orgs(desk, studio)
    path = write_csv(tmp_path / "l.csv", [row(调委会="331122001001001"), row(调委会=VILLAGE, 纠纷简要情况="x")])
    assert import_ledger(desk, path).value.created == 2
    stats = statistics(desk)
    assert {group.code: group.counts.cases for group in stats.by_org} == {VILLAGE: 1, "331122001001001": 1}


def test_same_ledger_twice_adds_nothing(desk: Desk, tmp_path: Path) -> None:
    rows = random_ledger(60)
    path = write_csv(tmp_path / "l.csv", rows)
    first = import_ledger(desk, path).value
    totals = statistics(desk).totals.as_json()
    audit_cases = count(desk)
    second = import_ledger(desk, path).value
    assert (first.created, first.already_present) == (60, 0)
    assert second == LedgerReport(rows=60, created=0, already_present=60, mediators_created=0, dry_run=False)
    assert count(desk) == audit_cases
    assert statistics(desk).totals.as_json() == totals
    # the same content as xlsx (real date cells) is the same ledger
    xlsx_rows = [dict(r, 受理日期=date.fromisoformat(r["受理日期"])) for r in rows]
    assert import_ledger(desk, write_xlsx(tmp_path / "l.xlsx", xlsx_rows)).value.already_present == 60
    # a grown ledger adds only its new rows
    grown = write_csv(tmp_path / "grown.csv", [*rows, row(纠纷简要情况="新增的一件")])
    assert import_ledger(desk, grown).value.created == 1


def test_existing_case_number_with_other_content_is_a_change_not_a_new_case(desk: Desk, tmp_path: Path) -> None:
    import_ledger(desk, write_csv(tmp_path / "a.csv", [row(案件编号="(2025)缙五人调字第3号")]))
    edited = write_csv(tmp_path / "b.csv", [row(案件编号="(2025)缙五人调字第3号", 纠纷简要情况="改过的案情")])
    with pytest.raises(LedgerChanged) as caught:
        import_ledger(desk, edited)
    report = caught.value.report
    assert (report.created, report.already_present, len(report.changed)) == (0, 0, 1)
    assert [str(field) for field in report.changed[0].fields] == [
        "纠纷简要情况：两家因共用通道堆放杂物发生争执 → 改过的案情"
    ]
    assert count(desk) == 1
    assert case_by_facts(desk, "两家因共用通道堆放杂物发生争执").number == "(2025)缙五人调字第3号"


def test_totals_match_the_ledger(desk: Desk, tmp_path: Path) -> None:
    rows = random_ledger(150, seed=3)
    import_ledger(desk, write_csv(tmp_path / "l.csv", rows))
    totals = statistics(desk).totals.as_json()
    assert {key: totals[key] for key in expected_totals(rows)} == expected_totals(rows)


def test_dry_run_reports_exactly_and_writes_nothing(desk: Desk, tmp_path: Path) -> None:
    rows = [row(纠纷简要情况=f"案{i}", 调解员="调解员戊") for i in range(5)]
    path = write_csv(tmp_path / "l.csv", rows)
    seen: list[object] = []
    desk.subscribe(seen.append)
    result = import_ledger(desk, path, dry_run=True)
    assert result.value == LedgerReport(rows=5, created=5, already_present=0, mediators_created=1, dry_run=True)
    assert not result.changes
    assert (count(desk), count(desk, Mediator), seen) == (0, 0, [])
    assert import_ledger(desk, path).value.created == 5


def test_progress_is_reported(desk: Desk, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    import_ledger(desk, write_csv(tmp_path / "l.csv", random_ledger(450)), progress=lambda d, t: calls.append((d, t)))
    assert (calls[0], calls[-1]) == ((0, 450), (450, 450))
    assert len(calls) >= 3
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(calls))


def test_permission_is_checked(desk: Desk, tmp_path: Path) -> None:
    mediator = Desk(desk.database, Actor("cli:someone", UserRole.MEDIATOR))
    with pytest.raises(PermissionDenied):
        import_ledger(mediator, write_csv(tmp_path / "l.csv", [row()]))
    assert count(desk) == 0


def test_ledger_key_is_normalised() -> None:
    one = ledger_key(
        VILLAGE, date(2025, 1, 1), "02", CaseSource.APPLICATION, ["张三", "王五"], ["李四"], "案情  一", None
    )
    two = ledger_key(
        VILLAGE, date(2025, 1, 1), "02", CaseSource.APPLICATION, ["王五", "张三"], ["李四"], " 案情 一", ""
    )
    assert one == two
    assert one != ledger_key(
        VILLAGE, date(2025, 1, 1), "02", CaseSource.APPLICATION, ["张三"], ["李四"], "案情 一", None
    )


# ---------------------------------------------------------------------------------------------------------------
# Bad rows: every problem reported with its row and column, nothing written

FUTURE = (date.today() + timedelta(days=3)).isoformat()


@pytest.mark.parametrize(
    ("values", "column", "fragment"),
    [
        ({"受理日期": "2025-13-40"}, "受理日期", "不是有效日期"),
        ({"受理日期": "去年春天"}, "受理日期", "不是日期"),
        ({"受理日期": ""}, "受理日期", "不能为空"),
        ({"受理日期": FUTURE}, "受理日期", "不能晚于今天"),
        ({"纠纷类型": "外星人纠纷"}, "纠纷类型", "未知的纠纷类型"),
        ({"案件来源": "路过"}, "案件来源", "未知的案件来源"),
        ({"调委会": "999999999"}, "调委会", "未知的组织代码 999999999"),
        ({"调委会": "331122001"}, "调委会", "不属于本工作台"),
        ({"申请人": "", "被申请人": ""}, "申请人", "不能都为空"),
        ({"调解结果": "成功"}, "协议形式", "须注明协议形式"),
        ({"调解结果": "成功", "协议形式": "无"}, "协议形式", "须注明协议形式"),
        ({"调解结果": "不成功", "协议形式": "书面"}, "协议形式", "不能有书面协议"),
        ({"调解结果": "终止", "协议形式": "口头"}, "协议形式", "不能有口头协议"),
        ({"协议形式": "书面"}, "协议形式", "没有调解结果"),
        ({"调解结果": "还行"}, "调解结果", "未知的调解结果"),
        ({"调解结果": "成功", "协议形式": "手写"}, "协议形式", "未知的协议形式"),
        ({"调解结果": "终止", "结案日期": "2025-03-01"}, "结案日期", "不能早于受理日期"),
        ({"调解结果": "终止", "结案日期": FUTURE}, "结案日期", "不能晚于今天"),
        ({"结案日期": "2025-03-09"}, "结案日期", "没有调解结果"),
        ({"协议金额": "-5"}, "协议金额", "不能为负数"),
        ({"协议金额": "一千元"}, "协议金额", "不是数字"),
        ({"协议金额": "12.345"}, "协议金额", "两位小数"),
        ({"涉及人数": "-1"}, "涉及人数", "不能为负数"),
        ({"涉及人数": "许多"}, "涉及人数", "应为整数"),
        ({"群体性": "也许"}, "群体性", "是"),
        ({"履行情况": "已履行"}, "履行情况", "只有调解成功"),
        ({"调解结果": "成功", "协议形式": "书面", "履行情况": "差不多"}, "履行情况", "未知的履行情况"),
        ({"申请人": "张" * 101}, "申请人", "过长"),
    ],
)
def test_bad_values(desk: Desk, tmp_path: Path, values: dict[str, str], column: str, fragment: str) -> None:
    path = write_csv(tmp_path / "l.csv", [row(纠纷简要情况="好的一行"), row(**values)], headers=_all_headers())
    errors = errors_of(desk, path)
    assert [(e.row, e.column) for e in errors] == [(3, column)], errors
    assert fragment in errors[0].reason


def _all_headers() -> list[str]:
    return CHINESE


def test_every_bad_row_is_reported_with_english_headers(desk: Desk, tmp_path: Path) -> None:
    rows = [row(受理日期="x"), row(纠纷简要情况="ok"), row(纠纷类型="?", 案件来源="?"), row(协议金额="abc")]
    errors = errors_of(desk, write_csv(tmp_path / "l.csv", rows, english=True))
    assert [(e.row, e.column) for e in errors] == [
        (2, "intake_date"),
        (4, "category"),
        (4, "source"),
        (5, "amount"),
    ]
    assert str(errors[0]).startswith("第 2 行“intake_date”：")


def test_missing_required_columns_are_one_error(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("受理日期,申请人,备注\n2025-01-01,张三,\n", encoding="utf-8")
    errors = errors_of(desk, path)
    assert len(errors) == 1
    assert (errors[0].row, errors[0].column) == (1, "纠纷类型、案件来源")
    assert "缺少必填列" in errors[0].reason


def test_unknown_and_duplicate_columns_are_errors(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text(
        "受理日期,纠纷类型,案件来源,申请人,联系电话,category\n2025-01-01,02,主动调解,张三,13800001234,02\n",
        encoding="utf-8",
    )
    errors = errors_of(desk, path)
    assert [(e.row, e.column) for e in errors] == [(1, "联系电话"), (1, "category")]
    assert "无法识别的列“联系电话”" in errors[0].reason
    assert "重复" in errors[1].reason


def test_cell_without_header_is_an_error(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("受理日期,纠纷类型,案件来源,申请人\n2025-01-01,02,主动调解,张三,多出来的\n", encoding="utf-8")
    errors = errors_of(desk, path)
    assert [(e.row, e.column) for e in errors] == [(2, "第 5 列")]


def test_same_case_twice_in_one_file_names_both_rows(desk: Desk, tmp_path: Path) -> None:
    rows = [row(), row(纠纷简要情况="另一件"), row()]
    errors = errors_of(desk, write_csv(tmp_path / "l.csv", rows))
    assert [(e.row, e.column) for e in errors] == [(4, "整行")]
    assert "与第 2 行是同一案件" in errors[0].reason


def test_duplicate_case_number_in_one_file(desk: Desk, tmp_path: Path) -> None:
    rows = [row(案件编号="(2025)缙五人调字第1号"), row(案件编号="(2025)缙五人调字第1号", 纠纷简要情况="另一件")]
    errors = errors_of(desk, write_csv(tmp_path / "l.csv", rows))
    assert [(e.row, e.column) for e in errors] == [(3, "案件编号")]
    assert "与第 2 行重复" in errors[0].reason


def test_one_bad_row_among_many_writes_nothing(desk: Desk, tmp_path: Path) -> None:
    rows = random_ledger(300)
    rows[250]["纠纷类型"] = "不存在的类型"
    errors = errors_of(desk, write_csv(tmp_path / "l.csv", rows))
    assert [(e.row, e.column) for e in errors] == [(252, "纠纷类型")]
    assert count(desk, Mediator) == 0


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("gbk.csv", "受理日期,纠纷类型,案件来源,申请人\n2025-01-01,02,主动调解,张三\n".encode("gbk"), "UTF-8"),
        ("utf16.csv", "受理日期,纠纷类型\n".encode("utf-16"), "UTF-8"),
        ("old.xls", b"\xd0\xcf\x11\xe0", ".xlsx"),
        ("broken.xlsx", b"not a zip file", "不是有效的 Excel"),
        ("notes.txt", b"hello", "只能导入 .xlsx 或 .csv"),
        ("empty.csv", b"", "空文件"),
        ("header-only.csv", "受理日期,纠纷类型,案件来源,申请人\n".encode(), "没有案件行"),
    ],
)
def test_unreadable_files(desk: Desk, tmp_path: Path, name: str, content: bytes, fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValidationError, match=fragment):
        import_ledger(desk, path)
    assert count(desk) == 0


def test_missing_file(desk: Desk, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="找不到文件"):
        import_ledger(desk, tmp_path / "nowhere.csv")
