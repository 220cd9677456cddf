"""The indicators of MEDIATION.md (Categories and statistics) with their exact rules, independent of storage.

Which cases a report counts, and by which date (``Basis``, chosen per report, intake by default):

- by intake (受理日期): every case registered in the period, whatever has become of it since;
- by closing (结案日期): every case whose mediation ended in the period: its closing date when it is filed, else
  the date of its outcome (an agreement reached, a failure, a termination, a refusal not yet filed). A case still
  being mediated has no such date and counts in no period.

Per case, over the cases a report counts (``Counts``):

- cases (受理纠纷): the cases counted, every status;
- mediated (调解纠纷): mediation ended: agreement (written or oral), failure or termination;
- successful (调解成功): agreement reached, written or oral;
- success_rate (调解成功率): successful ÷ mediated × 100, rounded half up to two decimals, 0 when nothing was
  mediated (Jinyun 2021: 4,246 ÷ 4,252 = 99.86);
- failed (调解不成), terminated (终止调解), refused (不予受理: refused at intake, never mediated), pending (在办:
  registered, accepted or being mediated);
- written_agreements, oral_agreements (书面协议, 口头协议): the successful cases by the form of their agreement;
- amount (协议金额): the amount involved in the successful cases, kept in integer fen, reported in yuan (two
  decimals) and in 万元 (two decimals, rounded half up);
- persons (涉及人数): the persons involved in every counted case; group_cases and group_persons (群体性纠纷): the
  cases flagged as group disputes and their persons;
- performed, partly_performed, not_performed (履行情况): the successful cases by the performance last recorded on
  a follow-up visit (a case without one is in none of the three);
- escalation_risk_cases and escalation_risk_persons (化解可能民转刑纠纷): successful cases flagged at risk of
  turning into a criminal case, and their persons;
- judicial_applied (申请司法确认) and judicial_granted (确认有效): counted cases with at least one application
  for judicial confirmation, and those with a confirmation granted.

Per organisation, recorded on screening records rather than on cases (``Screening``), over the records whose
period overlaps the report's: screening rounds (排查次数), disputes found by screening (排查发现纠纷), disputes
prevented (预防纠纷), escalations prevented (防止民转刑) with their persons. The roster (``Roster``): committees by
type (every organisation in the subtree by level), mediators active in the period, of whom full-time (专职) and
legal instructors (法治指导员).

Per mediator (``MediatorCounts``), for the yearly assessment (考核): cases assigned (not recused), successful,
failed, terminated, the average days from intake to the end of mediation (closing date, else the outcome's date)
over the mediated cases, and the follow-up visits made on those cases.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from mediation_desk.domain.money import fen_to_yuan

FEN_PER_WAN_YUAN = 1_000_000


class Basis(StrEnum):
    """The date by which a case belongs to a period."""

    INTAKE = "intake"
    CLOSING = "closing"

    @property
    def label(self) -> str:
        return "受理日期" if self is Basis.INTAKE else "结案日期"

    @property
    def column(self) -> str:
        """The name the JSON's ``scope.period_basis`` has always used."""
        return "intake_date" if self is Basis.INTAKE else "closing_date"


class Grouping(StrEnum):
    """What a report's table is grouped by (``stats --by``)."""

    ORG = "org"
    CATEGORY = "category"
    SUBTYPE = "subtype"
    SOURCE = "source"
    MONTH = "month"
    MEDIATOR = "mediator"

    @property
    def label(self) -> str:
        return _GROUPING_LABELS[self]


_GROUPING_LABELS = {
    Grouping.ORG: "按组织",
    Grouping.CATEGORY: "按纠纷类型",
    Grouping.SUBTYPE: "按纠纷细类",
    Grouping.SOURCE: "按案件来源",
    Grouping.MONTH: "按月份",
    Grouping.MEDIATOR: "按调解员",
}


def _half_up(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def success_rate(successful: int, mediated: int) -> float:
    """Percent with two decimals, as a number (0.0 when nothing was mediated)."""
    if mediated <= 0:
        return 0.0
    return _half_up(Decimal(successful) * 100 / Decimal(mediated))


def wan_yuan(fen: int) -> float:
    """An amount in 万元 with two decimals, rounded half up (12,345,678 fen → 12.35)."""
    return _half_up(Decimal(fen) / FEN_PER_WAN_YUAN)


def average(total: int, count: int) -> float | None:
    """``total ÷ count`` with one decimal, rounded half up; ``None`` when there is nothing to average."""
    if count <= 0:
        return None
    return float((Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass(slots=True)
class Counts:
    """The per-case indicators of one group of cases. The field order is the order of the aggregate's columns."""

    cases: int = 0
    successful: int = 0
    failed: int = 0
    terminated: int = 0
    refused: int = 0
    pending: int = 0
    written_agreements: int = 0
    oral_agreements: int = 0
    amount_fen: int = 0
    persons: int = 0
    group_cases: int = 0
    group_persons: int = 0
    performed: int = 0
    partly_performed: int = 0
    not_performed: int = 0
    escalation_risk_cases: int = 0
    escalation_risk_persons: int = 0
    judicial_applied: int = 0
    judicial_granted: int = 0

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(item.name for item in fields(cls))

    @property
    def mediated(self) -> int:
        return self.successful + self.failed + self.terminated

    @property
    def success_rate(self) -> float:
        return success_rate(self.successful, self.mediated)

    @property
    def amount_yuan(self) -> float:
        return fen_to_yuan(self.amount_fen)

    @property
    def amount_wan_yuan(self) -> float:
        return wan_yuan(self.amount_fen)

    def add(self, other: Counts) -> None:
        for name in self.names():
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def vector(self) -> tuple[int, ...]:
        return tuple(getattr(self, name) for name in self.names())

    def as_json(self) -> dict[str, Any]:
        """The figures DESIGN.md's ``stats --json`` contract names (kept stable: saved snapshots compare them)."""
        return {
            "cases": self.cases,
            "mediated": self.mediated,
            "successful": self.successful,
            "success_rate": self.success_rate,
            "failed": self.failed,
            "terminated": self.terminated,
            "refused": self.refused,
            "pending": self.pending,
            "written_agreements": self.written_agreements,
            "oral_agreements": self.oral_agreements,
            "amount_fen": self.amount_fen,
            "amount_yuan": self.amount_yuan,
            "amount_wan_yuan": self.amount_wan_yuan,
            "persons": self.persons,
            "group_cases": self.group_cases,
            "group_persons": self.group_persons,
        }

    def report_json(self) -> dict[str, Any]:
        """Every indicator: the contract's figures, then performance, escalation risk and judicial confirmation."""
        return {
            **self.as_json(),
            "performed": self.performed,
            "partly_performed": self.partly_performed,
            "not_performed": self.not_performed,
            "escalation_risk_cases": self.escalation_risk_cases,
            "escalation_risk_persons": self.escalation_risk_persons,
            "judicial_applied": self.judicial_applied,
            "judicial_granted": self.judicial_granted,
        }


@dataclass(slots=True)
class Screening:
    """Screening (排查) recorded per organisation, summed over the records that overlap the period."""

    rounds: int = 0
    disputes_found: int = 0
    disputes_prevented: int = 0
    escalations_prevented: int = 0
    escalation_persons: int = 0

    def add(self, other: Screening) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))

    def as_json(self) -> dict[str, int]:
        return {item.name: getattr(self, item.name) for item in fields(self)}


@dataclass(slots=True)
class Roster:
    """Mediators active in the period: all of them, the full-time ones, the legal instructors."""

    mediators: int = 0
    full_time: int = 0
    legal_instructors: int = 0

    def add(self, other: Roster) -> None:
        self.mediators += other.mediators
        self.full_time += other.full_time
        self.legal_instructors += other.legal_instructors


@dataclass(slots=True)
class MediatorCounts:
    """One mediator's cases in the period, for the yearly assessment (考核)."""

    cases: int = 0
    successful: int = 0
    failed: int = 0
    terminated: int = 0
    days_total: int = 0  # intake to the end of mediation, summed over ``timed`` cases
    timed: int = 0  # mediated cases with a date for the end of mediation
    follow_ups: int = 0

    @property
    def mediated(self) -> int:
        return self.successful + self.failed + self.terminated

    @property
    def success_rate(self) -> float:
        return success_rate(self.successful, self.mediated)

    @property
    def average_days(self) -> float | None:
        return average(self.days_total, self.timed)

    def as_json(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "mediated": self.mediated,
            "successful": self.successful,
            "success_rate": self.success_rate,
            "failed": self.failed,
            "terminated": self.terminated,
            "average_days": self.average_days,
            "follow_ups": self.follow_ups,
        }


class QualityRule(StrEnum):
    """What the check before publishing looks for (``stats check``): cases that would make a figure wrong, and
    committees whose figures are missing."""

    MISSING_CATEGORY = "missing_category"
    OUTCOME_WITHOUT_DATE = "outcome_without_date"
    CLOSING_BEFORE_INTAKE = "closing_before_intake"
    AMOUNT_WITHOUT_AGREEMENT = "amount_without_agreement"
    OPEN_WITHOUT_SESSION = "open_without_session"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return _QUALITY_LABELS[self][0]

    @property
    def explanation(self) -> str:
        return _QUALITY_LABELS[self][1]


_QUALITY_LABELS = {
    QualityRule.MISSING_CATEGORY: ("缺少纠纷类型", "纠纷类型为空或不在 15 个统计类别之中：按类型统计时无处可计"),
    QualityRule.OUTCOME_WITHOUT_DATE: (
        "结果缺少日期",
        "案件状态显示调解已结束，却没有记录结果及其日期，或已结案却没有结案日期：按结案日期统计时会漏计",
    ),
    QualityRule.CLOSING_BEFORE_INTAKE: ("结案早于受理", "结案日期或调解结果日期早于受理日期"),
    QualityRule.AMOUNT_WITHOUT_AGREEMENT: (
        "有金额无协议",
        "调解不成、终止或不予受理的案件记有协议金额：协议金额只计调解成功的案件，应核实",
    ),
    QualityRule.OPEN_WITHOUT_SESSION: ("超期未调解", "受理已超过一个月，仍在办且没有任何调解记录"),
    QualityRule.NO_DATA: ("未报送数据", "村（社区）调委会在统计期内没有任何案件"),
}
