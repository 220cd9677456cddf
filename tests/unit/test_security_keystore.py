"""The keyring adapter: named secrets per desk, and the three failures told apart with their own messages."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null

from mediation_desk.domain.errors import DomainError
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
