"""Screens of township offices, their staff and transfers in (issue 15 item 4)."""

from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from governance.admin.scoped import ScopedModelAdmin
from governance.admin.service_forms import ServiceFormMixin
from governance.models import UnitLevel
from governance.roles import Capability
from governance.scoping import departments_near, holds, units_for
from staffing.people import township_staff_services as services
from staffing.people.lists import township_filter
from staffing.people.township_staff import OfficeStaff, StaffTransfer, TownshipOffice


@admin.register(TownshipOffice)
class TownshipOfficeAdmin(ServiceFormMixin, ScopedModelAdmin):
    """Each office with its posts and its people by establishment: where people and work do not match."""

    list_display = (
        "name",
        "township",
        "kind",
        "administrative_shown",
        "institution_shown",
        "unestablished",
        "match",
    )
    list_select_related = ("township",)
    list_filter = ("kind", "township")
    search_fields = ("name",)
    autocomplete_fields = ("township",)
    fields = ("township", "kind", "name", "administrative_quota", "institution_quota")
    choice_capabilities = {"township": Capability.ORGANISE_CADRES}

    def get_queryset(self, request):
        return services.with_headcounts(super().get_queryset(request))

    def scope_choices(self, db_field, request, queryset):
        queryset = super().scope_choices(db_field, request, queryset)
        return queryset.filter(level=UnitLevel.TOWNSHIP) if db_field.name == "township" else queryset

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or holds(request.user, Capability.ORGANISE_CADRES, obj.township_id))

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("administrative: people / posts"), ordering="administrative")
    def administrative_shown(self, office):
        return f"{office.administrative} / {office.administrative_quota}"

    @admin.display(description=_("institution: people / posts"), ordering="institution")
    def institution_shown(self, office):
        return f"{office.institution} / {office.institution_quota}"

    @admin.display(description=_("without establishment"), ordering="unestablished")
    def unestablished(self, office):
        return office.unestablished

    @admin.display(description=_("people and posts"))
    def match(self, office):
        if services.mismatch(office):
            return format_html('<strong class="errornote">⚠ {}</strong>', _("Do not match"))
        return _("Match")

    def service_check(self, form, instance):
        instance.full_clean()

    def save_model(self, request, obj, form, change):
        services.office_save(actor=request.user, office=obj)


@admin.register(OfficeStaff)
class OfficeStaffAdmin(ServiceFormMixin, ScopedModelAdmin):
    list_display = ("cadre", "office", "establishment", "source", "source_unit", "since")
    list_select_related = ("cadre", "office__township", "source_unit")
    list_filter = ("establishment", "source", township_filter("office__township"), "office")
    search_fields = ("cadre__name", "office__name")
    # The unit a person came from is a short list of public names (the departments of the user's
    # county, and the user's own units): a plain select, as a secondment's host township is.
    autocomplete_fields = ("cadre", "office")
    fields = ("cadre", "office", "establishment", "source", "source_unit", "since")

    def has_delete_permission(self, request, obj=None):
        return False

    def scope_choices(self, db_field, request, queryset):
        if db_field.name == "source_unit":
            near = departments_near(request.user).values("pk")
            return queryset.filter(Q(pk__in=near) | Q(pk__in=units_for(request.user).values("pk"))).order_by("path")
        return super().scope_choices(db_field, request, queryset)

    def service_check(self, form, instance):
        services.office_staff_validate(actor=form.actor, staff=instance)

    def save_model(self, request, obj, form, change):
        services.office_staff_save(actor=request.user, staff=obj)


@admin.register(StaffTransfer)
class StaffTransferAdmin(ServiceFormMixin, ScopedModelAdmin):
    list_display = ("cadre", "from_unit", "township", "office", "establishment", "transferred_on", "document")
    list_select_related = ("cadre", "from_unit", "township", "office")
    list_filter = ("establishment", "township")
    search_fields = ("cadre__name", "document")
    autocomplete_fields = ("cadre", "from_unit", "township", "office")
    fields = ("cadre", "from_unit", "township", "office", "establishment", "transferred_on", "document", "reason")
    choice_capabilities = {
        "cadre": Capability.ORGANISE_CADRES,
        "from_unit": Capability.ORGANISE_CADRES,
        "township": Capability.ORGANISE_CADRES,
        "office": Capability.ORGANISE_CADRES,
    }

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and obj is None  # recorded once

    def has_delete_permission(self, request, obj=None):
        return False

    def service_check(self, form, instance):
        instance.full_clean()

    def save_model(self, request, obj, form, change):
        services.staff_transfer_in(actor=request.user, transfer=obj)
