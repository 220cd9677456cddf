"""SQLAlchemy 2 typed models for everything DESIGN.md's Data section names.

Every foreign key has a ``relationship`` (``lazy="raise"``: nothing loads behind a caller's back) so that the unit
of work inserts parents before children in any flush, whatever order they were added in.

Every record that syncs carries a UUID key made once at creation and the revision that last wrote it
(``rev_device``, ``rev_seq``, ``rev_hlc``): SYNC.md's revision log keys revisions by ``(origin_device,
origin_seq)``, and these columns name the revision the current row came from. They are stamped in the same
flush as the change (``store.hooks``, ``store.revisions``), so no write path can forget them.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, Unmapped, mapped_column, relationship, unmapped_column

from mediation_desk.domain.codes import (
    AgreementState,
    CaseMediatorRole,
    CaseSource,
    Employment,
    Gender,
    IdType,
    MediatorRole,
    OrgLevel,
    OutcomeKind,
    PartyKind,
    PartyRole,
    Performance,
    UserRole,
)
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.security.columns import EncryptedText, SealedRevisionData
from mediation_desk.store.types import UTCDateTime, enum_column, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)


class Synced:
    """Columns of every record that travels in sync files."""

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    rev_device: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    rev_seq: Mapped[int | None] = mapped_column(sa.BigInteger)
    rev_hlc: Mapped[str | None] = mapped_column(sa.String(40))


# ---------------------------------------------------------------------------------------------------------------
# Organisations and people who mediate


class OrgUnit(Synced, Base):
    __tablename__ = "org_unit"

    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    level: Mapped[OrgLevel] = mapped_column(enum_column(OrgLevel))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    case_prefix: Mapped[str | None] = mapped_column(sa.String(20))
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[OrgUnit | None] = relationship(remote_side="OrgUnit.id", lazy="raise")


class Mediator(Synced, Base):
    __tablename__ = "mediator"

    org_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    gender: Mapped[Gender | None] = mapped_column(enum_column(Gender))
    phone: Mapped[str | None] = mapped_column(EncryptedText("mediator", "phone", 30))
    id_type: Mapped[IdType] = mapped_column(enum_column(IdType), default=IdType.RESIDENT_ID)
    id_number: Mapped[str | None] = mapped_column(EncryptedText("mediator", "id_number", 40))
    # the keyed blind index of id_number (security.fields): kept by the engine on every write, never synced
    id_number_index: Unmapped[str | None] = unmapped_column(sa.String(32), index=True)
    role: Mapped[MediatorRole] = mapped_column(enum_column(MediatorRole), default=MediatorRole.MEMBER)
    employment: Mapped[Employment] = mapped_column(enum_column(Employment), default=Employment.PART_TIME)
    legal_instructor: Mapped[bool] = mapped_column(default=False)
    active_from: Mapped[date | None] = mapped_column(sa.Date)
    active_to: Mapped[date | None] = mapped_column(sa.Date)
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    org: Mapped[OrgUnit] = relationship(lazy="raise")


class MediatorPairing(Synced, Base):
    """结对指导: a full-time mediator or legal instructor paired with a village committee."""

    __tablename__ = "mediator_pairing"

    mediator_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("mediator.id"), index=True)
    org_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    start_date: Mapped[date | None] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)

    mediator: Mapped[Mediator] = relationship(lazy="raise")
    org: Mapped[OrgUnit] = relationship(lazy="raise")


class MediatorAssessment(Synced, Base):
    """考核: a yearly assessment of a mediator."""

    __tablename__ = "mediator_assessment"
    __table_args__ = (sa.UniqueConstraint("mediator_id", "year"),)

    mediator_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("mediator.id"), index=True)
    year: Mapped[int]
    grade: Mapped[str] = mapped_column(sa.String(20))
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    mediator: Mapped[Mediator] = relationship(lazy="raise")


# ---------------------------------------------------------------------------------------------------------------
# Cases


class DisputeCase(Synced, Base):
    __tablename__ = "dispute_case"
    __table_args__ = (
        sa.UniqueConstraint("org_id", "number", name="uq_dispute_case_org_number"),
        sa.UniqueConstraint("org_id", "ledger_key", name="uq_dispute_case_org_ledger_key"),
        sa.Index("ix_dispute_case_org_intake", "org_id", "intake_date"),
        # a status or category filter's first screen in the list's order, and its count (migration 0007)
        sa.Index("ix_dispute_case_status_order", "status", "intake_date", "number_seq"),
        sa.Index("ix_dispute_case_category_order", "category", "intake_date", "number_seq"),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("org_unit.id"))
    number: Mapped[str | None] = mapped_column(sa.String(60))
    number_year: Mapped[int | None]
    number_seq: Mapped[int | None]
    intake_date: Mapped[date] = mapped_column(sa.Date, index=True)
    source: Mapped[CaseSource] = mapped_column(enum_column(CaseSource))
    referral_body: Mapped[str] = mapped_column(sa.String(100), default="")
    category: Mapped[str] = mapped_column(sa.String(2))
    subtype: Mapped[str | None] = mapped_column(sa.String(8))
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    facts: Mapped[str] = mapped_column(sa.Text, default="")
    requests: Mapped[str] = mapped_column(sa.Text, default="")
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    amount_fen: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    persons: Mapped[int] = mapped_column(default=0)
    group_dispute: Mapped[bool] = mapped_column(default=False)
    risk_flags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus))
    refusal_reason: Mapped[str] = mapped_column(sa.Text, default="")
    recorder: Mapped[str] = mapped_column(sa.String(50), default="")
    closing_date: Mapped[date | None] = mapped_column(sa.Date)
    ledger_key: Mapped[str | None] = mapped_column(sa.String(64))
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    org: Mapped[OrgUnit] = relationship(lazy="raise")
    parties: Mapped[list[Party]] = relationship(
        back_populates="case", lazy="raise", order_by="Party.position", cascade="all, delete-orphan"
    )
    mediators: Mapped[list[CaseMediator]] = relationship(
        back_populates="case", lazy="raise", cascade="all, delete-orphan"
    )
    outcome: Mapped[Outcome | None] = relationship(lazy="raise", cascade="all, delete-orphan")


class Party(Synced, Base):
    __tablename__ = "party"

    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    role: Mapped[PartyRole] = mapped_column(enum_column(PartyRole))
    kind: Mapped[PartyKind] = mapped_column(enum_column(PartyKind), default=PartyKind.PERSON)
    name: Mapped[str] = mapped_column(sa.String(100), index=True)
    gender: Mapped[Gender | None] = mapped_column(enum_column(Gender))
    ethnicity: Mapped[str] = mapped_column(sa.String(20), default="")
    birth_date: Mapped[date | None] = mapped_column(sa.Date)
    id_type: Mapped[IdType] = mapped_column(enum_column(IdType), default=IdType.RESIDENT_ID)
    id_number: Mapped[str] = mapped_column(EncryptedText("party", "id_number", 40), default="")
    # the keyed blind index of id_number (security.fields): kept by the engine on every write, never synced
    id_number_index: Unmapped[str | None] = unmapped_column(sa.String(32), index=True)
    phone: Mapped[str] = mapped_column(EncryptedText("party", "phone", 30), default="")
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    occupation: Mapped[str] = mapped_column(sa.String(50), default="")
    employer: Mapped[str] = mapped_column(sa.String(100), default="")
    representative: Mapped[str] = mapped_column(sa.String(50), default="")
    agent_name: Mapped[str] = mapped_column(sa.String(50), default="")
    agent_phone: Mapped[str] = mapped_column(EncryptedText("party", "agent_phone", 30), default="")

    case: Mapped[DisputeCase] = relationship(back_populates="parties", lazy="raise")


class CaseMediator(Synced, Base):
    __tablename__ = "case_mediator"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "mediator_id"),
        # covering for the mediators' statistics, walked in case order beside stats_case (migration 0006)
        sa.Index("ix_case_mediator_stats", "case_id", "recused", "mediator_id"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    mediator_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("mediator.id"), index=True)
    role: Mapped[CaseMediatorRole] = mapped_column(enum_column(CaseMediatorRole))
    assigned_on: Mapped[date] = mapped_column(sa.Date)
    chosen_by_parties: Mapped[bool] = mapped_column(default=False)
    recused: Mapped[bool] = mapped_column(default=False)
    recusal_reason: Mapped[str] = mapped_column(sa.Text, default="")

    mediator: Mapped[Mediator] = relationship(lazy="raise")
    case: Mapped[DisputeCase] = relationship(back_populates="mediators", lazy="raise")


class InvestigationRecord(Synced, Base):
    """调查记录."""

    __tablename__ = "investigation_record"

    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    held_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    investigator: Mapped[str] = mapped_column(sa.String(100))
    interviewee: Mapped[str] = mapped_column(sa.String(100))
    recorder: Mapped[str] = mapped_column(sa.String(50), default="")
    body: Mapped[str] = mapped_column(sa.Text)

    case: Mapped[DisputeCase] = relationship(lazy="raise")


class SessionRecord(Synced, Base):
    """调解记录."""

    __tablename__ = "session_record"

    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    held_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    matter: Mapped[str] = mapped_column(sa.String(200), default="")
    participants: Mapped[str] = mapped_column(sa.Text, default="")
    body: Mapped[str] = mapped_column(sa.Text)
    result: Mapped[str] = mapped_column(sa.Text, default="")
    recorder: Mapped[str] = mapped_column(sa.String(50), default="")

    case: Mapped[DisputeCase] = relationship(lazy="raise")


class Outcome(Synced, Base):
    """How mediation ended: agreement (written or oral), failure, termination with reason, refusal at intake."""

    __tablename__ = "outcome"

    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("dispute_case.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[OutcomeKind] = mapped_column(enum_column(OutcomeKind), index=True)
    decided_on: Mapped[date] = mapped_column(sa.Date)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    performance: Mapped[Performance | None] = mapped_column(enum_column(Performance))
    notes: Mapped[str] = mapped_column(sa.Text, default="")


class Agreement(Synced, Base):
    """人民调解协议书 (or the oral agreement register). Signed agreements are immutable; corrections void them."""

    __tablename__ = "agreement"
    __table_args__ = (sa.UniqueConstraint("case_id", "number"),)

    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(sa.String(60))
    oral: Mapped[bool] = mapped_column(default=False)
    facts: Mapped[str] = mapped_column(sa.Text, default="")
    terms: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    performance_manner: Mapped[str] = mapped_column(sa.Text, default="")
    performance_place: Mapped[str] = mapped_column(sa.String(200), default="")
    performance_deadline: Mapped[date | None] = mapped_column(sa.Date)
    copies: Mapped[int] = mapped_column(default=3)
    state: Mapped[AgreementState] = mapped_column(enum_column(AgreementState), default=AgreementState.DRAFT)
    effective_date: Mapped[date | None] = mapped_column(sa.Date)
    void_reason: Mapped[str] = mapped_column(sa.Text, default="")
    replaces_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("agreement.id"))
    content_hash: Mapped[str | None] = mapped_column(sa.String(64))
    scan_attachment_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("attachment.id"))

    case: Mapped[DisputeCase] = relationship(lazy="raise")
    scan_attachment: Mapped[Attachment | None] = relationship(lazy="raise")
    replaces: Mapped[Agreement | None] = relationship(remote_side="Agreement.id", lazy="raise")


class FollowUp(Synced, Base):
    """回访记录 (Art. 31)."""

    __tablename__ = "follow_up"

    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    agreement_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("agreement.id"))
    visited_on: Mapped[date] = mapped_column(sa.Date)
    visited_party: Mapped[str] = mapped_column(sa.String(100))
    performance: Mapped[Performance] = mapped_column(enum_column(Performance))
    satisfaction: Mapped[str] = mapped_column(sa.String(20), default="")
    lawsuit: Mapped[bool] = mapped_column(default=False)
    risks: Mapped[str] = mapped_column(sa.Text, default="")
    measures: Mapped[str] = mapped_column(sa.Text, default="")
    visitor: Mapped[str] = mapped_column(sa.String(50))

    case: Mapped[DisputeCase] = relationship(lazy="raise")
    agreement: Mapped[Agreement | None] = relationship(lazy="raise")


class JudicialConfirmation(Synced, Base):
    """司法确认 (Art. 33): applied within 30 days of the agreement's effective date."""

    __tablename__ = "judicial_confirmation"

    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    agreement_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("agreement.id"))
    applied_on: Mapped[date] = mapped_column(sa.Date)
    court: Mapped[str] = mapped_column(sa.String(100))
    ruled_on: Mapped[date | None] = mapped_column(sa.Date)
    granted: Mapped[bool | None]
    ruling_number: Mapped[str] = mapped_column(sa.String(60), default="")

    case: Mapped[DisputeCase] = relationship(lazy="raise")
    agreement: Mapped[Agreement | None] = relationship(lazy="raise")


class Attachment(Synced, Base):
    """A file kept in the data folder under its SHA-256; the database holds the description."""

    __tablename__ = "attachment"

    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    media_type: Mapped[str] = mapped_column(sa.String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(sa.BigInteger)
    description: Mapped[str] = mapped_column(sa.Text, default="")

    case: Mapped[DisputeCase] = relationship(lazy="raise")


class ScreeningRound(Synced, Base):
    """Screening (排查) held by an organisation over a period, with what it found and prevented."""

    __tablename__ = "screening_round"

    org_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    period_start: Mapped[date] = mapped_column(sa.Date)
    period_end: Mapped[date] = mapped_column(sa.Date)
    rounds: Mapped[int] = mapped_column(default=1)
    disputes_found: Mapped[int] = mapped_column(default=0)
    disputes_prevented: Mapped[int] = mapped_column(default=0)
    escalations_prevented: Mapped[int] = mapped_column(default=0)
    escalation_persons: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    org: Mapped[OrgUnit] = relationship(lazy="raise")


# ---------------------------------------------------------------------------------------------------------------
# Local records: users, audit trail, settings and this device's identity. They do not sync.


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    username: Mapped[str] = mapped_column(sa.String(50), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(50), default="")
    role: Mapped[UserRole] = mapped_column(enum_column(UserRole))
    org_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("org_unit.id"))
    mediator_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("mediator.id"))
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # lock-out (services.users): failed sign-ins since the last success, and until when the account is locked
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    org: Mapped[OrgUnit | None] = relationship(lazy="raise")


class AuditEvent(Base):
    """Who changed things, when, doing what: one row per transaction that changed anything.

    What changed is in the revision log (``Revision.change_id`` points here), so the history is kept once; the
    ``details`` of a change that is not a record's (a restore) hold no personal data.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(sa.String(80))
    operation: Mapped[str] = mapped_column(sa.String(40), default="")
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)


class Revision(Base):
    """SYNC.md's revision log: every change of a synced record, appended in the same transaction as the change.

    ``(origin_device, origin_seq)`` is a revision's identity everywhere it travels; ``vv`` its version vector and
    ``data`` the full row (an empty object for a deletion: tombstones hold no personal data), both as canonical
    JSON text, the very bytes ``store.revisions.revision_bytes`` signs. ``id`` (local order), ``case_id`` (the
    case a record belongs to, for its history) and ``change_id`` (who did it, in ``audit_event``) are this
    desk's own bookkeeping and never travel.
    """

    __tablename__ = "revision"
    __table_args__ = (
        sa.UniqueConstraint("origin_device", "origin_seq", name="uq_revision_origin"),
        sa.Index("ix_revision_record", "table_name", "record_id"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)
    origin_device: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    origin_seq: Mapped[int] = mapped_column(sa.BigInteger)
    table_name: Mapped[str] = mapped_column(sa.String(40))
    record_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    vv: Mapped[str] = mapped_column(sa.Text)
    hlc: Mapped[int] = mapped_column(sa.BigInteger)
    deleted: Mapped[bool] = mapped_column(default=False)
    data: Mapped[str] = mapped_column(SealedRevisionData)  # identity and phone numbers sealed at rest
    signature: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    case_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, index=True)
    change_id: Mapped[int | None] = mapped_column(sa.ForeignKey("audit_event.id"), index=True)


class LegacyHistory(Base):
    """The audit trail of a database from before the revision log: who changed which fields of what, and when.

    Carried over by migration 0002 with the field names only (the values it once held stay out of the history);
    a record's state at that time is its first revision in the log.
    """

    __tablename__ = "legacy_history"

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(sa.String(80))
    action: Mapped[str] = mapped_column(sa.String(40))
    table_name: Mapped[str] = mapped_column(sa.String(40))
    record_id: Mapped[str] = mapped_column(sa.String(40))
    case_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, index=True)
    operation: Mapped[str] = mapped_column(sa.String(40), default="")
    fields: Mapped[list[str]] = mapped_column(sa.JSON, default=list)


class Setting(Base):
    """Settings that belong to the data (this desk's organisation, numbering, retention)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text)


class DeviceState(Base):
    """This installation's sync identity and revision counter (SYNC.md). One row; a restore replaces it."""

    __tablename__ = "device_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    last_seq: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    hlc: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # the last tick of this desk's clock (domain.hlc)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# ---------------------------------------------------------------------------------------------------------------
# The statistics summary (store.stats_summary): derived from the cases, never synced, kept in the same transaction
# as every change. Core tables: nothing maps them to objects.

STATS_COUNTS = (
    "cases",
    "successful",
    "failed",
    "terminated",
    "refused",
    "pending",
    "written_agreements",
    "oral_agreements",
    "amount_fen",
    "persons",
    "group_cases",
    "group_persons",
    "performed",
    "partly_performed",
    "not_performed",
    "escalation_risk_cases",
    "escalation_risk_persons",
    "judicial_applied",
    "judicial_granted",
)


def _stats_counts() -> list[sa.Column[int]]:
    return [sa.Column(name, sa.BigInteger, nullable=False) for name in STATS_COUNTS]


stats_case = sa.Table(
    "stats_case",  # each case's contribution as last summed in: what a change subtracts
    Base.metadata,
    sa.Column("case_id", sa.Uuid, primary_key=True),
    sa.Column("org_id", sa.Uuid, nullable=False),
    sa.Column("category", sa.String(40), nullable=False),
    sa.Column("subtype", sa.String(40)),
    sa.Column("source", sa.String(40), nullable=False),
    sa.Column("intake_month", sa.String(7), nullable=False),
    sa.Column("closing_month", sa.String(7)),
    *_stats_counts(),
    # what the mediators' figures need besides (``stats --by mediator`` reads this narrow table, not the cases)
    sa.Column("intake_date", sa.Date, nullable=False),
    sa.Column("ended_on", sa.Date),  # the end of mediation: closing date, else the outcome's date
    sa.Column("follow_ups", sa.BigInteger, nullable=False),
    sqlite_with_rowid=False,  # read in case order, beside the assignments' index in the same order
)

stats_summary = sa.Table(
    "stats_summary",  # per (basis, month, organisation) and dimension: the total, a category, sub-type or source
    Base.metadata,
    sa.Column("basis", sa.String(8), primary_key=True),
    sa.Column("month", sa.String(7), primary_key=True),
    sa.Column("org_id", sa.Uuid, primary_key=True),
    sa.Column("dim", sa.String(8), primary_key=True),
    sa.Column("key", sa.String(40), primary_key=True),
    *_stats_counts(),
    sqlite_with_rowid=False,
)

stats_dirty = sa.Table(
    "stats_dirty",  # cases changed since the summary was last settled (filled by triggers, emptied at commit)
    Base.metadata,
    sa.Column("case_id", sa.Uuid, primary_key=True),
)


# ---------------------------------------------------------------------------------------------------------------
# The case search index (store.search_index): derived from the cases, never synced, settled at every commit. On
# SQLite with FTS5 the virtual table ``search_fts`` (migration 0007, not in this metadata) indexes ``search_text``.

search_text = sa.Table(
    "search_text",  # each case's tokens as last settled: its texts' bigrams and its parties' pinyin spellings
    Base.metadata,
    sa.Column("id", sa.Integer, primary_key=True),  # the row of ``search_fts``: stable, unlike an implicit rowid
    sa.Column("case_id", sa.Uuid, nullable=False, unique=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("pinyin", sa.Text, nullable=False),
)

search_dirty = sa.Table(
    "search_dirty",  # cases changed since the index was last settled (filled by triggers, emptied at commit)
    Base.metadata,
    sa.Column("case_id", sa.Uuid, primary_key=True),
)
