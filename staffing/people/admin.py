"""Registers the screens of issue 15's records (imported at the end of staffing.admin)."""

from staffing.people import posting_admin, township_staff_admin, training_admin, village_admin  # noqa: F401
