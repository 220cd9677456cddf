"""UI fixtures: Chinese translations and the bundled font on the test QApplication, settings in a temporary
folder, background work made synchronous, and desks with cases registered through the services."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from mediation_desk.domain.codes import CaseSource, PartyRole
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.services.cases import register_case
from mediation_desk.services.desk import Desk
from mediation_desk.ui import app as gui
from mediation_desk.ui import i18n
from mediation_desk.ui.main_window import MainWindow
from mediation_desk.ui.tasks import ChangeHub, TaskRunner

SURNAMES = "张王李赵刘陈杨黄周吴"
CATEGORIES = ("01", "02", "03", "04", "0401", "06", "13")


@pytest.fixture(scope="session", autouse=True)
def chinese_ui(qapp: QApplication) -> Iterator[None]:
    """The interface as a user sees it: Chinese translations (compiled if needed) and the bundled font."""
    gui.application()
    translators = i18n.install_translators(i18n.CHINESE)
    gui.install_font(qapp)
    yield
    i18n.remove_translators(translators)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> None:
    """QSettings (window geometry) go to a temporary folder, never to the user's real settings."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture(autouse=True)
def no_unexpected_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """A question box nobody answers would hang the run: a test that expects one replaces the asking method."""

    def refuse(_parent: object, title: str, text: str, *_args: object) -> None:
        raise AssertionError(f"unexpected question: {title}: {text}")

    monkeypatch.setattr(QMessageBox, "question", refuse)


@pytest.fixture
def runner() -> TaskRunner:
    return TaskRunner(synchronous=True)


@pytest.fixture
def changes() -> ChangeHub:
    return ChangeHub()


def make_case(index: int, *, today: date | None = None) -> CaseInput:
    """A synthetic case; names follow a pattern so tests can filter on them."""
    today = today or date.today()
    surname = SURNAMES[index % len(SURNAMES)]
    return CaseInput(
        intake_date=today - timedelta(days=index),
        source=CaseSource.APPLICATION,
        category=CATEGORIES[index % len(CATEGORIES)],
        parties=[
            PartyInput(f"{surname}申{index}", PartyRole.APPLICANT),
            PartyInput(f"对方{index}", PartyRole.RESPONDENT),
        ],
        facts=f"第{index}号测试纠纷：相邻排水沟渠堵塞" if index % 5 == 0 else f"第{index}号测试纠纷：借款未还",
    )


def add_cases(desk: Desk, count: int) -> None:
    for index in range(count):
        register_case(desk, make_case(index))


@pytest.fixture
def desk_with_cases(desk: Desk) -> Desk:
    add_cases(desk, 25)
    return desk


def sign_in_with(monkeypatch: pytest.MonkeyPatch, username: str, password: str) -> None:
    """The sign-in dialog, when it opens, is filled with these and submitted (instead of waiting for a person)."""
    from mediation_desk.ui.login import LoginDialog

    def fill(self: LoginDialog) -> int:
        self.username.setText(username)
        self.password.setText(password)
        self.submit()
        deadline = time.monotonic() + 20
        while self._busy and time.monotonic() < deadline:  # a real runner answers through the event loop
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        return self.result()

    monkeypatch.setattr(LoginDialog, "exec", fill)


@pytest.fixture
def main_window(qtbot: QtBot, desk_with_cases: Desk, runner: TaskRunner, changes: ChangeHub) -> MainWindow:
    changes.attach(desk_with_cases)
    window = MainWindow(desk_with_cases, runner, changes)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window
