"""Register a case and its parties (受理登记).

The dialog is built from small sections (intake, dispute, parties). Every value is checked by the domain's own
rules (``parse_resident_id``, ``normalise_phone``, ``yuan_to_fen``, ``clean_party``) and a failure is shown in
Chinese right under the field; saving calls ``services.cases.register_case`` through the single writer.
Closing with unsaved input asks first. ``CaseForm.register`` is the testable seam (novelWriter's dialogs): it
opens the dialog and returns ``(row, ok)``; tests replace ``exec``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.codes import CaseSource, Gender, IdType, PartyKind, PartyRole, all_categories
from mediation_desk.domain.errors import DomainError, ValidationError
from mediation_desk.domain.identity import normalise_phone, parse_resident_id
from mediation_desk.domain.intake import CaseInput, PartyInput, clean_party
from mediation_desk.domain.money import yuan_to_fen
from mediation_desk.services.cases import CaseRow, register_case
from mediation_desk.services.desk import Desk
from mediation_desk.ui import settings
from mediation_desk.ui.tasks import TaskRunner, show_error
from mediation_desk.ui.widgets import ERROR_STYLE, FieldRow, combo_value, enum_combo, select_data

INDENT = "\u3000\u3000"  # two ideographic spaces before a sub-type in the category list


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    label.setContentsMargins(0, 4, 0, 0)
    return label


def category_combo(parent: QWidget | None = None) -> QComboBox:
    """The 15 reporting categories with their local sub-types indented below each."""
    combo = QComboBox(parent)
    table = all_categories().values()
    for top in (category for category in table if category.parent is None):
        combo.addItem(top.name, top.code)
        for sub in (category for category in table if category.parent == top.code):
            combo.addItem(INDENT + sub.name, sub.code)
    combo.setMaxVisibleItems(24)
    return combo


class PartyEditor(QGroupBox):
    """One party: role, kind, name, gender, ID type and number, phone, address."""

    remove_requested = Signal(object)
    edited = Signal()

    def __init__(self, role: PartyRole, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role_combo = enum_combo(PartyRole)
        select_data(self.role_combo, role)
        self.kind_combo = enum_combo(PartyKind)
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(100)
        self.gender_combo = enum_combo(Gender, blank=self.tr("Not given"))
        self.id_type_combo = enum_combo(IdType)
        self.id_number_edit = QLineEdit()
        self.id_number_edit.setMaxLength(40)
        self.phone_edit = QLineEdit()
        self.phone_edit.setMaxLength(40)
        self.address_edit = QLineEdit()
        self.address_edit.setMaxLength(200)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setToolTip(self.tr("Remove this party from the case"))
        for combo, characters in (
            (self.role_combo, 4),
            (self.kind_combo, 5),
            (self.gender_combo, 3),
            (self.id_type_combo, 8),
        ):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(characters)
        self.fields = {
            "name": FieldRow(self.name_edit),
            "gender": FieldRow(self.gender_combo),
            "id_number": FieldRow(self.id_number_edit),
            "phone": FieldRow(self.phone_edit),
            "address": FieldRow(self.address_edit),
        }
        self._lay_out()
        self._connect()

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        top = Qt.AlignmentFlag.AlignTop
        cells: list[tuple[QWidget, int, int, int]] = [  # widget, row, column, columns spanned
            (_label(self.tr("&Role"), self.role_combo), 0, 0, 1),
            (self.role_combo, 0, 1, 1),
            (_label(self.tr("Kind"), self.kind_combo), 0, 2, 1),
            (self.kind_combo, 0, 3, 1),
            (_label(self.tr("Gender"), self.gender_combo), 0, 4, 1),
            (self.fields["gender"], 0, 5, 1),
            (self.remove_button, 0, 6, 1),
            (_label(self.tr("Name"), self.name_edit), 1, 0, 1),
            (self.fields["name"], 1, 1, 3),
            (_label(self.tr("Phone"), self.phone_edit), 1, 4, 1),
            (self.fields["phone"], 1, 5, 2),
            (_label(self.tr("ID type"), self.id_type_combo), 2, 0, 1),
            (self.id_type_combo, 2, 1, 1),
            (_label(self.tr("ID number"), self.id_number_edit), 2, 2, 1),
            (self.fields["id_number"], 2, 3, 4),
            (_label(self.tr("Address"), self.address_edit), 3, 0, 1),
            (self.fields["address"], 3, 1, 6),
        ]
        for widget, row, column, span in cells:
            left = Qt.AlignmentFlag.AlignLeft if widget is self.fields["gender"] else Qt.AlignmentFlag(0)
            grid.addWidget(widget, row, column, 1, span, top | left)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 2)
        grid.setColumnStretch(5, 5)

    def _connect(self) -> None:
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        self.id_number_edit.editingFinished.connect(self._check_id_number)
        self.phone_edit.editingFinished.connect(self._check_phone)
        for edit in (self.name_edit, self.id_number_edit, self.phone_edit, self.address_edit):
            edit.textEdited.connect(self.edited)
        for combo in (self.role_combo, self.kind_combo, self.gender_combo, self.id_type_combo):
            combo.currentIndexChanged.connect(self.edited)

    # -- values -----------------------------------------------------------------------------------------------

    @property
    def role(self) -> PartyRole:
        return combo_value(self.role_combo, PartyRole) or PartyRole.APPLICANT

    def value(self) -> PartyInput:
        """What is entered, as the service takes it (not yet validated)."""
        return PartyInput(
            name=self.name_edit.text(),
            role=self.role,
            kind=combo_value(self.kind_combo, PartyKind) or PartyKind.PERSON,
            gender=combo_value(self.gender_combo, Gender),
            id_type=combo_value(self.id_type_combo, IdType) or IdType.RESIDENT_ID,
            id_number=self.id_number_edit.text(),
            phone=self.phone_edit.text(),
            address=self.address_edit.text().strip(),
        )

    def is_blank(self) -> bool:
        return not any(
            edit.text().strip() for edit in (self.name_edit, self.id_number_edit, self.phone_edit, self.address_edit)
        )

    def check(self) -> PartyInput | None:
        """Validate with the domain's rules; show every failure under its field."""
        self.clear_errors()
        self._check_id_number()
        self._check_phone()
        try:
            clean_party(PartyInput(name=self.name_edit.text()))  # the name rules on their own
        except ValidationError as error:
            self.show_error("name", error.message)
        if self.first_error() is not None:
            return None
        try:  # and the rules across fields (gender and birth date against the ID number)
            return clean_party(self.value())
        except ValidationError as error:
            self.show_error(error.field, error.message)
            return None

    def show_error(self, field: str | None, message: str) -> None:
        target = {"birth_date": "id_number"}.get(field or "", field or "name")
        self.fields.get(target, self.fields["name"]).set_error(message)

    def clear_errors(self) -> None:
        for row in self.fields.values():
            row.clear()

    def first_error(self) -> QWidget | None:
        for row in self.fields.values():
            if row.has_error:
                return row.editor
        return None

    # -- checks as the user leaves a field --------------------------------------------------------------------

    def _check_id_number(self) -> None:
        row = self.fields["id_number"]
        row.clear()
        text = self.id_number_edit.text().strip()
        id_type = combo_value(self.id_type_combo, IdType) or IdType.RESIDENT_ID
        if not text or not id_type.is_gb11643:
            return
        try:
            parsed = parse_resident_id(text)
        except ValidationError as error:
            row.set_error(error.message)
            return
        if parsed.number != self.id_number_edit.text():
            self.id_number_edit.setText(parsed.number)
        if self.gender_combo.currentData() is None:
            select_data(self.gender_combo, parsed.gender)
        if parsed.warnings:
            row.set_hint("；".join(parsed.warnings))

    def _check_phone(self) -> None:
        row = self.fields["phone"]
        row.clear()
        text = self.phone_edit.text().strip()
        if not text:
            return
        try:
            phone = normalise_phone(text)
        except ValidationError as error:
            row.set_error(error.message)
            return
        if phone != self.phone_edit.text():
            self.phone_edit.setText(phone)


class PartiesSection(QWidget):
    """The parties of the case: applicants, respondents and third parties, added and removed by the user."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editors: list[PartyEditor] = []
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        self._list = QVBoxLayout()
        self._list.setSpacing(8)
        self._list.addStretch(1)
        holder = QWidget()
        holder.setLayout(self._list)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setWidget(holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._buttons())
        layout.addWidget(self.message)
        layout.addWidget(self._scroll, 1)

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        title = QLabel(self.tr("Parties"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        row.addWidget(title)
        row.addStretch(1)
        self.add_buttons: dict[PartyRole, QPushButton] = {}
        labels = {
            PartyRole.APPLICANT: self.tr("Add &applicant"),
            PartyRole.RESPONDENT: self.tr("Add r&espondent"),
            PartyRole.THIRD_PARTY: self.tr("Add &third party"),
        }
        for role, text in labels.items():
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, role=role: self.add_party(role, focus=True))
            row.addWidget(button)
            self.add_buttons[role] = button
        return row

    def add_party(self, role: PartyRole, *, focus: bool = False) -> PartyEditor:
        editor = PartyEditor(role)
        editor.remove_requested.connect(self._remove)
        editor.edited.connect(self._edited)
        self.editors.append(editor)
        self._list.insertWidget(self._list.count() - 1, editor)
        self._retitle()
        if focus:
            editor.name_edit.setFocus()
            self._scroll.ensureWidgetVisible(editor)
            self.edited.emit()
        return editor

    def _remove(self, editor: PartyEditor) -> None:
        self.editors.remove(editor)
        self._list.removeWidget(editor)
        editor.deleteLater()
        self._retitle()
        self.edited.emit()

    def _edited(self) -> None:
        self._retitle()
        self.edited.emit()

    def _retitle(self) -> None:
        counts: dict[PartyRole, int] = {}
        for editor in self.editors:
            counts[editor.role] = counts.get(editor.role, 0) + 1
            editor.setTitle(f"{editor.role.label} {counts[editor.role]}")

    def set_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def check(self) -> list[PartyInput] | None:
        """The parties entered (blank cards ignored), or ``None`` when any has an error (shown in place)."""
        self.set_message("")
        parties: list[PartyInput] = []
        ok = True
        for editor in self.editors:
            if editor.is_blank():
                editor.clear_errors()
                continue
            party = editor.check()
            if party is None:
                ok = False
            else:
                parties.append(party)
        return parties if ok else None

    def first_error(self) -> QWidget | None:
        for editor in self.editors:
            widget = editor.first_error()
            if widget is not None:
                self._scroll.ensureWidgetVisible(editor)
                return widget
        return None


class CaseForm(QDialog):
    """受理登记: a new case with its parties."""

    def __init__(
        self,
        runner: TaskRunner,
        save: Callable[[CaseInput], CaseRow],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
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
        left = QVBoxLayout()
        left.addWidget(self._intake_section())
        left.addWidget(self._dispute_section(), 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addWidget(self.parties, 6)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.parties.add_party(PartyRole.APPLICANT)
        self.parties.add_party(PartyRole.RESPONDENT)
        self._connect_dirty()
        self.dirty = False
        self._restore_geometry()
        self.intake_date.setFocus()

    @classmethod
    def register(cls, parent: QWidget | None, runner: TaskRunner, desk: Desk) -> tuple[CaseRow | None, bool]:
        """Open the form; return the registered case's row and whether one was saved."""
        dialog = cls(runner, lambda data: register_case(desk, data).value, parent)
        try:
            dialog.exec()
            return dialog.saved, dialog.saved is not None
        finally:
            dialog.deleteLater()

    # -- sections ---------------------------------------------------------------------------------------------

    def _row(self, form: QFormLayout, key: str, label: str, editor: QWidget) -> None:
        row = FieldRow(editor)
        self.fields[key] = row
        form.addRow(_label(label, editor), row)

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
        self._row(form, "referral_body", self.tr("Referred by"), self.referral_body)
        self.category = category_combo()
        self.category.setPlaceholderText(self.tr("Choose…"))
        self.category.setCurrentIndex(-1)
        self._row(form, "category", self.tr("Dispute &type"), self.category)
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(200)
        self._row(form, "title", self.tr("Case title"), self.title_edit)
        self._source_changed()
        return box

    def _dispute_section(self) -> QGroupBox:
        box = QGroupBox(self.tr("The dispute"))
        form = QFormLayout(box)
        self.place = QLineEdit()
        self.place.setMaxLength(200)
        self._row(form, "place", self.tr("Place"), self.place)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("0.00")
        self.amount.editingFinished.connect(self._check_amount)
        self._row(form, "amount", self.tr("Amount (yuan)"), self.amount)
        self.persons = QSpinBox()
        self.persons.setRange(0, 1_000_000)
        self.persons.setSpecialValueText(self.tr("Count the parties"))
        self._row(form, "persons", self.tr("Persons involved"), self.persons)
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
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        return buttons

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
        settings.put(settings.CASE_FORM_GEOMETRY, self.saveGeometry())
        super().done(result)

    def _restore_geometry(self) -> None:
        if not self.restoreGeometry(settings.get(settings.CASE_FORM_GEOMETRY)):
            screen = self.screen().availableGeometry()
            self.resize(min(1200, screen.width() - 40), min(700, screen.height() - 40))
