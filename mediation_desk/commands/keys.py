"""``keys export-data-key`` and ``keys import-data-key``: moving a desk's data key to a new laptop."""

from __future__ import annotations

import argparse
from pathlib import Path

from mediation_desk.commands.common import EXIT_OK, Formatter, Subcommands, actor
from mediation_desk.commands.output import out
from mediation_desk.commands.setup import read_password
from mediation_desk.services import keys

_PASSWORD_HELP = "口令所在的文本文件（去掉末尾的一个换行）；“-”表示从标准输入读取"


def _cmd_export_data_key(args: argparse.Namespace, root: Path) -> int:
    passphrase = read_password(args.password_file)
    key_id = keys.export_data_key(root, Path(args.file), passphrase, actor())
    out(f"已导出数据密钥（密钥编号 {key_id}）：{args.file}")
    out("请把此文件和口令分开妥善保管：两者合在一起即可解密本工作台的身份证号码和电话号码")
    return EXIT_OK


def _cmd_import_data_key(args: argparse.Namespace, root: Path) -> int:
    passphrase = read_password(args.password_file)
    imported = keys.import_data_key(root, Path(args.file), passphrase, actor())
    if imported.already_present:
        out(f"本机的系统钥匙串中已有此数据密钥（密钥编号 {imported.key_id}），未作改动")
    else:
        out(f"已导入数据密钥（密钥编号 {imported.key_id}）到本机的系统钥匙串；工作台可以正常打开了")
    return EXIT_OK


def add_parsers(commands: Subcommands) -> None:
    group = commands.add_parser("keys", help="密钥：数据密钥的导出与导入", formatter_class=Formatter)
    actions = group.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export-data-key",
        help="用口令加密导出本工作台的数据密钥（备份，或搬到新电脑）",
        description=(
            "把本工作台的数据密钥用口令加密（scrypt 与 AES-GCM）写入一个新文件。身份证号码和电话号码\n"
            "在数据库中加密保存，密钥在系统钥匙串中；换电脑或重装系统时，须用此文件和口令导入密钥。"
        ),
        formatter_class=Formatter,
    )
    export.add_argument("file", metavar="FILE", help="要写入的密钥文件（不能是已有文件）")
    export.add_argument("--password-file", required=True, metavar="PW", help=f"{_PASSWORD_HELP}；口令至少 8 个字符")
    export.set_defaults(handler=_cmd_export_data_key)
    imported = actions.add_parser(
        "import-data-key",
        help="把 export-data-key 导出的数据密钥导入本机的系统钥匙串",
        description="把数据密钥文件解密（须用导出时的口令），核对它属于本工作台后存入本机的系统钥匙串。",
        formatter_class=Formatter,
    )
    imported.add_argument("file", metavar="FILE", help="export-data-key 写出的密钥文件")
    imported.add_argument("--password-file", required=True, metavar="PW", help=_PASSWORD_HELP)
    imported.set_defaults(handler=_cmd_import_data_key)
