"""Cases: register with parties, assign mediators, record investigations and sessions, conclude, follow up,
judicial confirmation, close; list and show. Every change goes through ``Desk.write`` (role check, audit trail).

- ``intake``: numbering, the columns of a new case and its parties, finding a case, registering it;
- ``records``: mediators, investigation and session records, follow-up visits, judicial confirmation;
- ``outcome``: acceptance or refusal, the outcome of mediation, closing;
- ``editing``: corrections of a case on file (its fields, parties' names, mediators, outcome), as a re-imported
  ledger gives them;
- ``queries``: the list with its filter and order, the count, one case in detail, its history;
- ``views``: the plain data these return.
"""

from mediation_desk.domain.intake import clean_case
from mediation_desk.services.cases.editing import CaseEdit, CaseState, apply_edit, edit_case, plan_outcome
from mediation_desk.services.cases.intake import add_case, allocate_number, case_values, load_case, register_case
from mediation_desk.services.cases.outcome import accept_case, close_case, conclude_case, refuse_case
from mediation_desk.services.cases.queries import (
    CaseFilter,
    CaseSort,
    case_history,
    count_cases,
    get_case,
    list_cases,
)
from mediation_desk.services.cases.records import (
    CONFIRMATION_WINDOW_DAYS,
    assign_mediators,
    record_follow_up,
    record_investigation,
    record_judicial_confirmation,
    record_session,
)
from mediation_desk.services.cases.views import (
    AssignedMediator,
    CaseDetail,
    CaseRow,
    HistoryEntry,
    OutcomeInfo,
    PartyInfo,
    RecordInfo,
)

__all__ = [
    "CONFIRMATION_WINDOW_DAYS",
    "AssignedMediator",
    "CaseDetail",
    "CaseEdit",
    "CaseFilter",
    "CaseRow",
    "CaseSort",
    "CaseState",
    "HistoryEntry",
    "OutcomeInfo",
    "PartyInfo",
    "RecordInfo",
    "accept_case",
    "add_case",
    "allocate_number",
    "apply_edit",
    "assign_mediators",
    "case_history",
    "case_values",
    "clean_case",
    "close_case",
    "conclude_case",
    "count_cases",
    "edit_case",
    "get_case",
    "list_cases",
    "load_case",
    "plan_outcome",
    "record_follow_up",
    "record_investigation",
    "record_judicial_confirmation",
    "record_session",
    "refuse_case",
    "register_case",
]
