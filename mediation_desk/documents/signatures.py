"""The agreement's signature block, drawn directly on the canvas: one row per party (a person signs and
thumbprints; an organisation's representative signs and the organisation seals), the mediators' and the
recorder's signature lines beside the committee's seal area and the date, then the verification line (QR code,
short code, longer code).

It is one flowable rather than a table of paragraphs because it is printed on every copy of every agreement (a
batch prints thousands) and tables of paragraphs cost several times the text they hold. When the rows do not fit
on a page it splits between rows and repeats the header row, and the seal area always follows the last row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from mediation_desk.documents.blocks import QrCode, SealArea, ThumbBox
from mediation_desk.documents.data import Verification
from mediation_desk.documents.fonts import BODY, TITLE, face_for
from mediation_desk.documents.linebreak import break_lines
from mediation_desk.documents.pages import draw_text, text_width
from mediation_desk.documents.patches import char_width
from mediation_desk.documents.styles import GREY, INK

SIZE = 10.5
SMALL = 8.5
HEADER = 8 * mm
ROW = 16 * mm
BOTTOM = 42 * mm
CHECK = 23 * mm
COLUMNS = (0.36, 0.44, 0.20)
RULE = 0.6


@dataclass(frozen=True, slots=True)
class Signer:
    role: str
    name: str
    organisation: bool = False


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines of ``width`` by the Chinese rules (each character measured in its own font)."""
    units = list(text)
    widths = [char_width(char, face_for(char, font), size) for char in units]
    return ["".join(units[line.start : line.end]).strip() for line in break_lines(units, widths, [width])]


class SignatureBlock(Flowable):  # type: ignore[misc]
    def __init__(
        self,
        signers: Sequence[Signer],
        mediators: Sequence[tuple[str, str]],
        org_name: str,
        day: date | None,
        verification: Verification | None,
        *,
        closing: bool = True,
    ) -> None:
        super().__init__()
        self.signers = list(signers)
        self.mediators = list(mediators)
        self.org_name = org_name
        self.day = day
        self.verification = verification
        self.closing = closing  # this part ends with the seal area (the last part of a split block)
        self.width = 0.0
        self.height = 0.0

    def _tail(self) -> float:
        if not self.closing:
            return 0.0
        return float(3 * mm + BOTTOM + (CHECK if self.verification else 0.0))

    def wrap(self, available_width: float, _available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = HEADER + ROW * len(self.signers) + self._tail()
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        rows = min(int((available_height - HEADER) // ROW), len(self.signers) - 2)
        if rows < 2:
            return []  # too little room: move on whole
        # the rows that fit here; at least two more go on with the mediators, the seal and the code
        first = SignatureBlock(self.signers[:rows], (), self.org_name, self.day, None, closing=False)
        rest = SignatureBlock(self.signers[rows:], self.mediators, self.org_name, self.day, self.verification)
        return [first, rest]

    def draw(self) -> None:
        canvas = self.canv
        top = self.height
        self._party_rows(canvas, top)
        if self.closing:
            below = top - HEADER - ROW * len(self.signers) - 3 * mm
            self._bottom(canvas, below)
            if self.verification:
                self._check(canvas, below - BOTTOM, self.verification)

    # -- the rows ----------------------------------------------------------------------------------------------

    def _party_rows(self, canvas: Canvas, top: float) -> None:
        widths = [share * self.width for share in COLUMNS]
        lefts = [0.0, widths[0], widths[0] + widths[1]]
        bottom = top - HEADER - ROW * len(self.signers)
        canvas.saveState()
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(RULE)
        for index in range(len(self.signers) + 1):
            y = top - HEADER - ROW * index
            canvas.line(0, y, self.width, y)
        canvas.line(lefts[1], top, lefts[1], bottom)
        canvas.line(lefts[2], top - HEADER, lefts[2], bottom)
        canvas.setLineWidth(1.2)
        canvas.rect(0, bottom, self.width, top - bottom)
        canvas.setFillColor(INK)
        draw_text(canvas, widths[0] / 2, top - HEADER + 2.6 * mm, "当事人", TITLE, SIZE, "centre")
        draw_text(
            canvas,
            lefts[1] + (widths[1] + widths[2]) / 2,
            top - HEADER + 2.6 * mm,
            "签名（盖章）",
            TITLE,
            SIZE,
            "centre",
        )
        for index, signer in enumerate(self.signers):
            row_top = top - HEADER - ROW * index
            self._signer(canvas, signer, row_top, widths, lefts)
        canvas.restoreState()

    def _signer(self, canvas: Canvas, signer: Signer, row_top: float, widths: list[float], lefts: list[float]) -> None:
        label = f"{signer.role}："
        first_width = widths[0] - 3 * mm - text_width(label, TITLE, SIZE)
        lines = wrap_text(signer.name, BODY, SIZE, first_width)
        if len(lines) > 1:  # a long name: all of it below the role
            lines = wrap_text(signer.name, BODY, SIZE, widths[0] - 3 * mm)
            lines.insert(0, "")
        height = 13.5 * len(lines)
        y = row_top - (ROW - height) / 2 - SIZE
        draw_text(canvas, 1.5 * mm, y, label, TITLE, SIZE)
        for number, line in enumerate(lines):
            x = 1.5 * mm + (text_width(label, TITLE, SIZE) if number == 0 else 0)
            draw_text(canvas, x, y - 13.5 * number, line, BODY, SIZE)
        sign = "法定代表人（负责人）签名：" if signer.organisation else "签名："
        draw_text(canvas, lefts[1] + 1.5 * mm, row_top - ROW / 2 - SIZE / 3, sign, TITLE, SIZE)
        box = ThumbBox("单位盖章" if signer.organisation else "按指印", 12.5 * mm)
        box.wrap(box.side, box.side)
        box.drawOn(canvas, lefts[2] + (widths[2] - box.side) / 2, row_top - (ROW + box.side) / 2)

    # -- mediators, seal, verification -------------------------------------------------------------------------

    def _bottom(self, canvas: Canvas, top: float) -> None:
        lines = [*self.mediators]
        step = 7 * mm
        y = top - (BOTTOM - step * len(lines)) / 2 - SIZE
        for role, name in lines:
            label = f"{role}："
            draw_text(canvas, 0, y, label, TITLE, SIZE)
            draw_text(canvas, text_width(label, TITLE, SIZE), y, f"{name}　（签名）＿＿＿＿＿＿", BODY, SIZE)
            y -= step
        seal = SealArea(self.org_name, self.day, 0.45 * self.width)
        seal.wrap(seal.width, seal.height)
        seal.drawOn(canvas, 0.55 * self.width, top - BOTTOM + (BOTTOM - seal.height) / 2)

    def _check(self, canvas: Canvas, top: float, check: Verification) -> None:
        side = 21 * mm
        code = QrCode(check.qr_text, side)
        code.wrap(side, side)
        code.drawOn(canvas, 0, top - side - 1 * mm)
        x = side + 4 * mm
        room = self.width - x
        draw_text(canvas, x, top - 6 * mm, "验证码：", TITLE, 12)
        draw_text(canvas, x + text_width("验证码：", TITLE, 12), top - 6 * mm, check.code, BODY, 12)
        canvas.setFillColor(GREY)
        notes = [f"完整校验码：{check.long_code}"]
        notes += wrap_text(
            f"核对方法：在调解工作台输入验证码，或运行 mediation-desk verify {check.code}；"
            "核对结果应与本协议书的编号、当事人和生效日期一致。",
            BODY,
            SMALL,
            room,
        )
        for number, line in enumerate(notes):
            draw_text(canvas, x, top - 11 * mm - 11 * number, line, BODY, SMALL)
        canvas.setFillColor(INK)
