"""The wheel works installed: built from the checkout, installed into a fresh virtual environment outside it, its
``mediation-desk`` sets up a desk, makes a demo county, reports and starts the GUI from the installed files alone.

The new environment gets the project's dependencies from the test's own environment through a ``.pth`` file that
names its site-packages folder: a plain path line adds the folder without running the editable-install hook that
lives there, so ``mediation_desk`` can only come from the wheel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import TEST_PASSWORD, TOWNSHIP_CODE, VILLAGE_CODE
from tests.unit.ledgers import expected_totals, random_ledger, write_csv

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = "mediation_desk/_shipped"
BIN = "Scripts" if os.name == "nt" else "bin"
EXE = ".exe" if os.name == "nt" else ""
NOT_BUILT_FROM = {"build", "dist", "tests", "bench", "installer"}  # besides dot folders and *.egg-info
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.py[cod]", "*.qm")  # the build must compile the .qm itself
GUI_SECONDS = 5.0
MISSING_TRANSLATION = "mediation_desk_zh_CN.qm not found"


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    package: Path
    work: Path
    env: dict[str, str]

    def program(self) -> Path:
        return self.venv / BIN / f"mediation-desk{EXE}"

    def run(self, *args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return _run([self.program(), *args], cwd=self.work, env=self.env, timeout=timeout)


def _run(
    command: Sequence[str | Path], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit status {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _copy_checkout(target: Path) -> None:
    """What a build reads: the checkout without its environments, build output, tests and compiled translations."""
    target.mkdir()
    for entry in ROOT.iterdir():
        if entry.name.startswith(".") or entry.name in NOT_BUILT_FROM or entry.name.endswith(".egg-info"):
            continue
        if entry.is_dir():
            shutil.copytree(entry, target / entry.name, ignore=LEFT_OUT)
        else:
            shutil.copy2(entry, target / entry.name)


def _build_wheel(work: Path) -> Path:
    source = work / "source"
    _copy_checkout(source)
    wheels = work / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    _ok(_run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", wheels, source], cwd=work, timeout=300))
    (wheel,) = wheels.glob("mediation_desk-*.whl")
    return wheel


def _environment(work: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    env.pop("MEDIATION_DESK_DATA", None)
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):  # QSettings and the like stay in work/
        env[name] = str(work / name.lower())
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def _make_venv(work: Path, wheel: Path) -> tuple[Path, Path]:
    """A virtual environment with the wheel alone, and the test environment's site-packages as a plain path."""
    venv = work / "venv"
    _ok(_run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=work))
    python = venv / BIN / f"python{EXE}"
    pip: list[str | Path] = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--python", python]
    _ok(_run([*pip, "install", "--no-deps", "--no-index", "-q", wheel], cwd=work, timeout=300))
    site = Path(
        _ok(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=work)).strip()
    )
    ours = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (site / "mediation-desk-dependencies.pth").write_text("".join(f"{path}\n" for path in ours), encoding="utf-8")
    return venv, site / "mediation_desk"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("installed")
    assert not work.resolve().is_relative_to(ROOT), "the install must be outside the checkout"
    wheel = _build_wheel(work)
    venv, package = _make_venv(work, wheel)
    return Installed(wheel, venv, package, work, _environment(work))


@pytest.fixture(scope="module")
def demo_desk(installed: Installed) -> Path:
    folder = installed.work / "demo-desk"
    _ok(installed.run("--data-dir", folder, "demo", "--cases", "50"))
    return folder


def _package_files(package: Path) -> dict[str, int]:
    return {
        str(path.relative_to(package)): path.stat().st_mtime_ns
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_the_wheel_carries_fonts_translations_reference_data_and_migrations(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    expected = [f"{SHIPPED}/resources/fonts/{font.name}" for font in (ROOT / "resources" / "fonts").glob("*.tt[cf]")]
    expected += [f"{SHIPPED}/resources/data/{table.name}" for table in (ROOT / "resources" / "data").glob("*.csv")]
    expected += [
        f"{SHIPPED}/resources/translations/{ts.stem}.qm" for ts in (ROOT / "resources" / "translations").glob("*.ts")
    ]
    expected += [
        f"{SHIPPED}/migrations/versions/{script.name}" for script in (ROOT / "migrations" / "versions").glob("*.py")
    ]
    expected += [f"{SHIPPED}/migrations/env.py", f"{SHIPPED}/migrations/script.py.mako"]
    assert len(expected) >= 7
    assert sorted(set(expected) - names) == []


def test_the_program_and_its_resources_come_from_the_new_environment(installed: Installed) -> None:
    python = installed.venv / BIN / f"python{EXE}"
    script = (
        "import mediation_desk, mediation_desk.resources as r\n"
        "print(mediation_desk.__file__); print(r.migrations_path()); print(r.resource_path('translations'))\n"
    )
    lines = _ok(_run([python, "-c", script], cwd=installed.work, env=installed.env)).splitlines()
    package, migrations, translations = (Path(line).resolve() for line in lines)
    assert package == (installed.package / "__init__.py").resolve()
    assert migrations.is_dir()
    assert migrations.is_relative_to(installed.package.resolve())
    assert translations.is_relative_to(installed.package.resolve())


def test_init_sets_up_a_desk_that_imports_a_ledger_and_reports_it(installed: Installed) -> None:
    folder = installed.work / "village-desk"
    password = installed.work / "password.txt"
    password.write_text(TEST_PASSWORD + "\n", encoding="utf-8")
    init = ["init", "--org", VILLAGE_CODE, "--name", "示例村人民调解委员会", "--level", "village"]
    _ok(
        installed.run(
            "--data-dir", folder, *init, "--parent", TOWNSHIP_CODE, "--admin", "admin", "--password-file", password
        )
    )
    totals = json.loads(_ok(installed.run("--data-dir", folder, "stats", "--json")))["totals"]
    assert totals["cases"] == 0
    rows = random_ledger(12)
    ledger = write_csv(installed.work / "ledger.csv", rows)
    _ok(installed.run("--data-dir", folder, "ledger", "import", ledger))
    totals = json.loads(_ok(installed.run("--data-dir", folder, "stats", "--json")))["totals"]
    assert totals["cases"] == 12
    assert totals["successful"] == expected_totals(rows)["successful"]


def test_the_demo_county_has_its_cases_in_the_stats(installed: Installed, demo_desk: Path) -> None:
    totals = json.loads(_ok(installed.run("--data-dir", demo_desk, "stats", "--json")))["totals"]
    assert totals["cases"] == 50


def test_the_gui_starts_offscreen_and_writes_nothing_into_the_install(installed: Installed, demo_desk: Path) -> None:
    before = _package_files(installed.package)
    output = installed.work / "gui-output.txt"
    with output.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen(
            [str(installed.program()), "--data-dir", str(demo_desk), "gui"],
            cwd=installed.work,
            env=installed.env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + GUI_SECONDS
            while time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.2)
            alive = process.poll() is None
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    logged = output.read_text(encoding="utf-8", errors="replace")
    logged += "".join(path.read_text(encoding="utf-8", errors="replace") for path in (demo_desk / "logs").glob("*"))
    assert alive, f"the GUI stopped by itself (exit status {process.returncode}):\n{logged}"
    assert "Traceback" not in logged
    assert MISSING_TRANSLATION not in logged
    assert _package_files(installed.package) == before
