"""Keyring backends for the tests that need a keyring in a given state (the others use the file keyring that
tests/conftest.py configures through keyring's own ``PYTHON_KEYRING_BACKEND``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import keyring
import keyring.errors
from keyring.backend import KeyringBackend


class LockedKeyring(KeyringBackend):
    """A keyring that is there but locked (as the Secret Service is before the desktop unlocks it)."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("locked")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("locked")


@contextmanager
def keyring_swapped(replacement: KeyringBackend | None = None) -> Iterator[None]:
    """Use ``replacement`` (if given) as the keyring inside the block; the tests' own keyring comes back after."""
    previous = keyring.get_keyring()
    if replacement is not None:
        keyring.set_keyring(replacement)
    try:
        yield
    finally:
        keyring.set_keyring(previous)


class EmptyKeyring(KeyringBackend):
    """A keyring that works and holds nothing (a backend other than the one holding a desk's keys)."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("holds nothing")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("holds nothing")
