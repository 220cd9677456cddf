"""The frozen program's entry point.

``mediation-desk`` runs the command line, or the GUI without a command word, like the wheel's console script;
``mediation-desk-gui`` (built on Windows as a windowed program, for the shortcuts) starts the GUI only, like the
wheel's GUI script. Both executables run this script; the name they were started as chooses.

Before anything else: ``multiprocessing.freeze_support()`` (a child process that ``multiprocessing`` starts is
this executable again, and must run its task, not the program), then the signature-checking helpers of a sync
import (``sync.verifying``), which are this executable started with ``verify_worker.WORKER_FLAG``: they check
signatures and import nothing else.
"""

from __future__ import annotations

import multiprocessing
import sys


def run() -> int:
    multiprocessing.freeze_support()
    from mediation_desk.sync.verify_worker import WORKER_FLAG

    if sys.argv[1:2] == [WORKER_FLAG]:
        from mediation_desk.sync.verify_worker import main as worker

        return worker()
    from pathlib import Path

    from mediation_desk.__main__ import gui_main, main

    entry = gui_main if Path(sys.executable).stem.endswith("-gui") else main
    return entry()


if __name__ == "__main__":
    sys.exit(run())
