"""Search queries: the case list's WHERE with free text and pinyin hits, the ordered ids of a selection, rows by
id, and the party names the pinyin index is built from.

Pinyin is matched in Python (``services.search``) over an in-memory index of party names; its hits (case ids)
come back into SQL as one parameter: a JSON array read by ``json_each`` on SQLite, an array on PostgreSQL. So the
whole filter, its order and its count stay one query however many cases the pinyin matched.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.store.models import DisputeCase, Party
from mediation_desk.store.queries.cases import ID_CHUNK, ordering

NAME_BATCH = 20_000


@dataclass(frozen=True, slots=True)
class SearchSelection:
    """Which cases a search holds. ``text`` matches a substring of the number, facts, title or a party's name;
    ``hits`` are cases found otherwise (pinyin of a party's name) and count as text matches too."""

    org_ids: Collection[uuid.UUID] | None = None
    status: CaseStatus | None = None
    category: str | None = None  # a top-level code (2 digits) or a sub-type
    text: str = ""
    hits: Collection[str] = ()  # case keys (see ``case_key``)
    date_from: date | None = None
    date_to: date | None = None


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def case_key(session: Session) -> sa.ColumnElement[str]:
    """A case's id as the database holds it, as text (32 hex digits on SQLite, the UUID's text on PostgreSQL).

    Lists of 100,000 ids are read as these keys: turning each into a ``uuid.UUID`` would take most of the time.
    """
    return sa.type_coerce(DisputeCase.id, sa.String) if _sqlite(session) else sa.cast(DisputeCase.id, sa.String)


def _hits_clause(session: Session, hits: Collection[str]) -> sa.ColumnElement[bool]:
    if not _sqlite(session):
        array = sa.bindparam("search_hits", [uuid.UUID(hit) for hit in hits], type_=postgresql.ARRAY(sa.Uuid))
        return DisputeCase.id == sa.any_(array)
    values = sa.func.json_each(json.dumps(list(hits))).table_valued("value")
    return case_key(session).in_(sa.select(values.c.value))


def _text_clause(session: Session, selection: SearchSelection) -> sa.ColumnElement[bool] | None:
    text = selection.text.strip()
    clauses: list[sa.ColumnElement[bool]] = []
    if text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        party_match = sa.select(Party.case_id).where(Party.name.like(pattern, escape="\\"))
        clauses += [
            DisputeCase.number.like(pattern, escape="\\"),
            DisputeCase.facts.like(pattern, escape="\\"),
            DisputeCase.title.like(pattern, escape="\\"),
            DisputeCase.id.in_(party_match),
        ]
    if selection.hits:
        clauses.append(_hits_clause(session, selection.hits))
    return sa.or_(*clauses) if clauses else None


def where_clauses(session: Session, selection: SearchSelection) -> list[sa.ColumnElement[bool]]:
    """The WHERE of a search, shared by its ordered ids and its count."""
    where: list[sa.ColumnElement[bool]] = []
    if selection.org_ids is not None:
        where.append(DisputeCase.org_id.in_(selection.org_ids))
    if selection.status is not None:
        where.append(DisputeCase.status == selection.status)
    if selection.category:
        column = DisputeCase.category if len(selection.category) <= 2 else DisputeCase.subtype
        where.append(column == selection.category)
    if selection.date_from:
        where.append(DisputeCase.intake_date >= selection.date_from)
    if selection.date_to:
        where.append(DisputeCase.intake_date <= selection.date_to)
    text = _text_clause(session, selection)
    if text is not None:
        where.append(text)
    elif selection.text.strip():
        where.append(sa.false())
    return where


def ordered_keys(
    session: Session, selection: SearchSelection, *, sort: str, descending: bool, limit: int | None = None
) -> list[str]:
    """The keys of every case of the selection, in the list's order (the id breaks ties: the order is total)."""
    query = sa.select(case_key(session)).where(*where_clauses(session, selection)).order_by(*ordering(sort, descending))
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def count(session: Session, selection: SearchSelection) -> int:
    query = sa.select(sa.func.count()).select_from(DisputeCase).where(*where_clauses(session, selection))
    return int(session.scalar(query) or 0)


def cases_by_key(session: Session, keys: Sequence[str]) -> list[DisputeCase]:
    """The cases with these keys, in the order given (cases no longer on file are left out)."""
    ids = [uuid.UUID(key) for key in keys]
    found: dict[uuid.UUID, DisputeCase] = {}
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start : start + ID_CHUNK]
        for case in session.scalars(sa.select(DisputeCase).where(DisputeCase.id.in_(chunk))):
            found[case.id] = case
    return [found[case_id] for case_id in ids if case_id in found]


def party_names(session: Session) -> Iterator[tuple[str, str]]:
    """Every party's case key and name, streamed in batches (the pinyin index is built from them)."""
    key = sa.type_coerce(Party.case_id, sa.String) if _sqlite(session) else sa.cast(Party.case_id, sa.String)
    result = session.execute(sa.select(key, Party.name).execution_options(yield_per=NAME_BATCH))
    for case_key_text, name in result:
        yield str(case_key_text), str(name)


def party_fingerprint(session: Session) -> tuple[Any, ...]:
    """Something that changes when a party is added or removed (a rename in this process is told by the desk)."""
    if session.get_bind().dialect.name == "sqlite":
        row = session.execute(sa.text("SELECT count(*), max(rowid) FROM party")).one()
    else:
        row = session.execute(sa.select(sa.func.count(), sa.func.max(Party.updated_at))).one()
    return tuple(row)
