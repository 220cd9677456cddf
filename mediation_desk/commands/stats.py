"""``stats``: the mediation indicators for a period and an organisation subtree, as text or as JSON."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from mediation_desk.commands.common import EXIT_OK, Formatter, Subcommands, open_for_reading
from mediation_desk.commands.output import print_json, print_lines, table
from mediation_desk.domain.dates import parse_date
from mediation_desk.domain.money import fen_to_yuan_text
from mediation_desk.services.stats import Group, Statistics, StatsQuery, statistics


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


def _period(result: Statistics) -> str:
    if result.date_from or result.date_to:
        start = result.date_from.isoformat() if result.date_from else "最早"
        end = result.date_to.isoformat() if result.date_to else "今天"
        return f"{start} 至 {end}（按受理日期）"
    return "全部日期"


def stats_text(result: Statistics) -> list[str]:
    totals = result.totals
    lines = [
        f"统计范围：{result.org_name}（{result.org_code}）及下级组织，{_period(result)}",
        f"受理纠纷 {totals.cases} 件，调解结束 {totals.mediated} 件，其中调解成功 {totals.successful} 件，"
        f"成功率 {totals.success_rate:.2f}%",
        f"调解不成 {totals.failed} 件，终止调解 {totals.terminated} 件，不予受理 {totals.refused} 件，"
        f"在办 {totals.pending} 件",
        f"书面协议 {totals.written_agreements} 件，口头协议 {totals.oral_agreements} 件，"
        f"协议金额 {fen_to_yuan_text(totals.amount_fen)} 元（{totals.amount_fen / 1_000_000:.2f} 万元）",
        f"涉及人数 {totals.persons} 人；群体性纠纷 {totals.group_cases} 件，涉及 {totals.group_persons} 人",
        f"排查 {result.screening_rounds} 次，排查发现纠纷 {result.disputes_found} 件，"
        f"预防纠纷 {result.disputes_prevented} 件，防止民转刑 {result.escalations_prevented} 件",
        f"调解员 {result.mediators} 人，其中专职 {result.full_time_mediators} 人",
    ]
    for title, groups in (
        ("按纠纷类型", result.by_category),
        ("按案件来源", result.by_source),
        ("按组织", result.by_org),
    ):
        lines.extend(_group_lines(title, groups))
    return lines


def _cmd_stats(args: argparse.Namespace, root: Path) -> int:
    date_from = parse_date(args.date_from, field="from") if args.date_from else None
    date_to = parse_date(args.date_to, field="to") if args.date_to else None
    desk = open_for_reading(root)
    try:
        result = statistics(desk, StatsQuery(date_from, date_to, args.org))
    finally:
        desk.close()
    if args.json:
        print_json(result.as_json())
    else:
        print_lines(stats_text(result))
    return EXIT_OK


def add_parsers(commands: Subcommands) -> None:
    stats = commands.add_parser(
        "stats",
        help="统计（默认：全部日期，本工作台的组织及下级）",
        description="按受理日期统计一个时期、一个组织及其下级的调解指标。",
        formatter_class=Formatter,
    )
    stats.add_argument("--from", dest="date_from", metavar="DATE", help="开始日期（含），如 2021-01-01")
    stats.add_argument("--to", dest="date_to", metavar="DATE", help="截止日期（含），如 2021-12-31")
    stats.add_argument("--org", metavar="CODE", help="组织代码（默认：本工作台的组织）")
    stats.add_argument("--json", action="store_true", help="以 JSON 输出")
    stats.set_defaults(handler=_cmd_stats)
