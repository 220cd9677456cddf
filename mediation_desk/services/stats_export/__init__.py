"""The statistics as files: an Excel workbook (``xlsx``) and a PDF report (``pdf``), from the same ``Statistics``
as ``stats --json``, so the three agree to the case. Both are written whole or not at all (``store.files``).

``columns`` holds what the two share: the table columns, the scope and the headline figures.
"""

from __future__ import annotations

from pathlib import Path

from mediation_desk.domain.errors import ValidationError
from mediation_desk.services.stats import Statistics
from mediation_desk.services.stats_quality import QualityReport

__all__ = ["check_target", "export_pdf", "export_xlsx"]

WHAT = {".xlsx": "Excel 工作簿", ".pdf": "PDF 报表"}


def check_target(path: Path, suffix: str) -> Path:
    """``path`` if a report file with ``suffix`` (``.xlsx``, ``.pdf``) can be written there, else a clear error."""
    return _target(path, suffix, WHAT[suffix])


def _target(path: Path, suffix: str, what: str) -> Path:
    path = Path(path)
    if path.suffix.lower() != suffix:
        raise ValidationError(f"{what}的文件名应以 {suffix} 结尾：{path.name}")
    if not path.parent.is_dir():
        raise ValidationError(f"保存{what}的文件夹不存在：{path.parent}")
    if path.is_dir():
        raise ValidationError(f"{path} 是一个文件夹，不能写成{what}")
    return path


def export_xlsx(result: Statistics, path: Path, quality: QualityReport | None = None) -> Path:
    """The workbook at ``path`` (``.xlsx``); ``quality``: the check run just before, shown on the cover."""
    from mediation_desk.services.stats_export.xlsx import write_xlsx

    target = _target(path, ".xlsx", "Excel 工作簿")
    write_xlsx(result, target, quality)
    return target


def export_pdf(result: Statistics, path: Path, quality: QualityReport | None = None) -> Path:
    """The PDF report at ``path`` (``.pdf``); ``quality``: the check run just before, summarised at the end."""
    from mediation_desk.services.stats_export.pdf import write_pdf

    target = _target(path, ".pdf", "PDF 报表")
    write_pdf(result, target, quality)
    return target
