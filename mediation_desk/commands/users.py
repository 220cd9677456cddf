"""``users list|add|passwd|reset|deactivate|activate``: the desk's accounts.

Passwords come only from a file or standard input (``-``), never from the command line, where other users of
the computer and the shell's history could read them; they are never printed. Only one password can come from
standard input in one command.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from mediation_desk.commands.common import (
    EXIT_OK,
    Formatter,
    Handler,
    Subcommands,
    open_for_reading,
    open_for_writing,
    read_password,
    sign_in_password,
    signed_in_with,
)
from mediation_desk.commands.output import local, out, print_json, print_lines, table
from mediation_desk.domain.codes import UserRole
from mediation_desk.domain.errors import DomainError
from mediation_desk.services import users
from mediation_desk.services.desk import Desk, Result
from mediation_desk.services.users import UserInfo

_STDIN_TWICE = "标准输入只能提供一个密码；请把另一个密码写在文件里"
_PASSWORD_HELP = "密码所在的文本文件（去掉末尾的一个换行）；“-”表示从标准输入读取"


def _password(source: str) -> str:
    if source == "-" and signed_in_with("-"):
        raise DomainError(_STDIN_TWICE)
    return users.check_password(read_password(source))


def _state(info: UserInfo) -> str:
    if not info.active:
        return "已停用"
    if info.locked_until is not None:
        return f"已锁定至 {local(info.locked_until)}"
    return "启用"


def _as_json(info: UserInfo) -> dict[str, object]:
    return {
        "username": info.username,
        "display_name": info.display_name,
        "role": info.role.value,
        "org_code": info.org_code,
        "active": info.active,
        "locked_until": info.locked_until.isoformat() if info.locked_until else None,
        "failed_logins": info.failed_logins,
    }


def _cmd_list(args: argparse.Namespace, root: Path) -> int:
    desk = open_for_reading(root)
    try:
        found = users.list_users(desk)
    finally:
        desk.close()
    if args.json:
        print_json([_as_json(info) for info in found])
        return EXIT_OK
    rows = [[info.username, info.display_name, info.role.label, info.org_code or "", _state(info)] for info in found]
    print_lines(table(["用户名", "姓名", "角色", "组织", "状态"], rows))
    return EXIT_OK


def _write(root: Path, action: Callable[[Desk], Result[UserInfo]]) -> UserInfo:
    """Run ``action`` on the desk opened for writing, and close it again."""
    desk = open_for_writing(root)
    try:
        return action(desk).value
    finally:
        desk.close()


def _cmd_add(args: argparse.Namespace, root: Path) -> int:
    username = users.check_username(args.username)
    password = _password(args.password_file)  # both checked before the desk is opened
    role = UserRole(args.role)
    info = _write(
        root,
        lambda desk: users.create_user(desk, username, password, role, display_name=args.name or "", org_code=args.org),
    )
    out(f"已添加用户 {info.username}（{info.role.label}，组织 {info.org_code}）")
    return EXIT_OK


def _cmd_passwd(args: argparse.Namespace, root: Path) -> int:
    if args.old_password_file is not None:
        if args.old_password_file == "-" and (args.password_file == "-" or signed_in_with("-")):
            raise DomainError(_STDIN_TWICE)
        old = read_password(args.old_password_file)
    else:
        signed = sign_in_password()
        if signed is None:
            raise DomainError("请用 --old-password-file 提供原密码（或以 --user 登录，用登录密码作原密码）")
        old = signed
    new = _password(args.password_file)
    info = _write(root, lambda desk: users.change_password(desk, old, new))
    out(f"已修改用户 {info.username} 的密码")
    return EXIT_OK


def _cmd_reset(args: argparse.Namespace, root: Path) -> int:
    password = _password(args.password_file)
    info = _write(root, lambda desk: users.reset_password(desk, args.username, password))
    out(f"已重置用户 {info.username} 的密码，并解除锁定")
    return EXIT_OK


def _account_command(action: Callable[[Desk, str], Result[UserInfo]], done: str) -> Handler:
    """A command on the account named by the argument ``username``: ``deactivate``, ``activate``."""

    def handler(args: argparse.Namespace, root: Path) -> int:
        info = _write(root, lambda desk: action(desk, args.username))
        out(f"{done}用户 {info.username}")
        return EXIT_OK

    return handler


def _add_password_file(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--password-file", required=True, metavar="FILE", help=f"{what}{_PASSWORD_HELP}")


def add_parsers(commands: Subcommands) -> None:
    group = commands.add_parser(
        "users",
        help="用户与角色（系统管理员）",
        description=(
            "管理本工作台的用户账户。密码只从文件或标准输入读取，不写在命令行上。\n"
            "以某个用户身份操作：在命令之前写 --user 用户名 --password-file 文件。"
        ),
        formatter_class=Formatter,
    )
    actions = group.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="列出用户、角色和状态", formatter_class=Formatter)
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(handler=_cmd_list)

    add = actions.add_parser("add", help="添加用户", formatter_class=Formatter)
    add.add_argument("username", metavar="USERNAME", help="用户名（2–50 个字母、数字、汉字或 _ . -）")
    add.add_argument("--role", required=True, choices=[role.value for role in UserRole], help="角色")
    add.add_argument("--name", metavar="NAME", help="姓名（默认同用户名）")
    add.add_argument("--org", metavar="CODE", help="所属组织代码（默认：本工作台的组织）")
    _add_password_file(add, "新用户的")
    add.set_defaults(handler=_cmd_add)

    passwd = actions.add_parser(
        "passwd",
        help="修改自己的密码（须提供原密码）",
        description="修改正在操作的用户（--user，或工作台的系统管理员）自己的密码。",
        formatter_class=Formatter,
    )
    passwd.add_argument("--old-password-file", metavar="FILE", help=f"原{_PASSWORD_HELP}；以 --user 登录时可省略")
    _add_password_file(passwd, "新")
    passwd.set_defaults(handler=_cmd_passwd)

    reset = actions.add_parser("reset", help="重置另一用户的密码并解除锁定", formatter_class=Formatter)
    reset.add_argument("username", metavar="USERNAME")
    _add_password_file(reset, "新")
    reset.set_defaults(handler=_cmd_reset)

    for name, help_text, handler in (
        ("deactivate", "停用用户（不能再登录；历史记录保留）", _account_command(users.deactivate_user, "已停用")),
        ("activate", "重新启用用户并解除锁定", _account_command(users.activate_user, "已启用")),
    ):
        action = actions.add_parser(name, help=help_text, formatter_class=Formatter)
        action.add_argument("username", metavar="USERNAME")
        action.set_defaults(handler=handler)
