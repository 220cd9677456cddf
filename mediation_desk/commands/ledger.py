"""``ledger import``: a case ledger (台账) from ``.xlsx`` or UTF-8 ``.csv``."""

from __future__ import annotations

import argparse
from pathlib import Path

from mediation_desk.commands.common import EXIT_OK, Formatter, Subcommands, open_for_writing
from mediation_desk.commands.output import ProgressBar, out
from mediation_desk.services.ledger import import_ledger


def _cmd_ledger_import(args: argparse.Namespace, root: Path) -> int:
    desk = open_for_writing(root)
    bar = ProgressBar("导入台账")
    try:
        report = import_ledger(desk, args.file, dry_run=args.dry_run, progress=bar).value
    finally:
        bar.finish()
        desk.close()
    out(f"台账行数：{report.rows}")
    out(f"新建案件：{report.created}")
    out(f"已有案件（未重复导入）：{report.already_present}")
    out(f"新建调解员：{report.mediators_created}")
    if report.dry_run:
        out("试运行，未写入")
    return EXIT_OK


def add_parsers(commands: Subcommands) -> None:
    ledger = commands.add_parser("ledger", help="案件台账", formatter_class=Formatter)
    ledger_commands = ledger.add_subparsers(dest="ledger_command", metavar="ACTION", required=True)
    ledger_import = ledger_commands.add_parser(
        "import",
        help="导入案件台账（.xlsx 或 UTF-8 .csv）",
        description=(
            "导入案件台账（.xlsx 或 UTF-8 .csv）。任何一行有错时列出全部错误（行号、列、原因），不导入任何案件；\n"
            "同一台账重复导入不会重复建案。必填列：受理日期、纠纷类型、案件来源、申请人。"
        ),
        formatter_class=Formatter,
    )
    ledger_import.add_argument("file", type=Path, metavar="FILE")
    ledger_import.add_argument("--dry-run", action="store_true", help="只检查并报告将导入的内容，不写入")
    ledger_import.set_defaults(handler=_cmd_ledger_import)
