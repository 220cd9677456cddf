"""Every indicator against the hand-computed county (``tests.stats.county``), by intake and by closing date."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.statistics import Basis, Counts, Grouping, success_rate, wan_yuan
from mediation_desk.services.desk import Desk
from mediation_desk.services.stats import StatsQuery, statistics
from tests.stats.county import (
    COUNTY,
    EXPECTED_2024_CLOSING,
    EXPECTED_2024_INTAKE,
    HUZHEN,
    VILLAGE_A1,
    VILLAGE_A2,
    VILLAGE_B1,
    WUYUN,
    YEAR_2023,
    YEAR_2024,
)


def _report(desk: Desk, period: tuple[date, date] | None = None, **options: Any) -> dict[str, Any]:
    start, end = period or (None, None)
    return statistics(desk, StatsQuery(start, end, **options)).report_json()


def test_every_indicator_by_intake_date(county: Desk) -> None:
    report = _report(county, YEAR_2024)
    assert report["totals"] == EXPECTED_2024_INTAKE
    assert report["scope"]["basis"] == "intake"
    assert report["scope"]["period_basis"] == "intake_date"
    assert report["screening"] == {
        "rounds": 5,
        "disputes_found": 6,
        "disputes_prevented": 2,
        "escalations_prevented": 1,
        "escalation_persons": 4,
    }
    assert report["mediators"] == {"total": 4, "full_time": 1, "legal_instructors": 1}
    levels = {entry["level"]: entry["count"] for entry in report["committees"]["by_level"]}
    assert (levels["county"], levels["township"], levels["village"]) == (1, 18, 3)
    assert report["committees"]["total"] == 3
    result = statistics(county, StatsQuery(*YEAR_2024))  # the attributes callers have always read
    assert (result.screening_rounds, result.disputes_found, result.disputes_prevented) == (5, 6, 2)
    assert (result.escalations_prevented, result.mediators, result.full_time_mediators) == (1, 4, 1)


def test_every_indicator_by_closing_date(county: Desk) -> None:
    report = _report(county, YEAR_2024, basis=Basis.CLOSING)
    assert report["totals"] == EXPECTED_2024_CLOSING
    assert (report["scope"]["basis"], report["scope"]["period_basis"]) == ("closing", "closing_date")


def test_opened_on_31_december_closed_on_2_january(county: Desk) -> None:
    """Case A counts in 2023 by intake and in 2024 by closing, never in both years under one basis."""
    by_intake_2023 = _report(county, YEAR_2023)["totals"]
    assert (by_intake_2023["cases"], by_intake_2023["successful"]) == (2, 2)  # A and I
    assert by_intake_2023["amount_fen"] == 123_456
    by_closing_2023 = _report(county, YEAR_2023, basis=Basis.CLOSING)["totals"]
    assert (by_closing_2023["cases"], by_closing_2023["amount_fen"]) == (1, 0)  # I only
    december = _report(county, (date(2023, 12, 31), date(2023, 12, 31)))["totals"]
    january = _report(county, (date(2024, 1, 2), date(2024, 1, 2)), basis=Basis.CLOSING)["totals"]
    assert december["cases"] == january["cases"] == 1
    assert december["amount_fen"] == january["amount_fen"] == 123_456
    assert _report(county, (date(2024, 1, 1), date(2024, 1, 1)), basis=Basis.CLOSING)["totals"]["cases"] == 0


def test_every_date_by_closing_leaves_out_the_open_case(county: Desk) -> None:
    everything = _report(county)["totals"]
    closed = _report(county, basis=Basis.CLOSING)["totals"]
    assert everything["cases"] == 9
    assert closed["cases"] == 8  # G is still being mediated
    assert closed["pending"] == 0


def test_terminated_refused_and_failed_are_not_successes(county: Desk) -> None:
    by_org = {group["code"]: group for group in _report(county, YEAR_2024, org_code=WUYUN)["by_org"]}
    village = by_org[VILLAGE_A1]  # B terminated, C refused at intake
    assert (village["cases"], village["terminated"], village["refused"], village["mediated"]) == (2, 1, 1, 1)
    assert village["success_rate"] == 0.0
    own = by_org[WUYUN]  # F failed, its 800 yuan not an agreement's
    assert (own["failed"], own["amount_fen"], own["success_rate"]) == (1, 0, 0.0)


def test_oral_agreement_group_dispute_and_judicial_confirmation(county: Desk) -> None:
    by_org = {group["code"]: group for group in _report(county, YEAR_2024, org_code=WUYUN)["by_org"]}
    village = by_org[VILLAGE_A2]  # D oral, group of 25, 民转刑 risk; E written, confirmation granted
    assert (village["oral_agreements"], village["written_agreements"]) == (1, 1)
    assert (village["group_cases"], village["group_persons"]) == (1, 25)
    assert (village["escalation_risk_cases"], village["escalation_risk_persons"]) == (1, 25)
    assert (village["judicial_applied"], village["judicial_granted"]) == (1, 1)
    assert (village["performed"], village["partly_performed"]) == (1, 1)
    assert village["amount_yuan"] == 50_300.0
    huzhen = _report(county, YEAR_2024, org_code=HUZHEN)["totals"]  # H: applied, refused; G still open
    assert (huzhen["judicial_applied"], huzhen["judicial_granted"], huzhen["not_performed"]) == (1, 0, 1)
    assert (huzhen["pending"], huzhen["successful"], huzhen["success_rate"]) == (1, 1, 100.0)


def test_groupings_by_category_subtype_source_and_month(county: Desk) -> None:
    report = _report(county, YEAR_2024)
    categories = {group["code"]: group["cases"] for group in report["by_category"]}
    assert len(report["by_category"]) == 15
    assert {code: count for code, count in categories.items() if count} == {"01": 2, "02": 1, "03": 1, "04": 2, "10": 1}
    assert [(g["code"], g["category"], g["cases"]) for g in report["by_subtype"]] == [
        ("0101", "01", 1),
        ("0401", "04", 1),
        ("1001", "10", 1),
    ]
    assert {g["code"]: g["cases"] for g in report["by_source"]} == {"application": 3, "initiative": 2, "referral": 2}
    months = {group["code"]: group["cases"] for group in report["by_month"]}
    assert list(months) == [f"2024-{month:02d}" for month in range(1, 13)]
    assert months == {**dict.fromkeys(months, 0), "2024-03": 1, "2024-04": 1, "2024-05": 1, "2024-06": 1,
                      "2024-07": 1, "2024-08": 1, "2024-09": 1}  # fmt: skip
    assert report["by_month"][2]["name"] == "2024年3月"
    closing = {g["code"]: g["cases"] for g in _report(county, YEAR_2024, basis=Basis.CLOSING)["by_month"]}
    assert (closing["2024-01"], closing["2024-04"], closing["2024-06"], closing["2024-08"]) == (1, 1, 1, 0)
    for key in ("by_category", "by_source", "by_month", "by_org"):
        for name in ("cases", "successful", "amount_fen", "persons", "judicial_applied"):
            assert sum(group[name] for group in report[key]) == report["totals"][name], (key, name)


def test_by_org_one_level_down_and_the_contract_keys(county: Desk) -> None:
    result = statistics(county, StatsQuery(*YEAR_2024))
    assert [(group.code, group.counts.cases) for group in result.by_org] == [(WUYUN, 5), (HUZHEN, 2)]
    contract = result.as_json()
    assert set(contract) == {"scope", "totals", "by_category", "by_source", "by_org", "screening", "mediators"}
    report = result.report_json()
    for key, value in contract.items():
        if isinstance(value, dict):
            assert value.items() <= report[key].items(), key
        else:
            assert [dict(item.items() & report[key][index].items()) for index, item in enumerate(value)] == value
    assert contract["totals"]["success_rate"] == 60.0


def test_mediators_for_the_yearly_assessment(county: Desk) -> None:
    result = statistics(county, StatsQuery(*YEAR_2024, by=Grouping.MEDIATOR))
    assert result.by_mediator is not None
    rows = {row.name: row.report_json() for row in result.by_mediator}
    picked = ("cases", "successful", "terminated", "failed", "success_rate", "average_days", "follow_ups")
    figures = {name: tuple(row[key] for key in picked) for name, row in rows.items()}
    assert figures == {
        "钱一": (1, 0, 1, 0, 0.0, 20.0, 0),  # B: 5 to 25 March
        "钱二": (2, 2, 0, 0, 100.0, 11.5, 2),  # D 21 days, E 2 days (to its outcome: not filed yet)
        "钱三": (1, 0, 0, 1, 0.0, 19.0, 0),  # F
        "钱四": (2, 1, 0, 0, 100.0, 21.0, 1),  # G open (no days), H 21 days
    }
    assert (rows["钱一"]["full_time"], rows["钱二"]["legal_instructor"]) == (True, True)
    closing = statistics(county, StatsQuery(*YEAR_2024, basis=Basis.CLOSING, by=Grouping.MEDIATOR))
    first = next(row for row in closing.by_mediator or [] if row.name == "钱一")
    assert (first.counts.cases, first.counts.successful, first.counts.average_days) == (2, 1, 11.0)  # A and B
    assert statistics(county, StatsQuery(*YEAR_2024)).by_mediator is None
    village = statistics(county, StatsQuery(*YEAR_2024, org_code=VILLAGE_B1, by=Grouping.MEDIATOR))
    assert [row.name for row in village.by_mediator or []] == ["钱四"]


def test_an_organisation_below_the_county_and_a_bad_period(county: Desk) -> None:
    village = _report(county, YEAR_2024, org_code=VILLAGE_A2)
    assert village["scope"]["org"] == VILLAGE_A2
    assert village["totals"]["cases"] == 2
    assert [entry["code"] for entry in village["org_tree"]] == [VILLAGE_A2]
    assert _report(county, YEAR_2024, org_code=COUNTY)["totals"] == EXPECTED_2024_INTAKE
    with pytest.raises(ValidationError, match="截止日期"):
        statistics(county, StatsQuery(date(2024, 2, 1), date(2024, 1, 1)))


@pytest.mark.parametrize(
    ("successful", "mediated", "rate"),
    [(4246, 4252, 99.86), (2, 3, 66.67), (1, 3, 33.33), (1, 8, 12.5), (0, 0, 0.0), (5, 5, 100.0), (1, 200, 0.5)],
)
def test_success_rate_rounds_half_up_to_two_decimals(successful: int, mediated: int, rate: float) -> None:
    assert success_rate(successful, mediated) == rate


def test_amounts_in_yuan_and_wan_yuan() -> None:
    assert (wan_yuan(12_345_678), wan_yuan(50_000), wan_yuan(49_999), wan_yuan(0)) == (12.35, 0.05, 0.05, 0.0)
    counts = Counts(amount_fen=5_153_456)
    assert (counts.amount_yuan, counts.amount_wan_yuan) == (51_534.56, 5.15)
