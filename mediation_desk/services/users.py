"""Local user accounts: argon2 password hashes, roles, lock-out, and who is acting.

- Passwords are kept only as argon2 hashes (argon2-cffi's ``PasswordHasher``, its recommended parameters; a hash
  made with older parameters is renewed at the next successful sign-in). No password is ever logged, printed or
  put in the audit trail. A password has 8 to 256 characters on one line and is not the user name, a run
  (``12345678``, ``aaaaaaaa``) or one of ``COMMON_PASSWORDS``.
- Lock-out: after ``LOCK_AFTER`` failed sign-ins in a row an account is locked for ``FIRST_LOCK``, twice as long
  after each further failure, at most ``LONGEST_LOCK``; while locked every sign-in is refused, with how long to
  wait; a successful sign-in, a reset by an administrator or reactivating the account clears the count.
- The administrator adds accounts, resets others' passwords, deactivates and reactivates them; each user changes
  their own password with the old one. There is always one active administrator.
- Who is acting on the command line (:func:`acting_user`): a named account (``--user``, signed in with its
  password), or, without one, the desk's administrator when the program runs under the operating-system account
  that set the desk up (recorded at set-up: ``OWNER_ACCOUNT_SETTING``; environment variables such as ``USER``
  cannot stand in for it), or the desk's only active account. A desk with several accounts run by another
  operating-system account needs ``--user``.
"""

from __future__ import annotations

import math
import os
import re
import sys
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from itertools import pairwise
from pathlib import Path

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from mediation_desk.domain.codes import UserRole
from mediation_desk.domain.errors import DomainError, NotFound, ValidationError
from mediation_desk.domain.permissions import Permission, check
from mediation_desk.domain.text import clean_line
from mediation_desk.services.desk import Actor, Desk, Result, UnitOfWork, has_database, os_account
from mediation_desk.store import revisions
from mediation_desk.store.models import AuditEvent, OrgUnit, Setting, User
from mediation_desk.store.types import utcnow

MIN_PASSWORD = 8
MAX_PASSWORD = 256
LOCK_AFTER = 5  # failed sign-ins in a row before the first lock
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(hours=1)

# passwords tried first by anyone guessing (lower case; runs such as 12345678 are refused by rule)
COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "password123",
        "passw0rd",
        "p@ssw0rd",
        "qwertyui",
        "qwerty123",
        "1qaz2wsx",
        "1q2w3e4r",
        "a1234567",
        "abc12345",
        "abcd1234",
        "aa123456",
        "admin123",
        "admin888",
        "iloveyou",
        "woaini1314",
        "5201314520",
        "123123123",
        "12341234",
        "11223344",
        "147258369",
        "123456789a",
        "qq123456",
    }
)

OWNER_ACCOUNT_SETTING = "desk.owner_account"  # the operating-system account that set the desk up
OWNER_USER_SETTING = "desk.owner_user"  # the administrator account made at set-up

_HASHER = PasswordHasher()
_WRONG = "用户名或密码不正确"


class AccountLocked(DomainError):
    """Too many failed sign-ins: the account refuses every sign-in for a while."""


class UserRequired(DomainError):
    """The command line cannot tell who is acting: ``--user`` is needed."""


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: uuid.UUID
    username: str
    display_name: str
    role: UserRole
    active: bool
    org_code: str | None = None
    locked_until: datetime | None = None  # set while the account is locked
    failed_logins: int = 0


# ---------------------------------------------------------------------------------------------------------------
# Checks and the lock-out rule


def check_username(username: str) -> str:
    username = clean_line(username, label="用户名", field="username")
    if not re.fullmatch(r"[A-Za-z0-9_.\-\u4e00-\u9fff]{2,50}", username):
        raise ValidationError("用户名应为 2–50 个字母、数字、汉字或 _ . -", field="username")
    return username


def _a_run(text: str) -> bool:
    """One character repeated, or consecutive digits or letters up or down (11111111, 12345678, hgfedcba)."""
    if len(set(text)) == 1:
        return True
    steps = {ord(after) - ord(before) for before, after in pairwise(text)}
    return steps in ({1}, {-1}) and (text.isdigit() or (text.isascii() and text.isalpha()))


def check_password(password: str, *, username: str | None = None) -> str:
    """``password`` when it may be a desk account's password: 8 to 256 characters on one line, no spaces at
    either end, not the user name, not a run of one key or of consecutive keys, not one of the passwords tried
    first (``COMMON_PASSWORDS``)."""
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"密码至少 {MIN_PASSWORD} 位", field="password")
    if len(password) > MAX_PASSWORD:
        raise ValidationError(f"密码最多 {MAX_PASSWORD} 个字符", field="password")
    if password.strip() != password:
        raise ValidationError("密码首尾不能有空格", field="password")
    if "\n" in password or "\r" in password:
        raise ValidationError("密码只能是一行", field="password")
    folded = password.casefold()
    if username is not None and folded == username.strip().casefold():
        raise ValidationError("密码不能与用户名相同", field="password")
    if _a_run(folded) or folded in COMMON_PASSWORDS:
        raise ValidationError("密码过于简单，很容易被猜中；请换一个更长、更不规则的密码", field="password")
    return password


def lock_duration(failures: int) -> timedelta | None:
    """How long an account is locked after ``failures`` failed sign-ins in a row (``None``: not locked)."""
    if failures < LOCK_AFTER:
        return None
    doublings = min(failures - LOCK_AFTER, 20)  # 2**20 minutes is far past the cap
    lock: timedelta = FIRST_LOCK * (2**doublings)
    return min(lock, LONGEST_LOCK)


def wait_text(remaining: timedelta) -> str:
    """``remaining`` for a person: seconds under a minute, else whole minutes rounded up."""
    seconds = max(1, math.ceil(remaining.total_seconds()))
    if seconds < 60:
        return f"{seconds} 秒"
    return f"{math.ceil(seconds / 60)} 分钟"


def _locked_message(username: str, remaining: timedelta) -> str:
    return f"账户“{username}”因多次密码错误已被锁定，请 {wait_text(remaining)}后再试"


def _hash(password: str) -> str:
    return _HASHER.hash(password)


def _verifies(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _decoy_hash() -> str:
    """A hash to verify against for an unknown user name, so that it takes as long as a known one."""
    return _HASHER.hash(uuid.uuid4().hex)


# ---------------------------------------------------------------------------------------------------------------
# Accounts in a session (set-up uses these inside its own unit of work)


def add_user(
    session: Session,
    username: str,
    password: str,
    role: UserRole,
    *,
    display_name: str = "",
    org_id: uuid.UUID | None = None,
) -> User:
    username = check_username(username)
    check_password(password, username=username)
    display_name = clean_line(display_name, label="显示名称", field="display_name")
    if len(display_name) > 50:
        raise ValidationError("显示名称最多 50 个字", field="display_name")
    if session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise ValidationError(f"用户名“{username}”已存在", field="username")
    user = User(
        id=uuid.uuid4(),
        username=username,
        display_name=display_name or username,
        role=role,
        org_id=org_id,
        password_hash=_hash(password),
        failed_logins=0,
        password_changed_at=utcnow(),
    )
    session.add(user)
    return user


def _find(session: Session, username: str) -> User:
    user = session.scalar(sa.select(User).where(User.username == username.strip()))
    if user is None:
        raise NotFound(f"没有用户“{username.strip()}”")
    return user


def _info(session: Session, user: User, now: datetime | None = None) -> UserInfo:
    now = now or utcnow()
    org_code = session.scalar(sa.select(OrgUnit.code).where(OrgUnit.id == user.org_id)) if user.org_id else None
    locked = user.locked_until if user.locked_until and user.locked_until > now else None
    return UserInfo(
        user.id, user.username, user.display_name, user.role, user.active, org_code, locked, user.failed_logins
    )


def _audit(session: Session, **details: str) -> None:
    """Name the account a change was about in this transaction's audit event (never a password)."""
    event = revisions.change_set(session)
    session.execute(sa.update(AuditEvent).where(AuditEvent.id == event).values(details=details))


def _unlock(user: User) -> None:
    user.failed_logins = 0
    user.locked_until = None


# ---------------------------------------------------------------------------------------------------------------
# The administrator's work


def list_users(desk: Desk) -> list[UserInfo]:
    """Every account, by user name (administrators only: the list says who may do what)."""
    check(desk.actor.role, Permission.MANAGE_USERS)
    with desk.read() as session:
        now = utcnow()
        return [_info(session, user, now) for user in session.scalars(sa.select(User).order_by(User.username))]


def create_user(
    desk: Desk,
    username: str,
    password: str,
    role: UserRole,
    *,
    display_name: str = "",
    org_code: str | None = None,
) -> Result[UserInfo]:
    """A new account, of this desk's organisation unless ``org_code`` names another one on file."""

    def body(work: UnitOfWork) -> UserInfo:
        session = work.session
        if org_code:
            org = session.scalar(sa.select(OrgUnit).where(OrgUnit.code == org_code.strip()))
            if org is None:
                raise NotFound(f"没有代码为 {org_code.strip()} 的组织")
        else:
            org = desk.own_org(session)
        user = add_user(session, username, password, role, display_name=display_name, org_id=org.id)
        session.flush()
        _audit(session, user=user.username, role=role.value)
        work.changed("app_user")
        return _info(session, user)

    return desk.run("users.add", Permission.MANAGE_USERS, body)


def _other_user(desk: Desk, session: Session, username: str, refusal: str) -> User:
    user = _find(session, username)
    if desk.actor.username is not None and user.username == desk.actor.username:
        raise DomainError(refusal)
    return user


def reset_password(desk: Desk, username: str, password: str) -> Result[UserInfo]:
    """An administrator sets another user's password (the user has forgotten it); the lock-out is cleared."""
    check_password(password)

    def body(work: UnitOfWork) -> UserInfo:
        user = _other_user(desk, work.session, username, "不能重置自己的密码；请用“修改密码”（users passwd）")
        user.password_hash = _hash(check_password(password, username=user.username))
        user.password_changed_at = utcnow()
        _unlock(user)
        _audit(work.session, user=user.username)
        work.changed("app_user")
        return _info(work.session, user)

    return desk.run("users.reset_password", Permission.MANAGE_USERS, body)


def _active_admins(session: Session) -> int:
    query = sa.select(sa.func.count()).select_from(User).where(User.role == UserRole.ADMIN, User.active.is_(True))
    return int(session.scalar(query) or 0)


def deactivate_user(desk: Desk, username: str) -> Result[UserInfo]:
    """The account can no longer sign in; its name stays in the audit trail. The last administrator stays."""

    def body(work: UnitOfWork) -> UserInfo:
        user = _other_user(desk, work.session, username, "不能停用自己的账户")
        if user.active and user.role is UserRole.ADMIN and _active_admins(work.session) <= 1:
            raise DomainError(f"“{user.username}”是唯一启用的系统管理员，不能停用")
        user.active = False
        _audit(work.session, user=user.username)
        work.changed("app_user")
        return _info(work.session, user)

    return desk.run("users.deactivate", Permission.MANAGE_USERS, body)


def activate_user(desk: Desk, username: str) -> Result[UserInfo]:
    """A deactivated account may sign in again; a lock-out is cleared too."""

    def body(work: UnitOfWork) -> UserInfo:
        user = _find(work.session, username)
        user.active = True
        _unlock(user)
        _audit(work.session, user=user.username)
        work.changed("app_user")
        return _info(work.session, user)

    return desk.run("users.activate", Permission.MANAGE_USERS, body)


def change_password(desk: Desk, old_password: str, new_password: str) -> Result[UserInfo]:
    """The acting user's own password, with the old one to prove it is them."""
    if desk.actor.username is None:
        raise DomainError("修改密码须以用户身份登录（命令行：--user 用户名 --password-file 文件）")
    check_password(new_password, username=desk.actor.username)
    if new_password == old_password:
        raise ValidationError("新密码不能与原密码相同", field="password")

    def body(work: UnitOfWork) -> UserInfo:
        assert desk.actor.username is not None
        user = _find(work.session, desk.actor.username)
        if not _verifies(user.password_hash, old_password):
            raise ValidationError("原密码不正确；密码未修改", field="old_password")
        user.password_hash = _hash(new_password)
        user.password_changed_at = utcnow()
        _unlock(user)
        _audit(work.session, user=user.username)
        work.changed("app_user")
        return _info(work.session, user)

    return desk.run("users.change_password", Permission.CHANGE_OWN_PASSWORD, body)


# ---------------------------------------------------------------------------------------------------------------
# Signing in


@dataclass(frozen=True, slots=True)
class _Account:
    id: uuid.UUID
    username: str
    role: UserRole
    active: bool
    password_hash: str
    failed_logins: int
    locked_until: datetime | None


def _account(desk: Desk, username: str) -> _Account | None:
    with desk.read() as session:
        user = session.scalar(sa.select(User).where(User.username == username))
        if user is None:
            return None
        return _Account(
            user.id,
            user.username,
            user.role,
            user.active,
            user.password_hash,
            user.failed_logins,
            user.locked_until,
        )


def _record_failure(desk: Desk, account: _Account, channel: str, now: datetime) -> timedelta | None:
    """Count a failed sign-in; returns the lock it brings, if any. A read-only desk cannot count (and its file
    is in the reader's hands anyway)."""
    if desk.database.read_only:
        return lock_duration(account.failed_logins + 1)
    with desk.sign_in_write("users.sign_in_failed", f"{channel}:{account.username}") as work:
        user = work.session.get(User, account.id)
        assert user is not None
        user.failed_logins += 1
        lock = lock_duration(user.failed_logins)
        user.locked_until = now + lock if lock else None
        _audit(work.session, user=user.username, failures=str(user.failed_logins))
        return lock


def _record_success(desk: Desk, account: _Account, password: str, channel: str) -> None:
    """Clear a failure count and renew a hash made with older parameters; nothing is written otherwise."""
    rehash = _HASHER.check_needs_rehash(account.password_hash)
    if desk.database.read_only or not (account.failed_logins or account.locked_until or rehash):
        return
    with desk.sign_in_write("users.sign_in", f"{channel}:{account.username}") as work:
        user = work.session.get(User, account.id)
        assert user is not None
        _unlock(user)
        if rehash:
            user.password_hash = _HASHER.hash(password)


def authenticate(session: Session, username: str, password: str) -> UserInfo:
    """Whether ``password`` is the password of the active account ``username``, within a session that is already
    open: a check that counts no failure (a sign-in goes through :func:`sign_in`, which does). A locked account
    is refused all the same."""
    user = session.scalar(sa.select(User).where(User.username == username.strip()))
    if user is None:
        _verifies(_decoy_hash(), password)
        raise DomainError(_WRONG)
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        raise AccountLocked(_locked_message(user.username, user.locked_until - now))
    if not user.active or not _verifies(user.password_hash, password):
        raise DomainError(_WRONG)
    return _info(session, user, now)


def sign_in(desk: Desk, username: str, password: str, *, channel: str = "cli", now: datetime | None = None) -> Actor:
    """The actor for the account ``username`` when ``password`` is its password (lock-out applies).

    Raises ``AccountLocked`` while the account is locked (saying how long to wait), ``DomainError`` for a wrong
    user name or password or a deactivated account.
    """
    now = now or utcnow()
    account = _account(desk, username.strip())
    if account is None:
        _verifies(_decoy_hash(), password)
        raise DomainError(_WRONG)
    if account.locked_until is not None and account.locked_until > now:
        raise AccountLocked(_locked_message(account.username, account.locked_until - now))
    if not _verifies(account.password_hash, password):
        if not account.active:
            raise DomainError(_WRONG)
        lock = _record_failure(desk, account, channel, now)
        if lock is not None:
            raise AccountLocked(f"{_WRONG}；{_locked_message(account.username, lock)}")
        raise DomainError(_WRONG)
    if not account.active:
        raise DomainError(f"账户“{account.username}”已停用；请联系系统管理员")
    _record_success(desk, account, password, channel)
    return Actor.signed_in(channel, account.username, account.role)


# ---------------------------------------------------------------------------------------------------------------
# Who is acting on the command line


def _system_account() -> str | None:
    """The operating-system account as the system itself says, not from the environment variables that
    ``getpass`` reads first (``USER``, ``LOGNAME``, ``USERNAME``: anyone can set them); ``None`` where it cannot
    be told."""
    try:
        if sys.platform == "win32":
            import ctypes

            size = ctypes.c_ulong(257)
            buffer = ctypes.create_unicode_buffer(size.value)
            return buffer.value if ctypes.windll.advapi32.GetUserNameW(buffer, ctypes.byref(size)) else None
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (KeyError, OSError, AttributeError, ImportError):
        return None


def _runs_as(account: str | None) -> bool:
    """Whether this program runs under the operating-system account ``account`` (the desk's owner): the name
    recorded at set-up, and no environment variable standing in for another account."""
    if account is None or account != os_account():
        return False
    system = _system_account()
    return system is None or system.casefold() == account.casefold()


def _active_accounts(session: Session) -> list[User]:
    return list(session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.username)))


def _owner_actor(desk: Desk, channel: str) -> Actor | None:
    """The desk's administrator for its owner's operating-system account, or the only account; ``None`` on a desk
    without accounts. Raises ``UserRequired`` when the desk has several and this is not its owner."""
    with desk.read() as session:
        if session.scalar(sa.select(sa.func.count()).select_from(User)) == 0:
            return None
        owner_account = session.get(Setting, OWNER_ACCOUNT_SETTING)
        owner_user = session.get(Setting, OWNER_USER_SETTING)
        active = _active_accounts(session)
        account = os_account()
        owners = owner_account is not None and _runs_as(owner_account.value)
        owner_name = owner_user.value if owners and owner_user is not None else None
        owner = next((user for user in active if user.username == owner_name), None)
        if owner is not None:
            return Actor.signed_in(channel, owner.username, owner.role)
        if len(active) == 1:
            return Actor.signed_in(channel, active[0].username, active[0].role)
    reason = (
        f"此工作台设立时的系统管理员账户“{owner_name}”已停用"
        if owner_name is not None
        else f"此工作台有多个用户，而当前系统账户“{account}”不是设立它的账户"
    )
    raise UserRequired(f"{reason}：请用 --user 用户名 --password-file 文件（写在命令之前）指明由谁操作")


def acting_user(desk: Desk, username: str | None, password: str | None, *, channel: str = "cli") -> Actor:
    """Who acts on ``desk``: the account ``username`` signed in with ``password``, or without a name the desk's
    owner (see the module's description); the person at this computer on a desk that has no accounts yet."""
    if username is not None:
        if password is None:
            raise DomainError(f"以用户“{username}”操作须提供密码（--password-file 文件，或 - 表示标准输入）")
        return sign_in(desk, username, password, channel=channel)
    return _owner_actor(desk, channel) or Actor.local_operator(channel)


def acting_user_at(root: Path, username: str | None, password: str | None, *, channel: str = "cli") -> Actor:
    """:func:`acting_user` for the desk in the data folder ``root``, opened just for this and closed again.

    A folder with no desk yet (``init``, ``demo``) has no accounts: the person at this computer. A database that
    cannot be opened or read (damaged, not a desk's) cannot say who may act either: without ``--user`` the person
    at this computer goes on as before, so that the commands that repair it (``backup restore``) stay possible;
    with ``--user`` the error is reported.
    """
    if not has_database(root):
        if username is not None:
            raise DomainError(f"数据文件夹 {root} 中还没有工作台，无法以用户“{username}”登录")
        return Actor.local_operator(channel)
    try:
        desk = Desk.open(root, Actor.local_operator(channel))
    except (DomainError, sa.exc.DatabaseError):
        if username is not None:
            raise
        return Actor.local_operator(channel)
    try:
        return acting_user(desk, username, password, channel=channel)
    except sa.exc.DatabaseError:
        if username is not None:
            raise
        return Actor.local_operator(channel)
    finally:
        desk.close()
