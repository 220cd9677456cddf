"""What happens to a registered demo case: refusal at intake, or mediators designated, investigation and session
records, the outcome and filing. Statuses follow ``domain.lifecycle``: mediation starts with ``transition``, and
the outcome (with filing) is ``status_after_outcome``, the one rule every caller uses."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from mediation_desk.demo.agreements import record_agreement
from mediation_desk.demo.disputes import session_ending
from mediation_desk.demo.registration import CaseContext
from mediation_desk.demo.run import DemoRun
from mediation_desk.demo.templates import record_words
from mediation_desk.domain.codes import CaseMediatorRole, OutcomeKind
from mediation_desk.domain.lifecycle import CaseAction, CaseStatus, status_after_outcome, transition
from mediation_desk.store.models import CaseMediator, InvestigationRecord, Outcome, SessionRecord


def proceed(run: DemoRun, context: CaseContext) -> None:
    """Take the case as far as its plan goes; a registered or accepted case waits for mediators."""
    plan = context.plan
    if plan.kind is OutcomeKind.REFUSED:
        refuse(run, context)
    elif plan.kind is not None or plan.open_status is CaseStatus.MEDIATING:
        mediate(run, context)


def refuse(run: DemoRun, context: CaseContext) -> None:
    """不予受理: the reason on the case and its outcome; filed when the closing date has passed."""
    case, plan = context.case, context.plan
    assert plan.decided is not None
    reason = run.rng.choice(record_words().refusal_reasons)
    case.refusal_reason = reason
    run.records.append(
        Outcome(id=uuid.uuid4(), case_id=case.id, kind=OutcomeKind.REFUSED, decided_on=plan.decided, reason=reason)
    )
    _conclude(context, OutcomeKind.REFUSED, case.status)


def mediate(run: DemoRun, context: CaseContext) -> None:
    """Mediators designated (mediation starts), investigation and session records, the outcome, filing."""
    rng = run.rng
    case, plan = context.case, context.plan
    status = transition(case.status, CaseAction.START)
    _designate(run, context)
    last = plan.decided or min(plan.intake + timedelta(days=rng.randint(0, 10)), run.limit)
    span = (last - plan.intake).days
    if rng.random() < 0.25:
        _investigate(run, context, span)
    days = _session_days(run, context, last, span)
    for index, day in enumerate(days):
        run.records.append(_session(run, context, day, final=plan.kind is not None and index == len(days) - 1))
    if plan.kind is None:
        case.status = status
        return
    reason = ""
    if plan.kind is OutcomeKind.FAILED:
        reason = record_words().failure_reason
    elif plan.kind is OutcomeKind.TERMINATED:
        reason = rng.choice(record_words().termination_reasons)
    outcome = Outcome(id=uuid.uuid4(), case_id=case.id, kind=plan.kind, decided_on=last, reason=reason)
    run.records.append(outcome)
    if plan.kind.successful:
        record_agreement(run, context, outcome)
    _conclude(context, plan.kind, status)


def _conclude(context: CaseContext, kind: OutcomeKind, status: CaseStatus) -> None:
    """The status the outcome leads to from ``status``, filed (with its closing date) when that has passed."""
    closed = context.plan.closed
    context.case.status = status_after_outcome(status, kind, closed=closed is not None)
    if closed is not None:
        context.case.closing_date = closed


def _designate(run: DemoRun, context: CaseContext) -> None:
    """The presiding and assisting mediators; now and then chosen by the parties themselves."""
    chosen = run.rng.random() < 0.05
    for index, member in enumerate(context.mediators):
        run.records.append(
            CaseMediator(
                id=uuid.uuid4(),
                case_id=context.case.id,
                mediator_id=member.id,
                role=CaseMediatorRole.PRESIDING if index == 0 else CaseMediatorRole.ASSISTING,
                assigned_on=context.plan.intake,
                chosen_by_parties=chosen,
            )
        )


def _investigate(run: DemoRun, context: CaseContext, span: int) -> None:
    """An investigation record within the first days: on the spot or in the mediation room."""
    rng = run.rng
    run.records.append(
        InvestigationRecord(
            id=uuid.uuid4(),
            case_id=context.case.id,
            held_at=run.at(context.plan.intake + timedelta(days=rng.randint(0, min(span, 2)))),
            place=rng.choice((f"{context.place.village}纠纷现场", f"{context.office}调解室")),
            investigator=context.mediators[0].name,
            interviewee=rng.choice((context.respondent, run.synth.name())),
            recorder=context.recorder,
            body=context.text.investigation,
        )
    )


def _session_days(run: DemoRun, context: CaseContext, last: date, span: int) -> list[date]:
    """One to three sessions, the last on the day of the outcome; a case still being mediated perhaps one."""
    rng = run.rng
    plan = context.plan
    if plan.kind is None:
        return [plan.intake + timedelta(days=rng.randint(0, span))] if rng.random() < 0.5 else []
    count = 1 if span == 0 else rng.choices((1, 2, 3), (60, 30, 10))[0]
    earlier = sorted(rng.sample(range(span), min(count - 1, span))) if count > 1 else []
    return [plan.intake + timedelta(days=day) for day in earlier] + [last]


def _session(run: DemoRun, context: CaseContext, day: date, *, final: bool) -> SessionRecord:
    kind = context.plan.kind
    successful = kind is not None and kind.successful
    terminated = kind is OutcomeKind.TERMINATED
    names = "、".join(member.name for member in context.mediators)
    return SessionRecord(
        id=uuid.uuid4(),
        case_id=context.case.id,
        held_at=run.at(day),
        place=f"{context.office}调解室",
        matter=context.text.title,
        participants=f"当事人：{context.applicant}、{context.respondent}；调解员：{names}",
        body=run.synth.session_body(
            context.applicant,
            context.respondent,
            context.plan.category,
            final=final,
            success=successful,
            terminated=terminated,
        ),
        result=record_words().sessions.results[session_ending(final, successful, terminated)],
        recorder=context.recorder,
    )
