"""What the frozen build reads, checked without building it (installer/README.md; the build itself and its smoke
test run with ``installer/smoke-test``, or ``MEDIATION_DESK_SMOKE=1`` in the test command).

- The name and version come from pyproject.toml, the version through its ``attr`` pointer.
- Everything in ``resources/`` and ``migrations/`` is shipped, found by walking the folders (what other work adds
  there is bundled without touching the spec); only translation sources and run leftovers stay out.
- The languages shipped are those of ``resources/translations``: Qt's own translations are cut down to them.
- The test command runs the smoke test on CI only when the last commit touched the packaging inputs.
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
from pathlib import Path

import pytest

import mediation_desk
from installer import project_info, smoke

ROOT = Path(__file__).resolve().parents[2]


def test_name_and_version_come_from_pyproject() -> None:
    project = project_info.read_project()
    assert project.name == "mediation-desk"
    assert project.version == mediation_desk.__version__
    assert any(requirement.startswith("pyinstaller==") for requirement in project.build_requirements)


def test_every_file_of_resources_and_migrations_is_shipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    files = {
        "resources/fonts/new-font.ttf": True,
        "resources/data/deep/nested/table.csv": True,
        "resources/icons/print.svg": True,
        "resources/translations/mediation_desk_zh_CN.ts": False,  # compiled into a .qm by the build
        "resources/translations/mediation_desk_zh_CN.qm": False,  # a stale one of the checkout: the build compiles
        "migrations/versions/0099_later.py": True,
        "migrations/versions/__pycache__/0099_later.cpython-311.pyc": False,
        "migrations/script.py.mako": True,
    }
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    shipped = {str(folder / source.name) for source, folder in project_info.shipped_files(tmp_path)}
    assert shipped == {name for name, kept in files.items() if kept}


def test_the_checkout_ships_its_fonts_data_and_migrations() -> None:
    shipped = {source for source, _folder in project_info.shipped_files()}
    on_disk = {
        path
        for folder in project_info.SHIPPED_FOLDERS
        for path in (ROOT / folder).rglob("*")
        if path.is_file()
        and not any(fnmatch.fnmatch(part, pattern) for part in path.parts for pattern in project_info.LEFT_OUT)
    }
    assert shipped == on_disk
    assert any(path.suffix in {".ttf", ".ttc"} for path in shipped)
    assert any(path.parent.name == "versions" for path in shipped)


@pytest.mark.parametrize(
    ("sources", "languages"),
    [
        (["mediation_desk_zh_CN.ts"], ["zh_CN"]),
        (["mediation_desk_zh_CN.ts", "mediation_desk_bo.ts", "mediation_desk_zh_TW.ts"], ["bo", "zh_CN", "zh_TW"]),
        ([], []),
    ],
)
def test_the_shipped_languages_are_read_off_the_translation_sources(
    tmp_path: Path, sources: list[str], languages: list[str]
) -> None:
    folder = tmp_path / project_info.TRANSLATIONS
    folder.mkdir(parents=True)
    for name in sources:
        (folder / name).write_text("<TS/>", encoding="utf-8")
    assert project_info.shipped_languages(tmp_path) == languages


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True)


def _commit(repo: Path, name: str) -> None:
    (repo / name).parent.mkdir(parents=True, exist_ok=True)
    (repo / name).write_text(name, encoding="utf-8")
    _git(repo, "add", name)
    _git(repo, "commit", "-q", "-m", name)


@pytest.mark.parametrize(
    ("changed", "runs"),
    [
        ("mediation_desk/cli.py", False),
        ("README.md", False),
        ("resources/fonts/new.ttf", True),
        ("installer/windows/mediation-desk.nsi", True),
        ("pyproject.toml", True),
    ],
)
def test_ci_runs_the_smoke_test_when_the_last_commit_touched_packaging(
    tmp_path: Path, changed: str, runs: bool
) -> None:
    _git(tmp_path, "init", "-q")
    _commit(tmp_path, "first.txt")
    _commit(tmp_path, changed)
    wanted, why = smoke.changed_since_parent(tmp_path)
    assert wanted is runs, why


def test_a_checkout_without_a_parent_commit_runs_it_to_be_safe(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    _commit(tmp_path, "README.md")
    wanted, why = smoke.changed_since_parent(tmp_path)
    assert wanted
    assert "to be safe" in why


def test_the_test_command_leaves_it_out_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv(smoke.ASK_ENV, raising=False)
    assert smoke.wanted_by_test_command()[0] is False
    monkeypatch.setenv(smoke.ASK_ENV, "1")
    assert smoke.wanted_by_test_command()[0] is True
