"""Re-importing a ledger: which case a row is, what differs, field by field, and what ``update`` changes (through
the case services, recorded in the case's history); the command line's report and exit statuses."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from mediation_desk import cli
from mediation_desk.domain.codes import CaseSource, OutcomeKind, PartyRole, Performance
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.permissions import Permission
from mediation_desk.services import cases
from mediation_desk.services.desk import Desk
from mediation_desk.services.ledger import LedgerChanged, LedgerInvalid, import_ledger
from mediation_desk.services.ledger.changes import masked
from mediation_desk.store.models import Agreement, CaseMediator, DisputeCase, Mediator, Outcome, Party
from tests.unit.ledgers import desk_state, row, write_csv, write_workbook

NUMBER = "(2025)缙五人调字第3号"


def changes_of(desk: Desk, path: Path) -> list[list[str]]:
    before = desk_state(desk)
    with pytest.raises(LedgerChanged) as caught:
        import_ledger(desk, path)
    assert desk_state(desk) == before
    return [[str(field) for field in change.fields] for change in caught.value.report.changed]


def the_case(desk: Desk) -> DisputeCase:
    with desk.read() as session:
        found = session.scalars(sa.select(DisputeCase)).all()
        assert len(found) == 1
        return found[0]


def names(desk: Desk, case: DisputeCase) -> list[tuple[str, str]]:
    with desk.read() as session:
        parties = session.scalars(sa.select(Party).where(Party.case_id == case.id).order_by(Party.position))
        return [(party.role.value, party.name) for party in parties]


def outcome(desk: Desk, case: DisputeCase) -> Outcome | None:
    with desk.read() as session:
        return session.scalar(sa.select(Outcome).where(Outcome.case_id == case.id))


def call(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = cli.main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ---------------------------------------------------------------------------------------------------------------
# Which case a row is


def test_without_a_number_the_same_date_parties_and_category_is_the_same_case(desk: Desk, tmp_path: Path) -> None:
    import_ledger(desk, write_csv(tmp_path / "a.csv", [row()]))
    corrected = write_csv(tmp_path / "b.csv", [row(纠纷简要情况="补充了案情", 申请人="李四", 被申请人="张三")])
    assert changes_of(desk, corrected) == [
        ["申请人：张三 → 李四", "被申请人：李四 → 张三", "纠纷简要情况：两家因共用通道堆放杂物发生争执 → 补充了案情"]
    ]


def test_without_a_number_a_corrected_name_is_a_new_case(desk: Desk, tmp_path: Path) -> None:
    import_ledger(desk, write_csv(tmp_path / "a.csv", [row()]))
    report = import_ledger(desk, write_csv(tmp_path / "b.csv", [row(申请人="张叁")])).value
    assert (report.created, report.changed) == (1, ())


def test_two_cases_with_the_same_identity_need_a_number(desk: Desk, tmp_path: Path) -> None:
    import_ledger(desk, write_csv(tmp_path / "a.csv", [row(纠纷简要情况="一"), row(纠纷简要情况="二")]))
    with pytest.raises(LedgerInvalid) as caught:
        import_ledger(desk, write_csv(tmp_path / "b.csv", [row(纠纷简要情况="三")]))
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "整行")]
    assert "工作台上有 2 件案件" in caught.value.errors[0].reason


def test_two_rows_for_one_case_name_both(desk: Desk, tmp_path: Path) -> None:
    import_ledger(desk, write_csv(tmp_path / "a.csv", [row()]))  # numbered by the desk: 第1号
    rows = [row(案件编号="(2025)缙五人调字第1号"), row()]
    with pytest.raises(LedgerInvalid) as caught:
        import_ledger(desk, write_csv(tmp_path / "b.csv", rows))
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "整行")]
    assert caught.value.errors[0].reason.startswith("与第 2 行对应工作台上的同一件案件 (2025)缙五人调字第1号")


def test_a_case_registered_in_the_program_is_found_by_its_identity(desk: Desk, tmp_path: Path) -> None:
    data = CaseInput(
        date(2025, 3, 5),
        CaseSource.APPLICATION,
        "02",
        [PartyInput("张三", PartyRole.APPLICANT), PartyInput("李四", PartyRole.RESPONDENT)],
        facts="两家因共用通道堆放杂物发生争执",
    )
    cases.register_case(desk, data)
    report = import_ledger(desk, write_csv(tmp_path / "l.csv", [row()])).value
    assert (report.created, report.already_present) == (0, 1)


# ---------------------------------------------------------------------------------------------------------------
# What differs, and what update changes


def test_blank_cells_never_clear_what_the_desk_holds(desk: Desk, tmp_path: Path) -> None:
    full = row(调解员="调解员甲", 调解结果="成功", 协议形式="书面", 协议金额="800", 备注="有备注", 涉及人数="5")
    import_ledger(desk, write_csv(tmp_path / "a.csv", [full]))
    sparse = {
        key: value for key, value in full.items() if key in ("受理日期", "纠纷类型", "案件来源", "申请人", "被申请人")
    }
    report = import_ledger(desk, write_csv(tmp_path / "b.csv", [sparse], headers=list(full))).value
    assert (report.created, report.already_present, report.changed) == (0, 1, ())


def test_update_concludes_and_closes_an_open_case(desk: Desk, tmp_path: Path) -> None:
    import_ledger(desk, write_csv(tmp_path / "a.csv", [row(案件编号=NUMBER)]))
    done = row(
        案件编号=NUMBER,
        调解员="调解员甲、调解员乙",
        调解结果="成功",
        协议形式="书面",
        协议金额="1,200",
        结案日期="2025-03-20",
        履行情况="已履行",
        群体性="是",
    )
    path = write_csv(tmp_path / "b.csv", [done])
    assert changes_of(desk, path) == [
        [
            "协议金额：0.00 元 → 1200.00 元",
            "群体性：否 → 是",
            "调解员：（空） → 调解员甲、调解员乙",
            "调解结果：（空） → 成功（书面协议）",
            "结案日期：（空） → 2025-03-20",
            "履行情况：（空） → 已履行",
        ]
    ]
    report = import_ledger(desk, path, update=True).value
    assert (report.updated, report.mediators_created) == (1, 2)
    case = the_case(desk)
    assert (case.status, case.closing_date, case.amount_fen, case.group_dispute) == (
        CaseStatus.CLOSED,
        date(2025, 3, 20),
        120000,
        True,
    )
    found = outcome(desk, case)
    assert found is not None
    assert (found.kind, found.decided_on, found.performance) == (
        OutcomeKind.WRITTEN_AGREEMENT,
        date(2025, 3, 20),
        Performance.PERFORMED,
    )
    with desk.read() as session:
        links = session.execute(
            sa.select(Mediator.name, CaseMediator.role).join(Mediator).where(CaseMediator.case_id == case.id)
        ).all()
    assert sorted((name, role.value) for name, role in links) == [("调解员乙", "assisting"), ("调解员甲", "presiding")]
    history = cases.case_history(desk, case.id)
    assert {(entry.operation, entry.action, entry.table) for entry in history} >= {
        ("ledger.import", "update", "dispute_case"),
        ("ledger.import", "insert", "outcome"),
        ("ledger.import", "insert", "case_mediator"),
    }
    assert import_ledger(desk, path).value.already_present == 1


def test_an_outcome_corrected_before_documents_and_refused_after(desk: Desk, tmp_path: Path) -> None:
    import_ledger(desk, write_csv(tmp_path / "a.csv", [row(案件编号=NUMBER, 调解结果="不成功", 协议形式="无")]))
    corrected = write_csv(tmp_path / "b.csv", [row(案件编号=NUMBER, 调解结果="成功", 协议形式="口头")])
    assert import_ledger(desk, corrected, update=True).value.updated == 1
    case = the_case(desk)
    found = outcome(desk, case)
    assert found is not None
    assert (case.status, found.kind) == (CaseStatus.AGREED, OutcomeKind.ORAL_AGREEMENT)

    with desk.write("test.agreement", Permission.EDIT_CASE) as work:
        work.session.add(Agreement(case_id=case.id, number="协议1", oral=True))
    again = write_csv(tmp_path / "c.csv", [row(案件编号=NUMBER, 调解结果="终止")])
    before = desk_state(desk)
    with pytest.raises(LedgerChanged) as caught:
        import_ledger(desk, again, update=True)
    assert desk_state(desk) == before
    change = caught.value.report.changed[0]
    assert change.blocked.startswith("该案件已有调解协议书")
    assert change.lines()[0].startswith(f"第 2 行：案件 {NUMBER}（不能通过台账修改：")


def test_dry_run_with_update_reports_and_keeps_nothing(desk: Desk, tmp_path: Path) -> None:
    import_ledger(desk, write_csv(tmp_path / "a.csv", [row(案件编号=NUMBER)]))
    before = desk_state(desk)
    report = import_ledger(
        desk, write_csv(tmp_path / "b.csv", [row(案件编号=NUMBER, 备注="新备注")]), update=True, dry_run=True
    ).value
    assert (report.updated, report.dry_run, len(report.changed)) == (1, True, 1)
    assert desk_state(desk) == before


def test_numbers_in_facts_are_masked_in_the_report() -> None:
    assert masked("电话13800001234，身份证331122198001011234") == "电话138****1234，身份证331122********1234"
    assert masked("固话0578-1234567") == "固话0578-***4567"
    assert masked("案" * 100).endswith("…")


# ---------------------------------------------------------------------------------------------------------------
# The command line


@pytest.fixture
def root(desk: Desk, data_dir: Path) -> Path:
    desk.close()
    return data_dir


def test_cli_reports_changes_and_exits_1_without_update(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        call(capsys, "--data-dir", root, "ledger", "import", write_csv(tmp_path / "a.csv", [row(案件编号=NUMBER)]))[0]
        == 0
    )
    changed = write_csv(tmp_path / "b.csv", [row(案件编号=NUMBER, 纠纷简要情况="联系电话 13800001234")])
    code, out, err = call(capsys, "--data-dir", root, "ledger", "import", changed)
    assert code == 1
    assert "与工作台上的记录不同的案件：1" in out
    assert f"第 2 行：案件 {NUMBER}" in out
    assert "纠纷简要情况：两家因共用通道堆放杂物发生争执 → 联系电话 138****1234" in out
    assert "13800001234" not in out + err
    assert err.count("\n") == 1
    assert err.startswith("错误：台账中有 1 件案件与工作台上的记录不同，未导入任何内容")
    assert "--update" in err
    code, out, err = call(capsys, "--data-dir", root, "ledger", "import", changed, "--update")
    assert (code, err) == (0, "")
    assert "按台账修改的案件：1" in out
    code, out, _err = call(capsys, "--data-dir", root, "ledger", "import", changed)
    assert code == 0
    assert "已有案件（未重复导入）：1" in out


def test_cli_sheet_and_report_of_sheets(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_workbook(
        tmp_path / "l.xlsx", {"一月": [row()], "说明": [["说明"]], "旧": [row(申请人="王五")]}, hidden=["旧"]
    )
    code, out, _err = call(capsys, "--data-dir", root, "ledger", "import", path, "--dry-run")
    assert code == 0
    assert "读取的工作表：一月" in out
    assert "未读取的工作表：说明（没有台账表头）、旧（隐藏）" in out
    code, out, _err = call(capsys, "--data-dir", root, "ledger", "import", path, "--sheet", "旧")
    assert code == 0
    assert "新建案件：1" in out
    code, _out, err = call(capsys, "--data-dir", root, "ledger", "import", path, "--sheet", "无此表")
    assert code == 1
    assert "没有名为“无此表”的工作表" in err
