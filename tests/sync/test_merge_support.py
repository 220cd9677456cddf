"""Builders shared by the merge tests: synthetic devices, one synthetic record, revisions made the way a desk makes
them (a device's new revision joins the vector of the revision it was made on and adds its own number)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from mediation_desk.domain import hlc as clock
from mediation_desk.domain.canonical import JSONValue
from mediation_desk.sync import vectors
from mediation_desk.sync.merge import Revision, RevisionKey

A = "dev-a"
B = "dev-b"
C = "dev-c"
TABLE = "dispute_case"
RECORD = "0a000000-0000-4000-8000-000000000001"
BASE_ROW: dict[str, JSONValue] = {
    "id": RECORD,
    "facts": "邻里排水沟纠纷",
    "place": "东村",
    "amount": 0,
    "status": "accepted",
}


def at(year: int, month: int = 1, day: int = 1) -> int:
    """A clock reading at midnight UTC of the given day."""
    return clock.tick(0, datetime(year, month, day, tzinfo=UTC))


def rev(
    device: str,
    seq: int,
    *parents: Revision,
    hlc: int | None = None,
    deleted: bool = False,
    **changes: JSONValue,
) -> Revision:
    """Revision ``seq`` of ``device``, made on ``parents`` (the first gives the row), with ``changes`` applied."""
    vector = vectors.join([*(parent.vv for parent in parents), {device: seq}])
    start = parents[0].data if parents else BASE_ROW
    data: dict[str, JSONValue] = {} if deleted else {**start, **changes}
    stamp = at(2024) + seq if hlc is None else hlc
    return Revision(device, seq, TABLE, RECORD, vector, stamp, deleted, data)


def keys(revisions: Iterable[Revision]) -> list[RevisionKey]:
    return [revision.key for revision in revisions]
