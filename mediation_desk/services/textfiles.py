"""Reading the small UTF-8 text files users hand the program (organisation lists, password files)."""

from __future__ import annotations

from pathlib import Path

from mediation_desk.domain.errors import ValidationError


def read_utf8(path: Path, what: str) -> str:
    """The file's text (a BOM is dropped); one clear Chinese error naming ``what`` when it is missing or not UTF-8."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError(f"找不到{what} {path}") from None
    except IsADirectoryError:
        raise ValidationError(f"{path} 是文件夹，不是{what}") from None
    except UnicodeDecodeError:
        raise ValidationError(f"{what} {path.name} 不是 UTF-8 编码的文本") from None
