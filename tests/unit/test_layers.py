"""The layer rules of DESIGN.md, read from the source with ``ast`` (imports inside functions and under
``TYPE_CHECKING`` count too) and checked once at run time.

- Nothing outside ``mediation_desk/ui/`` imports PySide6 (or shiboken6): the core serves the GUI and the CLI alike.
- ``ui/`` imports neither SQLAlchemy nor the store: widgets call services and never hold a session.
- ``domain/`` is pure Python: no SQLAlchemy, no Qt, and no other layer of the package.
- ``cli.py`` and ``commands/`` talk only to services: no GUI, no store, no SQLAlchemy. ``__main__.py`` decides
  between the GUI and the command line and imports the GUI only inside a function, when it starts.
- ``demo/`` (the synthetic county) imports no Qt.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "mediation_desk"
QT = ("PySide6", "shiboken6")
LAYERS_ABOVE_DOMAIN = (
    "store",
    "services",
    "sync",
    "documents",
    "security",
    "demo",
    "ui",
    "cli",
    "commands",
    "__main__",
)
UI = "mediation_desk.ui"
STORE = ("sqlalchemy", "mediation_desk.store")


@dataclass(frozen=True, slots=True)
class Import:
    path: Path
    line: int
    module: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(PACKAGE.parent)}:{self.line} imports {self.module}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(path: Path, node: ast.ImportFrom) -> str:
    """The absolute module of a ``from … import`` (relative imports resolved against the file's package)."""
    if not node.level:
        return node.module or ""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(path: Path, source: str | None = None) -> Iterator[Import]:
    """Every module ``path`` imports; ``source`` stands in for the file's text (the checker's own test)."""
    text = path.read_text(encoding="utf-8") if source is None else source
    tree = ast.parse(text, filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(path, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(path, node)
            yield Import(path, node.lineno, module)
            for alias in node.names:  # ``from mediation_desk import store`` names a module too
                yield Import(path, node.lineno, f"{module}.{alias.name}")
        elif isinstance(node, ast.Call):  # importlib.import_module("PySide6…") / __import__("…")
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in {"import_module", "__import__"} and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    yield Import(path, node.lineno, first.value)


def _within(module: str, *roots: str) -> bool:
    return any(module == root or module.startswith(root + ".") for root in roots)


def _files(*under: str) -> list[Path]:
    return sorted(PACKAGE.joinpath(*under).rglob("*.py"))


def _in(path: Path, folder: str) -> bool:
    return path.relative_to(PACKAGE).parts[0] == folder


def test_the_package_has_source_to_check() -> None:
    files = _files()
    assert len(files) > 10
    assert any(_in(path, "domain") for path in files)
    assert any(_in(path, "store") for path in files)


def test_nothing_outside_ui_imports_qt() -> None:
    offending = [
        str(found)
        for path in _files()
        if not _in(path, "ui")
        for found in imports_of(path)
        if _within(found.module, *QT)
    ]
    assert offending == [], "Qt imported outside mediation_desk/ui/:\n" + "\n".join(offending)


def test_ui_imports_neither_sqlalchemy_nor_the_store() -> None:
    offending = [str(found) for path in _files("ui") for found in imports_of(path) if _within(found.module, *STORE)]
    assert offending == [], "ui/ must talk to services, never to the store:\n" + "\n".join(offending)


def test_domain_is_pure_python() -> None:
    above = tuple(f"mediation_desk.{layer}" for layer in LAYERS_ABOVE_DOMAIN)
    offending = [
        str(found)
        for path in _files("domain")
        for found in imports_of(path)
        if _within(found.module, "sqlalchemy", "alembic", *QT, *above)
    ]
    assert offending == [], "domain/ imports neither SQLAlchemy, Qt nor another layer:\n" + "\n".join(offending)


def _command_line_files() -> list[Path]:
    entry = PACKAGE / "cli.py"
    return [*([entry] if entry.exists() else []), *_files("commands")]


def test_the_command_line_talks_only_to_services() -> None:
    files = _command_line_files()
    if not files:
        pytest.skip("mediation_desk/cli.py does not exist yet")
    offending = [str(found) for path in files for found in imports_of(path) if _within(found.module, UI, *STORE)]
    assert offending == [], "cli.py and commands/ import neither the GUI, the store nor SQLAlchemy:\n" + "\n".join(
        offending
    )


def _top_level_imports(path: Path) -> Iterator[Import]:
    """The imports ``path`` runs when it is imported: everything outside function bodies and lambdas."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    lines: set[int] = set()
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.stmt | ast.expr):
            lines.add(node.lineno)
        pending.extend(ast.iter_child_nodes(node))
    yield from (found for found in imports_of(path) if found.line in lines)


def test_main_imports_the_gui_only_when_it_starts() -> None:
    entry = PACKAGE / "__main__.py"
    assert any(_within(found.module, UI) for found in imports_of(entry)), "__main__.py starts the GUI"
    offending = [str(found) for found in _top_level_imports(entry) if _within(found.module, UI, *QT)]
    assert offending == [], "__main__.py imports the GUI inside the function that starts it:\n" + "\n".join(offending)


def test_demo_imports_no_qt() -> None:
    if not (PACKAGE / "demo").is_dir():
        pytest.skip("mediation_desk/demo/ does not exist yet")
    offending = [str(found) for path in _files("demo") for found in imports_of(path) if _within(found.module, *QT)]
    assert offending == [], "demo/ imports no Qt:\n" + "\n".join(offending)


def test_the_checker_sees_every_kind_of_import() -> None:
    text = (
        "from __future__ import annotations\n"
        "import importlib\n"
        "from typing import TYPE_CHECKING\n"
        "from .. import store\n"
        "from ..ui.i18n import tr\n"
        "if TYPE_CHECKING:\n"
        "    from PySide6.QtCore import QObject\n"
        "def later() -> None:\n"
        "    import shiboken6\n"
        "    importlib.import_module('PySide6.QtWidgets')\n"
    )
    # checked as if it were mediation_desk/services/probe.py; nothing is written into the package
    found = {item.module for item in imports_of(PACKAGE / "services" / "probe.py", text)}
    expected = {"mediation_desk.store", "mediation_desk.ui.i18n", "PySide6.QtCore", "shiboken6", "PySide6.QtWidgets"}
    assert expected <= found


def test_the_checker_sees_lazy_imports() -> None:
    """Imports deep inside functions, methods and lambdas, and ``import_module`` with a literal name, all count."""
    text = (
        "from importlib import import_module\n"
        "class Command:\n"
        "    def run(self) -> None:\n"
        "        def inner() -> None:\n"
        "            from mediation_desk.store.datadir import DataDir\n"
        "        try:\n"
        "            import sqlalchemy.exc\n"
        "        except ImportError:\n"
        "            pass\n"
        "later = lambda: import_module('mediation_desk.ui.app')\n"
        "def gui() -> object:\n"
        "    return __import__('mediation_desk.ui', fromlist=['app'])\n"
    )
    # checked as if it were mediation_desk/commands/probe.py; nothing is written into the package
    found = {item.module for item in imports_of(PACKAGE / "commands" / "probe.py", text)}
    assert {"mediation_desk.store.datadir", "sqlalchemy.exc", "mediation_desk.ui.app", "mediation_desk.ui"} <= found
    assert all(_within(module, UI, *STORE) for module in found - {"importlib", "importlib.import_module"})


def _run_python(code: str) -> dict[str, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=PACKAGE.parent,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    loaded: dict[str, list[str]] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


_REPORT_QT = (
    "import json, sys; "
    "print(json.dumps({'qt': sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))}))"
)


def test_importing_the_cli_loads_no_qt() -> None:
    if not (PACKAGE / "cli.py").exists():
        pytest.skip("mediation_desk/cli.py does not exist yet")
    loaded = _run_python("import mediation_desk.cli\n" + _REPORT_QT)
    assert loaded["qt"] == [], f"`import mediation_desk.cli` loaded Qt: {loaded['qt']}"


def test_importing_every_core_module_loads_no_qt() -> None:
    """Third-party imports count too: a core module must not pull Qt in through another library.

    The modules are listed from the file tree: ``pkgutil.walk_packages`` would import ``mediation_desk.ui``
    itself to look inside it.
    """
    modules = [
        _module_name(path)
        for path in _files()
        if not _in(path, "ui") and path.name != "__main__.py"  # __main__ may start things when imported
    ]
    code = f"import importlib\nfor name in {modules!r}:\n    importlib.import_module(name)\n" + _REPORT_QT
    loaded = _run_python(code)
    assert loaded["qt"] == [], f"importing the core packages loaded Qt: {loaded['qt']}"
