"""The ``keys`` and ``sync`` words of the command line: what they print, when ``keys trust`` asks, exit statuses."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.sync.test_cli_county import Cli
from tests.sync.test_desk_support import TOWNSHIP, VILLAGES
from tests.unit.ledgers import random_ledger, write_csv


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    run = Cli(tmp_path, capsys)
    run("village", "init", "--org", VILLAGES[0][0], "--name", VILLAGES[0][1], "--level", "village",
        "--parent", TOWNSHIP[0], "--admin", "admin", "--password-file", run.password)  # fmt: skip
    run("township", "init", "--org", TOWNSHIP[0], "--name", TOWNSHIP[1], "--level", "township",
        "--parent", "331122", "--admin", "admin", "--password-file", run.password)  # fmt: skip
    run("village", "keys", "export", run.file("village.pub"))
    run("township", "keys", "export", run.file("township.pub"))
    return run


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_keys_show_prints_the_fingerprint_in_groups(run: Cli) -> None:
    out, _ = run("village", "keys", "show")
    info = run.json("village", "keys", "show", "--json")
    groups = info["fingerprint_groups"].split()
    assert len(groups) == 16
    assert " ".join(groups[:4]) in out
    assert VILLAGES[0][1] in out
    assert info["role"] == "village"
    assert info["trusted"] == []


def test_keys_trust_asks_on_a_terminal_and_not_when_piped(run: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal("n\n"))
    out, err = run("township", "keys", "trust", run.file("village.pub"), expect=1)
    assert "确认信任？[y/N]" in out
    assert "未信任" in err
    assert run.json("township", "keys", "show", "--json")["trusted"] == []
    monkeypatch.setattr("sys.stdin", _Terminal("y\n"))
    out, _ = run("township", "keys", "trust", run.file("village.pub"))
    assert "已信任" in out
    assert "签发证书" in out
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # piped: no question
    out, _ = run("village", "keys", "trust", run.file("township.pub"))
    assert "确认信任" not in out
    assert "已信任" in out
    out, _ = run("village", "keys", "trust", run.file("township.pub"), "--yes")
    assert "未作改动" in out
    trusted = run.json("township", "keys", "show", "--json")["trusted"]
    assert [peer["org"] for peer in trusted] == [VILLAGES[0][0]]


def test_a_bad_key_file_is_one_clear_line(run: Cli) -> None:
    bad = run.file("bad.pub")
    bad.write_text('{"format":"something else"}\n', encoding="utf-8")
    _, err = run("township", "keys", "trust", bad, "--yes", expect=1)
    assert err.strip().startswith("错误：")
    assert len(err.strip().splitlines()) == 1
    assert "公钥文件" in err


def test_export_identity_warns_and_exports_only_once(run: Cli) -> None:
    out, err = run("township", "keys", "export-identity", run.file("identity.txt"))
    assert "已写出" in out
    assert "警告" in err
    assert "AGE-SECRET-KEY-1" in run.file("identity.txt").read_text(encoding="utf-8")
    _, err = run("township", "keys", "export-identity", run.file("identity.txt"), expect=1)
    assert "已存在" in err


def test_sync_words_report_and_exit_as_the_contract_says(run: Cli) -> None:
    _, err = run("village", "sync", "export", "--to", TOWNSHIP[0], "-o", run.file("v.mdsync"), expect=1)
    assert "keys trust" in err  # not trusted yet
    run("village", "keys", "trust", run.file("township.pub"), "--yes")
    run("township", "keys", "trust", run.file("village.pub"), "--yes")
    run("village", "ledger", "import", write_csv(run.file("ledger.csv"), random_ledger(3, seed=71)))
    summary = run.json("village", "sync", "export", "--to", TOWNSHIP[0], "-o", run.file("v.mdsync"), "--json")
    assert summary["tables"]["dispute_case"] == 3
    assert summary["to"]["org"] == TOWNSHIP[0]
    preview, _ = run("township", "sync", "import", run.file("v.mdsync"), "--dry-run")
    assert "试运行" in preview
    assert "案件：新建 3" in preview
    assert run.json("township", "sync", "status", "--json")["peers"][0]["files"] == 0
    report = run.json("township", "sync", "import", run.file("v.mdsync"), run.file("v.mdsync"), "--json")
    assert [item["already_imported"] for item in report["files"]] == [False, True]
    missing = run.json("township", "sync", "import", run.file("nothing.mdsync"), "--json", expect=1)
    assert missing["files"][0]["messages"][0]["code"] == "unreadable"
    status, _ = run("township", "sync", "status")
    assert VILLAGES[0][1] in status
    assert "本月未报" in status
    assert json.loads(run("township", "sync", "conflicts", "--json")[0]) == {"conflicts": []}
    assert "没有未解决的冲突" in run("township", "sync", "conflicts")[0]
    _, err = run("township", "sync", "resolve", "7", expect=2)
    assert "--take" in err
    _, err = run("township", "sync", "resolve", "7", "--take", "x:1", expect=1)
    assert "没有编号为 7" in err or "修订编号" in err


def test_a_new_identity_on_the_command_line(run: Cli) -> None:
    before = run.json("village", "keys", "show", "--json")
    out, _ = run("village", "keys", "new-identity", "--yes")
    after = run.json("village", "keys", "show", "--json")
    assert after["device"] != before["device"]
    assert after["device"] in out
    assert "keys trust" in out
