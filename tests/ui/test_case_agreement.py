"""The agreement papers in the case editor: the whole life of a written agreement through the panel's buttons
(draft → printed for signing → signed → void and reissue → the new one printed, signed and its scan attached),
the refusal that names the missing Art. 29 elements, and a tooltip on every step that is closed.

Forms are filled and submitted instead of waiting for a person (``exec`` replaced); the print preview's ``exec``
paints its pages, as the dialog would, into a real PDF file that pdfinfo reads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QDate
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from pytestqt.qtbot import QtBot

from mediation_desk.domain.codes import AgreementState, UserRole
from mediation_desk.services import agreements
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.ui.case_agreement import AgreementPanel, SignDialog, VoidDialog
from mediation_desk.ui.case_editor import CaseEditor, load_bundle
from mediation_desk.ui.forms import FormDialog
from mediation_desk.ui.tasks import TaskRunner
from tests.documents.conftest import FACTS, TERMS, MadeCase, conclude, make_case, run_tool

D = TypeVar("D", bound=FormDialog)
SHOTS = Path("/tmp/shots/print-gui")


def fill_with(monkeypatch: pytest.MonkeyPatch, kind: type[D], fill: Callable[[D], None]) -> None:
    def run(self: D) -> int:
        fill(self)
        self.submit()
        assert self.saved, [row.error for row in self.fields.values() if row.has_error] or self.message.message()
        return 1

    monkeypatch.setattr(kind, "exec", run)


class PaintedPreviews:
    """Replaces the preview dialog's ``exec``: the dialog's own printer, made a PDF file, gets the pages painted
    through ``paintRequested`` (the dialog's signal, with our painting behind it)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: list[Path] = []

    def exec(self, dialog: QPrintPreviewDialog) -> int:
        printer = dialog.printer()
        target = self.folder / f"preview-{len(self.files) + 1}.pdf"
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        dialog.paintRequested.emit(printer)
        self.files.append(target)
        return 1


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> PaintedPreviews:
    painted = PaintedPreviews(tmp_path)
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda dialog: painted.exec(dialog))  # noqa: PLW0108
    return painted


@pytest.fixture
def mediator_desk(desk: Desk) -> Desk:
    desk.actor = Actor.signed_in("gui", "admin", UserRole.ADMIN)
    return desk


@pytest.fixture
def made(mediator_desk: Desk) -> MadeCase:
    case = make_case(mediator_desk)
    conclude(mediator_desk, case)
    return case


@pytest.fixture
def editor(mediator_desk: Desk, runner: TaskRunner, made: MadeCase) -> Iterator[CaseEditor]:
    window = CaseEditor(mediator_desk, runner, load_bundle(mediator_desk, made.id))
    window.resize(1366, 768)
    window.show()
    window.tabs.setCurrentWidget(window.agreement_panel)
    yield window
    window.intake.dirty = window.outcome.dirty = window.mediators.dirty = window.parties_dirty = False
    window.close()


def states(panel: AgreementPanel) -> list[str]:
    table = panel.list.table
    return [table.item(row, 1).text() for row in range(table.rowCount())]  # type: ignore[union-attr]


def pdf_info(path: Path) -> dict[str, str]:
    lines = run_tool("pdfinfo", str(path)).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def assert_closed_with_reasons(panel: AgreementPanel) -> None:
    closed = [widget for widget in panel.buttons() if not widget.isEnabled()]
    assert all(widget.toolTip().strip() for widget in closed), [widget.text() for widget in closed]
    assert all(not widget.toolTip() for widget in panel.buttons() if widget.isEnabled())


def print_and_sign(monkeypatch: pytest.MonkeyPatch, panel: AgreementPanel, previews: PaintedPreviews) -> Path:
    panel.print_button.click()
    assert previews.files, panel.message.text()
    fill_with(monkeypatch, SignDialog, lambda dialog: dialog.day.setDate(QDate(2025, 3, 5)))
    panel.sign_button.click()
    return previews.files[-1]


def test_the_whole_life_of_an_agreement_in_the_editor(
    monkeypatch: pytest.MonkeyPatch, editor: CaseEditor, previews: PaintedPreviews, tmp_path: Path
) -> None:
    panel = editor.agreement_panel
    assert states(panel) == ["草稿"]
    assert panel.print_button.isEnabled()
    assert not panel.sign_button.isEnabled()
    assert "打印" in panel.sign_button.toolTip()
    assert_closed_with_reasons(panel)

    painted = print_and_sign(monkeypatch, panel, previews)
    info = pdf_info(painted)
    assert info["Pages"] == "6"  # two parties: three copies of two pages each
    assert "(A4)" in info["Page size"]
    first = agreements.agreements_of_case(editor.desk, editor.case_id)[0]
    assert first.state is AgreementState.SIGNED
    assert first.effective_date == date(2025, 3, 5)
    assert states(panel) == ["已签署生效"]
    assert panel.list.table.item(0, 2).text() == first.code != ""  # type: ignore[union-attr]
    assert not panel.print_button.isEnabled()
    assert panel.scan_button.isEnabled()
    assert_closed_with_reasons(panel)

    fill_with(monkeypatch, VoidDialog, lambda dialog: dialog.reason.setPlainText("当事人姓名有误，重新出具"))
    panel.reissue_button.click()
    assert states(panel) == ["已作废", "草稿"]
    old, new = agreements.agreements_of_case(editor.desk, editor.case_id)
    assert old.replaced_by == new.number
    assert new.replaces == old.number
    assert new.number.endswith("之二")
    assert new.terms == TERMS
    assert new.facts == FACTS
    assert panel.selected() is not None
    assert panel.selected().id == new.id  # type: ignore[union-attr]
    assert editor.outcome.terms.terms() == list(TERMS)  # the outcome tab edits the new draft

    panel.list.table.selectRow(0)
    assert not any(widget.isEnabled() for widget in (panel.print_button, panel.void_button, panel.scan_button))
    assert_closed_with_reasons(panel)
    panel.list.table.selectRow(1)
    print_and_sign(monkeypatch, panel, previews)
    scan = tmp_path / "signed-scan.pdf"
    scan.write_bytes(painted.read_bytes())
    panel.attach(scan)
    latest = agreements.agreements_of_case(editor.desk, editor.case_id)[1]
    assert latest.state is AgreementState.SIGNED
    assert latest.scan_attachment_id is not None
    assert "签署件扫描" in panel.list.table.item(1, 4).text()  # type: ignore[union-attr]
    assert any(item.id == latest.scan_attachment_id for item in editor.attachments.attachments)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert editor.grab().save(str(SHOTS / "agreement-panel.png"))


def test_printing_for_signing_is_refused_naming_what_is_missing(
    editor: CaseEditor, previews: PaintedPreviews, made: MadeCase
) -> None:
    assert made.agreement_id is not None
    content = agreements.AgreementInput(facts=FACTS, terms=TERMS, performance_manner="银行转账")
    agreements.update_agreement(editor.desk, made.agreement_id, content)
    panel = editor.agreement_panel
    panel.fill(editor.bundle.detail)
    panel.print_button.click()
    assert "第二十九条" in panel.message.text()
    assert "履行期限" in panel.message.text()
    assert not previews.files
    assert agreements.agreements_of_case(editor.desk, editor.case_id)[0].state is AgreementState.DRAFT


def test_a_mediator_may_not_void_and_is_told_why(
    qtbot: QtBot, desk: Desk, runner: TaskRunner, previews: PaintedPreviews
) -> None:
    made = make_case(desk)
    conclude(desk, made)
    desk.actor = Actor.signed_in("gui", "wang", UserRole.MEDIATOR)
    panel = AgreementPanel(desk, runner)
    qtbot.addWidget(panel)
    panel.fill(load_bundle(desk, made.id).detail)
    assert not panel.void_button.isEnabled()
    assert UserRole.MEDIATOR.label in panel.void_button.toolTip()
    panel.print_button.click()
    assert states(panel) == ["已打印待签"]
    assert panel.sign_button.isEnabled()
    assert not panel.void_button.isEnabled()
    assert_closed_with_reasons(panel)


def test_save_as_pdf_writes_the_draft_copy_whole(editor: CaseEditor, tmp_path: Path) -> None:
    target = tmp_path / "协议书.pdf"
    editor.agreement_panel.save_to(target)
    text = run_tool("pdftotext", "-enc", "UTF-8", str(target), "-")
    assert "草稿" in text
    assert "人民调解协议书" in text
    assert [path.name for path in tmp_path.iterdir() if path.suffix == ".tmp"] == []
    editor.agreement_panel.save_to(tmp_path / "no-such-folder" / "x.pdf")
    assert "找不到输出文件夹" in editor.agreement_panel.message.text()
