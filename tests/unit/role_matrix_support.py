"""The prepared desk that ``test_role_matrix`` walks: an account of every role, a roster, cases in every state the
service calls need (with agreements drafted, printed and signed), a backup, an exported data key and the files the
calls read; one copy of it for each test, and a snapshot of everything a call could change.

Every person here is synthetic.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from mediation_desk.domain.codes import CaseSource, Gender, OutcomeKind, PartyRole, UserRole
from mediation_desk.domain.identity import check_character
from mediation_desk.domain.intake import CaseInput, PartyInput
from mediation_desk.security import datakey
from mediation_desk.security.binding import binding
from mediation_desk.security.datakey import DataKey
from mediation_desk.security.keystore import KeyStore
from mediation_desk.services import agreements, backups, cases, keys, mediators, setup, users
from mediation_desk.services.desk import Actor, Desk
from tests.conftest import TEST_PASSWORD, TOWNSHIP_CODE, village_setup
from tests.unit.ledgers import row, write_csv

INTAKE = date(2026, 3, 2)
SIGNED_ON = date(2026, 3, 5)
PASSPHRASE = "synthetic-key-passphrase"  # for test key files only
NEW_PASSWORD = "another-synthetic-pass"
PHONE = "13800001111"
SCAN = b"%PDF-1.4\n% a synthetic scan of a signed agreement\n"


def account_name(role: UserRole) -> str:
    return "admin" if role is UserRole.ADMIN else role.value


def synthetic_id(seq: int) -> str:
    first17 = f"33112219800101{seq:03d}"
    return first17 + check_character(first17)


def neighbours(*, accept: bool = True) -> CaseInput:
    return CaseInput(
        intake_date=INTAKE,
        source=CaseSource.APPLICATION,
        category="02",
        parties=[
            PartyInput("王小明", PartyRole.APPLICANT, id_number=synthetic_id(123)),
            PartyInput("赵小红", PartyRole.RESPONDENT, gender=Gender.FEMALE),
        ],
        facts="两家因共用通道堆放杂物发生争执",
        accept=accept,
    )


def full_parties() -> list[PartyInput]:
    """Parties with everything an agreement names (Art. 29): name, gender, address; the applicant's ID and phone."""
    return [
        PartyInput(
            "王小明",
            PartyRole.APPLICANT,
            gender=Gender.MALE,
            id_number=synthetic_id(123),
            phone=PHONE,
            address="浙江省缙云县五云街道示例村3组12号",
        ),
        PartyInput("赵小红", PartyRole.RESPONDENT, gender=Gender.FEMALE, address="浙江省缙云县五云街道示例村3组14号"),
    ]


def agreement_input(*, place: str = "示例村村民委员会") -> agreements.AgreementInput:
    return agreements.AgreementInput(
        facts="两家因共用通道堆放杂物发生争执，经调解双方认识到各自的责任",
        terms=("赵小红于2026年3月20日前清走通道内的杂物。", "双方今后共同保持通道畅通。"),
        performance_manner="自行履行",
        performance_place=place,
        performance_deadline=date(2026, 3, 20),
    )


# ---------------------------------------------------------------------------------------------------------------
# The prepared desk


@dataclass(frozen=True)
class Prepared:
    root: Path  # the desk, copied for each test
    files: Path  # a ledger, an organisation file, a scan, the exported data key
    cases: dict[str, uuid.UUID]
    agreements: dict[str, uuid.UUID]  # the agreement of the cases "drafted", "printed", "signed"
    mediator: uuid.UUID
    backup: str
    key: DataKey
    actors: dict[UserRole, Actor]


def _agreement_case(desk: Desk, mediator: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    """A case under mediation, its mediator presiding, with a complete draft agreement."""
    data = neighbours()
    data.parties = full_parties()
    case = cases.register_case(desk, data).value.id
    cases.assign_mediators(desk, case, [mediator], on=INTAKE)
    cases.record_session(desk, case, held_at=datetime(2026, 3, 3, 2, tzinfo=UTC), body="双方同意清走杂物")
    return case, agreements.draft_agreement(desk, case, agreement_input()).value.id


def _fill(desk: Desk) -> tuple[dict[str, uuid.UUID], dict[str, uuid.UUID], uuid.UUID]:
    for role in UserRole:
        if role is not UserRole.ADMIN:
            users.create_user(desk, account_name(role), TEST_PASSWORD, role)
    users.create_user(desk, "target", TEST_PASSWORD, UserRole.MEDIATOR)
    users.create_user(desk, "dormant", TEST_PASSWORD, UserRole.MEDIATOR)
    users.deactivate_user(desk, "dormant")
    mediator = mediators.add_mediator(desk, mediators.MediatorInput("钱调解", gender=Gender.FEMALE)).value.id
    made = {
        "registered": cases.register_case(desk, neighbours(accept=False)).value.id,
        "accepted": cases.register_case(desk, neighbours()).value.id,
        "agreed": cases.register_case(desk, neighbours()).value.id,
        "terminated": cases.register_case(desk, neighbours()).value.id,
    }
    cases.record_session(desk, made["agreed"], held_at=datetime(2026, 3, 3, 2, tzinfo=UTC), body="双方达成一致")
    cases.conclude_case(desk, made["agreed"], OutcomeKind.WRITTEN_AGREEMENT, on=date(2026, 3, 3))
    cases.conclude_case(desk, made["terminated"], OutcomeKind.TERMINATED, reason="申请人撤回", on=INTAKE)
    written: dict[str, uuid.UUID] = {}
    for state in ("drafted", "printed", "signed"):
        made[state], written[state] = _agreement_case(desk, mediator)
    for state in ("printed", "signed"):
        agreements.print_for_signing(desk, written[state])
    cases.conclude_case(desk, made["signed"], OutcomeKind.WRITTEN_AGREEMENT, on=SIGNED_ON)
    agreements.mark_signed(desk, written["signed"], SIGNED_ON)
    return made, written, mediator


def prepare_desk(base: Path) -> Prepared:
    """Set up the desk under ``base`` once for the module; each test works on a copy (``make_bench``)."""
    root, files = base / "desk", base / "files"
    files.mkdir()
    desk = setup.initialise(root, village_setup(), Actor.local_operator("test"))
    try:
        made, written, mediator = _fill(desk)
        actors = {role: users.sign_in(desk, account_name(role), TEST_PASSWORD, channel="test") for role in UserRole}
        key = binding(desk.database.engine).key
    finally:
        desk.close()
    assert {role: actor.role for role, actor in actors.items()} == {role: role for role in UserRole}
    backup = backups.create(root, actors[UserRole.ADMIN]).name
    keys.export_data_key(root, files / "key.json", PASSPHRASE, actors[UserRole.ADMIN])
    write_csv(files / "ledger.csv", [row(申请人="孙甲"), row(申请人="周乙", 受理日期="2025-04-01")])
    (files / "orgs.csv").write_text(
        f"code,name,level,parent_code\n331122001002,乙村人民调解委员会,village,{TOWNSHIP_CODE}\n", encoding="utf-8"
    )
    (files / "scan.pdf").write_bytes(SCAN)
    (files / "evidence.jpg").write_bytes(b"\xff\xd8\xff\xe0 synthetic photo of the passage\xff\xd9")
    return Prepared(root, files, made, written, mediator, backup, key, actors)


@dataclass
class Bench:
    """One test's copy of the prepared desk, acting as one role."""

    prepared: Prepared
    root: Path
    outside: Path  # beside the data folder: key files and PDFs written, new desks set up
    actor: Actor
    opened: list[Desk] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def desk(self) -> Desk:
        if not self.opened:
            self.opened.append(Desk.open(self.root, self.actor))
        return self.opened[0]

    def case(self, state: str) -> uuid.UUID:
        return self.prepared.cases[state]

    def agreement(self, state: str) -> uuid.UUID:
        return self.prepared.agreements[state]


def make_bench(prepared: Prepared, folder: Path, role: UserRole) -> Bench:
    root = folder / "desk"
    shutil.copytree(prepared.root, root, ignore=shutil.ignore_patterns("*.lock"))
    (folder / "outside").mkdir()
    return Bench(prepared, root, folder / "outside", prepared.actors[role])


def close_bench(bench: Bench) -> None:
    for desk in bench.opened:
        desk.close()
    if "database" in bench.extra:
        bench.extra["database"].close()


# ---------------------------------------------------------------------------------------------------------------
# Everything a call could have changed


def _rows(path: Path) -> dict[str, list[str]]:
    connection = sqlite3.connect(path)
    try:
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: sorted(map(repr, connection.execute(f'SELECT * FROM "{table}"'))) for table in sorted(tables)}
    finally:
        connection.close()


def snapshot(bench: Bench) -> dict[str, object]:
    """Every table's rows of the databases, every other file's bytes, the data key in the keyring."""
    state: dict[str, object] = {"key": KeyStore(bench.prepared.key.key_id).find(datakey.SECRET_NAME)}
    for folder in (bench.root, bench.outside):
        for path in sorted(folder.rglob("*")):
            name = str(path.relative_to(folder.parent))
            if path.name.endswith(("-wal", "-shm")):
                continue  # the database's own working files: what they hold is read through the database
            if path.is_dir() or path.suffix == ".lock":
                state[name] = "folder" if path.is_dir() else "present"
            elif path.suffix == ".sqlite3" and path.parent.name != "backups":
                state[name] = _rows(path)
            else:
                state[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state
