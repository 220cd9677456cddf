"""Render the main views at 1366×768 with the demo county into ``docs/screenshots/`` (the README shows them).

    python -m mediation_desk.ui.screenshots [--data-dir DIR] [--output docs/screenshots]

Without ``--data-dir`` a demo county is made in a temporary folder (about half a minute); with one, that desk is
used (it must hold the demo county: the views are signed in as its administrator ``demo``). Runs on Qt's
offscreen platform, so no screen is needed; the Chinese interface and the bundled font are used as a user sees
them. The widgets are drawn with ``QWidget.grab``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtWidgets import QWidget

from mediation_desk.domain.codes import OutcomeKind
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.search import SearchFilter, search_cases
from mediation_desk.services.users import sign_in
from mediation_desk.ui import app as gui
from mediation_desk.ui import i18n

SIZE = (1366, 768)
DEFAULT_OUTPUT = Path("docs") / "screenshots"


def settle(rounds: int = 20) -> None:
    for _ in range(rounds):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def save(widget: QWidget, folder: Path, name: str) -> Path:
    settle()
    path = folder / f"{name}.png"
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(path)
    return path


def _editor_views(window: object, desk: Desk, folder: Path) -> list[Path]:
    from mediation_desk.ui.case_editor import CaseEditor, load_bundle
    from mediation_desk.ui.main_window import MainWindow
    from mediation_desk.ui.tasks import TaskRunner

    assert isinstance(window, MainWindow)
    runner = TaskRunner(synchronous=True)
    rows = search_cases(desk, SearchFilter(limit=2000))
    mediating = next(row for row in rows if row.status is CaseStatus.MEDIATING)
    agreed = next(row for row in rows if row.outcome is OutcomeKind.WRITTEN_AGREEMENT)
    shots = []
    for row, tabs in (
        (mediating, (("intake", "case-particulars"), ("parties", "case-parties"), ("mediators", "case-mediators"))),
        (
            agreed,
            (
                ("records", "case-records"),
                ("outcome", "case-outcome"),
                ("agreement_panel", "case-agreement"),
                ("history", "case-history"),
            ),
        ),
    ):
        editor = CaseEditor(desk, runner, load_bundle(desk, row.id), window)
        editor.resize(*SIZE)
        editor.show()
        for attribute, name in tabs:
            editor.tabs.setCurrentWidget(getattr(editor, attribute))
            shots.append(save(editor, folder, name))
        editor.close()
    return shots


def render(root: Path, folder: Path) -> list[Path]:
    """Every main view of the desk in ``root`` as a PNG in ``folder``."""
    from mediation_desk.demo import DEMO_PASSWORD
    from mediation_desk.ui.login import LoginDialog
    from mediation_desk.ui.main_window import PAGE_CASES, PAGE_ROSTERS, PAGE_SETTINGS, PAGE_TODAY, MainWindow
    from mediation_desk.ui.tasks import ChangeHub, TaskRunner

    folder.mkdir(parents=True, exist_ok=True)
    desk = Desk.open(root, Actor.local_operator("screenshots"), lock=True)
    runner = TaskRunner(synchronous=True)
    shots: list[Path] = []
    try:
        login = LoginDialog(desk, runner, gui._org_name(desk))
        login.username.setText("demo")
        login.show()
        shots.append(save(login, folder, "login"))
        login.close()
        desk.actor = sign_in(desk, "demo", DEMO_PASSWORD, channel="gui")
        window = MainWindow(desk, runner, ChangeHub())
        window.resize(*SIZE)
        window.show()
        views: list[tuple[int, str, Callable[[], None] | None]] = [
            (PAGE_TODAY, "today", None),
            (PAGE_CASES, "cases", None),
            (PAGE_CASES, "cases-pinyin-search", lambda: _search(window, "wjg")),
            (PAGE_ROSTERS, "rosters", lambda: window.rosters.table.selectRow(0)),
            (PAGE_SETTINGS, "settings", None),
        ]
        for page, name, prepare in views:
            window.show_page(page)
            if prepare is not None:
                prepare()
            shots.append(save(window, folder, name))
        shots += _editor_views(window, desk, folder)
        shots += _stats_views(window, desk, folder)
        shots.append(_sync_view(window, desk, folder))
        shots.append(_print_view(window, desk, folder))
        window.close()
    finally:
        desk.close()
    return shots


def _stats_views(window: object, desk: Desk, folder: Path) -> list[Path]:
    """The statistics page over all the demo's dates: its charts, the organisation tree, the groups, the mediators."""
    from mediation_desk.services.stats import StatsQuery
    from mediation_desk.ui.main_window import PAGE_STATS, MainWindow
    from mediation_desk.ui.stats_page import StatsPage

    assert isinstance(window, MainWindow)
    window.show_page(PAGE_STATS)
    page = window.page(PAGE_STATS)
    assert isinstance(page, StatsPage)
    page.set_query(StatsQuery())
    shots = []
    for number, name in enumerate(("stats-charts", "stats-organisations", "stats-groups", "stats-mediators")):
        page.tabs.setCurrentIndex(number)
        shots.append(save(window, folder, name))
    return shots


def _sync_view(window: object, desk: Desk, folder: Path) -> Path:
    """The 同步 page (the demo desk trusts no office yet: it says what to do first)."""
    from mediation_desk.ui.main_window import PAGE_SYNC, MainWindow

    assert isinstance(window, MainWindow)
    window.show_page(PAGE_SYNC)
    return save(window, folder, "sync")


def _print_view(window: object, desk: Desk, folder: Path) -> Path:
    """The 打印 page: a case with a signed agreement ticked, and its verification code checked."""
    from mediation_desk.domain.codes import AgreementState
    from mediation_desk.services.agreements import agreements_of_case
    from mediation_desk.ui.main_window import PAGE_PRINT, MainWindow
    from mediation_desk.ui.print_page import PrintPage

    assert isinstance(window, MainWindow)
    window.show_page(PAGE_PRINT)
    page = window.page(PAGE_PRINT)
    assert isinstance(page, PrintPage)
    rows = search_cases(desk, SearchFilter(limit=2000))
    agreed = [row for row in rows if row.outcome is OutcomeKind.WRITTEN_AGREEMENT]
    signed = next(
        (info for row in agreed for info in agreements_of_case(desk, row.id) if info.state is AgreementState.SIGNED),
        None,
    )
    page.print_cases([signed.case_id] if signed else [row.id for row in agreed[:1]])
    if signed is not None:
        page.code.setText(signed.code)
        page.verify_code()
    return save(window, folder, "print")


def _search(window: object, text: str) -> None:
    from mediation_desk.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    window.cases.filters.search.setText(text)
    window.cases.filters.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, help="a desk holding the demo county (default: make one)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"folder for the PNGs ({DEFAULT_OUTPUT})")
    args = parser.parse_args(argv)
    application = gui.application()
    translators = i18n.install_translators(i18n.CHINESE)
    gui.install_font(application)
    with tempfile.TemporaryDirectory(prefix="mediation-desk-screenshots-") as temporary:
        from PySide6.QtCore import QSettings

        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(Path(temporary) / "settings"))
        root = args.data_dir
        if root is None:
            from mediation_desk.demo import create_demo

            root = Path(temporary) / "desk"
            create_demo(root)
        render(root, args.output)
    i18n.remove_translators(translators)
    del application
    return 0


if __name__ == "__main__":
    sys.exit(main())
