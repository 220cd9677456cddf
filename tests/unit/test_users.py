"""Local accounts: argon2 hashes, adding and listing, lock-out with growing delays, passwords, deactivation, and
the audit trail naming the account that acted."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from mediation_desk.domain.codes import CaseSource, PartyRole, UserRole
from mediation_desk.domain.errors import DomainError, NotFound, PermissionDenied, ValidationError
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.services import cases, users
from mediation_desk.services.desk import Actor, Desk, os_account, set_setting
from mediation_desk.services.users import AccountLocked
from mediation_desk.store.models import AuditEvent, User
from mediation_desk.store.types import utcnow
from tests.conftest import TEST_PASSWORD, VILLAGE_CODE

WANG_PASSWORD = "wang-synthetic-pass-42"  # synthetic credentials for test accounts only
NEW_PASSWORD = "a-brand-new-pass-77"
WRONG = "not-the-password"


def as_user(desk: Desk, username: str, password: str = TEST_PASSWORD, now: datetime | None = None) -> Desk:
    """The same database, acting as ``username`` signed in through the command line."""
    return Desk(desk.database, users.sign_in(desk, username, password, now=now))


def add_wang(desk: Desk, role: UserRole = UserRole.MEDIATOR) -> None:
    users.create_user(desk, "wang", WANG_PASSWORD, role, display_name="王调解")


def account(desk: Desk, username: str) -> User:
    with desk.read() as session:
        user = session.scalar(sa.select(User).where(User.username == username))
        assert user is not None
        session.expunge(user)
        return user


def audit_events(desk: Desk, operation: str) -> list[AuditEvent]:
    with desk.read() as session:
        found = list(session.scalars(sa.select(AuditEvent).where(AuditEvent.operation == operation)))
        for event in found:
            session.expunge(event)
        return found


def folder_bytes(root: Path) -> bytes:
    """Every file of the data folder (the database and its write-ahead log), as they are on disk."""
    return b"".join(path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file())


# ---------------------------------------------------------------------------------------------------------------
# Hashes, adding and listing


def test_passwords_are_kept_only_as_argon2_hashes(desk: Desk, data_dir: Path) -> None:
    add_wang(desk)
    users.reset_password(desk, "wang", NEW_PASSWORD)
    stored = account(desk, "wang").password_hash
    assert stored.startswith("$argon2id$")
    assert PasswordHasher().verify(stored, NEW_PASSWORD)
    desk.database.close()  # the write-ahead log is folded into the file
    on_disk = folder_bytes(data_dir)
    assert b"$argon2id$" in on_disk
    for password in (TEST_PASSWORD, WANG_PASSWORD, NEW_PASSWORD):
        assert password.encode("utf-8") not in on_disk
        assert password.encode("utf-16-le") not in on_disk


def test_add_and_list(desk: Desk) -> None:
    add_wang(desk)
    users.create_user(desk, "zhao", WANG_PASSWORD, UserRole.DIRECTOR)
    listed = users.list_users(desk)
    assert [info.username for info in listed] == ["admin", "wang", "zhao"]
    wang = listed[1]
    assert (wang.display_name, wang.role, wang.active, wang.org_code) == (
        "王调解",
        UserRole.MEDIATOR,
        True,
        VILLAGE_CODE,
    )
    assert (wang.locked_until, wang.failed_logins) == (None, 0)
    assert listed[2].display_name == "zhao"  # the user name when no name is given
    assert users.sign_in(desk, "zhao", WANG_PASSWORD).role is UserRole.DIRECTOR


def test_a_user_of_another_org_on_file(desk: Desk) -> None:
    info = users.create_user(desk, "clerk", WANG_PASSWORD, UserRole.TOWNSHIP_CLERK, org_code="331122001").value
    assert info.org_code == "331122001"
    with pytest.raises(NotFound, match="999999"):
        users.create_user(desk, "other", WANG_PASSWORD, UserRole.MEDIATOR, org_code="999999")
    assert [info.username for info in users.list_users(desk)] == ["admin", "clerk"]


def test_duplicate_user_name_is_refused(desk: Desk) -> None:
    add_wang(desk)
    with pytest.raises(ValidationError, match="已存在") as caught:
        users.create_user(desk, "wang", NEW_PASSWORD, UserRole.DIRECTOR)
    assert caught.value.field == "username"
    assert account(desk, "wang").role is UserRole.MEDIATOR
    assert len(users.list_users(desk)) == 2


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "至少 8 位"),
        ("short", "至少 8 位"),
        ("1234567", "至少 8 位"),
        (" padded-password ", "首尾不能有空格"),
        ("two\nlines-password", "一行"),
        ("x" * 257, "最多 256"),
        ("12345678", "过于简单"),
        ("9876543210", "过于简单"),
        ("abcdefgh", "过于简单"),
        ("HGFEDCBA", "过于简单"),
        ("aaaaaaaaaa", "过于简单"),
        ("!!!!!!!!", "过于简单"),
        ("Password1", "过于简单"),
        ("woaini1314", "过于简单"),
    ],
)
def test_weak_or_malformed_passwords_are_refused(desk: Desk, password: str, message: str) -> None:
    add_wang(desk)
    with pytest.raises(ValidationError, match=message) as caught:
        users.create_user(desk, "li", password, UserRole.MEDIATOR)
    assert caught.value.field == "password"
    with pytest.raises(ValidationError, match=message):
        users.reset_password(desk, "wang", password)
    with pytest.raises(ValidationError, match=message):
        users.change_password(as_user(desk, "wang", WANG_PASSWORD), WANG_PASSWORD, password)
    assert [info.username for info in users.list_users(desk)] == ["admin", "wang"]
    users.sign_in(desk, "wang", WANG_PASSWORD)  # unchanged


def test_the_user_name_as_password_is_refused_on_reset_and_change(desk: Desk) -> None:
    with pytest.raises(ValidationError, match="不能与用户名相同"):
        users.create_user(desk, "wangxiaoming", "wangxiaoming", UserRole.MEDIATOR)
    users.create_user(desk, "wangxiaoming", WANG_PASSWORD, UserRole.MEDIATOR)
    with pytest.raises(ValidationError, match="不能与用户名相同"):
        users.reset_password(desk, "wangxiaoming", "WangXiaoming")
    wang = as_user(desk, "wangxiaoming", WANG_PASSWORD)
    with pytest.raises(ValidationError, match="不能与用户名相同"):
        users.change_password(wang, WANG_PASSWORD, "WANGXIAOMING")
    assert users.sign_in(desk, "wangxiaoming", WANG_PASSWORD).username == "wangxiaoming"


def test_passwords_that_are_not_runs_are_accepted() -> None:
    for password in ("12345679", "abcdefgz", "aaaaaaab", "十二个汉字组成的一句话", "correct-horse-battery"):
        assert users.check_password(password) == password


@pytest.mark.parametrize("username", ["", "a", "x" * 51, "with space", "semi;colon", "tab\tname"])
def test_bad_user_names_are_refused(desk: Desk, username: str) -> None:
    with pytest.raises(ValidationError) as caught:
        users.create_user(desk, username, WANG_PASSWORD, UserRole.MEDIATOR)
    assert caught.value.field == "username"
    assert len(users.list_users(desk)) == 1


def test_chinese_user_names(desk: Desk) -> None:
    users.create_user(desk, "王调解", WANG_PASSWORD, UserRole.MEDIATOR)
    assert users.sign_in(desk, "王调解", WANG_PASSWORD).username == "王调解"


def test_only_the_administrator_lists_and_adds(desk: Desk) -> None:
    add_wang(desk, UserRole.DIRECTOR)
    director = as_user(desk, "wang", WANG_PASSWORD)
    with pytest.raises(PermissionDenied, match="“调委会主任”无权管理用户"):
        users.list_users(director)
    with pytest.raises(PermissionDenied):
        users.create_user(director, "li", NEW_PASSWORD, UserRole.ADMIN)
    assert len(users.list_users(desk)) == 2


# ---------------------------------------------------------------------------------------------------------------
# Signing in and the lock-out


def test_lock_durations() -> None:
    assert [users.lock_duration(n) for n in range(users.LOCK_AFTER)] == [None] * users.LOCK_AFTER
    minutes = [users.lock_duration(n) for n in range(users.LOCK_AFTER, users.LOCK_AFTER + 8)]
    assert minutes == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60)]
    assert users.lock_duration(10_000) == users.LONGEST_LOCK
    assert users.wait_text(timedelta(seconds=0.2)) == "1 秒"
    assert users.wait_text(timedelta(seconds=59)) == "59 秒"
    assert users.wait_text(timedelta(seconds=61)) == "2 分钟"
    assert users.wait_text(timedelta(hours=1)) == "60 分钟"


def test_wrong_password_and_unknown_user_get_the_same_answer(desk: Desk) -> None:
    add_wang(desk)
    with pytest.raises(DomainError) as wrong:
        users.sign_in(desk, "wang", WRONG)
    with pytest.raises(DomainError) as unknown:
        users.sign_in(desk, "nobody", WRONG)
    assert wrong.value.message == unknown.value.message == "用户名或密码不正确"
    assert type(wrong.value) is type(unknown.value) is DomainError


def test_lock_out_with_growing_delays(desk: Desk) -> None:
    add_wang(desk)
    now = utcnow()
    for failures in range(1, users.LOCK_AFTER):
        with pytest.raises(DomainError) as caught:
            users.sign_in(desk, "wang", WRONG, now=now)
        assert not isinstance(caught.value, AccountLocked)
        assert (account(desk, "wang").failed_logins, account(desk, "wang").locked_until) == (failures, None)
    for failures, minutes in enumerate((1, 2, 4, 8, 16, 32, 60, 60), start=users.LOCK_AFTER):
        lock = timedelta(minutes=minutes)
        with pytest.raises(AccountLocked, match=f"请 {minutes} 分钟后再试"):
            users.sign_in(desk, "wang", WRONG, now=now)
        stored = account(desk, "wang")
        assert (stored.failed_logins, stored.locked_until) == (failures, now + lock)
        # while locked the right password is refused too, and the refusal is not counted
        with pytest.raises(AccountLocked, match="请 30 秒后再试"):
            users.sign_in(desk, "wang", WANG_PASSWORD, now=now + lock - timedelta(seconds=30))
        assert account(desk, "wang").failed_logins == failures
        now += lock  # the lock is over
    actor = users.sign_in(desk, "wang", WANG_PASSWORD, now=now)
    assert (actor.username, actor.role) == ("wang", UserRole.MEDIATOR)
    stored = account(desk, "wang")
    assert (stored.failed_logins, stored.locked_until) == (0, None)
    failed = audit_events(desk, "users.sign_in_failed")
    assert len(failed) == users.LOCK_AFTER - 1 + 8
    assert {event.actor for event in failed} == {"cli:wang"}
    assert failed[-1].details == {"user": "wang", "failures": str(users.LOCK_AFTER - 1 + 8)}


def test_a_locked_account_is_shown_locked_and_refused_by_authenticate(desk: Desk) -> None:
    add_wang(desk)
    for _ in range(users.LOCK_AFTER):
        with pytest.raises(DomainError):
            users.sign_in(desk, "wang", WRONG)
    wang = next(info for info in users.list_users(desk) if info.username == "wang")
    assert wang.locked_until is not None
    assert wang.failed_logins == users.LOCK_AFTER
    with desk.read() as session, pytest.raises(AccountLocked):
        users.authenticate(session, "wang", WANG_PASSWORD)


def test_success_resets_the_count(desk: Desk) -> None:
    add_wang(desk)
    now = utcnow()
    for _ in range(users.LOCK_AFTER - 1):
        with pytest.raises(DomainError):
            users.sign_in(desk, "wang", WRONG, now=now)
    users.sign_in(desk, "wang", WANG_PASSWORD, now=now)
    assert account(desk, "wang").failed_logins == 0
    for _ in range(users.LOCK_AFTER - 1):  # as many again: still not locked
        with pytest.raises(DomainError) as caught:
            users.sign_in(desk, "wang", WRONG, now=now)
        assert not isinstance(caught.value, AccountLocked)
    assert users.sign_in(desk, "wang", WANG_PASSWORD, now=now).username == "wang"


def test_a_hash_with_older_parameters_is_renewed_at_sign_in(desk: Desk) -> None:
    add_wang(desk)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(WANG_PASSWORD)
    with desk.database.sessions() as session:
        session.execute(sa.update(User).where(User.username == "wang").values(password_hash=weak))
        session.commit()
    users.sign_in(desk, "wang", WANG_PASSWORD)
    renewed = account(desk, "wang").password_hash
    assert renewed != weak
    assert not PasswordHasher().check_needs_rehash(renewed)
    assert users.sign_in(desk, "wang", WANG_PASSWORD).username == "wang"


# ---------------------------------------------------------------------------------------------------------------
# Passwords: one's own, and the administrator's reset


def test_change_own_password_needs_the_old_one(desk: Desk) -> None:
    add_wang(desk)
    wang = as_user(desk, "wang", WANG_PASSWORD)
    with pytest.raises(ValidationError, match="原密码不正确") as caught:
        users.change_password(wang, WRONG, NEW_PASSWORD)
    assert caught.value.field == "old_password"
    with pytest.raises(ValidationError, match="不能与原密码相同"):
        users.change_password(wang, WANG_PASSWORD, WANG_PASSWORD)
    users.sign_in(desk, "wang", WANG_PASSWORD)  # still the old password
    info = users.change_password(wang, WANG_PASSWORD, NEW_PASSWORD).value
    assert info.username == "wang"
    with pytest.raises(DomainError, match="用户名或密码不正确"):
        users.sign_in(desk, "wang", WANG_PASSWORD)
    assert users.sign_in(desk, "wang", NEW_PASSWORD).username == "wang"
    assert [event.actor for event in audit_events(desk, "users.change_password")] == ["cli:wang"]


def test_change_password_needs_a_signed_in_account(desk: Desk) -> None:
    with pytest.raises(DomainError, match="--user"):
        users.change_password(desk, TEST_PASSWORD, NEW_PASSWORD)  # the person at this computer, not signed in


def test_the_administrator_resets_another_password_and_the_lock(desk: Desk) -> None:
    add_wang(desk)
    for _ in range(users.LOCK_AFTER):
        with pytest.raises(DomainError):
            users.sign_in(desk, "wang", WRONG)
    admin = as_user(desk, "admin")
    info = users.reset_password(admin, "wang", NEW_PASSWORD).value
    assert (info.locked_until, info.failed_logins) == (None, 0)
    assert users.sign_in(desk, "wang", NEW_PASSWORD).username == "wang"
    with pytest.raises(DomainError):
        users.sign_in(desk, "wang", WANG_PASSWORD)
    with pytest.raises(DomainError, match="users passwd"):
        users.reset_password(admin, "admin", NEW_PASSWORD)  # one's own: with the old password
    with pytest.raises(NotFound, match="nobody"):
        users.reset_password(admin, "nobody", NEW_PASSWORD)
    [event] = audit_events(desk, "users.reset_password")
    assert (event.actor, event.details) == ("cli:admin", {"user": "wang"})


@pytest.mark.parametrize("role", [role for role in UserRole if role is not UserRole.ADMIN])
def test_only_an_administrator_resets_passwords(desk: Desk, role: UserRole) -> None:
    add_wang(desk, role)
    users.create_user(desk, "li", TEST_PASSWORD, UserRole.MEDIATOR)
    other = as_user(desk, "wang", WANG_PASSWORD)
    with pytest.raises(PermissionDenied, match=f"“{role.label}”无权管理用户"):
        users.reset_password(other, "li", NEW_PASSWORD)
    for action in (users.deactivate_user, users.activate_user):
        with pytest.raises(PermissionDenied):
            action(other, "li")
    assert users.sign_in(desk, "li", TEST_PASSWORD).username == "li"
    assert audit_events(desk, "users.reset_password") == []


# ---------------------------------------------------------------------------------------------------------------
# Deactivation


def test_the_last_active_administrator_stays(desk: Desk) -> None:
    with pytest.raises(DomainError, match="唯一启用的系统管理员"):
        users.deactivate_user(desk, "admin")
    users.create_user(desk, "admin2", NEW_PASSWORD, UserRole.ADMIN)
    second = as_user(desk, "admin2", NEW_PASSWORD)
    with pytest.raises(DomainError, match="不能停用自己"):
        users.deactivate_user(second, "admin2")
    assert not users.deactivate_user(second, "admin").value.active
    with pytest.raises(DomainError, match="唯一启用的系统管理员"):
        users.deactivate_user(desk, "admin2")
    assert account(desk, "admin2").active
    users.activate_user(second, "admin")
    assert users.deactivate_user(as_user(desk, "admin"), "admin2").value.active is False


def test_a_deactivated_user_cannot_sign_in(desk: Desk) -> None:
    add_wang(desk)
    users.deactivate_user(desk, "wang")
    with pytest.raises(DomainError, match="已停用"):
        users.sign_in(desk, "wang", WANG_PASSWORD)
    with pytest.raises(DomainError, match="用户名或密码不正确"):
        users.sign_in(desk, "wang", WRONG)  # a wrong password says nothing more
    assert account(desk, "wang").failed_logins == 0
    with desk.read() as session, pytest.raises(DomainError):
        users.authenticate(session, "wang", WANG_PASSWORD)
    assert [info.active for info in users.list_users(desk) if info.username == "wang"] == [False]
    users.activate_user(desk, "wang")
    assert users.sign_in(desk, "wang", WANG_PASSWORD).username == "wang"


def test_reactivating_clears_a_lock(desk: Desk) -> None:
    add_wang(desk)
    for _ in range(users.LOCK_AFTER):
        with pytest.raises(DomainError):
            users.sign_in(desk, "wang", WRONG)
    users.deactivate_user(desk, "wang")
    info = users.activate_user(desk, "wang").value
    assert (info.active, info.locked_until, info.failed_logins) == (True, None, 0)
    assert users.sign_in(desk, "wang", WANG_PASSWORD).username == "wang"


# ---------------------------------------------------------------------------------------------------------------
# Who acted


def test_the_audit_trail_names_the_signed_in_account(desk: Desk) -> None:
    admin = as_user(desk, "admin")
    assert admin.actor == Actor("cli:admin", UserRole.ADMIN, "admin")
    users.create_user(admin, "wang", WANG_PASSWORD, UserRole.MEDIATOR)
    [added] = audit_events(desk, "users.add")
    assert (added.actor, added.details) == ("cli:admin", {"user": "wang", "role": "mediator"})
    wang = as_user(desk, "wang", WANG_PASSWORD)
    data = CaseInput(
        intake_date=date(2026, 3, 2),
        source=CaseSource.APPLICATION,
        category="02",
        parties=[PartyInput("王小明", PartyRole.APPLICANT), PartyInput("赵小红", PartyRole.RESPONDENT)],
        facts="两家因共用通道堆放杂物发生争执",
    )
    row = cases.register_case(wang, data).value
    [registered] = audit_events(desk, "cases.register")
    assert registered.actor == "cli:wang"
    assert {entry.actor for entry in cases.case_history(desk, row.id)} == {"cli:wang"}
    users.deactivate_user(admin, "wang")
    [deactivated] = audit_events(desk, "users.deactivate")
    assert (deactivated.actor, deactivated.details) == ("cli:admin", {"user": "wang"})
    for event in audit_events(desk, "users.add") + audit_events(desk, "users.deactivate"):
        assert WANG_PASSWORD not in str(event.details)


# ---------------------------------------------------------------------------------------------------------------
# Who acts without --user


def set_owner_account(desk: Desk, account: str) -> None:
    with desk.database.sessions() as session:
        set_setting(session, users.OWNER_ACCOUNT_SETTING, account)
        session.commit()


def pretend_account(monkeypatch: pytest.MonkeyPatch, account: str) -> None:
    """The environment variables ``getpass`` reads, all naming ``account``."""
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, account)


def test_the_owner_account_acts_as_the_desk_administrator(desk: Desk) -> None:
    add_wang(desk)
    assert desk.setting(users.OWNER_ACCOUNT_SETTING) == os_account()
    assert users.acting_user(desk, None, None) == Actor("cli:admin", UserRole.ADMIN, "admin")
    assert users.acting_user(desk, "wang", WANG_PASSWORD).role is UserRole.MEDIATOR
    with pytest.raises(DomainError, match="须提供密码"):
        users.acting_user(desk, "wang", None)


def test_another_account_needs_user_on_a_desk_with_several(desk: Desk) -> None:
    set_owner_account(desk, "someone-else")
    assert users.acting_user(desk, None, None).username == "admin"  # the only account
    add_wang(desk)
    with pytest.raises(users.UserRequired, match=f"当前系统账户“{os_account()}”不是设立它的账户"):
        users.acting_user(desk, None, None)
    users.deactivate_user(desk, "wang")
    assert users.acting_user(desk, None, None).username == "admin"  # the only active account


def test_environment_variables_do_not_make_another_account_the_owner(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_wang(desk)
    set_owner_account(desk, "someone-else")
    pretend_account(monkeypatch, "someone-else")
    assert os_account() == "someone-else"  # what getpass says
    with pytest.raises(users.UserRequired):
        users.acting_user(desk, None, None)


def test_a_deactivated_owner_administrator_is_named(desk: Desk) -> None:
    add_wang(desk)
    users.create_user(desk, "admin2", NEW_PASSWORD, UserRole.ADMIN)
    users.deactivate_user(desk, "admin")
    with pytest.raises(users.UserRequired, match="设立时的系统管理员账户“admin”已停用"):
        users.acting_user(desk, None, None)


def test_a_desk_without_accounts_is_run_by_the_person_at_this_computer(tmp_path: Path) -> None:
    assert users.acting_user_at(tmp_path / "none", None, None) == Actor.local_operator("cli")
    with pytest.raises(DomainError, match="还没有工作台"):
        users.acting_user_at(tmp_path / "none", "admin", TEST_PASSWORD)
