"""The village terminals' screen: where each terminal is, its keeper and items, and the service
requests logged at its village's desk (linked, not copied)."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext_lazy as _

from cases.terminal_services import terminal_requests, terminal_save
from cases.terminals import VillageTerminal
from governance.admin.scoped import ScopedModelAdmin
from governance.models import ServiceLevel, UnitLevel
from governance.roles import Capability
from governance.scoping import holds, holds_any


@admin.register(VillageTerminal)
class VillageTerminalAdmin(ScopedModelAdmin):
    list_display = ("village", "place", "keeper", "keeper_phone", "opened_on")
    list_select_related = ("village",)
    search_fields = ("village__name", "keeper")
    autocomplete_fields = ("village", "items")
    shared_choice_fields = ("items",)
    choice_capabilities = {"village": Capability.LOG_SERVICE_REQUEST}
    fields = ("village", "place", "keeper", "keeper_phone", "opened_on", "items")
    change_form_template = "admin/cases/villageterminal/change_form.html"

    def scope_choices(self, db_field, request, queryset):
        queryset = super().scope_choices(db_field, request, queryset)
        if db_field.name == "village":
            return queryset.filter(level=UnitLevel.VILLAGE)
        if db_field.name == "items":
            return queryset.filter(level=ServiceLevel.VILLAGE, active=True)
        return queryset

    def has_add_permission(self, request):
        return super().has_add_permission(request) and holds_any(request.user, Capability.LOG_SERVICE_REQUEST)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or holds(request.user, Capability.LOG_SERVICE_REQUEST, obj.village_id))

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """The items go through the service too, which refuses a township-level item with a message."""
        terminal_save(actor=request.user, terminal=obj, items=form.cleaned_data["items"])

    def save_related(self, request, form, formsets, change):
        """Nothing left to save: ``save_model`` set the items through the service."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        terminal = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if terminal is not None:
            extra_context["request_counts"], extra_context["requests"] = terminal_requests(
                terminal=terminal, user=request.user
            )
            extra_context["requests_title"] = _("Service requests logged here")
        return super().change_view(request, object_id, form_url, extra_context)
