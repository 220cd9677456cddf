"""The sync calls walked for every role: each succeeds exactly when ``domain.permissions.ROLES`` allows it, and a
refused one changes nothing (every table, and no file written)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from mediation_desk.domain.codes import UserRole
from mediation_desk.domain.errors import PermissionDenied
from mediation_desk.domain.permissions import Permission, allowed
from mediation_desk.services import sync
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.sync.conflicts import list_conflicts, resolve_conflict
from tests.sync.test_desk_support import (
    TOWNSHIP,
    VILLAGES,
    World,
    case_ids,
    database_hash,
    edit_case,
    ledger,
    receive,
    send,
    world,
    world_template,
)

__all__ = ["world", "world_template"]


@dataclass(frozen=True)
class Call:
    name: str
    permission: Permission
    perform: Callable[[World, Desk], object]
    prepare: Callable[[World], None] = lambda _world: None


def _conflict(world: World) -> None:
    ledger(world.village_a, world.files, 1, seed=81)
    send(world.village_a, TOWNSHIP[0], world.file("a0.mdsync"))
    receive(world.township, world.file("a0.mdsync"))
    case = case_ids(world.village_a)[0]
    edit_case(world.township, case, facts="乡镇改的")
    edit_case(world.village_a, case, facts="村里改的")
    send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    receive(world.township, world.file("a1.mdsync"))


def _village_file(world: World) -> None:
    ledger(world.village_a, world.files, 1, seed=82)
    send(world.village_a, TOWNSHIP[0], world.file("a0.mdsync"))


def _resolve(world: World, desk: Desk) -> object:
    [conflict] = list_conflicts(desk)
    return resolve_conflict(desk, conflict.id, take=conflict.leaves[0].key)


def _public_key(world: World) -> None:
    sync.export_public_key(world.village_c, world.file("c.pub"))
    with world.township.write("test.untrust", Permission.MANAGE_KEYS) as work:
        from mediation_desk.store.sync_models import SyncPeer

        peer = work.session.get(SyncPeer, sync.show_keys(world.village_c).device)
        assert peer is not None
        work.session.delete(peer)


CALLS = [
    Call("ensure_keys", Permission.SYNC_EXPORT, lambda _w, desk: sync.ensure_keys(desk)),
    Call("show_keys", Permission.SYNC_EXPORT, lambda _w, desk: sync.show_keys(desk)),
    Call("export_public_key", Permission.SYNC_EXPORT, lambda w, desk: sync.export_public_key(desk, w.file("t.pub"))),
    Call(
        "trust_key_file",
        Permission.MANAGE_KEYS,
        lambda w, desk: sync.trust_key_file(desk, w.file("c.pub")),
        _public_key,
    ),
    Call("export_identity", Permission.MANAGE_KEYS, lambda w, desk: sync.export_identity(desk, w.file("id.txt"))),
    Call("new_device_identity", Permission.MANAGE_KEYS, lambda _w, desk: sync.new_device_identity(desk)),
    Call(
        "export_file",
        Permission.SYNC_EXPORT,
        lambda w, desk: sync.export_file(desk, VILLAGES[0][0], w.file("t.mdsync")),
    ),
    Call(
        "import_files",
        Permission.SYNC_IMPORT,
        lambda w, desk: sync.import_files(desk, [w.file("a0.mdsync")]),
        _village_file,
    ),
    Call("resolve_conflict", Permission.RESOLVE_CONFLICTS, _resolve, _conflict),
]


def _files(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


@pytest.mark.parametrize("call", CALLS, ids=[call.name for call in CALLS])
@pytest.mark.parametrize("role", list(UserRole), ids=[role.value for role in UserRole])
def test_every_sync_call_for_every_role(world: World, call: Call, role: UserRole) -> None:
    call.prepare(world)
    world.township.close()
    desk = Desk.open(world.root / "township", Actor(f"test:{role.value}", role), lock=True)
    world.desks["township"] = desk
    before, files = database_hash(desk), _files(world.files)
    if allowed(role, call.permission):
        call.perform(world, desk)
        return
    with pytest.raises(PermissionDenied):
        call.perform(world, desk)
    assert database_hash(desk) == before
    assert _files(world.files) == files
