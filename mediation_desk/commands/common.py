"""What every command shares: exit statuses, the handler signature, the help layout, who is acting, opening the
desk."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from mediation_desk.domain.text import visible
from mediation_desk.services.datafolder import open_desk
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.textfiles import read_utf8
from mediation_desk.services.users import acting_user_at

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
PROG = "mediation-desk"

Handler = Callable[[argparse.Namespace, Path], int]
"""A command: its parsed arguments and the data folder in, the exit status out."""

Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
"""What ``add_subparsers`` returns: each command group adds its parsers to it."""


class Parser(argparse.ArgumentParser):
    """argparse's parser, with what it prints (usage errors quote the command line) escaped as ``out`` does: an
    argument holding ESC cannot act on the terminal. Subcommand parsers are of the same class."""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        super()._print_message(visible(message), file)


class Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32, width=110)


def non_negative(text: str) -> int:
    """An argument type: a whole number, zero or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数：{text}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"不能为负数：{text}")
    return value


def read_password(source: str) -> str:
    """The password in the file ``source`` (``-``: standard input), without one trailing line break."""
    text = sys.stdin.read() if source == "-" else read_utf8(Path(source), "密码文件")
    if text.endswith("\r\n"):
        return text[:-2]
    return text.removesuffix("\n")


@dataclass(frozen=True, slots=True)
class SignIn:
    """Who this run of the command line acts as: the global ``--user`` and ``--password-file``, and the actor
    once the desk in ``root`` has said who that is."""

    root: Path | None = None
    username: str | None = None
    password_file: str | None = None
    password: str | None = None  # read once: standard input can be read only once
    actor: Actor | None = None


_SIGN_IN: ContextVar[SignIn] = ContextVar("sign_in", default=SignIn())  # noqa: B039 - replaced, never mutated


def sign_in_as(root: Path, username: str | None, password_file: str | None) -> None:
    """Set who the command about to run acts as (``cli.run`` calls this before each command)."""
    _SIGN_IN.set(SignIn(root, username, password_file))


def sign_in_password() -> str | None:
    """The password given with ``--user`` (``None`` without one)."""
    state = _SIGN_IN.get()
    if state.password is None and state.password_file:
        state = replace(state, password=read_password(state.password_file))
        _SIGN_IN.set(state)
    return state.password


def actor() -> Actor:
    """Who is acting: signed in once per run against the desk (``services.users.acting_user_at``); the person at
    this computer when no data folder was set (a command run on its own, as in tests)."""
    state = _SIGN_IN.get()
    if state.actor is not None:
        return state.actor
    if state.root is None:
        return Actor.local_operator("cli")
    found = acting_user_at(state.root, state.username, sign_in_password())
    _SIGN_IN.set(replace(_SIGN_IN.get(), actor=found))
    return found


def signed_in_with(source: str) -> bool:
    """Whether ``--password-file`` already reads ``source`` (standard input can be read only once)."""
    return _SIGN_IN.get().password_file == source


def open_for_writing(root: Path) -> Desk:
    """The desk with the data-folder lock: a desk already open on the folder (the GUI) makes this fail."""
    return open_desk(root, actor(), lock=True)


def open_for_reading(root: Path) -> Desk:
    """The desk without the lock: reading works while the GUI has the folder open."""
    return open_desk(root, actor())
