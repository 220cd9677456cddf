"""The command line as scripts use it: real subprocesses for the end-to-end flows, ``cli.main`` for the details."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import types
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import mediation_desk
import mediation_desk.ui
from mediation_desk import __main__ as entry
from mediation_desk import cli
from mediation_desk.domain.codes import CaseSource, PartyRole
from mediation_desk.domain.identity import check_character
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.domain.masking import mask_id_number, mask_phone
from mediation_desk.services import cases
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.store.models import DeviceState, DisputeCase
from tests.conftest import TEST_PASSWORD
from tests.unit.ledgers import expected_totals, random_ledger, row, write_csv, write_xlsx

VILLAGE = "331122001001"


def run(
    *args: str | Path, input: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m mediation_desk ARGS`` in a fresh process, as a script would call it."""
    environment = {key: value for key, value in os.environ.items() if key != "MEDIATION_DESK_DATA"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "mediation_desk", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        input=input,
        env=environment,
        timeout=240,
        check=False,
    )


def call(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """``cli.main`` in this process: (exit status, stdout, stderr)."""
    code = cli.main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def case_count(root: Path) -> int:
    connection = sqlite3.connect(root / "mediation-desk.sqlite3")
    try:
        return int(connection.execute("SELECT count(*) FROM dispute_case").fetchone()[0])
    finally:
        connection.close()


def device(root: Path) -> tuple[str, int]:
    connection = sqlite3.connect(root / "mediation-desk.sqlite3")
    try:
        device_id, last_seq = connection.execute("SELECT device_id, last_seq FROM device_state").fetchone()
        return str(device_id), int(last_seq)
    finally:
        connection.close()


@pytest.fixture
def root(desk: Desk, data_dir: Path) -> Path:
    """An initialised village desk, closed (so that write commands can take the folder's lock)."""
    desk.close()
    return data_dir


def synthetic_id(birth: str, seq: int) -> str:
    first17 = f"331122{birth}{seq:03d}"
    return first17 + check_character(first17)


# ---------------------------------------------------------------------------------------------------------------
# End to end, in real processes


def test_init_import_stats_reimport_dry_run(tmp_path: Path) -> None:
    root = tmp_path / "desk"
    password = tmp_path / "password.txt"
    password.write_text(TEST_PASSWORD + "\n", encoding="utf-8")
    done = run(
        "--data-dir", root, "init", "--org", VILLAGE, "--name", "示例村人民调解委员会", "--level", "village",
        "--parent", "331122001", "--admin", "admin", "--password-file", password, "--prefix", "缙五人调",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "已建立工作台" in done.stdout

    rows = random_ledger(120, seed=11)
    ledger = write_csv(tmp_path / "L.csv", rows)
    first = run("--data-dir", root, "ledger", "import", ledger)
    assert first.returncode == 0, first.stderr
    assert "新建案件：120" in first.stdout
    assert first.stderr == ""  # no progress bar when stderr is not a terminal

    stats = run("--data-dir", root, "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    totals = json.loads(stats.stdout)["totals"]
    assert {key: totals[key] for key in expected_totals(rows)} == expected_totals(rows)
    assert isinstance(totals["success_rate"], float)

    again = run("--data-dir", root, "ledger", "import", ledger)
    assert again.returncode == 0, again.stderr
    assert "新建案件：0" in again.stdout
    assert "已有案件（未重复导入）：120" in again.stdout
    assert json.loads(run("--data-dir", root, "stats", "--json").stdout)["totals"] == totals

    extra = write_csv(tmp_path / "more.csv", [row(纠纷简要情况="试运行的一件")])
    dry = run("--data-dir", root, "ledger", "import", extra, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "新建案件：1" in dry.stdout
    assert "试运行，未写入" in dry.stdout
    assert case_count(root) == 120


def test_environment_variable_names_the_data_folder(root: Path) -> None:
    listed = run("cases", "list", "--json", env={"MEDIATION_DESK_DATA": str(root)})
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == []


def test_bad_ledger_exits_1_with_one_line_per_error(root: Path, tmp_path: Path) -> None:
    rows = [row(受理日期="2025-02-30"), row(纠纷简要情况="好的"), row(调委会="999999999", 协议金额="-3")]
    done = run("--data-dir", root, "ledger", "import", write_csv(tmp_path / "bad.csv", rows))
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0] == "错误：台账有 3 处错误，未导入任何案件："
    assert lines[1].strip().startswith("第 2 行“受理日期”：")
    assert lines[2].strip().startswith("第 4 行“调委会”：未知的组织代码 999999999")
    assert lines[3].strip().startswith("第 4 行“协议金额”：")
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    assert case_count(root) == 0


def test_exit_statuses_and_version(root: Path, tmp_path: Path) -> None:
    version = run("--version")
    assert (version.returncode, version.stdout.strip()) == (0, f"mediation-desk {mediation_desk.__version__}")
    usage = run("--data-dir", root, "frobnicate")
    assert usage.returncode == 2
    assert "usage" in usage.stderr
    missing_argument = run("--data-dir", root, "ledger", "import")
    assert missing_argument.returncode == 2
    missing_folder = run("--data-dir", tmp_path / "nowhere", "stats")
    assert missing_folder.returncode == 1
    assert missing_folder.stderr.count("\n") == 1
    assert "不存在" in missing_folder.stderr
    assert not (tmp_path / "nowhere").exists()


def test_write_command_on_a_locked_folder(desk: Desk, data_dir: Path, tmp_path: Path) -> None:
    """The ``desk`` fixture holds the data-folder lock, as a running GUI does."""
    ledger = write_csv(tmp_path / "L.csv", [row()])
    done = run("--data-dir", data_dir, "ledger", "import", ledger)
    assert done.returncode == 1
    assert done.stderr.startswith("错误：另一个调解工作台正在使用数据文件夹")
    assert done.stderr.count("\n") == 1
    reading = run("--data-dir", data_dir, "cases", "list")  # reading needs no lock
    assert reading.returncode == 0, reading.stderr
    assert case_count(data_dir) == 0


def test_init_reads_the_password_from_stdin_and_refuses_a_second_init(tmp_path: Path) -> None:
    root = tmp_path / "desk"
    args: list[str | Path] = [
        "--data-dir",
        root,
        "init",
        "--org",
        "331122001",
        "--name",
        "五云街道",
        "--level",
        "township",
    ]
    args += ["--parent", "331122", "--admin", "clerk", "--password-file", "-"]
    first = run(*args, input=TEST_PASSWORD + "\n")
    assert first.returncode == 0, first.stderr
    second = run(*args, input=TEST_PASSWORD)
    assert second.returncode == 1
    assert "已经设置过" in second.stderr


def test_cli_runs_without_qt(root: Path) -> None:
    folder = repr(str(root))
    script = f"""
import sys
import mediation_desk.__main__, mediation_desk.cli
assert 'PySide6' not in sys.modules
assert mediation_desk.cli.main(['--data-dir', {folder}, 'stats', '--json']) == 0
assert mediation_desk.cli.main(['--data-dir', {folder}, 'cases', 'list']) == 0
assert not [name for name in sys.modules if name.startswith(('PySide6', 'shiboken6'))]
assert 'mediation_desk.ui.app' not in sys.modules
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


# ---------------------------------------------------------------------------------------------------------------
# In process: commands in detail


def test_no_command_starts_the_gui(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[tuple[Path, bool]] = []

    def fake_run(data_dir: Path, *, demo: bool = False) -> int:
        calls.append((data_dir, demo))
        return 0

    fake = types.ModuleType("mediation_desk.ui.app")
    fake.run = fake_run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "mediation_desk.ui.app", fake)
    monkeypatch.setattr(mediation_desk.ui, "app", fake, raising=False)
    assert entry.main(["--data-dir", str(tmp_path)]) == 0
    assert entry.main(["--data-dir", str(tmp_path), "gui", "--demo"]) == 0
    assert entry.gui_main(["--data-dir", str(tmp_path), "-style", "fusion"]) == 0
    assert calls == [(tmp_path, False), (tmp_path, True), (tmp_path, False)]


def test_the_command_line_alone_never_starts_the_gui(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """``cli.main`` runs commands only: ``mediation_desk.__main__`` decides between the GUI and the CLI."""
    for args in ([], ["gui"], ["gui", "--demo"]):
        code, out, err = call(capsys, "--data-dir", tmp_path, *args)
        assert (code, out) == (cli.EXIT_USAGE, "")
        assert err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_the_gui_without_qt_is_a_user_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "mediation_desk.ui.app", None)  # importing it raises ImportError
    monkeypatch.delattr(mediation_desk.ui, "app", raising=False)
    assert entry.main(["--data-dir", str(tmp_path), "gui"]) == cli.EXIT_USER_ERROR
    assert entry.gui_main(["--data-dir", str(tmp_path)]) == cli.EXIT_USER_ERROR
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    assert all(line.startswith("错误：无法启动图形界面") for line in lines)


def test_orgs_import(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "villages.csv"
    path.write_text(
        "code,name,level,parent_code\n331122001001,示例村,village,331122001\n331122001002,乙村,village,331122001\n",
        encoding="utf-8",
    )
    code, out, err = call(capsys, "--data-dir", root, "orgs", "import", path)
    assert (code, err) == (0, "")
    assert "新增 1 个，更新 1 个，未变 0 个" in out
    path.write_text("code,name,level,parent_code\nabc,坏的,village,\n", encoding="utf-8")
    code, out, err = call(capsys, "--data-dir", root, "orgs", "import", path)
    assert code == 1
    assert "6–15 位数字" in err


def test_cases_list_and_show(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        row(纠纷简要情况="甲", 调解结果="成功", 协议形式="书面", 结案日期="2025-03-10", 调解员="调解员甲"),
        row(纠纷简要情况="乙", 受理日期="2025-04-01"),
    ]
    write_xlsx(tmp_path / "L.xlsx", rows)
    assert call(capsys, "--data-dir", root, "ledger", "import", tmp_path / "L.xlsx")[0] == 0

    code, out, _err = call(capsys, "--data-dir", root, "cases", "list", "--json")
    listed = json.loads(out)
    assert code == 0
    assert [item["number"] for item in listed] == ["(2025)缙五人调字第2号", "(2025)缙五人调字第1号"]
    assert set(listed[0]) >= {"number", "intake_date", "category", "status", "outcome", "org_code", "amount_yuan"}
    assert (listed[1]["status"], listed[1]["outcome"], listed[1]["category"]) == ("closed", "written", "02")

    for status in ("closed", "已结案"):
        code, out, _err = call(capsys, "--data-dir", root, "cases", "list", "--status", status)
        assert code == 0
        assert "(2025)缙五人调字第1号" in out
        assert "第2号" not in out
    code, _out, err = call(capsys, "--data-dir", root, "cases", "list", "--status", "lost")
    assert code == 1
    assert "未知的案件状态" in err
    code, _out, err = call(capsys, "--data-dir", root, "cases", "list", "--org", "999999")
    assert code == 1
    assert "999999" in err

    code, out, _err = call(capsys, "--data-dir", root, "cases", "list")
    assert out.splitlines()[0].split() == ["案号", "受理日期", "纠纷类型", "状态", "结果"]
    assert "已结案" in out

    code, out, _err = call(capsys, "--data-dir", root, "cases", "show", "(2025)缙五人调字第1号", "--json")
    shown = json.loads(out)
    assert shown["outcome"]["kind"] == "written"
    assert [p["name"] for p in shown["parties"]] == ["张三", "李四"]
    assert shown["mediators"][0]["name"] == "调解员甲"
    code, _out, err = call(capsys, "--data-dir", root, "cases", "show", "(2025)缙五人调字第99号")
    assert code == 1
    assert "找不到" in err


def test_identity_and_phone_numbers_are_masked(desk: Desk, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    id_number = synthetic_id("19800101", 123)
    cases.register_case(
        desk,
        CaseInput(
            intake_date=date(2025, 6, 1),
            source=CaseSource.APPLICATION,
            category="02",
            parties=[
                PartyInput("王小明", PartyRole.APPLICANT, id_number=id_number, phone="138 0000 1234"),
                PartyInput("赵小红", PartyRole.RESPONDENT, phone="0578-3123456"),
            ],
        ),
    )
    desk.close()
    code, out, _err = call(capsys, "--data-dir", data_dir, "cases", "show", "(2025)缙五人调字第1号", "--json")
    assert code == 0
    parties = json.loads(out)["parties"]
    assert parties[0]["id_number"] == id_number[:6] + "********" + id_number[14:]
    assert parties[0]["phone"] == "138****1234"
    assert parties[1]["phone"] == "0578-***3456"
    assert id_number not in out
    assert "13800001234" not in out
    code, out, _err = call(capsys, "--data-dir", data_dir, "cases", "show", "(2025)缙五人调字第1号")
    assert id_number not in out
    assert "138****1234" in out
    assert f"居民身份证 {id_number[:6]}********{id_number[14:]}" in out


def test_masking_rules() -> None:
    assert mask_id_number("33112219800101123X") == "331122********123X"
    assert mask_id_number("331122800101123") == "331122******123"
    assert mask_id_number("E12345678") == "E1*****78"
    assert mask_id_number("") == ""
    assert mask_phone("13800001234") == "138****1234"
    assert mask_phone("0578-3123456转12") == "0578-***3456转12"
    assert mask_phone("3123456") == "***3456"


def test_stats_text_json_and_bad_arguments(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = random_ledger(40, seed=5)
    call(capsys, "--data-dir", root, "ledger", "import", write_csv(tmp_path / "L.csv", rows))
    code, out, _err = call(capsys, "--data-dir", root, "stats")
    assert code == 0
    assert f"受理纠纷 {len(rows)} 件" in out
    assert "成功率" in out

    code, out, _err = call(capsys, "--data-dir", root, "stats", "--from", "2025-01-01", "--to", "2025-03-31", "--json")
    report: dict[str, Any] = json.loads(out)
    in_period = [r for r in rows if "2025-01-01" <= r["受理日期"] <= "2025-03-31"]
    assert report["totals"]["cases"] == len(in_period)
    assert report["scope"]["from"] == "2025-01-01"
    assert {"by_category", "by_source", "by_org"} <= set(report)

    code, _out, err = call(capsys, "--data-dir", root, "stats", "--from", "昨天")
    assert code == 1
    assert "不是日期" in err
    code, _out, err = call(capsys, "--data-dir", root, "stats", "--org", "123456789")
    assert code == 1
    assert "123456789" in err


def test_ledger_import_in_process(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("受理日期,纠纷类型,案件来源,申请人\n2025-01-01,02,主动调解,张三\n".encode("gbk"))
    code, out, err = call(capsys, "--data-dir", root, "ledger", "import", gbk)
    assert (code, out) == (1, "")
    assert "UTF-8" in err
    assert err.count("\n") == 1
    code, _out, err = call(capsys, "--data-dir", root, "ledger", "import", tmp_path / "nowhere.xlsx")
    assert code == 1
    assert "找不到文件" in err
    headerless = write_csv(tmp_path / "h.csv", [{"受理日期": "2025-01-01", "申请人": "张三"}])
    code, _out, err = call(capsys, "--data-dir", root, "ledger", "import", headerless)
    assert code == 1
    assert "缺少必填列：纠纷类型、案件来源" in err
    assert case_count(root) == 0


def test_backup_create_list_restore(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before_device = device(root)
    code, out, _err = call(capsys, "--data-dir", root, "backup", "create")
    assert code == 0
    name = out.split("已备份：")[1].split("（")[0]
    assert (root / "backups" / name).is_file()

    call(capsys, "--data-dir", root, "ledger", "import", write_csv(tmp_path / "L.csv", random_ledger(10)))
    assert case_count(root) == 10

    done = run("--data-dir", root, "backup", "restore", name)
    assert done.returncode == 0, done.stderr
    assert case_count(root) == 0
    new_device, last_seq = device(root)
    assert new_device != before_device[0]
    assert last_seq == 0
    assert uuid.UUID(new_device).hex in done.stdout.replace("-", "")

    code, out, _err = call(capsys, "--data-dir", root, "backup", "list")
    assert code == 0
    assert "恢复前" in out
    assert name in out
    safety = [line.split()[0] for line in out.splitlines() if "pre-restore" in line]
    assert len(safety) == 1
    # the safety backup holds the ten imported cases
    connection = sqlite3.connect(root / "backups" / safety[0])
    assert connection.execute("SELECT count(*) FROM dispute_case").fetchone()[0] == 10
    connection.close()

    # the restored desk works, and new revisions come from the new device
    desk = Desk.open(root, Actor.local_operator("test"))
    try:
        cases.register_case(
            desk,
            CaseInput(date(2025, 1, 2), CaseSource.APPLICATION, "02", [PartyInput("钱小明")]),
        )
        with desk.read() as session:
            state = session.get(DeviceState, 1)
            assert state is not None
            rev_device, rev_seq = session.execute(sa.select(DisputeCase.rev_device, DisputeCase.rev_seq)).one()
            assert rev_device == state.device_id
            assert (rev_seq or 0) > 0
    finally:
        desk.close()

    code, _out, err = call(capsys, "--data-dir", root, "backup", "restore", "backup-nope.sqlite3")
    assert code == 1
    assert "找不到备份" in err


def test_restore_refuses_while_locked_and_refuses_foreign_files(
    desk: Desk, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = call(capsys, "--data-dir", data_dir, "backup", "create")
    assert code == 0
    name = out.split("已备份：")[1].split("（")[0]
    done = run("--data-dir", data_dir, "backup", "restore", name)
    assert done.returncode == 1
    assert "另一个调解工作台正在使用" in done.stderr
    desk.close()
    foreign = tmp_path / "foreign.sqlite3"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    code, _out, err = call(capsys, "--data-dir", data_dir, "backup", "restore", foreign)
    assert code == 1
    assert "不是调解工作台的数据库" in err


def test_database_from_a_newer_version(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    connection = sqlite3.connect(root / "mediation-desk.sqlite3")
    connection.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    connection.commit()
    connection.close()
    for args in (["stats"], ["cases", "list"], ["ledger", "import", "x.csv"]):
        code, out, err = call(capsys, "--data-dir", root, *args)
        assert (code, out) == (1, "")
        assert "更新版本" in err
        assert err.count("\n") == 1


def test_demo_refuses_an_existing_desk(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = call(capsys, "--data-dir", root, "demo", "--villages", "2", "--cases", "5")
    assert code == 1
    assert "已经有工作台" in err
    code, _out, err = call(capsys, "--data-dir", root, "demo", "--cases", "-5")
    assert code == 2


def test_demo_fills_a_new_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "demo"
    code, out, err = call(capsys, "--data-dir", root, "demo", "--villages", "3", "--cases", "12", "--year", "2024")
    assert code == 0, err
    assert "演示工作台" in out
    code, out, _err = call(capsys, "--data-dir", root, "stats", "--json")
    assert json.loads(out)["totals"]["cases"] == 12


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal() -> None:
    terminal = _Terminal()
    bar = cli.ProgressBar("导入台账", terminal)
    bar(0, 10)
    bar(10, 10)
    bar.finish()
    assert "10/10" in terminal.getvalue()
    assert terminal.getvalue().endswith("\n")
    piped = io.StringIO()
    quiet = cli.ProgressBar("导入台账", piped)
    quiet(5, 10)
    quiet.finish()
    assert piped.getvalue() == ""
