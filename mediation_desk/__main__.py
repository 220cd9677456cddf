"""``python -m mediation_desk``, ``mediation-desk`` and ``mediation-desk-gui``: the GUI or the command line.

No command word, or ``gui [--demo]`` (after the global options such as ``--data-dir DIR``), starts the GUI; any
other command runs the command line (``mediation_desk.cli``). The GUI, and with it Qt, is imported only when it
starts, so the command line runs without Qt; and a plain start of the GUI does not import the command line (its
parser imports every command and, through them, the whole store), so the first window comes up sooner.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from mediation_desk import __version__
from mediation_desk.domain.errors import DomainError

PROG = "mediation-desk"
GUI_COMMAND = "gui"


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
        raise DomainError(f"无法启动图形界面（{error}）；命令行功能不受影响，见 {PROG} --help") from None
    return int(app.run(root, demo=demo))


def _plain_gui_start(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments when they only start the GUI (``[--data-dir DIR] [--database-url URL] [gui [--demo]]``);
    ``None`` for anything else (a command, ``--help``, ``--version``, a mistake), which the command line parses."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--database-url")
    try:
        args, rest = parser.parse_known_args(argv)
    except SystemExit:
        return None
    if rest in ([], [GUI_COMMAND]):
        args.demo = False
    elif rest == [GUI_COMMAND, "--demo"]:
        args.demo = True
    else:
        return None
    return args


def _start_plain_gui(args: argparse.Namespace) -> int:
    from mediation_desk.store.datadir import default_data_dir, use_database_url

    try:
        use_database_url(args.database_url)
        return start_gui(Path(args.data_dir or default_data_dir()).expanduser(), demo=args.demo)
    except DomainError as error:
        from mediation_desk import cli

        cli.report(error)
        return cli.EXIT_USER_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; with no command (or ``gui``) it starts the GUI."""
    _plain_streams()
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments == ["--version"]:  # what installers and scripts ask first: no need for the command line's parser
        print(f"{PROG} {__version__}")
        return 0
    plain = _plain_gui_start(arguments)
    if plain is not None:
        return _start_plain_gui(plain)
    from mediation_desk import cli

    args = cli.parse(argv)
    if isinstance(args, int):  # --help, --version, wrong usage
        return args
    if not cli.wants_gui(args):
        return cli.run(args)
    root = cli.data_root(args)
    demo = bool(getattr(args, "demo", False))
    return cli.guarded(lambda: start_gui(root, demo=demo))


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"{PROG}-gui", description="调解工作台（图形界面）")
    parser.add_argument("--data-dir", type=Path, metavar="DIR", help="数据文件夹")
    parser.add_argument("--demo", action="store_true", help="数据文件夹为空时直接建立演示数据")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
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
        return 0 if exit_.code in (0, None) else 2
    args.database_url = None
    return _start_plain_gui(args)


if __name__ == "__main__":
    sys.exit(main())
