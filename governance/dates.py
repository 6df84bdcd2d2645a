"""Dates a record can plausibly hold: a secondment ending 9999-12-31 or a birth in 2999 is a
typing slip, refused with a message rather than stored (issue 10).

Model fields name these validators, so forms, services (``full_clean``) and the importer's field
checks all refuse the same dates.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)

DATE_OUT_OF_RANGE = _("%(date)s is not a plausible date here: it must lie between 1900-01-01 and 2100-12-31.")


def date_in_range(value: datetime.date | None) -> None:
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(DATE_OUT_OF_RANGE, code="date_out_of_range", params={"date": value})
