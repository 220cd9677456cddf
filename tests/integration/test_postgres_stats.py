"""The statistics and the data-quality check give identical results on PostgreSQL and SQLite.

The hand-computed county of ``tests.stats.county`` is made on both through the same services; every report
(both bases, every grouping, every level, the mediators) and the check must be equal, and equal to the hand
count. ``MEDIATION_DESK_TEST_PG`` names the server; without it these tests skip, except under ``CI=true``, where
they fail (``tests/integration/test_postgres.py`` has the fixtures' rules).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from mediation_desk.domain.statistics import Basis, Grouping
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.setup import initialise, initialise_database
from mediation_desk.services.stats import StatsQuery, statistics
from mediation_desk.services.stats_quality import quality
from mediation_desk.store.database import Database
from tests.integration.test_postgres import pg_url, server_url
from tests.stats.county import (
    EXPECTED_2024_CLOSING,
    EXPECTED_2024_INTAKE,
    HUZHEN,
    VILLAGE_A2,
    WUYUN,
    YEAR_2023,
    YEAR_2024,
    add_orgs,
    county_setup,
    fill,
)

__all__ = ["pg_url", "server_url"]  # the fixtures, shared with the other PostgreSQL tests

pytestmark = pytest.mark.postgres

QUERIES = (
    StatsQuery(),
    StatsQuery(*YEAR_2024),
    StatsQuery(*YEAR_2024, basis=Basis.CLOSING),
    StatsQuery(*YEAR_2023, basis=Basis.CLOSING),
    StatsQuery(*YEAR_2024, org_code=WUYUN, by=Grouping.MEDIATOR),
    StatsQuery(*YEAR_2024, org_code=HUZHEN, basis=Basis.CLOSING, by=Grouping.MEDIATOR),
    StatsQuery(date(2024, 5, 1), date(2024, 6, 30), org_code=VILLAGE_A2),
)


def _actor() -> Actor:
    return Actor.local_operator("test")


@pytest.fixture
def both(pg_url: str, tmp_path: Path) -> Iterator[tuple[Desk, Desk]]:
    on_pg = initialise_database(Database.open_url(pg_url), county_setup(), _actor())
    on_sqlite = initialise(tmp_path / "county", county_setup(), _actor())
    try:
        for desk in (on_pg, on_sqlite):
            add_orgs(desk, tmp_path)
            fill(desk)
        yield on_pg, on_sqlite
    finally:
        on_pg.close()
        on_sqlite.close()


def _without_ids(report: dict[str, object]) -> dict[str, object]:
    rows = report.get("by_mediator")
    if isinstance(rows, list):
        report = {**report, "by_mediator": [{k: v for k, v in row.items() if k != "id"} for row in rows]}
    return report


def test_every_report_is_identical_on_postgres(both: tuple[Desk, Desk]) -> None:
    on_pg, on_sqlite = both
    for query in QUERIES:
        pg_report = statistics(on_pg, query).report_json()
        assert _without_ids(pg_report) == _without_ids(statistics(on_sqlite, query).report_json()), query
    assert statistics(on_pg, QUERIES[1]).report_json()["totals"] == EXPECTED_2024_INTAKE
    assert statistics(on_pg, QUERIES[2]).report_json()["totals"] == EXPECTED_2024_CLOSING
    mediators = statistics(on_pg, QUERIES[4]).by_mediator or []
    assert {row.name: row.counts.average_days for row in mediators} == {"钱一": 20.0, "钱二": 11.5, "钱三": 19.0}


def test_the_quality_check_is_identical_on_postgres(both: tuple[Desk, Desk]) -> None:
    on_pg, on_sqlite = both
    today = date(2025, 1, 15)
    for query in (StatsQuery(*YEAR_2024), StatsQuery(*YEAR_2023), StatsQuery(*YEAR_2024, basis=Basis.CLOSING)):
        pg_report = quality(on_pg, query, today=today).as_json()
        sqlite_report = quality(on_sqlite, query, today=today).as_json()
        for report in (pg_report, sqlite_report):
            for issue in report["issues"]:
                issue.pop("case_id")
        assert pg_report == sqlite_report, query
    assert quality(on_pg, StatsQuery(*YEAR_2024), today=today).total == 2
