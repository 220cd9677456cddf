"""The sign-in window comes up while the desk opens behind it; the main window builds its pages when first shown."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEventLoop, QThread
from pytestqt.qtbot import QtBot

from mediation_desk.services import opening
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.ui import app as gui
from mediation_desk.ui import settings
from mediation_desk.ui.login import LoginDialog
from mediation_desk.ui.main_window import PAGE_CASES, PAGE_SETTINGS, PAGE_TODAY, PAGES, MainWindow
from mediation_desk.ui.tasks import TaskRunner
from tests.conftest import TEST_PASSWORD
from tests.ui.conftest import add_cases


def wait_while(condition: object, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while callable(condition) and condition() and time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.005)


def test_every_page_of_the_table_is_a_page_class() -> None:
    for spec in PAGES:
        page_class = getattr(importlib.import_module(spec.module), spec.cls)
        assert callable(page_class.refresh), spec.module


def test_pages_are_built_when_first_shown(qtbot: QtBot, main_window: MainWindow, desk_with_cases: Desk) -> None:
    assert main_window.built(PAGE_TODAY) is not None
    assert all(main_window.built(index) is None for index in range(len(PAGES)) if index != PAGE_TODAY)
    assert main_window.pages.count() == len(PAGES)
    add_cases(desk_with_cases, 1)  # a change while the case list is not built: it is not built for it
    QCoreApplication.processEvents()
    assert main_window.built(PAGE_CASES) is None
    main_window.show_page(PAGE_CASES)
    cases = main_window.built(PAGE_CASES)
    assert cases is main_window.cases
    assert main_window.pages.currentWidget() is cases
    assert main_window.cases.model.rowCount() == 26  # read when built, the change included
    assert main_window.export_action.isEnabled()
    main_window.show_page(PAGE_SETTINGS)
    assert main_window.pages.currentWidget() is main_window.settings_page
    assert not main_window.save_action.isEnabled()
    assert main_window.pages.indexOf(cases) == PAGE_CASES  # still in its place


def test_the_sign_in_window_is_shown_before_the_desk_is_open(
    qtbot: QtBot, desk: Desk, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk.close()
    runner = TaskRunner()
    seen: list[tuple[bool, str]] = []

    def typed_at_once(dialog: LoginDialog) -> int:
        seen.append((dialog.isVisible() and dialog.desk is None, dialog.title.text()))
        dialog.username.setText("admin")
        dialog.password.setText(TEST_PASSWORD)
        dialog.submit()  # before the desk is open: it signs in when it is
        wait_while(lambda: dialog.actor is None)
        seen.append((dialog.desk is not None, dialog.title.text()))
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", typed_at_once)
    signed_in = gui.sign_in_while_opening(data_dir, runner)
    gui.settle(runner)
    assert isinstance(signed_in, tuple)
    opened, actor = signed_in
    try:
        assert actor.username == "admin"
        assert seen == [(True, "正在打开工作台…"), (True, "示例村人民调解委员会")]
    finally:
        opened.close()


def test_leaving_the_sign_in_window_while_the_desk_opens_releases_the_folder(
    qtbot: QtBot, desk: Desk, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk.close()
    runner = TaskRunner()
    monkeypatch.setattr(LoginDialog, "exec", lambda dialog: dialog.reject() or dialog.result())
    assert gui.sign_in_while_opening(data_dir, runner) == gui.EXIT_OK
    gui.settle(runner)
    Desk.open(data_dir, Actor.local_operator("test"), lock=True).close()  # the folder is free again


def test_the_keyring_and_the_main_window_code_are_prepared_off_the_gui_thread(
    qtbot: QtBot, desk: Desk, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk.close()
    runner = TaskRunner()
    threads: dict[str, bool] = {}
    gui_thread = QCoreApplication.instance().thread()  # type: ignore[union-attr]

    def recorded(name: str, job: Callable[[], object]) -> Callable[[], object]:
        def run() -> object:
            threads[name] = QThread.currentThread() is not gui_thread
            return job()

        return run

    monkeypatch.setattr(gui, "prepare_keyring", recorded("keyring", opening.prepare_keyring))
    monkeypatch.setattr(gui, "preload_main_window", recorded("preload", gui.preload_main_window))

    def typed_at_once(dialog: LoginDialog) -> int:
        dialog.username.setText("admin")
        dialog.password.setText(TEST_PASSWORD)
        dialog.submit()
        wait_while(lambda: dialog.actor is None)
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", typed_at_once)
    signed_in = gui.sign_in_while_opening(data_dir, runner)
    gui.settle(runner)
    assert isinstance(signed_in, tuple)
    signed_in[0].close()
    assert threads == {"keyring": True, "preload": True}
    assert opening.prepare_keyring() == "keyrings.alt.file.PlaintextKeyring"  # keyring's own configuration (tests)
    assert settings.get(settings.KEYRING_BACKEND) == "keyrings.alt.file.PlaintextKeyring"  # held the key: remembered


def test_a_remembered_keyring_backend_is_loaded_by_the_opening_itself(
    qtbot: QtBot, desk: Desk, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Named to the opening (one backend to load, on its own thread), with no second worker beside it."""
    desk.close()
    settings.put(settings.KEYRING_BACKEND, "keyrings.alt.file.PlaintextKeyring")
    runner = TaskRunner()
    named: list[str] = []
    separate: list[bool] = []

    def opened(root: Path, operator: str = "gui", keyring_backend: str = "") -> opening.OpenedDesk:
        named.append(keyring_backend)
        return opening.open_for_sign_in(root, operator, keyring_backend)

    monkeypatch.setattr(gui, "open_for_sign_in", opened)

    def beside(*_args: str) -> str:
        separate.append(True)
        return ""

    monkeypatch.setattr(gui, "prepare_keyring", beside)
    monkeypatch.setattr(LoginDialog, "exec", lambda dialog: dialog.reject() or dialog.result())
    assert gui.sign_in_while_opening(data_dir, runner) == gui.EXIT_OK
    gui.settle(runner)
    assert named == ["keyrings.alt.file.PlaintextKeyring"]
    assert separate == []
