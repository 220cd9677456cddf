"""A county desk on PostgreSQL through the command line: ``--database-url`` and ``MEDIATION_DESK_DATABASE_URL``.

The data folder keeps the lock, the logs and the server's address (without its password); the server keeps the
data. The same ledger gives the same figures on PostgreSQL as on the folder's own SQLite file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from mediation_desk import cli
from mediation_desk.store.datadir import DB_NAME, URL_ENV_VAR, URL_FILE, use_database_url
from tests.conftest import TEST_PASSWORD
from tests.integration.test_postgres import pg_url, server_url  # noqa: F401 - fixtures
from tests.unit.ledgers import expected_totals, random_ledger, write_csv

pytestmark = pytest.mark.postgres

COUNTY = ["--org", "331122", "--name", "缙云县", "--level", "county", "--admin", "admin"]


@pytest.fixture(autouse=True)
def _no_url_left_over() -> Any:
    """``--database-url`` is remembered for the rest of the process's commands: each test starts without it."""
    use_database_url(None)
    yield
    use_database_url(None)


def _init(folder: Path, password_file: Path, *url: str) -> int:
    return cli.main(["--data-dir", str(folder), *url, "init", *COUNTY, "--password-file", str(password_file)])


def _stats(folder: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert cli.main(["--data-dir", str(folder), "stats", "--json"]) == 0
    return json.loads(capsys.readouterr().out)["totals"]  # type: ignore[no-any-return]


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    path = tmp_path / "password.txt"
    path.write_text(TEST_PASSWORD + "\n", encoding="utf-8")
    return path


def test_a_county_on_postgres_gives_the_figures_of_its_ledger_as_sqlite_does(
    pg_url: str,  # noqa: F811 - the fixture
    tmp_path: Path,
    password_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = random_ledger(120, seed=11)
    ledger = write_csv(tmp_path / "台账.csv", rows)
    on_server, on_file = tmp_path / "county-pg", tmp_path / "county-sqlite"

    assert _init(on_server, password_file, "--database-url", pg_url) == 0
    assert _init(on_file, password_file) == 0
    capsys.readouterr()
    for folder in (on_server, on_file):
        use_database_url(None)  # the folder's own choice from here on
        assert cli.main(["--data-dir", str(folder), "ledger", "import", str(ledger)]) == 0
    capsys.readouterr()

    assert not (on_server / DB_NAME).exists()  # the data are on the server
    assert (on_server / URL_FILE).read_text(encoding="utf-8").strip() == pg_url
    engine = sa.create_engine(pg_url)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM dispute_case").scalar_one() == len(rows)
    finally:
        engine.dispose()

    server_totals, file_totals = _stats(on_server, capsys), _stats(on_file, capsys)
    assert server_totals == file_totals
    expected = expected_totals(rows)
    assert {key: server_totals[key] for key in expected} == expected

    # importing the same ledger again adds nothing, on the server too
    assert cli.main(["--data-dir", str(on_server), "ledger", "import", str(ledger)]) == 0
    capsys.readouterr()
    assert _stats(on_server, capsys)["cases"] == len(rows)


def test_file_backups_are_refused_on_a_server_with_the_way_to_back_it_up(
    pg_url: str,  # noqa: F811 - the fixture
    tmp_path: Path,
    password_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "county"
    monkeypatch.setenv(URL_ENV_VAR, pg_url)  # the environment variable works as --database-url does
    assert _init(folder, password_file) == 0
    capsys.readouterr()
    for args in (["backup", "create"], ["backup", "list"]):
        assert cli.main(["--data-dir", str(folder), *args]) == 1
        err = capsys.readouterr().err
        assert "数据库服务器" in err
        assert "pg_dump" in err
    assert list((folder / "backups").iterdir()) == []


def test_a_server_that_cannot_be_reached_or_an_unknown_scheme_is_one_clear_message(
    tmp_path: Path, password_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "county"
    unreachable = "postgresql+psycopg://postgres@127.0.0.1:1/nothing"
    assert _init(folder, password_file, "--database-url", unreachable) == 1
    err = capsys.readouterr().err
    assert "无法连接数据库服务器" in err
    assert err.count("\n") == 1

    assert _init(tmp_path / "other", password_file, "--database-url", "mysql://root@localhost/x") == 1
    err = capsys.readouterr().err
    assert "不受支持" in err
    assert not (tmp_path / "other").exists()


def test_the_password_in_the_url_is_not_written_to_the_folder(
    pg_url: str,  # noqa: F811 - the fixture
    tmp_path: Path,
    password_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with_password = sa.engine.make_url(pg_url).set(password="s3cret-not-kept")
    folder = tmp_path / "county"
    # the test server trusts local connections, so a password given is accepted and ignored
    assert _init(folder, password_file, "--database-url", with_password.render_as_string(hide_password=False)) == 0
    capsys.readouterr()
    kept = (folder / URL_FILE).read_text(encoding="utf-8")
    assert "s3cret-not-kept" not in kept
    assert kept.strip() == pg_url
