"""The township leadership team screen (issue 15 item 5)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from governance.admin.scoped import ScopedModelAdmin
from governance.admin.service_forms import ServiceFormMixin
from governance.models import UnitLevel
from governance.roles import Capability
from governance.scoping import holds
from staffing.people import leadership_services
from staffing.people.leadership_teams import TeamPosition


class VacancyFilter(admin.SimpleListFilter):
    title = _("vacancy")
    parameter_name = "vacant"

    def lookups(self, request, model_admin):
        return (("yes", _("Vacant")), ("no", _("Held")))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(holder__isnull=self.value() == "yes")
        return queryset


@admin.register(TeamPosition)
class TeamPositionAdmin(ServiceFormMixin, ScopedModelAdmin):
    list_display = ("township", "post", "seat", "holder_shown", "since")
    list_select_related = ("township", "holder")
    list_filter = (VacancyFilter, "post", "township")
    search_fields = ("holder__name", "township__name")
    autocomplete_fields = ("township", "holder")
    fields = ("township", "post", "seat", "holder", "since")
    choice_capabilities = {"township": Capability.ORGANISE_CADRES, "holder": Capability.ORGANISE_CADRES}

    def scope_choices(self, db_field, request, queryset):
        queryset = super().scope_choices(db_field, request, queryset)
        return queryset.filter(level=UnitLevel.TOWNSHIP) if db_field.name == "township" else queryset

    @admin.display(description=_("holder"), ordering="holder__name")
    def holder_shown(self, position):
        return position.holder.name if position.holder_id else _("Vacant")

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or holds(request.user, Capability.ORGANISE_CADRES, obj.township_id))

    def has_delete_permission(self, request, obj=None):
        return False

    def service_check(self, form, instance):
        instance.full_clean()

    def save_model(self, request, obj, form, change):
        leadership_services.team_position_save(actor=request.user, position=obj)
