"""``print`` and ``verify`` on the command line: exit statuses and messages as scripts rely on them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mediation_desk import cli
from mediation_desk.services import agreements
from mediation_desk.services.desk import Actor, Desk
from tests.documents.conftest import FACTS, RARE_NAME, TERMS, conclude, make_case, run_tool


def test_the_command_line_prints_an_agreement_and_verifies_its_code(
    desk: Desk, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = make_case(desk)
    conclude(desk, made)
    root = desk.data_dir.root
    desk.close()
    output = tmp_path / "agreement.pdf"
    assert cli.main(["--data-dir", str(root), "print", "agreement", made.number, "-o", str(output)]) == 0
    printed = capsys.readouterr().out
    assert "已打印待签" in printed
    assert output.is_file()
    text = run_tool("pdftotext", "-enc", "UTF-8", str(output), "-")
    code = text.split("验证码：")[1].split()[0]
    assert cli.main(["--data-dir", str(root), "verify", code]) == 1  # printed, not yet registered as signed
    assert "尚未" in capsys.readouterr().err
    reopened = Desk.open(root, Actor.local_operator("test"), lock=True)
    try:
        assert made.agreement_id is not None
        agreements.mark_signed(reopened, made.agreement_id, date(2025, 3, 5))
    finally:
        reopened.close()
    assert cli.main(["--data-dir", str(root), "verify", code]) == 0
    shown = capsys.readouterr().out
    assert made.number in shown
    assert "2025-03-05" in shown
    assert RARE_NAME in shown
    reopened = Desk.open(root, Actor.local_operator("test"), lock=True)
    try:
        agreements.reissue_agreement(
            reopened,
            made.agreement_id,
            "条款有误",
            agreements.AgreementInput(FACTS, TERMS, "现金", "", date(2025, 4, 1)),
        )
    finally:
        reopened.close()
    assert cli.main(["--data-dir", str(root), "verify", code]) == 1
    assert f"{made.number}之二" in capsys.readouterr().err
    assert cli.main(["--data-dir", str(root), "verify", "ZZZZZ-ZZZZZ"]) == 1
    assert "没有" in capsys.readouterr().err
    assert cli.main(["--data-dir", str(root), "print", "cover", made.number, "-o", str(tmp_path / "x.txt")]) == 1
    assert ".pdf" in capsys.readouterr().err
    assert cli.main(["--data-dir", str(root), "print", "nonsense", made.number, "-o", str(output)]) == 2
