"""Sequence gaps per origin device (SYNC.md "Gaps"), the way Anki keeps watermarks.

A device numbers its revisions 1, 2, 3 …, so a desk that should hold a device's whole log can see what is missing:
revision 58 before 57 is a gap until 57 arrives. A gap is a report, never a conflict: which revisions of a record
are leaves depends only on version vectors, and 58 that descends from 57 dominates whatever 57 dominates.

The caller decides whose logs it should hold whole (a township holds all of its villages' revisions, a village
only the part of its township's log that concerns it) and may say up to which number it expects a device's log
(``expected``, from a sender's manifest or receipts), so that a lost last file is a gap too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True, order=True)
class Gap:
    """Revisions ``first`` to ``last`` (inclusive) of ``device`` not held."""

    device: str
    first: int
    last: int
    code: ClassVar[str] = "sequence_gap"

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    @property
    def message(self) -> str:
        if self.first == self.last:
            return f"设备 {self.device} 的第 {self.first} 号修订尚未收到"
        return f"设备 {self.device} 的第 {self.first}–{self.last} 号修订（共 {self.count} 条）尚未收到"


def _by_device(keys: Iterable[tuple[str, int]]) -> dict[str, list[int]]:
    held: dict[str, set[int]] = {}
    for device, seq in keys:
        held.setdefault(device, set()).add(seq)
    return {device: sorted(seqs) for device, seqs in sorted(held.items())}


def gaps(keys: Iterable[tuple[str, int]], expected: Mapping[str, int] | None = None) -> tuple[Gap, ...]:
    """The runs of sequence numbers missing below each device's highest held (or ``expected``) number."""
    held = _by_device(keys)
    found: list[Gap] = []
    for device in sorted(held.keys() | (expected or {}).keys()):
        seqs = held.get(device, [])
        previous = 0
        for seq in seqs:
            if seq > previous + 1:
                found.append(Gap(device, previous + 1, seq - 1))
            previous = seq
        until = (expected or {}).get(device, 0)
        if until > previous:
            found.append(Gap(device, previous + 1, until))
    return tuple(found)


def watermarks(keys: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Per device, the highest ``n`` such that revisions 1 … ``n`` are all held (0 when the first is missing)."""
    marks: dict[str, int] = {}
    for device, seqs in _by_device(keys).items():
        mark = 0
        for seq in seqs:
            if seq != mark + 1:
                break
            mark = seq
        marks[device] = mark
    return marks
