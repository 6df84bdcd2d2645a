"""Resident ID numbers (居民身份证号码, GB 11643-1999): parsing, checks and masking, in one place.

The cadre form, the services, the spreadsheet importer and the service-request desk call the
same ``id_number_parse``, so a number is judged the same way on every path in.

What is checked, and why not more (issue 10):

- format and check digit: python-stdnum (``stdnum.cn.ric``);
- the birth date (digits 7–14): a real date, not before 1900 and not in the future;
- the area code (digits 1–6): a code of the national division table (GB/T 2260, as
  python-stdnum ships it in ``stdnum/cn/loc.dat``) that existed *at any time*, under a real
  province. ``ric.validate`` also asks that the code existed in the holder's birth year
  (python-stdnum issue #442). That is wrong for real people: a number is issued under the code
  in force when the holder registered and kept for life, so a 1965-born resident of 410102
  (Zhengzhou 中原区, listed "[1983-]") or a holder of a retired code such as 412723 (商水县
  until 2000) is refused by it. We read the same table and ignore its year ranges.
"""

import datetime
import functools
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.util import isdigits

ID_NUMBER_FORMAT = _("A resident ID number has 18 characters: 17 digits and a check digit (0–9 or X).")
ID_NUMBER_CHECK_DIGIT = _("The check digit of resident ID number %(number)s is wrong.")
ID_NUMBER_BIRTH_DATE = _(
    "Resident ID number %(number)s does not hold a real birth date (digits 7–14 are the year, month and day)."
)
ID_NUMBER_BIRTH_DATE_RANGE = _(
    "The birth date %(birth_date)s in resident ID number %(number)s is impossible: "
    "it must lie between 1900-01-01 and today."
)
ID_NUMBER_AREA_CODE = _(
    "The first six digits of resident ID number %(number)s (%(code)s) are not an administrative division code "
    "that has ever existed."
)
BIRTH_DATE_OUT_OF_RANGE = _("A birth date must lie between 1900-01-01 and today; %(birth_date)s does not.")
ID_NUMBER_GENDER_MISMATCH = _(
    "The gender does not agree with the resident ID number (odd 17th digit: male; even: female)."
)
ID_NUMBER_BIRTH_DATE_MISMATCH = _("The birth date does not agree with the resident ID number (it says %(birth_date)s).")

EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
# The server's date and the site's (Asia/Shanghai) differ by less than this.
_A_DAY_AND_A_HALF = datetime.timedelta(days=2)


def birth_date_plausible(birth_date: datetime.date, today: datetime.date | None = None) -> bool:
    """The range a birth date may take, whether read from an ID number or typed in its own field."""
    if birth_date < EARLIEST_BIRTH_DATE:
        return False
    if today is None and birth_date <= datetime.date.today() - _A_DAY_AND_A_HALF:
        return True  # the common case, told without the timezone look-up (a bulk import asks per row)
    return birth_date <= (today or timezone.localdate())


def birth_date_validate(value: datetime.date | None) -> None:
    """The birth-date field's validator (the ID number's own date is judged by ``id_number_parse``)."""
    if value is not None and not birth_date_plausible(value):
        raise ValidationError(BIRTH_DATE_OUT_OF_RANGE, code="birth_date_out_of_range", params={"birth_date": value})


class Gender:
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: datetime.date
    gender: str


def id_number_parse(value: str, *, today: datetime.date | None = None) -> IdNumber:
    """The compact number with the birth date and gender it encodes; ValidationError naming the
    first rule it breaks (format, check digit, birth date, area code). Bulk imports call this
    per row: every step is a string operation or a memoised look-up."""
    number = _compact(value)
    if len(number) != 18 or not isdigits(number[:-1]) or not (number[-1].isdigit() or number[-1] == "X"):
        raise ValidationError(ID_NUMBER_FORMAT, code="format")
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError(ID_NUMBER_CHECK_DIGIT, code="check_digit", params={"number": number})
    try:
        birth_date = ric.get_birth_date(number)
    except StdnumError:
        raise ValidationError(ID_NUMBER_BIRTH_DATE, code="birth_date", params={"number": number}) from None
    if not birth_date_plausible(birth_date, today):
        params = {"number": number, "birth_date": birth_date}
        raise ValidationError(ID_NUMBER_BIRTH_DATE_RANGE, code="birth_date_range", params=params)
    if not area_code_ever_existed(number[:6]):
        raise ValidationError(ID_NUMBER_AREA_CODE, code="area_code", params={"number": number, "code": number[:6]})
    gender = Gender.MALE if int(number[16]) % 2 else Gender.FEMALE
    return IdNumber(number=number, birth_date=birth_date, gender=gender)


def _compact(value) -> str:
    """stdnum's compact form (separators folded, upper case), also without inner spaces or
    full-width characters, which clerks type in forms as they do in spreadsheets."""
    text = value if isinstance(value, str) else str(value or "")
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    if " " in text or "\t" in text:
        text = "".join(text.split())
    try:
        return ric.compact(text)
    except StdnumError:
        return text


@functools.lru_cache(maxsize=8192)
def area_code_ever_existed(code: str) -> bool:
    """Whether python-stdnum's division table lists ``code`` under a province, in any years.

    ``numdb.info`` answers one part per level: ``[("41", {"province": …}), ("0102", {"county":
    "[1983-]中原区"})]``; the bracketed years are what ``ric.get_birth_place`` compares with the
    birth year, and what we deliberately ignore. Memoised: a file repeats a few hundred codes,
    and the table scan costs about a millisecond."""
    parts = numdb.get("cn/loc").info(code)
    return len(parts) == 2 and bool(parts[0][1].get("province")) and bool(parts[1][1].get("county"))


def id_number_agreement_errors(parsed: IdNumber, *, gender: str, birth_date: datetime.date | None) -> dict:
    """Field errors where the stored gender or birth date contradicts the number."""
    errors = {}
    if gender and gender != parsed.gender:
        errors["gender"] = ValidationError(ID_NUMBER_GENDER_MISMATCH, code="gender")
    if birth_date and birth_date != parsed.birth_date:
        errors["birth_date"] = ValidationError(
            ID_NUMBER_BIRTH_DATE_MISMATCH, code="birth_date_mismatch", params={"birth_date": parsed.birth_date}
        )
    return errors


def mask_id_number(number: str) -> str:
    """410102199001011234 -> 410102********1234: the region stays readable, the birth date does not."""
    if len(number) < 10:
        return "*" * len(number)
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"


def mask_phone(phone: str) -> str:
    """13812345678 -> 138****5678."""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def id_number_compose(region: str, birth_date: datetime.date, sequence: int) -> str:
    """A well-formed number for demo and test data: 6-digit region, birth date, 3-digit sequence
    (odd for men) and the check digit computed by python-stdnum."""
    body = f"{region}{birth_date:%Y%m%d}{sequence % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")
