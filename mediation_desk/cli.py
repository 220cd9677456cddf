"""The command line (DESIGN.md, Command line). It is a contract that scripts rely on:

- ``--data-dir DIR`` is global and comes before the command word; ``MEDIATION_DESK_DATA`` does the same; the
  default is the per-user folder from platformdirs.
- Exit status 0 on success, 1 on a user error with a one-line Chinese message on stderr (a ledger with several
  bad rows: the count on the first line, then one line per problem), 2 on wrong usage (argparse). No traceback
  for bad input (set ``MEDIATION_DESK_DEBUG=1`` to see one for an internal error).
- Commands that write take the data-folder lock, so a desk already open on the folder (the GUI) makes them exit 1
  with the lock message; commands that only read do not.
- Long runs show a progress bar on stderr when it is a terminal, nothing extra when piped.
- Identity numbers and phone numbers are masked in every output (331122********123X, 138****1234).

This module imports no Qt: the GUI is imported only when it is started.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

import sqlalchemy.exc

from mediation_desk import __version__
from mediation_desk.domain.codes import OrgLevel
from mediation_desk.domain.dates import parse_date
from mediation_desk.domain.errors import DomainError, ValidationError
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.masking import mask_id_number, mask_phone
from mediation_desk.domain.money import fen_to_yuan, fen_to_yuan_text
from mediation_desk.services import backups
from mediation_desk.services.cases import CaseDetail, CaseFilter, CaseRow, get_case, list_cases
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.ledger import LedgerInvalid, import_ledger
from mediation_desk.services.orgs import import_orgs
from mediation_desk.services.setup import SetupInput, initialise
from mediation_desk.services.stats import Group, Statistics, StatsQuery, statistics
from mediation_desk.services.textfiles import read_utf8
from mediation_desk.services.users import check_password, check_username
from mediation_desk.store.backup import BackupInfo
from mediation_desk.store.datadir import DataDir, default_data_dir

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
DEBUG_ENV = "MEDIATION_DESK_DEBUG"
PROG = "mediation-desk"

Handler = Callable[[argparse.Namespace, Path], int]

PRIVACY_NOTE = "输出中的身份证号码和电话号码一律遮挡显示（如 331122********123X、138****1234），JSON 输出也是如此。"


# ---------------------------------------------------------------------------------------------------------------
# Output helpers


def _out(text: str = "") -> None:
    print(text, file=sys.stdout)


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _json(value: Any) -> None:
    _out(json.dumps(value, ensure_ascii=False, indent=2))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Columns aligned for a terminal, counting CJK characters as two columns."""
    widths = [_width(header) for header in headers]
    for row in rows:
        widths = [max(width, _width(cell)) for width, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = [cell + " " * (width - _width(cell)) for cell, width in zip(cells, widths, strict=True)]
        return "  ".join(padded).rstrip()

    return [line(headers), *(line(row) for row in rows)]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _local(when: datetime | date) -> str:
    if isinstance(when, datetime):
        return when.astimezone().strftime("%Y-%m-%d %H:%M")
    return when.isoformat()


class ProgressBar:
    """A progress bar on stderr, drawn only when stderr is a terminal; at most ten redraws a second."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        try:
            self.enabled = self.stream.isatty()
        except (AttributeError, ValueError):
            self.enabled = False
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        fraction = min(max(done / total, 0.0), 1.0)
        filled = int(fraction * 30)
        bar = "█" * filled + "░" * (30 - filled)
        self.stream.write(f"\r{self.label} {bar} {fraction:4.0%} {done}/{total}")
        self.stream.flush()
        self._drawn = True

    def finish(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


# ---------------------------------------------------------------------------------------------------------------
# Opening the desk


def _actor() -> Actor:
    return Actor.local_operator("cli")


def _open_for_writing(root: Path) -> Desk:
    DataDir(root).require()  # a clear message, and no lock file left in a folder that holds no desk
    return Desk.open(root, _actor(), lock=True)


def _open_for_reading(root: Path) -> Desk:
    DataDir(root).require()
    return Desk.open(root, _actor())


# ---------------------------------------------------------------------------------------------------------------
# Commands


def _cmd_gui(args: argparse.Namespace, root: Path) -> int:
    try:
        from mediation_desk.ui import app
    except ImportError as error:
        raise DomainError(f"无法启动图形界面（{error}）；命令行功能不受影响，见 {PROG} --help") from None
    return int(app.run(root, demo=bool(getattr(args, "demo", False))))


def _read_password(source: str) -> str:
    text = sys.stdin.read() if source == "-" else read_utf8(Path(source), "密码文件")
    if text.endswith("\r\n"):
        return text[:-2]
    return text.removesuffix("\n")


def _cmd_init(args: argparse.Namespace, root: Path) -> int:
    password = check_password(_read_password(args.password_file))  # checked before anything is created
    check_username(args.admin)
    level = OrgLevel(args.level)
    data = SetupInput(args.org, args.name, level, args.parent or None, args.admin, password, args.prefix)
    desk = initialise(root, data, _actor())
    desk.close()
    _out(f"已建立工作台：{args.org.strip()} {args.name.strip()}（{level.label}），管理员 {args.admin.strip()}")
    _out(f"数据文件夹：{root}")
    return EXIT_OK


def _cmd_orgs_import(args: argparse.Namespace, root: Path) -> int:
    desk = _open_for_writing(root)
    try:
        summary = import_orgs(desk, args.file).value
    finally:
        desk.close()
    _out(f"组织导入完成：新增 {summary.created} 个，更新 {summary.updated} 个，未变 {summary.unchanged} 个")
    return EXIT_OK


def _cmd_ledger_import(args: argparse.Namespace, root: Path) -> int:
    desk = _open_for_writing(root)
    bar = ProgressBar("导入台账")
    try:
        report = import_ledger(desk, args.file, dry_run=args.dry_run, progress=bar).value
    finally:
        bar.finish()
        desk.close()
    _out(f"台账行数：{report.rows}")
    _out(f"新建案件：{report.created}")
    _out(f"已有案件（未重复导入）：{report.already_present}")
    _out(f"新建调解员：{report.mediators_created}")
    if report.dry_run:
        _out("试运行，未写入")
    return EXIT_OK


def _parse_status(text: str) -> CaseStatus:
    wanted = text.strip()
    for status in CaseStatus:
        if wanted in (status.value, status.label):
            return status
    known = "、".join(f"{status.value}（{status.label}）" for status in CaseStatus)
    raise ValidationError(f"未知的案件状态“{text}”；可用的状态：{known}")


def _row_json(row: CaseRow) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "number": row.number,
        "intake_date": row.intake_date.isoformat(),
        "org_code": row.org_code,
        "org_name": row.org_name,
        "category": row.category,
        "category_name": row.category_name,
        "source": row.source.value,
        "source_label": row.source.label,
        "status": row.status.value,
        "status_label": row.status.label,
        "outcome": row.outcome.value if row.outcome else None,
        "outcome_label": row.outcome.label if row.outcome else None,
        "applicants": row.applicants,
        "respondents": row.respondents,
        "amount_fen": row.amount_fen,
        "amount_yuan": fen_to_yuan(row.amount_fen),
        "closing_date": _iso(row.closing_date),
    }


def _cmd_cases_list(args: argparse.Namespace, root: Path) -> int:
    status = _parse_status(args.status) if args.status else None
    desk = _open_for_reading(root)
    try:
        rows = list_cases(desk, CaseFilter(org_code=args.org, status=status))
    finally:
        desk.close()
    if args.json:
        _json([_row_json(row) for row in rows])
        return EXIT_OK
    if not rows:
        _out("没有符合条件的案件")
        return EXIT_OK
    table = [
        [
            row.number,
            row.intake_date.isoformat(),
            row.category_name,
            row.status.label,
            row.outcome.label if row.outcome else "—",
        ]
        for row in rows
    ]
    for line in _table(["案号", "受理日期", "纠纷类型", "状态", "结果"], table):
        _out(line)
    _out(f"共 {len(rows)} 件")
    return EXIT_OK


def _detail_json(detail: CaseDetail) -> dict[str, Any]:
    outcome = detail.outcome
    return {
        **_row_json(detail.row),
        "subtype": detail.subtype,
        "referral_body": detail.referral_body,
        "title": detail.title,
        "facts": detail.facts,
        "requests": detail.requests,
        "place": detail.place,
        "persons": detail.persons,
        "group_dispute": detail.group_dispute,
        "risk_flags": [flag.value for flag in detail.risk_flags],
        "recorder": detail.recorder,
        "refusal_reason": detail.refusal_reason,
        "notes": detail.notes,
        "parties": [
            {
                "role": party.role.value,
                "role_label": party.role.label,
                "kind": party.kind.value,
                "name": party.name,
                "gender": party.gender.value if party.gender else None,
                "ethnicity": party.ethnicity,
                "birth_date": _iso(party.birth_date),
                "id_type": party.id_type.value,
                "id_number": mask_id_number(party.id_number),
                "phone": mask_phone(party.phone),
                "address": party.address,
                "occupation": party.occupation,
                "employer": party.employer,
                "agent_name": party.agent_name,
            }
            for party in detail.parties
        ],
        "mediators": [
            {
                "name": mediator.name,
                "role": mediator.role.value,
                "role_label": mediator.role.label,
                "assigned_on": mediator.assigned_on.isoformat(),
                "recused": mediator.recused,
            }
            for mediator in detail.mediators
        ],
        "records": [
            {"kind": record.kind, "when": record.when.isoformat(), "summary": record.summary, "body": record.body}
            for record in detail.records
        ],
        "outcome": None
        if outcome is None
        else {
            "kind": outcome.kind.value,
            "label": outcome.kind.label,
            "decided_on": outcome.decided_on.isoformat(),
            "reason": outcome.reason,
            "performance": outcome.performance.value if outcome.performance else None,
            "performance_label": outcome.performance.label if outcome.performance else None,
        },
    }


def _detail_text(detail: CaseDetail) -> list[str]:
    row = detail.row
    lines = [
        f"案号：{row.number}",
        f"组织：{row.org_code} {row.org_name}",
        f"受理日期：{row.intake_date.isoformat()}    案件来源：{row.source.label}"
        + (f"（{detail.referral_body}）" if detail.referral_body else ""),
        f"纠纷类型：{row.category_name}（{row.category}）",
        f"状态：{row.status.label}" + (f"    结案日期：{row.closing_date.isoformat()}" if row.closing_date else ""),
        f"涉及金额：{fen_to_yuan_text(row.amount_fen)} 元    涉及人数：{detail.persons}    "
        f"群体性：{'是' if detail.group_dispute else '否'}",
    ]
    if detail.risk_flags:
        lines.append("风险：" + "、".join(flag.label for flag in detail.risk_flags))
    if detail.facts:
        lines.append(f"纠纷简要情况：{detail.facts}")
    if detail.requests:
        lines.append(f"申请事项：{detail.requests}")
    lines.append("当事人：")
    for party in detail.parties:
        particulars = [
            value
            for value in (
                party.gender.label if party.gender else "",
                party.ethnicity,
                f"{party.id_type.label} {mask_id_number(party.id_number)}" if party.id_number else "",
                f"电话 {mask_phone(party.phone)}" if party.phone else "",
                party.address,
                party.occupation,
            )
            if value
        ]
        suffix = f"（{'，'.join(particulars)}）" if particulars else ""
        lines.append(f"  {party.role.label} {party.name}{suffix}")
    if detail.mediators:
        lines.append("调解员：")
        for mediator in detail.mediators:
            recused = "，已回避" if mediator.recused else ""
            lines.append(f"  {mediator.role.label} {mediator.name}（{mediator.assigned_on.isoformat()} 指派{recused}）")
    if detail.records:
        lines.append("记录：")
        for record in detail.records:
            lines.append(f"  {_local(record.when)} {record.summary}")
    if detail.outcome is not None:
        outcome = detail.outcome
        text = f"结果：{outcome.kind.label}（{outcome.decided_on.isoformat()}）"
        if outcome.reason:
            text += f"，原因：{outcome.reason}"
        if outcome.performance:
            text += f"，履行情况：{outcome.performance.label}"
        lines.append(text)
    else:
        lines.append("结果：尚未结束")
    if detail.notes:
        lines.append(f"备注：{detail.notes}")
    return lines


def _cmd_cases_show(args: argparse.Namespace, root: Path) -> int:
    desk = _open_for_reading(root)
    try:
        detail = get_case(desk, args.number)
    finally:
        desk.close()
    if args.json:
        _json(_detail_json(detail))
    else:
        for line in _detail_text(detail):
            _out(line)
    return EXIT_OK


def _group_lines(title: str, groups: Sequence[Group]) -> list[str]:
    shown = [group for group in groups if group.counts.cases]
    if not shown:
        return []
    rows = [
        [
            group.name,
            str(group.counts.cases),
            str(group.counts.successful),
            f"{group.counts.success_rate:.2f}%",
            fen_to_yuan_text(group.counts.amount_fen),
        ]
        for group in shown
    ]
    return [f"{title}：", *("  " + line for line in _table(["", "受理", "成功", "成功率", "协议金额（元）"], rows))]


def _stats_text(result: Statistics) -> list[str]:
    totals = result.totals
    if result.date_from or result.date_to:
        start = result.date_from.isoformat() if result.date_from else "最早"
        end = result.date_to.isoformat() if result.date_to else "今天"
        period = f"{start} 至 {end}（按受理日期）"
    else:
        period = "全部日期"
    lines = [
        f"统计范围：{result.org_name}（{result.org_code}）及下级组织，{period}",
        f"受理纠纷 {totals.cases} 件，调解结束 {totals.mediated} 件，其中调解成功 {totals.successful} 件，"
        f"成功率 {totals.success_rate:.2f}%",
        f"调解不成 {totals.failed} 件，终止调解 {totals.terminated} 件，不予受理 {totals.refused} 件，"
        f"在办 {totals.pending} 件",
        f"书面协议 {totals.written_agreements} 件，口头协议 {totals.oral_agreements} 件，"
        f"协议金额 {fen_to_yuan_text(totals.amount_fen)} 元（{totals.amount_fen / 1_000_000:.2f} 万元）",
        f"涉及人数 {totals.persons} 人；群体性纠纷 {totals.group_cases} 件，涉及 {totals.group_persons} 人",
        f"排查 {result.screening_rounds} 次，排查发现纠纷 {result.disputes_found} 件，"
        f"预防纠纷 {result.disputes_prevented} 件，防止民转刑 {result.escalations_prevented} 件",
        f"调解员 {result.mediators} 人，其中专职 {result.full_time_mediators} 人",
    ]
    for title, groups in (
        ("按纠纷类型", result.by_category),
        ("按案件来源", result.by_source),
        ("按组织", result.by_org),
    ):
        lines.extend(_group_lines(title, groups))
    return lines


def _cmd_stats(args: argparse.Namespace, root: Path) -> int:
    date_from = parse_date(args.date_from, field="from") if args.date_from else None
    date_to = parse_date(args.date_to, field="to") if args.date_to else None
    desk = _open_for_reading(root)
    try:
        result = statistics(desk, StatsQuery(date_from, date_to, args.org))
    finally:
        desk.close()
    if args.json:
        _json(result.as_json())
    else:
        for line in _stats_text(result):
            _out(line)
    return EXIT_OK


_REASONS = {"manual": "手动", "daily": "每日自动", "pre-migration": "升级前", "pre-restore": "恢复前", "file": "文件"}


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(size, 1024) / 1024:.0f} KB"


def _backup_line(info: BackupInfo) -> str:
    return f"{info.name}（{_size(info.size)}）"


def _cmd_backup_create(_args: argparse.Namespace, root: Path) -> int:
    info = backups.create(root, _actor())
    _out(f"已备份：{_backup_line(info)}")
    _out(f"位置：{info.path}")
    return EXIT_OK


def _cmd_backup_list(_args: argparse.Namespace, root: Path) -> int:
    found = backups.backups(root)
    if not found:
        _out("还没有备份")
        return EXIT_OK
    rows = [
        [info.name, _local(info.created), _REASONS.get(info.reason, info.reason), _size(info.size)] for info in found
    ]
    for line in _table(["名称", "时间", "类型", "大小"], rows):
        _out(line)
    return EXIT_OK


def _cmd_backup_restore(args: argparse.Namespace, root: Path) -> int:
    report = backups.restore(root, args.name, _actor())
    _out(f"已从备份 {report.restored.name} 恢复")
    _out(f"恢复前的数据库已另存为备份 {report.safety.name}")
    _out(f"本工作台已换用新的同步设备标识 {report.device_id}（恢复的备份不再沿用原标识）")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace, root: Path) -> int:
    from mediation_desk.services import demo

    if DataDir(root).exists():
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
    _out(
        f"已建立演示工作台（全部为虚构数据）：{summary.orgs} 个组织，其中村（社区）{summary.villages} 个，"
        f"调解员 {summary.mediators} 人，{summary.year} 年案件 {summary.cases} 件"
    )
    _out(f"数据文件夹：{root}；管理员用户名 {demo.DEMO_ADMIN}，密码 {demo.DEMO_PASSWORD}")
    return EXIT_OK


# ---------------------------------------------------------------------------------------------------------------
# The parser


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32, width=110)


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数：{text}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"不能为负数：{text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="调解工作台（Mediation Desk）：人民调解委员会的案件管理。不带命令时启动图形界面。",
        epilog=(
            "退出状态：0 成功；1 用户错误（stderr 上一行中文说明）；2 用法错误。\n"
            f"--data-dir 须写在命令之前；也可用环境变量 MEDIATION_DESK_DATA 指定数据文件夹。\n{PRIVACY_NOTE}"
        ),
        formatter_class=_Formatter,
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="数据文件夹（默认：环境变量 MEDIATION_DESK_DATA，否则为本用户的应用数据文件夹）",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="命令")

    gui = commands.add_parser("gui", help="启动图形界面（默认）", formatter_class=_Formatter)
    gui.add_argument("--demo", action="store_true", help="数据文件夹为空时直接建立演示数据")
    gui.set_defaults(handler=_cmd_gui)

    init = commands.add_parser(
        "init",
        help="首次设置：本工作台所属组织和管理员账户",
        description="不用图形界面完成首次设置：建立数据文件夹、记录本工作台所属组织和管理员账户。",
        formatter_class=_Formatter,
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

    orgs = commands.add_parser("orgs", help="组织机构", formatter_class=_Formatter)
    orgs_commands = orgs.add_subparsers(dest="orgs_command", metavar="ACTION", required=True)
    orgs_import = orgs_commands.add_parser(
        "import",
        help="导入组织列表 CSV（code,name,level,parent_code）",
        description="导入或更新组织列表：UTF-8 CSV，表头为 code,name,level,parent_code。",
        formatter_class=_Formatter,
    )
    orgs_import.add_argument("file", type=Path, metavar="FILE.csv")
    orgs_import.set_defaults(handler=_cmd_orgs_import)

    ledger = commands.add_parser("ledger", help="案件台账", formatter_class=_Formatter)
    ledger_commands = ledger.add_subparsers(dest="ledger_command", metavar="ACTION", required=True)
    ledger_import = ledger_commands.add_parser(
        "import",
        help="导入案件台账（.xlsx 或 UTF-8 .csv）",
        description=(
            "导入案件台账（.xlsx 或 UTF-8 .csv）。任何一行有错时列出全部错误（行号、列、原因），不导入任何案件；\n"
            "同一台账重复导入不会重复建案。必填列：受理日期、纠纷类型、案件来源、申请人。"
        ),
        formatter_class=_Formatter,
    )
    ledger_import.add_argument("file", type=Path, metavar="FILE")
    ledger_import.add_argument("--dry-run", action="store_true", help="只检查并报告将导入的内容，不写入")
    ledger_import.set_defaults(handler=_cmd_ledger_import)

    cases = commands.add_parser("cases", help="案件", formatter_class=_Formatter)
    cases_commands = cases.add_subparsers(dest="cases_command", metavar="ACTION", required=True)
    cases_list = cases_commands.add_parser(
        "list",
        help="列出案件（案号、受理日期、纠纷类型、状态、结果）",
        description=f"列出案件，最新的在前。{PRIVACY_NOTE}",
        formatter_class=_Formatter,
    )
    cases_list.add_argument("--org", metavar="CODE", help="只列该组织及其下级的案件（默认：本工作台的组织）")
    cases_list.add_argument(
        "--status", metavar="S", help="按状态筛选：状态代码或中文名称，如 closed 或 已结案、mediating 或 调解中"
    )
    cases_list.add_argument("--json", action="store_true", help="以 JSON 输出（字段名为固定的英文）")
    cases_list.set_defaults(handler=_cmd_cases_list)
    cases_show = cases_commands.add_parser(
        "show",
        help="显示一件案件：当事人、调解员、记录和结果",
        description=f"显示一件案件的当事人、调解员、调查和调解记录及结果。{PRIVACY_NOTE}",
        formatter_class=_Formatter,
    )
    cases_show.add_argument("number", metavar="CASE_NUMBER", help="案号，如 (2021)缙五人调字第12号")
    cases_show.add_argument("--json", action="store_true", help="以 JSON 输出")
    cases_show.set_defaults(handler=_cmd_cases_show)

    stats = commands.add_parser(
        "stats",
        help="统计（默认：全部日期，本工作台的组织及下级）",
        description="按受理日期统计一个时期、一个组织及其下级的调解指标。",
        formatter_class=_Formatter,
    )
    stats.add_argument("--from", dest="date_from", metavar="DATE", help="开始日期（含），如 2021-01-01")
    stats.add_argument("--to", dest="date_to", metavar="DATE", help="截止日期（含），如 2021-12-31")
    stats.add_argument("--org", metavar="CODE", help="组织代码（默认：本工作台的组织）")
    stats.add_argument("--json", action="store_true", help="以 JSON 输出")
    stats.set_defaults(handler=_cmd_stats)

    backup = commands.add_parser("backup", help="备份与恢复", formatter_class=_Formatter)
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
        formatter_class=_Formatter,
    )
    restore.add_argument("name", metavar="NAME", help="备份名称（见 backup list），或备份文件的路径")
    restore.set_defaults(handler=_cmd_backup_restore)

    demo = commands.add_parser(
        "demo",
        help="在新的数据文件夹中建立演示数据（虚构的一个县）",
        description="在新的（空的）数据文件夹中建立一个虚构县的演示数据：组织、调解员和一年的案件。",
        formatter_class=_Formatter,
    )
    demo.add_argument("--villages", type=_non_negative, metavar="N", help="村（社区）调委会数（默认 261）")
    demo.add_argument("--cases", type=_non_negative, metavar="N", help="案件数（默认 4252）")
    demo.add_argument("--year", type=int, metavar="Y", help="案件年份（默认：去年）")
    demo.add_argument(
        "--seed", type=int, default=2021, metavar="S", help="随机种子（默认 2021）：同一种子得到同样的数据"
    )
    demo.set_defaults(handler=_cmd_demo)
    return parser


# ---------------------------------------------------------------------------------------------------------------
# Entry points


def _report(error: DomainError) -> None:
    if isinstance(error, LedgerInvalid):
        _err(f"错误：{error.message}：")
        for problem in error.errors:
            _err(f"  {problem}")
        return
    lines = [line for line in error.message.splitlines() if line.strip()]
    if len(lines) <= 1:
        _err(f"错误：{error.message.strip()}")
        return
    _err(f"错误：共 {len(lines)} 处问题：")
    for line in lines:
        _err(f"  {line}")


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _exit_code(code: object) -> int:
    if code is None:
        return EXIT_OK
    if isinstance(code, int):
        return code
    _err(str(code))
    return EXIT_USER_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit status (0 ok, 1 user error, 2 wrong usage)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version, and usage errors (2)
        return _exit_code(exit_.code)
    root: Path = (args.data_dir or default_data_dir()).expanduser()
    handler: Handler = getattr(args, "handler", _cmd_gui)
    try:
        return handler(args, root)
    except DomainError as error:
        _report(error)
    except KeyboardInterrupt:
        _err("已取消")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (| head): stop quietly, as Python's documentation advises
        _silence_stdout()
    except sqlalchemy.exc.SQLAlchemyError as error:
        if os.environ.get(DEBUG_ENV):
            raise
        detail = str(getattr(error, "orig", None) or error).splitlines()[0]
        _err(f"错误：数据库出错（{detail}）；本次操作未完成")
    except OSError as error:
        if os.environ.get(DEBUG_ENV):
            raise
        where = f"{error.filename}：" if error.filename else ""
        _err(f"错误：{where}{error.strerror or error}")
    except Exception as error:  # an internal error: one line, no personal data, no traceback unless asked
        if os.environ.get(DEBUG_ENV):
            raise
        _err(f"错误：内部错误（{type(error).__name__}）；设置环境变量 {DEBUG_ENV}=1 可查看详情")
    return EXIT_USER_ERROR


def gui_main(argv: Sequence[str] | None = None) -> int:
    """The ``mediation-desk-gui`` entry point: the GUI only, with ``--data-dir`` and ``--demo``."""
    if sys.stdout is None or sys.stderr is None:  # a windowed program has no console streams
        devnull = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
        sys.stdout = sys.stdout or devnull
        sys.stderr = sys.stderr or devnull
    parser = argparse.ArgumentParser(prog=f"{PROG}-gui", description="调解工作台（图形界面）")
    parser.add_argument("--data-dir", type=Path, metavar="DIR", help="数据文件夹")
    parser.add_argument("--demo", action="store_true", help="数据文件夹为空时直接建立演示数据")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    try:
        args, _qt_arguments = parser.parse_known_args(argv)
    except SystemExit as exit_:
        return _exit_code(exit_.code)
    root: Path = (args.data_dir or default_data_dir()).expanduser()
    try:
        return _cmd_gui(args, root)
    except DomainError as error:
        _report(error)
        return EXIT_USER_ERROR
