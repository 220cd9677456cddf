"""``manifest.json``: what a sync file is, who made it for whom, and the size and hash of every other member.

The manifest is signed (``manifest.sig``, Ed25519 over ``MANIFEST_DOMAIN`` and the manifest's exact bytes), so
everything it says, including each member's SHA-256, is the sender's word. It is canonical JSON, like every
other document in a sync file, and read strictly. Its versions say who can read it:
``format_version`` is the layout it was written in, ``min_reader_version`` the oldest reader that understands it
(a newer layout that older readers can still read keeps this at 1, and may add fields they ignore);
``schema_version`` is the database schema of the rows inside: a newer one asks for an upgrade, an older one is
the caller's to convert.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from mediation_desk.domain import canonical
from mediation_desk.domain.canonical import JSONValue
from mediation_desk.sync import strictjson
from mediation_desk.sync.archive import MANIFEST, MEMBER_NAME, SIGNATURE, MemberDigest
from mediation_desk.sync.envelope import KINDS
from mediation_desk.sync.errors import BadManifest, FormatTooNew, SchemaTooNew, UnknownFormat
from mediation_desk.sync.schema import ORG_CODE, SHA256_HEX, TABLE_NAME, Fields

FORMAT = "mediation-desk-sync"
FORMAT_VERSION = 1
READER_VERSION = 1  # the newest min_reader_version this program reads
_KEYS = (
    "format",
    "format_version",
    "min_reader_version",
    "schema_version",
    "app_version",
    "file_id",
    "created",
    "sender",
    "recipient",
    "kind",
    "scope",
    "counts",
    "members",
)
MAX_SCOPE = 100_000
_WHAT = "同步文件的清单"


@dataclass(frozen=True, slots=True)
class Counts:
    revisions: int = 0
    certificates: int = 0
    receipts: int = 0
    tables: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Manifest:
    file_id: uuid.UUID
    kind: str
    schema_version: int
    app_version: str
    created_hlc: int
    created_wall: datetime
    sender_org: str
    sender_device: uuid.UUID
    sender_fingerprint: str
    recipient_org: str
    recipient_fingerprint: str
    scope: tuple[str, ...]
    counts: Counts
    members: tuple[MemberDigest, ...]
    format_version: int = FORMAT_VERSION
    min_reader_version: int = 1

    def to_json(self) -> dict[str, JSONValue]:
        counts = self.counts
        return {
            "format": FORMAT,
            "format_version": self.format_version,
            "min_reader_version": self.min_reader_version,
            "schema_version": self.schema_version,
            "app_version": self.app_version,
            "file_id": str(self.file_id),
            "created": {"hlc": self.created_hlc, "wall": canonical.datetime_text(self.created_wall)},
            "sender": {
                "org": self.sender_org,
                "device": str(self.sender_device),
                "key_fingerprint": self.sender_fingerprint,
            },
            "recipient": {"org": self.recipient_org, "key_fingerprint": self.recipient_fingerprint},
            "kind": self.kind,
            "scope": {"orgs": list(self.scope)},
            "counts": {
                "revisions": counts.revisions,
                "certificates": counts.certificates,
                "receipts": counts.receipts,
                "tables": dict(counts.tables),
            },
            "members": [
                {"name": item.name, "size": item.size, "sha256": item.sha256, "lines": item.lines}
                for item in self.members
            ],
        }

    def to_bytes(self) -> bytes:
        return canonical.canonical_bytes(self.to_json())

    def member(self, name: str) -> MemberDigest | None:
        return next((item for item in self.members if item.name == name), None)


def read_manifest(data: bytes, *, schema_version: int, max_depth: int, max_members: int) -> Manifest:
    """The manifest in ``data`` (already verified as signed), refused when unreadable by this program."""
    value = strictjson.loads_canonical(data, what=_WHAT, max_depth=max_depth, member=MANIFEST)
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise UnknownFormat("文件内容不是调解工作台的同步数据（未知格式）", member=MANIFEST)
    version, reader = value.get("format_version"), value.get("min_reader_version")
    if not _positive(version) or not _positive(reader) or reader > version:  # type: ignore[operator]
        raise BadManifest("同步文件的格式版本号不合格", member=MANIFEST)
    assert isinstance(version, int)
    assert isinstance(reader, int)
    if reader > READER_VERSION:
        raise FormatTooNew(
            f"此同步文件由更新版本的调解工作台写出（格式版本 {version}，本程序只能读到 {READER_VERSION}）；"
            "请先升级调解工作台再导入",
            member=MANIFEST,
        )
    fields = Fields(
        value, what=_WHAT, error=BadManifest, keys=_KEYS, extra_allowed=version > FORMAT_VERSION, member=MANIFEST
    )
    schema = fields.integer("schema_version", 1)
    if schema > schema_version:
        raise SchemaTooNew(
            f"此同步文件的数据库结构版本（{schema}）比本程序的（{schema_version}）新；请先升级调解工作台再导入",
            member=MANIFEST,
        )
    return _manifest(fields, version, reader, schema, max_members)


def _positive(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value < 1 << 31


def _manifest(fields: Fields, version: int, reader: int, schema: int, max_members: int) -> Manifest:
    extra = version > FORMAT_VERSION
    created = fields.object("created", ("hlc", "wall"), extra_allowed=extra)
    sender = fields.object("sender", ("org", "device", "key_fingerprint"), extra_allowed=extra)
    recipient = fields.object("recipient", ("org", "key_fingerprint"), extra_allowed=extra)
    scope = fields.object("scope", ("orgs",), extra_allowed=extra)
    orgs = scope.array("orgs", max_items=MAX_SCOPE)
    if any(not isinstance(code, str) or not ORG_CODE.fullmatch(code) for code in orgs):
        scope.fail("应为单位代码的列表", "orgs")
    return Manifest(
        file_id=fields.uuid("file_id"),
        kind=fields.choice("kind", KINDS),
        schema_version=schema,
        app_version=fields.text("app_version", max_length=64),
        created_hlc=created.integer("hlc"),
        created_wall=_wall(created),
        sender_org=sender.text("org", ORG_CODE),
        sender_device=sender.uuid("device"),
        sender_fingerprint=sender.text("key_fingerprint", SHA256_HEX),
        recipient_org=recipient.text("org", ORG_CODE),
        recipient_fingerprint=recipient.text("key_fingerprint", SHA256_HEX),
        scope=tuple(str(code) for code in orgs),
        counts=_counts(
            fields.object("counts", ("revisions", "certificates", "receipts", "tables"), extra_allowed=extra)
        ),
        members=_members(fields, max_members),
        format_version=version,
        min_reader_version=reader,
    )


def _wall(created: Fields) -> datetime:
    text = created.text("wall", max_length=32)
    try:
        wall = canonical.parse_datetime(text)
    except ValueError:
        created.fail("应为 UTC 时间", "wall")
    if canonical.datetime_text(wall) != text:
        created.fail("应为 UTC 时间", "wall")
    return wall


def _counts(counts: Fields) -> Counts:
    tables = counts.mapping("tables")
    for table, number in tables.items():
        if not TABLE_NAME.fullmatch(table) or isinstance(number, bool) or not isinstance(number, int) or number < 0:
            counts.fail("应为表名与非负整数", "tables")
    return Counts(
        revisions=counts.integer("revisions"),
        certificates=counts.integer("certificates"),
        receipts=counts.integer("receipts"),
        tables={table: int(number) for table, number in tables.items()},  # type: ignore[arg-type]
    )


def _members(fields: Fields, max_members: int) -> tuple[MemberDigest, ...]:
    members: list[MemberDigest] = []
    seen: set[str] = set()
    for number, item in enumerate(fields.array("members", max_items=max_members), 1):
        entry = Fields(
            item,
            what=_WHAT,
            error=BadManifest,
            keys=("name", "size", "sha256", "lines"),
            member=MANIFEST,
            path=f"members[{number}]",
        )
        name = entry.text("name", MEMBER_NAME, max_length=32)
        if name in (MANIFEST, SIGNATURE) or name in seen:
            entry.fail("成员重复，或列出了清单自身", "name")
        seen.add(name)
        members.append(MemberDigest(name, entry.integer("size"), entry.sha256("sha256"), entry.integer("lines")))
    return tuple(members)
