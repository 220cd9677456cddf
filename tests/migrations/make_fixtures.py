"""Save a database of the current schema, for the upgrade tests of every later version (STYLE.md §11).

Run it once, when a schema is released (a new migration in a published version), from the project folder:

    .venv/bin/python -m tests.migrations.make_fixtures

It writes ``fixtures/schema_<revision>.sqlite3`` (a village desk with synthetic cases, made by the real services)
and ``fixtures/schema_<revision>.json`` (what that desk held, as the program of that day read it). Both are
committed and never changed again: a later version must open and migrate the old file and read back the same.
A released fixture is never overwritten.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from pathlib import Path

from mediation_desk import __version__
from mediation_desk.domain.codes import UserRole
from mediation_desk.services.desk import Actor
from mediation_desk.services.setup import initialise
from mediation_desk.store import migrate
from mediation_desk.store.backup import copy_database
from tests.conftest import VILLAGE_CODE, village_setup
from tests.scenario import populate, snapshot

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CASES = 12


def fixture_paths(revision: str) -> tuple[Path, Path]:
    return FIXTURES / f"schema_{revision}.sqlite3", FIXTURES / f"schema_{revision}.json"


def build(database: Path, manifest: Path) -> None:
    """Make a desk at the current head with the scenario's cases; save its database and what it held."""
    revision = migrate.head_revision()
    with tempfile.TemporaryDirectory() as folder:
        desk = initialise(Path(folder) / "desk", village_setup(), Actor("fixture:builder", UserRole.ADMIN))
        try:
            populate(desk, [VILLAGE_CODE], CASES)
            held = snapshot(desk)
            source = desk.data_dir.database
        finally:
            desk.close()
        copy_database(source, database)  # one self-contained file (no WAL)
    connection = sqlite3.connect(database)
    try:  # small pages and no free space keep the committed file small
        connection.execute("PRAGMA page_size=1024")
        connection.execute("VACUUM")
    finally:
        connection.close()
    document = {"revision": revision, "program_version": __version__, **held}
    manifest.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> int:
    revision = migrate.head_revision()
    database, manifest = fixture_paths(revision)
    if database.exists() or manifest.exists():
        print(f"{database.name} exists: a released schema's fixture is never remade", file=sys.stderr)
        return 1
    FIXTURES.mkdir(parents=True, exist_ok=True)
    build(database, manifest)
    print(f"wrote {database} ({database.stat().st_size} bytes) and {manifest.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
