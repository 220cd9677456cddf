"""The role matrix walked for every service call that checks a permission.

``CALLS`` names every such service function with what it needs (``domain.permissions.ROLES``) and a way to
perform it on a prepared desk. For every role, signed in as an account of that role, the call succeeds exactly
when the matrix allows it; otherwise it raises ``PermissionDenied`` and nothing at all has changed: every row of
every table of every database involved, every file of the data folder and beside it, the data key in the keyring.
A scan of ``mediation_desk/services`` with ``ast`` makes sure no service function that names a ``Permission`` is
missing from the table; the ones that change nothing (``READS``: the list of accounts, identity numbers shown and
printed whole or masked by role) are tested on their own. The prepared desk and the snapshot of everything a call
could change are ``role_matrix_support``'s. The README's table of roles is the one ``matrix_table`` makes.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from mediation_desk import documents as docs
from mediation_desk.domain.codes import CaseSource, Gender, OutcomeKind, PartyRole, Performance, UserRole
from mediation_desk.domain.errors import PermissionDenied
from mediation_desk.domain.intake import PartyInput
from mediation_desk.domain.masking import mask_id_number, mask_phone
from mediation_desk.domain.permissions import _DESCRIPTIONS, ROLES, Permission, allowed, check, matrix_table
from mediation_desk.security import datakey
from mediation_desk.security.keystore import KeyStore
from mediation_desk.services import (
    agreements,
    attachments,
    backups,
    cases,
    casework,
    identity,
    keys,
    mediators,
    orgs,
    printing,
    roster,
    setup,
    sync,
    users,
)
from mediation_desk.services.cases import CaseEdit
from mediation_desk.services.cases.intake import load_case
from mediation_desk.services.ledger import import_ledger
from mediation_desk.services.printing import Form, PrintRequest
from mediation_desk.services.sync import conflicts as sync_conflicts
from mediation_desk.store.database import Database
from mediation_desk.store.models import Agreement
from mediation_desk.store.queries.cases import parties_of
from tests.conftest import TEST_PASSWORD, VILLAGE_CODE, village_setup
from tests.documents.conftest import pdf_text
from tests.sync.test_desk_roles import CALLS as SYNC_CALLS  # walked for every role there
from tests.unit.role_matrix_support import (
    INTAKE,
    NEW_PASSWORD,
    PASSPHRASE,
    PHONE,
    SIGNED_ON,
    Bench,
    Prepared,
    agreement_input,
    close_bench,
    make_bench,
    neighbours,
    prepare_desk,
    snapshot,
    synthetic_id,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    return prepare_desk(tmp_path_factory.mktemp("matrix"))


@pytest.fixture
def bench_for(prepared: Prepared, tmp_path: Path) -> Iterator[Callable[[UserRole], Bench]]:
    made: list[Bench] = []

    def make(role: UserRole) -> Bench:
        made.append(make_bench(prepared, tmp_path, role))
        return made[-1]

    yield make
    for bench in made:
        close_bench(bench)
    datakey.save(prepared.key)  # the prepared desks' key stays in the keyring for the next test


# ---------------------------------------------------------------------------------------------------------------
# Performing each call


def _edit(bench: Bench) -> object:
    return cases.edit_case(bench.desk(), bench.case("accepted"), CaseEdit(facts="两家因通道堆物争执（更正）"))


def _edit_closing(bench: Bench) -> object:
    return cases.edit_case(bench.desk(), bench.case("terminated"), CaseEdit(closing_date=date(2026, 3, 10)))


def _follow_up(bench: Bench) -> object:
    return cases.record_follow_up(
        bench.desk(),
        bench.case("agreed"),
        visited_on=date(2026, 3, 20),
        visited_party="王小明",
        performance=Performance.PERFORMED,
        visitor="钱调解",
    )


def _confirmation(bench: Bench) -> object:
    return cases.record_judicial_confirmation(
        bench.desk(), bench.case("agreed"), applied_on=date(2026, 3, 10), court="缙云县人民法院"
    )


def _investigation(bench: Bench) -> object:
    return cases.record_investigation(
        bench.desk(),
        bench.case("accepted"),
        held_at=datetime(2026, 3, 3, 1, tzinfo=UTC),
        investigator="钱调解",
        interviewee="王小明",
        body="了解通道使用情况",
    )


def _forget_key(bench: Bench) -> None:
    KeyStore(bench.prepared.key.key_id).delete(datakey.SECRET_NAME)


def _open_aggregate(bench: Bench) -> None:
    bench.extra["database"] = Database.open_file(bench.outside / "aggregate.sqlite3")


def _initialise_database(bench: Bench) -> object:
    return setup.initialise_database(bench.extra["database"], village_setup(), bench.actor)


def _initialise(bench: Bench) -> object:
    setup.initialise(bench.outside / "new-desk", village_setup(), bench.actor).close()
    return None


# The agreement's life, the case editor, the roster entry, printing


def _parties(bench: Bench) -> object:
    applicant, respondent = cases.get_case(bench.desk(), bench.case("accepted")).parties
    entries = [
        casework.PartyEntry(applicant.id, PartyInput("王小明", PartyRole.APPLICANT, id_number=synthetic_id(123))),
        casework.PartyEntry(
            respondent.id, PartyInput("赵小红", PartyRole.RESPONDENT, gender=Gender.FEMALE, address="示例村3组14号")
        ),
    ]
    return casework.save_parties(bench.desk(), bench.case("accepted"), entries)


def _particulars(bench: Bench) -> object:
    fields = casework.CaseFields(INTAKE, CaseSource.APPLICATION, "02", facts="两家因共用通道堆放杂物发生争执（更正）")
    return casework.update_case(bench.desk(), bench.case("accepted"), fields)


def _agreement_draft(bench: Bench) -> object:
    draft = casework.AgreementDraft("双方就通道堆物达成一致", ["赵小红清走杂物。"], performance_manner="自行履行")
    return casework.save_agreement_draft(bench.desk(), bench.case("agreed"), draft)


def _printing(bench: Bench) -> list[PrintRequest]:
    """The draft agreement printed for signing (its state changes) and the intake form (only read)."""
    return [PrintRequest(Form.AGREEMENT, bench.case("drafted")), PrintRequest(Form.INTAKE, bench.case("drafted"))]


def _batch(bench: Bench) -> object:
    return [progress.pdf for progress in docs.batch(printing.batch_jobs(bench.desk(), _printing(bench)))]


@dataclass(frozen=True)
class Call:
    function: Callable[..., object]  # the service function
    needs: tuple[Permission, ...]
    perform: Callable[[Bench], object]
    prepare: Callable[[Bench], None] | None = None
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or self.function.__name__


CALLS: list[Call] = [
    Call(cases.register_case, (Permission.EDIT_CASE,), lambda b: cases.register_case(b.desk(), neighbours())),
    Call(cases.accept_case, (Permission.EDIT_CASE,), lambda b: cases.accept_case(b.desk(), b.case("registered"))),
    Call(
        cases.refuse_case,
        (Permission.EDIT_CASE,),
        lambda b: cases.refuse_case(b.desk(), b.case("registered"), "已起诉"),
    ),
    Call(
        cases.assign_mediators,
        (Permission.EDIT_CASE,),
        lambda b: cases.assign_mediators(b.desk(), b.case("accepted"), [b.prepared.mediator], on=INTAKE),
    ),
    Call(cases.record_investigation, (Permission.EDIT_CASE,), _investigation),
    Call(
        cases.record_session,
        (Permission.EDIT_CASE,),
        lambda b: cases.record_session(
            b.desk(), b.case("accepted"), held_at=datetime(2026, 3, 3, tzinfo=UTC), body="调解"
        ),
    ),
    Call(cases.record_follow_up, (Permission.EDIT_CASE,), _follow_up),
    Call(cases.record_judicial_confirmation, (Permission.EDIT_CASE,), _confirmation),
    Call(
        cases.conclude_case,
        (Permission.EDIT_CASE,),
        lambda b: cases.conclude_case(b.desk(), b.case("accepted"), OutcomeKind.TERMINATED, reason="撤回", on=INTAKE),
    ),
    Call(cases.close_case, (Permission.CLOSE_CASE,), lambda b: cases.close_case(b.desk(), b.case("terminated"))),
    Call(cases.edit_case, (Permission.EDIT_CASE,), _edit),
    Call(cases.edit_case, (Permission.EDIT_CASE, Permission.CLOSE_CASE), _edit_closing, label="edit_case_closing"),
    Call(
        mediators.add_mediator,
        (Permission.MANAGE_ROSTER,),
        lambda b: mediators.add_mediator(b.desk(), mediators.MediatorInput("孙调解")),
    ),
    Call(
        mediators.pair_mediator,
        (Permission.MANAGE_ROSTER,),
        lambda b: mediators.pair_mediator(b.desk(), b.prepared.mediator, VILLAGE_CODE),
    ),
    Call(
        mediators.assess_mediator,
        (Permission.MANAGE_ROSTER,),
        lambda b: mediators.assess_mediator(b.desk(), b.prepared.mediator, 2025, "优秀"),
    ),
    Call(
        orgs.import_orgs, (Permission.MANAGE_ORGS,), lambda b: orgs.import_orgs(b.desk(), b.prepared.files / "orgs.csv")
    ),
    Call(
        orgs.set_case_prefix,
        (Permission.MANAGE_ORGS,),
        lambda b: orgs.set_case_prefix(b.desk(), VILLAGE_CODE, "缙新人调"),
    ),
    Call(
        import_ledger,
        (Permission.IMPORT_LEDGER,),
        lambda b: import_ledger(b.desk(), b.prepared.files / "ledger.csv"),
    ),
    Call(
        import_ledger,
        (Permission.IMPORT_LEDGER, Permission.EDIT_CASE),
        lambda b: import_ledger(b.desk(), b.prepared.files / "ledger.csv", update=True),
        label="import_ledger_update",
    ),
    Call(backups.create, (Permission.MANAGE_BACKUPS,), lambda b: backups.create(b.root, b.actor)),
    Call(
        backups.restore,
        (Permission.RESTORE_BACKUP,),
        lambda b: backups.restore(b.root, b.prepared.backup, b.actor),
    ),
    Call(
        keys.export_data_key,
        (Permission.MANAGE_BACKUPS,),
        lambda b: keys.export_data_key(b.root, b.outside / "exported.json", PASSPHRASE, b.actor),
    ),
    Call(
        keys.import_data_key,
        (Permission.MANAGE_BACKUPS,),
        lambda b: keys.import_data_key(b.root, b.prepared.files / "key.json", PASSPHRASE, b.actor),
        prepare=_forget_key,
    ),
    Call(
        users.create_user,
        (Permission.MANAGE_USERS,),
        lambda b: users.create_user(b.desk(), "newcomer", NEW_PASSWORD, UserRole.MEDIATOR),
    ),
    Call(
        users.reset_password,
        (Permission.MANAGE_USERS,),
        lambda b: users.reset_password(b.desk(), "target", NEW_PASSWORD),
    ),
    Call(users.deactivate_user, (Permission.MANAGE_USERS,), lambda b: users.deactivate_user(b.desk(), "target")),
    Call(users.activate_user, (Permission.MANAGE_USERS,), lambda b: users.activate_user(b.desk(), "dormant")),
    Call(
        users.change_password,
        (Permission.CHANGE_OWN_PASSWORD,),
        lambda b: users.change_password(b.desk(), TEST_PASSWORD, NEW_PASSWORD),
    ),
    Call(setup.initialise, (Permission.MANAGE_SETTINGS,), _initialise),
    Call(setup.initialise_database, (Permission.MANAGE_SETTINGS,), _initialise_database, prepare=_open_aggregate),
    Call(
        agreements.draft_agreement,
        (Permission.EDIT_CASE,),
        lambda b: agreements.draft_agreement(b.desk(), b.case("agreed"), agreement_input()),
    ),
    Call(
        agreements.update_agreement,
        (Permission.EDIT_CASE,),
        lambda b: agreements.update_agreement(b.desk(), b.agreement("printed"), agreement_input(place="村委会")),
    ),
    Call(
        agreements.print_for_signing,
        (Permission.EDIT_CASE,),
        lambda b: agreements.print_for_signing(b.desk(), b.agreement("drafted")),
    ),
    Call(
        agreements.mark_signed,
        (Permission.EDIT_CASE,),
        lambda b: agreements.mark_signed(b.desk(), b.agreement("printed"), SIGNED_ON),
    ),
    Call(
        agreements.void_agreement,
        (Permission.VOID_AGREEMENT,),
        lambda b: agreements.void_agreement(b.desk(), b.agreement("signed"), "履行期限写错"),
    ),
    Call(
        agreements.reissue_agreement,
        (Permission.VOID_AGREEMENT,),
        lambda b: agreements.reissue_agreement(b.desk(), b.agreement("signed"), "履行地点写错", agreement_input()),
    ),
    Call(
        agreements.attach_scan,
        (Permission.EDIT_CASE,),
        lambda b: agreements.attach_scan(b.desk(), b.agreement("signed"), b.prepared.files / "scan.pdf"),
    ),
    Call(
        attachments.add_attachment,
        (Permission.EDIT_CASE,),
        lambda b: attachments.add_attachment(b.desk(), b.case("accepted"), b.prepared.files / "evidence.jpg", "现场"),
    ),
    Call(
        roster.update_mediator,
        (Permission.MANAGE_ROSTER,),
        lambda b: roster.update_mediator(
            b.desk(), b.prepared.mediator, mediators.MediatorInput("钱调解", gender=Gender.FEMALE, phone="13900002222")
        ),
    ),
    Call(casework.update_case, (Permission.EDIT_CASE,), _particulars),
    Call(casework.save_parties, (Permission.EDIT_CASE,), _parties),
    Call(
        casework.set_recorder,
        (Permission.EDIT_CASE,),
        lambda b: casework.set_recorder(b.desk(), b.case("accepted"), "钱调解"),
    ),
    Call(
        casework.recuse_mediator,
        (Permission.EDIT_CASE,),
        lambda b: casework.recuse_mediator(b.desk(), b.case("drafted"), b.prepared.mediator, "申请人与调解员是亲戚"),
    ),
    Call(casework.save_agreement_draft, (Permission.EDIT_CASE,), _agreement_draft),
    Call(
        printing.print_form,
        (Permission.EDIT_CASE,),
        lambda b: printing.print_form(b.desk(), _printing(b)[0]),
    ),
    Call(
        printing.save_form,
        (Permission.EDIT_CASE,),
        lambda b: printing.save_form(b.desk(), _printing(b)[0], b.outside / "agreement.pdf"),
    ),
    Call(printing.batch_jobs, (Permission.EDIT_CASE,), _batch),
    Call(
        printing.save_batch,
        (Permission.EDIT_CASE,),
        lambda b: list(printing.save_batch(b.desk(), _printing(b), b.outside)),
    ),
    Call(
        printing.save_each,
        (Permission.EDIT_CASE,),
        lambda b: list(printing.save_each(b.desk(), _printing(b), b.outside)),
    ),
]

# Service functions that name a permission but change nothing: tested on their own below.
READS: list[Callable[..., object]] = [
    users.list_users,
    identity.shown_id_number,
    printing.party_data,  # the data of a printed form: identity whole or masked by role
    printing.case_data,
    printing.agreement_data,
    printing.case_file,
    printing.preview_form,  # what would print, for every role: tested below
]


# ---------------------------------------------------------------------------------------------------------------
# The walk


@pytest.mark.parametrize("role", list(UserRole), ids=[role.value for role in UserRole])
@pytest.mark.parametrize("call", CALLS, ids=[call.name for call in CALLS])
def test_every_call_for_every_role(call: Call, role: UserRole, bench_for: Callable[[UserRole], Bench]) -> None:
    bench = bench_for(role)
    if call.prepare is not None:
        call.prepare(bench)
    before = snapshot(bench)
    if all(allowed(role, permission) for permission in call.needs):
        call.perform(bench)
        assert snapshot(bench) != before, f"{call.name} as {role.value} changed nothing"
    else:
        with pytest.raises(PermissionDenied, match=f"^“{role.label}”无权"):
            call.perform(bench)
        assert snapshot(bench) == before


@pytest.mark.parametrize("role", list(UserRole), ids=[role.value for role in UserRole])
def test_only_administrators_list_accounts(role: UserRole, bench_for: Callable[[UserRole], Bench]) -> None:
    bench = bench_for(role)
    if allowed(role, Permission.MANAGE_USERS):
        assert "target" in [info.username for info in users.list_users(bench.desk())]
    else:
        with pytest.raises(PermissionDenied):
            users.list_users(bench.desk())


@pytest.mark.parametrize("role", list(UserRole), ids=[role.value for role in UserRole])
def test_id_numbers_are_masked_for_roles_without_view_identity(
    role: UserRole, bench_for: Callable[[UserRole], Bench]
) -> None:
    bench = bench_for(role)
    number = synthetic_id(123)
    shown = identity.shown_id_number(bench.desk(), number)
    if allowed(role, Permission.VIEW_IDENTITY):
        assert shown == number
    else:
        assert shown == mask_id_number(number) == number[:6] + "*" * 8 + number[14:]
    [party] = [p for p in cases.get_case(bench.desk(), bench.case("accepted")).parties if p.id_number]
    assert party.id_number == number  # on the desk itself the number is whole; masking is for what leaves it


@pytest.mark.parametrize("role", list(UserRole), ids=[role.value for role in UserRole])
def test_printed_forms_mask_identity_for_roles_without_view_identity(
    role: UserRole, bench_for: Callable[[UserRole], Bench]
) -> None:
    bench = bench_for(role)
    desk = bench.desk()
    before = snapshot(bench)
    number = synthetic_id(123)
    whole = allowed(role, Permission.VIEW_IDENTITY)
    shown = (number, PHONE) if whole else (mask_id_number(number), mask_phone(PHONE))
    assert whole or (shown[0] != number and shown[1] != PHONE)
    with desk.read() as session:
        case = load_case(session, bench.case("signed"))
        [party] = [party for party in parties_of(session, case.id) if party.id_number]
        assert (party.id_number, party.phone) == (number, PHONE)  # the desk holds them whole
        data = printing.party_data(desk, party)
        assert (data.id_number, data.phone) == shown
        case_data = printing.case_data(desk, session, case)
        assert [(p.name, p.id_number, p.phone) for p in case_data.parties] == [("王小明", *shown), ("赵小红", "", "")]
        agreement = session.get(Agreement, bench.agreement("signed"))
        assert agreement is not None
        paper = printing.agreement_data(desk, session, agreement, draft=False)
        assert paper.case == case_data
        assert paper.verification is not None
        assert paper.effective_date == SIGNED_ON
        checklist = printing.case_file(desk, session, case, case_data)
        assert checklist.case == case_data
        assert [item.present for item in checklist.items if item.title == "调解协议书"] == [True]
    text = pdf_text(printing.print_form(desk, PrintRequest(Form.INTAKE, bench.case("signed"))).pdf)
    assert shown[0] in text
    assert (number in text) is whole
    assert snapshot(bench) == before


# ---------------------------------------------------------------------------------------------------------------
# Completeness: every service function that names a permission has its row


def _names_permission(node: ast.AST) -> bool:
    return any(
        isinstance(found, ast.Attribute) and isinstance(found.value, ast.Name) and found.value.id == "Permission"
        for found in ast.walk(node)
    )


def _called_names(node: ast.AST) -> set[str]:
    return {
        found.func.id for found in ast.walk(node) if isinstance(found, ast.Call) and isinstance(found.func, ast.Name)
    }


def permission_functions() -> set[str]:
    """``module.function`` of every public service function that names ``Permission.<X>``, itself or through a
    function of its module that it calls (``backups.create`` through ``_check``, ``setup.initialise`` through
    ``_record``)."""
    found: set[str] = set()
    for path in sorted((ROOT / "mediation_desk" / "services").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
        for klass in (node for node in tree.body if isinstance(node, ast.ClassDef)):
            for method in klass.body:
                if isinstance(method, ast.FunctionDef):
                    functions[f"{klass.name}.{method.name}"] = method
        calls = {name: _called_names(node) & set(functions) for name, node in functions.items()}
        reaching = {name for name, node in functions.items() if _names_permission(node)}
        while grown := {name for name in functions if calls[name] & reaching} - reaching:
            reaching |= grown
        found |= {f"{module}.{name}" for name in reaching if not name.split(".")[-1].startswith("_")}
    return found


def qualified(function: Callable[..., object]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def walked_elsewhere() -> set[str]:
    """The service calls whose role walk lives beside their own tests: the sync calls need peers, files and
    conflicts set up (``tests/sync/test_desk_roles.py`` walks each for every role, as this module does)."""
    return {qualified(getattr(sync, call.name, None) or getattr(sync_conflicts, call.name)) for call in SYNC_CALLS}


def test_every_service_call_that_checks_a_role_is_in_the_table() -> None:
    scanned = permission_functions()
    tabled = {qualified(call.function) for call in CALLS} | {qualified(function) for function in READS}
    tabled |= walked_elsewhere()
    assert scanned - tabled == set(), "service calls without a row in CALLS"
    assert tabled - scanned == set(), "rows in CALLS for functions that name no permission"
    assert len(scanned) >= 29


def test_the_scan_sees_a_new_call() -> None:
    tree = ast.parse("def archive(desk):\n    return desk.run('x', Permission.EDIT_CASE, body)\n")
    assert _names_permission(tree.body[0])
    assert not _names_permission(ast.parse("def read(desk: Desk, permission: Permission) -> None: ...").body[0])


# ---------------------------------------------------------------------------------------------------------------
# The matrix itself and the README


def test_every_permission_has_roles_and_a_description() -> None:
    assert set(ROLES) == set(_DESCRIPTIONS) == set(Permission)
    assert all(ROLES[permission] for permission in Permission)
    assert all(allowed(UserRole.ADMIN, permission) for permission in Permission)
    assert all(allowed(role, Permission.CHANGE_OWN_PASSWORD) for role in UserRole)
    assert all(allowed(role, Permission.EDIT_CASE) for role in UserRole)
    office_work = (Permission.CLOSE_CASE, Permission.IMPORT_LEDGER, Permission.MANAGE_BACKUPS, Permission.MANAGE_USERS)
    assert not any(allowed(UserRole.MEDIATOR, permission) for permission in office_work)
    assert [role for role in UserRole if allowed(role, Permission.MANAGE_USERS)] == [UserRole.ADMIN]
    assert [role for role in UserRole if allowed(role, Permission.MANAGE_SETTINGS)] == [UserRole.ADMIN]


def test_check_refuses_with_the_role_and_the_action() -> None:
    with pytest.raises(PermissionDenied) as caught:
        check(UserRole.TOWNSHIP_CLERK, Permission.RESTORE_BACKUP)
    assert caught.value.message == "“司法所工作人员”无权用备份恢复数据库"
    check(UserRole.DIRECTOR, Permission.RESTORE_BACKUP)


def test_matrix_table_has_a_row_per_permission_and_a_column_per_role() -> None:
    lines = matrix_table()
    assert len(lines) == 2 + len(Permission)
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines)
    assert all(line.count(" | ") == len(UserRole) for line in lines)
    close = next(line for line in lines if "`close_case`" in line)
    assert close.split(" | ")[1:] == ["", "✓", "✓", "✓", "✓ |"]


def test_the_readme_shows_the_matrix_exactly() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    expected = matrix_table()
    starts = [index for index, line in enumerate(readme) if line == expected[0]]
    assert len(starts) == 1, "the README holds the role table once: python -m mediation_desk.domain.permissions"
    start = starts[0]
    end = start
    while end < len(readme) and readme[end].startswith("|"):
        end += 1
    assert readme[start:end] == expected, "paste the output of python -m mediation_desk.domain.permissions"


@pytest.mark.parametrize("role", list(UserRole), ids=[role.value for role in UserRole])
def test_every_role_may_preview_an_agreement_and_nothing_changes(
    role: UserRole, bench_for: Callable[[UserRole], Bench]
) -> None:
    bench = bench_for(role)
    before = snapshot(bench)
    for case, mark in (("drafted", "草稿"), ("signed", "第1份")):
        printed = printing.preview_form(bench.desk(), PrintRequest(Form.AGREEMENT, bench.case(case)))
        assert mark in pdf_text(printed.pdf)
    assert snapshot(bench) == before
