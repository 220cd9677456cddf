"""Translations the Qt way (STYLE.md §8): English source strings in ``tr()``, ``.ts`` files in git, ``.qm`` built.

The program only loads the ``.qm`` files, from wherever the resources live (``mediation_desk.resources``); it never
writes them, since an installed program may be read-only. The build compiles them: a wheel carries them (setup.py),
an editable install and ``installer/bootstrap.py`` compile them beside their ``.ts`` in the checkout (they are
gitignored there), a frozen build ships them. Without one the program logs a warning and speaks English.
``compile_translations`` and ``update_sources`` (``lupdate`` over ``mediation_desk/ui``, to collect new strings
for translators) are developer tools.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from mediation_desk.resources import resource_path

log = logging.getLogger(__name__)

DOMAIN = "mediation_desk"
CHINESE = "zh_CN"
UI_SOURCES = Path(__file__).resolve().parent


class TranslationToolError(RuntimeError):
    """``lrelease`` or ``lupdate`` is missing or failed."""


def translations_dir() -> Path:
    return resource_path("translations")


def ts_path(language: str = CHINESE) -> Path:
    return translations_dir() / f"{DOMAIN}_{language}.ts"


def qm_path(language: str = CHINESE) -> Path:
    return translations_dir() / f"{DOMAIN}_{language}.qm"


def _qt_tool(name: str) -> Path | None:
    """Qt's ``lrelease``/``lupdate``: inside the PySide6 package, beside this Python, or on PATH."""
    exe = ".exe" if os.name == "nt" else ""
    candidates: list[Path] = []
    try:
        import PySide6

        candidates.append(Path(PySide6.__file__).resolve().parent / f"{name}{exe}")
    except ImportError:  # pragma: no cover - PySide6 is a dependency
        pass
    scripts = Path(sys.executable).parent
    candidates += [scripts / f"pyside6-{name}{exe}", scripts / "Scripts" / f"pyside6-{name}{exe}"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    found = shutil.which(f"pyside6-{name}") or shutil.which(name)
    return Path(found) if found else None


def find_lrelease() -> Path | None:
    return _qt_tool("lrelease")


def find_lupdate() -> Path | None:
    return _qt_tool("lupdate")


def _run(tool: Path, args: list[str]) -> None:
    try:
        completed = subprocess.run([str(tool), *args], capture_output=True, text=True, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise TranslationToolError(f"{tool.name} could not run: {error}") from error
    if completed.returncode != 0:
        raise TranslationToolError(f"{tool.name} failed: {completed.stderr.strip() or completed.stdout.strip()}")


def compile_translations(directory: Path | None = None) -> list[Path]:
    """Build a ``.qm`` beside every ``.ts`` with ``lrelease``; return the ``.qm`` files written."""
    folder = directory or translations_dir()
    sources = sorted(folder.glob("*.ts"))
    if not sources:
        return []
    tool = find_lrelease()
    if tool is None:
        raise TranslationToolError("lrelease was not found (it comes with PySide6-Essentials)")
    written: list[Path] = []
    for source in sources:
        target = source.with_suffix(".qm")
        _run(tool, ["-silent", str(source), "-qm", str(target)])
        written.append(target)
    return written


def needs_compiling(directory: Path | None = None) -> bool:
    """True when a ``.ts`` has no ``.qm`` or a newer one: the checkout's translations need compiling."""
    folder = directory or translations_dir()
    for source in folder.glob("*.ts"):
        target = source.with_suffix(".qm")
        if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
            return True
    return False


def update_sources(ts_file: Path | None = None) -> Path:
    """Collect the ``tr()`` strings of ``mediation_desk/ui`` into ``ts_file`` (default: the Chinese ``.ts``)."""
    tool = find_lupdate()
    if tool is None:
        raise TranslationToolError("lupdate was not found (it comes with PySide6-Essentials)")
    target = ts_file or ts_path()
    sources = sorted(str(path) for path in UI_SOURCES.glob("*.py"))
    _run(tool, [*sources, "-ts", str(target), "-target-language", CHINESE, "-no-obsolete", "-locations", "none"])
    return target


def install_translators(language: str = CHINESE) -> list[QTranslator]:
    """Install this program's translation and Qt's own (so standard buttons read 确定, 取消, 保存…).

    Returns the translators, which must stay referenced while they are installed. English needs none.
    """
    app = QCoreApplication.instance()
    if app is None or language.startswith("en"):
        return []
    QLocale.setDefault(QLocale(language))
    installed: list[QTranslator] = []
    ours = QTranslator(app)
    if ours.load(str(qm_path(language))):
        app.installTranslator(ours)
        installed.append(ours)
    else:
        log.warning("translation %s not found", qm_path(language).name)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase",):
        translator = QTranslator(app)
        if translator.load(f"{name}_{language}", qt_dir):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            log.warning("Qt translation %s_%s not found in %s", name, language, qt_dir)
    return installed


def remove_translators(translators: list[QTranslator]) -> None:
    app = QCoreApplication.instance()
    if app is None:
        return
    for translator in translators:
        app.removeTranslator(translator)
