"""The parties of a case in the case form: one card per party, and the section that adds and removes them.

Every value is checked by the domain's own rules (``parse_resident_id``, ``normalise_phone``, ``clean_party``);
a failure is shown in Chinese right under its field.
"""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.codes import Gender, IdType, PartyKind, PartyRole
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.identity import normalise_phone, parse_resident_id
from mediation_desk.domain.intake import PartyInput, clean_party
from mediation_desk.services.cases import PartyInfo
from mediation_desk.services.casework import PartyExtras
from mediation_desk.ui.case_form_fields import field_label
from mediation_desk.ui.icons import icon
from mediation_desk.ui.widgets import ERROR_STYLE, FieldRow, combo_value, enum_combo, select_data

NO_DATE = QDate(1900, 1, 1)


class PartyEditor(QGroupBox):
    """One party: role, kind, name, gender, birth date, ID type and number, phone, address, agent.

    The ID number is checked as it is typed (once it has 15 or 18 characters) and when the field is left; the
    gender and birth date it carries fill empty fields and are compared with filled ones: a disagreement is a
    warning at once and an error on saving (the domain's rule). The cards carry no mnemonics of their own (two
    cards would share them): Tab moves through a card, the "Add" buttons have the mnemonics.
    """

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
        self.birth_date = QDateEdit(NO_DATE)
        self.birth_date.setDisplayFormat("yyyy-MM-dd")
        self.birth_date.setCalendarPopup(True)
        self.birth_date.setMinimumDate(NO_DATE)
        self.birth_date.setMaximumDate(QDate.currentDate())
        self.birth_date.setSpecialValueText(self.tr("Not given"))
        self.agent_edit = QLineEdit()
        self.agent_edit.setMaxLength(50)
        self.agent_edit.setPlaceholderText(self.tr("Name of the agent, if any"))
        self.agent_phone_edit = QLineEdit()
        self.agent_phone_edit.setMaxLength(40)
        self.party_id: uuid.UUID | None = None
        self._kept: dict[str, str] = {}
        self.phone_edit = QLineEdit()
        self.phone_edit.setMaxLength(40)
        self.address_edit = QLineEdit()
        self.address_edit.setMaxLength(200)
        self.remove_button = QPushButton(icon("remove"), self.tr("Remove"))
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
            "birth_date": FieldRow(self.birth_date),
            "phone": FieldRow(self.phone_edit),
            "address": FieldRow(self.address_edit),
            "agent_name": FieldRow(self.agent_edit),
            "agent_phone": FieldRow(self.agent_phone_edit),
        }
        self._lay_out()
        self._connect()

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        top = Qt.AlignmentFlag.AlignTop
        cells: list[tuple[QWidget, int, int, int]] = [  # widget, row, column, columns spanned
            (field_label(self.tr("Role"), self.role_combo), 0, 0, 1),
            (self.role_combo, 0, 1, 1),
            (field_label(self.tr("Kind"), self.kind_combo), 0, 2, 1),
            (self.kind_combo, 0, 3, 1),
            (field_label(self.tr("Gender"), self.gender_combo), 0, 4, 1),
            (self.fields["gender"], 0, 5, 1),
            (self.remove_button, 0, 6, 1),
            (field_label(self.tr("Name"), self.name_edit), 1, 0, 1),
            (self.fields["name"], 1, 1, 3),
            (field_label(self.tr("Phone"), self.phone_edit), 1, 4, 1),
            (self.fields["phone"], 1, 5, 2),
            (field_label(self.tr("ID type"), self.id_type_combo), 2, 0, 1),
            (self.id_type_combo, 2, 1, 1),
            (field_label(self.tr("ID number"), self.id_number_edit), 2, 2, 1),
            (self.fields["id_number"], 2, 3, 4),
            (field_label(self.tr("Birth date"), self.birth_date), 3, 0, 1),
            (self.fields["birth_date"], 3, 1, 1),
            (field_label(self.tr("Address"), self.address_edit), 3, 2, 1),
            (self.fields["address"], 3, 3, 4),
            (field_label(self.tr("Agent"), self.agent_edit), 4, 0, 1),
            (self.fields["agent_name"], 4, 1, 3),
            (field_label(self.tr("Agent's phone"), self.agent_phone_edit), 4, 4, 1),
            (self.fields["agent_phone"], 4, 5, 2),
        ]
        for widget, row, column, span in cells:
            left = Qt.AlignmentFlag.AlignLeft if widget is self.fields["gender"] else Qt.AlignmentFlag(0)
            grid.addWidget(widget, row, column, 1, span, top | left)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 2)
        grid.setColumnStretch(5, 5)

    def tab_stops(self) -> list[QWidget]:
        """The card's fields in reading order, row by row, its Remove button last."""
        return [
            self.role_combo,
            self.kind_combo,
            self.gender_combo,
            self.name_edit,
            self.phone_edit,
            self.id_type_combo,
            self.id_number_edit,
            self.birth_date,
            self.address_edit,
            self.agent_edit,
            self.agent_phone_edit,
            self.remove_button,
        ]

    def _connect(self) -> None:
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        self.id_number_edit.editingFinished.connect(self._check_id_number)
        self.id_number_edit.textEdited.connect(self._id_typed)
        self.phone_edit.editingFinished.connect(self._check_phone)
        self.agent_phone_edit.editingFinished.connect(self._check_agent_phone)
        edits = (
            self.name_edit,
            self.id_number_edit,
            self.phone_edit,
            self.address_edit,
            self.agent_edit,
            self.agent_phone_edit,
        )
        for edit in edits:
            edit.textEdited.connect(self.edited)
        for combo in (self.role_combo, self.kind_combo, self.gender_combo, self.id_type_combo):
            combo.currentIndexChanged.connect(self.edited)
        self.birth_date.dateChanged.connect(self.edited)
        self.gender_combo.currentIndexChanged.connect(self._compare_with_id)
        self.birth_date.dateChanged.connect(self._compare_with_id)

    # -- values -----------------------------------------------------------------------------------------------

    @property
    def role(self) -> PartyRole:
        return combo_value(self.role_combo, PartyRole) or PartyRole.APPLICANT

    def birth_value(self) -> date | None:
        value = self.birth_date.date()
        return None if value == NO_DATE else value.toPython()  # type: ignore[return-value]

    def fill(self, party: PartyInfo, extras: PartyExtras | None = None) -> None:
        """Show a party on file (its id is kept, so saving updates it; what the card does not show is kept)."""
        self.party_id = party.id
        self._kept = {
            "ethnicity": party.ethnicity,
            "occupation": party.occupation,
            "employer": party.employer,
            "representative": extras.representative if extras else "",
        }
        select_data(self.role_combo, party.role)
        select_data(self.kind_combo, party.kind)
        self.name_edit.setText(party.name)
        select_data(self.gender_combo, party.gender)
        select_data(self.id_type_combo, party.id_type)
        self.id_number_edit.setText(party.id_number)
        if party.birth_date is not None:
            self.birth_date.setDate(QDate(party.birth_date.year, party.birth_date.month, party.birth_date.day))
        self.phone_edit.setText(party.phone)
        self.address_edit.setText(party.address)
        self.agent_edit.setText(party.agent_name)
        self.agent_phone_edit.setText(extras.agent_phone if extras else "")

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
            birth_date=self.birth_value(),
            agent_name=self.agent_edit.text().strip(),
            agent_phone=self.agent_phone_edit.text(),
            **self._kept,
        )

    def _texts(self) -> dict[str, QLineEdit]:
        return {
            "name": self.name_edit,
            "id_number": self.id_number_edit,
            "phone": self.phone_edit,
            "address": self.address_edit,
            "agent_name": self.agent_edit,
            "agent_phone": self.agent_phone_edit,
        }

    def _combos(self) -> dict[str, QComboBox]:
        return {
            "role": self.role_combo,
            "kind": self.kind_combo,
            "gender": self.gender_combo,
            "id_type": self.id_type_combo,
        }

    def state(self) -> dict[str, object]:
        """What the card shows, as typed (not validated), for the autosaved draft."""
        state: dict[str, object] = {key: edit.text() for key, edit in self._texts().items()}
        state.update({key: combo.currentData() or "" for key, combo in self._combos().items()})
        birth = self.birth_value()
        state["birth_date"] = birth.isoformat() if birth else ""
        state["party_id"] = self.party_id.hex if self.party_id else ""
        state["kept"] = dict(self._kept)
        return state

    def restore(self, state: dict[str, object]) -> None:
        """Show a card saved by ``state`` (what it cannot read is left as it is)."""
        for key, edit in self._texts().items():
            edit.setText(str(state.get(key, "")))
        for key, combo in self._combos().items():
            select_data(combo, str(state.get(key, "")))
        birth = str(state.get("birth_date", ""))
        if birth:
            self.birth_date.setDate(QDate.fromString(birth, "yyyy-MM-dd"))
        party_id = str(state.get("party_id", ""))
        self.party_id = uuid.UUID(party_id) if party_id else None
        kept = state.get("kept")
        if isinstance(kept, dict):
            self._kept = {str(key): str(value) for key, value in kept.items()}

    def is_blank(self) -> bool:
        edits = (self.name_edit, self.id_number_edit, self.phone_edit, self.address_edit, self.agent_edit)
        return self.party_id is None and not any(edit.text().strip() for edit in edits)

    def check(self) -> PartyInput | None:
        """Validate with the domain's rules; show every failure under its field."""
        self.clear_errors()
        self._check_id_number()
        self._check_phone()
        self._check_agent_phone()
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
        target = field or "name"
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

    def _id_typed(self, text: str) -> None:
        """As the number is typed: checked once it is complete, its message gone while it is being corrected."""
        if len(text.strip().replace(" ", "")) in (15, 18):
            self._check_id_number()
        elif self.fields["id_number"].has_error:
            self.fields["id_number"].clear()

    def _compare_with_id(self) -> None:
        """A gender or birth date that disagrees with the ID number: a warning under it, at once."""
        text = self.id_number_edit.text().strip()
        id_type = combo_value(self.id_type_combo, IdType) or IdType.RESIDENT_ID
        for key in ("gender", "birth_date"):
            if not self.fields[key].has_error:
                self.fields[key].clear()
        if not text or not id_type.is_gb11643:
            return
        try:
            parsed = parse_resident_id(text)
        except ValidationError:
            return
        gender = combo_value(self.gender_combo, Gender)
        if (
            gender is not None
            and gender is not parsed.gender
            and combo_value(self.kind_combo, PartyKind) is PartyKind.PERSON
        ):
            self.fields["gender"].set_hint(self.tr("The ID number says {gender}").format(gender=parsed.gender.label))
        birth = self.birth_value()
        if birth is not None and birth != parsed.birth_date:
            self.fields["birth_date"].set_hint(
                self.tr("The ID number says {date}").format(date=parsed.birth_date.isoformat())
            )

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
        if self.birth_value() is None:
            self.birth_date.setDate(QDate(parsed.birth_date.year, parsed.birth_date.month, parsed.birth_date.day))
        if parsed.warnings:
            row.set_hint("；".join(parsed.warnings))
        self._compare_with_id()

    def _check_phone(self) -> None:
        self._phone_field("phone", self.phone_edit)

    def _check_agent_phone(self) -> None:
        self._phone_field("agent_phone", self.agent_phone_edit)

    def _phone_field(self, key: str, edit: QLineEdit) -> None:
        row = self.fields[key]
        row.clear()
        text = edit.text().strip()
        if not text:
            return
        try:
            phone = normalise_phone(text)
        except ValidationError as error:
            row.set_error(error.message)
            return
        if phone != edit.text():
            edit.setText(phone)


class PartiesSection(QWidget):
    """The parties of the case: applicants, respondents and third parties, added and removed by the user."""

    edited = Signal()
    cards_changed = Signal()
    """A card was added or removed: the form puts the cards into its tab order again."""

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
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own: its fields are
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
            button = QPushButton(icon("new"), text)
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
        self.cards_changed.emit()
        if focus:
            editor.name_edit.setFocus()
            self._scroll.ensureWidgetVisible(editor)
            self.edited.emit()
        return editor

    def _remove(self, editor: PartyEditor) -> None:
        self.editors.remove(editor)
        self._drop(editor)
        self._retitle()
        self.cards_changed.emit()
        self.edited.emit()

    def _edited(self) -> None:
        self._retitle()
        self.edited.emit()

    def _retitle(self) -> None:
        counts: dict[PartyRole, int] = {}
        for editor in self.editors:
            counts[editor.role] = counts.get(editor.role, 0) + 1
            editor.setTitle(f"{editor.role.label} {counts[editor.role]}")

    def fill(self, parties: tuple[PartyInfo, ...] | list[PartyInfo], extras: dict[uuid.UUID, PartyExtras]) -> None:
        """Show the parties on file (the cards there are replaced)."""
        self._clear()
        for party in parties:
            self.add_party(party.role).fill(party, extras.get(party.id))
        self._retitle()

    def state(self) -> list[dict[str, object]]:
        """Every card as typed, for the autosaved draft."""
        return [editor.state() for editor in self.editors]

    def restore(self, cards: list[dict[str, object]]) -> None:
        """Replace the cards with those of a draft."""
        self._clear()
        for card in cards:
            self.add_party(PartyRole.APPLICANT).restore(card)
        self._retitle()

    def _clear(self) -> None:
        for editor in list(self.editors):
            self.editors.remove(editor)
            self._drop(editor)

    def focus_chain(self) -> list[QWidget]:
        """The Tab stops of the cards, card after card, then the buttons that add a card."""
        chain: list[QWidget] = [widget for editor in self.editors for widget in editor.tab_stops()]
        return chain + list(self.add_buttons.values())

    def _drop(self, editor: PartyEditor) -> None:
        """Take a card out at once: hidden, it is not painted over the new cards until it is deleted."""
        self._list.removeWidget(editor)
        editor.hide()
        editor.setParent(None)
        editor.deleteLater()

    def set_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def entries(self) -> list[tuple[uuid.UUID | None, PartyInput]] | None:
        """Each party card's id on file (``None`` for a new one) and its checked input; ``None`` on an error."""
        self.set_message("")
        found: list[tuple[uuid.UUID | None, PartyInput]] = []
        ok = True
        for editor in self.editors:
            if editor.is_blank():
                editor.clear_errors()
                continue
            party = editor.check()
            if party is None:
                ok = False
            else:
                found.append((editor.party_id, party))
        return found if ok else None

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
