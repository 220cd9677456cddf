"""Conflict review in the GUI: a village and its township change the same case without seeing each other's change;
after the files cross, the township's 同步 page lists the conflict, the review dialog shows each differing field
side by side with who changed it, and the clerk's choice (per field, or one side whole) settles it."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from mediation_desk.domain.permissions import Permission
from mediation_desk.services.sync.conflicts import list_conflicts
from mediation_desk.store.models import DisputeCase
from mediation_desk.ui.sync_conflicts import ConflictDialog, field_name
from mediation_desk.ui.sync_dialogs import ImportDialog
from mediation_desk.ui.tasks import TaskRunner
from tests.sync.test_desk_support import (
    TOWNSHIP,
    VILLAGES,
    World,
    case_ids,
    edit_case,
    ledger,
    open_conflicts,
    receive,
    send,
    world,
    world_template,
)
from tests.ui.test_sync_page import SIZE, cell, make_page, shoot

__all__ = ["world", "world_template"]
VILLAGE = VILLAGES[0][0]


def conflicting(world: World, township: dict[str, str], village: dict[str, str]) -> uuid.UUID:
    """A village case both desks hold, changed on both sides, the files crossed."""
    ledger(world.village_a, world.files, 2, seed=41)
    send(world.village_a, TOWNSHIP[0], world.file("a0.mdsync"))
    assert receive(world.township, world.file("a0.mdsync")).ok
    case = case_ids(world.village_a)[0]
    edit_case(world.township, case, **township)
    edit_case(world.village_a, case, **village)
    send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    send(world.township, VILLAGE, world.file("t1.mdsync"))
    assert receive(world.township, world.file("a1.mdsync")).ok
    assert receive(world.village_a, world.file("t1.mdsync")).ok
    return case


def row_of(world: World, case: uuid.UUID) -> tuple[str | None, str | None]:
    with world.township.read() as session:
        found = session.get(DisputeCase, case)
        assert found is not None
        return found.facts, found.place


def test_a_hard_conflict_is_shown_per_field_and_resolved_from_the_gui(
    qtbot: QtBot, world: World, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = conflicting(world, {"facts": "乡镇改的案情"}, {"facts": "村里改的案情", "place": "村委会"})
    page = make_page(qtbot, world.township, runner)
    panel = page.conflicts
    assert panel.table.rowCount() == 1
    assert "（1）" in page.tabs.tabText(1)
    assert cell(panel.table, 0, 1) == "案件"
    assert "同一字段" in cell(panel.table, 0, 3)  # hard
    assert cell(panel.table, 0, 2) != "—"  # the case number
    page.tabs.setCurrentWidget(panel)
    shoot(page, "sync-page-conflicts")
    opened: list[object] = []
    page.open_case.connect(opened.append)
    panel.case_button.click()
    assert opened == [case]
    dialogs: list[ConflictDialog] = []

    def review(dialog: ConflictDialog) -> int:
        dialogs.append(dialog)
        facts, place = dialog.groups["facts"], dialog.groups["place"]
        assert facts.checkedButton() is None  # changed differently on both sides: the clerk must pick
        assert place.checkedButton() is not None  # changed on one side only: that side to start with
        texts = [label.text() for label in dialog.findChildren(QLabel)]
        assert "乡镇改的案情" in texts
        assert "村里改的案情" in texts
        assert any(field_name("facts") in text and "须选择" in text for text in texts)
        assert any("五云街道" in text and "修改" in text for text in texts)
        assert any("示例村" in text for text in texts)
        dialog.resize(*SIZE)
        dialog.show()
        shoot(dialog, "sync-conflict-dialog")
        dialog.apply_button.click()  # facts not picked yet: refused with the reason, nothing written
        assert field_name("facts") in dialog.notice.text()
        assert dialog.resolved is None
        township_leaf = next(leaf.key for leaf in dialog.view.leaves if "五云街道" in leaf.org)
        dialog.choose("facts", township_leaf)
        dialog.apply_button.click()
        return 1

    monkeypatch.setattr(ConflictDialog, "exec", review)
    panel.review()
    [dialog] = dialogs
    assert dialog.resolved is not None
    assert row_of(world, case) == ("乡镇改的案情", "村委会")
    assert open_conflicts(world.township) == set()
    assert panel.table.rowCount() == 0  # the list refreshed
    assert not panel.empty.isHidden()
    assert "已解决" in panel.notice.text()
    send(world.township, VILLAGE, world.file("t2.mdsync"))  # the resolution travels down and settles it there
    assert receive(world.village_a, world.file("t2.mdsync")).ok
    assert open_conflicts(world.village_a) == set()


def test_taking_one_side_whole(qtbot: QtBot, world: World, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    case = conflicting(world, {"facts": "乡镇改的案情"}, {"facts": "村里改的案情", "place": "村委会"})
    page = make_page(qtbot, world.township, runner)

    def take_village(dialog: ConflictDialog) -> int:
        village_leaf = next(leaf.key for leaf in dialog.view.leaves if "示例村" in leaf.org)
        dialog.take_buttons[village_leaf].click()
        return 1

    monkeypatch.setattr(ConflictDialog, "exec", take_village)
    page.conflicts.review()
    assert row_of(world, case) == ("村里改的案情", "村委会")
    assert list_conflicts(world.township) == []
    assert page.conflicts.table.rowCount() == 0


def test_the_import_preview_says_a_conflict_would_arise(
    qtbot: QtBot, world: World, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger(world.village_a, world.files, 1, seed=43)
    send(world.village_a, TOWNSHIP[0], world.file("a0.mdsync"))
    assert receive(world.township, world.file("a0.mdsync")).ok
    [case] = case_ids(world.village_a)
    edit_case(world.township, case, facts="乡镇改的案情")
    edit_case(world.village_a, case, facts="村里改的案情")
    send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    page = make_page(qtbot, world.township, runner)
    previews: list[str] = []

    def confirm(dialog: ImportDialog) -> int:
        previews.append(dialog.summary.text())
        assert open_conflicts(world.township) == set()  # not yet: only a preview
        dialog.import_button.click()
        return 0

    monkeypatch.setattr(ImportDialog, "exec", confirm)
    page.import_files([world.file("a1.mdsync")])
    assert "冲突 1" in previews[0]
    assert "将出现冲突" in previews[0]
    assert page.conflicts.table.rowCount() == 1  # the page reloaded after the import
    assert "（1）" in page.tabs.tabText(1)


def test_a_delete_conflict_can_confirm_the_deletion(
    qtbot: QtBot, world: World, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger(world.village_a, world.files, 1, seed=44)
    send(world.village_a, TOWNSHIP[0], world.file("a0.mdsync"))
    assert receive(world.township, world.file("a0.mdsync")).ok
    [case] = case_ids(world.village_a)
    edit_case(world.township, case, facts="乡镇补充的案情")
    with world.village_a.write("test.delete", Permission.EDIT_CASE) as work:
        row = work.session.get(DisputeCase, case)
        assert row is not None
        work.session.delete(row)
    send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    assert receive(world.township, world.file("a1.mdsync")).ok
    page = make_page(qtbot, world.township, runner)
    kinds = [cell(page.conflicts.table, row, 3) for row in range(page.conflicts.table.rowCount())]
    assert any("删除冲突" in kind for kind in kinds)
    deleting = next(
        view for view in page.conflicts.conflicts if view.label == "delete" and view.table == "dispute_case"
    )

    def confirm_deletion(dialog: ConflictDialog) -> int:
        tombstone = next(leaf for leaf in dialog.view.leaves if leaf.deleted)
        assert dialog.take_buttons[tombstone.key].text() == "确认删除"
        dialog.take_buttons[tombstone.key].click()
        return 1

    monkeypatch.setattr(ConflictDialog, "exec", confirm_deletion)
    page.conflicts.review(deleting)
    with world.township.read() as session:
        assert session.get(DisputeCase, case) is None
    assert all(view.record_id != case for view in page.conflicts.conflicts)
