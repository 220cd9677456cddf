"""The hand-computed county of ``tests.stats.county``, built once and copied for each test that needs it."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from mediation_desk.services.desk import Actor, Desk
from tests.stats.county import county_desk, fill


@pytest.fixture(scope="session")
def county_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, uuid.UUID]]:
    root = tmp_path_factory.mktemp("stats-county") / "desk"
    desk = county_desk(root)
    try:
        ids = fill(desk)
    finally:
        desk.close()
    return root, ids


@pytest.fixture
def county_root(tmp_path: Path, county_template: tuple[Path, dict[str, uuid.UUID]]) -> Path:
    """A copy of the county's data folder, for this test alone."""
    root = tmp_path / "county"
    shutil.copytree(county_template[0], root, ignore=shutil.ignore_patterns("*.lock"))
    return root


@pytest.fixture
def county(county_root: Path) -> Iterator[Desk]:
    desk = Desk.open(county_root, Actor.local_operator("test"))
    yield desk
    desk.close()


@pytest.fixture
def case_ids(county_template: tuple[Path, dict[str, uuid.UUID]]) -> dict[str, uuid.UUID]:
    return county_template[1]
