"""The roster as its page shows it: one mediator in full (pairings with villages, yearly assessments), and
corrections of a roster entry. Adding, pairing and assessing are ``services.mediators``'."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from mediation_desk.domain.codes import Employment, Gender, IdType, MediatorRole
from mediation_desk.domain.errors import NotFound
from mediation_desk.domain.permissions import Permission
from mediation_desk.services.desk import Desk, Result, UnitOfWork
from mediation_desk.services.mediators import MediatorInput, clean_mediator
from mediation_desk.services.orgs import find_org
from mediation_desk.store.models import Mediator, MediatorAssessment, MediatorPairing, OrgUnit


@dataclass(frozen=True, slots=True)
class PairingInfo:
    id: uuid.UUID
    org_code: str
    org_name: str
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class AssessmentInfo:
    year: int
    grade: str
    notes: str


@dataclass(frozen=True, slots=True)
class MediatorDetail:
    id: uuid.UUID
    org_code: str
    name: str
    gender: Gender | None
    phone: str
    id_type: IdType
    id_number: str
    role: MediatorRole
    employment: Employment
    legal_instructor: bool
    active_from: date | None
    active_to: date | None
    notes: str
    pairings: tuple[PairingInfo, ...]
    assessments: tuple[AssessmentInfo, ...]


def mediator_detail(desk: Desk, mediator_id: uuid.UUID) -> MediatorDetail:
    with desk.read() as session:
        mediator = session.get(Mediator, mediator_id)
        if mediator is None:
            raise NotFound("找不到该调解员")
        org_code = session.scalar(sa.select(OrgUnit.code).where(OrgUnit.id == mediator.org_id)) or ""
        pairings = session.execute(
            sa.select(MediatorPairing, OrgUnit.code, OrgUnit.name)
            .join(OrgUnit, MediatorPairing.org_id == OrgUnit.id)
            .where(MediatorPairing.mediator_id == mediator_id)
            .order_by(OrgUnit.code)
        ).all()
        assessments = session.scalars(
            sa.select(MediatorAssessment)
            .where(MediatorAssessment.mediator_id == mediator_id)
            .order_by(MediatorAssessment.year.desc())
        ).all()
        return MediatorDetail(
            mediator.id,
            org_code,
            mediator.name,
            mediator.gender,
            mediator.phone or "",
            mediator.id_type,
            mediator.id_number or "",
            mediator.role,
            mediator.employment,
            mediator.legal_instructor,
            mediator.active_from,
            mediator.active_to,
            mediator.notes,
            tuple(PairingInfo(p.id, code, name, p.start_date, p.end_date) for p, code, name in pairings),
            tuple(AssessmentInfo(a.year, a.grade, a.notes) for a in assessments),
        )


def update_mediator(desk: Desk, mediator_id: uuid.UUID, data: MediatorInput) -> Result[uuid.UUID]:
    """Correct a roster entry (name, role, employment, legal instructor, active period, contact, notes)."""
    clean_mediator(data)

    def body(work: UnitOfWork) -> uuid.UUID:
        mediator = work.session.get(Mediator, mediator_id)
        if mediator is None:
            raise NotFound("找不到该调解员")
        if data.org_code:
            mediator.org_id = find_org(work.session, data.org_code).id
        mediator.name, mediator.gender, mediator.phone = data.name, data.gender, data.phone or None
        mediator.id_type, mediator.id_number = data.id_type, data.id_number or None
        mediator.role, mediator.employment, mediator.legal_instructor = (
            data.role,
            data.employment,
            data.legal_instructor,
        )
        mediator.active_from, mediator.active_to, mediator.notes = data.active_from, data.active_to, data.notes
        work.changed("mediator")
        return mediator.id

    return desk.run("mediators.edit", Permission.MANAGE_ROSTER, body)
