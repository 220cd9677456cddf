"""Synthetic people, places and dispute texts: valid by the domain's own rules, and deterministic per seed."""

from __future__ import annotations

import re
from datetime import date

import pytest

from mediation_desk.demo import HAN, SHE, Place, Synth, surname_of
from mediation_desk.domain.codes import Gender, categories
from mediation_desk.domain.identity import normalise_phone, parse_resident_id

TODAY = date(2025, 12, 31)
PLACE = Place("五云街道", "上坑村")
COMMUNITY = Place("五云街道", "新苑社区")


def _people(seed: int, count: int) -> list[object]:
    synth = Synth(seed, today=TODAY)
    return [synth.person(PLACE if index % 3 else COMMUNITY) for index in range(count)]


def test_resident_ids_are_valid_and_match_the_person() -> None:
    synth = Synth(1, today=TODAY)
    codes: set[str] = set()
    for _ in range(2000):
        person = synth.person(PLACE, min_age=0, max_age=95)
        parsed = parse_resident_id(person.id_number, today=TODAY)
        assert parsed.number == person.id_number
        assert parsed.birth_date == person.birth_date
        assert parsed.gender is person.gender
        assert parsed.address_code in ("331122", "332526")
        if parsed.address_code == "332526":
            assert person.birth_date.year < 2000  # the retired code only for people registered before 2000
        codes.add(parsed.address_code)
    assert codes == {"331122", "332526"}


def test_sequence_parity_follows_gender() -> None:
    synth = Synth(2, today=TODAY)
    for gender in (Gender.MALE, Gender.FEMALE) * 200:
        number = synth.resident_id(date(1980, 5, 17), gender)
        assert int(number[16]) % 2 == (1 if gender is Gender.MALE else 0)
        assert number[14:17] != "000"


def test_phones_pass_the_domain_rule() -> None:
    synth = Synth(3, today=TODAY)
    for _ in range(1000):
        phone = synth.phone()
        assert normalise_phone(phone) == phone
        assert len(phone) == 11
        landline = synth.landline()
        assert normalise_phone(landline) == landline
        assert landline.startswith("0578-")


def test_people_look_like_a_county() -> None:
    synth = Synth(4, today=TODAY)
    people = [synth.person(PLACE) for _ in range(3000)]
    genders = {person.gender for person in people}
    assert genders == {Gender.MALE, Gender.FEMALE}
    she = sum(person.ethnicity == SHE for person in people)
    assert 0 < she < len(people) * 0.06
    assert all(person.ethnicity in (HAN, SHE) for person in people)
    for person in people:
        given = person.name[len(surname_of(person.name)) :]
        assert 1 <= len(given) <= 2
        assert person.address.startswith("缙云县五云街道上坑村")
        assert re.search(r"\d+号$", person.address)
        age = TODAY.year - person.birth_date.year
        assert 17 <= age <= 81
        assert person.occupation
    assert {len(person.name) for person in people} >= {2, 3}
    assert synth.person(COMMUNITY).address.startswith("缙云县五云街道新苑社区")


def test_relatives_share_the_surname() -> None:
    synth = Synth(5, today=TODAY)
    for _ in range(100):
        parent = synth.person(PLACE)
        child = synth.person(PLACE, surname=surname_of(parent.name))
        assert surname_of(child.name) == surname_of(parent.name)


def test_same_seed_same_output_different_seed_different_output() -> None:
    assert _people(42, 50) == _people(42, 50)
    assert _people(42, 50) != _people(43, 50)
    first, second = Synth(9, today=TODAY), Synth(9, today=TODAY)
    assert first.place_names(30, 5) == second.place_names(30, 5)


def test_place_names_are_unique_with_suffixes() -> None:
    names = Synth(6).place_names(60, 15)
    assert len(set(names)) == 75
    assert all(name.endswith("社区") for name in names[:15])
    assert all(name.endswith("村") and len(name) == 3 for name in names[15:])


@pytest.mark.parametrize("category", [category.code for category in categories()])
def test_dispute_texts_for_every_category(category: str) -> None:
    synth = Synth(int(category), today=TODAY)
    for _ in range(10):
        claimed = synth.amount_fen(category)
        assert claimed > 0
        assert claimed % 1000 == 0  # whole tens of yuan
        agreed = synth.agreed_fen(claimed)
        assert 0 < agreed <= claimed + 1000
        text = synth.dispute(
            category, "张三", "李四", PLACE, claimed_fen=claimed, agreed_fen=agreed, deadline=date(2025, 3, 1)
        )
        assert text.category == category
        assert text.subtype is None or text.subtype.startswith(category)
        for part in (text.title, text.facts, text.requests, text.investigation, *text.terms):
            assert part
            assert "{" not in part
            assert "}" not in part
        assert "张三" in text.facts or "李四" in text.facts
        assert text.terms
        body = synth.session_body("张三", "李四", category, final=True, success=True)
        assert "张三" in body
        assert "李四" in body
