"""``python -m mediation_desk``, ``mediation-desk`` and ``mediation-desk-gui``: the GUI or the command line.

No command word, or ``gui [--demo]`` (after the global options such as ``--data-dir DIR``), starts the GUI; any
other command runs the command line (``mediation_desk.cli``), which parses the arguments for both. The GUI, and
with it Qt, is imported only when it starts, so the command line runs without Qt.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from mediation_desk import __version__, cli
from mediation_desk.domain.errors import DomainError


def _plain_streams() -> None:
    """UTF-8 when piped (scripts read the output as UTF-8 whatever the locale); never fail on an odd character."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            if stream.isatty():
                stream.reconfigure(errors="replace")
            else:
                stream.reconfigure(encoding="utf-8", errors="replace")


def start_gui(root: Path, *, demo: bool = False) -> int:
    """Start the GUI on the data folder ``root``; return its exit code. Without Qt: a ``DomainError`` saying so."""
    try:
        from mediation_desk.ui import app
    except ImportError as error:
        raise DomainError(f"无法启动图形界面（{error}）；命令行功能不受影响，见 {cli.PROG} --help") from None
    return int(app.run(root, demo=demo))


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; with no command (or ``gui``) it starts the GUI."""
    _plain_streams()
    args = cli.parse(argv)
    if isinstance(args, int):  # --help, --version, wrong usage
        return args
    if not cli.wants_gui(args):
        return cli.run(args)
    root = cli.data_root(args)
    demo = bool(getattr(args, "demo", False))
    return cli.guarded(lambda: start_gui(root, demo=demo))


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"{cli.PROG}-gui", description="调解工作台（图形界面）")
    parser.add_argument("--data-dir", type=Path, metavar="DIR", help="数据文件夹")
    parser.add_argument("--demo", action="store_true", help="数据文件夹为空时直接建立演示数据")
    parser.add_argument("--version", action="version", version=f"{cli.PROG} {__version__}")
    return parser


def gui_main(argv: Sequence[str] | None = None) -> int:
    """The ``mediation-desk-gui`` entry point (a windowed program on Windows): the GUI only, with ``--data-dir``
    and ``--demo``; other arguments are left to Qt."""
    if sys.stdout is None or sys.stderr is None:  # a windowed program has no console streams
        devnull = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
        sys.stdout = sys.stdout or devnull
        sys.stderr = sys.stderr or devnull
    try:
        args, _qt_arguments = _gui_parser().parse_known_args(argv)
    except SystemExit as exit_:
        return cli.exit_code(exit_.code)
    root = cli.data_root(args)
    try:
        return start_gui(root, demo=args.demo)
    except DomainError as error:
        cli.report(error)
        return cli.EXIT_USER_ERROR


if __name__ == "__main__":
    sys.exit(main())
