"""The same models, migrations and services on PostgreSQL (a county's or province's aggregation database).

``MEDIATION_DESK_TEST_PG`` names the database (``postgresql+psycopg://…``); ``installer/bootstrap.py test`` starts
a throw-away server and sets it. Without it these tests skip, except under ``CI=true``, where they fail: CI must
not pass by skipping them. Each test works in a schema of its own, dropped at the end, so reruns start clean.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from mediation_desk.domain.codes import CaseSource, OrgLevel, PartyRole, RiskFlag
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.resources import resource_path
from mediation_desk.services import cases, orgs
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.setup import SetupInput, initialise, initialise_database
from mediation_desk.services.stats import StatsQuery, statistics
from mediation_desk.store import migrate
from mediation_desk.store.database import Database
from mediation_desk.store.models import AuditEvent, Base, DeviceState, DisputeCase, Revision, SessionRecord
from tests.conftest import TEST_PASSWORD
from tests.scenario import BEIJING, populate, snapshot

pytestmark = pytest.mark.postgres

PG_ENV = "MEDIATION_DESK_TEST_PG"
COUNTY = "331122"
VILLAGES = (
    "code,name,level,parent_code\n"
    "331122001001,东门村,village,331122001\n"
    "331122001002,西门社区,village,331122001\n"
    "331122101001,壶镇一村,village,331122101\n"
)
CASE_ORGS = ("331122001001", "331122001002", "331122101001", "331122101")


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="module")
def server_url() -> str:
    url = os.environ.get(PG_ENV, "").strip()
    if url:
        return url
    reason = (
        f"{PG_ENV} is not set: these tests need a PostgreSQL database "
        "(`python3 installer/bootstrap.py test` starts a throw-away server and sets it)"
    )
    if _on_ci():
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def pg_url(server_url: str) -> Iterator[str]:
    """A URL whose connections work in a fresh schema of their own; the schema is dropped afterwards."""
    base = sa.engine.make_url(server_url)
    schema = f"md_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        scoped = base.update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


def county_setup() -> SetupInput:
    return SetupInput(COUNTY, "缙云县", OrgLevel.COUNTY, None, "admin", TEST_PASSWORD, "缙司调")


def _actor() -> Actor:
    return Actor.local_operator("test")


@pytest.fixture
def pg_desk(pg_url: str) -> Iterator[Desk]:
    """A county desk on PostgreSQL, set up through the same path as ``init``."""
    desk = initialise_database(Database.open_url(pg_url), county_setup(), _actor())
    yield desk
    desk.close()


@pytest.fixture
def sqlite_desk(tmp_path: Path) -> Iterator[Desk]:
    desk = initialise(tmp_path / "county", county_setup(), _actor())
    yield desk
    desk.close()


def _fill(desk: Desk, folder: Path) -> None:
    villages = folder / "villages.csv"
    villages.write_text(VILLAGES, encoding="utf-8")
    orgs.import_orgs(desk, resource_path(*orgs.REFERENCE_FILE))
    orgs.import_orgs(desk, villages)
    populate(desk, CASE_ORGS, 36)


def _without_ids(held: dict[str, Any]) -> dict[str, Any]:
    """Record ids are random UUIDs: compare everything else."""
    return {**held, "cases": [{k: v for k, v in row.items() if k != "id"} for row in held["cases"]]}


# ---------------------------------------------------------------------------------------------------------------


def test_migrations_build_the_models_schema_on_postgres(pg_url: str) -> None:
    database = Database.open_url(pg_url)
    try:
        assert migrate.migration_state(database.engine).pending is False
        inspector = sa.inspect(database.engine)
        assert set(inspector.get_table_names()) == set(Base.metadata.tables) | {"alembic_version"}
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        types = {column["name"]: column["type"] for column in inspector.get_columns("dispute_case")}
        assert isinstance(types["id"], sa.Uuid)  # native uuid, not text
        assert isinstance(types["risk_flags"], sa.JSON)
        assert isinstance(types["amount_fen"], sa.BigInteger)
        held_at = {column["name"]: column["type"] for column in inspector.get_columns("session_record")}["held_at"]
        assert isinstance(held_at, sa.DateTime)
        assert not held_at.timezone  # UTC, naive: the same rule as on SQLite
    finally:
        database.close()
    # opening an up-to-date database again changes nothing
    Database.open_url(pg_url).close()


def test_a_newer_postgres_database_is_refused(pg_url: str) -> None:
    Database.open_url(pg_url).close()
    engine = sa.create_engine(pg_url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    finally:
        engine.dispose()
    with pytest.raises(migrate.DatabaseTooNew):
        Database.open_url(pg_url)


def test_statistics_on_postgres_equal_those_on_sqlite(pg_desk: Desk, sqlite_desk: Desk, tmp_path: Path) -> None:
    _fill(pg_desk, tmp_path)
    _fill(sqlite_desk, tmp_path)

    on_pg, on_sqlite = snapshot(pg_desk), snapshot(sqlite_desk)
    assert on_pg["statistics"]["totals"]["cases"] == 36
    assert on_pg["statistics"]["totals"]["successful"] > 0
    assert _without_ids(on_pg) == _without_ids(on_sqlite)
    for query in (
        StatsQuery(date_from=date(2025, 3, 1), date_to=date(2025, 8, 31)),
        StatsQuery(org_code="331122001"),
        StatsQuery(date_from=date(2025, 6, 1), org_code="331122101001"),
    ):
        assert statistics(pg_desk, query).as_json() == statistics(sqlite_desk, query).as_json()
    by_org = {group["code"]: group["cases"] for group in on_pg["statistics"]["by_org"]}
    assert by_org == {"331122001": 18, "331122101": 18}  # villages summed into their townships


def test_uuid_enum_json_and_utc_datetimes_round_trip(pg_desk: Desk) -> None:
    facts = "双方因宅基地界址发生争执；涉及“吉”与“𠮷”两姓，金额¥1,200.50。"
    row = cases.register_case(
        pg_desk,
        CaseInput(
            intake_date=date(2025, 6, 1),
            source=CaseSource.REFERRAL,
            referral_body="缙云县人民法院",
            category="03",
            facts=facts,
            risk_flags=[RiskFlag.PETITION, RiskFlag.MASS_FIGHT],
            parties=[PartyInput("王甲", PartyRole.APPLICANT), PartyInput("李乙", PartyRole.RESPONDENT)],
        ),
    ).value
    held_at = datetime(2025, 6, 2, 20, 15, 30, 123456, tzinfo=BEIJING)
    record_id = cases.record_session(pg_desk, row.id, held_at=held_at, body="第一次调解").value

    with pg_desk.read() as session:
        case = session.get(DisputeCase, row.id)
        assert case is not None
        assert isinstance(case.id, uuid.UUID)
        assert case.id == row.id
        assert case.status is CaseStatus.MEDIATING
        assert case.source is CaseSource.REFERRAL
        assert case.risk_flags == ["petition", "mass_fight"]
        assert case.facts == facts
        device = session.get(DeviceState, 1)
        assert device is not None
        assert case.rev_device == device.device_id
        record = session.get(SessionRecord, record_id)
        assert record is not None
        assert record.held_at == held_at
        assert record.held_at.tzinfo is UTC
        assert record.held_at.microsecond == 123456
        stored = session.execute(sa.text("SELECT held_at FROM session_record WHERE id = :id"), {"id": record_id})
        assert stored.scalar_one() == datetime(2025, 6, 2, 12, 15, 30, 123456)  # kept as UTC
        logged = session.scalars(
            sa.select(Revision).where(Revision.table_name == "dispute_case", Revision.record_id == row.id)
        ).all()
        assert len(logged) >= 1
        assert logged[0].case_id == row.id
        first = json.loads(logged[0].data)
        assert first["facts"] == facts  # NFC text, kept whole, in canonical JSON
        assert first["risk_flags"] == ["petition", "mass_fight"]
        assert (logged[-1].origin_device, logged[-1].origin_seq) == (case.rev_device, case.rev_seq)
        audit = session.get(AuditEvent, logged[0].change_id)
        assert audit is not None
        assert audit.at.tzinfo is UTC
        assert abs((datetime.now(UTC) - audit.at).total_seconds()) < 600
