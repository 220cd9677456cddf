"""A small, deterministic set of cases made through the real services.

Used where two databases must be compared (SQLite against PostgreSQL) and to build the saved databases of
released schemas (tests/migrations/fixtures). Every date lies in the past, every name is synthetic.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from mediation_desk.domain.codes import (
    CaseSource,
    Employment,
    Gender,
    OutcomeKind,
    PartyRole,
    Performance,
    RiskFlag,
    categories,
)
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.services import cases, mediators
from mediation_desk.services.desk import Desk
from mediation_desk.services.stats import statistics
from mediation_desk.store.models import Base

BEIJING = timezone(timedelta(hours=8))
SURNAMES = "张王李赵陈刘杨黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("建国", "秀英", "伟", "芳", "志强", "丽华", "海燕", "国庆", "小红", "德明")

# i % 6 decides how a case ends: written, oral, failed, terminated, refused at intake, still being mediated
ENDINGS = (
    OutcomeKind.WRITTEN_AGREEMENT,
    OutcomeKind.ORAL_AGREEMENT,
    OutcomeKind.FAILED,
    OutcomeKind.TERMINATED,
    OutcomeKind.REFUSED,
    None,
)


def person(index: int) -> str:
    return SURNAMES[index % len(SURNAMES)] + GIVEN[(index * 7) % len(GIVEN)]


def populate(desk: Desk, org_codes: Sequence[str], count: int, *, year: int = 2025) -> list[uuid.UUID]:
    """Register ``count`` cases spread over ``org_codes`` and take each through its lifecycle. Returns their ids."""
    codes = [category.code for category in categories()]
    sources = list(CaseSource)
    roster: dict[str, uuid.UUID] = {}
    for position, org_code in enumerate(org_codes):
        info = mediators.add_mediator(
            desk,
            mediators.MediatorInput(
                name=person(100 + position),
                org_code=org_code,
                gender=Gender.FEMALE if position % 2 else Gender.MALE,
                employment=Employment.FULL_TIME if position == 0 else Employment.PART_TIME,
            ),
        ).value
        roster[org_code] = info.id
    made: list[uuid.UUID] = []
    for i in range(count):
        org_code = org_codes[i % len(org_codes)]
        ending = ENDINGS[i % len(ENDINGS)]
        source = sources[i % len(sources)]
        intake = date(year, 1 + i % 12, 1 + (i * 7) % 25)
        data = CaseInput(
            intake_date=intake,
            source=source,
            category=codes[i % len(codes)],
            parties=[
                PartyInput(person(2 * i), PartyRole.APPLICANT, gender=Gender.MALE),
                PartyInput(person(2 * i + 1), PartyRole.RESPONDENT, gender=Gender.FEMALE),
            ],
            facts=f"第{i + 1}起：双方因{'宅基地界址' if i % 2 else '借款归还'}发生争执，申请调解。",
            requests="请求依法调解",
            place=f"{i % 9 + 1}组",
            referral_body="县人民法院" if source is CaseSource.REFERRAL else "",
            amount_fen=(i * 1_234_567) % 9_000_000,
            persons=2 + i % 5,
            group_dispute=i % 7 == 3,
            risk_flags=[RiskFlag.PETITION] if i % 5 == 2 else [],
            recorder="书记员",
            accept=ending is not OutcomeKind.REFUSED,
        )
        case_id = cases.register_case(desk, data, org_code=org_code).value.id
        made.append(case_id)
        if ending is OutcomeKind.REFUSED:
            cases.refuse_case(desk, case_id, "不属于人民调解受理范围", on=intake + timedelta(days=1))
            continue
        cases.assign_mediators(desk, case_id, [roster[org_code]], on=intake)
        held = datetime(year, intake.month, intake.day, 9, 30, tzinfo=BEIJING) + timedelta(days=1)
        if i % 3 == 0:
            cases.record_investigation(
                desk, case_id, held_at=held, investigator="调解员", interviewee=person(2 * i + 1), body="了解纠纷经过。"
            )
        cases.record_session(desk, case_id, held_at=held, body="双方陈述意见，调解员释法说理。", place="调解室")
        if ending is None:
            continue
        reason = "" if ending.successful else "双方分歧过大"
        cases.conclude_case(desk, case_id, ending, on=intake + timedelta(days=3), reason=reason)
        if ending is OutcomeKind.WRITTEN_AGREEMENT:
            cases.record_follow_up(
                desk,
                case_id,
                visited_on=intake + timedelta(days=20),
                visited_party=person(2 * i),
                performance=Performance.PERFORMED,
                visitor="调解员",
            )
            if i % 12 == 0:
                cases.record_judicial_confirmation(
                    desk, case_id, applied_on=intake + timedelta(days=5), court="缙云县人民法院"
                )
        if i % 4 == 0:
            cases.close_case(desk, case_id, on=intake + timedelta(days=30))
    return made


def snapshot(desk: Desk) -> dict[str, Any]:
    """What a desk holds, as plain JSON-able data: cases, statistics and the row count of every table."""
    rows = [
        {
            "id": str(row.id),
            "number": row.number,
            "org_code": row.org_code,
            "intake_date": row.intake_date.isoformat(),
            "category": row.category,
            "source": row.source.value,
            "status": row.status.value,
            "outcome": row.outcome.value if row.outcome else None,
            "applicants": row.applicants,
            "respondents": row.respondents,
            "amount_fen": row.amount_fen,
            "closing_date": row.closing_date.isoformat() if row.closing_date else None,
        }
        for row in cases.list_cases(desk)
    ]
    with desk.read() as session:
        counts = {
            name: int(session.scalar(sa.select(sa.func.count()).select_from(table)) or 0)
            for name, table in sorted(Base.metadata.tables.items())
        }
    return {
        "cases": sorted(rows, key=lambda row: (row["org_code"], row["number"])),
        "statistics": statistics(desk).as_json(),
        "rows": counts,
    }
