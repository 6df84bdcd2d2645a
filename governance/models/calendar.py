"""The official working-day calendar's editable part (DESIGN.md §4, M10).

The ``chinese-calendar`` package knows the State Council's holiday schedule for the years it
covers. For a later year an administrator enters the published schedule here: a
``CalendarYear`` marks the year as known, and its ``CalendarDay`` rows list the dates that
differ from an ordinary Monday–Friday week (holidays off, make-up working days 调休 on).
A ``CalendarDay`` in a year the package covers overrides the package for that date.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

CALENDAR_DAY_OUTSIDE_YEAR = _("The date %(date)s is not in the year %(year)s.")
CALENDAR_YEAR_IMPLAUSIBLE = _("A calendar year lies between 2000 and 2100.")


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("e.g. the State Council notice the schedule comes from")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(name="calendar_year_plausible", condition=models.Q(year__gte=2000, year__lte=2100))
        ]

    def __str__(self):
        return str(self.year)

    def clean(self):
        if self.year is not None and not 2000 <= self.year <= 2100:  # as the constraint below
            raise ValidationError({"year": CALENDAR_YEAR_IMPLAUSIBLE})


class CalendarDay(models.Model):
    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("working day"), help_text=_("Ticked: a make-up working day (调休). Unticked: a holiday.")
    )
    name = models.CharField(_("name"), max_length=50, blank=True, help_text=_("e.g. Spring Festival"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}".strip()

    def clean(self):
        # The related object, not only its id: an inline form checks a day of a year not saved yet.
        calendar_year = getattr(self, "calendar_year", None)
        if self.date and calendar_year is not None and self.date.year != calendar_year.year:
            raise ValidationError(
                {
                    "date": ValidationError(
                        CALENDAR_DAY_OUTSIDE_YEAR, params={"date": self.date, "year": calendar_year.year}
                    )
                }
            )
