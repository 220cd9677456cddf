"""``sync import``: SYNC.md's import pipeline, fail closed, one transaction per file.

For each file: ``sync.fileformat.open_sync_file`` checks it up to its revisions with this desk's identities and
trust (a refusal says why, and the file leaves nothing behind); a file already imported (same id and SHA-256) is
reported and changes nothing. Then, in one transaction:

1. the revisions are streamed in batches into the log as a **union** keyed by ``(origin_device, origin_seq)``:
   a key already held with the same content is a duplicate, with other content **equivocation** (refused and
   reported); the devices they come from are remembered with the organisation they write for. A large file's
   signatures are checked by helper processes (``sync.verifying``) while the batches go in;
2. units learned from other desks are brought up to date (``orgs.settle_orgs``), then the touched records are
   merged into the live tables (``apply.settle``: authorisation, leaves, winners, conflicts, held records), from
   the new revisions as parsed (``incoming``) and the older ones read from the log;
3. the receipts the file carries are stored (they acknowledge this desk's exports), remarks are added (sequence
   gaps in logs this desk should hold whole, clocks far ahead), and the import log row and a receipt for the
   sender are written.

``--dry-run`` runs all of it and rolls back (several files: each in a savepoint of one transaction that is
rolled back at the end, so the preview of the second file sees the first), so the preview is exact.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.orm import Session

from mediation_desk.domain import hlc as clock
from mediation_desk.domain.permissions import Permission
from mediation_desk.services.desk import Desk
from mediation_desk.services.sync import apply, trust
from mediation_desk.services.sync.common import SyncDesk, open_sync, schema_version
from mediation_desk.services.sync.incoming import Incoming, Logged
from mediation_desk.services.sync.orgs import Owners, settle_orgs
from mediation_desk.services.sync.report import ERROR, OK, WARNING, FileReport, ImportReport, Message, table_name
from mediation_desk.store import revisions
from mediation_desk.store.queries import sync as queries
from mediation_desk.store.queries.sync import LogRow
from mediation_desk.store.sync_models import SyncExport, SyncImport, SyncReceipt, SyncReceiptQueue
from mediation_desk.sync.errors import SyncFileError
from mediation_desk.sync.gaps import gaps
from mediation_desk.sync.merge import MergeError
from mediation_desk.sync.reader import SyncFile, VerifiedRevision, open_sync_file
from mediation_desk.sync.trust import Receipt, TrustedDevice
from mediation_desk.sync.verifying import Workers

BATCH = 2000
PARALLEL_FROM = 1000  # revisions in a file from which its signatures are checked on other cores
Key = tuple[uuid.UUID, int]
Progress = Callable[[int, int], None]


def _batches(items: Iterable[VerifiedRevision], size: int | None = None) -> Iterator[list[VerifiedRevision]]:
    stream = iter(items)
    while batch := list(islice(stream, BATCH if size is None else size)):
        yield batch


def _same(held: LogRow, incoming: VerifiedRevision) -> bool:
    revision = incoming.revision
    if held.signature is not None and held.signature == revision.signature:
        return True  # Ed25519 signatures are deterministic: one key, one message, one signature
    return (held.table_name, held.record_id, held.vv, held.hlc, held.deleted, held.data) == (
        revision.table,
        revision.record_id,
        revision.vv_text,
        revision.hlc,
        revision.deleted,
        revision.data_text,
    )


class Union:
    """The revisions of one file added to the log batch by batch, with what they touched.

    A key is looked up in the log only when it could be there: its device's highest number held before the file
    (one look into the unique index per device) is at least the key's; a key of a device newer than everything
    held is new without a look. Of the revisions already taken from this file only the signature is remembered
    (``seen``): one device key signs one content with one signature, so the same signature is the same line.
    The new revisions themselves are kept, parsed, in ``incoming`` for the merge.
    """

    def __init__(self, sync: SyncDesk, report: FileReport) -> None:
        self.sync = sync
        self.report = report
        self.seen: dict[Key, bytes] = {}
        self.new_keys: set[Key] = set()
        self.touched: dict[str, set[uuid.UUID]] = {}
        self.repeated: dict[str, set[uuid.UUID]] = {}  # records of revisions already held
        self.devices: dict[uuid.UUID, TrustedDevice] = {}
        self.ahead: set[uuid.UUID] = set()  # devices whose clocks are far ahead of this desk's
        self.max_hlc = 0
        self.change_id = revisions.change_set(sync.session, sync.now)
        self.incoming = Incoming(queries.last_revision_id(sync.session), self.change_id)
        self._tops: dict[uuid.UUID, int] = {}  # per device, its highest number held before this file
        self._limit = clock.millis(sync.now) + int(clock.MAX_SKEW.total_seconds() * 1000)

    def _top(self, device: uuid.UUID) -> int:
        if device not in self._tops:
            self._tops[device] = queries.top_seq(self.sync.session, device)
        return self._tops[device]

    def add(self, batch: list[VerifiedRevision]) -> None:
        keys = {(item.revision.origin_device, item.revision.origin_seq) for item in batch}
        maybe = {key for key in keys - self.seen.keys() if key[1] <= self._top(key[0])}
        held = queries.revisions_by_key(self.sync.session, maybe) if maybe else {}
        fresh: list[VerifiedRevision] = []
        for item in batch:
            revision = item.revision
            key = (revision.origin_device, revision.origin_seq)
            known = held.get(key)
            earlier = self.seen.get(key)
            if known is not None and not _same(known, item):
                self._equivocation(item, known.table_name)
            elif earlier is not None and earlier != revision.signature:
                self._equivocation(item, revision.table)
            elif known is None and earlier is None:
                fresh.append(item)
                self.seen[key] = revision.signature
            else:
                self.repeated.setdefault(revision.table, set()).add(revision.record_id)
        self._insert(fresh)

    def _equivocation(self, item: VerifiedRevision, table: str) -> None:
        revision = item.revision
        self.report.tally(table).rejected += 1
        self.report.note(
            Message(
                "equivocation",
                f"{item.origin.key.org_name}的设备 {revision.origin_device} 的第 {revision.origin_seq} 号修订"
                "与本工作台已有的同号修订内容不同：后到的一份已拒收（同一编号只能有一种内容）",
                table,
                str(revision.record_id),
            )
        )

    def _insert(self, fresh: list[VerifiedRevision]) -> None:
        if not fresh:
            return
        cases = self._tombstone_cases(fresh)
        keep = self.incoming.room(len(fresh), lambda: queries.last_revision_id(self.sync.session))
        rows = []
        for item in fresh:
            revision = item.revision
            device, record = revision.origin_device, revision.record_id
            self.devices.setdefault(device, item.origin)
            self.max_hlc = max(self.max_hlc, revision.hlc)
            if revision.hlc >> clock.COUNTER_BITS > self._limit:
                self.ahead.add(device)
            self.new_keys.add((device, revision.origin_seq))
            self.touched.setdefault(revision.table, set()).add(record)
            data = revision.data  # parsed from the line and nowhere else: shared, not copied
            case = _case_of(revision.table, record, data, cases)
            rows.append(
                {
                    "origin_device": device,
                    "origin_seq": revision.origin_seq,
                    "table_name": revision.table,
                    "record_id": record,
                    "vv": revision.vv_text,  # as cut from the line read
                    "hlc": revision.hlc,
                    "deleted": revision.deleted,
                    "data": revision.data_text,
                    "signature": revision.signature,
                    "case_id": case,
                    "change_id": self.change_id,
                }
            )
            vv = revision.vv if type(revision.vv) is dict else dict(revision.vv)
            self.incoming.add(
                Logged(
                    device,
                    revision.origin_seq,
                    revision.table,
                    record,
                    vv,
                    revision.hlc,
                    revision.deleted,
                    data if type(data) is dict else dict(data),
                    case,
                    True,
                ),
                keep=keep,
            )
        queries.insert_revisions(self.sync.session, rows)
        known: dict[tuple[str, uuid.UUID], uuid.UUID] = {}
        for item in fresh:
            revision = item.revision
            case = cases.get(revision.record_id)
            if case is not None and not revision.deleted and revision.table != "dispute_case":
                known[(revision.table, revision.record_id)] = case
        queries.fill_cases(self.sync.session, known)

    def _tombstone_cases(self, fresh: list[VerifiedRevision]) -> dict[uuid.UUID, uuid.UUID]:
        """The case of each record deleted by a tombstone (tombstones carry no row): from its earlier revisions."""
        found: dict[uuid.UUID, uuid.UUID] = {}
        wanted: dict[str, set[uuid.UUID]] = {}
        for item in fresh:
            revision = item.revision
            if revision.deleted and revision.table != "dispute_case":
                wanted.setdefault(revision.table, set()).add(revision.record_id)
            elif isinstance(revision.data.get("case_id"), str):
                found[revision.record_id] = _case_id(str(revision.data["case_id"]))
        for table, records in wanted.items():
            for row in queries.revisions_of_records(self.sync.session, table, records):
                if row.case_id is not None:
                    found.setdefault(row.record_id, row.case_id)
        return found


def _case_of(table: str, record: uuid.UUID, data: Any, cases: dict[uuid.UUID, uuid.UUID]) -> uuid.UUID | None:
    if table == "dispute_case":
        return record
    value = data.get("case_id") if data else None
    return _case_id(value) if isinstance(value, str) else cases.get(record)


@functools.lru_cache(maxsize=4096)
def _case_id(text: str) -> uuid.UUID:
    """A case's id (a case's parties, sessions and agreements name it, one after the other)."""
    return uuid.UUID(text)


# ---------------------------------------------------------------------------------------------------------------
# One file


def _already_imported(session: Session, opened: SyncFile) -> bool:
    query = sa.select(SyncImport.id).where(SyncImport.file_id == opened.file_id, SyncImport.sha256 == opened.sha256)
    return session.scalar(query.limit(1)) is not None


def _describe(report: FileReport, opened: SyncFile, sync: SyncDesk) -> None:
    report.file_id = str(opened.file_id)
    report.sha256 = opened.sha256
    report.kind = opened.manifest.kind
    report.sender = (
        sync.label(opened.sender.key.org)
        if opened.sender.key.org in sync.labels
        else (f"{opened.sender.key.org_name}（{opened.sender.key.org}）")
    )
    report.revisions = opened.manifest.counts.revisions


def merge_file(
    sync: SyncDesk,
    opened: SyncFile,
    report: FileReport,
    progress: Progress | None = None,
    workers: Workers | None = None,
) -> set[uuid.UUID]:
    """Merge one opened file (the caller's transaction; it raises and rolls back on anything wrong); ``workers``
    check the signatures of a large file on other cores. Returns the cases whose rows the file changed (a case's
    own row, or a row that names it, written or deleted): what a summary kept per case must refresh."""
    session = sync.session
    _describe(report, opened, sync)
    if _already_imported(session, opened):
        report.already_imported = True
        report.note(Message("already_present", "此文件已经导入过，未作改动"), status=OK)
        return set()
    union = Union(sync, report)
    done = 0
    helpers = workers if workers is not None and report.revisions >= PARALLEL_FROM else None
    for batch in _batches(opened.revisions(helpers)):
        union.add(batch)
        done += len(batch)
        if progress is not None:
            progress(done, report.revisions)
    for device in union.devices.values():
        trust.remember_device(session, device, sync.now)
    writers = sync.writers()
    index = settle_orgs(session, writers)
    owners = Owners(session, index, union.incoming)
    context = apply.Context(index, owners, writers, sync.keys.devices, sync.labels, sync.now)
    changed: set[uuid.UUID] = set()
    for part in _parts(union.touched, union.incoming):
        changed |= apply.settle(session, part, union.new_keys, context, report, union.incoming)
    _duplicates(union, report)
    _receipts(session, opened.receipts, sync.now)
    _remarks(sync, union, context, report)
    if union.max_hlc:
        revisions.observe_clock(session, union.max_hlc, sync.now)
    _log(sync, opened, report)
    return changed


SETTLE_PART = 20_000  # records merged at once: a larger file is merged in parts of about this many, case by case


def _parts(touched: dict[str, set[uuid.UUID]], incoming: Incoming) -> Iterator[dict[str, set[uuid.UUID]]]:
    """The records a file touched, in parts that the merge settles one after the other, so that the memory it
    takes is bounded whatever the file's size: all at once up to ``SETTLE_PART`` records; else the records of
    no case first (mediators and the like, which cases' rows name), then case by case, each case whole (its
    own row with every row that names it), so that a row finds what it names written in its part or before."""
    if sum(len(records) for records in touched.values()) <= SETTLE_PART:
        yield touched
        return
    by_case: dict[uuid.UUID | None, list[tuple[str, uuid.UUID]]] = {}
    for table, records in touched.items():
        for record in records:
            by_case.setdefault(incoming.case_of(table, record), []).append((table, record))
    part: dict[str, set[uuid.UUID]] = {}
    size = 0
    for case in [None, *sorted((case for case in by_case if case is not None), key=str)]:
        for table, record in by_case.get(case, ()):
            part.setdefault(table, set()).add(record)
        size += len(by_case.get(case, ()))
        if size >= SETTLE_PART:
            yield part
            part, size = {}, 0
    if part:
        yield part


def _duplicates(union: Union, report: FileReport) -> None:
    """Records whose revisions in the file were all held already: unchanged."""
    for table, records in union.repeated.items():
        if table != "org_unit":
            report.tally(table).unchanged += len(records - union.touched.get(table, set()))
    repeated = report.revisions - len(union.new_keys) - report.totals().rejected
    if repeated > 0:
        report.note(Message("already_present", f"{repeated} 条修订本工作台已经有了（文件重叠，无害）"), status=OK)


def _receipts(session: Session, receipts: Sequence[Receipt], now: datetime) -> None:
    """Store the receipts a file carries: each acknowledges one of this desk's exports to its sender."""
    for receipt in receipts:
        exists = session.scalar(
            sa.select(SyncReceipt.id).where(
                SyncReceipt.file_id == receipt.file_id, SyncReceipt.by_device == receipt.by_device
            )
        )
        if exists is None:
            session.add(
                SyncReceipt(
                    file_id=receipt.file_id,
                    by_device=receipt.by_device,
                    by_org=receipt.by_org,
                    imported=receipt.imported,
                    holds=json.dumps(dict(receipt.holds), sort_keys=True, separators=(",", ":")),
                    signature=receipt.signature,
                    received_at=now,
                )
            )
        export = session.scalar(
            sa.select(SyncExport).where(
                SyncExport.file_id == receipt.file_id, SyncExport.peer_device == receipt.by_device
            )
        )
        if export is None:
            continue
        if export.acknowledged_at is None:
            export.acknowledged_at = now
        session.execute(
            sa.update(SyncReceiptQueue)
            .where(SyncReceiptQueue.for_device == receipt.by_device, SyncReceiptQueue.first_export <= export.id)
            .values(delivered=True)
        )
    session.flush()


def _remarks(sync: SyncDesk, union: Union, context: apply.Context, report: FileReport) -> None:
    """Sequence gaps in the logs this desk should hold whole, and clocks far ahead."""
    for device in sorted(union.ahead, key=str):
        writer = context.writers.get(device)
        who = sync.label(writer.org) if writer else str(device)
        report.note(Message("clock_skew", f"{who}的设备时钟比本机快得多：只用于显示，不影响合并结果"))
    own = sync.keys.key.org
    for device in sorted(union.devices, key=str):
        writer = context.writers.get(device)
        if device in sync.keys.devices or writer is None or writer.org == own:
            continue
        if not context.index.within(writer.org, own):
            continue  # a log this desk holds only in part (its township's, the county's)
        count, top = queries.count_and_top(sync.session, device)
        if count == top:
            continue  # numbers 1 … top all held: no gap (the common case, told without reading them)
        for gap in gaps((str(device), seq) for seq in queries.seqs_of(sync.session, device)):
            report.note(
                Message(
                    "sequence_gap", f"{sync.label(writer.org)}：{gap.message}（可能有文件尚未送到；不影响已收到的记录）"
                )
            )


def _log(sync: SyncDesk, opened: SyncFile, report: FileReport) -> None:
    session = sync.session
    sender = opened.sender.key
    session.add(
        SyncImport(
            file_id=opened.file_id,
            sha256=opened.sha256,
            sender_device=sender.device,
            sender_org=sender.org,
            kind=opened.manifest.kind,
            status=report.status,
            file_created=opened.manifest.created_wall,
            imported_at=sync.now,
            actor=str(session.info.get("actor", "")),
            counts={table: tally.to_json() for table, tally in sorted(report.tallies.items())},
            messages=[message.to_json() for message in report.messages],
        )
    )
    queued = session.scalar(
        sa.select(SyncReceiptQueue.id).where(
            SyncReceiptQueue.file_id == opened.file_id, SyncReceiptQueue.for_device == sender.device
        )
    )
    if queued is None and sender.device not in sync.keys.devices:
        session.add(
            SyncReceiptQueue(
                file_id=opened.file_id,
                file_sha256=opened.sha256,
                for_device=sender.device,
                for_org=sender.org,
                imported=sync.now,
                delivered=False,
            )
        )
    session.flush()


# ---------------------------------------------------------------------------------------------------------------
# Several files


def _open(path: Path, sync: SyncDesk, stack: ExitStack) -> SyncFile:
    return stack.enter_context(
        open_sync_file(
            path,
            desk=sync.local(),
            trust=sync.policy(),
            schema_version=schema_version(),
            tables=queries.table_columns(),
        )
    )


_REFUSED = (SyncFileError, MergeError, exc.IntegrityError)


def _refused(report: FileReport, error: Exception) -> None:
    """A file refused whole: its counts and remarks go (nothing of it was kept), its reason stays."""
    report.tallies.clear()
    report.messages = []
    report.status = OK
    if isinstance(error, exc.IntegrityError):
        text = "合并时与本工作台已有的记录冲突（例如同一单位的案件编号重复）；此文件未导入，数据未作任何改动"
        report.note(Message("conflicting_rows", text), status=ERROR)
    else:
        code = error.code if isinstance(error, SyncFileError | MergeError) else "refused"
        report.note(Message(code, str(error)), status=ERROR)


IMPORT_CACHE_KIB = 32 * 1024  # SQLite's page cache while importing: room for the log's indexes (the default is 2 MB)


def _one(path: Path, session: Session, report: FileReport, progress: Progress | None, workers: Workers) -> None:
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
    sync = open_sync(session)
    with ExitStack() as stack:
        opened = _open(path, sync, stack)
        merge_file(sync, opened, report, progress, workers)


def import_files(
    desk: Desk,
    paths: Sequence[Path],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Merge each file in its own transaction (``dry_run``: all in one, rolled back); a refused file is reported
    with its reason and changes nothing, the others still merge. ``workers``: helper processes for the signature
    checks of large files (``verifying.default_workers`` by default, 0 for none)."""
    with Workers(workers) as helpers:
        return _import_files(desk, paths, dry_run, progress, helpers)


def _import_files(
    desk: Desk, paths: Sequence[Path], dry_run: bool, progress: Progress | None, workers: Workers
) -> ImportReport:
    reports = [FileReport(path) for path in paths]
    if dry_run:
        with desk.write("sync.import", Permission.SYNC_IMPORT, dry_run=True) as work:
            for path, report in zip(paths, reports, strict=True):
                savepoint = work.session.begin_nested()
                try:
                    _one(path, work.session, report, progress, workers)
                    savepoint.commit()
                except _REFUSED as error:
                    savepoint.rollback()
                    _refused(report, error)
        return ImportReport(reports, dry_run=True)
    for path, report in zip(paths, reports, strict=True):
        try:
            with desk.write("sync.import", Permission.SYNC_IMPORT) as work:
                _one(path, work.session, report, progress, workers)
                work.changed(*queries.synced_tables())
        except _REFUSED as error:
            _refused(report, error)
    return ImportReport(reports)


__all__ = ["ERROR", "OK", "WARNING", "import_files", "merge_file", "table_name"]
