"""The merge on the database (SYNC.md "Revisions and merge", step 7): set-based, for the records a file touched.

After an import has added its revisions to the log (``importing``), ``settle`` takes the records they belong to,
plus every record held back earlier, and for each table in foreign-key order:

1. **authorises** each new revision (and every revision of a held record): its device may write the record's
   organisation (a committee's device only its own organisation's records, a township's its subtree, this desk
   always); a revision that may not is removed from the log and reported (``outside_scope``); one whose
   organisation is not known yet (its case has not arrived) keeps the record held;
2. computes each record's leaves, provisional winner and label from all its revisions (``sync.merge.analyse``),
   organisation ids in canonical form, so the answer is the same on every desk in any order;
3. writes the winners into the live tables (``rows``): deletions children first, then rows parents first; a row
   whose case or other parent is missing waits in ``sync_held``;
4. records conflicts and counts what happened per table.

Leaves are recomputed only for the records touched; nothing here makes an ORM object per revision.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from mediation_desk.services.sync import rows
from mediation_desk.services.sync.incoming import Incoming, Logged
from mediation_desk.services.sync.orgs import OrgIndex, Owners, canonical_data
from mediation_desk.services.sync.report import FileReport, Message, table_name
from mediation_desk.services.sync.trust import COMMITTEES, Writer
from mediation_desk.store.queries import sync as queries
from mediation_desk.store.queries.sync import ORG_TABLE, LogRow
from mediation_desk.sync.merge import RecordState, Revision, analyse

Key = tuple[uuid.UUID, int]


@dataclass
class Context:
    """What the merge needs to know about organisations and devices."""

    index: OrgIndex
    owners: Owners
    writers: dict[uuid.UUID, Writer]
    own_devices: frozenset[uuid.UUID]
    labels: dict[str, str]
    now: datetime

    def label(self, code: str) -> str:
        return self.labels.get(code, code)

    def allowed(self, device: uuid.UUID, org: str) -> bool:
        """May ``device`` write the records of organisation ``org``?"""
        if device in self.own_devices:
            return True
        writer = self.writers.get(device)
        if writer is None:
            return False
        if writer.role in COMMITTEES:
            return org == writer.org
        return self.index.within(org, writer.org)


BOOKKEEPING = ("updated_at",)  # changes with every edit: two edits of different fields are not a conflict over it


def merge_revision(row: LogRow | Logged, index: OrgIndex, parsed: dict[str, Any] | None = None) -> Revision:
    """A logged revision as the merge rules see it: organisation ids in canonical form, and without the columns
    every edit changes (``BOOKKEEPING``: the row written keeps the winner's own value). ``parsed``: its row, if
    already parsed (a ``Logged`` revision carries its own)."""
    if isinstance(row, Logged):
        parsed = row.data
    elif parsed is None:
        parsed = json.loads(row.data)
    data = canonical_data(row.table_name, dict(parsed), index)
    for name in BOOKKEEPING:
        data.pop(name, None)
    return Revision.from_log(
        row.origin_device, row.origin_seq, row.table_name, row.record_id, row.vv, row.hlc, row.deleted, data
    )


def _authorise(
    session: Session,
    table: str,
    logged: list[Logged],
    check: set[Key],
    ctx: Context,
    report: FileReport | None,
    incoming: Incoming | None,
) -> tuple[list[Logged], dict[uuid.UUID, str]]:
    """The revisions kept, and the records whose organisation is not known yet (with what they wait for)."""
    checking = [row for row in logged if row.key in check]
    ctx.owners.prime("dispute_case", {row.case_id for row in checking if row.case_id is not None})
    ctx.owners.prime(table, {row.record_id for row in checking})
    refused: dict[tuple[uuid.UUID, str], list[Logged]] = {}
    waiting: dict[uuid.UUID, str] = {}
    for row in checking:
        org = ctx.owners.org_of(table, row.record_id, row.data, row.case_id)
        before = ctx.owners.record_org(table, row.record_id)  # a record moved elsewhere: both must be allowed
        if org is None:
            waiting[row.record_id] = f"dispute_case:{row.case_id}" if row.case_id else f"org_unit:{row.record_id}"
            continue
        for code in {org, before} - {None}:
            assert code is not None
            if not ctx.allowed(row.origin_device, code):
                refused.setdefault((row.origin_device, code), []).append(row)
                break
    gone = {row.key for group in refused.values() for row in group}
    if gone:
        queries.delete_revisions(session, gone)
        if incoming is not None:
            incoming.discard(table, gone)
        _report_refused(table, refused, ctx, report)
    return [row for row in logged if row.key not in gone], waiting


def _report_refused(
    table: str, refused: dict[tuple[uuid.UUID, str], list[Logged]], ctx: Context, report: FileReport | None
) -> None:
    if report is None:
        return
    for (device, org), group in sorted(refused.items(), key=lambda item: (str(item[0][0]), item[0][1])):
        writer = ctx.writers.get(device)
        who = ctx.label(writer.org) if writer else f"设备 {device}"
        report.tally(table).rejected += len(group)
        report.note(
            Message(
                "outside_scope",
                f"{who}的设备无权修改{ctx.label(org)}的{table_name(table)}记录（{len(group)} 条修订），已拒收",
                table,
                str(group[0].record_id),
            )
        )


def _states(
    logged: Iterable[Logged], index: OrgIndex
) -> tuple[dict[uuid.UUID, RecordState], dict[Key, dict[str, Any]]]:
    """Each record's state, and the bookkeeping columns of the revisions of records with more than one (for the
    row of the winner).

    A record whose one revision is in hand from the file read (most records an import brings) takes a fast path:
    it is its own winner, without a conflict, so its row is taken as parsed (nothing to compare with another
    leaf: no organisation ids made canonical, no bookkeeping columns set aside) and not checked again."""
    groups: dict[uuid.UUID, list[Logged]] = {}
    for row in logged:
        group = groups.get(row.record_id)
        if group is None:
            groups[row.record_id] = [row]
        else:
            group.append(row)
    states: dict[uuid.UUID, RecordState] = {}
    kept: dict[Key, dict[str, Any]] = {}
    for record, group in groups.items():
        if len(group) == 1 and group[0].checked:
            states[record] = analyse([_checked(group[0])])
            continue
        for row in group:
            data = row.data
            kept[row.key] = {name: data[name] for name in BOOKKEEPING if name in data}
        states[record] = analyse([merge_revision(row, index) for row in group])
    return states, kept


def _checked(row: Logged) -> Revision:
    """The revision of a line checked as it was read, its row as parsed."""
    device, record = _text(row.origin_device), str(row.record_id)
    return Revision.checked(device, row.origin_seq, row.table_name, record, row.vv, row.hlc, row.deleted, row.data)


@functools.lru_cache(maxsize=4096)
def _text(device: uuid.UUID) -> str:
    """A device's id as text (a few devices write thousands of revisions each)."""
    return str(device)


def _logged(session: Session, table: str, records: set[uuid.UUID], incoming: Incoming | None) -> list[Logged]:
    """Every revision of ``records``: the import's own in hand, the others from the log; in the order the log
    lists them (by record, then as they were added)."""
    if incoming is None:
        return [Logged.of(row) for row in queries.revisions_of_records(session, table, records)]
    read = queries.revisions_of_records(session, table, records, leave_out=incoming.leave_out)
    earlier = [(row.record_id.int, 0, row.id, Logged.of(row)) for row in read if row.id <= incoming.mark]
    later = [(row.record_id.int, 2, row.id, Logged.of(row)) for row in read if row.id > incoming.mark]
    here = [(row.record_id.int, 1, number, row) for number, row in enumerate(incoming.of_records(table, records))]
    return [row for *_order, row in sorted([*earlier, *here, *later], key=lambda item: item[:3])]  # as in the log


def settle(
    session: Session,
    touched: dict[str, set[uuid.UUID]],
    new_keys: set[Key],
    ctx: Context,
    report: FileReport | None = None,
    incoming: Incoming | None = None,
) -> set[uuid.UUID]:
    """Merge the records ``touched`` (and those held earlier) into the live tables; ``incoming``: the import's
    new revisions in hand (read from the log otherwise). Returns the cases whose rows changed (a case's own row or
    a row that names it, written or deleted): what summaries kept per case must refresh."""
    held = rows.held_records(session)
    for table, records in held.items():
        touched.setdefault(table, set()).update(records)
    order = [table for table in queries.synced_tables() if table != ORG_TABLE and touched.get(table)]
    ctx.owners.stamps_from()  # nothing is written before every table is planned: the stamps read stay true
    plans: dict[str, rows.TablePlan] = {}
    cases: dict[uuid.UUID, uuid.UUID] = {}  # each record's case, as the log says
    for table in order:
        logged = _logged(session, table, touched[table], incoming)
        cases.update((row.record_id, row.case_id) for row in logged if row.case_id is not None)
        check = {row.key for row in logged if row.key in new_keys or row.record_id in held.get(table, set())}
        kept, waiting = _authorise(session, table, logged, check, ctx, report, incoming)
        states, bookkeeping = _states((row for row in kept if row.record_id not in waiting), ctx.index)
        plans[table] = rows.plan(session, table, states, ctx.index, bookkeeping, ctx.owners)
        plans[table].held.update(waiting)
        plans[table].slim()
        if incoming is not None:
            incoming.forget(table, touched[table])  # memory: a large file's rows held once (as planned), not thrice
    deleting = {table: plans[table].deletes for table in order}
    for table in reversed(order):
        rows.check_deletes(session, plans[table], deleting)
        rows.delete(session, plans[table])
    for number, table in enumerate(order):
        rows.check_references(session, plans[table], {earlier: plans[earlier] for earlier in order[:number]})
        rows.write(session, plans[table])
    for table in order:
        _bookkeeping(session, plans[table], touched[table], ctx, report)
    changed = {record for table in order for record in (*plans[table].writes, *plans[table].deletes)}
    return {cases[record] for record in changed if record in cases}


def _bookkeeping(
    session: Session, plan: rows.TablePlan, records: set[uuid.UUID], ctx: Context, report: FileReport | None
) -> None:
    rows.record_held(session, plan.table, plan.held, records, ctx.now)
    settled = {record: state for record, state in plan.states.items() if record not in plan.held}
    changed = rows.record_conflicts(session, plan.table, settled, ctx.now)
    if report is None:
        return
    tally = report.tally(plan.table)
    tally.conflicts += len(changed)
    for record in plan.states:
        before, after = record in plan.before, plan.after(record)
        if after and not before:
            tally.created += 1
        elif before and not after:
            tally.deleted += 1
        elif record in plan.writes:
            tally.updated += 1
        else:
            tally.unchanged += 1
    waiting = [record for record in plan.held if record in records]
    if waiting:
        report.note(
            Message(
                "held",
                f"{len(waiting)} 条{table_name(plan.table)}记录所属的案件或其他记录尚未收到，已保存，收到后自动显示",
                plan.table,
                str(waiting[0]),
            ),
            status="OK",
        )
