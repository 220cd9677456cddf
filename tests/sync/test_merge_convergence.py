"""Convergence, by Hypothesis: several desks edit, delete and resolve records while their revisions travel between
them in deliveries that are duplicated, reordered and partly lost, with clocks anywhere from 2001 to 2035 and going
backwards. Once everything has been delivered, every desk holds every revision and computes the same leaves,
provisional winner, common ancestor, labels and resolved rows, whatever the order; replacing every clock reading
changes no leaf and no label. On the way, sequence gaps are exactly the revisions not yet held."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mediation_desk.domain import hlc
from mediation_desk.domain.canonical import JSONValue
from mediation_desk.sync import vectors
from mediation_desk.sync.gaps import gaps
from mediation_desk.sync.merge import (
    Label,
    RecordState,
    Revision,
    RevisionKey,
    analyse,
    by_record,
    superseded_by_edit,
    union,
)
from mediation_desk.sync.resolve import Choice, resolve

DEVICES = ("dev-0", "dev-1", "dev-2")
RECORDS = ("rec-0", "rec-1")  # record i is created by device i
FIELDS = ("facts", "place", "amount")
JUDGE = "dev-judge"  # a desk that resolves every remaining conflict at the end, the same way everywhere


@dataclass
class Desk:
    device: str
    held: dict[RevisionKey, Revision] = field(default_factory=dict)
    seq: int = 0
    clock: int = 0

    def stamp(self, wall: datetime) -> tuple[int, int]:
        self.seq += 1
        self.clock = hlc.tick(self.clock, wall)
        return self.seq, self.clock

    def state(self, record: str) -> RecordState | None:
        found = [r for r in self.held.values() if r.record_id == record]
        return analyse(found) if found else None

    def take(self, incoming: list[Revision], wall: datetime) -> None:
        result = union(self.held, incoming)
        assert result.equivocations == ()  # honest devices never reuse a number
        self.held.update((r.key, r) for r in result.added)
        if incoming:
            self.clock = hlc.observe(self.clock, max(r.hlc for r in incoming), wall)


@dataclass
class World:
    desks: list[Desk]
    made: dict[RevisionKey, Revision] = field(default_factory=dict)

    def keep(self, desk: Desk, revision: Revision) -> None:
        desk.held[revision.key] = revision
        self.made[revision.key] = revision


@dataclass(frozen=True)
class Edit:
    desk: int
    record: int
    changes: dict[str, JSONValue]
    wall: datetime


@dataclass(frozen=True)
class Delete:
    desk: int
    record: int
    wall: datetime


@dataclass(frozen=True)
class Resolve:
    desk: int
    record: int
    strategy: int
    wall: datetime


@dataclass(frozen=True)
class Deliver:
    source: int
    target: int
    seed: int
    wall: datetime


Step = Edit | Delete | Resolve | Deliver

walls = st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC))
values = st.sampled_from([0, 1, 2, "甲", "乙"])
desks = st.integers(0, len(DEVICES) - 1)
records = st.integers(0, len(RECORDS) - 1)
edits = st.builds(Edit, desks, records, st.dictionaries(st.sampled_from(FIELDS), values, min_size=1), walls)
deliveries = st.builds(Deliver, desks, desks, st.integers(0, 2**32), walls)
resolutions = st.builds(Resolve, desks, records, st.integers(0, 5), walls)
deletions = st.builds(Delete, desks, records, walls)
kinds_of_step: list[st.SearchStrategy[Step]] = [edits] * 5 + [deliveries] * 5 + [resolutions] * 2 + [deletions]
steps_of_work = st.sampled_from(kinds_of_step).flatmap(lambda kind: kind)  # mostly edits and deliveries


def _edit(world: World, desk: Desk, record: str, changes: dict[str, JSONValue], wall: datetime) -> None:
    state = desk.state(record)
    if state is None:
        if desk.device != DEVICES[RECORDS.index(record)]:
            return  # only its creator makes a record; others edit it once it has reached them
        seq, clock = desk.stamp(wall)
        row: dict[str, JSONValue] = {"id": record, "facts": "", "place": "", "amount": 0, **changes}
        world.keep(desk, Revision(desk.device, seq, "dispute_case", record, {desk.device: seq}, clock, False, row))
        return
    current = state.winner
    if current.deleted:
        return
    if superseded_by_edit(state, desk.device):
        event("an edit of the current row supersedes the desk's own losing leaf")
    seq, clock = desk.stamp(wall)
    vector = {**current.vv, desk.device: seq}  # the way the revision log stamps a local change
    data = {**current.data, **changes}
    world.keep(desk, Revision(desk.device, seq, "dispute_case", record, vector, clock, False, data))


def _delete(world: World, desk: Desk, record: str, wall: datetime) -> None:
    state = desk.state(record)
    if state is None or state.winner.deleted:
        return
    seq, clock = desk.stamp(wall)
    vector = {**state.winner.vv, desk.device: seq}
    world.keep(desk, Revision(desk.device, seq, "dispute_case", record, vector, clock, True, {}))


def _choice(state: RecordState, strategy: int) -> Choice:
    """A clerk's choice, always one the merge accepts."""
    edits = [leaf for leaf in state.leaves if not leaf.deleted]
    if state.label is Label.DELETE or not edits or strategy % 3 == 0:
        return Choice(take=state.leaves[strategy % len(state.leaves)].key)
    return Choice(fields={name: edits[(strategy + i) % len(edits)].key for i, name in enumerate(state.hard_fields)})


def _resolve(world: World, desk: Desk, record: str, strategy: int, wall: datetime) -> None:
    state = desk.state(record)
    if state is None or not state.conflict:
        return
    seq, clock = desk.stamp(wall)
    resolution = resolve(state, _choice(state, strategy), device=desk.device, seq=seq, hlc=clock)
    event(f"resolved a {state.label} conflict")
    assert all(vectors.dominates(resolution.vv, leaf.vv) for leaf in state.leaves)
    world.keep(desk, resolution)


def _deliver(world: World, source: Desk, target: Desk, seed: int, wall: datetime) -> None:
    """Part of what ``source`` holds, some of it twice, in a shuffled order (relayed revisions included)."""
    chance = random.Random(seed)
    sent = [r for _, r in sorted(source.held.items()) if chance.random() > 0.3]
    sent += chance.sample(sent, k=len(sent) // 3)
    chance.shuffle(sent)
    target.take(sent, wall)
    _gaps_are_what_is_missing(world, target)
    for revisions in by_record(target.held.values()).values():
        state = analyse(revisions)
        _check_state(state, revisions)
        assert analyse(revisions[::-1]) == state
        if state.conflict:
            event(f"a {state.label} conflict on the way, {'ancestor known' if state.base else 'no one ancestor'}")


def _gaps_are_what_is_missing(world: World, desk: Desk) -> None:
    """Below each device's highest number held, the gaps are exactly the revisions made and not held yet."""
    missing = []
    for device in sorted({key.device for key in desk.held}):
        top = max(key.seq for key in desk.held if key.device == device)
        missing += [(device, seq) for seq in range(1, top + 1) if (device, seq) not in desk.held]
    assert all(key in world.made for key in missing)
    assert [(gap.device, seq) for gap in gaps(desk.held) for seq in range(gap.first, gap.last + 1)] == missing


def _start(seed: int) -> World:
    """Desks each holding some of the records' first revisions."""
    world = World([Desk(device) for device in DEVICES])
    wall = datetime(2024, 3, 1, tzinfo=UTC)
    for index, record in enumerate(RECORDS):
        _edit(world, world.desks[index], record, {}, wall)
    for index, desk in enumerate(world.desks):  # not every first revision reaches every desk
        desk.take([r for n, r in enumerate(world.made.values()) if seed >> (index * len(RECORDS) + n) & 1], wall)
    return world


def _run(world: World, steps: list[Step]) -> None:
    for step in steps:
        match step:
            case Edit(desk, record, changes, wall):
                _edit(world, world.desks[desk], RECORDS[record], changes, wall)
            case Delete(desk, record, wall):
                _delete(world, world.desks[desk], RECORDS[record], wall)
            case Resolve(desk, record, strategy, wall):
                _resolve(world, world.desks[desk], RECORDS[record], strategy, wall)
            case Deliver(source, target, seed, wall):
                _deliver(world, world.desks[source], world.desks[target], seed, wall)


def _deliver_everything(world: World, seed: int) -> None:
    """At the end, every desk gets every revision, from everyone, in its own order and in several batches."""
    chance = random.Random(seed)
    for desk in world.desks:
        everything = list(world.made.values()) + chance.sample(list(world.made.values()), k=len(world.made) // 2)
        chance.shuffle(everything)
        cut = chance.randint(0, len(everything))
        desk.take(everything[:cut], datetime(2024, 1, 1, tzinfo=UTC))
        desk.take(everything[cut:], datetime(2001, 1, 1, tzinfo=UTC))


def _summary(state: RecordState) -> tuple[object, ...]:
    """What must agree everywhere, clocks aside: leaves as a set, label, ancestor, who changed which field."""
    return (
        frozenset(leaf.key for leaf in state.leaves),
        state.label,
        state.base.key if state.base is not None else None,
        {name: frozenset(by) for name, by in state.changed.items()},
        state.hard_fields,
        state.missing,
    )


def _check_state(state: RecordState, revisions: list[Revision]) -> None:
    """Leaves and ancestor by their definitions, checked the slow way."""
    tips = {r.key for r in revisions if not any(vectors.dominates(o.vv, r.vv) for o in revisions)}
    assert {leaf.key for leaf in state.leaves} == tips
    assert state.winner.rank == max(leaf.rank for leaf in state.leaves)
    if state.base is not None:
        common = [r for r in revisions if all(vectors.descends(leaf.vv, r.vv) for leaf in state.leaves)]
        assert state.base in common
        assert not any(vectors.dominates(r.vv, state.base.vv) for r in common)


def _final_resolution(state: RecordState) -> Revision:
    choice = _choice(state, 1) if state.label is not Label.SOFT else Choice()
    return resolve(state, choice, device=JUDGE, seq=1_000_000, hlc=0)


def _converged(world: World, seed: int) -> None:
    chance = random.Random(seed)
    reference = world.desks[0]
    for desk in world.desks:
        assert desk.held.keys() == world.made.keys()  # no revision lost
    restamped = {key: chance.choice([0, 1, 2**62, chance.randrange(2**50)]) for key in world.made}
    for record, revisions in sorted(by_record(reference.held.values()).items()):
        expected = analyse(revisions)
        if expected.conflict:
            event(f"ended with a {expected.label} conflict, {'ancestor known' if expected.base else 'no one ancestor'}")
        _check_state(expected, revisions)
        assert expected.missing == ()
        for desk in world.desks:
            mine = [r for r in desk.held.values() if r.record == record]
            chance.shuffle(mine)
            state = analyse(mine)
            assert state == expected
            if state.conflict:
                assert _final_resolution(state).content() == _final_resolution(expected).content()
        moved = [
            Revision(r.origin_device, r.origin_seq, r.table, r.record_id, r.vv, restamped[r.key], r.deleted, r.data)
            for r in revisions
        ]
        assert _summary(analyse(moved)) == _summary(expected)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(steps_of_work, min_size=20, max_size=60), seed=st.integers(0, 2**32))
def test_every_desk_converges_once_everything_is_delivered(steps: list[Step], seed: int) -> None:
    world = _start(seed)
    _run(world, steps)
    _deliver_everything(world, seed)
    _converged(world, seed)


@settings(max_examples=60, deadline=None)
@given(steps=st.lists(steps_of_work, min_size=20, max_size=60), seed=st.integers(0, 2**32))
def test_resolving_at_every_desk_then_delivering_clears_every_conflict(steps: list[Step], seed: int) -> None:
    """A conflict resolved somewhere, once its resolution has travelled, is cleared everywhere."""
    world = _start(seed)
    _run(world, steps)
    _deliver_everything(world, seed)
    township = world.desks[1]
    for record in RECORDS:
        state = township.state(record)
        if state is not None and state.conflict:
            _resolve(world, township, record, seed, datetime(2035, 1, 1, tzinfo=UTC))
    _deliver_everything(world, seed + 1)
    for desk in world.desks:
        for record in RECORDS:
            state = desk.state(record)
            assert state is None or state.label is Label.NONE
    _converged(world, seed)
