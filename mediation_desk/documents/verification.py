"""Verification codes: an agreement's content hash written in 32 symbols that cannot be misread from paper.

The alphabet ``23456789ABCDEFGHJKLMNPQRSTUVWXYZ`` leaves out 0, O, 1 and I. Each symbol carries 5 bits of the
SHA-256 hash, so a 10-symbol code carries 50 bits (two agreements share one by chance about once in 10^15 pairs)
and the 20-symbol longer code 100 bits. Codes are printed in groups of five (``7KQ2M-X9HCD``); typed codes may
have spaces, hyphens, small letters and full-width digits.
"""

from __future__ import annotations

from mediation_desk.domain.errors import ValidationError

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
SHORT = 10
LONG = 20
MINIMUM = 8
QR_PREFIX = "MD-VERIFY:"
QR_SYMBOLS = 26  # 130 bits in the QR code: "MD-VERIFY:" and 26 symbols fit a version-2 code in alphanumeric mode


def code_symbols(hex_hash: str) -> str:
    """The whole content hash in the code alphabet (52 symbols, 5 bits each, the last padded)."""
    value = int(hex_hash, 16) << 4  # 256 bits padded to 260
    symbols = [ALPHABET[(value >> shift) & 31] for shift in range(255, -1, -5)]
    return "".join(symbols)


def grouped(symbols: str) -> str:
    return "-".join(symbols[index : index + 5] for index in range(0, len(symbols), 5))


def normalise_code(text: str) -> str:
    """What was typed, without spaces and hyphens, in capitals; the QR code's text is accepted as well."""
    value = text.strip()
    if value.upper().startswith(QR_PREFIX):
        value = value[len(QR_PREFIX) :]
    value = "".join(value.split()).replace("-", "").replace("－", "").upper()
    value = value.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    wrong = sorted({char for char in value if char not in ALPHABET})
    if not value:
        raise ValidationError("请输入协议书上的验证码", field="code")
    if wrong:
        raise ValidationError(
            f"验证码中不会出现“{'、'.join(wrong)}”（验证码不用 0、O、1、I）；请对照协议书重新输入", field="code"
        )
    if len(value) < MINIMUM:
        raise ValidationError("验证码太短：请输入协议书上的全部验证码（至少 8 位）", field="code")
    return value


def hex_prefix(symbols: str) -> str:
    """The hex digits of the hash that a code's symbols fix completely (for the database's LIKE)."""
    value = 0
    for char in symbols:
        value = (value << 5) | ALPHABET.index(char)
    bits = 5 * len(symbols)
    digits = bits // 4
    return f"{value >> (bits - 4 * digits):0{digits}x}" if digits else ""
