"""Checks for unit codes.

Territorial units carry the 12-digit statistical division code (统计用区划代码):
2 digits province, 2 city, 2 county, 3 township, 3 village; a unit's code is
zero past its own level and repeats its parent's digits up to the parent's level.
Departments and committees carry the 18-character unified social credit code
(统一社会信用代码, GB 32100-2015), whose check character python-stdnum verifies.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

DIVISION_CODE_FORMAT = _("A division code is 12 digits.")
DIVISION_CODE_LEVEL = _("The division code %(code)s does not fit a %(level)s-level unit.")
DIVISION_CODE_PARENT = _("The division code %(code)s must begin with %(prefix)s, the digits of its parent %(parent)s.")
CREDIT_CODE_INVALID = _(
    "%(code)s is not a valid unified social credit code "
    "(the check character is wrong or the format is not 18 characters)."
)

# Digits of the code that belong to each level: (start, end) of the level's own digits.
_LEVEL_DIGITS = {"city": (2, 4), "county": (4, 6), "township": (6, 9), "village": (9, 12)}
_DIVISION_CODE = re.compile(r"\d{12}")


def division_code_validate(code: str, level: str) -> None:
    """A territorial code must be 12 digits, non-zero in its own level's digits, zero after."""
    if not _DIVISION_CODE.fullmatch(code):
        raise ValidationError(DIVISION_CODE_FORMAT, code="division_code_format")
    start, end = _LEVEL_DIGITS[level]
    if int(code[start:end]) == 0 or int(code[end:] or "0") != 0:
        raise ValidationError(DIVISION_CODE_LEVEL, code="division_code_level", params={"code": code, "level": level})


def division_code_prefix(code: str, level: str) -> str:
    """The digits a child of a unit at ``level`` must repeat."""
    return code[: _LEVEL_DIGITS[level][1]]


def credit_code_validate(code: str) -> str:
    """Return the code in its compact upper-case form, or refuse it."""
    try:
        return uscc.validate(code)
    except StdnumError:
        raise ValidationError(CREDIT_CODE_INVALID, code="credit_code_invalid", params={"code": code}) from None
