"""The canonical JSON of SYNC.md: the exact bytes a revision is stored, compared and (later) signed as.

UTF-8, keys sorted, no spaces, strings in Unicode NFC, integers for money, ISO dates, UTC datetimes with a ``Z``
and microseconds, UUIDs in their hyphenated lower-case form, enumerations by value. Floats are refused: nothing
the program stores is fractional, and a float's text is not canonical across languages.
"""

from __future__ import annotations

import json
import unicodedata
import uuid
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

JSONValue = None | bool | int | str | list["JSONValue"] | dict[str, "JSONValue"]


class CanonicalError(ValueError):
    """A value with no canonical form (a float, a naive datetime, an unknown type, a lone surrogate, two keys
    that are one text in NFC)."""


def datetime_text(value: datetime) -> str:
    if value.tzinfo is None:
        raise CanonicalError("naive datetime has no canonical form")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_datetime(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def plain(value: Any) -> JSONValue:
    """``value`` as the JSON value of its canonical form."""
    kind = type(value)
    if kind is str:  # most values: answered before the isinstance chain
        return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)
    if value is None or kind is int or kind is bool:
        return value  # type: ignore[no-any-return]
    if isinstance(value, bool | int) and not isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.value if isinstance(value, Enum) else value)
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return datetime_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        result = {plain_key(key): plain(item) for key, item in value.items()}
        if len(result) != len(value):
            raise CanonicalError("two object keys are the same text in Unicode NFC")
        return result
    raise CanonicalError(f"no canonical form for {type(value).__name__}")


def plain_key(key: Any) -> str:
    if isinstance(key, uuid.UUID):
        return str(key)
    if not isinstance(key, str):
        raise CanonicalError(f"object keys must be text, not {type(key).__name__}")
    return unicodedata.normalize("NFC", key)


def dumps(value: Any) -> str:
    """The canonical JSON text of ``value`` (``plain`` applied first)."""
    return dumps_plain(plain(value))


def dumps_plain(value: JSONValue) -> str:
    """The canonical JSON text of a value that is already plain (the output of ``plain``)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def canonical_bytes(value: Any) -> bytes:
    try:
        return dumps(value).encode("utf-8")
    except UnicodeEncodeError:
        raise CanonicalError("text with a lone surrogate has no UTF-8 form") from None
