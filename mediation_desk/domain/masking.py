"""Masking of identifying numbers for output that may leave the village (MEDIATION.md, Personal data)."""

from __future__ import annotations

RESIDENT_ID_LENGTH = 18


def mask_id_number(number: str) -> str:
    """331122198001011234 → 331122********1234; other documents keep two characters at each end."""
    text = number.strip()
    if not text:
        return ""
    if len(text) == RESIDENT_ID_LENGTH:
        return text[:6] + "*" * 8 + text[14:]
    if len(text) == 15:  # a legacy resident ID: address code, then the birth date (6 digits), then 3 more
        return text[:6] + "*" * 6 + text[12:]
    if len(text) <= 4:
        return "*" * len(text)
    return text[:2] + "*" * (len(text) - 4) + text[-2:]


def mask_phone(phone: str) -> str:
    """13800001234 → 138****1234; 0578-1234567 → 0578-***4567; an extension (转12) is kept."""
    text = phone.strip()
    if not text:
        return ""
    extension = ""
    if "转" in text:
        text, _sep, rest = text.partition("转")
        extension = "转" + rest
    area, dash, local = text.rpartition("-")
    if dash:
        return f"{area}-{_keep_last(local, 4)}{extension}"
    if len(text) == 11 and text.startswith("1"):
        return f"{text[:3]}****{text[7:]}{extension}"
    return _keep_last(text, 4) + extension


def _keep_last(text: str, keep: int) -> str:
    if len(text) <= keep:
        return "*" * len(text)
    return "*" * (len(text) - keep) + text[-keep:]
