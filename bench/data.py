"""Synthetic data for the benchmarks: ledger files and large case tables.

Everything is generated from a seed with ``mediation_desk.demo``; nothing is a real person's.
"""

from __future__ import annotations

import csv
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from mediation_desk.demo import Place, Synth, yuan_text
from mediation_desk.domain.codes import CaseSource, OutcomeKind, PartyKind, PartyRole, Performance, all_categories
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.numbering import format_case_number
from mediation_desk.store.models import Base, DisputeCase, OrgUnit, Outcome, Party

LEDGER_HEADERS = (
    "受理日期",
    "案件编号",
    "调委会",
    "纠纷类型",
    "案件来源",
    "申请人",
    "被申请人",
    "纠纷简要情况",
    "调解员",
    "调解结果",
    "协议形式",
    "协议金额",
    "涉及人数",
    "结案日期",
    "履行情况",
    "群体性",
    "备注",
)

TOWNSHIP_CODE = "331122001"
TOWNSHIP_NAME = "五云街道"
CASE_PREFIX = "缙五人调"
_CATEGORY_WEIGHTS = (18, 23, 10, 11, 5, 12, 5, 2, 2, 4, 2, 1, 4, 1, 3)


def bench_year() -> int:
    return date.today().year - 1


def village_rows(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """(code, name) of ``count`` generated village committees under 五云街道."""
    synth = Synth(seed)
    names = synth.place_names(count)
    return [(f"{TOWNSHIP_CODE}{201 + index:03d}", f"{name}人民调解委员会") for index, name in enumerate(names)]


def write_village_csv(path: Path, villages: list[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "level", "parent_code"])
        for code, name in villages:
            writer.writerow([code, name, "village", TOWNSHIP_CODE])


@dataclass(frozen=True, slots=True)
class LedgerFile:
    path: Path
    rows: int
    parties: int


def write_ledger(path: Path, rows: int, villages: list[tuple[str, str]], seed: int = 11) -> LedgerFile:
    """A UTF-8 (BOM) ledger CSV with DESIGN.md's headers: concluded cases of last year across the villages."""
    synth = Synth(seed)
    rng = synth.rng
    year = bench_year()
    categories = [c for c in all_categories().values() if c.parent is None]
    mediators = {code: [synth.name() for _ in range(5)] for code, _ in villages}
    places = {code: Place(TOWNSHIP_NAME, name.removesuffix("人民调解委员会")) for code, name in villages}
    seqs: dict[str, int] = {}
    intakes = sorted(date(year, 1, 1) + timedelta(days=rng.randrange(365)) for _ in range(rows))
    parties = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(LEDGER_HEADERS)
        for intake in intakes:
            code = rng.choice(villages)[0]
            seqs[code] = seqs.get(code, 0) + 1
            category = rng.choices(categories, _CATEGORY_WEIGHTS)[0]
            applicants = [synth.name() for _ in range(rng.choice((1, 1, 1, 2)))]
            respondents = [synth.name() for _ in range(rng.choice((1, 1, 1, 1, 2)))]
            parties += len(applicants) + len(respondents)
            draw = rng.random()
            outcome = "成功" if draw < 0.985 else ("不成功" if draw < 0.993 else "终止")
            agreement = ("书面" if rng.random() < 0.8 else "口头") if outcome == "成功" else "无"
            claimed = synth.amount_fen(category.code) if rng.random() < 0.6 else 0
            agreed = synth.agreed_fen(claimed) if claimed and outcome == "成功" else 0
            text = synth.dispute(category.code, applicants[0], respondents[0], places[code], claimed_fen=claimed)
            group = rng.random() < 0.01
            closing = intake + timedelta(days=rng.randint(0, 30))
            writer.writerow(
                [
                    intake.isoformat(),
                    format_case_number(year, CASE_PREFIX, seqs[code]),
                    code,
                    category.name,
                    rng.choice((CaseSource.INITIATIVE, CaseSource.APPLICATION, CaseSource.REFERRAL)).label,
                    "、".join(applicants),
                    "、".join(respondents),
                    text.facts,
                    "、".join(rng.sample(mediators[code], rng.choice((1, 2)))),
                    outcome,
                    agreement,
                    yuan_text(agreed).removesuffix("元") if agreed else "",
                    str(rng.randint(5, 40) if group else len(applicants) + len(respondents)),
                    min(closing, date.today() - timedelta(days=1)).isoformat(),
                    rng.choice(("已履行", "已履行", "已履行", "部分履行")) if outcome == "成功" else "",
                    "是" if group else "否",
                    "",
                ]
            )
    return LedgerFile(path, rows, parties)


# ---------------------------------------------------------------------------------------------------------------
# Large case tables for the statistics benchmark: SQLAlchemy Core bulk inserts (setup speed is not measured)

_OPEN = (CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING)
_SOURCES = list(CaseSource)


def _outcome_for(rng: random.Random) -> tuple[OutcomeKind | None, CaseStatus]:
    draw = rng.random()
    if draw < 0.025:
        return None, rng.choice(_OPEN)
    if draw < 0.028:
        return OutcomeKind.REFUSED, CaseStatus.CLOSED
    if draw < 0.0295:
        return (OutcomeKind.FAILED if rng.random() < 0.5 else OutcomeKind.TERMINATED), CaseStatus.CLOSED
    kind = OutcomeKind.WRITTEN_AGREEMENT if rng.random() < 0.82 else OutcomeKind.ORAL_AGREEMENT
    return kind, (CaseStatus.CLOSED if rng.random() < 0.99 else CaseStatus.AGREED)


@dataclass(slots=True)
class _Stamps:
    """Ids and revision stamps for bulk rows: one device, one time, a running sequence."""

    now: datetime
    device: uuid.UUID
    seq: int = 0

    def __call__(self) -> dict[str, Any]:
        self.seq += 1
        return {
            "id": uuid.uuid4(),
            "created_at": self.now,
            "updated_at": self.now,
            "rev_device": self.device,
            "rev_seq": self.seq,
            "rev_hlc": f"{self.now:%Y%m%dT%H%M%S.%f}Z-{self.seq:010d}",
        }


@dataclass(slots=True)
class _BulkTables:
    """What the bulk cases draw from, and the rows they become."""

    synth: Synth
    year: int
    orgs: list[tuple[uuid.UUID, str | None]]
    names: list[str]
    categories: list[str]
    facts: dict[str, list[str]]
    stamp: _Stamps
    cases: list[dict[str, Any]] = field(default_factory=list)
    parties: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    numbers: dict[uuid.UUID, int] = field(default_factory=dict)


def bulk_cases(engine: sa.Engine, count: int, seed: int = 3) -> int:
    """Insert ``count`` cases (with two or three parties each and an outcome when concluded) spread over the
    village committees and townships already in the database, with revision stamps. Returns the number inserted."""
    synth = Synth(seed)
    rng = synth.rng
    year = bench_year()
    stamp = _Stamps(datetime.now(UTC), uuid.uuid4())
    with engine.connect() as connection:
        orgs = [
            (org_id, prefix)
            for org_id, prefix in connection.execute(
                sa.select(OrgUnit.id, OrgUnit.case_prefix).where(OrgUnit.level.in_(("village", "township")))
            )
        ]
    if not orgs:
        raise RuntimeError("the benchmark desk has no organisations to hold cases")
    names = [synth.name() for _ in range(3000)]
    categories = [c.code for c in all_categories().values() if c.parent is None]
    place = Place(TOWNSHIP_NAME, "示例村")
    facts = {code: [synth.dispute(code, "甲", "乙", place).facts for _ in range(8)] for code in categories}
    tables = _BulkTables(synth, year, orgs, names, categories, facts, stamp)
    for intake in sorted(date(year, 1, 1) + timedelta(days=rng.randrange(365)) for _ in range(count)):
        _bulk_case(tables, intake)
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA cache_size = -100000")  # 100 MB: random UUID keys touch many pages
        for model, rows in ((DisputeCase, tables.cases), (Party, tables.parties), (Outcome, tables.outcomes)):
            _insert(connection, Base.metadata.tables[model.__tablename__], rows)
    return len(tables.cases)


def _bulk_case(tables: _BulkTables, intake: date) -> None:
    """One case row, its party rows and (when concluded) its outcome row."""
    synth, rng = tables.synth, tables.synth.rng
    org_id, prefix = rng.choice(tables.orgs)
    tables.numbers[org_id] = tables.numbers.get(org_id, 0) + 1
    kind, status = _outcome_for(rng)
    category = rng.choices(tables.categories, _CATEGORY_WEIGHTS)[0]
    group = rng.random() < 0.015
    amount = synth.amount_fen(category) if rng.random() < 0.6 else 0
    parties = rng.choice((2, 2, 2, 3))
    decided = intake + timedelta(days=rng.randint(0, 30))
    case = tables.stamp()
    case.update(
        org_id=org_id,
        number=format_case_number(tables.year, prefix or CASE_PREFIX, tables.numbers[org_id]),
        number_year=tables.year,
        number_seq=tables.numbers[org_id],
        intake_date=intake,
        source=rng.choice(_SOURCES),
        referral_body="",
        category=category,
        subtype=None,
        title="",
        facts=rng.choice(tables.facts[category]),
        requests="",
        place="",
        amount_fen=amount,
        persons=rng.randint(5, 60) if group else parties,
        group_dispute=group,
        risk_flags=[],
        status=status,
        refusal_reason="" if kind is not OutcomeKind.REFUSED else "一方当事人明确拒绝调解",
        recorder="",
        closing_date=decided if status is CaseStatus.CLOSED else None,
        ledger_key=None,
        notes="",
    )
    tables.cases.append(case)
    for position in range(parties):
        party = tables.stamp()
        party.update(
            case_id=case["id"],
            position=position,
            role=PartyRole.APPLICANT if position == 0 else PartyRole.RESPONDENT,
            kind=PartyKind.PERSON,
            name=rng.choice(tables.names),
        )
        tables.parties.append(party)
    if kind is not None:
        outcome = tables.stamp()
        outcome.update(
            case_id=case["id"],
            kind=kind,
            decided_on=decided,
            reason="" if kind.successful else "双方分歧较大",
            performance=Performance.PERFORMED if kind.successful and rng.random() < 0.8 else None,
            notes="",
        )
        tables.outcomes.append(outcome)


def _scalar_default(column: sa.Column[Any]) -> object:
    """A column's plain Python default ("" or 0 or False), ``None`` when it has none or a callable one."""
    default = column.default
    if isinstance(default, sa.ColumnDefault) and default.is_scalar:
        return getattr(default, "arg", None)
    return None


def _insert(connection: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """executemany with the columns' own bind processors: the same stored values as an ORM or Core insert (so the
    services read them back unchanged) without SQLAlchemy's per-row statement machinery."""
    columns = list(table.columns)
    dialect = connection.dialect
    processors = [column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns]
    defaults = [_scalar_default(column) for column in columns]
    names = ", ".join(f'"{column.name}"' for column in columns)
    marks = ", ".join("?" for _ in columns)
    statement = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
    values = []
    for row in rows:
        record = []
        for column, processor, fallback in zip(columns, processors, defaults, strict=True):
            value = row.get(column.key, fallback)
            record.append(processor(value) if processor is not None and value is not None else value)
        values.append(tuple(record))
    for start in range(0, len(values), 20_000):
        connection.exec_driver_sql(statement, values[start : start + 20_000])
