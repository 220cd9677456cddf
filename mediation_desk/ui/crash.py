"""Crashes are caught, logged and shown (Vorta's ``__main__.py``; STYLE.md §14).

The log lives in ``<data folder>/logs/gui.log`` and holds no personal data: for an unexpected error it records
the exception's type and the code locations of its traceback, never the exception's message or any value
(a message can quote a name, an ID number or a phone number). The folder is made only when there is something to
write, so a refused start (a second instance, a newer database) writes nothing.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("mediation_desk")

LOG_NAME = "gui.log"

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class _LazyFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file whose folder is created on the first record."""

    def _open(self):  # type: ignore[no-untyped-def]  # typeshed leaves the stream type open
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


def setup_logging(data_dir: Path) -> tuple[Path, logging.Handler]:
    """Log warnings and errors of the program to ``<data_dir>/logs/gui.log``; return the file and its handler."""
    path = data_dir / "logs" / LOG_NAME
    handler = _LazyFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    log.addHandler(handler)
    if log.level == logging.NOTSET or log.level > logging.INFO:
        log.setLevel(logging.INFO)
    return path, handler


def describe(kind: type[BaseException], tb: TracebackType | None) -> str:
    """The exception's type and where it happened: file names, line numbers, functions. No message, no values."""
    frames = traceback.extract_tb(tb)
    lines = [f"{kind.__module__}.{kind.__qualname__}"]
    lines += [f'  File "{Path(frame.filename).name}", line {frame.lineno}, in {frame.name}' for frame in frames]
    return "\n".join(lines)


class CrashHandler:
    """Replaces ``sys.excepthook`` while the GUI runs: logs the error and shows a Chinese dialog."""

    def __init__(self, log_file: Path) -> None:
        self.log_file = log_file
        self._previous: ExceptHook | None = None
        self._showing = False

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self

    def uninstall(self) -> None:
        if self._previous is not None and sys.excepthook is self:
            sys.excepthook = self._previous
        self._previous = None

    def __call__(self, kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QCoreApplication.quit()
            return
        log.error("unexpected error\n%s", describe(kind, tb))
        if self._showing or QApplication.instance() is None:
            return
        self._showing = True
        try:
            self.show_dialog()
        finally:
            self._showing = False

    def show_dialog(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("Crash", "Mediation Desk"), "")
        box.setText(QCoreApplication.translate("Crash", "Something went wrong inside Mediation Desk."))
        box.setInformativeText(
            QCoreApplication.translate(
                "Crash",
                "What you saved before is safe; the action you were doing may not have finished. "
                "The details are in the log file:\n{path}\n"
                "Please send this file to whoever supports your desk. It contains no personal data.",
            ).format(path=self.log_file)
        )
        box.exec()
