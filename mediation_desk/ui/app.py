"""Start the GUI: the application, its font and translations, the crash handler, the first run, signing in,
the main window.

``run`` is what ``mediation-desk gui`` (and a start without arguments) calls. It returns the process exit code:
0 after a normal session (or when the user leaves the first-run or sign-in dialog), 1 when the desk cannot be
opened (another instance holds the folder, the database is from a newer version, or another ``DomainError``); in
that case one Chinese message box says why, and nothing is written. Signing out and restoring a backup close the
main window and go round again: restore, open the desk, sign in.

Start-up imports only what the first window needs. On a folder that holds a desk, the desk starts opening on a
worker thread as soon as the sign-in window is built, before it is shown (``services.opening``: the database layer
imported, the folder lock, the migrations check, and a migration behind a backup when one is pending, the data key).
The keyring backend that held the desk's key is remembered (QSettings) and named to the opening at the next start,
which loads that one backend first; without one remembered, keyring chooses among all its backends on a second
worker beside it. The GUI thread never imports the database layer itself: the user types while the desk opens, and
nothing of the desk is shown or used before it is open. Once it is open, a worker imports the main window's code
while the password is typed and checked (argon2 leaves Python's lock free). When it cannot be opened the sign-in
window closes and one message says why. When an account is remembered for this OS session (no password to type) the
desk opens first, as before. The main window's modules (and the demo generator) are imported when they are about to
be used; its pages are built when first shown (``ui.main_window.PAGES``); the integrity check, the daily backup and
the search index run in the background after the main window is made.
"""

from __future__ import annotations

import importlib
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

import mediation_desk
from mediation_desk.domain.errors import DomainError
from mediation_desk.resources import resource_path
from mediation_desk.services.opening import (
    OpenedDesk,
    has_database,
    keyring_in_use,
    open_for_sign_in,
    prefer_keyring,
    prepare_keyring,
)
from mediation_desk.ui import crash, i18n, settings
from mediation_desk.ui.tasks import ChangeHub, TaskCancelled, TaskRunner, wait_with_progress

if TYPE_CHECKING:
    from mediation_desk.services import integrity
    from mediation_desk.services.desk import Actor, Desk
    from mediation_desk.ui.login import LoginDialog
    from mediation_desk.ui.main_window import MainWindow

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_ERROR = 1
FONT_FILE = ("fonts", "wqy-microhei.ttc")
RARE_FONT_FILE = ("fonts", "mdrare.ttf")  # 生僻字, also outside the BMP (𠈌), that the first font lacks
MIN_POINT_SIZE = 10.0


def application() -> QApplication:
    """The one ``QApplication`` (made here unless a test made it), named for QSettings."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(settings.ORGANISATION)
    app.setApplicationName(settings.APPLICATION)
    app.setApplicationVersion(mediation_desk.__version__)
    app.setDesktopFileName("mediation-desk")
    return app


def install_font(app: QApplication) -> str | None:
    """Register the bundled WenQuanYi Micro Hei and make it the application font, and the substitute of the
    system's default families, so Chinese never shows as empty boxes (PLATFORM.md); the bundled rare-character
    font comes after it, for the names it lacks. Returns its family."""
    families = _register(FONT_FILE)
    if not families:
        return None
    family = families[0]
    fallback = [family, *_register(RARE_FONT_FILE)[:1]]
    current = app.font()
    for name in {current.family(), "Sans Serif", "Sans", "Helvetica", "Arial", "Segoe UI", "MS Shell Dlg 2"}:
        if name != family:
            QFont.insertSubstitutions(name, fallback)
    font = QFont(current)
    font.setFamilies([*fallback, current.family()])
    chosen = settings.get(settings.FONT_SIZE)
    font.setPointSizeF(float(chosen) if chosen > 0 else max(current.pointSizeF(), MIN_POINT_SIZE))
    app.setFont(font)
    return family


def _register(file: tuple[str, str]) -> list[str]:
    font_id = QFontDatabase.addApplicationFont(str(resource_path(*file)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("bundled font %s could not be loaded", file[-1])
    return families


def open_desk(root: Path, parent: QWidget | None = None) -> Desk | None:
    """Open the desk for this session, holding the folder lock; on a ``DomainError`` one message box, ``None``."""
    from mediation_desk.services.desk import Actor, Desk

    remembered = settings.get(settings.KEYRING_BACKEND)
    try:
        prefer_keyring(remembered)
        desk = Desk.open(root, Actor.local_operator("gui"), lock=True)
    except DomainError as error:
        cannot_start(error, parent)
        return None
    remember_keyring(keyring_in_use(), remembered)
    return desk


def remember_keyring(backend: str, remembered: str) -> None:
    """Keep ``backend``, which held the key of the desk just opened, for the next start (``prepare_keyring``)."""
    if backend and backend != remembered:
        settings.put(settings.KEYRING_BACKEND, backend)


def cannot_start(error: DomainError, parent: QWidget | None = None) -> None:
    """The one message of a desk that cannot be opened."""
    QMessageBox.critical(parent, QCoreApplication.translate("App", "Mediation Desk cannot start"), str(error))


def create_demo_desk(root: Path, runner: TaskRunner, parent: QWidget | None = None) -> bool:
    """Create the synthetic demo county off the GUI thread, with a progress dialog; ``False`` if not created.

    A cancelled or failed demo leaves nothing behind (``create_demo`` removes what it began)."""
    from mediation_desk.demo import create_demo

    label = QCoreApplication.translate("App", "Creating the demo county…")
    try:
        wait_with_progress(runner, parent, label, lambda report: create_demo(root, progress=report), cancellable=True)
    except TaskCancelled:
        return False
    except DomainError as error:
        QMessageBox.warning(parent, QCoreApplication.translate("App", "Mediation Desk"), str(error))
        return False
    return True


def first_run(root: Path, runner: TaskRunner, *, demo: bool) -> bool:
    """Until the folder holds a desk: ask (or, with ``demo``, create the demo directly). ``False``: the user left."""
    from mediation_desk.ui.first_run import FirstRunChoice, FirstRunDialog

    while True:
        if demo:
            choice: FirstRunChoice | None = FirstRunChoice.DEMO
        else:
            choice, ok = FirstRunDialog.ask(root, runner)
            if not ok:
                return False
        if choice is FirstRunChoice.SET_UP:
            return True
        if create_demo_desk(root, runner):
            return True
        if demo:
            return False


def _is_set_up(desk: Desk) -> bool:
    from mediation_desk.services.desk import ORG_SETTING

    return desk.setting(ORG_SETTING) is not None


def _org_name(desk: Desk) -> str:
    from mediation_desk.services.desk import ORG_SETTING
    from mediation_desk.services.orgs import list_orgs

    code = desk.setting(ORG_SETTING)
    return next((org.name for org in list_orgs(desk) if org.code == code), code or "")


def sign_in(desk: Desk, runner: TaskRunner) -> Actor | None:
    """The account acting in this session: the one remembered for this OS session, else the sign-in dialog.
    A desk without accounts (set up by an older version) goes on as the person at this computer."""
    from mediation_desk.services.sessions import active_accounts
    from mediation_desk.ui.login import LoginDialog, remembered

    if active_accounts(desk) == 0:
        return desk.actor
    actor = remembered(desk)
    if actor is not None:
        return actor
    actor, _ok = LoginDialog.ask(desk, runner, _org_name(desk))
    return actor


def start(root: Path, runner: TaskRunner, changes: ChangeHub, *, demo: bool = False) -> MainWindow | int:
    """Everything between the application and its event loop: the main window, or an exit code."""
    if has_database(root):
        from mediation_desk.ui.login import remembered_here

        if remembered_here():  # no password to type: open the desk, then (if still remembered) the main window
            desk = open_desk(root)
            if desk is None:
                return EXIT_ERROR
            if _is_set_up(desk):
                return _signed_in_window(desk, runner, changes)
            desk.close()  # a set-up that was interrupted: offer it again
        else:
            signed_in = sign_in_while_opening(root, runner)
            if isinstance(signed_in, int):
                return signed_in
            if signed_in is not None:
                desk, actor = signed_in
                desk.actor = actor
                return _main_window(desk, runner, changes)
    if not first_run(root, runner, demo=demo):
        return EXIT_OK
    desk = open_desk(root)
    if desk is None:
        return EXIT_ERROR
    return _signed_in_window(desk, runner, changes)


@dataclass(slots=True)
class _Opening:
    """The desk opening behind the sign-in window: its outcome once it is known."""

    opened: OpenedDesk | None = None
    error: BaseException | None = None
    waiting: QEventLoop | None = None  # the sign-in window was left before the desk was open

    @property
    def finished(self) -> bool:
        return self.opened is not None or self.error is not None

    @property
    def decided(self) -> bool:
        """The outcome needs no sign-in: an error, a set-up to finish, or a desk without accounts."""
        return self.error is not None or (self.opened is not None and not (self.opened.set_up and self.opened.accounts))


def sign_in_while_opening(root: Path, runner: TaskRunner) -> tuple[Desk, Actor] | int | None:
    """Show the sign-in window at once and open the desk of ``root`` behind it, on a worker thread.

    Returns the open desk and the account signed in; ``None`` when the desk is not set up (the first run is offered
    again); ``EXIT_OK`` when the user left; ``EXIT_ERROR`` after the one message of a desk that cannot be opened.
    A desk without accounts (set up by an older version) goes on as the person at this computer."""
    from mediation_desk.ui.login import LoginDialog

    opening = _Opening()
    dialog: LoginDialog | None = None
    remembered = settings.get(settings.KEYRING_BACKEND)

    def opened(result: OpenedDesk) -> None:
        opening.opened = result
        remember_keyring(result.keyring_backend, remembered)
        if dialog is not None:
            _opening_finished(dialog, opening)
        if result.set_up and result.accounts:  # while the password is typed and checked: the main window's code
            runner.read(preload_main_window, lambda _modules: None, lambda _error: None)

    def failed(error: BaseException) -> None:
        opening.error = error
        if dialog is not None:
            _opening_finished(dialog, opening)

    dialog = LoginDialog(None, runner, "")
    # Started once the window is built (before, the workers' imports would slow its building down), before it is
    # shown: showing it is mostly Qt's own work, which leaves Python's lock to the workers.
    runner.read(lambda: open_for_sign_in(root, keyring_backend=remembered), opened, failed)
    if not remembered:  # keyring chooses among all its backends: beside the opening (its failure is the opening's)
        runner.read(prepare_keyring, lambda _name: None, lambda _error: None)
    try:
        if opening.finished:  # answered before the window existed (a synchronous runner)
            _opening_finished(dialog, opening)
        if not opening.decided:
            dialog.show()
            QCoreApplication.processEvents()  # on the screen while the database layer is imported
        if not opening.decided:
            dialog.exec()
        if not opening.finished:  # left while the desk was opening: let it finish, then close it
            opening.waiting = QEventLoop()
            opening.waiting.exec()
    finally:
        dialog.hide()
        dialog.deleteLater()
    return _signed_in_after_opening(dialog, opening)


def preload_main_window() -> int:
    """Import, off the GUI thread, what the main window and its start page run on: the GUI thread is free for
    the sign-in window meanwhile, and the password check (argon2, which leaves Python's lock free) overlaps it."""
    modules = ("mediation_desk.services.users", "mediation_desk.ui.main_window")
    for name in modules:
        importlib.import_module(name)
    from mediation_desk.ui.main_window import PAGE_TODAY, PAGES

    importlib.import_module(PAGES[PAGE_TODAY].module)
    return len(modules) + 1


def _opening_finished(dialog: LoginDialog, opening: _Opening) -> None:
    if opening.waiting is not None:
        opening.waiting.quit()
    elif opening.decided:
        dialog.done(QDialog.DialogCode.Rejected.value)
    elif opening.opened is not None:
        dialog.desk_opened(opening.opened.desk, opening.opened.org_name, opening.opened.accounts)


def _signed_in_after_opening(dialog: LoginDialog, opening: _Opening) -> tuple[Desk, Actor] | int | None:
    if opening.error is not None:
        if isinstance(opening.error, DomainError):
            cannot_start(opening.error)
            return EXIT_ERROR
        raise opening.error
    assert opening.opened is not None
    desk = opening.opened.desk
    if not opening.opened.set_up:
        desk.close()
        return None
    if opening.opened.accounts == 0:
        return desk, desk.actor
    if dialog.actor is None or opening.waiting is not None:
        desk.close()
        return EXIT_OK
    return desk, dialog.actor


def _signed_in_window(desk: Desk, runner: TaskRunner, changes: ChangeHub) -> MainWindow | int:
    try:
        actor = sign_in(desk, runner)
    except BaseException:
        desk.close()
        raise
    if actor is None:
        desk.close()
        return EXIT_OK
    desk.actor = actor
    return _main_window(desk, runner, changes)


def _main_window(desk: Desk, runner: TaskRunner, changes: ChangeHub) -> MainWindow:
    from mediation_desk.ui.main_window import MainWindow

    try:
        changes.attach(desk)
        window = MainWindow(desk, runner, changes)
        check_in_background(window, runner)
        return window
    except BaseException:
        desk.close()  # release the folder for the next start
        raise


def check_in_background(window: MainWindow, runner: TaskRunner) -> None:
    """Off the GUI thread: ``PRAGMA quick_check`` of the desk just opened; a damaged database is shown with the way
    to recover, an intact one gets its automatic daily backup (a failure is shown but stops nothing) and its search
    index. The services these need are imported on the worker thread too, off the start-up's critical path."""
    desk = window.desk

    def checked(report: integrity.IntegrityReport) -> None:
        if report.ok:
            runner.read(lambda: _daily_backup(desk), lambda _info: None)
            runner.read(lambda: _warm_search(desk), lambda _size: None, lambda _error: None)
        else:
            window.show_damaged(report)

    runner.read(lambda: _integrity_check(desk), checked)


def _integrity_check(desk: Desk) -> integrity.IntegrityReport:
    from mediation_desk.services import integrity

    return integrity.check(desk)


def _daily_backup(desk: Desk) -> object:
    from mediation_desk.services import backups

    return backups.daily_if_due(desk)


def _warm_search(desk: Desk) -> int:
    from mediation_desk.services import search

    return search.warm_up(desk)


def restore_backup(root: Path, name: str, actor: Actor, runner: TaskRunner) -> None:
    """Restore ``name`` into ``root`` (no desk open on it), with a progress dialog; the outcome in a message."""
    from mediation_desk.services import backups

    title = QCoreApplication.translate("App", "Restore a backup")
    label = QCoreApplication.translate("App", "Restoring the backup {name}…").format(name=name)
    try:
        report = wait_with_progress(runner, None, label, lambda _report: backups.restore(root, name, actor))
    except DomainError as error:
        QMessageBox.warning(None, title, str(error))
        return
    QMessageBox.information(
        None,
        title,
        QCoreApplication.translate(
            "App", "The backup {name} was restored. The database as it was before is kept as the backup {safety}."
        ).format(name=report.restored.name, safety=report.safety.name),
    )


def settle(runner: TaskRunner, rounds: int = 3) -> None:
    """Let the running jobs finish and their answers arrive, and the jobs those answers start (the integrity check
    starts the daily backup and the search index), before the desk closes or the runner goes."""
    for _ in range(rounds):
        runner.wait_for_done()
        QCoreApplication.processEvents()
    runner.wait_for_done()


def run(data_dir: Path, *, demo: bool = False) -> int:
    """Start the GUI on ``data_dir`` (which may not exist yet); return the exit code."""
    app = application()
    translators = i18n.install_translators(settings.get(settings.LANGUAGE))
    install_font(app)
    log_file, handler = crash.setup_logging(data_dir)
    hook = crash.CrashHandler(log_file)
    hook.install()
    runner = TaskRunner()
    try:
        return _session_loop(app, data_dir, runner, hook, demo=demo)
    finally:
        settle(runner)
        runner.deleteLater()
        hook.uninstall()
        crash.log.removeHandler(handler)
        handler.close()
        i18n.remove_translators(translators)


def _session_loop(
    app: QApplication, data_dir: Path, runner: TaskRunner, hook: crash.CrashHandler, *, demo: bool
) -> int:
    """Open, sign in, work; again after signing out or restoring a backup."""
    while True:
        changes = ChangeHub()
        window: MainWindow | None = None
        try:
            started = start(data_dir, runner, changes, demo=demo)
            if isinstance(started, int):
                return started
            window = started
            window.show()
            code = app.exec()
        except Exception as error:  # an unexpected failure while starting: logged and shown like any crash
            hook(type(error), error, error.__traceback__)
            return EXIT_ERROR
        finally:
            settle(runner)
            if window is not None:
                window.close()
                window.desk.close()
                window.deleteLater()
            changes.deleteLater()
        assert window is not None
        if window.restore_name:
            restore_backup(data_dir, window.restore_name, window.desk.actor, runner)
        elif not window.signed_out:
            return code
        demo = False
