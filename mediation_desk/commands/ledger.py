"""``ledger import``: a case ledger (台账) from ``.xlsx`` or UTF-8 ``.csv``.

A ledger that gives cases already on the desk differently prints the changes, field by field (identity and
phone numbers masked), and exits 1 having imported nothing, unless ``--update`` is given.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from mediation_desk.commands.common import EXIT_OK, EXIT_USER_ERROR, Formatter, Subcommands, open_for_writing
from mediation_desk.commands.output import ProgressBar, err, out
from mediation_desk.services.ledger import CaseChange, LedgerChanged, LedgerReport, import_ledger


def _sheets(report: LedgerReport) -> None:
    if report.sheets:
        out(f"读取的工作表：{'、'.join(report.sheets)}")
    if report.skipped:
        out(f"未读取的工作表：{'、'.join(str(skip) for skip in report.skipped)}")


def _changes(title: str, changes: tuple[CaseChange, ...]) -> None:
    out(f"{title}：{len(changes)}")
    for change in changes:
        for line in change.lines():
            out(f"  {line}")


def _print_report(report: LedgerReport) -> None:
    out(f"台账行数：{report.rows}")
    _sheets(report)
    out(f"新建案件：{report.created}")
    out(f"已有案件（未重复导入）：{report.already_present}")
    if report.changed:
        _changes("按台账修改的案件", report.changed)
    out(f"新建调解员：{report.mediators_created}")
    if report.dry_run:
        out("试运行，未写入")


def _print_refused(error: LedgerChanged) -> None:
    report = error.report
    out(f"台账行数：{report.rows}")
    _sheets(report)
    _changes("与工作台上的记录不同的案件", report.changed)
    if error.blocked:
        err(f"错误：{error.message}（见上）；请先在案件中处理这些案件，或改正台账后再导入")
    else:
        err(f"错误：{error.message}；确认以上修改无误后，请加 --update 重新导入")


def _cmd_ledger_import(args: argparse.Namespace, root: Path) -> int:
    desk = open_for_writing(root)
    bar = ProgressBar("导入台账")
    try:
        try:
            result = import_ledger(
                desk, args.file, dry_run=args.dry_run, update=args.update, sheet=args.sheet, progress=bar
            )
        finally:
            bar.finish()
            desk.close()
    except LedgerChanged as error:
        _print_refused(error)
        return EXIT_USER_ERROR
    _print_report(result.value)
    return EXIT_OK


def add_parsers(commands: Subcommands) -> None:
    ledger = commands.add_parser("ledger", help="案件台账", formatter_class=Formatter)
    ledger_commands = ledger.add_subparsers(dest="ledger_command", metavar="ACTION", required=True)
    ledger_import = ledger_commands.add_parser(
        "import",
        help="导入案件台账（.xlsx 或 UTF-8 .csv）",
        description=(
            "导入案件台账（.xlsx 或 UTF-8 .csv）。任何一行有错时列出全部错误（行号、列、原因），不导入任何案件；\n"
            "同一台账重复导入不会重复建案。必填列：受理日期、纠纷类型、案件来源、申请人。\n"
            "工作簿中每张有台账表头的可见工作表都会导入（隐藏的和没有表头的工作表会列出），也可用 --sheet 指定一张。\n"
            "台账中的案件（按案件编号，或没有编号时按受理日期、当事人和纠纷类型）已在工作台上但内容不同时，\n"
            "逐项列出不同之处，不导入任何内容（退出状态 1）；确认无误后加 --update 按台账修改。\n"
            "空白单元格不会清除已有内容。"
        ),
        formatter_class=Formatter,
    )
    ledger_import.add_argument("file", type=Path, metavar="FILE")
    ledger_import.add_argument("--dry-run", action="store_true", help="只检查并报告将导入的内容，不写入")
    ledger_import.add_argument("--sheet", metavar="NAME", help="只导入工作簿中名为 NAME 的工作表（可以是隐藏的）")
    ledger_import.add_argument(
        "--update", action="store_true", help="按台账修改工作台上内容不同的已有案件（修改记入案件历史）"
    )
    ledger_import.set_defaults(handler=_cmd_ledger_import)
