"""How a matched ledger row differs from its case on the desk, field by field, and the edit that would make the
case agree with the row.

Only the columns the file has, and only the cells the row fills, are compared: a blank cell says nothing (the
desk may be ahead of the ledger: a case concluded in the program, mediators assigned, notes written), and a
ledger never clears or reopens anything. Names are compared as lists of names in any order, texts without
differences of spacing or of full- and half-width forms (the ledger key's normalisation). What the report shows
is masked: identity and phone numbers written into facts or notes appear as 331122********123X and 138****1234.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from mediation_desk.domain.codes import OutcomeKind, PartyRole, all_categories
from mediation_desk.domain.errors import DomainError
from mediation_desk.domain.intake import PartyInput
from mediation_desk.domain.masking import mask_id_number, mask_phone
from mediation_desk.domain.money import fen_to_yuan_text
from mediation_desk.services.cases.editing import CaseEdit, CaseState, plan_outcome
from mediation_desk.services.ledger.checking import LedgerRow, normalised
from mediation_desk.services.ledger.columns import HeaderMap
from mediation_desk.services.ledger.matching import OnDesk, OnFile, names_key
from mediation_desk.services.ledger.report import CaseChange, FieldChange

SHOWN_CHARS = 60

_OUTCOMES = {
    OutcomeKind.WRITTEN_AGREEMENT: "成功（书面协议）",
    OutcomeKind.ORAL_AGREEMENT: "成功（口头协议）",
    OutcomeKind.FAILED: "不成功",
    OutcomeKind.TERMINATED: "终止",
    OutcomeKind.REFUSED: "不予受理",
}
_RESIDENT_ID = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])")
_PHONE = re.compile(r"(?<![0-9])(?:1[3-9][0-9]{9}|0[0-9]{2,3}-[0-9]{7,8})(?![0-9])")


def masked(text: str) -> str:
    """``text`` with every resident ID number and phone number in it masked, cut to ``SHOWN_CHARS``."""
    text = _PHONE.sub(lambda match: mask_phone(match.group()), _RESIDENT_ID.sub(lambda m: mask_id_number(m[0]), text))
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


@dataclass(slots=True)
class Planned:
    """A matched row and its case, their differences, the edit that applies them, and the mediators the row names
    when they differ (``None``: keep the case's)."""

    row: LedgerRow
    case_id: uuid.UUID
    change: CaseChange
    edit: CaseEdit
    mediators: list[str] | None


class _Diff:
    def __init__(self, row: LedgerRow, header: HeaderMap) -> None:
        self.row = row
        self.header = header
        self.fields: list[FieldChange] = []

    def says(self, key: str) -> bool:
        return key in self.row.filled

    def add(self, key: str, old: str, new: str) -> None:
        self.fields.append(FieldChange(self.header.column(key), masked(old), masked(new)))


def _category_name(code: str) -> str:
    category = all_categories().get(code)
    return category.name if category else code


def _case_fields(diff: _Diff, row: LedgerRow, case: OnFile, edit: CaseEdit) -> None:
    data = row.data
    if diff.says("intake_date") and data.intake_date != case.intake_date:
        diff.add("intake_date", case.intake_date.isoformat(), data.intake_date.isoformat())
        edit.intake_date = data.intake_date
    if diff.says("category") and data.category != case.category:
        diff.add("category", _category_name(case.category), _category_name(data.category))
        edit.category = data.category
    if diff.says("source") and data.source is not case.source:
        diff.add("source", case.source.label, data.source.label)
        edit.source = data.source
    for key, role, present in (
        ("applicants", PartyRole.APPLICANT, case.applicants),
        ("respondents", PartyRole.RESPONDENT, case.respondents),
    ):
        wanted = [party for party in data.parties if party.role is role]
        if diff.says(key) and names_key(party.name for party in wanted) != names_key(present):
            diff.add(key, "、".join(present), "、".join(party.name for party in wanted))
            setattr(edit, key, [PartyInput(party.name, role, party.kind) for party in wanted])
    for key, old, new in (("facts", case.facts, data.facts), ("notes", case.notes, data.notes)):
        if diff.says(key) and normalised(old) != normalised(new):
            diff.add(key, old, new)
            setattr(edit, key, new)
    if diff.says("amount") and data.amount_fen != case.amount_fen:
        diff.add("amount", fen_to_yuan_text(case.amount_fen) + " 元", fen_to_yuan_text(data.amount_fen) + " 元")
        edit.amount_fen = data.amount_fen
    if diff.says("persons") and data.persons != case.persons:
        diff.add("persons", str(case.persons), str(data.persons))
        edit.persons = data.persons
    if diff.says("group") and data.group_dispute != case.group_dispute:
        diff.add("group", "是" if case.group_dispute else "否", "是" if data.group_dispute else "否")
        edit.group_dispute = data.group_dispute


def _ending(diff: _Diff, row: LedgerRow, case: OnFile, edit: CaseEdit) -> None:
    if diff.says("outcome") and row.outcome is not None and row.outcome is not case.outcome:
        old = _OUTCOMES[case.outcome] if case.outcome else ""
        diff.add("outcome", old, _OUTCOMES[row.outcome])
        edit.outcome = row.outcome
    if diff.says("closing_date") and row.closing_date is not None and row.closing_date != case.closing_date:
        diff.add(
            "closing_date", case.closing_date.isoformat() if case.closing_date else "", row.closing_date.isoformat()
        )
        edit.closing_date = row.closing_date
    if diff.says("performance") and row.performance is not None and row.performance is not case.performance:
        diff.add("performance", case.performance.label if case.performance else "", row.performance.label)
        edit.performance = row.performance


def _blocked(case: OnFile, edit: CaseEdit) -> str:
    """Why the edit cannot be made to the case (the outcome rules of ``cases.editing``), or ``""``."""
    state = CaseState(
        case.status,
        case.intake_date,
        case.closing_date,
        case.outcome,
        case.decided_on,
        case.performance,
        case.documents,
    )
    try:
        plan_outcome(state, edit)
    except DomainError as error:
        return error.message
    return ""


def compare(row: LedgerRow, case: OnFile, header: HeaderMap, desk: OnDesk) -> Planned:
    """The row's differences from its case, the edit that applies them, and whether it can be applied."""
    diff = _Diff(row, header)
    edit = CaseEdit()
    _case_fields(diff, row, case, edit)
    mediators: list[str] | None = None
    if diff.says("mediators") and set(row.mediators) != set(case.mediators):
        diff.add("mediators", "、".join(case.mediators), "、".join(row.mediators))
        mediators = list(row.mediators)
    _ending(diff, row, case, edit)
    holder = desk.by_key.get((row.org.id, row.key))
    if holder is None or holder == case.id:
        edit.ledger_key = row.key  # the case now agrees with this row
    change = CaseChange(
        row.row, row.sheet, case.number or "", tuple(diff.fields), _blocked(case, edit) if diff.fields else ""
    )
    return Planned(row, case.id, change, edit, mediators)
