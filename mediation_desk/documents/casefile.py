"""卷宗封面, 卷内目录 and 备考表: the case file's cover, its contents list and its back cover.

The contents list is MEDIATION.md's checklist: the mandatory papers (application or intake register, rights
notice, the parties' identity papers, session record, agreement, back cover) and the optional ones this case has;
a mandatory paper the case lacks is marked 缺 so the file is completed before it is archived.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from mediation_desk.documents.blocks import Cell, gap, heading, ruled_table
from mediation_desk.documents.data import CaseFileData, FileItem
from mediation_desk.documents.pages import PageSetup, render
from mediation_desk.documents.styles import CELL_CENTRE, PLAIN, SMALL, SUBTITLE, TITLE_STYLE, chinese_date, para

MANDATORY = ("申请书或受理登记表", "权利义务告知书", "当事人身份证明", "调解记录", "调解协议书", "备考表")
OPTIONAL = ("授权委托书", "调查记录", "证据材料", "履行凭证", "回访记录", "司法确认材料", "其他材料")


def missing(items: tuple[FileItem, ...]) -> list[str]:
    """The mandatory papers the file lacks."""
    return [item.title for item in items if item.mandatory and not item.present]


def _cover(data: CaseFileData) -> list[Flowable]:
    case = data.case
    rows: list[list[Cell]] = [
        ["调解组织", case.org_name],
        ["案件名称", case.title or f"{case.names('申请人')}与{case.names('被申请人')}{case.category}"],
        ["案号", case.case_number],
        ["当事人", "、".join(party.name for party in case.parties)],
        ["调解员", "、".join(case.mediators) or "—"],
        ["受理日期", chinese_date(case.intake_date)],
        ["调解结果", case.outcome or "—"],
        ["结案日期", chinese_date(case.closing_date, "—")],
        ["立卷人", data.filed_by or "—"],
        ["立卷日期", chinese_date(data.filed_on, "—")],
        ["保管期限", data.retention or "—"],
    ]
    table = ruled_table(rows, [0.26, 0.74], label_columns=(0,), heights=[13 * mm] * len(rows))
    return [gap(18), para(case.org_name, SUBTITLE), gap(6), para("人民调解卷宗", TITLE_STYLE), gap(14), table]


def _contents(data: CaseFileData) -> list[Flowable]:
    rows: list[list[Cell]] = [["序号", "文书材料名称", "日期", "页号", "备注"]]
    page = 1
    number = 0
    for item in data.items:
        if not item.present and not item.mandatory:
            continue
        number += 1
        pages = "—"
        if item.present and item.pages:
            pages = f"{page}" if item.pages == 1 else f"{page}-{page + item.pages - 1}"
            page += item.pages
        note = item.note or ("缺" if not item.present else "")
        when = chinese_date(item.when, "—") if item.present else "—"
        rows.append([str(number), item.title, when, pages, note])
    table = ruled_table(rows, [0.09, 0.43, 0.2, 0.12, 0.16], header_rows=1, label_columns=())
    lacking = missing(data.items)
    story: list[Flowable] = [*heading("卷内目录", org_name=data.case.org_name, number=data.case.case_number), table]
    if lacking:
        story += [gap(4), para(f"本卷缺少必备材料：{'、'.join(lacking)}。请补齐后归档。", PLAIN)]
    return story


def _back_cover(data: CaseFileData) -> list[Flowable]:
    notes = "\n".join(data.notes) or "本卷情况说明："
    rows: list[list[Cell]] = [
        [para("本卷共有文书材料", CELL_CENTRE), f"{sum(1 for item in data.items if item.present)}件"],
        ["说明", notes],
        ["立卷人", data.filed_by],
        ["检查人", ""],
        ["立卷日期", chinese_date(data.filed_on)],
    ]
    heights: list[float | None] = [12 * mm, 70 * mm, 12 * mm, 12 * mm, 12 * mm]
    table = ruled_table(rows, [0.28, 0.72], label_columns=(0,), heights=heights)
    return [*heading("备考表"), table, gap(3), para("备考表由立卷人填写，置于卷末。", SMALL)]


def build_cover(data: CaseFileData) -> bytes:
    """The cover, the contents list and the back cover, in one PDF."""
    story = [*_cover(data), PageBreak(), *_contents(data), PageBreak(), *_back_cover(data)]
    case = data.case
    return render(story, PageSetup(title=f"人民调解卷宗 {case.case_number}", footer_right=case.case_number))
