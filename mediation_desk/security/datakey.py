"""A desk's data key: 32 random bytes made with the desk, kept in the keyring, named by a key id in the database.

The database holds the key id and a check value (``desk.data_key_id``, ``desk.data_key_check`` in ``setting``),
never the key. Sub-keys for field encryption, the blind index and the check are derived from the data key with
HKDF (SHA-256), each with its own label, so that no key serves two purposes. A backup holds the same key id, so it
stays readable on the same desk; on a new laptop the key comes from a file made by ``keys export-data-key``: the
key encrypted with AES-GCM under a key derived from a passphrase with scrypt.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
import secrets
import uuid
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from mediation_desk.domain.errors import DomainError
from mediation_desk.security.keystore import KeyStore

KEY_ID_SETTING = "desk.data_key_id"
KEY_CHECK_SETTING = "desk.data_key_check"
SECRET_NAME = "data-key"
KEY_BYTES = 32

EXPORT_FORMAT = "mediation-desk/data-key"
EXPORT_VERSION = 1
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1  # 128 MiB and about half a second: costly to guess, fine to use once
MIN_PASSPHRASE = 8
MAX_EXPORT_BYTES = 64 * 1024
_KEY_ID = re.compile(r"^[0-9a-f]{32}$")


class DataKeyError(DomainError):
    """The desk's data key is missing, wrong, or a key file cannot be used."""


class DataKeyMissing(DataKeyError):
    """The keyring of this machine does not hold the desk's data key (or holds a wrong one); nothing was read or
    written. ``key_id`` and ``check`` (from the database) let an imported key be checked against the desk."""

    def __init__(self, message: str, *, key_id: str, check: str) -> None:
        super().__init__(message)
        self.key_id = key_id
        self.check = check


def missing_message(key_id: str) -> str:
    return (
        f"本机的系统钥匙串中没有此工作台的数据密钥（密钥编号 {key_id}），身份证号码和电话号码无法解密；"
        "数据未作任何改动。若工作台是从另一台电脑搬来的，请在原电脑上运行 mediation-desk keys export-data-key "
        "导出数据密钥，再在本机运行 mediation-desk keys import-data-key 导入"
    )


def _derive(secret: bytes, label: str, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=label.encode("ascii")).derive(secret)


@dataclass(frozen=True)
class DataKey:
    """The key of one desk: ``key_id`` names it in the keyring, ``secret`` is the 32 bytes."""

    key_id: str
    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.secret) != KEY_BYTES:
            raise ValueError("a data key is 32 bytes")
        if not _KEY_ID.match(self.key_id):
            raise ValueError("a data key id is 32 lower-case hexadecimal digits")

    @cached_property
    def field_key(self) -> bytes:
        return _derive(self.secret, "mediation-desk/field-encryption/v1")

    @cached_property
    def index_key(self) -> bytes:
        return _derive(self.secret, "mediation-desk/blind-index/v1")

    @cached_property
    def check(self) -> str:
        """A value kept in the database that tells whether a key is this desk's, without revealing it."""
        return _derive(self.secret, "mediation-desk/key-check/v1", 16).hex()

    def matches(self, check: str) -> bool:
        return hmac.compare_digest(self.check, check)


def new_data_key() -> DataKey:
    return DataKey(uuid.uuid4().hex, secrets.token_bytes(KEY_BYTES))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


# ---------------------------------------------------------------------------------------------------------------
# The keyring


def load(key_id: str, check: str) -> DataKey:
    """The data key named ``key_id`` from the keyring; ``DataKeyMissing`` when it is not there."""
    value = KeyStore(key_id).find(SECRET_NAME)
    if value is None:
        raise DataKeyMissing(missing_message(key_id), key_id=key_id, check=check)
    wrong = (
        f"系统钥匙串中的数据密钥（密钥编号 {key_id}）已损坏或与此工作台不符；数据未作任何改动。"
        "请用 mediation-desk keys import-data-key 导入此工作台导出的数据密钥"
    )
    try:
        key = DataKey(key_id, _unb64(value))
    except (ValueError, binascii.Error):
        raise DataKeyMissing(wrong, key_id=key_id, check=check) from None
    if not key.matches(check):
        raise DataKeyMissing(wrong, key_id=key_id, check=check)
    return key


def save(key: DataKey) -> None:
    KeyStore(key.key_id).put(SECRET_NAME, _b64(key.secret))


# ---------------------------------------------------------------------------------------------------------------
# Key files: the key wrapped with a passphrase


def _kek(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _header(key_id: str, check: str, kdf: dict[str, Any]) -> dict[str, Any]:
    return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "key_id": key_id, "check": check, "kdf": kdf}


def _associated(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def wrap(key: DataKey, passphrase: str) -> bytes:
    """The key file's bytes: JSON naming the key, the scrypt parameters and the AES-GCM-sealed key."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise DataKeyError(f"口令太短：至少 {MIN_PASSPHRASE} 个字符")
    salt = secrets.token_bytes(16)
    kdf = {"name": "scrypt", "salt": _b64(salt), "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P}
    header = _header(key.key_id, key.check, kdf)
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_kek(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)).encrypt(
        nonce, key.secret, _associated(header)
    )
    body = {**header, "nonce": _b64(nonce), "ciphertext": _b64(sealed)}
    return (json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


_NOT_A_KEY_FILE = "不是调解工作台的数据密钥文件（或文件已损坏）"


def _parse(data: bytes) -> tuple[dict[str, Any], bytes, bytes, bytes]:
    """The header, salt, nonce and sealed key of a key file; ``DataKeyError`` for anything else."""
    if len(data) > MAX_EXPORT_BYTES:
        raise DataKeyError(_NOT_A_KEY_FILE)
    try:
        body = json.loads(data.decode("utf-8"))
        if not isinstance(body, dict) or body.get("format") != EXPORT_FORMAT:
            raise ValueError("format")
        if body.get("version") != EXPORT_VERSION:
            raise DataKeyError("数据密钥文件的版本不受支持；请用更新版本的调解工作台导入")
        kdf = body["kdf"]
        if not isinstance(kdf, dict) or kdf.get("name") != "scrypt":
            raise ValueError("kdf")
        parameters = (kdf["n"], kdf["r"], kdf["p"])
        if not all(isinstance(value, int) for value in parameters) or not (
            2**14 <= kdf["n"] <= 2**20 and 1 <= kdf["r"] <= 32 and 1 <= kdf["p"] <= 16
        ):
            raise ValueError("kdf parameters")
        header = _header(str(body["key_id"]), str(body["check"]), kdf)
        return header, _unb64(kdf["salt"]), _unb64(body["nonce"]), _unb64(body["ciphertext"])
    except DataKeyError:
        raise
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, binascii.Error):
        raise DataKeyError(_NOT_A_KEY_FILE) from None


def unwrap(data: bytes, passphrase: str) -> DataKey:
    """The key in a key file, checked against the check value it names; ``DataKeyError`` for a wrong passphrase."""
    header, salt, nonce, sealed = _parse(data)
    kdf = header["kdf"]
    try:
        secret = AESGCM(_kek(passphrase, salt, kdf["n"], kdf["r"], kdf["p"])).decrypt(
            nonce, sealed, _associated(header)
        )
        key = DataKey(header["key_id"], secret)
    except InvalidTag:
        raise DataKeyError("口令不正确，或数据密钥文件已损坏；未导入任何内容") from None
    except ValueError:
        raise DataKeyError(_NOT_A_KEY_FILE) from None
    if not key.matches(header["check"]):
        raise DataKeyError(_NOT_A_KEY_FILE)
    return key
