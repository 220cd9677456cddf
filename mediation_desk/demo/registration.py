"""Registering a planned case: its place, texts, parties, amounts, flags and mediators, validated by the same
``clean_case`` as typed-in cases and queued for the bulk writer with ``case_values``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from mediation_desk.demo.disputes import DisputeText
from mediation_desk.demo.parties import case_parties
from mediation_desk.demo.places import Place
from mediation_desk.demo.plans import CasePlan
from mediation_desk.demo.run import DemoRun
from mediation_desk.demo.templates import county_profile
from mediation_desk.demo.townships import Committee, Staff
from mediation_desk.domain.codes import CaseSource, OrgLevel, OutcomeKind, RiskFlag
from mediation_desk.domain.intake import CaseInput, PartyInput, clean_case
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.services.cases import case_values
from mediation_desk.store.models import DisputeCase, Party


@dataclass(slots=True)
class CaseContext:
    """One case being written: its plan, its (pending) row and what its records repeat."""

    plan: CasePlan
    case: DisputeCase
    data: CaseInput
    text: DisputeText
    place: Place
    office: str  # where sessions are held: the committee, or the township's judicial office
    applicant: str
    respondent: str
    mediators: list[Staff]  # the presiding mediator first
    recorder: str
    deadline: date


@dataclass(slots=True)
class _Drawn:
    """What a case's texts are drawn from, before its mediators are chosen."""

    place: Place
    text: DisputeText
    parties: list[PartyInput]
    applicant: str
    respondent: str
    persons: int
    group: bool
    amount_fen: int
    deadline: date


def register_case(run: DemoRun, plan: CasePlan) -> CaseContext:
    """The case row and its parties, queued for the bulk writer; what its later records need."""
    committee = plan.committee
    township_case = committee.org.level is not OrgLevel.VILLAGE
    drawn = _draw(run, plan, township_case)
    flags: list[RiskFlag] = []
    if run.rng.random() < 0.01:
        risky = (RiskFlag.PETITION, RiskFlag.MASS_FIGHT) if drawn.group else (RiskFlag.CRIMINAL, RiskFlag.SUICIDE)
        flags.append(run.rng.choice(risky))
    mediators, recorder = _mediators(run, committee, township_case)
    data = clean_case(_case_input(run, plan, drawn, flags, recorder))
    values, party_rows = case_values(run.session, committee.org, data, number_checked=True)  # plans numbered
    case = DisputeCase(**values)
    run.writer.add_object(case)
    for party in party_rows:
        run.writer.add(Party, party)
    return CaseContext(
        plan=plan,
        case=case,
        data=data,
        text=drawn.text,
        place=drawn.place,
        office=f"{committee.org.name}司法所" if township_case else committee.org.name,
        applicant=drawn.applicant,
        respondent=drawn.respondent,
        mediators=mediators,
        recorder=recorder,
        deadline=drawn.deadline,
    )


def _draw(run: DemoRun, plan: CasePlan, township_case: bool) -> _Drawn:
    """Place, template, parties, amounts and texts; the amount is the agreed one for a successful case."""
    synth, rng = run.synth, run.rng
    committee = plan.committee
    place = rng.choice(committee.township.places) if township_case else committee.place
    template = synth.template_for(plan.category)
    group = plan.category in county_profile().group_categories and rng.random() < 0.12
    parties, applicant, respondent, persons = case_parties(run, plan, place, template, group)
    successful = plan.kind in (OutcomeKind.WRITTEN_AGREEMENT, OutcomeKind.ORAL_AGREEMENT)
    claimed = synth.amount_fen(plan.category) if template.money else 0
    agreed = synth.agreed_fen(claimed) if claimed and successful else 0
    decided = plan.decided or plan.intake
    deadline = decided + timedelta(days=rng.choice((0, 3, 7, 15, 30, 60))) if claimed else decided
    text = synth.dispute(
        plan.category,
        applicant,
        respondent,
        place,
        claimed_fen=claimed,
        agreed_fen=agreed,
        deadline=deadline,
        persons=persons,
        year=plan.intake.year,
        template=template,
    )
    amount = agreed if successful else claimed
    return _Drawn(place, text, parties, applicant, respondent, persons, group, amount, deadline)


def _mediators(run: DemoRun, committee: Committee, township_case: bool) -> tuple[list[Staff], str]:
    """The presiding mediator first, perhaps assistants (a village's paired full-time mediator among them), and
    the recorder's name."""
    rng = run.rng
    staff = committee.staff or committee.township.full_time
    presiding = rng.choice(staff)
    others = [member for member in staff if member.id != presiding.id]
    assisting = [rng.choice(others)] if others and rng.random() < 0.6 else []
    if not township_case and committee.township.full_time and rng.random() < 0.08:
        assisting.append(rng.choice(committee.township.full_time))  # the paired full-time mediator helps
    recorder = (assisting[0] if assisting else rng.choice(others) if others else presiding).name
    return [presiding, *assisting], recorder


def _case_input(run: DemoRun, plan: CasePlan, drawn: _Drawn, flags: list[RiskFlag], recorder: str) -> CaseInput:
    return CaseInput(
        intake_date=plan.intake,
        source=plan.source,
        category=drawn.text.subtype or plan.category,
        parties=drawn.parties,
        facts=drawn.text.facts,
        requests=drawn.text.requests,
        title=drawn.text.title,
        place=drawn.place.village,
        referral_body=_referral(run, plan),
        amount_fen=drawn.amount_fen,
        persons=drawn.persons,
        group_dispute=drawn.group,
        risk_flags=flags,
        recorder=recorder,
        number=plan.number,
        accept=not (plan.kind is OutcomeKind.REFUSED or plan.open_status is CaseStatus.REGISTERED),
    )


def _referral(run: DemoRun, plan: CasePlan) -> str:
    """Who referred the case (委托移送): the category's usual body, or the police station, court, petition
    office or the township's social governance centre."""
    if plan.source is not CaseSource.REFERRAL:
        return ""
    profile = county_profile()
    special = profile.referral_by_category
    if plan.category in special and run.rng.random() < 0.7:
        return special[plan.category]
    township = plan.committee.township
    bodies = [
        body.format(short=township.short, township=township.org.name, court=profile.court)
        for body, _ in profile.referral_bodies
    ]
    return run.rng.choices(bodies, [weight for _, weight in profile.referral_bodies])[0]
