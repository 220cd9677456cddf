"""Registering a case: its number, the columns of the case and its parties, and finding a case again."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from mediation_desk.domain.codes import all_categories
from mediation_desk.domain.errors import NotFound, ValidationError
from mediation_desk.domain.intake import CaseInput, PartyInput, clean_case
from mediation_desk.domain.lifecycle import CaseAction, CaseStatus, transition
from mediation_desk.domain.numbering import DEFAULT_PREFIX, format_case_number, next_seq, parse_case_number
from mediation_desk.domain.permissions import Permission
from mediation_desk.services.cases.views import CaseRow, case_rows
from mediation_desk.services.desk import Desk, Result, UnitOfWork
from mediation_desk.services.orgs import find_org
from mediation_desk.store.models import DisputeCase, OrgUnit, Party
from mediation_desk.store.queries import cases as case_queries


def allocate_number(session: Session, org: OrgUnit, year: int) -> tuple[str, int]:
    seq = next_seq(case_queries.used_seqs(session, org.id, year))
    return format_case_number(year, org.case_prefix or DEFAULT_PREFIX, seq), seq


def _party_values(case_id: uuid.UUID, position: int, party: PartyInput) -> dict[str, object]:
    return {
        "id": uuid.uuid4(),
        "case_id": case_id,
        "position": position,
        "role": party.role,
        "kind": party.kind,
        "name": party.name,
        "gender": party.gender,
        "ethnicity": party.ethnicity,
        "birth_date": party.birth_date,
        "id_type": party.id_type,
        "id_number": party.id_number,
        "phone": party.phone,
        "address": party.address,
        "occupation": party.occupation,
        "employer": party.employer,
        "representative": party.representative,
        "agent_name": party.agent_name,
        "agent_phone": party.agent_phone,
    }


def _case_number(
    session: Session, org: OrgUnit, data: CaseInput, *, number_checked: bool
) -> tuple[str, int | None, int | None]:
    """The case's number with its year and sequence: the one given (if free), else the next in its year."""
    if not data.number:
        year = data.intake_date.year
        number, seq = allocate_number(session, org, year)
        return number, year, seq
    number = data.number.strip()
    parsed = parse_case_number(number)
    if not number_checked and case_queries.number_in_use(session, org.id, number):
        raise ValidationError(f"案号“{number}”在本组织已被使用", field="number")
    if parsed:
        return number, parsed.year, parsed.seq
    return number, None, None


def case_values(
    session: Session, org: OrgUnit, data: CaseInput, *, ledger_key: str | None = None, number_checked: bool = False
) -> tuple[dict[str, object], list[dict[str, object]]]:
    """The columns of a validated case and of its parties, ready to insert (ORM or bulk).

    ``number_checked``: the caller has already made sure a given case number is free in the organisation (a
    ledger import checks all its rows against one query instead of one query per row).
    """
    category = all_categories()[data.category]
    number, year, seq = _case_number(session, org, data, number_checked=number_checked)
    status = CaseStatus.REGISTERED
    if data.accept:
        status = transition(status, CaseAction.ACCEPT)
    case_id = uuid.uuid4()
    case = {
        "id": case_id,
        "org_id": org.id,
        "number": number,
        "number_year": year,
        "number_seq": seq,
        "intake_date": data.intake_date,
        "source": data.source,
        "referral_body": data.referral_body,
        "category": category.top,
        "subtype": category.code if category.parent else None,
        "title": data.title,
        "facts": data.facts,
        "requests": data.requests,
        "place": data.place,
        "amount_fen": data.amount_fen,
        "persons": data.persons,
        "group_dispute": data.group_dispute,
        "risk_flags": [flag.value for flag in data.risk_flags],
        "status": status,
        "recorder": data.recorder,
        "notes": data.notes,
        "ledger_key": ledger_key,
    }
    return case, [_party_values(case_id, index, party) for index, party in enumerate(data.parties)]


def add_case(
    session: Session, org: OrgUnit, data: CaseInput, *, ledger_key: str | None = None, number_checked: bool = False
) -> DisputeCase:
    """Insert a validated case and its parties through the ORM (no commit)."""
    values, parties = case_values(session, org, data, ledger_key=ledger_key, number_checked=number_checked)
    case = DisputeCase(**values)
    session.add(case)
    session.add_all(Party(**party) for party in parties)
    return case


def load_case(session: Session, key: str | uuid.UUID) -> DisputeCase:
    """A case by id or by its number (unique per organisation; ambiguous numbers need the id)."""
    if isinstance(key, uuid.UUID):
        case = session.get(DisputeCase, key)
        if case is None:
            raise NotFound("找不到该案件")
        return case
    text = key.strip()
    matches = case_queries.cases_numbered(session, text)
    if not matches:
        parsed = parse_case_number(text)
        if parsed:
            matches = case_queries.cases_with_year_and_seq(session, parsed.year, parsed.seq, parsed.prefix)
    if not matches:
        try:
            return load_case(session, uuid.UUID(text))
        except ValueError:
            pass
        raise NotFound(f"找不到案号为“{text}”的案件")
    if len(matches) > 1:
        raise ValidationError(f"案号“{text}”在多个组织中存在，请指定组织")
    return matches[0]


def register_case(desk: Desk, data: CaseInput, *, org_code: str | None = None) -> Result[CaseRow]:
    clean_case(data)

    def body(work: UnitOfWork) -> CaseRow:
        org = find_org(work.session, org_code) if org_code else desk.own_org(work.session)
        case = add_case(work.session, org, data)
        work.session.flush()
        work.changed("dispute_case", "party", case_id=case.id)
        return case_rows(work.session, [case])[0]

    return desk.run("cases.register", Permission.EDIT_CASE, body)
