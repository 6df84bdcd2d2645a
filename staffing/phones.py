"""Phone numbers of cadres and applicants: one rule for the cadre form, the cadre import and the
service-request desk.

A mainland mobile number (11 digits, 13x–19x) or a landline with its area code (0 and 2–3
more digits, then a 7–8-digit number, an optional hyphen between them: 0371-12345678). Spaces
and full-width digits as clerks type them are folded; the number is stored as written otherwise.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_INVALID = _("Enter a mobile number of 11 digits or a landline number with its area code, such as 0371-12345678.")

_PHONE = re.compile(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}")


def phone_parse(value) -> str:
    """The number with spaces removed and full-width characters folded; ValidationError otherwise."""
    text = value if isinstance(value, str) else str(value or "")
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    phone = "".join(text.split())
    if not _PHONE.fullmatch(phone):
        raise ValidationError(PHONE_INVALID, code="phone")
    return phone
