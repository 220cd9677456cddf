"""Every interface string is translated into Chinese, placeholders and shortcuts survive, the .ts file is up to
date with the sources, and the compiled .qm is what the program loads (TagStudio's ``test_translations``)."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from mediation_desk.ui import i18n

PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%\d+|%n")
MNEMONIC = re.compile(r"&(?!&)(\w)")


def messages(path: Path) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(path).getroot()
    return [
        (context.findtext("name", ""), message.findtext("source", ""), message)
        for context in root.iter("context")
        for message in context.iter("message")
    ]


TS = i18n.ts_path()
MESSAGES = messages(TS)


def test_there_is_a_chinese_translation_file() -> None:
    assert TS.name == "mediation_desk_zh_CN.ts"
    assert ET.parse(TS).getroot().get("language") == "zh_CN"
    assert len(MESSAGES) > 150


@pytest.mark.parametrize(("context", "source", "message"), MESSAGES, ids=[f"{c}:{s[:30]}" for c, s, _ in MESSAGES])
def test_every_string_is_translated(context: str, source: str, message: ET.Element) -> None:
    translation = message.find("translation")
    assert translation is not None
    assert translation.get("type") not in ("unfinished", "vanished", "obsolete"), f"{context}: {source!r}"
    text = translation.text or ""
    assert text.strip(), f"{context}: {source!r} has no translation"
    assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), "placeholders must survive"
    assert len(MNEMONIC.findall(text)) == len(MNEMONIC.findall(source)), "keyboard shortcuts must survive"
    if re.search(r"[A-Za-z]{3,}", source) and not re.search(r"\{|\d", source):
        assert re.search(r"[\u4e00-\u9fff]", text), f"{source!r} is not translated into Chinese"


def test_the_ts_file_is_up_to_date_with_the_sources(tmp_path: Path) -> None:
    if i18n.find_lupdate() is None:
        pytest.skip("lupdate is not available")
    fresh = tmp_path / TS.name
    shutil.copy(TS, fresh)
    i18n.update_sources(fresh)
    committed = {(context, source) for context, source, _ in MESSAGES}
    current = {(context, source) for context, source, _ in messages(fresh)}
    assert current - committed == set(), "new strings: run i18n.update_sources() and translate them"
    assert committed - current == set(), "strings no longer used: run i18n.update_sources()"


def test_compiled_translation_is_loaded(tmp_path: Path) -> None:
    if i18n.find_lrelease() is None:
        pytest.skip("lrelease is not available")
    shutil.copy(TS, tmp_path / TS.name)
    written = i18n.compile_translations(tmp_path)
    assert written == [tmp_path / "mediation_desk_zh_CN.qm"]
    translator = QTranslator()
    assert translator.load(str(written[0]))
    assert translator.translate("CaseTableModel", "Case number") == "案号"


def test_the_application_speaks_chinese(qapp: object) -> None:
    assert QCoreApplication.translate("MainWindow", "Demo data") == "示例数据"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"  # Qt's own translation
    assert not i18n.needs_compiling()
