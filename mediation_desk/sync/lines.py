"""Revisions as the lines of ``revisions-NNNN.jsonl``: signed, written canonically, read back strictly.

One line is the canonical JSON of a revision's body (``domain.revision_encoding.revision_body``) with its origin's
signature added as ``signature`` (base64). A line is accepted only when it is exactly canonical (which also means
NFC text, sorted keys and no spaces), has exactly the fields of a revision with the right types, names a table
the reader knows (and only its columns), is a tombstone without data or a row whose ``id`` is the record's, has
its own device's entry in its version vector equal to its sequence number, and carries a valid signature of a
device this file may speak for.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from mediation_desk.domain import canonical
from mediation_desk.domain.canonical import JSONValue
from mediation_desk.domain.revision_encoding import revision_body, signing_bytes
from mediation_desk.sync import strictjson
from mediation_desk.sync.errors import BadRevision, BadSignature, UnknownDevice
from mediation_desk.sync.keys import REVISION_DOMAIN, SIGNATURE_BYTES, SigningKey, verify
from mediation_desk.sync.schema import TABLE_NAME, Fields, b64
from mediation_desk.sync.trust import FileTrust, TrustedDevice

LINE_FIELDS = frozenset(
    ("data", "deleted", "hlc", "origin_device", "origin_seq", "record_id", "signature", "table", "vv")
)
MAX_VECTOR = 10_000
TableColumns = Mapping[str, Collection[str]]


@dataclass(frozen=True, slots=True)
class SignedRevision:
    """A revision with its origin's signature, as it travels between desks."""

    origin_device: uuid.UUID
    origin_seq: int
    table: str
    record_id: uuid.UUID
    vv: Mapping[str, int]
    hlc: int
    deleted: bool
    data: Mapping[str, JSONValue]
    signature: bytes
    # the canonical texts of ``vv`` and ``data`` as read from a line (cut from it, not written again)
    read_vv: str | None = field(default=None, compare=False, repr=False)
    read_data: str | None = field(default=None, compare=False, repr=False)

    def body(self) -> dict[str, JSONValue]:
        return revision_body(
            origin_device=self.origin_device,
            origin_seq=self.origin_seq,
            table=self.table,
            record_id=self.record_id,
            vv=self.vv,
            hlc=self.hlc,
            deleted=self.deleted,
            data=self.data,
        )

    def signed_bytes(self) -> bytes:
        return signing_bytes(self.body())

    def line(self) -> bytes:
        """The canonical JSON line (without its newline)."""
        return canonical.canonical_bytes({**self.body(), "signature": b64(self.signature)})

    @property
    def vv_text(self) -> str:
        return self.read_vv if self.read_vv is not None else canonical.dumps(dict(self.vv))

    @property
    def data_text(self) -> str:
        return self.read_data if self.read_data is not None else canonical.dumps(dict(self.data))


def sign_revision(
    signer: SigningKey,
    *,
    origin_device: uuid.UUID,
    origin_seq: int,
    table: str,
    record_id: uuid.UUID,
    vv: Mapping[str, int],
    hlc: int,
    deleted: bool,
    data: Mapping[str, Any],
) -> SignedRevision:
    """This device's revision, signed (``data`` is made canonical first: NFC text, plain JSON values)."""
    plain_data = canonical.plain(dict(data))
    assert isinstance(plain_data, dict)
    unsigned = SignedRevision(origin_device, origin_seq, table, record_id, dict(vv), hlc, deleted, plain_data, b"")
    signature = signer.sign(REVISION_DOMAIN, canonical.canonical_bytes(unsigned.body()))
    return SignedRevision(origin_device, origin_seq, table, record_id, dict(vv), hlc, deleted, plain_data, signature)


def from_stored(
    *,
    origin_device: uuid.UUID,
    origin_seq: int,
    table: str,
    record_id: uuid.UUID,
    vv_text: str,
    hlc: int,
    deleted: bool,
    data_text: str,
    signature: bytes,
) -> SignedRevision:
    """A revision as the store keeps it (vector and row as canonical JSON text) with its signature."""
    vv = strictjson.loads(vv_text.encode("utf-8"), what="版本向量")
    data = strictjson.loads(data_text.encode("utf-8"), what="修订数据")
    if not isinstance(vv, dict) or not isinstance(data, dict):
        raise ValueError("a stored revision's vector and data are JSON objects")
    vector = {str(device): int(seq) for device, seq in vv.items() if isinstance(seq, int)}
    return SignedRevision(origin_device, origin_seq, table, record_id, vector, hlc, deleted, data, signature)


def parse_line(
    raw: bytes, *, member: str, line: int, tables: TableColumns | None, max_depth: int
) -> tuple[SignedRevision, bytes]:
    """The revision on one line, checked field by field (not yet its signature), and the bytes it signs."""
    value = strictjson.loads_canonical(raw, what="修订记录", max_depth=max_depth, member=member, line=line)
    fields = Fields(value, what="修订记录", error=BadRevision, keys=LINE_FIELDS, member=member, line=line)
    origin = _origin(fields)
    seq = fields.integer("origin_seq", 1)
    table = fields.text("table", TABLE_NAME)
    record_id = fields.uuid("record_id")
    deleted = fields.boolean("deleted")
    data = fields.mapping("data")
    vv = _vector(fields, origin, seq)
    if tables is not None and table not in tables:
        fields.fail(f"未知的表 {table}（可能来自更新版本的程序）", "table")
    if deleted and data:
        fields.fail("删除记录（墓碑）不应带有数据", "data")
    if not deleted:
        if data.get("id") != fields.raw("record_id"):  # the UUID's canonical text (as ``fields.uuid`` checked)
            fields.fail("数据中的 id 与 record_id 不一致", "data")
        if tables is not None:
            unknown = sorted(set(data) - set(tables[table]))
            if unknown:
                fields.fail(f"表 {table} 没有字段 {', '.join(name[:40] for name in unknown[:5])}", "data")
    revision = SignedRevision(
        origin,
        seq,
        table,
        record_id,
        vv,
        fields.integer("hlc"),
        deleted,
        data,
        fields.base64("signature", SIGNATURE_BYTES),
        *_texts(raw),
    )
    return revision, _body_bytes(raw)


_ORIGINS: dict[str, uuid.UUID] = {}  # the devices of the lines read, by their text (a few write thousands each)


def _origin(fields: Fields) -> uuid.UUID:
    """The line's ``origin_device`` (``fields.uuid``, its text parsed once per device)."""
    text = fields.raw("origin_device")
    found = _ORIGINS.get(text) if isinstance(text, str) else None
    if found is None:
        found = fields.uuid("origin_device")
        if len(_ORIGINS) >= 10_000:
            _ORIGINS.clear()
        _ORIGINS[str(text)] = found
    return found


_DATA_START = len(b'{"data":')
_DELETED_FIELD = b',"deleted":'
_VV_FIELD = b',"vv":'


def _texts(raw: bytes) -> tuple[str, str]:
    """The canonical texts of a canonical line's ``vv`` and ``data``: ``data`` is its first field and ``deleted``
    follows it, ``vv`` is its last; the fields after ``data`` hold no text that could contain those fields' names
    (as for ``_body_bytes``), so their last occurrences are the fields themselves."""
    data = raw[_DATA_START : raw.rfind(_DELETED_FIELD)]
    vv = raw[raw.rfind(_VV_FIELD) + len(_VV_FIELD) : -1]
    return vv.decode("utf-8"), data.decode("utf-8")


_SIGNATURE_FIELD = b',"signature":"'
_SIGNATURE_TEXT = 88  # 64 bytes in padded base64


def _body_bytes(raw: bytes) -> bytes:
    """The signed bytes of a canonical line: the line without its ``signature`` field, after the domain prefix.

    In canonical order the signature comes after ``record_id`` and before ``table`` and ``vv``, whose values (a
    table name, UUIDs and integers) cannot contain the field's text: its last occurrence is the field itself.
    """
    start = raw.rfind(_SIGNATURE_FIELD)
    end = start + len(_SIGNATURE_FIELD) + _SIGNATURE_TEXT + 1
    return REVISION_DOMAIN + raw[:start] + raw[end:]


def _vector(fields: Fields, origin: uuid.UUID, seq: int) -> dict[str, int]:
    vv = fields.mapping("vv")
    if not vv or len(vv) > MAX_VECTOR:
        fields.fail(f"应有 1 到 {MAX_VECTOR} 项", "vv")
    for device, number in vv.items():
        fields.check_uuid(device, "vv")
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            fields.fail("序号应为正整数", "vv")
    if vv.get(str(origin)) != seq:
        fields.fail("来源设备在版本向量中的序号应等于 origin_seq", "vv")
    return vv  # type: ignore[return-value]


def known_origin(revision: SignedRevision, trust: FileTrust, *, member: str, line: int) -> TrustedDevice:
    """The device ``revision`` says made it, if this file may speak for it (its signature not yet checked)."""
    origin = trust.by_device(revision.origin_device)
    if origin is None:
        raise UnknownDevice(
            f"修订记录（{member} 第 {line} 行）来自未受信任的设备 {revision.origin_device}："
            "既不是本工作台信任的设备，也没有受信任乡镇签发的证书",
            member=member,
            line=line,
        )
    return origin


def bad_signature(origin: TrustedDevice, *, member: str, line: int) -> BadSignature:
    return BadSignature(
        f"修订记录（{member} 第 {line} 行）的签名无效：它不是{origin.key.org_name}的设备签发的，或已被改动",
        member=member,
        line=line,
    )


def check_signature(
    revision: SignedRevision, signed: bytes, trust: FileTrust, *, member: str, line: int
) -> TrustedDevice:
    """The device that made ``revision``, once its signature over ``signed`` is verified."""
    origin = known_origin(revision, trust, member=member, line=line)
    if not verify(origin.key.signing_key, b"", signed, revision.signature):
        raise bad_signature(origin, member=member, line=line)
    return origin
