"""Printing for the commands: stdout and stderr, JSON, tables aligned for CJK text, dates, the progress bar.

Identity numbers and phone numbers are masked in every output (331122********123X, 138****1234). Every text goes
through ``out`` or ``err``, which show control characters as escapes (ESC as ``\\x1b``, see
``domain.text.visible``): a name stored before the input checks, or typed on the command line, cannot set the
terminal's title or clear its screen. JSON escapes them as ``\\u001b`` and keeps the same value.
"""

from __future__ import annotations

import json
import sys
import time
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, TextIO

from mediation_desk.domain.text import json_visible, visible

PRIVACY_NOTE = "输出中的身份证号码和电话号码一律遮挡显示（如 331122********123X、138****1234），JSON 输出也是如此。"


def out(text: str = "") -> None:
    """A line (or lines) on stdout, control characters shown as escapes."""
    print(visible(text), file=sys.stdout)


def err(text: str) -> None:
    """A line (or lines) on stderr, control characters shown as escapes."""
    print(visible(text), file=sys.stderr)


def json_text(value: Any) -> str:
    """``value`` as indented JSON, every control, bidirectional and invalid character as a ``\\u`` escape."""
    return json_visible(json.dumps(value, ensure_ascii=False, indent=2))


def print_json(value: Any) -> None:
    out(json_text(value))


def print_lines(lines: Sequence[str]) -> None:
    for line in lines:
        out(line)


def width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Columns aligned for a terminal, counting CJK characters as two columns; a cell stays on one line (a line
    break or tab in it is shown as an escape)."""
    rows = [[visible(cell, line_breaks=False) for cell in row] for row in rows]
    widths = [width(header) for header in headers]
    for row in rows:
        widths = [max(column, width(cell)) for column, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = [cell + " " * (column - width(cell)) for cell, column in zip(cells, widths, strict=True)]
        return "  ".join(padded).rstrip()

    return [line(headers), *(line(row) for row in rows)]


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def local(when: datetime | date) -> str:
    """A time in local time to the minute; a date as it is."""
    if isinstance(when, datetime):
        return when.astimezone().strftime("%Y-%m-%d %H:%M")
    return when.isoformat()


class ProgressBar:
    """A progress bar on stderr, drawn only when stderr is a terminal; at most ten redraws a second."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        try:
            self.enabled = self.stream.isatty()
        except (AttributeError, ValueError):
            self.enabled = False
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        fraction = min(max(done / total, 0.0), 1.0)
        filled = int(fraction * 30)
        bar = "█" * filled + "░" * (30 - filled)
        self.stream.write(f"\r{self.label} {bar} {fraction:4.0%} {done}/{total}")
        self.stream.flush()
        self._drawn = True

    def finish(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
