"""A small county whose every figure is computed by hand below (``EXPECTED_*``), made through the real services.

The county 缙云县 (331122) with its 18 township-level units from the reference list, two villages under 五云街道
(331122001) and one under 壶镇镇 (331122101). Nine cases, chosen for the boundaries the statistics must get right:

| case | org | intake | source | category | persons | how it ends |
| --- | --- | --- | --- | --- | --- | --- |
| A | 甲村 | 2023-12-31 | application | 02 | 2 | written 2024-01-02 (1,234.56 yuan), closed 2024-01-02 |
| B | 甲村 | 2024-03-05 | initiative | 02 | 2 | terminated 2024-03-20, closed 2024-03-25 |
| C | 甲村 | 2024-04-01 | application | 04 | 2 | refused at intake 2024-04-02 (not filed) |
| D | 乙村 | 2024-05-10 | referral | 03 | 25 | oral 2024-05-12 (300 yuan), group, 民转刑 risk, performed, closed 05-31 |
| E | 乙村 | 2024-06-01 | application | 0401 | 2 | written 2024-06-03 (50,000 yuan), partly performed, confirmed |
| F | 五云街道 | 2024-07-01 | referral | 1001 | 3 | failed 2024-07-15, 800 yuan on record (not counted), closed 07-20 |
| G | 丙村 | 2024-08-08 | initiative | 01 | 3 | still being mediated |
| H | 丙村 | 2024-09-09 | application | 0101 | 2 | written 2024-09-10, not performed, refused confirmation, closed |
| I | 甲村 | 2023-06-01 | application | 02 | 2 | written 2023-06-05, closed 2023-06-20 |

E is not filed; its judicial confirmation was granted. H (no amount) was filed on 2024-09-30.
Case A is opened on 31 December and closed on 2 January: it counts in 2023 by intake and in 2024 by closing.
Mediators: 钱一 (甲村, full-time) on A, B and I; 钱二 (乙村, legal instructor) on D and E; 钱三 (五云街道) on F;
钱四 (丙村) on G and H. Screening: 甲村 in the first half of 2024, 壶镇镇 in the second, 甲村 in 2023.
Every name is synthetic.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from mediation_desk.domain.codes import CaseSource, Employment, OrgLevel, OutcomeKind, PartyRole, Performance, RiskFlag
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.domain.permissions import Permission
from mediation_desk.resources import resource_path
from mediation_desk.services import cases, mediators, orgs
from mediation_desk.services.desk import Actor, Desk, UnitOfWork
from mediation_desk.services.setup import SetupInput, initialise
from mediation_desk.store.models import ScreeningRound
from tests.conftest import TEST_PASSWORD

COUNTY, WUYUN, HUZHEN = "331122", "331122001", "331122101"
VILLAGE_A1, VILLAGE_A2, VILLAGE_B1 = "331122001001", "331122001002", "331122101001"
VILLAGES = (
    "code,name,level,parent_code\n"
    f"{VILLAGE_A1},甲村,village,{WUYUN}\n"
    f"{VILLAGE_A2},乙村,village,{WUYUN}\n"
    f"{VILLAGE_B1},丙村,village,{HUZHEN}\n"
)
YEAR_2024 = (date(2024, 1, 1), date(2024, 12, 31))
YEAR_2023 = (date(2023, 1, 1), date(2023, 12, 31))


@dataclass(frozen=True, slots=True)
class Plan:
    org: str
    intake: date
    source: CaseSource
    category: str
    persons: int
    mediator: str | None
    group: bool = False
    risk: bool = False
    accept: bool = True


PLANS: dict[str, Plan] = {
    "A": Plan(VILLAGE_A1, date(2023, 12, 31), CaseSource.APPLICATION, "02", 2, "钱一"),
    "B": Plan(VILLAGE_A1, date(2024, 3, 5), CaseSource.INITIATIVE, "02", 2, "钱一"),
    "C": Plan(VILLAGE_A1, date(2024, 4, 1), CaseSource.APPLICATION, "04", 2, None, accept=False),
    "D": Plan(VILLAGE_A2, date(2024, 5, 10), CaseSource.REFERRAL, "03", 25, "钱二", group=True, risk=True),
    "E": Plan(VILLAGE_A2, date(2024, 6, 1), CaseSource.APPLICATION, "0401", 2, "钱二"),
    "F": Plan(WUYUN, date(2024, 7, 1), CaseSource.REFERRAL, "1001", 3, "钱三"),
    "G": Plan(VILLAGE_B1, date(2024, 8, 8), CaseSource.INITIATIVE, "01", 3, "钱四"),
    "H": Plan(VILLAGE_B1, date(2024, 9, 9), CaseSource.APPLICATION, "0101", 2, "钱四"),
    "I": Plan(VILLAGE_A1, date(2023, 6, 1), CaseSource.APPLICATION, "02", 2, "钱一"),
}

# 2024 by intake: B C D E F G H. Amounts: D 30,000 fen + E 5,000,000 fen (F's failed 80,000 fen is not counted).
EXPECTED_2024_INTAKE = {
    "cases": 7,
    "mediated": 5,
    "successful": 3,
    "success_rate": 60.0,
    "failed": 1,
    "terminated": 1,
    "refused": 1,
    "pending": 1,
    "written_agreements": 2,
    "oral_agreements": 1,
    "amount_fen": 5_030_000,
    "amount_yuan": 50_300.0,
    "amount_wan_yuan": 5.03,
    "persons": 2 + 2 + 25 + 2 + 3 + 3 + 2,
    "group_cases": 1,
    "group_persons": 25,
    "performed": 1,
    "partly_performed": 1,
    "not_performed": 1,
    "escalation_risk_cases": 1,
    "escalation_risk_persons": 25,
    "judicial_applied": 2,
    "judicial_granted": 1,
}
# 2024 by closing: A B C D E F H (G is still open; I ended in 2023). A adds 123,456 fen and a written agreement.
EXPECTED_2024_CLOSING = {
    **EXPECTED_2024_INTAKE,
    "cases": 7,
    "mediated": 6,
    "successful": 4,
    "success_rate": 66.67,
    "pending": 0,
    "written_agreements": 3,
    "amount_fen": 5_153_456,
    "amount_yuan": 51_534.56,
    "amount_wan_yuan": 5.15,
    "persons": 2 + 2 + 2 + 25 + 2 + 3 + 2,
}
EXPECTED_ORG_CASES_2024 = {COUNTY: 7, WUYUN: 5, HUZHEN: 2, VILLAGE_A1: 2, VILLAGE_A2: 2, VILLAGE_B1: 2}
EXPECTED_OWN_CASES_2024 = {WUYUN: 1, VILLAGE_A1: 2, VILLAGE_A2: 2, VILLAGE_B1: 2}


def county_setup() -> SetupInput:
    return SetupInput(COUNTY, "缙云县", OrgLevel.COUNTY, None, "admin", TEST_PASSWORD, "缙司调")


def add_orgs(desk: Desk, folder: Path) -> None:
    """The reference list's townships and the three villages."""
    villages = folder / "stats-villages.csv"
    villages.write_text(VILLAGES, encoding="utf-8")
    orgs.import_orgs(desk, resource_path(*orgs.REFERENCE_FILE))
    orgs.import_orgs(desk, villages)


def county_desk(root: Path) -> Desk:
    """A county desk in ``root`` with its organisations (and no cases yet)."""
    desk = initialise(root, county_setup(), Actor.local_operator("test"))
    add_orgs(desk, root.parent)
    return desk


def _roster(desk: Desk) -> dict[str, uuid.UUID]:
    people = {
        "钱一": mediators.MediatorInput("钱一", VILLAGE_A1, employment=Employment.FULL_TIME),
        "钱二": mediators.MediatorInput("钱二", VILLAGE_A2, legal_instructor=True),
        "钱三": mediators.MediatorInput("钱三", WUYUN),
        "钱四": mediators.MediatorInput("钱四", VILLAGE_B1),
    }
    return {name: mediators.add_mediator(desk, data).value.id for name, data in people.items()}


def _register(desk: Desk, label: str, plan: Plan) -> uuid.UUID:
    data = CaseInput(
        intake_date=plan.intake,
        source=plan.source,
        category=plan.category,
        parties=[PartyInput(f"周{label}甲", PartyRole.APPLICANT), PartyInput(f"吴{label}乙", PartyRole.RESPONDENT)],
        referral_body="缙云县公安局五云派出所" if plan.source is CaseSource.REFERRAL else "",
        persons=plan.persons,
        group_dispute=plan.group,
        risk_flags=[RiskFlag.CRIMINAL] if plan.risk else [],
        accept=plan.accept,
    )
    return cases.register_case(desk, data, org_code=plan.org).value.id


def _held(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


def _conclude(desk: Desk, ids: dict[str, uuid.UUID]) -> None:
    """How each case ends, as the table in the module's docstring says."""
    a, b, c, d, e, f, h, i = (ids[key] for key in "ABCDEFHI")
    cases.record_session(desk, a, held_at=_held(date(2024, 1, 1)), body="调解")
    cases.conclude_case(desk, a, OutcomeKind.WRITTEN_AGREEMENT, on=date(2024, 1, 2), amount_fen=123_456)
    cases.close_case(desk, a, on=date(2024, 1, 2))
    cases.conclude_case(desk, b, OutcomeKind.TERMINATED, on=date(2024, 3, 20), reason="一方当事人要求终止调解")
    cases.close_case(desk, b, on=date(2024, 3, 25))
    cases.refuse_case(desk, c, "已向人民法院起诉", on=date(2024, 4, 2))
    cases.conclude_case(desk, d, OutcomeKind.ORAL_AGREEMENT, on=date(2024, 5, 12), amount_fen=30_000)
    cases.record_follow_up(
        desk, d, visited_on=date(2024, 5, 20), visited_party="周D甲", performance=Performance.PERFORMED, visitor="钱二"
    )
    cases.close_case(desk, d, on=date(2024, 5, 31))
    cases.conclude_case(desk, e, OutcomeKind.WRITTEN_AGREEMENT, on=date(2024, 6, 3), amount_fen=5_000_000)
    cases.record_follow_up(
        desk, e, visited_on=date(2024, 6, 20), visited_party="周E甲", performance=Performance.PARTLY, visitor="钱二"
    )
    cases.record_judicial_confirmation(
        desk, e, applied_on=date(2024, 6, 10), court="缙云县人民法院", ruled_on=date(2024, 6, 12), granted=True
    )
    cases.conclude_case(desk, f, OutcomeKind.FAILED, on=date(2024, 7, 15), reason="双方分歧过大", amount_fen=80_000)
    cases.close_case(desk, f, on=date(2024, 7, 20))
    cases.conclude_case(desk, h, OutcomeKind.WRITTEN_AGREEMENT, on=date(2024, 9, 10))
    cases.record_follow_up(
        desk,
        h,
        visited_on=date(2024, 9, 25),
        visited_party="周H甲",
        performance=Performance.NOT_PERFORMED,
        visitor="钱四",
    )
    cases.record_judicial_confirmation(
        desk, h, applied_on=date(2024, 9, 12), court="缙云县人民法院", ruled_on=date(2024, 9, 15), granted=False
    )
    cases.close_case(desk, h, on=date(2024, 9, 30))
    cases.conclude_case(desk, i, OutcomeKind.WRITTEN_AGREEMENT, on=date(2023, 6, 5))
    cases.close_case(desk, i, on=date(2023, 6, 20))


def _screening(desk: Desk) -> None:
    village = orgs.list_orgs(desk)
    ids = {org.code: org.id for org in village}
    records = (
        (VILLAGE_A1, date(2024, 1, 1), date(2024, 6, 30), (3, 5, 2, 1, 4)),
        (HUZHEN, date(2024, 7, 1), date(2024, 12, 31), (2, 1, 0, 0, 0)),
        (VILLAGE_A1, date(2023, 1, 1), date(2023, 12, 31), (9, 9, 9, 9, 9)),
    )

    def body(work: UnitOfWork) -> None:
        for code, start, end, (rounds, found, prevented, escalations, persons) in records:
            work.session.add(
                ScreeningRound(
                    org_id=ids[code],
                    period_start=start,
                    period_end=end,
                    rounds=rounds,
                    disputes_found=found,
                    disputes_prevented=prevented,
                    escalations_prevented=escalations,
                    escalation_persons=persons,
                )
            )
        work.changed("screening_round")

    desk.run("test.screening", Permission.EDIT_CASE, body)


def fill(desk: Desk) -> dict[str, uuid.UUID]:
    """The nine cases, their mediators and the screening records; returns the cases' ids by label."""
    roster = _roster(desk)
    ids: dict[str, uuid.UUID] = {}
    for label, plan in PLANS.items():
        ids[label] = _register(desk, label, plan)
        if plan.mediator:
            cases.assign_mediators(desk, ids[label], [roster[plan.mediator]], on=plan.intake)
    _conclude(desk, ids)
    _screening(desk)
    return ids
