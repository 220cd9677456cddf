"""``demo``: fill a new, empty data folder with the synthetic county (every name and number in it is made up)."""

from __future__ import annotations

import argparse
from pathlib import Path

from mediation_desk.commands.common import EXIT_OK, Formatter, Subcommands, non_negative
from mediation_desk.commands.output import ProgressBar, out
from mediation_desk.domain.errors import DomainError
from mediation_desk.services.datafolder import has_database


def _cmd_demo(args: argparse.Namespace, root: Path) -> int:
    from mediation_desk import demo  # the generators and their word lists load only for this command

    if has_database(root):
        raise DomainError(
            f"数据文件夹 {root} 中已经有工作台；演示数据只能建在新的（空的）文件夹中，请用 --data-dir 指定"
        )
    bar = ProgressBar("生成演示数据")
    try:
        summary = demo.create_demo(
            root,
            villages=demo.DEFAULT_VILLAGES if args.villages is None else args.villages,
            cases=demo.DEFAULT_CASES if args.cases is None else args.cases,
            year=args.year,
            seed=args.seed,
            progress=bar,
        )
    finally:
        bar.finish()
    out(
        f"已建立演示工作台（全部为虚构数据）：{summary.orgs} 个组织，其中村（社区）{summary.villages} 个，"
        f"调解员 {summary.mediators} 人，{summary.year} 年案件 {summary.cases} 件"
    )
    out(f"数据文件夹：{root}；管理员用户名 {demo.DEMO_ADMIN}，密码 {demo.DEMO_PASSWORD}")
    return EXIT_OK


def add_parsers(commands: Subcommands) -> None:
    demo = commands.add_parser(
        "demo",
        help="在新的数据文件夹中建立演示数据（虚构的一个县）",
        description="在新的（空的）数据文件夹中建立一个虚构县的演示数据：组织、调解员和一年的案件。",
        formatter_class=Formatter,
    )
    demo.add_argument("--villages", type=non_negative, metavar="N", help="村（社区）调委会数（默认 261）")
    demo.add_argument("--cases", type=non_negative, metavar="N", help="案件数（默认 4252）")
    demo.add_argument("--year", type=int, metavar="Y", help="案件年份（默认：去年）")
    demo.add_argument(
        "--seed", type=int, default=2021, metavar="S", help="随机种子（默认 2021）：同一种子得到同样的数据"
    )
    demo.set_defaults(handler=_cmd_demo)
