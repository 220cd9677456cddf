"""The keyring adapter: named secrets per desk, and the three failures told apart with their own messages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.util.platform_ import config_root

from mediation_desk.domain.errors import DomainError
from mediation_desk.security import keystore
from mediation_desk.security.keystore import (
    KeyringLocked,
    KeyringUnavailable,
    KeyStore,
    SecretNotFound,
    backend_name,
)
from tests.keyrings import LockedKeyring, keyring_swapped


@pytest.fixture
def backend() -> Iterator[None]:
    """Put back the tests' file keyring after a test that swaps the backend."""
    with keyring_swapped():
        yield


def test_the_tests_use_a_throw_away_file_keyring() -> None:
    assert backend_name() == "keyrings.alt.file.PlaintextKeyring"


def test_secrets_are_kept_per_desk_and_named() -> None:
    one, other = KeyStore("0" * 31 + "1"), KeyStore("0" * 31 + "2")
    one.put("data-key", "first")
    other.put("data-key", "second")
    one.put("signing-key", "third")
    assert (one.get("data-key"), other.get("data-key"), one.get("signing-key")) == ("first", "second", "third")
    assert one.service == "mediation-desk/" + "0" * 31 + "1"
    assert one.delete("data-key") is True
    assert one.find("data-key") is None
    assert one.delete("data-key") is False
    assert other.get("data-key") == "second"


def test_a_missing_secret_says_which() -> None:
    with pytest.raises(SecretNotFound, match="没有本工作台的“data-key”"):
        KeyStore("f" * 32).get("data-key")


@pytest.mark.usefixtures("backend")
@pytest.mark.parametrize("chosen", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_no_backend_is_a_clear_error_and_never_a_silent_loss(chosen: KeyringBackend) -> None:
    keyring.set_keyring(chosen)
    store = KeyStore("a" * 32)
    for action in (lambda: store.put("data-key", "x"), lambda: store.find("data-key")):
        with pytest.raises(KeyringUnavailable, match="没有可用的系统钥匙串") as raised:
            action()
        assert isinstance(raised.value, DomainError)
        assert "凭据管理器" in str(raised.value)


@pytest.mark.usefixtures("backend")
def test_a_locked_keyring_says_so() -> None:
    keyring.set_keyring(LockedKeyring())
    store = KeyStore("b" * 32)
    for action in (lambda: store.put("data-key", "x"), lambda: store.get("data-key"), lambda: store.delete("x")):
        with pytest.raises(KeyringLocked, match="已锁定"):
            action()


def test_names_and_desk_ids_are_checked() -> None:
    with pytest.raises(ValueError, match="desk key id"):
        KeyStore("../other")
    with pytest.raises(ValueError, match="secret name"):
        KeyStore("c" * 32).find("Data Key")


# -- a remembered backend instead of keyring's scan of every backend ------------------------------------------------

TESTS_KEYRING = "keyrings.alt.file.PlaintextKeyring"


@pytest.fixture
def unconfigured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """keyring's own configuration chooses nothing (no variable, no keyringrc.cfg: its config folder is empty), and
    keyring may not scan its backends (that would reach the real keyring); the folder of keyringrc.cfg. keyring's
    own choice stays the tests' file keyring, chosen before."""
    keyring.get_keyring()
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # (on Windows keyring's config folder is the tests' own)
    monkeypatch.setattr(keyring.backend, "get_all_keyring", _no_scan)
    try:
        yield config_root()
    finally:
        keystore.forget_preference()


def _no_scan() -> list[KeyringBackend]:
    raise AssertionError("keyring scanned its backends")


def test_keyrings_own_configuration_wins_over_a_remembered_backend() -> None:
    assert keystore.keyring_configured()  # PYTHON_KEYRING_BACKEND (tests/conftest.py)
    assert keystore.prefer("tests.keyrings.EmptyKeyring") is False
    assert backend_name() == TESTS_KEYRING


def test_a_keyringrc_file_wins_over_a_remembered_backend(unconfigured: Path) -> None:
    assert keystore.prefer(TESTS_KEYRING) is True
    keystore.forget_preference()
    unconfigured.mkdir(parents=True, exist_ok=True)
    config = unconfigured / "keyringrc.cfg"
    config.write_text("[backend]\ndefault-keyring=keyring.backends.null.Keyring\n")
    try:
        assert keystore.keyring_configured()
        assert keystore.prefer(TESTS_KEYRING) is False
    finally:
        config.unlink()


def test_the_remembered_backend_is_loaded_alone(unconfigured: Path) -> None:
    store = KeyStore("d" * 32)
    store.put("data-key", "kept")  # in the tests' file keyring, chosen before
    assert keystore.prefer(TESTS_KEYRING) is True
    assert backend_name() == TESTS_KEYRING
    with keyring_swapped(LockedKeyring()):  # keyring's own choice is not asked: the preferred backend answers
        assert store.get("data-key") == "kept"
    store.delete("data-key")


@pytest.mark.parametrize("name", ["no.such.Keyring", "keyring.backends.null.Keyring", "keyring.backends.fail.Keyring"])
def test_a_remembered_backend_that_cannot_serve_is_ignored(unconfigured: Path, name: str) -> None:
    assert keystore.prefer(name) is False
    assert keystore.prefer("") is False
    assert backend_name() == TESTS_KEYRING  # keyring's own choice (made before these tests)


def test_a_secret_the_remembered_backend_lacks_is_found_in_keyrings_choice(unconfigured: Path) -> None:
    store = KeyStore("e" * 32)
    store.put("data-key", "elsewhere")
    assert keystore.prefer("tests.keyrings.EmptyKeyring") is True
    assert backend_name() == "tests.keyrings.EmptyKeyring"
    assert store.get("data-key") == "elsewhere"
    assert backend_name() == TESTS_KEYRING  # the preference is dropped: keyring's choice holds the desk's secrets
    assert store.delete("data-key") is True
    assert keystore.prefer("tests.keyrings.EmptyKeyring") is True
    assert store.find("data-key") is None  # in neither
