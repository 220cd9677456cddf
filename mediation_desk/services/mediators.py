"""The mediator roster: members and hired mediators, pairings with villages, yearly assessments."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from mediation_desk.domain.codes import Employment, Gender, IdType, MediatorRole
from mediation_desk.domain.errors import NotFound, ValidationError
from mediation_desk.domain.identity import normalise_phone, parse_resident_id
from mediation_desk.domain.permissions import Permission
from mediation_desk.domain.text import clean_block, clean_line
from mediation_desk.services.desk import Desk, Result, UnitOfWork
from mediation_desk.services.orgs import find_org
from mediation_desk.store.models import Mediator, MediatorAssessment, MediatorPairing, OrgUnit
from mediation_desk.store.queries import mediators as mediator_queries
from mediation_desk.store.queries.orgs import subtree_ids


@dataclass(slots=True)
class MediatorInput:
    name: str
    org_code: str | None = None  # defaults to this desk's organisation
    gender: Gender | None = None
    phone: str = ""
    id_type: IdType = IdType.RESIDENT_ID
    id_number: str = ""
    role: MediatorRole = MediatorRole.MEMBER
    employment: Employment = Employment.PART_TIME
    legal_instructor: bool = False
    active_from: date | None = None
    active_to: date | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class MediatorInfo:
    id: uuid.UUID
    org_code: str
    org_name: str
    name: str
    gender: Gender | None
    phone: str
    role: MediatorRole
    employment: Employment
    legal_instructor: bool
    active: bool


def clean_mediator(data: MediatorInput) -> MediatorInput:
    """Validate and normalise a roster entry (texts through ``domain.text``); raise ``ValidationError``."""
    data.name = clean_line(data.name, label="调解员姓名", field="name")
    data.phone = clean_line(data.phone, label="电话号码", field="phone")
    data.id_number = clean_line(data.id_number, label="证件号码", field="id_number")
    data.notes = clean_block(data.notes, label="备注", field="notes")
    if not data.name:
        raise ValidationError("调解员姓名不能为空", field="name")
    if data.phone:
        data.phone = normalise_phone(data.phone)
    if data.id_number and data.id_type.is_gb11643:
        parsed = parse_resident_id(data.id_number)
        data.id_number = parsed.number
        data.gender = data.gender or parsed.gender
    if data.active_from and data.active_to and data.active_to < data.active_from:
        raise ValidationError("任职结束日期不能早于开始日期", field="active_to")
    return data


def new_mediator(session: Session, org: OrgUnit, data: MediatorInput) -> Mediator:
    mediator = Mediator(
        id=uuid.uuid4(),
        org_id=org.id,
        name=data.name,
        gender=data.gender,
        phone=data.phone or None,
        id_type=data.id_type,
        id_number=data.id_number or None,
        role=data.role,
        employment=data.employment,
        legal_instructor=data.legal_instructor,
        active_from=data.active_from,
        active_to=data.active_to,
        notes=data.notes,
    )
    session.add(mediator)
    return mediator


def _info(mediator: Mediator, org: OrgUnit, today: date | None = None) -> MediatorInfo:
    today = today or date.today()
    active = (mediator.active_from is None or mediator.active_from <= today) and (
        mediator.active_to is None or mediator.active_to >= today
    )
    return MediatorInfo(
        mediator.id,
        org.code,
        org.name,
        mediator.name,
        mediator.gender,
        mediator.phone or "",
        mediator.role,
        mediator.employment,
        mediator.legal_instructor,
        active,
    )


def add_mediator(desk: Desk, data: MediatorInput) -> Result[MediatorInfo]:
    clean_mediator(data)

    def body(work: UnitOfWork) -> MediatorInfo:
        org = find_org(work.session, data.org_code) if data.org_code else desk.own_org(work.session)
        mediator = new_mediator(work.session, org, data)
        work.changed("mediator")
        return _info(mediator, org)

    return desk.run("mediators.add", Permission.MANAGE_ROSTER, body)


def list_mediators(desk: Desk, org_code: str | None = None, *, include_inactive: bool = True) -> list[MediatorInfo]:
    """Mediators of an organisation and its subtree (default: this desk's), by organisation then name."""
    with desk.read() as session:
        root = find_org(session, org_code) if org_code else desk.own_org(session)
        rows = mediator_queries.roster(session, subtree_ids(session, root.id))
        infos = [_info(mediator, org) for mediator, org in rows]
    return [info for info in infos if include_inactive or info.active]


def pair_mediator(
    desk: Desk, mediator_id: uuid.UUID, village_code: str, *, start: date | None = None, end: date | None = None
) -> Result[uuid.UUID]:
    """结对指导: pair a (full-time) mediator or legal instructor with a village committee."""
    if start and end and end < start:
        raise ValidationError("结对结束日期不能早于开始日期")

    def body(work: UnitOfWork) -> uuid.UUID:
        if work.session.get(Mediator, mediator_id) is None:
            raise NotFound("找不到该调解员")
        village = find_org(work.session, village_code)
        pairing = MediatorPairing(
            id=uuid.uuid4(), mediator_id=mediator_id, org_id=village.id, start_date=start, end_date=end
        )
        work.session.add(pairing)
        work.changed("mediator_pairing")
        return pairing.id

    return desk.run("mediators.pair", Permission.MANAGE_ROSTER, body)


def assess_mediator(desk: Desk, mediator_id: uuid.UUID, year: int, grade: str, notes: str = "") -> Result[uuid.UUID]:
    """Record (or correct) a mediator's yearly assessment (考核)."""
    grade = clean_line(grade, label="考核等次", field="grade")
    notes = clean_block(notes, label="备注", field="notes")
    if not grade:
        raise ValidationError("请填写考核等次", field="grade")
    if not 2000 <= year <= date.today().year:
        raise ValidationError("考核年度不正确", field="year")

    def body(work: UnitOfWork) -> uuid.UUID:
        if work.session.get(Mediator, mediator_id) is None:
            raise NotFound("找不到该调解员")
        existing = mediator_queries.assessment(work.session, mediator_id, year)
        if existing is None:
            existing = MediatorAssessment(id=uuid.uuid4(), mediator_id=mediator_id, year=year, grade=grade, notes=notes)
            work.session.add(existing)
        else:
            existing.grade, existing.notes = grade, notes
        work.changed("mediator_assessment")
        return existing.id

    return desk.run("mediators.assess", Permission.MANAGE_ROSTER, body)
