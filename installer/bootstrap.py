#!/usr/bin/env python3
"""Set-up from a fresh clone, standard library only (Python 3.11 or newer, Linux or Windows).

    python3 installer/bootstrap.py run [--demo] [--data-dir DIR] [-- arguments for `mediation-desk gui`]
    python3 installer/bootstrap.py test [-- arguments for pytest]   (MEDIATION_DESK_SMOKE=1: with the smoke test)

On Windows the same with ``py installer\\bootstrap.py run`` / ``test`` (or ``installer\\run.bat`` / ``test.bat``).

``run`` makes (or reuses) ``.venv`` in the project folder, installs the project into it when pyproject.toml
changed since the last install, compiles the Qt translations and starts the GUI.

``test`` does what CI does: installs the system packages the tests need (Debian/Ubuntu, as root), the project
with its development tools and its build requirements (the packaging test builds a wheel), compiles the
translations, starts a throw-away PostgreSQL server for the aggregation tests, runs ruff, ruff format, mypy and
pytest, and stops and removes the server at the end.
pytest runs last so that its closing line ("N passed in ...") is the last line printed.
"""

from __future__ import annotations

import sys

if sys.version_info < (3, 11):  # noqa: UP036 - this script must say so itself on an older interpreter
    sys.exit(f"Mediation Desk needs Python 3.11 or newer; this is {sys.version.split()[0]} ({sys.executable}).")

import argparse
import contextlib
import glob
import hashlib
import importlib.util
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
WINDOWS = os.name == "nt"
LINUX = sys.platform.startswith("linux")
STAMP = VENV / ".mediation-desk-install.json"
PG_ENV = "MEDIATION_DESK_TEST_PG"
PG_PREFIX = "mediation-desk-pg-"
PG_DATABASE = "mediation_desk_test"

# Debian/Ubuntu packages the tests need: the PostgreSQL server for the aggregation tests, poppler and qpdf for the
# document tests (pdftotext, pdffonts, pdftoppm, qpdf --check), the age tool for the sync files' manual-recovery
# test, and what Qt's xcb plugin needs beyond a fresh machine, with Xvfb (PLATFORM.md).
XCB_PACKAGES = ("libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0")
TEST_PACKAGES = ("postgresql", "poppler-utils", "qpdf", "age", *XCB_PACKAGES, "xvfb", "xauth")

COMPILE_TRANSLATIONS = """
import sys
try:
    from mediation_desk.ui.i18n import compile_translations
except ModuleNotFoundError as error:
    if error.name in ("mediation_desk.ui", "mediation_desk.ui.i18n"):
        sys.exit(3)
    raise
written = compile_translations()
print(f"compiled {len(written)} translation file(s)")
"""
TRANSLATIONS_ABSENT = 3
IGNORED_LOCATION = re.compile(r"^WARNING: Location '.*' is ignored: it is neither a file nor a directory\.$")
PIP_INSTALL = ("-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off", "-q")


def say(message: str = "") -> None:
    print(message, flush=True)


def step(title: str) -> None:
    say(f"==> {title}")


def ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def is_debian() -> bool:
    return LINUX and Path("/etc/debian_version").exists() and shutil.which("dpkg-query") is not None


def run(
    command: Sequence[str | Path],
    *,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    quiet: bool = False,
    show: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run a command; with ``quiet`` its output is kept and printed only if it fails."""
    args = [str(part) for part in command]
    if show:
        say("$ " + (subprocess.list2cmdline(args) if WINDOWS else shlex.join(args)))
    if quiet:
        result = subprocess.run(args, env=env, cwd=cwd, text=True, capture_output=True, check=False)
        if result.returncode != 0:
            sys.stdout.write(result.stdout + result.stderr)
            sys.stdout.flush()
        return result
    return subprocess.run(args, env=env, cwd=cwd, text=True, check=False)


# ---------------------------------------------------------------------------------------------------------------
# The report of a test run


@dataclass
class Report:
    steps: list[tuple[str, str]] = field(default_factory=list)

    def ok(self, name: str, note: str = "") -> None:
        self.steps.append((name, "ok" + (f" ({note})" if note else "")))

    def failed(self, name: str, note: str = "") -> None:
        self.steps.append((name, "FAILED" + (f": {note}" if note else "")))

    def skipped(self, name: str, note: str) -> None:
        self.steps.append((name, f"skipped: {note}"))

    def check(self, name: str, returncode: int) -> None:
        if returncode == 0:
            self.ok(name)
        else:
            self.failed(name, f"exit status {returncode}")

    @property
    def any_failed(self) -> bool:
        return any(state.startswith("FAILED") for _name, state in self.steps)

    def print(self) -> None:
        say("")
        say("Summary of the steps before pytest:")
        width = max(len(name) for name, _state in self.steps)
        for name, state in self.steps:
            say(f"  {name.ljust(width)}  {state}")
        if self.any_failed:
            say("  A step failed: this command exits non-zero whatever pytest reports.")
        say("Running pytest last; its closing line is the result of the tests.")
        say("")


# ---------------------------------------------------------------------------------------------------------------
# System packages (Debian/Ubuntu)


def missing_packages(names: Sequence[str]) -> list[str]:
    missing: list[str] = []
    for name in names:
        result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, text=True, check=False)
        if result.returncode != 0 or "install ok installed" not in result.stdout:
            missing.append(name)
    return missing


def ensure_system_packages(names: Sequence[str], purpose: str) -> tuple[bool, str]:
    """Install missing Debian packages as root; elsewhere say what is missing. Returns (all present, note)."""
    if not is_debian():
        return True, "not Debian/Ubuntu: install the PostgreSQL server and poppler yourself if you want those tests"
    missing = missing_packages(names)
    if not missing:
        return True, "all present"
    if not is_root():
        say(f"Missing system packages for {purpose}: {' '.join(missing)}")
        say(f"  install them with: sudo apt-get install -y {' '.join(missing)}")
        return False, "missing " + " ".join(missing)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    say(f"Installing system packages for {purpose}: {' '.join(missing)}")
    if run(["apt-get", "update", "-q"], env=env, quiet=True).returncode != 0:
        return False, "apt-get update failed"
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing]
    if run(install, env=env, quiet=True).returncode != 0:
        return False, "apt-get install failed"
    still = missing_packages(missing)
    if still:
        return False, "still missing " + " ".join(still)
    return True, "installed " + " ".join(missing)


# ---------------------------------------------------------------------------------------------------------------
# The virtual environment


def venv_bin(name: str) -> Path:
    if WINDOWS:
        return VENV / "Scripts" / f"{name}.exe"
    return VENV / "bin" / name


def venv_python() -> Path:
    return venv_bin("python")


def _read_stamp() -> dict[str, str]:
    try:
        data = json.loads(STAMP.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _pyproject_hash() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def _venv_works() -> bool:
    if not venv_python().exists():
        return False
    result = subprocess.run(
        [str(venv_python()), "-c", "import sys; print(sys.version_info >= (3, 11))"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode == 0 and result.stdout.strip() == "True"


def _ensure_ensurepip() -> bool:
    """Debian's own python3 ships venv without pip until python3-venv is installed."""
    if importlib.util.find_spec("ensurepip") is not None:
        return True
    package = f"python3.{sys.version_info.minor}-venv"
    if is_debian() and is_root() and sys.executable.startswith("/usr/bin/"):
        ok, _note = ensure_system_packages(["python3-venv", package], "Python virtual environments")
        return ok
    say(f"This Python ({sys.executable}) cannot make virtual environments with pip.")
    say(f"  on Debian/Ubuntu: sudo apt-get install -y python3-venv {package}")
    return False


def _pip(args: Sequence[str]) -> int:
    """Run pip in .venv, leaving out its warnings about configured package folders that do not exist."""
    command = [str(venv_python()), *args]
    say("$ " + (subprocess.list2cmdline(command) if WINDOWS else shlex.join(command)))
    result = subprocess.run(command, cwd=ROOT, text=True, capture_output=True, check=False)
    for line in (result.stdout + result.stderr).splitlines():
        if not IGNORED_LOCATION.match(line):
            say(line)
    return result.returncode


def build_requirements() -> list[str]:
    """pyproject.toml's ``[build-system]`` requirements: with them the packaging test builds the wheel in .venv."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        requires = tomllib.load(handle).get("build-system", {}).get("requires", [])
    return [str(requirement) for requirement in requires]


def ensure_venv(extras: str) -> bool:
    """Make or reuse .venv; ``pip install -e .[extras]`` only when pyproject.toml (or the extras) changed."""
    stamp = _read_stamp()
    if VENV.exists() and not (_venv_works() and stamp.get("root", str(ROOT)) == str(ROOT)):
        if not (VENV / "pyvenv.cfg").exists():
            say(f"{VENV} exists but is not a virtual environment; move it away and try again.")
            return False
        say(f"{VENV} is broken or was made for another folder; making it again")
        shutil.rmtree(VENV)
        stamp = {}
    if not VENV.exists():
        step(f"Creating the virtual environment {VENV.relative_to(ROOT)} with Python {sys.version.split()[0]}")
        if not _ensure_ensurepip():
            return False
        if run([sys.executable, "-m", "venv", VENV]).returncode != 0:
            return False
    digest = _pyproject_hash()
    installed = stamp.get("extras", "")
    wanted = {"": {"", "dev"}, "dev": {"dev"}}[extras]
    if stamp.get("pyproject") == digest and installed in wanted:
        say(f"Project already installed in {VENV.relative_to(ROOT)} (pyproject.toml unchanged)")
        return True
    target = f".[{extras}]" if extras else "."
    tools = build_requirements() if extras == "dev" else []
    also = " and the build requirements" if tools else ""
    step(f"Installing the project into {VENV.relative_to(ROOT)}: pip install -e {target}{also}")
    STAMP.unlink(missing_ok=True)
    if _pip([*PIP_INSTALL, "-e", target, *tools]) != 0:
        return False
    STAMP.write_text(json.dumps({"pyproject": digest, "extras": extras, "root": str(ROOT)}), encoding="utf-8")
    return True


def compile_translations() -> tuple[bool, str]:
    step("Compiling the Qt translations (.ts -> .qm)")
    result = run([venv_python(), "-c", COMPILE_TRANSLATIONS], show=False)
    if result.returncode == TRANSLATIONS_ABSENT:
        say("mediation_desk/ui/i18n.py is not there yet: no translations to compile")
        return True, "no translation compiler yet"
    if result.returncode != 0:
        return False, f"exit status {result.returncode}"
    return True, ""


# ---------------------------------------------------------------------------------------------------------------
# A throw-away PostgreSQL server


def _postgres_bin() -> Path | None:
    def version(path: str) -> tuple[int, ...]:
        name = Path(path).parent.parent.name
        return tuple(int(part) for part in name.split(".") if part.isdigit())

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pid_alive(pid: int) -> bool:
    if WINDOWS:  # os.kill(pid, 0) would terminate the process there; servers are only started on Linux anyway
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _postgres_user_prefix() -> list[str]:
    """As root, the server's commands run as the postgres user (runuser, or su where runuser is missing)."""
    if not is_root():
        return []
    runuser = shutil.which("runuser")
    return [runuser, "-u", "postgres", "--"] if runuser else ["su", "postgres", "-s", "/bin/sh", "-c"]


class Postgres:
    """initdb + pg_ctl in a temporary folder, on 127.0.0.1 and a Unix socket in that folder, trust auth."""

    def __init__(self, bindir: Path, folder: Path | None = None) -> None:
        self.bindir = bindir
        self.port = 0
        self.as_user = _postgres_user_prefix()
        if folder is None:
            owner: tuple[int, int] | None = None
            if is_root():  # PostgreSQL refuses to run as root: the cluster belongs to the postgres user
                import pwd

                account = pwd.getpwnam("postgres")  # KeyError without that account
                owner = (account.pw_uid, account.pw_gid)
            folder = Path(tempfile.mkdtemp(prefix=PG_PREFIX))
            (folder / "bootstrap.pid").write_text(str(os.getpid()), encoding="ascii")
            if owner:
                os.chown(folder, *owner)
        self.tmp = folder
        self.data = folder / "data"
        self.log = folder / "server.log"

    def _server_command(self, *args: str | Path) -> list[str]:
        command = [str(arg) for arg in args]
        if self.as_user and self.as_user[0] == "su":
            return [*self.as_user, shlex.join(command)]
        return [*self.as_user, *command]

    def start(self) -> str:
        initdb = self._server_command(
            self.bindir / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale",
            "--no-sync",
        )  # fmt: skip
        if run(initdb, cwd=self.tmp, quiet=True, show=False).returncode != 0:
            raise RuntimeError("initdb failed")
        for _attempt in range(3):
            self.port = _free_port()
            options = (
                f"-p {self.port} -c listen_addresses=127.0.0.1 -k {shlex.quote(str(self.tmp))} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            start = self._server_command(
                self.bindir / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60", "-o", options, "start"
            )
            if run(start, cwd=self.tmp, quiet=True, show=False).returncode == 0:
                break
        else:
            with contextlib.suppress(OSError):
                say(self.log.read_text(encoding="utf-8", errors="replace")[-3000:])
            raise RuntimeError("pg_ctl start failed")
        createdb: list[str | Path] = [
            self.bindir / "createdb",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            PG_DATABASE,
        ]
        if run(createdb, cwd=self.tmp, quiet=True, show=False).returncode != 0:
            raise RuntimeError("createdb failed")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{PG_DATABASE}"

    def stop(self) -> None:
        """Stop the server and remove its folder; silent, so that pytest's closing line stays the last one."""
        if (self.data / "postmaster.pid").exists():
            stop = self._server_command(self.bindir / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
            subprocess.run(stop, cwd=self.tmp, capture_output=True, check=False)
        shutil.rmtree(self.tmp, ignore_errors=True)


def _remove_stale_clusters(bindir: Path) -> None:
    """Servers left by a run that was killed outright (SIGKILL): stop them and remove their folders."""
    for folder in Path(tempfile.gettempdir()).glob(PG_PREFIX + "*"):
        try:
            pid = int((folder / "bootstrap.pid").read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue
        if _pid_alive(pid):
            continue
        leftover = Postgres(bindir, folder)
        leftover.stop()


@contextlib.contextmanager
def throwaway_postgres(report: Report) -> Iterator[str | None]:
    """Yield a URL for the tests' PostgreSQL database, or None (the PostgreSQL tests then skip, or fail on CI)."""
    name = "PostgreSQL"
    preset = os.environ.get(PG_ENV)
    if preset:
        report.ok(name, f"using {PG_ENV} from the environment")
        yield preset
        return
    if not LINUX:
        reason = f"started only on Linux; set {PG_ENV} to a postgresql+psycopg:// URL to run those tests"
        (report.failed if ci() else report.skipped)(name, reason)
        yield None
        return
    bindir = _postgres_bin()
    if bindir is None:
        reason = "no PostgreSQL server (initdb) found: install the postgresql package"
        (report.failed if ci() else report.skipped)(name, reason)
        yield None
        return
    step(f"Starting a throw-away PostgreSQL server ({bindir.parent.name})")
    _remove_stale_clusters(bindir)
    server: Postgres | None = None
    url: str | None = None
    try:
        server = Postgres(bindir)
        url = server.start()
        report.ok(name, f"server {bindir.parent.name} on 127.0.0.1:{server.port}, removed after the tests")
        say(f"{PG_ENV}={url}")
    except KeyError:
        reason = "running as root, but there is no postgres user to own the server"
        (report.failed if ci() else report.skipped)(name, reason)
    except (RuntimeError, OSError) as error:
        reason = f"could not start a server: {error}"
        (report.failed if ci() else report.skipped)(name, reason)
    try:
        yield url
    finally:
        if server is not None:
            server.stop()


# ---------------------------------------------------------------------------------------------------------------
# Commands


def _terminate(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def command_test(pytest_args: Sequence[str]) -> int:
    report = Report()
    step("System packages for the tests")
    ok, note = ensure_system_packages(TEST_PACKAGES, "the tests")
    if ok:
        report.ok("system packages", note)
    elif ci():
        report.failed("system packages", note)
    else:
        report.skipped("system packages", note + "; tests that need them skip")

    if not ensure_venv("dev"):
        report.failed("virtual environment", "pip install -e '.[dev]' failed")
        report.print()
        say("Cannot run the tests without the virtual environment.")
        return 1
    report.ok("virtual environment", str(VENV.relative_to(ROOT)))

    ok, note = compile_translations()
    (report.ok if ok else report.failed)("translations", note)

    python = venv_python()
    for name, args in (
        ("ruff check", ["-m", "ruff", "check", "."]),
        ("ruff format", ["-m", "ruff", "format", "--check", "."]),
        ("mypy", ["-m", "mypy"]),
    ):
        step(name)
        report.check(name, run([python, *args]).returncode)

    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    with throwaway_postgres(report) as url:
        if url:
            env[PG_ENV] = url
        smoke = run([sys.executable, ROOT / "installer" / "smoke.py", "--when-asked"], env=env).returncode  # README
        report.skipped("smoke test", "not asked") if smoke == 3 else report.check("smoke test", smoke)
        report.print()
        step("pytest")
        tests = run([python, "-m", "pytest", "-ra", *pytest_args], env=env)
    if tests.returncode != 0:
        return tests.returncode
    return 1 if report.any_failed else 0


def _display_problem() -> str | None:
    """On Linux without a screen, say so before Qt fails with a message about plugins."""
    if not LINUX or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "No graphical display: neither DISPLAY nor WAYLAND_DISPLAY is set, so the window has nowhere to appear.\n"
        "  - On a Linux desktop, run this command in a terminal of that desktop session.\n"
        "  - Over SSH, connect with `ssh -X`, or start a virtual screen:\n"
        "        xvfb-run -a python3 installer/bootstrap.py run\n"
        "  - To start the program without any screen (a smoke test), set the Qt platform:\n"
        "        QT_QPA_PLATFORM=offscreen python3 installer/bootstrap.py run"
    )


def command_run(demo: bool, data_dir: str | None, extra: Sequence[str]) -> int:
    problem = _display_problem()
    if problem:
        say(problem)
        return 1
    if LINUX and os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM", "xcb") == "xcb":
        ok, note = ensure_system_packages(XCB_PACKAGES, "Qt's X11 (xcb) platform plugin")
        if not ok:
            say(f"The window may fail to open: {note}")
    if not ensure_venv(""):
        say("Setting up the virtual environment failed; see pip's messages above.")
        return 1
    ok, note = compile_translations()
    if not ok:
        say(f"Compiling the translations failed ({note}); the program may show English text.")
    program = venv_bin("mediation-desk")
    command: list[str | Path] = [program]
    if data_dir:  # relative to where the user is, not to the project folder
        command += ["--data-dir", str(Path(data_dir).expanduser().resolve())]
    command += ["gui", *(["--demo"] if demo else []), *extra]
    step("Starting Mediation Desk")
    return run(command).returncode


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in args:
        index = args.index("--")
        args, extra = args[:index], args[index + 1 :]
    parser = argparse.ArgumentParser(
        prog="bootstrap.py", description="Set up Mediation Desk from a fresh clone, then run it or test it."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="set up .venv and start the GUI (arguments after -- go to it)")
    run_parser.add_argument("--demo", action="store_true", help="load the synthetic demo county into an empty desk")
    run_parser.add_argument(
        "--data-dir", metavar="DIR", help="the data folder (default: MEDIATION_DESK_DATA, else the per-user folder)"
    )
    commands.add_parser("test", help="set up everything CI needs and run all checks (arguments after -- go to pytest)")
    options = parser.parse_args(args)

    signal.signal(signal.SIGTERM, _terminate)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, _terminate)
    try:
        if options.command == "run":
            return command_run(options.demo, options.data_dir, extra)
        code = command_test(extra)
    except KeyboardInterrupt:
        say("Interrupted.")
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
