"""The printed forms (ReportLab; no Qt, no database): one builder per form, each taking the plain data of
``documents.data`` and returning the PDF's bytes; ``batch`` builds many and reports progress.

Fonts are embedded as subsets (``documents.fonts``), lines break by the Chinese rules (``documents.linebreak``)
and pages carry "第x页 共y页" (``documents.pages``). ``services.printing`` fills the data from a case on file.
"""

from mediation_desk.documents.agreement import build_agreement, build_oral_register
from mediation_desk.documents.batch import BatchJob, BatchProgress, batch
from mediation_desk.documents.casefile import MANDATORY, OPTIONAL, build_cover, missing
from mediation_desk.documents.data import (
    AgreementData,
    CaseData,
    CaseFileData,
    FileItem,
    FollowUpData,
    InvestigationData,
    PartyData,
    SessionData,
    TerminationData,
    Verification,
)
from mediation_desk.documents.fonts import MissingGlyph, register
from mediation_desk.documents.forms import (
    build_application,
    build_follow_up,
    build_intake,
    build_investigation,
    build_rights_notice,
    build_session,
    build_termination,
)
from mediation_desk.documents.pages import render_counted

__all__ = [
    "MANDATORY",
    "OPTIONAL",
    "AgreementData",
    "BatchJob",
    "BatchProgress",
    "CaseData",
    "CaseFileData",
    "FileItem",
    "FollowUpData",
    "InvestigationData",
    "MissingGlyph",
    "PartyData",
    "SessionData",
    "TerminationData",
    "Verification",
    "batch",
    "build_agreement",
    "build_application",
    "build_cover",
    "build_follow_up",
    "build_intake",
    "build_investigation",
    "build_oral_register",
    "build_rights_notice",
    "build_session",
    "build_termination",
    "missing",
    "register",
    "render_counted",
]
