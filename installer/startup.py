"""Start-up time of the frozen program against a frozen bare PySide6 window, measured in one run.

    python3 installer/startup.py [--runs N]

Needs the bundle (installer/build.py). Freezes ``installer/baseline_window.py`` with the same PyInstaller and
build environment into ``build/installer/baseline/``, then starts, in turn and ``N`` times each (default 5), the
bare window, the program's GUI on a desk with several accounts (to its sign-in window) and on a desk whose only
account is remembered for this session (to its main window), all on Qt's offscreen platform, and the command line
(``--version``). A GUI's time is from starting the process to Qt's log saying its window became visible
(smoke_env.watch_gui). Prints the medians and the sizes of the built artefacts, for the README.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout: `installer` importable as a script

from installer import project_info, smoke, smoke_env

BUILD = project_info.ROOT / "build" / "installer"
BASELINE = BUILD / "baseline"
EXCLUDED = ("tkinter", "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick")


def freeze_baseline() -> Path:
    python = BUILD / "venv" / "bin" / "python"
    if not python.exists():
        raise smoke_env.SmokeError("no build environment: run installer/build.py first")
    command = [str(python), "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN", "--onedir"]
    command += ["--name", "bare-window", "--distpath", str(BASELINE), "--workpath", str(BUILD / "work-baseline")]
    command += [arg for module in EXCLUDED for arg in ("--exclude-module", module)]
    result = smoke_env.run(command, [project_info.ROOT / "installer" / "baseline_window.py"], {"HOME": str(BUILD)})
    if result.returncode != 0:
        raise smoke_env.SmokeError(f"freezing the bare window failed: {result.stderr[-800:]}")
    return BASELINE / "bare-window" / "bare-window"


def median(samples: list[float]) -> str:
    return f"{statistics.median(samples):.2f} s (min {min(samples):.2f}, max {max(samples):.2f}, n={len(samples)})"


def sizes() -> list[tuple[str, int]]:
    version = project_info.read_project().version
    found = [("bundle (unpacked)", sum(p.stat().st_size for p in project_info.bundle_program().parent.rglob("*")
                                         if p.is_file() and not p.is_symlink()))]  # fmt: skip
    untrimmed = BUILD / "untrimmed" / project_info.APP_ID
    if untrimmed.is_dir():
        size = sum(p.stat().st_size for p in untrimmed.rglob("*") if p.is_file() and not p.is_symlink())
        found.append(("bundle without the Qt trimming", size))
    artefacts = [*project_info.DIST.glob(f"*{version}*"), *BUILD.glob(f"nsis-check/*{version}*")]
    found += [(path.name, path.stat().st_size) for path in sorted(artefacts) if path.is_file()]
    return found


def measure(runs: int) -> None:
    bare = freeze_baseline()
    home = smoke_env.Home.start()
    try:
        report = smoke.Report()
        checks = smoke.Smoke(project_info.bundle_program(), home, report)
        for action in (checks.version, checks.init, checks.demo):
            action()
        smoke.remember_session(home, "admin")
        program: list[str | Path] = [project_info.bundle_program(), "--data-dir"]
        starts: dict[str, Callable[[], float]] = {
            "bare PySide6 window": lambda: gui_time([bare], None, home),
            "program: sign-in window": lambda: gui_time([*program, checks.desk("demo"), "gui"], "LoginDialog", home),
            "program: main window": lambda: gui_time([*program, checks.desk("village"), "gui"], "MainWindow", home),
            "program: --version": lambda: checks.ok("--version").seconds,
        }
        samples: dict[str, list[float]] = {name: [] for name in starts}
        for _round in range(runs):
            for name, start in starts.items():
                samples[name].append(start())
        for name, values in samples.items():
            print(f"{name:28} {median(values)}")
    finally:
        home.stop()
    for name, size in sizes():
        print(f"{name:60} {size / 1_000_000:7.1f} MB")


def gui_time(command: Sequence[str | Path], wanted: str | None, home: smoke_env.Home) -> float:
    shown = smoke_env.watch_gui(command, home.env, wanted=wanted, linger=0.5)
    first = shown.first(wanted)
    if first is None:
        raise smoke_env.SmokeError(f"{command[0]}: no window shown ({shown.other_stderr[:3]})")
    time.sleep(0.5)
    return first[1]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="startup.py", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args(argv)
    try:
        measure(options.runs)
    except smoke_env.SmokeError as error:
        print(f"Measurement failed: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
