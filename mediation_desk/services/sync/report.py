"""The import report (SYNC.md step 8, like DHIS2's import summary): status, counts per table, coded messages.

Each file gets a ``FileReport``: ``OK`` when everything merged, ``WARNING`` when it merged with remarks (a
sequence gap, a clock far ahead, revisions refused one by one), ``ERROR`` when the file was refused whole and
nothing of it was kept. Counts are per table: records **created**, **updated**, **deleted** or left
**unchanged**, records now in **conflict**, and revisions **rejected**. Every message has a stable English
``code`` (for scripts) and a Chinese ``text`` (for people).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OK, WARNING, ERROR = "OK", "WARNING", "ERROR"

CODES = {
    "already_present": "已导入过",
    "bad_signature": "签名无效",
    "unknown_device": "设备不受信任",
    "unknown_sender": "发件方不受信任",
    "outside_scope": "超出权限范围",
    "equivocation": "同一编号的修订内容不同",
    "schema_too_new": "版本过新",
    "clock_skew": "时钟超前",
    "sequence_gap": "修订序号有缺口",
    "held": "暂未显示",
    "unsigned": "无法签名",
}
TABLE_NAMES = {
    "org_unit": "组织",
    "mediator": "调解员",
    "mediator_pairing": "结对指导",
    "mediator_assessment": "考核",
    "dispute_case": "案件",
    "party": "当事人",
    "case_mediator": "案件调解员",
    "investigation_record": "调查记录",
    "session_record": "调解记录",
    "outcome": "调解结果",
    "agreement": "协议",
    "follow_up": "回访",
    "judicial_confirmation": "司法确认",
    "attachment": "附件",
    "screening_round": "排查",
}


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    conflicts: int = 0
    rejected: int = 0

    def to_json(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "conflicts": self.conflicts,
            "rejected": self.rejected,
        }

    def add(self, other: Tally) -> None:
        for name, value in other.to_json().items():
            setattr(self, name, getattr(self, name) + value)


@dataclass(frozen=True, slots=True)
class Message:
    code: str
    text: str
    table: str | None = None
    record: str | None = None

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"code": self.code, "text": self.text}
        if self.table is not None:
            found["table"] = self.table
        if self.record is not None:
            found["record"] = self.record
        return found


@dataclass
class FileReport:
    path: Path
    status: str = OK
    file_id: str | None = None
    sha256: str | None = None
    sender: str | None = None  # "某某村人民调解委员会（331122001001）"
    kind: str | None = None
    revisions: int = 0
    already_imported: bool = False
    tallies: dict[str, Tally] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)

    def tally(self, table: str) -> Tally:
        return self.tallies.setdefault(table, Tally())

    def note(self, message: Message, *, status: str = WARNING) -> None:
        self.messages.append(message)
        if status == ERROR or (status == WARNING and self.status == OK):
            self.status = status

    def totals(self) -> Tally:
        total = Tally()
        for tally in self.tallies.values():
            total.add(tally)
        return total

    @property
    def refused(self) -> bool:
        """The file, or some of its revisions, was refused."""
        return self.status == ERROR or self.totals().rejected > 0

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "status": self.status,
            "file_id": self.file_id,
            "sha256": self.sha256,
            "sender": self.sender,
            "kind": self.kind,
            "revisions": self.revisions,
            "already_imported": self.already_imported,
            "counts": {table: tally.to_json() for table, tally in sorted(self.tallies.items())},
            "totals": self.totals().to_json(),
            "messages": [message.to_json() for message in self.messages],
        }


@dataclass
class ImportReport:
    files: list[FileReport]
    dry_run: bool = False

    @property
    def status(self) -> str:
        statuses = {report.status for report in self.files}
        return ERROR if ERROR in statuses else WARNING if WARNING in statuses else OK

    @property
    def ok(self) -> bool:
        """Every file merged (or was already present) and nothing in it was refused: exit status 0."""
        return not any(report.refused for report in self.files)

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "dry_run": self.dry_run, "files": [report.to_json() for report in self.files]}


def table_name(table: str) -> str:
    return TABLE_NAMES.get(table, table)
