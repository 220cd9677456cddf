"""Finding cases: free text over the case number, the parties' names and the facts, in Chinese or in pinyin.

A Chinese (or any non-pinyin) text is a substring: ``排水`` finds the facts, ``张三`` the party. A text of Latin
letters is also read as pinyin of a party's name: consecutive characters of the name spell it, each by its whole
syllable, its first letter or its initial zh/ch/sh, the last by any prefix of its syllable, so ``zs``, ``zhs``,
``zhangs``, ``zhangsan`` and ``zsan`` all find 张三 (heteronyms count with every reading: 曾 is both ``zeng`` and
``ceng``). The definition, with its caps, is ``domain.search_tokens`` (``matches_pinyin``).

Both are answered by the case search index in the database (``store.search_index``, migration 0007), kept at
every commit of whatever changed a case's texts or parties. Cases changed since the index was last settled (a
write that did not commit through the program) are checked directly: their names' pinyin here, in Python (each
distinct character's readings computed once), their texts by ``LIKE``; so the answer is exact either way. The
rest of the filter, the order and the count are one query.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from mediation_desk.domain import search_tokens
from mediation_desk.domain.errors import DomainError
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.search_tokens import char_readings, matches_pinyin, pinyin_query
from mediation_desk.services.cases.queries import CaseSort
from mediation_desk.services.cases.views import CaseRow, case_rows
from mediation_desk.services.desk import Desk
from mediation_desk.services.orgs import find_org
from mediation_desk.store import search_index
from mediation_desk.store.queries import search as search_queries
from mediation_desk.store.queries.cases import whole_desk
from mediation_desk.store.queries.orgs import subtree_ids

__all__ = ["char_readings", "matches_pinyin", "pinyin_query"]

MAX_QUERY = 100


@dataclass(slots=True)
class SearchFilter:
    """A case search: text, organisation (with its subtree; default this desk's), status, category, period."""

    text: str = ""
    org_code: str | None = None
    status: CaseStatus | None = None
    category: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: CaseSort = CaseSort.INTAKE_DATE
    descending: bool = True
    limit: int | None = None


def warm_up(desk: Desk) -> int:
    """Load the pinyin readings now (the GUI does it in the background after start-up); how many cases wait to be
    indexed (settled at the next commit)."""
    char_readings("张")
    with desk.read() as session:
        connection = session.connection()
        return search_index.dirty_count(connection) if search_index.has_index(connection) else 0


def _unsettled_hits(session: Session, query: str) -> set[str]:
    """The cases the index has not settled yet whose party names match ``query`` as pinyin (checked here)."""
    found: set[str] = set()
    verdicts: dict[str, bool] = {}
    for case_id, name in search_index.dirty_names(session):
        verdict = verdicts.get(name)
        if verdict is None:
            verdict = verdicts[name] = search_tokens.matches_pinyin(name, query)
        if verdict:
            found.add(case_id)
    return found


# ---------------------------------------------------------------------------------------------------------------
# Searching


def _selection(desk: Desk, session: Session, flt: SearchFilter) -> search_queries.SearchSelection:
    text = flt.text.strip()
    if len(text) > MAX_QUERY:
        raise DomainError(f"搜索内容最多 {MAX_QUERY} 个字")
    if flt.date_from and flt.date_to and flt.date_to < flt.date_from:
        raise DomainError("结束日期不能早于开始日期")
    try:
        root = find_org(session, flt.org_code) if flt.org_code else desk.own_org(session)
    except DomainError:
        if flt.org_code:
            raise
        root = None  # a desk not set up yet lists what it holds
    query = pinyin_query(text)
    dirty = bool(text) and search_index.has_index(session.connection()) and not search_index.usable(session)
    hits = _unsettled_hits(session, query) if query and dirty else set()
    org_ids = subtree_ids(session, root.id) if root is not None else None
    if org_ids is not None and whole_desk(session, org_ids):
        org_ids = None  # every case on the desk: no filter, so the first screen comes from the order's index
    return search_queries.SearchSelection(
        org_ids=org_ids,
        status=flt.status,
        category=flt.category,
        text=text,
        pinyin=query,
        hits=hits,
        date_from=flt.date_from,
        date_to=flt.date_to,
        dirty=dirty,
    )


CaseKey = str
"""A case's id as text, as the database holds it: what a list of 100,000 cases is made of (cheap to read)."""


def key_forms(case_id: uuid.UUID) -> frozenset[CaseKey]:
    """The keys a case id may have (32 hex digits on SQLite, the usual text on PostgreSQL)."""
    return frozenset((case_id.hex, str(case_id)))


def search_keys(desk: Desk, flt: SearchFilter | None = None) -> list[CaseKey]:
    """The keys of every matching case in the filter's order (the case list holds these and loads rows lazily)."""
    flt = flt or SearchFilter()
    with desk.read() as session:
        selection = _selection(desk, session, flt)
        return search_queries.ordered_keys(
            session, selection, sort=flt.sort.value, descending=flt.descending, limit=flt.limit
        )


def pack_keys(keys: Iterable[CaseKey]) -> bytes:
    """Case keys (32 hex digits, or the usual text with hyphens) as one string of 16 bytes a key: a million keys
    in 16 MB rather than a Python list of a million strings (about 90 MB)."""
    return bytes.fromhex("".join(keys).replace("-", ""))


def packed_keys(desk: Desk, flt: SearchFilter | None = None) -> bytes:
    """``search_keys`` of every matching case, packed (``pack_keys``) batch by batch as they are read: the case
    list's whole list of a million cases never exists as Python strings all at once."""
    flt = flt or SearchFilter()
    with desk.read() as session:
        selection = _selection(desk, session, flt)
        batches = search_queries.ordered_key_batches(session, selection, sort=flt.sort.value, descending=flt.descending)
        return b"".join(pack_keys(batch) for batch in batches)


def count_matching(desk: Desk, flt: SearchFilter | None = None) -> int:
    flt = flt or SearchFilter()
    with desk.read() as session:
        return search_queries.count(session, _selection(desk, session, flt))


def rows_by_key(desk: Desk, keys: Sequence[CaseKey]) -> list[CaseRow]:
    """The list rows of these cases, in the order given (a case deleted meanwhile is left out)."""
    with desk.read() as session:
        return case_rows(session, search_queries.cases_by_key(session, list(keys)))


def search_cases(desk: Desk, flt: SearchFilter | None = None) -> list[CaseRow]:
    """The matching cases' rows (``limit`` of them, or all), in order: the command line's ``cases list``."""
    return rows_by_key(desk, search_keys(desk, flt))
