"""人民调解协议书 (the written agreement, Art. 29) and 口头调解协议登记表 (the oral agreement register, Art. 28).

The agreement prints its N copies (one per party and one for the committee) in one PDF, each marked "第x份
共N份" and numbered "第x页 共y页" on its own. The last term, the manner and deadline of performance, the number of
copies, the signatures (one row per party: a person signs and thumbprints; an organisation's representative
signs and the organisation seals), the mediators' and the recorder's signatures, the committee's seal area and the
date are kept together, so the signatures never stand on a page without the terms above them. The verification
line (a short code, the longer code and a QR code, from the content hash) ends the text and the code is repeated
in each page's footer, so a page cannot be swapped unnoticed.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from mediation_desk.documents.blocks import (
    gap,
    heading,
    particulars,
    ruled_table,
)
from mediation_desk.documents.data import AgreementData
from mediation_desk.documents.pages import PageSetup, render
from mediation_desk.documents.signatures import SignatureBlock, Signer
from mediation_desk.documents.styles import (
    CELL,
    PLAIN,
    SMALL,
    TERM,
    TEXT,
    Bold,
    chinese_date,
    chinese_number,
    para,
    paragraphs,
)

AGREED = "经调解，双方自愿达成如下协议："
AGREED_MANY = "经调解，各方当事人自愿达成如下协议："
EFFECT = (
    "本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。"
    "当事人应当按照约定履行，不得擅自变更或者解除。"
)
TERM_NUMBERS = tuple("一二三四五六七八九十")


def numbered(terms: tuple[str, ...]) -> list[str]:
    """The terms as printed: ``一、…``, ``二、…`` (a term already numbered keeps its own number)."""
    result = []
    for index, term in enumerate(terms, 1):
        text = term.strip()
        already = text[:1] in TERM_NUMBERS and text[1:3].lstrip("十一二三四五六七八九")[:1] in ("、", "．")
        result.append(text if already else f"{chinese_number(index)}、{text}")
    return result


def performance_text(data: AgreementData) -> str:
    items = []
    if data.performance_manner:
        items.append(f"履行方式：{data.performance_manner}")
    if data.performance_place:
        items.append(f"履行地点：{data.performance_place}")
    if data.performance_deadline:
        items.append(f"履行期限：{chinese_date(data.performance_deadline)}前履行完毕")
    return "；".join(items) + "。" if items else "当场履行。"


def copies_text(data: AgreementData) -> str:
    org = data.case.org_name
    return f"本协议一式{chinese_number(data.copies)}份，当事人各执一份，{org}留存一份，具有同等效力。{EFFECT}"


def signature_block(data: AgreementData) -> SignatureBlock:
    """The parties' signatures, the mediators' and the recorder's, the seal area and the verification line."""
    case = data.case
    signers = [Signer(party.role, party.name, party.organisation) for party in case.parties]
    mediators = [("主持调解员", name) for name in case.presiding] + [("调解员", name) for name in case.assisting]
    mediators.append(("记录人", case.recorder))
    check = None if data.draft else data.verification
    return SignatureBlock(signers, mediators, case.org_name, data.effective_date, check)


def _body(data: AgreementData) -> list[Flowable]:
    """Everything above the last term."""
    case = data.case
    story: list[Flowable] = heading("人民调解协议书", number=data.number)
    if data.replaces:
        story.append(para(f"本协议书取代已作废的{data.replaces}协议书。", SMALL))
    for party in case.parties:
        story.append(para([Bold(f"{party.role}："), particulars(party)], TEXT))
    story.append(para([Bold("纠纷主要事实、争议事项及各方当事人责任：")], PLAIN))
    story += paragraphs(data.facts)
    story.append(para([Bold(AGREED if len(case.parties) <= 2 else AGREED_MANY)], PLAIN))
    return story


def copy_story(data: AgreementData) -> list[Flowable]:
    """The text of the agreement (the canvas writes it once per copy)."""
    terms = [para(term, TERM) for term in numbered(data.terms)]
    tail: list[Flowable] = [
        *terms[-1:],
        para([Bold("履行方式、地点和期限："), performance_text(data)], TEXT),
        para(copies_text(data), TEXT),
        gap(2),
        signature_block(data),
    ]
    return [*_body(data), *terms[:-1], KeepTogether(tail)]


def setup_for(data: AgreementData, title: str, copies: int) -> PageSetup:
    code = "" if data.draft or data.verification is None else f"验证码 {data.verification.code}"
    return PageSetup(
        title=f"{title} {data.number}",
        copies=copies,
        footer_left=code,
        footer_right=data.number,
        draft=data.draft,
        subject=data.case.case_number,
    )


def build_agreement(data: AgreementData, copies: int | None = None) -> bytes:
    """The agreement's PDF: ``copies`` (default: the agreement's own number of copies) in one file."""
    count = copies or data.copies
    return render(copy_story(data), setup_for(data, "人民调解协议书", count))


def build_oral_register(data: AgreementData) -> bytes:
    """口头调解协议登记表: the same content, filled in by the mediator (Art. 28)."""
    case = data.case
    mediators = "、".join(case.mediators)
    rows = [
        ["编号", data.number, "达成日期", chinese_date(data.effective_date)],
        ["调解组织", case.org_name, "案号", case.case_number],
        *[[party.role, particulars(party), "", ""] for party in case.parties],
        ["纠纷主要事实", data.facts, "", ""],
        ["协议内容", "\n".join(numbered(data.terms)), "", ""],
        ["履行方式和期限", performance_text(data), "", ""],
        ["调解员", mediators, "登记人", case.recorder],
        ["当事人确认（签名）", "", "", ""],
    ]
    first_full = 2
    spans = [((1, row), (3, row)) for row in range(first_full, len(rows) - 2)] + [
        ((1, len(rows) - 1), (3, len(rows) - 1))
    ]
    table = ruled_table(
        [[_multiline(value) for value in row] for row in rows],
        [0.16, 0.34, 0.12, 0.38],
        spans=spans,
        label_columns=(0, 2),
        heights=[None] * (len(rows) - 1) + [22 * mm],
    )
    story: list[Flowable] = [*heading("口头调解协议登记表", org_name=case.org_name), table, gap(6)]
    story.append(para(f"{case.org_name}（印章）　　　　{chinese_date(data.effective_date)}", PLAIN))
    return render(story, PageSetup(title=f"口头调解协议登记表 {data.number}", footer_right=data.number))


def _multiline(value: str) -> str | list[Flowable]:
    lines = [line for line in value.splitlines() if line.strip()]
    if len(lines) <= 1:
        return value
    return [para(line, CELL) for line in lines]
