"""``stats``: the mediation indicators for a period and an organisation subtree, as text, JSON, an Excel workbook
or a PDF report; ``stats check``: the data-quality check before a report is published."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from mediation_desk.commands.common import (
    EXIT_OK,
    EXIT_USAGE,
    EXIT_USER_ERROR,
    Formatter,
    Subcommands,
    open_for_reading,
)
from mediation_desk.commands.output import err, out, print_json, print_lines, table
from mediation_desk.domain.dates import parse_date
from mediation_desk.domain.money import fen_to_yuan_text
from mediation_desk.domain.statistics import Basis, Grouping
from mediation_desk.services.stats import Group, MediatorRow, Statistics, StatsQuery, statistics
from mediation_desk.services.stats_export import check_target, export_pdf, export_xlsx
from mediation_desk.services.stats_quality import QualityReport, quality

CHECK = "check"


def _group_lines(title: str, groups: Sequence[Group]) -> list[str]:
    shown = [group for group in groups if group.counts.cases]
    if not shown:
        return []
    rows = [
        [
            group.name,
            str(group.counts.cases),
            str(group.counts.successful),
            f"{group.counts.success_rate:.2f}%",
            fen_to_yuan_text(group.counts.amount_fen),
        ]
        for group in shown
    ]
    return [f"{title}：", *("  " + line for line in table(["", "受理", "成功", "成功率", "协议金额（元）"], rows))]


def _mediator_lines(rows: Sequence[MediatorRow]) -> list[str]:
    if not rows:
        return ["按调解员：没有调解员"]
    body = [
        [
            row.name,
            row.org_name,
            "专职" if row.full_time else "兼职",
            str(row.counts.cases),
            str(row.counts.successful),
            f"{row.counts.success_rate:.2f}%",
            "—" if row.counts.average_days is None else f"{row.counts.average_days:.1f}",
            str(row.counts.follow_ups),
        ]
        for row in rows
    ]
    headers = ["调解员", "所属组织", "", "承办", "成功", "成功率", "平均办结天数", "回访"]
    return ["按调解员：", *("  " + line for line in table(headers, body))]


def _period(result: Statistics) -> str:
    basis = f"（按{result.basis.label}）"
    if result.date_from or result.date_to:
        start = result.date_from.isoformat() if result.date_from else "最早"
        end = result.date_to.isoformat() if result.date_to else "今天"
        return f"{start} 至 {end}{basis}"
    return f"全部日期{basis}"


def stats_text(result: Statistics) -> list[str]:
    totals, screening, roster = result.totals, result.screening, result.roster
    lines = [
        f"统计范围：{result.org_name}（{result.org_code}）及下级组织，{_period(result)}",
        f"受理纠纷 {totals.cases} 件，调解结束 {totals.mediated} 件，其中调解成功 {totals.successful} 件，"
        f"成功率 {totals.success_rate:.2f}%",
        f"调解不成 {totals.failed} 件，终止调解 {totals.terminated} 件，不予受理 {totals.refused} 件，"
        f"在办 {totals.pending} 件",
        f"书面协议 {totals.written_agreements} 件，口头协议 {totals.oral_agreements} 件，"
        f"协议金额 {fen_to_yuan_text(totals.amount_fen)} 元（{totals.amount_wan_yuan:.2f} 万元）",
        f"协议履行：已履行 {totals.performed} 件，部分履行 {totals.partly_performed} 件，"
        f"未履行 {totals.not_performed} 件；申请司法确认 {totals.judicial_applied} 件，"
        f"确认有效 {totals.judicial_granted} 件",
        f"涉及人数 {totals.persons} 人；群体性纠纷 {totals.group_cases} 件，涉及 {totals.group_persons} 人；"
        f"化解可能民转刑纠纷 {totals.escalation_risk_cases} 件，涉及 {totals.escalation_risk_persons} 人",
        f"排查 {screening.rounds} 次，排查发现纠纷 {screening.disputes_found} 件，"
        f"预防纠纷 {screening.disputes_prevented} 件，防止民转刑 {screening.escalations_prevented} 件"
        f"（{screening.escalation_persons} 人）",
        f"调解员 {roster.mediators} 人，其中专职 {roster.full_time} 人，法治指导员 {roster.legal_instructors} 人",
    ]
    if result.by is Grouping.MEDIATOR:
        return [*lines, *_mediator_lines(result.by_mediator or [])]
    shown = [result.by] if result.by else [Grouping.CATEGORY, Grouping.SOURCE, Grouping.ORG]
    for grouping in shown:
        lines.extend(_group_lines(grouping.label, result.groups(grouping)))
    return lines


def quality_text(report: QualityReport) -> list[str]:
    lines = [report.summary()]
    for issue in report.issues:
        where = f"{issue.org_name}（{issue.org_code}）"
        case = f" {issue.case_number or '无案号'}" if issue.case_id else ""
        lines.append(f"  [{issue.rule.label}] {where}{case}：{issue.detail}")
    if report.truncated:
        lines.append(f"  （只列出前 {len(report.issues)} 项；请按上列规则逐项核实）")
    return lines


def _query(args: argparse.Namespace) -> StatsQuery:
    date_from = parse_date(args.date_from, field="from") if args.date_from else None
    date_to = parse_date(args.date_to, field="to") if args.date_to else None
    by = Grouping(args.by) if args.by else None
    return StatsQuery(date_from, date_to, args.org, Basis(args.basis), by)


def _cmd_check(args: argparse.Namespace, root: Path) -> int:
    if args.xlsx or args.pdf or args.by:
        err("错误：stats check 只接受 --from、--to、--org、--basis 和 --json")
        return EXIT_USAGE
    query = _query(args)
    desk = open_for_reading(root)
    try:
        report = quality(desk, query)
    finally:
        desk.close()
    if args.json:
        print_json(report.as_json())
    else:
        print_lines(quality_text(report))
    if not report.ok:
        err(report.summary())
        return EXIT_USER_ERROR
    return EXIT_OK


def _export(result: Statistics, report: QualityReport, args: argparse.Namespace) -> None:
    """The check's findings first (on stderr), then the file."""
    if not report.ok:
        err(f"注意：{report.summary()}（stats check 列出明细）；报表按现有数据生成")
    if args.xlsx:
        export_xlsx(result, Path(args.xlsx), report)
    else:
        export_pdf(result, Path(args.pdf), report)
    out(f"已导出：{args.xlsx or args.pdf}")


def _cmd_stats(args: argparse.Namespace, root: Path) -> int:
    if args.action == CHECK:
        return _cmd_check(args, root)
    query = _query(args)
    if args.xlsx or args.pdf:  # a file that cannot be written is refused before the work
        check_target(Path(args.xlsx or args.pdf), ".xlsx" if args.xlsx else ".pdf")
    desk = open_for_reading(root)
    try:
        result = statistics(desk, query)
        report = quality(desk, query) if args.xlsx or args.pdf else None
    finally:
        desk.close()
    if report is not None:
        _export(result, report, args)
    elif args.json:
        print_json(result.report_json())
    else:
        print_lines(stats_text(result))
    return EXIT_OK


def add_parsers(commands: Subcommands) -> None:
    stats = commands.add_parser(
        "stats",
        help="统计（默认：全部日期，本工作台的组织及下级）；stats check：发布前的数据质量检查",
        description=(
            "统计一个时期、一个组织及其下级的调解指标，输出为文本、JSON、Excel 工作簿或 PDF 报表。\n"
            "stats check 列出会使统计数字出错的案件（缺少纠纷类型、结果缺少日期、结案早于受理、有金额无协议、"
            "超过一个月未调解）和统计期内没有数据的村（社区）调委会；发现问题时退出状态为 1。"
        ),
        formatter_class=Formatter,
    )
    stats.add_argument("action", nargs="?", choices=[CHECK], help="check：数据质量检查")
    stats.add_argument("--from", dest="date_from", metavar="DATE", help="开始日期（含），如 2021-01-01")
    stats.add_argument("--to", dest="date_to", metavar="DATE", help="截止日期（含），如 2021-12-31")
    stats.add_argument("--org", metavar="CODE", help="组织代码（默认：本工作台的组织）")
    stats.add_argument(
        "--by", choices=[grouping.value for grouping in Grouping], help="文本输出按此分组；mediator：调解员考核统计"
    )
    stats.add_argument(
        "--basis",
        choices=[basis.value for basis in Basis],
        default=Basis.INTAKE.value,
        help="案件按受理日期（intake，默认）或结案日期（closing）计入统计期",
    )
    output = stats.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="以 JSON 输出")
    output.add_argument("--xlsx", metavar="FILE", help="导出 Excel 工作簿")
    output.add_argument("--pdf", metavar="FILE", help="导出 PDF 报表")
    stats.set_defaults(handler=_cmd_stats)
