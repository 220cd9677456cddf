"""Where the shipped resources are found: a PyInstaller bundle, an installed wheel, the checkout, an archive."""

from __future__ import annotations

import zipfile
from pathlib import Path

from mediation_desk import resources
from mediation_desk.store.migrate import head_revision

CHECKOUT = Path(__file__).resolve().parents[2]


def test_a_bundle_keeps_its_folders_at_its_top(tmp_path: Path) -> None:
    package = tmp_path / "mediation_desk"
    (package / resources.SHIPPED).mkdir(parents=True)
    assert resources.locate_root(str(tmp_path / "bundle"), package, CHECKOUT) == tmp_path / "bundle"


def test_an_installed_wheel_has_them_inside_the_package(tmp_path: Path) -> None:
    package = tmp_path / "mediation_desk"
    (package / resources.SHIPPED).mkdir(parents=True)
    assert resources.locate_root(None, package, CHECKOUT) == package / resources.SHIPPED


def test_a_checkout_and_an_editable_install_use_the_repository_folders(tmp_path: Path) -> None:
    package = tmp_path / "mediation_desk"
    package.mkdir()
    assert resources.locate_root(None, package, CHECKOUT) == CHECKOUT


def test_a_package_in_an_archive_is_copied_out_to_real_folders(tmp_path: Path) -> None:
    archive = tmp_path / "program.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("mediation_desk/__init__.py", "")
        handle.writestr(f"mediation_desk/{resources.SHIPPED}/migrations/versions/0001_first.py", "revision = '1'\n")
        handle.writestr(f"mediation_desk/{resources.SHIPPED}/resources/data/table.csv", "code,name\n")
    package = zipfile.Path(archive, "mediation_desk/")
    root = resources.locate_root(None, package, CHECKOUT)
    assert root.is_dir()
    assert (root / "migrations" / "versions" / "0001_first.py").read_text(encoding="utf-8") == "revision = '1'\n"
    assert (root / "resources" / "data" / "table.csv").is_file()


def test_this_run_finds_the_migrations_and_the_reference_data() -> None:
    assert resources.migrations_path().is_dir()
    assert resources.resource_path("data", "dispute_categories.csv").is_file()
    assert head_revision()
