"""The word lists and text templates the synthetic county draws from, read once from ``resources/data/demo/``.

- ``people.json``: surnames (weighted), given-name characters, occupations (weighted), mobile prefixes;
- ``places.json``: the parts of generated village, community, road and company names;
- ``disputes.json``: per reporting category the dispute templates, the range of claimed amounts and the point
  in dispute; things bought; investigation notes;
- ``records.json``: the texts of session records, refusal, failure and termination reasons, follow-up visits,
  mediators' assessments;
- ``county.json``: the shape of the county's year: township sizes, categories, months, referring bodies, the court.

Weighted lists are ``[value, weight]`` pairs; their order matters (the same seed draws the same values only
from the same lists). Placeholders in templates are ``str.format`` fields.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from mediation_desk.resources import resource_path

Weighted = tuple[tuple[str, int], ...]


@cache
def _load(name: str) -> Any:
    with resource_path("data", "demo", name).open(encoding="utf-8") as file:
        return json.load(file)


def _weighted(pairs: list[list[Any]]) -> Weighted:
    return tuple((str(value), int(weight)) for value, weight in pairs)


def _strings(values: list[Any]) -> tuple[str, ...]:
    return tuple(str(value) for value in values)


@dataclass(frozen=True, slots=True)
class PeopleWords:
    surnames: Weighted  # common surnames; the first group is frequent in Jinyun
    she_surnames: Weighted
    male_characters: str
    female_characters: str
    neutral_characters: str
    adult_occupations: Weighted
    old_occupations: Weighted  # from 62
    mobile_prefixes: tuple[str, ...]
    compound_surnames: frozenset[str]


@dataclass(frozen=True, slots=True)
class NameParts:
    """A generated place name: a first and a second character, then the suffix."""

    first: str
    second: str
    suffix: str


@dataclass(frozen=True, slots=True)
class PlaceWords:
    village: NameParts
    community: NameParts
    road_characters: str  # read in pairs: 前进, 解放, 人民 …
    road_suffixes: tuple[str, ...]
    company_characters: str
    company_kinds: dict[str, tuple[str, ...]]  # per category
    default_company_kind: str


@dataclass(frozen=True, slots=True)
class DisputeTemplate:
    """One way a dispute of a category is described; the demo picks one before it chooses the parties.

    Placeholders: {a} applicant, {b} respondent, {amount} the claimed amount, {agreed} the agreed amount,
    {village}, {township}, {year}, {deadline}, {thing}, {n} persons.
    """

    subtype: str | None
    facts: str
    requests: str
    terms: tuple[str, ...]
    money: bool  # whether the amount is the subject (written into requests and terms)
    organisation: bool = False  # whether the respondent is usually an organisation
    kin: bool = False  # whether the parties are relatives (same surname)


@dataclass(frozen=True, slots=True)
class DisputeWords:
    templates: dict[str, tuple[DisputeTemplate, ...]]  # one to three per reporting category
    amounts_yuan: dict[str, tuple[int, int]]  # claimed amount, log-uniform within the range
    focus: dict[str, str]  # the point in dispute
    things: tuple[str, ...]
    investigation: tuple[str, ...]  # placeholders as the templates', plus {focus}


@dataclass(frozen=True, slots=True)
class SessionWords:
    """A session record's body (opening, statements, the mediator's work, an ending) and its result."""

    opening: str
    statements: str  # {applicant}, {respondent}, {focus}
    work: tuple[str, ...]
    endings: dict[str, str]  # adjourned, terminated, agreed, failed
    results: dict[str, str]  # the same keys


@dataclass(frozen=True, slots=True)
class RecordWords:
    sessions: SessionWords
    refusal_reasons: tuple[str, ...]
    failure_reason: str
    termination_reasons: tuple[str, ...]
    satisfaction: Weighted
    follow_up_risks: str  # for an agreement not (fully) performed
    follow_up_measures: str
    assessment_grades: Weighted
    instructor_notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CountyProfile:
    court: str
    court_code: str  # in ruling numbers: (2021)浙1122民特101号
    township_weights: dict[str, int]  # relative sizes (synthetic: only the proportions matter)
    default_township_weight: int
    category_weights: dict[str, int]  # in the order categories are drawn
    group_categories: frozenset[str]  # where group disputes happen
    month_weights: tuple[int, ...]
    referral_by_category: dict[str, str]  # the usual referring body of a category
    referral_bodies: Weighted  # otherwise; {short} township short name, {township}, {court}


@cache
def people_words() -> PeopleWords:
    data = _load("people.json")
    surnames = _weighted(data["surnames"])
    characters = data["given_name_characters"]
    return PeopleWords(
        surnames=surnames,
        she_surnames=_weighted(data["she_surnames"]),
        male_characters=str(characters["male"]),
        female_characters=str(characters["female"]),
        neutral_characters=str(characters["neutral"]),
        adult_occupations=_weighted(data["occupations"]["adult"]),
        old_occupations=_weighted(data["occupations"]["old"]),
        mobile_prefixes=_strings(data["mobile_prefixes"]),
        compound_surnames=frozenset(name for name, _ in surnames if len(name) > 1),
    )


def _name_parts(data: dict[str, Any]) -> NameParts:
    return NameParts(str(data["first"]), str(data["second"]), str(data["suffix"]))


@cache
def place_words() -> PlaceWords:
    data = _load("places.json")
    company = data["company"]
    return PlaceWords(
        village=_name_parts(data["village"]),
        community=_name_parts(data["community"]),
        road_characters=str(data["road"]["characters"]),
        road_suffixes=_strings(data["road"]["suffixes"]),
        company_characters=str(company["characters"]),
        company_kinds={str(code): _strings(kinds) for code, kinds in company["kinds"].items()},
        default_company_kind=str(company["default_kind"]),
    )


def _template(data: dict[str, Any]) -> DisputeTemplate:
    subtype = data.get("subtype")
    return DisputeTemplate(
        subtype=None if subtype is None else str(subtype),
        facts=str(data["facts"]),
        requests=str(data["requests"]),
        terms=_strings(data["terms"]),
        money=bool(data["money"]),
        organisation=bool(data.get("organisation", False)),
        kin=bool(data.get("kin", False)),
    )


@cache
def dispute_words() -> DisputeWords:
    data = _load("disputes.json")
    return DisputeWords(
        templates={str(code): tuple(_template(item) for item in items) for code, items in data["templates"].items()},
        amounts_yuan={str(code): (int(low), int(high)) for code, (low, high) in data["amounts_yuan"].items()},
        focus={str(code): str(text) for code, text in data["focus"].items()},
        things=_strings(data["things"]),
        investigation=_strings(data["investigation"]),
    )


@cache
def record_words() -> RecordWords:
    data = _load("records.json")
    sessions = data["sessions"]
    follow_up = data["follow_up"]
    return RecordWords(
        sessions=SessionWords(
            opening=str(sessions["opening"]),
            statements=str(sessions["statements"]),
            work=_strings(sessions["work"]),
            endings={str(key): str(text) for key, text in sessions["endings"].items()},
            results={str(key): str(text) for key, text in sessions["results"].items()},
        ),
        refusal_reasons=_strings(data["refusal_reasons"]),
        failure_reason=str(data["failure_reason"]),
        termination_reasons=_strings(data["termination_reasons"]),
        satisfaction=_weighted(follow_up["satisfaction"]),
        follow_up_risks=str(follow_up["risks"]),
        follow_up_measures=str(follow_up["measures"]),
        assessment_grades=_weighted(data["assessment_grades"]),
        instructor_notes=_strings(data["instructor_notes"]),
    )


@cache
def county_profile() -> CountyProfile:
    data = _load("county.json")
    referral = data["referral"]
    return CountyProfile(
        court=str(data["court"]["name"]),
        court_code=str(data["court"]["code"]),
        township_weights={str(code): int(weight) for code, weight in data["township_weights"].items()},
        default_township_weight=int(data["default_township_weight"]),
        category_weights={str(code): int(weight) for code, weight in data["category_weights"].items()},
        group_categories=frozenset(_strings(data["group_categories"])),
        month_weights=tuple(int(weight) for weight in data["month_weights"]),
        referral_by_category={str(code): str(body) for code, body in referral["by_category"].items()},
        referral_bodies=_weighted(referral["bodies"]),
    )
