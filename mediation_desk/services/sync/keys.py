"""The ``keys`` use cases of sync: show and export this desk's public key, trust a peer's, export the age identity
for recovering a file by hand, and take a new device identity when the keys are lost."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.permissions import Permission
from mediation_desk.services.desk import Desk
from mediation_desk.services.sync import identity, trust
from mediation_desk.services.sync.identity import DeskKeys
from mediation_desk.services.sync.reissue import reissue
from mediation_desk.services.sync.trust import PeerInfo, Pinned
from mediation_desk.store.files import atomic_path, atomic_write
from mediation_desk.sync.keys import DeviceKey, public_key_file, spoken_fingerprint


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """This desk's public identity."""

    org: str
    org_name: str
    role: str
    device: uuid.UUID
    fingerprint: str
    age_recipient: str
    peers: tuple[PeerInfo, ...] = ()
    reissued: int = 0  # rows issued again under a new identity (their old revisions could not be signed)

    @property
    def spoken(self) -> str:
        return spoken_fingerprint(self.fingerprint)

    @property
    def role_label(self) -> str:
        return trust.role_label(self.role)

    def to_json(self) -> dict[str, object]:
        return {
            "org": self.org,
            "org_name": self.org_name,
            "role": self.role,
            "device": str(self.device),
            "fingerprint": self.fingerprint,
            "fingerprint_groups": self.spoken,
            "age_recipient": self.age_recipient,
            "trusted": [
                {
                    "org": peer.org,
                    "org_name": peer.org_name,
                    "role": peer.role,
                    "device": str(peer.device),
                    "fingerprint": peer.fingerprint,
                }
                for peer in self.peers
            ],
        }


def _info(keys: DeskKeys, peers: list[PeerInfo] | None = None) -> KeyInfo:
    key = keys.key
    return KeyInfo(key.org, key.org_name, key.role, key.device, key.fingerprint, key.age_recipient, tuple(peers or ()))


def ensure_keys(desk: Desk) -> KeyInfo:
    """This desk's keys, made now if they never were (``init`` calls this; so does first use)."""
    with desk.write("keys.sync", Permission.SYNC_EXPORT) as work:
        keys = identity.desk_keys(work.session)
        work.changed("setting")
        return _info(keys, trust.peers(work.session))


def show_keys(desk: Desk) -> KeyInfo:
    """This desk's public key (made on first use) and the peers it trusts; reads only, once the keys exist."""
    with desk.read() as session:
        if identity.keys_made(session):
            return _info(identity.desk_keys(session, create=False), trust.peers(session))
    return ensure_keys(desk)


def export_public_key(desk: Desk, target: Path) -> KeyInfo:
    """Write this desk's public key file (signed by its own key) to ``target``."""
    if target.is_dir():
        raise ValidationError(f"{target} 是文件夹；请给出要写入的文件名")
    with desk.write("keys.export", Permission.SYNC_EXPORT) as work:
        keys = identity.desk_keys(work.session)
        atomic_write(target, public_key_file(keys.key, keys.signer))
        return _info(keys)


def read_peer_key(path: Path) -> tuple[PeerInfo, DeviceKey]:
    """What a peer's public key file says, checked (shown before it is trusted)."""
    key, _data = trust.read_key_file(path)
    return PeerInfo.of(key), key


def trust_key_file(desk: Desk, path: Path) -> Pinned:
    """Pin the peer whose public key file is ``path``; a township also certifies it."""
    key, data = trust.read_key_file(path)
    with desk.write("keys.trust", Permission.MANAGE_KEYS) as work:
        keys = identity.desk_keys(work.session)
        pinned = trust.pin(work.session, keys, key, data, datetime.now(UTC).date())
        work.changed("sync_peer")
        return pinned


IDENTITY_WARNING = (
    "# 调解工作台的 age 私钥（身份）：持有此文件者可以解密发给本工作台的全部同步文件。\n"
    "# 只用于手工恢复：tail -n +2 FILE.mdsync | age -d -i 此文件 > archive.zip\n"
    "# 用完请删除，切勿随同步文件一起传送。\n"
)


def export_identity(desk: Desk, target: Path) -> KeyInfo:
    """Write this desk's age identity (and the retired ones the keyring holds) to a new file, readable only by its
    owner where the file system allows."""
    if target.exists():
        raise ValidationError(f"文件 {target} 已存在；请换一个文件名，或先移走原文件")
    if not target.parent.is_dir():
        raise ValidationError(f"文件夹 {target.parent} 不存在")
    with desk.write("keys.export_identity", Permission.MANAGE_KEYS) as work:
        keys = identity.desk_keys(work.session)
        lines = [IDENTITY_WARNING, f"# public key: {keys.identity.recipient}\n", keys.identity.text() + "\n"]
        for item in keys.retired:
            if item.identity is not None:
                lines += [f"# retired, public key: {item.identity.recipient}\n", item.identity.text() + "\n"]
        try:
            with atomic_path(target, mode=0o600, replace=False) as staged:
                staged.write_text("".join(lines), encoding="utf-8")
        except FileExistsError:
            raise ValidationError(f"文件 {target} 已存在；请换一个文件名，或先移走原文件") from None
        return _info(keys)


def new_device_identity(desk: Desk) -> KeyInfo:
    """A new device id and new keys (the old ones retired): for a desk whose keys are lost from the keyring. The
    rows whose last revision the lost key would have had to sign are issued again under the new identity."""
    with desk.write("keys.new_identity", Permission.MANAGE_KEYS) as work:
        keys = identity.new_identity(work.session)
        signable = [device for device in keys.devices if keys.signer_for(device) is not None]
        reissued = reissue(work.session, signable)
        work.changed("setting", "device_state", "revision")
        return dataclasses.replace(_info(keys), reissued=reissued)
