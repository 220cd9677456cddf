"""Work off the GUI thread, results back on it (STYLE.md §4–5), and the application-wide change signal.

``TaskRunner`` is the one helper every view uses. A job is a plain function; it runs in a ``QRunnable`` that only
emits signals owned by a ``QObject`` living on the GUI thread (novelWriter's runnables, Picard's ``run_task``),
so the ``done`` and ``failed`` callbacks always run on the GUI thread. Database writes go through a pool with a
single thread: with SQLite, one writer at a time (Anki's ``taskman``). Reads may run in parallel.

Long jobs take a ``report(done, total)`` callable; ``run_with_progress`` shows a progress dialog after half a
second and, when the job allows it, lets the user cancel (the next ``report`` raises ``TaskCancelled``).

In tests a ``TaskRunner(synchronous=True)`` runs each job inline (Picard's ``FakeThreadPool``).
"""

from __future__ import annotations

import itertools
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from mediation_desk.domain.errors import DomainError

if TYPE_CHECKING:  # types only: the sign-in window comes up before the database layer is imported
    from mediation_desk.services.desk import Changes, Desk

T = TypeVar("T")
Report = Callable[[int, int], None]
"""``report(done, total)``: a long job's progress; ``total`` 0 means "unknown"."""

PROGRESS_DELAY_MS = 500


class TaskCancelled(Exception):
    """Raised inside a job by ``report`` once the user has pressed Cancel."""


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """The default ``failed`` callback: a domain error is a message for the user, anything else a crash."""
    if isinstance(error, DomainError):
        QMessageBox.warning(parent, QCoreApplication.translate("Tasks", "Mediation Desk"), str(error))
    elif isinstance(error, TaskCancelled):
        return
    else:
        sys.excepthook(type(error), error, error.__traceback__)


class _Signals(QObject):
    """Owned by the runner on the GUI thread; jobs only emit these."""

    finished = Signal(int, object)
    failed = Signal(int, object)
    progress = Signal(int, int, int)


@dataclass
class TaskHandle:
    """A submitted job: whether it has finished, and a way to ask it to stop."""

    id: int
    cancel_event: threading.Event = field(default_factory=threading.Event)
    finished: bool = False

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()


@dataclass
class _Pending:
    handle: TaskHandle
    done: Callable[[Any], None]
    failed: Callable[[BaseException], None]
    progress: Report | None


class _Job(QRunnable):
    def __init__(self, handle: TaskHandle, work: Callable[[Report], object], signals: _Signals) -> None:
        super().__init__()
        self._handle = handle
        self._work = work
        self._signals = signals
        self.setAutoDelete(True)

    def _report(self, done: int, total: int) -> None:
        if self._handle.cancelled:
            raise TaskCancelled
        self._signals.progress.emit(self._handle.id, done, total)

    def run(self) -> None:
        try:
            result = self._work(self._report)
        except BaseException as error:  # every error goes back to the GUI thread, none is lost in a worker
            self._signals.failed.emit(self._handle.id, error)
        else:
            self._signals.finished.emit(self._handle.id, result)


class TaskRunner(QObject):
    """Runs jobs off the GUI thread (reads in parallel, writes one at a time) and calls back on the GUI thread."""

    def __init__(self, parent: QObject | None = None, *, synchronous: bool = False) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._signals = _Signals(self)
        self._signals.finished.connect(self._on_finished)
        self._signals.failed.connect(self._on_failed)
        self._signals.progress.connect(self._on_progress)
        self._readers = QThreadPool(self)
        self._readers.setMaxThreadCount(2)
        self._writer = QThreadPool(self)
        self._writer.setMaxThreadCount(1)

    # -- submitting -------------------------------------------------------------------------------------------

    def read(
        self,
        work: Callable[[], T],
        done: Callable[[T], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> TaskHandle:
        """Run a read-only job (a query) in parallel with others."""
        return self.submit(lambda _report: work(), done, failed)

    def write(
        self,
        work: Callable[[], T],
        done: Callable[[T], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> TaskHandle:
        """Run a job that writes to the database, after every write submitted before it."""
        return self.submit(lambda _report: work(), done, failed, write=True)

    def submit(
        self,
        work: Callable[[Report], T],
        done: Callable[[T], None],
        failed: Callable[[BaseException], None] | None = None,
        *,
        write: bool = False,
        progress: Report | None = None,
    ) -> TaskHandle:
        handle = TaskHandle(next(self._ids))
        pending = _Pending(handle, done, failed or (lambda error: show_error(None, error)), progress)
        if self.synchronous:
            self._run_inline(pending, work)
            return handle
        self._pending[handle.id] = pending
        (self._writer if write else self._readers).start(_Job(handle, work, self._signals))
        return handle

    def wait_for_done(self, timeout_ms: int = 30_000) -> bool:
        """Let running jobs finish (before the desk closes)."""
        return self._writer.waitForDone(timeout_ms) and self._readers.waitForDone(timeout_ms)

    # -- delivery on the GUI thread ---------------------------------------------------------------------------

    def _run_inline(self, pending: _Pending, work: Callable[[Report], object]) -> None:
        def report(done: int, total: int) -> None:
            if pending.handle.cancelled:
                raise TaskCancelled
            if pending.progress is not None:
                pending.progress(done, total)

        try:
            result = work(report)
        except Exception as error:
            pending.handle.finished = True
            pending.failed(error)
        else:
            pending.handle.finished = True
            pending.done(result)

    @Slot(int, object)
    def _on_finished(self, task_id: int, result: object) -> None:
        pending = self._pending.pop(task_id, None)
        if pending is not None:
            pending.handle.finished = True
            pending.done(result)

    @Slot(int, object)
    def _on_failed(self, task_id: int, error: BaseException) -> None:
        pending = self._pending.pop(task_id, None)
        if pending is not None:
            pending.handle.finished = True
            pending.failed(error)

    @Slot(int, int, int)
    def _on_progress(self, task_id: int, done: int, total: int) -> None:
        pending = self._pending.get(task_id)
        if pending is not None and pending.progress is not None:
            pending.progress(done, total)


class ProgressDialog(QProgressDialog):
    """A progress dialog that appears only if the work takes longer than half a second (Anki's ``progress.py``)."""

    def __init__(self, label: str, parent: QWidget | None, *, cancellable: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Please wait"))
        self.setLabelText(label)
        self.setRange(0, 0)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumWidth(420)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        if cancellable:
            self.setCancelButtonText(self.tr("Cancel"))
        else:
            self.setCancelButton(None)
        self.setMinimumDuration(PROGRESS_DELAY_MS)
        self._done = False
        QTimer.singleShot(PROGRESS_DELAY_MS, self, self._show_if_running)

    def _show_if_running(self) -> None:
        if not self._done:
            self.show()

    def report(self, done: int, total: int) -> None:
        if total > 0:
            self.setRange(0, total)
            self.setValue(min(done, total))
        else:
            self.setRange(0, 0)

    def finish(self) -> None:
        self._done = True
        self.reset()
        self.close()
        self.deleteLater()


def run_with_progress(
    runner: TaskRunner,
    parent: QWidget | None,
    label: str,
    work: Callable[[Report], T],
    done: Callable[[T], None],
    failed: Callable[[BaseException], None] | None = None,
    *,
    write: bool = True,
    cancellable: bool = False,
) -> TaskHandle:
    """Run a long job with a progress dialog that appears after half a second and can cancel it."""
    dialog = ProgressDialog(label, parent, cancellable=cancellable)
    on_failed = failed or (lambda error: show_error(parent, error))

    def finished(value: T) -> None:
        dialog.finish()
        done(value)

    def errored(error: BaseException) -> None:
        dialog.finish()
        on_failed(error)

    handle = runner.submit(work, finished, errored, write=write, progress=dialog.report)
    if not handle.finished:
        dialog.canceled.connect(handle.cancel)
    return handle


def wait_with_progress(
    runner: TaskRunner,
    parent: QWidget | None,
    label: str,
    work: Callable[[Report], T],
    *,
    write: bool = True,
    cancellable: bool = False,
) -> T:
    """Run a long job with a progress dialog and wait for it, the GUI staying responsive; return its result or
    raise its error (``TaskCancelled`` when the user cancelled). For start-up work before the main window
    exists, such as the demo county; views use callbacks instead."""
    outcome: list[tuple[bool, Any]] = []
    loop = QEventLoop()

    def finish(ok: bool, value: object) -> None:
        outcome.append((ok, value))
        loop.quit()

    run_with_progress(
        runner,
        parent,
        label,
        work,
        lambda value: finish(True, value),
        lambda error: finish(False, error),
        write=write,
        cancellable=cancellable,
    )
    if not outcome:
        loop.exec()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


class ChangeHub(QObject):
    """One application-wide signal carrying the services' ``Changes`` to the views, on the GUI thread.

    ``Desk`` calls its listeners on the thread that committed (the writer); emitting a signal of this object,
    which lives on the GUI thread, queues delivery to receivers there.
    """

    changed = Signal(object)

    def attach(self, desk: Desk) -> None:
        desk.subscribe(self._relay)

    def _relay(self, changes: Changes) -> None:
        self.changed.emit(changes)
