"""The main window: a navigation of the program's parts (今日工作, 案件, 调解员与组织, 设置), menus and a
toolbar whose actions all carry icons and shortcuts, and a status bar with the signed-in user.

It knows the desk only through services and refreshes its pages when the application-wide change signal says
what changed. What the signed-in role may not do is disabled, with a tooltip that says why; the services check
the role again.
"""

from __future__ import annotations

import re
import uuid

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

import mediation_desk
from mediation_desk.demo import SYNTHETIC_SETTING
from mediation_desk.domain.permissions import Permission, allowed
from mediation_desk.services.desk import ORG_SETTING, Changes, Desk
from mediation_desk.services.integrity import IntegrityReport
from mediation_desk.services.orgs import OrgInfo, list_orgs
from mediation_desk.ui import settings
from mediation_desk.ui.case_editor import CaseEditor
from mediation_desk.ui.case_form import CaseForm
from mediation_desk.ui.cases_page import CasesPage
from mediation_desk.ui.icons import icon
from mediation_desk.ui.rosters_page import RostersPage
from mediation_desk.ui.settings_page import SettingsPage, change_password
from mediation_desk.ui.tasks import ChangeHub, TaskRunner
from mediation_desk.ui.today_page import TodayPage

CASE_TABLES = ("dispute_case", "party", "outcome", "org_unit", "agreement", "follow_up", "judicial_confirmation")
PAGE_TODAY, PAGE_CASES, PAGE_ROSTERS, PAGE_SETTINGS = range(4)

LICENCES = (
    QT_TRANSLATE_NOOP("MainWindow", "Mediation Desk and its icons: GPL-3.0-or-later"),
    QT_TRANSLATE_NOOP("MainWindow", "Qt 6 and PySide6: LGPL-3.0"),
    QT_TRANSLATE_NOOP("MainWindow", "WenQuanYi Micro Hei font: Apache-2.0, or GPL-3.0 with the font exception"),
    QT_TRANSLATE_NOOP("MainWindow", "SQLAlchemy, Alembic, openpyxl, pypinyin, platformdirs, keyring, argon2-cffi: MIT"),
    QT_TRANSLATE_NOOP("MainWindow", "cryptography: Apache-2.0 or BSD-3-Clause; pyrage: MIT or Apache-2.0"),
)


def plain(text: str) -> str:
    """A menu text without its mnemonic: ``今日工作(&T)`` or ``&Today's work`` as a label."""
    return re.sub(r"\(&\w\)", "", text).replace("&", "")


def subtree(orgs: list[OrgInfo], code: str | None) -> list[OrgInfo]:
    """The organisation ``code`` and everything below it, in tree order."""
    children: dict[str | None, list[OrgInfo]] = {}
    for org in orgs:
        children.setdefault(org.parent_code, []).append(org)
    found: list[OrgInfo] = []
    stack = [org for org in orgs if org.code == code]
    while stack:
        org = stack.pop(0)
        found.append(org)
        stack[0:0] = children.get(org.code, [])
    return found


class MainWindow(QMainWindow):
    def __init__(self, desk: Desk, runner: TaskRunner, changes: ChangeHub, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = runner
        self.signed_out = False
        self.restore_name: str | None = None
        self.editors: dict[uuid.UUID, CaseEditor] = {}
        orgs = list_orgs(desk)
        code = desk.setting(ORG_SETTING)
        self.orgs = subtree(orgs, code)
        self.org_name = next((org.name for org in orgs if org.code == code), code or "")
        self.synthetic = desk.setting(SYNTHETIC_SETTING) == "1"
        self.setWindowTitle(self._title())
        self.setWindowIcon(icon("cases"))
        self.today = TodayPage(desk, runner)
        self.cases = CasesPage(desk, runner, self.orgs)
        self.rosters = RostersPage(desk, runner, self.orgs)
        self.settings_page = SettingsPage(desk, runner)
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_centre()
        self._build_status_bar()
        self._connect(changes)
        self._restore_geometry()
        self.show_page(PAGE_TODAY)

    # -- building ---------------------------------------------------------------------------------------------

    def _title(self) -> str:
        title = self.tr("Mediation Desk — {organisation}").format(organisation=self.org_name)
        if self.synthetic:
            title += self.tr(" (demo data)")
        return title

    def may(self, permission: Permission) -> bool:
        return allowed(self.desk.actor.role, permission)

    def _action(self, name: str, text: str, shortcut: QKeySequence | str | None, tip: str) -> QAction:
        action = QAction(icon(name), text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({keys})")
        else:
            action.setToolTip(tip)
        action.setStatusTip(tip)
        return action

    def _build_actions(self) -> None:
        self.new_case_action = self._action(
            "new", self.tr("&Register case"), "Ctrl+N", self.tr("Register a new case and its parties")
        )
        self.open_action = self._action("open", self.tr("&Open case"), "Ctrl+O", self.tr("Open the selected case"))
        self.save_action = self._action("save", self.tr("&Save"), "Ctrl+S", self.tr("Save the settings on this page"))
        self.find_action = self._action("find", self.tr("&Find cases"), "Ctrl+F", self.tr("Search the cases"))
        self.refresh_action = self._action("refresh", self.tr("Re&fresh"), "F5", self.tr("Read this page again"))
        self.export_action = self._action(
            "export",
            self.tr("&Export list to Excel…"),
            "Ctrl+E",
            self.tr("Export the cases listed to an Excel workbook"),
        )
        self.password_action = self._action(
            "password", self.tr("Change &password…"), None, self.tr("Change your own password")
        )
        self.sign_out_action = self._action(
            "sign_out", self.tr("Sign &out"), "Ctrl+L", self.tr("Sign out and show the sign-in window")
        )
        self.quit_action = self._action("exit", self.tr("E&xit"), "Ctrl+Q", self.tr("Close Mediation Desk"))
        self.about_action = self._action(
            "about", self.tr("&About Mediation Desk"), None, self.tr("Version and licences")
        )
        self.new_case_action.triggered.connect(self.new_case)
        self.open_action.triggered.connect(self.cases.open_selected)
        self.save_action.triggered.connect(self._save)
        self.find_action.triggered.connect(self._find)
        self.refresh_action.triggered.connect(self.refresh)
        self.export_action.triggered.connect(self.cases.export)
        self.password_action.triggered.connect(lambda: change_password(self, self.runner, self.desk))
        self.sign_out_action.triggered.connect(self.sign_out)
        self.quit_action.triggered.connect(self.close)
        self.about_action.triggered.connect(self._about)
        self.open_action.setEnabled(False)
        if not self.may(Permission.EDIT_CASE):
            self.new_case_action.setEnabled(False)
            self.new_case_action.setToolTip(self.tr("Your role may not register cases"))
        self.password_action.setEnabled(self.desk.actor.username is not None)
        self.sign_out_action.setEnabled(self.desk.actor.username is not None)

    def _page_actions(self) -> list[QAction]:
        actions = []
        for page, (name, text) in enumerate(
            (
                ("today", self.tr("&Today's work")),
                ("cases", self.tr("&Cases")),
                ("people", self.tr("&Mediators and organisations")),
                ("settings", self.tr("&Settings")),
            )
        ):
            action = self._action(name, text, f"Ctrl+{page + 1}", plain(text))
            action.triggered.connect(lambda _checked=False, page=page: self.show_page(page))
            actions.append(action)
        return actions

    def _build_menus(self) -> None:
        menus = self.menuBar()
        desk_menu = menus.addMenu(self.tr("&Desk"))
        desk_menu.addActions([self.save_action, self.password_action, self.sign_out_action])
        desk_menu.addSeparator()
        desk_menu.addAction(self.quit_action)
        case_menu = menus.addMenu(self.tr("C&ase"))
        case_menu.addActions([self.new_case_action, self.open_action, self.find_action, self.export_action])
        view_menu = menus.addMenu(self.tr("&View"))
        self.page_actions = self._page_actions()
        view_menu.addActions(self.page_actions)
        view_menu.addSeparator()
        view_menu.addAction(self.refresh_action)
        help_menu = menus.addMenu(self.tr("&Help"))
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Main toolbar"))
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(20, 20))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([self.new_case_action, self.open_action, self.find_action, self.refresh_action])
        toolbar.addSeparator()
        toolbar.addAction(self.export_action)
        self.addToolBar(toolbar)

    def _build_centre(self) -> None:
        self.nav = QListWidget()
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setSpacing(2)
        for action in self.page_actions:
            QListWidgetItem(action.icon(), plain(action.text()), self.nav)
        self.nav.setFixedWidth(self.fontMetrics().horizontalAdvance("调解员与组织") + 64)
        self.nav.currentRowChanged.connect(self._nav_changed)
        self.pages = QStackedWidget()
        for page in (self.today, self.cases, self.rosters, self.settings_page):
            self.pages.addWidget(page)
        centre = QWidget()
        layout = QHBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(centre)

    def _build_status_bar(self) -> None:
        self.count_label = QLabel()
        self.statusBar().addWidget(self.count_label, 1)
        actor = self.desk.actor
        who = actor.username or actor.name
        self.user_label = QLabel(self.tr("Signed in: {user} ({role})").format(user=who, role=actor.role.label))
        self.statusBar().addPermanentWidget(self.user_label)
        self.synthetic_marker = QLabel(self.tr("Demo data"))
        self.synthetic_marker.setToolTip(
            self.tr("Everything on this desk was generated by the program. No case or person in it is real.")
        )
        self.synthetic_marker.setStyleSheet(
            "QLabel { background: #f4b400; color: #202020; font-weight: bold; padding: 1px 10px; border-radius: 3px; }"
        )
        self.synthetic_marker.setVisible(self.synthetic)
        self.statusBar().addPermanentWidget(self.synthetic_marker)

    def _connect(self, changes: ChangeHub) -> None:
        changes.changed.connect(self._on_changes)
        self.today.open_case.connect(self.open_case)
        self.cases.open_case.connect(self.open_case)
        self.cases.exported.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.cases.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.cases.model.modelReset.connect(self._selection_changed)
        self.settings_page.dirty_changed.connect(lambda _dirty: self._update_save())
        self.settings_page.restore_requested.connect(self._restore)

    # -- pages ------------------------------------------------------------------------------------------------

    def show_page(self, page: int) -> None:
        self.nav.setCurrentRow(page)

    def _nav_changed(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self._update_save()
        self._selection_changed()
        if page == PAGE_CASES:
            self.cases.focus_search()
        elif page == PAGE_TODAY:
            self.today.focus_list()

    def current_page(self) -> int:
        return self.pages.currentIndex()

    def _update_save(self) -> None:
        savable = self.current_page() == PAGE_SETTINGS and self.settings_page.dirty
        self.save_action.setEnabled(savable)

    def _selection_changed(self) -> None:
        on_list = self.current_page() == PAGE_CASES
        self.open_action.setEnabled(on_list and self.cases.has_selection())
        self.export_action.setEnabled(on_list and self.cases.model.rowCount() > 0)

    def refresh(self) -> None:
        page = self.current_page()
        if page == PAGE_TODAY:
            self.today.refresh()
        elif page == PAGE_CASES:
            self.cases.refresh()
        elif page == PAGE_ROSTERS:
            self.rosters.refresh()
        else:
            self.settings_page.refresh()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(*CASE_TABLES, "case_mediator", "session_record", "investigation_record"):
            self.cases.refresh()
            self.today.refresh()
        if changes.touches("mediator", "mediator_pairing", "mediator_assessment", "org_unit"):
            self.rosters.refresh()

    def _find(self) -> None:
        self.show_page(PAGE_CASES)
        self.cases.focus_search()

    def _save(self) -> None:
        if self.current_page() == PAGE_SETTINGS:
            self.settings_page.save()

    # -- cases ------------------------------------------------------------------------------------------------

    def new_case(self) -> None:
        if not self.new_case_action.isEnabled():
            return
        row, ok = CaseForm.register(self, self.runner, self.desk)
        if ok and row is not None:
            self.show_page(PAGE_CASES)
            self.cases.select_later(row.id)
            self.statusBar().showMessage(self.tr("Case {number} registered").format(number=row.number), 8000)
            self.open_case(row.id)

    def open_case(self, case_id: uuid.UUID) -> None:
        """Open the case in its editor window (raised if it is open already)."""
        editor = self.editors.get(case_id)
        if editor is not None:
            editor.show()
            editor.raise_()
            editor.activateWindow()
            return

        def opened(editor: CaseEditor) -> None:
            self.editors[case_id] = editor
            editor.destroyed.connect(lambda: self.editors.pop(case_id, None))
            editor.show()

        CaseEditor.load(self, self.runner, self.desk, case_id, opened)

    # -- the rest ---------------------------------------------------------------------------------------------

    def show_damaged(self, report: IntegrityReport) -> None:
        """The background check found the database damaged: say so, and how to recover."""
        text = self.tr("The database of this desk is damaged: {problem}").format(problem=report.problem or "")
        if report.backup and report.restore_command:
            text += "\n\n" + self.tr(
                "Make no more changes. To recover, close Mediation Desk and restore the last good backup, "
                "{backup}, with this command:\n\n{command}\n\nThe damaged database is kept as a copy first."
            ).format(backup=report.backup, command=report.restore_command)
        else:
            text += "\n\n" + self.tr(
                "No intact backup was found. Make no more changes, copy the whole data folder {folder} to a safe "
                "place and ask for technical support."
            ).format(folder=report.folder or "")
        QMessageBox.critical(self, self.tr("Database damaged"), text)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Mediation Desk"),
            self.tr("Mediation Desk {version}\nCase management for people's mediation committees.").format(
                version=mediation_desk.__version__
            )
            + "\n\n"
            + self.tr("Licences:")
            + "\n"
            + "\n".join(self.tr(str(text)) for text in LICENCES),
        )

    def _restore(self, name: str) -> None:
        """Close (asking about unsaved work); the start-up loop restores ``name`` and opens the desk again."""
        self.restore_name = name
        if not self.close():
            self.restore_name = None

    def sign_out(self) -> None:
        from mediation_desk.ui.login import remember

        if self.close():
            remember(None)
            self.signed_out = True

    def _restore_geometry(self) -> None:
        if not self.restoreGeometry(settings.get(settings.MAIN_GEOMETRY)):
            screen = self.screen().availableGeometry()
            self.resize(min(1280, screen.width() - 40), min(720, screen.height() - 40))
            self.move(screen.center() - self.rect().center())

    def closeEvent(self, event: QCloseEvent) -> None:
        for editor in list(self.editors.values()):
            editor.close()
            if editor.isVisible():  # the user went on editing
                event.ignore()
                return
        settings.put(settings.MAIN_GEOMETRY, self.saveGeometry())
        self.cases.save_state()
        super().closeEvent(event)
