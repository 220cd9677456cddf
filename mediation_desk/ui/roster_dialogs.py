"""The roster's forms: a mediator (added or corrected), a pairing with a village, a yearly assessment."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QSpinBox, QWidget

from mediation_desk.domain.codes import Employment, Gender, IdType, MediatorRole, OrgLevel
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.identity import normalise_phone, parse_resident_id
from mediation_desk.services.desk import Desk
from mediation_desk.services.mediators import MediatorInput, add_mediator, assess_mediator, pair_mediator
from mediation_desk.services.orgs import OrgInfo
from mediation_desk.services.roster import MediatorDetail, update_mediator
from mediation_desk.ui.forms import FormDialog, date_edit, line, text_box
from mediation_desk.ui.tasks import TaskRunner
from mediation_desk.ui.widgets import combo_value, enum_combo, select_data

GRADES = ("优秀", "称职", "基本称职", "不称职")


def _org_combo(orgs: list[OrgInfo], levels: tuple[OrgLevel, ...] | None = None) -> QComboBox:
    combo = QComboBox()
    for org in orgs:
        if levels is None or org.level in levels:
            combo.addItem(org.name, org.code)
    combo.setMaxVisibleItems(20)
    return combo


class MediatorDialog(FormDialog):
    """调解员: a new roster entry, or ``detail`` corrected."""

    def __init__(
        self, runner: TaskRunner, desk: Desk, orgs: list[OrgInfo], detail: MediatorDetail | None, parent: QWidget | None
    ) -> None:
        super().__init__(runner, self.tr("Mediator") if detail else self.tr("Add a mediator"), parent)
        self.desk, self.detail = desk, detail
        self.name = self.add("name", self.tr("&Name"), line(50))
        self.gender = self.add("gender", self.tr("&Gender"), enum_combo(Gender, blank=self.tr("Not given")))
        self.org = self.add("org_code", self.tr("&Committee"), _org_combo(orgs))
        self.role = self.add("role", self.tr("&Role"), enum_combo(MediatorRole))
        self.employment = self.add("employment", self.tr("&Employment"), enum_combo(Employment))
        self.instructor = QCheckBox(self.tr("&Legal instructor (法治指导员)"))
        self.add_plain(self.instructor)
        self.phone = self.add("phone", self.tr("&Phone"), line(30), check=self._phone_problem)
        self.id_type = self.add("id_type", self.tr("ID &type"), enum_combo(IdType))
        self.id_number = self.add("id_number", self.tr("ID n&umber"), line(40), check=self._id_problem)
        self.has_from = QCheckBox(self.tr("Serving &from"))
        self.active_from = self.add_optional("active_from", self.has_from, date_edit())
        self.has_to = QCheckBox(self.tr("Served unt&il"))
        self.active_to = self.add_optional("active_to", self.has_to, date_edit())
        self.notes = self.add("notes", self.tr("N&otes"), text_box(lines=2))
        if detail is not None:
            self._fill(detail)
        self.dirty = False

    def _fill(self, detail: MediatorDetail) -> None:
        self.name.setText(detail.name)
        select_data(self.gender, detail.gender)
        select_data(self.org, detail.org_code)
        select_data(self.role, detail.role)
        select_data(self.employment, detail.employment)
        self.instructor.setChecked(detail.legal_instructor)
        self.phone.setText(detail.phone)
        select_data(self.id_type, detail.id_type)
        self.id_number.setText(detail.id_number)
        for check, edit, value in (
            (self.has_from, self.active_from, detail.active_from),
            (self.has_to, self.active_to, detail.active_to),
        ):
            check.setChecked(value is not None)
            if value is not None:
                edit.setDate(QDate(value.year, value.month, value.day))
        self.notes.setPlainText(detail.notes)

    def _phone_problem(self) -> str | None:
        text = self.phone.text().strip()
        try:
            if text:
                normalise_phone(text)
        except ValidationError as error:
            return error.message
        return None

    def _id_problem(self) -> str | None:
        text = self.id_number.text().strip()
        id_type = combo_value(self.id_type, IdType) or IdType.RESIDENT_ID
        try:
            if text and id_type.is_gb11643:
                parse_resident_id(text)
        except ValidationError as error:
            return error.message
        return None

    def collect(self) -> Callable[[], object] | None:
        if not self.name.text().strip():
            self.error("name", self.tr("Enter the mediator's name"))
        for key, check in (("phone", self._phone_problem), ("id_number", self._id_problem)):
            problem = check()
            if problem:
                self.error(key, problem)
        data = MediatorInput(
            name=self.name.text(),
            org_code=str(self.org.currentData() or "") or None,
            gender=combo_value(self.gender, Gender),
            phone=self.phone.text(),
            id_type=combo_value(self.id_type, IdType) or IdType.RESIDENT_ID,
            id_number=self.id_number.text(),
            role=combo_value(self.role, MediatorRole) or MediatorRole.MEMBER,
            employment=combo_value(self.employment, Employment) or Employment.PART_TIME,
            legal_instructor=self.instructor.isChecked(),
            active_from=self.active_from.date().toPython() if self.has_from.isChecked() else None,  # type: ignore[arg-type]
            active_to=self.active_to.date().toPython() if self.has_to.isChecked() else None,  # type: ignore[arg-type]
            notes=self.notes.toPlainText(),
        )
        desk, detail = self.desk, self.detail
        if detail is None:
            return lambda: add_mediator(desk, data)
        return lambda: update_mediator(desk, detail.id, data)


class PairingDialog(FormDialog):
    """结对指导: a mediator paired with a village committee for a period."""

    def __init__(
        self,
        runner: TaskRunner,
        desk: Desk,
        mediator_id: uuid.UUID,
        name: str,
        orgs: list[OrgInfo],
        parent: QWidget | None,
    ) -> None:
        super().__init__(runner, self.tr("Pair {name} with a village").format(name=name), parent)
        self.desk, self.mediator_id = desk, mediator_id
        villages = [org for org in orgs if org.level is OrgLevel.VILLAGE] or orgs
        self.village = self.add("village", self.tr("&Village committee"), _org_combo(villages))
        self.start = self.add("start", self.tr("&From"), date_edit())
        self.has_end = QCheckBox(self.tr("&Ends on"))
        self.end = self.add_optional("end", self.has_end, date_edit(allow_future=True))
        self.dirty = False

    def collect(self) -> Callable[[], object] | None:
        code = self.village.currentData()
        if not code:
            self.error("village", self.tr("Choose a village committee"))
            return None
        start: date = self.start.date().toPython()  # type: ignore[assignment]
        end: date | None = self.end.date().toPython() if self.has_end.isChecked() else None  # type: ignore[assignment]
        if end is not None and end < start:
            self.error("end", self.tr("The end is before the start"))
            return None
        desk, mediator_id = self.desk, self.mediator_id
        return lambda: pair_mediator(desk, mediator_id, str(code), start=start, end=end)


class AssessmentDialog(FormDialog):
    """考核: a mediator's grade for a year (a second assessment of the same year corrects the first)."""

    def __init__(
        self, runner: TaskRunner, desk: Desk, mediator_id: uuid.UUID, name: str, parent: QWidget | None
    ) -> None:
        super().__init__(runner, self.tr("Yearly assessment of {name}").format(name=name), parent)
        self.desk, self.mediator_id = desk, mediator_id
        self.year = QSpinBox()
        self.year.setRange(2000, date.today().year)
        self.year.setValue(date.today().year - 1 if date.today().month < 7 else date.today().year)
        self.add("year", self.tr("&Year"), self.year)
        self.grade = QComboBox()
        self.grade.addItems(GRADES)
        self.add("grade", self.tr("&Grade"), self.grade)
        self.notes = self.add("notes", self.tr("N&otes"), text_box(lines=2))
        self.dirty = False

    def collect(self) -> Callable[[], object] | None:
        desk, mediator_id = self.desk, self.mediator_id
        year, grade, notes = self.year.value(), self.grade.currentText(), self.notes.toPlainText()
        return lambda: assess_mediator(desk, mediator_id, year, grade, notes)
