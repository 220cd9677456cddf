"""What every sync use case starts from: this desk's keys, whom it trusts, and how it names organisations."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from mediation_desk.services.sync import trust
from mediation_desk.services.sync.identity import DeskKeys, desk_keys
from mediation_desk.store import migrate
from mediation_desk.sync.reader import LocalDesk
from mediation_desk.sync.trust import PinnedTrust


@functools.cache
def schema_version() -> int:
    """The database schema of the rows this program writes and reads: its newest migration's number."""
    return int(migrate.head_revision())


@dataclass
class SyncDesk:
    """This desk inside one transaction, as sync sees it."""

    session: Session
    keys: DeskKeys
    labels: dict[str, str] = field(default_factory=dict)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def label(self, code: str) -> str:
        return self.labels.get(code, code)

    def local(self) -> LocalDesk:
        return self.keys.local(self.label)

    def policy(self) -> PinnedTrust:
        return trust.trust_policy(self.session, self.keys)

    def writers(self) -> dict[uuid.UUID, trust.Writer]:
        key = self.keys.key
        return trust.writers(self.session, self.keys.devices, key.org, key.role)


def open_sync(session: Session, *, create_keys: bool = True) -> SyncDesk:
    """This desk's keys (made now if they never were) and its names for organisations."""
    keys = desk_keys(session, create=create_keys)
    return SyncDesk(session, keys, trust.org_label(session))
