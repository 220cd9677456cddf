"""``python -m mediation_desk``, ``mediation-desk`` and ``mediation-desk-gui``.

Nothing here imports Qt: the command line runs without it, and the GUI is imported only when it starts.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence


def _plain_streams() -> None:
    """UTF-8 when piped (scripts read the output as UTF-8 whatever the locale); never fail on an odd character."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            if stream.isatty():
                stream.reconfigure(errors="replace")
            else:
                stream.reconfigure(encoding="utf-8", errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; with no command (or ``gui``) it starts the GUI."""
    _plain_streams()
    from mediation_desk.cli import main as cli_main

    return cli_main(argv)


def gui_main(argv: Sequence[str] | None = None) -> int:
    """The GUI entry point (a windowed program on Windows)."""
    from mediation_desk.cli import gui_main as run_gui

    return run_gui(argv)


if __name__ == "__main__":
    sys.exit(main())
