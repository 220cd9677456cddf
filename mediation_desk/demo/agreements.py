"""The records after a demo case's agreement: the signed agreement (or the oral agreement register), complete
with every Art. 29 element and the content hash its verification code comes from, so that it prints; the
follow-up visit with the performance it found, and now and then a judicial confirmation (司法确认)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from mediation_desk.demo.registration import CaseContext
from mediation_desk.demo.run import DemoRun
from mediation_desk.demo.templates import county_profile, record_words
from mediation_desk.domain.codes import AgreementState, OutcomeKind, Performance
from mediation_desk.services.agreements import AgreementText, content_hash, party_content
from mediation_desk.store.models import Agreement, FollowUp, JudicialConfirmation, Outcome


def record_agreement(run: DemoRun, context: CaseContext, outcome: Outcome) -> None:
    """The agreement, signed on the day of the outcome, then what follows it (when it is not in the future)."""
    rng = run.rng
    oral = outcome.kind is OutcomeKind.ORAL_AGREEMENT
    decided = outcome.decided_on
    money = context.data.amount_fen > 0
    agreement = Agreement(
        id=uuid.uuid4(),
        case_id=context.case.id,
        number=context.plan.number,
        oral=oral,
        facts=context.text.facts,
        terms=list(context.text.terms),
        performance_manner=("当场履行" if oral else rng.choice(("银行转账", "现金支付"))) if money else "自行履行",
        performance_place=context.office if money else context.place.village,
        performance_deadline=context.deadline,
        copies=1 if oral else len(context.data.parties) + 1,
        state=AgreementState.SIGNED,
        effective_date=decided,
    )
    agreement.content_hash = content_hash(_text(context, agreement))
    run.records.append(agreement)
    if rng.random() < 0.88:
        visit = decided + timedelta(days=rng.randint(5, 20))
        if money:
            visit = max(visit, context.deadline + timedelta(days=rng.randint(1, 10)))
        if visit <= run.limit:
            outcome.performance = _follow_up(run, context, agreement.id, visit, oral=oral)
    if not oral and money and rng.random() < 0.03:
        applied = decided + timedelta(days=rng.randint(1, 20))
        if applied <= run.limit:
            _confirmation(run, context, agreement.id, applied)


def _text(context: CaseContext, agreement: Agreement) -> AgreementText:
    """What the signed paper says: the hash that its verification code comes from (services.agreements)."""
    return AgreementText(
        org_name=context.plan.committee.org.name,
        case_number=context.case.number or "",
        number=agreement.number,
        oral=agreement.oral,
        facts=agreement.facts,
        terms=tuple(agreement.terms),
        performance_manner=agreement.performance_manner,
        performance_place=agreement.performance_place,
        performance_deadline=agreement.performance_deadline,
        copies=agreement.copies,
        parties=tuple(party_content(party) for party in context.data.parties),
        presiding=tuple(staff.name for staff in context.mediators[:1]),
        assisting=tuple(staff.name for staff in context.mediators[1:]),
        recorder=context.recorder,
    )


def _follow_up(run: DemoRun, context: CaseContext, agreement_id: uuid.UUID, visit: date, *, oral: bool) -> Performance:
    """回访: mostly performed; a written agreement now and then partly or not at all."""
    rng = run.rng
    words = record_words()
    draw = rng.random()
    performance = Performance.PERFORMED
    if not oral and draw > 0.94:
        performance = Performance.PARTLY if draw < 0.99 else Performance.NOT_PERFORMED
    performed = performance is Performance.PERFORMED
    run.followers.append(
        FollowUp(
            id=uuid.uuid4(),
            case_id=context.case.id,
            agreement_id=agreement_id,
            visited_on=visit,
            visited_party=context.applicant,
            performance=performance,
            satisfaction=rng.choices([level for level, _ in words.satisfaction], [w for _, w in words.satisfaction])[0],
            lawsuit=performance is Performance.NOT_PERFORMED and rng.random() < 0.3,
            risks="" if performed else words.follow_up_risks,
            measures="" if performed else words.follow_up_measures,
            visitor=context.mediators[0].name,
        )
    )
    return performance


def _confirmation(run: DemoRun, context: CaseContext, agreement_id: uuid.UUID, applied: date) -> None:
    """司法确认 applied for within 30 days of the agreement; the court rules within a week."""
    profile = county_profile()
    ruled = applied + timedelta(days=run.rng.randint(1, 7))
    number = ""
    granted: bool | None = None
    if ruled <= run.limit:
        run.ruling_seq[ruled.year] = run.ruling_seq.get(ruled.year, 100) + 1
        number = f"({ruled.year}){profile.court_code}民特{run.ruling_seq[ruled.year]}号"
        granted = run.rng.random() < 0.97
    run.followers.append(
        JudicialConfirmation(
            id=uuid.uuid4(),
            case_id=context.case.id,
            agreement_id=agreement_id,
            applied_on=applied,
            court=profile.court,
            ruled_on=ruled if number else None,
            granted=granted,
            ruling_number=number,
        )
    )
