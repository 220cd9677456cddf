"""Pages: the document template, "第x页 共y页" on every page, "第x份 共N份" on every page of each copy of an
agreement, the verification code in the footer, the 草稿 mark on a draft.

Totals are known only at the end, so the canvas keeps each finished page and draws the page furniture when the
document is saved (the two-pass "page x of y" recipe). Every piece of furniture is drawn with the same fonts and
per-character fallback as the body.

The copies of an agreement are one text: the story holds it once, and the canvas writes its laid-out pages once
per copy, each copy with its own furniture (laying the same text out N times gave N times the same pages, at N
times the cost: the batch of a thousand agreements is mostly that).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from mediation_desk.documents.fonts import BODY, TITLE, register, runs
from mediation_desk.documents.styles import BOTTOM, FRAME_HEIGHT, FRAME_WIDTH, GREY, LEFT, PAGE_HEIGHT, PAGE_WIDTH

CREATOR = "Mediation Desk 调解工作台"


@dataclass(frozen=True, slots=True)
class PageSetup:
    title: str  # the PDF's title (the form's name and the case number)
    copies: int = 1  # copies of the story's text in this PDF, each numbered "第x份 共N份" (1: no copy marks)
    footer_left: str = ""  # the verification code on an agreement
    footer_right: str = ""  # the case number
    draft: bool = False
    subject: str = ""


def text_width(text: str, font: str, size: float) -> float:
    return float(sum(pdfmetrics.stringWidth(piece, name, size) for name, piece in runs(text, font)))


def draw_text(canvas: Canvas, x: float, y: float, text: str, font: str, size: float, align: str = "left") -> None:
    """Draw one line at (x, y): left-aligned, centred on x or right-aligned at x; rare characters fall back."""
    width = text_width(text, font, size)
    start = x - width / 2 if align == "centre" else x - width if align == "right" else x
    for name, piece in runs(text, font):
        canvas.setFont(name, size)
        canvas.drawString(start, y, piece)
        start += pdfmetrics.stringWidth(piece, name, size)


class FurnishedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that keeps its pages until ``save`` and then writes them once per copy, with page numbers, copy
    marks and the footer."""

    def __init__(self, *args: Any, setup: PageSetup, counted: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup = setup
        self.counted = counted
        self.pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self.pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        pages = len(self.pages)
        number = 0
        for copy in range(1, max(1, self.setup.copies) + 1):
            for index, page in enumerate(self.pages, 1):
                self.__dict__.update(page)
                self._code = list(page["_code"])  # each copy's page gets its own furniture
                number += 1
                self._pageNumber = number
                self._furnish(copy, index, pages)
                super().showPage()
        self.counted.append(number)
        super().save()

    def _furnish(self, copy: int, page: int, pages: int) -> None:
        setup = self.setup
        self.saveState()
        self.setFillColor(colors.black)
        footer_y = BOTTOM - 12 * mm
        draw_text(self, PAGE_WIDTH / 2, footer_y, f"第{page}页 共{pages}页", BODY, 9, "centre")
        if setup.footer_left:
            draw_text(self, LEFT, footer_y, setup.footer_left, BODY, 8)
        if setup.footer_right:
            draw_text(self, PAGE_WIDTH - LEFT, footer_y, setup.footer_right, BODY, 8, "right")
        if setup.copies > 1:
            draw_text(
                self, PAGE_WIDTH - LEFT, PAGE_HEIGHT - 16 * mm, f"第{copy}份 共{setup.copies}份", BODY, 10.5, "right"
            )
        if setup.draft:
            self._draft_mark()
        self.restoreState()

    def _draft_mark(self) -> None:
        self.setFillColor(colors.Color(0.82, 0.82, 0.82))
        self.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        self.rotate(35)
        draw_text(self, 0, 0, "草 稿", TITLE, 96, "centre")
        self.rotate(-35)
        self.translate(-PAGE_WIDTH / 2, -PAGE_HEIGHT / 2)
        self.setFillColor(GREY)
        draw_text(self, PAGE_WIDTH / 2, PAGE_HEIGHT - 16 * mm, "草稿：仅供核对，不作为签署文本", BODY, 9, "centre")


def render(story: Sequence[Flowable], setup: PageSetup) -> bytes:
    """The PDF of ``story`` on A4 pages with the furniture ``setup`` asks for."""
    return render_counted(story, setup)[0]


def render_counted(story: Sequence[Flowable], setup: PageSetup) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    register()
    counted: list[int] = []
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=LEFT,
        rightMargin=PAGE_WIDTH - LEFT - FRAME_WIDTH,
        topMargin=PAGE_HEIGHT - BOTTOM - FRAME_HEIGHT,
        bottomMargin=BOTTOM,
        title=setup.title,
        author=CREATOR,
        creator=CREATOR,
        subject=setup.subject,
        pageCompression=1,
        invariant=1,
        initialFontName=BODY,
        initialFontSize=12,
    )
    frame = Frame(LEFT, BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, id="body", leftPadding=0, rightPadding=0, topPadding=0)
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    maker: Callable[..., Canvas] = partial(FurnishedCanvas, setup=setup, counted=counted)
    document.build(list(story), canvasmaker=maker)
    return buffer.getvalue(), counted[-1] if counted else 0


PAGE_OBJECT = re.compile(rb"/Type /Page(?![s\w])")


def page_count(pdf: bytes) -> int:
    """The number of pages of a PDF this module wrote (its page objects; the streams are compressed)."""
    return len(PAGE_OBJECT.findall(pdf))
