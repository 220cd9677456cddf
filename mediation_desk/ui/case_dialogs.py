"""The forms of a case's steps: refuse, assign mediators, a mediator stepping aside, an investigation, a session,
the outcome, a follow-up visit, a judicial confirmation, closing. Each calls one case service (``FormDialog``:
errors under the fields, Enter saves, Esc asks before discarding)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateTimeEdit, QListWidget, QListWidgetItem, QWidget

from mediation_desk.domain.codes import OutcomeKind, Performance
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.money import yuan_to_fen
from mediation_desk.services.cases import (
    AssignedMediator,
    assign_mediators,
    close_case,
    conclude_case,
    record_follow_up,
    record_investigation,
    record_judicial_confirmation,
    record_session,
    refuse_case,
)
from mediation_desk.services.casework import recuse_mediator
from mediation_desk.services.desk import Desk
from mediation_desk.services.mediators import MediatorInfo
from mediation_desk.ui.forms import FormDialog, date_edit, line, text_box
from mediation_desk.ui.tasks import TaskRunner
from mediation_desk.ui.widgets import combo_value, enum_combo

SATISFACTION = ("满意", "基本满意", "不满意")


def _day(edit: QDateTimeEdit) -> date:
    value: date = edit.date().toPython()  # type: ignore[assignment]
    return value


def _moment() -> QDateTimeEdit:
    edit = QDateTimeEdit(QDateTime.currentDateTime())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setMaximumDateTime(QDateTime.currentDateTime().addSecs(300))
    edit.setMinimumDate(QDate(1990, 1, 1))
    return edit


def _aware(edit: QDateTimeEdit) -> datetime:
    local: datetime = edit.dateTime().toPython()  # type: ignore[assignment]
    return local.astimezone(UTC) if local.tzinfo else local.astimezone().astimezone(UTC)


class CaseDialog(FormDialog):
    def __init__(self, runner: TaskRunner, desk: Desk, case_id: uuid.UUID, title: str, parent: QWidget | None) -> None:
        super().__init__(runner, title, parent)
        self.desk, self.case_id = desk, case_id

    def required(self, key: str, value: str, text: str) -> str:
        if not value.strip():
            self.error(key, text)
        return value


class RefuseDialog(CaseDialog):
    """不予受理: the reason is required (a party refuses, another authority's matter, accepted elsewhere)."""

    def __init__(self, runner: TaskRunner, desk: Desk, case_id: uuid.UUID, parent: QWidget | None) -> None:
        super().__init__(runner, desk, case_id, self.tr("Refuse the case"), parent)
        self.reason = self.add(
            "reason", self.tr("&Reason"), text_box(self.tr("e.g. a court has already accepted the matter"))
        )
        self.on = self.add("on", self.tr("&Date"), date_edit())
        self.dirty = False

    def collect(self) -> Callable[[], object] | None:
        reason = self.required("reason", self.reason.toPlainText(), self.tr("Say why the case is refused"))
        desk, key, day = self.desk, self.case_id, _day(self.on)
        return lambda: refuse_case(desk, key, reason, day)


class AssignDialog(CaseDialog):
    """指派调解员 (Art. 19): one or more mediators from the roster; the first one presides."""

    def __init__(
        self,
        runner: TaskRunner,
        desk: Desk,
        case_id: uuid.UUID,
        roster: Sequence[MediatorInfo],
        assigned: Sequence[AssignedMediator],
        parent: QWidget | None,
    ) -> None:
        super().__init__(runner, desk, case_id, self.tr("Assign mediators"), parent)
        present = {mediator.mediator_id for mediator in assigned}
        self.choices = QListWidget()
        for mediator in roster:
            if mediator.id in present or not mediator.active:
                continue
            item = QListWidgetItem(f"{mediator.name}（{mediator.role.label}，{mediator.org_name}）")
            item.setData(Qt.ItemDataRole.UserRole, str(mediator.id))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.choices.addItem(item)
        self.choices.setMinimumHeight(self.fontMetrics().lineSpacing() * 8)
        self.add("mediators", self.tr("&Mediators"), self.choices)
        self.chosen = QCheckBox(self.tr("&Chosen by the parties (otherwise designated by the committee)"))
        self.add_plain(self.chosen)
        self.on = self.add("on", self.tr("&Date"), date_edit())
        self.choices.itemChanged.connect(lambda _item: self.fields["mediators"].clear())
        self.dirty = False

    def selected(self) -> list[uuid.UUID]:
        found = []
        for row in range(self.choices.count()):
            item = self.choices.item(row)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                found.append(uuid.UUID(str(item.data(Qt.ItemDataRole.UserRole))))
        return found

    def collect(self) -> Callable[[], object] | None:
        chosen = self.selected()
        if not chosen:
            self.error("mediators", self.tr("Tick at least one mediator (add them under Mediators and organisations)"))
            return None
        desk, key, day, parties = self.desk, self.case_id, _day(self.on), self.chosen.isChecked()
        return lambda: assign_mediators(desk, key, chosen, on=day, chosen_by_parties=parties)


class RecuseDialog(CaseDialog):
    """回避: a party asks a mediator to step aside."""

    def __init__(
        self,
        runner: TaskRunner,
        desk: Desk,
        case_id: uuid.UUID,
        assigned: Sequence[AssignedMediator],
        parent: QWidget | None,
    ) -> None:
        super().__init__(runner, desk, case_id, self.tr("A mediator steps aside"), parent)
        self.mediator = QComboBox()
        for mediator in assigned:
            if not mediator.recused:
                self.mediator.addItem(mediator.name, str(mediator.mediator_id))
        self.add("mediator", self.tr("&Mediator"), self.mediator)
        self.reason = self.add("reason", self.tr("&Reason"), text_box(lines=3))
        self.dirty = False

    def collect(self) -> Callable[[], object] | None:
        reason = self.required("reason", self.reason.toPlainText(), self.tr("Say why the mediator steps aside"))
        if self.mediator.currentData() is None:
            self.error("mediator", self.tr("No mediator to choose"))
            return None
        desk, key, mediator = self.desk, self.case_id, uuid.UUID(str(self.mediator.currentData()))
        return lambda: recuse_mediator(desk, key, mediator, reason)


class InvestigationDialog(CaseDialog):
    """调查记录: time, place, investigator, person interviewed, recorder, what was found."""

    def __init__(self, runner: TaskRunner, desk: Desk, case_id: uuid.UUID, who: str, parent: QWidget | None) -> None:
        super().__init__(runner, desk, case_id, self.tr("Investigation record"), parent)
        self.held_at = self.add("held_at", self.tr("&Time"), _moment())
        self.place = self.add("place", self.tr("&Place"), line(200))
        self.investigator = self.add("investigator", self.tr("In&vestigator"), line(100))
        self.investigator.setText(who)
        self.interviewee = self.add("interviewee", self.tr("Person &interviewed"), line(100))
        self.recorder = self.add("recorder", self.tr("&Recorder"), line(50))
        self.body = self.add("body", self.tr("&Content"), text_box(lines=6))
        self.dirty = False

    def collect(self) -> Callable[[], object] | None:
        investigator = self.required("investigator", self.investigator.text(), self.tr("Name the investigator"))
        interviewee = self.required("interviewee", self.interviewee.text(), self.tr("Name the person interviewed"))
        body = self.required("body", self.body.toPlainText(), self.tr("Write what was found"))
        desk, key, held_at = self.desk, self.case_id, _aware(self.held_at)
        place, recorder = self.place.text(), self.recorder.text()
        return lambda: record_investigation(
            desk,
            key,
            held_at=held_at,
            investigator=investigator,
            interviewee=interviewee,
            body=body,
            place=place,
            recorder=recorder,
        )


class SessionDialog(CaseDialog):
    """调解记录: time, place, matter, participants, what each side said, the result or why it failed."""

    def __init__(self, runner: TaskRunner, desk: Desk, case_id: uuid.UUID, parent: QWidget | None) -> None:
        super().__init__(runner, desk, case_id, self.tr("Mediation session record"), parent)
        self.held_at = self.add("held_at", self.tr("&Time"), _moment())
        self.place = self.add("place", self.tr("&Place"), line(200))
        self.matter = self.add("matter", self.tr("&Matter"), line(200))
        self.participants = self.add("participants", self.tr("P&articipants"), line(500))
        self.body = self.add(
            "body", self.tr("&Record"), text_box(self.tr("Each side's statement and the facts verified"), 6)
        )
        self.outcome_text = self.add("result", self.tr("R&esult"), text_box(lines=2))
        self.recorder = self.add("recorder", self.tr("Re&corder"), line(50))
        self.dirty = False

    def collect(self) -> Callable[[], object] | None:
        body = self.required("body", self.body.toPlainText(), self.tr("Write the record of the session"))
        desk, key, held_at = self.desk, self.case_id, _aware(self.held_at)
        values = (
            self.place.text(),
            self.matter.text(),
            self.participants.text(),
            self.outcome_text.toPlainText(),
            self.recorder.text(),
        )
        place, matter, participants, result, recorder = values
        return lambda: record_session(
            desk,
            key,
            held_at=held_at,
            body=body,
            place=place,
            matter=matter,
            participants=participants,
            result=result,
            recorder=recorder,
        )


class ConcludeDialog(CaseDialog):
    """The outcome: written or oral agreement, failure, or termination with its reason (Art. 23, 26, 28, 29)."""

    def __init__(
        self,
        runner: TaskRunner,
        desk: Desk,
        case_id: uuid.UUID,
        status: CaseStatus,
        intake: date,
        parent: QWidget | None,
    ) -> None:
        super().__init__(runner, desk, case_id, self.tr("Conclude mediation"), parent)
        kinds = (
            [OutcomeKind.TERMINATED]
            if status is CaseStatus.ACCEPTED
            else [OutcomeKind.WRITTEN_AGREEMENT, OutcomeKind.ORAL_AGREEMENT, OutcomeKind.FAILED, OutcomeKind.TERMINATED]
        )
        self.kind = self.add("kind", self.tr("&Outcome"), enum_combo(kinds))
        self.on = self.add("on", self.tr("&Date"), date_edit())
        self.on.setMinimumDate(QDate(intake.year, intake.month, intake.day))
        self.amount = self.add("amount", self.tr("&Amount agreed (yuan)"), line(20, "0.00"), check=self._amount_problem)
        self.reason = self.add("reason", self.tr("&Reason"), text_box(self.tr("Why mediation failed or was ended"), 3))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.dirty = False

    def _kind_changed(self) -> None:
        kind = combo_value(self.kind, OutcomeKind)
        agreement = kind is not None and kind.successful
        self.amount.setEnabled(agreement)
        self.reason.setEnabled(not agreement)

    def _amount_problem(self) -> str | None:
        try:
            yuan_to_fen(self.amount.text())
        except ValidationError as error:
            return error.message
        return None

    def collect(self) -> Callable[[], object] | None:
        kind = combo_value(self.kind, OutcomeKind) or OutcomeKind.WRITTEN_AGREEMENT
        reason = (
            ""
            if kind.successful
            else self.required("reason", self.reason.toPlainText(), self.tr("Say why mediation ended"))
        )
        amount: int | None = None
        if kind.successful and self.amount.text().strip():
            problem = self._amount_problem()
            if problem:
                self.error("amount", problem)
                return None
            amount = yuan_to_fen(self.amount.text())
        desk, key, day = self.desk, self.case_id, _day(self.on)
        return lambda: conclude_case(desk, key, kind, on=day, reason=reason, amount_fen=amount)


class FollowUpDialog(CaseDialog):
    """回访 (Art. 31): who was visited, performance, satisfaction, a later lawsuit, risks and measures."""

    def __init__(
        self, runner: TaskRunner, desk: Desk, case_id: uuid.UUID, party: str, who: str, parent: QWidget | None
    ) -> None:
        super().__init__(runner, desk, case_id, self.tr("Follow-up visit"), parent)
        self.visited_on = self.add("visited_on", self.tr("&Date"), date_edit())
        self.party = self.add("visited_party", self.tr("&Party visited"), line(100))
        self.party.setText(party)
        self.performance = self.add("performance", self.tr("P&erformance"), enum_combo(Performance))
        self.satisfaction = QComboBox()
        self.satisfaction.addItems(SATISFACTION)
        self.add("satisfaction", self.tr("&Satisfaction"), self.satisfaction)
        self.lawsuit = QCheckBox(self.tr("A &lawsuit followed"))
        self.add_plain(self.lawsuit)
        self.risks = self.add("risks", self.tr("&Risks"), text_box(lines=2))
        self.measures = self.add("measures", self.tr("&Measures"), text_box(lines=2))
        self.visitor = self.add("visitor", self.tr("&Visitor"), line(50))
        self.visitor.setText(who)
        self.dirty = False

    def collect(self) -> Callable[[], object] | None:
        party = self.required("visited_party", self.party.text(), self.tr("Name the party visited"))
        visitor = self.required("visitor", self.visitor.text(), self.tr("Name who visited"))
        desk, key, day = self.desk, self.case_id, _day(self.visited_on)
        performance = combo_value(self.performance, Performance) or Performance.PERFORMED
        satisfaction, lawsuit = self.satisfaction.currentText(), self.lawsuit.isChecked()
        risks, measures = self.risks.toPlainText(), self.measures.toPlainText()
        return lambda: record_follow_up(
            desk,
            key,
            visited_on=day,
            visited_party=party,
            performance=performance,
            visitor=visitor,
            satisfaction=satisfaction,
            lawsuit=lawsuit,
            risks=risks,
            measures=measures,
        )


class ConfirmationDialog(CaseDialog):
    """司法确认 (Art. 33): the court, the application date (within 30 days), the ruling when there is one."""

    def __init__(self, runner: TaskRunner, desk: Desk, case_id: uuid.UUID, parent: QWidget | None) -> None:
        super().__init__(runner, desk, case_id, self.tr("Judicial confirmation"), parent)
        self.applied_on = self.add("applied_on", self.tr("&Applied on"), date_edit())
        self.court = self.add("court", self.tr("&Court"), line(100, self.tr("e.g. the county's people's court")))
        self.ruled = QCheckBox(self.tr("The court has &ruled"))
        self.add_plain(self.ruled)
        self.ruled_on = self.add("ruled_on", self.tr("&Date of ruling"), date_edit())
        self.granted = QComboBox()
        self.granted.addItem(self.tr("Confirmed valid"), True)
        self.granted.addItem(self.tr("Application rejected"), False)
        self.add("granted", self.tr("R&uling"), self.granted)
        self.ruling_number = self.add("ruling_number", self.tr("Ruling &number"), line(60))
        for widget in (self.ruled_on, self.granted, self.ruling_number):
            widget.setEnabled(False)
            self.ruled.toggled.connect(widget.setEnabled)
        self.dirty = False

    def collect(self) -> Callable[[], object] | None:
        court = self.required("court", self.court.text(), self.tr("Name the court"))
        desk, key, applied = self.desk, self.case_id, _day(self.applied_on)
        ruled = self.ruled.isChecked()
        ruled_on = _day(self.ruled_on) if ruled else None
        granted = bool(self.granted.currentData()) if ruled else None
        number = self.ruling_number.text() if ruled else ""
        return lambda: record_judicial_confirmation(
            desk, key, applied_on=applied, court=court, ruled_on=ruled_on, granted=granted, ruling_number=number
        )


class CloseDialog(CaseDialog):
    """结案: file the case on a date (not before intake)."""

    def __init__(
        self, runner: TaskRunner, desk: Desk, case_id: uuid.UUID, intake: date, parent: QWidget | None
    ) -> None:
        super().__init__(runner, desk, case_id, self.tr("Close the case"), parent)
        self.on = self.add("on", self.tr("&Closing date"), date_edit())
        self.on.setMinimumDate(QDate(intake.year, intake.month, intake.day))
        self.dirty = False

    def collect(self) -> Callable[[], object] | None:
        desk, key, day = self.desk, self.case_id, _day(self.on)
        return lambda: close_case(desk, key, day)
