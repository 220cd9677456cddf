"""The command line (DESIGN.md, Command line). It is a contract that scripts rely on:

- ``--data-dir DIR`` is global and comes before the command word; ``MEDIATION_DESK_DATA`` does the same; the
  default is the per-user folder from platformdirs.
- ``--user NAME --password-file FILE|-`` (global, before the command word too) acts as that desk account, signed
  in with its password (lock-out applies). Without them the command acts as the desk's administrator when run by
  the operating-system account that set the desk up, or as the desk's only account; a desk with several accounts
  run by another account refuses with a message asking for ``--user`` (``services.users.acting_user``).
- Exit status 0 on success, 1 on a user error with a one-line Chinese message on stderr (a ledger with several
  bad rows: the count on the first line, then one line per problem), 2 on wrong usage (argparse). No traceback
  for bad input (set ``MEDIATION_DESK_DEBUG=1`` to see one for an internal error).
- Commands that write take the data-folder lock, so a desk already open on the folder (the GUI) makes them exit 1
  with the lock message; commands that only read do not.
- Long runs show a progress bar on stderr when it is a terminal, nothing extra when piped.
- Identity numbers and phone numbers are masked in every output (331122********123X, 138****1234).

This module holds the entry (parsing, running a command, reporting errors) and assembles the parser from the
command groups in ``mediation_desk.commands``. ``mediation_desk.__main__`` parses through it and starts the GUI
itself for ``gui`` or no command: this module and ``commands`` never import the GUI, the store or SQLAlchemy.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from mediation_desk import __version__
from mediation_desk.commands import backup, cases, common, demo, documents, keys, ledger, setup, stats, sync, users
from mediation_desk.commands.common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    EXIT_USER_ERROR,
    PROG,
    Formatter,
    Handler,
    Parser,
    Subcommands,
)
from mediation_desk.commands.output import PRIVACY_NOTE, ProgressBar, err
from mediation_desk.domain.errors import DomainError
from mediation_desk.services.database_errors import database_error_detail
from mediation_desk.services.datafolder import default_data_dir, use_database_url
from mediation_desk.services.ledger import LedgerInvalid

__all__ = [
    "DEBUG_ENV",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "EXIT_USER_ERROR",
    "GUI_COMMAND",
    "PRIVACY_NOTE",
    "PROG",
    "Handler",
    "ProgressBar",
    "build_parser",
    "data_root",
    "exit_code",
    "guarded",
    "main",
    "parse",
    "report",
    "run",
    "wants_gui",
]

DEBUG_ENV = "MEDIATION_DESK_DEBUG"
GUI_COMMAND = "gui"

# in the order ``--help`` lists them, after ``gui``
_GROUPS = (setup, ledger, cases, stats, sync, documents, backup, keys, users, demo)


# ---------------------------------------------------------------------------------------------------------------
# The parser


def _top_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog=PROG,
        description="调解工作台（Mediation Desk）：人民调解委员会的案件管理。不带命令时启动图形界面。",
        epilog=(
            "退出状态：0 成功；1 用户错误（stderr 上一行中文说明）；2 用法错误。\n"
            "--data-dir、--user、--password-file 须写在命令之前；也可用环境变量 MEDIATION_DESK_DATA 指定数据文件夹。\n"
            "不带 --user 时以工作台的系统管理员身份操作（须是设立工作台的系统账户，或工作台只有一个用户）。\n"
            f"{PRIVACY_NOTE}"
        ),
        formatter_class=Formatter,
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="数据文件夹（默认：环境变量 MEDIATION_DESK_DATA，否则为本用户的应用数据文件夹）",
    )
    parser.add_argument("--user", metavar="NAME", help="以此用户身份操作（须同时给出 --password-file；连续输错将锁定）")
    parser.add_argument(
        "--password-file",
        dest="user_password_file",
        metavar="FILE",
        help="--user 的密码所在的文本文件（去掉末尾的一个换行）；“-”表示从标准输入读取",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="数据库在 PostgreSQL 服务器上（县、市汇总）：postgresql+psycopg://用户@主机:端口/数据库；"
        "也可用环境变量 MEDIATION_DESK_DATABASE_URL；init 时给出后，该数据文件夹记住它（不含密码）",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return parser


def _check_sign_in_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """``--user`` and ``--password-file`` go together (wrong usage otherwise: exit 2)."""
    if args.user is not None and args.user_password_file is None:
        parser.error("--user 须同时给出 --password-file FILE（或 - 表示标准输入）")
    if args.user_password_file is not None and args.user is None:
        parser.error("--password-file 须与 --user 一起使用")


def _add_gui_parser(commands: Subcommands) -> None:
    """``gui [--demo]``: parsed here, started by ``mediation_desk.__main__`` (it has no handler)."""
    gui = commands.add_parser(GUI_COMMAND, help="启动图形界面（默认）", formatter_class=Formatter)
    gui.add_argument("--demo", action="store_true", help="数据文件夹为空时直接建立演示数据")


def build_parser() -> argparse.ArgumentParser:
    parser = _top_parser()
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="命令")
    _add_gui_parser(commands)
    for group in _GROUPS:
        group.add_parsers(commands)
    return parser


# ---------------------------------------------------------------------------------------------------------------
# Errors


def report(error: DomainError) -> None:
    """A user error on stderr: one line, or the count and then one line per problem."""
    if isinstance(error, LedgerInvalid):
        err(f"错误：{error.message}：")
        for problem in error.errors:
            err(f"  {problem}")
        return
    lines = [line for line in error.message.splitlines() if line.strip()]
    if len(lines) <= 1:
        err(f"错误：{error.message.strip()}")
        return
    err(f"错误：共 {len(lines)} 处问题：")
    for line in lines:
        err(f"  {line}")


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def exit_code(code: object) -> int:
    """The exit status for argparse's ``SystemExit`` code (a message instead of a number: printed, 1)."""
    if code is None:
        return EXIT_OK
    if isinstance(code, int):
        return code
    err(str(code))
    return EXIT_USER_ERROR


def _internal_error(error: Exception) -> None:
    detail = database_error_detail(error)
    if detail is not None:
        err(f"错误：数据库出错（{detail}）；本次操作未完成")
    else:  # an internal error: one line, no personal data, no traceback unless asked
        err(f"错误：内部错误（{type(error).__name__}）；设置环境变量 {DEBUG_ENV}=1 可查看详情")


def guarded(action: Callable[[], int]) -> int:
    """Run ``action`` and return its exit status; any failure becomes one line on stderr and status 1."""
    try:
        return action()
    except DomainError as error:
        report(error)
    except KeyboardInterrupt:
        err("已取消")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (| head): stop quietly, as Python's documentation advises
        _silence_stdout()
    except OSError as error:
        if os.environ.get(DEBUG_ENV):
            raise
        where = f"{error.filename}：" if error.filename else ""
        err(f"错误：{where}{error.strerror or error}")
    except Exception as error:
        if os.environ.get(DEBUG_ENV):
            raise
        _internal_error(error)
    return EXIT_USER_ERROR


# ---------------------------------------------------------------------------------------------------------------
# Entry points


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace | int:
    """The parsed arguments, or the exit status when parsing ended the run (``--help``, ``--version``: 0; wrong
    usage: 2)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        _check_sign_in_options(parser, args)
        return args
    except SystemExit as exit_:
        return exit_code(exit_.code)


def wants_gui(args: argparse.Namespace) -> bool:
    """No command word, or ``gui``: the GUI, which ``mediation_desk.__main__`` starts."""
    return args.command in (None, GUI_COMMAND)


def data_root(args: argparse.Namespace) -> Path:
    """The data folder: ``--data-dir``, else ``MEDIATION_DESK_DATA``, else the per-user folder."""
    return Path(args.data_dir or default_data_dir()).expanduser()


def run(args: argparse.Namespace) -> int:
    """Run the command that ``args`` names (not ``gui``); return its exit status."""
    root = data_root(args)
    handler: Handler = args.handler
    common.sign_in_as(root, getattr(args, "user", None), getattr(args, "user_password_file", None))

    def signed_in() -> int:
        use_database_url(getattr(args, "database_url", None))
        common.actor()  # who is acting, checked before the command does anything (lock-out applies)
        return handler(args, root)

    return guarded(signed_in)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit status (0 ok, 1 user error, 2 wrong usage).

    The GUI is not started from here: ``mediation-desk`` (``mediation_desk.__main__``) starts it.
    """
    args = parse(argv)
    if isinstance(args, int):
        return args
    if wants_gui(args):
        err(f"错误：命令行不启动图形界面；请运行 {PROG} 或 {PROG} {GUI_COMMAND}")
        return EXIT_USAGE
    return run(args)
