"""A case as entered (a form, a ledger row, the demo county) and the rules it must meet before it is stored.

``clean_case`` validates and normalises in place, once per case: the case services, the ledger import and the
demo county all call it, and each ``ValidationError`` names the field it is about. Every text field goes through
``domain.text`` first: control characters refused, NFC, single-line fields trimmed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from mediation_desk.domain.codes import CaseSource, Gender, IdType, PartyKind, PartyRole, RiskFlag, all_categories
from mediation_desk.domain.dates import check_not_future
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.identity import normalise_phone, parse_resident_id
from mediation_desk.domain.text import clean_block, clean_line


@dataclass(slots=True)
class PartyInput:
    name: str
    role: PartyRole = PartyRole.APPLICANT
    kind: PartyKind = PartyKind.PERSON
    gender: Gender | None = None
    ethnicity: str = ""
    birth_date: date | None = None
    id_type: IdType = IdType.RESIDENT_ID
    id_number: str = ""
    phone: str = ""
    address: str = ""
    occupation: str = ""
    employer: str = ""
    representative: str = ""
    agent_name: str = ""
    agent_phone: str = ""


@dataclass(slots=True)
class CaseInput:
    intake_date: date
    source: CaseSource
    category: str
    parties: list[PartyInput]
    facts: str = ""
    requests: str = ""
    title: str = ""
    place: str = ""
    referral_body: str = ""
    amount_fen: int = 0
    persons: int = 0
    group_dispute: bool = False
    risk_flags: list[RiskFlag] = field(default_factory=list)
    recorder: str = ""
    notes: str = ""
    number: str | None = None  # given by a ledger; otherwise the next number of the year is allocated
    accept: bool = True  # 受理登记: most intakes are accepted as they are registered


# The single-line text fields of a party and of a case with their Chinese names, and the multi-line ones.
_PARTY_LINES = (
    ("ethnicity", "民族"),
    ("id_number", "证件号码"),
    ("phone", "电话号码"),
    ("address", "住址"),
    ("occupation", "职业"),
    ("employer", "工作单位"),
    ("representative", "法定代表人"),
    ("agent_name", "代理人姓名"),
    ("agent_phone", "代理人电话"),
)
_CASE_LINES = (
    ("category", "纠纷类型"),
    ("title", "案件名称"),
    ("place", "纠纷发生地点"),
    ("referral_body", "移送单位"),
    ("recorder", "记录人"),
)
_CASE_BLOCKS = (("facts", "纠纷简要情况"), ("requests", "申请事项"), ("notes", "备注"))


def _clean_texts(party: PartyInput) -> None:
    """The party's text fields through ``domain.text``; the name's message says whose name it is."""
    party.name = clean_line(party.name, label=f"{party.role.label}姓名（名称）", field="name")
    for key, label in _PARTY_LINES:
        setattr(party, key, clean_line(getattr(party, key), label=label, field=key))


def _check_resident_id(party: PartyInput, today: date | None) -> None:
    """A GB 11643 number in its canonical form; birth date and gender filled from it or checked against it."""
    parsed = parse_resident_id(party.id_number, today=today)
    party.id_number = parsed.number
    if party.birth_date is None:
        party.birth_date = parsed.birth_date
    elif party.birth_date != parsed.birth_date:
        raise ValidationError("出生日期与身份证号码不一致", field="birth_date")
    if party.gender is None:
        party.gender = parsed.gender
    elif party.gender != parsed.gender and party.kind is PartyKind.PERSON:
        raise ValidationError("性别与身份证号码不一致", field="gender")


def clean_party(party: PartyInput, *, today: date | None = None) -> PartyInput:
    """Validate and normalise a party; raise ``ValidationError`` naming the field."""
    _clean_texts(party)
    if not party.name:
        raise ValidationError("当事人姓名（名称）不能为空", field="name")
    if len(party.name) > 100:
        raise ValidationError("当事人姓名（名称）过长", field="name")
    if party.id_number and party.id_type.is_gb11643:
        _check_resident_id(party, today)
    if party.phone:
        party.phone = normalise_phone(party.phone)
    if party.agent_phone:
        party.agent_phone = normalise_phone(party.agent_phone)
    if party.birth_date is not None:
        check_not_future(party.birth_date, today=today, field="birth_date", what="出生日期")
    return party


def _clean_case_texts(data: CaseInput) -> None:
    for key, label in _CASE_LINES:
        setattr(data, key, clean_line(getattr(data, key), label=label, field=key))
    for key, label in _CASE_BLOCKS:
        setattr(data, key, clean_block(getattr(data, key), label=label, field=key))
    if data.number is not None:
        data.number = clean_line(data.number, label="案号", field="number") or None


def clean_case(data: CaseInput, *, today: date | None = None) -> CaseInput:
    _clean_case_texts(data)
    check_not_future(data.intake_date, today=today, field="intake_date", what="受理日期")
    if data.category not in all_categories():
        raise ValidationError(f"未知的纠纷类型代码“{data.category}”", field="category")
    if not data.parties:
        raise ValidationError("至少需要登记一名当事人", field="parties")
    if data.amount_fen < 0:
        raise ValidationError("金额不能为负数", field="amount")
    if data.persons < 0:
        raise ValidationError("涉及人数不能为负数", field="persons")
    for party in data.parties:
        clean_party(party, today=today)
    if data.persons == 0:
        data.persons = len(data.parties)
    return data
