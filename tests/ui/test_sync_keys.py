"""Key management on the 同步 page: the fingerprint in groups to read over the phone, the public key file, trusting a
peer's file only after confirming the fingerprint, the identity export with its warning, and the keyring's
failures (keys gone, keyring locked) shown with their way out, including a new device identity."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends.fail import Keyring as FailKeyring
from pytestqt.qtbot import QtBot

from mediation_desk.security import datakey
from mediation_desk.security.keystore import KeyStore
from mediation_desk.services import sync
from mediation_desk.services.desk import Desk
from mediation_desk.services.sync.identity import IDENTITY_SETTING, KeyRecord
from mediation_desk.store.models import Setting
from mediation_desk.ui.sync_common import ConfirmDialog
from mediation_desk.ui.sync_keys import fingerprint_lines
from mediation_desk.ui.tasks import TaskRunner
from tests.keyrings import LockedKeyring, keyring_swapped
from tests.sync.test_desk_support import world_template
from tests.ui.test_sync_page import cell, make_page, shoot

__all__ = ["world_template"]


def answer(
    monkeypatch: pytest.MonkeyPatch, *, tick: bool = True, typed: str | None = None, shot: str | None = None
) -> list[ConfirmDialog]:
    """Confirmation dialogs are answered: the box ticked (or not), the word typed, then confirmed."""
    asked: list[ConfirmDialog] = []

    def run(dialog: ConfirmDialog) -> int:
        asked.append(dialog)
        if dialog.check is not None:
            dialog.check.setChecked(tick)
        if dialog.typed is not None and typed is not None:
            dialog.typed.setText(typed)
        assert dialog.confirm.isEnabled() == dialog.ready
        if shot:
            dialog.show()
            shoot(dialog, shot)
        dialog.confirm.click()
        return int(dialog.result())

    monkeypatch.setattr(ConfirmDialog, "exec", run)
    return asked


def test_the_fingerprint_is_shown_in_groups(qtbot: QtBot, desk: Desk, runner: TaskRunner, tmp_path: Path) -> None:
    page = make_page(qtbot, desk, runner)
    info = sync.show_keys(desk)
    shown = page.keys.fingerprint.text().splitlines()
    assert len(shown) == 4
    assert all(len(line.split()) == 4 for line in shown)
    assert " ".join(shown) == info.spoken
    assert "示例村人民调解委员会" in page.keys.org_label.text()
    page.keys.export_key(tmp_path / "village.pub")
    assert (tmp_path / "village.pub").is_file()
    assert "已写出公钥文件" in page.keys.notice.text()
    assert sync.read_peer_key(tmp_path / "village.pub")[0].fingerprint == info.fingerprint


def test_trusting_a_key_file_asks_to_confirm_the_fingerprint(
    qtbot: QtBot, desk: Desk, runner: TaskRunner, world_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = make_page(qtbot, desk, runner)
    page.tabs.setCurrentWidget(page.keys)
    key_file = world_template / "township.pub"
    township, _key = sync.read_peer_key(key_file)
    asked = answer(monkeypatch, tick=False)
    page.keys.trust_file(key_file)
    assert not asked[0].confirm.isEnabled()  # not ticked: the button waits
    assert "未信任" in page.keys.notice.text()
    assert sync.show_keys(desk).peers == ()
    asked = answer(monkeypatch, tick=True, shot="sync-trust-confirm")
    page.keys.trust_file(key_file)
    [dialog] = asked
    assert "五云街道" in dialog.text.text()
    assert fingerprint_lines(township.spoken) in dialog.text.text()
    assert "已信任五云街道" in page.keys.notice.text()
    [peer] = sync.show_keys(desk).peers
    assert peer.org == township.org
    assert page.keys.peers.rowCount() == 1
    assert "五云街道" in cell(page.keys.peers, 0, 0)
    assert page.table.rowCount() == 1  # the status board reloaded: the township is a peer now
    assert page.export_button.isEnabled()
    shoot(page, "sync-page-keys")


def test_a_bad_key_file_says_so(qtbot: QtBot, desk: Desk, runner: TaskRunner, tmp_path: Path) -> None:
    page = make_page(qtbot, desk, runner)
    bad = tmp_path / "township.pub"
    bad.write_text("not a key\n", encoding="utf-8")
    page.keys.trust_file(bad)
    assert page.keys.notice.text()
    assert sync.show_keys(desk).peers == ()


def test_the_identity_export_warns_first(
    qtbot: QtBot, desk: Desk, runner: TaskRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = make_page(qtbot, desk, runner)
    asked = answer(monkeypatch, tick=True)
    target = tmp_path / "identity.txt"
    page.keys.export_identity(target)
    assert "解密" in asked[0].text.text()
    assert target.read_text(encoding="utf-8").count("AGE-SECRET-KEY-") == 1
    assert "删除" in page.keys.notice.text()


def _keys_of(desk: Desk) -> tuple[KeyRecord, KeyStore]:
    """The public half of the desk's current keys, as its settings name them, and its keyring entry."""
    with desk.read() as session:
        identity, key_id = session.get(Setting, IDENTITY_SETTING), session.get(Setting, datakey.KEY_ID_SETTING)
        assert identity is not None
        assert key_id is not None
        return KeyRecord.from_json(json.loads(identity.value)), KeyStore(key_id.value)


@pytest.fixture
def lost_keys(desk: Desk) -> Iterator[None]:
    """The keyring loses this desk's sync keys (a reinstalled system), the settings still name them. Every test
    desk is a copy of one template, so the keys are put back afterwards for the tests that follow."""
    record, store = _keys_of(desk)
    kept = {name: store.get(name) for name in (record.signing_name, record.age_name)}
    for name in kept:
        assert store.delete(name)
    yield
    for name, value in kept.items():
        store.put(name, value)


def test_lost_keys_are_shown_and_a_new_identity_recovers(
    qtbot: QtBot, desk: Desk, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch, lost_keys: None
) -> None:
    before, _store = _keys_of(desk)
    page = make_page(qtbot, desk, runner)
    keys = page.keys
    assert not keys.problem.isHidden()
    assert "钥匙串中没有" in keys.problem.text()
    assert "换用新的设备标识" in keys.problem.text()
    assert not keys.export_button.isEnabled()
    assert not keys.trust_button.isEnabled()
    assert keys.new_button.isEnabled()  # the way out
    asked = answer(monkeypatch, typed="331122")  # the wrong code: nothing happens
    keys.new_identity()
    assert not asked[0].confirm.isEnabled()
    assert not keys.problem.isHidden()
    asked = answer(monkeypatch, typed="331122001001")
    keys.new_identity()
    assert keys.problem.isHidden()
    after = sync.show_keys(desk)
    assert after.device != before.device
    assert " ".join(keys.fingerprint.text().splitlines()) == after.spoken
    assert "新的公钥文件" in keys.notice.text()


@pytest.fixture
def locked_keyring() -> Iterator[None]:
    with keyring_swapped(LockedKeyring()):
        yield


def test_a_locked_keyring_says_how_to_go_on(qtbot: QtBot, desk: Desk, runner: TaskRunner, locked_keyring: None) -> None:
    page = make_page(qtbot, desk, runner)
    keys = page.keys
    assert "锁定" in keys.problem.text()
    assert "F5" in keys.problem.text()
    assert not keys.new_button.isEnabled()  # nothing is lost: unlock and try again
    assert not keys.export_button.isEnabled()
    assert page.stack.currentWidget() is page.empty  # the status board still loads (it needs no key)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    with keyring_swapped(FailKeyring()):
        yield


def test_no_keyring_at_all_says_what_to_set_up(qtbot: QtBot, desk: Desk, runner: TaskRunner, no_keyring: None) -> None:
    page = make_page(qtbot, desk, runner)
    assert "没有可用的系统钥匙串" in page.keys.problem.text()
    assert "设置系统钥匙串" in page.keys.problem.text()
    assert not page.keys.trust_button.isEnabled()


def test_the_template_desks_keys_are_still_there_for_the_tests_that_follow(desk: Desk) -> None:
    assert sync.show_keys(desk).fingerprint == _keys_of(desk)[0].fingerprint
