"""Start-up to a usable window, against a bare PySide6 window in the same run (DESIGN.md: at most 2×).

Each run is a fresh Python process on Qt's offscreen platform, timed from its start to the moment its window has
been shown and its events handled (the process prints the time then; the start-up checks and the pages' first
queries go on in the background, as in the program):

- subject, "sign-in": the program's own entry point (``mediation_desk.__main__``), the application with its
  translations and bundled font, the desk opened (migrations checked, the data key from the keyring), and the
  sign-in window shown: the first window a user sees;
- subject, "main window": the same, then the account signed in (argon2 verification included, the typing not)
  and the main window shown with its start page;
- baseline: ``QApplication`` and an empty ``QMainWindow`` shown.

A note names the slowest imports of the main-window run (``python -X importtime``).
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
print(time.time())
"""

SUBJECT = """
import sys
from pathlib import Path
import mediation_desk.__main__  # the entry point, as `mediation-desk` imports it
from mediation_desk.ui import app as gui, i18n, settings
application = gui.application()
translators = i18n.install_translators(settings.get(settings.LANGUAGE))
gui.install_font(application)
desk = gui.open_desk(Path(sys.argv[1]))
from mediation_desk.ui.login import LoginDialog
from mediation_desk.ui.tasks import ChangeHub, TaskRunner
import time
login = LoginDialog(desk, TaskRunner(synchronous=True), gui._org_name(desk))
login.show()
application.processEvents()
runner = TaskRunner()  # as in the program: the pages' queries and the start-up checks run off the GUI thread
if sys.argv[2] == "main":
    login.username.setText("bench")
    login.password.setText(sys.argv[3])
    login.submit()
    desk.actor = login.actor
    window = gui._main_window(desk, runner, ChangeHub())
    window.resize(1366, 768)
    window.show()
    application.processEvents()
print(time.time())  # the window is usable: shown, its events handled
runner.wait_for_done()
application.processEvents()
desk.close()
"""


def _environment(settings_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_CONFIG_HOME"] = str(settings_dir)  # QSettings of the runs, not the user's
    return env


def _run(code: str, *args: str, env: dict[str, str], extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *extra, "-c", code, *args], env=env, capture_output=True, text=True, check=True, timeout=120
    )


def _timed(run: Callable[[], subprocess.CompletedProcess[str]], repeat: int) -> Timing:
    """Milliseconds from starting the process to the moment it printed (its window shown), ``repeat`` times."""
    timing = Timing()
    for _ in range(repeat):
        started = time.time()
        shown = float(run().stdout.strip().splitlines()[-1])
        timing.runs_ms.append((shown - started) * 1000)
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
    env = _environment(work / "config")
    started = time.perf_counter()
    try:
        _run(SUBJECT, str(root), "main", PASSWORD, env=env)  # warm the file cache once
        result.notes.append(f"warm-up run {time.perf_counter() - started:.2f} s")
        result.baseline = Timing()
        result.subject = Timing()
        login_timing = Timing()
        for _ in range(repeat):  # alternately, so that drift affects all alike
            result.baseline.runs_ms += _timed(lambda: _run(BASELINE, env=env), 1).runs_ms
            login_timing.runs_ms += _timed(lambda: _run(SUBJECT, str(root), "login", PASSWORD, env=env), 1).runs_ms
            result.subject.runs_ms += _timed(lambda: _run(SUBJECT, str(root), "main", PASSWORD, env=env), 1).runs_ms
        result.notes.append(f"to the sign-in window: median {login_timing.median:.0f} ms")
        traced = _run(SUBJECT, str(root), "main", PASSWORD, env=env, extra=("-X", "importtime"))
        result.notes.append("slowest imports: " + slowest_imports(traced.stderr))
        result.check("the main window opened in every run", True, f"{repeat} runs of each")
    except subprocess.CalledProcessError as error:
        result.check("the main window opened in every run", False, error.stderr.strip().splitlines()[-1])
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return result
