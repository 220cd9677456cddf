"""Register a case and its parties (受理登记).

The dialog is built from small sections: intake, the dispute, and the parties (``ui.case_parties``). Every value
is checked by the domain's own rules (``parse_resident_id``, ``normalise_phone``, ``yuan_to_fen``,
``clean_party``) and a failure is shown in Chinese right under the field; saving calls
``services.cases.register_case`` through the single writer. Closing with unsaved input asks first.
``CaseForm.register`` is the testable seam (novelWriter's dialogs): it opens the dialog and returns
``(row, ok)``; tests replace ``exec``. What is typed is kept every few seconds as an encrypted draft of the
signed-in user (``services.drafts``); the next registration offers it back, and saving or discarding drops it.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable

from PySide6.QtCore import QDate, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.codes import CaseSource, PartyRole
from mediation_desk.domain.errors import DomainError, ValidationError
from mediation_desk.domain.intake import CaseInput
from mediation_desk.domain.money import yuan_to_fen
from mediation_desk.services import drafts
from mediation_desk.services.cases import CaseRow, register_case
from mediation_desk.services.desk import Desk
from mediation_desk.ui import settings
from mediation_desk.ui.case_form_fields import category_combo, field_label
from mediation_desk.ui.case_parties import PartiesSection
from mediation_desk.ui.forms import FormScroll
from mediation_desk.ui.icons import icon
from mediation_desk.ui.tasks import TaskRunner, show_error
from mediation_desk.ui.widgets import ERROR_STYLE, FieldRow, combo_value, enum_combo, select_data

AUTOSAVE_MS = 10_000


def draft_key(desk: Desk) -> str:
    """The registration draft of the signed-in user (drafts are files named in ASCII)."""
    who = desk.actor.username or desk.actor.name
    return "register-" + hashlib.sha256(who.encode("utf-8")).hexdigest()[:16]


class CaseForm(QDialog):
    """受理登记: a new case with its parties."""

    def __init__(
        self,
        runner: TaskRunner,
        save: Callable[[CaseInput], CaseRow],
        parent: QWidget | None = None,
        *,
        desk: Desk | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self.setWindowTitle(self.tr("Register a case"))
        self._runner = runner
        self._save = save
        self.saved: CaseRow | None = None
        self._saving = False
        self.fields: dict[str, FieldRow] = {}
        self.parties = PartiesSection()
        self.summary = QLabel()
        self.summary.setStyleSheet(ERROR_STYLE)
        self.summary.setWordWrap(True)
        self.summary.hide()
        self.buttons = self._button_box()
        sections = QWidget()
        left = QVBoxLayout(sections)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self._intake_section())
        left.addWidget(self._dispute_section(), 1)
        columns = QHBoxLayout()
        columns.addWidget(FormScroll(sections), 5)
        columns.addWidget(self.parties, 6)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.parties.cards_changed.connect(self._order_tabs)
        self.parties.add_party(PartyRole.APPLICANT)
        self.parties.add_party(PartyRole.RESPONDENT)
        self._connect_dirty()
        self.dirty = False
        self._restore_geometry()
        self.intake_date.setFocus()
        self._autosave = QTimer(self)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.autosave)
        if desk is not None:
            self._autosave.start()

    @classmethod
    def register(cls, parent: QWidget | None, runner: TaskRunner, desk: Desk) -> tuple[CaseRow | None, bool]:
        """Open the form; return the registered case's row and whether one was saved."""
        dialog = cls(runner, lambda data: register_case(desk, data).value, parent, desk=desk)
        try:
            dialog.offer_draft()
            dialog.exec()
            return dialog.saved, dialog.saved is not None
        finally:
            dialog.deleteLater()

    # -- sections ---------------------------------------------------------------------------------------------

    def _row(self, form: QFormLayout, key: str, label: str, editor: QWidget) -> None:
        row = FieldRow(editor)
        self.fields[key] = row
        form.addRow(field_label(label, editor), row)

    def _intake_section(self) -> QGroupBox:
        box = QGroupBox(self.tr("Intake"))
        form = QFormLayout(box)
        self.intake_date = QDateEdit(QDate.currentDate())
        self.intake_date.setCalendarPopup(True)
        self.intake_date.setDisplayFormat("yyyy-MM-dd")
        self.intake_date.setMaximumDate(QDate.currentDate())
        self.intake_date.setMinimumDate(QDate(1990, 1, 1))
        self._row(form, "intake_date", self.tr("Intake &date"), self.intake_date)
        self.source = enum_combo(CaseSource)
        self.source.currentIndexChanged.connect(self._source_changed)
        self._row(form, "source", self.tr("&Source"), self.source)
        self.referral_body = QLineEdit()
        self.referral_body.setMaxLength(100)
        self.referral_body.setPlaceholderText(self.tr("e.g. the people's court or police station"))
        self._row(form, "referral_body", self.tr("&Referred by"), self.referral_body)
        self.category = category_combo()
        self.category.setPlaceholderText(self.tr("Choose…"))
        self.category.setCurrentIndex(-1)
        self._row(form, "category", self.tr("Dispute &type"), self.category)
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(200)
        self._row(form, "title", self.tr("Case t&itle"), self.title_edit)
        self._source_changed()
        return box

    def _dispute_section(self) -> QGroupBox:
        box = QGroupBox(self.tr("The dispute"))
        form = QFormLayout(box)
        self.place = QLineEdit()
        self.place.setMaxLength(200)
        self._row(form, "place", self.tr("&Place"), self.place)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("0.00")
        self.amount.editingFinished.connect(self._check_amount)
        self._row(form, "amount", self.tr("A&mount (yuan)"), self.amount)
        self.persons = QSpinBox()
        self.persons.setRange(0, 1_000_000)
        self.persons.setSpecialValueText(self.tr("Count the parties"))
        self._row(form, "persons", self.tr("Perso&ns involved"), self.persons)
        self.group_dispute = QCheckBox(self.tr("&Group dispute"))
        form.addRow("", self.group_dispute)
        self.facts = QPlainTextEdit()
        self.facts.setTabChangesFocus(True)
        self.facts.setPlaceholderText(self.tr("What happened, briefly"))
        self._row(form, "facts", self.tr("&Facts"), self.facts)
        self.requests = QPlainTextEdit()
        self.requests.setTabChangesFocus(True)
        self.requests.setPlaceholderText(self.tr("What the applicant asks for"))
        self._row(form, "requests", self.tr("Re&quests"), self.requests)
        return box

    def _button_box(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setIcon(icon("save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setIcon(icon("cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        return buttons

    def _order_tabs(self) -> None:
        """Tab goes down the intake and the dispute, through the party cards, then to the buttons."""
        chain: list[QWidget] = [
            self.intake_date,
            self.source,
            self.referral_body,
            self.category,
            self.title_edit,
            self.place,
            self.amount,
            self.persons,
            self.group_dispute,
            self.facts,
            self.requests,
            *self.parties.focus_chain(),
            *self.buttons.buttons(),
        ]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _connect_dirty(self) -> None:
        for edit in (self.referral_body, self.title_edit, self.place, self.amount):
            edit.textEdited.connect(self._mark_dirty)
        for text in (self.facts, self.requests):
            text.textChanged.connect(self._mark_dirty)
        for combo in (self.source, self.category):
            combo.currentIndexChanged.connect(self._mark_dirty)
        self.intake_date.dateChanged.connect(self._mark_dirty)
        self.persons.valueChanged.connect(self._mark_dirty)
        self.group_dispute.toggled.connect(self._mark_dirty)
        self.parties.edited.connect(self._mark_dirty)

    def _mark_dirty(self) -> None:
        self.dirty = True

    def _source_changed(self) -> None:
        referral = combo_value(self.source, CaseSource) is CaseSource.REFERRAL
        self.referral_body.setEnabled(referral)
        if not referral:
            self.fields["referral_body"].clear()

    def _check_amount(self) -> None:
        self.fields["amount"].clear()
        try:
            yuan_to_fen(self.amount.text())
        except ValidationError as error:
            self.fields["amount"].set_error(error.message)

    # -- collecting and saving --------------------------------------------------------------------------------

    def _clear_errors(self) -> None:
        for row in self.fields.values():
            row.clear()
        self.summary.hide()

    def collect(self) -> CaseInput | None:
        """The case as entered, or ``None`` with every problem shown beside its field."""
        self._clear_errors()
        ok = True
        category = self.category.currentData()
        if not category:
            self.fields["category"].set_error(self.tr("Choose the type of dispute"))
            ok = False
        source = combo_value(self.source, CaseSource) or CaseSource.APPLICATION
        referral = self.referral_body.text().strip() if source is CaseSource.REFERRAL else ""
        if source is CaseSource.REFERRAL and not referral:
            self.fields["referral_body"].set_error(self.tr("Name the body that referred the case"))
            ok = False
        amount = 0
        try:
            amount = yuan_to_fen(self.amount.text())
        except ValidationError as error:
            self.fields["amount"].set_error(error.message)
            ok = False
        parties = self.parties.check()
        if parties is None:
            ok = False
        if not ok or parties is None:
            self._show_summary()
            return None
        return CaseInput(
            intake_date=self.intake_date.date().toPython(),  # type: ignore[arg-type]
            source=source,
            category=str(category),
            parties=parties,
            facts=self.facts.toPlainText().strip(),
            requests=self.requests.toPlainText().strip(),
            title=self.title_edit.text().strip(),
            place=self.place.text().strip(),
            referral_body=referral,
            amount_fen=amount,
            persons=self.persons.value(),
            group_dispute=self.group_dispute.isChecked(),
        )

    def save(self) -> None:
        if self._saving:
            return
        data = self.collect()
        if data is None:
            return
        self._set_saving(True)
        self._runner.write(lambda: self._save(data), self._saved, self._save_failed)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.buttons.setEnabled(not saving)

    def _saved(self, row: CaseRow) -> None:
        self._set_saving(False)
        self.saved = row
        self.dirty = False
        self.discard_draft()
        self.accept()

    def _save_failed(self, error: BaseException) -> None:
        self._set_saving(False)
        if not isinstance(error, DomainError):
            show_error(self, error)
            return
        if error.field == "parties":
            self.parties.set_message(error.message)
        elif error.field in self.fields:
            self.fields[error.field].set_error(error.message)
        else:
            self.summary.setText(error.message)
            self.summary.show()
            return
        self._show_summary()

    def _show_summary(self) -> None:
        self.summary.setText(self.tr("Nothing was saved. Please correct the entries marked in red."))
        self.summary.show()
        first = next((row.editor for row in self.fields.values() if row.has_error), None)
        first = first or self.parties.first_error()
        if first is not None:
            first.setFocus()

    # -- drafts -----------------------------------------------------------------------------------------------

    def state(self) -> dict[str, object]:
        """Everything typed, as typed (not validated), for the autosaved draft."""
        return {
            "intake_date": self.intake_date.date().toString("yyyy-MM-dd"),
            "source": self.source.currentData() or "",
            "referral_body": self.referral_body.text(),
            "category": self.category.currentData() or "",
            "title": self.title_edit.text(),
            "place": self.place.text(),
            "amount": self.amount.text(),
            "persons": self.persons.value(),
            "group_dispute": self.group_dispute.isChecked(),
            "facts": self.facts.toPlainText(),
            "requests": self.requests.toPlainText(),
            "parties": self.parties.state(),
        }

    def restore(self, state: dict[str, object]) -> None:
        self.intake_date.setDate(QDate.fromString(str(state.get("intake_date", "")), "yyyy-MM-dd"))
        select_data(self.source, str(state.get("source", "")))
        select_data(self.category, str(state.get("category", "")))
        for key, edit in (
            ("referral_body", self.referral_body),
            ("title", self.title_edit),
            ("place", self.place),
            ("amount", self.amount),
        ):
            edit.setText(str(state.get(key, "")))
        persons = state.get("persons")
        self.persons.setValue(persons if isinstance(persons, int) else 0)
        self.group_dispute.setChecked(state.get("group_dispute") is True)
        self.facts.setPlainText(str(state.get("facts", "")))
        self.requests.setPlainText(str(state.get("requests", "")))
        cards = state.get("parties")
        if isinstance(cards, list) and cards:
            self.parties.restore([card for card in cards if isinstance(card, dict)])
        self.dirty = True

    def autosave(self) -> None:
        desk = self._desk
        if desk is None or not self.dirty or self._saving:
            return
        key, state = draft_key(desk), self.state()
        self._runner.read(lambda: drafts.save_draft(desk, key, state), lambda _none: None, lambda _error: None)

    def discard_draft(self) -> None:
        if self._desk is not None:
            drafts.discard_draft(self._desk, draft_key(self._desk))

    def offer_draft(self) -> None:
        """A registration left unsaved last time (a crash, a power cut): offer to bring it back."""
        if self._desk is None:
            return
        draft = drafts.load_draft(self._desk, draft_key(self._desk))
        if not draft:
            return
        if self.ask_restore_draft() == QMessageBox.StandardButton.Yes:
            self.restore(draft)
        else:
            self.discard_draft()

    def ask_restore_draft(self) -> QMessageBox.StandardButton:
        return QMessageBox.question(
            self,
            self.tr("Unsaved registration found"),
            self.tr("A case was being registered last time and was not saved. Bring it back?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )

    # -- never lose input silently ----------------------------------------------------------------------------

    def reject(self) -> None:
        if self._saving:
            return
        if self.dirty:
            answer = self.ask_discard()
            if answer == QMessageBox.StandardButton.Save:
                self.save()
                return
            if answer != QMessageBox.StandardButton.Discard:
                return
            self.discard_draft()
        super().reject()

    def ask_discard(self) -> QMessageBox.StandardButton:
        return QMessageBox.question(
            self,
            self.tr("Unsaved case"),
            self.tr("This case has not been saved. Save it now, or discard what you entered?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._saving or self.dirty:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self._autosave.stop()
        settings.put(settings.CASE_FORM_GEOMETRY, self.saveGeometry())
        super().done(result)

    def _restore_geometry(self) -> None:
        if not self.restoreGeometry(settings.get(settings.CASE_FORM_GEOMETRY)):
            screen = self.screen().availableGeometry()
            self.resize(min(1200, screen.width() - 40), min(760, screen.height() - 40))
