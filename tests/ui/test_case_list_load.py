"""The case list in two steps (issues 9 and 11): the first screen and the count at once, then every key in the
background, appended without a reset; a selection, a pending "select this case" and a filter change survive it."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from mediation_desk.services.desk import Desk
from mediation_desk.services.orgs import list_orgs
from mediation_desk.services.search import SearchFilter, count_matching, search_keys
from mediation_desk.ui import case_list
from mediation_desk.ui.case_table_model import COLUMN_APPLICANTS
from mediation_desk.ui.cases_page import CasesPage
from mediation_desk.ui.tasks import TaskRunner
from tests.ui.conftest import add_cases

CASES = 300
FIRST = 20


@pytest.fixture
def big_desk(desk: Desk) -> Desk:
    add_cases(desk, CASES)
    return desk


@pytest.fixture(autouse=True)
def small_first_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(case_list, "FIRST_SCREEN", FIRST)


def make_page(qtbot: QtBot, desk: Desk, runner: TaskRunner) -> CasesPage:
    page = CasesPage(desk, runner, list_orgs(desk))
    qtbot.addWidget(page)
    return page


def test_the_first_screen_and_the_count_come_before_the_whole_list(
    qtbot: QtBot, big_desk: Desk, runner: TaskRunner
) -> None:
    page = make_page(qtbot, big_desk, runner)
    # the first step ran (a synchronous runner); the second waits for the next event-loop turn
    assert page.model.rowCount() == FIRST
    assert not page.loader.complete
    assert page.loader.total == CASES
    assert str(CASES) in page.count_label.text()
    assert page.model.loaded == FIRST  # the first screen's rows came with it: nothing to ask for
    expected = search_keys(big_desk, SearchFilter())
    assert page.model.keys() == expected[:FIRST]
    qtbot.waitUntil(lambda: page.loader.complete)
    assert page.model.keys() == expected
    assert page.model.rowCount() == CASES
    assert str(CASES) in page.count_label.text()


def test_the_selection_and_the_scroll_position_survive_the_second_step(
    qtbot: QtBot, big_desk: Desk, runner: TaskRunner
) -> None:
    page = make_page(qtbot, big_desk, runner)
    page.resize(1000, 600)
    page.show()
    resets: list[bool] = []
    page.model.modelReset.connect(lambda: resets.append(True))
    chosen = page.model.case_id(page.model.index(15, 0))
    assert chosen is not None
    assert page.select_case(chosen)
    scroll = page.table.verticalScrollBar().value()
    qtbot.waitUntil(lambda: page.loader.complete)
    assert resets == []  # the rest was inserted, not reset
    assert page.current_case_id() == chosen
    assert page.table.currentIndex().row() == 15
    assert page.table.verticalScrollBar().value() == scroll


def test_a_case_past_the_first_screen_is_selected_when_the_whole_list_arrives(
    qtbot: QtBot, big_desk: Desk, runner: TaskRunner
) -> None:
    page = make_page(qtbot, big_desk, runner)
    wanted = search_keys(big_desk, SearchFilter())[CASES - 5]
    case_id = page.model.case_id(page.model.index(0, 0))
    assert case_id is not None
    target = type(case_id)(wanted)
    page.select_later(target)
    assert page.current_case_id() != target  # not listed yet
    qtbot.waitUntil(lambda: page.loader.complete)
    assert page.current_case_id() == target
    assert page.table.currentIndex().row() == CASES - 5


def test_a_filter_change_while_loading_drops_the_stale_list(qtbot: QtBot, big_desk: Desk, runner: TaskRunner) -> None:
    page = make_page(qtbot, big_desk, runner)
    completed: list[int] = []
    page.loader.completed.connect(completed.append)
    assert not page.loader.complete
    flt = SearchFilter(text="zhangs")  # pinyin of 张申: one case in ten or so
    matching = count_matching(big_desk, flt)
    assert FIRST < matching < CASES
    page.loader.set_filter(flt)
    assert page.model.rowCount() == FIRST
    qtbot.waitUntil(lambda: page.loader.complete)
    qtbot.wait(50)  # the stale second step had its turn too
    assert completed == [matching]  # the first filter's whole list never arrived
    assert page.model.rowCount() == matching
    assert all(page.model.data(page.model.index(r, COLUMN_APPLICANTS)).startswith("张申") for r in range(FIRST))
    assert str(matching) in page.count_label.text()


def test_a_short_list_is_complete_in_one_step(qtbot: QtBot, desk: Desk, runner: TaskRunner) -> None:
    add_cases(desk, 12)
    page = make_page(qtbot, desk, runner)
    assert page.loader.complete
    assert page.model.rowCount() == 12
    assert "12" in page.count_label.text()
