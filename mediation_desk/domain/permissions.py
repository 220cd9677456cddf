"""Which roles may do what (DESIGN.md: every mutating service call checks the user's role).

``ROLES`` is the whole role matrix: every service call that changes something names one ``Permission`` (through
``Desk.write``/``Desk.run``, or ``check`` for the calls that work on files: backups, restore, keys), and the
README's table of roles is generated from it (``matrix_table``), so the two cannot disagree.

- Every role registers and handles cases: intake, records, the outcome. Closing (结案) is the office's review.
- The roster, ledger imports and backups belong to the committee's director and the clerks of the judicial offices.
- Organisation units are the offices' reference data: the township and county clerks keep them.
- Restoring a backup replaces the whole database: the director and the administrator.
- Accounts and the desk's set-up: the administrator. Everyone may change their own password.
- Voiding a signed agreement (and issuing the one that replaces it) is the director's or an office's decision.
- Every role exchanges its own desk's sync files; settling conflicts and managing keys and trust belong to the
  committee's director and the clerks of the judicial offices.
"""

from __future__ import annotations

from enum import StrEnum

from mediation_desk.domain.codes import UserRole
from mediation_desk.domain.errors import PermissionDenied


class Permission(StrEnum):
    EDIT_CASE = "edit_case"  # register, accept, assign, record investigations, sessions, follow-ups, conclude
    CLOSE_CASE = "close_case"
    MANAGE_ROSTER = "manage_roster"  # mediators, pairings, assessments
    MANAGE_ORGS = "manage_orgs"  # organisation units, case-number prefixes
    IMPORT_LEDGER = "import_ledger"
    MANAGE_BACKUPS = "manage_backups"  # make backups, export and import the data key
    RESTORE_BACKUP = "restore_backup"
    MANAGE_USERS = "manage_users"  # add users, reset passwords, deactivate and reactivate
    CHANGE_OWN_PASSWORD = "change_own_password"
    MANAGE_SETTINGS = "manage_settings"  # set up the desk: its organisation, its owner
    VIEW_IDENTITY = "view_identity"  # whole ID numbers in exports and reports; without it they are masked
    VOID_AGREEMENT = "void_agreement"  # void a signed agreement and issue the one that replaces it
    SYNC_EXPORT = "sync_export"  # write this desk's sync files for its peers
    SYNC_IMPORT = "sync_import"  # merge the sync files addressed to this desk
    RESOLVE_CONFLICTS = "resolve_conflicts"  # settle records that desks changed concurrently
    MANAGE_KEYS = "manage_keys"  # trust a peer's public key, export the age identity, take a new device identity


_ALL = frozenset(UserRole)
_OFFICE = frozenset({UserRole.DIRECTOR, UserRole.TOWNSHIP_CLERK, UserRole.COUNTY_CLERK, UserRole.ADMIN})
_CLERKS = frozenset({UserRole.TOWNSHIP_CLERK, UserRole.COUNTY_CLERK, UserRole.ADMIN})
_ADMIN = frozenset({UserRole.ADMIN})

ROLES: dict[Permission, frozenset[UserRole]] = {
    Permission.EDIT_CASE: _ALL,
    Permission.CLOSE_CASE: _OFFICE,
    Permission.MANAGE_ROSTER: _OFFICE,
    Permission.MANAGE_ORGS: _CLERKS,
    Permission.IMPORT_LEDGER: _OFFICE,
    Permission.MANAGE_BACKUPS: _OFFICE,
    Permission.RESTORE_BACKUP: frozenset({UserRole.DIRECTOR, UserRole.ADMIN}),
    Permission.MANAGE_USERS: _ADMIN,
    Permission.CHANGE_OWN_PASSWORD: _ALL,
    Permission.MANAGE_SETTINGS: _ADMIN,
    Permission.VIEW_IDENTITY: frozenset({UserRole.MEDIATOR, UserRole.DIRECTOR, UserRole.ADMIN}),
    Permission.VOID_AGREEMENT: _OFFICE,
    Permission.SYNC_EXPORT: _ALL,
    Permission.SYNC_IMPORT: _ALL,
    Permission.RESOLVE_CONFLICTS: _OFFICE,
    Permission.MANAGE_KEYS: _OFFICE,
}

_DESCRIPTIONS: dict[Permission, str] = {
    Permission.EDIT_CASE: "登记和办理案件",
    Permission.CLOSE_CASE: "结案",
    Permission.MANAGE_ROSTER: "管理调解员名册",
    Permission.MANAGE_ORGS: "管理组织机构",
    Permission.IMPORT_LEDGER: "导入台账",
    Permission.MANAGE_BACKUPS: "备份数据和数据密钥",
    Permission.RESTORE_BACKUP: "用备份恢复数据库",
    Permission.MANAGE_USERS: "管理用户",
    Permission.CHANGE_OWN_PASSWORD: "修改自己的密码",
    Permission.MANAGE_SETTINGS: "设置工作台",
    Permission.VIEW_IDENTITY: "查看完整的身份证号码",
    Permission.VOID_AGREEMENT: "作废并重新出具调解协议书",
    Permission.SYNC_EXPORT: "导出同步文件",
    Permission.SYNC_IMPORT: "导入同步文件",
    Permission.RESOLVE_CONFLICTS: "解决同步冲突",
    Permission.MANAGE_KEYS: "管理同步密钥和信任的单位",
}


def allowed(role: UserRole, permission: Permission) -> bool:
    return role in ROLES[permission]


def check(role: UserRole, permission: Permission) -> None:
    if not allowed(role, permission):
        raise PermissionDenied(f"“{role.label}”无权{_DESCRIPTIONS[permission]}")


def matrix_table() -> list[str]:
    """The role matrix as a Markdown table: one row per permission, one column per role (the README's table)."""
    roles = list(UserRole)
    lines = [
        "| " + " | ".join(["permission / 权限", *(f"{role.label} ({role.value})" for role in roles)]) + " |",
        "| " + " | ".join(["---"] * (len(roles) + 1)) + " |",
    ]
    for permission, description in _DESCRIPTIONS.items():
        marks = ["✓" if allowed(role, permission) else "" for role in roles]
        lines.append("| " + " | ".join([f"{description} (`{permission.value}`)", *marks]) + " |")
    return lines


if __name__ == "__main__":  # python -m mediation_desk.domain.permissions: the table to paste into the README
    print("\n".join(matrix_table()))
