"""Strict JSON for what arrives in sync files and key files: one meaning per document, or a refusal.

Python's ``json`` accepts things another reader would read differently: a key given twice (which one counts?),
``NaN`` and ``Infinity`` (not JSON), floats (whose text is not canonical), lone surrogates (not UTF-8), a byte
order mark, nesting deep enough to exhaust the stack. ``loads`` refuses all of them, bounds the nesting depth
and the size of integers, and refuses text that is not in Unicode NFC, so that one name has one spelling
everywhere. ``loads_canonical`` further requires the exact canonical bytes (``domain.canonical``): sorted keys,
no spaces, no needless escapes, which is how every line of a sync file is written.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any, NoReturn

from mediation_desk.domain.canonical import JSONValue
from mediation_desk.sync.errors import MalformedJson, NotCanonical, NotNormalized, SyncFileError, where

MAX_DEPTH = 16
INT_LIMIT = 1 << 63  # integers are 64-bit signed everywhere the program stores them
_BOM = b"\xef\xbb\xbf"


class _Refused(ValueError):
    """Raised inside the parser's hooks; turned into ``MalformedJson`` with the reason."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _Refused(f"键“{_short(key)}”出现了两次")
            seen.add(key)
    return result


def _constant(name: str) -> NoReturn:
    raise _Refused(f"{name} 不是合法的 JSON 数值")


def _float(text: str) -> NoReturn:
    raise _Refused(f"不接受小数或指数形式的数值（{_short(text)}）")


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def loads(
    data: bytes, *, what: str, max_depth: int = MAX_DEPTH, member: str | None = None, line: int | None = None
) -> JSONValue:
    """The JSON value in ``data`` (UTF-8), strictly; ``what`` names the document in messages."""
    value = _parse(_text(data, what=what, member=member, line=line), what=what, member=member, line=line)
    _check_tree(value, what=what, max_depth=max_depth, member=member, line=line)
    return value


def _text(data: bytes, *, what: str, member: str | None, line: int | None) -> str:
    place = where(member, line)
    if data.startswith(_BOM):
        raise MalformedJson(f"{what}{place}以字节顺序标记（BOM）开头，不是本程序写出的 JSON", member=member, line=line)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedJson(f"{what}{place}不是有效的 UTF-8 文本", member=member, line=line) from None


def _parse(text: str, *, what: str, member: str | None, line: int | None) -> JSONValue:
    place = where(member, line)
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant, parse_float=_float)
    except _Refused as refused:
        raise MalformedJson(f"{what}{place}的 JSON 不合格：{refused}", member=member, line=line) from None
    except RecursionError:
        raise MalformedJson(f"{what}{place}嵌套过深", member=member, line=line) from None
    except ValueError as error:  # json.JSONDecodeError and the integer digit limit
        reason = _reason(error) if isinstance(error, json.JSONDecodeError) else "数值过大"
        raise MalformedJson(f"{what}{place}不是合法的 JSON（{reason}）", member=member, line=line) from None
    return value  # type: ignore[no-any-return]


_REASONS = (  # the decoder's messages, by their beginning, in words for the user
    ("Expecting value", "缺少值"),
    ("Expecting ',' delimiter", "缺少逗号"),
    ("Expecting ':' delimiter", "缺少冒号"),
    ("Expecting property name", "键名应是带双引号的文字"),
    ("Extra data", "结尾后还有多余的内容"),
    ("Unterminated string", "文字缺少结尾的引号"),
    ("Invalid control character", "文字中有未转义的控制字符"),
    ("Invalid \\uXXXX escape", "无效的 \\u 转义"),
    ("Invalid \\escape", "无效的转义"),
)


def _reason(error: json.JSONDecodeError) -> str:
    said = next((words for start, words in _REASONS if error.msg.startswith(start)), "格式错误")
    return f"第 {error.pos + 1} 个字符处{said}"


def _check_tree(value: Any, *, what: str, max_depth: int, member: str | None, line: int | None) -> None:
    """Depth, integer range and text (UTF-8 encodable, NFC) of every value, without recursion."""
    place = where(member, line)
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            _check_text(item, what=what, member=member, line=line)
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if not -INT_LIMIT <= item < INT_LIMIT:
                raise MalformedJson(f"{what}{place}含有超出范围的整数", member=member, line=line)
        elif isinstance(item, list | dict):
            if depth > max_depth:
                raise MalformedJson(f"{what}{place}嵌套超过 {max_depth} 层", member=member, line=line)
            if isinstance(item, dict):
                for key, child in item.items():
                    _check_text(key, what=what, member=member, line=line)
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in item)


def _check_text(text: str, *, what: str, member: str | None, line: int | None) -> None:
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedJson(
            f"{what}{where(member, line)}含有无效的 Unicode 字符（孤立代理项）", member=member, line=line
        ) from None
    if not unicodedata.is_normalized("NFC", text):
        raise NotNormalized(
            f"{what}{where(member, line)}的文字不是 Unicode NFC 规范形式（“{_short(text, 20)}”）："
            "同一个名字可能有两种写法",
            member=member,
            line=line,
        )


def loads_canonical(
    data: bytes, *, what: str, max_depth: int = MAX_DEPTH, member: str | None = None, line: int | None = None
) -> JSONValue:
    """``loads``, and ``data`` must be exactly the canonical JSON of the value it holds.

    Canonical text escapes nothing but quotes, backslashes and control characters, so every other character of
    every string appears as itself: when the text as a whole is in NFC, so is each of its strings, and one check
    of the whole line replaces a walk over its strings. The converse fails only next to an escape (``\\n``
    followed by a combining tilde reads as ``ñ`` in the text, not in the string), so a line that fails the quick
    check has its strings checked one by one.
    """
    text = _text(data, what=what, member=member, line=line)
    value = _quick(text)
    if value is not _NOT_QUICK:
        deep = text.count("{") + text.count("[") > max_depth  # a value nests no deeper than it has brackets
        try:
            return _canonical(value, text, what=what, max_depth=max_depth, member=member, line=line, shape=deep)
        except SyncFileError:
            pass  # the strict path below says exactly what is wrong
    value = _parse(text, what=what, member=member, line=line)
    return _canonical(value, text, what=what, max_depth=max_depth, member=member, line=line)


def _canonical(
    value: Any, text: str, *, what: str, max_depth: int, member: str | None, line: int | None, shape: bool = True
) -> JSONValue:
    """``value`` if ``text`` is exactly its canonical JSON (and sound in depth, integers and Unicode); ``shape``:
    whether its depth and integers are still to be checked (the quick decoder checked its integers as it read
    them, and a text with no more brackets than the depth allowed cannot nest deeper)."""
    place = where(member, line)
    if shape:
        _check_shape(value, what=what, max_depth=max_depth, member=member, line=line)  # the depth bounds the rest
    try:
        again = _CANONICAL.encode(value)  # ``canonical.dumps_plain``, its encoder made once
        again.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedJson(f"{what}{place}含有无效的 Unicode 字符（孤立代理项）", member=member, line=line) from None
    if again != text:
        raise NotCanonical(f"{what}{place}不是规范形式的 JSON（空格、键的顺序或转义不对）", member=member, line=line)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        _check_tree(value, what=what, max_depth=max_depth, member=member, line=line)  # names the string
    return value  # type: ignore[no-any-return]


_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _quick_int(text: str) -> int:
    """An integer as the quick decoder reads it: out of the 64-bit range, the strict path says why."""
    value = int(text)
    if not -INT_LIMIT <= value < INT_LIMIT:
        raise ValueError("integer out of range")
    return value


_NOT_QUICK: Any = object()
_QUICK = json.JSONDecoder(parse_constant=_constant, parse_float=_float, parse_int=_quick_int)


def _quick(text: str) -> Any:
    """The value of ``text`` by the decoder's C path, without the duplicate-key hook: enough for a canonical
    line, since a key given twice leaves fewer keys than the text has and so fails the canonical comparison.
    Anything the decoder refuses (or a document so deep it exhausts the stack) goes to ``_parse`` for its
    exact reason: ``_NOT_QUICK``."""
    try:
        return _QUICK.decode(text)
    except (ValueError, RecursionError):
        return _NOT_QUICK


def _check_shape(value: Any, *, what: str, max_depth: int, member: str | None, line: int | None) -> None:
    """Depth and integer range (the strings are checked otherwise): one look at each value, the containers
    followed without recursion."""
    if type(value) is int:
        _check_int(value, what=what, member=member, line=line)
    if type(value) is not dict and type(value) is not list:
        return
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > max_depth:
            raise MalformedJson(f"{what}{where(member, line)}嵌套超过 {max_depth} 层", member=member, line=line)
        for child in item.values() if type(item) is dict else item:
            kind = type(child)
            if kind is int:
                if not -INT_LIMIT <= child < INT_LIMIT:
                    _check_int(child, what=what, member=member, line=line)
            elif kind is dict or kind is list:
                stack.append((child, depth + 1))


def _check_int(value: int, *, what: str, member: str | None, line: int | None) -> None:
    if not -INT_LIMIT <= value < INT_LIMIT:
        raise MalformedJson(f"{what}{where(member, line)}含有超出范围的整数", member=member, line=line)
