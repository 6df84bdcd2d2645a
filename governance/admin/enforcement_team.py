"""The enforcement team's screens ("一支队伍管执法"): the township keeps its members, their
credentials and items; the list flags credentials that run out within 30 days; the coverage page
is the county's view of which items in force lack a credentialled enforcer in which township."""

import datetime

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from governance.admin.scoped import ScopedModelAdmin
from governance.admin.service_forms import ServiceFormMixin
from governance.enforcement_team import (
    EXPIRY_WARNING_DAYS,
    MANAGE_TEAM,
    credentials_expiring,
    items_lacking_enforcer,
    member_save,
    member_validate,
)
from governance.models import EnforcementMember, UnitLevel
from governance.scoping import holds, holds_any, units_for


class CredentialFilter(admin.SimpleListFilter):
    title = _("credential")
    parameter_name = "credential"

    def lookups(self, request, model_admin):
        return (
            ("expiring", _("Runs out within %(days)s days") % {"days": EXPIRY_WARNING_DAYS}),
            ("expired", _("Run out")),
        )

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "expiring":
            return credentials_expiring(queryset, day=today).filter(credential_valid_until__gte=today)
        if self.value() == "expired":
            return queryset.filter(credential_valid_until__lt=today)
        return queryset


@admin.register(EnforcementMember)
class EnforcementMemberAdmin(ServiceFormMixin, ScopedModelAdmin):
    list_display = ("cadre", "township", "credential_number", "valid_until_shown", "items_count", "left_on")
    list_select_related = ("cadre", "township")
    list_filter = (CredentialFilter, "township")
    search_fields = ("credential_number", "cadre__name")
    autocomplete_fields = ("township", "cadre", "items")
    shared_choice_fields = ("items",)
    choice_capabilities = {"township": MANAGE_TEAM, "cadre": MANAGE_TEAM}
    fields = ("township", "cadre", "credential_number", "credential_valid_until", "items", "left_on")
    change_list_template = "admin/governance/enforcementmember/change_list.html"

    def service_check(self, form, instance):
        """A credential run out or an item not in force is refused on its field, the input kept."""
        member_validate(actor=form.actor, member=instance, items=form.cleaned_data.get("items"))

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(items_count=Count("items"))
            .order_by("township", "credential_valid_until", "pk")
        )

    @admin.display(description=_("items"))
    def items_count(self, member):
        return member.items_count

    @admin.display(description=_("credential valid until"), ordering="credential_valid_until")
    def valid_until_shown(self, member):
        soon = timezone.localdate() + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
        if member.left_on is None and member.credential_valid_until <= soon:
            return format_html('<strong class="overdue-due">{}</strong>', member.credential_valid_until.isoformat())
        return member.credential_valid_until.isoformat()

    def scope_choices(self, db_field, request, queryset):
        queryset = super().scope_choices(db_field, request, queryset)
        return queryset.filter(level=UnitLevel.TOWNSHIP) if db_field.name == "township" else queryset

    def has_add_permission(self, request):
        return super().has_add_permission(request) and holds_any(request.user, MANAGE_TEAM)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or holds(request.user, MANAGE_TEAM, obj.township_id))

    def has_delete_permission(self, request, obj=None):
        return False  # a member leaves on a date; the record stays

    def save_model(self, request, obj, form, change):
        """The items go through the service too, which refuses an item not in force with a message."""
        member_save(actor=request.user, member=obj, items=form.cleaned_data["items"])

    def save_related(self, request, form, formsets, change):
        """Nothing left to save: ``save_model`` set the items through the service."""

    def get_urls(self):
        return [
            path(
                "coverage/",
                self.admin_site.admin_view(self.coverage_view),
                name="governance_enforcementmember_coverage",
            ),
            *super().get_urls(),
        ]

    def coverage_view(self, request):
        """Items in force without a credentialled enforcer, per township the user sees."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        townships = units_for(request.user).filter(level=UnitLevel.TOWNSHIP)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Enforcement items without a credentialled enforcer"),
            "opts": self.model._meta,
            "gaps": items_lacking_enforcer(townships=townships),
            "day": timezone.localdate(),
        }
        return TemplateResponse(request, "admin/governance/enforcementmember/coverage.html", context)
