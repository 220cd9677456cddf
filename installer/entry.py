"""The frozen program's entry point.

``mediation-desk`` runs the command line, or the GUI without a command word, like the wheel's console script;
``mediation-desk-gui`` (built on Windows as a windowed program, for the shortcuts) starts the GUI only, like the
wheel's GUI script. Both executables run this script; the name they were started as chooses.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mediation_desk.__main__ import gui_main, main

if __name__ == "__main__":
    entry = gui_main if Path(sys.executable).stem.endswith("-gui") else main
    sys.exit(entry())
