"""Start-up to a usable window, against a bare PySide6 window in the same run (DESIGN.md: at most 2×).

Each run is a fresh Python process on Qt's offscreen platform, timed from its start to the moment its window has
been shown and its events handled (the process prints the time then; the start-up checks and the pages' first
queries go on in the background, as in the program):

- subject, "sign-in": the program's own entry point (``mediation_desk.__main__``), the application with its
  translations and bundled font, and the program's own start (``ui.app.start``) up to the sign-in window shown:
  the first window a user sees. The program opens the desk behind it, on a worker thread (migrations checked,
  the data key from the keyring); the run also notes when that is done;
- subject, "main window": the same, with the user name and password entered the moment the window is shown (the
  typing takes no time, so the desk's opening is not hidden behind it), the account signed in (argon2
  verification included) and the main window shown with its start page;
- baseline: ``QApplication`` and an empty ``QMainWindow`` shown.

A warm-up run comes first: it compiles the program's modules (into a bytecode folder of the benchmark's own, as an
installed program has them compiled) and lets the program remember the keyring backend that holds the desk's key,
so the runs measured are a start as every start after the first on a computer.

A note names the slowest imports of the main-window run (``python -X importtime``), another where its time goes:
the moments the desk was open and the account signed in, printed by the same runs (nothing else is timed).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench import BenchResult, Timing
from mediation_desk.domain.codes import OrgLevel
from mediation_desk.services.desk import Actor
from mediation_desk.services.setup import SetupInput, initialise

PASSWORD = "bench-startup-password"

BASELINE = """
import time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1366, 768)
window.show()
app.processEvents()
print("window", time.time())
"""

SUBJECT = """
import sys
import time
from pathlib import Path
import mediation_desk.__main__  # the entry point, as `mediation-desk` imports it
from mediation_desk.ui import app as gui, i18n, settings
from mediation_desk.ui.login import LoginDialog
from mediation_desk.ui.tasks import ChangeHub, TaskRunner
from PySide6.QtCore import QEventLoop, QTimer

application = gui.application()
translators = i18n.install_translators(settings.get(settings.LANGUAGE))
gui.install_font(application)
runner = TaskRunner()  # as in the program: the desk opens, the checks and the pages' queries run off the GUI thread
marks = {}


def wait(condition):  # in an event loop, as the program waits: idle between the events, the GIL left to workers
    loop = QEventLoop()
    timer = QTimer(interval=5)
    timer.timeout.connect(lambda: condition() and loop.quit())
    timer.start()
    if not condition():
        loop.exec()
    timer.stop()


def exec_(dialog):  # instead of a person at the sign-in window (shown by the program before it calls exec)
    marks["window"] = time.time()  # the sign-in window is on the screen, its events handled
    if sys.argv[2] == "login":
        wait(lambda: dialog.desk is not None or not dialog.isVisible())  # the desk opened behind it (or failed)
        marks["desk"] = time.time()
        dialog.reject()
        return dialog.result()
    dialog.username.setText("bench")
    dialog.password.setText(sys.argv[3])
    dialog.submit()  # at once, as if typed in no time: waits for the desk if it is still opening
    wait(lambda: dialog.desk is not None or not dialog._busy or not dialog.isVisible())
    marks["desk"] = time.time()  # the desk open (the password check starts now)
    wait(lambda: not dialog._busy or not dialog.isVisible())
    marks["signed"] = time.time()  # signed in (argon2 verification done): the main window is built next
    return dialog.result()


LoginDialog.exec = exec_
window = gui.start(Path(sys.argv[1]), runner, ChangeHub())
if sys.argv[2] == "main":
    window.resize(1366, 768)
    window.show()
    application.processEvents()
    marks["window"] = time.time()  # the main window is usable: shown, its events handled
print("desk", marks.get("desk", 0.0))
print("signed", marks.get("signed", 0.0))
print("window", marks["window"])
gui.settle(runner)
if sys.argv[2] == "main":
    window.close()
    window.desk.close()
"""


def _environment(settings_dir: Path, bytecode_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_CONFIG_HOME"] = str(settings_dir)  # QSettings of the runs, not the user's
    # The program's modules compiled once (by the warm-up run), as an installed program has them: a checkout run
    # with PYTHONDONTWRITEBYTECODE would compile every module of the program again in every run. In a folder of
    # the benchmark's own, never beside the sources.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(bytecode_dir)
    return env


def _run(code: str, *args: str, env: dict[str, str], extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *extra, "-c", code, *args], env=env, capture_output=True, text=True, check=True, timeout=120
    )


def _marks(stdout: str) -> dict[str, float]:
    """The moments a run printed: ``window`` (its window shown), ``desk`` (the desk open), for the main window also
    ``signed`` (the account signed in)."""
    found: dict[str, float] = {}
    for line in stdout.splitlines():
        name, _, value = line.partition(" ")
        if name in ("window", "desk", "signed"):
            found[name] = float(value)
    return found


def _timed(
    run: Callable[[], subprocess.CompletedProcess[str]],
    repeat: int,
    desk: Timing | None = None,
    signed: Timing | None = None,
) -> Timing:
    """Milliseconds from starting the process to the moment its window was shown, ``repeat`` times; into ``desk``
    also to the moment the desk was open (behind the sign-in window), into ``signed`` to the moment the account
    was signed in (the main-window run)."""
    timing = Timing()
    for _ in range(repeat):
        started = time.time()
        marks = _marks(run().stdout)
        timing.runs_ms.append((marks["window"] - started) * 1000)
        for into, name in ((desk, "desk"), (signed, "signed")):
            if into is not None and marks.get(name):
                into.runs_ms.append((marks[name] - started) * 1000)
    return timing


def slowest_imports(stderr: str, count: int = 6) -> str:
    """The top-level imports that took longest, from ``-X importtime`` output (cumulative microseconds)."""
    found: list[tuple[int, str]] = []
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if match and len(match.group(2)) <= 1:
            found.append((int(match.group(1)), match.group(3)))
    found.sort(reverse=True)
    return ", ".join(f"{name} {micro / 1000:.0f} ms" for micro, name in found[:count])


def startup(work: Path, sizes: object) -> BenchResult:
    repeat = max(1, int(getattr(sizes, "stats_repeat", 3)))
    result = BenchResult(
        "startup",
        "a village desk, offscreen, a fresh process per run",
        "at most 2× a bare PySide6 window (DESIGN.md)",
    )
    root = work / "desk"
    setup = SetupInput(
        "331122001001", "示例村人民调解委员会", OrgLevel.VILLAGE, "331122001", "bench", PASSWORD, "缙五人调"
    )
    initialise(root, setup, Actor.local_operator("bench")).close()
    env = _environment(work / "config", work / "bytecode")
    started = time.perf_counter()
    try:
        # Once first: the file cache warmed, the program's modules compiled, the keyring's backend remembered (as
        # at every start but the first on a computer)
        _run(SUBJECT, str(root), "main", PASSWORD, env=env)
        result.notes.append(f"warm-up run {time.perf_counter() - started:.2f} s")
        result.baseline = Timing()
        result.subject = Timing()
        login_timing = Timing()
        desk_timing = Timing()
        main_desk = Timing()
        main_signed = Timing()
        for _ in range(repeat):  # alternately, so that drift affects all alike
            result.baseline.runs_ms += _timed(lambda: _run(BASELINE, env=env), 1).runs_ms
            login_run = _timed(lambda: _run(SUBJECT, str(root), "login", PASSWORD, env=env), 1, desk_timing)
            login_timing.runs_ms += login_run.runs_ms
            main_run = _timed(lambda: _run(SUBJECT, str(root), "main", PASSWORD, env=env), 1, main_desk, main_signed)
            result.subject.runs_ms += main_run.runs_ms
        result.notes.append(
            f"to the sign-in window: median {login_timing.median:.0f} ms, "
            f"{login_timing.median / result.baseline.median:.2f}× the baseline "
            f"(the desk open behind it: median {desk_timing.median:.0f} ms)"
        )
        result.notes.append(
            f"where the main window's time goes (medians): the desk open at {main_desk.median:.0f} ms, signed in at "
            f"{main_signed.median:.0f} ms (the password check with argon2), the main window shown "
            f"{result.subject.median - main_signed.median:.0f} ms after that"
        )
        traced = _run(SUBJECT, str(root), "main", PASSWORD, env=env, extra=("-X", "importtime"))
        result.notes.append("slowest imports: " + slowest_imports(traced.stderr))
        result.check("the main window opened in every run", True, f"{repeat} runs of each")
    except subprocess.CalledProcessError as error:
        result.check("the main window opened in every run", False, error.stderr.strip().splitlines()[-1])
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return result
