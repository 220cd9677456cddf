"""The case editor's tabs: particulars (editable), mediators and recorder, records, attachments, history.

Each editable tab keeps a ``dirty`` flag and gives its input as the service takes it, or ``None`` with every
error shown under its field. Read-only lists show a line saying what to do when they are empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.codes import CaseSource, RiskFlag
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.money import fen_to_yuan_text, yuan_to_fen
from mediation_desk.services.cases import AssignedMediator, CaseDetail, HistoryEntry
from mediation_desk.services.casework import CaseFields
from mediation_desk.ui.case_form_fields import category_combo, field_label
from mediation_desk.ui.forms import FormScroll, date_edit, line, text_box
from mediation_desk.ui.widgets import FieldRow, combo_value, enum_combo, select_data

CONTEXT = "CaseTabs"

OPERATIONS = {
    "cases.register": QT_TRANSLATE_NOOP("CaseTabs", "Case registered"),
    "cases.accept": QT_TRANSLATE_NOOP("CaseTabs", "Case accepted"),
    "cases.refuse": QT_TRANSLATE_NOOP("CaseTabs", "Case refused"),
    "cases.assign": QT_TRANSLATE_NOOP("CaseTabs", "Mediators assigned"),
    "cases.recuse": QT_TRANSLATE_NOOP("CaseTabs", "Mediator stepped aside"),
    "cases.recorder": QT_TRANSLATE_NOOP("CaseTabs", "Recorder set"),
    "cases.investigation": QT_TRANSLATE_NOOP("CaseTabs", "Investigation recorded"),
    "cases.session": QT_TRANSLATE_NOOP("CaseTabs", "Mediation session recorded"),
    "cases.conclude": QT_TRANSLATE_NOOP("CaseTabs", "Mediation concluded"),
    "cases.agreement_draft": QT_TRANSLATE_NOOP("CaseTabs", "Agreement written"),
    "cases.follow_up": QT_TRANSLATE_NOOP("CaseTabs", "Follow-up visit recorded"),
    "cases.judicial_confirmation": QT_TRANSLATE_NOOP("CaseTabs", "Judicial confirmation recorded"),
    "cases.close": QT_TRANSLATE_NOOP("CaseTabs", "Case closed"),
    "cases.edit": QT_TRANSLATE_NOOP("CaseTabs", "Case corrected"),
    "cases.parties": QT_TRANSLATE_NOOP("CaseTabs", "Parties corrected"),
    "cases.attachment": QT_TRANSLATE_NOOP("CaseTabs", "Attachment added"),
    "ledger.import": QT_TRANSLATE_NOOP("CaseTabs", "Imported from a ledger"),
    "demo.create": QT_TRANSLATE_NOOP("CaseTabs", "Demo data generated"),
    "sync.import": QT_TRANSLATE_NOOP("CaseTabs", "Merged from a sync file"),
}

TABLES = {
    "dispute_case": QT_TRANSLATE_NOOP("CaseTabs", "Case"),
    "party": QT_TRANSLATE_NOOP("CaseTabs", "Party"),
    "case_mediator": QT_TRANSLATE_NOOP("CaseTabs", "Mediator"),
    "investigation_record": QT_TRANSLATE_NOOP("CaseTabs", "Investigation record"),
    "session_record": QT_TRANSLATE_NOOP("CaseTabs", "Session record"),
    "outcome": QT_TRANSLATE_NOOP("CaseTabs", "Outcome"),
    "agreement": QT_TRANSLATE_NOOP("CaseTabs", "Agreement"),
    "follow_up": QT_TRANSLATE_NOOP("CaseTabs", "Follow-up visit"),
    "judicial_confirmation": QT_TRANSLATE_NOOP("CaseTabs", "Judicial confirmation"),
    "attachment": QT_TRANSLATE_NOOP("CaseTabs", "Attachment"),
}

ACTIONS = {
    "insert": QT_TRANSLATE_NOOP("CaseTabs", "added"),
    "update": QT_TRANSLATE_NOOP("CaseTabs", "changed"),
    "delete": QT_TRANSLATE_NOOP("CaseTabs", "deleted"),
}

FIELDS = {
    "status": QT_TRANSLATE_NOOP("CaseTabs", "status"),
    "closing_date": QT_TRANSLATE_NOOP("CaseTabs", "closing date"),
    "intake_date": QT_TRANSLATE_NOOP("CaseTabs", "intake date"),
    "amount_fen": QT_TRANSLATE_NOOP("CaseTabs", "amount"),
    "facts": QT_TRANSLATE_NOOP("CaseTabs", "facts"),
    "requests": QT_TRANSLATE_NOOP("CaseTabs", "requests"),
    "title": QT_TRANSLATE_NOOP("CaseTabs", "title"),
    "place": QT_TRANSLATE_NOOP("CaseTabs", "place"),
    "category": QT_TRANSLATE_NOOP("CaseTabs", "dispute type"),
    "subtype": QT_TRANSLATE_NOOP("CaseTabs", "dispute type"),
    "source": QT_TRANSLATE_NOOP("CaseTabs", "source"),
    "referral_body": QT_TRANSLATE_NOOP("CaseTabs", "referred by"),
    "persons": QT_TRANSLATE_NOOP("CaseTabs", "persons involved"),
    "group_dispute": QT_TRANSLATE_NOOP("CaseTabs", "group dispute"),
    "risk_flags": QT_TRANSLATE_NOOP("CaseTabs", "risks"),
    "recorder": QT_TRANSLATE_NOOP("CaseTabs", "recorder"),
    "notes": QT_TRANSLATE_NOOP("CaseTabs", "notes"),
    "name": QT_TRANSLATE_NOOP("CaseTabs", "name"),
    "gender": QT_TRANSLATE_NOOP("CaseTabs", "gender"),
    "birth_date": QT_TRANSLATE_NOOP("CaseTabs", "birth date"),
    "phone": QT_TRANSLATE_NOOP("CaseTabs", "phone"),
    "address": QT_TRANSLATE_NOOP("CaseTabs", "address"),
    "id_number": QT_TRANSLATE_NOOP("CaseTabs", "ID number"),
    "agent_name": QT_TRANSLATE_NOOP("CaseTabs", "agent"),
    "agent_phone": QT_TRANSLATE_NOOP("CaseTabs", "agent's phone"),
    "role": QT_TRANSLATE_NOOP("CaseTabs", "role"),
    "performance": QT_TRANSLATE_NOOP("CaseTabs", "performance"),
    "refusal_reason": QT_TRANSLATE_NOOP("CaseTabs", "reason for refusal"),
    "recused": QT_TRANSLATE_NOOP("CaseTabs", "step-aside"),
    "terms": QT_TRANSLATE_NOOP("CaseTabs", "terms"),
    "state": QT_TRANSLATE_NOOP("CaseTabs", "state"),
}

RECORD_KINDS = {
    "investigation": QT_TRANSLATE_NOOP("CaseTabs", "Investigation"),
    "session": QT_TRANSLATE_NOOP("CaseTabs", "Mediation session"),
    "follow_up": QT_TRANSLATE_NOOP("CaseTabs", "Follow-up visit"),
    "judicial_confirmation": QT_TRANSLATE_NOOP("CaseTabs", "Judicial confirmation"),
}


def _tr(text: object) -> str:
    return QCoreApplication.translate(CONTEXT, str(text))


def when_text(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def history_text(entry: HistoryEntry) -> tuple[str, str, str]:
    """(operation, what, which fields) of an audit entry, in the interface language."""
    operation = _tr(OPERATIONS[entry.operation]) if entry.operation in OPERATIONS else entry.operation
    table = _tr(TABLES[entry.table]) if entry.table in TABLES else entry.table
    action = _tr(ACTIONS[entry.action]) if entry.action in ACTIONS else entry.action
    fields = ""
    if entry.action == "update":
        fields = "、".join(dict.fromkeys(_tr(FIELDS[name]) for name in entry.fields if name in FIELDS))
    change = QCoreApplication.translate(CONTEXT, "{table} {action}").format(table=table, action=action)
    return operation, change, fields


def who(actor: str) -> str:
    """The person in an audit entry: the account name of ``gui:name`` or ``cli:name``."""
    return actor.split(":", 1)[1] if ":" in actor else actor


class ListPanel(QWidget):
    """A read-only table, or a line saying what to do while it is empty."""

    activated = Signal(int)

    def __init__(self, headers: Sequence[str], empty: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellActivated.connect(lambda row, _column: self.activated.emit(row))
        self.empty = QLabel(empty)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #555;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        self.table.setRowCount(len(rows))
        for row_number, row in enumerate(rows):
            for column, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setToolTip(text if len(text) > 16 else "")
                self.table.setItem(row_number, column, item)
        self.table.resizeColumnsToContents()
        for column in range(self.table.columnCount() - 1):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column) + 12, 300))
        self.stack.setCurrentIndex(0 if rows else 1)

    def current_row(self) -> int:
        return self.table.currentRow()


def button(name: str, text: str) -> QPushButton:
    from mediation_desk.ui.icons import icon

    return QPushButton(icon(name), text)


class IntakeTab(QWidget):
    """受理登记: the case's particulars, editable until the case is closed."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dirty = False
        self._filling = False
        self.fields: dict[str, FieldRow] = {}
        self.intake_date = date_edit()
        self.source = enum_combo(CaseSource)
        self.referral_body = line(100, self.tr("e.g. the people's court or police station"))
        self.category = category_combo()
        self.title_edit = line(200)
        self.place = line(200)
        self.amount = line(20, "0.00")
        self.persons = QSpinBox()
        self.persons.setRange(0, 1_000_000)
        self.group_dispute = QCheckBox(self.tr("&Group dispute"))
        self.risks = {flag: QCheckBox(flag.label) for flag in RiskFlag}
        self.facts = text_box(self.tr("What happened, briefly"), 4)
        self.requests = text_box(self.tr("What the applicant asks for"), 3)
        self.notes = text_box("", 2)
        self._lay_out()
        self.source.currentIndexChanged.connect(self._source_changed)
        self._connect_dirty()

    def _row(self, form: QFormLayout, key: str, label: str, editor: QWidget, check: Any = None) -> None:
        row = FieldRow(editor, check=check)
        self.fields[key] = row
        form.addRow(field_label(label, editor), row)

    def _lay_out(self) -> None:
        left = QFormLayout()
        self._row(left, "intake_date", self.tr("Intake &date"), self.intake_date)
        self._row(left, "source", self.tr("&Source"), self.source)
        self._row(left, "referral_body", self.tr("Referred b&y"), self.referral_body)
        self._row(left, "category", self.tr("Dispute &type"), self.category)
        self._row(left, "title", self.tr("Case tit&le"), self.title_edit)
        self._row(left, "place", self.tr("&Place"), self.place)
        self._row(left, "amount", self.tr("&Amount (yuan)"), self.amount, self._amount_problem)
        self._row(left, "persons", self.tr("Persons &involved"), self.persons)
        left.addRow("", self.group_dispute)
        risks = QGroupBox(self.tr("Risks"))
        grid = QGridLayout(risks)
        for position, box in enumerate(self.risks.values()):
            grid.addWidget(box, position // 2, position % 2)
        left.addRow("", risks)
        right = QFormLayout()
        self._row(right, "facts", self.tr("&Facts"), self.facts)
        self._row(right, "requests", self.tr("Re&quests"), self.requests)
        self._row(right, "notes", self.tr("&Notes"), self.notes)
        body = QWidget()
        columns = QHBoxLayout(body)
        columns.addLayout(left, 5)
        columns.addLayout(right, 6)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(FormScroll(body))  # scrolls on a small screen (1366×768 at 125%)

    def _connect_dirty(self) -> None:
        for edit in (self.referral_body, self.title_edit, self.place, self.amount):
            edit.textEdited.connect(self._mark)
        for text in (self.facts, self.requests, self.notes):
            text.textChanged.connect(self._mark)
        for combo in (self.source, self.category):
            combo.currentIndexChanged.connect(self._mark)
        self.intake_date.dateChanged.connect(self._mark)
        self.persons.valueChanged.connect(self._mark)
        for box in (self.group_dispute, *self.risks.values()):
            box.toggled.connect(self._mark)

    def _mark(self, *_args: object) -> None:
        if not self._filling:
            self.dirty = True
            self.edited.emit()

    def _source_changed(self) -> None:
        referral = combo_value(self.source, CaseSource) is CaseSource.REFERRAL
        self.referral_body.setEnabled(referral and self.isEnabled())

    def _amount_problem(self) -> str | None:
        try:
            yuan_to_fen(self.amount.text())
        except ValidationError as error:
            return error.message
        return None

    def fill(self, detail: CaseDetail, notes: str) -> None:
        self._filling = True
        try:
            row = detail.row
            self.intake_date.setDate(QDate(row.intake_date.year, row.intake_date.month, row.intake_date.day))
            select_data(self.source, row.source)
            self.referral_body.setText(detail.referral_body)
            select_data(self.category, detail.subtype or row.category)
            self.title_edit.setText(detail.title)
            self.place.setText(detail.place)
            self.amount.setText(fen_to_yuan_text(row.amount_fen) if row.amount_fen else "")
            self.persons.setValue(detail.persons)
            self.group_dispute.setChecked(detail.group_dispute)
            for flag, box in self.risks.items():
                box.setChecked(flag in detail.risk_flags)
            self.facts.setPlainText(detail.facts)
            self.requests.setPlainText(detail.requests)
            self.notes.setPlainText(notes)
            self._source_changed()
        finally:
            self._filling = False
        self.dirty = False

    def value(self) -> CaseFields | None:
        """The particulars entered, or ``None`` with every error under its field."""
        for row in self.fields.values():
            row.clear()
        problem = self._amount_problem()
        if problem:
            self.fields["amount"].set_error(problem)
        source = combo_value(self.source, CaseSource) or CaseSource.APPLICATION
        if source is CaseSource.REFERRAL and not self.referral_body.text().strip():
            self.fields["referral_body"].set_error(self.tr("Name the body that referred the case"))
        if any(row.has_error for row in self.fields.values()):
            return None
        return CaseFields(
            intake_date=self.intake_date.date().toPython(),  # type: ignore[arg-type]
            source=source,
            category=str(self.category.currentData()),
            facts=self.facts.toPlainText(),
            requests=self.requests.toPlainText(),
            title=self.title_edit.text(),
            place=self.place.text(),
            referral_body=self.referral_body.text(),
            amount_fen=yuan_to_fen(self.amount.text()),
            persons=self.persons.value(),
            group_dispute=self.group_dispute.isChecked(),
            risk_flags=[flag for flag, box in self.risks.items() if box.isChecked()],
            notes=self.notes.toPlainText(),
        )

    def show_error(self, field: str | None, message: str) -> bool:
        row = self.fields.get(field or "")
        if row is None:
            return False
        row.set_error(message)
        row.editor.setFocus()
        return True

    def state(self) -> dict[str, object]:
        """What is typed, for the autosaved draft."""
        return {
            "facts": self.facts.toPlainText(),
            "requests": self.requests.toPlainText(),
            "notes": self.notes.toPlainText(),
            "title": self.title_edit.text(),
            "place": self.place.text(),
            "amount": self.amount.text(),
            "referral_body": self.referral_body.text(),
        }

    def restore(self, state: dict[str, object]) -> None:
        for key, edit in (
            ("title", self.title_edit),
            ("place", self.place),
            ("amount", self.amount),
            ("referral_body", self.referral_body),
        ):
            if isinstance(state.get(key), str):
                edit.setText(str(state[key]))
        for key, box in (("facts", self.facts), ("requests", self.requests), ("notes", self.notes)):
            if isinstance(state.get(key), str):
                box.setPlainText(str(state[key]))
        self.dirty = True


class MediatorsTab(QWidget):
    """The mediators assigned (presiding first), step-aside requests, and the recorder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dirty = False
        self.assign_button = button("assign", self.tr("&Assign mediators…"))
        self.recuse_button = button("recuse", self.tr("Step a&side…"))
        self.list = ListPanel(
            [self.tr("Name"), self.tr("Role"), self.tr("Chosen by"), self.tr("Assigned on"), self.tr("Stepped aside")],
            self.tr("No mediator assigned yet. Use “Assign mediators” once the case is accepted."),
        )
        self.recorder = QLineEdit()
        self.recorder.setMaxLength(50)
        self.recorder.textEdited.connect(self._mark)
        self.recorder_row = FieldRow(self.recorder)
        self.save_recorder = button("save", self.tr("Save &recorder"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.assign_button)
        buttons.addWidget(self.recuse_button)
        buttons.addStretch(1)
        recorder = QHBoxLayout()
        recorder.addWidget(field_label(self.tr("Recorder"), self.recorder))
        recorder.addWidget(self.recorder_row, 1)
        recorder.addWidget(self.save_recorder)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)
        layout.addLayout(recorder)

    def _mark(self) -> None:
        self.dirty = True

    def fill(self, detail: CaseDetail) -> None:
        rows = [
            [
                mediator.name,
                mediator.role.label,
                self.tr("the parties") if mediator.chosen_by_parties else self.tr("the committee"),
                mediator.assigned_on.isoformat(),
                self._stepped_aside(mediator),
            ]
            for mediator in detail.mediators
        ]
        self.list.set_rows(rows)
        if not self.dirty:
            self.recorder.setText(detail.recorder)

    def _stepped_aside(self, mediator: AssignedMediator) -> str:
        if not mediator.recused:
            return ""
        if not mediator.recusal_reason:
            return self.tr("Yes")
        return self.tr("Yes: {reason}").format(reason=mediator.recusal_reason)


class RecordsTab(QWidget):
    """Investigation and session records, follow-up visits and the judicial confirmation, oldest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.investigation_button = button("investigation", self.tr("Add &investigation…"))
        self.session_button = button("session", self.tr("Add &session…"))
        self.follow_up_button = button("follow_up", self.tr("Add &follow-up visit…"))
        self.confirmation_button = button("court", self.tr("&Judicial confirmation…"))
        self.list = ListPanel(
            [self.tr("Date"), self.tr("Kind"), self.tr("Summary"), self.tr("Content")],
            self.tr("No investigation, session or follow-up recorded yet. Add them with the buttons above."),
        )
        buttons = QHBoxLayout()
        for widget in (self.investigation_button, self.session_button, self.follow_up_button, self.confirmation_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)

    def fill(self, detail: CaseDetail) -> None:
        rows = [
            [
                when_text(record.when),
                _tr(RECORD_KINDS[record.kind]) if record.kind in RECORD_KINDS else record.kind,
                record.summary,
                " ".join(record.body.split()),
            ]
            for record in detail.records
        ]
        self.list.set_rows(rows)


class HistoryTab(QWidget):
    """Who changed what and when, by the signed-in user's name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = ListPanel(
            [self.tr("Time"), self.tr("By"), self.tr("Operation"), self.tr("Change"), self.tr("Fields")],
            self.tr("No history recorded."),
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        self.list.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def fill(self, history: Sequence[HistoryEntry]) -> None:
        self.list.set_rows([[when_text(entry.at), who(entry.actor), *history_text(entry)] for entry in history])
