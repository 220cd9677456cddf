"""First run: the data folder holds no desk yet. Set this desk up, or load the synthetic demo county.

Setting up calls ``services.setup.initialise`` through the single writer; its ``ValidationError`` messages are
shown beside the fields they name. The demo itself is created by the caller (``app.py``) with a progress dialog.
``FirstRunDialog.ask`` is the testable seam: it returns ``(choice, ok)``.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QCommandLinkButton,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.domain.codes import OrgLevel
from mediation_desk.domain.errors import DomainError
from mediation_desk.services.desk import Actor
from mediation_desk.services.orgs import reference_rows
from mediation_desk.services.setup import SetupInput, initialise
from mediation_desk.ui.icons import icon
from mediation_desk.ui.tasks import TaskRunner, show_error
from mediation_desk.ui.widgets import ERROR_STYLE, FieldRow, combo_value, enum_combo

LEVELS = (OrgLevel.VILLAGE, OrgLevel.TOWNSHIP, OrgLevel.COUNTY)


class FirstRunChoice(Enum):
    SET_UP = "set_up"  # the desk was set up in the dialog
    DEMO = "demo"  # the caller should create the demo county


def set_up_desk(root: Path, data: SetupInput) -> None:
    """Run the set-up and release the folder again (in the same thread: the folder lock is per thread)."""
    initialise(root, data, Actor.local_operator("gui")).close()


class FirstRunDialog(QDialog):
    def __init__(self, root: Path, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.root = root
        self._runner = runner
        self._busy = False
        self.choice: FirstRunChoice | None = None
        self.fields: dict[str, FieldRow] = {}
        self.setWindowTitle(self.tr("Welcome to Mediation Desk"))
        self.pages = QStackedWidget()
        self.pages.addWidget(self._choice_page())
        self.pages.addWidget(self._setup_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.resize(640, 560)

    @classmethod
    def ask(cls, root: Path, runner: TaskRunner, parent: QWidget | None = None) -> tuple[FirstRunChoice | None, bool]:
        dialog = cls(root, runner, parent)
        try:
            dialog.exec()
            return dialog.choice, dialog.choice is not None
        finally:
            dialog.deleteLater()

    # -- page 1: the choice -----------------------------------------------------------------------------------

    def _choice_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        title = QLabel(self.tr("Welcome to Mediation Desk"))
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(
            self.tr("There is no desk in the data folder yet:\n{folder}\nWhat would you like to do?").format(
                folder=self.root
            )
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setup_button = QCommandLinkButton(
            self.tr("Set up this desk"),
            self.tr(
                "Enter the code and name of your mediation committee (or judicial office, or justice bureau) and "
                "choose the administrator's password."
            ),
        )
        self.demo_button = QCommandLinkButton(
            self.tr("Load the demo county"),
            self.tr(
                "Create a made-up county (Jinyun's townships with generated villages, mediators and a year of "
                "cases) to try the program or to train. Every person and case in it is fictitious."
            ),
        )
        self.setup_button.clicked.connect(self._show_setup)
        self.demo_button.clicked.connect(self._choose_demo)
        quit_button = QPushButton(icon("exit"), self.tr("&Quit"))
        quit_button.clicked.connect(self.reject)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(12)
        layout.addWidget(self.setup_button)
        layout.addWidget(self.demo_button)
        layout.addStretch(1)
        layout.addWidget(quit_button, 0, Qt.AlignmentFlag.AlignRight)
        return page

    def _show_setup(self) -> None:
        self.pages.setCurrentIndex(1)
        self.org_code.setFocus()

    def _choose_demo(self) -> None:
        self.choice = FirstRunChoice.DEMO
        self.accept()

    # -- page 2: the set-up form ------------------------------------------------------------------------------

    def _field(self, form: QFormLayout, key: str, label: str, editor: QWidget) -> None:
        row = FieldRow(editor)
        self.fields[key] = row
        text = QLabel(label)
        text.setBuddy(editor)
        form.addRow(text, row)

    def _setup_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        self.org_code = QLineEdit()
        self.org_code.setMaxLength(15)
        self.org_code.setPlaceholderText(self.tr("6 to 15 digits, e.g. 331122001001"))
        self._field(form, "org_code", self.tr("Organisation &code"), self.org_code)
        self.org_name = QLineEdit()
        self.org_name.setMaxLength(100)
        self.org_name.setPlaceholderText(self.tr("e.g. a village people's mediation committee"))
        self._field(form, "org_name", self.tr("Organisation &name"), self.org_name)
        self.level = enum_combo(LEVELS)
        self.level.currentIndexChanged.connect(self._level_changed)
        self._field(form, "level", self.tr("&Level"), self.level)
        self.parent_code = self._parent_combo()
        self._field(form, "parent_code", self.tr("&Parent organisation"), self.parent_code)
        self.case_prefix = QLineEdit()
        self.case_prefix.setMaxLength(12)
        self.case_prefix.setPlaceholderText(self.tr("e.g. 缙五人调, giving numbers like (2021)缙五人调字第12号"))
        self._field(form, "case_prefix", self.tr("Case number &prefix"), self.case_prefix)
        self.admin = QLineEdit("admin")
        self.admin.setMaxLength(50)
        self._field(form, "username", self.tr("&Administrator"), self.admin)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self._field(form, "password", self.tr("Pass&word"), self.password)
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self._field(form, "password_again", self.tr("Password &again"), self.password_again)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        buttons = QDialogButtonBox()
        self.back_button = buttons.addButton(self.tr("&Back"), QDialogButtonBox.ButtonRole.ResetRole)
        self.create_button = buttons.addButton(self.tr("&Set up the desk"), QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        for button, name in ((self.back_button, "back"), (self.create_button, "accept"), (cancel, "cancel")):
            button.setIcon(icon(name))
        self.back_button.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.create_button.setDefault(True)
        heading = QLabel(self.tr("Which organisation does this desk belong to?"))
        heading.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._level_changed()
        return page

    def _parent_combo(self) -> QComboBox:
        """The reference list (the county and its township-level units); any other code may be typed."""
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItem("", "")
        try:
            rows = reference_rows()
        except DomainError:
            rows = []
        for row in rows:
            combo.addItem(f"{row.code} {row.name}", row.code)
        return combo

    def _level_changed(self) -> None:
        county = combo_value(self.level, OrgLevel) is OrgLevel.COUNTY
        self.parent_code.setEnabled(not county)
        if county:
            self.parent_code.setCurrentIndex(0)

    def parent_value(self) -> str | None:
        text = self.parent_code.currentText().strip()
        if not text:
            return None
        index = self.parent_code.findText(text)
        if index > 0:
            return str(self.parent_code.itemData(index))
        return text.split()[0]

    # -- submitting -------------------------------------------------------------------------------------------

    def _clear(self) -> None:
        for row in self.fields.values():
            row.clear()
        self.message.hide()

    def setup_input(self) -> SetupInput | None:
        self._clear()
        if self.password.text() != self.password_again.text():
            self.fields["password_again"].set_error(self.tr("The two passwords are not the same"))
            self.password_again.setFocus()
            return None
        level = combo_value(self.level, OrgLevel) or OrgLevel.VILLAGE
        return SetupInput(
            org_code=self.org_code.text().strip(),
            org_name=self.org_name.text().strip(),
            level=level,
            parent_code=None if level is OrgLevel.COUNTY else self.parent_value(),
            admin=self.admin.text().strip(),
            password=self.password.text(),
            case_prefix=self.case_prefix.text().strip() or None,
        )

    def submit(self) -> None:
        if self._busy:
            return
        data = self.setup_input()
        if data is None:
            return
        self._set_busy(True)
        root = self.root
        self._runner.write(lambda: set_up_desk(root, data), lambda _none: self._done(), lambda e: self._failed(e, data))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.pages.setEnabled(not busy)
        if busy:
            self.message.setStyleSheet("")
            self.message.setText(self.tr("Setting up the desk…"))
            self.message.show()

    def _done(self) -> None:
        self._set_busy(False)
        self.choice = FirstRunChoice.SET_UP
        self.accept()

    def _failed(self, error: BaseException, data: SetupInput) -> None:
        self._set_busy(False)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        if not isinstance(error, DomainError):
            show_error(self, error)
            return
        field = error.field
        if field in self.fields:
            self.fields[field].set_error(error.message)
            self.fields[field].editor.setFocus()
        else:
            self.message.setText(error.message)
            self.message.show()

    def reject(self) -> None:
        if not self._busy:
            super().reject()
