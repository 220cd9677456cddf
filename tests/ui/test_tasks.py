"""The background-task helper with real threads: results and errors come back on the GUI thread, writes run one
at a time, progress and cancelling work, and the change signal reaches the GUI thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from mediation_desk.domain.errors import ValidationError
from mediation_desk.services.cases import register_case
from mediation_desk.services.desk import Changes, Desk
from mediation_desk.ui.tasks import ChangeHub, Report, TaskCancelled, TaskRunner, run_with_progress
from tests.ui.conftest import make_case


@pytest.fixture
def threaded(qtbot: QtBot) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.wait_for_done()


def gui_thread() -> QThread:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    return app.thread()


def test_results_come_back_on_the_gui_thread(qtbot: QtBot, threaded: TaskRunner) -> None:
    seen: list[tuple[object, bool, bool]] = []

    def work() -> str:
        return "done" if QThread.currentThread() is not gui_thread() else "wrong thread"

    def done(value: str) -> None:
        seen.append((value, QThread.currentThread() is gui_thread(), True))

    threaded.read(work, done)
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [("done", True, True)]


def test_errors_come_back_to_the_failed_callback(qtbot: QtBot, threaded: TaskRunner) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        raise ValidationError("金额不能为负数", field="amount")

    threaded.write(work, lambda _value: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValidationError)
    assert errors[0].field == "amount"


def test_writes_run_one_at_a_time(qtbot: QtBot, threaded: TaskRunner) -> None:
    running = 0
    most = 0
    lock = threading.Lock()
    finished: list[int] = []

    def work(number: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        with lock:
            running -= 1
        return number

    def job(number: int) -> Callable[[], int]:
        return lambda: work(number)

    for number in range(5):
        threaded.write(job(number), finished.append)
    qtbot.waitUntil(lambda: len(finished) == 5, timeout=5000)
    assert most == 1
    assert finished == [0, 1, 2, 3, 4]  # in the order submitted


def test_progress_and_cancel(qtbot: QtBot, threaded: TaskRunner) -> None:
    reports: list[tuple[int, int]] = []
    outcome: list[BaseException] = []
    started = threading.Event()

    def long_job(report: Report) -> None:
        for step in range(1000):
            report(step, 1000)
            started.set()
            time.sleep(0.005)

    handle = threaded.submit(long_job, lambda _v: None, outcome.append, progress=lambda d, t: reports.append((d, t)))
    assert started.wait(5)
    handle.cancel()
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert isinstance(outcome[0], TaskCancelled)
    qtbot.waitUntil(lambda: bool(reports))
    assert reports[0] == (0, 1000)


def test_progress_dialog_for_long_work(qtbot: QtBot) -> None:
    runner = TaskRunner(synchronous=True)
    results: list[int] = []

    def job(report: Report) -> int:
        for step in range(3):
            report(step + 1, 3)
        return 3

    handle = run_with_progress(runner, None, "正在处理……", job, results.append)
    assert handle.finished
    assert results == [3]


def test_changes_reach_the_gui_thread(qtbot: QtBot, desk: Desk, threaded: TaskRunner) -> None:
    hub = ChangeHub()
    hub.attach(desk)
    received: list[tuple[Changes, bool]] = []
    hub.changed.connect(lambda changes: received.append((changes, QThread.currentThread() is gui_thread())))
    with qtbot.waitSignal(hub.changed, timeout=5000):
        threaded.write(lambda: register_case(desk, make_case(1)), lambda _row: None)
    qtbot.waitUntil(lambda: bool(received))
    changes, on_gui_thread = received[0]
    assert changes.touches("dispute_case")
    assert on_gui_thread
