"""The surroundings of the frozen program's smoke test: a private home with its own credential store, running the
program, and watching the GUI show its window.

The data key of a desk lives in the operating system's keyring, so the program is run as on a Linux desktop: a
private D-Bus session bus and GNOME Keyring's Secret Service, with a login keyring unlocked by a synthetic
password, all under a temporary home that is removed afterwards. Nothing of the user's own keyring, settings or
data folder is touched.

The GUI runs on Qt's offscreen platform. Its window is found through Qt's own log of its windows
(``QT_LOGGING_RULES=qt.widgets.showhide=true``): Qt writes a line when a top-level window's native window becomes
visible, naming the widget's class (``LoginDialog``, ``MainWindow``).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

KEYRING_PASSWORD = "smoke-test-keyring"  # a synthetic password for the throw-away login keyring
SYSTEM_PACKAGES = {"dbus-daemon": "dbus", "gnome-keyring-daemon": "gnome-keyring"}
SHOWN = re.compile(r'QWidgetWindow\(0x[0-9a-f]+, name="(\w+)ClassWindow"\) to true via .*setNativeWindowVisibility')
QT_LOG = "qt.widgets.showhide:"
# What Qt's offscreen platform itself says on stderr; the program's own stderr must stay empty
OFFSCREEN_NOTICES = ("This plugin does not support propagateSizeHints()",)


class SmokeError(RuntimeError):
    """The smoke test cannot go on; the message says why."""


def ensure_tools() -> None:
    """dbus-daemon and gnome-keyring-daemon; installed on Debian as root when missing."""
    missing = sorted({package for tool, package in SYSTEM_PACKAGES.items() if shutil.which(tool) is None})
    if not missing:
        return
    if not (Path("/etc/debian_version").exists() and hasattr(os, "geteuid") and os.geteuid() == 0):
        raise SmokeError(f"the smoke test needs {' '.join(missing)} (a D-Bus session and GNOME Keyring)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "--no-install-recommends"]):
        extra = missing if command[1] == "install" else []
        if subprocess.run([*command, *extra], env=env, capture_output=True, check=False).returncode != 0:
            raise SmokeError(f"could not install {' '.join(missing)}")


@dataclass
class Home:
    """A temporary home: XDG folders, a session bus and an unlocked GNOME Keyring."""

    root: Path
    env: dict[str, str] = field(default_factory=dict)
    bus_pid: int | None = None
    keyring_pid: int | None = None

    @classmethod
    def start(cls) -> Home:
        ensure_tools()
        root = Path(tempfile.mkdtemp(prefix="mediation-desk-smoke-"))
        home = cls(root)
        try:
            home._start()
        except BaseException:
            home.stop()
            raise
        return home

    def _start(self) -> None:
        runtime = self.root / "run"
        runtime.mkdir(mode=0o700)
        base = {key: value for key, value in os.environ.items() if not key.startswith(("MEDIATION_DESK", "QT_"))}
        base.pop("PYTHON_KEYRING_BACKEND", None)
        self.env = {
            **base,
            "HOME": str(self.root),
            "XDG_CONFIG_HOME": str(self.root / ".config"),
            "XDG_DATA_HOME": str(self.root / ".local" / "share"),
            "XDG_CACHE_HOME": str(self.root / ".cache"),
            "XDG_RUNTIME_DIR": str(runtime),
            "QT_QPA_PLATFORM": "offscreen",
            "LANG": "C.UTF-8",
        }
        bus = subprocess.run(
            ["dbus-daemon", "--session", "--fork", "--nosyslog", "--print-address=1", "--print-pid=1"],
            env=self.env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        address, pid = bus.stdout.split()[:2]
        self.bus_pid = int(pid)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = address
        keyring = subprocess.run(
            ["gnome-keyring-daemon", "--unlock", "--components=secrets", "--daemonize"],
            input=KEYRING_PASSWORD, env=self.env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        found = re.search(r"GNOME_KEYRING_PID=(\d+)", keyring.stdout)
        self.keyring_pid = int(found.group(1)) if found else None

    def stop(self) -> None:
        for pid in (self.keyring_pid, self.bus_pid):
            if pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def run(program: Sequence[str | Path], args: Sequence[str | Path], env: dict[str, str], timeout: float = 300) -> Result:
    started = time.monotonic()
    completed = subprocess.run(
        [*(str(part) for part in program), *(str(arg) for arg in args)],
        env=env, cwd=env["HOME"], capture_output=True, text=True, encoding="utf-8", errors="replace",
        timeout=timeout, check=False,
    )  # fmt: skip
    return Result(completed.returncode, completed.stdout, completed.stderr, time.monotonic() - started)


@dataclass
class Shown:
    """What a GUI start showed: the windows in the order they became visible, when, and stray stderr."""

    windows: list[tuple[str, float]] = field(default_factory=list)
    other_stderr: list[str] = field(default_factory=list)
    alive: bool = False
    returncode: int | None = None

    def first(self, wanted: str | None = None) -> tuple[str, float] | None:
        return next((item for item in self.windows if wanted is None or item[0] == wanted), None)


def _read_stderr(process: subprocess.Popen[str], started: float, shown: Shown, event: threading.Event) -> None:
    assert process.stderr is not None
    for raw in process.stderr:
        line = raw.rstrip("\n")
        match = SHOWN.search(line)
        if match:
            shown.windows.append((match.group(1), time.monotonic() - started))
            event.set()
        elif not line.startswith(QT_LOG) and line.strip() and line.strip() not in OFFSCREEN_NOTICES:
            shown.other_stderr.append(line)


def watch_gui(
    command: Sequence[str | Path], env: dict[str, str], *, wanted: str | None, timeout: float = 60, linger: float = 2
) -> Shown:
    """Start ``command``; wait until the window ``wanted`` (any top-level window if None) is shown, let the program
    run ``linger`` seconds more, then close it (SIGTERM, as a session's end does; the GUI has no other door from
    outside on the offscreen platform). Returns what was seen."""
    shown = Shown()
    env = {**env, "QT_LOGGING_RULES": "qt.widgets.showhide=true"}
    started = time.monotonic()
    process = subprocess.Popen(
        [str(part) for part in command], env=env, cwd=env["HOME"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, encoding="utf-8", errors="replace",
    )  # fmt: skip
    event = threading.Event()
    reader = threading.Thread(target=_read_stderr, args=(process, started, shown, event), daemon=True)
    reader.start()
    try:
        deadline = started + timeout
        while time.monotonic() < deadline and process.poll() is None and shown.first(wanted) is None:
            event.wait(0.1)
            event.clear()
        if shown.first(wanted) is not None:
            time.sleep(linger)
        shown.alive = process.poll() is None
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=5)
    shown.returncode = process.returncode
    return shown
