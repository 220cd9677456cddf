"""Resident ID numbers (GB 11643-1999) and phone numbers.

Rules from MEDIATION.md: normalise first (spaces, full-width digits, lower-case x); upgrade a legacy 15-digit
number by inserting "19" before the year and computing the check character; the birth date must be a real date
that is not in the future. An unknown or retired address code is never an error: people registered before 2000
in Jinyun carry 332526, and a code-existed-in-birth-year rule would reject real residents.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from mediation_desk.domain.codes import Gender
from mediation_desk.domain.errors import ValidationError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# Province-level prefixes in use (GB/T 2260); the first two digits must be one of them.
_PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)
# County codes retired by administrative changes that people still carry; a warning, never an error.
_RETIRED_COUNTIES = {"332526": "缙云县（旧区划代码 332526，现 331122）"}


def check_character(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalise_id_number(raw: str) -> str:
    """Remove spaces and separators, fold full-width characters, upper-case the check character."""
    text = unicodedata.normalize("NFKC", raw)
    text = re.sub(r"[\s\-]", "", text)
    return text.upper()


@dataclass(frozen=True, slots=True)
class ResidentId:
    """A valid 18-character resident ID number and what it encodes."""

    number: str
    address_code: str
    birth_date: date
    gender: Gender
    upgraded_from_15: bool = False
    warnings: tuple[str, ...] = field(default=())

    def masked(self) -> str:
        """The form used above the village: 331122********123X."""
        return self.number[:6] + "*" * 8 + self.number[14:]


def _digits(text: str) -> bool:
    """Whether ``text`` is the digits 0-9 only: ``str.isdigit`` also admits Arabic-Indic, Kharoshthi and other
    digits, which ``int`` may not read and no ID or phone number is written in."""
    return text.isascii() and text.isdigit()


def parse_resident_id(raw: str, *, today: date | None = None) -> ResidentId:
    """Validate a resident ID (or residence permit) number; raise ``ValidationError`` with a Chinese message."""
    today = today or date.today()
    number = normalise_id_number(raw)
    upgraded = False
    if len(number) == 15:
        if not _digits(number):
            raise ValidationError("15 位身份证号码只能由数字组成", field="id_number")
        first17 = number[:6] + "19" + number[6:]
        number = first17 + check_character(first17)
        upgraded = True
    if len(number) != 18:
        raise ValidationError(f"身份证号码应为 18 位（或旧式 15 位），现为 {len(number)} 位", field="id_number")
    if not _digits(number[:17]) or not (_digits(number[17]) or number[17] == "X"):
        raise ValidationError("身份证号码前 17 位应为数字，末位为数字或 X", field="id_number")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(f"身份证号码中的出生日期 {number[6:14]} 不是有效日期", field="id_number") from None
    if birth > today:
        raise ValidationError("身份证号码中的出生日期晚于今天", field="id_number")
    if birth.year < 1850:
        raise ValidationError("身份证号码中的出生年份早于 1850 年", field="id_number")
    expected = check_character(number[:17])
    if number[17] != expected:
        raise ValidationError("身份证号码校验位不正确，请核对后重新输入", field="id_number")
    warnings: list[str] = []
    if number[:2] not in _PROVINCES:
        warnings.append(f"地址码 {number[:6]} 不属于现行省级行政区划，请核对")
    elif number[:6] in _RETIRED_COUNTIES:
        warnings.append(f"地址码 {number[:6]} 为已撤销的区划代码：{_RETIRED_COUNTIES[number[:6]]}")
    gender = Gender.MALE if int(number[16]) % 2 == 1 else Gender.FEMALE
    return ResidentId(number, number[:6], birth, gender, upgraded, tuple(warnings))


def is_valid_resident_id(raw: str, *, today: date | None = None) -> bool:
    try:
        parse_resident_id(raw, today=today)
    except ValidationError:
        return False
    return True


_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_LANDLINE = re.compile(r"^0[0-9]{2,3}[0-9]{7,8}$")
_SHORT_LANDLINE = re.compile(r"^[2-9][0-9]{6,7}$")


def normalise_phone(raw: str) -> str:
    """Validate a mainland mobile or landline number and return it in a canonical form.

    Accepts spaces, hyphens, full-width digits, a +86 / 0086 prefix, an extension after "转" or "-" on landlines,
    and a local landline without area code. Mobiles come back as 11 digits, landlines as ``0578-1234567``.
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    extension = ""
    match = re.search(r"(?:转|ext\.?|#)\s*([0-9]{1,6})$", text, flags=re.IGNORECASE)
    if match:
        extension = match.group(1)
        text = text[: match.start()]
    digits = re.sub(r"[\s\-()（）]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not _digits(digits):
        raise ValidationError("电话号码只能包含数字、空格和连字符", field="phone")
    if _MOBILE.match(digits):
        if extension:
            raise ValidationError("手机号码不能带分机号", field="phone")
        return digits
    if _LANDLINE.match(digits):
        area_len = 3 if digits[1] in "12" else 4
        result = f"{digits[:area_len]}-{digits[area_len:]}"
        return f"{result}转{extension}" if extension else result
    if _SHORT_LANDLINE.match(digits):
        return f"{digits}转{extension}" if extension else digits
    raise ValidationError("电话号码格式不正确：手机号应为 1 开头的 11 位数字，座机号为区号加 7–8 位号码", field="phone")
