"""Signing in when the desk opens: the account's password (argon2), the lock-out said in Chinese, the account's
name in the history, and staying signed in for the operating-system session on a single-account desk."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from mediation_desk.domain.codes import UserRole
from mediation_desk.services.desk import Desk
from mediation_desk.services.users import LOCK_AFTER, create_user
from mediation_desk.ui import app as gui
from mediation_desk.ui import login, settings
from mediation_desk.ui.login import LoginDialog
from mediation_desk.ui.tasks import TaskRunner
from tests.conftest import TEST_PASSWORD


def dialog(qtbot: QtBot, desk: Desk, runner: TaskRunner) -> LoginDialog:
    window = LoginDialog(desk, runner, "示例村人民调解委员会")
    qtbot.addWidget(window)
    window.show()
    return window


def attempt(window: LoginDialog, username: str, password: str) -> None:
    window.username.setText(username)
    window.password.setText(password)
    window.submit()


def test_the_right_password_signs_in_as_the_account(qtbot: QtBot, desk: Desk, runner: TaskRunner) -> None:
    window = dialog(qtbot, desk, runner)
    assert window.windowTitle() == "登录 — 调解工作台"
    attempt(window, "admin", TEST_PASSWORD)
    assert window.actor is not None
    assert window.actor.name == "gui:admin"
    assert window.actor.role is UserRole.ADMIN
    assert settings.get(settings.LAST_USER) == "admin"


def test_empty_fields_and_a_wrong_password_are_said_in_chinese(qtbot: QtBot, desk: Desk, runner: TaskRunner) -> None:
    window = dialog(qtbot, desk, runner)
    attempt(window, "", "")
    assert window.fields["username"].error == "请输入用户名"
    assert window.fields["password"].error == "请输入密码"
    window.username.setText("admin")
    assert window.fields["username"].error == ""  # gone once the field is filled
    attempt(window, "admin", "wrong-password")
    assert window.actor is None
    assert window.message.text() == "用户名或密码不正确"
    assert window.password.text() == ""


def test_repeated_failures_lock_the_account(qtbot: QtBot, desk: Desk, runner: TaskRunner) -> None:
    window = dialog(qtbot, desk, runner)
    for _ in range(LOCK_AFTER):
        attempt(window, "admin", "wrong-password")
    assert "已被锁定" in window.message.text()
    assert "请 1 分钟后再试" in window.message.text()
    attempt(window, "admin", TEST_PASSWORD)  # the right password is refused while locked
    assert window.actor is None
    assert "已被锁定" in window.message.text()


def test_a_single_account_may_stay_signed_in_for_the_os_session(
    qtbot: QtBot, desk: Desk, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = dialog(qtbot, desk, runner)
    assert window.stay.isVisible()
    window.stay.setChecked(True)
    attempt(window, "admin", TEST_PASSWORD)
    monkeypatch.setattr(LoginDialog, "exec", lambda self: pytest.fail("asked for the password again"))
    actor = gui.sign_in(desk, runner)
    assert actor is not None
    assert actor.name == "gui:admin"
    monkeypatch.setattr(login, "session_marker", lambda: "another session")  # after a restart it asks again
    monkeypatch.setattr(LoginDialog, "exec", lambda self: 0)
    assert gui.sign_in(desk, runner) is None


def test_not_offered_with_several_accounts(qtbot: QtBot, desk: Desk, runner: TaskRunner) -> None:
    create_user(desk, "mediator1", TEST_PASSWORD, UserRole.MEDIATOR)
    window = dialog(qtbot, desk, runner)
    assert not window.stay.isVisible()
    settings.put(settings.REMEMBERED_USER, "admin")
    settings.put(settings.REMEMBERED_SESSION, login.session_marker())
    assert login.remembered(desk) is None  # several accounts: the password is asked for every time
    attempt(window, "mediator1", TEST_PASSWORD)
    assert window.actor is not None
    assert window.actor.role is UserRole.MEDIATOR
