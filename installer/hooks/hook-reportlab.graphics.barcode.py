"""PyInstaller hook: ReportLab's barcode package imports its symbologies by name from a string (``exec``), which
the analysis cannot follow; the verification QR code of the printed forms comes from there."""

from PyInstaller.utils.hooks import collect_submodules  # type: ignore[import-untyped]

hiddenimports = collect_submodules("reportlab.graphics.barcode")
