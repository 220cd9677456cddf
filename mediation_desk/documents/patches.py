"""What the forms change in ReportLab, installed once per process by :func:`install`.

- **Binary streams.** Compressed streams are written as they are, without ReportLab's ASCII85 wrapping (a
  quarter smaller, and no pass in pure Python over every embedded font).
- **Line breaking.** ``reportlab.lib.textsplit.wordSplit`` (also imported by name into
  ``reportlab.platypus.paragraph``, for paragraphs of one fragment) and ``paragraph.cjkFragSplit`` (paragraphs of
  several fragments: a rare character in its fallback font makes one) break lines by ``documents.linebreak``.
- **Justified Chinese lines.** ReportLab justifies a line by widening its spaces only, and a Chinese line has
  none, so a line that the rules shortened stays ragged. The justified-line painters spread the line's spare
  width over its characters instead (character spacing, ``Tc``), at most an eighth of an em per character (a line
  that a long number shortened stays ragged); the last line of a paragraph and a line ended by an explicit break
  stay as they are.
- **Text of characters outside the Basic Multilingual Plane.** ReportLab's ToUnicode map writes such a character
  as five or six hex digits (``<2020C>``) instead of its UTF-16 surrogate pair (``<D840DE0C>``), so ``pdftotext``
  and copy and paste give nothing or garbage for 𠈌. The map is written correctly here, in blocks of at most 100
  entries as the PDF reference asks.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.platypus import paragraph

from mediation_desk.documents.linebreak import break_lines, is_cjk

_LOCK = threading.Lock()
_INSTALLED: dict[str, Any] = {}
MAX_SPACING_EM = 0.12
BFCHAR_BLOCK = 100


# ---------------------------------------------------------------------------------------------------------------
# ToUnicode


def utf16_hex(code: int) -> str:
    """The UTF-16BE hex digits of a code point: four for the BMP, eight (a surrogate pair) beyond it."""
    return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()


def to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """A ToUnicode CMap for a ReportLab font subset (code ``i`` shows ``subset[i]``)."""
    head = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
    ]
    body: list[str] = []
    entries = [f"<{index:02X}> <{utf16_hex(code)}>" for index, code in enumerate(subset)]
    for first in range(0, len(entries), BFCHAR_BLOCK):
        block = entries[first : first + BFCHAR_BLOCK]
        body += [f"{len(block)} beginbfchar", *block, "endbfchar"]
    tail = ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join([*head, *body, *tail])


# ---------------------------------------------------------------------------------------------------------------
# Line breaking


_WIDTHS: dict[tuple[str, str, float], float] = {}


def char_width(char: str, font_name: str, font_size: float) -> float:
    """A character's width, remembered (a form measures the same few hundred characters again and again)."""
    key = (char, font_name, font_size)
    width = _WIDTHS.get(key)
    if width is None:
        width = _WIDTHS[key] = pdfmetrics.stringWidth(char, font_name, font_size)
    return width


class Unit(str):
    """One character of a fragment with its width: what ReportLab's ``cjkU`` is, measured through the cache."""

    frag: Any
    width: float

    def __new__(cls, value: str, frag: Any) -> Unit:
        unit = super().__new__(cls, value)
        unit.frag = frag
        callback = getattr(frag, "cbDefn", None)
        unit.width = (
            getattr(callback, "width", 0) if callback is not None else char_width(value, frag.fontName, frag.fontSize)
        )
        return unit


def word_split(
    word: str | bytes, max_widths: float | Sequence[float], font_name: str, font_size: float, encoding: str = "utf8"
) -> list[list[Any]]:
    """``textsplit.wordSplit`` by the Chinese rules: ``[[spare width, line text], ...]``."""
    text = word.decode(encoding) if isinstance(word, bytes) else word
    limits = [float(max_widths)] if isinstance(max_widths, int | float) else list(max_widths)
    units = list(text)
    widths = [char_width(unit, font_name, font_size) for unit in units]
    result: list[list[Any]] = []
    for number, line in enumerate(break_lines(units, widths, limits)):
        limit = limits[min(number, len(limits) - 1)]
        piece = text[line.start : line.end].strip()
        result.append([limit - line.width, piece.encode(encoding) if isinstance(word, bytes) else piece])
    return result


def _unit_width(unit: Any, limit: float) -> float:
    width = unit.width
    if hasattr(width, "normalizedValue"):
        width._normalizer = limit
        width = width.normalizedValue(limit)
    return float(width)


def cjk_frag_split(frags: Sequence[Any], max_widths: Sequence[float], calc_bounds: bool, encoding: str = "utf8") -> Any:
    """``paragraph.cjkFragSplit`` by the Chinese rules: the lines of a paragraph of several fragments."""
    units: list[Any] = []
    for frag in frags:
        text = frag.text.decode(encoding) if isinstance(frag.text, bytes) else frag.text
        if text:
            units.extend(Unit(char, frag) for char in text)
        else:
            units.append(Unit(text, frag))
    limits = [float(max_widths)] if isinstance(max_widths, int | float) else list(max_widths)
    widths = [_unit_width(unit, limits[0]) for unit in units]
    forced = {index for index, unit in enumerate(units) if hasattr(unit.frag, "lineBreak")}
    lines = []
    for number, line in enumerate(break_lines([str(unit) for unit in units], widths, limits, forced)):
        limit = limits[min(number, len(limits) - 1)]
        end = line.end
        while end > line.start + 1 and str(units[end - 1]).isspace():
            end -= 1
        lines.append(
            paragraph.makeCJKParaLine(
                units[line.start : end], limit, line.width, limit - line.width, line.forced, calc_bounds
            )
        )
    return paragraph.ParaLines(kind=1, lines=lines)


# ---------------------------------------------------------------------------------------------------------------
# Justification by character spacing


def char_spacing(text: str, spare: float, font_size: float, last: bool) -> float:
    """The character spacing that makes a Chinese line exactly full (0: leave the line as it is)."""
    characters = len(text.rstrip())
    if last or spare <= 1e-6 or characters < 2 or not any(is_cjk(char) for char in text):
        return 0.0
    spacing = spare / (characters - 1)
    return spacing if spacing <= MAX_SPACING_EM * font_size else 0.0


def _justify_simple(original: Callable[..., Any]) -> Callable[..., Any]:
    def draw(tx: Any, offset: float, extraspace: float, words: list[str], last: int = 0) -> Any:
        spacing = char_spacing(" ".join(words), extraspace, tx._fontsize or 0, bool(last))
        if not spacing:
            return original(tx, offset, extraspace, words, last)
        tx.setCharSpace(spacing)
        try:
            return original(tx, offset, 0.0, words, last)
        finally:
            tx.setCharSpace(0)

    return draw


def _justify_frags(original: Callable[..., Any]) -> Callable[..., Any]:
    def draw(tx: Any, offset: float, line: Any, last: int = 0) -> Any:
        text = "".join(getattr(word, "text", "") for word in line.words)
        size = max((getattr(word, "fontSize", 0) for word in line.words), default=0)
        spacing = 0.0 if line.lineBreak else char_spacing(text, line.extraSpace, size, bool(last))
        if not spacing:
            return original(tx, offset, line, last)
        spare = line.extraSpace
        line.extraSpace = 0.0
        tx.setCharSpace(spacing)
        try:
            return original(tx, offset, line, last)
        finally:
            tx.setCharSpace(0)
            line.extraSpace = spare

    return draw


# ---------------------------------------------------------------------------------------------------------------


def install() -> None:
    """Install the three changes (once per process; later calls do nothing)."""
    with _LOCK:
        if _INSTALLED:
            return
        from reportlab import rl_config
        from reportlab.lib import textsplit

        rl_config.useA85 = 0  # compressed streams stay binary: smaller files, no ASCII85 pass over every font

        _INSTALLED["makeToUnicodeCMap"] = ttfonts.makeToUnicodeCMap
        ttfonts.makeToUnicodeCMap = to_unicode_cmap
        _INSTALLED["wordSplit"] = textsplit.wordSplit
        textsplit.wordSplit = word_split
        paragraph.wordSplit = word_split
        _INSTALLED["cjkFragSplit"] = paragraph.cjkFragSplit
        paragraph.cjkFragSplit = cjk_frag_split
        _INSTALLED["_justifyDrawParaLine"] = paragraph._justifyDrawParaLine
        paragraph._justifyDrawParaLine = _justify_simple(paragraph._justifyDrawParaLine)
        _INSTALLED["_justifyDrawParaLineX"] = paragraph._justifyDrawParaLineX
        paragraph._justifyDrawParaLineX = _justify_frags(paragraph._justifyDrawParaLineX)


def installed() -> bool:
    return bool(_INSTALLED)
