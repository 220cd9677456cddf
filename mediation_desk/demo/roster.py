"""The county's mediators: 3–9 members per committee with at least one woman (Art. 8) and a director; full-time
mediators and legal instructors at each township, paired with its villages; a year's assessments."""

from __future__ import annotations

import uuid
from datetime import date

from mediation_desk.demo.people import Person
from mediation_desk.demo.run import DemoRun
from mediation_desk.demo.templates import record_words
from mediation_desk.demo.townships import Committee, Staff, Township
from mediation_desk.domain.codes import Employment, Gender, MediatorRole
from mediation_desk.services.mediators import MediatorInput, clean_mediator, new_mediator
from mediation_desk.store.models import MediatorAssessment, MediatorPairing, OrgUnit


def county_roster(run: DemoRun, townships: list[Township]) -> None:
    """Every township's and committee's mediators, their pairings and (for a past year) assessments."""
    pairing_start = date(run.year, 1, 1)
    staff_all: list[Staff] = []
    pairings: list[MediatorPairing] = []
    for township in townships:
        instructors = _township_staff(run, township)
        staff_all += township.full_time + instructors
        for index, committee in enumerate(township.committees):
            _committee_staff(run, committee)
            staff_all += committee.staff
            for partner in (
                township.full_time[index % len(township.full_time)],
                instructors[index % len(instructors)],
            ):
                pairings.append(
                    MediatorPairing(
                        id=uuid.uuid4(), mediator_id=partner.id, org_id=committee.org.id, start_date=pairing_start
                    )
                )
            run.tick(1)
    run.session.flush()  # mediators before what refers to them
    run.session.add_all(pairings)
    _assessments(run, staff_all)
    run.session.flush()
    run.work.changed("mediator", "mediator_pairing", "mediator_assessment")


def _mediator(
    run: DemoRun, org: OrgUnit, person: Person, role: MediatorRole, employment: Employment, *, instructor: bool = False
) -> Staff:
    rng = run.rng
    since = date(rng.randint(run.year - 9, run.year - 1), rng.randint(1, 12), 1)
    data = clean_mediator(
        MediatorInput(
            name=person.name,
            org_code=org.code,
            gender=person.gender,
            phone=person.phone,
            id_number=person.id_number,
            role=role,
            employment=employment,
            legal_instructor=instructor,
            active_from=since,
            notes=rng.choice(record_words().instructor_notes) if instructor else "",
        )
    )
    mediator = new_mediator(run.session, org, data)
    run.mediators += 1
    return Staff(mediator.id, mediator.name)


def _township_staff(run: DemoRun, township: Township) -> list[Staff]:
    """The township's full-time mediators (who also staff its own mediation); returns its legal instructors."""
    place = township.places[0]
    for _ in range(run.rng.randint(2, 4)):
        person = run.synth.person(place, min_age=28, max_age=58)
        township.full_time.append(_mediator(run, township.org, person, MediatorRole.HIRED, Employment.FULL_TIME))
    instructors = [
        _mediator(
            run,
            township.org,
            run.synth.person(place, min_age=30, max_age=60),
            MediatorRole.MEMBER,
            Employment.PART_TIME,
            instructor=True,
        )
        for _ in range(run.rng.randint(1, 2))
    ]
    assert township.own is not None
    township.own.staff = list(township.full_time)
    return instructors


def _committee_staff(run: DemoRun, committee: Committee) -> None:
    rng = run.rng
    size = rng.choices(range(3, 10), (15, 20, 25, 15, 12, 8, 5))[0]
    genders = [Gender.MALE if rng.random() < 0.75 else Gender.FEMALE]
    genders += [run.synth.gender() for _ in range(size - 1)]
    if Gender.FEMALE not in genders:
        genders[-1] = Gender.FEMALE
    for position, gender in enumerate(genders):
        role = MediatorRole.DIRECTOR if position == 0 else MediatorRole.MEMBER
        if position == 1 and size >= 5:
            role = MediatorRole.DEPUTY
        person = run.synth.person(committee.place, gender=gender, min_age=30, max_age=68)
        committee.staff.append(_mediator(run, committee.org, person, role, Employment.PART_TIME))


def _assessments(run: DemoRun, staff: list[Staff]) -> None:
    """The last finished year's grades (that year itself when the demo's year is over)."""
    assessed = run.year if run.year < run.limit.year else run.year - 1
    if assessed < 2000:
        return
    table = record_words().assessment_grades
    grades = [grade for grade, _ in table]
    weights = [weight for _, weight in table]
    for member in staff:
        grade = run.rng.choices(grades, weights)[0]
        run.session.add(MediatorAssessment(id=uuid.uuid4(), mediator_id=member.id, year=assessed, grade=grade))
