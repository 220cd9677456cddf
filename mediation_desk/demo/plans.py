"""Case plans: what each case of the year will be (committee, outcome, dates, category, source, number), drawn
before anything is written so that numbering can follow intake dates."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from mediation_desk.demo.run import DemoRun
from mediation_desk.demo.templates import county_profile
from mediation_desk.demo.townships import Committee, Township
from mediation_desk.domain.codes import CaseSource, OutcomeKind
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.numbering import format_case_number


@dataclass(slots=True)
class CasePlan:
    committee: Committee
    kind: OutcomeKind | None  # None: still open at the end of the period
    open_status: CaseStatus
    intake: date
    decided: date | None
    closed: date | None
    category: str
    source: CaseSource
    number: str = ""


def case_plans(run: DemoRun, townships: list[Township], cases: int) -> list[CasePlan]:
    """``cases`` plans, mostly at village committees, some at the townships' own mediation; numbered."""
    committees = [committee for township in townships for committee in township.committees]
    own = [township.own for township in townships if township.own is not None]
    own_weights = [len(t.committees) + 1.0 for t in townships]
    profile = county_profile()
    categories = list(profile.category_weights)
    category_weights = list(profile.category_weights.values())
    rng = run.rng
    plans: list[CasePlan] = []
    for kind in _outcomes(run, cases):
        if committees and rng.random() >= 0.06:
            committee = rng.choices(committees, [c.weight for c in committees])[0]
        else:
            committee = rng.choices(own, own_weights)[0]
        intake = _intake(run, kind is None)
        open_status, decided, closed = _course(run, kind, intake)
        source = rng.choices((CaseSource.INITIATIVE, CaseSource.APPLICATION, CaseSource.REFERRAL), (45, 45, 10))[0]
        category = rng.choices(categories, category_weights)[0]
        plans.append(CasePlan(committee, kind, open_status, intake, decided, closed, category, source))
    _number(plans)
    return plans


def _outcomes(run: DemoRun, cases: int) -> list[OutcomeKind | None]:
    """Jinyun's profile: ~2.5 % still open, a few refused, failed and terminated, the rest agreed (mostly in
    writing): about 99.8 % success among the mediated."""
    at_least = 1 if cases >= 100 else 0
    still_open = round(cases * 0.025)
    refused = max(at_least, round(cases * 0.003))
    failed = max(at_least, round(cases * 0.0008))
    terminated = max(at_least, round(cases * 0.0007))
    successful = max(cases - still_open - refused - failed - terminated, 0)
    oral = round(successful * 0.18)
    kinds: list[OutcomeKind | None] = [None] * still_open
    kinds += [OutcomeKind.REFUSED] * refused + [OutcomeKind.FAILED] * failed
    kinds += [OutcomeKind.TERMINATED] * terminated + [OutcomeKind.ORAL_AGREEMENT] * oral
    kinds += [OutcomeKind.WRITTEN_AGREEMENT] * (successful - oral)
    kinds = kinds[:cases]
    run.rng.shuffle(kinds)
    return kinds


def _intake(run: DemoRun, still_open: bool) -> date:
    """Open cases came in during the last weeks; the others follow the months' weights."""
    rng = run.rng
    if still_open:
        first = max(run.start, run.end - timedelta(days=24))
        return first + timedelta(days=rng.randint(0, (run.end - first).days))
    month = rng.choices(range(1, 13), county_profile().month_weights)[0]
    first = date(run.year, month, 1)
    last = date(run.year + 1, 1, 1) if month == 12 else date(run.year, month + 1, 1)
    day = first + timedelta(days=rng.randrange((last - first).days))
    if day > run.end:
        day = run.start + timedelta(days=rng.randint(0, (run.end - run.start).days))
    return day


def _duration(run: DemoRun) -> int:
    """Days from intake to the outcome: a fifth the same day, most within a week or a month."""
    rng = run.rng
    bucket = rng.random()
    if bucket < 0.2:
        return 0
    if bucket < 0.65:
        return rng.randint(1, 7)
    if bucket < 0.93:
        return rng.randint(8, 25)
    return rng.randint(26, 45)


def _course(run: DemoRun, kind: OutcomeKind | None, intake: date) -> tuple[CaseStatus, date | None, date | None]:
    """The status of a case still open, or the dates of its outcome and (if already past) its filing."""
    rng = run.rng
    decided = closed = None
    open_status = CaseStatus.MEDIATING
    if kind is None:
        open_status = rng.choices((CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING), (1, 2, 7))[0]
    elif kind is OutcomeKind.REFUSED:
        decided = min(intake + timedelta(days=rng.randint(0, 2)), run.limit)
    else:
        decided = min(intake + timedelta(days=_duration(run)), run.limit)
    if decided is not None:
        closing = decided + timedelta(days=rng.choice((0, 0, 1, 2, 3, 5)))
        closed = closing if closing <= run.limit else None
    return open_status, decided, closed


def _number(plans: list[CasePlan]) -> None:
    """Numbers follow intake order within each committee and year."""
    plans.sort(key=lambda plan: plan.intake)
    seqs: dict[tuple[uuid.UUID, int], int] = {}
    for plan in plans:
        key = (plan.committee.org.id, plan.intake.year)
        seqs[key] = seqs.get(key, 0) + 1
        prefix = plan.committee.org.case_prefix or "人调"
        plan.number = format_case_number(plan.intake.year, prefix, seqs[key])
