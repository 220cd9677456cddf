"""Whom this desk trusts (SYNC.md "Identity"): peers pinned from their public key files, and certificates.

``keys trust FILE`` pins a peer after its organisation and fingerprint were shown (and, on a terminal,
confirmed): a village pins its township (and, to receive the county's resolutions directly, the county), a township
its villages and its county, the county its townships. A township issues a certificate for each device it pins and
ships its certificates in every file, so the county verifies village revisions end to end, and a village can
verify revisions its township relays from the county. The trust policy of a file also admits the devices that a
pinned township certifies below it (``sync.trust``); every device whose revisions this desk holds is remembered
in ``sync_device`` with the organisation it writes for.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain import canonical
from mediation_desk.domain.codes import OrgLevel
from mediation_desk.domain.errors import DomainError, ValidationError
from mediation_desk.services.sync.identity import DeskKeys
from mediation_desk.store.models import OrgUnit
from mediation_desk.store.sync_models import SyncCertificate, SyncDevice, SyncPeer
from mediation_desk.sync.errors import BadKeyFile
from mediation_desk.sync.keys import MAX_KEY_FILE_BYTES, DeviceKey, parse_public_key_file, spoken_fingerprint
from mediation_desk.sync.trust import (
    Certificate,
    PinnedTrust,
    TrustedDevice,
    issue_certificate,
    read_certificate,
    township_certifies_below,
)

COMMITTEES = frozenset(
    {OrgLevel.VILLAGE.value, OrgLevel.TOWNSHIP_COMMITTEE.value, OrgLevel.PROFESSIONAL.value, OrgLevel.STUDIO.value}
)
_RANK = {OrgLevel.COUNTY.value: 3, OrgLevel.TOWNSHIP.value: 2}


def rank(role: str) -> int:
    """How high in the tree a desk of ``role`` sits: county 3, township 2, a committee 1."""
    return _RANK.get(role, 1)


def role_label(role: str) -> str:
    try:
        return OrgLevel(role).label
    except ValueError:
        return role


@dataclass(frozen=True, slots=True)
class PeerInfo:
    """A device as ``keys trust`` shows it and ``sync status`` lists it."""

    org: str
    org_name: str
    role: str
    device: uuid.UUID
    fingerprint: str
    pinned_at: datetime | None = None

    @property
    def spoken(self) -> str:
        return spoken_fingerprint(self.fingerprint)

    @property
    def role_label(self) -> str:
        return role_label(self.role)

    @classmethod
    def of(cls, key: DeviceKey, pinned_at: datetime | None = None) -> PeerInfo:
        return cls(key.org, key.org_name, key.role, key.device, key.fingerprint, pinned_at)


@dataclass(frozen=True, slots=True)
class Pinned:
    peer: PeerInfo
    already: bool  # the same key was trusted before: nothing changed
    certified: bool  # this desk (a township) issued a certificate for it


def read_key_file(path: Path) -> tuple[DeviceKey, bytes]:
    """The device a public key file names, checked (``BadKeyFile``), and the file's bytes."""
    try:
        if path.stat().st_size > MAX_KEY_FILE_BYTES:
            raise BadKeyFile(f"{path.name} 过大，不是调解工作台的公钥文件")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"找不到公钥文件 {path}") from None
    except IsADirectoryError:
        raise ValidationError(f"{path} 是文件夹，不是公钥文件") from None
    return parse_public_key_file(data), data


def _peer_key(row: SyncPeer) -> DeviceKey:
    return DeviceKey(row.org_code, row.org_name, row.device, row.role, row.signing_key, row.age_recipient)


def pinned_keys(session: Session) -> list[DeviceKey]:
    return [_peer_key(row) for row in session.scalars(sa.select(SyncPeer).order_by(SyncPeer.pinned_at))]


def peers(session: Session) -> list[PeerInfo]:
    rows = session.scalars(sa.select(SyncPeer).order_by(SyncPeer.org_code, SyncPeer.pinned_at))
    return [PeerInfo.of(_peer_key(row), row.pinned_at) for row in rows]


def _check_pairing(own: DeviceKey, peer: DeviceKey) -> None:
    if peer.device in (own.device,) or peer.signing_key == own.signing_key:
        raise ValidationError("这是本工作台自己的公钥文件，无需信任")
    if peer.org == own.org:
        raise ValidationError(f"公钥文件属于本单位（{peer.org_name}）的另一台设备；同一单位的设备之间不交换同步文件")
    if rank(own.role) == rank(peer.role):
        raise ValidationError(
            f"{peer.org_name}（{role_label(peer.role)}）与本工作台同级；同步文件只在上下级之间交换"
            "（村居与乡镇、乡镇与县）"
        )
    if rank(own.role) == 3 and rank(peer.role) == 1:
        raise ValidationError(f"县级工作台只信任乡镇的公钥；{peer.org_name}的记录由所属乡镇转来，并附有乡镇签发的证书")


def pin(session: Session, keys: DeskKeys, peer: DeviceKey, key_file: bytes, today: date) -> Pinned:
    """Pin ``peer`` (from its public key file), and certify it when this desk is a township."""
    _check_pairing(keys.key, peer)
    found = session.get(SyncPeer, peer.device)
    if found is not None:
        if found.signing_key == peer.signing_key:
            return Pinned(PeerInfo.of(peer, found.pinned_at), already=True, certified=False)
        raise DomainError(
            f"本工作台已信任{found.org_name}的设备 {peer.device}，但用的是另一把密钥（指纹 "
            f"{spoken_fingerprint(found.fingerprint)[:19]}…）；同一设备不会换密钥，请与对方核实此文件的来历"
        )
    clash = session.scalar(sa.select(SyncPeer).where(SyncPeer.fingerprint == peer.fingerprint))
    if clash is not None:
        raise DomainError(f"此密钥已作为{clash.org_name}的设备 {clash.device} 受信任；公钥文件与之不符，未作改动")
    now = datetime.now(UTC)
    session.add(
        SyncPeer(
            device=peer.device,
            org_code=peer.org,
            org_name=peer.org_name,
            role=peer.role,
            signing_key=peer.signing_key,
            fingerprint=peer.fingerprint,
            age_recipient=peer.age_recipient,
            key_file=key_file.decode("utf-8"),
            pinned_at=now,
        )
    )
    remember_device(session, TrustedDevice(peer), now)
    certified = keys.key.role == OrgLevel.TOWNSHIP.value
    if certified:
        certificate = issue_certificate(peer, keys.key, keys.signer, today)
        body = canonical.dumps(certificate.to_json())
        existing = session.get(SyncCertificate, peer.device)
        if existing is None:
            session.add(SyncCertificate(subject_device=peer.device, issued=today, body=body))
        else:
            existing.issued, existing.body = today, body
    session.flush()
    return Pinned(PeerInfo.of(peer, now), already=False, certified=certified)


def certificates(session: Session) -> list[Certificate]:
    """The certificates this desk issued, for ``certs.json``."""
    rows = session.scalars(sa.select(SyncCertificate).order_by(SyncCertificate.subject_device))
    return [
        read_certificate(json.loads(row.body), member="sync_certificate", index=number)
        for number, row in enumerate(rows, 1)
    ]


def _parents(session: Session) -> dict[str, str]:
    """Each organisation unit's parent, by code, as this desk knows the tree."""
    parent = sa.orm.aliased(OrgUnit)
    query = sa.select(OrgUnit.code, parent.code).join(parent, OrgUnit.parent_id == parent.id)
    return {code: above for code, above in session.execute(query)}  # noqa: C416


def is_below(org: str, ancestor: str, parents: dict[str, str]) -> bool:
    """Whether the unit ``org`` lies under ``ancestor``: by this desk's organisation tree, or, for a unit the desk
    does not know, by the codes themselves (a village's statistical code begins with its township's)."""
    if org in parents:
        seen: set[str] = set()
        while org in parents and org not in seen:
            seen.add(org)
            org = parents[org]
            if org == ancestor:
                return True
        return False
    return org != ancestor and org.startswith(ancestor)


def _certifies(own_role: str, parents: dict[str, str]) -> Callable[[DeviceKey, DeviceKey], bool]:
    def rule(issuer: DeviceKey, subject: DeviceKey) -> bool:
        if township_certifies_below(issuer, subject):
            # a township vouches for its own villages only, never for another township's
            return is_below(subject.org, issuer.org, parents)
        # a committee accepts its township's word for the county above it (its resolutions come down relayed)
        return (
            own_role in COMMITTEES
            and issuer.role == OrgLevel.TOWNSHIP.value
            and subject.role == "county"
            and is_below(issuer.org, subject.org, parents)
        )

    return rule


def trust_policy(session: Session, keys: DeskKeys) -> PinnedTrust:
    """Pinned peers and this desk's own keys; certificates from a pinned township admitted as ``_certifies``."""
    rule = _certifies(keys.key.role, _parents(session))
    return PinnedTrust([*keys.own_keys(), *pinned_keys(session)], rule)


def remember_device(session: Session, device: TrustedDevice, now: datetime) -> None:
    """Record a device whose revisions this desk now holds (once; its pinned or certified key decides)."""
    if session.get(SyncDevice, device.key.device) is not None:
        return
    session.add(
        SyncDevice(
            device=device.key.device,
            org_code=device.key.org,
            org_name=device.key.org_name,
            role=device.key.role,
            fingerprint=device.key.fingerprint,
            certified_by=device.certified_by.device if device.certified_by else None,
            first_seen=now,
        )
    )


@dataclass(frozen=True, slots=True)
class Writer:
    """Who a device writes for: its organisation and its role."""

    org: str
    role: str


def writers(session: Session, own: Collection[uuid.UUID], org: str, role: str) -> dict[uuid.UUID, Writer]:
    """Every device known here, with the organisation it may write for (``own``: this desk's devices)."""
    found = {row.device: Writer(row.org_code, row.role) for row in session.scalars(sa.select(SyncDevice))}
    for row in session.scalars(sa.select(SyncPeer)):
        found[row.device] = Writer(row.org_code, row.role)
    for device in own:
        found[device] = Writer(org, role)
    return found


def org_label(session: Session) -> dict[str, str]:
    """Organisation names by code (for messages: "某某镇（331122001）")."""
    names: dict[str, str] = {code: name for code, name in session.execute(sa.select(OrgUnit.code, OrgUnit.name))}  # noqa: C416
    for code, name in session.execute(sa.select(SyncPeer.org_code, SyncPeer.org_name)):
        names.setdefault(code, name)
    return {code: f"{name}（{code}）" for code, name in names.items()}
