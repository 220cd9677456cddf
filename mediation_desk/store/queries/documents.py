"""What printing and the agreements' life read: a case's agreements, the one that replaced another, agreements
by the start of their content hash (verification codes), numbers in use, a case's attachments."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain.codes import AgreementState
from mediation_desk.store.models import Agreement, Attachment, DisputeCase, OrgUnit


def agreements_of(session: Session, case_id: uuid.UUID) -> Sequence[Agreement]:
    """Every agreement of the case (void ones too), oldest first."""
    return session.scalars(
        sa.select(Agreement).where(Agreement.case_id == case_id).order_by(Agreement.created_at, Agreement.number)
    ).all()


def current_agreement(session: Session, case_id: uuid.UUID, *, oral: bool) -> Agreement | None:
    """The newest agreement of the case (written or oral) that is not void."""
    return session.scalar(
        sa.select(Agreement)
        .where(Agreement.case_id == case_id, Agreement.oral == oral, Agreement.state != AgreementState.VOID)
        .order_by(Agreement.created_at.desc(), Agreement.number.desc())
        .limit(1)
    )


def agreement_numbers(session: Session, case_id: uuid.UUID) -> set[str]:
    return set(session.scalars(sa.select(Agreement.number).where(Agreement.case_id == case_id)))


def replacement_of(session: Session, agreement_id: uuid.UUID) -> Agreement | None:
    """The agreement issued in place of a voided one."""
    return session.scalar(sa.select(Agreement).where(Agreement.replaces_id == agreement_id).limit(1))


def with_hash_prefix(session: Session, prefix: str) -> Sequence[Agreement]:
    """Agreements whose content hash (lower-case hex) starts with ``prefix``."""
    pattern = prefix.lower().replace("%", "").replace("_", "") + "%"
    return session.scalars(
        sa.select(Agreement).where(Agreement.content_hash.is_not(None), Agreement.content_hash.like(pattern))
    ).all()


def hashes_with_prefix(session: Session, prefix: str, *, excluding: uuid.UUID | None = None) -> list[str]:
    """The content hashes that start with ``prefix``, but the one of agreement ``excluding``."""
    query = sa.select(Agreement.content_hash).where(
        Agreement.content_hash.is_not(None), Agreement.content_hash.like(prefix.lower() + "%")
    )
    if excluding is not None:
        query = query.where(Agreement.id != excluding)
    return [value for value in session.scalars(query) if value]


def case_and_org(session: Session, case_id: uuid.UUID) -> tuple[DisputeCase, OrgUnit]:
    row = session.execute(
        sa.select(DisputeCase, OrgUnit).join(OrgUnit, DisputeCase.org_id == OrgUnit.id).where(DisputeCase.id == case_id)
    ).one()
    return row[0], row[1]


def attachments_of(session: Session, case_id: uuid.UUID) -> Sequence[Attachment]:
    return session.scalars(
        sa.select(Attachment).where(Attachment.case_id == case_id).order_by(Attachment.created_at)
    ).all()


def attachment_with_hash(session: Session, case_id: uuid.UUID, sha256: str) -> Attachment | None:
    return session.scalar(
        sa.select(Attachment).where(Attachment.case_id == case_id, Attachment.sha256 == sha256).limit(1)
    )
