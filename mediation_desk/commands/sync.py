"""``sync export``, ``sync import``, ``sync status``, ``sync conflicts`` and ``sync resolve`` (SYNC.md).

``sync import`` prints the import report of every file (``--json``: as JSON) and exits 0 when every file merged
or was already there, 1 when any file (or any revision in one) was refused; a refused file changes nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from mediation_desk.commands.common import (
    EXIT_OK,
    EXIT_USER_ERROR,
    Formatter,
    Subcommands,
    open_for_reading,
    open_for_writing,
)
from mediation_desk.commands.output import ProgressBar, err, local, out, print_json, table
from mediation_desk.domain.errors import ValidationError
from mediation_desk.services.sync import ExportSummary, FileReport, ImportReport, export_file, import_files
from mediation_desk.services.sync.conflicts import ConflictView, list_conflicts, resolve_conflict
from mediation_desk.services.sync.report import ERROR, table_name
from mediation_desk.services.sync.status import SyncStatus, sync_status

_STATUS = {"OK": "成功", "WARNING": "成功（有提示）", "ERROR": "已拒收"}


def _cmd_export(args: argparse.Namespace, root: Path) -> int:
    desk = open_for_writing(root)
    try:
        summary = export_file(desk, args.to, args.output, full=args.full)
    finally:
        desk.close()
    if args.json:
        print_json(summary.to_json())
    else:
        _print_export(summary)
    return EXIT_OK


def _print_export(summary: ExportSummary) -> None:
    out(f"已写出同步文件：{summary.path}")
    out(f"  收件方：{summary.peer.org_name}（{summary.peer.org}）")
    out(f"  类型：{'全量' if summary.kind == 'full' else '增量'}；修订记录 {summary.revisions} 条")
    for name, count in sorted(summary.tables.items()):
        out(f"    {table_name(name)}：{count}")
    if summary.revisions == 0:
        out("  没有新的记录（零上报）：文件照样有效，请照常送出")
    out(f"  回执 {summary.receipts} 份，证书 {summary.certificates} 张；文件 {summary.size} 字节")
    if summary.unsigned:
        err(f"提示：{summary.unsigned} 条本工作台早先的修订因旧密钥已不在钥匙串中而无法签名，未写入文件")


def _print_file(report: FileReport) -> None:
    out(f"文件：{report.path}")
    out(f"  状态：{report.status}（{_STATUS[report.status]}）")
    if report.sender:
        out(f"  发件方：{report.sender}；类型：{report.kind}；修订记录 {report.revisions} 条")
    for name, tally in sorted(report.tallies.items()):
        if any(tally.to_json().values()):
            out(
                f"  {table_name(name)}：新建 {tally.created}，更新 {tally.updated}，未变 {tally.unchanged}，"
                f"删除 {tally.deleted}，冲突 {tally.conflicts}，拒收 {tally.rejected}"
            )
    for message in report.messages:
        out(f"  [{message.code}] {message.text}")


def _print_import(report: ImportReport) -> None:
    for item in report.files:
        _print_file(item)
    if report.dry_run:
        out("试运行：以上是将会发生的变化，未写入任何内容")


def _cmd_import(args: argparse.Namespace, root: Path) -> int:
    desk = open_for_writing(root)
    bar = ProgressBar("导入同步文件")
    try:
        report = import_files(desk, args.files, dry_run=args.dry_run, progress=bar)
    finally:
        bar.finish()
        desk.close()
    if args.json:
        print_json(report.to_json())
    else:
        _print_import(report)
    if report.ok:
        return EXIT_OK
    refused = [item for item in report.files if item.status == ERROR]
    partly = [item for item in report.files if item.status != ERROR and item.refused]
    if refused:
        err(f"错误：{len(refused)} 个文件被拒收（原因见上），这些文件未作任何改动；其余文件已导入")
    if partly:
        err(f"错误：{len(partly)} 个文件中有修订记录被拒收（原因见上）")
    return EXIT_USER_ERROR


def _cmd_status(args: argparse.Namespace, root: Path) -> int:
    desk = open_for_reading(root)
    try:
        status = sync_status(desk)
    finally:
        desk.close()
    if args.json:
        print_json(status.to_json())
    else:
        _print_status(status)
    return EXIT_OK


def _print_status(status: SyncStatus) -> None:
    out(f"{status.org_name}（{status.org}）的同步状态，{status.month}")
    if not status.peers:
        out("尚未信任任何单位的公钥（keys trust）")
        return
    rows = [
        [
            f"{item.peer.org_name}（{item.peer.org}）",
            local(item.last_imported) if item.last_imported else "—",
            str(item.files),
            str(sum(gap.count for gap in item.gaps)) if item.gaps else "0",
            str(item.conflicts),
            "是" if item.silent_this_month else "",
        ]
        for item in status.peers
    ]
    for line in table(["单位", "最近收到", "文件数", "缺号", "未解决冲突", "本月未报"], rows):
        out(line)
    for item in status.peers:
        for gap in item.gaps:
            out(f"  {item.peer.org_name}：{gap.message}")
    out(f"未解决的冲突共 {status.open_conflicts} 条；等待上级记录的 {status.held} 条")


def _cmd_conflicts(args: argparse.Namespace, root: Path) -> int:
    desk = open_for_reading(root)
    try:
        conflicts = list_conflicts(desk)
    finally:
        desk.close()
    if args.json:
        print_json({"conflicts": [item.to_json() for item in conflicts]})
        return EXIT_OK
    if not conflicts:
        out("没有未解决的冲突")
    for item in conflicts:
        _print_conflict(item)
    return EXIT_OK


def _print_conflict(item: ConflictView) -> None:
    where = f"，案件 {item.case_number}" if item.case_number else ""
    out(f"冲突 {item.id}：{item.table_text} {item.record_id}{where}：{item.label_text}")
    for leaf in item.leaves:
        mark = "（暂定采用）" if leaf.winner else ""
        state = "删除" if leaf.deleted else "修改"
        out(f"  分支 {leaf.key}：{leaf.org}{state}，时钟 {leaf.clock}{mark}")
    for field in item.fields:
        flag = "两边改得不同" if field.hard else "一方修改"
        out(f"  字段 {field.name}（{flag}）：原值 {field.base!r}")
        for key, value in field.values.items():
            out(f"    {key}：{value!r}")


def _fields(pairs: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, key = pair.partition("=")
        if not sep or not name.strip() or not key.strip():
            raise ValidationError(f"--field 应写成 字段名=修订编号（设备编号:序号），而不是“{pair}”")
        found[name.strip()] = key.strip()
    return found


def _cmd_resolve(args: argparse.Namespace, root: Path) -> int:
    fields = _fields(args.field or [])
    desk = open_for_writing(root)
    try:
        resolved = resolve_conflict(desk, args.conflict_id, take=args.take, fields=fields)
    finally:
        desk.close()
    action = "确认删除" if resolved.deleted else "已写入"
    out(f"冲突 {resolved.conflict_id} 已解决：新修订 {resolved.revision}（{table_name(resolved.table)}，{action}）")
    out("它会随下一次导出的同步文件送到上下级单位")
    return EXIT_OK


def add_parsers(commands: Subcommands) -> None:
    group = commands.add_parser("sync", help="同步文件：导出、导入、状态、冲突", formatter_class=Formatter)
    actions = group.add_subparsers(dest="sync_command", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help="为上级或下级单位写出同步文件",
        description=(
            "为已信任的单位（ORG_CODE）写出加密、签名的同步文件。向上（村居→乡镇→县）带本单位及下属的记录，\n"
            "向下（乡镇→村居、县→乡镇）只带收件单位自己的记录。默认只带对方回执尚未确认收到的记录；\n"
            "--full 带范围内的全部记录。没有新记录时照样写出有效的文件（零上报）。"
        ),
        formatter_class=Formatter,
    )
    export.add_argument("--to", required=True, metavar="ORG_CODE", help="收件单位的组织代码（须已用 keys trust 信任）")
    export.add_argument("-o", "--output", required=True, type=Path, metavar="FILE", help="要写入的同步文件（.mdsync）")
    export.add_argument("--full", action="store_true", help="带范围内的全部记录，而不只是对方尚未确认的")
    export.add_argument("--json", action="store_true", help="以 JSON 输出摘要")
    export.set_defaults(handler=_cmd_export)
    imported = actions.add_parser(
        "import",
        help="合并同步文件（可一次多个）",
        description=(
            "逐个检查并合并同步文件：损坏、截断、被改动、不是发给本单位或来自未信任单位的文件被拒收并说明原因，\n"
            "不作任何改动；其余文件照常合并。已导入过的文件不会重复导入。\n"
            "退出状态：全部合并（或已导入过）为 0，有文件或记录被拒收为 1。"
        ),
        formatter_class=Formatter,
    )
    imported.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imported.add_argument("--dry-run", action="store_true", help="完整试运行后撤销：只报告将会发生的变化")
    imported.add_argument("--json", action="store_true", help="以 JSON 输出导入报告")
    imported.set_defaults(handler=_cmd_import)
    status = actions.add_parser("status", help="各单位的同步状态", formatter_class=Formatter)
    status.add_argument("--json", action="store_true", help="以 JSON 输出")
    status.set_defaults(handler=_cmd_status)
    conflicts = actions.add_parser("conflicts", help="未解决的冲突，逐字段列出", formatter_class=Formatter)
    conflicts.add_argument("--json", action="store_true", help="以 JSON 输出")
    conflicts.set_defaults(handler=_cmd_conflicts)
    resolve = actions.add_parser(
        "resolve",
        help="解决一条冲突",
        description=(
            "解决冲突（编号见 sync conflicts）：--take 修订编号 整条采用某一分支；或 --field 字段=修订编号\n"
            "逐字段选择（可多次；两边改得不同的字段必须选）。修订编号写作 设备编号:序号。"
        ),
        formatter_class=Formatter,
    )
    resolve.add_argument("conflict_id", type=int, metavar="CONFLICT_ID")
    choice = resolve.add_mutually_exclusive_group(required=True)
    choice.add_argument("--take", metavar="REVISION", help="整条采用这一分支（设备编号:序号）")
    choice.add_argument("--field", action="append", metavar="NAME=REVISION", help="字段 NAME 采用这一分支的值")
    resolve.set_defaults(handler=_cmd_resolve)
