"""The signature checks of a sync import in the frozen program: its entry point calls ``freeze_support`` before
anything else and hands ``WORKER_FLAG`` to the helper; the helpers are the program itself when frozen; and
libsodium and ``cryptography`` agree on every signature (the helpers and this process check alike)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mediation_desk.domain import canonical
from mediation_desk.sync import signatures, verify_worker, verifying
from mediation_desk.sync.keys import REVISION_DOMAIN, SigningKey
from tests.sync import fileformat_support as fs

ENTRY = Path(__file__).resolve().parents[2] / "installer" / "entry.py"


def _checks() -> tuple[list[verifying.Check], list[bool]]:
    """Good signatures and bad ones (a flipped bit, another message, another key, wrong lengths)."""
    rows = fs.Rows(fs.village(), seed=11)
    key = fs.village().key.signing_key
    other = SigningKey.generate().public_key
    checks: list[verifying.Check] = []
    expected: list[bool] = []
    for number in range(30):
        revision = rows.revision(facts="示例", amount=number)
        message = REVISION_DOMAIN + canonical.canonical_bytes(revision.body())
        signature = revision.signature
        kind = number % 6
        if kind == 1:
            signature = bytes([signature[0] ^ 1]) + signature[1:]
        elif kind == 2:
            message += b" "
        elif kind == 3:
            checks.append((other, message, signature))
            expected.append(False)
            continue
        elif kind == 4:
            signature = signature[:63]
        checks.append((key, message, signature))
        expected.append(kind in (0, 5))
    return checks, expected


def test_the_entry_point_calls_freeze_support_first() -> None:
    tree = ast.parse(ENTRY.read_text(encoding="utf-8"))
    [run] = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "run"]
    first = run.body[0]
    assert isinstance(first, ast.Expr)
    assert isinstance(first.value, ast.Call)
    assert ast.unparse(first.value.func) == "multiprocessing.freeze_support"
    names = [alias.name for node in tree.body if isinstance(node, ast.Import) for alias in node.names]
    names += [node.module or "" for node in tree.body if isinstance(node, ast.ImportFrom)]
    assert set(names) <= {"__future__", "multiprocessing", "sys"}  # the program itself only after the hand-over


def test_the_helpers_are_the_frozen_program_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    assert verifying.worker_command(frozen=True) == [sys.executable, verify_worker.WORKER_FLAG]
    assert verifying.worker_command(frozen=False)[:2] == [sys.executable, "-c"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.delenv(verifying.WORKERS_ENV, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert verifying.worker_command() == [sys.executable, verify_worker.WORKER_FLAG]
    assert verifying.default_workers() == 4  # parallel checks on in the frozen build too
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert verifying.default_workers() == 0


def test_the_entry_point_with_the_flag_is_a_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    """The frozen program started as a helper (here: the entry script under this interpreter) answers as this
    process does."""
    checks, expected = _checks()
    command = [sys.executable, str(ENTRY), verify_worker.WORKER_FLAG]
    monkeypatch.setattr(verifying, "worker_command", lambda frozen=None: command)
    with verifying.Workers(2) as helpers:
        assert helpers.submit(checks)() == expected
        assert all(helper.process is not None and not helper.failed for helper in helpers._helpers)
    assert verifying.check_here(checks) == expected


def test_a_helper_started_by_the_entry_point_imports_nothing_else() -> None:
    probe = (
        f"import runpy, sys; sys.argv = [sys.argv[0], sys.argv[1]];runpy.run_path({str(ENTRY)!r}, run_name='__main__')"
    )
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write(' '.join(sorted(m for m in sys.modules "
        "if m.startswith(('mediation_desk', 'sqlalchemy', 'PySide6'))))))\n" + probe
    )
    done = subprocess.run(
        [sys.executable, "-c", code, verify_worker.WORKER_FLAG], input=b"", capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    loaded = set(done.stderr.decode().split())
    assert loaded <= {"mediation_desk", "mediation_desk.sync", "mediation_desk.sync.verify_worker"}


def test_libsodium_and_cryptography_agree() -> None:
    checks, expected = _checks()
    sodium = signatures._with_sodium()
    if sodium is None:
        pytest.skip("PyNaCl is not installed")
    plain = signatures._with_cryptography()
    for (key, message, signature), good in zip(checks, expected, strict=True):
        if len(key) == signatures.PUBLIC_KEY_BYTES and len(signature) == signatures.SIGNATURE_BYTES:
            assert sodium(key, message, signature) is good
            assert plain(key, message, signature) is good
        assert signatures.verify_raw(key, message, signature) is good
    assert signatures.backend() == "libsodium"


def test_a_frame_is_answered_byte_by_byte() -> None:
    checks, expected = _checks()
    usable = [check for check in checks if len(check[2]) == signatures.SIGNATURE_BYTES]
    frame = verifying._frame(usable)
    count = int.from_bytes(frame[:4], "big")
    answer = verify_worker.answer(count, frame[8:])
    assert list(answer) == [int(good) for check, good in zip(checks, expected, strict=True) if check in usable]


def test_the_smoke_test_starts_the_helper_with_the_same_flag() -> None:
    from installer import smoke

    assert smoke.SIGNATURE_WORKER_FLAG == verify_worker.WORKER_FLAG
