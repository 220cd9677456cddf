"""Which roles may do what (DESIGN.md: every mutating service call checks the user's role)."""

from __future__ import annotations

from enum import StrEnum

from mediation_desk.domain.codes import UserRole
from mediation_desk.domain.errors import PermissionDenied


class Permission(StrEnum):
    EDIT_CASE = "edit_case"  # register, record sessions, conclude, follow up
    CLOSE_CASE = "close_case"
    MANAGE_ROSTER = "manage_roster"  # mediators, pairings, assessments
    MANAGE_ORGS = "manage_orgs"
    IMPORT_LEDGER = "import_ledger"
    MANAGE_USERS = "manage_users"
    MANAGE_BACKUPS = "manage_backups"


_ALL = frozenset(UserRole)
_OFFICE = frozenset({UserRole.DIRECTOR, UserRole.TOWNSHIP_CLERK, UserRole.COUNTY_CLERK, UserRole.ADMIN})

ROLES: dict[Permission, frozenset[UserRole]] = {
    Permission.EDIT_CASE: _ALL,
    Permission.CLOSE_CASE: _OFFICE,
    Permission.MANAGE_ROSTER: _OFFICE,
    Permission.MANAGE_ORGS: frozenset({UserRole.TOWNSHIP_CLERK, UserRole.COUNTY_CLERK, UserRole.ADMIN}),
    Permission.IMPORT_LEDGER: _OFFICE,
    Permission.MANAGE_USERS: frozenset({UserRole.ADMIN}),
    Permission.MANAGE_BACKUPS: frozenset({UserRole.DIRECTOR, UserRole.ADMIN}),
}

_DESCRIPTIONS = {
    Permission.EDIT_CASE: "登记和办理案件",
    Permission.CLOSE_CASE: "结案",
    Permission.MANAGE_ROSTER: "管理调解员名册",
    Permission.MANAGE_ORGS: "管理组织机构",
    Permission.IMPORT_LEDGER: "导入台账",
    Permission.MANAGE_USERS: "管理用户",
    Permission.MANAGE_BACKUPS: "备份与恢复",
}


def check(role: UserRole, permission: Permission) -> None:
    if role not in ROLES[permission]:
        raise PermissionDenied(f"“{role.label}”无权{_DESCRIPTIONS[permission]}")
