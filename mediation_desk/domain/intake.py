"""A case as entered (a form, a ledger row, the demo county) and the rules it must meet before it is stored.

``clean_case`` validates and normalises in place, once per case: the case services, the ledger import and the
demo county all call it, and each ``ValidationError`` names the field it is about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from mediation_desk.domain.codes import CaseSource, Gender, IdType, PartyKind, PartyRole, RiskFlag, all_categories
from mediation_desk.domain.dates import check_not_future
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.identity import normalise_phone, parse_resident_id


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


def clean_party(party: PartyInput, *, today: date | None = None) -> PartyInput:
    """Validate and normalise a party; raise ``ValidationError`` naming the field."""
    party.name = party.name.strip()
    if not party.name:
        raise ValidationError("当事人姓名（名称）不能为空", field="name")
    if len(party.name) > 100:
        raise ValidationError("当事人姓名（名称）过长", field="name")
    if party.id_number.strip():
        if party.id_type.is_gb11643:
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
        else:
            party.id_number = party.id_number.strip()
    if party.phone.strip():
        party.phone = normalise_phone(party.phone)
    if party.agent_phone.strip():
        party.agent_phone = normalise_phone(party.agent_phone)
    if party.birth_date is not None:
        check_not_future(party.birth_date, today=today, field="birth_date", what="出生日期")
    return party


def clean_case(data: CaseInput, *, today: date | None = None) -> CaseInput:
    check_not_future(data.intake_date, today=today, field="intake_date", what="受理日期")
    if data.category not in all_categories():
        raise ValidationError(f"未知的纠纷类型代码“{data.category}”", field="category")
    if not data.parties:
        raise ValidationError("至少需要登记一名当事人", field="parties")
    if data.amount_fen < 0:
        raise ValidationError("金额不能为负数", field="amount")
    if data.persons < 0:
        raise ValidationError("涉及人数不能为负数", field="persons")
    if data.source is CaseSource.REFERRAL and not data.referral_body.strip():
        data.referral_body = data.referral_body.strip()
    for party in data.parties:
        clean_party(party, today=today)
    if data.persons == 0:
        data.persons = len(data.parties)
    return data
