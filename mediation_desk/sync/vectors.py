"""Version vectors (SYNC.md "Revisions and merge"): which revision of a record has seen which.

A revision's vector maps each device that has written the record to the sequence number of that device's latest
revision of it the writer had seen; the writer's own entry is the revision's own sequence number. A device
absent from a vector counts as 0. Vector ``a`` *descends from* ``b`` when no entry of ``a`` is smaller than
``b``'s; it *dominates* ``b`` when it descends from it and differs. Two vectors neither of which descends from
the other are *concurrent*: their revisions were made without knowledge of each other, which is what a conflict
is. Clocks play no part here, so a laptop set to 2001 or 2035 changes nothing that these functions decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

Vector = Mapping[str, int]


class Order(StrEnum):
    """How two vectors relate."""

    EQUAL = "equal"
    BEFORE = "before"  # the first is an ancestor of the second
    AFTER = "after"  # the first dominates the second
    CONCURRENT = "concurrent"


def _ahead(a: Vector, b: Vector) -> bool:
    """Has ``a`` seen something that ``b`` has not?"""
    return any(seq > b.get(device, 0) for device, seq in a.items())


def compare(a: Vector, b: Vector) -> Order:
    a_ahead, b_ahead = _ahead(a, b), _ahead(b, a)
    if a_ahead and b_ahead:
        return Order.CONCURRENT
    if a_ahead:
        return Order.AFTER
    if b_ahead:
        return Order.BEFORE
    return Order.EQUAL


def descends(a: Vector, b: Vector) -> bool:
    """``a`` has seen everything ``b`` has (equal vectors descend from each other)."""
    return not _ahead(b, a)


def dominates(a: Vector, b: Vector) -> bool:
    """``a`` has seen everything ``b`` has, and more."""
    return not _ahead(b, a) and _ahead(a, b)


def concurrent(a: Vector, b: Vector) -> bool:
    return _ahead(a, b) and _ahead(b, a)


def join(vectors: Iterable[Vector]) -> dict[str, int]:
    """The least vector that descends from all of ``vectors``: each device's highest entry."""
    joined: dict[str, int] = {}
    for vector in vectors:
        for device, seq in vector.items():
            if seq > joined.get(device, 0):
                joined[device] = seq
    return dict(sorted(joined.items()))


def meet(vectors: Iterable[Vector]) -> dict[str, int]:
    """The greatest vector that all of ``vectors`` descend from: each device's lowest entry (0 entries dropped)."""
    met: dict[str, int] | None = None
    for vector in vectors:
        if met is None:
            met = {device: seq for device, seq in vector.items() if seq > 0}
        else:
            met = {device: min(seq, vector.get(device, 0)) for device, seq in met.items() if vector.get(device, 0) > 0}
    return dict(sorted((met or {}).items()))
