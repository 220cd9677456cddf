"""Field encryption, the blind index, sealed revision rows and passphrase-wrapped key files."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediation_desk.domain import canonical
from mediation_desk.security import datakey
from mediation_desk.security.datakey import DataKey, DataKeyError, new_data_key
from mediation_desk.security.fields import (
    DecryptionFailed,
    FieldCipher,
    column_context,
    seal_revision_data,
    unseal_revision_data,
)

KEY = DataKey("1" * 32, bytes(range(32)))
CIPHER = FieldCipher(KEY)
PARTY_ID = column_context("party", "id_number")


def test_a_value_becomes_a_versioned_token_and_back() -> None:
    token = CIPHER.encrypt("331122199001011230", PARTY_ID)
    assert token.startswith("v1:")
    assert "1990" not in token
    assert CIPHER.encrypt("331122199001011230", PARTY_ID) != token  # a fresh nonce every time
    assert CIPHER.decrypt(token, PARTY_ID) == "331122199001011230"
    assert CIPHER.encrypt("", PARTY_ID) == ""
    assert CIPHER.decrypt("", PARTY_ID) == ""


@given(st.text(min_size=1, max_size=60))
def test_any_text_round_trips(value: str) -> None:
    assert CIPHER.decrypt(CIPHER.encrypt(value, PARTY_ID), PARTY_ID) == value


def test_a_token_only_opens_where_it_belongs_and_with_its_key() -> None:
    token = CIPHER.encrypt("13957800000", column_context("party", "phone"))
    with pytest.raises(DecryptionFailed, match="无法用本工作台的数据密钥解密"):
        CIPHER.decrypt(token, column_context("mediator", "phone"))  # copied into another column
    with pytest.raises(DecryptionFailed):
        FieldCipher(new_data_key()).decrypt(token, column_context("party", "phone"))
    with pytest.raises(DecryptionFailed):
        CIPHER.decrypt(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1], column_context("party", "phone"))
    with pytest.raises(DecryptionFailed):
        CIPHER.decrypt("13957800000", column_context("party", "phone"))  # clear text where a token belongs


def test_the_blind_index_matches_one_number_however_it_is_typed() -> None:
    index = CIPHER.blind_index("33112219900101123X")
    assert index is not None
    assert len(index) == 32
    assert CIPHER.blind_index(" 3311 2219 9001 0112 3x") == index
    assert CIPHER.blind_index("３３１１２２１９９００１０１１２３Ｘ") == index
    assert CIPHER.blind_index("331122199001011230") != index
    assert FieldCipher(new_data_key()).blind_index("33112219900101123X") != index  # keyed per desk
    assert CIPHER.blind_index("") is None
    assert CIPHER.blind_index(None) is None


def _party_row(**values: object) -> str:
    row: dict[str, object] = {
        "id": "7b6a4b8e-1d2f-4e55-9d0e-3d8f3f0b7a11",
        "name": "王小明",
        "id_number": "",
        "phone": "",
    }
    row.update(values)
    return canonical.dumps(row)


def test_a_revision_row_is_sealed_at_rest_and_unsealed_as_it_was() -> None:
    plain = _party_row(id_number="331122199001011230", phone="13957800000", agent_phone="")
    sealed = seal_revision_data(CIPHER, plain)
    assert "331122199001011230" not in sealed
    assert "13957800000" not in sealed
    data = json.loads(sealed)
    assert data["name"] == "王小明"
    assert data["agent_phone"] == ""
    assert data["id_number"].startswith("v1:")
    assert seal_revision_data(CIPHER, sealed) == sealed  # sealing twice changes nothing
    assert unseal_revision_data(CIPHER, sealed) == plain  # the very canonical text: signatures still verify
    nothing = _party_row()
    assert seal_revision_data(CIPHER, nothing) == nothing
    other = canonical.dumps({"id": "x", "facts": 'he said "phone":"13957800000"'})
    assert seal_revision_data(CIPHER, other) == other  # only the fields, never text inside other values


def test_a_sealed_field_moved_to_another_record_does_not_open() -> None:
    sealed = json.loads(seal_revision_data(CIPHER, _party_row(phone="13957800000")))
    sealed["id"] = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(DecryptionFailed):
        unseal_revision_data(CIPHER, canonical.dumps(sealed))


def test_a_key_file_opens_with_its_passphrase_only() -> None:
    key = new_data_key()
    data = datakey.wrap(key, "长城长城-good passphrase")
    assert key.secret.hex() not in data.decode()
    body = json.loads(data)
    assert (body["format"], body["version"], body["key_id"], body["kdf"]["name"]) == (
        "mediation-desk/data-key",
        1,
        key.key_id,
        "scrypt",
    )
    opened = datakey.unwrap(data, "长城长城-good passphrase")
    assert (opened.key_id, opened.secret) == (key.key_id, key.secret)
    with pytest.raises(DataKeyError, match="口令不正确"):
        datakey.unwrap(data, "wrong passphrase")
    body["key_id"] = "2" * 32  # the key id is bound to the sealed key
    with pytest.raises(DataKeyError):
        datakey.unwrap(json.dumps(body).encode(), "长城长城-good passphrase")


@pytest.mark.parametrize(
    "data",
    [b"", b"not json", b"[]", b'{"format": "other"}', b'{"format": "mediation-desk/data-key", "version": 1}', b"\xff"],
)
def test_anything_else_is_not_a_key_file(data: bytes) -> None:
    with pytest.raises(DataKeyError, match="不是调解工作台的数据密钥文件"):
        datakey.unwrap(data, "whatever passphrase")


def test_a_newer_key_file_and_a_short_passphrase_are_refused() -> None:
    with pytest.raises(DataKeyError, match="版本不受支持"):
        datakey.unwrap(b'{"format": "mediation-desk/data-key", "version": 2}', "whatever passphrase")
    with pytest.raises(DataKeyError, match="口令太短"):
        datakey.wrap(new_data_key(), "short")
