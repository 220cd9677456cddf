"""What the packaging reads from the project: name, version and description from ``pyproject.toml``, the shipped
folders and the languages the program is translated into.

The version is dynamic in ``pyproject.toml`` (``[tool.setuptools.dynamic] version = { attr = ... }``); it is read
here from that module's ``__version__`` assignment without importing the program. Standard library only: the
build command, the PyInstaller spec and the smoke test all use it.
"""

from __future__ import annotations

import ast
import fnmatch
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
SHIPPED_FOLDERS = ("resources", "migrations")
TRANSLATIONS = Path("resources", "translations")
# As setup.py: the sources of the .qm files (compiled by the build) and what a run leaves behind
LEFT_OUT = ("__pycache__", "*.pyc", "*.pyo", "*.ts", "*.qm")
APP_ID = "mediation-desk"  # the executable, the .desktop file, the icon and the Debian package
DISPLAY_NAME = "调解工作台"
ENGLISH_NAME = "Mediation Desk"


@dataclass(frozen=True)
class Project:
    name: str
    version: str
    description: str
    dependencies: tuple[str, ...]
    build_requirements: tuple[str, ...]
    bundled_extras: tuple[str, ...]  # optional dependencies the frozen program carries (the PostgreSQL driver)
    licence: str


def _attribute_value(module: Path, name: str) -> str:
    """The string assigned to ``name`` at the top level of ``module``, read with ``ast``."""
    tree = ast.parse(module.read_text(encoding="utf-8"), filename=str(module))
    for node in tree.body:
        named = isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
        if named and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):  # type: ignore[attr-defined]
            return node.value.value  # type: ignore[attr-defined]
    raise ValueError(f"{module} assigns no string to {name}")


def _version(data: dict[str, object], root: Path) -> str:
    project = data["project"]
    assert isinstance(project, dict)
    if "version" in project:
        return str(project["version"])
    tool = data.get("tool", {})
    assert isinstance(tool, dict)
    attr = str(tool["setuptools"]["dynamic"]["version"]["attr"])
    module, _, name = attr.rpartition(".")
    path = root.joinpath(*module.split("."))
    source = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    return _attribute_value(source, name)


def read_project(root: Path = ROOT) -> Project:
    with (root / "pyproject.toml").open("rb") as handle:
        data = tomllib.load(handle)
    project = data["project"]
    extras = project.get("optional-dependencies", {})
    licence = project.get("license", {})
    return Project(
        name=str(project["name"]),
        version=_version(data, root),
        description=str(project.get("description", "")),
        dependencies=tuple(project.get("dependencies", [])),
        build_requirements=tuple(extras.get("build", [])),
        bundled_extras=tuple(extras.get("postgres", [])),
        licence=str(licence.get("text", "")) if isinstance(licence, dict) else str(licence),
    )


def shipped_files(root: Path = ROOT) -> Iterator[tuple[Path, Path]]:
    """(file, its folder relative to ``root``) for every file of ``resources/`` and ``migrations/`` the program
    ships, found by walking the folders (whatever is added there is shipped), the .qm files aside."""
    for folder in SHIPPED_FOLDERS:
        for source in sorted((root / folder).rglob("*")):
            relative = source.relative_to(root)
            left_out = any(fnmatch.fnmatch(part, pattern) for part in relative.parts for pattern in LEFT_OUT)
            if source.is_file() and not left_out:
                yield source, relative.parent


def translation_sources(root: Path = ROOT) -> list[Path]:
    return sorted((root / TRANSLATIONS).glob("*.ts"))


def shipped_languages(root: Path = ROOT) -> list[str]:
    """The languages of ``resources/translations/<domain>_<language>.ts``, e.g. ``zh_CN``."""
    languages = set()
    for source in translation_sources(root):
        parts = source.stem.split("_")
        tail = [part for part in parts[-2:] if part.isalpha() and len(part) in (2, 3)]
        if len(tail) == 2 and tail[1].isupper():
            languages.add("_".join(tail))
        elif tail:
            languages.add(tail[-1])
    return sorted(languages)


DIST = ROOT / "dist"


def bundle_program(dist: Path = DIST) -> Path:
    """The executable of the one-folder bundle that installer/build.py writes."""
    name = f"{APP_ID}.exe" if sys.platform == "win32" else APP_ID
    return dist / APP_ID / name
