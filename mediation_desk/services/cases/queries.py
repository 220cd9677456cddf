"""Reading cases: the filtered and ordered list, its count, one case in detail, its history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy.orm import Session

from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services.cases.intake import load_case
from mediation_desk.services.cases.views import CaseDetail, CaseRow, HistoryEntry, case_detail, case_rows
from mediation_desk.services.desk import Desk
from mediation_desk.services.orgs import find_org
from mediation_desk.store import history
from mediation_desk.store.models import OrgUnit
from mediation_desk.store.queries import cases as case_queries
from mediation_desk.store.queries.orgs import subtree_ids


class CaseSort(StrEnum):
    """What a case list is ordered by (the GUI's sortable columns)."""

    INTAKE_DATE = "intake_date"
    NUMBER = "number"
    ORG = "org"
    CATEGORY = "category"
    APPLICANTS = "applicants"
    RESPONDENTS = "respondents"
    STATUS = "status"
    OUTCOME = "outcome"


@dataclass(slots=True)
class CaseFilter:
    org_code: str | None = None  # the organisation and its subtree
    status: CaseStatus | None = None
    category: str | None = None
    text: str = ""
    date_from: date | None = None
    date_to: date | None = None
    limit: int | None = None
    offset: int = 0
    sort: CaseSort = CaseSort.INTAKE_DATE
    descending: bool = True  # newest first by default


def _selection(session: Session, desk: Desk, flt: CaseFilter) -> case_queries.CaseSelection:
    """The filter as a store selection: the organisation code becomes the ids of its subtree."""
    root: OrgUnit | None = find_org(session, flt.org_code) if flt.org_code else None
    if root is None:
        try:
            root = desk.own_org(session)
        except Exception:  # a desk not yet set up lists everything it holds
            root = None
    return case_queries.CaseSelection(
        org_ids=subtree_ids(session, root.id) if root is not None else None,
        status=flt.status,
        category=flt.category,
        text=flt.text,
        date_from=flt.date_from,
        date_to=flt.date_to,
    )


def list_cases(desk: Desk, flt: CaseFilter | None = None) -> list[CaseRow]:
    """Cases in the filter's order (by default newest first: intake date, then number)."""
    flt = flt or CaseFilter()
    with desk.read() as session:
        found = case_queries.page_of_cases(
            session,
            _selection(session, desk, flt),
            sort=flt.sort,
            descending=flt.descending,
            limit=flt.limit,
            offset=flt.offset,
        )
        return case_rows(session, found)


def count_cases(desk: Desk, flt: CaseFilter | None = None) -> int:
    flt = flt or CaseFilter()
    with desk.read() as session:
        return case_queries.count_cases(session, _selection(session, desk, flt))


def get_case(desk: Desk, key: str | uuid.UUID) -> CaseDetail:
    with desk.read() as session:
        return case_detail(session, load_case(session, key))


def case_history(desk: Desk, key: str | uuid.UUID) -> list[HistoryEntry]:
    """What happened to a case and everything under it, oldest first: who, when, which fields (the revision log)."""
    with desk.read() as session:
        case = load_case(session, key)
        return [
            HistoryEntry(row.at, row.actor, row.action, row.table, row.operation, row.fields)
            for row in history.case_history(session, case.id)
        ]
