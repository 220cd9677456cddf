"""Cases made through the real services for the printing tests, and the poppler and qpdf tools that read the PDFs.

Every person is synthetic; 张𠈌明 carries a character outside the Basic Multilingual Plane (U+2020C).
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from mediation_desk.domain.codes import CaseSource, Gender, OutcomeKind, PartyKind, PartyRole
from mediation_desk.domain.identity import check_character
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.services import agreements, cases, mediators
from mediation_desk.services.desk import Desk

BEIJING = timezone(timedelta(hours=8))
RARE_NAME = "张𠈌明"
TERMS = (
    "被申请人于2025年3月15日前一次性赔偿申请人茶苗损失人民币5,000元（大写：伍仟元整），通过银行转账支付。",
    "被申请人今后施工应采取防护措施，不再碾压申请人承包地；如再造成损失，另行协商赔偿。",
    "本协议履行完毕后，双方就本纠纷再无其他争议。",
)
FACTS = (
    "2025年2月，被申请人在申请人承包地旁施工，运输车辆碾压申请人种植的茶苗约0.5亩。申请人要求赔偿，"
    "双方就赔偿数额发生争执（申请人要求赔偿人民币8,000元，被申请人仅同意赔偿3,000元）。经调解员现场查看，"
    "认定被申请人施工时未采取防护措施，应承担主要责任；申请人未及时制止，亦有一定责任。"
)


def resident_id(birth: date, sequence: int) -> str:
    """A well-formed synthetic resident ID number (GB 11643 check character) for Jinyun."""
    first = f"331122{birth:%Y%m%d}{sequence:03d}"
    return first + check_character(first)


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (poppler-utils, qpdf)")
    return path


def run_tool(*args: str, data: bytes | None = None) -> str:
    completed = subprocess.run([tool(args[0]), *args[1:]], input=data, capture_output=True, check=False, timeout=60)
    assert completed.returncode == 0, completed.stderr.decode("utf-8", "replace")
    return completed.stdout.decode("utf-8", "replace")


def pdf_text(pdf: bytes, *, layout: bool = False) -> str:
    return run_tool("pdftotext", *(["-layout"] if layout else []), "-enc", "UTF-8", "-", "-", data=pdf)


def pdf_pages(pdf: bytes, tmp: Path) -> int:
    path = tmp / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(pdf)
    info = run_tool("pdfinfo", str(path))
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def fonts_of(pdf: bytes, tmp: Path) -> list[list[str]]:
    path = tmp / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(pdf)
    rows = run_tool("pdffonts", str(path)).splitlines()[2:]
    return [row.split() for row in rows if row.strip()]


def qpdf_check(pdf: bytes, tmp: Path) -> str:
    path = tmp / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(pdf)
    completed = subprocess.run([tool("qpdf"), "--check", str(path)], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


@dataclass(frozen=True, slots=True)
class MadeCase:
    number: str
    id: uuid.UUID
    agreement_id: uuid.UUID | None


def _parties(extra: int) -> list[PartyInput]:
    parties = [
        PartyInput(
            RARE_NAME,
            PartyRole.APPLICANT,
            gender=Gender.MALE,
            ethnicity="汉族",
            birth_date=date(1968, 5, 3),
            id_number=resident_id(date(1968, 5, 3), 135),
            phone="13800001111",
            address="浙江省缙云县五云街道示例村3组12号",
            occupation="农民",
        ),
        PartyInput(
            "缙云县示例建材有限公司",
            PartyRole.RESPONDENT,
            kind=PartyKind.ORGANISATION,
            address="缙云县五云街道工业区8号",
            representative="李建国",
            phone="05783123456",
        ),
    ]
    for index in range(extra):
        born = date(1960 + index, 1 + index % 12, 10 + index % 18)
        female = index % 2 == 1
        parties.append(
            PartyInput(
                f"{'赵钱孙周'[index % 4]}{'桂兰建军丽华德明'[index * 2 % 8 : index * 2 % 8 + 2]}",
                PartyRole.APPLICANT if female else PartyRole.RESPONDENT,
                gender=Gender.FEMALE if female else Gender.MALE,
                ethnicity="汉族",
                birth_date=born,
                id_number=resident_id(born, 200 + 2 * index + (0 if female else 1)),
                address=f"浙江省缙云县五云街道示例村{index + 4}组{index + 20}号",
                occupation="村民",
            )
        )
    return parties


def make_case(desk: Desk, *, extra_parties: int = 0, facts: str = FACTS, draft: bool = True) -> MadeCase:
    """A case under mediation with a presiding and an assisting mediator, a session, an investigation and (when
    ``draft``) a draft written agreement with three terms."""
    presiding = mediators.add_mediator(desk, mediators.MediatorInput("王秀英", gender=Gender.FEMALE)).value.id
    assisting = mediators.add_mediator(desk, mediators.MediatorInput("陈国庆", gender=Gender.MALE)).value.id
    data = CaseInput(
        intake_date=date(2025, 3, 1),
        source=CaseSource.APPLICATION,
        category="06",
        parties=_parties(extra_parties),
        facts=facts,
        requests="请求被申请人赔偿茶苗损失人民币8,000元。",
        place="示例村",
        recorder="陈国庆",
    )
    row = cases.register_case(desk, data).value
    cases.assign_mediators(desk, row.id, [presiding, assisting], on=date(2025, 3, 1))
    held = datetime(2025, 3, 2, 9, 30, tzinfo=BEIJING)
    cases.record_investigation(
        desk, row.id, held_at=held, investigator="王秀英", interviewee=RARE_NAME, body="查看茶苗受损情况，约0.5亩。"
    )
    cases.record_session(
        desk, row.id, held_at=held + timedelta(hours=5), body="双方陈述意见，调解员释法说理。", place="示例村调解室"
    )
    agreement_id = None
    if draft:
        made = agreements.draft_agreement(
            desk,
            row.id,
            agreements.AgreementInput(
                facts=facts,
                terms=TERMS,
                performance_manner="银行转账",
                performance_place="示例村村民委员会",
                performance_deadline=date(2025, 3, 15),
            ),
        )
        agreement_id = made.value.id
    return MadeCase(row.number, row.id, agreement_id)


def conclude(desk: Desk, made: MadeCase, kind: OutcomeKind = OutcomeKind.WRITTEN_AGREEMENT, reason: str = "") -> None:
    cases.conclude_case(desk, made.id, kind, on=date(2025, 3, 5), reason=reason)
