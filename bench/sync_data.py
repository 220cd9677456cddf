"""Synthetic sync data for the benchmarks (``bench.sync``): a county-year of records as the desks of its villages
and townships made them, their device keys and certificates, the townships' sync files to the county, and the
county desk that receives them. Everything is generated from a seed; nothing is a real person's or a real key.
"""

from __future__ import annotations

import csv
import json
import random
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from mediation_desk.demo.places import COUNTY_CODE, COUNTY_NAME
from mediation_desk.domain import hlc as clock
from mediation_desk.domain.codes import OrgLevel, UserRole
from mediation_desk.services import sync
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.orgs import import_orgs
from mediation_desk.services.setup import SetupInput, initialise, initialise_database
from mediation_desk.services.sync.common import schema_version
from mediation_desk.services.sync.identity import desk_keys
from mediation_desk.services.sync.orgs import canonical_org_id
from mediation_desk.store.database import Database
from mediation_desk.store.models import Base, OrgUnit, Revision
from mediation_desk.store.queries.sync import ORG_TABLE, org_columns, synced_tables
from mediation_desk.sync.fileformat import Outgoing, write_sync_file
from mediation_desk.sync.keys import AgeIdentity, DeviceKey, SigningKey, public_key_file
from mediation_desk.sync.lines import SignedRevision, sign_revision
from mediation_desk.sync.trust import Certificate, issue_certificate

ACTOR = Actor("bench", UserRole.ADMIN)
BENCH_PASSWORD = "bench-password"  # synthetic desks made and deleted by the benchmarks
BASE_HLC = clock.millis(datetime(2025, 6, 1, tzinfo=UTC)) << clock.COUNTER_BITS
SEED = 2026
REFERENCES = ("case_id", "mediator_id", "agreement_id", "replaces_id", "scan_attachment_id")

# ---------------------------------------------------------------------------------------------------------------
# The corpus: every record of a synthetic county-year, as the desk of its organisation made it


@dataclass(frozen=True, slots=True)
class Item:
    table: str
    record_id: uuid.UUID
    org: str  # the organisation whose desk made the record
    data: dict[str, Any]  # the canonical row, organisation ids in canonical form


@dataclass
class Corpus:
    units: list[tuple[str, str, str, str | None]]  # code, name, level, parent code
    items: list[Item]
    skipped: int = 0  # records of the county's own (no township relays them)

    def townships(self) -> dict[str, str]:
        """The township of each organisation at or below a township."""
        levels = {code: (level, parent) for code, _name, level, parent in self.units}
        found: dict[str, str] = {}
        for start in levels:
            code: str | None = start
            while code is not None and code in levels and levels[code][0] != OrgLevel.TOWNSHIP.value:
                code = levels[code][1]
            if code is not None and code in levels:
                found[start] = code
        return found

    def by_township(self) -> dict[str, list[Item]]:
        townships = self.townships()
        grouped: dict[str, list[Item]] = {}
        for item in self.items:
            grouped.setdefault(townships[item.org], []).append(item)
        return dict(sorted(grouped.items()))


def read_corpus(root: Path) -> Corpus:
    """Every synced record of the desk in ``root`` (the demo county), each with the organisation it belongs to."""
    desk = Desk.open(root, ACTOR)
    try:
        with desk.read() as session:
            units = session.execute(sa.select(OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.level, OrgUnit.parent_id))
            rows = [
                (org_id, code, name, str(getattr(level, "value", level)), parent)
                for org_id, code, name, level, parent in units
            ]
            logged = session.execute(
                sa.select(Revision.table_name, Revision.record_id, Revision.data)
                .where(Revision.table_name != ORG_TABLE, Revision.deleted.is_(False))
                .order_by(Revision.id)
            ).all()
    finally:
        desk.close()
    code_of = {str(org_id): code for org_id, code, _name, _level, _parent in rows}
    corpus = Corpus([(code, name, level, code_of.get(str(parent))) for _id, code, name, level, parent in rows], [])
    owners = {str(canonical_org_id(code)): code for code in code_of.values()}  # and each record's, as it comes
    order = {table: number for number, table in enumerate(synced_tables())}
    for table, record, text in sorted(logged, key=lambda row: order[row[0]]):
        data = json.loads(text)
        for column in org_columns().get(table, ()):
            if data.get(column):
                data[column] = str(canonical_org_id(code_of[data[column]]))
        org = _owner(table, data, owners)
        owners[str(record)] = org
        if org == COUNTY_CODE:
            corpus.skipped += 1
        else:
            corpus.items.append(Item(table, record, org, data))
    return corpus


def _owner(table: str, data: dict[str, Any], owners: dict[str, str]) -> str:
    """The organisation of a record: its own unit's, or its case's, or its mediator's (``owners`` holds those of
    the units, by canonical id, and of the records read so far)."""
    for column in ("org_id", "case_id", "mediator_id"):
        if data.get(column):
            return owners[data[column]]
    raise ValueError(f"a {table} record without an organisation")


def clones(items: Sequence[Item], count: int) -> Iterator[Item]:
    """``count`` revisions: ``items``, then copies of them under new ids (case numbers left blank, so that no
    unique number repeats), as many as it takes."""
    for copy in range(count // max(1, len(items)) + 1):
        for item in items:
            if count <= 0:
                return
            count -= 1
            if copy == 0:
                yield item
                continue
            data = dict(item.data)
            data["id"] = str(_copy_id(item.record_id, copy))
            for column in REFERENCES:
                if data.get(column):
                    data[column] = str(_copy_id(uuid.UUID(data[column]), copy))
            if item.table == "dispute_case":
                data["number"] = None
            yield Item(item.table, _copy_id(item.record_id, copy), item.org, data)


def _copy_id(record: uuid.UUID, copy: int) -> uuid.UUID:
    return uuid.uuid5(record, str(copy)) if copy else record


# ---------------------------------------------------------------------------------------------------------------
# Keys: one synthetic device per village and township, certificates from each township for its villages


@dataclass(frozen=True, slots=True)
class Origin:
    key: DeviceKey
    signer: SigningKey


@dataclass
class Keys:
    devices: dict[str, Origin]  # organisation code → its desk's device
    townships: dict[str, Origin]
    certificates: dict[str, list[Certificate]] = field(default_factory=dict)  # township code → its certificates


def make_keys(corpus: Corpus, seed: int = SEED) -> Keys:
    rng = random.Random(seed)
    names = {code: name for code, name, _level, _parent in corpus.units}
    levels = {code: level for code, _name, level, _parent in corpus.units}
    keys = Keys({}, {})

    def origin(code: str) -> Origin:
        signer = SigningKey.from_bytes(rng.randbytes(32))
        device = uuid.UUID(int=rng.getrandbits(128), version=4)
        key = DeviceKey(code, names[code], device, levels[code], signer.public_key, AgeIdentity.generate().recipient)
        return Origin(key, signer)

    townships = corpus.townships()
    for code in sorted({townships[item.org] for item in corpus.items}):
        keys.townships[code] = keys.devices[code] = origin(code)
    issued = date(2025, 1, 2)
    for code in sorted({item.org for item in corpus.items} - set(keys.townships)):
        keys.devices[code] = origin(code)
        township = keys.townships[townships[code]]
        certificate = issue_certificate(keys.devices[code].key, township.key, township.signer, issued)
        keys.certificates.setdefault(township.key.org, []).append(certificate)
    return keys


@dataclass(frozen=True, slots=True)
class Stamped:
    item: Item
    device: uuid.UUID
    seq: int
    hlc: int


def stamped(items: Iterator[Item], keys: Keys, seqs: dict[str, int]) -> Iterator[Stamped]:
    """Each item numbered as its organisation's device's next revision (on from ``seqs``); the clock ticks once
    a revision (``seqs[""]`` counts them)."""
    for item in items:
        seq = seqs[item.org] = seqs.get(item.org, 0) + 1
        tick = seqs[""] = seqs.get("", 0) + 1
        yield Stamped(item, keys.devices[item.org].key.device, seq, BASE_HLC + (tick << clock.COUNTER_BITS))


def signed(stamps: Iterator[Stamped], keys: Keys) -> Iterator[SignedRevision]:
    for stamp in stamps:
        item = stamp.item
        yield sign_revision(
            keys.devices[item.org].signer,
            origin_device=stamp.device,
            origin_seq=stamp.seq,
            table=item.table,
            record_id=item.record_id,
            vv={str(stamp.device): stamp.seq},
            hlc=stamp.hlc,
            deleted=False,
            data=item.data,
        )


def shares(corpus: Corpus, count: int | None) -> list[tuple[str, list[Item], int]]:
    """Per township: its records and how many revisions it sends (``count`` in all, in proportion)."""
    grouped = corpus.by_township()
    total = len(corpus.items)
    wanted = total if count is None else count
    found = [(code, mine, wanted * len(mine) // total) for code, mine in grouped.items()]
    missing = wanted - sum(share for _code, _mine, share in found)
    return [(code, mine, share + (missing if number == 0 else 0)) for number, (code, mine, share) in enumerate(found)]


def stamps(corpus: Corpus, keys: Keys, count: int | None = None) -> Iterator[tuple[str, Iterator[Stamped]]]:
    """The revisions of each township's file, numbered as ``write_files`` numbers them."""
    seqs: dict[str, int] = {}
    for code, mine, share in shares(corpus, count):
        yield code, stamped(clones(mine, share), keys, seqs)


def write_files(folder: Path, corpus: Corpus, keys: Keys, county: DeviceKey, count: int | None = None) -> list[Path]:
    """One file from each township to the county: its villages' revisions and its own, with its certificates;
    ``count`` revisions in all (the corpus once by default), each township its share, streamed."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for code, revisions in stamps(corpus, keys, count):
        township = keys.townships[code]
        path = folder / f"{code}-to-{county.org}.mdsync"
        write_sync_file(
            path,
            Outgoing(township.key, township.signer, county),
            signed(revisions, keys),
            schema_version=schema_version(),
            created_hlc=BASE_HLC + (1 << 40),
            scope=sorted({org for org, town in corpus.townships().items() if town == code}),
            certificates=keys.certificates.get(code, []),
        )
        paths.append(path)
    return paths


# ---------------------------------------------------------------------------------------------------------------
# The county: a real desk with the organisation tree, the townships' keys pinned


def _units_csv(path: Path, corpus: Corpus) -> Path:
    order = {OrgLevel.COUNTY.value: 0, OrgLevel.TOWNSHIP.value: 1}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "level", "parent_code"])
        for code, name, level, parent in sorted(corpus.units, key=lambda unit: (order.get(unit[2], 2), unit[0])):
            if level != OrgLevel.COUNTY.value:
                writer.writerow([code, name, level, parent or ""])
    return path


def _setup() -> SetupInput:
    return SetupInput(COUNTY_CODE, COUNTY_NAME, OrgLevel.COUNTY, None, "bench", BENCH_PASSWORD)


def prepare_county(desk: Desk, corpus: Corpus, keys: Keys, folder: Path) -> DeviceKey:
    """The organisation tree imported, each township's public key trusted; the county's own key."""
    folder.mkdir(parents=True, exist_ok=True)
    import_orgs(desk, _units_csv(folder / "units.csv", corpus))
    for code, township in keys.townships.items():
        key_file = folder / f"{code}.pub"
        key_file.write_bytes(public_key_file(township.key, township.signer))
        sync.trust_key_file(desk, key_file)
    with desk.read() as session:
        return desk_keys(session, create=False).key


def sqlite_county(root: Path, corpus: Corpus, keys: Keys) -> DeviceKey:
    desk = initialise(root, _setup(), ACTOR)
    try:
        return prepare_county(desk, corpus, keys, root.parent / f"{root.name}-keys")
    finally:
        desk.close()


@contextmanager
def pg_county(server: str, corpus: Corpus, keys: Keys, folder: Path) -> Iterator[tuple[str, DeviceKey]]:
    """A county desk in a fresh schema of the PostgreSQL server ``server`` (dropped afterwards)."""
    base = sa.engine.make_url(server)
    schema = f"md_bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        url = base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
        desk = initialise_database(Database.open_url(url), _setup(), ACTOR)
        try:
            key = prepare_county(desk, corpus, keys, folder)
        finally:
            desk.close()
        yield url, key
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


def open_county(target: str) -> Desk:
    """The county desk of a data folder, or of a database URL."""
    if "://" in target:
        return Desk(Database.open_url(target), ACTOR)
    return Desk.open(Path(target), ACTOR)


def synced_counts(desk: Desk) -> dict[str, int]:
    with desk.read() as session:
        return {
            table: int(session.scalar(sa.select(sa.func.count()).select_from(Base.metadata.tables[table])) or 0)
            for table in synced_tables()
            if table != ORG_TABLE
        }
