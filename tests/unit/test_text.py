"""Text hygiene: control characters refused at every input, one spelling (NFC), and terminal output escaped."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from mediation_desk import cli
from mediation_desk.commands.output import json_text, table, width
from mediation_desk.domain.codes import CaseSource, OutcomeKind, PartyRole, UserRole
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.intake import CaseInput, PartyInput, clean_case
from mediation_desk.domain.text import clean_block, clean_line, json_visible, visible
from mediation_desk.services import cases, orgs
from mediation_desk.services.desk import Desk
from mediation_desk.services.ledger import LedgerInvalid, import_ledger
from mediation_desk.services.mediators import MediatorInput, add_mediator, assess_mediator, list_mediators
from mediation_desk.services.users import add_user, check_username
from mediation_desk.store.models import DisputeCase, SessionRecord
from tests.conftest import TEST_PASSWORD
from tests.unit.ledgers import row, write_csv

ESC = "\x1b"
TITLE_AND_CLEAR = "\x1b]0;被改掉的标题\x07\x1b[2J"  # what a cell once did to a terminal
INTAKE = date(2026, 3, 2)


def neighbours(**overrides: object) -> CaseInput:
    data = CaseInput(
        intake_date=INTAKE,
        source=CaseSource.APPLICATION,
        category="02",
        parties=[PartyInput("王小明", PartyRole.APPLICANT), PartyInput("赵小红", PartyRole.RESPONDENT)],
        facts="两家因共用通道堆放杂物发生争执",
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def case_count(desk: Desk) -> int:
    with desk.read() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(DisputeCase)) or 0)


# ---------------------------------------------------------------------------------------------------------------
# The cleaner


def test_control_character_message_names_the_field_and_the_character() -> None:
    with pytest.raises(ValidationError) as caught:
        clean_line(f"张{ESC}三", label="姓名", field="name")
    assert caught.value.message == "姓名含有不可见的控制字符（U+001B），请删除后重试"
    assert caught.value.field == "name"


@pytest.mark.parametrize(
    ("char", "fragment"),
    [
        ("\x00", "U+0000"),
        ("\x07", "U+0007"),
        ("\x7f", "U+007F"),
        ("\x85", "U+0085"),
        ("\x9b", "U+009B"),
        ("\u202e", "改变文字方向"),
        ("\u2066", "U+2066"),
        ("\u2069", "U+2069"),
        ("\ud800", "无效的字符"),
    ],
)
def test_every_kind_of_refused_character(char: str, fragment: str) -> None:
    for cleaner in (clean_line, clean_block):
        with pytest.raises(ValidationError, match=re.escape(fragment)):
            cleaner(f"李{char}四", label="姓名", field="name")


def test_controls_at_either_end_are_refused_not_trimmed_away() -> None:
    """``str.strip`` would silently drop U+001F and U+0085 at the ends; they are refused like any other."""
    for char in ("\x1f", "\x85", "\x1c"):
        with pytest.raises(ValidationError):
            clean_line(f"王五{char}", label="姓名", field="name")


def test_lines_are_trimmed_and_refuse_breaks_inside() -> None:
    assert clean_line(" \t王五\u3000\r\n", label="姓名", field="name") == "王五"
    with pytest.raises(ValidationError, match=r"只能写在一行内.*U\+000A"):
        clean_line("王\n五", label="姓名", field="name")
    with pytest.raises(ValidationError, match=r"U\+0009"):
        clean_line("王\t五", label="姓名", field="name")


def test_blocks_keep_newlines_and_tabs_and_end_crlf() -> None:
    assert (
        clean_block("第一行\r\n第二行\r第三行\n\t缩进", label="事实", field="facts") == "第一行\n第二行\n第三行\n\t缩进"
    )
    assert clean_block("  两端的空格留着 ", label="事实", field="facts") == "  两端的空格留着 "


def test_nfc_makes_one_spelling() -> None:
    decomposed = "Zhe\u0301ng"  # e + combining acute
    assert clean_line(decomposed, label="姓名", field="name") == "Zh\u00e9ng"
    assert clean_line("\uf900", label="姓名", field="name") == "\u8c48"  # a CJK compatibility ideograph
    assert clean_block(decomposed, label="事实", field="facts") == "Zh\u00e9ng"


# ---------------------------------------------------------------------------------------------------------------
# Where text comes in


def test_clean_case_refuses_controls_in_every_text_field() -> None:
    for key in ("facts", "requests", "notes", "title", "place", "referral_body", "recorder", "number"):
        with pytest.raises(ValidationError) as caught:
            clean_case(neighbours(**{key: f"文字{ESC}[2J"}), today=INTAKE)
        assert caught.value.field == key
        assert "U+001B" in caught.value.message
    for key in ("ethnicity", "id_number", "phone", "address", "occupation", "employer", "agent_name", "agent_phone"):
        data = neighbours()
        setattr(data.parties[1], key, f"文字{ESC}")
        with pytest.raises(ValidationError) as caught:
            clean_case(data, today=INTAKE)
        assert caught.value.field == key


def test_a_party_name_error_says_whose_name() -> None:
    data = neighbours()
    data.parties[1].name = f"赵{ESC}小红"
    with pytest.raises(ValidationError) as caught:
        clean_case(data, today=INTAKE)
    assert caught.value.message == "被申请人姓名（名称）含有不可见的控制字符（U+001B），请删除后重试"
    assert caught.value.field == "name"


def test_clean_case_normalises_names_and_line_breaks() -> None:
    data = clean_case(neighbours(facts="一\r\n二", place=" 村口 "), today=INTAKE)
    data.parties[0].name = " Zhe\u0301ng "
    clean_case(data, today=INTAKE)
    assert data.parties[0].name == "Zh\u00e9ng"
    assert (data.facts, data.place) == ("一\n二", "村口")


def test_register_case_refuses_and_stores_nothing(desk: Desk) -> None:
    with pytest.raises(ValidationError, match=r"U\+001B"):
        cases.register_case(desk, neighbours(facts=f"纠纷{TITLE_AND_CLEAR}"))
    assert case_count(desk) == 0


def test_records_and_outcomes_refuse_controls(desk: Desk) -> None:
    case = cases.register_case(desk, neighbours()).value
    held = datetime(2026, 3, 3, 9, tzinfo=UTC)
    with pytest.raises(ValidationError, match=r"调解记录内容.*U\+001B"):
        cases.record_session(desk, case.id, held_at=held, body=f"记录{ESC}")
    with pytest.raises(ValidationError, match="调查人"):
        cases.record_investigation(desk, case.id, held_at=held, investigator=f"甲{ESC}", interviewee="乙", body="问")
    with pytest.raises(ValidationError, match=r"原因.*U\+202E"):
        cases.conclude_case(desk, case.id, OutcomeKind.TERMINATED, on=INTAKE, reason="当事人\u202e撤回")
    record_id = cases.record_session(desk, case.id, held_at=held, body="第一次\r\n调解", place=" 村委会 ").value
    with desk.read() as session:
        record = session.get(SessionRecord, record_id)
        assert record is not None
        assert (record.body, record.place) == ("第一次\n调解", "村委会")


def test_refusal_reason_is_cleaned(desk: Desk) -> None:
    case = cases.register_case(desk, neighbours(accept=False)).value
    with pytest.raises(ValidationError, match="不予受理的理由"):
        cases.refuse_case(desk, case.id, f"理由{ESC}", on=INTAKE)


def test_mediator_roster_refuses_controls(desk: Desk) -> None:
    with pytest.raises(ValidationError, match="调解员姓名含有不可见的控制字符"):
        add_mediator(desk, MediatorInput(f"孙{ESC}主任"))
    with pytest.raises(ValidationError, match="备注"):
        add_mediator(desk, MediatorInput("孙主任", notes="\x9b"))
    mediator = add_mediator(desk, MediatorInput(" Zhe\u0301ng ")).value
    assert [m.name for m in list_mediators(desk)] == ["Zh\u00e9ng"]
    with pytest.raises(ValidationError, match="考核等次"):
        assess_mediator(desk, mediator.id, 2025, f"优秀{ESC}")


def test_organisation_files_refuse_controls_by_line_and_fold_codes() -> None:
    text = "code,name,level,parent_code\n331122001,五云街道,township,\n331122001002,坑\x1b村,village,331122001\n"
    with pytest.raises(ValidationError) as caught:
        orgs.parse_org_rows(text)
    assert caught.value.message == "第 3 行：组织名称含有不可见的控制字符（U+001B），请删除后重试"
    rows = orgs.parse_org_rows("code,name,level,parent_code\n３３１１２２００１００２,坑沿村,village,331122001\n")
    assert (rows[0].code, rows[0].name) == ("331122001002", "坑沿村")
    with pytest.raises(ValidationError, match="6–15 位数字"):
        orgs.parse_org_rows("code,name,level,parent_code\n٣٣١١٢٢٠٠١٠٠٢,坑沿村,village,331122001\n")


def test_case_prefix_refuses_controls(desk: Desk) -> None:
    with pytest.raises(ValidationError, match="案号字头"):
        orgs.set_case_prefix(desk, "331122001001", f"缙{ESC}五")


def test_user_names_refuse_controls(desk: Desk) -> None:
    with pytest.raises(ValidationError, match="用户名含有不可见的控制字符"):
        check_username(f"clerk{ESC}")
    with desk.read() as session, pytest.raises(ValidationError, match="显示名称"):
        add_user(session, "clerk", TEST_PASSWORD, UserRole.MEDIATOR, display_name=f"文书{ESC}")


def test_ledger_names_the_row_and_column(desk: Desk, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", [row(纠纷简要情况="好的一行"), row(申请人=f"张{ESC}三")])
    with pytest.raises(LedgerInvalid) as caught:
        import_ledger(desk, path)
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "申请人")]
    assert "U+001B" in caught.value.errors[0].reason
    assert case_count(desk) == 0


# ---------------------------------------------------------------------------------------------------------------
# What goes out


def test_visible_shows_every_control_as_an_escape() -> None:
    assert visible(TITLE_AND_CLEAR) == "\\x1b]0;被改掉的标题\\x07\\x1b[2J"
    assert visible("a\rb\x9bc\u202ed\ud800") == "a\\x0db\\x9bc\\u202ed\\ud800"
    assert visible("两行\n\t缩进") == "两行\n\t缩进"
    assert visible("两行\n\t缩进", line_breaks=False) == "两行\\x0a\\x09缩进"
    assert visible("张三 李四") == "张三 李四"


def test_json_keeps_the_value_and_escapes_what_json_dumps_leaves_raw() -> None:
    value = {"name": "张\x1b三\x7f\x85\u202e\u2066", "plain": "李四"}
    text = json_text(value)
    assert json.loads(text) == value
    assert not any(char in text for char in "\x1b\x7f\x85\u202e\u2066")
    assert json_visible('"a"') == '"a"'


def test_table_cells_stay_on_their_line_and_aligned() -> None:
    lines = table(["案号", "结果"], [["一\n二", "成功"], [f"甲{ESC}乙", "终止"]])
    assert len(lines) == 3
    assert lines[1].startswith("一\\x0a二")
    assert ESC not in "".join(lines)
    assert lines[1].index("成功") == lines[2].index("终止") or width(lines[1]) == width(lines[2])


def _poison(root: Path) -> None:
    """Stored data from before the input checks: control characters written into the database directly."""
    connection = sqlite3.connect(root / "mediation-desk.sqlite3")
    try:
        connection.execute("UPDATE party SET name = ? WHERE position = 0", (f"王{TITLE_AND_CLEAR}小明",))
        connection.execute("UPDATE dispute_case SET facts = ?, notes = ?", ("事实\x9b2J\u202e反转", "备注\r覆盖"))
        connection.commit()
    finally:
        connection.close()


def test_cases_show_escapes_stored_controls(desk: Desk, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    number = cases.register_case(desk, neighbours()).value.number
    desk.close()
    _poison(data_dir)
    for args in (["cases", "show", number], ["cases", "list"]):
        code = cli.main(["--data-dir", str(data_dir), *args])
        out = capsys.readouterr().out
        assert code == 0
        assert not any(char in out for char in "\x1b\x07\x9b\u202e\r"), out
    assert cli.main(["--data-dir", str(data_dir), "cases", "show", number]) == 0
    out = capsys.readouterr().out
    assert "王\\x1b]0;被改掉的标题\\x07\\x1b[2J小明" in out
    assert "备注：备注\\x0d覆盖" in out

    assert cli.main(["--data-dir", str(data_dir), "cases", "show", number, "--json"]) == 0
    out = capsys.readouterr().out
    assert not any(char in out for char in "\x1b\x07\x9b\u202e\r")
    shown = json.loads(out)
    assert shown["parties"][0]["name"] == f"王{TITLE_AND_CLEAR}小明"
    assert shown["facts"] == "事实\x9b2J\u202e反转"


def test_error_lines_that_echo_input_are_escaped(
    data_dir: Path, desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    desk.close()
    code = cli.main(["--data-dir", str(data_dir), "cases", "show", f"(2026){TITLE_AND_CLEAR}第1号"])
    err = capsys.readouterr().err
    assert code == 1
    assert ESC not in err
    assert "\\x1b]0;" in err


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["cases", "list", "--status", TITLE_AND_CLEAR], 1),  # an unknown status: the program's own message
        (["cases", f"show{TITLE_AND_CLEAR}"], 2),  # an unknown command word: argparse quotes it
        (["stats", f"--from{TITLE_AND_CLEAR}"], 2),  # an unknown option
    ],
)
def test_errors_that_echo_the_command_line_are_escaped(
    data_dir: Path, args: list[str], status: int, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["--data-dir", str(data_dir), *args])
    err = capsys.readouterr().err
    assert code == status
    assert ESC not in err
    assert "\x07" not in err
    assert "\\x1b" in err
