"""The desk: one data folder's database, the acting user, and units of work that report what changed."""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.orm import Session

from mediation_desk.domain.codes import UserRole
from mediation_desk.domain.errors import DomainError
from mediation_desk.domain.permissions import Permission, check
from mediation_desk.services.opening import has_database as has_database  # noqa: PLC0414 - re-exported
from mediation_desk.store.database import Database
from mediation_desk.store.datadir import DataDir, InstanceLock
from mediation_desk.store.engine import WRITE_TRANSACTION
from mediation_desk.store.models import OrgUnit, Setting

T = TypeVar("T")

ORG_SETTING = "desk.org_code"
SYNTHETIC_SETTING = "desk.synthetic"  # "1" on a desk the demo generator made (mediation_desk.demo)


class DatabaseBusy(DomainError):
    pass


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: recorded in the audit trail and checked against permissions.

    ``username`` is the desk account acting (``None`` for the person at this computer, not signed in).
    """

    name: str
    role: UserRole
    username: str | None = None

    @classmethod
    def local_operator(cls, channel: str) -> Actor:
        """The person at this computer, acting through the CLI or an unlocked GUI, as administrator."""
        return cls(f"{channel}:{os_account()}", UserRole.ADMIN)

    @classmethod
    def signed_in(cls, channel: str, username: str, role: UserRole) -> Actor:
        """A desk account acting through ``channel`` (``cli``, ``gui``): the audit trail names the account."""
        return cls(f"{channel}:{username}", role, username)


def os_account() -> str:
    """The operating-system account running the program."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass(frozen=True, slots=True)
class Changes:
    """What a service call changed, so that each view can decide whether to refresh (Anki's OpChanges)."""

    tables: frozenset[str] = frozenset()
    case_ids: frozenset[uuid.UUID] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.tables)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.tables | other.tables, self.case_ids | other.case_ids)

    def touches(self, *tables: str) -> bool:
        return bool(self.tables.intersection(tables))


@dataclass(frozen=True, slots=True)
class Result(Generic[T]):
    value: T
    changes: Changes


@dataclass
class UnitOfWork:
    session: Session
    tables: set[str] = field(default_factory=set)
    case_ids: set[uuid.UUID] = field(default_factory=set)

    def changed(self, *tables: str, case_id: uuid.UUID | None = None) -> None:
        self.tables.update(tables)
        if case_id is not None:
            self.case_ids.add(case_id)

    def changes(self) -> Changes:
        return Changes(frozenset(self.tables), frozenset(self.case_ids))


class Desk:
    """A data folder opened for work. Services take a ``Desk`` and never leak a session to their callers."""

    def __init__(self, database: Database, actor: Actor, lock: InstanceLock | None = None) -> None:
        self.database = database
        self.actor = actor
        self._lock = lock
        self._listeners: list[Callable[[Changes], None]] = []

    @classmethod
    def open(cls, root: Path, actor: Actor, *, create: bool = False, lock: bool = False) -> Desk:
        data_dir = DataDir(root)
        instance_lock: InstanceLock | None = None
        if lock:
            if create:
                data_dir.create()
            elif not root.is_dir():
                data_dir.require()
            instance_lock = InstanceLock(data_dir)
            instance_lock.acquire()
        try:
            database = Database.open(data_dir, create=create)
        except BaseException:
            if instance_lock:
                instance_lock.release()
            raise
        return cls(database, actor, instance_lock)

    @property
    def data_dir(self) -> DataDir:
        assert self.database.data_dir is not None
        return self.database.data_dir

    def close(self) -> None:
        self.database.close()
        if self._lock:
            self._lock.release()
            self._lock = None

    def subscribe(self, listener: Callable[[Changes], None]) -> None:
        """Call ``listener`` after every committed change (on the thread that made it)."""
        self._listeners.append(listener)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.database.sessions() as session:
            yield session

    @contextmanager
    def write(self, operation: str, permission: Permission, *, dry_run: bool = False) -> Iterator[UnitOfWork]:
        """One transaction: all of it or nothing. Checks the actor's role first.

        ``dry_run``: run everything (checks, constraints, revisions) and roll back at the end, so a preview is
        exactly what the real run would do; nothing is kept and no listener is told.
        """
        check(self.actor.role, permission)
        with self._transaction(operation, self.actor.name, dry_run=dry_run) as work:
            yield work

    @contextmanager
    def sign_in_write(self, operation: str, actor_name: str) -> Iterator[UnitOfWork]:
        """A sign-in's own bookkeeping (failed attempts, the lock-out), kept before anyone is signed in, so there
        is no role to check. Only ``services.users`` uses it."""
        with self._transaction(operation, actor_name) as work:
            yield work

    @contextmanager
    def _transaction(self, operation: str, actor_name: str, *, dry_run: bool = False) -> Iterator[UnitOfWork]:
        session = self.database.sessions()
        session.info["actor"] = actor_name
        session.info["operation"] = operation
        work = UnitOfWork(session)
        try:
            session.connection(execution_options=WRITE_TRANSACTION)  # the write lock first (waits if busy)
            yield work
            if dry_run:
                session.flush()  # constraints are checked even when nothing is kept
                session.rollback()
            else:
                session.commit()
        except exc.OperationalError as error:
            session.rollback()
            if "locked" in str(error.orig).lower() or "busy" in str(error.orig).lower():
                raise DatabaseBusy("数据库正被另一个程序占用，请稍后再试；本次操作未保存任何内容") from None
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
        changes = work.changes()
        if changes and not dry_run:
            for listener in list(self._listeners):
                listener(changes)

    def run(
        self, operation: str, permission: Permission, body: Callable[[UnitOfWork], T], *, dry_run: bool = False
    ) -> Result[T]:
        with self.write(operation, permission, dry_run=dry_run) as work:
            value = body(work)
        return Result(value, work.changes())

    # -- settings that belong to the data --------------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        with self.read() as session:
            row = session.get(Setting, key)
            return row.value if row else None

    def own_org(self, session: Session) -> OrgUnit:
        code = session.get(Setting, ORG_SETTING)
        if code is None:
            raise DomainError("此工作台尚未设置所属组织；请先运行 init（或在首次运行向导中设置）")
        org = session.scalar(sa.select(OrgUnit).where(OrgUnit.code == code.value))
        if org is None:
            raise DomainError(f"工作台所属组织 {code.value} 不在组织列表中")
        return org


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
