"""Case queries: numbers in use, lookups by number, the filtered and ordered list and its count, and what a list
row and the detail of one case are read from."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain.codes import OutcomeKind, PartyRole
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.store.models import (
    CaseMediator,
    DisputeCase,
    FollowUp,
    InvestigationRecord,
    JudicialConfirmation,
    Mediator,
    OrgUnit,
    Outcome,
    Party,
    SessionRecord,
)

# case ids per IN (…) list when reading the parties and outcomes of many rows (bind-parameter limits)
ID_CHUNK = 500

# ---------------------------------------------------------------------------------------------------------------
# Numbers


def used_seqs(session: Session, org_id: uuid.UUID, year: int) -> set[int]:
    """The sequence numbers already given to the organisation's cases of ``year``."""
    used = session.scalars(
        sa.select(DisputeCase.number_seq).where(
            DisputeCase.org_id == org_id, DisputeCase.number_year == year, DisputeCase.number_seq.is_not(None)
        )
    ).all()
    return {value for value in used if value is not None}


def number_in_use(session: Session, org_id: uuid.UUID, number: str) -> bool:
    clash = session.scalar(sa.select(DisputeCase.id).where(DisputeCase.org_id == org_id, DisputeCase.number == number))
    return clash is not None


def cases_numbered(session: Session, number: str) -> Sequence[DisputeCase]:
    """Cases with exactly this number (one per organisation at most)."""
    return session.scalars(sa.select(DisputeCase).where(DisputeCase.number == number)).all()


def cases_with_year_and_seq(session: Session, year: int, seq: int, prefix: str) -> Sequence[DisputeCase]:
    """Cases whose number has this year and sequence and contains ``prefix`` (a number typed differently)."""
    return session.scalars(
        sa.select(DisputeCase).where(
            DisputeCase.number_year == year,
            DisputeCase.number_seq == seq,
            DisputeCase.number.contains(prefix),
        )
    ).all()


# ---------------------------------------------------------------------------------------------------------------
# Lists


@dataclass(frozen=True, slots=True)
class CaseSelection:
    """Which cases a list holds: the WHERE of the list and of its count.

    ``text`` matches a substring of the number, the facts, the title or a party's name.
    """

    org_ids: Collection[uuid.UUID] | None = None  # None: every organisation on file
    status: CaseStatus | None = None
    category: str | None = None
    text: str = ""
    date_from: date | None = None
    date_to: date | None = None


def whole_desk(session: Session, org_ids: Collection[uuid.UUID]) -> bool:
    """Whether these organisations are every organisation on file (every case on the desk is theirs).

    A list over the whole desk then needs no organisation filter, so its first screen is read from the index of
    its order: an ``org_id IN (…280 ids…)`` makes SQLite walk every row of the index on organisations and sort.
    """
    on_file = int(session.scalar(sa.select(sa.func.count()).select_from(OrgUnit)) or 0)
    return on_file > 0 and len(set(org_ids)) >= on_file


def select_cases(selection: CaseSelection) -> sa.Select[DisputeCase]:
    query = sa.select(DisputeCase)
    if selection.org_ids is not None:
        query = query.where(DisputeCase.org_id.in_(selection.org_ids))
    if selection.status is not None:
        query = query.where(DisputeCase.status == selection.status)
    if selection.category:
        query = query.where(DisputeCase.category == selection.category)
    if selection.date_from:
        query = query.where(DisputeCase.intake_date >= selection.date_from)
    if selection.date_to:
        query = query.where(DisputeCase.intake_date <= selection.date_to)
    text = selection.text.strip()
    if text:
        pattern = f"%{text}%"
        party_match = sa.select(Party.case_id).where(Party.name.like(pattern))
        query = query.where(
            sa.or_(
                DisputeCase.number.like(pattern),
                DisputeCase.facts.like(pattern),
                DisputeCase.title.like(pattern),
                DisputeCase.id.in_(party_match),
            )
        )
    return query


def _first_party(role: PartyRole) -> sa.ScalarSelect[str]:
    return (
        sa.select(Party.name)
        .where(Party.case_id == DisputeCase.id, Party.role == role)
        .order_by(Party.position)
        .limit(1)
        .scalar_subquery()
    )


def _sort_columns(sort: str) -> list[Any]:
    """The columns behind each key a list can be sorted by (``services.cases.CaseSort``'s values)."""
    keys: dict[str, list[Any]] = {
        "intake_date": [DisputeCase.intake_date, DisputeCase.number_seq],
        "number": [DisputeCase.number_year, DisputeCase.number_seq, DisputeCase.number],
        "org": [sa.select(OrgUnit.code).where(OrgUnit.id == DisputeCase.org_id).scalar_subquery()],
        "category": [DisputeCase.category, DisputeCase.subtype],
        "applicants": [_first_party(PartyRole.APPLICANT)],
        "respondents": [_first_party(PartyRole.RESPONDENT)],
        "status": [DisputeCase.status],
        "outcome": [sa.select(Outcome.kind).where(Outcome.case_id == DisputeCase.id).scalar_subquery()],
    }
    return keys[sort]


def ordering(sort: str, descending: bool) -> list[Any]:
    """ORDER BY for a list: the chosen key, then newest first, then the id so that pages never overlap."""
    chosen = [key.desc() if descending else key.asc() for key in _sort_columns(sort)]
    tail = [DisputeCase.intake_date.desc(), DisputeCase.number_seq.desc(), DisputeCase.number, DisputeCase.id]
    return [*chosen, *tail]


def page_of_cases(
    session: Session,
    selection: CaseSelection,
    *,
    sort: str,
    descending: bool,
    limit: int | None = None,
    offset: int = 0,
) -> list[DisputeCase]:
    query = select_cases(selection).order_by(*ordering(sort, descending))
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    return list(session.scalars(query))


def count_cases(session: Session, selection: CaseSelection) -> int:
    subquery = select_cases(selection).with_only_columns(DisputeCase.id).subquery()
    return int(session.scalar(sa.select(sa.func.count()).select_from(subquery)) or 0)


# ---------------------------------------------------------------------------------------------------------------
# What rows and details are read from


def orgs_of(session: Session, cases: Sequence[DisputeCase]) -> dict[uuid.UUID, OrgUnit]:
    """The organisations of these cases, by id."""
    org_ids = {case.org_id for case in cases}
    return {org.id: org for org in session.scalars(sa.select(OrgUnit).where(OrgUnit.id.in_(org_ids)))}


def party_names(session: Session, case_ids: Sequence[uuid.UUID]) -> dict[tuple[uuid.UUID, PartyRole], list[str]]:
    """The parties' names of these cases per (case, role), in their order on the case."""
    names: dict[tuple[uuid.UUID, PartyRole], list[str]] = {}
    for start in range(0, len(case_ids), ID_CHUNK):
        chunk = case_ids[start : start + ID_CHUNK]
        for case_id, role, name in session.execute(
            sa.select(Party.case_id, Party.role, Party.name).where(Party.case_id.in_(chunk)).order_by(Party.position)
        ):
            names.setdefault((case_id, role), []).append(name)
    return names


def outcome_kinds(session: Session, case_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, OutcomeKind]:
    """The outcome of each of these cases that has one."""
    outcomes: dict[uuid.UUID, OutcomeKind] = {}
    for start in range(0, len(case_ids), ID_CHUNK):
        chunk = case_ids[start : start + ID_CHUNK]
        for case_id, kind in session.execute(
            sa.select(Outcome.case_id, Outcome.kind).where(Outcome.case_id.in_(chunk))
        ):
            outcomes[case_id] = kind
    return outcomes


def outcome_of(session: Session, case_id: uuid.UUID) -> Outcome | None:
    return session.scalar(sa.select(Outcome).where(Outcome.case_id == case_id))


def parties_of(session: Session, case_id: uuid.UUID) -> Sequence[Party]:
    return session.scalars(sa.select(Party).where(Party.case_id == case_id).order_by(Party.position)).all()


def mediator_ids_of(session: Session, case_id: uuid.UUID) -> set[uuid.UUID]:
    """The mediators already assigned to the case."""
    return set(session.scalars(sa.select(CaseMediator.mediator_id).where(CaseMediator.case_id == case_id)))


def assignments_of(session: Session, case_id: uuid.UUID) -> list[tuple[CaseMediator, str]]:
    """The case's mediator assignments with each mediator's name, by date assigned then name."""
    rows = session.execute(
        sa.select(CaseMediator, Mediator.name)
        .join(Mediator, CaseMediator.mediator_id == Mediator.id)
        .where(CaseMediator.case_id == case_id)
        .order_by(CaseMediator.assigned_on, Mediator.name)
    ).all()
    return [(link, name) for link, name in rows]


def investigations_of(session: Session, case_id: uuid.UUID) -> Sequence[InvestigationRecord]:
    return session.scalars(sa.select(InvestigationRecord).where(InvestigationRecord.case_id == case_id)).all()


def sessions_of(session: Session, case_id: uuid.UUID) -> Sequence[SessionRecord]:
    return session.scalars(sa.select(SessionRecord).where(SessionRecord.case_id == case_id)).all()


def follow_ups_of(session: Session, case_id: uuid.UUID) -> Sequence[FollowUp]:
    return session.scalars(sa.select(FollowUp).where(FollowUp.case_id == case_id)).all()


def confirmations_of(session: Session, case_id: uuid.UUID) -> Sequence[JudicialConfirmation]:
    return session.scalars(sa.select(JudicialConfirmation).where(JudicialConfirmation.case_id == case_id)).all()
