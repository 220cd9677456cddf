"""Printing a case's forms: the plain data of each form gathered from the store, the PDF built by
``mediation_desk.documents``, written atomically; batches; and the verification of a printed agreement.

Identity and phone numbers print whole for the roles that handle the parties' cases (``VIEW_IDENTITY``) and
masked for everyone else. Printing an agreement for signing is a change of its state (``services.agreements``):
it is refused while an Art. 29 element is empty.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from pathlib import Path

from sqlalchemy.orm import Session

from mediation_desk import documents as docs
from mediation_desk.documents.pages import page_count
from mediation_desk.documents.verification import code_symbols, hex_prefix, normalise_code
from mediation_desk.domain.codes import AgreementState, CaseMediatorRole, OutcomeKind, PartyKind, all_categories
from mediation_desk.domain.errors import DomainError, NotFound, PermissionDenied, ValidationError
from mediation_desk.domain.masking import mask_id_number, mask_phone
from mediation_desk.domain.permissions import Permission, allowed
from mediation_desk.services import agreements
from mediation_desk.services.cases.intake import load_case
from mediation_desk.services.desk import Desk, UnitOfWork
from mediation_desk.store.files import atomic_write
from mediation_desk.store.models import Agreement, Attachment, DisputeCase, Party, Setting
from mediation_desk.store.queries import cases as case_queries
from mediation_desk.store.queries import documents as queries


class Form(StrEnum):
    AGREEMENT = "agreement"
    ORAL_AGREEMENT = "oral-agreement"
    APPLICATION = "application"
    INTAKE = "intake"
    RIGHTS = "rights"
    INVESTIGATION = "investigation"
    SESSION = "session"
    FOLLOW_UP = "follow-up"
    TERMINATION = "termination"
    COVER = "cover"

    @property
    def label(self) -> str:
        return FORM_LABELS[self]


FORM_LABELS = {
    Form.AGREEMENT: "人民调解协议书",
    Form.ORAL_AGREEMENT: "口头调解协议登记表",
    Form.APPLICATION: "人民调解申请书",
    Form.INTAKE: "人民调解受理登记表",
    Form.RIGHTS: "人民调解权利义务告知书",
    Form.INVESTIGATION: "调查记录",
    Form.SESSION: "调解记录",
    Form.FOLLOW_UP: "回访记录",
    Form.TERMINATION: "终止调解告知书",
    Form.COVER: "人民调解卷宗封面和卷内目录",
}


@dataclass(frozen=True, slots=True)
class PrintRequest:
    form: Form
    case: str | uuid.UUID
    copies: int | None = None  # the agreement: how many copies in the file (default: one per party and one)
    draft: bool = False  # the agreement: a copy marked 草稿 for checking, no state change
    record: int | None = None  # investigation, session, follow-up: which one (1 = the first; default the last)


@dataclass(frozen=True, slots=True)
class Printed:
    title: str  # 人民调解协议书 (2021)缙五人调字第12号
    pdf: bytes
    state: str = ""  # the agreement's state after printing


# ---------------------------------------------------------------------------------------------------------------
# Plain data from the store


def _shown(desk: Desk, id_number: str, phone: str) -> tuple[str, str]:
    if allowed(desk.actor.role, Permission.VIEW_IDENTITY):
        return id_number, phone
    return mask_id_number(id_number), mask_phone(phone)


def party_data(desk: Desk, party: Party) -> docs.PartyData:
    id_number, phone = _shown(desk, party.id_number, party.phone)
    return docs.PartyData(
        role=party.role.label,
        name=party.name,
        organisation=party.kind is PartyKind.ORGANISATION,
        gender=party.gender.label if party.gender else "",
        ethnicity=party.ethnicity,
        birth_date=party.birth_date,
        id_label=f"{party.id_type.label}号码",
        id_number=id_number,
        phone=phone,
        address=party.address,
        occupation=party.occupation,
        employer=party.employer,
        representative=party.representative,
        agent=party.agent_name,
    )


def case_data(desk: Desk, session: Session, case: DisputeCase) -> docs.CaseData:
    _case, org = queries.case_and_org(session, case.id)
    assigned = [(link, name) for link, name in case_queries.assignments_of(session, case.id) if not link.recused]
    outcome = case_queries.outcome_of(session, case.id)
    table = all_categories()
    category = table.get(case.subtype or case.category) or table.get(case.category)
    return docs.CaseData(
        org_name=org.name,
        case_number=case.number or "",
        intake_date=case.intake_date,
        category=category.name if category else case.category,
        source=case.source.label,
        parties=tuple(party_data(desk, party) for party in case_queries.parties_of(session, case.id)),
        facts=case.facts,
        requests=case.requests,
        title=case.title,
        place=case.place,
        referral_body=case.referral_body,
        presiding=tuple(name for link, name in assigned if link.role is CaseMediatorRole.PRESIDING),
        assisting=tuple(name for link, name in assigned if link.role is CaseMediatorRole.ASSISTING),
        recorder=case.recorder,
        closing_date=case.closing_date,
        outcome=outcome.kind.label if outcome else "",
        outcome_date=outcome.decided_on if outcome else None,
    )


def agreement_data(desk: Desk, session: Session, agreement: Agreement, *, draft: bool) -> docs.AgreementData:
    case = session.get(DisputeCase, agreement.case_id)
    assert case is not None
    verification = None
    if not draft and agreement.content_hash:
        line = agreements.code_line(session, agreement)
        verification = docs.Verification(line.code, line.long_code, line.qr_text)
    replaces = session.get(Agreement, agreement.replaces_id) if agreement.replaces_id else None
    effective = agreement.effective_date
    if effective is None and agreement.oral:  # an oral agreement takes effect when reached (Art. 28)
        outcome = case_queries.outcome_of(session, case.id)
        effective = outcome.decided_on if outcome and outcome.kind is OutcomeKind.ORAL_AGREEMENT else None
    return docs.AgreementData(
        case=case_data(desk, session, case),
        number=agreement.number,
        facts=agreement.facts,
        terms=tuple(agreement.terms),
        performance_manner=agreement.performance_manner,
        performance_place=agreement.performance_place,
        performance_deadline=agreement.performance_deadline,
        copies=agreement.copies,
        oral=agreement.oral,
        effective_date=effective,
        verification=verification,
        draft=draft,
        replaces=replaces.number if replaces else "",
    )


# ---------------------------------------------------------------------------------------------------------------
# The case file's checklist

RETENTION_SETTING = "archive.retention"  # how long files are kept (set locally); 长期 unless set
ATTACHED = {
    "当事人身份证明": ("身份",),
    "授权委托书": ("委托",),
    "证据材料": ("证据",),
    "履行凭证": ("履行", "凭证", "收条"),
    "司法确认材料": ("司法确认", "裁定"),
}


def _attached(attachments: Sequence[Attachment], title: str) -> Attachment | None:
    words = ATTACHED.get(title, ())
    return next((item for item in attachments if any(w in item.description + item.filename for w in words)), None)


def _outcome_item(desk: Desk, session: Session, case: DisputeCase) -> docs.FileItem:
    outcome = case_queries.outcome_of(session, case.id)
    if outcome is not None and outcome.kind in (OutcomeKind.FAILED, OutcomeKind.TERMINATED):
        pages = page_count(_termination(desk, session, case))
        return docs.FileItem("终止调解告知书", True, True, outcome.decided_on, pages)
    oral = outcome is not None and outcome.kind is OutcomeKind.ORAL_AGREEMENT
    agreement = queries.current_agreement(session, case.id, oral=oral)
    title = "口头调解协议登记表" if oral else "调解协议书"
    if agreement is None or agreement.state is not AgreementState.SIGNED:
        return docs.FileItem(title, False, True, note="缺（未签署）" if agreement else "缺")
    data = agreement_data(desk, session, agreement, draft=False)
    pdf = docs.build_oral_register(data) if oral else docs.build_agreement(data, 1)
    note = "附签署件扫描" if agreement.scan_attachment_id else ""
    return docs.FileItem(title, True, True, agreement.effective_date, page_count(pdf), note)


def case_file(desk: Desk, session: Session, case: DisputeCase, data: docs.CaseData) -> docs.CaseFileData:
    """The cover's data and the checklist of MEDIATION.md: what the file holds and what it lacks."""
    attachments = queries.attachments_of(session, case.id)
    sessions = sorted(case_queries.sessions_of(session, case.id), key=lambda row: row.held_at)
    investigations = case_queries.investigations_of(session, case.id)
    visits = case_queries.follow_ups_of(session, case.id)
    confirmations = case_queries.confirmations_of(session, case.id)
    items = [
        docs.FileItem("受理登记表", True, True, case.intake_date, page_count(docs.build_intake(data))),
        docs.FileItem("权利义务告知书", True, True, case.intake_date, page_count(docs.build_rights_notice(data))),
    ]
    identity = _attached(attachments, "当事人身份证明")
    items.append(
        docs.FileItem("当事人身份证明", identity is not None, True, identity.created_at.date() if identity else None)
    )
    first = sessions[0].held_at.astimezone().date() if sessions else None
    items.append(docs.FileItem("调解记录", bool(sessions), True, first, len(sessions) or None))
    items.append(_outcome_item(desk, session, case))
    for title, present, when in (
        ("授权委托书", _attached(attachments, "授权委托书") is not None, None),
        ("调查记录", bool(investigations), None),
        ("证据材料", _attached(attachments, "证据材料") is not None, None),
        ("履行凭证", _attached(attachments, "履行凭证") is not None, None),
        ("回访记录", bool(visits), visits[0].visited_on if visits else None),
        ("司法确认材料", bool(confirmations), confirmations[0].applied_on if confirmations else None),
    ):
        items.append(docs.FileItem(title, present, False, when))
    items.append(docs.FileItem("备考表", True, True, case.closing_date, 1))
    retention = session.get(Setting, RETENTION_SETTING)
    return docs.CaseFileData(
        case=data,
        items=tuple(items),
        filed_by=data.presiding[0] if data.presiding else "",
        filed_on=case.closing_date,
        retention=retention.value if retention else "长期",
    )


# ---------------------------------------------------------------------------------------------------------------
# The forms


def _agreement(
    desk: Desk, session: Session, work: UnitOfWork | None, case: DisputeCase, request: PrintRequest
) -> Printed:
    oral = request.form is Form.ORAL_AGREEMENT
    agreement = queries.current_agreement(session, case.id, oral=oral)
    if agreement is None:
        kind = "口头协议登记" if oral else "书面调解协议"
        raise NotFound(f"案件{case.number}没有有效的{kind}；请先起草协议")
    if oral:  # the register records an agreement that took effect when reached (Art. 28): nothing to seal
        data = agreement_data(desk, session, agreement, draft=False)
        return Printed(f"{Form.ORAL_AGREEMENT.label} {agreement.number}", docs.build_oral_register(data))
    if request.draft:
        if agreement.state is not AgreementState.DRAFT:
            raise ValidationError(f"协议书{agreement.number}已{agreement.state.label}，不再打印草稿")
    elif agreement.state is AgreementState.SIGNED:
        if agreements.content_hash(agreements.agreement_text(session, agreement)) != agreement.content_hash:
            raise ValidationError(
                f"协议书{agreement.number}签署后，案件中的当事人或调解员信息已被修改，与签署的文本不一致；"
                "请作废并重新出具协议书"
            )
    elif work is not None:
        agreements.seal_for_signing(session, agreement)
        session.flush()
        work.changed("agreement", case_id=case.id)
    data = agreement_data(desk, session, agreement, draft=request.draft)
    pdf = docs.build_agreement(data, request.copies)
    return Printed(f"{Form.AGREEMENT.label} {agreement.number}", pdf, agreement.state.label)


def _pick(records: Sequence[object], index: int | None, what: str, number: str) -> int:
    if not records:
        raise NotFound(f"案件{number}没有{what}")
    if index is None:
        return len(records) - 1
    if not 1 <= index <= len(records):
        raise ValidationError(f"案件{number}共有{len(records)}份{what}，没有第{index}份", field="record")
    return index - 1


def _records(desk: Desk, session: Session, case: DisputeCase, request: PrintRequest) -> bytes:
    data = case_data(desk, session, case)
    number = case.number or ""
    if request.form is Form.INVESTIGATION:
        found = sorted(case_queries.investigations_of(session, case.id), key=lambda row: row.held_at)
        inv = found[_pick(found, request.record, "调查记录", number)]
        return docs.build_investigation(
            docs.InvestigationData(
                data, inv.held_at.astimezone(), inv.place, inv.investigator, inv.interviewee, inv.body, inv.recorder
            )
        )
    if request.form is Form.SESSION:
        held = sorted(case_queries.sessions_of(session, case.id), key=lambda row: row.held_at)
        ses = held[_pick(held, request.record, "调解记录", number)]
        return docs.build_session(
            docs.SessionData(
                data,
                ses.held_at.astimezone(),
                ses.body,
                ses.place,
                ses.matter,
                ses.participants,
                ses.result,
                ses.recorder,
            )
        )
    visits = sorted(case_queries.follow_ups_of(session, case.id), key=lambda row: row.visited_on)
    visit = visits[_pick(visits, request.record, "回访记录", number)]
    agreement = (
        session.get(Agreement, visit.agreement_id)
        if visit.agreement_id
        else queries.current_agreement(session, case.id, oral=False)
        or queries.current_agreement(session, case.id, oral=True)
    )
    return docs.build_follow_up(
        docs.FollowUpData(
            data,
            visit.visited_on,
            visit.visited_party,
            visit.performance.label,
            visit.visitor,
            agreement.number if agreement else "",
            visit.satisfaction,
            visit.lawsuit,
            visit.risks,
            visit.measures,
        )
    )


def _termination(desk: Desk, session: Session, case: DisputeCase) -> bytes:
    outcome = case_queries.outcome_of(session, case.id)
    if outcome is None or outcome.kind not in (OutcomeKind.TERMINATED, OutcomeKind.FAILED):
        raise ValidationError(f"案件{case.number}不是调解不成或终止调解的案件，没有终止调解告知书")
    reason = outcome.reason or ("经调解，当事人未能达成调解协议" if outcome.kind is OutcomeKind.FAILED else "")
    notice = docs.TerminationData(
        case_data(desk, session, case), outcome.decided_on, reason, failed=outcome.kind is OutcomeKind.FAILED
    )
    return docs.build_termination(notice)


def _simple(desk: Desk, session: Session, case: DisputeCase, form: Form) -> bytes:
    data = case_data(desk, session, case)
    if form is Form.APPLICATION:
        return docs.build_application(data)
    if form is Form.INTAKE:
        return docs.build_intake(data)
    if form is Form.RIGHTS:
        return docs.build_rights_notice(data)
    if form is Form.COVER:
        return docs.build_cover(case_file(desk, session, case, data))
    if form is Form.TERMINATION:
        return _termination(desk, session, case)
    raise ValidationError(f"未知的文书：{form}")


def _check_copies(request: PrintRequest) -> None:
    if request.copies is not None and not 1 <= request.copies <= 20:
        raise ValidationError("份数应为 1 至 20", field="copies")


def print_form(desk: Desk, request: PrintRequest) -> Printed:
    """The PDF of one form of one case. An agreement not yet printed for signing is sealed for signing (its
    state changes to printed) unless ``request.draft``; everything else only reads."""
    _check_copies(request)
    if changes_state(request):
        with desk.write(f"print.{request.form.value}", Permission.EDIT_CASE) as work:
            case = load_case(work.session, request.case)
            return _agreement(desk, work.session, work, case, request)
    with desk.read() as session:
        case = load_case(session, request.case)
        number = case.number or ""
        if request.form in (Form.AGREEMENT, Form.ORAL_AGREEMENT):
            return _agreement(desk, session, None, case, request)
        if request.form in (Form.INVESTIGATION, Form.SESSION, Form.FOLLOW_UP):
            return Printed(f"{request.form.label} {number}", _records(desk, session, case, request))
        return Printed(f"{request.form.label} {number}", _simple(desk, session, case, request.form))


def changes_state(request: PrintRequest) -> bool:
    """Whether printing may change the record: a written agreement printed for signing (the command line takes the
    data folder's lock for it; every other form only reads)."""
    return request.form is Form.AGREEMENT and not request.draft


def save_form(desk: Desk, request: PrintRequest, target: Path) -> Printed:
    """Print one form into ``target``, written whole or not at all."""
    if target.suffix.lower() != ".pdf":
        raise ValidationError(f"输出文件应以 .pdf 结尾：{target.name}", field="output")
    if not target.parent.is_dir():
        raise NotFound(f"找不到输出文件夹：{target.parent}")
    printed = print_form(desk, request)
    atomic_write(target, printed.pdf)
    return printed


def batch_jobs(desk: Desk, requests: Sequence[PrintRequest]) -> list[docs.BatchJob]:
    """One job per request, for ``documents.batch`` (which builds them one by one and reports progress)."""

    def job(request: PrintRequest) -> docs.BatchJob:
        return docs.BatchJob(f"{request.form.label} {request.case}", lambda: print_form(desk, request).pdf)

    return [job(request) for request in requests]


def batch_file_name(request: PrintRequest) -> str:
    """``FORM_CASE.pdf``: the file a batch writes a request into."""
    safe = "".join(char if char.isalnum() else "_" for char in str(request.case)).strip("_")
    return f"{request.form.value}_{safe}.pdf"


def save_batch(desk: Desk, requests: Sequence[PrintRequest], folder: Path) -> Iterator[docs.BatchProgress]:
    """Print each request into ``folder`` (``FORM_CASE.pdf``), yielding progress after each file."""
    if not folder.is_dir():
        raise NotFound(f"找不到输出文件夹：{folder}")
    jobs = batch_jobs(desk, requests)
    for request, progress in zip(requests, docs.batch(jobs), strict=True):
        atomic_write(folder / batch_file_name(request), progress.pdf)
        yield progress


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One request of ``save_each``: the file written, or why the form does not apply to its case."""

    done: int
    total: int
    request: PrintRequest
    title: str
    path: Path | None = None
    problem: str = ""


def save_each(desk: Desk, requests: Sequence[PrintRequest], folder: Path) -> Iterator[BatchItem]:
    """Like ``save_batch`` for the GUI's choice of cases and forms: a form that does not apply to its case (no
    agreement, no session record, an agreement lacking an Art. 29 element, …) is reported with the service's
    message and skipped; every file is written whole. Stop by not asking for the next item."""
    if not folder.is_dir():
        raise NotFound(f"找不到输出文件夹：{folder}")
    total = len(requests)
    for done, request in enumerate(requests, 1):
        title = f"{request.form.label} {request.case}"
        try:
            printed = print_form(desk, request)
        except PermissionDenied:
            raise  # the role, not the form: the whole batch stops
        except DomainError as error:
            yield BatchItem(done, total, request, title, problem=error.message)
            continue
        path = folder / batch_file_name(request)
        atomic_write(path, printed.pdf)
        yield BatchItem(done, total, request, printed.title, path)


def preview_form(desk: Desk, request: PrintRequest) -> Printed:
    """What ``print_form`` would print, changing nothing, for any role that may read the case: a draft agreement
    shows as its 草稿 copy (printing it for signing is a step of its own), a sealed one as its paper."""
    if request.form is not Form.AGREEMENT or request.draft:
        return print_form(desk, request)  # only reads
    _check_copies(request)
    with desk.read() as session:
        case = load_case(session, request.case)
        agreement = queries.current_agreement(session, case.id, oral=False)
        if agreement is not None and agreement.state is AgreementState.DRAFT:
            request = replace(request, draft=True)
        return _agreement(desk, session, None, case, request)


def write_pdf(pdf: bytes, target: Path) -> None:
    """A PDF already built (the preview's) into ``target``, written whole or not at all."""
    if target.suffix.lower() != ".pdf":
        raise ValidationError(f"输出文件应以 .pdf 结尾：{target.name}", field="output")
    if not target.parent.is_dir():
        raise NotFound(f"找不到输出文件夹：{target.parent}")
    atomic_write(target, pdf)


# ---------------------------------------------------------------------------------------------------------------
# Verification


class Verdict(StrEnum):
    CURRENT = "current"
    NOT_SIGNED = "not_signed"
    VOID = "void"
    UNKNOWN = "unknown"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True, slots=True)
class Verification:
    verdict: Verdict
    code: str
    message: str
    number: str = ""
    case_number: str = ""
    org_name: str = ""
    parties: tuple[str, ...] = ()
    effective_date: date | None = None
    replaced_by: str = ""
    altered: bool = False  # the case's parties or mediators changed after signing

    @property
    def genuine(self) -> bool:
        return self.verdict is Verdict.CURRENT


def _verdict(session: Session, agreement: Agreement, code: str) -> Verification:
    case, org = queries.case_and_org(session, agreement.case_id)
    names = tuple(party.name for party in case_queries.parties_of(session, case.id))
    found = Verification(
        Verdict.CURRENT,
        code,
        f"协议书{agreement.number}真实有效",
        number=agreement.number,
        case_number=case.number or "",
        org_name=org.name,
        parties=names,
        effective_date=agreement.effective_date,
    )
    if agreement.state is AgreementState.VOID:
        successor = queries.replacement_of(session, agreement.id)
        later = f"，已由协议书{successor.number}取代" if successor else ""
        message = f"协议书{agreement.number}已作废（{agreement.void_reason}）{later}；这份纸质协议书不再有效"
        return replace(found, verdict=Verdict.VOID, message=message, replaced_by=successor.number if successor else "")
    if agreement.state is not AgreementState.SIGNED:
        message = f"协议书{agreement.number}已打印，但调解委员会尚未登记各方签署，协议书尚未生效"
        return replace(found, verdict=Verdict.NOT_SIGNED, message=message)
    altered = agreements.content_hash(agreements.agreement_text(session, agreement)) != agreement.content_hash
    return replace(found, altered=altered)


def verify(desk: Desk, typed: str) -> Verification:
    """What the desk knows of the agreement whose verification code is ``typed``."""
    symbols = normalise_code(typed)
    with desk.read() as session:
        candidates = [
            agreement
            for agreement in queries.with_hash_prefix(session, hex_prefix(symbols))
            if agreement.content_hash and code_symbols(agreement.content_hash).startswith(symbols)
        ]
        if not candidates:
            return Verification(
                Verdict.UNKNOWN,
                symbols,
                f"本工作台没有验证码为 {symbols} 的协议书；请核对验证码，或向出具协议书的调解委员会核实",
            )
        if len(candidates) > 1:
            return Verification(
                Verdict.AMBIGUOUS,
                symbols,
                f"验证码 {symbols} 与 {len(candidates)} 份协议书相符；请输入二维码旁的完整校验码",
            )
        return _verdict(session, candidates[0], symbols)
