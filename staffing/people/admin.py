"""Registers the screens of issue 15's records (imported at the end of staffing.admin)."""

from staffing.people import training_admin, village_admin  # noqa: F401
