"""Text as people and files hand it to the program: one spelling, nothing invisible that acts.

Every text a form, a ledger, an organisation file or the command line hands over goes through ``clean_line``
(names, numbers, places: one line, trimmed) or ``clean_block`` (facts, requests, notes, records: newlines and
tabs kept). Both

- refuse C0 and C1 control characters and DEL, which can rewrite a terminal (ESC starts an escape sequence that
  sets a window title or clears the screen) and are invisible in a form, and the bidirectional embeddings,
  overrides and isolates (U+202A–U+202E, U+2066–U+2069), which can make one name display as another;
- refuse lone surrogates, which no file or database can store;
- turn CRLF and CR into LF;
- normalise to Unicode NFC, so a name typed with a combining mark and the same name precomposed are one spelling.

``visible`` is the other side: what the program prints to a terminal, with every such character shown as an
escape (``\\x1b``, ``\\u202e``) so that data stored before these checks cannot act on the terminal either.
"""

from __future__ import annotations

import re
import unicodedata

from mediation_desk.domain.errors import ValidationError

__all__ = [
    "BIDI_CONTROLS",
    "clean_block",
    "clean_line",
    "first_refused",
    "json_visible",
    "visible",
]

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# Refused in every field: C0 but tab and newline, DEL, C1, the bidirectional controls, lone surrogates.
_REFUSED = "\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI_CONTROLS + "\ud800-\udfff"
_REFUSED_IN_BLOCK = re.compile(f"[{_REFUSED}]")
_REFUSED_IN_LINE = re.compile(f"[\t\n{_REFUSED}]")
# Shown escaped on a terminal: everything refused, and carriage returns (which overwrite the line).
_HIDDEN = re.compile(f"[\r{_REFUSED}]")
_HIDDEN_WITH_BREAKS = re.compile(f"[\t\n\r{_REFUSED}]")
# Not escaped by ``json.dumps(ensure_ascii=False)``, which escapes only C0 (and quotes and backslashes).
_JSON_HIDDEN = re.compile(f"[\x7f-\x9f{BIDI_CONTROLS}\ud800-\udfff]")


def first_refused(text: str, *, multiline: bool = False) -> str | None:
    """The first character ``text`` may not hold (newline and tab allowed when ``multiline``), or ``None``."""
    match = (_REFUSED_IN_BLOCK if multiline else _REFUSED_IN_LINE).search(text)
    return match.group() if match else None


def _refusal(char: str, label: str, field: str) -> ValidationError:
    code = f"U+{ord(char):04X}"
    if char in "\t\n":
        message = f"{label}只能写在一行内，不能含有换行符或制表符（{code}）"
    elif char in BIDI_CONTROLS:
        message = f"{label}含有改变文字方向的控制字符（{code}），请删除后重试"
    elif "\ud800" <= char <= "\udfff":
        message = f"{label}含有无效的字符（{code}），请删除后重试"
    else:
        message = f"{label}含有不可见的控制字符（{code}），请删除后重试"
    return ValidationError(message, field=field)


def _normalised(value: str) -> str:
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if value.isascii() or unicodedata.is_normalized("NFC", value):
        return value
    return unicodedata.normalize("NFC", value)


def clean_line(value: str, *, label: str, field: str) -> str:
    """One line of text (a name, a number, a place): NFC, trimmed; a control character is a ``ValidationError``.

    Spaces, tabs and line breaks at either end are trimmed (a spreadsheet cell often ends in one); inside, a tab
    or a line break is refused. ``label`` is the field's Chinese name in the message, ``field`` its key.
    """
    text = _normalised(value)
    refused = _REFUSED_IN_BLOCK.search(text)  # before trimming, so that no control character is lost silently
    if refused is None:
        text = text.strip()
        refused = _REFUSED_IN_LINE.search(text)
    if refused is not None:
        raise _refusal(refused.group(), label, field)
    return text


def clean_block(value: str, *, label: str, field: str) -> str:
    """Text of several lines (facts, requests, notes, records): NFC, line breaks as LF, tabs kept, not trimmed."""
    text = _normalised(value)
    refused = _REFUSED_IN_BLOCK.search(text)
    if refused is not None:
        raise _refusal(refused.group(), label, field)
    return text


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, line_breaks: bool = True) -> str:
    """``text`` safe to write to a terminal: control, bidirectional and invalid characters shown as escapes.

    Newlines and tabs stay as they are unless ``line_breaks`` is false (a table cell, which must stay on its
    line); a carriage return is always shown, since it would let one line overwrite another.
    """
    pattern = _HIDDEN if line_breaks else _HIDDEN_WITH_BREAKS
    if text.isprintable() or pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_visible(text: str) -> str:
    """JSON text from ``json.dumps(..., ensure_ascii=False)`` with DEL, C1, bidirectional controls and lone
    surrogates written as ``\\uXXXX`` escapes too: the same JSON value, nothing that acts on a terminal.

    Such characters can only occur inside JSON strings, where the escape stands for the same character.
    """
    if _JSON_HIDDEN.search(text) is None:
        return text
    return _JSON_HIDDEN.sub(_json_escape, text)
