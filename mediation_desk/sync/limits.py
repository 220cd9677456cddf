"""The caps a sync file is read under: every size is bounded before it is read, so no file can exhaust a desk.

The defaults leave room for a province's full export (a million revisions is about 1.5 GB of JSON Lines, a few
hundred megabytes compressed and encrypted) while refusing what no export of this program produces: more than
4,096 members, members that unpack to a hundred times their compressed size, lines over 1 MiB, nesting beyond 16.
Tests pass smaller caps to exercise each refusal cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_bytes: int = 2 * GIB  # the sync file on disk, checked before anything is read
    max_members: int = 4096
    max_member_bytes: int = 512 * MIB  # one revisions-NNNN.jsonl, unpacked
    max_total_bytes: int = 4 * GIB  # every member together, unpacked
    max_ratio: int = 100  # unpacked size ÷ packed size, for members large enough to matter
    ratio_floor_bytes: int = 64 * KIB  # smaller members are never a bomb, whatever their ratio
    max_manifest_bytes: int = 1 * MIB
    max_certs_bytes: int = 16 * MIB
    max_receipts_bytes: int = 16 * MIB
    max_line_bytes: int = 1 * MIB
    max_depth: int = 16
    spool_bytes: int = 16 * MIB  # the decrypted archive stays in memory up to this, then in a temporary file


DEFAULT_LIMITS = Limits()
