"""Sync into a county whose database is on PostgreSQL, through the command line only.

Two villages and their township on SQLite, the county on the test command's PostgreSQL server
(``--database-url``): the county's merge, its status board and its statistics work there as on SQLite, the
figures equal the sum of the villages' ledgers, and a file imported twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from mediation_desk.store.datadir import use_database_url
from tests.integration.test_postgres import pg_url, server_url  # noqa: F401 - fixtures
from tests.sync.test_cli_county import Cli
from tests.sync.test_desk_support import COUNTY, TOWNSHIP, VILLAGES
from tests.unit.ledgers import expected_totals, random_ledger, write_csv

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _no_url_left_over() -> Iterator[None]:
    use_database_url(None)
    yield
    use_database_url(None)


def _init(run: Cli, name: str, code: str, title: str, level: str, parent: str | None, *url: str) -> None:
    extra = ["--parent", parent] if parent else []
    run(name, *url, "init", "--org", code, "--name", title, "--level", level, *extra,
        "--admin", "admin", "--password-file", run.password)  # fmt: skip
    use_database_url(None)  # from here on the folder's own choice: the county's folder remembers the server
    run(name, "keys", "export", run.file(f"{name}.pub"))


def _revisions(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.exec_driver_sql("SELECT count(*) FROM revision").scalar_one())
    finally:
        engine.dispose()


def test_a_county_on_postgres_merges_its_township_and_counts_every_case_once(
    pg_url: str,  # noqa: F811 - the fixture
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    run = Cli(tmp_path, capsys)
    _init(run, "county", *COUNTY, "county", None, "--database-url", pg_url)
    _init(run, "township", *TOWNSHIP, "township", COUNTY[0])
    for n in (0, 1):
        _init(run, f"village{n}", *VILLAGES[n], "village", TOWNSHIP[0])
        run("township", "keys", "trust", run.file(f"village{n}.pub"), "--yes")
        run(f"village{n}", "keys", "trust", run.file("township.pub"), "--yes")
    run("township", "keys", "trust", run.file("county.pub"), "--yes")
    run("county", "keys", "trust", run.file("township.pub"), "--yes")

    ledgers = [random_ledger(count, seed=300 + n) for n, count in enumerate((8, 5))]
    for n, rows in enumerate(ledgers):
        run(f"village{n}", "ledger", "import", write_csv(run.file(f"ledger{n}.csv"), rows))
        run(f"village{n}", "sync", "export", "--to", TOWNSHIP[0], "-o", run.file(f"v{n}.mdsync"))
    run("township", "sync", "import", run.file("v1.mdsync"), run.file("v0.mdsync"))
    run("township", "sync", "export", "--to", COUNTY[0], "-o", run.file("t.mdsync"))

    dry = run.json("county", "sync", "import", run.file("t.mdsync"), "--dry-run", "--json")
    assert dry["status"] in ("OK", "WARNING")
    before = _revisions(pg_url)
    report = run.json("county", "sync", "import", run.file("t.mdsync"), "--json")
    assert report["files"][0]["totals"]["rejected"] == 0
    assert _revisions(pg_url) > before  # merged into the server's database, not into a file in the folder
    assert not (tmp_path / "county" / "mediation-desk.sqlite3").exists()

    totals = run.json("county", "stats", "--json")["totals"]
    wanted = [expected_totals(rows) for rows in ledgers]
    summed = {key: sum(item[key] for item in wanted) for key in wanted[0] if key != "success_rate"}
    assert {key: totals[key] for key in summed} == summed

    again = run.json("county", "sync", "import", run.file("t.mdsync"), "--json")
    assert again["files"][0]["already_imported"]
    assert run.json("county", "stats", "--json")["totals"] == totals
    status = run.json("county", "sync", "status", "--json")
    assert TOWNSHIP[0] in {peer["org"] for peer in status["peers"]}
