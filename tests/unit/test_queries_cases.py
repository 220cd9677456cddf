"""Case queries of ``store.queries.cases``: numbers in use, the filtered and ordered list, what rows are read from."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from mediation_desk.domain.codes import CaseSource, OutcomeKind, PartyRole
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services import cases, search
from mediation_desk.services.desk import Desk
from mediation_desk.store.queries import cases as case_queries
from mediation_desk.store.queries import orgs as org_queries

TOWNSHIP, VILLAGE = "331122001", "331122001001"


def _input(
    applicant: str,
    respondent: str,
    *,
    intake: date = date(2026, 3, 2),
    category: str = "02",
    facts: str = "",
    title: str = "",
    accept: bool = True,
) -> CaseInput:
    return CaseInput(
        intake_date=intake,
        source=CaseSource.APPLICATION,
        category=category,
        parties=[PartyInput(applicant, PartyRole.APPLICANT), PartyInput(respondent, PartyRole.RESPONDENT)],
        facts=facts,
        title=title,
        accept=accept,
    )


@pytest.fixture
def filed(desk: Desk) -> dict[str, cases.CaseRow]:
    """Four cases: three in the village (one terminated, one not yet accepted), one in the township."""
    rows = {
        "road": cases.register_case(desk, _input("周甲", "吴乙", facts="通道堆放杂物", intake=date(2026, 3, 2))).value,
        "land": cases.register_case(
            desk, _input("郑丙", "王丁", category="04", title="宅基地界址", intake=date(2026, 2, 10))
        ).value,
        "debt": cases.register_case(
            desk, _input("冯戊", "陈己", category="10", intake=date(2026, 1, 20), accept=False)
        ).value,
        "town": cases.register_case(desk, _input("褚庚", "卫辛", intake=date(2026, 2, 1)), org_code=TOWNSHIP).value,
    }
    cases.conclude_case(desk, rows["road"].id, OutcomeKind.TERMINATED, reason="申请人撤回", on=date(2026, 3, 3))
    return rows


def _ids(desk: Desk, selection: case_queries.CaseSelection) -> set[uuid.UUID]:
    with desk.read() as session:
        found = case_queries.page_of_cases(session, selection, sort="intake_date", descending=True)
        assert case_queries.count_cases(session, selection) == len(found)
        return {case.id for case in found}


def _org_ids(desk: Desk, code: str) -> set[uuid.UUID]:
    with desk.read() as session:
        org = org_queries.org_by_code(session, code)
        assert org is not None
        return org_queries.subtree_ids(session, org.id)


def test_filter_by_status(desk: Desk, filed: dict[str, cases.CaseRow]) -> None:
    select = case_queries.CaseSelection
    assert _ids(desk, select(status=CaseStatus.TERMINATED)) == {filed["road"].id}
    assert _ids(desk, select(status=CaseStatus.REGISTERED)) == {filed["debt"].id}
    assert _ids(desk, select(status=CaseStatus.ACCEPTED)) == {filed["land"].id, filed["town"].id}
    assert _ids(desk, select(status=CaseStatus.CLOSED)) == set()


def test_filter_by_text_over_number_facts_title_and_party_names(desk: Desk, filed: dict[str, cases.CaseRow]) -> None:
    select = case_queries.CaseSelection
    assert _ids(desk, select(text="杂物")) == {filed["road"].id}  # facts
    assert _ids(desk, select(text="界址")) == {filed["land"].id}  # title
    assert _ids(desk, select(text="陈己")) == {filed["debt"].id}  # a respondent's name
    assert _ids(desk, select(text=" 褚 ")) == {filed["town"].id}  # trimmed
    assert _ids(desk, select(text=filed["land"].number)) == {filed["land"].id}
    assert _ids(desk, select(text="不存在的人")) == set()
    assert _ids(desk, select(text="")) == {row.id for row in filed.values()}


def test_filter_by_status_and_text_together(desk: Desk, filed: dict[str, cases.CaseRow]) -> None:
    select = case_queries.CaseSelection
    assert _ids(desk, select(status=CaseStatus.ACCEPTED, text="王丁")) == {filed["land"].id}
    assert _ids(desk, select(status=CaseStatus.TERMINATED, text="王丁")) == set()


def test_filter_by_organisation_category_and_period(desk: Desk, filed: dict[str, cases.CaseRow]) -> None:
    select = case_queries.CaseSelection
    village = _org_ids(desk, VILLAGE)
    assert _ids(desk, select(org_ids=village)) == {filed["road"].id, filed["land"].id, filed["debt"].id}
    assert _ids(desk, select(org_ids=_org_ids(desk, TOWNSHIP))) == {row.id for row in filed.values()}
    assert _ids(desk, select(org_ids=set())) == set()
    assert _ids(desk, select(category="04")) == {filed["land"].id}
    in_february = select(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28))
    assert _ids(desk, in_february) == {filed["land"].id, filed["town"].id}


@pytest.mark.parametrize("sort", list(cases.CaseSort))
def test_every_sort_key_orders_the_whole_list(desk: Desk, filed: dict[str, cases.CaseRow], sort: str) -> None:
    with desk.read() as session:
        down = case_queries.page_of_cases(session, case_queries.CaseSelection(), sort=sort, descending=True)
        up = case_queries.page_of_cases(session, case_queries.CaseSelection(), sort=sort, descending=False)
    assert {case.id for case in down} == {case.id for case in up} == {row.id for row in filed.values()}


def test_intake_order_and_pages_that_never_overlap(desk: Desk, filed: dict[str, cases.CaseRow]) -> None:
    everything = case_queries.CaseSelection()
    with desk.read() as session:
        newest = case_queries.page_of_cases(session, everything, sort="intake_date", descending=True)
        oldest = case_queries.page_of_cases(session, everything, sort="intake_date", descending=False)
        pages = [
            case_queries.page_of_cases(session, everything, sort="intake_date", descending=True, limit=3, offset=0),
            case_queries.page_of_cases(session, everything, sort="intake_date", descending=True, limit=3, offset=3),
        ]
    dates = [case.intake_date for case in newest]
    assert dates == sorted(dates, reverse=True)
    assert [case.id for case in oldest] == [case.id for case in reversed(newest)]
    assert [len(page) for page in pages] == [3, 1]
    assert [case.id for page in pages for case in page] == [case.id for case in newest]


def test_numbers_in_use_and_lookups_by_number(desk: Desk, filed: dict[str, cases.CaseRow]) -> None:
    land = filed["land"]
    with desk.read() as session:
        village = org_queries.org_by_code(session, VILLAGE)
        assert village is not None
        assert case_queries.used_seqs(session, village.id, 2026) == {1, 2, 3}
        assert case_queries.used_seqs(session, village.id, 2025) == set()
        assert case_queries.number_in_use(session, village.id, land.number)
        assert not case_queries.number_in_use(session, village.id, "(2026)缙五人调字第99号")
        assert [case.id for case in case_queries.cases_numbered(session, land.number)] == [land.id]
        seq = int(land.number.split("第")[1].rstrip("号"))
        found = case_queries.cases_with_year_and_seq(session, 2026, seq, "缙五人调")
        assert [case.id for case in found] == [land.id]


def test_party_names_and_outcomes_in_chunks(
    desk: Desk, filed: dict[str, cases.CaseRow], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(case_queries, "ID_CHUNK", 1)  # every case in its own IN (…) list
    ids = [row.id for row in filed.values()]
    with desk.read() as session:
        names = case_queries.party_names(session, ids)
        outcomes = case_queries.outcome_kinds(session, ids)
    assert names[(filed["debt"].id, PartyRole.APPLICANT)] == ["冯戊"]
    assert names[(filed["debt"].id, PartyRole.RESPONDENT)] == ["陈己"]
    assert len(names) == 2 * len(ids)
    assert outcomes == {filed["road"].id: OutcomeKind.TERMINATED}


def test_what_the_detail_is_read_from(desk: Desk, filed: dict[str, cases.CaseRow]) -> None:
    road = filed["road"].id
    cases.record_session(desk, filed["land"].id, held_at=datetime(2026, 2, 11, tzinfo=UTC), body="调解")
    with desk.read() as session:
        assert [party.name for party in case_queries.parties_of(session, road)] == ["周甲", "吴乙"]
        outcome = case_queries.outcome_of(session, road)
        assert outcome is not None
        assert outcome.reason == "申请人撤回"
        assert case_queries.outcome_of(session, filed["land"].id) is None
        assert [record.body for record in case_queries.sessions_of(session, filed["land"].id)] == ["调解"]
        assert case_queries.sessions_of(session, road) == []
        assert case_queries.mediator_ids_of(session, road) == set()
        assert case_queries.assignments_of(session, road) == []


def test_whole_desk_only_when_every_organisation_on_file_is_chosen(desk: Desk, filed: dict[str, cases.CaseRow]) -> None:
    with desk.read() as session:
        every = {org.id for org in org_queries.all_orgs(session)}
        assert len(every) >= 2
        assert case_queries.whole_desk(session, every)
        assert not case_queries.whole_desk(session, every - {next(iter(every))})
        assert not case_queries.whole_desk(session, set())


def _statements(desk: Desk) -> list[str]:
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        seen.append(statement)

    sa.event.listen(desk.database.engine, "before_cursor_execute", record)
    return seen


def test_a_list_over_the_whole_desk_has_no_organisation_filter(desk: Desk, filed: dict[str, cases.CaseRow]) -> None:
    with desk.read() as session:
        orgs = org_queries.all_orgs(session)
        (top,) = [org.code for org in orgs if org.parent_id is None]  # the tree's root: every case is below it
    seen = _statements(desk)
    keys = search.search_keys(desk, search.SearchFilter(org_code=top))
    assert search.count_matching(desk, search.SearchFilter(org_code=top)) == len(keys) == len(filed)
    listing = [statement for statement in seen if "FROM dispute_case" in statement and "ORDER BY" in statement]
    assert listing
    assert not any("org_id IN" in statement for statement in listing)
    seen.clear()
    village = search.search_keys(desk, search.SearchFilter(org_code=VILLAGE))  # part of the desk: filtered
    assert set(village) == {row.id.hex for key, row in filed.items() if key != "town"}
    assert any("org_id IN" in statement for statement in seen)
    newest = [row.id.hex for row in sorted(filed.values(), key=lambda row: row.intake_date, reverse=True)]
    assert keys == newest
    assert search.search_keys(desk, search.SearchFilter(org_code=top, limit=2)) == newest[:2]


def test_planner_statistics_follow_the_cases_when_connections_close(
    desk: Desk, filed: dict[str, cases.CaseRow]
) -> None:
    search.search_keys(desk, search.SearchFilter(status=CaseStatus.ACCEPTED))
    desk.database.engine.dispose()  # what closing the desk does: each connection runs PRAGMA optimize as it closes
    assert desk.database.data_dir is not None
    with closing(sqlite3.connect(desk.database.data_dir.database)) as connection:
        stats = dict(connection.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'dispute_case'").fetchall())
    assert stats["ix_dispute_case_status_order"].split()[0] == str(len(filed))  # rows counted by the sampled ANALYZE
