"""The demo county's written agreements are complete, signed records: they print without a change and their codes
verify; a batch prints many forms into a folder with progress after each."""

from __future__ import annotations

from pathlib import Path

from mediation_desk.demo import create_demo
from mediation_desk.domain.codes import AgreementState, OutcomeKind
from mediation_desk.services import agreements
from mediation_desk.services.cases import list_cases
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.services.printing import Form, PrintRequest, print_form, save_batch, verify
from tests.documents.conftest import pdf_text


def test_the_demo_agreements_print_as_signed_and_verify(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    create_demo(root, villages=2, cases=24, seed=7)
    desk = Desk.open(root, Actor.local_operator("test"), lock=True)
    try:
        written = [row for row in list_cases(desk) if row.outcome is OutcomeKind.WRITTEN_AGREEMENT]
        assert len(written) >= 5
        for row in written[:5]:
            before = agreements.agreements_of_case(desk, row.id)[-1]
            assert before.state is AgreementState.SIGNED
            assert before.content_hash
            printed = print_form(desk, PrintRequest(Form.AGREEMENT, row.id))
            assert printed.state == AgreementState.SIGNED.label
            assert before.code in pdf_text(printed.pdf)
            checked = verify(desk, before.code)
            assert checked.genuine, checked.message
            assert not checked.altered
            assert checked.number == before.number
    finally:
        desk.close()


def test_a_batch_writes_each_form_and_reports_progress(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    create_demo(root, villages=2, cases=12, seed=3)
    desk = Desk.open(root, Actor.local_operator("test"), lock=True)
    try:
        rows = list_cases(desk)[:3]
        requests = [PrintRequest(form, row.number) for row in rows for form in (Form.INTAKE, Form.RIGHTS)]
        out = tmp_path / "out"
        out.mkdir()
        seen = [(progress.done, progress.total) for progress in save_batch(desk, requests, out)]
        assert seen == [(index, len(requests)) for index in range(1, len(requests) + 1)]
        files = sorted(out.glob("*.pdf"))
        assert len(files) == len(requests)
        assert all(path.read_bytes().startswith(b"%PDF-") for path in files)
    finally:
        desk.close()
