"""A synthetic county to try the program with: Jinyun's 18 township-level units, generated village committees,
their mediators, and a year of cases shaped like Jinyun's 2021 report (MEDIATION.md).

Nothing in it belongs to a real person (see ``services.synthetic``); the database carries the setting
``desk.synthetic = "1"`` so that every view can say so. Cases go through the same validation as typed-in ones
(``services.cases.clean_case`` / ``case_values``), their statuses are derived with ``domain.lifecycle.transition``,
and the store stamps revisions and writes the audit trail exactly as for real input (the roster through the ORM
flush hook, cases and their records through ``store.bulk.BulkWriter``). Everything after the first-run set-up is
one transaction, flushed every few hundred cases.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain.codes import (
    AgreementState,
    CaseMediatorRole,
    CaseSource,
    Employment,
    Gender,
    MediatorRole,
    OrgLevel,
    OutcomeKind,
    PartyKind,
    PartyRole,
    Performance,
    RiskFlag,
    UserRole,
)
from mediation_desk.domain.errors import DomainError
from mediation_desk.domain.intake import CaseInput, PartyInput, clean_case
from mediation_desk.domain.lifecycle import CaseAction, CaseStatus, transition
from mediation_desk.domain.numbering import format_case_number
from mediation_desk.domain.permissions import Permission
from mediation_desk.services.cases import case_values
from mediation_desk.services.desk import Actor, UnitOfWork, set_setting
from mediation_desk.services.mediators import MediatorInput, clean_mediator, new_mediator
from mediation_desk.services.orgs import OrgRow, reference_rows, upsert_orgs
from mediation_desk.services.setup import SetupInput, initialise
from mediation_desk.services.synthetic import (
    COUNTY_CODE,
    COUNTY_NAME,
    DisputeTemplate,
    DisputeText,
    Person,
    Place,
    Synth,
    surname_of,
)
from mediation_desk.store.bulk import BulkWriter
from mediation_desk.store.datadir import DataDir
from mediation_desk.store.models import (
    Agreement,
    CaseMediator,
    DisputeCase,
    FollowUp,
    InvestigationRecord,
    JudicialConfirmation,
    MediatorAssessment,
    MediatorPairing,
    OrgUnit,
    Outcome,
    Party,
    ScreeningRound,
    SessionRecord,
    Synced,
)

DEMO_ADMIN = "demo"
DEMO_PASSWORD = "demo-password"  # documented on purpose: a demo desk holds synthetic data only
SYNTHETIC_SETTING = "desk.synthetic"
DEFAULT_VILLAGES = 261
DEFAULT_CASES = 4252
MAX_VILLAGES = 5000  # keeps every township under 800 villages: 12-digit codes have three digits for them
FLUSH_EVERY = 300  # cases per flush: large enough for executemany, small enough to keep the session light

LOCAL = timezone(timedelta(hours=8), "CST")
COURT = "缙云县人民法院"
COURT_CODE = "浙1122"

# Relative sizes of the township-level units (synthetic: only the proportions matter).
_TOWNSHIP_WEIGHTS: dict[str, int] = {
    "331122001": 20,
    "331122002": 14,
    "331122003": 15,
    "331122101": 32,
    "331122102": 20,
    "331122103": 14,
    "331122105": 12,
    "331122106": 15,
    "331122107": 17,
    "331122108": 12,
    "331122203": 10,
    "331122206": 10,
    "331122207": 11,
    "331122208": 9,
    "331122209": 13,
    "331122210": 10,
    "331122211": 8,
    "331122212": 9,
}

# The reporting categories, weighted as a county's year looks: neighbourhood, family, damages, contract and
# housing first.
_CATEGORY_WEIGHTS: dict[str, int] = {
    "01": 180,
    "02": 230,
    "03": 100,
    "04": 115,
    "05": 45,
    "06": 120,
    "07": 50,
    "08": 20,
    "09": 15,
    "10": 40,
    "11": 20,
    "12": 10,
    "13": 40,
    "14": 10,
    "15": 25,
}
_GROUP_CATEGORIES = frozenset({"07", "08", "09", "10", "14"})
_MONTH_WEIGHTS = (13, 12, 10, 9, 9, 9, 9, 9, 9, 10, 10, 11)

_REFUSAL_REASONS = (
    "一方当事人明确拒绝调解",
    "该纠纷已由人民法院立案受理",
    "该事项依法应由行政机关处理，已告知当事人向有关部门反映",
)
_FAILURE_REASON = "双方分歧较大，经多次调解未能达成协议；已告知当事人可依法申请仲裁、行政处理或向人民法院提起诉讼"
_TERMINATION_REASONS = (
    "一方当事人要求终止调解（《人民调解法》第二十三条）；已告知当事人可依法通过其他途径解决",
    "当事人已向人民法院提起诉讼，依法终止调解",
)
_GRADES: tuple[tuple[str, int], ...] = (("优秀", 15), ("称职", 80), ("基本称职", 4), ("不称职", 1))
_SATISFACTION_LEVELS = ("满意", "基本满意", "不满意")
_SATISFACTION_WEIGHTS = (85, 13, 2)


@dataclass(frozen=True, slots=True)
class DemoSummary:
    orgs: int
    villages: int
    mediators: int
    cases: int
    year: int


# ---------------------------------------------------------------------------------------------------------------
# Plans: what the roster and each case will be, drawn before anything is written so that numbering can follow
# intake dates.


@dataclass(slots=True)
class _Staff:
    id: uuid.UUID
    name: str


@dataclass(slots=True)
class _Committee:
    org: OrgUnit
    place: Place
    township: _Township
    staff: list[_Staff] = field(default_factory=list)
    weight: float = 1.0


@dataclass(slots=True)
class _Township:
    org: OrgUnit
    short: str  # 五云, 壶镇, 双溪口
    places: list[Place]
    committees: list[_Committee] = field(default_factory=list)
    full_time: list[_Staff] = field(default_factory=list)
    own: _Committee | None = None  # the township's own mediation (its full-time mediators)


@dataclass(slots=True)
class _CasePlan:
    committee: _Committee
    kind: OutcomeKind | None  # None: still open at the end of the period
    open_status: CaseStatus
    intake: date
    decided: date | None
    closed: date | None
    category: str
    source: CaseSource
    number: str = ""


@dataclass(slots=True)
class _CaseContext:
    """One case being written: its plan, its (pending) row and what its records repeat."""

    plan: _CasePlan
    case: DisputeCase
    data: CaseInput
    text: DisputeText
    place: Place
    office: str  # where sessions are held: the committee, or the township's judicial office
    applicant: str
    respondent: str
    mediators: list[_Staff]  # the presiding mediator first
    recorder: str
    deadline: date


_CONCLUDE = {
    OutcomeKind.WRITTEN_AGREEMENT: CaseAction.AGREE,
    OutcomeKind.ORAL_AGREEMENT: CaseAction.AGREE,
    OutcomeKind.FAILED: CaseAction.FAIL,
    OutcomeKind.TERMINATED: CaseAction.TERMINATE,
}


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), deterministic."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    shares = [total * weight / whole for weight in weights]
    counts = [int(share) for share in shares]
    order = sorted(range(len(weights)), key=lambda index: (counts[index] - shares[index], index))
    for index in order[: total - sum(counts)]:
        counts[index] += 1
    return counts


def _short_name(township: str) -> str:
    for suffix in ("街道", "镇", "乡"):
        if township.endswith(suffix) and len(township) > len(suffix) + 1:
            return township[: -len(suffix)]
    return township


def _at(day: date, rng: random.Random) -> datetime:
    """A working-hours time on ``day`` (local), as an aware UTC datetime."""
    local = datetime.combine(day, time(rng.randint(8, 16), rng.choice((0, 15, 30, 45))), LOCAL)
    return local.astimezone(UTC)


class _Builder:
    def __init__(
        self,
        work: UnitOfWork,
        synth: Synth,
        year: int,
        limit: date,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        self.work = work
        self.session: Session = work.session
        self.synth = synth
        self.rng = synth.rng
        self.year = year
        self.start = date(year, 1, 1)
        self.end = min(date(year, 12, 31), limit)  # last intake date
        self.limit = limit  # last date of anything (yesterday)
        self.progress = progress
        self.townships: list[_Township] = []
        self.mediators = 0
        self.total_steps = 1
        self.done = 0
        # records under a case are built as transient objects and changed until the case is complete; the bulk
        # writer reads them at each flush and inserts every table in foreign-key order
        self.later: tuple[list[Synced], list[Synced]] = ([], [])
        self.writer = BulkWriter(self.session)
        self.ruling_seq: dict[int, int] = {}

    def _tick(self, steps: int) -> None:
        self.done += steps
        if self.progress is not None:
            self.progress(min(self.done, self.total_steps), self.total_steps)

    # -- organisations and roster ---------------------------------------------------------------------------

    def organisations(self, villages: int) -> None:
        session = self.session
        upsert_orgs(session, reference_rows())
        county = session.scalar(sa.select(OrgUnit).where(OrgUnit.code == COUNTY_CODE))
        assert county is not None
        townships = list(
            session.scalars(
                sa.select(OrgUnit)
                .where(OrgUnit.parent_id == county.id, OrgUnit.level == OrgLevel.TOWNSHIP)
                .order_by(OrgUnit.code)
            )
        )
        township_prefixes: set[str] = set()
        counts = _allocate(villages, [float(_TOWNSHIP_WEIGHTS.get(org.code, 10)) for org in townships])
        rows: list[OrgRow] = []
        planned: list[tuple[_Township, list[tuple[str, Place]]]] = []
        for org, count in zip(townships, counts, strict=True):
            org.case_prefix = _unique_prefix("缙", _short_name(org.name), township_prefixes)
            street, town = org.code[6] == "0", org.code[6] == "1"
            communities = min(round(count * 0.3), 150) if street else (1 if town and count >= 8 else 0)
            names = self.synth.place_names(max(count - communities, 0) + (3 if count == 0 else 0), communities)
            places = [Place(org.name, name) for name in names]
            township = _Township(org, _short_name(org.name), places)
            codes: list[tuple[str, Place]] = []
            for index, place in enumerate(places[:count]):
                number = index + 1 if index < communities else 200 + index - communities + 1
                code = f"{org.code}{number:03d}"
                rows.append(OrgRow(0, code, f"{place.village}人民调解委员会", OrgLevel.VILLAGE, org.code))
                codes.append((code, place))
            planned.append((township, codes))
            self.townships.append(township)
        upsert_orgs(session, rows)
        by_code = {
            org.code: org for org in session.scalars(sa.select(OrgUnit).where(OrgUnit.level == OrgLevel.VILLAGE))
        }
        used = set(township_prefixes)
        for township, codes in planned:
            for code, place in codes:
                org = by_code[code]
                stem = place.village.removesuffix("社区").removesuffix("村")
                org.case_prefix = _unique_prefix(f"缙{township.org.name[0]}", stem, used)
                township.committees.append(_Committee(org, place, township, weight=self.rng.uniform(0.4, 1.6)))
            township.own = _Committee(township.org, township.places[0], township)
        self.work.changed("org_unit")

    def _mediator(
        self, org: OrgUnit, person: Person, role: MediatorRole, employment: Employment, *, instructor: bool = False
    ) -> _Staff:
        since = date(self.rng.randint(self.year - 9, self.year - 1), self.rng.randint(1, 12), 1)
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
                notes=self.rng.choice(("律师", "律师", "基层法律服务工作者")) if instructor else "",
            )
        )
        mediator = new_mediator(self.session, org, data)
        self.mediators += 1
        return _Staff(mediator.id, mediator.name)

    def roster(self) -> None:
        """3–9 members per committee with at least one woman (Art. 8) and a director; full-time mediators and
        legal instructors at each township, paired with its villages; a year's assessments."""
        assessed = self.year if self.year < self.limit.year else self.year - 1
        pairing_start = date(self.year, 1, 1)
        staff_all: list[_Staff] = []
        pairings: list[MediatorPairing] = []
        for township in self.townships:
            place = township.places[0]
            for _ in range(self.rng.randint(2, 4)):
                person = self.synth.person(place, min_age=28, max_age=58)
                staff = self._mediator(township.org, person, MediatorRole.HIRED, Employment.FULL_TIME)
                township.full_time.append(staff)
            instructors = [
                self._mediator(
                    township.org,
                    self.synth.person(place, min_age=30, max_age=60),
                    MediatorRole.MEMBER,
                    Employment.PART_TIME,
                    instructor=True,
                )
                for _ in range(self.rng.randint(1, 2))
            ]
            assert township.own is not None
            township.own.staff = list(township.full_time)
            staff_all += township.full_time + instructors
            for index, committee in enumerate(township.committees):
                size = self.rng.choices(range(3, 10), (15, 20, 25, 15, 12, 8, 5))[0]
                genders = [Gender.MALE if self.rng.random() < 0.75 else Gender.FEMALE]
                genders += [self.synth.gender() for _ in range(size - 1)]
                if Gender.FEMALE not in genders:
                    genders[-1] = Gender.FEMALE
                for position, gender in enumerate(genders):
                    role = MediatorRole.DIRECTOR if position == 0 else MediatorRole.MEMBER
                    if position == 1 and size >= 5:
                        role = MediatorRole.DEPUTY
                    person = self.synth.person(committee.place, gender=gender, min_age=30, max_age=68)
                    committee.staff.append(self._mediator(committee.org, person, role, Employment.PART_TIME))
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
                self._tick(1)
        self.session.flush()  # mediators before what refers to them
        self.session.add_all(pairings)
        if assessed >= 2000:
            grades = [grade for grade, _ in _GRADES]
            weights = [weight for _, weight in _GRADES]
            for staff in staff_all:
                grade = self.rng.choices(grades, weights)[0]
                self.session.add(MediatorAssessment(id=uuid.uuid4(), mediator_id=staff.id, year=assessed, grade=grade))
        self.session.flush()
        self.work.changed("mediator", "mediator_pairing", "mediator_assessment")

    # -- case plans ---------------------------------------------------------------------------------------------

    def _outcomes(self, cases: int) -> list[OutcomeKind | None]:
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
        self.rng.shuffle(kinds)
        return kinds

    def _intake(self, still_open: bool) -> date:
        if still_open:
            first = max(self.start, self.end - timedelta(days=24))
            return first + timedelta(days=self.rng.randint(0, (self.end - first).days))
        month = self.rng.choices(range(1, 13), _MONTH_WEIGHTS)[0]
        first = date(self.year, month, 1)
        last = date(self.year + 1, 1, 1) if month == 12 else date(self.year, month + 1, 1)
        day = first + timedelta(days=self.rng.randrange((last - first).days))
        if day > self.end:
            day = self.start + timedelta(days=self.rng.randint(0, (self.end - self.start).days))
        return day

    def _duration(self) -> int:
        bucket = self.rng.random()
        if bucket < 0.2:
            return 0
        if bucket < 0.65:
            return self.rng.randint(1, 7)
        if bucket < 0.93:
            return self.rng.randint(8, 25)
        return self.rng.randint(26, 45)

    def plans(self, cases: int) -> list[_CasePlan]:
        committees = [committee for township in self.townships for committee in township.committees]
        own = [township.own for township in self.townships if township.own is not None]
        own_weights = [len(t.committees) + 1.0 for t in self.townships]
        categories = list(_CATEGORY_WEIGHTS)
        category_weights = list(_CATEGORY_WEIGHTS.values())
        plans: list[_CasePlan] = []
        for kind in self._outcomes(cases):
            if committees and self.rng.random() >= 0.06:
                committee = self.rng.choices(committees, [c.weight for c in committees])[0]
            else:
                committee = self.rng.choices(own, own_weights)[0]
            intake = self._intake(kind is None)
            decided = closed = None
            open_status = CaseStatus.MEDIATING
            if kind is None:
                open_status = self.rng.choices(
                    (CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING), (1, 2, 7)
                )[0]
            elif kind is OutcomeKind.REFUSED:
                decided = min(intake + timedelta(days=self.rng.randint(0, 2)), self.limit)
            else:
                decided = min(intake + timedelta(days=self._duration()), self.limit)
            if decided is not None:
                closing = decided + timedelta(days=self.rng.choice((0, 0, 1, 2, 3, 5)))
                closed = closing if closing <= self.limit else None
            source = self.rng.choices(
                (CaseSource.INITIATIVE, CaseSource.APPLICATION, CaseSource.REFERRAL), (45, 45, 10)
            )[0]
            category = self.rng.choices(categories, category_weights)[0]
            plans.append(_CasePlan(committee, kind, open_status, intake, decided, closed, category, source))
        # numbers follow intake order within each committee and year
        plans.sort(key=lambda plan: plan.intake)
        seqs: dict[tuple[uuid.UUID, int], int] = {}
        for plan in plans:
            key = (plan.committee.org.id, plan.intake.year)
            seqs[key] = seqs.get(key, 0) + 1
            prefix = plan.committee.org.case_prefix or "人调"
            plan.number = format_case_number(plan.intake.year, prefix, seqs[key])
        return plans

    # -- one case --------------------------------------------------------------------------------------------------

    def _referral(self, plan: _CasePlan) -> str:
        if plan.source is not CaseSource.REFERRAL:
            return ""
        special = {"13": "缙云县公安局交通警察大队", "10": "缙云县人力资源和社会保障局", "11": "缙云县市场监督管理局"}
        if plan.category in special and self.rng.random() < 0.7:
            return special[plan.category]
        township = plan.committee.township
        bodies = (f"缙云县公安局{township.short}派出所", COURT, "缙云县信访局", f"{township.org.name}社会治理中心")
        return self.rng.choices(bodies, (50, 25, 15, 10))[0]

    def _parties(
        self, plan: _CasePlan, place: Place, template: DisputeTemplate, group: bool
    ) -> tuple[list[PartyInput], str, str, int]:
        synth, rng = self.synth, self.rng
        parties: list[PartyInput] = []
        old = template.subtype == "0102"
        first = synth.person(place, min_age=66 if old else 22, max_age=88 if old else 78)
        parties.append(_person_party(first, PartyRole.APPLICANT, rng))
        applicant, respondent = first.name, ""
        if template.organisation and rng.random() < 0.75:
            org = synth.organisation(plan.category, place)
            parties.append(
                PartyInput(
                    name=org.name,
                    role=PartyRole.RESPONDENT,
                    kind=PartyKind.ORGANISATION,
                    phone=org.phone,
                    address=org.address,
                    representative=org.representative,
                )
            )
            respondent = org.name
        else:
            if template.kin:
                other = synth.person(
                    place, surname=surname_of(first.name), ethnicity=first.ethnicity, min_age=30, max_age=70
                )
            elif template.subtype == "0101":
                spouse = Gender.FEMALE if first.gender is Gender.MALE else Gender.MALE
                other = synth.person(place, gender=spouse, ethnicity=first.ethnicity, min_age=22, max_age=75)
            else:
                other = synth.person(place, min_age=20, max_age=80)
            parties.append(_person_party(other, PartyRole.RESPONDENT, rng))
            respondent = other.name
        extra = rng.random()
        if group:
            for _ in range(rng.randint(1, 2)):
                parties.insert(1, _person_party(synth.person(place), PartyRole.APPLICANT, rng))
        elif extra < 0.12:
            parties.insert(1, _person_party(synth.person(place), PartyRole.APPLICANT, rng))
        elif extra < 0.2:
            parties.append(_person_party(synth.person(place), PartyRole.RESPONDENT, rng))
        elif extra < 0.24:
            parties.append(_person_party(synth.person(place), PartyRole.THIRD_PARTY, rng))
        persons = rng.randint(5, 60) if group else 0
        return parties, applicant, respondent, persons

    def case(self, plan: _CasePlan) -> None:
        """One case from intake to filing, with the records its outcome implies."""
        synth, rng = self.synth, self.rng
        committee = plan.committee
        township_case = committee.org.level is not OrgLevel.VILLAGE
        place = rng.choice(committee.township.places) if township_case else committee.place
        template = synth.template_for(plan.category)
        group = plan.category in _GROUP_CATEGORIES and rng.random() < 0.12
        parties, applicant, respondent, persons = self._parties(plan, place, template, group)
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
        flags: list[RiskFlag] = []
        if rng.random() < 0.01:
            flags.append(
                rng.choice((RiskFlag.PETITION, RiskFlag.MASS_FIGHT) if group else (RiskFlag.CRIMINAL, RiskFlag.SUICIDE))
            )
        staff = committee.staff or committee.township.full_time
        presiding = rng.choice(staff)
        others = [member for member in staff if member.id != presiding.id]
        assisting = [rng.choice(others)] if others and rng.random() < 0.6 else []
        if not township_case and committee.township.full_time and rng.random() < 0.08:
            assisting.append(rng.choice(committee.township.full_time))  # the paired full-time mediator helps
        recorder = (assisting[0] if assisting else rng.choice(others) if others else presiding).name
        data = clean_case(
            CaseInput(
                intake_date=plan.intake,
                source=plan.source,
                category=text.subtype or plan.category,
                parties=parties,
                facts=text.facts,
                requests=text.requests,
                title=text.title,
                place=place.village,
                referral_body=self._referral(plan),
                amount_fen=agreed if successful else claimed,
                persons=persons,
                group_dispute=group,
                risk_flags=flags,
                recorder=recorder,
                number=plan.number,
                accept=not (plan.kind is OutcomeKind.REFUSED or plan.open_status is CaseStatus.REGISTERED),
            )
        )
        values, party_rows = case_values(self.session, committee.org, data, number_checked=True)  # plans() numbered
        case = DisputeCase(**values)
        self.writer.add_object(case)
        for party in party_rows:
            self.writer.add(Party, party)
        context = _CaseContext(
            plan=plan,
            case=case,
            data=data,
            text=text,
            place=place,
            office=f"{committee.org.name}司法所" if township_case else committee.org.name,
            applicant=applicant,
            respondent=respondent,
            mediators=[presiding, *assisting],
            recorder=recorder,
            deadline=deadline,
        )
        if plan.kind is OutcomeKind.REFUSED:
            self._refuse(context)
        elif plan.kind is not None or plan.open_status is CaseStatus.MEDIATING:
            self._mediate(context)
        # else: registered or accepted, waiting for mediators to be designated

    def _refuse(self, context: _CaseContext) -> None:
        case, plan = context.case, context.plan
        assert plan.decided is not None
        reason = self.rng.choice(_REFUSAL_REASONS)
        status = transition(case.status, CaseAction.REFUSE)
        case.refusal_reason = reason
        self.later[0].append(
            Outcome(id=uuid.uuid4(), case_id=case.id, kind=OutcomeKind.REFUSED, decided_on=plan.decided, reason=reason)
        )
        if plan.closed is not None:
            status = transition(status, CaseAction.CLOSE)
            case.closing_date = plan.closed
        case.status = status

    def _mediate(self, context: _CaseContext) -> None:
        """Mediators designated (mediation starts), investigation and session records, the outcome, filing."""
        rng, synth = self.rng, self.synth
        case, plan = context.case, context.plan
        status = transition(case.status, CaseAction.START)
        chosen = rng.random() < 0.05
        for index, member in enumerate(context.mediators):
            self.later[0].append(
                CaseMediator(
                    id=uuid.uuid4(),
                    case_id=case.id,
                    mediator_id=member.id,
                    role=CaseMediatorRole.PRESIDING if index == 0 else CaseMediatorRole.ASSISTING,
                    assigned_on=plan.intake,
                    chosen_by_parties=chosen,
                )
            )
        last = plan.decided or min(plan.intake + timedelta(days=rng.randint(0, 10)), self.limit)
        span = (last - plan.intake).days
        if rng.random() < 0.25:
            self.later[0].append(
                InvestigationRecord(
                    id=uuid.uuid4(),
                    case_id=case.id,
                    held_at=_at(plan.intake + timedelta(days=rng.randint(0, min(span, 2))), rng),
                    place=rng.choice((f"{context.place.village}纠纷现场", f"{context.office}调解室")),
                    investigator=context.mediators[0].name,
                    interviewee=rng.choice((context.respondent, synth.name())),
                    recorder=context.recorder,
                    body=context.text.investigation,
                )
            )
        if plan.kind is None:  # still being mediated: perhaps one session so far
            days = [plan.intake + timedelta(days=rng.randint(0, span))] if rng.random() < 0.5 else []
        else:
            count = 1 if span == 0 else rng.choices((1, 2, 3), (60, 30, 10))[0]
            earlier = sorted(rng.sample(range(span), min(count - 1, span))) if count > 1 else []
            days = [plan.intake + timedelta(days=day) for day in earlier] + [last]
        for index, day in enumerate(days):
            self.later[0].append(self._session(context, day, final=plan.kind is not None and index == len(days) - 1))
        if plan.kind is None:
            case.status = status
            return
        status = transition(status, _CONCLUDE[plan.kind])
        reason = ""
        if plan.kind is OutcomeKind.FAILED:
            reason = _FAILURE_REASON
        elif plan.kind is OutcomeKind.TERMINATED:
            reason = rng.choice(_TERMINATION_REASONS)
        outcome = Outcome(id=uuid.uuid4(), case_id=case.id, kind=plan.kind, decided_on=last, reason=reason)
        self.later[0].append(outcome)
        if plan.kind.successful:
            self._agreement(context, outcome)
        if plan.closed is not None:
            status = transition(status, CaseAction.CLOSE)
            case.closing_date = plan.closed
        case.status = status

    def _session(self, context: _CaseContext, day: date, *, final: bool) -> SessionRecord:
        kind = context.plan.kind
        successful = kind is not None and kind.successful
        result = "约定择日再次调解"
        if final:
            result = "达成调解协议" if successful else "调解不成"
            if kind is OutcomeKind.TERMINATED:
                result = "当事人要求终止调解"
        names = "、".join(member.name for member in context.mediators)
        return SessionRecord(
            id=uuid.uuid4(),
            case_id=context.case.id,
            held_at=_at(day, self.rng),
            place=f"{context.office}调解室",
            matter=context.text.title,
            participants=f"当事人：{context.applicant}、{context.respondent}；调解员：{names}",
            body=self.synth.session_body(
                context.applicant,
                context.respondent,
                context.plan.category,
                final=final,
                success=successful,
                terminated=kind is OutcomeKind.TERMINATED,
            ),
            result=result,
            recorder=context.recorder,
        )

    def _agreement(self, context: _CaseContext, outcome: Outcome) -> None:
        """The signed agreement (or the oral agreement register), the follow-up visit, a judicial confirmation."""
        rng = self.rng
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
        self.later[0].append(agreement)
        if rng.random() < 0.88:
            visit = decided + timedelta(days=rng.randint(5, 20))
            if money:
                visit = max(visit, context.deadline + timedelta(days=rng.randint(1, 10)))
            if visit <= self.limit:
                outcome.performance = self._follow_up(context, agreement.id, visit, oral=oral)
        if not oral and money and rng.random() < 0.03:
            applied = decided + timedelta(days=rng.randint(1, 20))
            if applied <= self.limit:
                self._confirmation(context, agreement.id, applied)

    def _follow_up(self, context: _CaseContext, agreement_id: uuid.UUID, visit: date, *, oral: bool) -> Performance:
        rng = self.rng
        draw = rng.random()
        performance = Performance.PERFORMED
        if not oral and draw > 0.94:
            performance = Performance.PARTLY if draw < 0.99 else Performance.NOT_PERFORMED
        performed = performance is Performance.PERFORMED
        self.later[1].append(
            FollowUp(
                id=uuid.uuid4(),
                case_id=context.case.id,
                agreement_id=agreement_id,
                visited_on=visit,
                visited_party=context.applicant,
                performance=performance,
                satisfaction=rng.choices(_SATISFACTION_LEVELS, _SATISFACTION_WEIGHTS)[0],
                lawsuit=performance is Performance.NOT_PERFORMED and rng.random() < 0.3,
                risks="" if performed else "义务人履行不积极，存在矛盾反复的可能",
                measures="" if performed else "继续跟踪督促履行，必要时引导申请司法确认",
                visitor=context.mediators[0].name,
            )
        )
        return performance

    def _confirmation(self, context: _CaseContext, agreement_id: uuid.UUID, applied: date) -> None:
        """司法确认 applied for within 30 days of the agreement; the court rules within a week."""
        ruled = applied + timedelta(days=self.rng.randint(1, 7))
        number = ""
        granted: bool | None = None
        if ruled <= self.limit:
            self.ruling_seq[ruled.year] = self.ruling_seq.get(ruled.year, 100) + 1
            number = f"({ruled.year}){COURT_CODE}民特{self.ruling_seq[ruled.year]}号"
            granted = self.rng.random() < 0.97
        self.later[1].append(
            JudicialConfirmation(
                id=uuid.uuid4(),
                case_id=context.case.id,
                agreement_id=agreement_id,
                applied_on=applied,
                court=COURT,
                ruled_on=ruled if number else None,
                granted=granted,
                ruling_number=number,
            )
        )

    # -- screening ---------------------------------------------------------------------------------------------------

    def screening(self, plans: list[_CasePlan]) -> None:
        """Screening rounds per township per quarter; disputes found = cases taken up on own initiative."""
        found: dict[tuple[uuid.UUID, int], int] = {}
        for plan in plans:
            if plan.source is CaseSource.INITIATIVE and plan.intake.year == self.year:
                key = (plan.committee.township.org.id, (plan.intake.month - 1) // 3)
                found[key] = found.get(key, 0) + 1
        for township in self.townships:
            for quarter in range(4):
                first = date(self.year, quarter * 3 + 1, 1)
                if first > self.end:
                    break
                last = date(self.year + 1, 1, 1) if quarter == 3 else date(self.year, quarter * 3 + 4, 1)
                last = min(last - timedelta(days=1), self.end)
                disputes = found.get((township.org.id, quarter), 0)
                escalations = self.rng.randint(0, 2)
                self.session.add(
                    ScreeningRound(
                        id=uuid.uuid4(),
                        org_id=township.org.id,
                        period_start=first,
                        period_end=last,
                        rounds=self.rng.randint(2, 3),
                        disputes_found=disputes,
                        disputes_prevented=self.rng.randint(0, disputes // 3 + 1),
                        escalations_prevented=escalations,
                        escalation_persons=sum(self.rng.randint(3, 15) for _ in range(escalations)),
                    )
                )
        self.work.changed("screening_round")

    # -- the whole county ----------------------------------------------------------------------------------------

    def build(self, villages: int, cases: int) -> DemoSummary:
        self.total_steps = villages + cases + 1
        set_setting(self.session, SYNTHETIC_SETTING, "1")
        self.work.changed("setting")
        self.organisations(villages)
        self._tick(1)
        self.roster()
        plans = self.plans(cases)
        self.screening(plans)
        self.session.flush()
        pending = 0
        for plan in plans:
            self.case(plan)
            pending += 1
            if pending == FLUSH_EVERY:
                self._flush()
                self._tick(pending)
                pending = 0
        self._flush()
        self._tick(pending)
        self.work.changed(
            "dispute_case",
            "party",
            "case_mediator",
            "investigation_record",
            "session_record",
            "outcome",
            "agreement",
            "follow_up",
            "judicial_confirmation",
        )
        orgs = 1 + len(self.townships) + villages
        return DemoSummary(orgs=orgs, villages=villages, mediators=self.mediators, cases=len(plans), year=self.year)

    def _flush(self) -> None:
        """Cases and everything below them go in through the bulk writer (foreign-key order, audited)."""
        for phase in self.later:
            for obj in phase:
                self.writer.add_object(obj)
            phase.clear()
        self.writer.flush()


def _person_party(person: Person, role: PartyRole, rng: random.Random) -> PartyInput:
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


def _remove_database(root: Path) -> None:
    """Undo a failed demo: remove the database this call created (and its WAL files), nothing else."""
    database = DataDir(root).database
    for path in (database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
        path.unlink(missing_ok=True)


def create_demo(
    root: Path,
    *,
    villages: int = DEFAULT_VILLAGES,
    cases: int = DEFAULT_CASES,
    year: int | None = None,
    seed: int = 2021,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Create a desk in ``root`` for the county 缙云县 filled with synthetic data (administrator ``demo``, password
    ``demo-password``) and return what it holds. Refuses (``DomainError``) a folder that already holds a desk.

    ``progress(done, total)`` is called now and then; an exception raised from it (a cancel button) stops the
    work, and, as with any failure, the database this call created is removed again. The same seed and year
    give the same people, places, cases and numbers (only record ids and timestamps differ).
    """
    today = date.today()
    year = today.year - 1 if year is None else year
    if not 2011 <= year <= today.year:
        raise DomainError(f"演示数据的年份应在 2011 年（《人民调解法》施行）至 {today.year} 年之间")
    limit = today - timedelta(days=1)
    if date(year, 1, 1) > limit:
        raise DomainError(f"{year} 年还没有过去的日子可以生成案件，请选择更早的年份")
    if villages < 0 or cases < 0:
        raise DomainError("村（社区）数和案件数不能为负数")
    if villages > MAX_VILLAGES:
        raise DomainError(f"村（社区）数过多：演示数据最多 {MAX_VILLAGES} 个")
    if DataDir(root).exists():
        raise DomainError(f"数据文件夹 {root} 中已经有工作台数据库；演示数据只能建在新的（空的）文件夹中")
    actor = Actor(DEMO_ADMIN, UserRole.ADMIN)
    setup = SetupInput(COUNTY_CODE, COUNTY_NAME, OrgLevel.COUNTY, None, DEMO_ADMIN, DEMO_PASSWORD)
    try:
        desk = initialise(root, setup, actor)
    except BaseException:
        _remove_database(root)
        raise
    try:
        reference = min(date(year, 12, 31), limit)  # ages are computed at the end of the year: same seed, same people
        synth = Synth(random.Random(seed), today=reference)
        with desk.write("demo.create", Permission.MANAGE_ORGS) as work:
            summary = _Builder(work, synth, year, limit, progress).build(villages, cases)
    except BaseException:
        desk.close()
        _remove_database(root)
        raise
    desk.close()
    return summary


def _unique_prefix(head: str, stem: str, used: set[str]) -> str:
    """A case-number prefix unique in the county, as committees choose them: 缙 + township (+ village) + 人调."""
    for length in range(1, len(stem) + 1):
        prefix = f"{head}{stem[:length]}人调"
        if prefix not in used:
            used.add(prefix)
            return prefix
    serial = 2
    while f"{head}{stem}{serial}人调" in used:
        serial += 1
    used.add(f"{head}{stem}{serial}人调")
    return f"{head}{stem}{serial}人调"
