"""Look-ups by resident ID number through the keyed blind index (the numbers themselves are encrypted)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.security.binding import blind_index
from mediation_desk.store.models import DisputeCase, Mediator, Party


def _index(model: type[Party] | type[Mediator]) -> sa.ColumnElement[str | None]:
    """The blind-index column of ``model``'s table (not mapped: the engine keeps it, nothing else reads it)."""
    column: sa.ColumnElement[str | None] = model.__table__.c.id_number_index
    return column


def cases_of_id_number(session: Session, id_number: str) -> Sequence[DisputeCase]:
    """The cases in which a party has exactly this ID number (normalised first), newest intake first."""
    index = blind_index(session.connection(), id_number)
    if index is None:
        return []
    with_party = sa.select(Party.case_id).where(_index(Party) == index)
    query = (
        sa.select(DisputeCase)
        .where(DisputeCase.id.in_(with_party))
        .order_by(DisputeCase.intake_date.desc(), DisputeCase.number.desc())
    )
    return session.scalars(query).all()


def mediators_of_id_number(session: Session, id_number: str) -> Sequence[Mediator]:
    """The mediators with exactly this ID number (normalised first)."""
    index = blind_index(session.connection(), id_number)
    if index is None:
        return []
    return session.scalars(sa.select(Mediator).where(_index(Mediator) == index).order_by(Mediator.name)).all()
