"""The 同步 page on real desks (a village and its township, keys paired through the services as the sync tests
pair them): the status board, an export written through the dialog, an import previewed and then confirmed, a
tampered file refused with its reason and nothing changed, and what each role may do."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from mediation_desk.domain.codes import UserRole
from mediation_desk.services import sync
from mediation_desk.services.desk import ORG_SETTING, Actor, Desk
from mediation_desk.services.orgs import list_orgs
from mediation_desk.ui.main_window import subtree
from mediation_desk.ui.sync_dialogs import ExportDialog, ImportDialog, proposed_name, tally_text
from mediation_desk.ui.sync_page import SyncPage
from mediation_desk.ui.tasks import TaskRunner
from tests.sync.test_desk_support import (
    TOWNSHIP,
    VILLAGES,
    World,
    case_ids,
    database_hash,
    ledger,
    world,
    world_template,
)

__all__ = ["world", "world_template"]
SIZE = (1366, 768)


def make_page(qtbot: QtBot, desk: Desk, runner: TaskRunner) -> SyncPage:
    page = SyncPage(desk, runner, subtree(list_orgs(desk), desk.setting(ORG_SETTING)))
    qtbot.addWidget(page)
    page.resize(*SIZE)
    page.show()
    page.refresh()
    return page


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def shoot(widget: QWidget, name: str) -> None:
    """With ``MEDIATION_DESK_SHOTS=DIR``, the widget as drawn, for a person to look at."""
    folder = os.environ.get("MEDIATION_DESK_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for _round in range(5):
            QApplication.processEvents()
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def export_through_dialog(
    monkeypatch: pytest.MonkeyPatch, page: SyncPage, target: Path, *, full: bool = False
) -> ExportDialog:
    seen: list[ExportDialog] = []

    def run(dialog: ExportDialog) -> int:
        seen.append(dialog)
        dialog.path.setText(str(target))
        dialog.full.setChecked(full)
        dialog.export_button.click()
        dialog.show()
        shoot(dialog, "sync-export-dialog")
        return 0

    monkeypatch.setattr(ExportDialog, "exec", run)
    page.export()
    [dialog] = seen
    return dialog


def test_a_desk_without_peers_says_what_to_do_first(qtbot: QtBot, desk: Desk, runner: TaskRunner) -> None:
    page = make_page(qtbot, desk, runner)
    assert page.stack.currentWidget() is page.empty
    assert "公钥" in page.empty.text()
    assert "电话" in page.empty.text()
    assert not page.export_button.isEnabled()  # nobody to send to yet
    assert page.import_button.isEnabled()
    assert "示例村人民调解委员会" in page.summary.text()
    assert page.keys.info is not None
    assert not page.keys.no_peers.isHidden()


def test_the_file_name_is_proposed_like_the_readme(world: World) -> None:
    [township] = [peer for peer in sync.show_keys(world.village_a).peers if peer.org == TOWNSHIP[0]]
    assert proposed_name(VILLAGES[0][1], "village", township, date(2026, 3, 5)) == ("示例村-2026-03.mdsync")
    village = next(peer for peer in sync.show_keys(world.township).peers if peer.org == VILLAGES[0][0])
    assert proposed_name("五云街道", "township", village, date(2026, 3, 5)) == ("给示例村-2026-03.mdsync")


def test_export_at_the_village_then_preview_and_import_at_the_township(
    qtbot: QtBot, world: World, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger(world.village_a, world.files, 4, seed=71)
    village = make_page(qtbot, world.village_a, runner)
    assert village.table.rowCount() == 1
    assert "五云街道" in cell(village.table, 0, 0)
    shoot(village, "sync-page-village")
    target = world.file("示例村.mdsync")
    dialog = export_through_dialog(monkeypatch, village, target)
    assert dialog.summary is not None
    assert target.is_file()
    cases = dialog.summary.tables["dispute_case"]
    assert cases == 4
    assert "案件：4" in dialog.result_text.text()
    assert "五云街道" in dialog.result_text.text()
    assert cell(village.table, 0, 4) != "—"  # the last file sent, no receipt yet

    township = make_page(qtbot, world.township, runner)
    before = database_hash(world.township)
    seen: dict[str, object] = {}

    def confirm(dialog: ImportDialog) -> int:
        assert dialog.preview_report is not None
        [item] = dialog.preview_report.files
        seen["preview"] = tally_text(item.tallies["dispute_case"])
        seen["unchanged"] = database_hash(world.township) == before  # the preview wrote nothing
        seen["heading"] = dialog.heading.text()
        [row] = dialog.file_items()
        seen["row"] = row.text(1)
        seen["children"] = [child.text(0) for index in range(row.childCount()) if (child := row.child(index))]
        dialog.resize(*SIZE)
        dialog.show()
        shoot(dialog, "sync-import-preview")
        dialog.import_button.click()
        return 0

    monkeypatch.setattr(ImportDialog, "exec", confirm)
    imported = township.import_files([target])
    assert imported is not None
    assert imported.report is not None
    assert imported.report.ok
    assert seen["unchanged"] is True
    assert "未写入" in str(seen["heading"]) or "尚未写入" in str(seen["heading"])
    assert "示例村人民调解委员会" in str(seen["row"])
    assert "案件" in seen["children"]  # type: ignore[operator]
    [final] = imported.report.files
    assert final.tallies["dispute_case"].created == 4
    assert seen["preview"] == tally_text(final.tallies["dispute_case"]) == "新建 4"  # the dry run was exact
    assert set(case_ids(world.township, VILLAGES[0][0])) == set(case_ids(world.village_a))
    row = next(r for r in range(township.table.rowCount()) if "示例村" in cell(township.table, r, 0))
    assert cell(township.table, row, 3) == "1"  # one file received
    assert cell(township.table, row, 7) == ""  # it reported this month
    silent = [r for r in range(township.table.rowCount()) if "样本村" in cell(township.table, r, 0)]
    assert [cell(township.table, r, 7) for r in silent] == ["未收到"]
    shoot(township, "sync-page-township")


def test_a_tampered_file_is_refused_with_its_reason_and_changes_nothing(
    qtbot: QtBot, world: World, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger(world.village_a, world.files, 2, seed=72)
    target = world.file("a.mdsync")
    sync.export_file(world.village_a, TOWNSHIP[0], target)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x40
    target.write_bytes(bytes(data))
    page = make_page(qtbot, world.township, runner)
    before = database_hash(world.township)
    seen: list[ImportDialog] = []

    def look(dialog: ImportDialog) -> int:
        seen.append(dialog)
        return 0

    monkeypatch.setattr(ImportDialog, "exec", look)
    page.import_files([target])
    [dialog] = seen
    assert not dialog.import_button.isEnabled()
    assert "未作任何改动" in dialog.heading.text() or "没有改动" in dialog.heading.text()
    [row] = dialog.file_items()
    assert row.text(1).startswith("已拒收：")
    assert len(row.text(1)) > len("已拒收：") + 4
    assert dialog.report is None
    assert database_hash(world.township) == before


def test_a_file_for_another_office_is_refused(
    qtbot: QtBot, world: World, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = world.file("for-township.mdsync")
    sync.export_file(world.village_a, TOWNSHIP[0], target)
    page = make_page(qtbot, world.village_b, runner)
    before = database_hash(world.village_b)
    monkeypatch.setattr(ImportDialog, "exec", lambda dialog: 0)
    dialog = page.import_files([target])
    assert dialog is not None
    assert dialog.preview_report is not None
    [item] = dialog.preview_report.files
    assert item.status == "ERROR"
    assert not dialog.import_button.isEnabled()
    assert database_hash(world.village_b) == before


def test_a_mediator_may_exchange_files_but_not_manage_keys_or_conflicts(
    qtbot: QtBot, world: World, runner: TaskRunner
) -> None:
    desk = world.township
    desk.actor = Actor.signed_in("gui", "mediator", UserRole.MEDIATOR)
    page = make_page(qtbot, desk, runner)
    assert page.export_button.isEnabled()
    assert page.import_button.isEnabled()
    assert page.keys.export_button.isEnabled()
    for button in (page.keys.trust_button, page.keys.identity_button, page.keys.new_button):
        assert not button.isEnabled()
        assert button.toolTip()
    assert not page.conflicts.review_button.isEnabled()


def test_the_page_loads_through_the_background_runner(qtbot: QtBot, world: World) -> None:
    """With the real runner (worker threads, results delivered on the GUI thread), as the program runs it."""
    runner = TaskRunner()
    page = make_page(qtbot, world.township, runner)
    qtbot.waitUntil(lambda: page.sync is not None and page.keys.info is not None, timeout=20_000)
    assert page.table.rowCount() == 4  # three villages and the county
    assert runner.wait_for_done()


def test_a_good_file_beside_a_refused_one_is_imported_alone_and_a_second_import_does_nothing(
    qtbot: QtBot, world: World, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger(world.village_a, world.files, 2, seed=73)
    ledger(world.village_b, world.files, 1, seed=74)
    good, bad = world.file("a.mdsync"), world.file("b.mdsync")
    sync.export_file(world.village_a, TOWNSHIP[0], good)
    sync.export_file(world.village_b, TOWNSHIP[0], bad)
    bad.write_bytes(bad.read_bytes()[:-200])  # cut short, as by a USB stick pulled too early
    page = make_page(qtbot, world.township, runner)
    headings: list[str] = []

    def confirm(dialog: ImportDialog) -> int:
        headings.append(dialog.heading.text())
        assert dialog.importable == [good]
        dialog.resize(*SIZE)
        dialog.show()
        shoot(dialog, "sync-import-preview-refused")
        dialog.import_button.click()
        return 0

    monkeypatch.setattr(ImportDialog, "exec", confirm)
    dialog = page.import_files([good, bad])
    assert dialog is not None
    assert dialog.report is not None
    assert "被拒收的文件不导入" in headings[0]
    assert [item.path for item in dialog.report.files] == [good]
    assert set(case_ids(world.township, VILLAGES[0][0])) == set(case_ids(world.village_a))
    assert case_ids(world.township, VILLAGES[1][0]) == []
    monkeypatch.setattr(ImportDialog, "exec", lambda dialog: 0)
    again = page.import_files([good])
    assert again is not None
    assert not again.import_button.isEnabled()
    assert "已经导入过" in again.heading.text()
    assert again.file_items()[0].text(1).startswith("已导入过")


def test_preview_and_import_run_in_the_background_and_the_dialog_waits_for_them(qtbot: QtBot, world: World) -> None:
    ledger(world.village_a, world.files, 3, seed=75)
    target = world.file("a.mdsync")
    sync.export_file(world.village_a, TOWNSHIP[0], target)
    runner = TaskRunner()
    dialog = ImportDialog(world.township, runner, [target])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.preview()
    assert dialog.busy  # the result comes back through the event loop
    dialog.reject()  # Esc while the files are checked: the dialog stays until the job is done
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.preview_report is not None, timeout=20_000)
    assert not dialog.busy
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    assert dialog.report is not None
    assert dialog.report.ok
    assert set(case_ids(world.township, VILLAGES[0][0])) == set(case_ids(world.village_a))
    assert runner.wait_for_done()


def test_an_export_to_a_missing_folder_says_so_and_a_full_export_carries_everything_again(
    qtbot: QtBot, world: World, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger(world.village_a, world.files, 2, seed=76)
    page = make_page(qtbot, world.village_a, runner)
    nowhere = world.files / "missing" / "a.mdsync"
    refused = export_through_dialog(monkeypatch, page, nowhere)
    assert refused.summary is None
    assert "不存在" in refused.notice.text()
    assert refused.export_button.isEnabled()  # correct the name and try again
    assert not nowhere.parent.exists()
    first = export_through_dialog(monkeypatch, page, world.file("1.mdsync"))
    again = export_through_dialog(monkeypatch, page, world.file("2.mdsync"), full=True)
    assert first.summary is not None
    assert again.summary is not None
    assert again.summary.kind == "full"
    assert "全量" in again.result_text.text()
    assert again.summary.tables["dispute_case"] == first.summary.tables["dispute_case"] == 2
