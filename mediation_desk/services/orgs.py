"""Organisation units: the reference list, the desk's subtree, case-number prefixes."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from mediation_desk.domain.codes import OrgLevel
from mediation_desk.domain.errors import NotFound, ValidationError
from mediation_desk.domain.numbering import validate_prefix
from mediation_desk.domain.permissions import Permission
from mediation_desk.domain.text import clean_line
from mediation_desk.resources import resource_path
from mediation_desk.services.desk import Desk, Result, UnitOfWork
from mediation_desk.services.textfiles import read_utf8
from mediation_desk.store.models import OrgUnit
from mediation_desk.store.queries.orgs import all_orgs, org_by_code, subtree_ids

__all__ = [
    "REFERENCE_FILE",
    "OrgImportSummary",
    "OrgInfo",
    "OrgRow",
    "find_org",
    "import_orgs",
    "list_orgs",
    "org_code_text",
    "parse_org_rows",
    "read_org_file",
    "reference_rows",
    "set_case_prefix",
    "subtree_ids",
    "upsert_orgs",
]

REFERENCE_FILE = ("data", "org_units_jinyun.csv")


@dataclass(frozen=True, slots=True)
class OrgInfo:
    id: uuid.UUID
    code: str
    name: str
    level: OrgLevel
    parent_code: str | None
    case_prefix: str | None


@dataclass(frozen=True, slots=True)
class OrgRow:
    """One row of an organisation file."""

    line: int
    code: str
    name: str
    level: OrgLevel
    parent_code: str | None


@dataclass(frozen=True, slots=True)
class OrgImportSummary:
    created: int
    updated: int
    unchanged: int


def _info(org: OrgUnit, codes: dict[uuid.UUID, str]) -> OrgInfo:
    return OrgInfo(
        org.id,
        org.code,
        org.name,
        org.level,
        codes.get(org.parent_id) if org.parent_id else None,
        org.case_prefix,
    )


def read_org_file(path: Path) -> list[OrgRow]:
    """Parse ``code,name,level,parent_code`` (UTF-8, BOM optional). Every bad row is reported at once."""
    return parse_org_rows(read_utf8(path, "组织文件"))


_ORG_CODE = re.compile(r"[0-9]{6,15}")
_ORG_FIELDS = {"code": "组织代码", "name": "组织名称", "level": "层级", "parent_code": "上级组织代码"}


def org_code_text(value: str) -> str:
    """An organisation code as typed or read: full-width digits folded to ASCII (NFKC), trimmed."""
    return unicodedata.normalize("NFKC", value).strip()


def _org_record(raw: dict[str | None, str | list[str] | None]) -> dict[str, str]:
    """One row's cells through ``domain.text`` (control characters refused, NFC, trimmed); codes folded."""
    record: dict[str, str] = {}
    for key, value in raw.items():
        if key is None or not isinstance(value, str | None):
            continue  # cells beyond the header
        name = key.strip()
        text = clean_line(value or "", label=_ORG_FIELDS.get(name, name), field=name)
        record[name] = org_code_text(text) if name in ("code", "parent_code") else text
    return record


def _row_errors(line: int, record: dict[str, str], seen: set[str]) -> list[str]:
    code, name = record["code"], record["name"]
    errors: list[str] = []
    if not _ORG_CODE.fullmatch(code):
        errors.append(f"第 {line} 行：组织代码“{code}”应为 6–15 位数字")
    elif code in seen:
        errors.append(f"第 {line} 行：组织代码 {code} 重复")
    if not name:
        errors.append(f"第 {line} 行：缺少组织名称")
    if OrgLevel.from_text(record["level"]) is None:
        errors.append(f"第 {line} 行：未知的层级“{record['level']}”")
    return errors


def parse_org_rows(text: str) -> list[OrgRow]:
    reader = csv.DictReader(io.StringIO(text))
    required = {"code", "name", "level", "parent_code"}
    if not reader.fieldnames or not required.issubset(name.strip() for name in reader.fieldnames):
        raise ValidationError("组织文件的表头应为 code,name,level,parent_code")
    rows: list[OrgRow] = []
    errors: list[str] = []
    seen: set[str] = set()
    for line, raw in enumerate(reader, start=2):
        try:
            record = _org_record(raw)
        except ValidationError as error:
            errors.append(f"第 {line} 行：{error.message}")
            continue
        problems = _row_errors(line, record, seen)
        errors.extend(problems)
        seen.add(record["code"])
        level = OrgLevel.from_text(record["level"])
        if not problems and level is not None:
            rows.append(OrgRow(line, record["code"], record["name"], OrgLevel(level), record["parent_code"] or None))
    if errors:
        raise ValidationError("\n".join(errors))
    return rows


def upsert_orgs(session: Session, rows: Iterable[OrgRow]) -> OrgImportSummary:
    """Create or update organisations, parents before children, in the caller's transaction.

    Names go through ``domain.text`` here too, for rows that come from elsewhere than a file (``init``).
    """
    rows = [_checked_name(row) for row in rows]
    existing = {org.code: org for org in all_orgs(session)}
    known = set(existing) | {row.code for row in rows}
    for row in rows:
        if row.parent_code and row.parent_code not in known:
            raise ValidationError(f"第 {row.line} 行：上级组织代码 {row.parent_code} 既不在文件中也不在工作台中")
        if row.parent_code == row.code:
            raise ValidationError(f"第 {row.line} 行：组织不能以自己为上级")
    created = updated = unchanged = 0
    pending = list(rows)
    while pending:
        progressed = False
        for row in list(pending):
            if row.parent_code and row.parent_code not in existing:
                continue
            parent_id = existing[row.parent_code].id if row.parent_code else None
            org = existing.get(row.code)
            if org is None:
                org = OrgUnit(id=uuid.uuid4(), code=row.code, name=row.name, level=row.level, parent_id=parent_id)
                session.add(org)
                existing[row.code] = org
                created += 1
            elif (org.name, org.level, org.parent_id) != (row.name, row.level, parent_id):
                org.name, org.level, org.parent_id = row.name, row.level, parent_id
                updated += 1
            else:
                unchanged += 1
            pending.remove(row)
            progressed = True
        if not progressed:
            raise ValidationError("组织文件中的上下级关系有循环：" + "、".join(row.code for row in pending))
    session.flush()
    return OrgImportSummary(created, updated, unchanged)


def _checked_name(row: OrgRow) -> OrgRow:
    try:
        name = clean_line(row.name, label="组织名称", field="org_name")
    except ValidationError as error:
        where = f"第 {row.line} 行：" if row.line else ""
        raise ValidationError(where + error.message, field=error.field) from None
    return row if name == row.name else OrgRow(row.line, row.code, name, row.level, row.parent_code)


def import_orgs(desk: Desk, path: Path) -> Result[OrgImportSummary]:
    rows = read_org_file(path)

    def body(work: UnitOfWork) -> OrgImportSummary:
        work.changed("org_unit")
        return upsert_orgs(work.session, rows)

    return desk.run("orgs.import", Permission.MANAGE_ORGS, body)


def reference_rows() -> list[OrgRow]:
    """The shipped reference list (a county and its township-level units)."""
    return read_org_file(resource_path(*REFERENCE_FILE))


def list_orgs(desk: Desk) -> list[OrgInfo]:
    with desk.read() as session:
        orgs = all_orgs(session)
        codes = {org.id: org.code for org in orgs}
        return [_info(org, codes) for org in orgs]


def find_org(session: Session, code: str) -> OrgUnit:
    org = org_by_code(session, org_code_text(code))
    if org is None:
        raise NotFound(f"没有代码为 {code} 的组织；请先导入组织列表（orgs import）")
    return org


def set_case_prefix(desk: Desk, code: str, prefix: str) -> Result[OrgInfo]:
    clean = validate_prefix(clean_line(prefix, label="案号字头", field="case_prefix"))

    def body(work: UnitOfWork) -> OrgInfo:
        org = find_org(work.session, code)
        org.case_prefix = clean
        work.changed("org_unit")
        parent = work.session.get(OrgUnit, org.parent_id) if org.parent_id else None
        return _info(org, {parent.id: parent.code} if parent else {})

    return desk.run("orgs.prefix", Permission.MANAGE_ORGS, body)
