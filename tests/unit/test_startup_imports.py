"""Start-up imports only what the first window needs (issue 11): checked in fresh processes through sys.modules,
without timing; and the fast migrations check agrees with Alembic."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from mediation_desk.services.desk import Desk
from mediation_desk.store import migrate

TESTS_KEYRING = "keyrings.alt.file.PlaintextKeyring"  # the tests' file keyring (tests/conftest.py)
HEAVY = (
    "sqlalchemy",
    "alembic",
    "keyring",
    "argon2",
    "openpyxl",
    "pypinyin",
    "reportlab",
    "mediation_desk.store.database",
    "mediation_desk.store.models",
    "filelock",  # the folder lock: taken by the opening, on its worker
    "platformdirs",
)


def loaded_after(
    code: str, names: tuple[str, ...], env: dict[str, str] | None = None, drop: tuple[str, ...] = ()
) -> dict[str, bool]:
    """Which of ``names`` (packages) are in ``sys.modules`` of a fresh interpreter after running ``code`` (with
    ``env`` added to the environment and the variables ``drop`` left out)."""
    probe = (
        "import json, sys\n"
        + code
        + f"\nprint(json.dumps({{n: any(m == n or m.startswith(n + '.') for m in sys.modules) for n in {names!r}}}))"
    )
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    for name in drop:
        environment.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120, env=environment
    )
    result: dict[str, bool] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_sign_in_window_needs_no_database_layer() -> None:
    code = (
        "import mediation_desk.__main__\n"
        "from mediation_desk.ui import app, crash, i18n, login, settings, tasks\n"
        "from mediation_desk.services import opening\n"
    )
    assert loaded_after(code, HEAVY) == dict.fromkeys(HEAVY, False)


def test_the_main_window_module_imports_no_page_but_the_first_and_nothing_heavy() -> None:
    names = (
        "alembic",
        "openpyxl",
        "pypinyin",
        "reportlab",
        "mediation_desk.demo",
        "mediation_desk.ui.cases_page",
        "mediation_desk.ui.rosters_page",
        "mediation_desk.ui.settings_page",
        "mediation_desk.ui.case_editor",
        "mediation_desk.services.backups",
    )
    assert loaded_after("import mediation_desk.ui.main_window", names) == dict.fromkeys(names, False)


def test_opening_a_desk_at_head_does_not_load_alembic(desk: Desk) -> None:
    root = desk.data_dir.root
    desk.close()
    code = (
        "from pathlib import Path\n"
        "from mediation_desk.services.desk import Actor, Desk\n"
        f"Desk.open(Path({str(root)!r}), Actor.local_operator('test'), lock=True).close()\n"
    )
    names = ("alembic", "sqlalchemy", "sqlalchemy.dialects.postgresql")
    assert loaded_after(code, names) == {"alembic": False, "sqlalchemy": True, "sqlalchemy.dialects.postgresql": False}


def test_a_remembered_keyring_backend_is_the_only_one_loaded(desk: Desk, tmp_path: Path) -> None:
    """keyring configured by nothing (no variable, an empty config folder) and told not to scan its backends: the
    desk opens with the backend remembered, and no other backend is loaded."""
    root = desk.data_dir.root
    desk.close()
    code = (
        "from pathlib import Path\n"
        "import keyring.backend\n"
        "def no_scan(): raise AssertionError('keyring scanned its backends')\n"
        "keyring.backend.get_all_keyring = no_scan\n"
        "from mediation_desk.services import opening\n"
        f"opened = opening.open_for_sign_in(Path({str(root)!r}), keyring_backend='{TESTS_KEYRING}')\n"
        f"assert opened.keyring_backend == '{TESTS_KEYRING}', opened.keyring_backend\n"
        "opened.desk.close()\n"
    )
    others = ("keyring.backends.SecretService", "keyring.backends.kwallet", "keyring.backends.macOS", "secretstorage")
    environment = {"XDG_CONFIG_HOME": str(tmp_path)}  # (on Windows keyring's config folder is the tests' own)
    found = loaded_after(code, others, environment, drop=("PYTHON_KEYRING_BACKEND",))
    assert found == dict.fromkeys(others, False)


def test_the_fast_head_is_alembics_head() -> None:
    assert migrate.script_head() == migrate.head_revision()


def test_a_database_behind_the_head_still_goes_through_alembic(desk: Desk, tmp_path: Path) -> None:
    """Not at the fast head: the state comes from Alembic (a pending migration is found, a newer one refused)."""
    engine = desk.database.engine
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    state = migrate.migration_state(engine)
    assert state.pending
    assert state.current == "0001"
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    try:
        migrate.migration_state(engine)
    except migrate.DatabaseTooNew:
        pass
    else:
        raise AssertionError("a newer database was not refused")
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"UPDATE alembic_version SET version_num = '{migrate.head_revision()}'")


def test_the_synthetic_marker_is_the_demos() -> None:
    from mediation_desk import demo
    from mediation_desk.services import desk as desk_service

    assert desk_service.SYNTHETIC_SETTING == demo.SYNTHETIC_SETTING


def test_the_version_is_printed_without_the_command_line_or_the_store() -> None:
    code = "from mediation_desk.__main__ import main\nassert main(['--version']) == 0\n"
    names = ("sqlalchemy", "mediation_desk.cli", "mediation_desk.store", "PySide6")
    assert loaded_after(code, names) == dict.fromkeys(names, False)
    done = subprocess.run(
        [sys.executable, "-m", "mediation_desk", "--version"], capture_output=True, text=True, check=True, timeout=60
    )
    import mediation_desk

    assert done.stdout == f"mediation-desk {mediation_desk.__version__}\n"
