"""The agreement's life: refused for signing while an Art. 29 element is empty; printed, signed, frozen; voided
and reissued; attached scan; and verification of its code (current, not signed, voided, unknown, ambiguous)."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from mediation_desk.documents.verification import code_symbols, normalise_code
from mediation_desk.domain.codes import AgreementState
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.permissions import Permission
from mediation_desk.services import agreements
from mediation_desk.services.desk import Desk
from mediation_desk.services.printing import Form, PrintRequest, Verdict, print_form, verify
from mediation_desk.store.models import Agreement, Party
from tests.documents.conftest import FACTS, TERMS, conclude, make_case, pdf_text


def _input(**changes: object) -> agreements.AgreementInput:
    values: dict[str, object] = {
        "facts": FACTS,
        "terms": TERMS,
        "performance_manner": "银行转账",
        "performance_place": "示例村村民委员会",
        "performance_deadline": date(2025, 3, 15),
    }
    values.update(changes)
    return agreements.AgreementInput(**values)  # type: ignore[arg-type]


def _signed(desk: Desk) -> tuple[str, uuid.UUID, str]:
    """A case whose agreement is printed and signed: (case number, agreement id, printed code)."""
    made = make_case(desk)
    assert made.agreement_id is not None
    print_form(desk, PrintRequest(Form.AGREEMENT, made.number))
    conclude(desk, made)
    signed = agreements.mark_signed(desk, made.agreement_id, date(2025, 3, 5)).value
    return made.number, made.agreement_id, signed.code


def test_printing_for_signing_is_refused_while_an_art_29_element_is_empty(desk: Desk) -> None:
    made = make_case(desk)
    assert made.agreement_id is not None
    agreements.update_agreement(desk, made.agreement_id, _input(performance_deadline=None, terms=[]))
    with pytest.raises(ValidationError, match="第二十九条") as refused:
        print_form(desk, PrintRequest(Form.AGREEMENT, made.number))
    assert "协议内容（条款）" in refused.value.message
    assert "履行期限" in refused.value.message
    assert agreements.agreements_of_case(desk, made.number)[0].state is AgreementState.DRAFT
    with desk.write("test.party", Permission.EDIT_CASE) as work:
        company = work.session.scalar(sa.select(Party).where(Party.name == "缙云县示例建材有限公司"))
        assert company is not None
        company.representative = ""
    agreements.update_agreement(desk, made.agreement_id, _input())
    with pytest.raises(ValidationError, match="被申请人“缙云县示例建材有限公司”的法定代表人"):
        print_form(desk, PrintRequest(Form.AGREEMENT, made.number))


def test_a_draft_prints_for_checking_without_a_code_or_a_change(desk: Desk) -> None:
    made = make_case(desk)
    printed = print_form(desk, PrintRequest(Form.AGREEMENT, made.number, draft=True))
    text = pdf_text(printed.pdf)
    assert "草稿" in text
    assert "验证码" not in text
    info = agreements.agreements_of_case(desk, made.number)[0]
    assert info.state is AgreementState.DRAFT
    assert info.content_hash is None


def test_print_sign_and_the_content_is_frozen(desk: Desk) -> None:
    made = make_case(desk)
    assert made.agreement_id is not None
    printed = print_form(desk, PrintRequest(Form.AGREEMENT, made.number))
    assert printed.state == AgreementState.PRINTED.label
    info = agreements.agreements_of_case(desk, made.number)[0]
    assert info.copies == 3
    assert info.content_hash
    assert len(info.code) == 11
    assert info.code in pdf_text(printed.pdf)
    edited = agreements.update_agreement(desk, made.agreement_id, _input(performance_place="村委会")).value
    assert edited.state is AgreementState.DRAFT
    assert edited.content_hash is None
    with pytest.raises(ValidationError, match="请先打印"):
        agreements.mark_signed(desk, made.agreement_id, date(2025, 3, 5))
    print_form(desk, PrintRequest(Form.AGREEMENT, made.number))
    signed = agreements.mark_signed(desk, made.agreement_id, date(2025, 3, 5)).value
    assert signed.state is AgreementState.SIGNED
    assert signed.effective_date == date(2025, 3, 5)
    with pytest.raises(agreements.AgreementFrozen):
        agreements.update_agreement(desk, made.agreement_id, _input(terms=["改过的条款"]))

    def tamper() -> None:
        with desk.write("test.tamper", Permission.EDIT_CASE) as work:
            row = work.session.get(Agreement, made.agreement_id)
            assert row is not None
            row.terms = ["私自改过的条款"]

    with pytest.raises(agreements.AgreementFrozen):
        tamper()
    again = print_form(desk, PrintRequest(Form.AGREEMENT, made.number))
    assert signed.code in pdf_text(again.pdf)
    assert agreements.agreements_of_case(desk, made.number)[0].terms == TERMS


def test_a_change_after_signing_voids_and_reissues_a_new_numbered_agreement(desk: Desk) -> None:
    number, agreement_id, code = _signed(desk)
    with pytest.raises(ValidationError, match="原因"):
        agreements.reissue_agreement(desk, agreement_id, " ", _input())
    new = agreements.reissue_agreement(
        desk, agreement_id, "赔偿金额写错", _input(terms=[*TERMS[:2], "另补偿误工费200元。"])
    ).value
    assert new.number == f"{number}之二"
    assert new.replaces == number
    assert new.state is AgreementState.DRAFT
    both = agreements.agreements_of_case(desk, number)
    assert [item.state for item in both] == [AgreementState.VOID, AgreementState.DRAFT]
    assert both[0].void_reason == "赔偿金额写错"
    assert both[0].replaced_by == new.number
    text = pdf_text(print_form(desk, PrintRequest(Form.AGREEMENT, number)).pdf)
    assert f"{number}之二" in text
    assert "取代" in text
    assert "另补偿误工费200元" in text
    voided = verify(desk, code)
    assert voided.verdict is Verdict.VOID
    assert not voided.genuine
    assert "赔偿金额写错" in voided.message
    assert f"{number}之二" in voided.message


def test_verify_tells_current_not_signed_and_unknown_codes(desk: Desk) -> None:
    number, _agreement_id, code = _signed(desk)
    current = verify(desk, code.lower().replace("-", " "))
    assert current.genuine
    assert current.number == number
    assert current.effective_date == date(2025, 3, 5)
    assert current.parties[0] == "张𠈌明"
    assert not current.altered
    other = make_case(desk)
    print_form(desk, PrintRequest(Form.AGREEMENT, other.number))
    printed_only = verify(desk, agreements.agreements_of_case(desk, other.number)[0].code)
    assert printed_only.verdict is Verdict.NOT_SIGNED
    assert not printed_only.genuine
    unknown = verify(desk, "ABCDE-FGHJK")
    assert unknown.verdict is Verdict.UNKNOWN
    assert "没有" in unknown.message
    with pytest.raises(ValidationError, match="0、O、1、I"):
        normalise_code("0OIL1-ABCDE")


def test_a_party_changed_after_signing_shows_and_stops_a_reprint(desk: Desk) -> None:
    number, _agreement_id, code = _signed(desk)
    with desk.write("test.party", Permission.EDIT_CASE) as work:
        party = work.session.scalar(sa.select(Party).where(Party.name == "张𠈌明"))
        assert party is not None
        party.address = "浙江省缙云县新建镇"
    assert verify(desk, code).altered
    with pytest.raises(ValidationError, match="作废并重新出具"):
        print_form(desk, PrintRequest(Form.AGREEMENT, number))


def test_codes_grow_until_unique_and_a_shared_short_code_asks_for_the_longer_one(desk: Desk) -> None:
    number, agreement_id, code = _signed(desk)
    with desk.read() as session:
        row = session.get(Agreement, agreement_id)
        assert row is not None
        assert row.content_hash is not None
        own = row.content_hash
    twin_hash = own[:13] + ("0" if own[13] != "0" else "1") + own[14:]  # the same first 52 bits, then different
    assert code_symbols(twin_hash)[:10] == code_symbols(own)[:10]
    other = make_case(desk)
    with desk.write("test.twin", Permission.EDIT_CASE) as work:
        twin = work.session.get(Agreement, other.agreement_id)
        assert twin is not None
        twin.content_hash = twin_hash
        twin.state = AgreementState.PRINTED
    longer = agreements.agreements_of_case(desk, number)[0].code
    assert len(longer.replace("-", "")) > 10
    assert longer.replace("-", "").startswith(code.replace("-", "")[:10])
    shared = verify(desk, code.replace("-", "")[:10])
    assert shared.verdict is Verdict.AMBIGUOUS
    assert "完整校验码" in shared.message
    assert verify(desk, agreements.agreements_of_case(desk, number)[0].code).genuine


def test_a_scan_of_the_signed_paper_is_attached(desk: Desk, tmp_path: Path) -> None:
    made = make_case(desk)
    assert made.agreement_id is not None
    scan = tmp_path / "signed.pdf"
    scan.write_bytes(b"%PDF-1.4 scanned signed paper")
    with pytest.raises(ValidationError, match="尚未签署"):
        agreements.attach_scan(desk, made.agreement_id, scan)
    _number, agreement_id, _code = _signed(desk)
    attached = agreements.attach_scan(desk, agreement_id, scan).value
    assert attached.scan_attachment_id is not None
    assert attached.state is AgreementState.SIGNED


def test_voiding_needs_the_office_role(desk: Desk) -> None:
    from mediation_desk.domain.codes import UserRole
    from mediation_desk.domain.errors import PermissionDenied
    from mediation_desk.services.desk import Actor

    _number, agreement_id, _code = _signed(desk)
    village = Desk(desk.database, Actor("mediator", UserRole.MEDIATOR))
    with pytest.raises(PermissionDenied):
        agreements.void_agreement(village, agreement_id, "写错了")
    assert agreements.void_agreement(desk, agreement_id, "写错了").value.state is AgreementState.VOID
