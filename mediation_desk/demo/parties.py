"""The parties of a demo case: an applicant living at the dispute's place, a respondent suited to the template
(an organisation, a relative, a spouse or a neighbour), and now and then more applicants, respondents or a
third party; a group dispute has several applicants."""

from __future__ import annotations

import random

from mediation_desk.demo.people import Person, surname_of
from mediation_desk.demo.places import Place
from mediation_desk.demo.plans import CasePlan
from mediation_desk.demo.run import DemoRun
from mediation_desk.demo.templates import DisputeTemplate
from mediation_desk.domain.codes import Gender, PartyKind, PartyRole
from mediation_desk.domain.intake import PartyInput


def person_party(person: Person, role: PartyRole, rng: random.Random) -> PartyInput:
    """A person as a party, as typed in: a few leave out the ID number or the phone."""
    return PartyInput(
        name=person.name,
        role=role,
        gender=person.gender,
        ethnicity=person.ethnicity,
        birth_date=person.birth_date,
        id_number=person.id_number if rng.random() < 0.95 else "",
        phone=person.phone if rng.random() < 0.97 else "",
        address=person.address,
        occupation=person.occupation,
    )


def case_parties(
    run: DemoRun, plan: CasePlan, place: Place, template: DisputeTemplate, group: bool
) -> tuple[list[PartyInput], str, str, int]:
    """The parties, the names of the first applicant and respondent, and the persons involved (0: count them)."""
    synth, rng = run.synth, run.rng
    old = template.subtype == "0102"
    first = synth.person(place, min_age=66 if old else 22, max_age=88 if old else 78)
    parties = [person_party(first, PartyRole.APPLICANT, rng)]
    respondent = _respondent(run, plan, place, template, first)
    parties.append(respondent)
    extra = rng.random()
    if group:
        for _ in range(rng.randint(1, 2)):
            parties.insert(1, person_party(synth.person(place), PartyRole.APPLICANT, rng))
    elif extra < 0.12:
        parties.insert(1, person_party(synth.person(place), PartyRole.APPLICANT, rng))
    elif extra < 0.2:
        parties.append(person_party(synth.person(place), PartyRole.RESPONDENT, rng))
    elif extra < 0.24:
        parties.append(person_party(synth.person(place), PartyRole.THIRD_PARTY, rng))
    persons = rng.randint(5, 60) if group else 0
    return parties, first.name, respondent.name, persons


def _respondent(run: DemoRun, plan: CasePlan, place: Place, template: DisputeTemplate, first: Person) -> PartyInput:
    synth, rng = run.synth, run.rng
    if template.organisation and rng.random() < 0.75:
        org = synth.organisation(plan.category, place)
        return PartyInput(
            name=org.name,
            role=PartyRole.RESPONDENT,
            kind=PartyKind.ORGANISATION,
            phone=org.phone,
            address=org.address,
            representative=org.representative,
        )
    if template.kin:
        other = synth.person(place, surname=surname_of(first.name), ethnicity=first.ethnicity, min_age=30, max_age=70)
    elif template.subtype == "0101":
        spouse = Gender.FEMALE if first.gender is Gender.MALE else Gender.MALE
        other = synth.person(place, gender=spouse, ethnicity=first.ethnicity, min_age=22, max_age=75)
    else:
        other = synth.person(place, min_age=20, max_age=80)
    return person_party(other, PartyRole.RESPONDENT, rng)
