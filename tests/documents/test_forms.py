"""Every form printed from a case on a real desk: it opens, its text comes back (names, the case number, the
terms; a name outside the BMP too), every font is embedded, ``qpdf --check`` is clean; long cases paginate."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from mediation_desk.domain.codes import OutcomeKind, Performance
from mediation_desk.domain.errors import NotFound, ValidationError
from mediation_desk.services import agreements, cases
from mediation_desk.services.desk import Desk
from mediation_desk.services.printing import Form, PrintRequest, print_form, save_form
from tests.documents.conftest import (
    FACTS,
    RARE_NAME,
    TERMS,
    conclude,
    fonts_of,
    make_case,
    pdf_pages,
    pdf_text,
    qpdf_check,
)

RESPONDENT = "缙云县示例建材有限公司"


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _check(pdf: bytes, tmp_path: Path, *expected: str) -> str:
    assert pdf.startswith(b"%PDF-")
    assert pdf_pages(pdf, tmp_path) >= 1
    text = _flat(pdf_text(pdf))
    for piece in expected:
        assert _flat(piece) in text, piece
    rows = fonts_of(pdf, tmp_path)
    assert rows, "no fonts"
    for row in rows:
        assert row[-5:-2] == ["yes", "yes", "yes"], row  # emb sub uni
        assert "MediationDesk" in row[0], row
    qpdf_check(pdf, tmp_path)
    return text


def test_every_form_of_a_case_prints_with_its_names_number_and_text(desk: Desk, tmp_path: Path) -> None:
    made = make_case(desk)
    agreements.draft_agreement(
        desk, made.id, agreements.AgreementInput(FACTS, ["当场口头约定：互不追究。"], "当场履行", oral=True)
    )
    conclude(desk, made)
    cases.record_follow_up(
        desk,
        made.id,
        visited_on=date(2025, 3, 20),
        visited_party=RARE_NAME,
        performance=Performance.PERFORMED,
        visitor="王秀英",
        satisfaction="满意",
    )
    every = (made.number, RARE_NAME, RESPONDENT)
    expected: dict[Form, tuple[str, ...]] = {
        Form.AGREEMENT: (*every, "人民调解协议书", *TERMS, "经调解，双方自愿达成如下协议：", "本协议一式三份"),
        Form.ORAL_AGREEMENT: (*every, "口头调解协议登记表", "互不追究"),
        Form.APPLICATION: (RARE_NAME, RESPONDENT, "人民调解申请书", "请求被申请人赔偿茶苗损失"),
        Form.INTAKE: (*every, "人民调解受理登记表", "经当事人同意"),
        Form.RIGHTS: (*every, "人民调解权利义务告知书", "选择或者接受人民调解员"),
        Form.INVESTIGATION: (made.number, RARE_NAME, "调查记录", "查看茶苗受损情况"),
        Form.SESSION: (*every, "调解记录", "双方陈述意见"),
        Form.FOLLOW_UP: (made.number, RARE_NAME, "回访记录", "已履行"),
        Form.COVER: (*every, "人民调解卷宗", "卷内目录", "备考表", "当事人身份证明"),
    }
    for form, pieces in expected.items():
        target = tmp_path / f"{form.value}.pdf"
        printed = save_form(desk, PrintRequest(form, made.number), target)
        assert target.read_bytes() == printed.pdf
        _check(printed.pdf, tmp_path, *pieces)


def test_the_termination_notice_names_the_reason_and_the_routes(desk: Desk, tmp_path: Path) -> None:
    made = make_case(desk, draft=False)
    conclude(desk, made, OutcomeKind.TERMINATED, "申请人要求终止调解")
    pdf = print_form(desk, PrintRequest(Form.TERMINATION, made.number)).pdf
    _check(
        pdf, tmp_path, made.number, RARE_NAME, RESPONDENT, "终止调解告知书", "申请人要求终止调解", "仲裁、行政、司法"
    )


def test_the_cover_marks_what_the_file_lacks(desk: Desk, tmp_path: Path) -> None:
    made = make_case(desk)
    text = _check(print_form(desk, PrintRequest(Form.COVER, made.number)).pdf, tmp_path, made.number)
    assert "本卷缺少必备材料：当事人身份证明、调解协议书" in text  # the agreement is not signed yet


def test_six_parties_and_long_facts_print_every_copy_across_pages(desk: Desk, tmp_path: Path) -> None:
    facts = "\n".join([FACTS] * 8)
    made = make_case(desk, extra_parties=4, facts=facts)
    pdf = print_form(desk, PrintRequest(Form.AGREEMENT, made.number)).pdf
    pages = pdf_pages(pdf, tmp_path)
    assert pages % 7 == 0
    assert pages >= 14
    per_copy = pages // 7
    text = pdf_text(pdf)
    assert text.count("第1份 共7份") == per_copy
    assert text.count("第7份 共7份") == per_copy
    assert text.count(f"第1页 共{per_copy}页") == 7
    signed = [_flat(pdf_text_page(pdf, tmp_path, page)) for page in range(1, per_copy + 1)]
    with_signatures = [text for text in signed if "签名（盖章）" in text]
    assert len(with_signatures) == 1
    assert _flat(TERMS[-1]) in with_signatures[0], "the signatures stand without the last term"
    assert with_signatures[0].count("按指印") == 5 + 1  # a box for each of five people, and the sentence on effect
    assert "单位盖章" in with_signatures[0]


def pdf_text_page(pdf: bytes, tmp_path: Path, page: int) -> str:
    from tests.documents.conftest import run_tool

    path = tmp_path / "paged.pdf"
    path.write_bytes(pdf)
    return run_tool("pdftotext", "-f", str(page), "-l", str(page), "-enc", "UTF-8", str(path), "-")


def test_a_signature_table_that_spans_pages_repeats_its_header(desk: Desk, tmp_path: Path) -> None:
    made = make_case(desk, extra_parties=14)
    pdf = print_form(desk, PrintRequest(Form.AGREEMENT, made.number, copies=1)).pdf
    pages = pdf_pages(pdf, tmp_path)
    headed = [page for page in range(1, pages + 1) if "签名（盖章）" in pdf_text_page(pdf, tmp_path, page)]
    assert len(headed) >= 2, headed  # the table goes on over a page and its header comes again


@pytest.mark.parametrize("form", [Form.TERMINATION, Form.FOLLOW_UP])
def test_a_form_the_case_does_not_have_is_refused_with_a_message(desk: Desk, form: Form) -> None:
    made = make_case(desk)
    with pytest.raises((NotFound, ValidationError), match=r"没有|不是"):
        print_form(desk, PrintRequest(form, made.number))


def test_output_must_be_a_pdf_in_an_existing_folder(desk: Desk, tmp_path: Path) -> None:
    made = make_case(desk)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ValidationError, match=r"\.pdf"):
        save_form(desk, PrintRequest(Form.INTAKE, made.number), out / "intake.txt")
    with pytest.raises(NotFound, match="找不到输出文件夹"):
        save_form(desk, PrintRequest(Form.INTAKE, made.number), out / "missing" / "intake.pdf")
    assert not list(out.iterdir())
