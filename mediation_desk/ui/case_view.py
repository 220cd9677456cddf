"""A case, read-only: its particulars, parties, mediators, records, outcome and history (audit trail).

Editing sessions and outcomes comes later; this view shows what the services return (``CaseDetail`` and
``HistoryEntry`` values), nothing more.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.money import fen_to_yuan_text
from mediation_desk.services.cases import CaseDetail, HistoryEntry, case_history, get_case
from mediation_desk.services.desk import Desk
from mediation_desk.ui import settings
from mediation_desk.ui.tasks import TaskRunner

CONTEXT = "CaseView"

OPERATIONS = {
    "cases.register": QT_TRANSLATE_NOOP("CaseView", "Case registered"),
    "cases.accept": QT_TRANSLATE_NOOP("CaseView", "Case accepted"),
    "cases.refuse": QT_TRANSLATE_NOOP("CaseView", "Case refused"),
    "cases.assign": QT_TRANSLATE_NOOP("CaseView", "Mediators assigned"),
    "cases.investigation": QT_TRANSLATE_NOOP("CaseView", "Investigation recorded"),
    "cases.session": QT_TRANSLATE_NOOP("CaseView", "Mediation session recorded"),
    "cases.conclude": QT_TRANSLATE_NOOP("CaseView", "Mediation concluded"),
    "cases.follow_up": QT_TRANSLATE_NOOP("CaseView", "Follow-up visit recorded"),
    "cases.judicial_confirmation": QT_TRANSLATE_NOOP("CaseView", "Judicial confirmation recorded"),
    "cases.close": QT_TRANSLATE_NOOP("CaseView", "Case closed"),
    "ledger.import": QT_TRANSLATE_NOOP("CaseView", "Imported from a ledger"),
    "demo.create": QT_TRANSLATE_NOOP("CaseView", "Demo data generated"),
    "sync.import": QT_TRANSLATE_NOOP("CaseView", "Merged from a sync file"),
}

TABLES = {
    "dispute_case": QT_TRANSLATE_NOOP("CaseView", "Case"),
    "party": QT_TRANSLATE_NOOP("CaseView", "Party"),
    "case_mediator": QT_TRANSLATE_NOOP("CaseView", "Mediator"),
    "investigation_record": QT_TRANSLATE_NOOP("CaseView", "Investigation record"),
    "session_record": QT_TRANSLATE_NOOP("CaseView", "Session record"),
    "outcome": QT_TRANSLATE_NOOP("CaseView", "Outcome"),
    "agreement": QT_TRANSLATE_NOOP("CaseView", "Agreement"),
    "follow_up": QT_TRANSLATE_NOOP("CaseView", "Follow-up visit"),
    "judicial_confirmation": QT_TRANSLATE_NOOP("CaseView", "Judicial confirmation"),
    "attachment": QT_TRANSLATE_NOOP("CaseView", "Attachment"),
}

ACTIONS = {
    "insert": QT_TRANSLATE_NOOP("CaseView", "added"),
    "update": QT_TRANSLATE_NOOP("CaseView", "changed"),
    "delete": QT_TRANSLATE_NOOP("CaseView", "deleted"),
}

FIELDS = {
    "status": QT_TRANSLATE_NOOP("CaseView", "status"),
    "closing_date": QT_TRANSLATE_NOOP("CaseView", "closing date"),
    "amount_fen": QT_TRANSLATE_NOOP("CaseView", "amount"),
    "facts": QT_TRANSLATE_NOOP("CaseView", "facts"),
    "requests": QT_TRANSLATE_NOOP("CaseView", "requests"),
    "title": QT_TRANSLATE_NOOP("CaseView", "title"),
    "place": QT_TRANSLATE_NOOP("CaseView", "place"),
    "category": QT_TRANSLATE_NOOP("CaseView", "dispute type"),
    "subtype": QT_TRANSLATE_NOOP("CaseView", "dispute type"),
    "persons": QT_TRANSLATE_NOOP("CaseView", "persons involved"),
    "notes": QT_TRANSLATE_NOOP("CaseView", "notes"),
    "name": QT_TRANSLATE_NOOP("CaseView", "name"),
    "phone": QT_TRANSLATE_NOOP("CaseView", "phone"),
    "address": QT_TRANSLATE_NOOP("CaseView", "address"),
    "id_number": QT_TRANSLATE_NOOP("CaseView", "ID number"),
    "performance": QT_TRANSLATE_NOOP("CaseView", "performance"),
    "refusal_reason": QT_TRANSLATE_NOOP("CaseView", "reason for refusal"),
    "recused": QT_TRANSLATE_NOOP("CaseView", "recusal"),
}

RECORD_KINDS = {
    "investigation": QT_TRANSLATE_NOOP("CaseView", "Investigation"),
    "session": QT_TRANSLATE_NOOP("CaseView", "Mediation session"),
    "follow_up": QT_TRANSLATE_NOOP("CaseView", "Follow-up visit"),
    "judicial_confirmation": QT_TRANSLATE_NOOP("CaseView", "Judicial confirmation"),
}


def _tr(text: object) -> str:
    return QCoreApplication.translate(CONTEXT, str(text))


def _when(value: datetime | date) -> str:
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
        names = dict.fromkeys(_tr(FIELDS[name]) for name in entry.fields if name in FIELDS)
        fields = "、".join(names)
    change = QCoreApplication.translate("CaseView", "{table} {action}").format(table=table, action=action)
    return operation, change, fields


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], empty: str) -> QWidget:
    if not rows:
        label = QLabel(empty)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    for row_number, row in enumerate(rows):
        for column, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text if len(text) > 20 else "")
            table.setItem(row_number, column, item)
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    for column in range(len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(column, min(table.columnWidth(column) + 12, 320))
    return table


def _text_box(text: str) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setReadOnly(True)
    box.setTabChangesFocus(True)
    box.setMaximumHeight(110)
    return box


class CaseView(QDialog):
    """One case, read-only, on tabs."""

    def __init__(self, detail: CaseDetail, history: Sequence[HistoryEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail = detail
        self.setWindowTitle(self.tr("Case {number}").format(number=detail.row.number))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._particulars(), self.tr("&Particulars"))
        self.tabs.addTab(self._parties(), self.tr("Pa&rties ({count})").format(count=len(detail.parties)))
        self.tabs.addTab(self._mediators(), self.tr("&Mediators"))
        self.tabs.addTab(self._records(), self.tr("Re&cords ({count})").format(count=len(detail.records)))
        self.tabs.addTab(self._outcome(), self.tr("&Outcome"))
        self.tabs.addTab(self._history(history), self.tr("&History"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        if not self.restoreGeometry(settings.get(settings.CASE_VIEW_GEOMETRY)):
            screen = self.screen().availableGeometry()
            self.resize(min(960, screen.width() - 40), min(640, screen.height() - 60))

    @classmethod
    def open_case(cls, parent: QWidget | None, runner: TaskRunner, desk: Desk, case_id: uuid.UUID) -> None:
        """Load the case off the GUI thread, then show it (non-modal: several cases may be open)."""

        def load() -> tuple[CaseDetail, list[HistoryEntry]]:
            return get_case(desk, case_id), case_history(desk, case_id)

        def show(result: tuple[CaseDetail, list[HistoryEntry]]) -> None:
            view = cls(result[0], result[1], parent)
            view.show()

        runner.read(load, show)

    def done(self, result: int) -> None:
        settings.put(settings.CASE_VIEW_GEOMETRY, self.saveGeometry())
        super().done(result)

    # -- tabs -------------------------------------------------------------------------------------------------

    def _particulars(self) -> QWidget:
        detail, row = self.detail, self.detail.row
        page = QWidget()
        form = QFormLayout(page)
        source = row.source.label
        if detail.referral_body:
            source = f"{source}（{detail.referral_body}）"
        values = [
            (self.tr("Case number"), row.number),
            (self.tr("Intake date"), row.intake_date.isoformat()),
            (self.tr("Committee"), row.org_name),
            (self.tr("Source"), source),
            (self.tr("Dispute type"), row.category_name),
            (self.tr("Case title"), detail.title),
            (self.tr("Place"), detail.place),
            (self.tr("Amount (yuan)"), fen_to_yuan_text(row.amount_fen) if row.amount_fen else ""),
            (self.tr("Persons involved"), str(detail.persons)),
            (self.tr("Group dispute"), self.tr("Yes") if detail.group_dispute else self.tr("No")),
            (self.tr("Risks"), "、".join(flag.label for flag in detail.risk_flags)),
            (self.tr("Status"), row.status.label),
            (self.tr("Recorder"), detail.recorder),
        ]
        for label, value in values:
            text = QLabel(value or "—")
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.setWordWrap(True)
            form.addRow(label, text)
        form.addRow(self.tr("Facts"), _text_box(detail.facts))
        form.addRow(self.tr("Requests"), _text_box(detail.requests))
        if detail.notes:
            form.addRow(self.tr("Notes"), _text_box(detail.notes))
        return page

    def _parties(self) -> QWidget:
        headers = [
            self.tr("Role"),
            self.tr("Name"),
            self.tr("Gender"),
            self.tr("ID type"),
            self.tr("ID number"),
            self.tr("Phone"),
            self.tr("Address"),
        ]
        rows = [
            [
                party.role.label,
                party.name,
                party.gender.label if party.gender else "",
                party.id_type.label if party.id_number else "",
                party.id_number,
                party.phone,
                party.address,
            ]
            for party in self.detail.parties
        ]
        return _table(headers, rows, self.tr("No parties recorded."))

    def _mediators(self) -> QWidget:
        headers = [self.tr("Name"), self.tr("Role"), self.tr("Assigned on"), self.tr("Recused")]
        rows = [
            [m.name, m.role.label, m.assigned_on.isoformat(), self.tr("Yes") if m.recused else ""]
            for m in self.detail.mediators
        ]
        return _table(headers, rows, self.tr("No mediator assigned yet."))

    def _records(self) -> QWidget:
        headers = [self.tr("Date"), self.tr("Kind"), self.tr("Summary"), self.tr("Content")]
        rows = [
            [
                _when(record.when),
                _tr(RECORD_KINDS[record.kind]) if record.kind in RECORD_KINDS else record.kind,
                record.summary,
                " ".join(record.body.split()),
            ]
            for record in self.detail.records
        ]
        return _table(headers, rows, self.tr("No investigation, session or follow-up recorded yet."))

    def _outcome(self) -> QWidget:
        outcome = self.detail.outcome
        page = QWidget()
        form = QFormLayout(page)
        if outcome is None:
            form.addRow(QLabel(self.tr("Mediation has not ended yet.")))
            return page
        form.addRow(self.tr("Outcome"), QLabel(outcome.kind.label))
        form.addRow(self.tr("Decided on"), QLabel(outcome.decided_on.isoformat()))
        if outcome.reason:
            reason = QLabel(outcome.reason)
            reason.setWordWrap(True)
            form.addRow(self.tr("Reason"), reason)
        form.addRow(self.tr("Performance"), QLabel(outcome.performance.label if outcome.performance else "—"))
        if self.detail.row.closing_date:
            form.addRow(self.tr("Closed on"), QLabel(self.detail.row.closing_date.isoformat()))
        return page

    def _history(self, history: Sequence[HistoryEntry]) -> QWidget:
        headers = [self.tr("Time"), self.tr("By"), self.tr("Operation"), self.tr("Change"), self.tr("Fields")]
        rows = [[_when(entry.at), entry.actor, *history_text(entry)] for entry in history]
        return _table(headers, rows, self.tr("No history recorded."))
