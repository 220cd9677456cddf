"""Drafts of forms not yet saved (a case being registered or edited), kept so that a crash or a power cut loses
nothing typed. A draft is a small JSON object, encrypted with the desk's data key (it may hold ID and phone
numbers, which never rest in clear) and written atomically to ``drafts/`` in the data folder. Saving the form
discards its draft."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from mediation_desk.security.binding import binding
from mediation_desk.security.fields import DecryptionFailed
from mediation_desk.services.desk import Desk
from mediation_desk.store.files import atomic_write

FOLDER = "drafts"
_KEY = re.compile(r"[a-z0-9_\-]{1,80}")


def _path(desk: Desk, key: str) -> Path:
    if not _KEY.fullmatch(key):
        raise ValueError(f"bad draft key {key!r}")
    return desk.data_dir.root / FOLDER / f"{key}.draft"


def _context(key: str) -> bytes:
    return f"mediation-desk/draft/{key}".encode()


def save_draft(desk: Desk, key: str, content: dict[str, Any]) -> None:
    path = _path(desk, key)
    path.parent.mkdir(exist_ok=True)
    text = json.dumps(content, ensure_ascii=False, sort_keys=True)
    token = binding(desk.database.engine).cipher().encrypt(text, _context(key))
    atomic_write(path, token)


def load_draft(desk: Desk, key: str) -> dict[str, Any] | None:
    """The draft saved under ``key``, or ``None`` (none, or one this desk's key cannot read)."""
    path = _path(desk, key)
    try:
        token = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None
    try:
        content = json.loads(binding(desk.database.engine).cipher().decrypt(token, _context(key)))
    except (DecryptionFailed, ValueError):
        return None
    return content if isinstance(content, dict) else None


def discard_draft(desk: Desk, key: str) -> None:
    _path(desk, key).unlink(missing_ok=True)
