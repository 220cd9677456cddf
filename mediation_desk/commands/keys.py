"""``keys``: the sync keys (``show``, ``export``, ``trust``, ``export-identity``, ``new-identity``) and the data key
(``export-data-key`` and ``import-data-key``: moving a desk's data key to a new laptop).

``keys trust FILE`` shows the organisation and the fingerprint of the public key file and asks for confirmation
when standard input is a terminal (``--yes`` skips the question); piped, it trusts without asking, as scripts
need."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mediation_desk.commands.common import (
    EXIT_OK,
    EXIT_USER_ERROR,
    Formatter,
    Subcommands,
    actor,
    open_for_reading,
    open_for_writing,
)
from mediation_desk.commands.output import err, out, print_json
from mediation_desk.commands.setup import read_password
from mediation_desk.services import keys
from mediation_desk.services import sync as sync_keys

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


def _cmd_show(args: argparse.Namespace, root: Path) -> int:
    desk = open_for_reading(root)
    try:
        info = sync_keys.show_keys(desk)
    finally:
        desk.close()
    if args.json:
        print_json(info.to_json())
        return EXIT_OK
    out(f"{info.org_name}（{info.org}，{info.role_label}）的同步公钥")
    out(f"  设备：{info.device}")
    out("  指纹（请分组读给对方核对）：")
    groups = info.spoken.split()
    for start in range(0, len(groups), 4):
        out("    " + " ".join(groups[start : start + 4]))
    out(f"  age 公钥：{info.age_recipient}")
    for peer in info.peers:
        out(f"  已信任：{peer.org_name}（{peer.org}，{peer.role_label}），指纹 {peer.spoken[:19]}…")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace, root: Path) -> int:
    desk = open_for_writing(root)
    try:
        info = sync_keys.export_public_key(desk, Path(args.file))
    finally:
        desk.close()
    out(f"已写出公钥文件：{args.file}（{info.org_name}，指纹 {info.spoken}）")
    out("请把此文件交给上下级单位，并通过电话核对指纹")
    return EXIT_OK


def _confirm(question: str) -> bool:
    sys.stdout.write(question)
    sys.stdout.flush()
    answer = sys.stdin.readline().strip().lower()
    return answer in ("y", "yes", "是")


def _cmd_trust(args: argparse.Namespace, root: Path) -> int:
    peer, _key = sync_keys.read_peer_key(Path(args.file))
    out(f"公钥文件：{peer.org_name}（{peer.org}，{peer.role_label}）")
    out(f"  设备：{peer.device}")
    out(f"  指纹：{peer.spoken}")
    if not args.yes and sys.stdin.isatty() and not _confirm("请与对方电话核对指纹。确认信任？[y/N] "):
        err("未信任：没有作任何改动")
        return EXIT_USER_ERROR
    desk = open_for_writing(root)
    try:
        pinned = sync_keys.trust_key_file(desk, Path(args.file))
    finally:
        desk.close()
    if pinned.already:
        out(f"本工作台已信任{peer.org_name}的这把密钥，未作改动")
    else:
        out(f"已信任{peer.org_name}（{peer.org}）")
        if pinned.certified:
            out("已为它签发证书：本工作台转给县里的文件中，它的记录可以逐条验证")
    return EXIT_OK


def _cmd_export_identity(args: argparse.Namespace, root: Path) -> int:
    desk = open_for_writing(root)
    try:
        sync_keys.export_identity(desk, Path(args.file))
    finally:
        desk.close()
    out(f"已写出 age 私钥：{args.file}")
    err("警告：持有此文件者可以解密发给本工作台的全部同步文件；只用于手工恢复，用完请删除，切勿外传")
    return EXIT_OK


def _cmd_new_identity(args: argparse.Namespace, root: Path) -> int:
    if (
        not args.yes
        and sys.stdin.isatty()
        and not _confirm("换用新的设备标识后，上下级单位须重新信任本工作台。继续？[y/N] ")
    ):
        err("未作任何改动")
        return EXIT_USER_ERROR
    desk = open_for_writing(root)
    try:
        info = sync_keys.new_device_identity(desk)
    finally:
        desk.close()
    out(f"本工作台已换用新的设备标识 {info.device} 和新密钥（指纹 {info.spoken}）")
    if info.reissued:
        out(f"{info.reissued} 条记录的最近修改原由旧密钥签名，已以新标识重新登记，将随下一次导出送出")
    out("请用 keys export 写出新的公钥文件，交给上下级单位用 keys trust 重新信任")
    return EXIT_OK


def _add_sync_parsers(actions: Subcommands) -> None:
    show = actions.add_parser("show", help="本工作台的同步公钥指纹（分组，便于电话核对）", formatter_class=Formatter)
    show.add_argument("--json", action="store_true", help="以 JSON 输出")
    show.set_defaults(handler=_cmd_show)
    export = actions.add_parser("export", help="写出本工作台的公钥文件，交给上下级单位", formatter_class=Formatter)
    export.add_argument("file", metavar="FILE", help="要写入的公钥文件")
    export.set_defaults(handler=_cmd_export)
    trusted = actions.add_parser(
        "trust",
        help="信任上下级单位的公钥文件",
        description=(
            "显示公钥文件中的单位、层级和指纹；在终端上运行时先请你确认（与对方电话核对指纹），--yes 不再询问。\n"
            "村居信任所属乡镇（以及县），乡镇信任下属村居和县，县信任各乡镇。乡镇信任村居时自动为它签发证书。"
        ),
        formatter_class=Formatter,
    )
    trusted.add_argument("file", metavar="FILE", help="对方用 keys export 写出的公钥文件")
    trusted.add_argument("--yes", action="store_true", help="不询问，直接信任")
    trusted.set_defaults(handler=_cmd_trust)
    identity = actions.add_parser(
        "export-identity",
        help="写出 age 私钥，用于手工解密同步文件（慎用）",
        description=(
            "写出本工作台的 age 私钥（以及钥匙串中仍保存的旧私钥）到一个新文件，仅本人可读。\n"
            "手工恢复：tail -n +2 FILE.mdsync | age -d -i 私钥文件 > archive.zip（去掉首行后即标准 age 文件）。"
        ),
        formatter_class=Formatter,
    )
    identity.add_argument("file", metavar="FILE", help="要写入的私钥文件（不能是已有文件）")
    identity.set_defaults(handler=_cmd_export_identity)
    fresh = actions.add_parser(
        "new-identity",
        help="换用新的设备标识和同步密钥（密钥丢失时）",
        description=(
            "系统钥匙串中的同步密钥丢失且无法恢复时使用：本工作台换用新的设备标识和新密钥，\n"
            "旧标识下的修订保持原样；之后须把新的公钥文件交给上下级单位重新信任。"
        ),
        formatter_class=Formatter,
    )
    fresh.add_argument("--yes", action="store_true", help="不询问")
    fresh.set_defaults(handler=_cmd_new_identity)


def add_parsers(commands: Subcommands) -> None:
    group = commands.add_parser("keys", help="密钥：同步公钥与信任，数据密钥的导出与导入", formatter_class=Formatter)
    actions = group.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    _add_sync_parsers(actions)
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
