"""The case editor's agreement papers: each agreement of the case (void ones too) with its number, state
(草稿, 已打印待签, 已签署生效, 已作废), verification code and what replaced what, and the steps of its life
(``services.agreements``): preview, print for signing (refused, naming each missing Art. 29 element), mark signed
on a date that is not in the future, void with a reason, void and reissue, attach the scan of the signed paper,
save as PDF. A step the agreement's state or the signed-in role does not allow is disabled, its tooltip saying
why; the services check again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from mediation_desk.domain.codes import AgreementState
from mediation_desk.domain.errors import DomainError
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.permissions import Permission, allowed
from mediation_desk.services.agreements import (
    AgreementInfo,
    AgreementInput,
    agreements_of_case,
    attach_scan,
    mark_signed,
    reissue_agreement,
    void_agreement,
)
from mediation_desk.services.cases import CaseDetail
from mediation_desk.services.desk import Desk
from mediation_desk.services.printing import Form, Printed, PrintRequest, preview_form, print_form, write_pdf
from mediation_desk.ui import pdf_print
from mediation_desk.ui.case_tabs import ListPanel, button
from mediation_desk.ui.forms import FormDialog, date_edit, text_box
from mediation_desk.ui.tasks import TaskRunner, show_error
from mediation_desk.ui.widgets import ERROR_STYLE

REISSUING = (CaseStatus.MEDIATING, CaseStatus.AGREED, CaseStatus.CLOSED)


def first(*cases: tuple[bool, str]) -> str:
    """The reason of the first case that holds ('' when none does)."""
    return next((reason for holds, reason in cases if holds), "")


class SignDialog(FormDialog):
    """The day the parties, the mediators and the committee signed and sealed the printed paper."""

    def __init__(
        self, runner: TaskRunner, desk: Desk, agreement: AgreementInfo, intake: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(runner, self.tr("Mark agreement {number} signed").format(number=agreement.number), parent)
        self.desk = desk
        self.agreement = agreement
        self.day = self.add("effective_date", self.tr("Signed and in force &on"), date_edit())
        self.day.setMinimumDate(QDate(intake.year, intake.month, intake.day))

    def collect(self) -> Callable[[], object] | None:
        desk, agreement_id = self.desk, self.agreement.id
        day: date = self.day.date().toPython()  # type: ignore[assignment]
        return lambda: mark_signed(desk, agreement_id, day)


class VoidDialog(FormDialog):
    """Void an agreement with its reason; with ``reissue``, also issue the new draft that replaces it."""

    def __init__(
        self,
        runner: TaskRunner,
        desk: Desk,
        agreement: AgreementInfo,
        *,
        reissue: bool,
        parent: QWidget | None = None,
    ) -> None:
        title = (
            self.tr("Void agreement {number} and issue a new one") if reissue else self.tr("Void agreement {number}")
        )
        super().__init__(runner, title.format(number=agreement.number), parent)
        self.desk = desk
        self.agreement = agreement
        self.reissue = reissue
        note = QLabel(
            self.tr("The new agreement starts as a draft with the same content: correct it in the Outcome tab.")
            if reissue
            else self.tr("A void agreement stays on file; its papers no longer verify as valid.")
        )
        note.setWordWrap(True)
        self.add_plain(note)
        self.reason = self.add("reason", self.tr("&Reason"), text_box(self.tr("Why the agreement is void"), 3))

    def collect(self) -> Callable[[], object] | None:
        reason = self.reason.toPlainText().strip()
        if not reason:
            self.error("reason", self.tr("Give the reason"))
            return None
        desk, old = self.desk, self.agreement
        if not self.reissue:
            return lambda: void_agreement(desk, old.id, reason)
        content = AgreementInput(
            facts=old.facts,
            terms=old.terms,
            performance_manner=old.performance_manner,
            performance_place=old.performance_place,
            performance_deadline=old.performance_deadline,
            oral=old.oral,
        )
        return lambda: reissue_agreement(desk, old.id, reason, content)


class AgreementPanel(QWidget):
    changed = Signal()  # an agreement was written: the editor reads the case again
    loaded = Signal()

    def __init__(self, desk: Desk, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = runner
        self.detail: CaseDetail | None = None
        self.agreements: list[AgreementInfo] = []
        self.list = ListPanel(
            [
                self.tr("Number"),
                self.tr("State"),
                self.tr("Verification code"),
                self.tr("In force since"),
                self.tr("Notes"),
            ],
            self.tr("No agreement yet. Write its terms in the Outcome tab once mediation has reached one."),
        )
        self.list.table.itemSelectionChanged.connect(self.update_actions)
        self.preview_button = button("find", self.tr("Pre&view…"))
        self.print_button = button("agreement", self.tr("&Print for signing…"))
        self.sign_button = button("accept", self.tr("Mark &signed…"))
        self.void_button = button("cancel", self.tr("V&oid…"))
        self.reissue_button = button("refresh", self.tr("Void and &reissue…"))
        self.scan_button = button("attachment", self.tr("Attach s&can…"))
        self.save_button = button("save", self.tr("Save as P&DF…"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        for widget in self.buttons():
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.message)
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_for_signing)
        self.sign_button.clicked.connect(self.sign)
        self.void_button.clicked.connect(lambda: self.void(reissue=False))
        self.reissue_button.clicked.connect(lambda: self.void(reissue=True))
        self.scan_button.clicked.connect(self.choose_scan)
        self.save_button.clicked.connect(self.save_pdf)
        self.update_actions()

    def buttons(self) -> list[QPushButton]:
        return [
            self.preview_button,
            self.print_button,
            self.sign_button,
            self.void_button,
            self.reissue_button,
            self.scan_button,
            self.save_button,
        ]

    # -- showing ----------------------------------------------------------------------------------------------

    def fill(self, detail: CaseDetail) -> None:
        """Show the agreements of this case (read in the background)."""
        self.detail = detail
        desk, case_id = self.desk, detail.row.id
        self.runner.read(lambda: agreements_of_case(desk, case_id), self._show)

    def _show(self, agreements: list[AgreementInfo]) -> None:
        keep = self.selected()
        self.agreements = agreements
        self.list.set_rows([self._row(info) for info in agreements])
        ids = [info.id for info in agreements]
        current = [index for index, info in enumerate(agreements) if info.state is not AgreementState.VOID]
        kept = ids.index(keep.id) if keep is not None and keep.id in ids else -1
        if kept >= 0 and (agreements[kept].state is not AgreementState.VOID or not current):
            self.list.table.selectRow(kept)  # a voided one gives way to the agreement that replaced it
        elif agreements:
            self.list.table.selectRow(current[-1] if current else len(agreements) - 1)
        self.update_actions()
        self.loaded.emit()

    def _row(self, info: AgreementInfo) -> list[str]:
        notes = []
        if info.oral:
            notes.append(self.tr("oral agreement"))
        if info.replaces:
            notes.append(self.tr("replaces {number}").format(number=info.replaces))
        if info.replaced_by:
            notes.append(self.tr("replaced by {number}").format(number=info.replaced_by))
        if info.void_reason:
            notes.append(self.tr("void: {reason}").format(reason=info.void_reason))
        if info.scan_attachment_id:
            notes.append(self.tr("signed scan attached"))
        effective = info.effective_date.isoformat() if info.effective_date else ""
        return [info.number, info.state.label, info.code, effective, "；".join(notes)]

    def selected(self) -> AgreementInfo | None:
        row = self.list.current_row()
        return self.agreements[row] if 0 <= row < len(self.agreements) else None

    # -- which steps are open ---------------------------------------------------------------------------------

    def reasons(self, info: AgreementInfo | None) -> dict[QPushButton, str]:
        """Why each step is closed now ('' when it is open)."""
        if info is None:
            none = self.tr("Select an agreement first.")
            return dict.fromkeys(self.buttons(), none)
        role = self.desk.actor.role
        state = info.state
        void = self.tr("The agreement is void: it is kept on file and not printed again.")
        may_edit = "" if allowed(role, Permission.EDIT_CASE) else self.tr("Your role ({role}) may not do this.")
        may_void = "" if allowed(role, Permission.VOID_AGREEMENT) else self.tr("Your role ({role}) may not do this.")
        status = self.detail.row.status if self.detail else None
        oral = self.tr("An oral agreement takes effect when it is reached: print its register with Preview.")
        is_void, signed = state is AgreementState.VOID, state is AgreementState.SIGNED
        reasons = {
            self.preview_button: first((is_void, void)),
            self.save_button: first((is_void, void)),
            self.print_button: first(
                (info.oral, oral),
                (is_void, void),
                (signed, self.tr("Signed already: print more copies from Preview.")),
                (True, may_edit),
            ),
            self.sign_button: first(
                (info.oral, oral),
                (state is AgreementState.DRAFT, self.tr("Print the agreement for signing first.")),
                (state is not AgreementState.PRINTED, self.tr("The agreement is {state}.").format(state=state.label)),
                (True, may_edit),
            ),
            self.void_button: first((is_void, void), (True, may_void)),
            self.reissue_button: first(
                (is_void, void),
                (
                    state is AgreementState.DRAFT,
                    self.tr("A draft is corrected in the Outcome tab; nothing to reissue."),
                ),
                (
                    status is not None and status not in REISSUING,
                    self.tr("The case is {status}: no new agreement can be issued.").format(
                        status=status.label if status else ""
                    ),
                ),
                (True, may_void),
            ),
            self.scan_button: first(
                (not signed, self.tr("Only the scan of a signed agreement is kept with it.")), (True, may_edit)
            ),
        }
        return {widget: reason.format(role=role.label) for widget, reason in reasons.items()}

    def update_actions(self) -> None:
        for widget, reason in self.reasons(self.selected()).items():
            widget.setEnabled(not reason)
            widget.setToolTip(reason)

    # -- the steps --------------------------------------------------------------------------------------------

    def _request(self, info: AgreementInfo) -> PrintRequest:
        return PrintRequest(Form.ORAL_AGREEMENT if info.oral else Form.AGREEMENT, info.case_id)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, DomainError):
            self.message.setText(error.message)
        else:
            show_error(self, error)

    def _written(self, _result: object) -> None:
        self.message.clear()
        if self.detail is not None:
            self.fill(self.detail)
        self.changed.emit()  # the editor reads the case again (the outcome tab edits the reissued draft)

    def preview(self) -> None:
        info = self.selected()
        if info is None:
            return
        desk, request = self.desk, self._request(info)
        self.runner.read(lambda: preview_form(desk, request), self.show_preview, self._failed)

    def show_preview(self, printed: Printed) -> None:
        pdf_print.preview(self, pdf_print.PdfPages(printed.pdf, self), printed.title)

    def print_for_signing(self) -> None:
        """Seal the agreement for signing (refused while an Art. 29 element is empty), then preview and print."""
        info = self.selected()
        if info is None:
            return
        desk, request = self.desk, self._request(info)

        def printed(result: Printed) -> None:
            self._written(result)
            self.show_preview(result)

        self.runner.write(lambda: print_form(desk, request), printed, self._failed)

    def sign(self) -> None:
        info = self.selected()
        if info is not None and self.detail is not None:
            self.run_form(SignDialog(self.runner, self.desk, info, self.detail.row.intake_date, self))

    def void(self, *, reissue: bool) -> None:
        info = self.selected()
        if info is not None:
            self.run_form(VoidDialog(self.runner, self.desk, info, reissue=reissue, parent=self))

    def run_form(self, dialog: FormDialog) -> bool:
        saved = FormDialog.run_dialog(dialog)
        if saved:
            self._written(None)
        return saved

    def choose_scan(self) -> None:
        name, _chosen = QFileDialog.getOpenFileName(
            self, self.tr("The scan of the signed agreement"), str(Path.home()), self.tr("Scans (*.pdf *.jpg *.png)")
        )
        if name:
            self.attach(Path(name))

    def attach(self, path: Path) -> None:
        info = self.selected()
        if info is None:
            return
        desk, agreement_id = self.desk, info.id
        self.runner.write(lambda: attach_scan(desk, agreement_id, path), self._written, self._failed)

    def save_pdf(self) -> None:
        info = self.selected()
        if info is None:
            return
        target = pdf_print.ask_pdf_path(self, pdf_print.safe_file_name(f"协议书{info.number}"))
        if target is not None:
            self.save_to(target)

    def save_to(self, target: Path) -> None:
        """The agreement as it prints now (a draft as its 草稿 copy) into ``target``, written whole."""
        info = self.selected()
        if info is None:
            return
        desk, request = self.desk, self._request(info)

        def work() -> Printed:
            printed = preview_form(desk, request)
            write_pdf(printed.pdf, target)
            return printed

        def done(_printed: Printed) -> None:
            self.message.clear()

        self.runner.read(work, done, self._failed)

    @property
    def case_id(self) -> uuid.UUID | None:
        return self.detail.row.id if self.detail else None
