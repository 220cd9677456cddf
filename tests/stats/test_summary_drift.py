"""The statistics summary never drifts from the cases (``store.stats_summary``).

- A Hypothesis state machine drives one real desk through random sequences of service calls (register, accept,
  refuse, edit category, dates, persons and amount, conclude with every outcome kind, correct the outcome, close,
  follow-up visits, judicial confirmations, agreements drafted and voided, ledger imports), and of the ways other
  code writes the counted tables: an ORM move to another organisation, an ORM delete, and the Core statements a
  sync merge uses (``store.queries.sync.update_rows`` / ``delete_rows``). After every step the stored summary
  equals a full recompute from the cases, nothing waits to be settled, and the report read from the summary
  equals the exact report.
- The migration's fill equals the recompute on the demo county.
- SYNC MERGE: a village's file merged by its township (``services.sync``, the real import), then an edit and a
  deletion merged again: the township's summary equals its recompute after each merge. No call in the sync code
  is needed: the triggers mark what the merge writes, and the commit settles it.
- A change written behind the program's back (a raw ``sqlite3`` connection) is seen: the report falls back to
  the exact query until the next commit settles it.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from mediation_desk.demo import create_demo
from mediation_desk.domain.codes import CaseSource, OutcomeKind, PartyRole, Performance, RiskFlag
from mediation_desk.domain.errors import DomainError
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.domain.permissions import Permission
from mediation_desk.domain.statistics import Basis, Counts, Grouping
from mediation_desk.services import agreements, cases
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.ledger import import_ledger
from mediation_desk.services.setup import initialise_database
from mediation_desk.services.stats import StatsQuery, statistics
from mediation_desk.store import models, stats_summary
from mediation_desk.store.database import Database
from mediation_desk.store.datadir import DataDir
from mediation_desk.store.models import STATS_COUNTS, DisputeCase, OrgUnit
from mediation_desk.store.queries import sync as sync_queries
from tests.integration.test_postgres import pg_url, server_url
from tests.migrations.make_fixtures import FIXTURES
from tests.stats.county import COUNTY, add_orgs, county_desk, county_setup, fill
from tests.sync.test_desk_support import TOWNSHIP, World, case_ids, ledger, receive, send, world, world_template
from tests.unit.ledgers import random_ledger, write_csv

__all__ = ["pg_url", "server_url", "world", "world_template"]

START = date(2024, 1, 1)
TODAY = date.today()
CATEGORIES = ("01", "02", "0101", "0401", "1001", "04", "15")
QUERIES = (
    StatsQuery(),
    StatsQuery(basis=Basis.CLOSING),
    StatsQuery(date(2024, 1, 1), date(2024, 12, 31)),
    StatsQuery(date(2024, 3, 1), date(2024, 8, 31), basis=Basis.CLOSING),
    StatsQuery(by=Grouping.MEDIATOR),
    StatsQuery(date(2024, 2, 10), date(2024, 9, 12), basis=Basis.CLOSING, by=Grouping.MEDIATOR),
    StatsQuery(date(2024, 1, 1), date(2024, 6, 30), by=Grouping.MEDIATOR),
)


def test_the_summary_counts_are_the_report_counts() -> None:
    assert Counts.names() == STATS_COUNTS


def _summary_state(desk: Desk) -> tuple[dict[Any, Any], dict[Any, Any], bool]:
    with desk.read() as session:
        return stats_summary.stored(session), stats_summary.recomputed(session), stats_summary.usable(session)


def _per_case(desk: Desk) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """``stats_case`` as stored and as computed afresh from the cases (the mediators' figures read it)."""
    with desk.read() as session:
        stored = {tuple(row) for row in session.execute(sa.select(models.stats_case))}
        dialect = session.get_bind().dialect.name
        fresh = {tuple(row) for row in session.execute(stats_summary.contributions(dialect, sa.select(DisputeCase.id)))}
    return stored, fresh


def assert_no_drift(desk: Desk) -> None:
    stored, recomputed, usable = _summary_state(desk)
    assert usable, "a change waits to be settled after a commit"
    assert stored == recomputed
    per_case, fresh = _per_case(desk)
    assert per_case == fresh


def _reports(desk: Desk) -> list[str]:
    return [json.dumps(statistics(desk, query).report_json(), sort_keys=True) for query in QUERIES]


def _mark_dirty_behind_our_back(desk: Desk) -> None:
    """A write that nothing settles (on SQLite a raw ``sqlite3`` connection; on PostgreSQL a connection told not
    to): the trigger marks the case."""
    engine = desk.database.engine
    touch = "UPDATE dispute_case SET persons = persons WHERE id IN (SELECT id FROM dispute_case ORDER BY id LIMIT 1)"
    if engine.dialect.name != "sqlite":
        with engine.connect() as connection:
            connection.info[stats_summary.DEFER] = True
            try:
                connection.exec_driver_sql(touch)
                connection.commit()
            finally:
                connection.info.pop(stats_summary.DEFER, None)
        return
    database = engine.url.database
    assert database
    raw = sqlite3.connect(database)
    try:
        raw.execute(touch)
        raw.commit()
    finally:
        raw.close()


def assert_summary_report_is_exact(desk: Desk) -> None:
    """The reports read from the summary equal the exact reports (the summary made unusable for a moment)."""
    from_summary = _reports(desk)
    _mark_dirty_behind_our_back(desk)
    with desk.read() as session:
        assert not stats_summary.usable(session)
    exact = _reports(desk)
    assert from_summary == exact
    with desk.write("test.settle", Permission.EDIT_CASE) as work:
        stats_summary.settle(work.session)
    assert_no_drift(desk)


def _day(offset: int) -> date:
    return min(START + timedelta(days=offset), TODAY)


class SummaryMachine(RuleBasedStateMachine):
    template: Path
    folder: Path

    cases = Bundle("cases")

    def __init__(self) -> None:
        super().__init__()
        root = self.folder / uuid.uuid4().hex
        shutil.copytree(self.template, root, ignore=shutil.ignore_patterns("*.lock"))
        self.root = root
        self.desk = Desk.open(root, Actor.local_operator("test"))
        with self.desk.read() as session:
            self.orgs = list(session.scalars(sa.select(OrgUnit.id).order_by(OrgUnit.code)))
        self.imports = 0

    def teardown(self) -> None:
        self.desk.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def attempt(self, call: Any, *args: Any, **kwargs: Any) -> Any:
        """A refused call (a rule of the lifecycle, a bad date) changes nothing; the invariant checks it."""
        try:
            return call(*args, **kwargs)
        except DomainError:
            return None

    @initialize(target=cases)
    def first(self) -> uuid.UUID:
        data = CaseInput(
            intake_date=START,
            source=CaseSource.APPLICATION,
            category="02",
            parties=[PartyInput("周初甲", PartyRole.APPLICANT), PartyInput("吴初乙", PartyRole.RESPONDENT)],
        )
        return cases.register_case(self.desk, data).value.id

    @rule(
        target=cases,
        offset=st.integers(0, 400),
        category=st.sampled_from(CATEGORIES),
        source=st.sampled_from(list(CaseSource)),
        persons=st.integers(1, 30),
        group=st.booleans(),
        risk=st.booleans(),
        accept=st.booleans(),
    )
    def register(
        self, offset: int, category: str, source: CaseSource, persons: int, group: bool, risk: bool, accept: bool
    ) -> uuid.UUID:
        data = CaseInput(
            intake_date=_day(offset),
            source=source,
            category=category,
            parties=[PartyInput("周某甲", PartyRole.APPLICANT), PartyInput("吴某乙", PartyRole.RESPONDENT)],
            referral_body="缙云县公安局五云派出所" if source is CaseSource.REFERRAL else "",
            persons=persons,
            group_dispute=group,
            risk_flags=[RiskFlag.CRIMINAL] if risk else [],
            accept=accept,
        )
        return cases.register_case(self.desk, data).value.id

    @rule(case=cases)
    def accept(self, case: uuid.UUID) -> None:
        self.attempt(cases.accept_case, self.desk, case)

    @rule(case=cases, offset=st.integers(0, 400))
    def refuse(self, case: uuid.UUID, offset: int) -> None:
        self.attempt(cases.refuse_case, self.desk, case, "已向人民法院起诉", on=_day(offset))

    @rule(
        case=cases,
        kind=st.sampled_from([kind for kind in OutcomeKind if kind is not OutcomeKind.REFUSED]),
        offset=st.integers(0, 400),
        amount=st.none() | st.integers(0, 10_000_000),
    )
    def conclude(self, case: uuid.UUID, kind: OutcomeKind, offset: int, amount: int | None) -> None:
        self.attempt(
            cases.conclude_case, self.desk, case, kind, on=_day(offset), reason="双方分歧过大", amount_fen=amount
        )

    @rule(case=cases, offset=st.integers(0, 420))
    def close(self, case: uuid.UUID, offset: int) -> None:
        self.attempt(cases.close_case, self.desk, case, on=_day(offset))

    @rule(
        case=cases,
        category=st.none() | st.sampled_from(CATEGORIES),
        offset=st.none() | st.integers(0, 400),
        persons=st.none() | st.integers(1, 40),
        amount=st.none() | st.integers(0, 5_000_000),
        group=st.none() | st.booleans(),
        source=st.none() | st.sampled_from(list(CaseSource)),
    )
    def edit(
        self,
        case: uuid.UUID,
        category: str | None,
        offset: int | None,
        persons: int | None,
        amount: int | None,
        group: bool | None,
        source: CaseSource | None,
    ) -> None:
        edit = cases.CaseEdit(
            category=category,
            intake_date=None if offset is None else _day(offset),
            persons=persons,
            amount_fen=amount,
            group_dispute=group,
            source=source,
        )
        self.attempt(cases.edit_case, self.desk, case, edit)

    @rule(
        case=cases,
        kind=st.sampled_from(list(OutcomeKind)),
        closing=st.none() | st.integers(0, 420),
        performance=st.none() | st.sampled_from(list(Performance)),
    )
    def correct_outcome(
        self, case: uuid.UUID, kind: OutcomeKind, closing: int | None, performance: Performance | None
    ) -> None:
        edit = cases.CaseEdit(
            outcome=kind, closing_date=None if closing is None else _day(closing), performance=performance
        )
        self.attempt(cases.edit_case, self.desk, case, edit)

    @rule(case=cases, performance=st.sampled_from(list(Performance)), offset=st.integers(0, 420))
    def follow_up(self, case: uuid.UUID, performance: Performance, offset: int) -> None:
        self.attempt(
            cases.record_follow_up,
            self.desk,
            case,
            visited_on=_day(offset),
            visited_party="周某甲",
            performance=performance,
            visitor="钱一",
        )

    @rule(case=cases, offset=st.integers(0, 420), granted=st.none() | st.booleans())
    def judicial(self, case: uuid.UUID, offset: int, granted: bool | None) -> None:
        self.attempt(
            cases.record_judicial_confirmation,
            self.desk,
            case,
            applied_on=_day(offset),
            court="缙云县人民法院",
            ruled_on=_day(offset) if granted is not None else None,
            granted=granted,
        )

    @rule(case=cases)
    def agreement_drafted_and_voided(self, case: uuid.UUID) -> None:
        drafted = self.attempt(
            agreements.draft_agreement,
            self.desk,
            case,
            agreements.AgreementInput("双方因宅基地边界发生纠纷", ["甲方于一个月内拆除围墙"]),
        )
        if drafted is not None:
            self.attempt(agreements.void_agreement, self.desk, drafted.value.id, "当事人反悔")

    @rule(case=cases, index=st.integers(0, 10))
    def move_to_another_org(self, case: uuid.UUID, index: int) -> None:
        """Through the ORM, as a transfer or a merge of organisations would write it."""
        with self.desk.write("test.move", Permission.EDIT_CASE) as work:
            found = work.session.get(DisputeCase, case)
            if found is not None:
                found.org_id = self.orgs[index % len(self.orgs)]

    @rule(case=cases)
    def delete_through_the_orm(self, case: uuid.UUID) -> None:
        with self.desk.write("test.delete", Permission.EDIT_CASE) as work:
            found = work.session.get(DisputeCase, case)
            if found is not None:
                work.session.delete(found)

    @rule(case=cases, persons=st.integers(1, 50), offset=st.integers(0, 400))
    def core_update_as_a_sync_merge(self, case: uuid.UUID, persons: int, offset: int) -> None:
        with self.desk.write("test.core", Permission.EDIT_CASE) as work:
            sync_queries.update_rows(
                work.session, "dispute_case", [{"id": case, "persons": persons, "intake_date": _day(offset)}]
            )

    @rule(case=cases)
    def core_delete_as_a_sync_merge(self, case: uuid.UUID) -> None:
        with self.desk.write("test.core", Permission.EDIT_CASE) as work:
            sync_queries.delete_rows(work.session, "outcome", self._outcomes(work.session, case))

    def _outcomes(self, session: Any, case: uuid.UUID) -> list[uuid.UUID]:
        from mediation_desk.store.models import Outcome

        return list(session.scalars(sa.select(Outcome.id).where(Outcome.case_id == case)))

    @rule(count=st.integers(1, 6), seed=st.integers(0, 1000))
    def ledger_import(self, count: int, seed: int) -> None:
        self.imports += 1
        path = write_csv(self.root / f"ledger-{self.imports}.csv", random_ledger(count, seed, start=START))
        self.attempt(import_ledger, self.desk, path)

    @rule()
    def reports_agree(self) -> None:
        assert_summary_report_is_exact(self.desk)

    @invariant()
    def no_drift(self) -> None:
        assert_no_drift(self.desk)


def test_the_summary_equals_a_recompute_after_every_change(template_desk: Path, tmp_path: Path) -> None:
    SummaryMachine.template = template_desk
    SummaryMachine.folder = tmp_path
    run_state_machine_as_test(
        SummaryMachine,
        settings=settings(
            max_examples=10,
            stateful_step_count=20,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def test_reports_from_the_summary_equal_the_exact_reports(county: Desk) -> None:
    assert_no_drift(county)
    assert_summary_report_is_exact(county)
    county_only = StatsQuery(date(2024, 1, 1), date(2024, 12, 31), org_code=COUNTY)
    assert statistics(county, county_only).totals.cases == 7


def test_a_change_behind_the_programs_back_falls_back_to_the_exact_query(county: Desk) -> None:
    before = _reports(county)
    _mark_dirty_behind_our_back(county)
    with county.read() as session:
        assert not stats_summary.usable(session)
    assert _reports(county) == before  # the exact query, the same figures
    case_id = case_ids(county)[0]
    with county.write("test.edit", Permission.EDIT_CASE) as work:  # any commit that writes settles the backlog
        found = work.session.get(DisputeCase, case_id)
        assert found is not None
        found.notes = "补记"
    assert_no_drift(county)


def test_the_migrations_fill_equals_the_recompute_on_the_demo_county(tmp_path: Path) -> None:
    create_demo(tmp_path / "demo", villages=6, cases=150)
    desk = Desk.open(tmp_path / "demo", Actor.local_operator("test"))
    try:
        assert_no_drift(desk)
        with desk.write("test.refill", Permission.EDIT_CASE) as work:  # empty it, mark every case, as 0006 does
            connection = work.session.connection()
            connection.execute(sa.delete(models.stats_summary))
            connection.execute(sa.delete(models.stats_case))
            connection.execute(sa.insert(models.stats_dirty).from_select(["case_id"], sa.select(DisputeCase.id)))
        assert_no_drift(desk)
        with desk.read() as session:
            assert len(stats_summary.stored(session)) > 100
        assert_summary_report_is_exact(desk)
        with desk.write("test.rebuild", Permission.EDIT_CASE) as work:
            stats_summary.rebuild(work.session)
        assert_no_drift(desk)
    finally:
        desk.close()


def test_refresh_cases_settles_the_cases_named_now(county: Desk, case_ids: dict[str, uuid.UUID]) -> None:
    with county.write("test.refresh", Permission.EDIT_CASE) as work:
        found = work.session.get(DisputeCase, case_ids["D"])
        assert found is not None
        found.persons = 31
        work.session.flush()
        stats_summary.refresh_cases(work.session, [case_ids["D"], case_ids["E"]])
        assert stats_summary.usable(work.session)  # settled before the commit
        assert stats_summary.stored(work.session) == stats_summary.recomputed(work.session)
    assert_no_drift(county)


def test_a_fresh_county_fills_the_summary_through_the_services(tmp_path: Path) -> None:
    desk = county_desk(tmp_path / "county")
    try:
        fill(desk)
        assert_no_drift(desk)
    finally:
        desk.close()


# ---------------------------------------------------------------------------------------------------------------
# SYNC MERGE: the real import of sync files, with no call of ours in the sync code (triggers + commit settle).


def test_sync_merges_keep_the_township_summary_exact(world: World) -> None:
    ledger(world.village_a, world.files, 10, seed=4)
    send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    report = receive(world.township, world.file("a1.mdsync"))
    assert report.ok
    assert_no_drift(world.township)
    merged = statistics(world.township).totals.cases
    assert merged >= 10
    first, second = case_ids(world.village_a)[:2]
    with world.village_a.write("test.edit", Permission.EDIT_CASE) as work:
        case = work.session.get(DisputeCase, first)
        assert case is not None
        case.category, case.persons = "15", 44
        gone = work.session.get(DisputeCase, second)
        assert gone is not None
        work.session.delete(gone)
    send(world.village_a, TOWNSHIP[0], world.file("a2.mdsync"))
    assert receive(world.township, world.file("a2.mdsync")).ok
    assert_no_drift(world.township)
    assert statistics(world.township).totals.cases == merged - 1
    assert_summary_report_is_exact(world.township)


@pytest.mark.parametrize("day", [date(2024, 1, 15), date(2024, 2, 28)])
def test_a_period_not_of_whole_months_uses_the_exact_query(county: Desk, day: date) -> None:
    from mediation_desk.store.queries import stats as stats_queries

    scope = stats_queries.Scope(None, day, date(2024, 12, 31))
    assert not stats_queries.summary_answers(scope)
    assert stats_queries.summary_answers(stats_queries.Scope(None, date(2024, 2, 1), date(2024, 2, 29)))
    assert statistics(county, StatsQuery(day, date(2024, 12, 31))).totals.cases > 0


# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL: the statement-level triggers and the same settling (skipped without MEDIATION_DESK_TEST_PG)


@pytest.mark.postgres
def test_the_summary_on_postgres_never_drifts(pg_url: str, tmp_path: Path) -> None:
    desk = initialise_database(Database.open_url(pg_url), county_setup(), Actor.local_operator("test"))
    try:
        add_orgs(desk, tmp_path)
        ids = fill(desk)
        assert_no_drift(desk)
        cases.edit_case(desk, ids["G"], cases.CaseEdit(category="15", persons=9, intake_date=date(2024, 2, 2)))
        cases.conclude_case(desk, ids["G"], OutcomeKind.ORAL_AGREEMENT, on=date(2024, 9, 1), amount_fen=500)
        assert_no_drift(desk)
        with desk.write("test.core", Permission.EDIT_CASE) as work:
            sync_queries.delete_rows(work.session, "dispute_case", [ids["B"]])
        assert_no_drift(desk)
        assert statistics(desk).totals.cases == len(ids) - 1
        assert_summary_report_is_exact(desk)
    finally:
        desk.close()


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema_*.sqlite3")), ids=lambda path: path.stem)
def test_upgrading_a_released_database_fills_the_summary(fixture: Path, tmp_path: Path) -> None:
    """Migration 0006 on a saved database of an older schema: every case marked, settled at head."""
    data_dir = DataDir(tmp_path / "desk")
    data_dir.create()
    shutil.copyfile(fixture, data_dir.database)
    desk = Desk.open(data_dir.root, Actor.local_operator("test"))
    try:
        assert_no_drift(desk)
        with desk.read() as session:
            cases_on_file = session.scalar(sa.select(sa.func.count()).select_from(DisputeCase))
            totals = [counts for key, counts in stats_summary.stored(session).items() if key[0] == "intake"]
            assert cases_on_file
            assert sum(counts[0] for counts in totals) == 4 * cases_on_file - _no_subtype(session)
        assert_summary_report_is_exact(desk)
    finally:
        desk.close()


def _no_subtype(session: Any) -> int:
    """Cases without a sub-type: they have no sub-type row (3 rows per case then, 4 otherwise, by intake)."""
    return int(session.scalar(sa.select(sa.func.count()).where(DisputeCase.subtype.is_(None))) or 0)
