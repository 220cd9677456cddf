"""打印: the forms of the desk's cases. Tick cases (found by case number, party name or pinyin) and forms; preview
the highlighted one, print the ticked ones through the system's dialog (A4, 100%), or save them into a folder as
PDF files, with progress and cancel. A form that does not apply to a case (no agreement, no session record, an
agreement that lacks an Art. 29 element) is listed with the reason and skipped. The 核验 box checks a printed
agreement's verification code: genuine and current, void (and what replaced it), not yet signed, or unknown.

Building PDFs runs in the background (``TaskRunner``); only painting the pages runs on the GUI thread
(``ui.pdf_print``). Printing or saving an agreement marks it printed for signing, as the command line's ``print``
does; the preview changes nothing (a draft shows as its 草稿 copy).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.errors import DomainError
from mediation_desk.services.cases import CaseRow
from mediation_desk.services.desk import Changes, Desk
from mediation_desk.services.orgs import OrgInfo
from mediation_desk.services.printing import (
    BatchItem,
    Form,
    Printed,
    PrintRequest,
    Verdict,
    Verification,
    preview_form,
    print_form,
    save_each,
    verify,
    write_pdf,
)
from mediation_desk.services.search import SearchFilter, key_forms, rows_by_key, search_cases
from mediation_desk.ui import pdf_print
from mediation_desk.ui.icons import icon
from mediation_desk.ui.tasks import Report, TaskCancelled, TaskRunner, run_with_progress, show_error

CONTEXT = "PrintPage"
CASE_LIMIT = 500
SEARCH_DELAY_MS = 300
ID_ROLE = Qt.ItemDataRole.UserRole + 1

FORM_NAMES = {
    Form.AGREEMENT: QT_TRANSLATE_NOOP("PrintPage", "Mediation agreement"),
    Form.ORAL_AGREEMENT: QT_TRANSLATE_NOOP("PrintPage", "Oral agreement register"),
    Form.APPLICATION: QT_TRANSLATE_NOOP("PrintPage", "Application for mediation"),
    Form.INTAKE: QT_TRANSLATE_NOOP("PrintPage", "Intake register"),
    Form.RIGHTS: QT_TRANSLATE_NOOP("PrintPage", "Notice of rights and duties"),
    Form.INVESTIGATION: QT_TRANSLATE_NOOP("PrintPage", "Investigation record"),
    Form.SESSION: QT_TRANSLATE_NOOP("PrintPage", "Mediation session record"),
    Form.FOLLOW_UP: QT_TRANSLATE_NOOP("PrintPage", "Follow-up visit record"),
    Form.TERMINATION: QT_TRANSLATE_NOOP("PrintPage", "Notice of ending mediation"),
    Form.COVER: QT_TRANSLATE_NOOP("PrintPage", "Case file cover and contents"),
}
VERDICT_COLOURS = {Verdict.CURRENT: "#1b6e20", Verdict.NOT_SIGNED: "#8a5a00", Verdict.AMBIGUOUS: "#8a5a00"}


def form_name(form: Form) -> str:
    return QCoreApplication.translate(CONTEXT, str(FORM_NAMES[form]))


@dataclass(frozen=True, slots=True)
class Built:
    """The documents built for printing, and the requests that did not apply (title, reason)."""

    printed: list[Printed]
    skipped: list[tuple[str, str]]


class PrintPage(QWidget):
    open_case = Signal(object)
    status = Signal(str)
    loaded = Signal()
    batch_progress = Signal(int, int)  # done, total: after each document of a batch (tests cancel from it)
    verified = Signal(object)  # the Verification shown

    def __init__(self, desk: Desk, runner: TaskRunner, orgs: list[OrgInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = runner
        self.orgs = orgs
        self.rows: list[CaseRow] = []
        self.pinned: list[CaseRow] = []
        self.checked: set[uuid.UUID] = set()
        self._cancel = threading.Event()
        self._filling = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        heading = QLabel(self.tr("Printing"))
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        heading.setFont(font)
        splitter = QSplitter()
        splitter.addWidget(self._cases_panel())
        splitter.addWidget(self._side_panel())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 4)
        layout.addWidget(heading)
        layout.addWidget(splitter, 1)

    # -- building ---------------------------------------------------------------------------------------------

    def _button(self, name: str, text: str, tip: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(icon(name), text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def _cases_panel(self) -> QWidget:
        panel = QWidget()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Case number, party name (or pinyin such as zs)"))
        self.search.textEdited.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self.refresh)
        self.count = QLabel()
        self.tick_all = self._button("accept", self.tr("Tick &all shown"), "", self._tick_all)
        self.tick_none = self._button("cancel", self.tr("&Untick all"), "", self._tick_none)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.tick_all)
        top.addWidget(self.tick_none)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Case number"), self.tr("Applicants"), self.tr("Respondents"), self.tr("Status")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column, mode in enumerate(
            (QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.Stretch)
        ):
            header.setSectionResizeMode(column, mode)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._item_changed)
        self.table.cellDoubleClicked.connect(self._open_row)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        return panel

    def _side_panel(self) -> QWidget:
        panel = QWidget()
        forms = QGroupBox(self.tr("Forms"))
        self.forms = QListWidget()
        for form in Form:
            item = QListWidgetItem(form_name(form))
            item.setData(ID_ROLE, form.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if form is Form.AGREEMENT else Qt.CheckState.Unchecked)
            self.forms.addItem(item)
        self.forms.setCurrentRow(0)
        rows = self.forms.sizeHintForRow(0) * self.forms.count() + 2 * self.forms.frameWidth() + 4
        self.forms.setFixedHeight(rows)
        box = QVBoxLayout(forms)
        box.addWidget(self.forms)
        self.preview_button = self._button(
            "find", self.tr("Pre&view…"), self.tr("Preview the highlighted form of the highlighted case"), self.preview
        )
        self.save_one_button = self._button(
            "save",
            self.tr("Save as &PDF…"),
            self.tr("Save the highlighted form of the highlighted case"),
            self.save_one,
        )
        self.print_button = self._button(
            "agreement", self.tr("&Print…"), self.tr("Print the ticked forms of the ticked cases"), self.print_ticked
        )
        self.folder_button = self._button(
            "export",
            self.tr("Save to &folder…"),
            self.tr("Save the ticked forms of the ticked cases as PDF files in a folder"),
            self.save_ticked,
        )
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.save_one_button, self.print_button, self.folder_button):
            buttons.addWidget(button)
        self.results = QListWidget()
        self.results.setWordWrap(True)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(forms)
        layout.addLayout(buttons)
        layout.addWidget(QLabel(self.tr("Results")))
        layout.addWidget(self.results, 1)
        layout.addWidget(self._verify_box())
        return panel

    def _verify_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Verify an agreement"))
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("Verification code from the paper, e.g. 7KQ2M-X9HCD"))
        self.code.setMaxLength(80)
        self.code.returnPressed.connect(self.verify_code)
        self.verify_button = self._button(
            "find", self.tr("V&erify"), self.tr("Check the code against this desk's agreements"), self.verify_code
        )
        self.verdict = QLabel(self.tr("Type the code printed beside the QR code of an agreement."))
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.verdict.setMinimumHeight(self.fontMetrics().lineSpacing() * 7)
        row = QHBoxLayout()
        row.addWidget(self.code, 1)
        row.addWidget(self.verify_button)
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(self.verdict)
        return box

    # -- the cases --------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        desk, text = self.desk, self.search.text().strip()
        self.runner.read(lambda: search_cases(desk, SearchFilter(text=text, limit=CASE_LIMIT)), self._show)

    def on_changes(self, changes: Changes) -> None:
        if changes.touches("dispute_case", "party", "outcome", "agreement"):
            self.refresh()

    def print_cases(self, case_ids: Sequence[uuid.UUID]) -> None:
        """Show these cases first, ticked (the main window's Ctrl+P with cases selected)."""
        desk = self.desk
        keys = [key for case_id in case_ids for key in sorted(key_forms(case_id))]
        self.checked = set(case_ids)

        def pinned(rows: list[CaseRow]) -> None:
            self.pinned = list({row.id: row for row in rows}.values())
            self.search.clear()
            self.refresh()

        self.runner.read(lambda: rows_by_key(desk, keys), pinned)

    def _show(self, rows: list[CaseRow]) -> None:
        pinned_ids = {row.id for row in self.pinned}
        self.rows = [*self.pinned, *(row for row in rows if row.id not in pinned_ids)]
        self._filling = True
        try:
            self.table.setRowCount(len(self.rows))
            for number, row in enumerate(self.rows):
                self._fill_row(number, row)
        finally:
            self._filling = False
        if self.rows and self.table.currentRow() < 0:
            self.table.selectRow(0)
        self._update_count()
        self.loaded.emit()

    def _fill_row(self, number: int, row: CaseRow) -> None:
        first = QTableWidgetItem(row.number)
        first.setData(ID_ROLE, str(row.id))
        first.setFlags(first.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        first.setCheckState(Qt.CheckState.Checked if row.id in self.checked else Qt.CheckState.Unchecked)
        self.table.setItem(number, 0, first)
        for column, text in enumerate((row.applicants, row.respondents, row.status.label), 1):
            item = QTableWidgetItem(text)
            item.setToolTip(text if len(text) > 12 else "")
            self.table.setItem(number, column, item)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 0:
            return
        case_id = uuid.UUID(str(item.data(ID_ROLE)))
        if item.checkState() == Qt.CheckState.Checked:
            self.checked.add(case_id)
        else:
            self.checked.discard(case_id)
        self._update_count()

    def _set_all(self, state: Qt.CheckState) -> None:
        for number in range(self.table.rowCount()):
            item = self.table.item(number, 0)
            if item is not None:
                item.setCheckState(state)

    def _tick_all(self) -> None:
        self._set_all(Qt.CheckState.Checked)

    def _tick_none(self) -> None:
        self._set_all(Qt.CheckState.Unchecked)
        self.checked.clear()
        self._update_count()

    def _update_count(self) -> None:
        shown = self.tr("{count} cases shown").format(count=len(self.rows))
        if len(self.rows) >= CASE_LIMIT:
            shown = self.tr("The first {count} cases shown: narrow the search").format(count=CASE_LIMIT)
        self.count.setText(shown + "　" + self.tr("{count} ticked").format(count=len(self.checked)))

    def _open_row(self, number: int, _column: int) -> None:
        if 0 <= number < len(self.rows):
            self.open_case.emit(self.rows[number].id)

    # -- what to print ----------------------------------------------------------------------------------------

    def ticked_forms(self) -> list[Form]:
        items = (self.forms.item(number) for number in range(self.forms.count()))
        return [
            Form(str(item.data(ID_ROLE)))
            for item in items
            if item is not None and item.checkState() == Qt.CheckState.Checked
        ]

    def set_forms(self, forms: Sequence[Form]) -> None:
        for number in range(self.forms.count()):
            item = self.forms.item(number)
            if item is not None:
                chosen = Form(str(item.data(ID_ROLE))) in forms
                item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)

    def requests(self) -> list[PrintRequest]:
        """Every ticked form of every ticked case, case by case in the list's order."""
        forms = self.ticked_forms()
        cases = [row for row in self.rows if row.id in self.checked]
        return [PrintRequest(form, row.number or str(row.id)) for row in cases for form in forms]

    def highlighted(self) -> PrintRequest | None:
        number, item = self.table.currentRow(), self.forms.currentItem()
        if not 0 <= number < len(self.rows) or item is None:
            return None
        row = self.rows[number]
        return PrintRequest(Form(str(item.data(ID_ROLE))), row.number or str(row.id))

    def _nothing(self, text: str) -> bool:
        self.results.clear()
        self.results.addItem(text)
        self.status.emit(text)
        return True

    # -- one document -----------------------------------------------------------------------------------------

    def preview(self) -> None:
        request = self.highlighted()
        if request is None:
            self._nothing(self.tr("Highlight a case and a form to preview."))
            return
        desk = self.desk

        def show(printed: Printed) -> None:
            pdf_print.preview(self, pdf_print.PdfPages(printed.pdf, self), printed.title)

        self.runner.read(lambda: preview_form(desk, request), show, self._failed)

    def save_one(self) -> None:
        request = self.highlighted()
        if request is None:
            self._nothing(self.tr("Highlight a case and a form to save."))
            return
        target = pdf_print.ask_pdf_path(self, pdf_print.safe_file_name(f"{request.form.label}{request.case}"))
        if target is not None:
            self.save_one_to(request, target)

    def save_one_to(self, request: PrintRequest, target: Path) -> None:
        desk = self.desk

        def work() -> Printed:
            printed = print_form(desk, request)
            write_pdf(printed.pdf, target)
            return printed

        def done(printed: Printed) -> None:
            self._nothing(self.tr("Saved {title}: {path}").format(title=printed.title, path=target))

        self.runner.write(work, done, self._failed)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, DomainError):
            self._nothing(error.message)
        else:
            show_error(self, error)

    # -- batches ----------------------------------------------------------------------------------------------

    def cancel_batch(self) -> None:
        """Stop the running batch after the document in hand (the progress dialog's Cancel does the same)."""
        self._cancel.set()

    def _step(self, report: Report, done: int, total: int) -> None:
        report(done, total)
        self.batch_progress.emit(done, total)
        if self._cancel.is_set():
            raise TaskCancelled

    def _checked_requests(self) -> list[PrintRequest] | None:
        requests = self.requests()
        if not requests:
            self._nothing(self.tr("Tick at least one case and one form."))
            return None
        self._cancel.clear()
        self.results.clear()
        return requests

    def print_ticked(self) -> None:
        """Build every ticked document in the background, then print them all through one print dialog."""
        requests = self._checked_requests()
        if requests is not None:
            self.build_then(requests, self._print_built)

    def build_then(self, requests: list[PrintRequest], then: Callable[[Built], None]) -> None:
        desk = self.desk

        def work(report: Report) -> Built:
            built = Built([], [])
            for done, request in enumerate(requests, 1):
                try:
                    built.printed.append(print_form(desk, request))
                except DomainError as error:
                    built.skipped.append((f"{request.form.label} {request.case}", error.message))
                self._step(report, done, len(requests))
            return built

        label = self.tr("Preparing {count} documents for printing…").format(count=len(requests))
        run_with_progress(
            self.runner,
            self,
            label,
            work,
            then,
            self._failed,
            write=True,
            cancellable=True,
        )

    def _print_built(self, built: Built) -> None:
        self.print_built(built, None)

    def print_built(self, built: Built, printer: QPrinter | None) -> int:
        """Print the built documents on ``printer`` (``None``: ask with the system's dialog); returns the pages."""
        for title, problem in built.skipped:
            self.results.addItem(self.tr("Not printed: {title}: {problem}").format(title=title, problem=problem))
        if not built.printed:
            self.status.emit(self.tr("Nothing to print."))
            return 0
        documents = [pdf_print.PdfPages(printed.pdf, self) for printed in built.printed]
        title = built.printed[0].title if len(built.printed) == 1 else self.tr("Mediation Desk forms")
        pages = pdf_print.print_documents(self, documents, title, printer)
        for printed in built.printed:
            self.results.addItem(self.tr("Printed: {title}").format(title=printed.title))
        self.status.emit(
            self.tr("{count} documents, {pages} pages sent to the printer").format(
                count=len(built.printed), pages=pages
            )
        )
        return pages

    def save_ticked(self) -> None:
        requests = self._checked_requests()
        if requests is None:
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("Save the forms into a folder"), str(Path.home()))
        if folder:
            self.save_into(requests, Path(folder))

    def save_into(self, requests: list[PrintRequest], folder: Path) -> None:
        """Save each request as a PDF file in ``folder`` with progress; Cancel stops between two files."""
        desk = self.desk
        items: list[BatchItem] = []

        def work(report: Report) -> list[BatchItem]:
            for item in save_each(desk, requests, folder):
                items.append(item)
                self._step(report, item.done, item.total)
            return items

        def failed(error: BaseException) -> None:
            self._show_saved(items, folder)
            if isinstance(error, TaskCancelled):
                self.results.addItem(self.tr("Cancelled: the files saved before are complete."))
            else:
                self._failed(error)

        label = self.tr("Saving {count} documents…").format(count=len(requests))
        run_with_progress(
            self.runner,
            self,
            label,
            work,
            lambda done: self._show_saved(done, folder),
            failed,
            write=True,
            cancellable=True,
        )

    def _show_saved(self, items: list[BatchItem], folder: Path) -> None:
        saved = [item for item in items if item.path is not None]
        for item in items:
            if item.path is None:
                line = self.tr("Not saved: {title}: {problem}").format(title=item.title, problem=item.problem)
            else:
                line = self.tr("Saved: {name}").format(name=item.path.name)
            self.results.addItem(line)
        self.status.emit(self.tr("{count} files saved in {folder}").format(count=len(saved), folder=folder))

    # -- verification -----------------------------------------------------------------------------------------

    def verify_code(self) -> None:
        typed = self.code.text().strip()
        if not typed:
            self.verdict.setText(self.tr("Type the code printed beside the QR code of an agreement."))
            return
        desk = self.desk
        self.runner.read(lambda: verify(desk, typed), self._show_verdict, self._verify_failed)

    def _verify_failed(self, error: BaseException) -> None:
        if isinstance(error, DomainError):
            self.verdict.setStyleSheet("color: #b00020;")
            self.verdict.setText(error.message)
        else:
            show_error(self, error)

    def _show_verdict(self, result: Verification) -> None:
        lines = [result.message]
        if result.number:
            lines.append(
                self.tr("Agreement: {number}　Case: {case}").format(number=result.number, case=result.case_number)
            )
            lines.append(self.tr("Committee: {org}").format(org=result.org_name))
            lines.append(self.tr("Parties: {names}").format(names="、".join(result.parties)))
            if result.effective_date:
                lines.append(self.tr("In force since {day}").format(day=result.effective_date.isoformat()))
        if result.altered:
            lines.append(
                self.tr(
                    "Note: the case's parties or mediators were changed after signing; the signed paper stands. "
                    "Check with the committee."
                )
            )
        colour = VERDICT_COLOURS.get(result.verdict, "#b00020")
        self.verdict.setStyleSheet(f"color: {colour};")
        self.verdict.setText("\n".join(lines))
        self.verified.emit(result)
