"""The look of the forms: A4, the margins of an official form, a Song face for the body, its bold for titles.

Sizes follow Chinese type sizes: 二号 (22 pt) for a form's title, 小四 (12 pt) for the body, 五号 (10.5 pt) in
tables. Paragraphs are justified, with a first-line indent of two characters, and wrap by the Chinese rules
(``documents.linebreak``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from mediation_desk.documents.fonts import BODY, TITLE, markup

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT, RIGHT, TOP, BOTTOM = 28 * mm, 26 * mm, 28 * mm, 26 * mm
FRAME_WIDTH = PAGE_WIDTH - LEFT - RIGHT
FRAME_HEIGHT = PAGE_HEIGHT - TOP - BOTTOM
INK = colors.black
GREY = colors.Color(0.45, 0.45, 0.45)

BODY_SIZE = 12
CELL_SIZE = 10.5


def _style(name: str, **values: object) -> ParagraphStyle:
    base: dict[str, object] = {
        "fontName": BODY,
        "fontSize": BODY_SIZE,
        "leading": 22,
        "wordWrap": "CJK",
        "alignment": TA_JUSTIFY,
        "textColor": INK,
    }
    base.update(values)
    return ParagraphStyle(name, **base)


TITLE_STYLE = _style("title", fontName=TITLE, fontSize=22, leading=32, alignment=TA_CENTER, spaceAfter=4 * mm)
SUBTITLE = _style("subtitle", fontName=TITLE, fontSize=15, leading=24, alignment=TA_CENTER, spaceAfter=2 * mm)
NUMBER = _style("number", alignment=TA_RIGHT, spaceAfter=3 * mm)
TEXT = _style("text", firstLineIndent=2 * BODY_SIZE)
PLAIN = _style("plain")
HEADING = _style("heading", fontName=TITLE, spaceBefore=2 * mm)
TERM = _style("term", firstLineIndent=2 * BODY_SIZE)
RIGHT_TEXT = _style("right", alignment=TA_RIGHT)
CENTRE = _style("centre", alignment=TA_CENTER)
CELL = _style("cell", fontSize=CELL_SIZE, leading=16, alignment=TA_LEFT)
CELL_CENTRE = _style("cell-centre", fontSize=CELL_SIZE, leading=16, alignment=TA_CENTER)
CELL_LABEL = _style("cell-label", fontName=TITLE, fontSize=CELL_SIZE, leading=16, alignment=TA_CENTER)
SMALL = _style("small", fontSize=9, leading=13, alignment=TA_LEFT, textColor=GREY)


@dataclass(frozen=True, slots=True)
class Bold:
    """A piece of a paragraph set in the title face."""

    text: str


Part = str | Bold


def para(parts: Part | Sequence[Part], style: ParagraphStyle = TEXT) -> Paragraph:
    """A paragraph of plain and bold pieces; each character falls back to a font that has it."""
    pieces = [parts] if isinstance(parts, str | Bold) else list(parts)
    body = []
    for piece in pieces:
        if isinstance(piece, Bold):
            inner = markup(piece.text, TITLE)
            body.append(inner if style.fontName == TITLE else f'<font face="{TITLE}">{inner}</font>')
        else:
            body.append(markup(piece, style.fontName))
    return Paragraph("".join(body), style)


def paragraphs(text: str, style: ParagraphStyle = TEXT) -> list[Paragraph]:
    """One paragraph per line of ``text`` (blank lines dropped)."""
    return [para(line.strip(), style) for line in text.splitlines() if line.strip()]


def chinese_date(day: date | None, blank: str = "　　　　年　　月　　日") -> str:
    """``2021年3月1日``; without a date, the blanks of a form to be filled in by hand."""
    if day is None:
        return blank
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_time(when: datetime | None) -> str:
    if when is None:
        return "　　　　年　　月　　日　　时　　分"
    return f"{when.year}年{when.month}月{when.day}日{when.hour}时{when.minute:02d}分"


NUMERALS = "〇一二三四五六七八九"


def chinese_number(value: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五, 103 → 一百〇三 (numbers of terms and copies)."""
    if value < 10:
        return NUMERALS[value]
    if value < 20:
        return "十" + (NUMERALS[value % 10] if value % 10 else "")
    if value < 100:
        return NUMERALS[value // 10] + "十" + (NUMERALS[value % 10] if value % 10 else "")
    rest = value % 100
    if not rest:
        tail = ""
    elif rest < 10:
        tail = "〇" + NUMERALS[rest]
    else:
        tail = ("一" if rest < 20 else "") + chinese_number(rest)
    return NUMERALS[value // 100] + "百" + tail
