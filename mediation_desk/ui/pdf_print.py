"""Preview, print and save the forms' PDFs (PLATFORM.md, printing from Qt).

The PDF's bytes come from ``services.printing`` (built off the GUI thread by the caller's ``TaskRunner``). Here
they are loaded into QtPdf's ``QPdfDocument`` and each page is rendered, on the GUI thread, at the printer's
resolution and drawn at 100% on an A4 sheet with no margins: no fit-to-page shrink, so the signature lines and
the seal area land where the form puts them. Pages are turned grey-scale before printing (the forms are black
and grey; it keeps the spool small for laser printers). ``QPrintPreviewDialog`` shows the pages the same way,
and printing goes through the system's ``QPrintDialog``.

When the printer is a PDF file (the dialog's "print to file"), the file gets the PDF itself, whole, written
atomically: its text stays text. Saving as PDF writes the bytes the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QMarginsF, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from mediation_desk.domain.errors import ValidationError
from mediation_desk.services.printing import write_pdf

PRINT_DPI = 300  # about 75 ms per A4 page; enough for 5-point text and the QR code's modules
POINTS_PER_INCH = 72.0


class PdfPages(QObject):
    """A PDF held in memory and opened with ``QPdfDocument``."""

    def __init__(self, pdf: bytes, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        if self.document.status() is not QPdfDocument.Status.Ready or self.document.pageCount() < 1:
            raise ValidationError(
                QCoreApplication.translate("PdfPrint", "The document could not be read for printing.")
            )

    @property
    def count(self) -> int:
        return int(self.document.pageCount())

    def pixel_size(self, index: int, dpi: float) -> QSize:
        """The page's size in pixels at ``dpi``: 100%, its own size in points."""
        points = self.document.pagePointSize(index)
        return QSize(round(points.width() * dpi / POINTS_PER_INCH), round(points.height() * dpi / POINTS_PER_INCH))

    def image(self, index: int, dpi: float, *, grey: bool = False) -> QImage:
        """Page ``index`` (from 0) rendered at ``dpi`` on white paper."""
        size = self.pixel_size(index, dpi)
        page = QImage(size, QImage.Format.Format_RGB32)
        page.fill(QColor(Qt.GlobalColor.white))
        painter = QPainter(page)
        painter.drawImage(0, 0, self.document.render(index, size))
        painter.end()
        return page.convertToFormat(QImage.Format.Format_Grayscale8) if grey else page


def a4_printer(mode: QPrinter.PrinterMode = QPrinter.PrinterMode.HighResolution) -> QPrinter:
    """A printer set for the forms: A4 portrait, the whole sheet addressable, no margins, 300 dpi."""
    printer = QPrinter(mode)
    printer.setResolution(PRINT_DPI)
    printer.setFullPage(True)
    printer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
    )
    return printer


def _page_range(printer: QPrinter, count: int) -> range:
    first, last = printer.fromPage(), printer.toPage()
    if first <= 0:
        return range(count)
    return range(first - 1, min(max(first, last), count))


def paint(printer: QPrinter, pages: PdfPages) -> int:
    """Draw the pages on ``printer`` at 100% (see ``paint_all``)."""
    return paint_all(printer, [pages])


def paint_all(printer: QPrinter, documents: Sequence[PdfPages]) -> int:
    """Draw the documents' pages one after another (the range the dialog chose, or all) on ``printer`` at 100%:
    one PDF page per sheet, its top left corner on the sheet's. Returns the number of pages drawn."""
    sheets = [(pages, index) for pages in documents for index in range(pages.count)]
    dpi = printer.resolution()
    painter = QPainter()
    if not painter.begin(printer):
        raise ValidationError(QCoreApplication.translate("PdfPrint", "The printer could not be started."))
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)  # the preview scales the pages down
    drawn = 0
    try:
        for position in _page_range(printer, len(sheets)):
            if drawn:
                printer.newPage()
            pages, index = sheets[position]
            image = pages.image(index, dpi, grey=True)
            painter.drawImage(QRectF(0, 0, image.width(), image.height()), image)
            drawn += 1
    finally:
        painter.end()
    return drawn


def print_to(printer: QPrinter, pages: PdfPages) -> int:
    """Print on ``printer``: a PDF file gets the PDF itself; a real printer gets the pages drawn at 100%."""
    if printer.outputFormat() is QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        target = Path(printer.outputFileName())
        write_pdf(pages.pdf, target if target.suffix.lower() == ".pdf" else target.with_name(target.name + ".pdf"))
        return pages.count
    return paint(printer, pages)


def preview(parent: QWidget | None, pages: PdfPages, title: str) -> int:
    """The print preview (``QPrintPreviewDialog``); its print button prints at 100% on A4."""
    printer = a4_printer()
    printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.paintRequested.connect(lambda target: paint(target, pages))
    result = int(dialog.exec())
    dialog.deleteLater()
    return result


def print_documents(
    parent: QWidget | None, documents: Sequence[PdfPages], title: str, printer: QPrinter | None = None
) -> int:
    """Print the documents in one job: on ``printer``, or (``None``) on the one the user picks in the system's
    print dialog. Returns the pages printed (0 when the user cancelled)."""
    if printer is None:
        printer = a4_printer()
        printer.setDocName(title)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(title)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            return 0
    if len(documents) == 1:
        return print_to(printer, documents[0])
    return paint_all(printer, documents)


def ask_pdf_path(parent: QWidget | None, suggested: str) -> Path | None:
    """A file to save a PDF as (``.pdf`` added when missing), or ``None``."""
    title = QCoreApplication.translate("PdfPrint", "Save as PDF")
    name, _chosen = QFileDialog.getSaveFileName(parent, title, suggested, "PDF (*.pdf)")
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def safe_file_name(title: str) -> str:
    """A file name from a document's title: letters, digits and Chinese kept, the rest ``_``."""
    cleaned = "".join(char if char.isalnum() or char in "()（）-" else "_" for char in title).strip("_")
    return (cleaned or "document") + ".pdf"
