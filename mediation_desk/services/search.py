"""Finding cases: free text over the case number, the parties' names and the facts, in Chinese or in pinyin.

A Chinese (or any non-pinyin) text is a substring: ``排水`` finds the facts, ``张三`` the party. A text of Latin
letters is also read as pinyin of a party's name: each character of the name is matched by its whole syllable or
by the first letters of it, so ``zs``, ``zhangs``, ``zhangsan`` and ``zsan`` all find 张三 (heteronyms count with
every reading: 曾 is both ``zeng`` and ``ceng``).

The pinyin keys are not stored in the database (that would be a schema change and a column to keep right on every
write and merge). They live in an in-memory index of the desk's party names (:class:`NameIndex`), built on first
use (about a second for 100,000 cases, off the GUI thread) and kept per desk: the desk tells it when a change
touched the parties, and a cheap fingerprint (count and last row of the party table) catches changes made by
another process. Each distinct character's readings are computed once (``pypinyin``), each distinct name once.
Matches come back into SQL as one parameter, so the rest of the filter, the order and the count are one query.
"""

from __future__ import annotations

import re
import threading
import uuid
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy.orm import Session

from mediation_desk.domain.errors import DomainError
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services.cases.queries import CaseSort
from mediation_desk.services.cases.views import CaseRow, case_rows
from mediation_desk.services.desk import Changes, Desk
from mediation_desk.services.orgs import find_org
from mediation_desk.store.queries import search as search_queries
from mediation_desk.store.queries.cases import whole_desk
from mediation_desk.store.queries.orgs import subtree_ids

PINYIN_QUERY = re.compile(r"[a-z]+")
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


# ---------------------------------------------------------------------------------------------------------------
# Pinyin


@cache
def char_readings(char: str) -> tuple[str, ...]:
    """The toneless pinyin readings of one character (its lower case itself for a Latin letter or a digit)."""
    if char.isascii():
        return (char.lower(),) if char.isalnum() else ()
    from pypinyin import Style, pinyin  # a large module: loaded with the first index, never at start-up

    readings = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    if not readings:
        return ()
    return tuple(dict.fromkeys(reading.lower() for reading in readings[0] if reading.isascii() and reading))


@dataclass(frozen=True, slots=True)
class NameKey:
    """A name's readings, character by character, and every first letter among them (a quick pre-test)."""

    readings: tuple[tuple[str, ...], ...]
    initials: str


def name_key(name: str) -> NameKey:
    readings = tuple(found for found in (char_readings(char) for char in name) if found)
    initials = "".join(sorted({reading[0] for options in readings for reading in options}))
    return NameKey(readings, initials)


def pinyin_query(text: str) -> str | None:
    """The text as a pinyin query (lower case, spaces and apostrophes dropped), or ``None`` if it is not one."""
    folded = re.sub(r"[\s']", "", text.lower())
    return folded if PINYIN_QUERY.fullmatch(folded) else None


def _match_from(readings: tuple[tuple[str, ...], ...], position: int, query: str, offset: int) -> bool:
    if offset == len(query):
        return True
    if position == len(readings):
        return False
    for reading in readings[position]:
        for length in range(min(len(reading), len(query) - offset), 0, -1):
            if query.startswith(reading[:length], offset) and _match_from(
                readings, position + 1, query, offset + length
            ):
                return True
    return False


def matches_pinyin(key: NameKey, query: str) -> bool:
    """Whether consecutive characters of the name spell ``query``, each by a prefix of one of its readings."""
    if not query or query[0] not in key.initials:
        return False
    return any(_match_from(key.readings, start, query, 0) for start in range(len(key.readings)))


class NameIndex:
    """Party names of one desk with their pinyin keys and the cases they belong to."""

    def __init__(self, names: Iterable[tuple[str, str]], fingerprint: tuple[object, ...]) -> None:
        self.fingerprint = fingerprint
        cases: dict[str, list[str]] = {}
        for case_id, name in names:
            cases.setdefault(name, []).append(case_id)
        self._entries = [(name_key(name), ids) for name, ids in cases.items()]

    def __len__(self) -> int:
        return len(self._entries)

    def cases_matching(self, query: str) -> set[str]:
        """The keys of the cases with a party whose name matches ``query`` as pinyin."""
        found: set[str] = set()
        first = query[:1]
        for key, ids in self._entries:
            if first in key.initials and matches_pinyin(key, query):
                found.update(ids)
        return found


class _IndexCache:
    """One index per open desk, rebuilt when its parties changed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._indexes: weakref.WeakKeyDictionary[Desk, NameIndex] = weakref.WeakKeyDictionary()
        self._watched: weakref.WeakSet[Desk] = weakref.WeakSet()

    def index(self, desk: Desk, session: Session) -> NameIndex:
        fingerprint = search_queries.party_fingerprint(session)
        with self._lock:
            current = self._indexes.get(desk)
            if current is not None and current.fingerprint == fingerprint:
                return current
            if desk not in self._watched:
                self._watched.add(desk)
                desk.subscribe(self._listener(weakref.ref(desk)))
            built = NameIndex(search_queries.party_names(session), fingerprint)
            self._indexes[desk] = built
            return built

    def _listener(self, ref: weakref.ref[Desk]) -> Callable[[Changes], None]:
        def changed(changes: Changes) -> None:
            desk = ref()
            if desk is not None and changes.touches("party"):
                with self._lock:
                    self._indexes.pop(desk, None)

        return changed


_CACHE = _IndexCache()


def warm_up(desk: Desk) -> int:
    """Build the desk's name index now (the GUI does it in the background after start-up); its size."""
    with desk.read() as session:
        return len(_CACHE.index(desk, session))


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
    hits = _CACHE.index(desk, session).cases_matching(query) if query else set()
    org_ids = subtree_ids(session, root.id) if root is not None else None
    if org_ids is not None and whole_desk(session, org_ids):
        org_ids = None  # every case on the desk: no filter, so the first screen comes from the order's index
    return search_queries.SearchSelection(
        org_ids=org_ids,
        status=flt.status,
        category=flt.category,
        text=text,
        hits=hits,
        date_from=flt.date_from,
        date_to=flt.date_to,
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
