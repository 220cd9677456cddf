"""``print FORM CASE_NUMBER -o FILE.pdf`` and ``verify CODE``.

``print`` writes one form of one case as a PDF, atomically. Printing an agreement that is not yet printed for
signing marks it printed (refused, naming what is missing, while an Art. 29 element is empty); ``--draft``
prints a copy marked 草稿 for checking instead, changing nothing. ``verify`` checks a printed agreement's
verification code: exit 0 for a signed, current agreement; 1 for a voided one (naming its replacement), one not
yet registered as signed, an unknown code, or a code that matches several agreements.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from mediation_desk.commands.common import (
    EXIT_OK,
    EXIT_USER_ERROR,
    Formatter,
    Subcommands,
    non_negative,
    open_for_reading,
    open_for_writing,
)
from mediation_desk.commands.output import err, out
from mediation_desk.services.printing import Form, PrintRequest, changes_state, save_form, verify


def _cmd_print(args: argparse.Namespace, root: Path) -> int:
    request = PrintRequest(
        form=Form(args.form), case=args.case_number, copies=args.copies, draft=args.draft, record=args.record
    )
    desk = open_for_writing(root) if changes_state(request) else open_for_reading(root)
    try:
        printed = save_form(desk, request, Path(args.output))
    finally:
        desk.close()
    state = f"（{printed.state}）" if printed.state else ""
    out(f"已生成 {printed.title}{state}：{args.output}")
    return EXIT_OK


def _date(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else "—"


def _cmd_verify(args: argparse.Namespace, root: Path) -> int:
    desk = open_for_reading(root)
    try:
        result = verify(desk, args.code)
    finally:
        desk.close()
    if not result.genuine:
        if result.number:
            out(f"协议书编号：{result.number}")
            out(f"案号：{result.case_number}")
        err(f"错误：{result.message}")
        return EXIT_USER_ERROR
    out(result.message)
    out(f"协议书编号：{result.number}")
    out(f"案号：{result.case_number}")
    out(f"调解组织：{result.org_name}")
    out(f"当事人：{'、'.join(result.parties)}")
    out(f"生效日期：{_date(result.effective_date)}")
    if result.altered:
        err("注意：协议书签署后，案件中的当事人或调解员信息有改动；以签署的纸质文本为准，请向调解委员会核实")
    return EXIT_OK


def _copies(text: str) -> int:
    value = non_negative(text)
    if not 1 <= value <= 20:
        raise argparse.ArgumentTypeError(f"份数应为 1 至 20：{text}")
    return value


def add_parsers(commands: Subcommands) -> None:
    forms = ", ".join(form.value for form in Form)
    printing = commands.add_parser(
        "print",
        help="打印案件的文书（PDF）",
        description=(
            "把案件的一种文书写成 PDF 文件（A4，字体内嵌）。FORM：\n"
            + "".join(f"  {form.value:<15}{form.label}\n" for form in Form)
            + "协议书尚未打印签署时，打印即登记为“已打印待签”"
            "（缺少《人民调解法》第二十九条规定的内容时拒绝并列出）；"
            "\n--draft 打印核对用的草稿，不改变协议书状态。调查记录、调解记录、回访记录默认打印最近一份。"
        ),
        formatter_class=Formatter,
    )
    printing.add_argument("form", choices=[form.value for form in Form], metavar="FORM", help=forms)
    printing.add_argument("case_number", metavar="CASE_NUMBER", help="案号，如 (2021)缙五人调字第12号")
    printing.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="输出的 PDF 文件")
    printing.add_argument("--copies", type=_copies, metavar="N", help="协议书的份数（默认：当事人数加一）")
    printing.add_argument("--draft", action="store_true", help="协议书：打印草稿（不登记为已打印）")
    printing.add_argument("--record", type=non_negative, metavar="N", help="记录类文书：打印第 N 份（从 1 起）")
    printing.set_defaults(handler=_cmd_print)

    verifying = commands.add_parser(
        "verify",
        help="核对协议书上的验证码",
        description=(
            "核对纸质协议书上的验证码（或二维码的内容）。退出状态：0 协议书真实有效；"
            "1 协议书已作废（并指出取代它的协议书）、尚未登记签署、验证码不存在，或验证码与多份协议书相符。"
        ),
        formatter_class=Formatter,
    )
    verifying.add_argument("code", metavar="CODE", help="验证码，如 7KQ2M-X9HCD（大小写、空格和连字符均可）")
    verifying.set_defaults(handler=_cmd_verify)
