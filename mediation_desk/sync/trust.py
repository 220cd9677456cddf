"""Whom a desk believes (SYNC.md "Identity"): pinned peers, township certificates, and signed receipts.

A desk pins its peers' keys after comparing fingerprints (``keys trust``): the township its villages, a village its
township, the county its townships. A township also signs a **certificate** for each village device it trusts;
certificates travel in ``certs.json`` of the township's files, so the county, which pins only its townships, can
verify village revisions end to end. The caller supplies a ``TrustPolicy`` (its pinned keys, including the desk's
own, and who may certify whom); ``FileTrust`` adds what a file's valid certificates vouch for.

A **receipt** is a signed statement by the sender of a file that it imported a file from the recipient, and
which revisions it now holds: acknowledgements that make the next export incremental. Receipts name devices,
files and sequence numbers only, never personal data.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from mediation_desk.domain import canonical
from mediation_desk.domain.canonical import JSONValue
from mediation_desk.domain.codes import OrgLevel
from mediation_desk.sync.errors import BadCertificate, BadReceipt
from mediation_desk.sync.keys import (
    CERTIFICATE_DOMAIN,
    DEVICE_KEY_FIELDS,
    RECEIPT_DOMAIN,
    SIGNATURE_BYTES,
    DeviceKey,
    SigningKey,
    read_device_key,
    verify,
)
from mediation_desk.sync.schema import ORG_CODE, SHA256_HEX, Fields, b64

CERTIFICATE_FORMAT = "mediation-desk-certificate"
CERTIFICATE_VERSION = 1
MAX_CERTIFICATES = 10_000
MAX_HOLDS = 100_000
_CERTIFIED_LEVELS = frozenset(level.value for level in OrgLevel if level not in (OrgLevel.COUNTY, OrgLevel.TOWNSHIP))


class TrustPolicy(Protocol):
    """The caller's trust: pinned device keys (this desk's own among them) and who may certify whom."""

    def by_key(self, signing_key: bytes) -> DeviceKey | None: ...

    def by_device(self, device: uuid.UUID) -> DeviceKey | None: ...

    def may_certify(self, issuer: DeviceKey, subject: DeviceKey) -> bool: ...


def township_certifies_below(issuer: DeviceKey, subject: DeviceKey) -> bool:
    """The default rule: a township's desk may certify the desks of committees below it, nothing else."""
    return issuer.role == OrgLevel.TOWNSHIP.value and subject.role in _CERTIFIED_LEVELS


@dataclass(slots=True)
class PinnedTrust:
    """A ``TrustPolicy`` over a list of pinned keys; ``certifies`` decides who may certify whom."""

    keys: Iterable[DeviceKey]
    certifies: Callable[[DeviceKey, DeviceKey], bool] = township_certifies_below
    _by_key: dict[bytes, DeviceKey] = field(init=False)
    _by_device: dict[uuid.UUID, DeviceKey] = field(init=False)

    def __post_init__(self) -> None:
        self.keys = tuple(self.keys)
        self._by_key = {key.signing_key: key for key in self.keys}
        self._by_device = {key.device: key for key in self.keys}

    def by_key(self, signing_key: bytes) -> DeviceKey | None:
        return self._by_key.get(signing_key)

    def by_device(self, device: uuid.UUID) -> DeviceKey | None:
        return self._by_device.get(device)

    def may_certify(self, issuer: DeviceKey, subject: DeviceKey) -> bool:
        return self.certifies(issuer, subject)


@dataclass(frozen=True, slots=True)
class TrustedDevice:
    """A device whose signatures count here: pinned, or certified by ``certified_by`` (a pinned township)."""

    key: DeviceKey
    certified_by: DeviceKey | None = None


# ---------------------------------------------------------------------------------------------------------------
# Certificates


@dataclass(frozen=True, slots=True)
class Certificate:
    subject: DeviceKey
    issuer_org: str
    issuer_device: uuid.UUID
    issuer_fingerprint: str
    issued: date
    signature: bytes

    def body(self) -> dict[str, JSONValue]:
        return {
            "format": CERTIFICATE_FORMAT,
            "format_version": CERTIFICATE_VERSION,
            "issuer": {
                "org": self.issuer_org,
                "device": str(self.issuer_device),
                "key_fingerprint": self.issuer_fingerprint,
            },
            "subject": self.subject.fields(),
            "issued": self.issued.isoformat(),
        }

    def to_json(self) -> dict[str, JSONValue]:
        return {**self.body(), "signature": b64(self.signature)}

    def signed_by(self, issuer_key: bytes) -> bool:
        return verify(issuer_key, CERTIFICATE_DOMAIN, canonical.canonical_bytes(self.body()), self.signature)


def issue_certificate(subject: DeviceKey, issuer: DeviceKey, signer: SigningKey, issued: date) -> Certificate:
    """``issuer`` (whose private key is ``signer``) vouches for ``subject``'s keys."""
    if signer.public_key != issuer.signing_key:
        raise ValueError("a certificate is signed with the issuer's own key")
    unsigned = Certificate(subject, issuer.org, issuer.device, issuer.fingerprint, issued, b"")
    signature = signer.sign(CERTIFICATE_DOMAIN, canonical.canonical_bytes(unsigned.body()))
    return Certificate(subject, issuer.org, issuer.device, issuer.fingerprint, issued, signature)


def read_certificate(value: JSONValue, *, member: str, index: int) -> Certificate:
    what = f"证书（第 {index} 张）"
    keys = ("format", "format_version", "issuer", "subject", "issued", "signature")
    fields = Fields(value, what=what, error=BadCertificate, keys=keys, member=member)
    if fields.text("format") != CERTIFICATE_FORMAT or fields.integer("format_version") != CERTIFICATE_VERSION:
        fields.fail("不是本程序能读的证书格式")
    issuer = fields.object("issuer", ("org", "device", "key_fingerprint"))
    issued_text = fields.text("issued", max_length=10)
    try:
        issued = date.fromisoformat(issued_text)
    except ValueError:
        fields.fail("应为日期（YYYY-MM-DD）", "issued")
    if issued.isoformat() != issued_text:
        fields.fail("应为日期（YYYY-MM-DD）", "issued")
    return Certificate(
        subject=read_device_key(fields.object("subject", DEVICE_KEY_FIELDS)),
        issuer_org=issuer.text("org", ORG_CODE),
        issuer_device=issuer.uuid("device"),
        issuer_fingerprint=issuer.text("key_fingerprint", SHA256_HEX),
        issued=issued,
        signature=fields.base64("signature", SIGNATURE_BYTES),
    )


def certificates_json(certificates: Iterable[Certificate]) -> bytes:
    """The bytes of ``certs.json``."""
    return canonical.canonical_bytes({"certificates": [cert.to_json() for cert in certificates]})


def read_certificates(value: JSONValue, *, member: str) -> list[Certificate]:
    fields = Fields(value, what="证书列表", error=BadCertificate, keys=("certificates",), member=member)
    items = fields.array("certificates", max_items=MAX_CERTIFICATES)
    return [read_certificate(item, member=member, index=number) for number, item in enumerate(items, 1)]


class FileTrust:
    """The devices one file may speak for: the policy's pinned keys plus what its valid certificates vouch for.

    A certificate by an issuer this desk does not pin, or may not accept certificates from, vouches for nothing
    (and is no error: it may be meant for a desk further up). A certificate that names a pinned issuer but does
    not carry that issuer's valid signature is tampering, and refuses the file; so do two valid certificates that
    give one device two different keys.
    """

    def __init__(self, policy: TrustPolicy, certificates: Iterable[Certificate] = ()) -> None:
        self.policy = policy
        self._certified: dict[uuid.UUID, TrustedDevice] = {}
        for cert in certificates:
            self._admit(cert)

    def _admit(self, cert: Certificate) -> None:
        issuer = self.policy.by_device(cert.issuer_device)
        if issuer is None or issuer.fingerprint != cert.issuer_fingerprint or issuer.org != cert.issuer_org:
            return
        if not cert.signed_by(issuer.signing_key):
            raise BadCertificate(
                f"{issuer.org_name}为设备 {cert.subject.device} 签发的证书签名无效：文件已被改动或损坏"
            )
        if not self.policy.may_certify(issuer, cert.subject):
            return
        pinned = self.policy.by_device(cert.subject.device)
        if pinned is not None:
            return  # a device pinned here is known by its pinned key, whatever a certificate says
        known = self._certified.get(cert.subject.device)
        if known is not None and known.key != cert.subject:
            raise BadCertificate(f"文件中的两张证书为设备 {cert.subject.device} 给出了不同的密钥")
        self._certified[cert.subject.device] = TrustedDevice(cert.subject, issuer)

    def by_key(self, signing_key: bytes) -> TrustedDevice | None:
        pinned = self.policy.by_key(signing_key)
        if pinned is not None:
            return TrustedDevice(pinned)
        return next((found for found in self._certified.values() if found.key.signing_key == signing_key), None)

    def by_device(self, device: uuid.UUID) -> TrustedDevice | None:
        pinned = self.policy.by_device(device)
        if pinned is not None:
            return TrustedDevice(pinned)
        return self._certified.get(device)


# ---------------------------------------------------------------------------------------------------------------
# Receipts


@dataclass(frozen=True, slots=True)
class Receipt:
    """``by`` (a device of ``by_org``) imported file ``file_id`` from ``for_device`` and now holds ``holds``:
    for each origin device, the sequence number up to which it holds every revision."""

    file_id: uuid.UUID
    file_sha256: str
    by_org: str
    by_device: uuid.UUID
    for_org: str
    for_device: uuid.UUID
    imported: datetime
    holds: Mapping[str, int]
    signature: bytes = b""

    def body(self) -> dict[str, JSONValue]:
        return {
            "file_id": str(self.file_id),
            "file_sha256": self.file_sha256,
            "by": {"org": self.by_org, "device": str(self.by_device)},
            "for": {"org": self.for_org, "device": str(self.for_device)},
            "imported": canonical.datetime_text(self.imported),
            "holds": dict(self.holds),
        }

    def line(self) -> bytes:
        return canonical.canonical_bytes({**self.body(), "signature": b64(self.signature)})

    def signed_by(self, key: bytes) -> bool:
        return verify(key, RECEIPT_DOMAIN, canonical.canonical_bytes(self.body()), self.signature)


def sign_receipt(receipt: Receipt, signer: SigningKey) -> Receipt:
    return dataclasses.replace(
        receipt, signature=signer.sign(RECEIPT_DOMAIN, canonical.canonical_bytes(receipt.body()))
    )


def read_receipt(value: JSONValue, *, member: str, line: int) -> Receipt:
    keys = ("file_id", "file_sha256", "by", "for", "imported", "holds", "signature")
    fields = Fields(value, what="回执", error=BadReceipt, keys=keys, member=member, line=line)
    by = fields.object("by", ("org", "device"))
    to = fields.object("for", ("org", "device"))
    imported_text = fields.text("imported", max_length=32)
    try:
        imported = canonical.parse_datetime(imported_text)
    except ValueError:
        fields.fail("应为 UTC 时间", "imported")
    if canonical.datetime_text(imported) != imported_text:
        fields.fail("应为 UTC 时间", "imported")
    holds = fields.mapping("holds")
    if len(holds) > MAX_HOLDS:
        fields.fail(f"超过 {MAX_HOLDS} 项", "holds")
    for device, seq in holds.items():
        fields.uuid_of(device, "holds")
        if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
            fields.fail("应为非负整数", "holds")
    return Receipt(
        file_id=fields.uuid("file_id"),
        file_sha256=fields.sha256("file_sha256"),
        by_org=by.text("org", ORG_CODE),
        by_device=by.uuid("device"),
        for_org=to.text("org", ORG_CODE),
        for_device=to.uuid("device"),
        imported=imported,
        holds={device: int(seq) for device, seq in holds.items()},  # type: ignore[arg-type]
        signature=fields.base64("signature", SIGNATURE_BYTES),
    )


def check_receipt(receipt: Receipt, sender: TrustedDevice, desk_org: str, *, member: str, line: int) -> None:
    """A receipt in a file must be the sender's own, signed by it, and for this desk's organisation."""
    if receipt.by_device != sender.key.device or receipt.by_org != sender.key.org:
        raise BadReceipt(f"回执（{member} 第 {line} 行）不是发件设备自己的", member=member, line=line)
    if receipt.for_org != desk_org:
        raise BadReceipt(f"回执（{member} 第 {line} 行）不是给本单位的", member=member, line=line)
    if not receipt.signed_by(sender.key.signing_key):
        raise BadReceipt(f"回执（{member} 第 {line} 行）的签名无效", member=member, line=line)


__all__ = [
    "Certificate",
    "FileTrust",
    "PinnedTrust",
    "Receipt",
    "TrustPolicy",
    "TrustedDevice",
    "certificates_json",
    "check_receipt",
    "issue_certificate",
    "read_certificates",
    "read_receipt",
    "sign_receipt",
    "township_certifies_below",
]
