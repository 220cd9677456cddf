"""``backup create``, ``backup list`` and ``backup restore``."""

from __future__ import annotations

import argparse
from pathlib import Path

from mediation_desk.commands.common import EXIT_OK, Formatter, Subcommands, actor
from mediation_desk.commands.output import local, out, print_lines, table
from mediation_desk.services import backups
from mediation_desk.services.backups import BackupInfo

REASONS = {"manual": "手动", "daily": "每日自动", "pre-migration": "升级前", "pre-restore": "恢复前", "file": "文件"}


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(size, 1024) / 1024:.0f} KB"


def _backup_line(info: BackupInfo) -> str:
    return f"{info.name}（{size_text(info.size)}）"


def _cmd_backup_create(_args: argparse.Namespace, root: Path) -> int:
    info = backups.create(root, actor())
    out(f"已备份：{_backup_line(info)}")
    out(f"位置：{info.path}")
    return EXIT_OK


def _cmd_backup_list(_args: argparse.Namespace, root: Path) -> int:
    found = backups.backups(root)
    if not found:
        out("还没有备份")
        return EXIT_OK
    rows = [
        [info.name, local(info.created), REASONS.get(info.reason, info.reason), size_text(info.size)] for info in found
    ]
    print_lines(table(["名称", "时间", "类型", "大小"], rows))
    return EXIT_OK


def _cmd_backup_restore(args: argparse.Namespace, root: Path) -> int:
    report = backups.restore(root, args.name, actor())
    out(f"已从备份 {report.restored.name} 恢复")
    out(f"恢复前的数据库已另存为备份 {report.safety.name}")
    out(f"本工作台已换用新的同步设备标识 {report.device_id}（恢复的备份不再沿用原标识）")
    return EXIT_OK


def add_parsers(commands: Subcommands) -> None:
    backup = commands.add_parser("backup", help="备份与恢复", formatter_class=Formatter)
    backup_commands = backup.add_subparsers(dest="backup_command", metavar="ACTION", required=True)
    backup_commands.add_parser("create", help="立即备份数据库").set_defaults(handler=_cmd_backup_create)
    backup_commands.add_parser("list", help="列出备份（最新的在前）").set_defaults(handler=_cmd_backup_list)
    restore = backup_commands.add_parser(
        "restore",
        help="用备份替换当前数据库（先自动备份当前数据库）",
        description=(
            "用备份替换当前数据库。恢复前自动备份当前数据库；恢复后升级到本程序的数据库版本，\n"
            "并为本工作台换用新的同步设备标识。须先关闭使用该数据文件夹的调解工作台。"
        ),
        formatter_class=Formatter,
    )
    restore.add_argument("name", metavar="NAME", help="备份名称（见 backup list），或备份文件的路径")
    restore.set_defaults(handler=_cmd_backup_restore)
