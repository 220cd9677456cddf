"""The 打印 page with a real desk: the preview's pages (QPdfDocument, painted through the preview dialog's own
signal), printing to a PDF printer (pdfinfo: A4, the page count; pdftotext: the parties), the pages drawn at
100% (the printed page's ink where the form's is), a batch into a folder with progress, a form that does not
apply reported, and cancel (no half-written file); the 核验 box for a current, a void and an unknown code."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from mediation_desk.domain.codes import AgreementState
from mediation_desk.services import agreements
from mediation_desk.services.desk import Desk
from mediation_desk.services.orgs import list_orgs
from mediation_desk.services.printing import Form, PrintRequest, Verdict, Verification, preview_form, print_form
from mediation_desk.ui.pdf_print import PdfPages, a4_printer
from mediation_desk.ui.print_page import Built, PrintPage
from mediation_desk.ui.tasks import TaskRunner
from tests.documents.conftest import RARE_NAME, MadeCase, conclude, make_case, run_tool
from tests.ui.conftest import add_cases
from tests.ui.test_case_agreement import SHOTS, PaintedPreviews, pdf_info

COMPANY = "缙云县示例建材有限公司"


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> PaintedPreviews:
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    painted = PaintedPreviews(tmp_path)
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda dialog: painted.exec(dialog))  # noqa: PLW0108
    return painted


@pytest.fixture
def made(desk: Desk) -> MadeCase:
    case = make_case(desk)
    conclude(desk, case)
    add_cases(desk, 2)
    return case


@pytest.fixture
def page(qtbot: QtBot, desk: Desk, runner: TaskRunner, made: MadeCase) -> PrintPage:
    widget = PrintPage(desk, runner, list_orgs(desk))
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    widget.refresh()
    return widget


def row_of(page: PrintPage, number: str) -> int:
    return next(index for index, row in enumerate(page.rows) if row.number == number)


def highlight(page: PrintPage, number: str, form: Form) -> None:
    page.table.selectRow(row_of(page, number))
    page.forms.setCurrentRow(list(Form).index(form))


def print_on(page: PrintPage, built: Built, printer: QPrinter) -> None:
    assert page.print_built(built, printer) > 0


def ink_box(image: QImage) -> tuple[int, int, int, int]:
    """The smallest rectangle holding every dark pixel of a grey-scale page image."""
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = grey.width(), grey.height(), grey.bytesPerLine()
    data = bytes(grey.constBits())
    rows = [y for y in range(height) if min(data[y * stride : y * stride + width]) < 128]
    columns = [x for x in range(width) if any(data[y * stride + x] < 128 for y in rows)]
    return columns[0], rows[0], columns[-1], rows[-1]


def test_the_preview_shows_every_page_and_changes_nothing(
    page: PrintPage, made: MadeCase, previews: PaintedPreviews
) -> None:
    highlight(page, made.number, Form.AGREEMENT)
    page.preview()
    assert len(previews.files) == 1
    info = pdf_info(previews.files[0])
    assert info["Pages"] == "6"
    assert "(A4)" in info["Page size"]
    assert agreements.agreements_of_case(page.desk, made.id)[0].state is AgreementState.DRAFT
    pages = PdfPages(preview_form(page.desk, PrintRequest(Form.AGREEMENT, made.number)).pdf)
    assert pages.count == 6
    for index in range(pages.count):
        image = pages.image(index, 72, grey=True)
        assert (image.width(), image.height()) == (595, 842)  # A4 in points: 100%
        left, top, right, bottom = ink_box(image)
        assert right - left > 300
        assert bottom - top > 300


def test_printing_to_a_pdf_printer_keeps_a4_at_full_size(page: PrintPage, made: MadeCase, tmp_path: Path) -> None:
    page.checked = {made.id}
    page.set_forms([Form.AGREEMENT])
    one = tmp_path / "one.pdf"
    printer = a4_printer()
    printer.setOutputFormat(printer.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(one))
    page.build_then(page.requests(), lambda built: print_on(page, built, printer))
    info = pdf_info(one)
    assert info["Pages"] == "6"
    assert "(A4)" in info["Page size"]
    text = run_tool("pdftotext", "-enc", "UTF-8", str(one), "-")
    assert RARE_NAME in text
    assert COMPANY in text
    assert agreements.agreements_of_case(page.desk, made.id)[0].state is AgreementState.PRINTED

    page.set_forms([Form.AGREEMENT, Form.INTAKE])  # two documents: every page drawn on the sheets
    both = tmp_path / "both.pdf"
    printer = a4_printer()
    printer.setOutputFormat(printer.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(both))
    page.build_then(page.requests(), lambda built: print_on(page, built, printer))
    info = pdf_info(both)
    assert info["Pages"] == "7"
    assert "(A4)" in info["Page size"]
    original = PdfPages(print_form(page.desk, PrintRequest(Form.AGREEMENT, made.number)).pdf)
    printed = PdfPages(both.read_bytes())
    wanted, got = ink_box(original.image(0, 50)), ink_box(printed.image(0, 50))
    assert all(abs(a - b) <= 2 for a, b in zip(wanted, got, strict=True)), (wanted, got)  # no shrink, no shift
    assert "已打印" in page.results.item(page.results.count() - 1).text()


def test_a_batch_goes_to_a_folder_and_reports_what_does_not_apply(
    page: PrintPage, made: MadeCase, tmp_path: Path
) -> None:
    page._tick_all()
    page.set_forms([Form.AGREEMENT, Form.INTAKE])
    seen: list[tuple[int, int]] = []
    page.batch_progress.connect(lambda done, total: seen.append((done, total)))
    folder = tmp_path / "out"
    folder.mkdir()
    page.save_into(page.requests(), folder)
    assert seen == [(done, 6) for done in range(1, 7)]
    files = sorted(path.name for path in folder.iterdir())
    assert len(files) == 4
    assert all(name.endswith(".pdf") for name in files)
    for path in folder.iterdir():
        assert int(pdf_info(path)["Pages"]) >= 1
    lines = [page.results.item(row).text() for row in range(page.results.count())]
    skipped = [line for line in lines if line.startswith("未保存")]
    assert len(skipped) == 2
    assert all("没有有效的书面调解协议" in line for line in skipped)


def test_cancel_stops_between_two_files(page: PrintPage, made: MadeCase, tmp_path: Path) -> None:
    page._tick_all()
    page.set_forms([Form.INTAKE, Form.RIGHTS])
    page.batch_progress.connect(lambda done, _total: page.cancel_batch() if done == 2 else None)
    folder = tmp_path / "out"
    folder.mkdir()
    page.save_into(page.requests(), folder)
    assert sorted(path.suffix for path in folder.iterdir()) == [".pdf", ".pdf"]  # nothing half-written
    for path in folder.iterdir():
        assert int(pdf_info(path)["Pages"]) == 1
    lines = [page.results.item(row).text() for row in range(page.results.count())]
    assert lines[-1].startswith("已取消")


def test_the_verify_box(page: PrintPage, made: MadeCase, qtbot: QtBot) -> None:
    assert made.agreement_id is not None
    print_form(page.desk, PrintRequest(Form.AGREEMENT, made.number))
    signed = agreements.mark_signed(page.desk, made.agreement_id, date(2025, 3, 5)).value
    results: list[Verification] = []
    page.verified.connect(results.append)
    page.code.setText(signed.code.lower().replace("-", " "))
    page.verify_button.click()
    assert results[-1].verdict is Verdict.CURRENT
    assert "真实有效" in page.verdict.text()
    assert RARE_NAME in page.verdict.text()
    assert "2025-03-05" in page.verdict.text()
    page.table.selectRow(row_of(page, made.number))
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert page.grab().save(str(SHOTS / "print-page.png"))
    old = agreements.agreements_of_case(page.desk, made.id)[0]
    content = agreements.AgreementInput(old.facts, old.terms, old.performance_manner, "", old.performance_deadline)
    new = agreements.reissue_agreement(page.desk, made.agreement_id, "更正履行地点", content).value
    page.verify_button.click()
    assert [result.verdict for result in results] == [Verdict.CURRENT, Verdict.VOID]
    assert "已作废" in page.verdict.text()
    assert new.number in page.verdict.text()
    page.code.setText("ZZZZZ-ZZZZZ")
    page.code.returnPressed.emit()
    assert [result.verdict for result in results][-1] is Verdict.UNKNOWN
    assert "没有验证码为" in page.verdict.text()


def test_print_cases_ticks_the_cases_and_shows_them_first(page: PrintPage, made: MadeCase) -> None:
    page.search.setText("没有这个人")
    page.refresh()
    assert page.rows == []
    page.print_cases([made.id])
    assert page.rows[0].id == made.id
    assert page.checked == {made.id}
    assert page.table.item(0, 0).checkState().name == "Checked"  # type: ignore[union-attr]
    assert "已勾选 1 件" in page.count.text()
    assert [request.case for request in page.requests()] == [made.number]


def test_cancel_with_the_real_background_runner(qtbot: QtBot, desk: Desk, made: MadeCase, tmp_path: Path) -> None:
    """The batch in a worker thread: progress arrives on the GUI thread, Cancel stops it between two files."""
    runner = TaskRunner()
    page = PrintPage(desk, runner, list_orgs(desk))
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: len(page.rows) == 3, timeout=10_000)
    page._tick_all()
    page.set_forms([Form.APPLICATION, Form.INTAKE, Form.RIGHTS])
    seen: list[int] = []
    page.batch_progress.connect(lambda done, _total: seen.append(done))  # queued: on the GUI thread
    page.batch_progress.connect(  # direct: in the worker, so the cancel lands after the second file exactly
        lambda done, _total: page.cancel_batch() if done == 2 else None, Qt.ConnectionType.DirectConnection
    )
    folder = tmp_path / "out"
    folder.mkdir()
    page.save_into(page.requests(), folder)
    qtbot.waitUntil(lambda: page.results.count() > 0, timeout=20_000)
    assert runner.wait_for_done(10_000)
    assert sorted(path.suffix for path in folder.iterdir()) == [".pdf", ".pdf"]
    assert seen == [1, 2]
    assert page.results.item(page.results.count() - 1).text().startswith("已取消")
