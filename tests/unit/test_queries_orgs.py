"""Organisation and mediator queries of ``store.queries``: lookups, the tree below a unit, the roster."""

from __future__ import annotations

import uuid

from mediation_desk.domain.codes import Employment, Gender, OrgLevel
from mediation_desk.domain.permissions import Permission
from mediation_desk.services.desk import Desk, UnitOfWork
from mediation_desk.services.mediators import MediatorInput, add_mediator, assess_mediator
from mediation_desk.services.orgs import OrgRow, upsert_orgs
from mediation_desk.store.queries import mediators as mediator_queries
from mediation_desk.store.queries import orgs as org_queries

COUNTY, TOWNSHIP, VILLAGE = "331122", "331122001", "331122001001"
OTHER_TOWNSHIP, OTHER_VILLAGE, SECOND_VILLAGE = "331122002", "331122002001", "331122001002"


def _grow_tree(desk: Desk) -> None:
    """The desk's county → 五云街道 → its village, plus a second village and a second township with one village."""
    rows = [
        OrgRow(2, OTHER_TOWNSHIP, "新建镇", OrgLevel.TOWNSHIP, COUNTY),
        OrgRow(3, OTHER_VILLAGE, "新建镇甲村", OrgLevel.VILLAGE, OTHER_TOWNSHIP),
        OrgRow(4, SECOND_VILLAGE, "五云街道乙村", OrgLevel.VILLAGE, TOWNSHIP),
    ]

    def body(work: UnitOfWork) -> None:
        work.changed("org_unit")
        upsert_orgs(work.session, rows)

    desk.run("test.orgs", Permission.MANAGE_ORGS, body)


def _ids(desk: Desk) -> dict[str, uuid.UUID]:
    with desk.read() as session:
        return {org.code: org.id for org in org_queries.all_orgs(session)}


def test_subtree_ids_of_a_three_level_tree(desk: Desk) -> None:
    _grow_tree(desk)
    ids = _ids(desk)
    with desk.read() as session:
        assert org_queries.subtree_ids(session, ids[COUNTY]) == set(ids.values())
        assert org_queries.subtree_ids(session, ids[TOWNSHIP]) == {ids[TOWNSHIP], ids[VILLAGE], ids[SECOND_VILLAGE]}
        assert org_queries.subtree_ids(session, ids[OTHER_TOWNSHIP]) == {ids[OTHER_TOWNSHIP], ids[OTHER_VILLAGE]}
        assert org_queries.subtree_ids(session, ids[VILLAGE]) == {ids[VILLAGE]}


def test_children_by_parent_holds_the_roots_under_none(desk: Desk) -> None:
    _grow_tree(desk)
    ids = _ids(desk)
    with desk.read() as session:
        children = org_queries.children_by_parent(session)
    assert children[None] == [ids[COUNTY]]
    assert sorted(children[ids[COUNTY]]) == sorted([ids[TOWNSHIP], ids[OTHER_TOWNSHIP]])
    assert ids[VILLAGE] not in children


def test_all_orgs_by_code_and_lookup_by_code(desk: Desk) -> None:
    _grow_tree(desk)
    with desk.read() as session:
        codes = [org.code for org in org_queries.all_orgs(session)]
        assert codes == sorted(codes)
        assert len(codes) == 6
        found = org_queries.org_by_code(session, OTHER_VILLAGE)
        assert found is not None
        assert found.name == "新建镇甲村"
        assert org_queries.org_by_code(session, "999999") is None


def test_roster_by_org_code_then_name_and_only_the_given_orgs(desk: Desk) -> None:
    _grow_tree(desk)
    add_mediator(desk, MediatorInput("钱乙", org_code=VILLAGE))
    add_mediator(desk, MediatorInput("钱甲", org_code=VILLAGE, employment=Employment.FULL_TIME))
    add_mediator(desk, MediatorInput("孙丙", org_code=TOWNSHIP, gender=Gender.FEMALE))
    add_mediator(desk, MediatorInput("李丁", org_code=OTHER_VILLAGE))
    ids = _ids(desk)
    with desk.read() as session:
        rows = mediator_queries.roster(session, org_queries.subtree_ids(session, ids[TOWNSHIP]))
        # SQLite orders names by code point: 乙 (U+4E59) before 甲 (U+7532); 李丁 is in the other township
        assert [(org.code, mediator.name) for mediator, org in rows] == [
            (TOWNSHIP, "孙丙"),
            (VILLAGE, "钱乙"),
            (VILLAGE, "钱甲"),
        ]
        assert mediator_queries.roster(session, []) == []


def test_assessment_of_a_year(desk: Desk) -> None:
    mediator = add_mediator(desk, MediatorInput("冯考核")).value
    assess_mediator(desk, mediator.id, 2024, "合格")
    with desk.read() as session:
        found = mediator_queries.assessment(session, mediator.id, 2024)
        assert found is not None
        assert found.grade == "合格"
        assert mediator_queries.assessment(session, mediator.id, 2025) is None
