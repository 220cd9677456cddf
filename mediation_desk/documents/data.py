"""The plain data the builders print: filled by ``services.printing`` from the store, or by anyone else (tests,
the benchmark). Texts are as they should appear on paper (labels in Chinese, identity numbers masked or not as
the service decided); dates are dates, times are local times."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class PartyData:
    role: str  # 申请人 / 被申请人 / 第三人
    name: str
    organisation: bool = False
    gender: str = ""
    ethnicity: str = ""
    birth_date: date | None = None
    id_label: str = "身份证号码"
    id_number: str = ""
    phone: str = ""
    address: str = ""
    occupation: str = ""
    employer: str = ""
    representative: str = ""  # an organisation's legal representative or person in charge
    agent: str = ""


@dataclass(frozen=True, slots=True)
class CaseData:
    org_name: str  # the committee: 某某村人民调解委员会
    case_number: str
    intake_date: date
    category: str
    source: str
    parties: tuple[PartyData, ...]
    facts: str = ""
    requests: str = ""
    title: str = ""
    place: str = ""
    referral_body: str = ""
    presiding: tuple[str, ...] = ()  # presiding mediators
    assisting: tuple[str, ...] = ()
    recorder: str = ""
    registrar: str = ""
    closing_date: date | None = None
    outcome: str = ""  # 书面协议 / 调解不成 / …
    outcome_date: date | None = None

    @property
    def mediators(self) -> tuple[str, ...]:
        return (*self.presiding, *self.assisting)

    def names(self, role: str) -> str:
        return "、".join(party.name for party in self.parties if party.role == role)


@dataclass(frozen=True, slots=True)
class Verification:
    """The agreement's verification line: a short code to type, the longer code beside the QR, the QR's text."""

    code: str  # e.g. 7KQ2M-X9HCD
    long_code: str  # e.g. 7KQ2M-X9HCD-4PRT8-WNZ3E
    qr_text: str


@dataclass(frozen=True, slots=True)
class AgreementData:
    case: CaseData
    number: str
    facts: str
    terms: tuple[str, ...]
    performance_manner: str = ""
    performance_place: str = ""
    performance_deadline: date | None = None
    copies: int = 3
    oral: bool = False
    effective_date: date | None = None
    verification: Verification | None = None
    draft: bool = False  # printed for checking, not for signing: marked 草稿, no verification line
    replaces: str = ""  # the number of the agreement this one replaces


@dataclass(frozen=True, slots=True)
class InvestigationData:
    case: CaseData
    held_at: datetime
    place: str
    investigator: str
    interviewee: str
    body: str
    recorder: str = ""


@dataclass(frozen=True, slots=True)
class SessionData:
    case: CaseData
    held_at: datetime
    body: str
    place: str = ""
    matter: str = ""
    participants: str = ""
    result: str = ""
    recorder: str = ""


@dataclass(frozen=True, slots=True)
class FollowUpData:
    case: CaseData
    visited_on: date
    visited_party: str
    performance: str
    visitor: str
    agreement_number: str = ""
    satisfaction: str = ""
    lawsuit: bool = False
    risks: str = ""
    measures: str = ""


@dataclass(frozen=True, slots=True)
class TerminationData:
    case: CaseData
    decided_on: date
    reason: str
    failed: bool = False  # 调解不成 rather than a party's request to end mediation


@dataclass(frozen=True, slots=True)
class FileItem:
    """One line of the contents list (卷内目录)."""

    title: str
    present: bool
    mandatory: bool
    when: date | None = None
    pages: int | None = None  # None: not known (a scanned paper)
    note: str = ""


@dataclass(frozen=True, slots=True)
class CaseFileData:
    case: CaseData
    items: tuple[FileItem, ...]
    filed_by: str = ""
    filed_on: date | None = None
    retention: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
