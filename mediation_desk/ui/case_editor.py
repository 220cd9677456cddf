"""One case, its whole life, in one window: particulars and parties (editable until the case is closed), the
steps of the lifecycle (accept or refuse, assign mediators, step aside, investigation and session records, the
outcome with the agreement's terms, follow-up visits, judicial confirmation, closing), the agreement papers
(print for signing, mark signed, void and reissue, the signed scan: ``case_agreement``), attachments and history.

- A step the lifecycle or the role does not allow now is disabled, its tooltip saying why (``case_rules``).
- Ctrl+S saves every tab with changes (each through its service; the first error stops and is shown in place).
- Unsaved changes are never lost silently: Esc and closing ask (save, discard, go on); every 15 seconds the typed
  particulars and agreement are kept as an encrypted draft (``services.drafts``), offered again if the program
  stopped before they were saved.

``CaseEditor.load`` reads the case off the GUI thread and hands the window to ``opened``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.codes import PartyRole
from mediation_desk.domain.errors import DomainError
from mediation_desk.services import drafts
from mediation_desk.services.attachments import AttachmentInfo, add_attachment, attachment_file, list_attachments
from mediation_desk.services.cases import CaseDetail, HistoryEntry, accept_case, case_history, get_case
from mediation_desk.services.casework import (
    AgreementInfo,
    PartyEntry,
    PartyExtras,
    agreement_of,
    party_extras,
    save_agreement_draft,
    save_parties,
    set_recorder,
    update_case,
)
from mediation_desk.services.desk import Desk
from mediation_desk.services.mediators import MediatorInfo, list_mediators
from mediation_desk.ui import settings
from mediation_desk.ui.case_agreement import AgreementPanel
from mediation_desk.ui.case_dialogs import (
    AssignDialog,
    CloseDialog,
    ConcludeDialog,
    ConfirmationDialog,
    FollowUpDialog,
    InvestigationDialog,
    RecuseDialog,
    RefuseDialog,
    SessionDialog,
)
from mediation_desk.ui.case_outcome import AttachmentsTab, OutcomeTab
from mediation_desk.ui.case_parties import PartiesSection
from mediation_desk.ui.case_rules import Step, availability
from mediation_desk.ui.case_tabs import HistoryTab, IntakeTab, MediatorsTab, RecordsTab
from mediation_desk.ui.forms import FormDialog
from mediation_desk.ui.icons import icon
from mediation_desk.ui.tasks import TaskRunner, show_error

AUTOSAVE_MS = 15_000


@dataclass(frozen=True, slots=True)
class CaseBundle:
    """Everything the editor shows of a case, read in one background job."""

    detail: CaseDetail
    history: list[HistoryEntry]
    agreement: AgreementInfo | None
    attachments: list[AttachmentInfo]
    extras: dict[uuid.UUID, PartyExtras]


def load_bundle(desk: Desk, case_id: uuid.UUID) -> CaseBundle:
    return CaseBundle(
        get_case(desk, case_id),
        case_history(desk, case_id),
        agreement_of(desk, case_id),
        list_attachments(desk, case_id),
        party_extras(desk, case_id),
    )


class CaseEditor(QDialog):
    def __init__(self, desk: Desk, runner: TaskRunner, bundle: CaseBundle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = runner
        self.case_id = bundle.detail.row.id
        self.bundle = bundle
        self.parties_dirty = False
        self._saving = False
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.intake = IntakeTab()
        self.parties = PartiesSection()
        self.mediators = MediatorsTab()
        self.records = RecordsTab()
        self.outcome = OutcomeTab()
        self.agreement_panel = AgreementPanel(desk, runner)
        self.attachments = AttachmentsTab()
        self.history = HistoryTab()
        self.tabs = QTabWidget()
        for widget, name, text in (
            (self.intake, "cases", self.tr("Particulars")),
            (self.parties, "people", self.tr("Parties")),
            (self.mediators, "assign", self.tr("Mediators")),
            (self.records, "session", self.tr("Records")),
            (self.outcome, "outcome", self.tr("Outcome and agreement")),
            (self.agreement_panel, "agreement", self.tr("Agreement papers")),
            (self.attachments, "attachment", self.tr("Attachments")),
            (self.history, "history", self.tr("History")),
        ):
            self.tabs.addTab(widget, icon(name), text)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setIcon(icon("save"))
        self.save_button.setToolTip(self.tr("Save the changes on every tab (Ctrl+S)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setIcon(icon("exit"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self._connect()
        self._autosave = QTimer(self)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.autosave)
        self._autosave.start()
        self.apply(bundle)
        self._restore_geometry()

    @classmethod
    def load(
        cls,
        parent: QWidget | None,
        runner: TaskRunner,
        desk: Desk,
        case_id: uuid.UUID,
        opened: Callable[[CaseEditor], None],
    ) -> None:
        """Read the case off the GUI thread, then make its window (non-modal: several cases may be open)."""

        def made(bundle: CaseBundle) -> None:
            editor = cls(desk, runner, bundle, parent)
            editor.offer_draft()
            opened(editor)

        runner.read(lambda: load_bundle(desk, case_id), made)

    # -- wiring -----------------------------------------------------------------------------------------------

    def _connect(self) -> None:
        self.parties.edited.connect(self._parties_edited)
        self.intake.edited.connect(self._update_title)
        self.outcome.accept_button.clicked.connect(self.accept_case)
        self.outcome.refuse_button.clicked.connect(
            lambda: self.step(RefuseDialog(self.runner, self.desk, self.case_id, self))
        )
        self.outcome.conclude_button.clicked.connect(self.conclude)
        self.outcome.close_button.clicked.connect(self.close_case)
        self.outcome.save_agreement.clicked.connect(self.save_agreement)
        self.agreement_panel.changed.connect(self.reload)
        self.mediators.assign_button.clicked.connect(self.assign)
        self.mediators.recuse_button.clicked.connect(self.recuse)
        self.mediators.save_recorder.clicked.connect(self.save_recorder)
        self.records.investigation_button.clicked.connect(self.add_investigation)
        self.records.session_button.clicked.connect(
            lambda: self.step(SessionDialog(self.runner, self.desk, self.case_id, self))
        )
        self.records.follow_up_button.clicked.connect(self.add_follow_up)
        self.records.confirmation_button.clicked.connect(
            lambda: self.step(ConfirmationDialog(self.runner, self.desk, self.case_id, self))
        )
        self.attachments.add_button.clicked.connect(self.add_file)
        self.attachments.open_button.clicked.connect(self.open_file)
        self.attachments.list.activated.connect(lambda _row: self.open_file())

    def _parties_edited(self) -> None:
        self.parties_dirty = True

    # -- showing ----------------------------------------------------------------------------------------------

    def apply(self, bundle: CaseBundle) -> None:
        """Show the case as read; tabs with unsaved input keep it."""
        self.bundle = bundle
        detail = bundle.detail
        if not self.intake.dirty:
            self.intake.fill(detail, detail.notes)
        if not self.parties_dirty:
            self.parties.fill(detail.parties, bundle.extras)
            self.parties_dirty = False
        self.mediators.fill(detail)
        self.records.fill(detail)
        self.outcome.fill(detail, bundle.agreement)
        self.agreement_panel.fill(detail)
        self.attachments.fill(bundle.attachments)
        self.history.fill(bundle.history)
        self._update_title()
        self._update_steps()

    def _update_title(self) -> None:
        row = self.bundle.detail.row
        self.setWindowTitle(self.tr("Case {number}").format(number=row.number) + (" *" if self.dirty else ""))
        parties = row.applicants + (f" — {row.respondents}" if row.respondents else "")
        self.header.setText(f"<b>{row.number}</b>　{row.category_name}　{parties}　<b>{row.status.label}</b>")

    def _set(self, widget: QPushButton, step: Step) -> None:
        state = availability(step, self.bundle.detail, self.bundle.agreement, self.desk.actor.role)
        widget.setEnabled(state.enabled)
        widget.setToolTip(state.reason)

    def _update_steps(self) -> None:
        for widget, step in (
            (self.outcome.accept_button, Step.ACCEPT),
            (self.outcome.refuse_button, Step.REFUSE),
            (self.outcome.conclude_button, Step.CONCLUDE),
            (self.outcome.close_button, Step.CLOSE),
            (self.outcome.save_agreement, Step.AGREEMENT),
            (self.mediators.assign_button, Step.ASSIGN),
            (self.mediators.recuse_button, Step.RECUSE),
            (self.mediators.save_recorder, Step.EDIT),
            (self.records.investigation_button, Step.INVESTIGATION),
            (self.records.session_button, Step.SESSION),
            (self.records.follow_up_button, Step.FOLLOW_UP),
            (self.records.confirmation_button, Step.CONFIRMATION),
            (self.attachments.add_button, Step.ATTACH),
        ):
            self._set(widget, step)
        edit = availability(Step.EDIT, self.bundle.detail, self.bundle.agreement, self.desk.actor.role)
        for page in (self.intake, self.parties):
            page.setEnabled(edit.enabled)
            page.setToolTip(edit.reason)
        self.save_button.setEnabled(edit.enabled)

    def reload(self) -> None:
        desk, case_id = self.desk, self.case_id
        self.runner.read(lambda: load_bundle(desk, case_id), self.apply)

    # -- steps ------------------------------------------------------------------------------------------------

    def step(self, dialog: FormDialog) -> bool:
        """Run one step's form; the case is read again when it saved."""
        saved = FormDialog.run_dialog(dialog)
        if saved:
            self.reload()
        return saved

    def _write(self, work: Callable[[], object]) -> None:
        self.runner.write(work, lambda _result: self.reload(), lambda error: show_error(self, error))

    def accept_case(self) -> None:
        desk, case_id = self.desk, self.case_id
        self._write(lambda: accept_case(desk, case_id))

    def conclude(self) -> None:
        row = self.bundle.detail.row
        if self.step(ConcludeDialog(self.runner, self.desk, self.case_id, row.status, row.intake_date, self)):
            self.tabs.setCurrentWidget(self.outcome)

    def close_case(self) -> None:
        self.step(CloseDialog(self.runner, self.desk, self.case_id, self.bundle.detail.row.intake_date, self))

    def assign(self) -> None:
        desk = self.desk
        assigned = self.bundle.detail.mediators

        def chosen(roster: list[MediatorInfo]) -> None:
            self.step(AssignDialog(self.runner, desk, self.case_id, roster, assigned, self))

        self.runner.read(lambda: list_mediators(desk), chosen)

    def recuse(self) -> None:
        self.step(RecuseDialog(self.runner, self.desk, self.case_id, self.bundle.detail.mediators, self))

    def _me(self) -> str:
        return self.desk.actor.username or ""

    def _presiding(self) -> str:
        active = [mediator.name for mediator in self.bundle.detail.mediators if not mediator.recused]
        return active[0] if active else self._me()

    def add_investigation(self) -> None:
        self.step(InvestigationDialog(self.runner, self.desk, self.case_id, self._presiding(), self))

    def add_follow_up(self) -> None:
        applicants = [party.name for party in self.bundle.detail.parties if party.role is PartyRole.APPLICANT]
        party = applicants[0] if applicants else ""
        self.step(FollowUpDialog(self.runner, self.desk, self.case_id, party, self._presiding(), self))

    def add_file(self) -> None:
        name, _selected = QFileDialog.getOpenFileName(self, self.tr("Add a file to the case"), str(Path.home()))
        if name:
            self.attach(Path(name))

    def attach(self, path: Path) -> None:
        desk, case_id = self.desk, self.case_id
        self._write(lambda: add_attachment(desk, case_id, path))

    def open_file(self) -> None:
        info = self.attachments.selected()
        if info is None:
            return
        desk = self.desk

        def show(path: Path) -> None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

        self.runner.read(lambda: attachment_file(desk, info.id), show, lambda error: show_error(self, error))

    # -- saving -----------------------------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self.intake.dirty or self.parties_dirty or self.mediators.dirty or self.outcome.dirty

    def _pending_writes(self) -> list[tuple[QWidget, Callable[[], object]]] | None:
        """The service calls that save what changed, or ``None`` when a tab's input has errors (shown)."""
        desk, case_id = self.desk, self.case_id
        writes: list[tuple[QWidget, Callable[[], object]]] = []
        if self.intake.dirty:
            fields = self.intake.value()
            if fields is None:
                self.tabs.setCurrentWidget(self.intake)
                return None
            writes.append((self.intake, lambda: update_case(desk, case_id, fields)))
        if self.parties_dirty:
            entries = self.parties.entries()
            if entries is None:
                self.tabs.setCurrentWidget(self.parties)
                self.parties.first_error()
                return None
            parties = [PartyEntry(party_id, data) for party_id, data in entries]
            writes.append((self.parties, lambda: save_parties(desk, case_id, parties)))
        if self.mediators.dirty:
            recorder = self.mediators.recorder.text()
            writes.append((self.mediators, lambda: set_recorder(desk, case_id, recorder)))
        if self.outcome.dirty and self.outcome.agreement_box.isVisibleTo(self.outcome):  # also from another tab
            self.outcome.clear_errors()
            draft = self.outcome.draft()
            writes.append((self.outcome, lambda: save_agreement_draft(desk, case_id, draft)))
        return writes

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Save every tab with changes, one service call after another; ``then`` once all are saved."""
        if self._saving or not self.save_button.isEnabled():
            return
        writes = self._pending_writes()
        if writes is None:
            return
        self._saving = True
        self._run_writes(writes, then)

    def _run_writes(self, writes: list[tuple[QWidget, Callable[[], object]]], then: Callable[[], None] | None) -> None:
        if not writes:
            self._saving = False
            self._saved()
            if then is not None:
                then()
            return
        page, work = writes[0]

        def done(_result: object) -> None:
            self._clean(page)
            self._run_writes(writes[1:], then)

        self.runner.write(work, done, lambda error: self._save_failed(page, error))

    def _clean(self, page: QWidget) -> None:
        if page is self.intake:
            self.intake.dirty = False
        elif page is self.parties:
            self.parties_dirty = False
        elif page is self.mediators:
            self.mediators.dirty = False
        elif page is self.outcome:
            self.outcome.dirty = False

    def _saved(self) -> None:
        desk, key = self.desk, self.draft_key
        self.runner.read(lambda: drafts.discard_draft(desk, key), lambda _none: None)
        self.reload()

    def _save_failed(self, page: QWidget, error: BaseException) -> None:
        self._saving = False
        self.tabs.setCurrentWidget(page)
        if not isinstance(error, DomainError):
            show_error(self, error)
            return
        shown = False
        if page is self.intake:
            shown = self.intake.show_error(error.field, error.message)
        elif page is self.parties:
            self.parties.set_message(error.message)
            shown = True
        elif page is self.outcome:
            self.outcome.show_error(error.field, error.message)
            shown = True
        elif page is self.mediators:
            self.mediators.recorder_row.set_error(error.message)
            shown = True
        if not shown:
            QMessageBox.warning(self, self.tr("Not saved"), error.message)

    def save_agreement(self) -> None:
        self.outcome.dirty = True
        self.save()

    def save_recorder(self) -> None:
        self.mediators.dirty = True
        self.save()

    # -- drafts -----------------------------------------------------------------------------------------------

    @property
    def draft_key(self) -> str:
        return f"case-{self.case_id.hex}"

    def draft_state(self) -> dict[str, object]:
        agreement = self.outcome.draft()
        return {
            "intake": self.intake.state() if self.intake.dirty else None,
            "parties": self.parties.state() if self.parties_dirty else None,
            "agreement": {"facts": agreement.facts, "terms": agreement.terms} if self.outcome.dirty else None,
        }

    def autosave(self) -> None:
        if not (self.intake.dirty or self.parties_dirty or self.outcome.dirty):
            return
        desk, key, state = self.desk, self.draft_key, self.draft_state()
        self.runner.read(lambda: drafts.save_draft(desk, key, state), lambda _none: None, lambda _error: None)

    def offer_draft(self) -> None:
        """A draft left by a session that ended before saving: offer to bring it back."""
        draft = drafts.load_draft(self.desk, self.draft_key)
        if not draft or not self.save_button.isEnabled():
            return
        if self.ask_restore_draft() != QMessageBox.StandardButton.Yes:
            drafts.discard_draft(self.desk, self.draft_key)
            return
        intake, parties, agreement = draft.get("intake"), draft.get("parties"), draft.get("agreement")
        if isinstance(intake, dict):
            self.intake.restore(intake)
        if isinstance(parties, list) and parties:
            self.parties.restore([card for card in parties if isinstance(card, dict)])
            self.parties_dirty = True
        if isinstance(agreement, dict):
            self.outcome.agreement_facts.setPlainText(str(agreement.get("facts", "")))
            terms = agreement.get("terms")
            self.outcome.terms.set_terms([str(term) for term in terms] if isinstance(terms, list) else [])
            self.outcome.dirty = True
        self._update_title()

    def ask_restore_draft(self) -> QMessageBox.StandardButton:
        return QMessageBox.question(
            self,
            self.tr("Unsaved changes found"),
            self.tr("Changes to this case were not saved last time. Bring them back?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )

    # -- never lose input silently ----------------------------------------------------------------------------

    def ask_discard(self) -> QMessageBox.StandardButton:
        return QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            self.tr("The changes to this case have not been saved. Save them now, or discard them?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )

    def reject(self) -> None:
        if self._saving:
            return
        if self.dirty:
            answer = self.ask_discard()
            if answer == QMessageBox.StandardButton.Save:
                self.save(then=lambda: QDialog.reject(self))
                return
            if answer != QMessageBox.StandardButton.Discard:
                return
            drafts.discard_draft(self.desk, self.draft_key)
        self._autosave.stop()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._saving or self.dirty:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)

    def done(self, result: int) -> None:
        settings.put(settings.CASE_EDITOR_GEOMETRY, self.saveGeometry())
        super().done(result)
        self.deleteLater()

    def _restore_geometry(self) -> None:
        if not self.restoreGeometry(settings.get(settings.CASE_EDITOR_GEOMETRY)):
            screen = self.screen().availableGeometry()
            self.resize(min(1240, screen.width() - 40), min(700, screen.height() - 50))
