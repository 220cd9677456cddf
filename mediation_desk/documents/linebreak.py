"""Chinese line breaking (标点禁则, GB/T 15834 and the W3C's clreq) for the printed forms.

ReportLab's ``wordWrap='CJK'`` cuts a line wherever it is full and lets ``，；：！？》”’…`` start a line and
``（《“‘¥`` end one. :func:`break_lines` is the rule set the forms use instead:

- no line starts with closing punctuation (、，。；：？！ and the closing halves of brackets and quotes, ……);
- no line ends with an opening bracket or quote, or with a currency or number sign (¥ $ № #);
- one closing mark may hang past the right margin rather than move a character down; when two closing marks
  meet (。” or ）。) the character before them moves down with them;
- Latin words, numbers, amounts and dates (``5,000.00``, ``2021-03-01``, ``ABC-123``) stay on one line, and the
  two halves of —— and …… are never parted;
- a space is a break opportunity and disappears at the end of a line.

``documents.patches`` puts it under ReportLab's paragraph wrapping (both names of ``wordSplit`` and the
multi-fragment ``cjkFragSplit``), once per process.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

FUZZ = 1e-6

CLOSING = frozenset(
    "，。、；：？！）】」』》〉〕〗〙〛］｝’”…‥〃々〆ゝゞヽヾー・·～％‰℃°′″"
    "﹐﹑﹒﹔﹕﹖﹗﹚﹜﹞！），．：；？］｝｡｣､"
    ",.;:?!)]}%"
)
OPENING = frozenset("（【「『《〈“‘〔〖〘〚［｛﹙﹛﹝＄￥￡¥$£€#＃@＠§№・·([{")
PAIRED = frozenset("—…⋯")  # ——, ……: never parted


def is_latin(char: str) -> bool:
    """Part of a Latin word, a number or an amount (ASCII, Latin letters, full-width digits and letters)."""
    if not char:
        return False
    code = ord(char)
    return (
        0x21 <= code <= 0x7E
        or 0xC0 <= code <= 0x24F
        or 0xFF10 <= code <= 0xFF19
        or 0xFF21 <= code <= 0xFF3A
        or 0xFF41 <= code <= 0xFF5A
    )


def is_cjk(char: str) -> bool:
    return bool(char) and ord(char) >= 0x2E80


def can_break(units: Sequence[str], index: int) -> bool:
    """Whether a line may end before ``units[index]`` (``0 < index < len(units)``)."""
    before, after = units[index - 1], units[index]
    if not before or not after:  # an image or a line-break fragment: no character to keep together
        return True
    if after in CLOSING or before in OPENING:
        return False
    if after.isspace() or before.isspace():
        return True
    if before == after and before in PAIRED:
        return False
    return not (is_latin(before) and is_latin(after))


@dataclass(frozen=True, slots=True)
class Line:
    """Units ``start`` to ``end`` (exclusive) make a line; ``width`` leaves out trailing spaces."""

    start: int
    end: int
    width: float
    forced: bool = False  # ended by an explicit line break


def _line_end(units: Sequence[str], start: int, overflow: int) -> int:
    """Where the line that cannot take ``units[overflow]`` ends."""
    count = len(units)
    if units[overflow] in CLOSING and (overflow + 1 >= count or can_break(units, overflow + 1)):
        return overflow + 1  # one closing mark hangs in the margin
    for index in range(overflow, start, -1):
        if can_break(units, index):
            return index
    return max(overflow, start + 1)  # nowhere allowed (a Latin run longer than the line): cut where it is full


def _trimmed(units: Sequence[str], widths: Sequence[float], start: int, end: int) -> float:
    last = end
    while last > start and units[last - 1].isspace():
        last -= 1
    return sum(widths[start:last])


def break_lines(
    units: Sequence[str], widths: Sequence[float], max_widths: Sequence[float], forced: Collection[int] = ()
) -> list[Line]:
    """Break ``units`` (characters, or empty strings for images and line breaks) into lines.

    ``widths`` are the units' widths, ``max_widths`` the width of each line (the last repeats), ``forced`` the
    indexes of units after which a line must end.
    """
    lines: list[Line] = []
    count = len(units)
    start = 0
    while start < count:
        while start < count and units[start] == " " and start not in forced:
            start += 1  # a line never starts with a space
        if start >= count:
            break
        limit = max_widths[min(len(lines), len(max_widths) - 1)]
        used = 0.0
        index = start
        end = count
        hard = False
        while index < count:
            if used + widths[index] > limit + FUZZ and index > start:
                end = _line_end(units, start, index)
                break
            used += widths[index]
            if index in forced:
                end, hard = index + 1, True
                break
            index += 1
        lines.append(Line(start, end, _trimmed(units, widths, start, end), hard))
        start = end
    return lines


def violations(lines: Sequence[str]) -> list[str]:
    """The laid-out lines that break the rules: one starting with closing punctuation or ending with an opening
    one (what the tests check ReportLab's lines against)."""
    found = []
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text:
            continue
        if text[0] in CLOSING:
            found.append(f"line {number} starts with {text[0]!r}: {text}")
        if text[-1] in OPENING:
            found.append(f"line {number} ends with {text[-1]!r}: {text}")
    return found
