"""Search queries: the case list's WHERE with free text and pinyin, the ordered ids of a selection, rows by id.

Free text and pinyin are answered by the case search index (``store.search_index``; tokens in
``domain.search_tokens``): on SQLite with FTS5 a ``MATCH`` over ``search_fts`` gives the candidate cases, and
``LIKE`` over the number, title, facts and party names checks them when the text has several runs (a single run,
the usual query, is answered exactly by the index). Without FTS5 (PostgreSQL, a SQLite build without it) the text
is the ``LIKE`` scan and pinyin a ``LIKE`` over ``search_text.pinyin``. Cases changed since the index was last
settled (``search_dirty``) are left out of the index's answer and checked directly: ``LIKE`` for the text, and
for pinyin the caller's ``hits`` (matched in Python over their current names). So every search is exact, whatever
wrote the cases, and the whole filter, its order and its count stay one query.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from mediation_desk.domain import search_tokens
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.store import search_index
from mediation_desk.store.models import DisputeCase, Party, search_dirty, search_text
from mediation_desk.store.queries.cases import ID_CHUNK, ordering

KEY_BATCH = 50_000  # keys per batch when a whole list is streamed (``ordered_key_batches``)


@dataclass(frozen=True, slots=True)
class SearchSelection:
    """Which cases a search holds. ``text`` matches a substring of the number, facts, title or a party's name;
    ``pinyin`` (letters only) the pinyin of a party's name, through the index; ``hits`` are cases found otherwise
    (pinyin of the names of cases the index has not settled yet) and count as text matches too. ``dirty``: the
    index has unsettled cases (``search_dirty`` not empty), which its answer leaves out."""

    org_ids: Collection[uuid.UUID] | None = None
    status: CaseStatus | None = None
    category: str | None = None  # a top-level code (2 digits) or a sub-type
    text: str = ""
    pinyin: str | None = None
    hits: Collection[str] = ()  # case keys (see ``case_key``)
    date_from: date | None = None
    date_to: date | None = None
    dirty: bool = False


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


def _pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _like(text: str, *, scan: bool) -> sa.ColumnElement[bool]:
    """The text as a substring of the number, facts, title or a party's name. ``scan``: the party names are read
    once for the whole desk (no index narrows the cases); else per case checked (a few candidates)."""
    pattern = _pattern(text)
    party: sa.ColumnElement[bool]
    if scan:
        party = DisputeCase.id.in_(sa.select(Party.case_id).where(Party.name.like(pattern, escape="\\")))
    else:
        party = sa.exists().where(Party.case_id == DisputeCase.id, Party.name.like(pattern, escape="\\"))
    return sa.or_(
        DisputeCase.number.like(pattern, escape="\\"),
        DisputeCase.facts.like(pattern, escape="\\"),
        DisputeCase.title.like(pattern, escape="\\"),
        party,
    )


def _matching(query: str, name: str) -> sa.ColumnElement[bool]:
    """The cases whose index row matches an FTS5 query."""
    match = sa.text(
        f"SELECT search_text.case_id FROM {search_index.FTS_TABLE} JOIN search_text "
        f"ON search_text.id = {search_index.FTS_TABLE}.rowid WHERE {search_index.FTS_TABLE} MATCH :{name}"
    ).bindparams(sa.bindparam(name, query))
    return DisputeCase.id.in_(match.columns(search_text.c.case_id))


def _settled(clause: sa.ColumnElement[bool], selection: SearchSelection) -> sa.ColumnElement[bool]:
    """An index answer without the cases it has not settled yet."""
    if not selection.dirty:
        return clause
    return sa.and_(clause, DisputeCase.id.not_in(sa.select(search_dirty.c.case_id)))


def _pinyin_clause(session: Session, query: str, fts: bool) -> sa.ColumnElement[bool]:
    if fts:
        return _matching(f"pinyin : {search_tokens.pinyin_match_query(query)}", "search_pinyin")
    spelled = (sa.literal(" ") + search_text.c.pinyin).like(f"% {query}%")
    return DisputeCase.id.in_(sa.select(search_text.c.case_id).where(spelled))


def _indexed_text(text: str, query: str, selection: SearchSelection) -> sa.ColumnElement[bool]:
    """Free text through the index: the candidates, checked by ``LIKE`` unless the index is exact for it; the
    unsettled cases by ``LIKE`` alone."""
    exact = search_tokens.exact_text_query(text)
    if exact and selection.pinyin and not selection.dirty:  # one MATCH for both
        combined = f"(body : ({query})) OR (pinyin : {search_tokens.pinyin_match_query(selection.pinyin)})"
        return _matching(combined, "search_match")
    found = _matching(f"body : ({query})", "search_match")
    if not exact:
        found = sa.and_(found, _like(text, scan=False))
    if not selection.dirty:
        return found
    unsettled = sa.and_(DisputeCase.id.in_(sa.select(search_dirty.c.case_id)), _like(text, scan=False))
    return sa.or_(_settled(found, selection), unsettled)


def _text_clause(session: Session, selection: SearchSelection) -> sa.ColumnElement[bool] | None:
    text = selection.text.strip()
    connection = session.connection()
    indexed = search_index.has_index(connection)
    fts = indexed and search_index.has_fts(connection)
    query = search_tokens.text_query(text) if fts and text else None
    clauses: list[sa.ColumnElement[bool]] = []
    pinyin_done = False
    if query is not None:
        clauses.append(_indexed_text(text, query, selection))
        pinyin_done = search_tokens.exact_text_query(text) and not selection.dirty
    elif text:
        clauses.append(_like(text, scan=True))
    if selection.pinyin and indexed and not pinyin_done:
        clauses.append(_settled(_pinyin_clause(session, selection.pinyin, fts), selection))
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


def _index_only(session: Session, selection: SearchSelection) -> str | None:
    """The FTS5 query that alone answers the selection (settled index, a one-run text, no other filter), or
    ``None``: its count is then the index's count, and its first screen may walk the list's order instead."""
    text = selection.text.strip()
    filtered = selection.org_ids is not None or selection.status is not None or selection.category
    if not text or filtered or selection.date_from or selection.date_to or selection.hits or selection.dirty:
        return None
    if not search_tokens.exact_text_query(text) or not search_index.has_fts(session.connection()):
        return None
    query = search_tokens.text_query(text)
    if query is None:
        return None
    if selection.pinyin:
        return f"(body : ({query})) OR (pinyin : {search_tokens.pinyin_match_query(selection.pinyin)})"
    return f"body : ({query})"


def _index_count(session: Session, query: str) -> int:
    """How many cases match an FTS5 query (settled: one row of the index per case on file)."""
    counted = sa.text(f"SELECT count(*) FROM {search_index.FTS_TABLE} WHERE {search_index.FTS_TABLE} MATCH :q")
    return int(session.scalar(counted, {"q": query}) or 0)


def _walked_screen(session: Session, query: str, limit: int) -> list[str] | None:
    """A first screen in the default order from the index of intake dates, each case checked against the matches,
    when the matches are dense enough that this reads fewer rows than sorting them all (about when matches² ≥
    limit × cases); else ``None``."""
    found = _index_count(session, query)
    cases = int(session.scalar(sa.select(sa.func.max(search_text.c.id))) or 0)
    if found * found < limit * cases:
        return None
    rows = sa.text(f"SELECT rowid FROM {search_index.FTS_TABLE} WHERE {search_index.FTS_TABLE} MATCH :search_walk")
    matching = sa.exists().where(
        search_text.c.case_id == DisputeCase.id,
        search_text.c.id.in_(rows.bindparams(sa.bindparam("search_walk", query)).columns(sa.column("rowid"))),
    )
    walk = (
        sa.select(case_key(session))
        .with_hint(DisputeCase, "INDEXED BY ix_dispute_case_intake_date", "sqlite")
        .where(matching)
        .order_by(*ordering("intake_date", True))
        .limit(limit)
    )
    return list(session.scalars(walk))


def ordered_keys(
    session: Session, selection: SearchSelection, *, sort: str, descending: bool, limit: int | None = None
) -> list[str]:
    """The keys of every case of the selection, in the list's order (the id breaks ties: the order is total)."""
    only = _index_only(session, selection)
    if only is not None and limit is not None and sort == "intake_date" and descending:
        walked = _walked_screen(session, only, limit)
        if walked is not None:
            return walked
    query = _ordered(session, selection, sort, descending)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def _ordered(session: Session, selection: SearchSelection, sort: str, descending: bool) -> sa.Select[str]:
    return sa.select(case_key(session)).where(*where_clauses(session, selection)).order_by(*ordering(sort, descending))


def ordered_key_batches(
    session: Session, selection: SearchSelection, *, sort: str, descending: bool, batch: int = KEY_BATCH
) -> Iterator[Sequence[str]]:
    """The keys of ``ordered_keys`` (without a limit), streamed ``batch`` at a time: a million keys never held as
    one list of strings.

    On SQLite the rows come straight from the driver's cursor (the statement and its parameters still go through
    SQLAlchemy): the keys need no result processing, and SQLite steps through the query as the rows are fetched,
    so a million keys take about a second instead of three with ``yield_per``. PostgreSQL's driver would fetch
    every row at once: ``yield_per`` reads them through a server-side cursor there."""
    query = _ordered(session, selection, sort, descending)
    if not _sqlite(session):
        yield from session.execute(query.execution_options(yield_per=batch)).scalars().partitions()
        return
    result = session.connection().execute(query)
    try:
        while rows := result.cursor.fetchmany(batch):
            yield [row[0] for row in rows]
    finally:
        result.close()


def count(session: Session, selection: SearchSelection) -> int:
    only = _index_only(session, selection)
    if only is not None:
        return _index_count(session, only)
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
