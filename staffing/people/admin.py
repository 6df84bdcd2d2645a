"""Registers the screens of issue 15's records (imported at the end of staffing.admin)."""

from staffing.people import (  # noqa: F401
    leadership_admin,
    overview_admin,
    posting_admin,
    township_staff_admin,
    training_admin,
    village_admin,
)
