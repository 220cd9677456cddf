"""The crash handler logs without personal data and shows a Chinese dialog naming the log file."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from mediation_desk.ui import crash


def test_crash_is_logged_without_personal_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log_file, handler = crash.setup_logging(tmp_path / "desk")
    handler_shown: list[bool] = []
    hook = crash.CrashHandler(log_file)
    monkeypatch.setattr(hook, "show_dialog", lambda: handler_shown.append(True))
    previous = sys.excepthook
    hook.install()
    try:
        assert sys.excepthook is hook
        try:
            raise RuntimeError("张三 11010519491231002X 13800138000")
        except RuntimeError as error:
            sys.excepthook(type(error), error, error.__traceback__)
    finally:
        hook.uninstall()
        crash.log.removeHandler(handler)
        handler.close()
    assert sys.excepthook is previous
    assert handler_shown == [True]
    text = log_file.read_text(encoding="utf-8")
    assert "builtins.RuntimeError" in text
    assert "test_crash.py" in text
    for secret in ("张三", "11010519491231002X", "13800138000"):
        assert secret not in text


def test_nothing_is_written_until_there_is_something_to_log(tmp_path: Path) -> None:
    root = tmp_path / "desk"
    log_file, handler = crash.setup_logging(root)
    try:
        assert not root.exists()
        logging.getLogger("mediation_desk.ui.test").warning("a warning")
        assert log_file.exists()
    finally:
        crash.log.removeHandler(handler)
        handler.close()


def test_the_dialog_is_chinese_and_names_the_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[QMessageBox] = []

    def capture(box: QMessageBox) -> int:
        shown.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", capture)
    crash.CrashHandler(tmp_path / "logs" / "gui.log").show_dialog()
    box = shown[0]
    assert box.windowTitle() == "调解工作台"
    assert box.text() == "调解工作台发生了意外错误。"
    assert str(tmp_path / "logs" / "gui.log") in box.informativeText()
    assert "日志中不含个人信息" in box.informativeText()
