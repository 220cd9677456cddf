"""The cases behind a number of the statistics (the dashboard's drill-down): for an organisation (with its subtree,
or its own cases alone), the report's period and basis, and one indicator, optionally within one group (category,
sub-type, source, month), the list rows of exactly the cases that figure counts.

The conditions are those of ``services.stats`` (``store.queries.stats_cases`` mirrors them), so the number of cases
listed equals the figure for every count indicator; for a sum (amount, persons) the cases listed are those that
contribute to it, and for the success rate those it is computed over (the mediated cases).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mediation_desk.domain.errors import ValidationError
from mediation_desk.services.cases.views import CaseRow, case_rows
from mediation_desk.services.desk import Desk
from mediation_desk.services.orgs import find_org
from mediation_desk.services.stats import StatsQuery
from mediation_desk.store.queries.orgs import all_orgs, subtree_ids
from mediation_desk.store.queries.stats import Scope
from mediation_desk.store.queries.stats_cases import INDICATORS, Behind, cases_behind

__all__ = ["INDICATORS", "LISTED", "Behind", "CasesBehind", "cases_behind_figure"]

LISTED = 2000


@dataclass(slots=True)
class CasesBehind:
    org_code: str
    org_name: str
    behind: Behind
    own_only: bool
    total: int
    rows: list[CaseRow] = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        return len(self.rows) < self.total


def cases_behind_figure(
    desk: Desk,
    query: StatsQuery,
    behind: Behind | None = None,
    *,
    org_code: str | None = None,
    own_only: bool = False,
    limit: int = LISTED,
) -> CasesBehind:
    """The cases behind ``behind`` for the organisation ``org_code`` (default: the query's, else this desk's),
    with everything below it unless ``own_only``, in the query's period by its basis."""
    behind = behind or Behind()
    if behind.indicator not in INDICATORS:
        raise ValidationError(f"没有可列出案件的统计指标：{behind.indicator}")
    if query.date_from and query.date_to and query.date_to < query.date_from:
        raise ValidationError("统计截止日期不能早于开始日期")
    code = org_code or query.org_code
    with desk.read() as session:
        root = find_org(session, code) if code else desk.own_org(session)
        subtree = [root.id] if own_only else sorted(subtree_ids(session, root.id))
        # the whole tree (a county's database): no organisation filter, as the statistics do
        org_ids = None if len(subtree) == len(all_orgs(session)) else subtree
        scope = Scope(org_ids, query.date_from, query.date_to, query.basis)
        cases, total = cases_behind(session, scope, behind, limit)
        return CasesBehind(root.code, root.name, behind, own_only, total, case_rows(session, cases))
