"""Builders shared by the tests of sync on real desks: a synthetic county (three villages, a township and the
county, each its own data folder, keys exchanged), canonical hashes of a desk's content, and files crafted with a
desk's own keys (to test what an honest desk never writes). Every name, code and row here is made up."""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from mediation_desk.domain import canonical
from mediation_desk.domain.codes import OrgLevel
from mediation_desk.domain.permissions import Permission
from mediation_desk.services import sync
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.ledger import import_ledger
from mediation_desk.services.setup import SetupInput, initialise
from mediation_desk.services.sync.common import schema_version
from mediation_desk.services.sync.identity import desk_keys
from mediation_desk.store.models import Base, DisputeCase
from mediation_desk.store.queries.sync import org_columns, synced_tables
from mediation_desk.sync.fileformat import Outgoing, WrittenFile, write_sync_file
from mediation_desk.sync.lines import SignedRevision, sign_revision
from tests.conftest import TEST_PASSWORD
from tests.unit.ledgers import random_ledger, write_csv

COUNTY = ("331122", "缙云县")
TOWNSHIP = ("331122001", "五云街道")
VILLAGES = (
    ("331122001001", "示例村人民调解委员会"),
    ("331122001002", "样本村人民调解委员会"),
    ("331122001003", "新田村人民调解委员会"),
)
NAMES = ("village_a", "village_b", "village_c", "township", "county")
LOCAL_ONLY = {"revision": ("id", "change_id")}  # a desk's own bookkeeping: differs between desks and orders


def test_the_world_template_has_every_desk(world_template: Path) -> None:
    assert sorted(path.name for path in world_template.iterdir() if path.is_dir()) == sorted(NAMES)


def _setup(code: str, name: str, level: OrgLevel, parent: str | None) -> SetupInput:
    return SetupInput(code, name, level, parent, "admin", TEST_PASSWORD)


def _build(root: Path) -> None:
    """Five desks, each initialised as ``init`` does, public keys exchanged and trusted both ways."""
    setups = {
        "village_a": _setup(*VILLAGES[0], OrgLevel.VILLAGE, TOWNSHIP[0]),
        "village_b": _setup(*VILLAGES[1], OrgLevel.VILLAGE, TOWNSHIP[0]),
        "village_c": _setup(*VILLAGES[2], OrgLevel.VILLAGE, TOWNSHIP[0]),
        "township": _setup(*TOWNSHIP, OrgLevel.TOWNSHIP, COUNTY[0]),
        "county": _setup(*COUNTY, OrgLevel.COUNTY, None),
    }
    desks = {name: initialise(root / name, setup, Actor.local_operator("test")) for name, setup in setups.items()}
    try:
        for name, desk in desks.items():
            sync.export_public_key(desk, root / f"{name}.pub")
        for village in NAMES[:3]:
            sync.trust_key_file(desks[village], root / "township.pub")
            sync.trust_key_file(desks["township"], root / f"{village}.pub")
        sync.trust_key_file(desks["township"], root / "county.pub")
        sync.trust_key_file(desks["county"], root / "township.pub")
    finally:
        for desk in desks.values():
            desk.close()


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sync-world")
    _build(root)
    return root


@dataclass
class World:
    """The five desks of one test (fresh copies of the template), open, and a folder for files."""

    root: Path
    desks: dict[str, Desk]

    def __getattr__(self, name: str) -> Desk:
        desks: dict[str, Desk] = self.__dict__["desks"]
        if name in desks:
            return desks[name]
        raise AttributeError(name)

    @property
    def files(self) -> Path:
        folder = self.root / "files"
        folder.mkdir(exist_ok=True)
        return folder

    def file(self, name: str) -> Path:
        return self.files / name

    def reopen(self, name: str) -> Desk:
        self.desks[name].close()
        self.desks[name] = Desk.open(self.root / name, Actor.local_operator("test"), lock=True)
        return self.desks[name]


@pytest.fixture
def world(world_template: Path, tmp_path: Path) -> Iterator[World]:
    for name in NAMES:
        shutil.copytree(world_template / name, tmp_path / name, ignore=shutil.ignore_patterns("*.lock"))
    desks = {name: Desk.open(tmp_path / name, Actor.local_operator("test"), lock=True) for name in NAMES}
    yield World(tmp_path, desks)
    for desk in desks.values():
        desk.close()


# ---------------------------------------------------------------------------------------------------------------
# Content


def ledger(desk: Desk, folder: Path, count: int, seed: int) -> list[dict[str, Any]]:
    """Import a synthetic ledger of ``count`` cases into ``desk``; returns its rows."""
    rows = random_ledger(count, seed=seed)
    for row in rows:
        row["纠纷简要情况"] = f"{row['纠纷简要情况']}（{seed}）"
    path = write_csv(folder / f"ledger-{seed}.csv", rows)
    import_ledger(desk, path)
    return rows


def _rows(session: Any, table: sa.Table, skip: Sequence[str], codes: dict[Any, str] | None) -> list[str]:
    columns = [column for column in table.columns if column.name not in skip]
    named = set(org_columns().get(table.name, ())) | ({"id"} if table.name == "org_unit" else set())
    found = []
    for row in session.execute(sa.select(*columns)).all():
        values = {c.name: _plain(value) for c, value in zip(columns, row, strict=True)}
        if codes is not None:
            for name in named & set(values):
                values[name] = codes.get(values[name], values[name])
        found.append(canonical.dumps(values))
    return sorted(found)


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, float):
        return repr(value)
    return (
        canonical.plain(value) if not isinstance(value, dict | list) else json.loads(json.dumps(value, sort_keys=True))
    )


def content(desk: Desk, tables: Sequence[str] | None = None, *, portable: bool = False) -> dict[str, list[str]]:
    """Every row of ``tables`` (all tables by default) as canonical text, values as the program reads them
    (decrypted), sorted. ``portable`` makes rows comparable between desks: organisation units by their codes
    (each desk has its own ids for them), and none of a desk's own bookkeeping (local ids in the log)."""
    from mediation_desk.store.models import OrgUnit

    names = list(tables) if tables is not None else sorted(Base.metadata.tables)
    with desk.read() as session:
        codes = {str(org_id): code for org_id, code in session.execute(sa.select(OrgUnit.id, OrgUnit.code))}
        return {
            name: _rows(
                session,
                Base.metadata.tables[name],
                LOCAL_ONLY.get(name, ()) if portable else (),
                codes if portable else None,
            )
            for name in names
        }


def digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def database_hash(desk: Desk) -> str:
    """Of every table: "unchanged" means this is the same before and after."""
    return digest(content(desk))


def synced_hash(desk: Desk) -> str:
    """Of the synced records alone (the live tables), comparable between desks and import orders."""
    return digest(content(desk, synced_tables()))


def log_set(desk: Desk) -> set[str]:
    """The revision log as a set of canonical texts (without this desk's local ids)."""
    return set(content(desk, ["revision"], portable=True)["revision"])


def open_conflicts(desk: Desk) -> set[tuple[str, str, str, str]]:
    """(table, record, label, leaves) of each open conflict."""
    from mediation_desk.store.sync_models import SyncConflict

    with desk.read() as session:
        rows = session.execute(
            sa.select(SyncConflict.table_name, SyncConflict.record_id, SyncConflict.label, SyncConflict.leaves).where(
                SyncConflict.closed_at.is_(None)
            )
        )
        return {(table, str(record), label, leaves) for table, record, label, leaves in rows}


def case_ids(desk: Desk, org_code: str | None = None) -> list[uuid.UUID]:
    from mediation_desk.store.models import OrgUnit

    with desk.read() as session:
        query = sa.select(DisputeCase.id).join(OrgUnit, OrgUnit.id == DisputeCase.org_id).order_by(DisputeCase.id)
        if org_code is not None:
            query = query.where(OrgUnit.code == org_code)
        return list(session.scalars(query))


def edit_case(desk: Desk, case_id: uuid.UUID, **values: Any) -> None:
    """A local edit through the ORM, as every service makes one (its revision comes from the flush hooks)."""
    with desk.write("test.edit", Permission.EDIT_CASE) as work:
        case = work.session.get(DisputeCase, case_id)
        assert case is not None
        for name, value in values.items():
            setattr(case, name, value)


def send(source: Desk, to: str, path: Path, *, full: bool = False) -> sync.ExportSummary:
    return sync.export_file(source, to, path, full=full)


def receive(target: Desk, *paths: Path, dry_run: bool = False) -> sync.ImportReport:
    return sync.import_files(target, list(paths), dry_run=dry_run)


# ---------------------------------------------------------------------------------------------------------------
# Files an honest desk would never write, signed with a desk's real keys


def signed(desk: Desk, **fields: Any) -> SignedRevision:
    """A revision signed with ``desk``'s own key (origin and vector default to its device and ``origin_seq``)."""
    with desk.read() as session:
        keys = desk_keys(session, create=False)
    device = fields.pop("origin_device", keys.key.device)
    seq = fields.pop("origin_seq")
    fields.setdefault("vv", {str(device): seq})
    fields.setdefault("hlc", int(datetime(2026, 3, 1, tzinfo=UTC).timestamp() * 1000) << 16)
    fields.setdefault("deleted", False)
    return sign_revision(keys.signer, origin_device=device, origin_seq=seq, **fields)


def craft(sender: Desk, recipient: Desk, path: Path, revisions: Sequence[SignedRevision]) -> WrittenFile:
    """A file from ``sender`` to ``recipient`` holding exactly ``revisions``."""
    with sender.read() as session:
        keys = desk_keys(session, create=False)
    with recipient.read() as session:
        peer = desk_keys(session, create=False).key
    outgoing = Outgoing(keys.key, keys.signer, peer)
    return write_sync_file(path, outgoing, revisions, schema_version=schema_version(), created_hlc=1 << 16)
