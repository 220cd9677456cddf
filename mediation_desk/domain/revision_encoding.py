"""The bytes a revision's origin signs (SYNC.md "Revisions and merge"): one encoding for every desk.

A revision is signed over a domain-separated prefix followed by the canonical JSON of its body: the origin device
and its sequence number, the table and record, the version vector, the clock tick, the deleted flag and the full
row. The prefix makes a revision's signature useless as the signature of anything else (a manifest, a key file,
a certificate or a receipt, each with its own prefix). The store (which keeps revisions) and the sync files
(which carry them) both build these bytes here, so a signature made on one desk verifies on every other.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from mediation_desk.domain import canonical
from mediation_desk.domain.canonical import JSONValue

REVISION_DOMAIN = b"mediation-desk/revision/v1\n"
BODY_FIELDS = ("data", "deleted", "hlc", "origin_device", "origin_seq", "record_id", "table", "vv")


def revision_body(
    *,
    origin_device: uuid.UUID | str,
    origin_seq: int,
    table: str,
    record_id: uuid.UUID | str,
    vv: Mapping[str, int],
    hlc: int,
    deleted: bool,
    data: Mapping[str, JSONValue],
) -> dict[str, JSONValue]:
    """A revision's signed fields as plain JSON values, in the layout every desk signs."""
    return {
        "origin_device": str(origin_device),
        "origin_seq": origin_seq,
        "table": table,
        "record_id": str(record_id),
        "vv": dict(vv),
        "hlc": hlc,
        "deleted": deleted,
        "data": dict(data),
    }


def signing_bytes(body: Mapping[str, JSONValue]) -> bytes:
    """The domain-separated canonical bytes of a revision body (``revision_body``): what its origin signs."""
    return REVISION_DOMAIN + canonical.canonical_bytes(dict(body))
