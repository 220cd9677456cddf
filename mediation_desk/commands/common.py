"""What every command shares: exit statuses, the handler signature, the help layout, opening the desk."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TypeAlias

from mediation_desk.services.datafolder import open_desk
from mediation_desk.services.desk import Actor, Desk

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
PROG = "mediation-desk"

Handler = Callable[[argparse.Namespace, Path], int]
"""A command: its parsed arguments and the data folder in, the exit status out."""

Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
"""What ``add_subparsers`` returns: each command group adds its parsers to it."""


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


def actor() -> Actor:
    return Actor.local_operator("cli")


def open_for_writing(root: Path) -> Desk:
    """The desk with the data-folder lock: a desk already open on the folder (the GUI) makes this fail."""
    return open_desk(root, actor(), lock=True)


def open_for_reading(root: Path) -> Desk:
    """The desk without the lock: reading works while the GUI has the folder open."""
    return open_desk(root, actor())
