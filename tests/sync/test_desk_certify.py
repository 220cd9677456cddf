"""Whose word a desk takes: a township certifies the desks of its own villages only, and a village takes its
township's word for the county above it only."""

from __future__ import annotations

import uuid

from mediation_desk.services.sync.trust import _certifies, is_below
from mediation_desk.sync.keys import AgeIdentity, DeviceKey, SigningKey

PARENTS = {"331122001001": "331122001", "331122101001": "331122101", "331122001": "331122", "331122101": "331122"}


def _key(org: str, role: str) -> DeviceKey:
    signer = SigningKey.generate()
    recipient = AgeIdentity.generate().recipient
    return DeviceKey(org, f"单位{org}", uuid.uuid4(), role, signer.public_key, recipient)


def test_a_unit_is_below_its_ancestors_by_the_tree_or_by_its_code() -> None:
    assert is_below("331122001001", "331122001", PARENTS)
    assert is_below("331122001001", "331122", PARENTS)
    assert not is_below("331122001001", "331122101", PARENTS)
    assert not is_below("331122001", "331122001", PARENTS)
    # a village this desk has not heard of: its statistical code says where it belongs
    assert is_below("331122101009", "331122101", PARENTS)
    assert not is_below("331122101009", "331122001", PARENTS)


def test_a_township_certifies_its_own_villages_and_no_other_townships() -> None:
    rule = _certifies("county", PARENTS)
    wuyun, huzhen = _key("331122001", "township"), _key("331122101", "township")
    assert rule(wuyun, _key("331122001001", "village"))
    assert not rule(wuyun, _key("331122101001", "village"))  # a village of 壶镇
    assert not rule(huzhen, _key("331122001001", "village"))
    assert not rule(wuyun, _key("331122101", "township"))


def test_a_village_takes_its_townships_word_for_its_own_county_only() -> None:
    rule = _certifies("village", PARENTS)
    wuyun = _key("331122001", "township")
    assert rule(wuyun, _key("331122", "county"))
    assert not rule(wuyun, _key("331123", "county"))
