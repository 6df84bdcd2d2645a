"""The working-day calendar screen (DESIGN.md §4): the city administrator enters a year's
holiday schedule when the State Council publishes it; everyone else has no access.

The calendar is the same for everybody (not unit-scoped), so this is a plain model admin that
relies on model permissions; only the city administrator's role holds ``governance.*``.
"""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from governance.checks import CALENDAR_YEAR_MISSING, calendar_years_missing
from governance.models import CalendarDay, CalendarYear


class CalendarDayFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # On the add page the year is not saved yet, so Django leaves the day's year empty and
        # CalendarDay.clean could not check that the date lies in it; hand it the year itself.
        form.instance.calendar_year = self.instance


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    formset = CalendarDayFormSet
    fields = ("date", "is_workday", "name")
    ordering = ("date",)
    extra = 3


@admin.register(CalendarYear)
class CalendarYearAdmin(SimpleHistoryAdmin):
    list_display = ("year", "source", "holiday_count", "make_up_day_count")
    search_fields = ("year", "source")
    ordering = ("-year",)
    inlines = (CalendarDayInline,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                holiday_total=Count("days", filter=Q(days__is_workday=False)),
                make_up_total=Count("days", filter=Q(days__is_workday=True)),
            )
        )

    @admin.display(description=_("holidays"), ordering="holiday_total")
    def holiday_count(self, obj):
        return obj.holiday_total

    @admin.display(description=_("make-up working days"), ordering="make_up_total")
    def make_up_day_count(self, obj):
        return obj.make_up_total

    def changelist_view(self, request, extra_context=None):
        # The same rule as the system check governance.W001, where the one who can fix it looks.
        if request.method == "GET":
            for year in calendar_years_missing():
                messages.warning(request, CALENDAR_YEAR_MISSING % {"year": year})
        return super().changelist_view(request, extra_context)
