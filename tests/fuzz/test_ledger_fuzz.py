"""Fuzzing the ledger import: random CSV files (cells, quotes, delimiters, BOMs, encodings), random workbooks
(sheets, states, title rows, cell kinds, formulas, the 1904 date system) and mutated bytes of valid files.

Every input must end in an import or in a clear message (a ``DomainError``: ``LedgerInvalid``,
``LedgerChanged``, ``ValidationError`` ...), never in another exception; a refused import leaves the database
exactly as it was, and an import adds exactly the cases it reports. The desk is kept across the examples of a
property, so later files meet the cases earlier ones imported (re-imports, changes, numbers in use).

The run in the test command is bounded and repeatable (``FUZZ_EXAMPLES`` examples of each property, derandomised:
about fifteen seconds). ``MEDIATION_DESK_FUZZ_EXAMPLES=N`` runs N random examples of each instead, for as long as
that takes.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediation_desk.domain.errors import DomainError
from mediation_desk.services.desk import Desk
from mediation_desk.services.ledger import COLUMNS, import_ledger
from tests.unit.ledgers import desk_state, random_ledger, write_csv, write_workbook

FUZZ_EXAMPLES = 200
ON_DEMAND = os.environ.get("MEDIATION_DESK_FUZZ_EXAMPLES")
_HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
FUZZ = (
    settings(max_examples=int(ON_DEMAND), deadline=None, suppress_health_check=_HEALTH)
    if ON_DEMAND
    else settings(
        max_examples=FUZZ_EXAMPLES, derandomize=True, database=None, deadline=None, suppress_health_check=_HEALTH
    )
)

HEADERS = [name for column in COLUMNS for name in (column.zh, column.en, *column.aliases)] + ["序号", "联系电话", ""]
WORDS = [
    "2025-03-05", "2025/3/5", "2025年3月5日", "20250305", "0001-01-01", "2999-01-01", "2025-02-30", "45658",
    "邻里纠纷", "02", "婚姻家庭纠纷", "合同", "外星人纠纷", "当事人申请", "主动调解", "委托移送", "application",
    "张三", "李四、王五", "某某建材有限公司", "调解员甲", "成功", "不成功", "终止", "书面", "口头", "无",
    "1,200.50", "3万", "-5", "99999999999999999999", "1e400", "NaN", "是", "否", "已履行", "部分履行",
    "(2025)缙五人调字第7号", "(2025)缙五人调字第99999999999999999999号", "（0001）人调字第1号", "#DIV/0!", "#REF!",
    "331122001001", "999999999", "=1+1", "\ufeff", "\x1b[2J", "\u202e", "\x00", '"', '""', "'", ",", "\t", "\r\n",
    "\n", " ", "",
]  # fmt: skip


def outcome_of(desk: Desk, path: Path, **options: Any) -> None:
    """Import ``path``: an import that adds what it reports, or a ``DomainError`` that changes nothing."""
    before = desk_state(desk)
    try:
        report = import_ledger(desk, path, **options).value
    except DomainError:
        assert desk_state(desk) == before, "a refused import changed the database"
        return
    after = desk_state(desk)
    assert after[0] - before[0] == (0 if report.dry_run else report.created)
    assert report.rows >= report.created + report.already_present + len(report.changed)


# ---------------------------------------------------------------------------------------------------------------
# CSV

cell_text = st.one_of(
    st.sampled_from(WORDS),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.text(alphabet='张李王三四,"\n\r\t ;、，', max_size=8),
)
header_rows = st.lists(st.sampled_from(HEADERS), min_size=1, max_size=10)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    headers = draw(header_rows)
    width = len(headers)
    rows = draw(
        st.lists(
            st.lists(cell_text, min_size=max(0, width - 2), max_size=width + 2),
            max_size=8,
        )
    )
    delimiter = draw(st.sampled_from([",", "\t", ";"]))
    if draw(st.booleans()):
        buffer = io.StringIO(newline="")
        writer = csv.writer(
            buffer, delimiter=delimiter, quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
        )
        for cells in [headers, *rows]:
            writer.writerow(cells)
        text = buffer.getvalue()
    else:  # hand-written: quotes and delimiters as they come
        newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
        text = newline.join(delimiter.join(cells) for cells in [headers, *rows])
    if draw(st.booleans()):
        text = draw(st.sampled_from(["", "\ufeff", "\ufeff\ufeff", "台账标题\n", "\n\n"])) + text
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "gbk", "utf-16", "utf-16-le", "latin-1"]))
    return text.encode(encoding, errors="replace")


@FUZZ
@given(data=csv_files(), dry_run=st.booleans(), update=st.booleans())
def test_random_csv_files(desk: Desk, tmp_path: Path, data: bytes, dry_run: bool, update: bool) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    outcome_of(desk, path, dry_run=dry_run, update=update)


# ---------------------------------------------------------------------------------------------------------------
# Workbooks

_ILLEGAL = {chr(code) for code in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]}
xlsx_values = st.one_of(
    st.none(),
    st.sampled_from(WORDS).map(lambda word: "".join(char for char in word if char not in _ILLEGAL)),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
    st.booleans(),
    st.sampled_from(["=1+1", "=DATE(2025,3,5)", "=100*3", "=A1"]),
)


@st.composite
def workbooks(draw: st.DrawFn) -> tuple[dict[str, list[list[Any]]], list[str], bool]:
    count = draw(st.integers(min_value=1, max_value=3))
    names = draw(
        st.lists(
            st.sampled_from(["台账", "一月", "二月", "说明", "Sheet"]), min_size=count, max_size=count, unique=True
        )
    )
    sheets: dict[str, list[list[Any]]] = {}
    for name in names:
        rows: list[list[Any]] = []
        if draw(st.booleans()):
            rows.append(["2025年示例村人民调解案件台账"])
        headers: list[Any] = draw(header_rows)
        rows.append(headers)
        rows.extend(draw(st.lists(st.lists(xlsx_values, max_size=len(headers) + 1), max_size=6)))
        sheets[name] = rows
    hidden = draw(st.lists(st.sampled_from(names), max_size=len(names) - 1, unique=True))
    return sheets, hidden, draw(st.booleans())


@FUZZ
@given(book=workbooks(), update=st.booleans())
def test_random_workbooks(
    desk: Desk, tmp_path: Path, book: tuple[dict[str, list[list[Any]]], list[str], bool], update: bool
) -> None:
    sheets, hidden, epoch_1904 = book
    path = write_workbook(tmp_path / "fuzz.xlsx", sheets, hidden=hidden, epoch_1904=epoch_1904)
    outcome_of(desk, path, update=update)


# ---------------------------------------------------------------------------------------------------------------
# Mutated bytes of valid files


@functools.cache
def valid_files() -> dict[str, bytes]:
    """A good CSV ledger and a good workbook of two sheets, made once."""
    folder = Path(tempfile.mkdtemp(prefix="ledger-fuzz-"))
    rows = random_ledger(6, seed=5, start=date.today() - timedelta(days=400))
    xlsx_rows = [dict(values, 受理日期=date.fromisoformat(values["受理日期"])) for values in rows]
    files = {
        ".csv": write_csv(folder / "l.csv", rows).read_bytes(),
        ".xlsx": write_workbook(folder / "l.xlsx", {"台账": xlsx_rows, "说明": [["说明"]]}).read_bytes(),
    }
    shutil.rmtree(folder)
    return files


mutations = st.lists(
    st.tuples(
        st.sampled_from(["set", "insert", "delete", "truncate"]), st.floats(0, 1), st.binary(min_size=1, max_size=8)
    ),
    min_size=1,
    max_size=4,
)


def mutate(data: bytes, steps: list[tuple[str, float, bytes]]) -> bytes:
    buffer = bytearray(data)
    for kind, where, chunk in steps:
        at = int(where * max(len(buffer) - 1, 0))
        if kind == "set":
            buffer[at : at + len(chunk)] = chunk
        elif kind == "insert":
            buffer[at:at] = chunk
        elif kind == "delete":
            del buffer[at : at + len(chunk) * 16]
        else:
            del buffer[max(at, 1) :]
    return bytes(buffer)


@FUZZ
@given(suffix=st.sampled_from([".csv", ".xlsx"]), steps=mutations)
def test_mutated_files(desk: Desk, tmp_path: Path, suffix: str, steps: list[tuple[str, float, bytes]]) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(mutate(valid_files()[suffix], steps))
    outcome_of(desk, path)


def test_the_valid_files_import(desk: Desk, tmp_path: Path) -> None:
    """The files the mutations start from are good ledgers (so the mutations test the reader, not bad seeds)."""
    for suffix, data in valid_files().items():
        path = tmp_path / f"valid{suffix}"
        path.write_bytes(data)
        report = import_ledger(desk, path).value
        assert report.created + report.already_present == 6
