"""The demo county: organisations, roster, cases consistent with the lifecycle, statistics that add up."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from mediation_desk.demo import DEMO_ADMIN, DEMO_PASSWORD, SYNTHETIC_SETTING, DemoSummary, county, create_demo
from mediation_desk.domain.codes import Gender, MediatorRole, OrgLevel, OutcomeKind, UserRole
from mediation_desk.domain.errors import DomainError
from mediation_desk.domain.identity import normalise_phone, parse_resident_id
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.numbering import parse_case_number
from mediation_desk.domain.statistics import Counts
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.stats import statistics
from mediation_desk.services.users import authenticate
from mediation_desk.store.datadir import DataDir
from mediation_desk.store.hooks import audit_count, revision_count
from mediation_desk.store.models import (
    Agreement,
    AuditEvent,
    DisputeCase,
    FollowUp,
    JudicialConfirmation,
    Mediator,
    OrgUnit,
    Outcome,
    Party,
    Revision,
    Synced,
)

VILLAGES = 12
CASES = 200


@dataclass
class Demo:
    root: Path
    summary: DemoSummary
    progress: list[tuple[int, int]]


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    root = tmp_path_factory.mktemp("demo") / "desk"
    calls: list[tuple[int, int]] = []
    summary = create_demo(
        root, villages=VILLAGES, cases=CASES, progress=lambda done, total: calls.append((done, total))
    )
    return Demo(root, summary, calls)


@pytest.fixture
def desk(small_demo: Demo) -> Iterator[Desk]:
    opened = Desk.open(small_demo.root, Actor("test", UserRole.ADMIN))
    yield opened
    opened.close()


def test_summary_and_progress(small_demo: Demo) -> None:
    summary = small_demo.summary
    assert summary.year == date.today().year - 1
    assert (summary.villages, summary.cases) == (VILLAGES, CASES)
    assert summary.orgs == 1 + 18 + VILLAGES
    assert summary.mediators >= VILLAGES * 3
    assert small_demo.progress
    assert all(0 <= done <= total for done, total in small_demo.progress)
    assert small_demo.progress[-1][0] == small_demo.progress[-1][1]


def test_organisations(desk: Desk) -> None:
    with desk.read() as session:
        orgs = list(session.scalars(sa.select(OrgUnit)))
        by_level = Counter(org.level for org in orgs)
        assert by_level == {OrgLevel.COUNTY: 1, OrgLevel.TOWNSHIP: 18, OrgLevel.VILLAGE: VILLAGES}
        codes = {org.id: org.code for org in orgs}
        townships = {org.code: org for org in orgs if org.level is OrgLevel.TOWNSHIP}
        for org in orgs:
            if org.level is OrgLevel.VILLAGE:
                parent = codes[org.parent_id] if org.parent_id else ""
                assert re.fullmatch(r"\d{12}", org.code)
                assert org.code.startswith(parent)
                assert parent in townships
                assert org.case_prefix is not None
                assert org.case_prefix.startswith(f"缙{townships[parent].name[0]}")
                assert org.case_prefix.endswith("人调")
                assert org.name.endswith(("村人民调解委员会", "社区人民调解委员会"))
        assert desk.own_org(session).code == "331122"
        # every committee has its own prefix, so a case number names one case in the county
        prefixes = [org.case_prefix for org in orgs if org.case_prefix]
        assert len(prefixes) == len(set(prefixes))


def test_synthetic_flag_and_demo_login(desk: Desk) -> None:
    assert desk.setting(SYNTHETIC_SETTING) == "1"
    with desk.read() as session:
        assert authenticate(session, DEMO_ADMIN, DEMO_PASSWORD).role is UserRole.ADMIN


def test_committees_have_three_to_nine_members_with_a_woman_and_a_director(desk: Desk) -> None:
    with desk.read() as session:
        villages = list(session.scalars(sa.select(OrgUnit).where(OrgUnit.level == OrgLevel.VILLAGE)))
        members: dict[object, list[Mediator]] = defaultdict(list)
        for mediator in session.scalars(sa.select(Mediator)):
            members[mediator.org_id].append(mediator)
        for village in villages:
            roster = members[village.id]
            assert 3 <= len(roster) <= 9, village.name
            assert any(m.gender is Gender.FEMALE for m in roster), village.name
            assert [m.role for m in roster].count(MediatorRole.DIRECTOR) == 1
        full_time = [m for m in session.scalars(sa.select(Mediator)) if m.role is MediatorRole.HIRED]
        assert full_time
        assert any(m.legal_instructor for m in session.scalars(sa.select(Mediator)))
        for mediator in session.scalars(sa.select(Mediator)):
            assert mediator.id_number is not None
            parsed = parse_resident_id(mediator.id_number)
            assert parsed.gender is mediator.gender
            assert mediator.phone is not None
            assert normalise_phone(mediator.phone) == mediator.phone


_STATUS_FOR = {
    None: {CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING},
    OutcomeKind.REFUSED: {CaseStatus.REFUSED, CaseStatus.CLOSED},
    OutcomeKind.WRITTEN_AGREEMENT: {CaseStatus.AGREED, CaseStatus.CLOSED},
    OutcomeKind.ORAL_AGREEMENT: {CaseStatus.AGREED, CaseStatus.CLOSED},
    OutcomeKind.FAILED: {CaseStatus.FAILED, CaseStatus.CLOSED},
    OutcomeKind.TERMINATED: {CaseStatus.TERMINATED, CaseStatus.CLOSED},
}


def test_every_case_is_consistent_with_its_outcome(desk: Desk) -> None:
    today = date.today()
    with desk.read() as session:
        outcomes = {o.case_id: o for o in session.scalars(sa.select(Outcome))}
        agreements = {a.case_id: a for a in session.scalars(sa.select(Agreement))}
        cases = list(session.scalars(sa.select(DisputeCase)))
        assert len(cases) == CASES
        assert {case.category for case in cases} >= {"01", "02", "03", "04", "06"}
        for case in cases:
            outcome = outcomes.get(case.id)
            kind = outcome.kind if outcome else None
            assert case.status in _STATUS_FOR[kind], (case.number, case.status, kind)
            assert (case.closing_date is not None) == (case.status is CaseStatus.CLOSED)
            if case.closing_date:
                assert case.intake_date <= case.closing_date <= today
            if outcome:
                assert case.intake_date <= outcome.decided_on < today
                if case.closing_date:
                    assert outcome.decided_on <= case.closing_date
            if kind in (OutcomeKind.WRITTEN_AGREEMENT, OutcomeKind.ORAL_AGREEMENT):
                agreement = agreements[case.id]
                assert agreement.oral is (kind is OutcomeKind.ORAL_AGREEMENT)
                assert agreement.number == case.number
                assert agreement.terms
                assert agreement.effective_date == outcome.decided_on if outcome else False
            else:
                assert case.id not in agreements
            if kind is OutcomeKind.REFUSED:
                assert case.refusal_reason
            if kind in (OutcomeKind.FAILED, OutcomeKind.TERMINATED):
                assert outcome is not None
                assert outcome.reason
            assert case.intake_date.year == date.today().year - 1
        for follow_up in session.scalars(sa.select(FollowUp)):
            outcome = outcomes[follow_up.case_id]
            assert outcome.kind.successful
            assert outcome.decided_on <= follow_up.visited_on < today
        for confirmation in session.scalars(sa.select(JudicialConfirmation)):
            outcome = outcomes[confirmation.case_id]
            assert outcome.kind is OutcomeKind.WRITTEN_AGREEMENT
            assert 0 <= (confirmation.applied_on - outcome.decided_on).days <= 30


def test_case_numbers_follow_intake_order_per_committee(desk: Desk) -> None:
    with desk.read() as session:
        rows = session.execute(
            sa.select(DisputeCase.org_id, DisputeCase.number, DisputeCase.number_seq, DisputeCase.intake_date)
        ).all()
    by_org: dict[object, list[tuple[date, int]]] = defaultdict(list)
    for org_id, number, seq, intake in rows:
        assert number is not None
        parsed = parse_case_number(number)
        assert parsed is not None
        assert re.fullmatch(r"\(\d{4}\)缙.+人调字第\d+号", number)
        assert parsed.seq == seq
        by_org[org_id].append((intake, seq))
    for entries in by_org.values():
        entries.sort(key=lambda entry: entry[1])
        assert [seq for _, seq in entries] == list(range(1, len(entries) + 1))
        assert [intake for intake, _ in entries] == sorted(intake for intake, _ in entries)


def test_parties_pass_the_same_validation_as_input(desk: Desk) -> None:
    with desk.read() as session:
        parties = list(session.scalars(sa.select(Party)))
    per_case = Counter(party.case_id for party in parties)
    assert min(per_case.values()) >= 2
    assert max(per_case.values()) <= 4
    for party in parties:
        if party.id_number:
            parsed = parse_resident_id(party.id_number)
            assert parsed.birth_date == party.birth_date
            assert parsed.gender is party.gender
        if party.phone:
            assert normalise_phone(party.phone) == party.phone


def test_every_synced_row_has_a_revision_and_an_audit_event(desk: Desk) -> None:
    with desk.read() as session:
        logged = Counter(session.scalars(sa.select(Revision.table_name).where(Revision.deleted.is_(False))).all())
        total = 0
        for mapper in Synced.__subclasses__():
            model: type[Synced] = mapper
            table = model.__tablename__  # type: ignore[attr-defined]
            rows = session.execute(sa.select(model.rev_device, model.rev_seq)).all()
            assert all(device is not None and seq is not None for device, seq in rows), table
            assert logged.get(table, 0) >= len(rows), table
            stamps = set(rows)
            found = session.execute(
                sa.select(Revision.origin_device, Revision.origin_seq).where(Revision.table_name == table)
            ).all()
            assert stamps <= set(found), table  # each row's stamp names a revision in the log
            total += len(rows)
        assert revision_count(session) >= total
        changes = session.scalars(
            sa.select(AuditEvent).where(AuditEvent.id.in_(sa.select(Revision.change_id).distinct()))
        ).all()
        assert changes
        assert audit_count(session) >= len(changes)
        assert {change.actor for change in changes} == {DEMO_ADMIN}


def test_statistics_add_up(desk: Desk) -> None:
    stats = statistics(desk)
    totals = stats.totals
    assert totals.cases == CASES
    for groups in (stats.by_org, stats.by_category, stats.by_source):
        summed = Counts()
        for group in groups:
            summed.add(group.counts)
        assert summed == totals
    assert 0 < len(stats.by_org) <= 18  # the township-level units that had cases
    assert all(len(group.code) == 9 for group in stats.by_org)
    assert 98.0 <= totals.success_rate <= 100.0
    assert totals.written_agreements > totals.oral_agreements > 0
    assert totals.pending > 0
    assert totals.refused + totals.failed + totals.terminated >= 3
    assert totals.amount_fen > 0
    assert stats.mediators > 0
    assert stats.screening_rounds > 0


def _fingerprint(root: Path) -> str:
    return hashlib.sha256(DataDir(root).database.read_bytes()).hexdigest()


def test_a_second_demo_in_the_same_folder_is_refused(small_demo: Demo) -> None:
    before = _fingerprint(small_demo.root)
    files = sorted(path.name for path in small_demo.root.iterdir())
    with pytest.raises(DomainError, match="已经有工作台数据库"):
        create_demo(small_demo.root, villages=2, cases=5)
    assert _fingerprint(small_demo.root) == before
    assert sorted(path.name for path in small_demo.root.iterdir()) == files


def _content(root: Path) -> list[tuple[str, str, str, str]]:
    opened = Desk.open(root, Actor("test", UserRole.ADMIN))
    try:
        with opened.read() as session:
            rows = session.execute(
                sa.select(DisputeCase.number, DisputeCase.facts, Party.name, Party.id_number)
                .join(Party, Party.case_id == DisputeCase.id)
                .order_by(DisputeCase.number, Party.position)
            ).all()
            return [(a or "", b, c, d) for a, b, c, d in rows]
    finally:
        opened.close()


def test_same_seed_same_county(tmp_path: Path) -> None:
    year = date.today().year - 2
    create_demo(tmp_path / "a", villages=3, cases=30, year=year, seed=7)
    create_demo(tmp_path / "b", villages=3, cases=30, year=year, seed=7)
    create_demo(tmp_path / "c", villages=3, cases=30, year=year, seed=8)
    assert _content(tmp_path / "a") == _content(tmp_path / "b")
    assert _content(tmp_path / "a") != _content(tmp_path / "c")


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"year": 2005}, "年份"),
        ({"year": date.today().year + 1}, "年份"),
        ({"cases": -1}, "负数"),
        ({"villages": 100_000}, "过多"),
    ],
)
def test_bad_options_are_refused_before_anything_is_made(
    tmp_path: Path, options: dict[str, int], fragment: str
) -> None:
    root = tmp_path / "desk"
    with pytest.raises(DomainError, match=fragment):
        create_demo(root, **options)  # type: ignore[arg-type]
    assert not DataDir(root).exists()


def test_a_failure_leaves_no_half_made_desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "desk"

    def broken(*_args: object) -> None:
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(county, "screening_rounds", broken)
    with pytest.raises(RuntimeError, match="simulated"):
        create_demo(root, villages=2, cases=10)
    assert not DataDir(root).exists()
    monkeypatch.undo()
    assert create_demo(root, villages=2, cases=10).cases == 10


def test_raising_from_progress_cancels_and_leaves_nothing(tmp_path: Path) -> None:
    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        if done > 5:
            raise Cancelled

    root = tmp_path / "desk"
    with pytest.raises(Cancelled):
        create_demo(root, villages=3, cases=400, progress=cancel)
    assert not DataDir(root).exists()
