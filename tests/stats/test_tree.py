"""Totals over an organisation equal the sum of its children at every level, and equal that organisation's own
report; nothing is counted twice."""

from __future__ import annotations

import sqlalchemy as sa

from mediation_desk.domain.statistics import Basis, Counts
from mediation_desk.services.desk import Desk
from mediation_desk.services.stats import OrgNode, StatsQuery, statistics
from mediation_desk.store.models import DisputeCase, OrgUnit
from tests.stats.county import COUNTY, EXPECTED_ORG_CASES_2024, EXPECTED_OWN_CASES_2024, YEAR_2024


def _own_cases(desk: Desk) -> dict[str, int]:
    """Cases recorded by each organisation itself in 2024, counted directly."""
    with desk.read() as session:
        rows = session.execute(
            sa.select(OrgUnit.code, sa.func.count())
            .join(DisputeCase, DisputeCase.org_id == OrgUnit.id)
            .where(DisputeCase.intake_date.between(*YEAR_2024))
            .group_by(OrgUnit.code)
        )
        return {code: int(count) for code, count in rows}


def _check_node(node: OrgNode) -> None:
    expected = Counts()
    expected.add(node.own)
    for child in node.children:
        expected.add(child.counts)
        _check_node(child)
    assert node.counts == expected, node.code


def test_every_level_sums_its_children(county: Desk) -> None:
    for basis in Basis:
        result = statistics(county, StatsQuery(*YEAR_2024, basis=basis))
        top = result.org_tree[0]
        assert top.code == COUNTY
        assert top.counts == result.totals
        _check_node(top)
        # the county keeps no screening records or mediators of its own: its children's add up to its figures
        assert sum(child.screening.rounds for child in top.children) == result.screening.rounds == 5
        assert sum(child.roster.mediators for child in top.children) == result.roster.mediators == 4
        depths = {node.code: node.depth for node in result.org_tree}
        assert len(depths) == len(result.org_tree) == 1 + 18 + 3


def test_each_node_equals_its_own_report(county: Desk) -> None:
    result = statistics(county, StatsQuery(*YEAR_2024))
    tree = {node.code: node for node in result.org_tree}
    assert {code: node.counts.cases for code, node in tree.items() if node.counts.cases} == EXPECTED_ORG_CASES_2024
    assert {code: node.own.cases for code, node in tree.items() if node.own.cases} == EXPECTED_OWN_CASES_2024
    assert _own_cases(county) == EXPECTED_OWN_CASES_2024
    for code, node in tree.items():
        alone = statistics(county, StatsQuery(*YEAR_2024, org_code=code))
        assert alone.totals == node.counts, code
        assert alone.screening == node.screening, code
        assert alone.roster == node.roster, code


def test_the_tree_in_the_json(county: Desk) -> None:
    report = statistics(county, StatsQuery(*YEAR_2024)).report_json()
    entries = {entry["code"]: entry for entry in report["org_tree"]}
    for entry in report["org_tree"]:
        children = [child for child in report["org_tree"] if child["parent"] == entry["code"]]
        assert entry["cases"] == entry["own_cases"] + sum(child["cases"] for child in children), entry["code"]
        for key in ("rounds", "disputes_found", "escalation_persons"):
            below = sum(child["screening"][key] for child in children)
            assert entry["screening"][key] >= below, (entry["code"], key)
    assert entries["331122001"]["level_name"] == "乡镇（街道）"
    assert entries["331122001001"]["depth"] == 2
