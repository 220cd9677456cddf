"""Start-up: first run (set-up or demo), opening the desk, and one clear message when the desk cannot be opened."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from mediation_desk.domain.codes import OrgLevel
from mediation_desk.services import backups as backup_service
from mediation_desk.services.desk import ORG_SETTING, Actor, Desk, has_database
from mediation_desk.ui import app as gui
from mediation_desk.ui.first_run import FirstRunChoice, FirstRunDialog
from mediation_desk.ui.main_window import MainWindow
from mediation_desk.ui.tasks import ChangeHub, TaskRunner
from mediation_desk.ui.widgets import select_data
from tests.conftest import TEST_PASSWORD
from tests.ui.conftest import sign_in_with


class Boxes:
    """Message boxes shown, instead of showing them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[tuple[str, str]] = []
        for kind in ("critical", "warning", "information"):
            monkeypatch.setattr(QMessageBox, kind, self._record)

    def _record(self, _parent: object, title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        self.shown.append((title, text))
        return QMessageBox.StandardButton.Ok


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    return Boxes(monkeypatch)


@pytest.fixture
def windows() -> Iterator[list[MainWindow]]:
    """Main windows made by ``start``; closed, with their desks, after the test."""
    made: list[MainWindow] = []
    yield made
    for window in made:
        window.close()
        window.desk.close()
        window.deleteLater()


def files_under(root: Path) -> dict[str, float]:
    return {str(path.relative_to(root)): path.stat().st_mtime for path in root.rglob("*") if path.is_file()}


def fill_setup(dialog: FirstRunDialog, *, code: str = "331122001001", again: str = TEST_PASSWORD) -> None:
    dialog.setup_button.click()
    dialog.org_code.setText(code)
    dialog.org_name.setText("示例村人民调解委员会")
    select_data(dialog.level, OrgLevel.VILLAGE)
    dialog.parent_code.setCurrentIndex(dialog.parent_code.findData("331122001"))
    dialog.case_prefix.setText("缙五人调")
    dialog.password.setText(TEST_PASSWORD)
    dialog.password_again.setText(again)


def test_first_run_set_up_creates_the_desk(qtbot: QtBot, data_dir: Path, runner: TaskRunner) -> None:
    dialog = FirstRunDialog(data_dir, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "欢迎使用调解工作台"
    fill_setup(dialog)
    dialog.create_button.click()
    assert dialog.choice is FirstRunChoice.SET_UP
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted.value
    desk = Desk.open(data_dir, Actor.local_operator("test"), lock=True)  # the set-up released the folder
    try:
        assert desk.setting(ORG_SETTING) == "331122001001"
    finally:
        desk.close()


def test_first_run_shows_validation_beside_the_fields(qtbot: QtBot, data_dir: Path, runner: TaskRunner) -> None:
    dialog = FirstRunDialog(data_dir, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_setup(dialog, again="something-else")
    dialog.create_button.click()
    assert dialog.fields["password_again"].error == "两次输入的密码不一致"
    fill_setup(dialog, code="12")
    dialog.create_button.click()
    assert dialog.fields["org_code"].error == "组织代码应为 6–15 位数字"
    assert dialog.fields["password_again"].error == ""
    assert dialog.choice is None
    assert not has_database(data_dir)


def test_first_run_choice_seam(monkeypatch: pytest.MonkeyPatch, data_dir: Path, runner: TaskRunner) -> None:
    monkeypatch.setattr(FirstRunDialog, "exec", lambda self: self.demo_button.click() or self.result())
    assert FirstRunDialog.ask(data_dir, runner) == (FirstRunChoice.DEMO, True)


def test_start_without_a_desk_and_the_user_leaves(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, runner: TaskRunner, changes: ChangeHub
) -> None:
    monkeypatch.setattr(FirstRunDialog, "exec", lambda self: 0)
    root = tmp_path / "not" / "yet"
    assert gui.start(root, runner, changes) == gui.EXIT_OK
    assert not root.exists()  # leaving the first-run dialog writes nothing


def test_start_after_set_up_opens_the_main_window(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, runner: TaskRunner, changes: ChangeHub, windows: list[MainWindow]
) -> None:
    def set_up(self: FirstRunDialog) -> int:
        fill_setup(self)
        self.create_button.click()
        return self.result()

    monkeypatch.setattr(FirstRunDialog, "exec", set_up)
    sign_in_with(monkeypatch, "admin", TEST_PASSWORD)
    window = gui.start(data_dir, runner, changes)
    assert isinstance(window, MainWindow)
    windows.append(window)
    assert window.windowTitle() == "调解工作台 — 示例村人民调解委员会"
    assert not window.synthetic
    assert window.desk.actor.name == "gui:admin"  # the account, not the operating-system user
    assert window.user_label.text() == "当前用户：admin（系统管理员）"


def test_start_with_demo_loads_the_demo_county(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, runner: TaskRunner, changes: ChangeHub, windows: list[MainWindow]
) -> None:
    from mediation_desk import demo

    create = demo.create_demo

    def small_demo(root: Path, **kwargs: object) -> demo.DemoSummary:
        return create(root, villages=12, cases=40, progress=kwargs.get("progress"))  # type: ignore[arg-type]

    monkeypatch.setattr(demo, "create_demo", small_demo)
    sign_in_with(monkeypatch, "demo", demo.DEMO_PASSWORD)
    window = gui.start(data_dir, runner, changes, demo=True)
    assert isinstance(window, MainWindow)
    windows.append(window)
    assert window.synthetic
    assert window.synthetic_marker.text() == "示例数据"
    assert window.cases.model.total == 40


def test_a_second_instance_gets_one_message_and_writes_nothing(
    desk: Desk, data_dir: Path, runner: TaskRunner, changes: ChangeHub, boxes: Boxes
) -> None:
    before = files_under(data_dir)
    assert gui.start(data_dir, runner, changes) == gui.EXIT_ERROR
    assert len(boxes.shown) == 1
    title, text = boxes.shown[0]
    assert title == "调解工作台无法启动"
    assert text.startswith("另一个调解工作台正在使用数据文件夹")
    assert files_under(data_dir) == before


def test_a_newer_database_is_refused_with_one_message(
    desk: Desk, data_dir: Path, runner: TaskRunner, changes: ChangeHub, boxes: Boxes
) -> None:
    database = desk.data_dir.database
    desk.close()
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    before = files_under(data_dir)
    assert gui.start(data_dir, runner, changes) == gui.EXIT_ERROR
    assert len(boxes.shown) == 1
    assert "更新版本的调解工作台" in boxes.shown[0][1]
    assert files_under(data_dir) == before


def test_run_returns_the_event_loop_code(monkeypatch: pytest.MonkeyPatch, desk: Desk, data_dir: Path) -> None:
    desk.close()
    shown: list[MainWindow] = []

    def fake_exec() -> int:
        shown.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        return 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(fake_exec))
    sign_in_with(monkeypatch, "admin", TEST_PASSWORD)
    assert gui.run(data_dir) == 0
    assert len(shown) == 1
    again = Desk.open(data_dir, Actor.local_operator("test"), lock=True)  # run() released the folder
    again.close()


def test_run_refuses_a_locked_folder_with_exit_code_1(desk: Desk, data_dir: Path, boxes: Boxes) -> None:
    assert gui.run(data_dir) == 1
    assert len(boxes.shown) == 1


def test_opening_the_desk_makes_the_daily_backup(qtbot: QtBot, desk: Desk) -> None:
    """The main window starts the rotating daily backup; it is not repeated within the day."""
    runner = TaskRunner(synchronous=True)
    window = gui._main_window(desk, runner, ChangeHub())
    try:
        daily = [info for info in backup_service.backups(desk.data_dir.root) if info.reason == "daily"]
        assert len(daily) == 1
        assert backup_service.daily_if_due(desk) is None
    finally:
        window.close()
        window.deleteLater()
