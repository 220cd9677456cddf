"""Why a sync file (or a key file) was refused: one error class per reason, each with a stable code.

Every refusal is a ``SyncFileError``: ``code`` is a stable English word for reports and scripts (``truncated``,
``not_for_this_desk``, ``bad_signature``…), ``str(error)`` a complete Chinese sentence for the user. ``member``
and ``line`` say where in the file the problem was found, when it was inside the archive.
"""

from __future__ import annotations

from typing import ClassVar

from mediation_desk.domain.errors import DomainError


class SyncFileError(DomainError):
    """A sync file that cannot be trusted or read; nothing from it may be used."""

    code: ClassVar[str] = "bad_file"

    def __init__(self, message: str, *, member: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.member = member
        self.line = line


class Unreadable(SyncFileError):
    """The file could not be opened or read (missing, a folder, no permission)."""

    code = "unreadable"


class FileTooLarge(SyncFileError):
    code = "too_large"


class NotASyncFile(SyncFileError):
    code = "not_a_sync_file"


class BadPreamble(SyncFileError):
    code = "bad_preamble"


class PreambleMismatch(SyncFileError):
    """The unsigned first line says something other than the signed manifest: the file was altered."""

    code = "preamble_mismatch"


class Truncated(SyncFileError):
    code = "truncated"


class Damaged(SyncFileError):
    code = "damaged"


class NotForThisDesk(SyncFileError):
    code = "not_for_this_desk"


class BadArchive(SyncFileError):
    """The archive's structure is not one this program writes (overlapping or hidden data, lying sizes…)."""

    code = "bad_archive"


class ZipBomb(SyncFileError):
    """The archive would unpack to far more than it holds, or holds far too many members."""

    code = "zip_bomb"


class BadMember(SyncFileError):
    """A member with a name not allowed, a duplicate, or content that does not match the manifest."""

    code = "bad_member"


class BadSignature(SyncFileError):
    code = "bad_signature"


class UnknownSender(SyncFileError):
    code = "unknown_sender"


class UnknownDevice(SyncFileError):
    """A revision whose origin device is neither trusted here nor certified by a trusted township."""

    code = "unknown_device"


class UnknownFormat(SyncFileError):
    code = "unknown_format"


class FormatTooNew(SyncFileError):
    code = "format_too_new"


class SchemaTooNew(SyncFileError):
    code = "schema_too_new"


class BadManifest(SyncFileError):
    code = "bad_manifest"


class MalformedJson(SyncFileError):
    code = "malformed_json"


class NotCanonical(SyncFileError):
    """JSON that parses but is not in the canonical form the program writes (spacing, key order, escapes)."""

    code = "not_canonical"


class NotNormalized(SyncFileError):
    """Text not in Unicode NFC: one name could then have two spellings."""

    code = "not_nfc"


class BadRevision(SyncFileError):
    code = "bad_revision"


class BadCertificate(SyncFileError):
    code = "bad_certificate"


class BadReceipt(SyncFileError):
    code = "bad_receipt"


class BadKeyFile(SyncFileError):
    code = "bad_key_file"


def where(member: str | None, line: int | None) -> str:
    """A short Chinese location for messages: "（revisions-0001.jsonl 第 12 行）"."""
    if member is None:
        return ""
    if line is None:
        return f"（{member}）"
    return f"（{member} 第 {line} 行）"
