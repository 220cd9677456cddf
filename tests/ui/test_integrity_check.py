"""The GUI checks the desk's database in the background once it opens, and names the way back when it is damaged."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QMessageBox

from mediation_desk.services import backups as backup_service
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.ui import app as gui
from mediation_desk.ui.tasks import ChangeHub, TaskRunner
from tests.scenario import populate
from tests.unit.test_integrity import damage

VILLAGE = "331122001001"


class Boxes:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[tuple[str, str, str]] = []
        for kind in ("critical", "warning", "information"):
            monkeypatch.setattr(QMessageBox, kind, self._recorder(kind))

    def _recorder(self, kind: str) -> Callable[..., QMessageBox.StandardButton]:
        def record(_parent: object, title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
            self.shown.append((kind, title, text))
            return QMessageBox.StandardButton.Ok

        return record


def test_an_intact_desk_shows_nothing_and_gets_its_daily_backup(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    boxes = Boxes(monkeypatch)
    runner, changes = TaskRunner(synchronous=True), ChangeHub()
    window = gui._main_window(desk, runner, changes)
    try:
        assert boxes.shown == []
        assert [info.reason for info in backup_service.backups(desk.data_dir.root)] == ["daily"]
    finally:
        window.close()
        window.deleteLater()


def test_a_damaged_desk_is_reported_with_the_last_good_backup(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    populate(desk, [VILLAGE], 6)
    good = backup_service.create(desk.data_dir.root)
    root = desk.data_dir.root
    desk.close()
    damage(root / "mediation-desk.sqlite3")
    boxes = Boxes(monkeypatch)
    opened = Desk.open(root, Actor.local_operator("test"), lock=True)  # the GUI opens without the CLI's check
    runner, changes = TaskRunner(synchronous=True), ChangeHub()
    window = gui._main_window(opened, runner, changes)
    try:
        critical = [(title, text) for kind, title, text in boxes.shown if kind == "critical"]
        assert len(critical) == 1
        title, text = critical[0]
        assert title == "数据库已损坏"
        assert "本工作台的数据库已损坏" in text
        assert good.name in text
        assert f"mediation-desk --data-dir {root} backup restore {good.name}" in text
        # a damaged database gets no daily backup
        assert [info.reason for info in backup_service.backups(root)] == ["manual"]
    finally:
        window.close()
        window.deleteLater()
        opened.close()
