"""``cases list`` and ``cases show``: the cases on the desk, as a table, as text or as JSON.

The JSON field names are fixed English names that scripts rely on; identity and phone numbers are masked.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from mediation_desk.commands.common import EXIT_OK, Formatter, Subcommands, open_for_reading
from mediation_desk.commands.output import PRIVACY_NOTE, iso, local, print_json, print_lines, table
from mediation_desk.domain.codes import find_category
from mediation_desk.domain.dates import parse_date
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.masking import mask_id_number, mask_phone
from mediation_desk.domain.money import fen_to_yuan, fen_to_yuan_text
from mediation_desk.services.cases import CaseDetail, CaseRow, get_case
from mediation_desk.services.search import SearchFilter, search_cases


def parse_status(text: str) -> CaseStatus:
    """A status by its code or its Chinese name."""
    wanted = text.strip()
    for status in CaseStatus:
        if wanted in (status.value, status.label):
            return status
    known = "、".join(f"{status.value}（{status.label}）" for status in CaseStatus)
    raise ValidationError(f"未知的案件状态“{text}”；可用的状态：{known}")


# -- cases list ---------------------------------------------------------------------------------------------------


def row_json(row: CaseRow) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "number": row.number,
        "intake_date": row.intake_date.isoformat(),
        "org_code": row.org_code,
        "org_name": row.org_name,
        "category": row.category,
        "category_name": row.category_name,
        "source": row.source.value,
        "source_label": row.source.label,
        "status": row.status.value,
        "status_label": row.status.label,
        "outcome": row.outcome.value if row.outcome else None,
        "outcome_label": row.outcome.label if row.outcome else None,
        "applicants": row.applicants,
        "respondents": row.respondents,
        "amount_fen": row.amount_fen,
        "amount_yuan": fen_to_yuan(row.amount_fen),
        "closing_date": iso(row.closing_date),
    }


def _list_text(rows: list[CaseRow]) -> list[str]:
    if not rows:
        return ["没有符合条件的案件"]
    cells = [
        [
            row.number,
            row.intake_date.isoformat(),
            row.category_name,
            row.status.label,
            row.outcome.label if row.outcome else "—",
        ]
        for row in rows
    ]
    return [*table(["案号", "受理日期", "纠纷类型", "状态", "结果"], cells), f"共 {len(rows)} 件"]


def _search_filter(args: argparse.Namespace) -> SearchFilter:
    """``cases list``'s options as a search (the GUI's filter bar: text in Chinese or pinyin, period, type)."""
    category = None
    if args.category:
        found = find_category(args.category)
        if found is None:
            raise ValidationError(f"未知的纠纷类型“{args.category}”；请用 15 类纠纷的代码或名称，如 04 或 合同纠纷")
        category = found.code
    if args.limit is not None and args.limit < 1:
        raise ValidationError("--limit 应为正整数")
    return SearchFilter(
        text=args.search or "",
        org_code=args.org,
        status=parse_status(args.status) if args.status else None,
        category=category,
        date_from=parse_date(args.date_from, field="from") if args.date_from else None,
        date_to=parse_date(args.date_to, field="to") if args.date_to else None,
        limit=args.limit,
    )


def _cmd_cases_list(args: argparse.Namespace, root: Path) -> int:
    flt = _search_filter(args)
    desk = open_for_reading(root)
    try:
        rows = search_cases(desk, flt)
    finally:
        desk.close()
    if args.json:
        print_json([row_json(row) for row in rows])
    else:
        print_lines(_list_text(rows))
    return EXIT_OK


# -- cases show: JSON ---------------------------------------------------------------------------------------------


def _parties_json(detail: CaseDetail) -> list[dict[str, Any]]:
    return [
        {
            "role": party.role.value,
            "role_label": party.role.label,
            "kind": party.kind.value,
            "name": party.name,
            "gender": party.gender.value if party.gender else None,
            "ethnicity": party.ethnicity,
            "birth_date": iso(party.birth_date),
            "id_type": party.id_type.value,
            "id_number": mask_id_number(party.id_number),
            "phone": mask_phone(party.phone),
            "address": party.address,
            "occupation": party.occupation,
            "employer": party.employer,
            "agent_name": party.agent_name,
        }
        for party in detail.parties
    ]


def _outcome_json(detail: CaseDetail) -> dict[str, Any] | None:
    outcome = detail.outcome
    if outcome is None:
        return None
    return {
        "kind": outcome.kind.value,
        "label": outcome.kind.label,
        "decided_on": outcome.decided_on.isoformat(),
        "reason": outcome.reason,
        "performance": outcome.performance.value if outcome.performance else None,
        "performance_label": outcome.performance.label if outcome.performance else None,
    }


def detail_json(detail: CaseDetail) -> dict[str, Any]:
    return {
        **row_json(detail.row),
        "subtype": detail.subtype,
        "referral_body": detail.referral_body,
        "title": detail.title,
        "facts": detail.facts,
        "requests": detail.requests,
        "place": detail.place,
        "persons": detail.persons,
        "group_dispute": detail.group_dispute,
        "risk_flags": [flag.value for flag in detail.risk_flags],
        "recorder": detail.recorder,
        "refusal_reason": detail.refusal_reason,
        "notes": detail.notes,
        "parties": _parties_json(detail),
        "mediators": [
            {
                "name": mediator.name,
                "role": mediator.role.value,
                "role_label": mediator.role.label,
                "assigned_on": mediator.assigned_on.isoformat(),
                "recused": mediator.recused,
            }
            for mediator in detail.mediators
        ],
        "records": [
            {"kind": record.kind, "when": record.when.isoformat(), "summary": record.summary, "body": record.body}
            for record in detail.records
        ],
        "outcome": _outcome_json(detail),
    }


# -- cases show: text ---------------------------------------------------------------------------------------------


def _case_lines(detail: CaseDetail) -> list[str]:
    """The case itself: number, organisation, dates, category, amounts, risks, facts and requests."""
    row = detail.row
    lines = [
        f"案号：{row.number}",
        f"组织：{row.org_code} {row.org_name}",
        f"受理日期：{row.intake_date.isoformat()}    案件来源：{row.source.label}"
        + (f"（{detail.referral_body}）" if detail.referral_body else ""),
        f"纠纷类型：{row.category_name}（{row.category}）",
        f"状态：{row.status.label}" + (f"    结案日期：{row.closing_date.isoformat()}" if row.closing_date else ""),
        f"涉及金额：{fen_to_yuan_text(row.amount_fen)} 元    涉及人数：{detail.persons}    "
        f"群体性：{'是' if detail.group_dispute else '否'}",
    ]
    if detail.risk_flags:
        lines.append("风险：" + "、".join(flag.label for flag in detail.risk_flags))
    if detail.facts:
        lines.append(f"纠纷简要情况：{detail.facts}")
    if detail.requests:
        lines.append(f"申请事项：{detail.requests}")
    return lines


def _party_lines(detail: CaseDetail) -> list[str]:
    lines = ["当事人："]
    for party in detail.parties:
        particulars = [
            value
            for value in (
                party.gender.label if party.gender else "",
                party.ethnicity,
                f"{party.id_type.label} {mask_id_number(party.id_number)}" if party.id_number else "",
                f"电话 {mask_phone(party.phone)}" if party.phone else "",
                party.address,
                party.occupation,
            )
            if value
        ]
        suffix = f"（{'，'.join(particulars)}）" if particulars else ""
        lines.append(f"  {party.role.label} {party.name}{suffix}")
    return lines


def _work_lines(detail: CaseDetail) -> list[str]:
    """The mediators assigned and the records kept."""
    lines: list[str] = []
    if detail.mediators:
        lines.append("调解员：")
        for mediator in detail.mediators:
            recused = "，已回避" if mediator.recused else ""
            lines.append(f"  {mediator.role.label} {mediator.name}（{mediator.assigned_on.isoformat()} 指派{recused}）")
    if detail.records:
        lines.append("记录：")
        lines.extend(f"  {local(record.when)} {record.summary}" for record in detail.records)
    return lines


def _outcome_line(detail: CaseDetail) -> str:
    outcome = detail.outcome
    if outcome is None:
        return "结果：尚未结束"
    text = f"结果：{outcome.kind.label}（{outcome.decided_on.isoformat()}）"
    if outcome.reason:
        text += f"，原因：{outcome.reason}"
    if outcome.performance:
        text += f"，履行情况：{outcome.performance.label}"
    return text


def detail_text(detail: CaseDetail) -> list[str]:
    lines = [*_case_lines(detail), *_party_lines(detail), *_work_lines(detail), _outcome_line(detail)]
    if detail.notes:
        lines.append(f"备注：{detail.notes}")
    return lines


def _cmd_cases_show(args: argparse.Namespace, root: Path) -> int:
    desk = open_for_reading(root)
    try:
        detail = get_case(desk, args.number)
    finally:
        desk.close()
    if args.json:
        print_json(detail_json(detail))
    else:
        print_lines(detail_text(detail))
    return EXIT_OK


# -- the parsers --------------------------------------------------------------------------------------------------


def add_parsers(commands: Subcommands) -> None:
    cases = commands.add_parser("cases", help="案件", formatter_class=Formatter)
    cases_commands = cases.add_subparsers(dest="cases_command", metavar="ACTION", required=True)
    cases_list = cases_commands.add_parser(
        "list",
        help="列出案件（案号、受理日期、纠纷类型、状态、结果）",
        description=f"列出案件，最新的在前。{PRIVACY_NOTE}",
        formatter_class=Formatter,
    )
    cases_list.add_argument("--org", metavar="CODE", help="只列该组织及其下级的案件（默认：本工作台的组织）")
    cases_list.add_argument(
        "--status", metavar="S", help="按状态筛选：状态代码或中文名称，如 closed 或 已结案、mediating 或 调解中"
    )
    cases_list.add_argument(
        "--search",
        metavar="TEXT",
        help="按案号、当事人姓名或案情查找：中文片段，或当事人姓名的拼音（全拼或首字母，如 zhangs、zs 都能找到张三）",
    )
    cases_list.add_argument("--from", dest="date_from", metavar="DATE", help="受理日期不早于 DATE（YYYY-MM-DD）")
    cases_list.add_argument("--to", dest="date_to", metavar="DATE", help="受理日期不晚于 DATE（YYYY-MM-DD）")
    cases_list.add_argument("--category", metavar="C", help="纠纷类型：代码或名称，如 04 或 合同纠纷")
    cases_list.add_argument("--limit", type=int, metavar="N", help="最多列出 N 件（最新的在前）")
    cases_list.add_argument("--json", action="store_true", help="以 JSON 输出（字段名为固定的英文）")
    cases_list.set_defaults(handler=_cmd_cases_list)
    cases_show = cases_commands.add_parser(
        "show",
        help="显示一件案件：当事人、调解员、记录和结果",
        description=f"显示一件案件的当事人、调解员、调查和调解记录及结果。{PRIVACY_NOTE}",
        formatter_class=Formatter,
    )
    cases_show.add_argument("number", metavar="CASE_NUMBER", help="案号，如 (2021)缙五人调字第12号")
    cases_show.add_argument("--json", action="store_true", help="以 JSON 输出")
    cases_show.set_defaults(handler=_cmd_cases_show)
