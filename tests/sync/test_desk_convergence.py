"""Convergence across real desks, as a Hypothesis state machine: two villages, their township and the county, each
its own data folder (fresh copies of one template for every example: ledgers imported at the villages and the
township, and exchanged once, so that every desk above holds them). The steps: local edits of cases, parties and
outcomes; parties added and removed (as the case editor removes one); conflicts resolved at the township (at the
county when the township has none), whole or field by field; exports along the tree (incremental or full), each
delivered at once, kept in a pool or lost on the way; and deliveries from the pool in any order, some twice,
several in one call, some as previews (dry runs).

After every step: no import fails (a file already imported is reported as such); a desk that imported nothing (a
repeat, a preview) is unchanged to the last row; an import that brought no new revision leaves the live rows as
they were; no desk ever loses a revision it made. At the end, everything left in the pool is delivered and the
desks exchange files until nothing new arrives. Then every desk holds, for the records it should hold (a village
its own, the township and the county all of them), the same revisions, the same leaves, the same open conflicts
and the same live rows; nothing waits for a parent; every revision that any desk made is everywhere it belongs.

The run in the test command is bounded and repeatable (``EXAMPLES`` examples of ``STEPS`` steps, derandomised).
``MEDIATION_DESK_SYNC_EXAMPLES=N`` runs N random examples instead (``MEDIATION_DESK_SYNC_STEPS`` steps each).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, cast

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test

from mediation_desk.domain.codes import PartyRole
from mediation_desk.domain.permissions import Permission
from mediation_desk.security.fields import INDEX_COLUMN
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.sync.conflicts import ConflictView, list_conflicts, resolve_conflict
from mediation_desk.store.models import DeviceState, Outcome, Party, Revision
from mediation_desk.store.queries.sync import ORG_TABLE, synced_tables
from mediation_desk.store.sync_models import SyncHeld
from mediation_desk.sync.vectors import dominates
from tests.sync.test_desk_support import (
    COUNTY,
    TOWNSHIP,
    VILLAGES,
    World,
    case_ids,
    content,
    database_hash,
    edit_case,
    ledger,
    log_set,
    open_conflicts,
    receive,
    send,
    synced_hash,
    world_template,
)

__all__ = ["world_template"]

EXAMPLES = 12
STEPS = 36
ON_DEMAND = os.environ.get("MEDIATION_DESK_SYNC_EXAMPLES")
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
_STEPS = int(os.environ.get("MEDIATION_DESK_SYNC_STEPS", STEPS))
SETTINGS = (
    settings(max_examples=int(ON_DEMAND), stateful_step_count=_STEPS, deadline=None, suppress_health_check=_HEALTH)
    if ON_DEMAND
    else settings(
        max_examples=EXAMPLES,
        stateful_step_count=_STEPS,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=_HEALTH,
    )
)

DESKS = ("village_a", "village_b", "township", "county")
CODES = {"village_a": VILLAGES[0][0], "village_b": VILLAGES[1][0], "township": TOWNSHIP[0], "county": COUNTY[0]}
SCOPES: dict[str, str | None] = {
    "village_a": VILLAGES[0][0],
    "village_b": VILLAGES[1][0],
    "township": None,
    "county": None,
}
EDGES = (
    ("village_a", "township"),
    ("village_b", "township"),
    ("township", "village_a"),
    ("township", "village_b"),
    ("township", "county"),
    ("county", "township"),
)
ROUND = (EDGES[0], EDGES[1], EDGES[4], EDGES[5], EDGES[2], EDGES[3])  # up the tree, then down
MAX_ROUNDS = 4
CASE_FIELDS = ("facts", "place", "notes")
PARTY_FIELDS = ("name", "address")
VALUES = ("甲说的情况", "乙说的情况", "丙说的情况")
NAMES = ("赵一", "钱二", "孙三", "李四")
ROLES = (PartyRole.APPLICANT, PartyRole.RESPONDENT, PartyRole.THIRD_PARTY)
FATES = ("now", "now", "pool", "lost")
PARTY_CHANGES = ("add", "edit", "edit", "remove")
HOLDERS = {
    "village_a": ("village_a", "township", "county"),
    "village_b": ("village_b", "township", "county"),
    "township": ("township", "county"),
}
CASE = st.sampled_from((0, 0, 0, 1, 2, 3))  # the first of village A's cases most often: more concurrent changes
WHERE = st.integers(min_value=0, max_value=2)
PICK = st.integers(min_value=0, max_value=15)
Key = tuple[str, int]


def _action(name: str, **arguments: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    return st.tuples(st.just(name), st.fixed_dictionaries(arguments))


_EDIT = _action(
    "edit_a_case", case=CASE, where=WHERE, column=st.sampled_from(CASE_FIELDS), value=st.sampled_from(VALUES)
)
_PARTY = _action(
    "change_a_party",
    case=CASE,
    where=WHERE,
    change=st.sampled_from(PARTY_CHANGES),
    pick=PICK,
    value=st.sampled_from(NAMES),
)
_OUTCOME = _action("note_an_outcome", case=CASE, where=WHERE, value=st.sampled_from(VALUES))
_RESOLVE = _action("resolve_a_conflict", conflict=PICK, whole=st.booleans(), picks=st.lists(PICK, max_size=4))
_EXPORT = _action(
    "export_a_file",
    edge=st.sampled_from(EDGES),
    full=st.sampled_from((False, False, True)),
    fate=st.sampled_from(FATES),
)
_DELIVER = _action("deliver", pick=PICK, preview=st.sampled_from((False, False, False, True)))
_SEVERAL = _action("deliver_several", pick=PICK, more=st.lists(PICK, min_size=1, max_size=3))
# Of every 14 steps, about: 5 changes, 4 exports (half of them delivered at once), 3 deliveries, 2 resolutions.
ACTIONS = st.sampled_from(
    (
        *(_EDIT, _EXPORT, _DELIVER, _PARTY, _RESOLVE, _EXPORT, _EDIT),
        *(_PARTY, _EXPORT, _DELIVER, _RESOLVE, _EXPORT, _OUTCOME, _SEVERAL),
    )
).flatmap(lambda action: action)


@dataclass(frozen=True, slots=True)
class Template:
    root: Path
    cases: tuple[tuple[uuid.UUID, str], ...]  # each case and the desk it was registered at


@pytest.fixture(scope="module")
def convergence_template(world_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Template:
    """The four desks of the machine, with cases of their own (two at village A, one at B, one at the township)
    that every desk above has received, receipts and all: from the first step, two desks may change one record."""
    root = tmp_path_factory.mktemp("convergence")
    for name in DESKS:
        shutil.copytree(world_template / name, root / name, ignore=shutil.ignore_patterns("*.lock"))
    world = World(root, {name: Desk.open(root / name, Actor.local_operator("test"), lock=True) for name in DESKS})
    try:
        for name, count, seed in (("village_a", 2, 71), ("village_b", 1, 72), ("township", 1, 73)):
            ledger(world.desks[name], root, count, seed=seed)
        for number, (sender, recipient) in enumerate(ROUND):
            path = world.file(f"start-{number}.mdsync")
            send(world.desks[sender], CODES[recipient], path)
            assert receive(world.desks[recipient], path).ok
        cases = tuple(
            (case, name)
            for name in ("village_a", "village_b", "township")
            for case in case_ids(world.desks[name], CODES[name])
        )
    finally:
        for desk in world.desks.values():
            desk.close()
    shutil.rmtree(world.files)
    return Template(root, cases)


@dataclass(frozen=True, slots=True)
class Sent:
    path: Path
    sender: str
    recipient: str


@dataclass
class View:
    """What a desk holds of the records in one scope, comparable between desks."""

    rows: dict[str, list[str]] = field(default_factory=dict)
    log: set[str] = field(default_factory=set)
    leaves: dict[tuple[str, str], set[Key]] = field(default_factory=dict)
    conflicts: set[tuple[str, str, str, str]] = field(default_factory=set)

    def keys(self) -> set[Key]:
        return {_key(json.loads(text)) for text in self.log}


def _key(row: dict[str, Any]) -> Key:
    return (str(row["origin_device"]), int(row["origin_seq"]))


@dataclass
class Owners:
    """Which organisation each record belongs to (by case, by mediator, by its own unit), from all desks."""

    cases: dict[str, str] = field(default_factory=dict)
    records: dict[str, str] = field(default_factory=dict)

    def of_row(self, row: dict[str, Any]) -> str | None:
        if row.get("org_id"):
            return str(row["org_id"])
        if row.get("case_id"):
            return self.cases.get(str(row["case_id"]))
        return self.records.get(str(row.get("mediator_id")))

    def of_revision(self, row: dict[str, Any]) -> str:
        found = self.cases.get(str(row["case_id"])) if row.get("case_id") else self.records.get(str(row["record_id"]))
        assert found is not None, f"a revision whose organisation no desk knows: {row}"
        return found


def _tables() -> list[str]:
    return [name for name in synced_tables() if name != ORG_TABLE]


def _portable(desk: Desk) -> dict[str, list[dict[str, Any]]]:
    """Every synced row and the log, organisation units by code, without what is each desk's own."""
    found = content(desk, [*_tables(), "revision"], portable=True)
    rows = {name: [json.loads(text) for text in texts] for name, texts in found.items()}
    for table_rows in rows.values():
        for row in table_rows:
            row.pop(INDEX_COLUMN, None)  # keyed with the desk's own data key
    rows["revision"] = [row for row in rows["revision"] if row["table_name"] != ORG_TABLE]
    return rows


def owners(held: Iterable[dict[str, list[dict[str, Any]]]]) -> Owners:
    found = Owners()
    held = list(held)
    for rows in held:
        for row in rows["dispute_case"]:
            found.cases[str(row["id"])] = str(row["org_id"])
        for name in _tables():
            for row in rows[name]:
                if row.get("org_id"):
                    found.records[str(row["id"])] = str(row["org_id"])
    for rows in held:
        for name in _tables():
            for row in rows[name]:
                org = found.of_row(row)
                if org is not None:
                    found.records.setdefault(str(row["id"]), org)
        for row in rows["revision"]:
            if row.get("case_id") and str(row["case_id"]) in found.cases:
                found.records.setdefault(str(row["record_id"]), found.cases[str(row["case_id"])])
    return found


def view(
    rows: dict[str, list[dict[str, Any]]], conflicts: set[tuple[str, str, str, str]], scope: str | None, by: Owners
) -> View:
    """The part of a desk's content that belongs to ``scope`` (every organisation: ``None``)."""

    def wanted(org: str | None) -> bool:
        return scope is None or org == scope

    result = View()
    for name in _tables():
        result.rows[name] = sorted(json.dumps(row, sort_keys=True) for row in rows[name] if wanted(by.of_row(row)))
    logged = [row for row in rows["revision"] if wanted(by.of_revision(row))]
    result.log = {json.dumps(row, sort_keys=True) for row in logged}
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in logged:
        groups.setdefault((row["table_name"], str(row["record_id"])), []).append(row)
    for record, group in groups.items():
        vectors = {_key(row): json.loads(row["vv"]) for row in group}
        result.leaves[record] = {
            key for key, vv in vectors.items() if not any(dominates(other, vv) for other in vectors.values())
        }
    result.conflicts = {item for item in conflicts if wanted(by.records.get(item[1]))}
    return result


def device_of(desk: Desk) -> uuid.UUID:
    with desk.read() as session:
        state = session.get(DeviceState, 1)
        assert state is not None
        return state.device_id


def own_keys(desk: Desk) -> set[Key]:
    """The revisions this desk made (its own device's), reference data aside."""
    device = device_of(desk)
    with desk.read() as session:
        query = sa.select(Revision.origin_device, Revision.origin_seq).where(
            Revision.origin_device == device, Revision.table_name != ORG_TABLE
        )
        return {(str(device), int(seq)) for device, seq in session.execute(query)}


def _removable(party: Party, parties: list[Party]) -> bool:
    kept = {other.role for other in parties if other.id != party.id}
    return {PartyRole.APPLICANT, PartyRole.RESPONDENT} <= kept


def held_count(desk: Desk) -> int:
    with desk.read() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(SyncHeld)) or 0)


class DeskMachine(RuleBasedStateMachine):
    """Four real desks, a pool of files between them, and what each desk has made."""

    template: ClassVar[Path]
    cases: ClassVar[tuple[tuple[uuid.UUID, str], ...]]
    scratch: ClassVar[Path]

    def __init__(self) -> None:
        super().__init__()
        root = Path(tempfile.mkdtemp(dir=self.scratch, prefix="example-"))
        for name in DESKS:
            shutil.copytree(self.template / name, root / name, ignore=shutil.ignore_patterns("*.lock"))
        desks = {name: Desk.open(root / name, Actor.local_operator("test"), lock=True) for name in DESKS}
        self.world = World(root, desks)
        self.pool: list[Sent] = []
        self.exported = 0
        self.imported: dict[str, set[Path]] = {name: set() for name in DESKS}
        self.made: dict[str, set[Key]] = {name: own_keys(desk) for name, desk in desks.items()}
        self.devices = {name: device_of(desk) for name, desk in desks.items()}

    def desk(self, name: str) -> Desk:
        return self.world.desks[name]

    def made_by(self, name: str) -> None:
        """After a change at ``name``: it still holds every revision it made before."""
        now = own_keys(self.desk(name))
        assert self.made[name] <= now, f"{name} lost its own revisions {sorted(self.made[name] - now)}"
        self.made[name] = now

    @rule(action=ACTIONS)
    def act(self, action: tuple[str, dict[str, Any]]) -> None:
        """One step: a change at one desk, a file exported, or a delivery (one rule, so that every run mixes all
        of them: Hypothesis would otherwise switch whole rules off for some runs)."""
        name, arguments = action
        getattr(self, name)(**arguments)

    # -- local changes ------------------------------------------------------------------------------------------

    def holder(self, case: int, where: int) -> tuple[str, uuid.UUID]:
        """The ``case``-th case of the template and one of the desks that hold it (its own and those above)."""
        record, home = self.cases[case % len(self.cases)]
        holders = HOLDERS[home]
        return holders[where % len(holders)], record

    def edit_a_case(self, case: int, where: int, column: str, value: str) -> None:
        name, record = self.holder(case, where)
        edit_case(self.desk(name), record, **{column: f"{value}（{name}）"})
        self.made_by(name)

    def change_a_party(self, case: int, where: int, change: str, pick: int, value: str) -> None:
        """Add a party, change one's name or address, or remove one as the case editor does (only while the
        case keeps an applicant and a respondent)."""
        name, record = self.holder(case, where)
        with self.desk(name).write("test.party", Permission.EDIT_CASE) as work:
            found = list(work.session.scalars(sa.select(Party).where(Party.case_id == record).order_by(Party.id)))
            if change == "add":
                role = ROLES[pick % len(ROLES)]
                work.session.add(Party(id=uuid.uuid4(), case_id=record, role=role, name=value, position=len(found)))
            elif change == "remove":
                removable = [party for party in found if _removable(party, found)]
                if removable:
                    work.session.delete(removable[pick % len(removable)])
                    event("a party removed")
            elif found:
                column = PARTY_FIELDS[pick % len(PARTY_FIELDS)]
                setattr(found[pick % len(found)], column, f"{value}{name[-1]}")
        self.made_by(name)

    def note_an_outcome(self, case: int, where: int, value: str) -> None:
        name, record = self.holder(case, where)
        with self.desk(name).write("test.outcome", Permission.EDIT_CASE) as work:
            outcome = work.session.scalar(sa.select(Outcome).where(Outcome.case_id == record))
            if outcome is not None:
                outcome.notes = f"{value}（{name}）"
        self.made_by(name)

    def resolve_a_conflict(self, conflict: int, whole: bool, picks: list[int]) -> None:
        """At the township (at the county when the township has none open): take one leaf whole, or a leaf per
        differing field (a delete conflict: one side whole)."""
        for name in ("township", "county"):
            desk = self.desk(name)
            conflicts = list_conflicts(desk)
            if conflicts:
                break
        else:
            return
        chosen: ConflictView = conflicts[conflict % len(conflicts)]
        leaves = [leaf.key for leaf in chosen.leaves]
        if chosen.label == "delete" or not chosen.fields or whole:
            resolve_conflict(desk, chosen.id, take=leaves[(picks or [0])[0] % len(leaves)])
            event(f"a {chosen.label} conflict resolved at the {name}, one leaf whole")
        else:
            fields = {
                item.name: sorted(item.values)[(picks[number % len(picks)] if picks else 0) % len(item.values)]
                for number, item in enumerate(chosen.fields)
            }
            resolve_conflict(desk, chosen.id, fields=fields)
            event(f"a {chosen.label} conflict resolved at the {name}, field by field")
        assert chosen.id not in {item.id for item in list_conflicts(desk)}
        self.made_by(name)

    # -- files --------------------------------------------------------------------------------------------------

    def export(self, sender: str, recipient: str, *, full: bool = False) -> Sent:
        self.exported += 1
        path = self.world.file(f"{self.exported:03d}-{sender}-{recipient}.mdsync")
        send(self.desk(sender), CODES[recipient], path, full=full)
        self.made_by(sender)
        return Sent(path, sender, recipient)

    def export_a_file(self, edge: tuple[str, str], full: bool, fate: str) -> None:
        """A file for a peer: delivered at once (and kept, to arrive again later), into the pool for some later
        step, or lost on the way (the stick never arrives)."""
        sent = self.export(*edge, full=full)
        if fate == "lost":
            event("a file lost")
            return
        self.pool.append(sent)
        if fate == "now":
            self.import_files(sent.recipient, [sent.path])

    def deliver(self, pick: int, preview: bool) -> None:
        """A file from the pool, in any order: maybe one delivered before, maybe only previewed."""
        if not self.pool:
            return
        sent = self.pool[pick % len(self.pool)]
        self.import_files(sent.recipient, [sent.path], preview=preview)

    def deliver_several(self, pick: int, more: list[int]) -> None:
        """Several files for one desk in one call, in any order, maybe one of them twice."""
        if not self.pool:
            return
        first = self.pool[pick % len(self.pool)]
        same = [sent for sent in self.pool if sent.recipient == first.recipient]
        self.import_files(first.recipient, [first.path, *(same[number % len(same)].path for number in more)])

    def import_files(self, name: str, paths: list[Path], *, preview: bool = False) -> None:
        """Import and check: every file merges or was already there; nothing imported, nothing changed."""
        desk = self.desk(name)
        seen = set(self.imported[name])
        repeats = []
        for path in paths:
            repeats.append(path in seen)
            seen.add(path)
        quiet = preview or all(repeats)
        before = database_hash(desk) if quiet else ""
        log_before, rows_before = log_set(desk), synced_hash(desk)
        report = receive(desk, *paths, dry_run=preview)
        assert report.ok, [(item.path.name, [message.text for message in item.messages]) for item in report.files]
        assert [item.already_imported for item in report.files] == repeats
        event("a preview" if preview else "a file delivered again" if any(repeats) else "a delivery")
        for item in report.files:
            for table, tally in item.tallies.items():
                if tally.conflicts:
                    event(f"a conflict at {name} ({table})")
        if quiet:
            assert database_hash(desk) == before, "a desk that imported nothing changed"
        elif log_set(desk) == log_before:
            assert synced_hash(desk) == rows_before, "a file without a new revision changed the live rows"
        if not preview:
            self.imported[name].update(paths)
        self.made_by(name)

    # -- the end ------------------------------------------------------------------------------------------------

    def teardown(self) -> None:
        try:
            if sys.exc_info()[0] is None:  # a step failed: its own error is the one to report
                self.settle()
                self.check_converged()
        finally:
            for desk in self.world.desks.values():
                desk.close()
            shutil.rmtree(self.world.root, ignore_errors=True)

    def settle(self) -> None:
        """Deliver what is still in the pool, then exchange files until a round brings nothing new."""
        for sent in reversed(self.pool):
            if sent.path not in self.imported[sent.recipient]:
                self.import_files(sent.recipient, [sent.path])
        for _round in range(MAX_ROUNDS):
            before = {name: log_set(desk) for name, desk in self.world.desks.items()}
            for sender, recipient in ROUND:
                self.import_files(recipient, [self.export(sender, recipient).path])
            if {name: log_set(desk) for name, desk in self.world.desks.items()} == before:
                return
        pytest.fail(f"the desks still exchange new revisions after {MAX_ROUNDS} rounds")

    def check_converged(self) -> None:
        held = {name: _portable(desk) for name, desk in self.world.desks.items()}
        by = owners(held.values())
        conflicts = {name: open_conflicts(desk) for name, desk in self.world.desks.items()}
        views = {name: view(held[name], conflicts[name], SCOPES[name], by) for name in DESKS}
        for _table, _record, label, _leaves in conflicts["township"]:
            event(f"a {label} conflict open at the end")
        for name in DESKS:
            reference = view(held["township"], conflicts["township"], SCOPES[name], by)
            for part in ("rows", "log", "leaves", "conflicts"):
                assert getattr(views[name], part) == getattr(reference, part), f"{name} and the township: {part}"
            assert held_count(self.desk(name)) == 0, f"{name} still holds records back"
        for origin in DESKS:
            mine = {
                _key(row): by.of_revision(row)
                for row in held[origin]["revision"]
                if str(row["origin_device"]) == str(self.devices[origin])
            }
            assert self.made[origin] <= set(mine), f"{origin} lost its own revisions"
            for name in DESKS:
                expected = {key for key, org in mine.items() if SCOPES[name] in (None, org)}
                missing = expected - views[name].keys()
                assert not missing, f"{name} lacks {len(missing)} revisions made at {origin}"


def test_desks_converge_whatever_the_changes_and_deliveries(convergence_template: Template, tmp_path: Path) -> None:
    template = {"template": convergence_template.root, "cases": convergence_template.cases, "scratch": tmp_path}
    machine = type("Desks", (DeskMachine,), template)
    run_state_machine_as_test(cast(type[RuleBasedStateMachine], machine), settings=SETTINGS)
