"""Pieces the forms share: titles, ruled tables that split across pages (repeating their header), signature
lines, the thumbprint box, the committee's seal area and the QR code."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import TypeAlias

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from mediation_desk.documents.data import PartyData
from mediation_desk.documents.fonts import BODY
from mediation_desk.documents.pages import draw_text
from mediation_desk.documents.styles import (
    CELL,
    CELL_LABEL,
    FRAME_WIDTH,
    GREY,
    INK,
    NUMBER,
    SUBTITLE,
    TITLE_STYLE,
    Bold,
    Part,
    chinese_date,
    para,
)

Cell: TypeAlias = Flowable | str | Sequence[Part] | list[Flowable]
RULE = 0.6


def heading(title: str, org_name: str = "", number: str = "") -> list[Flowable]:
    """A form's head: the committee's name (when given), the title, the number on the right."""
    story: list[Flowable] = []
    if org_name:
        story.append(para(org_name, SUBTITLE))
    story.append(para(title, TITLE_STYLE))
    if number:
        story.append(para(f"编号：{number}", NUMBER))
    return story


def cell(value: Cell, style: ParagraphStyle = CELL) -> Flowable | list[Flowable]:
    if isinstance(value, Flowable):
        return value
    if isinstance(value, list) and value and all(isinstance(item, Flowable) for item in value):
        return value
    parts: list[Part] = [item for item in value if isinstance(item, str | Bold)] if not isinstance(value, str) else []
    return para(value if isinstance(value, str) else parts, style)


def label(text: str) -> Flowable:
    return para(text, CELL_LABEL)


def ruled_table(
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    *,
    header_rows: int = 0,
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
    label_columns: Sequence[int] = (),
    heights: Sequence[float | None] | None = None,
) -> Table:
    """A table ruled like a printed form; it may split inside a row (long facts) and repeats its header rows."""
    data = [
        [
            ""
            if value == ""
            else label(value)
            if isinstance(value, str) and (column in label_columns or index < header_rows)
            else cell(value)
            for column, value in enumerate(row)
        ]
        for index, row in enumerate(rows)
    ]
    scale = FRAME_WIDTH / sum(widths)
    table = Table(
        data,
        colWidths=[width * scale for width in widths],
        rowHeights=heights,
        repeatRows=header_rows,
        splitInRow=1,
        hAlign="CENTER",
    )
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), RULE, INK),
        ("BOX", (0, 0), (-1, -1), 1.2, INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("FONT", (0, 0), (-1, -1), BODY, 10.5),
    ]
    commands += [("SPAN", start, end) for start, end in spans]
    table.setStyle(TableStyle(commands))
    return table


def field_rows(pairs: Sequence[tuple[str, Cell]]) -> list[list[Cell]]:
    """Label and value pairs two to a row (a value of its own row when it is long)."""
    return [[name, value] for name, value in pairs]


class ThumbBox(Flowable):  # type: ignore[misc]
    """A square for a thumbprint (or a seal), its purpose printed small inside, at the top."""

    def __init__(self, caption: str = "按指印", side: float = 15 * mm) -> None:
        super().__init__()
        self.caption = caption
        self.side = side
        self.width = self.height = side

    def wrap(self, _available_width: float, _available_height: float) -> tuple[float, float]:
        return self.side, self.side

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.5)
        canvas.setDash(2, 2)
        canvas.rect(0, 0, self.side, self.side)
        canvas.setFillColor(GREY)
        draw_text(canvas, self.side / 2, self.side - 9, self.caption, BODY, 6.5, "centre")
        canvas.restoreState()


class SealArea(Flowable):  # type: ignore[misc]
    """The committee's name and the date, with a dashed circle where the seal goes over them."""

    def __init__(self, org_name: str, day: date | None, width: float = 70 * mm) -> None:
        super().__init__()
        self.org_name = org_name
        self.day = day
        self.width = width
        self.height = 42 * mm

    def wrap(self, _available_width: float, _available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        centre_x, centre_y, radius = self.width / 2, self.height / 2, 20 * mm
        canvas.saveState()
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.5)
        canvas.setDash(3, 2)
        canvas.circle(centre_x, centre_y, radius)
        canvas.setFillColor(GREY)
        draw_text(canvas, centre_x, centre_y + radius - 12, "盖章处", BODY, 7, "centre")
        canvas.setFillColor(colors.black)
        size = 12.0 if len(self.org_name) <= 14 else 10.5
        draw_text(canvas, centre_x, centre_y + 2, f"{self.org_name}（印章）", BODY, size, "centre")
        draw_text(canvas, centre_x, centre_y - 18, chinese_date(self.day), BODY, 12, "centre")
        canvas.restoreState()


QR_ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


@lru_cache(maxsize=64)
def qr_modules(text: str) -> tuple[tuple[bool, ...], ...]:
    """The dark and light modules of ``text``'s QR code (encoded once for all the copies of a document)."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    alphanumeric = all(char in QR_ALPHANUMERIC for char in text)  # denser: the verification text always is
    code.addData(qrencoder.QRAlphaNum(text) if alphanumeric else text)
    code.make()
    return tuple(tuple(bool(dark) for dark in row) for row in code.modules)


class QrCode(Flowable):  # type: ignore[misc]
    """A QR code (ReportLab's own encoder, error correction level M) drawn as filled squares."""

    def __init__(self, text: str, side: float = 26 * mm) -> None:
        super().__init__()
        self.modules = qr_modules(text)
        self.side = side
        self.width = self.height = side

    def wrap(self, _available_width: float, _available_height: float) -> tuple[float, float]:
        return self.side, self.side

    def draw(self) -> None:
        """Drawn once per document as a form XObject that every copy's page reuses."""
        canvas = self.canv
        name = f"qr{hash(self.modules) & 0xFFFFFFFF:08x}{int(self.side * 100)}"
        if not canvas.hasForm(name):
            canvas.beginForm(name, lowerx=0, lowery=0, upperx=self.side, uppery=self.side)
            self._modules(canvas)
            canvas.endForm()
        canvas.doForm(name)

    def _modules(self, canvas: Canvas) -> None:
        count = len(self.modules)
        box = self.side / (count + 2)  # two modules of quiet zone all round
        canvas.setFillColor(INK)
        path = canvas.beginPath()
        for row, modules in enumerate(self.modules):
            column = 0
            for dark, run in itertools.groupby(modules):
                length = len(list(run))
                if dark:
                    path.rect((column + 1) * box, self.side - (row + 2) * box, length * box, box)
                column += length
        canvas.drawPath(path, stroke=0, fill=1)


def qr_code(text: str, side: float = 26 * mm) -> QrCode:
    return QrCode(text, side)


def plain_table(
    rows: Sequence[Sequence[object]], widths: Sequence[float], commands: Sequence[tuple[object, ...]] = ()
) -> Table:
    """An unruled table for layout (its cells' default font is the body face, never ReportLab's Helvetica)."""
    table = Table([list(row) for row in rows], colWidths=list(widths), hAlign="LEFT")
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), BODY, 10.5), *commands]))
    return table


def signature_line(parts: Sequence[tuple[str, str]]) -> Paragraph:
    """``label：name　签名：＿＿＿`` pieces on one line (names printed, room left to sign)."""
    pieces: list[Part] = []
    for index, (role, name) in enumerate(parts):
        if index:
            pieces.append("　　")
        pieces += [Bold(f"{role}："), f"{name}　（签名）＿＿＿＿＿＿"]
    return para(pieces, CELL)


def gap(height_mm: float) -> Spacer:
    return Spacer(1, height_mm * mm)


def signatures_with_date(roles: Sequence[str], day: date | None = None) -> Table:
    """Rows of ``role（签名）：＿＿＿　日期`` for a record's signers."""
    rows = [
        [para([Bold(f"{role}（签名）："), "＿＿＿＿＿＿＿＿＿＿"], CELL), para(chinese_date(day), CELL)]
        for role in roles
    ]
    commands = [("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("TOPPADDING", (0, 0), (-1, -1), 10)]
    return plain_table(rows, [FRAME_WIDTH * 0.62, FRAME_WIDTH * 0.38], commands)


def particulars(party: PartyData) -> str:
    """A party's particulars as one sentence, as an agreement states them (empty items left out)."""
    if party.organisation:
        items = [party.name]
        if party.address:
            items.append(f"住所地{party.address}")
        if party.representative:
            items.append(f"法定代表人（负责人）{party.representative}")
    else:
        items = [party.name]
        items += [value for value in (party.gender, party.ethnicity) if value]
        if party.birth_date:
            items.append(f"{chinese_date(party.birth_date)}出生")
        if party.occupation:
            items.append(party.occupation)
        if party.employer:
            items.append(f"工作单位{party.employer}")
        if party.address:
            items.append(f"住{party.address}")
        if party.id_number:
            items.append(f"{party.id_label}{party.id_number}")
    if party.phone:
        items.append(f"联系电话{party.phone}")
    if party.agent:
        items.append(f"委托代理人{party.agent}")
    return "，".join(items) + "。"
