"""The Ministry's other forms (2010 formats): 人民调解申请书, 人民调解受理登记表, 人民调解权利义务告知书, 调查记录,
调解记录, 回访记录 and 终止调解告知书 (no national form: the content Art. 26 requires)."""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from mediation_desk.documents.blocks import (
    Cell,
    ThumbBox,
    gap,
    heading,
    particulars,
    plain_table,
    ruled_table,
    signatures_with_date,
)
from mediation_desk.documents.data import (
    CaseData,
    FollowUpData,
    InvestigationData,
    SessionData,
    TerminationData,
)
from mediation_desk.documents.pages import PageSetup, render
from mediation_desk.documents.styles import (
    CELL,
    FRAME_WIDTH,
    PLAIN,
    RIGHT_TEXT,
    TEXT,
    Bold,
    chinese_date,
    chinese_time,
    para,
    paragraphs,
)

RIGHTS_PREAMBLE = (
    "根据《中华人民共和国人民调解法》的规定，人民调解委员会调解民间纠纷，在当事人自愿、平等的基础上进行调解，"
    "不违背法律、法规和国家政策，尊重当事人的权利，不因调解而阻止当事人依法通过仲裁、行政、司法等途径维护自己的"
    "权利（第三条）；调解民间纠纷，不收取任何费用（第四条）。现将当事人在人民调解活动中享有的权利和承担的义务告知如下："
)
RIGHTS = (
    "一、当事人享有下列权利（第二十三条）：（一）选择或者接受人民调解员；（二）接受调解、拒绝调解或者要求终止调解；"
    "（三）要求调解公开进行或者不公开进行；（四）自主表达意愿、自愿达成调解协议。",
    "二、当事人应当履行下列义务（第二十四条）：（一）如实陈述纠纷事实；（二）遵守调解现场秩序，尊重人民调解员；"
    "（三）尊重对方当事人行使权利。",
    "三、人民调解员应当回避的，当事人可以要求其回避；经调解达成的调解协议具有法律约束力，当事人应当按照约定履行；"
    "经人民调解委员会调解达成调解协议后，双方当事人认为有必要的，可以自调解协议生效之日起三十日内共同向人民法院"
    "申请司法确认（第三十三条）。",
)
ROUTES = "当事人可以依法通过仲裁、行政、司法等途径维护自己的权利。"


def _setup(title: str, case: CaseData) -> PageSetup:
    return PageSetup(title=f"{title} {case.case_number}", footer_right=case.case_number, subject=case.org_name)


def _party_lines(case: CaseData, roles: tuple[str, ...] = ("申请人", "被申请人", "第三人")) -> list[Flowable]:
    return [
        para([Bold(f"{party.role}："), particulars(party)], TEXT)
        for role in roles
        for party in case.parties
        if party.role == role
    ]


def _seal_line(case: CaseData, day: date | None) -> Flowable:
    return KeepTogether([gap(8), para(f"{case.org_name}（印章）", RIGHT_TEXT), para(chinese_date(day), RIGHT_TEXT)])


def build_application(case: CaseData) -> bytes:
    """人民调解申请书: the parties, the facts, the requests, the declaration, the applicants' signatures."""
    story: list[Flowable] = [*heading("人民调解申请书"), *_party_lines(case)]
    story.append(para([Bold("纠纷简要情况：")], PLAIN))
    story += paragraphs(case.facts or "（未填写）")
    story.append(para([Bold("申请事项：")], PLAIN))
    story += paragraphs(case.requests or "请求人民调解委员会依法调解。")
    applicants = [party for party in case.parties if party.role == "申请人"]
    story.append(para(f"申请人自愿申请{case.org_name}调解上述纠纷，保证所述情况属实。", TEXT))
    story += [para("此致", TEXT), para(case.org_name, PLAIN), gap(6)]
    rows = [
        [para([Bold("申请人（签名或按指印）："), party.name], CELL), ThumbBox("按指印", 14 * mm)]
        for party in applicants
    ]
    signing = plain_table(rows, [FRAME_WIDTH * 0.75, FRAME_WIDTH * 0.25], [("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    story.append(KeepTogether([signing, gap(4), para(chinese_date(case.intake_date), RIGHT_TEXT)]))
    return render(story, _setup("人民调解申请书", case))


def build_intake(case: CaseData) -> bytes:
    """人民调解受理登记表."""
    applicants, respondents = case.names("申请人"), case.names("被申请人")
    consent = f"经当事人同意，本委员会受理{applicants}与{respondents}之间的{case.category}，进行调解。"
    source = case.source + (f"（{case.referral_body}）" if case.referral_body else "")
    parties: list[list[Cell]] = [[party.role, particulars(party), "", ""] for party in case.parties]
    rows: list[list[Cell]] = [
        ["受理日期", chinese_date(case.intake_date), "编号", case.case_number],
        ["纠纷类型", case.category, "案件来源", source],
        *parties,
        ["受理意见", consent, "", ""],
        ["纠纷简要情况", paragraphs(case.facts, CELL) or "（未填写）", "", ""],
        ["当事人签名", "", "", ""],
        ["登记人", case.registrar or case.recorder, "人民调解委员会（盖章）", ""],
    ]
    spans = [((1, row), (3, row)) for row in range(2, len(rows) - 1)]
    heights: list[float | None] = [None] * (len(rows) - 2) + [20 * mm, 24 * mm]
    table = ruled_table(rows, [0.14, 0.34, 0.14, 0.38], spans=spans, label_columns=(0, 2), heights=heights)
    story: list[Flowable] = [*heading("人民调解受理登记表", org_name=case.org_name), table]
    return render(story, _setup("人民调解受理登记表", case))


def build_rights_notice(case: CaseData) -> bytes:
    """人民调解权利义务告知书 (Art. 3, 4, 23, 24 and 33), with a signature line for every party."""
    names = "、".join(party.name for party in case.parties)
    story: list[Flowable] = [*heading("人民调解权利义务告知书", org_name=case.org_name, number=case.case_number)]
    story += [para(f"{names}：", PLAIN), para(RIGHTS_PREAMBLE, TEXT), *[para(item, TEXT) for item in RIGHTS]]
    story.append(para("以上内容已向本人告知，本人已知悉。", TEXT))
    story.append(signatures_with_date([f"{party.role} {party.name}" for party in case.parties]))
    story.append(_seal_line(case, case.intake_date))
    return render(story, _setup("人民调解权利义务告知书", case))


def _record_head(case: CaseData, title: str, rows: list[list[Cell]]) -> list[Flowable]:
    table = ruled_table(rows, [0.16, 0.34, 0.16, 0.34], spans=_full_rows(rows), label_columns=(0, 2))
    return [*heading(title, org_name=case.org_name, number=case.case_number), table, gap(3)]


def _full_rows(rows: list[list[Cell]]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    return [((1, index), (3, index)) for index, row in enumerate(rows) if row[2] == "" and row[3] == ""]


def build_investigation(record: InvestigationData) -> bytes:
    """调查记录."""
    case = record.case
    rows: list[list[Cell]] = [
        ["调查时间", chinese_time(record.held_at), "调查地点", record.place],
        ["调查人", record.investigator, "被调查人", record.interviewee],
        ["记录人", record.recorder, "案由", case.category],
    ]
    story = _record_head(case, "调查记录", rows)
    story += [para([Bold("调查内容：")], PLAIN), *paragraphs(record.body)]
    story.append(para("以上记录经被调查人核对无误。", TEXT))
    story.append(signatures_with_date(["被调查人", "调查人", "记录人"]))
    return render(story, _setup("调查记录", case))


def build_session(record: SessionData) -> bytes:
    """调解记录: time, place, matter, participants, parties, what was said, the result, signatures, seal."""
    case = record.case
    rows: list[list[Cell]] = [
        ["调解时间", chinese_time(record.held_at), "调解地点", record.place],
        ["调解事项", record.matter or case.category, "", ""],
        ["当事人", "、".join(party.name for party in case.parties), "", ""],
        ["参加人", record.participants or "、".join(case.mediators), "", ""],
        ["调解员", "、".join(case.mediators), "记录人", record.recorder or case.recorder],
    ]
    story = _record_head(case, "调解记录", rows)
    story += [para([Bold("调解情况：")], PLAIN), *paragraphs(record.body)]
    if record.result:
        story += [para([Bold("调解结果：")], PLAIN), *paragraphs(record.result)]
    signers = [f"{party.role} {party.name}" for party in case.parties] + ["调解员", "记录人"]
    last = story.pop()
    story.append(KeepTogether([last, signatures_with_date(signers), _seal_line(case, record.held_at.date())]))
    return render(story, _setup("调解记录", case))


def build_follow_up(record: FollowUpData) -> bytes:
    """回访记录 (Art. 31)."""
    case = record.case
    rows: list[list[Cell]] = [
        ["回访日期", chinese_date(record.visited_on), "回访对象", record.visited_party],
        ["案号", case.case_number, "协议编号", record.agreement_number or "—"],
        ["纠纷事项", case.title or case.category, "", ""],
        ["履行情况", record.performance, "满意程度", record.satisfaction or "—"],
        ["是否起诉", "是" if record.lawsuit else "否", "回访人", record.visitor],
        ["存在风险", record.risks or "无", "", ""],
        ["处置措施", record.measures or "无", "", ""],
        ["被回访人签名", "", "", ""],
    ]
    heights: list[float | None] = [None] * (len(rows) - 1) + [18 * mm]
    table = ruled_table(rows, [0.14, 0.36, 0.14, 0.36], spans=_full_rows(rows), label_columns=(0, 2), heights=heights)
    story: list[Flowable] = [*heading("回访记录", org_name=case.org_name), table, _seal_line(case, record.visited_on)]
    return render(story, _setup("回访记录", case))


def build_termination(notice: TerminationData) -> bytes:
    """终止调解告知书: the case, the parties, the date, the reason and the routes open to them (Art. 26)."""
    case = notice.case
    names = "、".join(party.name for party in case.parties)
    story: list[Flowable] = [*heading("终止调解告知书", org_name=case.org_name, number=case.case_number)]
    story.append(para(f"{names}：", PLAIN))
    story.append(
        para(
            f"你们之间的{case.category}，本委员会于{chinese_date(case.intake_date)}受理并进行调解。"
            f"{notice.reason.rstrip('。')}。"
            f"根据《中华人民共和国人民调解法》第{'二十六' if notice.failed else '二十三、二十六'}条的规定，"
            f"本委员会于{chinese_date(notice.decided_on)}终止调解。",
            TEXT,
        )
    )
    story.append(
        para(ROUTES + "如不服，可以向有管辖权的人民法院提起诉讼，或者依法申请仲裁、请求有关行政机关处理。", TEXT)
    )
    story.append(para("特此告知。", TEXT))
    story.append(_seal_line(case, notice.decided_on))
    story.append(gap(8))
    story.append(signatures_with_date([f"当事人 {party.name}（签收）" for party in case.parties]))
    return render(story, _setup("终止调解告知书", case))
