"""``stats`` and ``stats check`` on the command line: the JSON contract, the basis, the exit statuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mediation_desk import cli
from tests.stats.county import EXPECTED_2024_CLOSING, EXPECTED_2024_INTAKE, VILLAGE_A1

CONTRACT = {"cases", "successful", "success_rate", "failed", "terminated", "written_agreements", "oral_agreements",
            "amount_yuan", "persons", "group_cases"}  # fmt: skip
YEAR = ("--from", "2024-01-01", "--to", "2024-12-31")


def _run(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(["--data-dir", str(root), "stats", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_keeps_the_contract_and_says_its_basis(county_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, county_root, *YEAR, "--json")
    assert code == 0, err
    report: dict[str, Any] = json.loads(out)
    assert set(report["totals"]) >= CONTRACT
    assert {"by_category", "by_source", "by_org", "by_subtype", "by_month", "org_tree", "screening"} <= set(report)
    for key in ("by_category", "by_source", "by_org"):
        assert all(set(group) >= CONTRACT for group in report[key])
    assert report["totals"] == EXPECTED_2024_INTAKE
    assert (report["scope"]["basis"], report["scope"]["basis_name"]) == ("intake", "受理日期")
    code, out, _err = _run(capsys, county_root, *YEAR, "--basis", "closing", "--json")
    closing = json.loads(out)
    assert closing["totals"] == EXPECTED_2024_CLOSING
    assert closing["scope"]["period_basis"] == "closing_date"
    code, out, _err = _run(capsys, county_root, *YEAR, "--by", "mediator", "--json")
    assert {row["name"] for row in json.loads(out)["by_mediator"]} == {"钱一", "钱二", "钱三", "钱四"}


def test_text_by_each_grouping(county_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(capsys, county_root, *YEAR)
    assert code == 0
    assert "受理纠纷 7 件" in out
    assert "成功率 60.00%" in out
    assert "按受理日期" in out
    assert "按纠纷类型：" in out
    assert "按组织：" in out
    code, out, _err = _run(capsys, county_root, *YEAR, "--by", "month", "--basis", "closing")
    assert "按月份：" in out
    assert "2024年1月" in out
    assert "按纠纷类型：" not in out
    assert "按结案日期" in out
    code, out, _err = _run(capsys, county_root, *YEAR, "--by", "mediator")
    assert "按调解员：" in out
    assert "钱二" in out
    assert "11.5" in out


def test_check_exit_status_and_json(county_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, county_root, "check", *YEAR, "--json")
    assert code == 1
    report = json.loads(out)
    assert (report["ok"], report["total"]) == (False, 2)
    assert {issue["rule"] for issue in report["issues"]} == {"amount_without_agreement", "open_without_session"}
    assert err.strip().startswith("数据质量检查发现 2 个问题")
    code, out, err = _run(
        capsys, county_root, "check", "--from", "2023-01-01", "--to", "2023-12-31", "--org", VILLAGE_A1
    )
    assert (code, err) == (0, "")
    assert out.strip() == "数据质量检查：未发现问题"
    code, out, _err = _run(capsys, county_root, "check", *YEAR)
    assert "[超期未调解]" in out
    assert "[有金额无协议]" in out


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--xlsx", "a.xlsx"),
        ("--by", "township"),
        ("--basis", "decided"),
        ("--json", "--pdf", "a.pdf"),
        ("verify",),
    ],
)
def test_wrong_usage(county_root: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    code, out, err = _run(capsys, county_root, *args)
    assert code == 2
    assert out == ""
    assert err


def test_user_errors(county_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, county_root, "--pdf", str(tmp_path / "nowhere" / "r.pdf"))
    assert (code, out) == (1, "")
    assert "文件夹不存在" in err
    assert err.count("\n") == 1
    code, _out, err = _run(capsys, county_root, "--from", "2024-05-01", "--to", "2024-04-01")
    assert code == 1
    assert "截止日期" in err
    code, _out, err = _run(capsys, county_root, "check", "--org", "999999")
    assert code == 1
    assert "999999" in err
