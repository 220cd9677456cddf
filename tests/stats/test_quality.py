"""The check before publishing finds planted bad cases, each under its rule, and villages that sent nothing."""

from __future__ import annotations

import uuid
from datetime import date

import sqlalchemy as sa

from mediation_desk.domain.statistics import QualityRule
from mediation_desk.services.desk import Desk
from mediation_desk.services.stats import StatsQuery
from mediation_desk.services.stats_quality import quality
from tests.stats.county import VILLAGE_A2, VILLAGE_B1, YEAR_2023, YEAR_2024

TODAY = date(2025, 1, 15)


def _plant(desk: Desk, case_id: uuid.UUID, **values: object) -> None:
    """Write bad values straight into a case row, as a damaged import or an old database might hold them."""
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    with desk.database.engine.begin() as connection:
        connection.execute(
            sa.text(f"UPDATE dispute_case SET {assignments} WHERE id = :id"), {**values, "id": case_id.hex}
        )


def _numbers(desk: Desk, ids: dict[str, uuid.UUID]) -> dict[uuid.UUID, str]:
    with desk.database.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT id, number FROM dispute_case")).all()
    by_hex = {case_id.hex: label for label, case_id in ids.items()}
    return {ids[by_hex[row[0]]]: row[1] for row in rows}


def test_the_clean_county_has_two_findings(county: Desk, case_ids: dict[str, uuid.UUID]) -> None:
    report = quality(county, StatsQuery(*YEAR_2024), today=TODAY)
    assert {rule: count for rule, count in report.counts.items() if count} == {
        QualityRule.AMOUNT_WITHOUT_AGREEMENT: 1,  # F failed with 800 yuan on record
        QualityRule.OPEN_WITHOUT_SESSION: 1,  # G open since August without a session
    }
    found = {(issue.rule, issue.case_id) for issue in report.issues}
    assert found == {
        (QualityRule.AMOUNT_WITHOUT_AGREEMENT, case_ids["F"]),
        (QualityRule.OPEN_WITHOUT_SESSION, case_ids["G"]),
    }
    assert not report.ok
    assert not report.truncated
    assert "有金额无协议 1 项" in report.summary()
    early = quality(county, StatsQuery(*YEAR_2024), today=date(2024, 9, 1))  # G not yet a month old
    assert early.counts[QualityRule.OPEN_WITHOUT_SESSION] == 0


def test_planted_bad_cases_are_flagged(county: Desk, case_ids: dict[str, uuid.UUID]) -> None:
    _plant(county, case_ids["B"], category="")
    _plant(county, case_ids["E"], category="ZZ")
    _plant(county, case_ids["D"], closing_date=None)  # filed, but no closing date
    _plant(county, case_ids["H"], closing_date="2024-09-01")  # before its intake on 9 September
    _plant(county, case_ids["G"], status="failed")  # an outcome status without the outcome's record
    report = quality(county, StatsQuery(*YEAR_2024), today=TODAY)
    by_rule: dict[QualityRule, set[uuid.UUID]] = {}
    for issue in report.issues:
        if issue.case_id:
            by_rule.setdefault(issue.rule, set()).add(issue.case_id)
    assert by_rule == {
        QualityRule.MISSING_CATEGORY: {case_ids["B"], case_ids["E"]},
        QualityRule.OUTCOME_WITHOUT_DATE: {case_ids["D"], case_ids["G"]},
        QualityRule.CLOSING_BEFORE_INTAKE: {case_ids["H"]},
        QualityRule.AMOUNT_WITHOUT_AGREEMENT: {case_ids["F"]},
    }
    assert report.counts[QualityRule.OPEN_WITHOUT_SESSION] == 0  # G is no longer open
    assert report.total == 6
    numbers = _numbers(county, case_ids)
    closing = next(issue for issue in report.issues if issue.rule is QualityRule.CLOSING_BEFORE_INTAKE)
    assert closing.case_number == numbers[case_ids["H"]]
    assert closing.org_code == VILLAGE_B1
    assert "受理 2024-09-09" in closing.detail
    assert "结案 2024-09-01" in closing.detail
    data = report.as_json()
    assert data["total"] == 6
    assert data["ok"] is False
    assert {rule["rule"]: rule["count"] for rule in data["rules"]}["missing_category"] == 2
    village = quality(county, StatsQuery(*YEAR_2024, org_code=VILLAGE_A2), today=TODAY)
    assert {issue.case_id for issue in village.issues} == {case_ids["D"], case_ids["E"]}


def test_a_case_the_closing_basis_would_miss_is_still_checked(county: Desk, case_ids: dict[str, uuid.UUID]) -> None:
    _plant(county, case_ids["G"], status="closed")  # closed without an outcome or a closing date
    report = quality(county, StatsQuery(*YEAR_2024), today=TODAY)
    assert (QualityRule.OUTCOME_WITHOUT_DATE, case_ids["G"]) in {(i.rule, i.case_id) for i in report.issues}


def test_villages_that_sent_no_data(county: Desk) -> None:
    report = quality(county, StatsQuery(*YEAR_2023), today=TODAY)
    silent = [issue.org_code for issue in report.issues if issue.rule is QualityRule.NO_DATA]
    assert silent == [VILLAGE_A2, VILLAGE_B1]  # only 甲村 has cases in 2023
    assert report.counts[QualityRule.NO_DATA] == 2
    assert quality(county, StatsQuery(*YEAR_2024), today=TODAY).counts[QualityRule.NO_DATA] == 0
