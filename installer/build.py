#!/usr/bin/env python3
"""Build the frozen program: one command, standard library only (Python 3.11 or newer with a shared libpython).

    python3 installer/build.py              Linux: the bundle, the tarball and the .deb in dist/
                                            Windows: the bundle and, with makensis on PATH, the setup program
    python3 installer/build.py --nsis       also compile installer/windows/mediation-desk.nsi with makensis
    python3 installer/build.py --bundle-only
    python3 installer/build.py --untrimmed  the bundle without the Qt trimming, in build/installer/untrimmed/
                                            (to measure what the trimming saves)

Steps: a build environment ``build/installer/venv`` with the program's dependencies and the ``build`` extra of
pyproject.toml (PyInstaller, pinned), reinstalled only when pyproject.toml changes; the translations compiled
with Qt's ``lrelease`` into ``build/installer/translations``; the icons rendered from
``installer/linux/mediation-desk.svg``; PyInstaller with ``installer/mediation_desk.spec`` into
``dist/mediation-desk/``; then the packages. installer/README.md describes each artefact.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout: `installer` importable as a script

from installer import project_info

ROOT = project_info.ROOT
INSTALLER = ROOT / "installer"
BUILD = ROOT / "build" / "installer"
VENV = BUILD / "venv"
STAMP = VENV / ".mediation-desk-build.json"
DIST = ROOT / "dist"
SPEC = INSTALLER / "mediation_desk.spec"
NSIS_SCRIPT = INSTALLER / "windows" / "mediation-desk.nsi"
WINDOWS = os.name == "nt"
LINUX = sys.platform.startswith("linux")
# Qt's xcb platform plugin needs these beyond a fresh Debian 12 (PLATFORM.md); the .deb depends on them
XCB_PACKAGES = ("libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0")
PIP = ("-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off", "-q")
IGNORED_LOCATION = re.compile(r"^WARNING: Location '.*' is ignored: it is neither a file nor a directory\.$")


class BuildError(RuntimeError):
    """A step of the build failed; the message says which and why."""


def say(message: str = "") -> None:
    print(message, flush=True)


def run(command: Sequence[str | Path], *, env: dict[str, str] | None = None, cwd: Path = ROOT) -> None:
    args = [str(part) for part in command]
    say("$ " + " ".join(args))
    if subprocess.run(args, env=env, cwd=cwd, check=False).returncode != 0:
        raise BuildError(f"{Path(args[0]).name} failed")


def pip_install(requirements: Sequence[str]) -> None:
    """pip in the build environment, without its notes about configured package folders that do not exist."""
    args = [str(venv_python()), *PIP, *requirements]
    say("$ " + " ".join(args))
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
    for line in (result.stdout + result.stderr).splitlines():
        if not IGNORED_LOCATION.match(line):
            say(line)
    if result.returncode != 0:
        raise BuildError("pip install failed")


def bundle_dir(dist: Path = DIST) -> Path:
    return dist / project_info.APP_ID


def executable(bundle: Path) -> Path:
    return bundle / (f"{project_info.APP_ID}.exe" if WINDOWS else project_info.APP_ID)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if WINDOWS else "bin/python")


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def check_python() -> None:
    """PyInstaller freezes the interpreter it runs on: it needs the shared libpython on Linux."""
    if LINUX and not sysconfig.get_config_var("Py_ENABLE_SHARED"):
        raise BuildError(
            f"{sys.executable} was built without a shared libpython, which PyInstaller needs; use Debian's "
            "python3 (with libpython3.x) or a Python built with --enable-shared"
        )


def ensure_system_packages() -> None:
    """On Debian as root, install what Qt's xcb plugin needs (the .deb's dependencies are read off it)."""
    if not (LINUX and shutil.which("dpkg-query")):
        return
    missing = []
    for name in XCB_PACKAGES:
        query = subprocess.run(["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, text=True, check=False)
        if "install ok installed" not in query.stdout:
            missing.append(name)
    if not missing:
        return
    if os.geteuid() != 0:
        raise BuildError(f"missing system packages: {' '.join(missing)} (sudo apt-get install -y {' '.join(missing)})")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-q"], env=env)
    run(["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing], env=env)


def ensure_build_venv(project: project_info.Project) -> None:
    """``build/installer/venv`` with the dependencies and PyInstaller; reinstalled when pyproject.toml changes."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    try:
        stamp = json.loads(STAMP.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stamp = {}
    if stamp.get("pyproject") == digest and venv_python().exists():
        say(f"Build environment {VENV.relative_to(ROOT)} is up to date")
        return
    if not project.build_requirements:
        raise BuildError("pyproject.toml has no [project.optional-dependencies] build group (PyInstaller)")
    if not venv_python().exists():
        run([sys.executable, "-m", "venv", VENV])
    STAMP.unlink(missing_ok=True)
    pip_install([*project.dependencies, *project.bundled_extras, *project.build_requirements])
    STAMP.write_text(json.dumps({"pyproject": digest}), encoding="utf-8")


COMPILE = """
import sys, subprocess
from pathlib import Path
import PySide6
tool = Path(PySide6.__file__).parent / ("lrelease.exe" if sys.platform == "win32" else "lrelease")
for ts in sys.argv[2:]:
    qm = Path(sys.argv[1], Path(ts).with_suffix(".qm").name)
    subprocess.run([str(tool), "-silent", ts, "-qm", str(qm)], check=True)
    print("compiled", qm.name)
"""


def compile_translations() -> Path:
    """Every resources/translations/*.ts into a .qm in build/installer/translations (the checkout is not touched)."""
    target = BUILD / "translations"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    sources = project_info.translation_sources()
    if sources:
        run([venv_python(), "-c", COMPILE, target, *sources])
    return target


def render_icons() -> Path:
    """The application icon as PNG files and a Windows .ico, rendered from the SVG with Qt (installer/icons.py)."""
    target = BUILD / "icons"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run([venv_python(), INSTALLER / "icons.py", INSTALLER / "linux" / f"{project_info.APP_ID}.svg", target], env=env)
    return target


def freeze(dist: Path, translations: Path, icons: Path, *, trim: bool) -> Path:
    """Run PyInstaller on the spec; return the bundle folder."""
    env = {
        **os.environ,
        "MEDIATION_DESK_QM_DIR": str(translations),
        "MEDIATION_DESK_TRIM": "1" if trim else "0",
        "MEDIATION_DESK_ICON": str(icons / f"{project_info.APP_ID}.ico") if WINDOWS else "",  # Windows only
        "QT_QPA_PLATFORM": "offscreen",  # PyInstaller's Qt hooks start Qt to ask it for its paths
    }
    work = BUILD / ("work" if trim else "work-untrimmed")
    started = time.monotonic()
    command: list[str | Path] = [venv_python(), "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN"]
    run([*command, "--distpath", dist, "--workpath", work, SPEC], env=env)
    bundle = bundle_dir(dist)
    say(f"Bundle {bundle} ({megabytes(folder_size(bundle))}) built in {time.monotonic() - started:.0f} s")
    return bundle


def _normalised(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    info.mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0")) or info.mtime
    return info


def tarball(bundle: Path, project: project_info.Project, icons: Path) -> Path:
    """``mediation-desk-<version>-linux-<machine>.tar.gz``: the bundle with the desktop entry and the icon."""
    machine = os.uname().machine
    top = f"{project_info.APP_ID}-{project.version}"
    target = DIST / f"{top}-linux-{machine}.tar.gz"
    partial = target.with_name(target.name + ".part")
    extras = [
        (INSTALLER / "linux" / f"{project_info.APP_ID}.desktop", f"share/applications/{project_info.APP_ID}.desktop"),
        (INSTALLER / "linux" / f"{project_info.APP_ID}.svg", f"share/icons/{project_info.APP_ID}.svg"),
        (icons / f"{project_info.APP_ID}.png", f"share/icons/{project_info.APP_ID}.png"),
        (INSTALLER / "linux" / "README.txt", "README.txt"),
    ]
    with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
        for path in sorted(bundle.rglob("*")):
            archive.add(path, f"{top}/{path.relative_to(bundle).as_posix()}", recursive=False, filter=_normalised)
        for source, name in extras:
            archive.add(source, f"{top}/{name}", filter=_normalised)
    partial.replace(target)
    say(f"Tarball {target} ({megabytes(target.stat().st_size)})")
    return target


def compile_nsis(bundle: Path, project: project_info.Project, icons: Path, output: Path) -> Path:
    """makensis on the script with this bundle; on Linux that checks the script (the bundle is not a Windows one)."""
    makensis = shutil.which("makensis")
    if makensis is None:
        raise BuildError("makensis was not found (Debian: apt-get install nsis; Windows: NSIS 3 from nsis.sf.io)")
    output.parent.mkdir(parents=True, exist_ok=True)
    defines = {
        "VERSION": project.version,
        "BUNDLE": str(bundle),
        "ICON": str(icons / f"{project_info.APP_ID}.ico"),
        "OUTFILE": str(output),
    }
    options = [f"-D{key}={value}" for key, value in defines.items()]
    run([makensis, "-V2", "-INPUTCHARSET", "UTF8", *options, NSIS_SCRIPT])
    say(f"NSIS installer {output} ({megabytes(output.stat().st_size)})")
    return output


def build(*, packages: bool, nsis: bool, trim: bool = True) -> Path:
    """Everything: returns the bundle folder."""
    check_python()
    project = project_info.read_project()
    say(f"Building {project.name} {project.version}")
    ensure_system_packages()
    BUILD.mkdir(parents=True, exist_ok=True)
    ensure_build_venv(project)
    translations = compile_translations()
    icons = render_icons()
    dist = DIST if trim else BUILD / "untrimmed"
    bundle = freeze(dist, translations, icons, trim=trim)
    if packages and trim and LINUX:
        from installer import debian

        tarball(bundle, project, icons)
        debian.build_deb(bundle, project, icons, DIST)
    if trim and (nsis or (packages and WINDOWS)):
        name = f"{project_info.APP_ID}-{project.version}-setup.exe"
        output = DIST / name if WINDOWS else BUILD / "nsis-check" / name
        compile_nsis(bundle, project, icons, output)
    return bundle


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description="Build the frozen Mediation Desk and its packages.")
    parser.add_argument("--bundle-only", action="store_true", help="only the one-folder bundle, no packages")
    parser.add_argument("--nsis", action="store_true", help="also compile the NSIS script with makensis")
    parser.add_argument("--untrimmed", action="store_true", help="the bundle without Qt trimming, for comparison")
    options = parser.parse_args(argv)
    try:
        build(packages=not options.bundle_only, nsis=options.nsis, trim=not options.untrimmed)
    except BuildError as error:
        say(f"Build failed: {error}")
        return 1
    except KeyboardInterrupt:
        say("Interrupted.")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
