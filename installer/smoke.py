"""The smoke test of the frozen program (``installer/smoke-test``): build the bundle, then use it as a clerk would.

    installer/smoke-test                  build (installer/build.py) and test dist/mediation-desk/
    installer/smoke-test --no-build       test the bundle already in dist/
    installer/smoke-test --program PATH   test that program, e.g. /usr/bin/mediation-desk, without building
    installer/smoke-test --deb            also install the .deb with dpkg -i, test /usr/bin/mediation-desk,
                                          remove it with dpkg -r and check the data folders are still there
                                          (Debian, as root)
    installer/smoke-test --when-asked     what the test command runs: the test only when MEDIATION_DESK_SMOKE=1,
                                          or on CI when the last commit changed installer/, pyproject.toml or
                                          resources/ (installer/README.md); otherwise it says why not

The steps, each in a temporary home with its own keyring (smoke_env.py): ``--version``; ``init`` of a village
desk and a ledger import; ``demo``; ``print agreement`` when the bundle's ``--help`` lists ``print``; ``sync
export``/``sync import`` from the village to its township when it lists ``sync``; a county desk on the PostgreSQL
server that the test command starts (``MEDIATION_DESK_TEST_PG``; skipped without it); the GUI started offscreen, its
sign-in window found and closed, and the main window of a desk whose account is remembered for this session; last,
that the program wrote nothing into its own folder.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout: `installer` importable as a script

from installer import project_info, smoke_env
from installer.smoke_env import Home, Result, SmokeError

SKIPPED = 3  # the exit status of --when-asked when it does not run (the test command reports a skip)
ASK_ENV = "MEDIATION_DESK_SMOKE"
BASE_ENV = "MEDIATION_DESK_SMOKE_BASE"  # compare HEAD with this revision instead of its first parent
WATCHED = ("installer/", "pyproject.toml", "resources/")
PASSWORD = "correct-horse-battery"  # a synthetic credential for the throw-away desks
COUNTY, TOWNSHIP, VILLAGE = "331122", "331122001", "331122001001"
LEDGER_ROWS = 6
PG_ENV = "MEDIATION_DESK_TEST_PG"  # a postgresql+psycopg:// URL of a throw-away server (installer/bootstrap.py)
DEMO_CASES = 20
SIGNATURE_WORKER_FLAG = "--mediation-desk-signature-worker"  # sync/verify_worker.py's WORKER_FLAG


@dataclass
class Report:
    lines: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, name: str, state: str, note: str = "") -> None:
        self.lines.append((name, state, note))
        print(f"  [{state}] {name}" + (f": {note}" if note else ""), flush=True)

    @property
    def failed(self) -> bool:
        return any(state == "FAIL" for _name, state, _note in self.lines)


class Smoke:
    """The steps against one program, in one temporary home."""

    def __init__(self, program: Path, home: Home, report: Report) -> None:
        self.program = program
        self.home = home
        self.report = report
        self.work = home.root / "work"
        self.work.mkdir()
        self.password = self.work / "password.txt"
        self.password.write_text(PASSWORD + "\n", encoding="utf-8")
        self.commands: set[str] = set()

    def desk(self, name: str) -> Path:
        return self.home.root / "desks" / name

    def run(self, *args: str | Path, timeout: float = 300) -> Result:
        return smoke_env.run([self.program], args, self.home.env, timeout)

    def ok(self, *args: str | Path) -> Result:
        result = self.run(*args)
        if result.returncode != 0:
            shown = " ".join(str(arg) for arg in args)
            raise SmokeError(f"`{shown}` exit status {result.returncode}: {(result.stderr or result.stdout)[-600:]}")
        return result

    def totals(self, desk: Path) -> dict[str, object]:
        totals = json.loads(self.ok("--data-dir", desk, "stats", "--json").stdout)["totals"]
        assert isinstance(totals, dict)
        return totals

    def step(self, name: str, action: Callable[[], str]) -> None:
        started = time.monotonic()
        try:
            note = action()
        except (SmokeError, AssertionError, subprocess.TimeoutExpired, ValueError, KeyError) as error:
            self.report.add(name, "FAIL", str(error) or type(error).__name__)
            return
        state = "skip" if note.startswith("skipped") else "ok"
        self.report.add(name, state, f"{note} ({time.monotonic() - started:.1f} s)")

    # -- the steps ----------------------------------------------------------------------------------------------

    def version(self) -> str:
        expected = f"{project_info.APP_ID} {project_info.read_project().version}"
        result = self.ok("--version")
        if result.stdout.strip() != expected:
            raise SmokeError(f"--version printed {result.stdout.strip()!r}, expected {expected!r}")
        listed = self.ok("--help").stdout
        words = [line.split()[0] for line in listed.splitlines() if line.startswith("    ") and line.split()]
        self.commands = {word for word in words if re.fullmatch(r"[a-z][a-z-]*", word)}
        return f"{expected}, {result.seconds:.2f} s; commands: {' '.join(sorted(self.commands))}"

    def init(self) -> str:
        village = self.desk("village")
        self.set_up(village, VILLAGE, "示例村人民调解委员会", "village", TOWNSHIP)
        if self.totals(village)["cases"] != 0:
            raise SmokeError("a new desk reports cases")
        ledger = write_ledger(self.work / "台账.csv", LEDGER_ROWS)
        self.ok("--data-dir", village, "ledger", "import", ledger)
        cases = self.totals(village)["cases"]
        if cases != LEDGER_ROWS:
            raise SmokeError(f"after importing {LEDGER_ROWS} ledger rows the desk reports {cases} cases")
        return f"village desk set up, {LEDGER_ROWS} ledger rows imported"

    def set_up(self, desk: Path, code: str, name: str, level: str, parent: str | None) -> None:
        parent_args = ["--parent", parent] if parent else []
        self.ok("--data-dir", desk, "init", "--org", code, "--name", name, "--level", level, *parent_args,
                "--admin", "admin", "--password-file", self.password)  # fmt: skip

    def demo(self) -> str:
        demo = self.desk("demo")
        result = self.ok("--data-dir", demo, "demo", "--villages", "3", "--cases", str(DEMO_CASES))
        if self.totals(demo)["cases"] != DEMO_CASES:
            raise SmokeError(f"the demo county does not report {DEMO_CASES} cases")
        return f"{DEMO_CASES} synthetic cases in {result.seconds:.1f} s"

    def print_agreement(self) -> str:
        if "print" not in self.commands:
            return "skipped: this build has no `print` command"
        demo = self.desk("demo")
        cases = json.loads(self.ok("--data-dir", demo, "cases", "list", "--json").stdout)
        written = [case["number"] for case in cases if case.get("outcome") == "written"]
        if not written:
            raise SmokeError("the demo county has no case with a written agreement")
        pdf = self.work / "agreement.pdf"
        self.ok("--data-dir", demo, "print", "agreement", written[0], "-o", pdf)
        return check_pdf(pdf, ["人民调解协议书", written[0]])

    def sync(self) -> str:
        if "sync" not in self.commands:
            return "skipped: this build has no `sync` command"
        village, township = self.desk("village"), self.desk("township")
        self.set_up(township, TOWNSHIP, "五云街道人民调解委员会", "township", COUNTY)
        for desk in (village, township):
            self.ok("--data-dir", desk, "keys", "export", self.work / f"{desk.name}.pub")
        for desk, other in ((village, township), (township, village)):
            self.ok("--data-dir", desk, "keys", "trust", "--yes", self.work / f"{other.name}.pub")
        sent = self.work / "village.mdsync"
        self.ok("--data-dir", village, "sync", "export", "--to", TOWNSHIP, "-o", sent)
        self.ok("--data-dir", township, "sync", "import", sent)
        again = self.ok("--data-dir", township, "sync", "import", sent, "--json")
        if not all(item.get("already_imported") for item in json.loads(again.stdout)["files"]):
            raise SmokeError("the same sync file was imported twice")
        cases = self.totals(township)["cases"]
        if cases != LEDGER_ROWS:
            raise SmokeError(f"the township reports {cases} cases after the village's {LEDGER_ROWS}")
        return f"village → township: {sent.stat().st_size} bytes, {cases} cases merged, a second import adds nothing"

    def signature_helper(self) -> str:
        """The program started as a sync import's signature helper, as its parallel checks start it (the frozen
        program is no interpreter: ``installer/entry.py`` hands this flag to ``sync.verify_worker``)."""
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        key = Ed25519PrivateKey.generate()
        public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        messages = [b"mediation-desk smoke: signed", b"mediation-desk smoke: not this one's"]
        signatures = [key.sign(messages[0]), key.sign(b"another message")]
        body = b"".join(
            public + signature + len(message).to_bytes(4, "big") + message
            for signature, message in zip(signatures, messages, strict=True)
        )
        frame = len(messages).to_bytes(4, "big") + len(body).to_bytes(4, "big") + body
        started = time.monotonic()
        command = [str(self.program), SIGNATURE_WORKER_FLAG]
        done = subprocess.run(command, input=frame, capture_output=True, env=self.home.env, timeout=60, check=False)
        if done.returncode != 0 or done.stdout != b"\x01\x00":
            raise SmokeError(f"the signature helper answered {done.stdout!r}, exit {done.returncode}: {done.stderr!r}")
        return f"a good and a bad signature told apart in {time.monotonic() - started:.2f} s"

    def postgres(self) -> str:
        """A county desk on a database server (``--database-url``): the bundled driver, in a schema of its own."""
        url = os.environ.get(PG_ENV, "").strip()
        psql = shutil.which("psql")
        if not url or psql is None:
            return f"skipped: {PG_ENV} is not set or psql is missing (the test command starts a server)"
        schema = f"md_smoke_{os.getpid()}"
        server = re.sub(r"^postgresql\+\w+://", "postgresql://", url)
        subprocess.run([psql, server, "-q", "-c", f'CREATE SCHEMA "{schema}"'], check=True, capture_output=True)
        try:
            scoped = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
            county = self.desk("county-on-server")
            self.ok("--data-dir", county, "--database-url", scoped, "init", "--org", COUNTY, "--name", "缙云县",
                    "--level", "county", "--admin", "admin", "--password-file", self.password)  # fmt: skip
            self.ok("--data-dir", county, "ledger", "import", write_ledger(self.work / "县台账.csv", LEDGER_ROWS))
            cases = self.totals(county)["cases"]  # the folder remembers the server (database-url.txt)
        finally:
            drop = f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'
            subprocess.run([psql, server, "-q", "-c", drop], check=False, capture_output=True)
        if cases != LEDGER_ROWS:
            raise SmokeError(f"the county desk on PostgreSQL reports {cases} cases after {LEDGER_ROWS} ledger rows")
        return f"county desk on PostgreSQL: {LEDGER_ROWS} ledger rows imported and counted"

    def gui_sign_in(self) -> str:
        """The demo desk has several accounts: the GUI opens with its sign-in window."""
        return self.gui(self.desk("demo"), "LoginDialog")

    def gui_main_window(self) -> str:
        """The village desk's only account, remembered for this OS session: the GUI opens its main window."""
        remember_session(self.home, "admin")
        return self.gui(self.desk("village"), "MainWindow")

    def gui(self, desk: Path, wanted: str) -> str:
        shown = smoke_env.watch_gui([self.program, "--data-dir", desk, "gui"], self.home.env, wanted=wanted)
        seen = ", ".join(f"{name} at {seconds:.2f} s" for name, seconds in shown.windows) or "no window"
        first = shown.first(wanted)
        if first is None:
            raise SmokeError(f"no {wanted} window (exit status {shown.returncode}; shown: {seen}) {shown.other_stderr}")
        if not shown.alive:
            raise SmokeError(f"the GUI stopped by itself after showing {seen}: {shown.other_stderr}")
        if shown.other_stderr:
            raise SmokeError(f"the GUI wrote to stderr: {shown.other_stderr[:5]}")
        problems = gui_log_problems(desk)
        if problems:
            raise SmokeError(f"the GUI logged: {problems[:5]}")
        self.ok("--data-dir", desk, "backup", "create")  # the closed GUI left the folder's lock free
        return f"{wanted} shown after {first[1]:.2f} s (windows: {seen}), closed; the desk opens again"


def write_ledger(path: Path, count: int) -> Path:
    """A small synthetic ledger (invented names, past dates), as a township clerk's spreadsheet would be saved."""
    headers = ["受理日期", "纠纷类型", "案件来源", "申请人", "被申请人", "纠纷简要情况"]
    headers += ["调解结果", "协议形式", "结案日期"]
    names = ["张三", "李四", "王五", "赵六", "钱小明", "孙晓燕", "周建国", "吴秀英"]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for index in range(count):
            writer.writerow([
                f"2025-03-{index + 5:02d}", "邻里纠纷", "当事人申请", names[index % 8], names[(index + 3) % 8],
                f"两家因共用通道堆放杂物发生争执（第{index + 1}起）", "成功", "口头", f"2025-04-{index + 5:02d}",
            ])  # fmt: skip
    return path


def check_pdf(pdf: Path, expected: Sequence[str]) -> str:
    data = pdf.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise SmokeError(f"{pdf.name} is not a PDF")
    if shutil.which("pdftotext") is None or shutil.which("pdffonts") is None:
        return f"{pdf.name}: {len(data)} bytes (poppler-utils absent: text and fonts not checked)"
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
    missing = [word for word in expected if word not in text]
    if missing:
        raise SmokeError(f"{pdf.name} lacks the text {missing}")
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    if not fonts or any(" yes " not in line.split("  ", 1)[-1] for line in fonts):
        raise SmokeError(f"{pdf.name} has fonts that are not embedded: {fonts}")
    return f"{pdf.name}: {len(data)} bytes, its text found, {len(fonts)} fonts embedded"


def gui_log_problems(desk: Path) -> list[str]:
    """Warnings and errors of the GUI's log (a missing translation or font, a crash)."""
    lines: list[str] = []
    for log in sorted((desk / "logs").glob("gui.log*")):
        lines += [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
                  if " WARNING " in line or " ERROR " in line or "Traceback" in line]  # fmt: skip
    return lines


def remember_session(home: Home, username: str) -> None:
    """What the GUI keeps after a sign-in with "stay signed in": the account and this OS session's marker, in its
    QSettings file (mediation_desk/ui/login.py computes the marker the same way)."""
    import getpass
    import hashlib

    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        boot = str(round((time.time() - time.monotonic()) / 60))
    parts = [boot, getpass.getuser(), home.env.get("XDG_SESSION_ID", ""), home.env.get("SESSIONNAME", "")]
    marker = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    settings = Path(home.env["XDG_CONFIG_HOME"], "MediationDesk", "mediation-desk.ini")
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(f"[login]\nremembered_user={username}\nremembered_session={marker}\n", encoding="utf-8")


def files_of(folder: Path) -> dict[str, int]:
    return {str(path.relative_to(folder)): path.lstat().st_mtime_ns for path in folder.rglob("*")}


def smoke(program: Path, report: Report, install_dir: Path | None = None) -> Home:
    """Every step against ``program``; returns the home (still running) so that its desks can be checked later."""
    print(f"Smoke test of {program}", flush=True)
    home = Home.start()
    before = files_of(install_dir) if install_dir else {}
    checks = Smoke(program, home, report)
    for name, action in (
        ("--version", checks.version),
        ("init and ledger import", checks.init),
        ("demo", checks.demo),
        ("print agreement", checks.print_agreement),
        ("sync export/import", checks.sync),
        ("sync signature helper", checks.signature_helper),
        ("PostgreSQL (--database-url)", checks.postgres),
        ("GUI: sign-in window", checks.gui_sign_in),
        ("GUI: main window", checks.gui_main_window),
    ):
        checks.step(name, action)
    if install_dir is not None:
        changed = sorted(set(files_of(install_dir).items()) ^ set(before.items()))
        state = "FAIL" if changed else "ok"
        report.add("nothing written into the program's folder", state, ", ".join(n for n, _t in changed[:5]))
    return home


def changed_since_parent(root: Path = project_info.ROOT) -> tuple[bool, str]:
    """Whether the last commit touched installer/, pyproject.toml or resources/ (HEAD against its first parent, or
    against MEDIATION_DESK_SMOKE_BASE): on a clean checkout this is all there is to compare."""
    base = os.environ.get(BASE_ENV) or "HEAD^1"
    diff = subprocess.run(
        ["git", "-C", str(root), "diff", "--name-only", base, "HEAD"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if diff.returncode != 0:
        return True, f"cannot compare HEAD with {base} ({diff.stderr.strip()[:120]}): running to be safe"
    touched = [name for name in diff.stdout.splitlines() if name.startswith(WATCHED)]
    if touched:
        return True, f"{len(touched)} packaging input(s) changed since {base}, e.g. {touched[0]}"
    return False, f"nothing under {', '.join(WATCHED)} changed since {base}"


def wanted_by_test_command() -> tuple[bool, str]:
    if os.environ.get(ASK_ENV, "").strip() in {"1", "true", "yes"}:
        return True, f"{ASK_ENV}=1"
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        return changed_since_parent()
    return False, f"not asked (set {ASK_ENV}=1 to run it here)"


def hashes_of(folder: Path) -> dict[str, str]:
    import hashlib

    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.endswith(".lock")
    }


def dpkg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = ["dpkg", *(str(arg) for arg in args)]
    print("$ " + " ".join(command), flush=True)
    return subprocess.run(command, capture_output=True, text=True, check=False)


def deb_round_trip(report: Report) -> None:
    """dpkg -i the .deb, smoke-test the installed program, dpkg -r it: the users' data folders stay as they were."""
    version = project_info.read_project().version
    debs = sorted(project_info.DIST.glob(f"{project_info.APP_ID}_{version}_*.deb"))
    if not (debs and shutil.which("dpkg") and hasattr(os, "geteuid") and os.geteuid() == 0):
        report.add(".deb install", "FAIL", "needs the .deb in dist/ (installer/build.py), dpkg and root")
        return
    installed = dpkg("-i", debs[-1])
    if installed.returncode != 0:
        report.add("dpkg -i", "FAIL", installed.stderr.strip()[-600:])
        return
    report.add("dpkg -i", "ok", debs[-1].name)
    prefix = Path("/opt", project_info.APP_ID)
    program = Path("/usr/bin", project_info.APP_ID)
    home = smoke(program, report, install_dir=prefix)
    try:
        default = Path(home.env["XDG_DATA_HOME"], "MediationDesk")
        result = smoke_env.run([program], ["demo", "--villages", "1", "--cases", "3"], home.env)
        state = "ok" if result.returncode == 0 and default.is_dir() else "FAIL"
        report.add("the default data folder", state, f"{default}" + (f": {result.stderr}" if state == "FAIL" else ""))
        kept = {folder: hashes_of(folder) for folder in (*sorted(home.root.joinpath("desks").iterdir()), default)}
        removed = dpkg("-r", project_info.APP_ID)
        leftovers = [str(path) for path in (prefix, program, Path("/usr/share/applications/mediation-desk.desktop"))
                     if path.exists() or path.is_symlink()]  # fmt: skip
        if removed.returncode != 0 or leftovers:
            report.add("dpkg -r", "FAIL", removed.stderr.strip()[-300:] + f" left: {leftovers}")
        else:
            report.add("dpkg -r", "ok", f"{prefix}, {program} and the desktop entry removed")
        changed = [str(folder) for folder, before in kept.items() if hashes_of(folder) != before]
        note = str(changed) if changed else f"{len(kept)} folders unchanged"
        report.add("data folders kept by dpkg -r", "FAIL" if changed else "ok", note)
    finally:
        home.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="smoke-test", description="Build the frozen program and use it.")
    parser.add_argument("--no-build", action="store_true", help="test the bundle already in dist/")
    parser.add_argument("--program", type=Path, help="test this program (no build), e.g. /usr/bin/mediation-desk")
    parser.add_argument("--deb", action="store_true", help="also dpkg -i the .deb, test it and dpkg -r it (root)")
    parser.add_argument("--when-asked", action="store_true", help="run only when asked or packaging changed (CI)")
    options = parser.parse_args(argv)
    if options.when_asked:
        wanted, why = wanted_by_test_command()
        print(f"Smoke test of the frozen build: {'running' if wanted else 'not run'} ({why})", flush=True)
        if not wanted:
            return SKIPPED
    program = options.program or project_info.bundle_program()
    if options.program is None and not options.no_build:
        build = [sys.executable, project_info.ROOT / "installer" / "build.py"]
        if subprocess.run([str(part) for part in build], check=False).returncode != 0:
            print("Smoke test: the build failed", flush=True)
            return 1
    report = Report()
    try:
        smoke(program, report, install_dir=program.resolve().parent).stop()
        if options.deb:
            deb_round_trip(report)
    except SmokeError as error:
        report.add("set-up", "FAIL", str(error))
    counts = {state: sum(1 for _n, s, _t in report.lines if s == state) for state in ("ok", "skip", "FAIL")}
    print(f"Smoke test: {counts['ok']} ok, {counts['skip']} skipped, {counts['FAIL']} failed", flush=True)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
