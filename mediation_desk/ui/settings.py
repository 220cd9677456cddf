"""Settings of this computer's user interface, declared in one place with their type and default (Picard's
``config.py``). Window geometry and the interface language live here, in QSettings; settings that belong to the
data (the organisation, numbering, the synthetic-data marker) live in the database and are read via services.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "MediationDesk"
APPLICATION = "mediation-desk"
SETTINGS_VERSION = 1

T = TypeVar("T")


@dataclass(frozen=True)
class Option(Generic[T]):
    key: str
    default: T


VERSION: Option[int] = Option("settings/version", SETTINGS_VERSION)
LANGUAGE: Option[str] = Option("ui/language", "zh_CN")  # "zh_CN" or "en"
MAIN_GEOMETRY: Option[QByteArray] = Option("main_window/geometry", QByteArray())
CASE_TABLE_HEADER: Option[QByteArray] = Option("main_window/case_table_header", QByteArray())
CASE_FORM_GEOMETRY: Option[QByteArray] = Option("case_form/geometry", QByteArray())
CASE_VIEW_GEOMETRY: Option[QByteArray] = Option("case_view/geometry", QByteArray())
CASE_EDITOR_GEOMETRY: Option[QByteArray] = Option("case_editor/geometry", QByteArray())
FONT_SIZE: Option[int] = Option("ui/font_size", 0)  # points; 0: the system's size (at least 10)
LAST_USER: Option[str] = Option("login/last_user", "")
REMEMBERED_USER: Option[str] = Option("login/remembered_user", "")  # stays signed in for one OS session
REMEMBERED_SESSION: Option[str] = Option("login/remembered_session", "")
KEYRING_BACKEND: Option[str] = Option("keyring/backend", "")  # the backend that held the desk's key (module.Class)


def qsettings() -> QSettings:
    """This user's settings file (an INI file, the same format on every platform)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def get(option: Option[T]) -> T:
    value: object = qsettings().value(option.key, option.default)
    default = option.default
    result: object
    if isinstance(default, bool):
        result = value in (True, "true", "1", 1)
    elif isinstance(default, int):
        result = int(value) if isinstance(value, int | str) and str(value).lstrip("-").isdigit() else default
    elif isinstance(default, QByteArray):
        result = value if isinstance(value, QByteArray) else default
    else:
        result = str(value) if value is not None else default
    return cast(T, result)


def put(option: Option[T], value: T) -> None:
    settings = qsettings()
    settings.setValue(option.key, value)
    settings.setValue(VERSION.key, SETTINGS_VERSION)
