"""Who acts on the command line: the desk's administrator for scripts, ``--user`` with a password file for the
others; and the ``users`` commands."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from mediation_desk import cli
from mediation_desk.services.desk import Desk, os_account
from mediation_desk.services.users import LOCK_AFTER, OWNER_ACCOUNT_SETTING
from tests.conftest import TEST_PASSWORD
from tests.unit.ledgers import row, write_csv

WANG_PASSWORD = "wang-synthetic-pass-42"  # synthetic credentials for test accounts only
ZHAO_PASSWORD = "zhao-synthetic-pass-43"
NEW_PASSWORD = "a-brand-new-pass-77"


def call(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """``cli.main`` in this process: (exit status, stdout, stderr)."""
    code = cli.main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def query(root: Path, sql: str, *parameters: object) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(root / "mediation-desk.sqlite3")
    try:
        with connection:
            return list(connection.execute(sql, parameters))
    finally:
        connection.close()


def set_owner_account(root: Path, account: str) -> None:
    """As if the desk had been set up by the operating-system account ``account``."""
    query(root, "UPDATE setting SET value = ? WHERE key = ?", account, OWNER_ACCOUNT_SETTING)


def actors_of(root: Path, operation: str) -> list[object]:
    return [
        actor for (actor,) in query(root, "SELECT actor FROM audit_event WHERE operation = ? ORDER BY id", operation)
    ]


def failed_logins(root: Path, username: str) -> object:
    return query(root, "SELECT failed_logins FROM app_user WHERE username = ?", username)[0][0]


def case_count(root: Path) -> object:
    return query(root, "SELECT count(*) FROM dispute_case")[0][0]


@pytest.fixture
def root(desk: Desk, data_dir: Path) -> Path:
    """An initialised village desk with one account, ``admin``, closed (write commands take the folder's lock)."""
    desk.close()
    return data_dir


@pytest.fixture
def secrets(tmp_path: Path) -> dict[str, Path]:
    """Password files, each with the line break an editor leaves."""
    files = {
        "admin": TEST_PASSWORD,
        "wang": WANG_PASSWORD,
        "zhao": ZHAO_PASSWORD,
        "new": NEW_PASSWORD,
        "wrong": "not-the-password",
    }
    made = {}
    for name, password in files.items():
        made[name] = tmp_path / f"{name}.pw"
        made[name].write_text(password + "\n", encoding="utf-8")
    return made


@pytest.fixture
def staffed(root: Path, secrets: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> Path:
    """The desk with a mediator ``wang`` and a director ``zhao`` besides its administrator."""
    for name, role in (("wang", "mediator"), ("zhao", "director")):
        code, _out, err = call(
            capsys, "--data-dir", root, "users", "add", name, "--role", role, "--password-file", secrets[name]
        )
        assert (code, err) == (0, ""), err
    return root


def as_user(root: Path, name: str, password_file: Path) -> list[str | Path]:
    return ["--data-dir", root, "--user", name, "--password-file", password_file]


# ---------------------------------------------------------------------------------------------------------------
# Without --user: the desk's administrator, for scripts


def test_without_user_the_desks_own_account_acts_as_its_administrator(
    root: Path, secrets: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = call(capsys, "--data-dir", root, "users", "list")
    assert (code, err) == (0, "")
    assert "admin" in out
    assert "系统管理员" in out
    code, out, err = call(
        capsys, "--data-dir", root, "users", "add", "wang", "--role", "mediator", "--password-file", secrets["wang"]
    )
    assert (code, err) == (0, "")
    assert out == "已添加用户 wang（调解员，组织 331122001001）\n"
    assert actors_of(root, "users.add") == ["cli:admin"]
    # several accounts now, and still the administrator: this is the account that set the desk up
    assert call(capsys, "--data-dir", root, "users", "list")[0] == 0


def test_a_one_user_desk_needs_no_user_from_another_account(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_owner_account(root, "someone-else")
    code, out, err = call(capsys, "--data-dir", root, "users", "list", "--json")
    assert (code, err) == (0, "")
    assert [entry["username"] for entry in json.loads(out)] == ["admin"]


def test_several_users_and_another_account_need_user(
    staffed: Path, secrets: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    set_owner_account(staffed, "someone-else")
    for command in (["users", "list"], ["cases", "list"], ["backup", "create"]):
        code, out, err = call(capsys, "--data-dir", staffed, *command)
        assert (code, out) == (1, "")
        assert err.count("\n") == 1
        assert err.startswith("错误：此工作台有多个用户")
        assert f"“{os_account()}”" in err
        assert "--user 用户名 --password-file 文件" in err
    assert not list((staffed / "backups").iterdir())
    code, _out, err = call(capsys, *as_user(staffed, "admin", secrets["admin"]), "users", "list")
    assert (code, err) == (0, "")


def test_environment_variables_cannot_stand_in_for_the_desks_own_account(
    staffed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    set_owner_account(staffed, "someone-else")
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):  # what getpass reads first
        monkeypatch.setenv(variable, "someone-else")
    code, out, err = call(capsys, "--data-dir", staffed, "users", "list")
    assert (code, out) == (1, "")
    assert "--user" in err


# ---------------------------------------------------------------------------------------------------------------
# --user NAME --password-file FILE


def test_a_mediator_works_on_cases_but_not_on_the_office_s_tasks(
    staffed: Path, secrets: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wang = as_user(staffed, "wang", secrets["wang"])
    code, _out, err = call(capsys, *wang, "cases", "list")
    assert (code, err) == (0, "")
    ledger = write_csv(tmp_path / "L.csv", [row(申请人="孙甲")])
    refusals: list[tuple[list[str | Path], str]] = [
        (["ledger", "import", ledger], "错误：“调解员”无权导入台账\n"),
        (["users", "add", "li", "--role", "admin", "--password-file", secrets["new"]], "错误：“调解员”无权管理用户\n"),
        (["users", "list"], "错误：“调解员”无权管理用户\n"),
        (["users", "reset", "zhao", "--password-file", secrets["new"]], "错误：“调解员”无权管理用户\n"),
        (["backup", "create"], "错误：“调解员”无权备份数据和数据密钥\n"),
    ]
    for command, message in refusals:
        assert call(capsys, *wang, *command) == (1, "", message)
    assert case_count(staffed) == 0
    assert [name for (name,) in query(staffed, "SELECT username FROM app_user ORDER BY username")] == [
        "admin",
        "wang",
        "zhao",
    ]
    assert not list((staffed / "backups").iterdir())
    # the director imports the same ledger: the cases are registered in the director's name
    code, out, err = call(capsys, *as_user(staffed, "zhao", secrets["zhao"]), "ledger", "import", ledger)
    assert (code, err) == (0, ""), err
    assert "新建案件：1" in out
    assert case_count(staffed) == 1
    assert actors_of(staffed, "ledger.import") == ["cli:zhao"]


def test_a_wrong_password_exits_1_and_counts_toward_the_lock_out(
    staffed: Path, secrets: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = as_user(staffed, "wang", secrets["wrong"])
    for failures in range(1, LOCK_AFTER):
        assert call(capsys, *wrong, "cases", "list") == (1, "", "错误：用户名或密码不正确\n")
        assert failed_logins(staffed, "wang") == failures
    code, out, err = call(capsys, *wrong, "cases", "list")
    assert (code, out) == (1, "")
    assert err == "错误：用户名或密码不正确；账户“wang”因多次密码错误已被锁定，请 1 分钟后再试\n"
    code, out, err = call(capsys, *as_user(staffed, "wang", secrets["wang"]), "cases", "list")
    assert (code, out) == (1, "")
    assert "已被锁定" in err
    assert failed_logins(staffed, "wang") == LOCK_AFTER
    assert call(capsys, *as_user(staffed, "nobody", secrets["wrong"]), "cases", "list") == (
        1,
        "",
        "错误：用户名或密码不正确\n",
    )
    # the administrator lifts the lock
    assert call(capsys, "--data-dir", staffed, "users", "reset", "wang", "--password-file", secrets["new"])[0] == 0
    assert call(capsys, *as_user(staffed, "wang", secrets["new"]), "cases", "list")[0] == 0
    assert failed_logins(staffed, "wang") == 0


def test_the_password_from_standard_input(
    staffed: Path, secrets: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(WANG_PASSWORD + "\n"))
    code, out, err = call(
        capsys, *as_user(staffed, "wang", Path("-")), "users", "passwd", "--password-file", secrets["new"]
    )
    assert (code, err) == (0, ""), err
    assert out == "已修改用户 wang 的密码\n"
    assert actors_of(staffed, "users.change_password") == ["cli:wang"]
    monkeypatch.setattr("sys.stdin", io.StringIO(NEW_PASSWORD))  # no line break at all
    assert call(capsys, *as_user(staffed, "wang", Path("-")), "cases", "list")[0] == 0
    # only one password can come from standard input
    monkeypatch.setattr("sys.stdin", io.StringIO(NEW_PASSWORD + "\n"))
    code, out, err = call(capsys, *as_user(staffed, "wang", Path("-")), "users", "passwd", "--password-file", "-")
    assert (code, out) == (1, "")
    assert "标准输入只能提供一个密码" in err


def test_users_passwd(
    staffed: Path, secrets: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # signed in with --user: the sign-in password is the old one
    code, _out, err = call(
        capsys, *as_user(staffed, "zhao", secrets["zhao"]), "users", "passwd", "--password-file", secrets["new"]
    )
    assert (code, err) == (0, "")
    assert call(capsys, *as_user(staffed, "zhao", secrets["zhao"]), "cases", "list")[0] == 1
    assert call(capsys, *as_user(staffed, "zhao", secrets["new"]), "cases", "list")[0] == 0
    # the desk's administrator without --user gives the old password in a file
    code, _out, err = call(capsys, "--data-dir", staffed, "users", "passwd", "--password-file", secrets["new"])
    assert code == 1
    assert "--old-password-file" in err
    code, _out, err = call(
        capsys,
        "--data-dir",
        staffed,
        "users",
        "passwd",
        "--old-password-file",
        secrets["wrong"],
        "--password-file",
        secrets["new"],
    )
    assert (code, err) == (1, "错误：原密码不正确；密码未修改\n")
    short = tmp_path / "short.pw"
    short.write_text("abc\n", encoding="utf-8")
    code, _out, err = call(
        capsys,
        "--data-dir",
        staffed,
        "users",
        "passwd",
        "--old-password-file",
        secrets["admin"],
        "--password-file",
        short,
    )
    assert (code, err) == (1, "错误：密码至少 8 位\n")
    code, out, err = call(
        capsys,
        "--data-dir",
        staffed,
        "users",
        "passwd",
        "--old-password-file",
        secrets["admin"],
        "--password-file",
        secrets["new"],
    )
    assert (code, out, err) == (0, "已修改用户 admin 的密码\n", "")
    assert call(capsys, *as_user(staffed, "admin", secrets["new"]), "users", "list")[0] == 0
    assert call(capsys, *as_user(staffed, "admin", secrets["admin"]), "users", "list")[0] == 1


def test_reset_deactivate_activate_and_list(
    staffed: Path, secrets: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert call(capsys, "--data-dir", staffed, "users", "reset", "wang", "--password-file", secrets["new"]) == (
        0,
        "已重置用户 wang 的密码，并解除锁定\n",
        "",
    )
    assert call(capsys, "--data-dir", staffed, "users", "deactivate", "wang") == (0, "已停用用户 wang\n", "")
    code, _out, err = call(capsys, *as_user(staffed, "wang", secrets["new"]), "cases", "list")
    assert (code, err) == (1, "错误：账户“wang”已停用；请联系系统管理员\n")
    code, out, _err = call(capsys, "--data-dir", staffed, "users", "list", "--json")
    listed = {entry["username"]: entry for entry in json.loads(out)}
    assert (listed["wang"]["active"], listed["wang"]["role"], listed["zhao"]["active"]) == (False, "mediator", True)
    code, out, _err = call(capsys, "--data-dir", staffed, "users", "list")
    assert "已停用" in out
    assert call(capsys, "--data-dir", staffed, "users", "activate", "wang") == (0, "已启用用户 wang\n", "")
    assert call(capsys, *as_user(staffed, "wang", secrets["new"]), "cases", "list")[0] == 0
    code, _out, err = call(capsys, "--data-dir", staffed, "users", "deactivate", "admin")
    assert (code, err) == (1, "错误：不能停用自己的账户\n")  # the script acts as the administrator ``admin``
    code, _out, err = call(capsys, "--data-dir", staffed, "users", "deactivate", "nobody")
    assert (code, err) == (1, "错误：没有用户“nobody”\n")


def test_passwords_are_never_printed(
    staffed: Path, secrets: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = [
        call(capsys, *as_user(staffed, "wang", secrets["wrong"]), "cases", "list"),
        call(capsys, "--data-dir", staffed, "users", "reset", "wang", "--password-file", secrets["new"]),
        call(
            capsys, "--data-dir", staffed, "users", "add", "li", "--role", "mediator", "--password-file", secrets["new"]
        ),
        call(capsys, "--data-dir", staffed, "users", "list", "--json"),
    ]
    for _code, out, err in outputs:
        for password in (WANG_PASSWORD, NEW_PASSWORD, "not-the-password", TEST_PASSWORD):
            assert password not in out + err


def test_sign_in_options_go_together(
    root: Path, secrets: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = call(capsys, "--data-dir", root, "--user", "admin", "cases", "list")
    assert code == 2
    assert "--password-file" in err
    code, _out, err = call(capsys, "--data-dir", root, "--password-file", secrets["admin"], "cases", "list")
    assert code == 2
    code, _out, err = call(capsys, *as_user(root, "admin", tmp_path / "missing.pw"), "cases", "list")
    assert code == 1
    assert err.startswith("错误：找不到密码文件")
    code, _out, err = call(capsys, *as_user(tmp_path / "empty", "admin", secrets["admin"]), "cases", "list")
    assert code == 1
    assert "还没有工作台" in err
