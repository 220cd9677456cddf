"""First-run set-up: this desk's organisation, its administrator and its sync keys."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from mediation_desk.domain.codes import OrgLevel, UserRole
from mediation_desk.domain.errors import DomainError, ValidationError
from mediation_desk.domain.numbering import validate_prefix
from mediation_desk.domain.permissions import Permission, check
from mediation_desk.services.desk import ORG_SETTING, Actor, Desk, UnitOfWork, os_account, set_setting
from mediation_desk.services.orgs import OrgInfo, OrgRow, reference_rows, upsert_orgs
from mediation_desk.services.sync.keys import ensure_keys
from mediation_desk.services.users import OWNER_ACCOUNT_SETTING, OWNER_USER_SETTING, add_user
from mediation_desk.store.database import Database
from mediation_desk.store.models import OrgUnit, Setting


@dataclass(frozen=True, slots=True)
class SetupInput:
    org_code: str
    org_name: str
    level: OrgLevel
    parent_code: str | None
    admin: str
    password: str
    case_prefix: str | None = None


def _chain(parent_code: str, reference: dict[str, OrgRow]) -> list[OrgRow]:
    """The reference rows from the top down to ``parent_code``."""
    chain: list[OrgRow] = []
    code: str | None = parent_code
    while code:
        row = reference.get(code)
        if row is None:
            raise ValidationError(
                f"上级组织 {code} 不在参考组织列表中；请先用 orgs import 导入上级组织", field="parent_code"
            )
        chain.insert(0, row)
        code = row.parent_code
    return chain


def _validate(data: SetupInput) -> tuple[str, str | None]:
    """The organisation code and the case-number prefix, checked before anything is created."""
    code = data.org_code.strip()
    if not code.isdigit() or not 6 <= len(code) <= 15:
        raise ValidationError("组织代码应为 6–15 位数字", field="org_code")
    if not data.org_name.strip():
        raise ValidationError("请填写组织名称", field="org_name")
    prefix = validate_prefix(data.case_prefix) if data.case_prefix else None
    return code, prefix


def _record(desk: Desk, data: SetupInput, code: str, prefix: str | None) -> OrgInfo:
    """Record the organisation (with its reference ancestors), the desk's setting and the administrator."""
    with desk.read() as session:
        if session.get(Setting, ORG_SETTING) is not None:
            if desk.database.data_dir is None:
                raise DomainError("此数据库已经设置过工作台；如需重新设置请换一个数据库")
            raise DomainError(f"数据文件夹 {desk.database.data_dir.root} 已经设置过工作台；如需重新设置请换一个文件夹")

    def body(work: UnitOfWork) -> OrgInfo:
        session = work.session
        existing = set(session.scalars(sa.select(OrgUnit.code)))
        rows: list[OrgRow] = []
        if data.parent_code and data.parent_code not in existing:
            rows = _chain(data.parent_code, {row.code: row for row in reference_rows()})
        rows.append(OrgRow(0, code, data.org_name.strip(), data.level, data.parent_code or None))
        upsert_orgs(session, rows)
        org = session.scalar(sa.select(OrgUnit).where(OrgUnit.code == code))
        assert org is not None
        if prefix:
            org.case_prefix = prefix
        set_setting(session, ORG_SETTING, code)
        admin = add_user(session, data.admin, data.password, UserRole.ADMIN, org_id=org.id)
        # the operating-system account setting the desk up is its owner: its command line acts as this
        # administrator without signing in (services.users.acting_user)
        set_setting(session, OWNER_ACCOUNT_SETTING, os_account())
        set_setting(session, OWNER_USER_SETTING, admin.username)
        work.changed("org_unit", "app_user", "setting")
        return OrgInfo(org.id, org.code, org.name, org.level, data.parent_code, org.case_prefix)

    return desk.run("setup.init", Permission.MANAGE_SETTINGS, body).value


def initialise(root: Path, data: SetupInput, actor: Actor | None = None) -> Desk:
    """Create the data folder and database, record the organisation and the administrator account."""
    actor = actor or Actor.local_operator("init")
    check(actor.role, Permission.MANAGE_SETTINGS)  # before the folder and the database are made
    code, prefix = _validate(data)
    desk = Desk.open(root, actor, create=True, lock=True)
    try:
        _record(desk, data, code, prefix)
        ensure_keys(desk)  # the desk's sync keys, in the keyring from the start
    except BaseException:
        desk.close()
        raise
    return desk


def initialise_database(database: Database, data: SetupInput, actor: Actor | None = None) -> Desk:
    """The same set-up on an already opened database, e.g. a county's PostgreSQL aggregation database.

    The returned desk owns ``database``: closing the desk closes it.
    """
    actor = actor or Actor.local_operator("init")
    check(actor.role, Permission.MANAGE_SETTINGS)
    code, prefix = _validate(data)
    desk = Desk(database, actor)
    _record(desk, data, code, prefix)
    ensure_keys(desk)
    return desk
