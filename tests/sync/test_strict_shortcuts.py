"""The reader's and the merge's shortcuts answer as the full checks do.

``strictjson`` checks integers as the quick decoder reads them and walks a value for its depth only when its text
has more opening brackets than the depth allowed; ``Fields`` tells an object with exactly the fields asked for
with one comparison; signatures are decoded by ``binascii`` in strict mode; ``Revision.checked`` is the revision
that the checked constructor makes.
"""

from __future__ import annotations

import base64
import json

import pytest

from mediation_desk.domain import canonical
from mediation_desk.sync import strictjson
from mediation_desk.sync.errors import BadRevision, MalformedJson
from mediation_desk.sync.merge import Revision, analyse
from mediation_desk.sync.schema import Fields

DEVICE = "00000000-0000-4000-8000-000000000001"
RECORD = "00000000-0000-4000-8000-0000000000aa"


def _loads(value: object, max_depth: int = strictjson.MAX_DEPTH) -> object:
    text = canonical.dumps_plain(value)  # type: ignore[arg-type]
    return strictjson.loads_canonical(text.encode("utf-8"), what="测试", max_depth=max_depth)


@pytest.mark.parametrize("number", [2**63, -(2**63) - 1, 10**30, -(10**19)])
def test_an_integer_outside_64_bits_is_refused(number: int) -> None:
    with pytest.raises(MalformedJson):
        _loads({"data": {"count": number}, "vv": {DEVICE: 1}})
    with pytest.raises(MalformedJson):
        _loads(number)


@pytest.mark.parametrize("number", [2**63 - 1, -(2**63), 10**18, 0])
def test_an_integer_inside_64_bits_is_taken(number: int) -> None:
    assert _loads({"data": {"count": number}}) == {"data": {"count": number}}


def test_digits_in_text_are_not_numbers() -> None:
    value = {"id_number": "1" * 40, "phone": "13800000000000000000"}
    assert _loads(value) == value


def _nested(depth: int) -> object:
    value: object = 1
    for level in range(depth):
        value = {"a": value} if level % 2 else [value]
    return value


def test_depth_up_to_the_limit_is_taken_and_beyond_it_refused() -> None:
    assert _loads(_nested(5), max_depth=5) == _nested(5)
    with pytest.raises(MalformedJson):
        _loads(_nested(6), max_depth=5)


def test_brackets_inside_text_do_not_change_the_answer() -> None:
    value = {"facts": "{[" * 30, "list": [[1]]}
    assert _loads(value, max_depth=3) == value
    with pytest.raises(MalformedJson):
        _loads({"facts": "{[" * 30, "list": [[[1]]]}, max_depth=3)


KEYS = frozenset(("a", "b"))


@pytest.mark.parametrize("value", [{"a": 1}, {"a": 1, "b": 2, "c": 3}, {"b": 2, "c": 3}])
def test_fields_with_a_key_missing_or_unknown_are_refused(value: dict[str, int]) -> None:
    with pytest.raises(BadRevision):
        Fields(value, what="测试", error=BadRevision, keys=KEYS)  # type: ignore[arg-type]


def test_fields_with_exactly_the_keys_are_taken() -> None:
    assert Fields({"b": 2, "a": 1}, what="测试", error=BadRevision, keys=KEYS).raw("a") == 1


@pytest.mark.parametrize(
    "text",
    [
        base64.b64encode(bytes(64)).decode("ascii").rstrip("="),  # padding left out
        base64.b64encode(bytes(64)).decode("ascii") + "\n",
        base64.b64encode(bytes(63)).decode("ascii"),  # one byte short
        base64.urlsafe_b64encode(b"\xff" * 64).decode("ascii"),  # the other alphabet
        "AB==" + base64.b64encode(bytes(64)).decode("ascii")[4:],
    ],
)
def test_a_signature_not_in_canonical_base64_is_refused(text: str) -> None:
    with pytest.raises(BadRevision):
        Fields({"s": text}, what="测试", error=BadRevision, keys=frozenset(("s",))).base64("s", 64)


def test_a_signature_in_canonical_base64_is_read() -> None:
    raw = bytes(range(64))
    text = base64.b64encode(raw).decode("ascii")
    assert Fields({"s": text}, what="测试", error=BadRevision, keys=frozenset(("s",))).base64("s", 64) == raw


def test_a_checked_revision_is_the_revision_the_constructor_makes() -> None:
    other = "00000000-0000-4000-8000-000000000002"
    fields = (DEVICE, 3, "party", RECORD, {DEVICE: 3, other: 1}, 12345, False, {"id": RECORD, "name": "甲"})
    made = Revision(*fields)
    checked = Revision.checked(*fields)  # type: ignore[arg-type]
    assert checked == made
    assert hash(checked) == hash(made)
    assert checked.content() == made.content()
    assert analyse([checked]) == analyse([made])
    assert json.loads(checked.content())["data"] == {"id": RECORD, "name": "甲"}
    checked.release_data()
    assert checked.data == {}
    assert made.data == {"id": RECORD, "name": "甲"}
