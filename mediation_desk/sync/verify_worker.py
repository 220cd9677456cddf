"""A signature-checking helper process of ``sync.verifying``: reads frames on its standard input, answers one
byte per signature on its standard output, until its input ends.

Started as ``python -c`` with ``main`` (an interpreter) or, in the frozen program, as the program itself with
``WORKER_FLAG`` (``installer/entry.py`` hands over before anything else is imported). It imports nothing but
``sync.signatures`` (and that only once it checks, so that the program's entry point may read ``WORKER_FLAG``
for nothing): no GUI, no database, nothing of the caller's main module.

Frame: ``count`` and ``size`` (4 bytes each, big-endian), then ``size`` bytes of items, each a 32-byte public
key, a 64-byte signature, a 4-byte length and the message. Answer: ``count`` bytes, 1 for a valid signature.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import IO

WORKER_FLAG = "--mediation-desk-signature-worker"  # the frozen program's argument that makes it a helper


def read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    """``size`` bytes from ``stream``, or ``None`` if it ends first (the helper's frames and their answers)."""
    parts: list[bytes] = []
    left = size
    while left:
        part = stream.read(left)
        if not part:
            return None
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def answer(count: int, body: bytes) -> bytes:
    """One byte per item of a frame's body: 1 where the signature is valid."""
    from mediation_desk.sync.signatures import PUBLIC_KEY_BYTES, SIGNATURE_BYTES, verify_raw

    head = PUBLIC_KEY_BYTES + SIGNATURE_BYTES + 4
    found = bytearray(count)
    view = memoryview(body)
    at = 0
    for number in range(count):
        key = bytes(view[at : at + PUBLIC_KEY_BYTES])
        signature = bytes(view[at + PUBLIC_KEY_BYTES : at + PUBLIC_KEY_BYTES + SIGNATURE_BYTES])
        length = int.from_bytes(view[at + head - 4 : at + head], "big")
        message = bytes(view[at + head : at + head + length])
        at += head + length
        found[number] = verify_raw(key, message, signature)
    return bytes(found)


def serve(source: IO[bytes], sink: IO[bytes]) -> None:
    """Answer frames from ``source`` on ``sink`` until ``source`` ends."""
    while True:
        head = read_exactly(source, 8)
        if head is None:
            return
        count, size = int.from_bytes(head[:4], "big"), int.from_bytes(head[4:], "big")
        body = read_exactly(source, size)
        if body is None:
            return
        sink.write(answer(count, body))
        sink.flush()


def main() -> int:
    """Serve on the process's standard input and output (file descriptors 0 and 1: a windowed program has no
    ``sys.stdin``, but its pipes are there)."""
    source = sys.stdin.buffer if sys.stdin is not None else os.fdopen(0, "rb", closefd=False)
    sink = sys.stdout.buffer if sys.stdout is not None else os.fdopen(1, "wb", closefd=False)
    with contextlib.suppress(BrokenPipeError, KeyboardInterrupt):  # the import ended, or was stopped
        serve(source, sink)
    return 0


if __name__ == "__main__":
    sys.exit(main())
