"""Code lists of the domain (MEDIATION.md): categories, sources, outcomes, roles, organisation levels.

Each code list is a ``StrEnum`` whose value is the stable code stored in the database and in sync files, with a
Chinese label for forms and statistics. Labels in the GUI come from Qt translations; these labels are the
official wording used on printed forms, in ledgers and in the CLI.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from mediation_desk.resources import resource_path


class LabelledEnum(StrEnum):
    """A code list whose members carry a Chinese label."""

    @property
    def label(self) -> str:
        return _LABELS[type(self).__name__][self.value]

    @classmethod
    def from_text(cls, text: str) -> LabelledEnum | None:
        """Find a member by its code or its Chinese label (whitespace ignored)."""
        text = text.strip()
        for member in cls:
            if text in (member.value, member.label):
                return member
        return None


class OrgLevel(LabelledEnum):
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"
    TOWNSHIP_COMMITTEE = "township_committee"
    PROFESSIONAL = "professional"
    STUDIO = "studio"


class CaseSource(LabelledEnum):
    APPLICATION = "application"
    INITIATIVE = "initiative"
    REFERRAL = "referral"


class PartyRole(LabelledEnum):
    APPLICANT = "applicant"
    RESPONDENT = "respondent"
    THIRD_PARTY = "third_party"


class PartyKind(LabelledEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class Gender(LabelledEnum):
    MALE = "male"
    FEMALE = "female"


class IdType(LabelledEnum):
    RESIDENT_ID = "resident_id"
    RESIDENCE_PERMIT = "residence_permit"
    PASSPORT = "passport"
    HK_MACAO_PERMIT = "hk_macao_permit"
    TAIWAN_PERMIT = "taiwan_permit"
    FOREIGNER_PR = "foreigner_pr"
    OTHER = "other"

    @property
    def is_gb11643(self) -> bool:
        """Whether numbers of this type follow GB 11643 (and so get the check-character rules)."""
        return self in (IdType.RESIDENT_ID, IdType.RESIDENCE_PERMIT)


class OutcomeKind(LabelledEnum):
    WRITTEN_AGREEMENT = "written"
    ORAL_AGREEMENT = "oral"
    FAILED = "failed"
    TERMINATED = "terminated"
    REFUSED = "refused"

    @property
    def successful(self) -> bool:
        return self in (OutcomeKind.WRITTEN_AGREEMENT, OutcomeKind.ORAL_AGREEMENT)


class Performance(LabelledEnum):
    PERFORMED = "performed"
    PARTLY = "partly"
    NOT_PERFORMED = "not_performed"


class MediatorRole(LabelledEnum):
    DIRECTOR = "director"
    DEPUTY = "deputy"
    MEMBER = "member"
    HIRED = "hired"


class Employment(LabelledEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"


class CaseMediatorRole(LabelledEnum):
    PRESIDING = "presiding"
    ASSISTING = "assisting"


class UserRole(LabelledEnum):
    MEDIATOR = "mediator"
    DIRECTOR = "director"
    TOWNSHIP_CLERK = "township_clerk"
    COUNTY_CLERK = "county_clerk"
    ADMIN = "admin"


class AgreementState(LabelledEnum):
    DRAFT = "draft"
    PRINTED = "printed"
    SIGNED = "signed"
    VOID = "void"


class RiskFlag(LabelledEnum):
    """Flags that cut across categories (MEDIATION.md, Categories and statistics)."""

    CRIMINAL = "criminal"
    SUICIDE = "suicide"
    PETITION = "petition"
    MASS_FIGHT = "mass_fight"
    ABNORMAL_DEATH = "abnormal_death"
    FOREIGN = "foreign"


_LABELS: dict[str, dict[str, str]] = {
    "OrgLevel": {
        "county": "县级",
        "township": "乡镇（街道）",
        "village": "村（社区）调委会",
        "township_committee": "乡镇（街道）调委会",
        "professional": "行业性专业性调委会",
        "studio": "调解工作室",
    },
    "CaseSource": {"application": "当事人申请", "initiative": "主动调解", "referral": "委托移送"},
    "PartyRole": {"applicant": "申请人", "respondent": "被申请人", "third_party": "第三人"},
    "PartyKind": {"person": "自然人", "organisation": "法人或其他组织"},
    "Gender": {"male": "男", "female": "女"},
    "IdType": {
        "resident_id": "居民身份证",
        "residence_permit": "居住证",
        "passport": "护照",
        "hk_macao_permit": "港澳居民来往内地通行证",
        "taiwan_permit": "台湾居民来往大陆通行证",
        "foreigner_pr": "外国人永久居留身份证",
        "other": "其他证件",
    },
    "OutcomeKind": {
        "written": "书面协议",
        "oral": "口头协议",
        "failed": "调解不成",
        "terminated": "终止调解",
        "refused": "不予受理",
    },
    "Performance": {"performed": "已履行", "partly": "部分履行", "not_performed": "未履行"},
    "MediatorRole": {"director": "主任", "deputy": "副主任", "member": "委员", "hired": "专职（聘任）调解员"},
    "Employment": {"full_time": "专职", "part_time": "兼职"},
    "CaseMediatorRole": {"presiding": "主持调解员", "assisting": "协助调解员"},
    "UserRole": {
        "mediator": "调解员",
        "director": "调委会主任",
        "township_clerk": "司法所工作人员",
        "county_clerk": "司法局工作人员",
        "admin": "系统管理员",
    },
    "AgreementState": {"draft": "草稿", "printed": "已打印待签", "signed": "已签署生效", "void": "已作废"},
    "RiskFlag": {
        "criminal": "可能民转刑",
        "suicide": "可能引发自杀",
        "petition": "可能引发群体性上访",
        "mass_fight": "可能引发群体性械斗",
        "abnormal_death": "涉及非正常死亡",
        "foreign": "涉外",
    },
}


@dataclass(frozen=True, slots=True)
class Category:
    """One of the 15 reporting categories, or a local sub-type below one."""

    code: str
    name: str
    name_en: str
    parent: str | None = None

    @property
    def top(self) -> str:
        """The reporting category this counts under."""
        return self.parent or self.code


# Local sub-types that MEDIATION.md names; organisations may add their own (codes "TTxx", under category TT).
_SUBTYPES: tuple[Category, ...] = (
    Category("0101", "离婚纠纷", "Divorce", "01"),
    Category("0102", "赡养抚养纠纷", "Support of parents or children", "01"),
    Category("0103", "继承纠纷", "Inheritance", "01"),
    Category("0401", "民间借贷纠纷", "Private lending", "04"),
    Category("0402", "买卖合同纠纷", "Sale contract", "04"),
    Category("0701", "山林权属纠纷", "Forest ownership", "07"),
    Category("1001", "农民工欠薪纠纷", "Unpaid wages of migrant workers", "10"),
    Category("1002", "工伤赔偿纠纷", "Work injury compensation", "10"),
)


@cache
def categories() -> tuple[Category, ...]:
    """The 15 top-level categories from the reference data, in code order."""
    path: Path = resource_path("data", "dispute_categories.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(Category(row["code"], row["name_zh"], row["name_en"]) for row in rows)


@cache
def all_categories() -> dict[str, Category]:
    """Top-level categories and sub-types, by code."""
    return {category.code: category for category in (*categories(), *_SUBTYPES)}


def find_category(text: str) -> Category | None:
    """Look a category up by code, Chinese name (with or without 纠纷) or English name."""
    wanted = text.strip()
    if not wanted:
        return None
    table = all_categories()
    if wanted in table:
        return table[wanted]
    if wanted.isdigit() and len(wanted) == 1:
        return table.get("0" + wanted)
    for category in table.values():
        if wanted in (category.name, category.name_en) or wanted + "纠纷" == category.name:
            return category
        if category.name.endswith("纠纷") and wanted == category.name[:-2]:
            return category
    return None
