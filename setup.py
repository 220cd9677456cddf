"""The build step that pyproject.toml cannot express: ship ``resources/`` and ``migrations/`` inside the package.

The repository keeps both folders at its top level. A wheel carries them as ``mediation_desk/_shipped/resources``
and ``mediation_desk/_shipped/migrations`` (``mediation_desk.resources`` finds them there), with the Qt
translations compiled from ``resources/translations/*.ts`` into ``.qm`` by Qt's ``lrelease`` (from
PySide6-Essentials, a build requirement). An editable install leaves the folders where they are and compiles the
``.qm`` files beside their ``.ts`` in the checkout.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
PACKAGE = "mediation_desk"
SHIPPED = "_shipped"  # keep in step with mediation_desk/resources.py
FOLDERS = ("resources", "migrations")
TRANSLATIONS = Path("resources", "translations")
LEFT_OUT = ("__pycache__", "*.pyc", "*.pyo", "*.ts", "*.qm")  # sources of the .qm, and what a run leaves behind


def find_lrelease() -> str | None:
    """Qt's ``lrelease``: inside the PySide6 package, else ``pyside6-lrelease`` or ``lrelease`` on PATH."""
    exe = ".exe" if os.name == "nt" else ""
    spec = importlib.util.find_spec("PySide6")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / f"lrelease{exe}"
        if candidate.is_file():
            return str(candidate)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def compile_translations(sources: Path, target: Path) -> list[Path]:
    """``lrelease`` every ``.ts`` of ``sources`` into a ``.qm`` of the same name in ``target``."""
    tool = find_lrelease()
    if tool is None:
        raise RuntimeError("lrelease was not found: the build needs PySide6-Essentials (see [build-system])")
    written: list[Path] = []
    target.mkdir(parents=True, exist_ok=True)
    for ts in sorted(sources.glob("*.ts")):
        qm = target / ts.with_suffix(".qm").name
        completed = subprocess.run(
            [tool, "-silent", str(ts), "-qm", str(qm)], capture_output=True, text=True, check=False
        )
        if completed.returncode != 0 or not qm.is_file():
            raise RuntimeError(f"lrelease failed on {ts.name}: {(completed.stderr or completed.stdout).strip()}")
        written.append(qm)
    return written


def shipped_files() -> Iterator[tuple[Path, Path]]:
    """(source in the repository, path below the package) for every file the wheel carries, .qm aside."""
    for folder in FOLDERS:
        for source in sorted((HERE / folder).rglob("*")):
            relative = source.relative_to(HERE)
            left_out = any(fnmatch.fnmatch(part, pattern) for part in relative.parts for pattern in LEFT_OUT)
            if source.is_file() and not left_out:
                yield source, Path(SHIPPED, relative)


class BuildWithResources(build_py):
    """``build_py`` that also copies the shipped folders into the package and compiles the translations."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            try:
                compile_translations(HERE / TRANSLATIONS, HERE / TRANSLATIONS)
            except (RuntimeError, OSError) as error:  # the program then runs in English until they are compiled
                self.warn(f"translations not compiled: {error}")
            return
        package = Path(self.build_lib, PACKAGE)
        for source, relative in shipped_files():
            self.mkpath(str((package / relative).parent))
            self.copy_file(str(source), str(package / relative))
        compile_translations(HERE / TRANSLATIONS, package / SHIPPED / TRANSLATIONS)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if self.editable_mode:
            return outputs
        package = Path(self.build_lib, PACKAGE)
        shipped = [str(package / relative) for _source, relative in shipped_files()]
        translations = package / SHIPPED / TRANSLATIONS
        compiled = [str(translations / ts.with_suffix(".qm").name) for ts in sorted((HERE / TRANSLATIONS).glob("*.ts"))]
        return [*outputs, *shipped, *compiled]


setup(cmdclass={"build_py": BuildWithResources})
