"""Attachments of a case: files (scans, photos, evidence) kept in the data folder under their SHA-256, recorded in
the database with their original name (DESIGN.md, Data).

A file is copied in whole or not at all (a temporary file renamed into place); the same content added twice is
stored once. Opening an attachment gives its path in the data folder (checked against its hash first), for the
system's viewer.
"""

from __future__ import annotations

import hashlib
import mimetypes
import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from mediation_desk.domain.errors import DomainError, NotFound, ValidationError
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.permissions import Permission
from mediation_desk.domain.text import clean_block, clean_line
from mediation_desk.services.cases.intake import load_case
from mediation_desk.services.desk import Desk, Result, UnitOfWork
from mediation_desk.store.files import atomic_path
from mediation_desk.store.models import Attachment

MAX_SIZE = 200 * 1024 * 1024
CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    id: uuid.UUID
    filename: str
    media_type: str
    size: int
    description: str
    added_at: datetime
    sha256: str


def _info(row: Attachment) -> AttachmentInfo:
    return AttachmentInfo(row.id, row.filename, row.media_type, row.size, row.description, row.created_at, row.sha256)


def _stored(desk: Desk, sha256: str) -> Path:
    return desk.data_dir.attachments / sha256[:2] / sha256


def _digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if size > MAX_SIZE:
                raise ValidationError(f"附件不能超过 {MAX_SIZE // (1024 * 1024)} MB", field="file")
    return digest.hexdigest(), size


def _copy_in(source: Path, target: Path) -> None:
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as staged, source.open("rb") as reading, staged.open("wb") as writing:
        shutil.copyfileobj(reading, writing, CHUNK)


def add_attachment(desk: Desk, case_id: uuid.UUID, source: Path, description: str = "") -> Result[AttachmentInfo]:
    """Copy ``source`` into the data folder and record it under the case."""
    description = clean_block(description, label="附件说明", field="description").strip()
    filename = clean_line(source.name, label="文件名", field="file")
    if not source.is_file():
        raise ValidationError(f"找不到文件“{source}”", field="file")
    try:
        sha256, size = _digest(source)
    except OSError as error:
        raise DomainError(f"无法读取文件“{source.name}”：{error.strerror or error}") from None
    media_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"

    def body(work: UnitOfWork) -> AttachmentInfo:
        case = load_case(work.session, case_id)
        if case.status is CaseStatus.CLOSED:
            raise ValidationError("案件已结案归档，不能再添加附件")
        _copy_in(source, _stored(desk, sha256))
        row = Attachment(
            id=uuid.uuid4(),
            case_id=case.id,
            sha256=sha256,
            filename=filename[-255:],
            media_type=media_type,
            size=size,
            description=description,
        )
        work.session.add(row)
        work.session.flush()
        work.changed("attachment", case_id=case.id)
        return _info(row)

    return desk.run("cases.attachment", Permission.EDIT_CASE, body)


def list_attachments(desk: Desk, case_id: uuid.UUID) -> list[AttachmentInfo]:
    with desk.read() as session:
        rows = session.scalars(
            sa.select(Attachment).where(Attachment.case_id == case_id).order_by(Attachment.created_at)
        )
        return [_info(row) for row in rows]


def attachment_file(desk: Desk, attachment_id: uuid.UUID) -> Path:
    """The attachment's file in the data folder, after checking that it is still what was added."""
    with desk.read() as session:
        row = session.get(Attachment, attachment_id)
        if row is None:
            raise NotFound("找不到该附件")
        sha256 = row.sha256
    path = _stored(desk, sha256)
    if not path.is_file():
        raise DomainError(f"附件文件不在数据文件夹中（{path.name}）；请从备份中找回 attachments 文件夹")
    if _digest(path)[0] != sha256:
        raise DomainError("附件文件已被改动或损坏，与登记时不一致")
    return path
