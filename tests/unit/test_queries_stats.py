"""Aggregate statements of ``store.queries.stats``: case counts rolled up by key, screenings, the roster."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy.dialects import postgresql, sqlite

from mediation_desk.domain.codes import CaseSource, Employment, OutcomeKind, PartyRole
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.domain.permissions import Permission
from mediation_desk.services import cases
from mediation_desk.services.desk import Desk, UnitOfWork
from mediation_desk.services.mediators import MediatorInput, add_mediator
from mediation_desk.store.models import OrgUnit, ScreeningRound
from mediation_desk.store.queries import orgs as org_queries
from mediation_desk.store.queries import stats as stats_queries

VILLAGE = "331122001001"


def _org(desk: Desk, code: str) -> OrgUnit:
    with desk.read() as session:
        org = org_queries.org_by_code(session, code)
        assert org is not None
        return org


def _register(desk: Desk, category: str, intake: date, amount: int = 0) -> cases.CaseRow:
    data = CaseInput(
        intake_date=intake,
        source=CaseSource.APPLICATION,
        category=category,
        amount_fen=amount,
        parties=[PartyInput("周甲", PartyRole.APPLICANT), PartyInput("吴乙", PartyRole.RESPONDENT)],
    )
    return cases.register_case(desk, data).value


def test_case_counts_are_rolled_up_by_category_source_and_org(desk: Desk) -> None:
    agreed = _register(desk, "02", date(2026, 2, 1), amount=10_000)
    cases.record_session(desk, agreed.id, held_at=datetime(2026, 2, 2, tzinfo=UTC), body="调解")
    cases.conclude_case(desk, agreed.id, OutcomeKind.WRITTEN_AGREEMENT, on=date(2026, 2, 3))
    _register(desk, "02", date(2026, 2, 5), amount=99_999)  # still open: its amount counts for nothing
    _register(desk, "04", date(2025, 12, 1))  # before the period
    village = _org(desk, VILLAGE)
    with desk.read() as session:
        rows = stats_queries.case_counts(session, [village.id], date(2026, 1, 1), None)
    by_kind: dict[str, dict[str, tuple[int, ...]]] = {}
    for kind, key, *values in rows:
        by_kind.setdefault(kind, {})[str(key)] = tuple(int(value) for value in values)
    assert set(by_kind) == {"category", "source", "org"}
    cases_count, successful, *_rest = by_kind["category"]["02"]
    assert (cases_count, successful) == (2, 1)
    assert "04" not in by_kind["category"]
    assert by_kind["source"]["application"][0] == 2
    (org_counts,) = by_kind["org"].values()
    assert org_counts == by_kind["source"]["application"]
    written, oral, amount = org_counts[6], org_counts[7], org_counts[8]
    assert (written, oral, amount) == (1, 0, 10_000)


def test_every_organisation_means_no_organisation_filter(desk: Desk) -> None:
    _register(desk, "02", date(2026, 2, 1))
    with desk.read() as session:
        rows = stats_queries.case_counts(session, None, None, None)
    assert sum(int(values[0]) for kind, _key, *values in rows if kind == "org") == 1
    unfiltered = str(stats_queries.grouped_counts(None, None, None, "sqlite").compile(dialect=sqlite.dialect()))
    assert "WHERE" not in unfiltered


def test_sqlite_scans_instead_of_walking_the_index_for_a_large_subtree() -> None:
    few = [uuid.uuid4() for _ in range(stats_queries.SCAN_ABOVE_ORGS)]
    many = [*few, uuid.uuid4()]
    small = str(stats_queries.grouped_counts(few, None, None, "sqlite").compile(dialect=sqlite.dialect()))
    large = str(stats_queries.grouped_counts(many, None, None, "sqlite").compile(dialect=sqlite.dialect()))
    on_postgres = str(
        stats_queries.grouped_counts(many, None, None, "postgresql").compile(dialect=postgresql.dialect())
    )
    assert "+dispute_case.org_id IN" not in small
    assert "+dispute_case.org_id IN" in large
    assert "+dispute_case" not in on_postgres


def test_screening_totals_overlap_the_period(desk: Desk) -> None:
    village = _org(desk, VILLAGE)

    def body(work: UnitOfWork) -> None:
        for start, end, found in ((date(2026, 1, 1), date(2026, 1, 31), 3), (date(2026, 3, 1), date(2026, 3, 31), 5)):
            work.session.add(
                ScreeningRound(
                    org_id=village.id,
                    period_start=start,
                    period_end=end,
                    rounds=2,
                    disputes_found=found,
                    disputes_prevented=1,
                    escalations_prevented=1,
                )
            )
        work.changed("screening_round")

    desk.run("test.screening", Permission.EDIT_CASE, body)
    with desk.read() as session:
        assert stats_queries.screening_totals(session, [village.id], None, None) == (4, 8, 2, 2)
        january_only = stats_queries.screening_totals(session, [village.id], date(2026, 1, 15), date(2026, 2, 28))
        assert january_only == (2, 3, 1, 1)
        assert stats_queries.screening_totals(session, [uuid.uuid4()], None, None) == (0, 0, 0, 0)


def test_mediator_counts(desk: Desk) -> None:
    add_mediator(desk, MediatorInput("钱甲", employment=Employment.FULL_TIME))
    add_mediator(desk, MediatorInput("钱乙"))
    village = _org(desk, VILLAGE)
    with desk.read() as session:
        assert stats_queries.mediator_counts(session, [village.id]) == (2, 1)
        assert stats_queries.mediator_counts(session, []) == (0, 0)
