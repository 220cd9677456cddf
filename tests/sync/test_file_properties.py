"""Properties of the sync file, over many random examples (Hypothesis).

Random revisions (text with CJK, characters outside the BMP such as 𠈌, combining marks and control characters;
64-bit integers; nulls; dates; tombstones) come back exactly as written. Random damage never yields a successful
read with other revisions: bytes changed after the preamble (caught by age), and bytes changed inside the archive
by someone who can decrypt and re-encrypt it (caught by the ZIP checks, the signed manifest and the revisions'
own signatures); every refusal is a ``SyncFileError``, never another exception.
"""

from __future__ import annotations

import tempfile
import uuid
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediation_desk.domain import canonical
from mediation_desk.sync.errors import SyncFileError
from mediation_desk.sync.lines import SignedRevision, sign_revision
from tests.sync import fileformat_support as fs

RARE = "𠈌𡃁𨭎𪚥😀\U0010fffd"  # outside the Basic Multilingual Plane
TEXT_ALPHABET = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.sampled_from(RARE),
    st.sampled_from("\u0301\u0303\u0307\u0308\u0338\u200b\u2028\ufeff"),  # combining marks, invisible characters
    st.sampled_from('\n\t\r\b\f\x00\x1f\x7f"\\/<>=n'),  # escapes, and letters an escape ends in
    st.characters(codec="utf-8"),  # anything else (never a lone surrogate: it has no UTF-8 form)
)
TEXT = st.text(TEXT_ALPHABET, max_size=40)
INTEGER = st.integers(min_value=-(2**63), max_value=2**63 - 1)
VALUE = st.one_of(st.none(), TEXT, INTEGER, st.booleans(), st.dates(min_value=date(1900, 1, 1)))


@st.composite
def rows(draw: st.DrawFn) -> tuple[str, dict[str, Any], bool]:
    table = draw(st.sampled_from(sorted(fs.TABLES)))
    columns = sorted(fs.TABLES[table] - {"id"})
    chosen = draw(st.lists(st.sampled_from(columns), unique=True))
    data: dict[str, Any] = {column: draw(VALUE) for column in chosen}
    if "risk_flags" in data:
        data["risk_flags"] = draw(st.lists(st.one_of(TEXT, INTEGER, st.none()), max_size=4))
    return table, data, draw(st.booleans()) and draw(st.booleans())  # a quarter are tombstones


def _revisions(drawn: list[tuple[str, dict[str, Any], bool]], hlc: int) -> list[SignedRevision]:
    desk = fs.village()
    device = desk.key.device
    revisions = []
    for seq, (table, data, deleted) in enumerate(drawn, 1):
        record = uuid.UUID(int=seq, version=4)
        revisions.append(
            sign_revision(
                desk.signer,
                origin_device=device,
                origin_seq=seq,
                table=table,
                record_id=record,
                vv={str(device): seq, str(fs.other_village().key.device): hlc % 1000 + 1},
                hlc=hlc + seq,
                deleted=deleted,
                data={} if deleted else {"id": str(record), **data},
            )
        )
    return revisions


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows(), max_size=12), st.integers(min_value=0, max_value=2**62))
def test_random_revisions_round_trip_exactly(drawn: list[tuple[str, dict[str, Any], bool]], hlc: int) -> None:
    revisions = _revisions(drawn, hlc)
    with tempfile.TemporaryDirectory() as folder:
        written = fs.write(Path(folder) / "random.mdsync", revisions, split_bytes=2048)
        _opened, read = fs.read(written.path)
    assert [item.revision for item in read] == revisions
    for (_table, data, deleted), item in zip(drawn, read, strict=True):
        expected = {} if deleted else {"id": str(item.revision.record_id), **canonical.plain(data)}  # type: ignore[dict-item]
        assert item.revision.data == expected


@cache
def _sample() -> tuple[bytes, int, bytes, list[SignedRevision]]:
    """A valid file (about 150 KiB, three age chunks), where its age part starts, its archive and revisions."""
    folder = Path(tempfile.mkdtemp(prefix="mdsync-property-"))
    revisions = list(fs.Rows(fs.village(), seed=7).many(400, facts_bytes=300))
    written = fs.write(folder / "sample.mdsync", revisions, split_bytes=40_000)
    data = written.path.read_bytes()
    archive = fs.payload(written.path, fs.township().identity)
    written.path.unlink()
    folder.rmdir()
    return data, data.index(b"\n") + 1, archive, revisions


def _read_or_refuse(path: Path) -> list[SignedRevision] | None:
    try:
        _opened, read = fs.read(path)
    except SyncFileError as error:
        fs.assert_clear(error)
        return None
    return [item.revision for item in read]


CHANGES = st.lists(
    st.tuples(st.floats(min_value=0, max_value=1, exclude_max=True), st.integers(1, 255)), min_size=1, max_size=4
)


def _mutate(data: bytes, start: int, changes: list[tuple[float, int]]) -> bytes:
    mutable = bytearray(data)
    for where, xor in changes:
        position = start + int(where * (len(data) - start))
        mutable[position] ^= xor
    return bytes(mutable)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CHANGES)
def test_changed_bytes_after_the_preamble_never_read_as_other_revisions(changes: list[tuple[float, int]]) -> None:
    data, start, _archive, revisions = _sample()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "changed.mdsync"
        path.write_bytes(_mutate(data, start, changes))
        read = _read_or_refuse(path)
    assert read is None or read == revisions


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CHANGES, st.booleans())
def test_changed_bytes_inside_the_archive_never_read_as_other_revisions(
    changes: list[tuple[float, int]], near_the_end: bool
) -> None:
    """Someone holding the recipient's (or the escrow) key changes the archive and encrypts it again."""
    data, start, archive, revisions = _sample()
    # Half the examples aim at the last 2 KiB: the manifest, its signature, the central directory.
    offset = len(archive) - 2048 if near_the_end else 0
    changed = archive[:offset] + _mutate(archive[offset:], 0, changes)
    with tempfile.TemporaryDirectory() as folder:
        path = fs.seal(
            Path(folder) / "changed.mdsync",
            changed,
            preamble=data[:start],
            recipients=[fs.township().key.age_recipient],
        )
        read = _read_or_refuse(path)
    assert read is None or read == revisions
