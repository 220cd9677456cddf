"""The case search index (``domain.search_tokens``, ``store.search_index``, migration 0007).

- Tokens: substrings of every length are found, punctuation splits runs, ASCII case folds (as ``LIKE``), pinyin
  spellings with heteronyms, and the caps.
- Exactness: on a desk changed through the ORM, a party rename, a case deletion, a ledger import (the bulk
  writer) and a sync merge, every search through the index gives exactly the cases a plain scan gives (``LIKE``
  over the texts and the pinyin definition over the names, computed here in Python); so does a search while a
  raw connection's write waits to be settled, and a search without FTS5.
- The migration's fill: a desk saved at 0006 opens, migrates and is indexed, exactly.
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from mediation_desk.domain import search_tokens
from mediation_desk.domain.codes import CaseSource, PartyRole
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.domain.permissions import Permission
from mediation_desk.domain.search_tokens import matches_pinyin, pinyin_tokens, text_query, text_tokens
from mediation_desk.services.cases import register_case
from mediation_desk.services.casework import PartyEntry, save_parties
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.search import SearchFilter, count_matching, pack_keys, packed_keys, search_keys
from mediation_desk.store import search_index
from mediation_desk.store.models import DisputeCase, Party
from tests.integration.test_postgres import pg_url, server_url
from tests.sync.test_desk_support import TOWNSHIP, World, case_ids, ledger, receive, send, world, world_template

__all__ = ["pg_url", "server_url", "world", "world_template"]

QUERIES: tuple[str, ...] = ("张", "申1", "张申1", "对方", "排水", "排水沟渠堵塞", "第1号", "号测", "zs", "zhangs")
QUERIES += ("zsan", "ws", "df", "  借款  ", "借款 未还", "借款，未还", "100%", "a_b", "调", "ZS", "Zhang Shen", "——")
QUERIES += ("申1号",)


# ---------------------------------------------------------------------------------------------------------------
# Tokens


def _tokens(texts: list[str]) -> set[str]:
    return set(text_tokens(texts).split())


def test_every_substring_of_a_run_is_a_phrase_of_its_tokens() -> None:
    text = "王秀英诉李建国"
    body = text_tokens([text]).split()
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            query = text_query(text[start:end])
            assert query is not None
            if end - start == 1:
                assert any(token.startswith(text[start]) for token in body)
            else:
                phrase = query.strip('"').split()
                assert any(body[at : at + len(phrase)] == phrase for at in range(len(body)))


def test_punctuation_splits_runs_and_ascii_case_folds() -> None:
    assert text_tokens(["（2026）缙调字第12号", "A-b"]) == "20 02 26 6 缙调 调字 字第 第1 12 2号 号 a b"
    assert text_query("借款，未还") == '"借款" AND "未还"'
    assert text_query("X") == '"x"*'
    assert text_query("——") is None
    assert search_tokens.exact_text_query("张三")
    assert not search_tokens.exact_text_query("张 三")
    assert search_tokens.fold("ÀB") == "Àb"  # only ASCII letters fold, as in SQLite's LIKE


def test_a_phrase_never_reaches_into_the_next_run() -> None:
    body = text_tokens(["张三", "三李"]).split()
    assert body == ["张三", "三", "三李", "李"]  # "张三 三李" is not a phrase here: "三" stands between


@pytest.mark.parametrize(
    ("name", "query", "found"),
    [
        ("张三", "zs", True),
        ("张三", "zhs", True),
        ("张三", "zhangsa", True),
        ("张三", "zhangsanf", False),
        ("张三", "zhas", False),  # a character before the last: whole, its initial or its first letter
        ("曾国", "cg", True),
        ("曾国", "zengg", True),
        ("阿依古丽·买买提", "glmm", True),  # the dot has no reading
        ("ABC公司", "abcgs", True),
    ],
)
def test_pinyin_tokens_answer_the_definition(name: str, query: str, found: bool) -> None:
    assert matches_pinyin(name, query) is found
    assert any(token.startswith(query) for token in pinyin_tokens(name)) is found


def test_pinyin_caps() -> None:
    long_name = "浙江丽水某某建筑工程有限公司"
    tokens = pinyin_tokens(long_name)
    assert len(tokens) <= search_tokens.PINYIN_BUDGET + 2 * len(long_name)
    assert any(token.startswith("zjlsmmjzgcyxgs") for token in tokens)  # the whole name's initials
    assert any(token.startswith("jianzhugongcheng") for token in tokens)  # a suffix in full
    assert all(len(search_tokens.char_readings(char)) <= search_tokens.PINYIN_READINGS for char in long_name)


# ---------------------------------------------------------------------------------------------------------------
# Exactness against a plain scan


def _scanned(desk: Desk, text: str) -> set[str]:
    """What the search must find, computed here: LIKE over the texts, the pinyin definition over the names."""
    text = text.strip()
    needle = search_tokens.fold(text)
    query = search_tokens.pinyin_query(text)
    with desk.read() as session:
        texts = session.execute(sa.select(DisputeCase.id, DisputeCase.number, DisputeCase.title, DisputeCase.facts))
        fields = {case_id.hex: [value or "" for value in rest] for case_id, *rest in texts}
        names: dict[str, list[str]] = {}
        for case_id, name in session.execute(sa.select(Party.case_id, Party.name)):
            names.setdefault(case_id.hex, []).append(name)
    found = set()
    for key, values in fields.items():
        party = names.get(key, [])
        as_text = bool(text) and any(needle in search_tokens.fold(value) for value in [*values, *party])
        if as_text or (query and any(matches_pinyin(name, query) for name in party)):
            found.add(key)
    return found


def assert_exact(desk: Desk, queries: tuple[str, ...] = QUERIES) -> None:
    for query in queries:
        keys = search_keys(desk, SearchFilter(text=query))
        assert {uuid.UUID(key).hex for key in keys} == _scanned(desk, query), query
        assert count_matching(desk, SearchFilter(text=query)) == len(keys), query
        for limit in (1, 3):  # a first screen (dense matches: the walk of the intake dates) is the list's start
            assert search_keys(desk, SearchFilter(text=query, limit=limit)) == keys[:limit], query


def _raw_touch(desk: Desk, facts: str) -> None:
    """A write behind the program's back: nothing settles it, the trigger marks the case."""
    database = desk.database.engine.url.database
    assert database
    with closing(sqlite3.connect(database)) as raw:
        raw.execute("UPDATE dispute_case SET facts = ? WHERE id = (SELECT min(id) FROM dispute_case)", (facts,))
        raw.execute("UPDATE party SET name = '周舟' WHERE id = (SELECT max(id) FROM party)")
        raw.commit()


def _register(desk: Desk, name: str, facts: str) -> None:
    register_case(
        desk,
        CaseInput(
            intake_date=date.today(),
            source=CaseSource.APPLICATION,
            category="02",
            parties=[PartyInput(name, PartyRole.APPLICANT), PartyInput("曾国华", PartyRole.RESPONDENT)],
            facts=facts,
        ),
    )


@pytest.fixture
def filled(desk: Desk) -> Desk:
    from tests.ui.conftest import add_cases

    add_cases(desk, 30)
    _register(desk, "欧阳秀英", "借款，未还；100%的利息")
    return desk


def _settled(desk: Desk) -> bool:
    with desk.read() as session:
        return search_index.usable(session)


def test_the_index_is_exact_after_orm_edits_renames_and_deletions(filled: Desk) -> None:
    assert _settled(filled)
    assert_exact(filled, (*QUERIES, "oyxy", "cgh", "zengguoh", "秀英", "利息"))
    row_id = uuid_of(filled, "欧阳秀英")
    entries = [
        PartyEntry(None, PartyInput("王大力", PartyRole.APPLICANT)),
        PartyEntry(None, PartyInput("李四", PartyRole.RESPONDENT)),
    ]
    save_parties(filled, row_id, entries)  # new names (the old parties removed)
    with filled.write("test.delete", Permission.EDIT_CASE) as work:
        work.session.delete(work.session.scalars(sa.select(DisputeCase).limit(1)).one())
    assert _settled(filled)
    assert_exact(filled, (*QUERIES, "wdl", "oyxy", "cgh", "秀英", "王大力"))


def uuid_of(desk: Desk, name: str) -> uuid.UUID:
    with desk.read() as session:
        return session.scalars(sa.select(Party.case_id).where(Party.name == name)).one()


def test_a_raw_write_leaves_the_index_dirty_and_the_search_exact(filled: Desk) -> None:
    _raw_touch(filled, "改写的事实：邻里噪音")
    assert not _settled(filled)
    assert_exact(filled, (*QUERIES, "噪音", "邻里", "zz", "zhouz"))
    _register(filled, "李明", "新的纠纷")  # the next commit settles it
    assert _settled(filled)
    assert_exact(filled, (*QUERIES, "噪音", "zz", "lm"))


def test_without_fts5_the_search_reads_the_plain_tables(filled: Desk) -> None:
    search_index.without_fts(filled.database.engine)
    try:
        assert_exact(filled, (*QUERIES, "oyxy", "秀英"))
        _raw_touch(filled, "改写的事实：邻里噪音")
        assert_exact(filled, ("噪音", "zz", "zs", "张"))
    finally:
        search_index.without_fts(filled.database.engine, off=False)


def test_a_ledger_import_and_a_sync_merge_are_indexed(world: World) -> None:
    rows = ledger(world.village_a, world.files, 20, seed=5)
    assert _settled(world.village_a)
    picked = random.Random(1).sample([row["纠纷简要情况"][:4] for row in rows], 3)
    assert_exact(world.village_a, (*QUERIES, *picked))
    send(world.village_a, TOWNSHIP[0], world.file("a1.mdsync"))
    assert receive(world.township, world.file("a1.mdsync")).ok
    assert _settled(world.township)
    assert_exact(world.township, (*QUERIES, *picked))
    first = case_ids(world.village_a)[0]
    with world.village_a.write("test.edit", Permission.EDIT_CASE) as work:
        case = work.session.get(DisputeCase, first)
        assert case is not None
        case.facts = "合并后改写：宅基地边界"
    send(world.village_a, TOWNSHIP[0], world.file("a2.mdsync"))
    assert receive(world.township, world.file("a2.mdsync")).ok
    assert_exact(world.township, (*QUERIES, "宅基地", *picked))


# ---------------------------------------------------------------------------------------------------------------
# The migration's fill


def test_the_migration_fills_the_index(tmp_path: Path) -> None:
    from mediation_desk.store import migrate
    from mediation_desk.store.engine import create_engine, sqlite_url

    path = tmp_path / "old.sqlite3"
    engine = create_engine(sqlite_url(path))
    try:
        from alembic import command

        with engine.connect() as connection:
            command.upgrade(migrate.alembic_config(connection), "0006")
            connection.commit()
        _fill_at_0006(path)
        migrate.upgrade(engine)
        with engine.connect() as connection:
            assert search_index.dirty_count(connection) == 0
            stored = search_index.stored_rows(connection)
        assert set(stored) == {f"{index:032x}" for index in range(1, 4)}
        body, pinyin = stored[f"{1:032x}"]
        assert set(body.split()) >= {"邻居", "居排", "张三"}
        assert "zsan" in pinyin.split()
    finally:
        engine.dispose()


def _fill_at_0006(path: Path) -> None:
    """Three cases written at schema 0006 with plain SQL (an organisation first)."""
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("PRAGMA foreign_keys=OFF")
        columns = {row[1]: row for row in raw.execute("PRAGMA table_info(dispute_case)")}
        party_columns = {row[1]: row for row in raw.execute("PRAGMA table_info(party)")}
        for index in range(1, 4):
            values = _defaults(columns) | {
                "id": f"{index:032x}",
                "org_id": f"{99:032x}",
                "number": f"测试第{index}号",
                "facts": "邻居排水纠纷",
                "intake_date": "2026-01-0" + str(index),
                "status": "accepted",
                "category": "02",
                "source": "application",
            }
            _insert(raw, "dispute_case", values)
            party = _defaults(party_columns) | {
                "id": f"{100 + index:032x}",
                "case_id": f"{index:032x}",
                "name": "张三",
                "role": "applicant",
                "kind": "person",
                "id_type": "resident_id",
            }
            _insert(raw, "party", party)
        raw.commit()


def _defaults(columns: dict[str, tuple[object, ...]]) -> dict[str, object]:
    found: dict[str, object] = {}
    for name, row in columns.items():
        if row[3]:  # NOT NULL
            found[name] = "2026-01-01 00:00:00" if name.endswith("_at") else ("[]" if name == "risk_flags" else 0)
    return found


def _insert(raw: sqlite3.Connection, table: str, values: dict[str, object]) -> None:
    names = ", ".join(values)
    marks = ", ".join("?" * len(values))
    raw.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(values.values()))


# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL: the same tables, triggers and settling; the text by LIKE, pinyin over ``search_text.pinyin``


@pytest.mark.postgres
def test_the_index_on_postgres_is_exact(pg_url: str) -> None:
    from mediation_desk.services.setup import initialise_database
    from mediation_desk.store import stats_summary
    from mediation_desk.store.database import Database
    from tests.conftest import village_setup
    from tests.ui.conftest import add_cases

    desk = initialise_database(Database.open_url(pg_url), village_setup(), Actor.local_operator("test"))
    try:
        add_cases(desk, 12)
        _register(desk, "欧阳秀英", "借款，未还；100%的利息")
        assert _settled(desk)
        assert_exact(desk, (*QUERIES, "oyxy", "cgh", "秀英"))
        with desk.database.engine.connect() as connection:  # a write nothing settles: the case stays dirty
            connection.info[stats_summary.DEFER] = True
            connection.exec_driver_sql("UPDATE party SET name = '周舟' WHERE name = '欧阳秀英'")
            connection.commit()
            connection.info.pop(stats_summary.DEFER, None)
        assert not _settled(desk)
        assert_exact(desk, ("zz", "oyxy", "周舟", "zs", "借款"))
        for flt in (SearchFilter(), SearchFilter(text="zs", descending=False)):  # streamed: a server-side cursor
            assert packed_keys(desk, flt) == pack_keys(search_keys(desk, flt))
    finally:
        desk.close()
