"""Case numbers such as "(2021)缙五人调字第12号": unique per organisation and year, prefix set per organisation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.text import clean_line

DEFAULT_PREFIX = "人调"
DEFAULT_TEMPLATE = "({year}){prefix}字第{seq}号"
# A case number is at most 60 characters long, so a longer sequence is no case number (and int() refuses text of
# more than 4,300 digits)
_PATTERN = re.compile(r"^[(（](?P<year>[0-9]{4})[)）](?P<prefix>.+?)字?第(?P<seq>[0-9]{1,60})号$")


@dataclass(frozen=True, slots=True)
class CaseNumber:
    year: int
    prefix: str
    seq: int

    def __str__(self) -> str:
        return format_case_number(self.year, self.prefix, self.seq)


def validate_prefix(prefix: str) -> str:
    """The case-number prefix of an organisation ("缙五人调"; a trailing 字 is the number's own and dropped)."""
    prefix = clean_line(prefix, label="案号字头", field="case_prefix").removesuffix("字")
    if not prefix or len(prefix) > 12 or re.search(r"[\s()（）]", prefix):
        raise ValidationError("案号字头应为 1–12 个字，不含空格和括号，如“缙五人调”", field="case_prefix")
    return prefix


def format_case_number(year: int, prefix: str, seq: int) -> str:
    if seq < 1:
        raise ValidationError("案号序号从 1 开始")
    return DEFAULT_TEMPLATE.format(year=year, prefix=prefix or DEFAULT_PREFIX, seq=seq)


def parse_case_number(text: str) -> CaseNumber | None:
    """Parse a number in the usual form, full-width brackets included; ``None`` for any other form."""
    match = _PATTERN.match(text.strip().replace(" ", ""))
    if not match:
        return None
    return CaseNumber(int(match["year"]), match["prefix"], int(match["seq"]))


def next_seq(used: list[int] | set[int]) -> int:
    """The next sequence number after those already used this year (gaps stay gaps: numbers are never reused)."""
    return max(used, default=0) + 1
