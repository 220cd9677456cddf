"""This desk's sync keys (SYNC.md "Identity"): an Ed25519 signing key and an age identity, kept in the keyring.

The private keys live in the keyring (``security.keystore``) under the desk's own namespace, the one its data key
uses (``mediation-desk/<data key id>``), named by the fingerprint they go with (``sync-signing-<16 hex>``,
``sync-age-<16 hex>``), so several desks on one machine never collide. The public half of each generation of keys
is kept in ``setting`` (``sync.identity``: device, public signing key, age recipient, when made; ``sync.retired``:
the generations before it), so that "made, but gone from this keyring" is told apart from "never made".

Keys are made at ``init``, and on first use for a desk made before sync existed. A desk whose device id changed
(a restored backup, or ``keys new-identity``) retires its keys and makes new ones for the new device: revision
identities are never reused, and peers trust the new key anew. Retired age identities still decrypt files
addressed to them; retired signing keys still sign the revisions their device made and never sent.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain.errors import DomainError
from mediation_desk.security import datakey
from mediation_desk.security.keystore import KeyStore
from mediation_desk.services.desk import ORG_SETTING, set_setting
from mediation_desk.store import revisions
from mediation_desk.store.models import OrgUnit, Setting
from mediation_desk.sync.keys import AgeIdentity, DeviceKey, SigningKey, fingerprint, spoken_fingerprint
from mediation_desk.sync.reader import LocalDesk

IDENTITY_SETTING = "sync.identity"
RETIRED_SETTING = "sync.retired"


class SyncKeysMissing(DomainError):
    """The settings say this desk's sync keys were made, but this machine's keyring does not hold them."""


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """The public half of one generation of this desk's keys, as ``setting`` keeps it."""

    device: uuid.UUID
    signing_key: bytes
    recipient: str
    created: datetime

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_key)

    @property
    def signing_name(self) -> str:
        return f"sync-signing-{self.fingerprint[:16]}"

    @property
    def age_name(self) -> str:
        return f"sync-age-{self.fingerprint[:16]}"

    def to_json(self) -> dict[str, str]:
        return {
            "device": str(self.device),
            "signing_key": base64.b64encode(self.signing_key).decode("ascii"),
            "recipient": self.recipient,
            "created": self.created.astimezone(UTC).isoformat(),
        }

    @classmethod
    def from_json(cls, value: Any) -> KeyRecord:
        try:
            return cls(
                uuid.UUID(value["device"]),
                base64.b64decode(value["signing_key"], validate=True),
                str(value["recipient"]),
                datetime.fromisoformat(value["created"]),
            )
        except (KeyError, TypeError, ValueError, binascii.Error):
            raise DomainError("设置中的同步密钥记录已损坏；请从最近的备份恢复，或运行 keys new-identity") from None


@dataclass(frozen=True, slots=True)
class Retired:
    """An earlier generation of keys, with the private keys the keyring still holds (or ``None``)."""

    record: KeyRecord
    signer: SigningKey | None
    identity: AgeIdentity | None


@dataclass(frozen=True, slots=True)
class DeskKeys:
    """This desk as its peers know it, with its private keys."""

    key: DeviceKey
    signer: SigningKey
    identity: AgeIdentity
    retired: tuple[Retired, ...] = ()

    @property
    def devices(self) -> frozenset[uuid.UUID]:
        """Every device id this desk has had (revisions by any of them are its own)."""
        return frozenset({self.key.device, *(item.record.device for item in self.retired)})

    def signer_for(self, device: uuid.UUID) -> SigningKey | None:
        """The key that signs revisions made by ``device`` (this desk now, or before a new identity)."""
        if device == self.key.device:
            return self.signer
        return next((item.signer for item in self.retired if item.record.device == device), None)

    def own_keys(self) -> list[DeviceKey]:
        """This desk's device keys, current and retired, for the trust policy (its own files come back)."""
        keys = [self.key]
        for item in self.retired:
            record = item.record
            keys.append(
                DeviceKey(
                    self.key.org, self.key.org_name, record.device, self.key.role, record.signing_key, record.recipient
                )
            )
        return keys

    def local(self, org_label: Callable[[str], str]) -> LocalDesk:
        identities = [self.identity, *(item.identity for item in self.retired if item.identity is not None)]
        prints = {self.key.fingerprint, *(item.record.fingerprint for item in self.retired)}
        return LocalDesk(self.key.org, frozenset(prints), tuple(identities), org_label)

    @property
    def spoken(self) -> str:
        return spoken_fingerprint(self.key.fingerprint)


def _store(session: Session) -> KeyStore:
    row = session.get(Setting, datakey.KEY_ID_SETTING)
    if row is None:
        raise DomainError("数据库缺少数据密钥编号（desk.data_key_id），可能已损坏；请从最近的备份恢复")
    return KeyStore(row.value)


def _own_org(session: Session) -> OrgUnit:
    code = session.get(Setting, ORG_SETTING)
    org = session.scalar(sa.select(OrgUnit).where(OrgUnit.code == code.value)) if code is not None else None
    if org is None:
        raise DomainError("此工作台尚未设置所属组织；请先运行 init（或在首次运行向导中设置）")
    return org


def _records(session: Session) -> tuple[KeyRecord | None, list[KeyRecord]]:
    current = session.get(Setting, IDENTITY_SETTING)
    retired = session.get(Setting, RETIRED_SETTING)
    record = KeyRecord.from_json(json.loads(current.value)) if current is not None else None
    older = [KeyRecord.from_json(item) for item in json.loads(retired.value)] if retired is not None else []
    return record, older


def _missing_message(record: KeyRecord) -> str:
    return (
        f"本机的系统钥匙串中没有此工作台的同步密钥（指纹 {spoken_fingerprint(record.fingerprint)[:19]}…）；"
        "数据未作任何改动。若钥匙串或整个系统是从备份恢复的，请先恢复钥匙串中的“mediation-desk/…”条目再试；"
        "若密钥已无法找回，请运行 mediation-desk keys new-identity 换用新的设备标识和密钥，"
        "然后把新的公钥文件（keys export）交给上下级单位重新信任"
    )


def _private(store: KeyStore, record: KeyRecord) -> tuple[SigningKey, AgeIdentity] | None:
    signing_text = store.find(record.signing_name)
    age_text = store.find(record.age_name)
    if signing_text is None or age_text is None:
        return None
    try:
        signer = SigningKey.from_bytes(base64.b64decode(signing_text, validate=True))
        identity = AgeIdentity.from_text(age_text)
    except (ValueError, binascii.Error):
        return None
    if signer.public_key != record.signing_key or identity.recipient != record.recipient:
        return None
    return signer, identity


def _retired(store: KeyStore, records: list[KeyRecord]) -> tuple[Retired, ...]:
    found = []
    for record in records:
        signer = store.find(record.signing_name)
        age = store.find(record.age_name)
        private = _private(store, record) if signer is not None and age is not None else None
        found.append(Retired(record, private[0] if private else None, private[1] if private else None))
    return tuple(found)


def _generate(session: Session, store: KeyStore, device: uuid.UUID, older: list[KeyRecord]) -> KeyRecord:
    """New keys for ``device``: in the keyring first, then their public half in ``setting``."""
    signer = SigningKey.generate()
    identity = AgeIdentity.generate()
    record = KeyRecord(device, signer.public_key, identity.recipient, datetime.now(UTC))
    store.put(record.signing_name, base64.b64encode(signer.private_bytes()).decode("ascii"))
    store.put(record.age_name, identity.text())
    set_setting(session, IDENTITY_SETTING, json.dumps(record.to_json(), sort_keys=True))
    set_setting(session, RETIRED_SETTING, json.dumps([item.to_json() for item in older], sort_keys=True))
    session.flush()
    return record


def desk_keys(session: Session, *, create: bool = True) -> DeskKeys:
    """This desk's keys, made now if they never were (or if the device id changed) when ``create`` is set.

    ``SyncKeysMissing`` when they were made but this keyring lacks them; a keyring that is missing or locked
    says so (``security.keystore``).
    """
    org = _own_org(session)
    store = _store(session)
    device = revisions.device_state(session).device_id
    record, older = _records(session)
    if record is not None and record.device != device:  # a restored backup or a new identity
        older = [record, *older]
        record = None
    if record is None:
        if not create:
            raise DomainError("此工作台还没有同步密钥；运行 mediation-desk keys show 即可生成")
        record = _generate(session, store, device, older)
    private = _private(store, record)
    if private is None:
        raise SyncKeysMissing(_missing_message(record))
    signer, identity = private
    key = DeviceKey(org.code, org.name, device, org.level.value, signer.public_key, identity.recipient)
    return DeskKeys(key, signer, identity, _retired(store, older))


def keys_made(session: Session) -> bool:
    """Whether this desk's keys were made for its current device (they may still be missing from the keyring)."""
    record, _older = _records(session)
    return record is not None and record.device == revisions.device_state(session).device_id


def own_devices(session: Session) -> frozenset[uuid.UUID]:
    """Every device id this desk has had, from its settings alone (no private key needed)."""
    record, older = _records(session)
    found = {item.device for item in ([record] if record else []) + older}
    found.add(revisions.device_state(session).device_id)
    return frozenset(found)


def own_org(session: Session) -> OrgUnit:
    return _own_org(session)


def new_identity(session: Session) -> DeskKeys:
    """A new device id for this desk and new keys for it; the old keys are retired (kept where the keyring still
    holds them). Revisions made under the old id keep it; new ones are numbered from 1 under the new id."""
    state = revisions.device_state(session)
    state.device_id = uuid.uuid4()
    state.last_seq = 0
    session.flush()
    return desk_keys(session)
