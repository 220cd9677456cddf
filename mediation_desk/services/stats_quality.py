"""The check before publishing (``stats check``, and before every export): cases that would make a figure wrong,
and village committees with no cases in the period (``domain.statistics.QualityRule``).

Counts are exact; the cases listed are capped (``LISTED``), oldest first, because a report with ten thousand bad
rows needs fixing at the source, not reading line by line.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from mediation_desk.domain.codes import OrgLevel, OutcomeKind
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.money import fen_to_yuan_text
from mediation_desk.domain.statistics import QualityRule
from mediation_desk.services.desk import Desk
from mediation_desk.services.orgs import find_org
from mediation_desk.services.stats import StatsQuery
from mediation_desk.services.worklist import one_month_before
from mediation_desk.store.models import OrgUnit
from mediation_desk.store.queries import stats_quality as queries
from mediation_desk.store.queries.orgs import all_orgs, subtree_ids
from mediation_desk.store.queries.stats import Scope

LISTED = 500


@dataclass(frozen=True, slots=True)
class Issue:
    rule: QualityRule
    org_code: str
    org_name: str
    case_id: uuid.UUID | None = None
    case_number: str | None = None
    intake_date: date | None = None
    detail: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule.value,
            "label": self.rule.label,
            "org": self.org_code,
            "org_name": self.org_name,
            "case_id": str(self.case_id) if self.case_id else None,
            "case_number": self.case_number,
            "intake_date": self.intake_date.isoformat() if self.intake_date else None,
            "detail": self.detail,
        }


@dataclass(slots=True)
class QualityReport:
    org_code: str
    org_name: str
    date_from: date | None
    date_to: date | None
    as_of: date
    counts: dict[QualityRule, int] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def ok(self) -> bool:
        return self.total == 0

    @property
    def truncated(self) -> bool:
        return len(self.issues) < self.total

    def summary(self) -> str:
        """One line: nothing found, or how many of each."""
        if self.ok:
            return "数据质量检查：未发现问题"
        found = "，".join(f"{rule.label} {count} 项" for rule, count in self.counts.items() if count)
        return f"数据质量检查发现 {self.total} 个问题：{found}"

    def as_json(self) -> dict[str, Any]:
        return {
            "scope": {
                "org": self.org_code,
                "org_name": self.org_name,
                "from": self.date_from.isoformat() if self.date_from else None,
                "to": self.date_to.isoformat() if self.date_to else None,
                "as_of": self.as_of.isoformat(),
            },
            "ok": self.ok,
            "total": self.total,
            "rules": [
                {"rule": rule.value, "label": rule.label, "explanation": rule.explanation, "count": count}
                for rule, count in self.counts.items()
            ],
            "issues": [issue.as_json() for issue in self.issues],
            "truncated": self.truncated,
        }


def _detail(rule: QualityRule, row: Any) -> str:
    closing = row.closing_date.isoformat() if row.closing_date else "无"
    decided = row.decided_on.isoformat() if row.decided_on else "无"
    if rule is QualityRule.MISSING_CATEGORY:
        return f"纠纷类型“{row.category or ''}”"
    if rule is QualityRule.OUTCOME_WITHOUT_DATE:
        status = CaseStatus(row.status).label
        return f"状态“{status}”，调解结果日期 {decided}，结案日期 {closing}"
    if rule is QualityRule.CLOSING_BEFORE_INTAKE:
        return f"受理 {row.intake_date.isoformat()}，调解结果 {decided}，结案 {closing}"
    if rule is QualityRule.AMOUNT_WITHOUT_AGREEMENT:
        return f"调解结果“{OutcomeKind(row.kind).label}”，金额 {fen_to_yuan_text(row.amount_fen)} 元"
    return f"受理 {row.intake_date.isoformat()}，状态“{CaseStatus(row.status).label}”，无调解记录"


def _case_issues(rows: list[Any], orgs: dict[uuid.UUID, OrgUnit]) -> list[Issue]:
    issues = []
    for row in rows:
        org = orgs.get(row.org_id)
        for rule in queries.CASE_RULES:
            if getattr(row, rule.value):
                issues.append(
                    Issue(
                        rule,
                        org.code if org else "",
                        org.name if org else "",
                        row.id,
                        row.number,
                        row.intake_date,
                        _detail(rule, row),
                    )
                )
    return issues


def check_quality(session: Session, root: OrgUnit, query: StatsQuery, *, today: date | None = None) -> QualityReport:
    if query.date_from and query.date_to and query.date_to < query.date_from:
        raise ValidationError("统计截止日期不能早于开始日期")
    as_of = today or date.today()
    orgs = {org.id: org for org in all_orgs(session)}
    subtree = subtree_ids(session, root.id)
    scope = Scope(None if len(subtree) == len(orgs) else list(subtree), query.date_from, query.date_to, query.basis)
    overdue_before = one_month_before(as_of)
    report = QualityReport(root.code, root.name, query.date_from, query.date_to, as_of)
    report.counts = queries.rule_counts(session, scope, overdue_before)
    report.issues = _case_issues(queries.flagged_cases(session, scope, overdue_before, LISTED), orgs)
    with_cases = queries.orgs_with_cases(session, scope)
    silent = sorted(
        (orgs[org_id] for org_id in subtree if orgs[org_id].level is OrgLevel.VILLAGE and orgs[org_id].active),
        key=lambda org: org.code,
    )
    silent = [org for org in silent if org.id not in with_cases]
    report.counts[QualityRule.NO_DATA] = len(silent)
    report.issues += [Issue(QualityRule.NO_DATA, org.code, org.name, detail="统计期内没有案件") for org in silent]
    return report


def quality(desk: Desk, query: StatsQuery | None = None, *, today: date | None = None) -> QualityReport:
    """The check over the report's organisation subtree and period (default: this desk's organisation)."""
    query = query or StatsQuery()
    with desk.read() as session:
        root = find_org(session, query.org_code) if query.org_code else desk.own_org(session)
        return check_quality(session, root, query, today=today)
