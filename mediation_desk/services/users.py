"""Local user accounts: argon2 password hashes, roles."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from mediation_desk.domain.codes import UserRole
from mediation_desk.domain.errors import DomainError, ValidationError
from mediation_desk.store.models import User

MIN_PASSWORD = 8
_HASHER = PasswordHasher()


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: uuid.UUID
    username: str
    display_name: str
    role: UserRole
    active: bool


def check_username(username: str) -> str:
    username = username.strip()
    if not re.fullmatch(r"[A-Za-z0-9_.\-\u4e00-\u9fff]{2,50}", username):
        raise ValidationError("用户名应为 2–50 个字母、数字、汉字或 _ . -", field="username")
    return username


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"密码至少 {MIN_PASSWORD} 位", field="password")
    if password.strip() != password:
        raise ValidationError("密码首尾不能有空格", field="password")
    return password


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
    check_password(password)
    if session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise ValidationError(f"用户名“{username}”已存在", field="username")
    user = User(
        id=uuid.uuid4(),
        username=username,
        display_name=display_name or username,
        role=role,
        org_id=org_id,
        password_hash=_HASHER.hash(password),
    )
    session.add(user)
    return user


def authenticate(session: Session, username: str, password: str) -> UserInfo:
    user = session.scalar(sa.select(User).where(User.username == username.strip()))
    failure = DomainError("用户名或密码不正确")
    if user is None or not user.active:
        raise failure
    try:
        _HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise failure from None
    return UserInfo(user.id, user.username, user.display_name, user.role, user.active)
