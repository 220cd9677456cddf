"""Field encryption: AES-GCM for identity and phone numbers, a keyed blind index for exact ID-number look-ups.

A value at rest is a versioned token, ``v1:`` and the URL-safe base64 of a fresh 12-byte nonce followed by the
AES-GCM ciphertext and tag. The associated data names where the value belongs (table and column, or the revision
and record), so a token copied into another column or record does not decrypt. Empty values stay empty.

The revision log keeps each record's full row as canonical JSON; at rest the same fields inside it are sealed the
same way (``seal_revision_data``) and unsealed when the row is read (``unseal_revision_data``), so the canonical
bytes, outgoing copies and the history always see the plain row.

The blind index is an HMAC-SHA256 of the normalised ID number (``domain.identity.normalise_id_number``) with a
key derived from the data key: equal numbers give equal indexes on one desk, and nothing about the number can be
learnt from it without the key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from mediation_desk.domain import canonical
from mediation_desk.domain.errors import DomainError
from mediation_desk.domain.identity import normalise_id_number
from mediation_desk.security.datakey import DataKey

TOKEN_PREFIX = "v1:"
NONCE_BYTES = 12
INDEX_LENGTH = 32  # hex digits of the blind index (128 bits)

ENCRYPTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "party": ("id_number", "phone", "agent_phone"),
    "mediator": ("id_number", "phone"),
}
INDEX_COLUMN = "id_number_index"
INDEXED_COLUMN = "id_number"
SEALED_FIELDS = frozenset(name for names in ENCRYPTED_COLUMNS.values() for name in names)
# A quick test before parsing a revision's JSON: does it name a field that is sealed?
_SEALED_MARKS = tuple(f'"{name}"' for name in sorted(SEALED_FIELDS))
_TOKEN_MARK = f'"{TOKEN_PREFIX}'


class DecryptionFailed(DomainError):
    """A value does not decrypt with this desk's key: another desk's key, or damaged data."""


_UNREADABLE = (
    "有加密的身份证号码或电话号码无法用本工作台的数据密钥解密（密钥不符或数据已损坏）；"
    "请从最近的备份恢复，或导入此数据库原来的数据密钥"
)


def column_context(table: str, column: str) -> bytes:
    return f"mediation-desk/column/{table}/{column}".encode()


def revision_context(field: str, record_id: str) -> bytes:
    return f"mediation-desk/revision/{record_id}/{field}".encode()


def is_token(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX)


class FieldCipher:
    """Encrypts and decrypts with one desk's data key."""

    def __init__(self, key: DataKey) -> None:
        self.key_id = key.key_id
        self._aead = AESGCM(key.field_key)
        self._index_key = key.index_key

    def encrypt(self, value: str, context: bytes) -> str:
        if not value:
            return value
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, value.encode("utf-8"), context)
        return TOKEN_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")

    def decrypt(self, token: str, context: bytes) -> str:
        if not token:
            return token
        if not is_token(token):
            raise DecryptionFailed(_UNREADABLE)
        body = token[len(TOKEN_PREFIX) :]
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            plain = self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context)
            return plain.decode("utf-8")
        except (InvalidTag, ValueError, binascii.Error):
            raise DecryptionFailed(_UNREADABLE) from None

    def blind_index(self, id_number: str | None) -> str | None:
        """The index of an ID number (``None`` for none): exact look-ups without decrypting every row."""
        if not id_number or not id_number.strip():
            return None
        normal = normalise_id_number(id_number).encode("utf-8")
        return hmac.new(self._index_key, normal, hashlib.sha256).hexdigest()[:INDEX_LENGTH]


# ---------------------------------------------------------------------------------------------------------------
# The revision log's rows


def needs_sealing(text: str) -> bool:
    return any(mark in text for mark in _SEALED_MARKS)


def seal_revision_data(cipher: FieldCipher, text: str) -> str:
    """A revision's canonical JSON with its identity and phone numbers encrypted, for storing."""
    if not needs_sealing(text):
        return text
    data = json.loads(text)
    record = str(data.get("id", ""))
    changed = False
    for name in SEALED_FIELDS & data.keys():
        value = data[name]
        if isinstance(value, str) and value and not is_token(value):
            data[name] = cipher.encrypt(value, revision_context(name, record))
            changed = True
    return canonical.dumps_plain(data) if changed else text


def holds_sealed(text: str) -> bool:
    return _TOKEN_MARK in text


def unseal_revision_data(cipher: FieldCipher, text: str) -> str:
    """A stored revision's canonical JSON as it was made (the inverse of ``seal_revision_data``)."""
    if not holds_sealed(text):
        return text
    data = json.loads(text)
    record = str(data.get("id", ""))
    changed = False
    for name in SEALED_FIELDS & data.keys():
        value = data[name]
        if isinstance(value, str) and is_token(value):
            data[name] = cipher.decrypt(value, revision_context(name, record))
            changed = True
    return canonical.dumps_plain(data) if changed else text
