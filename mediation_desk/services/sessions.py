"""Who may open the desk without typing a password: the GUI's "stay signed in" on a single-user laptop.

A village laptop with one account and one mediator may keep that account signed in for the operating-system
session (until the computer is restarted or the user logs out of it): the GUI remembers the account name with a
marker of the OS session, and at the next start asks :func:`remembered_actor` for the account's current role and
state. The account must still be the desk's only active one, active and not locked; otherwise the login asks for
the password again. The operating-system account's own password and screen lock are what guard the desk then
(the README says so).
"""

from __future__ import annotations

import sqlalchemy as sa

from mediation_desk.services.desk import Actor, Desk
from mediation_desk.store.models import User
from mediation_desk.store.types import utcnow


def active_accounts(desk: Desk) -> int:
    """How many accounts may sign in on this desk."""
    with desk.read() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(User).where(User.active.is_(True))) or 0)


def remembered_actor(desk: Desk, username: str, *, channel: str = "gui") -> Actor | None:
    """The actor for ``username`` when it may stay signed in: the desk's only active account, not locked."""
    with desk.read() as session:
        users = list(session.scalars(sa.select(User).where(User.active.is_(True)).limit(2)))
        if len(users) != 1 or users[0].username != username:
            return None
        user = users[0]
        if user.locked_until is not None and user.locked_until > utcnow():
            return None
        return Actor.signed_in(channel, user.username, user.role)


def display_name(desk: Desk, username: str) -> str:
    """The account's display name (its user name when it has none)."""
    with desk.read() as session:
        name = session.scalar(sa.select(User.display_name).where(User.username == username))
        return name or username
