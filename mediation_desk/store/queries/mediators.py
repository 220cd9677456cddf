"""Mediator queries: the roster of a set of organisations, a mediator's assessment for a year."""

from __future__ import annotations

import uuid
from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.store.models import Mediator, MediatorAssessment, OrgUnit


def roster(session: Session, org_ids: Collection[uuid.UUID]) -> list[tuple[Mediator, OrgUnit]]:
    """The mediators of these organisations with their organisation, by organisation code then name."""
    rows = session.execute(
        sa.select(Mediator, OrgUnit)
        .join(OrgUnit, Mediator.org_id == OrgUnit.id)
        .where(Mediator.org_id.in_(org_ids))
        .order_by(OrgUnit.code, Mediator.name)
    ).all()
    return [(mediator, org) for mediator, org in rows]


def assessment(session: Session, mediator_id: uuid.UUID, year: int) -> MediatorAssessment | None:
    return session.scalar(
        sa.select(MediatorAssessment).where(
            MediatorAssessment.mediator_id == mediator_id, MediatorAssessment.year == year
        )
    )
