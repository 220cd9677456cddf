"""Amounts are integer fen; ledgers and forms speak yuan."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from mediation_desk.domain.errors import ValidationError

MAX_FEN = 10**15  # a trillion yuan: beyond any dispute, well inside a 64-bit integer


def yuan_to_fen(text: str | int | float | Decimal) -> int:
    """Parse an amount in yuan ("1,200.50", "１２００", 1200.5, "3万", "¥800") into integer fen."""
    if isinstance(text, bool):
        raise ValidationError("金额格式不正确", field="amount")
    if isinstance(text, float):
        value = Decimal(repr(text))
    elif isinstance(text, int | Decimal):
        value = Decimal(text)
    else:
        cleaned = unicodedata.normalize("NFKC", text).strip()
        cleaned = re.sub(r"[,\s¥￥]|元$", "", cleaned)
        scale = Decimal(1)
        if cleaned.endswith("万"):
            cleaned, scale = cleaned[:-1], Decimal(10000)
        if not cleaned:
            return 0
        if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", cleaned):
            raise ValidationError(f"金额“{text}”不是数字", field="amount")
        try:
            value = Decimal(cleaned) * scale
        except InvalidOperation:
            raise ValidationError(f"金额“{text}”不是数字", field="amount") from None
    if not value.is_finite():
        raise ValidationError(f"金额“{text}”不是数字", field="amount")
    if value < 0:
        raise ValidationError("金额不能为负数", field="amount")
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValidationError("金额最多保留两位小数（精确到分）", field="amount")
    if fen > MAX_FEN:
        raise ValidationError("金额过大", field="amount")
    return int(fen)


def fen_to_yuan_text(fen: int) -> str:
    """12345 → "123.45"."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def fen_to_yuan(fen: int) -> float:
    """For JSON output: exact for any amount below 2**53 fen."""
    return round(fen / 100, 2)
