"""The Debian package, built with ``dpkg-deb`` from the one-folder bundle (installer/build.py calls it).

Layout: the bundle in ``/opt/mediation-desk/``, ``/usr/bin/mediation-desk`` a link to its executable, the desktop
entry in ``/usr/share/applications`` and the icon in the hicolor theme (SVG and PNG sizes). ``Depends`` is worked
out by ``dpkg-shlibdeps`` from the system libraries the bundle's executables and libraries link against (what
PyInstaller leaves to the system: the C library, X11 and xcb, fontconfig, OpenGL...); the few plugins whose
libraries this build machine lacks are left out of that reckoning and named. The maintainer scripts only refresh
the desktop's menu and icon caches: no script ever touches a user's data folder, so ``dpkg -r`` and ``dpkg -P``
leave every desk where it is.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from installer import project_info  # build.py, which imports this module, makes `installer` importable

APP = project_info.APP_ID
LINUX_FILES = project_info.ROOT / "installer" / "linux"
PREFIX = Path("opt", APP)
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
MAINTAINER = "Mediation Desk maintainers <mediation-desk@localhost>"
ELF = b"\x7fELF"


class DebError(RuntimeError):
    """The package could not be built."""


def _elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == ELF:
                    found.append(path)
    return found


def _unresolved(files: list[Path], bundle: Path) -> dict[Path, list[str]]:
    """The files that need a library neither in the bundle nor on this machine (``ldd``'s "not found")."""
    lib_dirs = sorted({str(path.parent) for path in files})
    env = {**os.environ, "LD_LIBRARY_PATH": os.pathsep.join(lib_dirs)}
    missing: dict[Path, list[str]] = {}
    for path in files:
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env, check=False).stdout
        absent = [line.split()[0] for line in out.splitlines() if "not found" in line]
        if absent:
            missing[path.relative_to(bundle)] = absent
    return missing


def depends(bundle: Path) -> tuple[str, dict[Path, list[str]]]:
    """The ``Depends`` line by ``dpkg-shlibdeps``, and the files left out of it (with their missing libraries)."""
    if shutil.which("dpkg-shlibdeps") is None:
        raise DebError("dpkg-shlibdeps was not found (Debian: apt-get install dpkg-dev)")
    bundle = bundle.resolve()
    files = _elf_files(bundle)
    left_out = _unresolved(files, bundle)
    checked = [path for path in files if path.relative_to(bundle) not in left_out]
    lib_dirs = sorted({str(path.parent) for path in files})
    with tempfile.TemporaryDirectory() as scratch:
        control = Path(scratch, "debian", "control")
        control.parent.mkdir()
        control.write_text(f"Source: {APP}\n\nPackage: {APP}\nArchitecture: any\n", encoding="utf-8")
        command = ["dpkg-shlibdeps", "-O", "--ignore-missing-info", "--warnings=0", *(f"-l{d}" for d in lib_dirs)]
        result = subprocess.run(
            [*command, *(f"-e{path}" for path in checked)], cwd=scratch, capture_output=True, text=True, check=False
        )
    if result.returncode != 0:
        raise DebError(f"dpkg-shlibdeps failed: {result.stderr.strip()[-800:]}")
    match = re.search(r"shlibs:Depends=(.*)", result.stdout)
    return (match.group(1).strip() if match else ""), left_out


def _control(project: project_info.Project, architecture: str, depends_line: str, size_kb: int) -> str:
    summary = f"{project_info.DISPLAY_NAME} {project_info.ENGLISH_NAME}: 人民调解案件管理 (people's mediation cases)"
    return (
        f"Package: {APP}\n"
        f"Version: {project.version}\n"
        f"Architecture: {architecture}\n"
        f"Maintainer: {MAINTAINER}\n"
        f"Installed-Size: {size_kb}\n"
        f"Depends: {depends_line}\n"
        "Section: misc\n"
        "Priority: optional\n"
        f"Description: {summary}\n"
        " A desktop program for people's mediation committees: village mediators register\n"
        " and handle disputes on an offline laptop and print the official forms; township\n"
        " and county offices merge the villages' sync files and report. Every desk keeps\n"
        " its data in the user's own data folder (~/.local/share/MediationDesk), which\n"
        " removing this package leaves in place.\n"
    )


def _stage(bundle: Path, icons: Path, root: Path) -> None:
    shutil.copytree(bundle, root / PREFIX, symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / APP).symlink_to(Path("/", PREFIX, APP))
    applications = root / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    shutil.copy2(LINUX_FILES / f"{APP}.desktop", applications / f"{APP}.desktop")
    theme = root / "usr" / "share" / "icons" / "hicolor"
    (theme / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(LINUX_FILES / f"{APP}.svg", theme / "scalable" / "apps" / f"{APP}.svg")
    for size in ICON_SIZES:
        folder = theme / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copy2(icons / f"{APP}-{size}.png", folder / f"{APP}.png")
    for folder in [root, *(path for path in root.rglob("*") if path.is_dir() and not path.is_symlink())]:
        folder.chmod(0o755)


def build_deb(bundle: Path, project: project_info.Project, icons: Path, dist: Path) -> Path:
    """``dist/mediation-desk_<version>_<arch>.deb`` from the bundle; returns its path."""
    if shutil.which("dpkg-deb") is None:
        raise DebError("dpkg-deb was not found: the .deb is built on Debian or Ubuntu")
    architecture = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True)
    depends_line, left_out = depends(bundle)
    for path, libraries in sorted(left_out.items()):
        print(f"  not in Depends: {path} needs {', '.join(libraries)}, absent on this build machine", flush=True)
    target = dist / f"{APP}_{project.version}_{architecture.stdout.strip()}.deb"
    with tempfile.TemporaryDirectory(prefix="mediation-desk-deb-") as scratch:
        root = Path(scratch, "root")
        _stage(bundle, icons, root)
        size_kb = sum(p.lstat().st_size for p in root.rglob("*") if p.is_file() or p.is_symlink()) // 1024 + 1
        debian = root / "DEBIAN"
        debian.mkdir(mode=0o755)
        control = _control(project, architecture.stdout.strip(), depends_line, size_kb)
        (debian / "control").write_text(control, encoding="utf-8")
        for script in ("postinst", "postrm"):
            shutil.copy2(LINUX_FILES / script, debian / script)
            (debian / script).chmod(0o755)
        partial = Path(scratch, target.name)
        command = ["dpkg-deb", "--root-owner-group", "-Zxz", "-z6", "--build", str(root), str(partial)]
        print("$ " + " ".join(command), flush=True)
        if subprocess.run(command, check=False).returncode != 0:
            raise DebError("dpkg-deb failed")
        shutil.move(partial, target)
    print(f"Debian package {target} ({target.stat().st_size / 1_000_000:.1f} MB), Depends: {depends_line}", flush=True)
    return target
