"""The columns of the report tables, shared by the workbook and the PDF so that both show the same figures under
the same headings, and the text of the scope and the headline figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mediation_desk.domain.money import fen_to_yuan_text
from mediation_desk.domain.statistics import Counts, MediatorCounts
from mediation_desk.services.stats import COMMITTEE_LEVELS, Statistics


class Kind(StrEnum):
    """How a figure is written: a count, a percentage with two decimals, yuan with fen, 万元, days."""

    COUNT = "count"
    RATE = "rate"
    YUAN = "yuan"
    WAN = "wan"
    DAYS = "days"


@dataclass(frozen=True, slots=True)
class Column:
    heading: str
    kind: Kind
    value: Callable[[Counts], float | int]


COUNT_COLUMNS: tuple[Column, ...] = (
    Column("受理纠纷（件）", Kind.COUNT, lambda c: c.cases),
    Column("调解结束（件）", Kind.COUNT, lambda c: c.mediated),
    Column("调解成功（件）", Kind.COUNT, lambda c: c.successful),
    Column("成功率（%）", Kind.RATE, lambda c: c.success_rate),
    Column("调解不成（件）", Kind.COUNT, lambda c: c.failed),
    Column("终止调解（件）", Kind.COUNT, lambda c: c.terminated),
    Column("不予受理（件）", Kind.COUNT, lambda c: c.refused),
    Column("在办（件）", Kind.COUNT, lambda c: c.pending),
    Column("书面协议（件）", Kind.COUNT, lambda c: c.written_agreements),
    Column("口头协议（件）", Kind.COUNT, lambda c: c.oral_agreements),
    Column("协议金额（元）", Kind.YUAN, lambda c: c.amount_yuan),
    Column("协议金额（万元）", Kind.WAN, lambda c: c.amount_wan_yuan),
    Column("涉及人数（人）", Kind.COUNT, lambda c: c.persons),
    Column("群体性纠纷（件）", Kind.COUNT, lambda c: c.group_cases),
    Column("群体性纠纷涉及（人）", Kind.COUNT, lambda c: c.group_persons),
    Column("已履行（件）", Kind.COUNT, lambda c: c.performed),
    Column("部分履行（件）", Kind.COUNT, lambda c: c.partly_performed),
    Column("未履行（件）", Kind.COUNT, lambda c: c.not_performed),
    Column("申请司法确认（件）", Kind.COUNT, lambda c: c.judicial_applied),
    Column("司法确认有效（件）", Kind.COUNT, lambda c: c.judicial_granted),
    Column("化解可能民转刑（件）", Kind.COUNT, lambda c: c.escalation_risk_cases),
    Column("化解可能民转刑涉及（人）", Kind.COUNT, lambda c: c.escalation_risk_persons),
)

# the narrower set a portrait page has room for
PDF_COLUMNS: tuple[Column, ...] = tuple(
    column
    for column in COUNT_COLUMNS
    if column.heading
    in {
        "受理纠纷（件）",
        "调解成功（件）",
        "成功率（%）",
        "书面协议（件）",
        "口头协议（件）",
        "协议金额（万元）",
        "涉及人数（人）",
        "群体性纠纷（件）",
    }
)


@dataclass(frozen=True, slots=True)
class MediatorColumn:
    heading: str
    kind: Kind
    value: Callable[[MediatorCounts], float | int | None]


MEDIATOR_COLUMNS: tuple[MediatorColumn, ...] = (
    MediatorColumn("承办案件（件）", Kind.COUNT, lambda m: m.cases),
    MediatorColumn("调解结束（件）", Kind.COUNT, lambda m: m.mediated),
    MediatorColumn("调解成功（件）", Kind.COUNT, lambda m: m.successful),
    MediatorColumn("成功率（%）", Kind.RATE, lambda m: m.success_rate),
    MediatorColumn("调解不成（件）", Kind.COUNT, lambda m: m.failed),
    MediatorColumn("终止调解（件）", Kind.COUNT, lambda m: m.terminated),
    MediatorColumn("平均办结天数", Kind.DAYS, lambda m: m.average_days),
    MediatorColumn("回访（次）", Kind.COUNT, lambda m: m.follow_ups),
)


def figure_text(kind: Kind, value: float | int | None) -> str:
    """A figure as the PDF prints it (the workbook keeps numbers and formats them)."""
    if value is None:
        return "—"
    if kind is Kind.RATE:
        return f"{value:.2f}"
    if kind is Kind.YUAN:
        return fen_to_yuan_text(round(value * 100))
    if kind in (Kind.WAN, Kind.DAYS):
        return f"{value:.2f}" if kind is Kind.WAN else f"{value:.1f}"
    return f"{int(value)}"


def period_text(result: Statistics) -> str:
    if not (result.date_from or result.date_to):
        return "全部日期"
    start = result.date_from.isoformat() if result.date_from else "最早"
    end = result.date_to.isoformat() if result.date_to else "今天"
    return f"{start} 至 {end}"


def scope_rows(result: Statistics, made_on: date) -> list[tuple[str, str]]:
    return [
        ("统计单位", f"{result.org_name}（{result.org_code}）及下级组织"),
        ("统计期间", period_text(result)),
        ("统计口径", f"案件按{result.basis.label}计入统计期"),
        ("制表日期", made_on.isoformat()),
    ]


def headline_rows(result: Statistics) -> list[tuple[str, str]]:
    """The headline figures as (indicator, value with its unit), in the order of the annual report."""
    t, s, r = result.totals, result.screening, result.roster
    committees = sum(result.committees.get(level, 0) for level in COMMITTEE_LEVELS)
    by_type = "，".join(
        f"{level.label} {result.committees[level]} 个" for level in COMMITTEE_LEVELS if result.committees.get(level)
    )
    return [
        ("受理纠纷", f"{t.cases} 件"),
        ("调解结束", f"{t.mediated} 件"),
        ("调解成功", f"{t.successful} 件"),
        ("调解成功率", f"{t.success_rate:.2f}%"),
        ("调解不成 / 终止调解", f"{t.failed} 件 / {t.terminated} 件"),
        ("不予受理 / 在办", f"{t.refused} 件 / {t.pending} 件"),
        ("书面协议 / 口头协议", f"{t.written_agreements} 件 / {t.oral_agreements} 件"),
        ("协议金额", f"{fen_to_yuan_text(t.amount_fen)} 元（{t.amount_wan_yuan:.2f} 万元）"),
        ("涉及人数", f"{t.persons} 人"),
        ("群体性纠纷", f"{t.group_cases} 件，涉及 {t.group_persons} 人"),
        ("协议履行", f"已履行 {t.performed} 件，部分履行 {t.partly_performed} 件，未履行 {t.not_performed} 件"),
        ("司法确认", f"申请 {t.judicial_applied} 件，确认有效 {t.judicial_granted} 件"),
        ("化解可能民转刑纠纷", f"{t.escalation_risk_cases} 件，涉及 {t.escalation_risk_persons} 人"),
        ("排查次数", f"{s.rounds} 次"),
        ("排查发现纠纷", f"{s.disputes_found} 件"),
        ("预防纠纷", f"{s.disputes_prevented} 件"),
        ("防止民转刑", f"{s.escalations_prevented} 件，涉及 {s.escalation_persons} 人"),
        ("调委会", f"{committees} 个" + (f"（{by_type}）" if by_type else "")),
        ("调解员", f"{r.mediators} 人，其中专职 {r.full_time} 人"),
        ("法治指导员", f"{r.legal_instructors} 人"),
    ]
