"""A desk's sync keys in the real (test) keyring, and whom it trusts: made at ``init`` or on first use, gone keys
told apart from never-made ones, a new device identity, the rules of ``keys trust``, certificates, and the age
identity that recovers a file with the real ``age`` tool."""

from __future__ import annotations

import io
import json
import stat
import subprocess
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from mediation_desk.domain.errors import DomainError, ValidationError
from mediation_desk.domain.permissions import Permission
from mediation_desk.security.keystore import KeyStore
from mediation_desk.services import sync
from mediation_desk.services.desk import Desk
from mediation_desk.services.sync.identity import IDENTITY_SETTING, RETIRED_SETTING, SyncKeysMissing, desk_keys
from mediation_desk.store.models import DeviceState, Setting
from mediation_desk.store.sync_models import SyncCertificate, SyncPeer
from mediation_desk.sync.errors import BadKeyFile
from mediation_desk.sync.keys import parse_public_key_file
from tests.sync.test_desk_support import (
    TOWNSHIP,
    VILLAGES,
    World,
    case_ids,
    database_hash,
    ledger,
    receive,
    send,
    world,
    world_template,
)

__all__ = ["world", "world_template"]


@pytest.fixture
def keyring_restored() -> Iterator[None]:
    """The test keyring file as it was before the test (the copies of a template desk share its entries)."""
    import keyring

    path = Path(keyring.get_keyring().file_path)  # type: ignore[attr-defined]
    saved = path.read_bytes()
    yield
    path.write_bytes(saved)


def _setting(desk: Desk, key: str) -> str:
    with desk.read() as session:
        row = session.get(Setting, key)
        assert row is not None
        return row.value


def _store(desk: Desk) -> KeyStore:
    return KeyStore(_setting(desk, "desk.data_key_id"))


def _record(desk: Desk) -> dict[str, str]:
    found: dict[str, str] = json.loads(_setting(desk, IDENTITY_SETTING))
    return found


def test_init_makes_the_keys_in_the_keyring_and_their_public_half_in_settings(world: World) -> None:
    info = sync.show_keys(world.village_a)
    record = _record(world.village_a)
    assert record["device"] == str(info.device)
    assert record["recipient"] == info.age_recipient
    store = _store(world.village_a)
    names = [f"sync-signing-{info.fingerprint[:16]}", f"sync-age-{info.fingerprint[:16]}"]
    assert all(store.find(name) for name in names)
    assert store.find(names[1]).startswith("AGE-SECRET-KEY-1")  # type: ignore[union-attr]
    assert len(info.spoken.split()) == 16
    assert info.role == "village"
    assert [peer.org for peer in info.peers] == [TOWNSHIP[0]]
    again = sync.show_keys(world.reopen("village_a"))
    assert again.fingerprint == info.fingerprint


def test_the_public_key_file_names_the_desk_and_is_signed(world: World) -> None:
    path = world.file("a.pub")
    info = sync.export_public_key(world.village_a, path)
    key = parse_public_key_file(path.read_bytes())
    assert (key.org, key.role, key.fingerprint, key.device) == (
        VILLAGES[0][0],
        "village",
        info.fingerprint,
        info.device,
    )
    forged = path.read_bytes().replace("示例村".encode(), "冒名村".encode())
    path.write_bytes(forged)
    with pytest.raises(BadKeyFile):
        sync.read_peer_key(path)


@pytest.mark.usefixtures("keyring_restored")
def test_keys_gone_from_the_keyring_are_told_apart_and_a_new_identity_recovers(world: World) -> None:
    ledger(world.village_a, world.files, 2, seed=51)
    old = sync.show_keys(world.village_a)
    store = _store(world.village_a)
    for name in (f"sync-signing-{old.fingerprint[:16]}", f"sync-age-{old.fingerprint[:16]}"):
        assert store.delete(name)
    before = database_hash(world.village_a)
    with pytest.raises(SyncKeysMissing, match="keys new-identity"):
        sync.show_keys(world.village_a)
    with pytest.raises(SyncKeysMissing, match="恢复"):
        send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    assert database_hash(world.village_a) == before
    assert not world.file("a1.mdsync").exists()
    fresh = sync.new_device_identity(world.village_a)
    assert fresh.device != old.device
    assert fresh.fingerprint != old.fingerprint
    with world.village_a.read() as session:
        setting = session.get(Setting, RETIRED_SETTING)
        assert setting is not None
        retired = json.loads(setting.value)
        state = session.get(DeviceState, 1)
        assert state is not None
        assert state.device_id == fresh.device
        assert state.last_seq == fresh.reissued > 0  # numbered from 1 under the new id: the rows issued again
    assert [item["device"] for item in retired] == [str(old.device)]
    summary = send(world.village_a, TOWNSHIP[0], world.file("a2.mdsync"))
    assert summary.unsigned > 0  # the old revisions themselves stay unsent: only the lost key could sign them
    assert summary.tables["dispute_case"] == 2  # the rows travel in their new revisions
    report = receive(world.township, world.file("a2.mdsync"))
    assert report.files[0].status == "ERROR"
    assert report.files[0].messages[0].code == "unknown_sender"
    sync.export_public_key(world.village_a, world.file("a-new.pub"))
    sync.trust_key_file(world.township, world.file("a-new.pub"))
    assert receive(world.township, world.file("a2.mdsync")).ok
    assert sorted(case_ids(world.township, VILLAGES[0][0])) == sorted(case_ids(world.village_a))


def test_a_desk_made_before_sync_gets_its_keys_on_first_use(world: World) -> None:
    with world.village_a.write("test.forget", Permission.MANAGE_SETTINGS) as work:
        work.session.execute(sa.delete(Setting).where(Setting.key.in_([IDENTITY_SETTING, RETIRED_SETTING])))
    info = sync.show_keys(world.village_a)
    assert _record(world.village_a)["signing_key"]
    assert info.device == _device(world.village_a)


def _device(desk: Desk) -> uuid.UUID:
    with desk.read() as session:
        state = session.get(DeviceState, 1)
        assert state is not None
        return state.device_id


def test_a_restored_desk_gets_new_keys_and_still_reads_files_for_its_old_identity(world: World) -> None:
    ledger(world.village_a, world.files, 2, seed=52)
    send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    receive(world.township, world.file("a1.mdsync"))
    send(world.township, VILLAGES[0][0], world.file("t1.mdsync"))  # addressed to the old identity
    old = sync.show_keys(world.village_a)
    with world.village_a.write("test.restore", Permission.MANAGE_SETTINGS) as work:
        state = work.session.get(DeviceState, 1)
        assert state is not None
        state.device_id, state.last_seq = uuid.uuid4(), 0  # what a restore does (services.backups)
    new = sync.show_keys(world.village_a)
    assert new.device != old.device
    assert new.fingerprint != old.fingerprint
    report = receive(world.village_a, world.file("t1.mdsync"))
    assert report.ok, report.files[0].messages


def test_trust_refuses_what_is_not_a_peer(world: World) -> None:
    sync.export_public_key(world.village_a, world.file("a.pub"))
    sync.export_public_key(world.village_b, world.file("b.pub"))
    with pytest.raises(ValidationError, match="自己的公钥"):
        sync.trust_key_file(world.village_a, world.file("a.pub"))
    with pytest.raises(ValidationError, match="同级"):
        sync.trust_key_file(world.village_a, world.file("b.pub"))
    with pytest.raises(ValidationError, match="县级工作台只信任乡镇"):
        sync.trust_key_file(world.county, world.file("a.pub"))
    again = sync.trust_key_file(world.township, world.file("a.pub"))
    assert again.already
    assert not again.certified
    with pytest.raises(ValidationError, match="找不到"):
        sync.trust_key_file(world.township, world.file("missing.pub"))


@pytest.mark.usefixtures("keyring_restored")
def test_the_same_device_with_another_key_is_refused(world: World) -> None:
    impostor = sync.show_keys(world.village_a)
    with world.township.read() as session:
        assert session.get(SyncPeer, impostor.device) is not None
    store = _store(world.village_a)
    for name in (f"sync-signing-{impostor.fingerprint[:16]}", f"sync-age-{impostor.fingerprint[:16]}"):
        store.delete(name)
    with world.village_a.write("test.forget", Permission.MANAGE_SETTINGS) as work:
        work.session.execute(sa.delete(Setting).where(Setting.key == IDENTITY_SETTING))
    sync.export_public_key(world.village_a, world.file("same-device.pub"))  # new keys, same device id
    with pytest.raises(DomainError, match="另一把密钥"):
        sync.trust_key_file(world.township, world.file("same-device.pub"))


def test_a_township_certifies_each_device_it_pins(world: World) -> None:
    with world.township.read() as session:
        subjects = set(session.scalars(sa.select(SyncCertificate.subject_device)))
        peers = set(session.scalars(sa.select(SyncPeer.device)))
    assert subjects == peers
    assert len(peers) == 4
    with world.county.read() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(SyncCertificate)) == 0


def test_the_exported_identity_decrypts_a_sync_file_with_the_age_tool(world: World) -> None:
    ledger(world.village_a, world.files, 2, seed=53)
    send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    identity = world.file("township-identity.txt")
    sync.export_identity(world.township, identity)
    assert stat.S_IMODE(identity.stat().st_mode) == 0o600
    lines = identity.read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if not line.startswith("#")] == [
        line for line in lines if line.startswith("AGE-SECRET-KEY-1")
    ]
    with pytest.raises(ValidationError, match="已存在"):
        sync.export_identity(world.township, identity)
    data = world.file("a1.mdsync").read_bytes()
    payload = data[data.index(b"\n") + 1 :]
    result = subprocess.run(
        ["age", "-d", "-i", str(identity)], input=payload, capture_output=True, check=True, timeout=60
    )
    with zipfile.ZipFile(io.BytesIO(result.stdout)) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
    assert {"manifest.json", "manifest.sig", "certs.json", "receipts.jsonl"} <= set(names)
    assert manifest["recipient"]["org"] == TOWNSHIP[0]
    assert manifest["sender"]["org"] == VILLAGES[0][0]
    with world.village_a.read() as session:
        assert desk_keys(session, create=False).key.org == VILLAGES[0][0]
