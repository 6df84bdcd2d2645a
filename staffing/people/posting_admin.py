"""The postings screen (issue 15 item 3). Secondments (派驻) keep their own screen and workflow; both
show together on the township overview (staffing.people.overview_admin)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from governance.admin.scoped import ScopedModelAdmin
from governance.admin.service_forms import ServiceFormMixin
from governance.roles import Capability
from staffing.admin import IdNumberSearchMixin
from staffing.people import posting_services
from staffing.people.postings import Posting


@admin.register(Posting)
class PostingAdmin(IdNumberSearchMixin, ServiceFormMixin, ScopedModelAdmin):
    list_display = ("cadre", "kind", "from_unit", "host", "post", "start_date", "planned_end", "actual_end")
    list_select_related = ("cadre", "from_unit", "to_unit")
    list_filter = ("kind", "destination", "from_unit", "to_unit")
    search_fields = ("cadre__name", "post", "front_line")
    autocomplete_fields = ("cadre", "from_unit", "to_unit")
    choice_capabilities = {"cadre": Capability.ORGANISE_CADRES, "from_unit": Capability.ORGANISE_CADRES}
    fields = (
        "cadre",
        "kind",
        "from_unit",
        "destination",
        "to_unit",
        "front_line",
        "post",
        "start_date",
        "planned_end",
        "actual_end",
    )

    def get_readonly_fields(self, request, obj=None):
        # The cadre and the units are fixed once recorded; a correction is a new posting.
        return ("cadre", "kind", "from_unit") if obj is not None else ()

    @admin.display(description=_("host"), ordering="to_unit__name")
    def host(self, posting):
        return posting.host_name

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.actual_end is None)

    def has_delete_permission(self, request, obj=None):
        return False

    def service_check(self, form, instance):
        posting_services.posting_validate(actor=form.actor, posting=instance)

    def save_model(self, request, obj, form, change):
        posting_services.posting_save(actor=request.user, posting=obj)
