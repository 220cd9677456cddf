"""The main window: a navigation of the program's parts (今日工作, 案件, 调解员与组织, 设置), menus and a
toolbar whose actions all carry icons and shortcuts, and a status bar with the signed-in user.

It knows the desk only through services and refreshes its pages when the application-wide change signal says
what changed. What the signed-in role may not do is disabled, with a tooltip that says why; the services check
the role again.
"""

from __future__ import annotations

import importlib
import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

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
from mediation_desk.domain.permissions import Permission, allowed
from mediation_desk.services.desk import ORG_SETTING, SYNTHETIC_SETTING, Changes, Desk
from mediation_desk.services.orgs import OrgInfo, list_orgs
from mediation_desk.ui import settings
from mediation_desk.ui.icons import icon
from mediation_desk.ui.tasks import ChangeHub, TaskRunner

if TYPE_CHECKING:
    from mediation_desk.services.integrity import IntegrityReport
    from mediation_desk.ui.case_editor import CaseEditor
    from mediation_desk.ui.cases_page import CasesPage
    from mediation_desk.ui.print_page import PrintPage
    from mediation_desk.ui.rosters_page import RostersPage
    from mediation_desk.ui.settings_page import SettingsPage
    from mediation_desk.ui.today_page import TodayPage

CASE_TABLES = ("dispute_case", "party", "outcome", "org_unit", "agreement", "follow_up", "judicial_confirmation")
CASE_WORK_TABLES = (*CASE_TABLES, "case_mediator", "session_record", "investigation_record")
ROSTER_TABLES = ("mediator", "mediator_pairing", "mediator_assessment", "org_unit")


class Page(Protocol):
    """What the main window needs of a page (a ``QWidget``): read its data again."""

    def refresh(self) -> None: ...


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One part of the program in the navigation. Its module is imported, and the page built, when it is first
    shown (or first used): ``Page(desk, runner, orgs, parent=None)``, or ``Page(desk, runner)`` without ``orgs``.
    ``tables``: the page is read again when one of these tables changed. A page's ``open_case`` signal opens the
    case, its ``status`` signal shows a message in the status bar."""

    module: str
    cls: str
    icon: str
    text: str
    tables: tuple[str, ...] = ()
    orgs: bool = True
    load: bool = False  # read its data once built (a page that does not load itself)


# The navigation, in order (Ctrl+1, Ctrl+2, ...): one line a page. PyInstaller collects every module of the
# package (installer/mediation_desk.spec), so a page imported here by name is always in the bundle.
PAGES = (
    PageSpec(
        "mediation_desk.ui.today_page",
        "TodayPage",
        "today",
        str(QT_TRANSLATE_NOOP("MainWindow", "&Today's work")),
        CASE_WORK_TABLES,
        orgs=False,
    ),
    PageSpec(
        "mediation_desk.ui.cases_page",
        "CasesPage",
        "cases",
        str(QT_TRANSLATE_NOOP("MainWindow", "&Cases")),
        CASE_WORK_TABLES,
    ),
    PageSpec(
        "mediation_desk.ui.rosters_page",
        "RostersPage",
        "people",
        str(QT_TRANSLATE_NOOP("MainWindow", "&Mediators and organisations")),
        ROSTER_TABLES,
    ),
    PageSpec(
        "mediation_desk.ui.print_page",
        "PrintPage",
        "print",
        str(QT_TRANSLATE_NOOP("MainWindow", "&Printing")),
        load=True,
    ),
    PageSpec("mediation_desk.ui.stats_page", "StatsPage", "stats", str(QT_TRANSLATE_NOOP("MainWindow", "Stat&istics"))),
    PageSpec(
        "mediation_desk.ui.sync_page", "SyncPage", "sync", str(QT_TRANSLATE_NOOP("MainWindow", "S&ync")), load=True
    ),
    PageSpec(
        "mediation_desk.ui.settings_page",
        "SettingsPage",
        "settings",
        str(QT_TRANSLATE_NOOP("MainWindow", "&Settings")),
        orgs=False,
    ),
)


def page_index(module: str) -> int:
    """The position of the page of ``module`` in the navigation."""
    return next(index for index, spec in enumerate(PAGES) if spec.module == module)


PAGE_TODAY = page_index("mediation_desk.ui.today_page")
PAGE_CASES = page_index("mediation_desk.ui.cases_page")
PAGE_ROSTERS = page_index("mediation_desk.ui.rosters_page")
PAGE_PRINT = page_index("mediation_desk.ui.print_page")
PAGE_STATS = page_index("mediation_desk.ui.stats_page")
PAGE_SYNC = page_index("mediation_desk.ui.sync_page")
PAGE_SETTINGS = page_index("mediation_desk.ui.settings_page")

LICENCES = (
    QT_TRANSLATE_NOOP("MainWindow", "Mediation Desk and its icons: GPL-3.0-or-later"),
    QT_TRANSLATE_NOOP("MainWindow", "Qt 6 and PySide6: LGPL-3.0"),
    QT_TRANSLATE_NOOP("MainWindow", "WenQuanYi Micro Hei font: Apache-2.0, or GPL-3.0 with the font exception"),
    QT_TRANSLATE_NOOP("MainWindow", "SQLAlchemy, Alembic, openpyxl, pypinyin, platformdirs, keyring, argon2-cffi: MIT"),
    QT_TRANSLATE_NOOP("MainWindow", "cryptography: Apache-2.0 or BSD-3-Clause; pyrage: MIT or Apache-2.0"),
    QT_TRANSLATE_NOOP("MainWindow", "ReportLab: BSD-3-Clause; psycopg: LGPL-3.0"),
    QT_TRANSLATE_NOOP("MainWindow", "Noto Serif CJK SC (forms): OFL-1.1; HanaMin (rare characters): Hanazono"),
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
        self._built: dict[int, QWidget] = {}
        orgs = list_orgs(desk)
        code = desk.setting(ORG_SETTING)
        self.orgs = subtree(orgs, code)
        self.org_name = next((org.name for org in orgs if org.code == code), code or "")
        self.synthetic = desk.setting(SYNTHETIC_SETTING) == "1"
        self.setWindowTitle(self._title())
        self.setWindowIcon(icon("cases"))
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_centre()
        self._build_status_bar()
        changes.changed.connect(self._on_changes)
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
        action.setIconText(plain(text))  # a tool button shows no mnemonic: the menus carry it
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
        self.print_action = self._action(
            "print", self.tr("&Print…"), "Ctrl+P", self.tr("Print the forms of the selected cases")
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
        self.open_action.triggered.connect(self._open_selected)
        self.save_action.triggered.connect(self._save)
        self.find_action.triggered.connect(self._find)
        self.refresh_action.triggered.connect(self.refresh)
        self.export_action.triggered.connect(self._export)
        self.print_action.triggered.connect(self.print_selected)
        self.password_action.triggered.connect(self._change_password)
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
        for page, spec in enumerate(PAGES):
            text = self.tr(spec.text)
            action = self._action(spec.icon, text, f"Ctrl+{page + 1}" if page < 9 else None, plain(text))
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
        case_menu.addActions(
            [self.new_case_action, self.open_action, self.find_action, self.export_action, self.print_action]
        )
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
        toolbar.addAction(self.print_action)
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
        for _spec in PAGES:
            self.pages.addWidget(QWidget())  # a place held: the page is built when first shown (``page``)
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

    # -- pages ------------------------------------------------------------------------------------------------

    def page(self, index: int) -> QWidget:
        """The page at ``index`` of the navigation, built (its module imported) the first time it is wanted."""
        built = self._built.get(index)
        if built is not None:
            return built
        spec = PAGES[index]
        page_class = getattr(importlib.import_module(spec.module), spec.cls)
        args = (self.desk, self.runner, self.orgs) if spec.orgs else (self.desk, self.runner)
        built = cast(QWidget, page_class(*args))
        self._built[index] = built
        self._wire(built)
        placeholder = self.pages.widget(index)
        assert placeholder is not None
        current = self.pages.currentIndex()
        self.pages.insertWidget(index, built)
        self.pages.removeWidget(placeholder)
        placeholder.deleteLater()
        if current >= 0:
            self.pages.setCurrentIndex(current)
        if spec.load:
            cast(Page, built).refresh()
        return built

    def built(self, index: int) -> QWidget | None:
        """The page at ``index`` if it has been built, else ``None`` (nothing is imported)."""
        return self._built.get(index)

    def _wire(self, page: QWidget) -> None:
        """The connections every page may have (``open_case``, ``status``), and those of the pages that need more."""
        open_case = getattr(page, "open_case", None)
        if open_case is not None:
            open_case.connect(self.open_case)
        status = getattr(page, "status", None)
        if status is not None:
            status.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        if self._built.get(PAGE_CASES) is page:
            cases = cast("CasesPage", page)
            cases.exported.connect(lambda text: self.statusBar().showMessage(text, 10_000))
            cases.table.selectionModel().selectionChanged.connect(self._selection_changed)
            cases.model.modelReset.connect(self._selection_changed)
        elif self._built.get(PAGE_SETTINGS) is page:
            settings_page = cast("SettingsPage", page)
            settings_page.dirty_changed.connect(lambda _dirty: self._update_save())
            settings_page.restore_requested.connect(self._restore)

    @property
    def today(self) -> TodayPage:
        return cast("TodayPage", self.page(PAGE_TODAY))

    @property
    def cases(self) -> CasesPage:
        return cast("CasesPage", self.page(PAGE_CASES))

    @property
    def rosters(self) -> RostersPage:
        return cast("RostersPage", self.page(PAGE_ROSTERS))

    @property
    def settings_page(self) -> SettingsPage:
        return cast("SettingsPage", self.page(PAGE_SETTINGS))

    def show_page(self, page: int) -> None:
        self.nav.setCurrentRow(page)

    def _nav_changed(self, page: int) -> None:
        self.page(page)
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
        settings_page = cast("SettingsPage | None", self.built(PAGE_SETTINGS))
        savable = self.current_page() == PAGE_SETTINGS and settings_page is not None and settings_page.dirty
        self.save_action.setEnabled(savable)

    def _selection_changed(self) -> None:
        cases = cast("CasesPage | None", self.built(PAGE_CASES))
        on_list = self.current_page() == PAGE_CASES and cases is not None
        self.open_action.setEnabled(on_list and cases is not None and cases.has_selection())
        self.export_action.setEnabled(on_list and cases is not None and cases.model.rowCount() > 0)

    def refresh(self) -> None:
        cast(Page, self.page(self.current_page())).refresh()

    def _on_changes(self, changes: Changes) -> None:
        """Pages read again what changed; a page not built yet reads everything when it is."""
        for index, spec in enumerate(PAGES):
            page = self.built(index)
            if page is None:
                continue
            own = getattr(page, "on_changes", None)  # a page that tells for itself what concerns it
            if own is not None:
                own(changes)
            elif spec.tables and changes.touches(*spec.tables):
                cast(Page, page).refresh()

    def _find(self) -> None:
        self.show_page(PAGE_CASES)
        self.cases.focus_search()

    def _save(self) -> None:
        if self.current_page() == PAGE_SETTINGS:
            self.settings_page.save()

    def _open_selected(self) -> None:
        self.cases.open_selected()

    def print_selected(self) -> None:
        """Ctrl+P: the 打印 page, with the cases selected in the list (if any) ticked and shown first."""
        cases = cast("CasesPage | None", self.built(PAGE_CASES))
        chosen = cases.selected_ids() if cases is not None and self.current_page() == PAGE_CASES else []
        page = cast("PrintPage", self.page(PAGE_PRINT))
        if chosen:
            page.print_cases(chosen)
        self.show_page(PAGE_PRINT)

    def _export(self) -> None:
        self.cases.export()

    def _change_password(self) -> None:
        from mediation_desk.ui.settings_page import change_password

        change_password(self, self.runner, self.desk)

    # -- cases ------------------------------------------------------------------------------------------------

    def new_case(self) -> None:
        if not self.new_case_action.isEnabled():
            return
        from mediation_desk.ui.case_form import CaseForm

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

        from mediation_desk.ui.case_editor import CaseEditor

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
        cases = cast("CasesPage | None", self.built(PAGE_CASES))
        if cases is not None:
            cases.save_state()
        super().closeEvent(event)
