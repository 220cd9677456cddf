"""Shared fixtures: a fresh real SQLite desk per test, set up the way ``init`` sets one up."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from mediation_desk.domain.codes import OrgLevel  # noqa: E402
from mediation_desk.services.desk import Actor, Desk  # noqa: E402
from mediation_desk.services.setup import SetupInput, initialise  # noqa: E402

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
VILLAGE_CODE = "331122001001"
TOWNSHIP_CODE = "331122001"
TEST_PASSWORD = "correct-horse-battery"  # a synthetic credential, for test desks only


def village_setup() -> SetupInput:
    return SetupInput(VILLAGE_CODE, "示例村人民调解委员会", OrgLevel.VILLAGE, TOWNSHIP_CODE, "admin", TEST_PASSWORD,
                      "缙五人调")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "desk"


@pytest.fixture
def desk(data_dir: Path) -> Iterator[Desk]:
    """A village desk under 五云街道 (331122001), initialised as ``init`` would."""
    desk = initialise(data_dir, village_setup(), Actor.local_operator("test"))
    yield desk
    desk.close()
