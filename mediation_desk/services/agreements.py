"""The life of a written agreement (人民调解协议书), and its verification code.

    draft ──print for signing──▶ printed ──mark signed (effective date)──▶ signed ──void (reason)──▶ void
      ▲                             │                                        │
      └──────── edited ─────────────┘                     a change: void + a new numbered agreement

- A draft can be edited and printed for checking (marked 草稿). Printing for signing is refused while an Art. 29
  element is empty (the message names each one); it sets the copies to one per party plus one, computes the
  content hash over everything the paper states and stores it: the paper's verification code comes from it.
- Editing a printed agreement sends it back to draft (its papers no longer verify). Marking it signed checks
  that the content is still what was printed, records the effective date and freezes it: a signed agreement
  cannot be changed (a flush hook refuses any change of its content, whatever the code path). A correction voids
  it with a reason and issues a new agreement, numbered ``…号之二``, that ``replaces`` it; both stay on the case.
- A scanned signed copy can be attached to a signed agreement (a case attachment, kept under its SHA-256).

Verification codes are the content hash written in the 32 symbols ``23456789ABCDEFGHJKLMNPQRSTUVWXYZ`` (no 0, O,
1 or I): the short code is its first 10 symbols, or more when another agreement on this desk shares them; the
longer code beside the QR code is the first 20. ``verify`` finds the agreements whose code starts with what was
typed: one signed agreement is genuine and current; a void one names its replacement; several ask for the longer
code.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from mediation_desk.documents.styles import chinese_number
from mediation_desk.documents.verification import LONG, QR_PREFIX, QR_SYMBOLS, SHORT, code_symbols, grouped, hex_prefix
from mediation_desk.domain import canonical
from mediation_desk.domain.codes import AgreementState, CaseMediatorRole, PartyKind
from mediation_desk.domain.dates import check_not_future
from mediation_desk.domain.errors import DomainError, NotFound, ValidationError
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.permissions import Permission
from mediation_desk.domain.text import clean_block, clean_line
from mediation_desk.services.attachments import add_attachment
from mediation_desk.services.cases.intake import load_case
from mediation_desk.services.desk import Desk, Result, UnitOfWork
from mediation_desk.store.models import Agreement, DisputeCase
from mediation_desk.store.queries import cases as case_queries
from mediation_desk.store.queries import documents as queries

CONTENT_VERSION = 1
DRAFTING = (CaseStatus.MEDIATING, CaseStatus.AGREED)
REISSUING = (CaseStatus.MEDIATING, CaseStatus.AGREED, CaseStatus.CLOSED)
FROZEN = frozenset(
    {
        "case_id",
        "number",
        "oral",
        "facts",
        "terms",
        "performance_manner",
        "performance_place",
        "performance_deadline",
        "copies",
        "effective_date",
        "content_hash",
        "replaces_id",
    }
)


class AgreementFrozen(DomainError):
    """A signed agreement was asked to change."""


# ---------------------------------------------------------------------------------------------------------------
# Content and its hash


class PartyLike(Protocol):
    """What the content hash reads of a party: a stored ``Party`` or a ``PartyInput``."""

    role: Any
    kind: Any
    name: str
    gender: Any
    ethnicity: str
    birth_date: date | None
    id_type: Any
    id_number: str
    phone: str
    address: str
    occupation: str
    employer: str
    representative: str


PARTY_FIELDS = (
    "role",
    "kind",
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_type",
    "id_number",
    "phone",
    "address",
    "occupation",
    "employer",
    "representative",
)


@dataclass(frozen=True, slots=True)
class AgreementText:
    """What an agreement says, as its paper states it: the content the hash covers."""

    org_name: str
    case_number: str
    number: str
    oral: bool
    facts: str
    terms: tuple[str, ...]
    performance_manner: str
    performance_place: str
    performance_deadline: date | None
    copies: int
    parties: tuple[dict[str, Any], ...]
    presiding: tuple[str, ...]
    assisting: tuple[str, ...]
    recorder: str


def party_content(party: PartyLike) -> dict[str, Any]:
    return {name: getattr(party, name) for name in PARTY_FIELDS}


def content_hash(text: AgreementText) -> str:
    """SHA-256 (hex) of the canonical JSON of the agreement's content."""
    body = {
        "v": CONTENT_VERSION,
        "org": text.org_name,
        "case": text.case_number,
        "number": text.number,
        "oral": text.oral,
        "facts": text.facts,
        "terms": list(text.terms),
        "manner": text.performance_manner,
        "place": text.performance_place,
        "deadline": text.performance_deadline,
        "copies": text.copies,
        "parties": [dict(party) for party in text.parties],
        "presiding": sorted(text.presiding),
        "assisting": sorted(text.assisting),
        "recorder": text.recorder,
    }
    return hashlib.sha256(canonical.dumps(body).encode("utf-8")).hexdigest()


def agreement_text(session: Session, agreement: Agreement) -> AgreementText:
    """The content of a stored agreement, read from it, its case, the case's parties and mediators."""
    case, org = queries.case_and_org(session, agreement.case_id)
    assigned = [(link, name) for link, name in case_queries.assignments_of(session, case.id) if not link.recused]
    return AgreementText(
        org_name=org.name,
        case_number=case.number or "",
        number=agreement.number,
        oral=agreement.oral,
        facts=agreement.facts,
        terms=tuple(agreement.terms),
        performance_manner=agreement.performance_manner,
        performance_place=agreement.performance_place,
        performance_deadline=agreement.performance_deadline,
        copies=agreement.copies,
        parties=tuple(party_content(party) for party in case_queries.parties_of(session, case.id)),
        presiding=tuple(name for link, name in assigned if link.role is CaseMediatorRole.PRESIDING),
        assisting=tuple(name for link, name in assigned if link.role is CaseMediatorRole.ASSISTING),
        recorder=case.recorder,
    )


def missing_elements(text: AgreementText) -> list[str]:
    """The Art. 29 elements (and what the form needs to be signed) that are still empty, by name."""
    missing = [
        label for label, value in (("协议书编号", text.number), ("人民调解委员会名称", text.org_name)) if not value
    ]
    if len(text.parties) < 2:
        missing.append("双方当事人")
    for party in text.parties:
        who = f"{party['role'].label}“{party['name'] or '（无名）'}”"
        needed = (
            (("名称", "name"), ("法定代表人（负责人）", "representative"), ("住所", "address"))
            if party["kind"] is PartyKind.ORGANISATION
            else (("姓名", "name"), ("性别", "gender"), ("住址", "address"))
        )
        missing += [f"{who}的{label}" for label, key in needed if not party[key]]
    if not text.facts.strip():
        missing.append("纠纷的主要事实、争议事项及各方当事人的责任")
    if not [term for term in text.terms if term.strip()]:
        missing.append("协议内容（条款）")
    if not text.performance_manner.strip():
        missing.append("履行方式")
    if text.performance_deadline is None:
        missing.append("履行期限")
    if not text.presiding:
        missing.append("主持调解的人民调解员")
    return missing


# ---------------------------------------------------------------------------------------------------------------
# Verification codes


def short_length(session: Session, agreement: Agreement) -> int:
    """How many symbols the printed code needs: 10, or more while another agreement on this desk shares them."""
    assert agreement.content_hash is not None
    own = code_symbols(agreement.content_hash)
    length = SHORT
    others = [
        code_symbols(value)
        for value in queries.hashes_with_prefix(session, hex_prefix(own[:SHORT]), excluding=agreement.id)
    ]
    while length < LONG and any(other.startswith(own[:length]) for other in others):
        length += 1
    return length


@dataclass(frozen=True, slots=True)
class CodeLine:
    code: str
    long_code: str
    qr_text: str


def code_line(session: Session, agreement: Agreement) -> CodeLine:
    assert agreement.content_hash is not None
    symbols = code_symbols(agreement.content_hash)
    return CodeLine(
        grouped(symbols[: short_length(session, agreement)]), grouped(symbols[:LONG]), QR_PREFIX + symbols[:QR_SYMBOLS]
    )


# ---------------------------------------------------------------------------------------------------------------
# What the services return


@dataclass(frozen=True, slots=True)
class AgreementInfo:
    id: uuid.UUID
    case_id: uuid.UUID
    number: str
    oral: bool
    state: AgreementState
    facts: str
    terms: tuple[str, ...]
    performance_manner: str
    performance_place: str
    performance_deadline: date | None
    copies: int
    effective_date: date | None
    void_reason: str
    content_hash: str | None
    code: str  # the printed short code ("" before printing)
    replaces: str  # the number of the agreement this one replaces
    replaced_by: str  # the number of the agreement that replaced this one
    scan_attachment_id: uuid.UUID | None


def info(session: Session, agreement: Agreement) -> AgreementInfo:
    replaces = session.get(Agreement, agreement.replaces_id) if agreement.replaces_id else None
    successor = queries.replacement_of(session, agreement.id)
    return AgreementInfo(
        id=agreement.id,
        case_id=agreement.case_id,
        number=agreement.number,
        oral=agreement.oral,
        state=agreement.state,
        facts=agreement.facts,
        terms=tuple(agreement.terms),
        performance_manner=agreement.performance_manner,
        performance_place=agreement.performance_place,
        performance_deadline=agreement.performance_deadline,
        copies=agreement.copies,
        effective_date=agreement.effective_date,
        void_reason=agreement.void_reason,
        content_hash=agreement.content_hash,
        code=code_line(session, agreement).code if agreement.content_hash else "",
        replaces=replaces.number if replaces else "",
        replaced_by=successor.number if successor else "",
        scan_attachment_id=agreement.scan_attachment_id,
    )


@dataclass(frozen=True, slots=True)
class AgreementInput:
    """What a mediator writes into an agreement."""

    facts: str
    terms: Sequence[str]
    performance_manner: str = ""
    performance_place: str = ""
    performance_deadline: date | None = None
    oral: bool = False


def _clean(data: AgreementInput) -> AgreementInput:
    terms = [clean_block(term, label="协议条款", field="terms").strip() for term in data.terms]
    return replace(
        data,
        facts=clean_block(data.facts, label="纠纷事实", field="facts").strip(),
        terms=tuple(term for term in terms if term),
        performance_manner=clean_line(data.performance_manner, label="履行方式", field="performance_manner"),
        performance_place=clean_line(data.performance_place, label="履行地点", field="performance_place"),
    )


def _load(session: Session, agreement_id: uuid.UUID) -> Agreement:
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        raise NotFound("找不到该协议书")
    return agreement


def _write_content(agreement: Agreement, data: AgreementInput) -> None:
    agreement.facts = data.facts
    agreement.terms = list(data.terms)
    agreement.performance_manner = data.performance_manner
    agreement.performance_place = data.performance_place
    agreement.performance_deadline = data.performance_deadline


def _changed(work: UnitOfWork, agreement: Agreement) -> AgreementInfo:
    work.session.flush()
    work.changed("agreement", case_id=agreement.case_id)
    return info(work.session, agreement)


def _next_number(session: Session, case: DisputeCase) -> str:
    """The case number for the first agreement; ``…之二``, ``…之三`` for the ones that replace it."""
    base = case.number or "协议"
    used = queries.agreement_numbers(session, case.id)
    if base not in used:
        return base
    suffix = 2
    while f"{base}之{chinese_number(suffix)}" in used:
        suffix += 1
    return f"{base}之{chinese_number(suffix)}"


# ---------------------------------------------------------------------------------------------------------------
# The life


def draft_agreement(desk: Desk, case_key: str | uuid.UUID, data: AgreementInput) -> Result[AgreementInfo]:
    """A new draft agreement for a case under mediation or agreed (only one that is not void at a time)."""
    clean = _clean(data)

    def body(work: UnitOfWork) -> AgreementInfo:
        case = load_case(work.session, case_key)
        if case.status not in DRAFTING:
            raise ValidationError(f"案件状态为“{case.status.label}”，不能起草调解协议")
        if queries.current_agreement(work.session, case.id, oral=clean.oral) is not None:
            raise ValidationError("该案件已有未作废的协议书；请修改它，或作废后重新出具")
        parties = len(case_queries.parties_of(work.session, case.id))
        agreement = Agreement(
            id=uuid.uuid4(),
            case_id=case.id,
            number=_next_number(work.session, case),
            oral=clean.oral,
            copies=1 if clean.oral else parties + 1,
        )
        _write_content(agreement, clean)
        work.session.add(agreement)
        return _changed(work, agreement)

    return desk.run("agreements.draft", Permission.EDIT_CASE, body)


def update_agreement(desk: Desk, agreement_id: uuid.UUID, data: AgreementInput) -> Result[AgreementInfo]:
    """Edit a draft or printed agreement; a printed one goes back to draft (its papers no longer verify)."""
    clean = _clean(data)

    def body(work: UnitOfWork) -> AgreementInfo:
        agreement = _load(work.session, agreement_id)
        if agreement.state in (AgreementState.SIGNED, AgreementState.VOID):
            raise AgreementFrozen(
                f"协议书{agreement.number}已{agreement.state.label}，不能修改；如需更正，请作废后重新出具"
            )
        _write_content(agreement, clean)
        agreement.state = AgreementState.DRAFT
        agreement.content_hash = None
        return _changed(work, agreement)

    return desk.run("agreements.update", Permission.EDIT_CASE, body)


def seal_for_signing(session: Session, agreement: Agreement) -> None:
    """Check the Art. 29 elements, fix the copies, store the content hash and mark the agreement printed."""
    if agreement.state is AgreementState.VOID:
        raise ValidationError(f"协议书{agreement.number}已作废，不能打印签署")
    if agreement.state is AgreementState.SIGNED:
        return
    parties = len(case_queries.parties_of(session, agreement.case_id))
    agreement.copies = 1 if agreement.oral else parties + 1
    text = agreement_text(session, agreement)
    missing = missing_elements(text)
    if missing:
        raise ValidationError(
            f"协议书缺少《人民调解法》第二十九条规定的内容：{'、'.join(missing)}；请补充后再打印签署", field="agreement"
        )
    agreement.content_hash = content_hash(text)
    agreement.state = AgreementState.PRINTED


def print_for_signing(desk: Desk, agreement_id: uuid.UUID) -> Result[AgreementInfo]:
    def body(work: UnitOfWork) -> AgreementInfo:
        agreement = _load(work.session, agreement_id)
        seal_for_signing(work.session, agreement)
        return _changed(work, agreement)

    return desk.run("agreements.print", Permission.EDIT_CASE, body)


def mark_signed(desk: Desk, agreement_id: uuid.UUID, effective_date: date) -> Result[AgreementInfo]:
    """The parties, the mediators and the committee have signed and sealed the printed paper."""
    day = check_not_future(effective_date, field="effective_date", what="生效日期")

    def body(work: UnitOfWork) -> AgreementInfo:
        agreement = _load(work.session, agreement_id)
        if agreement.state is not AgreementState.PRINTED:
            raise ValidationError(f"协议书{agreement.number}状态为“{agreement.state.label}”：请先打印签署文本")
        case = work.session.get(DisputeCase, agreement.case_id)
        assert case is not None
        if day < case.intake_date:
            raise ValidationError("生效日期不能早于受理日期", field="effective_date")
        if content_hash(agreement_text(work.session, agreement)) != agreement.content_hash:
            raise ValidationError("打印后案件中的当事人或调解员已有改动，与打印的文本不一致；请重新打印后再签署")
        agreement.effective_date = day
        agreement.state = AgreementState.SIGNED
        return _changed(work, agreement)

    return desk.run("agreements.sign", Permission.EDIT_CASE, body)


def _void(agreement: Agreement, reason: str) -> None:
    if agreement.state is AgreementState.VOID:
        raise ValidationError(f"协议书{agreement.number}已作废")
    agreement.state = AgreementState.VOID
    agreement.void_reason = reason


def _reason(reason: str) -> str:
    text = clean_block(reason, label="作废原因", field="reason").strip()
    if not text:
        raise ValidationError("作废协议书必须写明原因", field="reason")
    return text


def void_agreement(desk: Desk, agreement_id: uuid.UUID, reason: str) -> Result[AgreementInfo]:
    why = _reason(reason)

    def body(work: UnitOfWork) -> AgreementInfo:
        agreement = _load(work.session, agreement_id)
        _void(agreement, why)
        return _changed(work, agreement)

    return desk.run("agreements.void", Permission.VOID_AGREEMENT, body)


def reissue_agreement(desk: Desk, agreement_id: uuid.UUID, reason: str, data: AgreementInput) -> Result[AgreementInfo]:
    """Void an agreement with ``reason`` and issue a new draft, numbered anew, that replaces it."""
    why = _reason(reason)
    clean = _clean(data)

    def body(work: UnitOfWork) -> AgreementInfo:
        old = _load(work.session, agreement_id)
        case = work.session.get(DisputeCase, old.case_id)
        assert case is not None
        if case.status not in REISSUING:
            raise ValidationError(f"案件状态为“{case.status.label}”，不能重新出具协议书")
        _void(old, why)
        work.session.flush()
        new = Agreement(
            id=uuid.uuid4(),
            case_id=case.id,
            number=_next_number(work.session, case),
            oral=old.oral,
            copies=old.copies,
            replaces_id=old.id,
        )
        _write_content(new, replace(clean, oral=old.oral))
        work.session.add(new)
        return _changed(work, new)

    return desk.run("agreements.reissue", Permission.VOID_AGREEMENT, body)


def attach_scan(desk: Desk, agreement_id: uuid.UUID, scan: Path) -> Result[AgreementInfo]:
    """Keep the scanned signed paper with a signed agreement: a case attachment (``services.attachments``, kept
    under its SHA-256 in the data folder) that the agreement points to."""
    with desk.read() as session:
        agreement = _load(session, agreement_id)
        if agreement.state is not AgreementState.SIGNED:
            raise ValidationError(f"协议书{agreement.number}尚未签署生效，不能附签署扫描件")
        case_id, number = agreement.case_id, agreement.number
    added = add_attachment(desk, case_id, scan, f"协议书{number}签署件扫描").value

    def body(work: UnitOfWork) -> AgreementInfo:
        linked = _load(work.session, agreement_id)
        linked.scan_attachment_id = added.id
        return _changed(work, linked)

    return desk.run("agreements.attach_scan", Permission.EDIT_CASE, body)


def agreements_of_case(desk: Desk, case_key: str | uuid.UUID) -> list[AgreementInfo]:
    """Every agreement of a case, void ones too, oldest first."""
    with desk.read() as session:
        case = load_case(session, case_key)
        return [info(session, agreement) for agreement in queries.agreements_of(session, case.id)]


# ---------------------------------------------------------------------------------------------------------------
# A signed agreement is frozen, whatever writes it


@event.listens_for(Session, "before_flush")
def _refuse_changes_after_signing(session: Session, _context: object, _instances: object) -> None:
    for obj in session.dirty:
        if not isinstance(obj, Agreement):
            continue
        state = sa.inspect(obj)
        history = state.attrs.state.history
        was = history.deleted[0] if history.deleted else obj.state
        if was not in (AgreementState.SIGNED, AgreementState.VOID):
            continue
        changed = sorted(name for name in FROZEN if state.attrs[name].history.has_changes())
        if was is AgreementState.VOID and history.has_changes():
            changed.append("state")
        if changed:
            raise AgreementFrozen(f"协议书{obj.number}已{was.label}，其内容不能再修改；如需更正，请作废后重新出具")
