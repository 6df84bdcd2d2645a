"""The working-day calendar must know this year and next (DESIGN.md §4): a system check, and
the same finding on the home page of whoever may enter the schedule.

Deadlines in a year with neither chinese-calendar data nor an administrator's ``CalendarYear``
are counted Monday to Friday, which is wrong around every holiday. Say so before it matters:
the State Council publishes next year's schedule late in the year, and an administrator
enters it under 工作日历.
"""

import datetime

from django.core import checks
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.dashboard import Cell, Panel
from governance.todo import TodoItem
from governance.workdays import package_covers

CALENDAR_YEAR_MISSING = _(
    "The working-day calendar has no holiday schedule for %(year)s: deadlines in that year are "
    "counted Monday to Friday."
)
CALENDAR_YEARS_TO_ENTER = _("Holiday schedules to enter in the working-day calendar")
CALENDAR_YEAR_MISSING_HINT = _(
    "Enter the State Council's holiday schedule for %(year)s in the admin under Calendar years."
)


def calendar_years_missing(*, today: datetime.date | None = None) -> list[int]:
    """This year and next, where neither the package nor an administrator has the schedule."""
    from governance.models import CalendarYear

    today = today or timezone.localdate()
    years = [year for year in (today.year, today.year + 1) if not package_covers(year)]
    if not years:
        return []
    entered = set(CalendarYear.objects.filter(year__in=years).values_list("year", flat=True))
    return [year for year in years if year not in entered]


def calendar_years_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    try:
        missing = calendar_years_missing()
    except DatabaseError:
        return []  # not migrated yet (e.g. the first ``migrate``): nothing to say about the data
    return [
        checks.Warning(
            CALENDAR_YEAR_MISSING % {"year": year},
            hint=CALENDAR_YEAR_MISSING_HINT % {"year": year},
            id="governance.W001",
        )
        for year in missing
    ]


def calendar_todo(request) -> list[TodoItem]:
    """For those who may enter a year (the city administrator): how many years still lack one."""
    if not request.user.has_perm("governance.add_calendaryear"):
        return []
    missing = calendar_years_missing()
    if not missing:
        return []
    url = reverse("admin:governance_calendaryear_add") + f"?year={missing[0]}"
    return [TodoItem(label=str(CALENDAR_YEARS_TO_ENTER), count=len(missing), url=url, urgent=True)]


def calendar_panel(request) -> list[Panel]:
    """The city's picture ends with the calendar: whether this year's and next year's holiday
    schedules are known, and where each comes from (DESIGN.md §4)."""
    from governance.models import CalendarYear

    if not request.user.has_perm("governance.add_calendaryear"):
        return []
    today = timezone.localdate()
    years = (today.year, today.year + 1)
    entered = dict(CalendarYear.objects.filter(year__in=years).values_list("year", "pk"))
    rows = []
    for year in years:
        if year in entered:
            status = Cell(
                _("entered by an administrator"), reverse("admin:governance_calendaryear_change", args=[entered[year]])
            )
        elif package_covers(year):
            status = Cell(_("built in (chinese-calendar package)"))
        else:
            add = reverse("admin:governance_calendaryear_add") + f"?year={year}"
            status = Cell(_("missing: deadlines counted Monday to Friday"), add, urgent=True)
        rows.append((Cell(str(year)), status))
    return [
        Panel(
            key="calendar",
            title=_("Working-day calendar"),
            columns=(_("year"), _("holiday schedule")),
            rows=tuple(rows),
            order=90,
            computed_at=timezone.now(),
            more=((_("Calendar years"), reverse("admin:governance_calendaryear_changelist")),),
        )
    ]
