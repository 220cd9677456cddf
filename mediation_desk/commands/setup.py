"""``init`` (first-run set-up without the GUI) and ``orgs import`` (reference organisation units)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mediation_desk.commands.common import EXIT_OK, Formatter, Subcommands, actor, open_for_writing
from mediation_desk.commands.output import out
from mediation_desk.domain.codes import OrgLevel
from mediation_desk.services.orgs import import_orgs
from mediation_desk.services.setup import SetupInput, initialise
from mediation_desk.services.textfiles import read_utf8
from mediation_desk.services.users import check_password, check_username


def read_password(source: str) -> str:
    """The password in the file ``source`` (``-``: standard input), without one trailing line break."""
    text = sys.stdin.read() if source == "-" else read_utf8(Path(source), "密码文件")
    if text.endswith("\r\n"):
        return text[:-2]
    return text.removesuffix("\n")


def _cmd_init(args: argparse.Namespace, root: Path) -> int:
    password = check_password(read_password(args.password_file))  # checked before anything is created
    check_username(args.admin)
    level = OrgLevel(args.level)
    data = SetupInput(args.org, args.name, level, args.parent or None, args.admin, password, args.prefix)
    desk = initialise(root, data, actor())
    desk.close()
    out(f"已建立工作台：{args.org.strip()} {args.name.strip()}（{level.label}），管理员 {args.admin.strip()}")
    out(f"数据文件夹：{root}")
    return EXIT_OK


def _cmd_orgs_import(args: argparse.Namespace, root: Path) -> int:
    desk = open_for_writing(root)
    try:
        summary = import_orgs(desk, args.file).value
    finally:
        desk.close()
    out(f"组织导入完成：新增 {summary.created} 个，更新 {summary.updated} 个，未变 {summary.unchanged} 个")
    return EXIT_OK


def add_init_parser(commands: Subcommands) -> None:
    init = commands.add_parser(
        "init",
        help="首次设置：本工作台所属组织和管理员账户",
        description="不用图形界面完成首次设置：建立数据文件夹、记录本工作台所属组织和管理员账户。",
        formatter_class=Formatter,
    )
    init.add_argument("--org", required=True, metavar="CODE", help="组织代码（6–15 位数字）")
    init.add_argument("--name", required=True, metavar="NAME", help="组织名称，如“某某村人民调解委员会”")
    init.add_argument(
        "--level",
        required=True,
        choices=[level.value for level in OrgLevel],
        help="组织层级（village/township/county 等）",
    )
    init.add_argument("--parent", metavar="CODE", help="上级组织代码（取自参考组织列表，或先用 orgs import 导入）")
    init.add_argument("--admin", required=True, metavar="USER", help="管理员用户名")
    init.add_argument(
        "--password-file",
        required=True,
        metavar="FILE",
        help="管理员密码所在的文本文件（去掉末尾的一个换行）；“-”表示从标准输入读取",
    )
    init.add_argument("--prefix", metavar="PREFIX", help="案号字头，如“缙五人调”")
    init.set_defaults(handler=_cmd_init)


def add_orgs_parser(commands: Subcommands) -> None:
    orgs = commands.add_parser("orgs", help="组织机构", formatter_class=Formatter)
    orgs_commands = orgs.add_subparsers(dest="orgs_command", metavar="ACTION", required=True)
    orgs_import = orgs_commands.add_parser(
        "import",
        help="导入组织列表 CSV（code,name,level,parent_code）",
        description="导入或更新组织列表：UTF-8 CSV，表头为 code,name,level,parent_code。",
        formatter_class=Formatter,
    )
    orgs_import.add_argument("file", type=Path, metavar="FILE.csv")
    orgs_import.set_defaults(handler=_cmd_orgs_import)


def add_parsers(commands: Subcommands) -> None:
    add_init_parser(commands)
    add_orgs_parser(commands)
