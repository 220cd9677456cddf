"""Synthetic people: names, genders, ethnicity, birth dates, resident ID numbers, phones, addresses, occupations.

Names are drawn from common surnames and given-name characters; resident ID numbers are valid GB 11643 numbers
(address codes 331122 and, for people born before 2000, sometimes the retired 332526; sequence odd for men and
even for women; check character computed); mobile numbers are random digits behind common mobile prefixes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import accumulate

from mediation_desk.demo.places import AREA_CODE, COUNTY_CODE, COUNTY_NAME, RETIRED_COUNTY_CODE, Place, road
from mediation_desk.demo.templates import Weighted, people_words
from mediation_desk.domain.codes import Gender
from mediation_desk.domain.identity import check_character

HAN = "汉族"
SHE = "畲族"


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    gender: Gender
    ethnicity: str
    birth_date: date
    id_number: str
    phone: str
    address: str
    occupation: str


@cache
def _cumulative(table: Weighted) -> tuple[list[str], list[int]]:
    return [value for value, _ in table], list(accumulate(weight for _, weight in table))


def weighted_choice(rng: random.Random, table: Weighted) -> str:
    """One value of a weighted list."""
    values, cumulative = _cumulative(table)
    return rng.choices(values, cum_weights=cumulative)[0]


def surname_of(name: str) -> str:
    """The surname of a generated name (the compound surnames of the list are two characters)."""
    return name[:2] if name[:2] in people_words().compound_surnames else name[:1]


class PeopleSynth:
    """Seeded synthetic people: the same seed gives the same people in the same order."""

    def __init__(self, seed: int | random.Random, *, today: date | None = None) -> None:
        self.rng = seed if isinstance(seed, random.Random) else random.Random(seed)
        self.today = today or date.today()

    def gender(self) -> Gender:
        return Gender.MALE if self.rng.random() < 0.5 else Gender.FEMALE

    def ethnicity(self) -> str:
        """Mostly 汉族; Jinyun has a She minority (about 2–3 %)."""
        return SHE if self.rng.random() < 0.025 else HAN

    def surname(self, ethnicity: str = HAN) -> str:
        words = people_words()
        return weighted_choice(self.rng, words.she_surnames if ethnicity == SHE else words.surnames)

    def given_name(self, gender: Gender) -> str:
        words = people_words()
        own = words.male_characters if gender is Gender.MALE else words.female_characters
        pool = own + words.neutral_characters
        if self.rng.random() < 0.25:
            return self.rng.choice(own)
        first = self.rng.choice(pool)
        second = self.rng.choice(own)
        while second == first and self.rng.random() < 0.8:
            second = self.rng.choice(own)
        return first + second

    def name(self, gender: Gender | None = None, ethnicity: str = HAN) -> str:
        return self.surname(ethnicity) + self.given_name(gender or self.gender())

    def birth_date(self, *, min_age: int = 18, max_age: int = 80) -> date:
        """A birth date giving an age between ``min_age`` and ``max_age`` today."""
        youngest = self.today - timedelta(days=round(min_age * 365.25) + 1)
        oldest = self.today - timedelta(days=round((max_age + 1) * 365.25) - 1)
        return date.fromordinal(self.rng.randint(oldest.toordinal(), youngest.toordinal()))

    def resident_id(self, birth: date, gender: Gender) -> str:
        """A valid GB 11643 number: 331122 (or, born before 2000, sometimes 332526), sequence by gender."""
        code = RETIRED_COUNTY_CODE if birth.year < 2000 and self.rng.random() < 0.5 else COUNTY_CODE
        half = self.rng.randint(0, 498)
        sequence = 2 * half + 1 if gender is Gender.MALE else 2 * half + 2
        first17 = f"{code}{birth:%Y%m%d}{sequence:03d}"
        return first17 + check_character(first17)

    def phone(self) -> str:
        """An 11-digit mobile number behind a common prefix (random digits: not anybody's number on purpose)."""
        return self.rng.choice(people_words().mobile_prefixes) + f"{self.rng.randrange(10**8):08d}"

    def landline(self) -> str:
        return f"{AREA_CODE}-3{self.rng.randrange(10**6):06d}"

    def occupation(self, birth: date) -> str:
        age = self.today.year - birth.year
        if age < 22 and self.rng.random() < 0.6:
            return "学生"
        words = people_words()
        return weighted_choice(self.rng, words.old_occupations if age >= 62 else words.adult_occupations)

    def address(self, place: Place) -> str:
        """缙云县五云街道上坑村12号, or for a community 缙云县五云街道新苑社区人民路8号."""
        number = self.rng.randint(1, 199)
        if place.is_community:
            return f"{COUNTY_NAME}{place.township}{place.village}{road(self.rng)}{number}号"
        return f"{COUNTY_NAME}{place.township}{place.village}{number}号"

    def person(
        self,
        place: Place,
        *,
        gender: Gender | None = None,
        ethnicity: str | None = None,
        surname: str | None = None,
        min_age: int = 18,
        max_age: int = 80,
    ) -> Person:
        """A person living at ``place``; ``surname`` makes a relative of someone already generated."""
        gender = gender or self.gender()
        ethnicity = ethnicity or self.ethnicity()
        birth = self.birth_date(min_age=min_age, max_age=max_age)
        name = (surname + self.given_name(gender)) if surname else self.name(gender, ethnicity)
        return Person(
            name=name,
            gender=gender,
            ethnicity=ethnicity,
            birth_date=birth,
            id_number=self.resident_id(birth, gender),
            phone=self.phone(),
            address=self.address(place),
            occupation=self.occupation(birth),
        )
