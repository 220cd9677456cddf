"""Properties of the text cleaner, of terminal escaping, and of a case's input checks over any text."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from hypothesis import given
from hypothesis import strategies as st

from mediation_desk.commands.output import json_text, table
from mediation_desk.domain.codes import CaseSource, IdType, PartyRole, all_categories
from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.intake import CaseInput, PartyInput, clean_case
from mediation_desk.domain.text import BIDI_CONTROLS, clean_block, clean_line, first_refused, visible

T = TypeVar("T")
TODAY = date(2026, 11, 28)
REFUSED = {chr(code) for code in [*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]} | set(BIDI_CONTROLS)
NASTY = [*sorted(REFUSED), "\t", "\n", "\r", "\ud800", "\udfff", "\u0301", "\u3000", " ", "\uf900", "e", "张", "字"]
# Every code point, surrogates included, with the characters the cleaner cares about drawn often.
CHARS = st.one_of(st.characters(exclude_categories=()), st.sampled_from(NASTY))
TEXT = st.text(CHARS, max_size=30)


def attempt(check: Callable[[], T]) -> T | ValidationError:
    """``check``'s value or its ``ValidationError``; any other exception propagates and fails the property."""
    try:
        return check()
    except ValidationError as error:
        return error


def _acting(char: str) -> bool:
    """A character that must never reach a terminal or a stored field as it is."""
    return char in REFUSED or "\ud800" <= char <= "\udfff"


@given(TEXT, st.booleans())
def test_cleaning_is_idempotent_and_leaves_nothing_refused(text: str, multiline: bool) -> None:
    clean = clean_block if multiline else clean_line
    cleaned = attempt(lambda: clean(text, label="姓名", field="name"))
    if isinstance(cleaned, ValidationError):
        assert cleaned.field == "name"
        assert cleaned.message.startswith("姓名")
        assert "U+" in cleaned.message
        return
    assert clean(cleaned, label="姓名", field="name") == cleaned
    assert first_refused(cleaned, multiline=multiline) is None
    assert not any(_acting(char) for char in cleaned)
    assert "\r" not in cleaned
    assert unicodedata.is_normalized("NFC", cleaned)
    if not multiline:
        assert cleaned == cleaned.strip()


@given(TEXT)
def test_a_text_is_refused_exactly_when_it_holds_a_refused_character(text: str) -> None:
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    refused = any(_acting(char) for char in lines)
    assert isinstance(attempt(lambda: clean_block(text, label="事实", field="facts")), ValidationError) == refused
    inside = unicodedata.normalize("NFC", lines).strip() if not refused else ""
    line_refused = refused or "\n" in inside or "\t" in inside
    assert isinstance(attempt(lambda: clean_line(text, label="姓名", field="name")), ValidationError) == line_refused


@given(st.text(st.characters(exclude_categories=("Cc", "Cs", "Cf")), max_size=30))
def test_text_without_controls_is_only_normalised(text: str) -> None:
    assert clean_block(text, label="事实", field="facts") == unicodedata.normalize("NFC", text)
    assert clean_line(text, label="姓名", field="name") == unicodedata.normalize("NFC", text).strip()


@given(TEXT, st.booleans())
def test_visible_output_holds_nothing_that_acts_on_a_terminal(text: str, line_breaks: bool) -> None:
    shown = visible(text, line_breaks=line_breaks)
    assert not any(_acting(char) for char in shown if char not in "\t\n")
    assert "\r" not in shown
    if not line_breaks:
        assert "\n" not in shown
        assert "\t" not in shown
    shown.encode("utf-8")  # no lone surrogate left to break the stream
    if not any(_acting(char) or char == "\r" for char in text):
        assert visible(text) == text


@given(
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), TEXT),
        lambda inner: st.lists(inner) | st.dictionaries(TEXT, inner),
        max_leaves=10,
    )
)
def test_json_output_keeps_the_value_and_escapes_everything_that_acts(value: object) -> None:
    text = json_text(value)
    assert json.loads(text) == value
    assert not any(_acting(char) for char in text if char != "\n")
    text.encode("utf-8")


@given(st.lists(st.lists(TEXT, min_size=2, max_size=2), max_size=5))
def test_table_lines_stay_one_line_each(rows: list[list[str]]) -> None:
    lines = table(["案号", "结果"], rows)
    assert len(lines) == len(rows) + 1
    assert not any(_acting(char) or char in "\n\r" for line in lines for char in line)


# ---------------------------------------------------------------------------------------------------------------
# A case as typed: any text in any field ends in a clean case or one ValidationError

FIELD_TEXT = st.one_of(
    st.just(""), TEXT, st.sampled_from(["王小明", " 赵小红 ", "Zhe\u0301ng", "张\x1b三", "一\r\n二"])
)


@st.composite
def parties(draw: st.DrawFn) -> PartyInput:
    return PartyInput(
        name=draw(FIELD_TEXT),
        role=draw(st.sampled_from(PartyRole)),
        id_type=draw(st.sampled_from([IdType.PASSPORT, IdType.OTHER])),
        id_number=draw(FIELD_TEXT),
        ethnicity=draw(FIELD_TEXT),
        address=draw(FIELD_TEXT),
        occupation=draw(FIELD_TEXT),
        agent_name=draw(FIELD_TEXT),
    )


@st.composite
def case_inputs(draw: st.DrawFn) -> CaseInput:
    return CaseInput(
        intake_date=draw(st.dates(date(2000, 1, 1), date(2030, 12, 31))),
        source=draw(st.sampled_from(CaseSource)),
        category=draw(st.one_of(st.sampled_from(sorted(all_categories())), TEXT)),
        parties=draw(st.lists(parties(), max_size=3)),
        facts=draw(FIELD_TEXT),
        requests=draw(FIELD_TEXT),
        place=draw(FIELD_TEXT),
        referral_body=draw(FIELD_TEXT),
        amount_fen=draw(st.integers(-5, 10**9)),
        persons=draw(st.integers(-2, 50)),
        notes=draw(FIELD_TEXT),
        number=draw(st.one_of(st.none(), FIELD_TEXT)),
    )


def _texts(data: CaseInput) -> list[str]:
    party_texts = [
        text
        for party in data.parties
        for text in (party.name, party.id_number, party.ethnicity, party.address, party.occupation, party.agent_name)
    ]
    return [data.facts, data.requests, data.place, data.referral_body, data.notes, data.number or "", *party_texts]


@given(case_inputs())
def test_any_case_input_is_cleaned_or_refused_with_its_field(data: CaseInput) -> None:
    cleaned = attempt(lambda: clean_case(data, today=TODAY))
    if isinstance(cleaned, ValidationError):
        assert cleaned.field
        return
    assert all(unicodedata.is_normalized("NFC", text) for text in _texts(cleaned))
    assert not any(_acting(char) or char == "\r" for text in _texts(cleaned) for char in text)
    for party in cleaned.parties:
        assert party.name
        assert party.name == party.name.strip()
        assert "\n" not in party.name
    assert cleaned.persons > 0
