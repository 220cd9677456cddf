"""Aggregate statements of ``store.queries.stats``: case counts rolled up by key, screenings, the roster."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy.dialects import postgresql, sqlite

from mediation_desk.domain.codes import CaseSource, Employment, OutcomeKind, PartyRole
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.domain.permissions import Permission
from mediation_desk.domain.statistics import Basis
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
        rows = stats_queries.case_counts(session, stats_queries.Scope([village.id], date(2026, 1, 1)))
    by_kind: dict[str, dict[str, tuple[int, ...]]] = {}
    for kind, key, *values in rows:
        by_kind.setdefault(kind, {})[str(key)] = tuple(int(value) for value in values)
    assert set(by_kind) == set(stats_queries.KEYS)
    assert by_kind["month"] == {"2026-02": by_kind["source"]["application"]}
    assert by_kind["subtype"] == {"None": by_kind["source"]["application"]}  # no sub-type: one NULL key
    cases_count, successful, *_rest = by_kind["category"]["02"]
    assert (cases_count, successful) == (2, 1)
    assert "04" not in by_kind["category"]
    assert by_kind["source"]["application"][0] == 2
    (org_counts,) = by_kind["org_id"].values()
    assert org_counts == by_kind["source"]["application"]
    written, oral, amount = org_counts[6], org_counts[7], org_counts[8]
    assert (written, oral, amount) == (1, 0, 10_000)


def test_every_organisation_means_no_organisation_filter(desk: Desk) -> None:
    _register(desk, "02", date(2026, 2, 1))
    with desk.read() as session:
        rows = stats_queries.case_counts(session, stats_queries.Scope())
    assert sum(int(values[0]) for kind, _key, *values in rows if kind == "org_id") == 1
    unfiltered = str(stats_queries.grouped_counts(stats_queries.Scope(), "sqlite").compile(dialect=sqlite.dialect()))
    assert "WHERE" not in unfiltered


def test_sqlite_scans_instead_of_walking_the_index_for_a_large_subtree() -> None:
    few = [uuid.uuid4() for _ in range(stats_queries.SCAN_ABOVE_ORGS)]
    many = [*few, uuid.uuid4()]

    def sql(ids: list[uuid.UUID], dialect: str) -> str:
        compiler = sqlite.dialect() if dialect == "sqlite" else postgresql.dialect()
        return str(stats_queries.grouped_counts(stats_queries.Scope(ids), dialect).compile(dialect=compiler))

    small, large, on_postgres = sql(few, "sqlite"), sql(many, "sqlite"), sql(many, "postgresql")
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


def test_the_month_is_one_expression_in_the_select_list_and_the_grouping() -> None:
    """Literal arguments, not bound ones: the database sees the GROUP BY key and the month column as one."""
    on_sqlite = str(stats_queries.grouped_counts(stats_queries.Scope(), "sqlite").compile(dialect=sqlite.dialect()))
    assert on_sqlite.count("substr(dispute_case.intake_date, 1, 7)") == 2
    closing = stats_queries.Scope(basis=Basis.CLOSING)
    on_postgres = str(stats_queries.grouped_counts(closing, "postgresql").compile(dialect=postgresql.dialect()))
    assert on_postgres.count("to_char(coalesce(dispute_case.closing_date, outcome.decided_on), 'YYYY-MM')") == 2
    assert "closing_date, outcome.decided_on) IS NOT NULL" in on_postgres
