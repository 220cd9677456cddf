"""A desk's data key: made with the desk, kept in the keyring, bound to the engine; a desk without it refused
untouched; moved to a new laptop with ``keys export-data-key`` and ``keys import-data-key``; a plaintext desk
migrated; the blind index kept by every write path."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from mediation_desk import cli
from mediation_desk.domain import canonical
from mediation_desk.domain.codes import CaseSource, PartyRole, UserRole
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.domain.permissions import Permission
from mediation_desk.security import datakey
from mediation_desk.security.binding import binding
from mediation_desk.security.datakey import DataKeyMissing
from mediation_desk.security.keystore import KeyStore
from mediation_desk.services import cases, identity
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.store import revisions
from mediation_desk.store.database import Database
from mediation_desk.store.datadir import DataDir
from mediation_desk.store.models import Party, Revision, Setting
from tests.migrations.make_fixtures import FIXTURES

ID_NUMBER, PHONE = "331122199001011230", "13957800000"  # synthetic
PASSPHRASE = "a long synthetic passphrase"


def _case(id_number: str = ID_NUMBER, phone: str = PHONE) -> CaseInput:
    return CaseInput(
        intake_date=date(2026, 3, 2),
        source=CaseSource.APPLICATION,
        category="02",
        parties=[
            PartyInput("王小明", PartyRole.APPLICANT, id_number=id_number, phone=phone),
            PartyInput("赵小红", PartyRole.RESPONDENT),
        ],
    )


def _key_id(desk: Desk) -> str:
    key_id = desk.setting(datakey.KEY_ID_SETTING)
    assert key_id is not None
    return key_id


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_new_desk_has_its_own_key_in_the_keyring(desk: Desk, tmp_path: Path) -> None:
    key_id = _key_id(desk)
    stored = KeyStore(key_id).get(datakey.SECRET_NAME)
    assert binding(desk.database.engine).key.key_id == key_id
    assert desk.setting(datakey.KEY_CHECK_SETTING) == binding(desk.database.engine).key.check
    other = Desk.open(tmp_path / "other", Actor.local_operator("test"), create=True)
    try:
        assert _key_id(other) != key_id
        assert KeyStore(_key_id(other)).get(datakey.SECRET_NAME) != stored
    finally:
        other.close()


def test_numbers_are_shown_stored_encrypted_found_by_index_and_history_names_fields(desk: Desk) -> None:
    row = cases.register_case(desk, _case()).value
    party = cases.get_case(desk, row.id).parties[0]
    assert (party.id_number, party.phone) == (ID_NUMBER, PHONE)
    raw = sqlite3.connect(desk.data_dir.database)
    try:
        stored = raw.execute("SELECT id_number, phone, id_number_index FROM party WHERE name = '王小明'").fetchone()
    finally:
        raw.close()
    assert stored[0].startswith("v1:")
    assert stored[1].startswith("v1:")
    assert len(stored[2]) == 32
    assert [found.id for found in identity.cases_of_person(desk, "3311 2219 9001 0112 30")] == [row.id]
    with desk.write("test.edit", Permission.EDIT_CASE) as work:  # an ORM update of the number keeps the index
        edited = work.session.scalars(sa.select(Party).where(Party.case_id == row.id, Party.position == 0)).one()
        edited.id_number = "33112219900101124X"
        edited.phone = "13957800001"
    assert identity.cases_of_person(desk, ID_NUMBER) == []
    assert [found.id for found in identity.cases_of_person(desk, "33112219900101124x")] == [row.id]
    with desk.write("test.edit", Permission.EDIT_CASE) as work:  # only the phone: the index stays
        edited = work.session.scalars(sa.select(Party).where(Party.case_id == row.id, Party.position == 0)).one()
        edited.phone = "13957800002"
    assert [found.id for found in identity.cases_of_person(desk, "33112219900101124X")] == [row.id]
    changes = [entry for entry in cases.case_history(desk, row.id) if entry.action == "update"]
    assert [tuple(entry.fields) for entry in changes][-2:] == [("id_number", "phone"), ("phone",)]


def test_a_replayed_log_gets_the_receiving_desks_own_index(desk: Desk, tmp_path: Path) -> None:
    row = cases.register_case(desk, _case()).value
    target = Database.open(DataDir(tmp_path / "replayed"), create=True)
    try:
        with desk.read() as session:
            log = [revisions.IncomingRevision.of(r) for r in session.scalars(sa.select(Revision).order_by(Revision.id))]
        assert any(ID_NUMBER in item.data for item in log)  # outgoing copies are the plain canonical rows
        with target.sessions() as session:
            session.info["actor"] = "test"
            revisions.apply_revisions(session, log)
            session.commit()
        replayed = Desk(target, Actor.local_operator("test"))
        assert [found.id for found in identity.cases_of_person(replayed, ID_NUMBER)] == [row.id]
    finally:
        target.close()


# ---------------------------------------------------------------------------------------------------------------
# A desk whose key is not in this machine's keyring


def test_a_desk_without_its_key_is_refused_untouched(desk: Desk, capsys: pytest.CaptureFixture[str]) -> None:
    cases.register_case(desk, _case())
    key_id, root = _key_id(desk), desk.data_dir.root
    desk.close()
    secret = KeyStore(key_id).get(datakey.SECRET_NAME)
    KeyStore(key_id).delete(datakey.SECRET_NAME)
    try:
        before = _files(root)
        with pytest.raises(DataKeyMissing, match="import-data-key") as raised:
            Desk.open(root, Actor.local_operator("test"))
        assert raised.value.key_id == key_id
        assert cli.main(["--data-dir", str(root), "cases", "list"]) == 1
        error = capsys.readouterr().err
        assert error.count("\n") == 1
        assert "没有此工作台的数据密钥" in error
        assert key_id in error
        assert _files(root) == before  # nothing written: no backup, no journal, no lock left behind
    finally:
        KeyStore(key_id).put(datakey.SECRET_NAME, secret)


def test_a_wrong_key_in_the_keyring_is_refused(desk: Desk) -> None:
    key_id, root = _key_id(desk), desk.data_dir.root
    desk.close()
    secret = KeyStore(key_id).get(datakey.SECRET_NAME)
    KeyStore(key_id).put(datakey.SECRET_NAME, datakey.new_data_key().secret.hex()[:44] + "=")
    try:
        with pytest.raises(DataKeyMissing, match="已损坏或与此工作台不符"):
            Desk.open(root, Actor.local_operator("test"))
    finally:
        KeyStore(key_id).put(datakey.SECRET_NAME, secret)


# ---------------------------------------------------------------------------------------------------------------
# Moving a desk to a new laptop


def _passphrase_file(tmp_path: Path, text: str = PASSPHRASE) -> str:
    path = tmp_path / "passphrase.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


def test_a_desk_moves_to_a_new_laptop_with_its_key(
    desk: Desk, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row = cases.register_case(desk, _case()).value
    key_id, root = _key_id(desk), desk.data_dir.root
    desk.close()
    exported, pw = tmp_path / "desk.key", _passphrase_file(tmp_path)
    assert cli.main(["--data-dir", str(root), "keys", "export-data-key", str(exported), "--password-file", pw]) == 0
    assert key_id in capsys.readouterr().out
    assert cli.main(["--data-dir", str(root), "keys", "export-data-key", str(exported), "--password-file", pw]) == 1
    assert "已存在" in capsys.readouterr().err
    laptop = tmp_path / "laptop"
    shutil.copytree(root, laptop, ignore=shutil.ignore_patterns("*.lock"))
    KeyStore(key_id).delete(datakey.SECRET_NAME)  # the new laptop's keyring knows nothing of the desk
    wrong = _passphrase_file(tmp_path / "..", "not the passphrase")
    assert (
        cli.main(["--data-dir", str(laptop), "keys", "import-data-key", str(exported), "--password-file", wrong]) == 1
    )
    assert "口令不正确" in capsys.readouterr().err
    assert KeyStore(key_id).find(datakey.SECRET_NAME) is None
    assert cli.main(["--data-dir", str(laptop), "keys", "import-data-key", str(exported), "--password-file", pw]) == 0
    assert "已导入数据密钥" in capsys.readouterr().out
    moved = Desk.open(laptop, Actor.local_operator("test"))
    try:
        assert cases.get_case(moved, row.id).parties[0].phone == PHONE
    finally:
        moved.close()
    assert cli.main(["--data-dir", str(laptop), "keys", "import-data-key", str(exported), "--password-file", pw]) == 0
    assert "已有此数据密钥" in capsys.readouterr().out


def test_another_desks_key_file_is_refused(desk: Desk, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = Desk.open(tmp_path / "other", Actor.local_operator("test"), create=True)
    other.close()
    exported, pw = tmp_path / "other.key", _passphrase_file(tmp_path)
    assert (
        cli.main(
            ["--data-dir", str(tmp_path / "other"), "keys", "export-data-key", str(exported), "--password-file", pw]
        )
        == 0
    )
    root = desk.data_dir.root
    desk.close()
    assert cli.main(["--data-dir", str(root), "keys", "import-data-key", str(exported), "--password-file", pw]) == 1
    assert "属于另一个工作台" in capsys.readouterr().err
    assert (
        cli.main(
            ["--data-dir", str(root), "keys", "import-data-key", str(tmp_path / "nope.key"), "--password-file", pw]
        )
        == 1
    )
    assert "找不到数据密钥文件" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------------------------
# A desk from before field encryption


def test_a_plaintext_desk_is_encrypted_by_its_migration(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "desk")
    data_dir.create()
    shutil.copyfile(FIXTURES / "schema_0002.sqlite3", data_dir.database)
    raw = sqlite3.connect(data_dir.database)
    try:
        party_id, data = raw.execute(
            "SELECT id, (SELECT data FROM revision WHERE record_id = party.id) FROM party"
        ).fetchone()
        row = json.loads(data)
        row.update(id_number=ID_NUMBER, phone=PHONE)
        raw.execute("UPDATE party SET id_number = ?, phone = ? WHERE id = ?", (ID_NUMBER, PHONE, party_id))
        raw.execute("UPDATE revision SET data = ? WHERE record_id = ?", (canonical.dumps(row), party_id))
        raw.commit()
    finally:
        raw.close()
    desk = Desk.open(data_dir.root, Actor.local_operator("test"))
    try:
        found = identity.cases_of_person(desk, ID_NUMBER)
        assert len(found) == 1
        assert cases.get_case(desk, found[0].id).parties[0].phone in (PHONE, "")
        with desk.read() as session:
            assert session.get(Setting, datakey.KEY_ID_SETTING) is not None
    finally:
        desk.close()
    content = b"".join(path.read_bytes() for path in data_dir.root.glob("mediation-desk.sqlite3*"))
    assert ID_NUMBER.encode() not in content  # the old values were zeroed (secure_delete), not just unlinked
    assert PHONE.encode() not in content
    # the backup made before the migration is the desk as it was, in clear: the README says so
    (before,) = [path for path in data_dir.root.rglob("*.sqlite3") if "pre-migration" in path.name]
    assert ID_NUMBER.encode() in before.read_bytes()


def test_id_numbers_are_whole_only_for_the_roles_that_may_see_them(desk: Desk) -> None:
    shown = {role: identity.shown_id_number(Desk(desk.database, Actor("test", role)), ID_NUMBER) for role in UserRole}
    assert shown[UserRole.MEDIATOR] == shown[UserRole.DIRECTOR] == shown[UserRole.ADMIN] == ID_NUMBER
    assert shown[UserRole.TOWNSHIP_CLERK] == shown[UserRole.COUNTY_CLERK] == "331122********1230"
