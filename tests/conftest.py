"""Shared fixtures: a fresh real SQLite desk per test, set up the way ``init`` sets one up."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Desks keep their data keys in the keyring: the tests (and the programs they start) use a throw-away file keyring
# in a temporary folder, never the developer's own. keyring reads the variable when first used; keyrings.alt puts
# its file under XDG_DATA_HOME (LOCALAPPDATA on Windows). The folder is removed when the run ends.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="mediation-desk-keyring-")
os.environ["LOCALAPPDATA"] = os.environ["XDG_DATA_HOME"]

from mediation_desk.domain.codes import OrgLevel
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.setup import SetupInput, initialise

# Property tests: a quick run by default; HYPOTHESIS_PROFILE=long runs twenty times as many examples of each.
settings.register_profile("quick", max_examples=100, deadline=None)
settings.register_profile("long", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

TESTS = Path(__file__).resolve().parent
TEST_DATA = TESTS / "data"  # synthetic resident ID test vectors and a copy of the reference organisation list
SHARED = TESTS  # the folder whose data/ holds the files the tests share
VILLAGE_CODE = "331122001001"
TOWNSHIP_CODE = "331122001"
TEST_PASSWORD = "correct-horse-battery"  # a synthetic credential, for test desks only


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ["XDG_DATA_HOME"], ignore_errors=True)  # the throw-away keyring


def village_setup() -> SetupInput:
    return SetupInput(
        VILLAGE_CODE, "示例村人民调解委员会", OrgLevel.VILLAGE, TOWNSHIP_CODE, "admin", TEST_PASSWORD, "缙五人调"
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "desk"


@pytest.fixture(scope="session")
def template_desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One desk initialised as ``init`` would (migrations, organisation, administrator), copied for each test."""
    root = tmp_path_factory.mktemp("template") / "desk"
    initialise(root, village_setup(), Actor.local_operator("test")).close()
    return root


@pytest.fixture
def desk(data_dir: Path, template_desk: Path) -> Iterator[Desk]:
    """A village desk under 五云街道 (331122001), fresh for each test; it holds the data-folder lock."""
    shutil.copytree(template_desk, data_dir, ignore=shutil.ignore_patterns("*.lock"))
    desk = Desk.open(data_dir, Actor.local_operator("test"), lock=True)
    yield desk
    desk.close()
