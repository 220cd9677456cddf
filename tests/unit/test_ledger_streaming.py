"""Reading a ledger in less memory reads the same rows: the CSV lines as ``io.StringIO`` splits them, short cells
shared, and the cells let go as the rows are checked."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import sqlalchemy as sa

from mediation_desk.services.desk import Desk
from mediation_desk.services.ledger import _checked_rows, _headers, import_ledger
from mediation_desk.services.ledger.csvfile import lines, parse_csv
from mediation_desk.services.ledger.reading import read_ledger
from mediation_desk.services.orgs import subtree_ids
from mediation_desk.store.models import OrgUnit


def test_lines_split_as_stringio_does() -> None:
    rng = random.Random(5)
    alphabet = 'ab,"\r\n\t\x0b\x0c\x1c\x85\u2028\u2029甲'
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert list(lines(text)) == list(io.StringIO(text, newline="")), repr(text)


def test_csv_rows_are_the_csv_modules_rows() -> None:
    content = '受理日期,申请人,纠纷简要情况\r\n2025-03-01,张甲,"两行\r\n的案情"\r2025-03-02,李乙,是\n2025-03-03,王丙,是'
    table = parse_csv(content, "台账.csv")
    expected = list(csv.reader(io.StringIO(content, newline=""), strict=True))
    assert [cells for _number, cells in table.rows] == expected
    assert [number for number, _cells in table.rows] == [1, 2, 3, 4]
    assert table.rows[2][1][2] is table.rows[3][1][2]  # the same short text, one string


def test_checking_lets_the_cells_go(desk: Desk, tmp_path: Path) -> None:
    """The rows of cells are consumed in file order as they are checked; rows filling the same columns share one
    set of them; the import reads the same rows."""
    path = tmp_path / "台账.csv"
    path.write_text(
        "受理日期,纠纷类型,案件来源,申请人,被申请人\n"
        "2025-03-01,邻里纠纷,当事人申请,郑甲,冯乙\n"
        "2025-03-02,婚姻家庭纠纷,主动调解,陈丙,楚丁\n",
        encoding="utf-8",
    )
    ledger = read_ledger(path)
    assert len(ledger.sheets[0].rows) == 2
    with desk.read() as session:
        own = desk.own_org(session)
        orgs = {org.code: org for org in session.scalars(sa.select(OrgUnit))}
        checked = _checked_rows(ledger, _headers(ledger), orgs, subtree_ids(session, own.id), own)
    assert [row.row for row in checked] == [2, 3]
    assert ledger.sheets[0].rows == []
    assert checked[0].filled is checked[1].filled
    assert import_ledger(desk, path).value.created == 2
    assert import_ledger(desk, path).value.already_present == 2
