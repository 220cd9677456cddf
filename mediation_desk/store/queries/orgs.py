"""Organisation queries: by code, the whole list, and the units below a given one."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.store.models import OrgUnit


def org_by_code(session: Session, code: str) -> OrgUnit | None:
    return session.scalar(sa.select(OrgUnit).where(OrgUnit.code == code))


def all_orgs(session: Session) -> list[OrgUnit]:
    """Every organisation on file, by code."""
    return list(session.scalars(sa.select(OrgUnit).order_by(OrgUnit.code)))


def children_by_parent(session: Session) -> dict[uuid.UUID | None, list[uuid.UUID]]:
    """The organisation tree as ids of children per parent id (``None``: the roots)."""
    children: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    for org_id, parent_id in session.execute(sa.select(OrgUnit.id, OrgUnit.parent_id)):
        children.setdefault(parent_id, []).append(org_id)
    return children


def subtree_ids(session: Session, root_id: uuid.UUID) -> set[uuid.UUID]:
    """The organisation and everything below it (organisation trees are small: a few thousand units)."""
    children = children_by_parent(session)
    found: set[uuid.UUID] = set()
    stack = [root_id]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children.get(current, []))
    return found
