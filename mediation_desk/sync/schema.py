"""Reading a parsed JSON object field by field, strictly: exact key sets, exact types, canonical spellings.

``Fields`` wraps one object of a document (a manifest, a key file, a certificate, a receipt, a revision line) and
hands out its values typed, refusing a missing or unknown key, a wrong type, an out-of-range number, a UUID or
base64 text not in its one canonical spelling. Every refusal is the document's own ``SyncFileError`` subclass,
with a Chinese message naming the field.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Collection
from typing import NoReturn
from uuid import UUID

from mediation_desk.domain.canonical import JSONValue
from mediation_desk.sync.errors import SyncFileError, where
from mediation_desk.sync.strictjson import INT_LIMIT

ORG_CODE = re.compile(r"[0-9]{6,15}")
TABLE_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")
SHA256_HEX = re.compile(r"[0-9a-f]{64}")
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")  # exactly str(UUID(...))
MAX_TEXT = 4096  # names and codes in headers; row data is bounded by the line length instead


class Fields:
    """One JSON object of a document; ``what`` names the document (or the object) in messages."""

    __slots__ = ("error", "line", "member", "path", "value", "what")

    def __init__(
        self,
        value: JSONValue,
        *,
        what: str,
        error: type[SyncFileError],
        keys: Collection[str],
        optional: Collection[str] = (),
        extra_allowed: bool = False,
        member: str | None = None,
        line: int | None = None,
        path: str = "",
    ) -> None:
        self.what, self.error, self.member, self.line, self.path = what, error, member, line, path
        if not isinstance(value, dict):
            self.fail("应为 JSON 对象")
        self.value: dict[str, JSONValue] = value
        if isinstance(keys, frozenset) and value.keys() == keys:
            return  # exactly the fields asked for (the common case, told with one comparison)
        missing = sorted(set(keys) - value.keys())
        if missing:
            self.fail(f"缺少字段 {', '.join(self._name(key) for key in missing)}")
        unknown = sorted(value.keys() - set(keys) - set(optional))
        if unknown and not extra_allowed:
            self.fail(f"含有未知字段 {', '.join(self._name(key[:40]) for key in unknown[:5])}")

    def _name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, reason: str, key: str | None = None) -> NoReturn:
        field = f"字段 {self._name(key)} " if key is not None else ""
        message = f"{self.what}{where(self.member, self.line)}不合格：{field}{reason}"
        raise self.error(message, member=self.member, line=self.line)

    def has(self, key: str) -> bool:
        return key in self.value

    def raw(self, key: str) -> JSONValue:
        return self.value[key]

    def text(self, key: str, pattern: re.Pattern[str] | None = None, *, max_length: int = MAX_TEXT) -> str:
        value = self.value[key]
        if not isinstance(value, str):
            self.fail("应为文字", key)
        if len(value) > max_length:
            self.fail(f"超过 {max_length} 个字符", key)
        if pattern is not None and not pattern.fullmatch(value):
            self.fail("格式不对", key)
        return value

    def choice(self, key: str, allowed: Collection[str]) -> str:
        value = self.text(key)
        if value not in allowed:
            self.fail(f"应为 {' / '.join(sorted(allowed))} 之一", key)
        return value

    def integer(self, key: str, low: int = 0, high: int = INT_LIMIT - 1) -> int:
        value = self.value[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail("应为整数", key)
        if not low <= value <= high:
            self.fail(f"应为不小于 {low} 的整数" if high == INT_LIMIT - 1 else f"应在 {low} 到 {high} 之间", key)
        return value

    def boolean(self, key: str) -> bool:
        value = self.value[key]
        if not isinstance(value, bool):
            self.fail("应为 true 或 false", key)
        return value

    def uuid(self, key: str) -> UUID:
        return self.uuid_of(self.value[key], key)

    def uuid_of(self, value: JSONValue, key: str) -> UUID:
        """A UUID in its canonical spelling (lower-case, hyphenated), as the program writes them."""
        if isinstance(value, str) and UUID_TEXT.fullmatch(value):
            return UUID(value)
        return self.fail("应为小写带连字符的 UUID", key)

    def check_uuid(self, value: JSONValue, key: str) -> None:
        """``uuid_of`` without making the UUID (a check only)."""
        if not isinstance(value, str) or not UUID_TEXT.fullmatch(value):
            self.fail("应为小写带连字符的 UUID", key)

    def base64(self, key: str, length: int) -> bytes:
        """Standard padded base64 of exactly ``length`` bytes, in its one canonical spelling."""
        text = self.text(key, max_length=2 * length + 8)
        try:
            raw = binascii.a2b_base64(text, strict_mode=True)  # ``b64decode(text, validate=True)``, stricter
        except (binascii.Error, ValueError):
            self.fail("不是有效的 base64", key)
        if len(raw) != length or binascii.b2a_base64(raw, newline=False).decode("ascii") != text:
            self.fail(f"应为 {length} 字节的 base64", key)
        return raw

    def sha256(self, key: str) -> str:
        return self.text(key, SHA256_HEX)

    def object(
        self, key: str, keys: Collection[str], optional: Collection[str] = (), *, extra_allowed: bool = False
    ) -> Fields:
        return Fields(
            self.value[key],
            what=self.what,
            error=self.error,
            keys=keys,
            optional=optional,
            extra_allowed=extra_allowed,
            member=self.member,
            line=self.line,
            path=self._name(key),
        )

    def array(self, key: str, *, max_items: int) -> list[JSONValue]:
        value = self.value[key]
        if not isinstance(value, list):
            self.fail("应为列表", key)
        if len(value) > max_items:
            self.fail(f"超过 {max_items} 项", key)
        return value

    def mapping(self, key: str) -> dict[str, JSONValue]:
        value = self.value[key]
        if not isinstance(value, dict):
            self.fail("应为 JSON 对象", key)
        return value


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
