"""Which case on the desk a ledger row is, if any: the re-import rules a township clerk can rely on.

- A row that gives a case number is the case of that number in its organisation. It must resemble it (at least
  two of: the same intake date, the same category, a party in common, the same facts), so that one corrected
  field is a correction; a number that belongs to a different case is an error naming the row.
- A row without a number is the case whose ledger key it has (it was imported from this very row before), or
  else the one case with the same intake date, parties (all of them, whatever their roles) and category. Two
  such cases on the desk are an error (the row should give its number); none is a new case. A name or a date
  corrected in a ledger without case numbers cannot be told from a new case: such a ledger is corrected by
  giving its rows their numbers.
- One case is matched by at most one row: a second row matching it is an error naming both.

A matched row is then compared with its case (``changes``): the same is "already present", anything else a
change. Only the cases on the desk's organisations are loaded, with the columns a ledger has.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain.codes import CaseSource, OutcomeKind, PartyRole, Performance
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services.ledger.checking import LedgerRow, normalised
from mediation_desk.services.ledger.columns import HeaderMap
from mediation_desk.services.ledger.report import WHOLE_ROW, LedgerError, where
from mediation_desk.store.models import (
    Agreement,
    CaseMediator,
    DisputeCase,
    FollowUp,
    JudicialConfirmation,
    Mediator,
    Outcome,
    Party,
)

CHUNK = 500


@dataclass(slots=True)
class OnFile:
    """A case on the desk as a ledger's columns see it; ``mediators``, ``outcome``, ``performance`` and
    ``documents`` are filled for the cases a row matched."""

    id: uuid.UUID
    org_id: uuid.UUID
    number: str | None
    ledger_key: str | None
    intake_date: date
    category: str
    source: CaseSource
    facts: str
    notes: str
    amount_fen: int
    persons: int
    group_dispute: bool
    status: CaseStatus
    closing_date: date | None
    applicants: list[str] = field(default_factory=list)
    respondents: list[str] = field(default_factory=list)
    mediators: list[str] = field(default_factory=list)
    outcome: OutcomeKind | None = None
    decided_on: date | None = None
    performance: Performance | None = None
    documents: bool = False  # an agreement, a follow-up visit or a judicial confirmation is on file

    @property
    def names(self) -> tuple[str, ...]:
        return names_key([*self.applicants, *self.respondents])


def names_key(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(normalised(name) for name in names))


Identity = tuple[uuid.UUID, date, str, tuple[str, ...]]


@dataclass(slots=True)
class OnDesk:
    """The cases of the import's organisations, by number, by ledger key and by identity; numbering's state."""

    cases: dict[uuid.UUID, OnFile] = field(default_factory=dict)
    by_number: dict[tuple[uuid.UUID, str], uuid.UUID] = field(default_factory=dict)
    by_key: dict[tuple[uuid.UUID, str], uuid.UUID] = field(default_factory=dict)
    by_identity: dict[Identity, list[uuid.UUID]] = field(default_factory=lambda: defaultdict(list))
    seqs: dict[tuple[uuid.UUID, int], int] = field(default_factory=dict)


def row_identity(row: LedgerRow) -> Identity:
    return (row.org.id, row.data.intake_date, row.data.category, names_key(party.name for party in row.data.parties))


def load_on_desk(session: Session, org_ids: set[uuid.UUID]) -> OnDesk:
    """One query for the cases of the organisations, one for their parties."""
    desk = OnDesk()
    ids = list(org_ids)
    columns = (
        DisputeCase.id,
        DisputeCase.org_id,
        DisputeCase.number,
        DisputeCase.ledger_key,
        DisputeCase.intake_date,
        DisputeCase.category,
        DisputeCase.subtype,
        DisputeCase.source,
        DisputeCase.facts,
        DisputeCase.notes,
        DisputeCase.amount_fen,
        DisputeCase.persons,
        DisputeCase.group_dispute,
        DisputeCase.status,
        DisputeCase.closing_date,
        DisputeCase.number_year,
        DisputeCase.number_seq,
    )
    for found in session.execute(sa.select(*columns).where(DisputeCase.org_id.in_(ids))):
        case = OnFile(
            found.id, found.org_id, found.number, found.ledger_key, found.intake_date, found.subtype or found.category,
            found.source, found.facts, found.notes, found.amount_fen, found.persons, found.group_dispute,
            found.status, found.closing_date,
        )  # fmt: skip
        desk.cases[case.id] = case
        if case.number:
            desk.by_number[(case.org_id, case.number)] = case.id
        if case.ledger_key:
            desk.by_key[(case.org_id, case.ledger_key)] = case.id
        year, seq = found.number_year, found.number_seq
        if year is not None and seq is not None:
            desk.seqs[(case.org_id, year)] = max(desk.seqs.get((case.org_id, year), 0), seq)
    parties = (
        sa.select(Party.case_id, Party.role, Party.name)
        .join(DisputeCase, DisputeCase.id == Party.case_id)
        .where(DisputeCase.org_id.in_(ids))
        .order_by(Party.case_id, Party.position)
    )
    for case_id, role, name in session.execute(parties):
        if role is PartyRole.APPLICANT:
            desk.cases[case_id].applicants.append(name)
        elif role is PartyRole.RESPONDENT:
            desk.cases[case_id].respondents.append(name)
    for case in desk.cases.values():
        desk.by_identity[(case.org_id, case.intake_date, case.category, case.names)].append(case.id)
    return desk


def load_details(session: Session, cases: Iterable[OnFile]) -> None:
    """Mediators (presiding first), outcome and documents of the matched cases, in chunks."""
    wanted = {case.id: case for case in cases}
    ids = list(wanted)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        mediators = (
            sa.select(CaseMediator.case_id, Mediator.name)
            .join(Mediator, Mediator.id == CaseMediator.mediator_id)
            .where(CaseMediator.case_id.in_(chunk))
            .order_by(CaseMediator.case_id, CaseMediator.role.desc(), CaseMediator.created_at, CaseMediator.id)
        )
        for case_id, name in session.execute(mediators):
            wanted[case_id].mediators.append(name)
        outcomes = sa.select(Outcome.case_id, Outcome.kind, Outcome.decided_on, Outcome.performance)
        for case_id, kind, decided_on, performance in session.execute(outcomes.where(Outcome.case_id.in_(chunk))):
            wanted[case_id].outcome, wanted[case_id].decided_on, wanted[case_id].performance = (
                kind,
                decided_on,
                performance,
            )
        for model in (Agreement, FollowUp, JudicialConfirmation):
            for (case_id,) in session.execute(sa.select(model.case_id).where(model.case_id.in_(chunk)).distinct()):
                wanted[case_id].documents = True


# ---------------------------------------------------------------------------------------------------------------
# Matching


@dataclass(slots=True)
class Matching:
    fresh: list[LedgerRow] = field(default_factory=list)
    matched: list[tuple[LedgerRow, OnFile]] = field(default_factory=list)
    errors: list[LedgerError] = field(default_factory=list)


def resembles(row: LedgerRow, case: OnFile) -> bool:
    """At least two of: the same intake date, the same category, a party in common, the same (non-empty) facts."""
    names = set(names_key(party.name for party in row.data.parties))
    facts = normalised(row.data.facts)
    agreeing = [
        row.data.intake_date == case.intake_date,
        row.data.category == case.category,
        bool(names & set(case.names)),
        bool(facts) and facts == normalised(case.facts),
    ]
    return sum(agreeing) >= 2


def _describe(case: OnFile) -> str:
    parties = "、".join([*case.applicants, *case.respondents][:3])
    return f"{case.number or '（无编号）'}（受理日期 {case.intake_date.isoformat()}，当事人 {parties}）"


class _Matcher:
    def __init__(self, desk: OnDesk, headers: Mapping[str, HeaderMap]) -> None:
        self.desk = desk
        self.headers = headers
        self.claims: dict[uuid.UUID, LedgerRow] = {}
        self.result = Matching()

    def column(self, row: LedgerRow, key: str) -> str:
        header = self.headers.get(row.sheet)
        return header.column(key) if header is not None else key

    def fail(self, row: LedgerRow, column: str, reason: str) -> None:
        self.result.errors.append(LedgerError(row.row, column, reason, row.sheet))

    def claim(self, row: LedgerRow, case: OnFile) -> None:
        first = self.claims.get(case.id)
        if first is not None:
            place = where(first.row, first.sheet if first.sheet != row.sheet else "")
            self.fail(
                row, WHOLE_ROW, f"与{place}对应工作台上的同一件案件 {_describe(case)}；同一案件不应在台账中登记两次"
            )
            return
        self.claims[case.id] = row
        self.result.matched.append((row, case))

    def by_number(self, row: LedgerRow, number: str) -> None:
        case_id = self.desk.by_number.get((row.org.id, number))
        if case_id is None:
            self.result.fresh.append(row)
            return
        case = self.desk.cases[case_id]
        if not resembles(row, case):
            self.fail(
                row,
                self.column(row, "case_number"),
                f"案件编号“{number}”在工作台上属于另一件案件 {_describe(case)}："
                "受理日期、纠纷类型、当事人和案情都不相同；请核对案件编号",
            )
            return
        self.claim(row, case)

    def by_identity(self, row: LedgerRow) -> None:
        ids = [case_id for case_id in self.desk.by_identity.get(row_identity(row), ()) if case_id not in self.claims]
        if not ids:
            self.result.fresh.append(row)
        elif len(ids) == 1:
            self.claim(row, self.desk.cases[ids[0]])
        else:
            cases = "、".join(self.desk.cases[case_id].number or "（无编号）" for case_id in ids[:5])
            self.fail(
                row,
                WHOLE_ROW,
                f"工作台上有 {len(ids)} 件案件（{cases}）与这一行的受理日期、当事人和纠纷类型都相同，"
                "无法确定是哪一件；请在台账中填写这一行的案件编号",
            )


def match_rows(rows: list[LedgerRow], desk: OnDesk, headers: Mapping[str, HeaderMap]) -> Matching:
    """Each row to its case on the desk (see the module docstring): by number, by ledger key, then by identity."""
    matcher = _Matcher(desk, headers)
    pending: list[LedgerRow] = []
    for row in rows:
        if row.number:
            matcher.by_number(row, row.number)
            continue
        case_id = desk.by_key.get((row.org.id, row.key))
        if case_id is not None:
            matcher.claim(row, desk.cases[case_id])
        else:
            pending.append(row)
    for row in pending:
        matcher.by_identity(row)
    return matcher.result
