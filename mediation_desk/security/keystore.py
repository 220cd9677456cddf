"""The operating system's credential store, through ``keyring``, for the secrets of one desk.

``keyring``'s own configuration chooses the backend (Windows Credential Manager, the Secret Service of GNOME or
KDE, macOS Keychain; ``PYTHON_KEYRING_BACKEND`` or ``keyringrc.cfg`` to choose another). Without that
configuration keyring loads every backend it knows to choose one, a tenth of a second and more at each start;
the GUI remembers the backend that held a desk's keys and names it to ``prefer`` at the next start, which loads
only that one (keyring's configuration still wins, and keyring chooses as before when the remembered backend
cannot be loaded or does not hold a secret asked for). Every secret of a desk is
kept under the service ``mediation-desk/<desk key id>`` with the secret's name as the user name, so several desks
on one machine never collide, and a desk moved to another folder (or restored from a backup) finds its secrets
again. Values are text (binary secrets are stored in base64 by their callers).

Three failures are told apart, each with its own message: no usable backend, a locked store, and a secret that
is not there.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass

import keyring
import keyring.core
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.util.platform_ import config_root

from mediation_desk.domain.errors import DomainError

SERVICE_PREFIX = "mediation-desk"
_DESK_ID = re.compile(r"^[0-9a-f]{8,64}$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
# Backends that keep nothing: storing a key there would lose it
_NO_STORAGE = ("keyring.backends.fail", "keyring.backends.null")


class KeyringError(DomainError):
    """The credential store could not give or keep a secret."""


class KeyringUnavailable(KeyringError):
    """No usable credential store on this machine."""


class KeyringLocked(KeyringError):
    """The credential store is locked."""


class SecretNotFound(KeyringError):
    """The credential store has no such secret for this desk."""


_UNAVAILABLE = (
    "本机没有可用的系统钥匙串，无法保存或读取工作台的密钥（{detail}）；Windows 使用“凭据管理器”，"
    "Linux 请安装并解锁 GNOME 密钥环或 KWallet（Secret Service）后再试"
)
_LOCKED = "系统钥匙串已锁定，无法读取或保存工作台的密钥；请先解锁（例如登录桌面的密钥环）后再试"


_CHOOSING = threading.Lock()  # the backend is chosen (and a preference set) by one thread at a time


@dataclass(slots=True)
class _Preference:
    backend: KeyringBackend | None = None  # the backend named to ``prefer``, while it holds what is asked of it


_PREFERRED = _Preference()


def _name(backend: KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def backend_name() -> str:
    """The backend in use (the one preferred, else ``keyring``'s choice), for messages and for ``prefer``."""
    return _name(_chosen())


def keyring_configured() -> bool:
    """Whether ``keyring``'s own configuration names a backend: ``PYTHON_KEYRING_BACKEND`` or a ``keyringrc.cfg``
    (which then chooses, whatever was preferred)."""
    return bool(os.environ.get("PYTHON_KEYRING_BACKEND")) or (config_root() / "keyringrc.cfg").is_file()


def prefer(name: str) -> bool:
    """Use the backend ``name`` (``module.Class``, a ``backend_name`` of an earlier start) without letting
    ``keyring`` load every backend to choose one; whether it is in use now. Not when keyring's own configuration
    names a backend, nor when ``name`` cannot be loaded or is not usable here (keyring checks that it is viable)
    or keeps nothing: keyring then chooses as it always does. A secret the preferred backend does not hold is
    looked for in keyring's own choice (``KeyStore.find``)."""
    if not name or keyring_configured():
        return False
    with _CHOOSING:  # a secret asked for meanwhile waits for the preferred backend
        try:
            backend = keyring.core.load_keyring(name)
        except Exception:  # not installed any more, or not viable here (keyring raises several types)
            return False
        if type(backend).__module__ in _NO_STORAGE:
            return False
        _PREFERRED.backend = backend
    return True


def forget_preference() -> None:
    """Back to ``keyring``'s own choice."""
    with _CHOOSING:
        _PREFERRED.backend = None


def _chosen() -> KeyringBackend:
    with _CHOOSING:
        return _PREFERRED.backend if _PREFERRED.backend is not None else keyring.get_keyring()


def _usable_backend() -> KeyringBackend:
    try:
        backend = _chosen()
    except Exception as error:  # a configured backend that cannot be loaded
        raise KeyringUnavailable(_UNAVAILABLE.format(detail=f"钥匙串后端无法加载：{type(error).__name__}")) from None
    if type(backend).__module__ in _NO_STORAGE:
        raise KeyringUnavailable(_UNAVAILABLE.format(detail=f"keyring 只找到 {type(backend).__module__}"))
    return backend


@dataclass(frozen=True, slots=True)
class KeyStore:
    """The secrets of the desk whose key id is ``desk``: get, put and delete a named secret."""

    desk: str

    def __post_init__(self) -> None:
        if not _DESK_ID.match(self.desk):
            raise ValueError("a desk key id is 8 to 64 lower-case hexadecimal digits")

    @property
    def service(self) -> str:
        return f"{SERVICE_PREFIX}/{self.desk}"

    def find(self, name: str) -> str | None:
        """The secret ``name``, or ``None`` when the store has none (neither the preferred backend nor, after it,
        ``keyring``'s own choice, which is used from then on)."""
        backend = _usable_backend()
        value = self._find_in(backend, name)
        if value is None and backend is _PREFERRED.backend:
            forget_preference()
            try:
                fallback = _usable_backend()
            except KeyringUnavailable:  # keyring alone would find no store to ask: the preferred one answered
                return None
            if _name(fallback) != _name(backend):
                value = self._find_in(fallback, name)
        return value

    def _find_in(self, backend: KeyringBackend, name: str) -> str | None:
        try:
            return backend.get_password(self.service, _checked(name))
        except keyring.errors.KeyringLocked:
            raise KeyringLocked(_LOCKED) from None
        except keyring.errors.NoKeyringError as error:
            raise KeyringUnavailable(_UNAVAILABLE.format(detail=str(error) or "NoKeyringError")) from None
        except keyring.errors.KeyringError as error:
            raise KeyringError(f"读取系统钥匙串失败（{type(error).__name__}）；请检查钥匙串后再试") from None

    def get(self, name: str) -> str:
        """The secret ``name``; ``SecretNotFound`` when the store has none."""
        value = self.find(name)
        if value is None:
            raise SecretNotFound(f"系统钥匙串中没有本工作台的“{name}”（{self.service}）")
        return value

    def put(self, name: str, value: str) -> None:
        """Keep ``value`` as the secret ``name`` (replacing one already kept), and read it back to be sure."""
        backend = _usable_backend()
        try:
            backend.set_password(self.service, _checked(name), value)
        except keyring.errors.KeyringLocked:
            raise KeyringLocked(_LOCKED) from None
        except keyring.errors.NoKeyringError as error:
            raise KeyringUnavailable(_UNAVAILABLE.format(detail=str(error) or "NoKeyringError")) from None
        except keyring.errors.KeyringError as error:
            raise KeyringError(f"保存到系统钥匙串失败（{type(error).__name__}）；请检查钥匙串后再试") from None
        if self.find(name) != value:
            raise KeyringUnavailable(_UNAVAILABLE.format(detail="保存后读不回来"))

    def delete(self, name: str) -> bool:
        """Remove the secret ``name``; whether there was one."""
        if self.find(name) is None:
            return False
        backend = _usable_backend()
        try:
            backend.delete_password(self.service, _checked(name))
        except keyring.errors.KeyringLocked:
            raise KeyringLocked(_LOCKED) from None
        except keyring.errors.PasswordDeleteError:
            return False
        except keyring.errors.KeyringError as error:
            raise KeyringError(f"从系统钥匙串删除失败（{type(error).__name__}）；请检查钥匙串后再试") from None
        return True


def _checked(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a secret name: {name!r}")
    return name
