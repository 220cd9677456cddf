"""Date rules: not in the future, intake before closing; parsing of dates as ledgers write them."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from mediation_desk.domain.errors import ValidationError


def parse_date(value: str | date | datetime, *, field: str = "date") -> date:
    """Accept 2021-03-05, 2021/3/5, 2021.3.5, 20210305, 2021年3月5日, or a date/datetime object."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", value).strip()
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?", text)
    if not match:
        match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if not match:
        raise ValidationError(f"“{value}”不是日期，应写作 2021-03-05", field=field)
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValidationError(f"“{value}”不是有效日期", field=field) from None


def check_not_future(day: date, *, today: date | None = None, field: str = "date", what: str = "日期") -> date:
    if day > (today or date.today()):
        raise ValidationError(f"{what}不能晚于今天", field=field)
    return day


def check_order(intake: date, closing: date | None) -> None:
    if closing is not None and closing < intake:
        raise ValidationError("结案日期不能早于受理日期", field="closing_date")
