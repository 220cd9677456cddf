"""The case editor's outcome tab (the steps from acceptance to closing, and the agreement's numbered terms while
it is a draft) and its attachments tab (add a file, open it with the system's viewer)."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.codes import AgreementState
from mediation_desk.services.attachments import AttachmentInfo
from mediation_desk.services.cases import CaseDetail
from mediation_desk.services.casework import AgreementDraft, AgreementInfo
from mediation_desk.ui.case_tabs import ListPanel, button
from mediation_desk.ui.forms import FormScroll, date_edit, line, text_box
from mediation_desk.ui.widgets import ERROR_STYLE, FieldRow


class TermsEditor(QWidget):
    """The agreement's terms, numbered as they will print: add, edit in place (F2 or a double click), remove,
    move up and down."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.list.setWordWrap(True)
        self.list.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.add_button = button("new", self.tr("Add &term"))
        self.remove_button = button("remove", self.tr("Remo&ve"))
        self.up_button = button("open", self.tr("&Up"))
        self.down_button = button("import", self.tr("Do&wn"))
        buttons = QVBoxLayout()
        for widget in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.add_term(""))
        self.remove_button.clicked.connect(self._remove)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.list.itemChanged.connect(lambda _item: self._renumber())

    def add_term(self, text: str, *, edit: bool = True) -> None:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.list.addItem(item)
        self.list.setCurrentItem(item)
        if edit:
            self.list.editItem(item)
        self._renumber()

    def _remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self._renumber()

    def _move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
        self._renumber()

    def _renumber(self) -> None:
        self.list.blockSignals(True)
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item is not None:
                item.setToolTip(self.tr("Term {number}").format(number=row + 1))
        self.list.blockSignals(False)
        self.edited.emit()

    def terms(self) -> list[str]:
        items = (self.list.item(row) for row in range(self.list.count()))
        return [item.text().strip() for item in items if item is not None and item.text().strip()]

    def set_terms(self, terms: tuple[str, ...] | list[str]) -> None:
        self.list.clear()
        for term in terms:
            self.add_term(term, edit=False)


class OutcomeTab(QWidget):
    """How mediation ended, the steps open now, and the agreement's content."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dirty = False
        self._filling = False
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.accept_button = button("accept", self.tr("A&ccept"))
        self.refuse_button = button("refuse", self.tr("&Refuse…"))
        self.conclude_button = button("outcome", self.tr("C&onclude mediation…"))
        self.close_button = button("close_case", self.tr("C&lose the case…"))
        steps = QHBoxLayout()
        for widget in (self.accept_button, self.refuse_button, self.conclude_button, self.close_button):
            steps.addWidget(widget)
        steps.addStretch(1)
        self.agreement_box = self._agreement_box()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(steps)
        layout.addWidget(FormScroll(self.agreement_box), 1)  # scrolls on a small screen (1366×768 at 125%)

    def _agreement_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Agreement"))
        self.agreement_state = QLabel()
        self.agreement_facts = text_box(self.tr("Main facts, the matters in dispute and each side's responsibility"), 3)
        self.terms = TermsEditor()
        self.manner = line(200, self.tr("e.g. bank transfer"))
        self.performance_place = line(200)
        self.has_deadline = QCheckBox(self.tr("Performed &by"))
        self.deadline = date_edit(allow_future=True)
        self.deadline.setEnabled(False)
        self.has_deadline.toggled.connect(self.deadline.setEnabled)
        self.agreement_fields = {
            "facts": FieldRow(self.agreement_facts),
            "terms": FieldRow(self.terms),
            "performance_manner": FieldRow(self.manner),
            "performance_place": FieldRow(self.performance_place),
        }
        self.save_agreement = button("save", self.tr("&Save agreement"))
        self.agreement_message = QLabel()
        self.agreement_message.setStyleSheet(ERROR_STYLE)
        form = QFormLayout(box)
        form.addRow(self.tr("State"), self.agreement_state)
        for text, key, buddy in (
            (self.tr("&Facts and responsibilities"), "facts", self.agreement_facts),
            (self.tr("Terms (&numbered)"), "terms", self.terms.list),
            (self.tr("&Manner of performance"), "performance_manner", self.manner),
            (self.tr("&Place of performance"), "performance_place", self.performance_place),
        ):
            label = QLabel(text)
            label.setBuddy(buddy)  # Alt+letter goes to the field
            form.addRow(label, self.agreement_fields[key])
        deadline = QHBoxLayout()
        deadline.addWidget(self.has_deadline)
        deadline.addWidget(self.deadline)
        deadline.addStretch(1)
        deadline.addWidget(self.save_agreement)
        form.addRow(self.tr("Deadline"), deadline)
        form.addRow("", self.agreement_message)
        for edit in (self.manner, self.performance_place):
            edit.textEdited.connect(self._mark)
        self.agreement_facts.textChanged.connect(self._mark)
        self.terms.edited.connect(self._mark)
        self.has_deadline.toggled.connect(self._mark)
        self.deadline.dateChanged.connect(self._mark)
        return box

    def _mark(self, *_args: object) -> None:
        if not self._filling:
            self.dirty = True

    def fill(self, detail: CaseDetail, agreement: AgreementInfo | None) -> None:
        row, outcome = detail.row, detail.outcome
        lines = [self.tr("Status: {status}").format(status=row.status.label)]
        if outcome is not None:
            lines.append(
                self.tr("Outcome: {kind}, on {day}").format(kind=outcome.kind.label, day=outcome.decided_on.isoformat())
            )
            if outcome.reason:
                lines.append(self.tr("Reason: {reason}").format(reason=outcome.reason))
            if outcome.performance is not None:
                lines.append(self.tr("Performance: {performance}").format(performance=outcome.performance.label))
        else:
            lines.append(self.tr("Mediation has not ended yet."))
        if row.closing_date:
            lines.append(self.tr("Closed on {day}").format(day=row.closing_date.isoformat()))
        self.summary.setText("\n".join(lines))
        self.agreement_box.setVisible(outcome is not None and outcome.kind.successful)
        if not self.dirty:
            self._fill_agreement(detail, agreement)

    def _fill_agreement(self, detail: CaseDetail, agreement: AgreementInfo | None) -> None:
        self._filling = True
        try:
            if agreement is None:
                self.agreement_state.setText(self.tr("Not written yet: enter the terms and save."))
                self.agreement_facts.setPlainText(detail.facts)
                self.terms.set_terms([])
                return
            self.agreement_state.setText(f"{agreement.number}　{agreement.state.label}")
            self.agreement_facts.setPlainText(agreement.facts)
            self.terms.set_terms(agreement.terms)
            self.manner.setText(agreement.performance_manner)
            self.performance_place.setText(agreement.performance_place)
            deadline = agreement.performance_deadline
            self.has_deadline.setChecked(deadline is not None)
            if deadline is not None:
                self.deadline.setDate(QDate(deadline.year, deadline.month, deadline.day))
            editable = agreement.state is AgreementState.DRAFT
            for widget in (self.agreement_facts, self.terms, self.manner, self.performance_place, self.has_deadline):
                widget.setEnabled(editable)
        finally:
            self._filling = False
        self.dirty = False

    def draft(self) -> AgreementDraft:
        return AgreementDraft(
            facts=self.agreement_facts.toPlainText(),
            terms=self.terms.terms(),
            performance_manner=self.manner.text(),
            performance_place=self.performance_place.text(),
            performance_deadline=self.deadline.date().toPython() if self.has_deadline.isChecked() else None,  # type: ignore[arg-type]
        )

    def show_error(self, field: str | None, message: str) -> None:
        row = self.agreement_fields.get(field or "")
        if row is not None:
            row.set_error(message)
        else:
            self.agreement_message.setText(message)

    def clear_errors(self) -> None:
        for row in self.agreement_fields.values():
            row.clear()
        self.agreement_message.clear()


class AttachmentsTab(QWidget):
    """Files kept with the case (scans, photos, evidence)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.attachments: list[AttachmentInfo] = []
        self.add_button = button("attachment", self.tr("&Add file…"))
        self.open_button = button("open", self.tr("&Open"))
        self.list = ListPanel(
            [self.tr("File"), self.tr("Size"), self.tr("Added"), self.tr("Description")],
            self.tr("No attachments. Add scans, photos or other evidence with “Add file”."),
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)

    def fill(self, attachments: list[AttachmentInfo]) -> None:
        self.attachments = attachments
        rows = [
            [
                info.filename,
                f"{max(1, info.size // 1024)} KB",
                info.added_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                info.description,
            ]
            for info in attachments
        ]
        self.list.set_rows(rows)
        self.open_button.setEnabled(bool(attachments))

    def selected(self) -> AttachmentInfo | None:
        row = self.list.current_row()
        if 0 <= row < len(self.attachments):
            return self.attachments[row]
        return self.attachments[0] if len(self.attachments) == 1 else None
