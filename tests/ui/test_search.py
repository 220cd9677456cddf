"""The search behind the case list and ``cases list --search``: Chinese substrings, pinyin initials and full
pinyin of party names (heteronyms with every reading), with the other filters; the name index follows changes."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from mediation_desk.domain.codes import CaseSource, PartyRole
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services.cases import register_case
from mediation_desk.services.casework import PartyEntry, save_parties
from mediation_desk.services.desk import Desk
from mediation_desk.services.search import (
    SearchFilter,
    count_matching,
    matches_pinyin,
    pack_keys,
    packed_keys,
    pinyin_query,
    search_cases,
    search_keys,
)
from tests.ui.conftest import add_cases


def names(desk: Desk, text: str, **options: object) -> list[str]:
    return sorted(row.applicants for row in search_cases(desk, SearchFilter(text=text, **options)))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "query", "found"),
    [
        ("张三", "zs", True),
        ("张三", "zhangs", True),
        ("张三", "zhangsan", True),
        ("张三", "zsan", True),
        ("张三", "zhs", True),
        ("张三", "sz", False),
        ("张三", "zhangsanf", False),
        ("欧阳明", "oym", True),
        ("欧阳明", "yangm", True),  # a run inside the name
        ("曾国", "cg", True),  # 曾 reads zeng and ceng
        ("曾国", "zg", True),
        ("ABC公司", "abcgs", True),
    ],
)
def test_pinyin_matching(name: str, query: str, found: bool) -> None:
    assert matches_pinyin(name, query) is found


def test_what_counts_as_a_pinyin_query() -> None:
    assert pinyin_query("Zhang San") == "zhangsan"
    assert pinyin_query("zhang'san") == "zhangsan"
    assert pinyin_query("张三") is None
    assert pinyin_query("2021") is None


def test_search_with_filters(desk: Desk) -> None:
    add_cases(desk, 25)
    assert names(desk, "zhangs") == ["张申0", "张申10", "张申20"]
    assert names(desk, "张申") == ["张申0", "张申10", "张申20"]
    assert len(names(desk, "排水")) == 5  # the facts
    assert names(desk, "第1号") == ["张申0", "王申1"]  # the number of the first case, the facts of case 1
    assert names(desk, "zhangs", date_from=date.today() - timedelta(days=5)) == ["张申0"]
    assert names(desk, "zhangs", category="01") == ["张申0"]
    assert names(desk, "zhangs", category="02") == []
    assert count_matching(desk, SearchFilter(text="zs")) == 8
    assert count_matching(desk, SearchFilter(status=CaseStatus.ACCEPTED)) == 25
    assert count_matching(desk, SearchFilter(text="100%")) == 0  # LIKE's wildcards are plain text


def test_the_whole_list_packed_as_it_is_read(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    add_cases(desk, 25)
    monkeypatch.setattr("mediation_desk.store.queries.search.KEY_BATCH", 4)  # several batches
    for flt in (SearchFilter(), SearchFilter(text="zs"), SearchFilter(descending=False)):
        keys = search_keys(desk, flt)
        assert packed_keys(desk, flt) == pack_keys(keys)
        assert len(pack_keys(keys)) == 16 * len(keys)


def test_the_name_index_follows_a_rename(desk: Desk) -> None:
    register_case(
        desk,
        CaseInput(
            intake_date=date.today(),
            source=CaseSource.APPLICATION,
            category="02",
            parties=[PartyInput("张三", PartyRole.APPLICANT), PartyInput("李四", PartyRole.RESPONDENT)],
        ),
    )
    row = search_cases(desk, SearchFilter(text="zs"))[0]
    assert names(desk, "wdl") == []
    entries = [
        PartyEntry(None, PartyInput("王大力", PartyRole.APPLICANT)),
        PartyEntry(None, PartyInput("李四", PartyRole.RESPONDENT)),
    ]
    save_parties(desk, row.id, entries)
    assert names(desk, "wdl") == ["王大力"]
    assert names(desk, "zs") == []


def test_cases_list_search_on_the_command_line(desk: Desk, capsys: pytest.CaptureFixture[str]) -> None:
    add_cases(desk, 25)
    root: Path = desk.data_dir.root
    desk.close()
    from mediation_desk import cli

    code = cli.main(["--data-dir", str(root), "cases", "list", "--search", "zhangs", "--limit", "2", "--json"])
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["applicants"] for row in rows] == ["张申0", "张申10"]
    code = cli.main(["--data-dir", str(root), "cases", "list", "--category", "没有这类", "--json"])
    assert code == 1
    assert "未知的纠纷类型" in capsys.readouterr().err
