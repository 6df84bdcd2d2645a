"""The power list's screens (权责清单): the township's own powers; its published versions, each
with a printable page and a CSV export; publishing the next version. The versions' list is the
county's view of each township's published power list."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from governance.admin.scoped import ScopedModelAdmin
from governance.models import PowerListVersion, TownshipPower, Unit, UnitLevel
from governance.power_list import (
    PUBLISH_POWER_LIST,
    power_list_changes,
    power_list_csv,
    power_list_publish,
    township_power_save,
)
from governance.scoping import holds, holds_any, units_for
from governance.spreadsheets.admin import SpreadsheetAdminMixin


@admin.register(TownshipPower)
class TownshipPowerAdmin(SpreadsheetAdminMixin, ScopedModelAdmin):
    sheet_resource = "townshippower"
    list_display = ("code", "name", "township", "office", "active")
    list_select_related = ("township",)
    list_filter = ("township", "active")
    search_fields = ("code", "name")
    autocomplete_fields = ("township",)
    choice_capabilities = {"township": PUBLISH_POWER_LIST}
    fields = ("township", "code", "name", "legal_basis", "office", "responsibility", "active")

    def scope_choices(self, db_field, request, queryset):
        queryset = super().scope_choices(db_field, request, queryset)
        return queryset.filter(level=UnitLevel.TOWNSHIP) if db_field.name == "township" else queryset

    def has_add_permission(self, request):
        return super().has_add_permission(request) and holds_any(request.user, PUBLISH_POWER_LIST)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or holds(request.user, PUBLISH_POWER_LIST, obj.township_id))

    def has_delete_permission(self, request, obj=None):
        return False  # withdrawn by unticking "active": published versions keep it

    def save_model(self, request, obj, form, change):
        township_power_save(actor=request.user, power=obj)


class PublishForm(forms.Form):
    township = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("township"))
    note = forms.CharField(label=_("what changed"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = units_for(user, PUBLISH_POWER_LIST).filter(level=UnitLevel.TOWNSHIP)


@admin.register(PowerListVersion)
class PowerListVersionAdmin(ScopedModelAdmin):
    list_display = ("township", "number", "published_at", "note", "row_count", "printable")
    list_select_related = ("township",)
    list_filter = ("township",)
    fields = ("township", "number", "note", "published_at", "published_by")
    readonly_fields = fields
    change_form_template = "admin/governance/powerlistversion/change_form.html"
    change_list_template = "admin/governance/powerlistversion/change_list.html"

    def has_add_permission(self, request):
        return False  # published through "publish", never typed

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("powers"))
    def row_count(self, version):
        return len(version.rows)

    @admin.display(description=_("printable page"))
    def printable(self, version):
        url = reverse("admin:governance_powerlistversion_print", args=[version.pk])
        return format_html('<a href="{}">{}</a>', url, _("Print"))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("publish/", wrap(self.publish_view), name="governance_powerlistversion_publish"),
            path("<path:object_id>/print/", wrap(self.print_view), name="governance_powerlistversion_print"),
            path("<path:object_id>/export/", wrap(self.export_view), name="governance_powerlistversion_export"),
            *super().get_urls(),
        ]

    def _version(self, request, object_id) -> PowerListVersion:
        version = self.get_object(request, unquote(object_id))
        if version is None or not self.has_view_permission(request, version):
            raise Http404
        return version

    def print_view(self, request, object_id):
        version = self._version(request, object_id)
        return TemplateResponse(request, "admin/governance/powerlistversion/print.html", {"version": version})

    def export_view(self, request, object_id):
        return power_list_csv(self._version(request, object_id))

    def publish_view(self, request):
        if not holds_any(request.user, PUBLISH_POWER_LIST) or not self.has_view_permission(request):
            raise PermissionDenied
        form = PublishForm(request.POST or None, user=request.user)
        changes = None
        if form.is_valid():
            township = form.cleaned_data["township"]
            changes = power_list_changes(township=township)
            if request.POST.get("confirm"):
                try:
                    version = power_list_publish(actor=request.user, township=township, note=form.cleaned_data["note"])
                except ValidationError as error:
                    for message in error.messages:
                        messages.error(request, message)
                else:
                    messages.success(request, _("Published: %(version)s.") % {"version": version})
                    return redirect("admin:governance_powerlistversion_change", version.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish a power list"),
            "opts": self.model._meta,
            "form": form,
            "changes": changes,
        }
        return TemplateResponse(request, "admin/governance/powerlistversion/publish.html", context)
