"""``services.stats_cases``: the cases behind a figure are exactly those the statistics count, for every group of
every grouping, by either basis; a bad request is one clear message."""

from __future__ import annotations

import uuid

import pytest

from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.statistics import Basis
from mediation_desk.services.desk import Desk
from mediation_desk.services.stats import StatsQuery, statistics
from mediation_desk.services.stats_cases import Behind, cases_behind_figure
from tests.stats.conftest import case_ids, county, county_root, county_template  # noqa: F401 - the fixtures
from tests.stats.county import VILLAGE_A1, WUYUN, YEAR_2024

INDICATORS = ("cases", "mediated", "successful", "failed", "terminated", "refused", "pending", "written_agreements",
              "oral_agreements", "group_cases", "performed", "partly_performed", "not_performed",
              "judicial_applied", "judicial_granted", "escalation_risk_cases")  # fmt: skip


@pytest.mark.parametrize("basis", list(Basis))
def test_every_group_lists_the_cases_it_counts(county: Desk, basis: Basis) -> None:  # noqa: F811 - the fixture
    query = StatsQuery(*YEAR_2024, basis=basis)
    result = statistics(county, query)
    groupings = (
        ("category", result.by_category),
        ("subtype", result.by_subtype),
        ("source", result.by_source),
        ("month", result.by_month),
    )
    for field, groups in groupings:
        for group in groups:
            for indicator in INDICATORS:
                found = cases_behind_figure(county, query, Behind(indicator, **{field: group.code}))
                assert found.total == len(found.rows) == getattr(group.counts, indicator), (field, group, indicator)


def test_the_cases_behind_named_figures(county: Desk, case_ids: dict[str, uuid.UUID]) -> None:  # noqa: F811
    query = StatsQuery(*YEAR_2024)

    def listed(behind: Behind, **options: object) -> set[uuid.UUID]:
        return {row.id for row in cases_behind_figure(county, query, behind, **options).rows}  # type: ignore[arg-type]

    labels = {case_id: label for label, case_id in case_ids.items()}
    assert {labels[i] for i in listed(Behind())} == set("BCDEFGH")
    assert {labels[i] for i in listed(Behind("amount_wan_yuan"))} == {"D", "E"}  # H agreed no amount
    assert {labels[i] for i in listed(Behind("success_rate"))} == set("BDEFH")  # over the mediated cases
    assert {labels[i] for i in listed(Behind("judicial_granted"))} == {"E"}
    assert {labels[i] for i in listed(Behind("escalation_risk_persons"))} == {"D"}
    assert {labels[i] for i in listed(Behind(), org_code=WUYUN)} == set("BCDEF")
    assert {labels[i] for i in listed(Behind(), org_code=WUYUN, own_only=True)} == {"F"}
    found = cases_behind_figure(county, query, Behind(), org_code=VILLAGE_A1, limit=1)
    assert (found.total, len(found.rows), found.truncated) == (2, 1, True)
    assert found.rows[0].id == case_ids["B"]  # intake order
    assert found.org_name == "甲村"
    closing = StatsQuery(*YEAR_2024, basis=Basis.CLOSING)
    by_closing = {labels[row.id] for row in cases_behind_figure(county, closing, Behind("successful")).rows}
    assert by_closing == set("ADEH")  # A closed on 2 January 2024


def test_a_bad_request_is_refused(county: Desk) -> None:  # noqa: F811 - the fixture
    with pytest.raises(ValidationError, match="统计指标"):
        cases_behind_figure(county, StatsQuery(), Behind("no_such_figure"))
    with pytest.raises(ValidationError, match="截止日期"):
        cases_behind_figure(county, StatsQuery(YEAR_2024[1], YEAR_2024[0]))
