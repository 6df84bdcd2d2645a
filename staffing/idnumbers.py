"""Resident ID numbers (居民身份证号码): parsing, checks and masking, in one place.

The cadre form, the services and the spreadsheet importer (a later issue) call the same
functions, so a number is judged the same way on every path in.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent
from stdnum.exceptions import ValidationError as StdnumError

ID_NUMBER_FORMAT = _("A resident ID number has 18 characters: 17 digits and a check digit (0–9 or X).")
ID_NUMBER_CHECK_DIGIT = _("The check digit of resident ID number %(number)s is wrong.")
ID_NUMBER_BIRTH_DATE = _("Resident ID number %(number)s does not hold a valid birth date or birthplace code.")
ID_NUMBER_GENDER_MISMATCH = _(
    "The gender does not agree with the resident ID number (odd 17th digit: male; even: female)."
)
ID_NUMBER_BIRTH_DATE_MISMATCH = _("The birth date does not agree with the resident ID number (it says %(birth_date)s).")


class Gender:
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: datetime.date
    gender: str


def id_number_parse(value: str) -> IdNumber:
    """The compact number with the birth date and gender it encodes; ValidationError naming the rule."""
    try:
        number = ric.validate(value or "")  # returns the compact form; bulk imports call this per row
    except InvalidChecksum:
        params = {"number": ric.compact(value)}
        raise ValidationError(ID_NUMBER_CHECK_DIGIT, code="check_digit", params=params) from None
    except InvalidComponent:
        params = {"number": ric.compact(value)}
        raise ValidationError(ID_NUMBER_BIRTH_DATE, code="birth_date", params=params) from None
    except StdnumError:
        raise ValidationError(ID_NUMBER_FORMAT, code="format") from None
    gender = Gender.MALE if int(number[16]) % 2 else Gender.FEMALE
    return IdNumber(number=number, birth_date=ric.get_birth_date(number), gender=gender)


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
