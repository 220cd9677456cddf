"""Sync on the desk's database (SYNC.md): keys and trust, export, import and merge, status, conflicts.

The file format and the merge rules are pure (``mediation_desk.sync``); this package joins them to the store:
which revisions a file for a peer carries, how a file's revisions become this desk's rows, what is known about
every peer.
"""

from __future__ import annotations

from mediation_desk.services.sync.export import ExportSummary, export_file
from mediation_desk.services.sync.identity import SyncKeysMissing
from mediation_desk.services.sync.importing import import_files
from mediation_desk.services.sync.keys import (
    KeyInfo,
    ensure_keys,
    export_identity,
    export_public_key,
    new_device_identity,
    read_peer_key,
    show_keys,
    trust_key_file,
)
from mediation_desk.services.sync.report import FileReport, ImportReport, Message, Tally
from mediation_desk.services.sync.trust import PeerInfo, Pinned

__all__ = [
    "ExportSummary",
    "FileReport",
    "ImportReport",
    "KeyInfo",
    "Message",
    "PeerInfo",
    "Pinned",
    "SyncKeysMissing",
    "Tally",
    "ensure_keys",
    "export_file",
    "export_identity",
    "export_public_key",
    "import_files",
    "new_device_identity",
    "read_peer_key",
    "show_keys",
    "trust_key_file",
]
