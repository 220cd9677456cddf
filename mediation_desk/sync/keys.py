"""A device's keys (SYNC.md "Identity"): Ed25519 to sign, age X25519 to receive, and its public key file.

- ``SigningKey`` signs with Ed25519 (``cryptography``); ``verify`` checks a signature against a raw public key.
  Every signature is made over a **domain-separation prefix** followed by the message, one prefix per kind of
  signed thing (``MANIFEST_DOMAIN``, ``REVISION_DOMAIN``, ``KEY_FILE_DOMAIN``, ``CERTIFICATE_DOMAIN``,
  ``RECEIPT_DOMAIN``), so that no signature can be replayed as another kind.
- ``AgeIdentity`` is the X25519 identity that sync files addressed to this desk are encrypted to (``pyrage``);
  its recipient (``age1…``) goes into the public key file. The same identity text works with the ``age`` tool.
- ``fingerprint`` is the SHA-256 of the raw Ed25519 public key, in hexadecimal; ``spoken_fingerprint`` shows it in
  groups of four characters, to be read out over the phone before a peer is trusted.
- ``DeviceKey`` is what a peer is known by: organisation, device, role, signing key, age recipient.
  ``public_key_file`` writes it as canonical JSON signed by its own key; ``parse_public_key_file`` reads one back
  strictly (size cap, strict JSON, exact fields, canonical spellings, a valid self-signature).

Keys are taken and given as bytes and objects: keeping them (the keyring) is the ``security`` package's job.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

import pyrage
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mediation_desk.domain import canonical
from mediation_desk.domain.canonical import JSONValue
from mediation_desk.domain.codes import OrgLevel
from mediation_desk.domain.revision_encoding import REVISION_DOMAIN
from mediation_desk.sync import signatures, strictjson
from mediation_desk.sync.errors import BadKeyFile, SyncFileError
from mediation_desk.sync.schema import ORG_CODE, Fields, b64

__all__ = [
    "CERTIFICATE_DOMAIN",
    "KEY_FILE_DOMAIN",
    "MANIFEST_DOMAIN",
    "RECEIPT_DOMAIN",
    "REVISION_DOMAIN",
    "AgeIdentity",
    "DeviceKey",
    "SigningKey",
    "fingerprint",
    "parse_public_key_file",
    "parse_recipient",
    "public_key_file",
    "spoken_fingerprint",
    "verify",
]

MANIFEST_DOMAIN = b"mediation-desk/manifest/v1\n"
KEY_FILE_DOMAIN = b"mediation-desk/key-file/v1\n"
CERTIFICATE_DOMAIN = b"mediation-desk/certificate/v1\n"
RECEIPT_DOMAIN = b"mediation-desk/receipt/v1\n"

PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64
KEY_FILE_FORMAT = "mediation-desk-public-key"
KEY_FILE_VERSION = 1
MAX_KEY_FILE_BYTES = 16 * 1024
MAX_NAME = 200
ROLES = frozenset(level.value for level in OrgLevel)


class SigningKey:
    """An Ed25519 private key. ``sign`` always takes the domain prefix of what is being signed."""

    __slots__ = ("_key", "public_key")

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        self.public_key: bytes = key.public_key().public_bytes_raw()

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_bytes(cls, raw: bytes) -> SigningKey:
        """The key whose 32-byte private seed is ``raw`` (as ``private_bytes`` gives it)."""
        if len(raw) != PUBLIC_KEY_BYTES:
            raise ValueError("an Ed25519 private key is 32 bytes")
        return cls(Ed25519PrivateKey.from_private_bytes(raw))

    def private_bytes(self) -> bytes:
        return self._key.private_bytes_raw()

    def sign(self, domain: bytes, message: bytes) -> bytes:
        return self._key.sign(domain + message)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def __repr__(self) -> str:  # never the private key
        return f"SigningKey({self.fingerprint[:16]}…)"


def verify(public_key: bytes, domain: bytes, message: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is the Ed25519 signature of ``domain + message`` by ``public_key``."""
    return signatures.verify_raw(public_key, domain + message, signature)  # the helpers' very check


def fingerprint(public_key: bytes) -> str:
    """The SHA-256 of a raw Ed25519 public key, 64 lower-case hexadecimal digits."""
    return hashlib.sha256(public_key).hexdigest()


def spoken_fingerprint(value: str) -> str:
    """A fingerprint in groups of four, to read over the phone: ``3f2a 9c01 …``."""
    return " ".join(value[start : start + 4] for start in range(0, len(value), 4))


class AgeIdentity:
    """An age X25519 identity (``AGE-SECRET-KEY-1…``): what this desk decrypts the files addressed to it with."""

    __slots__ = ("_identity", "recipient")

    def __init__(self, identity: Any) -> None:
        self._identity = identity
        self.recipient: str = str(identity.to_public())

    @classmethod
    def generate(cls) -> AgeIdentity:
        return cls(pyrage.x25519.Identity.generate())

    @classmethod
    def from_text(cls, text: str) -> AgeIdentity:
        try:
            return cls(pyrage.x25519.Identity.from_str(text.strip()))
        except pyrage.IdentityError:
            raise ValueError("not an age X25519 identity") from None

    def text(self) -> str:
        """The identity in age's own form, for the keyring and for ``age -d -i FILE``."""
        return str(self._identity)

    @property
    def native(self) -> Any:
        """The ``pyrage`` identity object."""
        return self._identity

    def __repr__(self) -> str:  # never the secret
        return f"AgeIdentity({self.recipient[:16]}…)"


def parse_recipient(text: str) -> str:
    """An age X25519 recipient (``age1…``) in its canonical spelling; ``ValueError`` if it is not one."""
    try:
        parsed = str(pyrage.x25519.Recipient.from_str(text))
    except (pyrage.RecipientError, TypeError):
        raise ValueError("not an age X25519 recipient") from None
    if parsed != text:
        raise ValueError("an age recipient is written in lower case")
    return parsed


def age_recipient(text: str) -> Any:
    """The ``pyrage`` recipient object for an ``age1…`` text."""
    return pyrage.x25519.Recipient.from_str(parse_recipient(text))


# ---------------------------------------------------------------------------------------------------------------
# Devices and their public key files


@dataclass(frozen=True, slots=True)
class DeviceKey:
    """A desk as its peers know it: which organisation, which device, which role, which public keys."""

    org: str
    org_name: str
    device: uuid.UUID
    role: str  # an OrgLevel value: the level of the organisation this desk belongs to
    signing_key: bytes
    age_recipient: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_key)

    def fields(self) -> dict[str, JSONValue]:
        return {
            "org": self.org,
            "org_name": self.org_name,
            "device": str(self.device),
            "role": self.role,
            "signing_key": b64(self.signing_key),
            "age_recipient": self.age_recipient,
        }


DEVICE_KEY_FIELDS = ("org", "org_name", "device", "role", "signing_key", "age_recipient")


def read_device_key(fields: Fields) -> DeviceKey:
    """The ``DeviceKey`` held in ``fields`` (the six fields of ``DeviceKey.fields``), each checked."""
    name = fields.text("org_name", max_length=MAX_NAME)
    if not name.strip() or any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in name):
        fields.fail("应为不含控制字符的名称", "org_name")
    recipient = fields.text("age_recipient", max_length=200)
    try:
        parse_recipient(recipient)
    except ValueError:
        fields.fail("不是 age X25519 公钥（age1…）", "age_recipient")
    return DeviceKey(
        org=fields.text("org", ORG_CODE),
        org_name=name,
        device=fields.uuid("device"),
        role=fields.choice("role", ROLES),
        signing_key=fields.base64("signing_key", PUBLIC_KEY_BYTES),
        age_recipient=recipient,
    )


def _key_file_body(key: DeviceKey) -> dict[str, JSONValue]:
    return {"format": KEY_FILE_FORMAT, "format_version": KEY_FILE_VERSION, **key.fields()}


def public_key_file(key: DeviceKey, signer: SigningKey) -> bytes:
    """The public key file of ``key``: canonical JSON and a newline, signed by ``signer`` (whose key it names)."""
    if signer.public_key != key.signing_key:
        raise ValueError("a public key file is signed by the key it names")
    body = _key_file_body(key)
    signature = signer.sign(KEY_FILE_DOMAIN, canonical.canonical_bytes(body))
    return canonical.canonical_bytes({**body, "signature": b64(signature)}) + b"\n"


def parse_public_key_file(data: bytes) -> DeviceKey:
    """The device a public key file names, after every check; ``BadKeyFile`` otherwise."""
    what = "公钥文件"
    if len(data) > MAX_KEY_FILE_BYTES:
        raise BadKeyFile(f"{what}过大（超过 {MAX_KEY_FILE_BYTES // 1024} KB），不是调解工作台的公钥文件")
    body_bytes = data[:-1] if data.endswith(b"\n") else data
    try:
        value = strictjson.loads_canonical(body_bytes, what=what, max_depth=2)
    except SyncFileError as error:
        raise BadKeyFile(f"不是调解工作台的公钥文件：{error}") from None
    if not isinstance(value, dict) or value.get("format") != KEY_FILE_FORMAT:
        raise BadKeyFile("不是调解工作台的公钥文件")
    keys = ("format", "format_version", *DEVICE_KEY_FIELDS, "signature")
    fields = Fields(value, what=what, error=BadKeyFile, keys=keys)
    version = fields.integer("format_version", 1)
    if version != KEY_FILE_VERSION:
        raise BadKeyFile(f"{what}的版本（{version}）比本程序新，请先升级调解工作台")
    key = read_device_key(fields)
    signature = fields.base64("signature", SIGNATURE_BYTES)
    if not verify(key.signing_key, KEY_FILE_DOMAIN, canonical.canonical_bytes(_key_file_body(key)), signature):
        raise BadKeyFile(f"{what}的签名无效：文件已被改动或损坏")
    return key
