"""Ed25519 signature checks of many revisions at once, on the other cores (a large file's most costly step).

A check is a pure function of (public key, message, signature): whichever process answers, the answer is the
same, so the reader stays deterministic and reports the same first bad line. ``Workers`` keeps a few helper
processes for the time of an import: each runs ``sync.verify_worker`` (``sync.signatures`` and nothing else of
this program, so it starts in a fraction of a second and never imports the GUI or the caller's main module): a
bare interpreter, or in the frozen program the program itself (``worker_command``). It is fed frames over its
standard input and answers one byte per signature. A thread per helper does the pipe I/O, so the caller parses
and merges while the helpers check. A helper that fails (cannot start, dies) is dropped and its share is checked
in this process: slower, never a different answer (the same ``signatures.verify_raw``).

Frame to a helper: ``count`` and ``size`` (4 bytes each, big-endian), then ``size`` bytes of items, each a 32-byte
public key, a 64-byte signature, a 4-byte length and the message. Answer: ``count`` bytes, 1 for a valid
signature.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from mediation_desk.sync.keys import verify
from mediation_desk.sync.signatures import PUBLIC_KEY_BYTES, SIGNATURE_BYTES
from mediation_desk.sync.verify_worker import WORKER_FLAG, read_exactly

Check = tuple[bytes, bytes, bytes]  # public key, message (domain included), signature
WORKERS_ENV = "MEDIATION_DESK_SYNC_WORKERS"  # how many helper processes (0: check in this process only)

_CODE = "from mediation_desk.sync.verify_worker import main; raise SystemExit(main())"
_NO_WINDOW = 0x08000000  # Windows' CREATE_NO_WINDOW: a helper of the windowed program opens no console


def worker_command(frozen: bool | None = None) -> list[str]:
    """How a helper is started: this interpreter running ``verify_worker``, or, in the frozen program (whose
    executable is the program, not an interpreter), the program itself with ``WORKER_FLAG``, which its entry
    point (``installer/entry.py``) hands to ``verify_worker`` before anything else."""
    if getattr(sys, "frozen", False) if frozen is None else frozen:
        return [sys.executable, WORKER_FLAG]
    return [sys.executable, "-c", _CODE]


def _environment() -> dict[str, str]:
    """The helper's environment: this one, with the folder this program is imported from first on its path
    (a source checkout that is not installed)."""
    root = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": os.pathsep.join(part for part in (root, path) if part)}


def check_here(checks: Sequence[Check]) -> list[bool]:
    """The checks in this process (``keys.verify``, the reference the helpers must agree with)."""
    return [verify(key, b"", message, signature) for key, message, signature in checks]


def _frame(checks: Sequence[Check]) -> bytes:
    parts: list[bytes] = []
    for key, message, signature in checks:
        parts += (key, signature, len(message).to_bytes(4, "big"), message)
    body = b"".join(parts)
    return len(checks).to_bytes(4, "big") + len(body).to_bytes(4, "big") + body


def _well_formed(check: Check) -> bool:
    return len(check[0]) == PUBLIC_KEY_BYTES and len(check[2]) == SIGNATURE_BYTES


class _Helper:
    """One helper process and the thread that talks to it."""

    def __init__(self) -> None:
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="signature-check")
        self.process: subprocess.Popen[bytes] | None = None
        self.failed = False
        self._lock = threading.Lock()

    def start(self) -> None:
        try:
            self.process = subprocess.Popen(
                worker_command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=_environment(),
                creationflags=_NO_WINDOW if sys.platform == "win32" else 0,
            )
        except OSError:
            self.failed = True

    def check(self, checks: Sequence[Check]) -> list[bool]:
        """The answers of the helper (of this process, if the helper cannot give them)."""
        with self._lock:
            if not self.failed and self.process is not None:
                answer = self._ask(self.process, checks)
                if answer is not None:
                    return answer
                self.failed = True
                self._stop()
        return check_here(checks)

    def _ask(self, process: subprocess.Popen[bytes], checks: Sequence[Check]) -> list[bool] | None:
        stdin, stdout = process.stdin, process.stdout
        if stdin is None or stdout is None:
            return None
        try:
            stdin.write(_frame(checks))
            stdin.flush()
            answer = read_exactly(stdout, len(checks))
        except (OSError, ValueError):
            return None
        if answer is None:
            return None
        return [value == 1 for value in answer]

    def _stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        for stream in (process.stdin, process.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def close(self) -> None:
        self.thread.shutdown(wait=True)
        with self._lock:
            self._stop()


def default_workers() -> int:
    """Helpers worth having here: one per core up to four, none on one core (in the frozen program too, whose
    helpers are the program itself, see ``worker_command``); ``MEDIATION_DESK_SYNC_WORKERS`` overrides."""
    said = os.environ.get(WORKERS_ENV, "").strip()
    if said.isdigit():
        return min(int(said), 8)
    cores = os.cpu_count() or 1
    return 0 if cores < 2 else min(cores, 4)


class Workers:
    """Helper processes checking signatures for the time of an import (a context manager); started on first
    use. ``submit`` splits the checks between them and answers, in order, through a future."""

    def __init__(self, count: int | None = None) -> None:
        self.count = default_workers() if count is None else count
        self._helpers: list[_Helper] = []

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def enabled(self) -> bool:
        return self.count > 0

    def _started(self) -> list[_Helper]:
        if not self._helpers:
            self._helpers = [_Helper() for _ in range(self.count)]
            for helper in self._helpers:
                helper.start()
        return self._helpers

    def submit(self, checks: Sequence[Check]) -> Callable[[], list[bool]]:
        """Start the checks; the returned function waits for their answers (one per check, in order)."""
        helpers = self._started() if self.enabled else []
        usable = [number for number, check in enumerate(checks) if _well_formed(check)]
        if not helpers or not usable:
            here = [False] * len(checks)
            for number, good in zip(usable, check_here([checks[n] for n in usable]), strict=True):
                here[number] = good
            return lambda: here
        share = -(-len(usable) // len(helpers))
        parts = [usable[start : start + share] for start in range(0, len(usable), share)]
        futures: list[tuple[list[int], Future[list[bool]]]] = [
            (part, helper.thread.submit(helper.check, [checks[n] for n in part]))
            for part, helper in zip(parts, helpers, strict=False)
        ]

        def answers() -> list[bool]:
            found = [False] * len(checks)
            for part, future in futures:
                for number, good in zip(part, future.result(), strict=True):
                    found[number] = good
            return found

        return answers

    def close(self) -> None:
        helpers, self._helpers = self._helpers, []
        for helper in helpers:
            helper.close()


__all__ = ["WORKERS_ENV", "WORKER_FLAG", "Check", "Workers", "check_here", "default_workers", "worker_command"]
