"""Organisation import and statistics over a subtree."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from mediation_desk.domain.codes import CaseSource, OrgLevel, OutcomeKind, PartyRole
from mediation_desk.domain.errors import NotFound, ValidationError
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.services import cases, orgs
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.setup import SetupInput, initialise
from mediation_desk.services.stats import StatsQuery, statistics
from tests.conftest import SHARED, TEST_PASSWORD

VILLAGES = "code,name,level,parent_code\n331122001001,甲村,village,331122001\n331122001002,乙村,village,331122001\n"


def test_import_reference_orgs_then_villages(desk: Desk, tmp_path: Path) -> None:
    summary = orgs.import_orgs(desk, SHARED / "data" / "org_units_jinyun.csv").value
    assert summary.created == 17  # the county and 五云街道 came with init
    assert summary.unchanged == 2
    villages = tmp_path / "villages.csv"
    villages.write_text("\ufeff" + VILLAGES, encoding="utf-8")
    again = orgs.import_orgs(desk, villages).value
    assert (again.created, again.updated) == (1, 1)  # 甲村 renamed the desk's own village; 乙村 is new
    assert len(orgs.list_orgs(desk)) == 21
    assert orgs.import_orgs(desk, villages).value.unchanged == 2


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("code,name\n1,x\n", "表头"),
        ("code,name,level,parent_code\nabc,甲村,village,331122001\n", "6–15 位数字"),
        ("code,name,level,parent_code\n331122001009,甲村,hamlet,331122001\n", "未知的层级"),
        ("code,name,level,parent_code\n331122001009,甲村,village,999999\n", "上级组织代码 999999"),
        ("code,name,level,parent_code\n331122001009,甲村,village,\n331122001009,乙村,village,\n", "重复"),
    ],
)
def test_bad_org_files_change_nothing(desk: Desk, tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text(content, encoding="utf-8")
    before = orgs.list_orgs(desk)
    with pytest.raises(ValidationError, match=fragment):
        orgs.import_orgs(desk, path)
    assert orgs.list_orgs(desk) == before


def test_case_prefix(desk: Desk) -> None:
    assert orgs.set_case_prefix(desk, "331122001001", "缙五甲人调").value.case_prefix == "缙五甲人调"
    with pytest.raises(NotFound):
        orgs.set_case_prefix(desk, "999999999", "x")


def _case(
    category: str,
    source: CaseSource,
    *,
    amount: int = 0,
    group: bool = False,
    persons: int = 0,
    intake: date = date(2026, 2, 1),
) -> CaseInput:
    return CaseInput(
        intake_date=intake,
        source=source,
        category=category,
        amount_fen=amount,
        group_dispute=group,
        persons=persons,
        parties=[PartyInput("周甲", PartyRole.APPLICANT), PartyInput("吴乙", PartyRole.RESPONDENT)],
    )


def _conclude(desk: Desk, number: str, kind: OutcomeKind) -> None:
    cases.record_session(desk, number, held_at=datetime(2026, 2, 2, tzinfo=UTC), body="调解")
    cases.conclude_case(desk, number, kind, on=date(2026, 2, 3), reason="" if kind.successful else "分歧过大")


@pytest.fixture
def township(tmp_path: Path) -> Desk:
    desk = initialise(
        tmp_path / "township",
        SetupInput("331122001", "五云街道", OrgLevel.TOWNSHIP, "331122", "clerk", TEST_PASSWORD),
        Actor.local_operator("test"),
    )
    path = tmp_path / "villages.csv"
    path.write_text(VILLAGES, encoding="utf-8")
    orgs.import_orgs(desk, path)
    return desk


def test_statistics_add_up_over_the_subtree(township: Desk) -> None:
    village_a, village_b = "331122001001", "331122001002"
    plan = [
        (village_a, "02", CaseSource.INITIATIVE, OutcomeKind.WRITTEN_AGREEMENT, 120_050, False, 0),
        (village_a, "02", CaseSource.APPLICATION, OutcomeKind.ORAL_AGREEMENT, 0, False, 0),
        (village_a, "04", CaseSource.APPLICATION, OutcomeKind.FAILED, 500_000, False, 0),
        (village_b, "10", CaseSource.REFERRAL, OutcomeKind.WRITTEN_AGREEMENT, 3_000_000, True, 12),
        (village_b, "01", CaseSource.INITIATIVE, OutcomeKind.TERMINATED, 0, False, 0),
        (village_b, "01", CaseSource.INITIATIVE, None, 0, False, 0),
        ("331122001", "13", CaseSource.REFERRAL, OutcomeKind.WRITTEN_AGREEMENT, 80_000, False, 0),
    ]
    for org_code, category, source, outcome, amount, group, persons in plan:
        data = _case(category, source, amount=amount, group=group, persons=persons)
        if source is CaseSource.REFERRAL:
            data.referral_body = "缙云县公安局五云派出所"
        row = cases.register_case(township, data, org_code=org_code).value
        if outcome is not None:
            _conclude(township, str(row.id), outcome)
    unaccepted = _case("15", CaseSource.APPLICATION)
    unaccepted.accept = False
    refused = cases.register_case(township, unaccepted, org_code=village_a).value
    cases.refuse_case(township, refused.id, "已向人民法院起诉", on=date(2026, 2, 2))
    cases.register_case(township, _case("02", CaseSource.APPLICATION, intake=date(2025, 6, 1)), org_code=village_a)

    result = statistics(township, StatsQuery(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))).as_json()
    totals = result["totals"]
    assert totals["cases"] == 8
    assert totals["successful"] == 4
    assert totals["mediated"] == 6
    assert totals["success_rate"] == 66.67
    assert (totals["failed"], totals["terminated"], totals["refused"], totals["pending"]) == (1, 1, 1, 1)
    assert (totals["written_agreements"], totals["oral_agreements"]) == (3, 1)
    assert totals["amount_fen"] == 120_050 + 3_000_000 + 80_000
    assert totals["amount_yuan"] == 32000.5
    assert totals["group_cases"] == 1
    assert totals["group_persons"] == 12
    assert totals["persons"] == 12 + 2 * 7

    by_org = {group["code"]: group for group in result["by_org"]}
    assert by_org[village_a]["cases"] == 4
    assert by_org[village_b]["cases"] == 3
    assert by_org["331122001"]["cases"] == 1
    for key in ("cases", "successful", "failed", "amount_fen", "persons"):
        assert sum(group[key] for group in result["by_org"]) == totals[key]
        assert sum(group[key] for group in result["by_category"]) == totals[key]
        assert sum(group[key] for group in result["by_source"]) == totals[key]
    assert len(result["by_category"]) == 15
    assert {g["code"]: g["cases"] for g in result["by_source"]} == {"application": 3, "initiative": 3, "referral": 2}

    whole = statistics(township).as_json()["totals"]
    assert whole["cases"] == 9
    village_only = statistics(township, StatsQuery(org_code=village_b)).as_json()
    assert village_only["totals"]["cases"] == 3
    assert [g["code"] for g in village_only["by_org"]] == [village_b]
    with pytest.raises(ValidationError):
        statistics(township, StatsQuery(date_from=date(2026, 2, 1), date_to=date(2026, 1, 1)))
    township.close()
