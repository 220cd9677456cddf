"""The desk's data key: export it wrapped with a passphrase, import it on a new laptop.

The key file is JSON (``security.datakey.wrap``): the key id, the scrypt parameters and the key sealed with
AES-GCM under the passphrase's key. It is written atomically and readable only by its owner where the file system
allows. Import checks the file against the desk before it touches the keyring: a key for another desk, a wrong
passphrase or a damaged file changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mediation_desk.domain.errors import DomainError, ValidationError
from mediation_desk.domain.permissions import Permission, check
from mediation_desk.security import datakey
from mediation_desk.security.binding import binding
from mediation_desk.security.datakey import DataKey, DataKeyError, DataKeyMissing
from mediation_desk.services.datafolder import open_desk
from mediation_desk.services.desk import Actor
from mediation_desk.store.files import atomic_path


@dataclass(frozen=True, slots=True)
class ImportedKey:
    key_id: str
    already_present: bool  # the keyring held this very key already: nothing was changed


def _desk_key(root: Path, actor: Actor) -> DataKey:
    desk = open_desk(root, actor)
    try:
        return binding(desk.database.engine).key
    finally:
        desk.close()


def export_data_key(root: Path, target: Path, passphrase: str, actor: Actor) -> str:
    """Write the desk's data key to ``target`` (a new file), wrapped with ``passphrase``; returns the key id."""
    check(actor.role, Permission.MANAGE_BACKUPS)
    if target.exists():
        raise ValidationError(f"文件 {target} 已存在；请换一个文件名，或先移走原文件")
    if not target.parent.is_dir():
        raise ValidationError(f"文件夹 {target.parent} 不存在")
    key = _desk_key(root, actor)
    data = datakey.wrap(key, passphrase)
    try:
        with atomic_path(target, mode=0o600, replace=False) as staged:
            staged.write_bytes(data)
    except FileExistsError:
        raise ValidationError(f"文件 {target} 已存在；请换一个文件名，或先移走原文件") from None
    return key.key_id


def _read_key_file(source: Path) -> bytes:
    try:
        if source.stat().st_size > datakey.MAX_EXPORT_BYTES:
            raise DataKeyError(f"{source.name} 不是调解工作台的数据密钥文件")
        return source.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"找不到数据密钥文件 {source}") from None
    except IsADirectoryError:
        raise ValidationError(f"{source} 是文件夹，不是数据密钥文件") from None


def import_data_key(root: Path, source: Path, passphrase: str, actor: Actor) -> ImportedKey:
    """Put the key in ``source`` into this machine's keyring, for the desk in ``root`` whose key it is."""
    check(actor.role, Permission.MANAGE_BACKUPS)
    key = datakey.unwrap(_read_key_file(source), passphrase)
    try:
        present = _desk_key(root, actor)
    except DataKeyMissing as missing:
        if missing.key_id != key.key_id or not key.matches(missing.check):
            raise _other_desk(key.key_id, missing.key_id) from None
        datakey.save(key)
        _desk_key(root, actor)  # the desk opens with it now
        return ImportedKey(key.key_id, already_present=False)
    if present.key_id != key.key_id or present.secret != key.secret:
        raise _other_desk(key.key_id, present.key_id)
    return ImportedKey(key.key_id, already_present=True)


def _other_desk(file_key: str, desk_key: str) -> DomainError:
    return DataKeyError(
        f"此数据密钥文件属于另一个工作台（密钥编号 {file_key}），本工作台的密钥编号为 {desk_key}；未导入任何内容"
    )
