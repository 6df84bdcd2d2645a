"""Screens for the catalogues of devolved powers (DESIGN.md M3, M4, M6).

The catalogues are the same for everybody (not unit-scoped): plain model admins relying on model
permissions. The city administrator edits them; every other role may only view them
(governance.roles). The rules live on the models (``clean`` and database constraints); the
forms here only present them.
"""

import datetime

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from governance.models import (
    CasePriority,
    CoordinationDeadline,
    CoordinationItem,
    EnforcementItem,
    Sector,
    ServiceItem,
)
from governance.spreadsheets.admin import SpreadsheetAdminMixin


class CatalogueAdmin(SpreadsheetAdminMixin, SimpleHistoryAdmin):
    """A catalogue's screen: the same entries for every role."""

    def holds_row(self, request, obj) -> bool:
        """Every entry is in every role's list: a page may link to it without asking
        (``governance.admin.related``)."""
        return True


IN_FORCE_ON_BAD_DATE = _("“%(value)s” is not a date (YYYY-MM-DD).")


@admin.register(ServiceItem)
class ServiceItemAdmin(CatalogueAdmin):
    sheet_resource = "serviceitem"
    list_display = (
        "code",
        "name",
        "level",
        "handling_mode",
        "sector",
        "statutory_limit_days",
        "promised_limit_days",
        "active",
    )
    list_filter = ("level", "handling_mode", "sector", "active")
    search_fields = ("code", "name", "legal_basis")
    ordering = ("code",)
    fieldsets = (
        (None, {"fields": ("code", "name", "sector", "legal_basis", "active")}),
        (_("Where it is handled"), {"fields": ("level", "handling_mode")}),
        (_("Time limits (working days)"), {"fields": ("statutory_limit_days", "promised_limit_days")}),
    )


class InForceOnFilter(admin.SimpleListFilter):
    """The enforcement catalogue as it stood on a date ("dynamic list management").

    The choices are today and every date the list changed (an item came into force or the day
    after one was withdrawn); any other date can be given as ``?in_force_on=YYYY-MM-DD``.
    """

    title = _("in force on")
    parameter_name = "in_force_on"

    def lookups(self, request, model_admin):
        today = timezone.localdate()
        starts = EnforcementItem.objects.values_list("effective_from", flat=True).distinct()
        ends = EnforcementItem.objects.filter(effective_to__isnull=False).values_list("effective_to", flat=True)
        # An end stored before dates were bounded may be 9999-12-31, which has no next day.
        changes = set(starts) | {end + datetime.timedelta(days=1) for end in ends.distinct() if end < datetime.date.max}
        chosen = self._day()
        if chosen is not None:
            changes.add(chosen)
        changes.discard(today)
        choices = [(today.isoformat(), _("Today (%(date)s)") % {"date": today.isoformat()})]
        return choices + [(day.isoformat(), day.isoformat()) for day in sorted(changes, reverse=True)]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        day = self._day()
        if day is None:
            raise IncorrectLookupParameters(IN_FORCE_ON_BAD_DATE % {"value": self.value()})
        return queryset.in_force_on(day)

    def _day(self) -> datetime.date | None:
        try:
            return parse_date(self.value() or "")
        except ValueError:  # well formed but impossible, e.g. 2026-02-30
            return None


@admin.register(EnforcementItem)
class EnforcementItemAdmin(CatalogueAdmin):
    sheet_resource = "enforcementitem"
    list_display = ("code", "name", "category", "source_sector", "effective_from", "effective_to", "in_force_today")
    list_filter = (InForceOnFilter, "category", "source_sector")
    search_fields = ("code", "name", "legal_basis")
    ordering = ("code",)
    date_hierarchy = "effective_from"
    fieldsets = (
        (None, {"fields": ("code", "name", "category", "source_sector", "legal_basis")}),
        (_("Period in force"), {"fields": ("effective_from", "effective_to")}),
    )

    @admin.display(description=_("in force today"), boolean=True)
    def in_force_today(self, obj):
        today = timezone.localdate()
        return obj.effective_from <= today and (obj.effective_to is None or obj.effective_to >= today)

    def get_search_results(self, request, queryset, search_term):
        """Choosing a team member's items (their autocomplete) offers only the items in force today:
        a withdrawn one would only be refused on saving (governance.enforcement_team)."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if (request.GET.get("model_name"), request.GET.get("field_name")) == ("enforcementmember", "items"):
            queryset = queryset.in_force_on(timezone.localdate())
        return queryset, may_have_duplicates


class SectorsField(forms.MultipleChoiceField):
    """Co-handling sectors as checkboxes, stored in the order ``Sector`` declares them.

    Whatever was posted reaches the model, whose ``clean`` names an unknown or repeated sector
    (the rule lives there, for imports too), instead of the field's generic "not a valid choice".
    """

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=Sector.choices, required=False, **kwargs)

    def validate(self, value):
        """Left to CoordinationItem.clean."""

    def clean(self, value):
        order = {sector: index for index, sector in enumerate(Sector.values)}
        return sorted(super().clean(value), key=lambda sector: order.get(sector, len(order)))


class CoordinationItemForm(forms.ModelForm):
    co_sectors = SectorsField(label=_("co-handling sectors"))

    class Meta:
        model = CoordinationItem
        fields = ("code", "name", "lead_sector", "co_sectors", "township_role", "workflow", "resources", "active")


class CoordinationDeadlineInline(admin.TabularInline):
    model = CoordinationDeadline
    fields = ("priority", "round_kind", "accept_days", "feedback_days", "resolve_days", "close_days")
    max_num = 2 * len(CasePriority.choices)  # a first round and a redo round per priority
    extra = 1
    verbose_name_plural = _(
        "deadline profiles (working days; “13710” where none is set; a redo round without its own keeps the first's)"
    )


@admin.register(CoordinationItem)
class CoordinationItemAdmin(CatalogueAdmin):
    sheet_resource = "coordinationitem"
    form = CoordinationItemForm
    list_display = ("code", "name", "lead_sector", "co_sector_names", "deadline_summary", "active")
    list_filter = ("lead_sector", "active")
    search_fields = ("code", "name", "township_role", "workflow")
    ordering = ("code",)
    inlines = (CoordinationDeadlineInline,)
    fieldsets = (
        (None, {"fields": ("code", "name", "active")}),
        (_("Who handles it"), {"fields": ("lead_sector", "co_sectors", "township_role")}),
        (_("How it is handled"), {"fields": ("workflow", "resources")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("deadlines")

    def get_fieldsets(self, request, obj=None):
        """Read-only, the co-handling sectors read as their names, not as the stored list of codes."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        shown = {"co_sectors": "co_sector_names"}
        return [
            (name, {**options, "fields": tuple(shown.get(field, field) for field in options["fields"])})
            for name, options in fieldsets
        ]

    @admin.display(description=_("co-handling sectors"))
    def co_sector_names(self, obj):
        return "、".join(str(Sector(sector).label) for sector in obj.co_sectors if sector in Sector.values)

    @admin.display(description=_("deadlines (accept/feedback/resolve/close)"))
    def deadline_summary(self, obj):
        rows = sorted(obj.deadlines.all(), key=lambda row: (CasePriority.values.index(row.priority), row.round_kind))
        if not rows:
            return _("1/3/7/10 (the 13710 default)")
        return "；".join(str(row) for row in rows)
