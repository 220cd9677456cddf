"""Writing checked ledger rows: the status each row leads to, numbering, duplicates, what is already on file."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from mediation_desk.domain.codes import CaseSource, OutcomeKind, PartyRole
from mediation_desk.domain.errors import LifecycleError
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.numbering import CaseNumber, parse_case_number
from mediation_desk.services.desk import Desk
from mediation_desk.services.ledger import import_ledger
from mediation_desk.services.ledger.checking import LedgerRow
from mediation_desk.services.ledger.columns import map_headers
from mediation_desk.services.ledger.writing import Existing, allocate_numbers, check_duplicates, imported_status
from mediation_desk.store.models import DisputeCase, OrgUnit, Outcome
from tests.unit.ledgers import CHINESE, row, write_csv

ACCEPTED = CaseStatus.ACCEPTED

# (outcome, closing date given) → status; the same with or without mediators named
STATUSES = [
    (None, False, None),
    (OutcomeKind.WRITTEN_AGREEMENT, False, CaseStatus.AGREED),
    (OutcomeKind.WRITTEN_AGREEMENT, True, CaseStatus.CLOSED),
    (OutcomeKind.ORAL_AGREEMENT, False, CaseStatus.AGREED),
    (OutcomeKind.ORAL_AGREEMENT, True, CaseStatus.CLOSED),
    (OutcomeKind.FAILED, False, CaseStatus.FAILED),
    (OutcomeKind.FAILED, True, CaseStatus.CLOSED),
    (OutcomeKind.TERMINATED, False, CaseStatus.TERMINATED),
    (OutcomeKind.TERMINATED, True, CaseStatus.CLOSED),
]


@pytest.mark.parametrize(("outcome", "closed", "status"), STATUSES)
@pytest.mark.parametrize("mediators", [False, True])
def test_imported_status(outcome: OutcomeKind | None, closed: bool, status: CaseStatus | None, mediators: bool) -> None:
    open_status = CaseStatus.MEDIATING if mediators else ACCEPTED
    expected = status or open_status
    assert imported_status(ACCEPTED, outcome, mediators=mediators, closed=closed) is expected


def test_imported_status_follows_the_lifecycle() -> None:
    with pytest.raises(LifecycleError):
        imported_status(CaseStatus.REGISTERED, OutcomeKind.FAILED, mediators=False, closed=False)


LEDGER_OUTCOMES = {
    OutcomeKind.WRITTEN_AGREEMENT: ("成功", "书面"),
    OutcomeKind.ORAL_AGREEMENT: ("成功", "口头"),
    OutcomeKind.FAILED: ("不成功", "无"),
    OutcomeKind.TERMINATED: ("终止", ""),
}


@pytest.mark.parametrize(("outcome", "closed", "status"), [s for s in STATUSES if s[0] is not None])
def test_the_status_a_ledger_row_leads_to(
    desk: Desk, tmp_path: Path, outcome: OutcomeKind, closed: bool, status: CaseStatus
) -> None:
    word, form = LEDGER_OUTCOMES[outcome]
    values = row(调解结果=word, 协议形式=form, 结案日期="2025-03-20" if closed else "")
    import_ledger(
        desk, write_csv(tmp_path / "l.csv", [values, dict(values, 纠纷简要情况="有调解员", 调解员="调解员甲")])
    )
    with desk.read() as session:
        found = session.execute(
            sa.select(DisputeCase.status, DisputeCase.closing_date, Outcome.kind, Outcome.decided_on).join(
                Outcome, Outcome.case_id == DisputeCase.id
            )
        ).all()
    decided = date(2025, 3, 20) if closed else date(2025, 3, 5)
    expected = (status, date(2025, 3, 20) if closed else None, outcome, decided)
    assert [tuple(found_row) for found_row in found] == [expected, expected]


# ---------------------------------------------------------------------------------------------------------------
# Numbering, duplicates, what is on file

ORG = OrgUnit(id=uuid.uuid4(), code="331122001001", name="示例村人民调解委员会", case_prefix="缙五人调")


def ledger_row(number: int, intake: date, case_number: str | None = None, key: str | None = None) -> LedgerRow:
    data = CaseInput(intake, CaseSource.APPLICATION, "02", [PartyInput("张三", PartyRole.APPLICANT)])
    data.number = case_number
    parsed = parse_case_number(case_number) if case_number else None
    return LedgerRow(number, ORG, data, key or f"key-{number}", case_number, parsed, None, None, None)


def test_numbers_continue_after_the_desk_and_the_file_in_intake_order() -> None:
    rows = [
        ledger_row(2, date(2025, 5, 1)),
        ledger_row(3, date(2025, 2, 1), "(2025)缙五人调字第7号"),
        ledger_row(4, date(2025, 3, 1)),
        ledger_row(5, date(2024, 12, 30)),
        ledger_row(6, date(2024, 11, 1), "村2024-1"),  # not in the usual form: takes no sequence number
    ]
    allocate_numbers(rows, Existing(seqs={(ORG.id, 2024): 4}))
    assert [(r.data.number, r.parsed_number) for r in rows] == [
        ("(2025)缙五人调字第9号", CaseNumber(2025, "缙五人调", 9)),
        ("(2025)缙五人调字第7号", CaseNumber(2025, "缙五人调", 7)),
        ("(2025)缙五人调字第8号", CaseNumber(2025, "缙五人调", 8)),
        ("(2024)缙五人调字第5号", CaseNumber(2024, "缙五人调", 5)),
        ("村2024-1", None),
    ]
    assert [r.number for r in rows] == [None, "(2025)缙五人调字第7号", None, None, "村2024-1"]


def test_duplicates_name_the_first_row() -> None:
    rows = [
        ledger_row(2, date(2025, 1, 1), "(2025)缙五人调字第1号", key="a"),
        ledger_row(3, date(2025, 1, 1), key="a"),
        ledger_row(4, date(2025, 1, 1), "(2025)缙五人调字第1号", key="b"),
    ]
    header = map_headers(1, [name if name != "案件编号" else "案号" for name in CHINESE])
    errors = check_duplicates(rows, header)
    assert [(e.row, e.column) for e in errors] == [(3, "整行"), (4, "案号")]
    assert errors[0].reason.startswith("与第 2 行是同一案件")
    assert errors[1].reason == "案件编号“(2025)缙五人调字第1号”与第 2 行重复"
