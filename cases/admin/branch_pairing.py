"""Branch pairing's screens (支部联支部): the branch register, the pairs with their activities, and
the county's page of villages without a pair and pairs with no activity this quarter."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cases.branch_pairing import BranchKind, BranchPair, PairActivity, PartyBranch
from cases.branch_services import (
    activity_record,
    activity_validate,
    branch_save,
    branch_validate,
    may_keep,
    pair_save,
    pair_validate,
    pairs_without_activity,
    quarter_start,
    villages_without_pair,
)
from cases.taskforce_services import counties_near
from governance.admin.scoped import ScopedModelAdmin
from governance.admin.service_forms import ServiceFormMixin
from governance.roles import Capability
from governance.scoping import holds_any, units_for
from governance.spreadsheets.admin import SpreadsheetAdminMixin


def _may_keep_any(user) -> bool:
    return holds_any(user, Capability.ORGANISE_CADRES) or holds_any(user, Capability.DRAFT_ASSESSMENT)


class KeeperAdmin(ServiceFormMixin, ScopedModelAdmin):
    """Added and changed by the branches' keepers only; never deleted (history keeps the record).
    The form asks the service's rules (``service_check``), so a refusal keeps what was typed."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and _may_keep_any(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PartyBranch)
class PartyBranchAdmin(SpreadsheetAdminMixin, KeeperAdmin):
    sheet_resource = "partybranch"
    list_display = ("name", "kind", "unit", "secretary", "members")
    list_select_related = ("unit",)
    list_filter = ("kind", "county")
    search_fields = ("name", "secretary")
    autocomplete_fields = ("unit",)
    fields = ("name", "kind", "unit", "secretary", "members")

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_keep(request.user, obj.unit))

    def service_check(self, form, instance):
        branch_validate(actor=form.actor, branch=instance)

    def save_model(self, request, obj, form, change):
        branch_save(actor=request.user, branch=obj)


@admin.register(BranchPair)
class BranchPairAdmin(KeeperAdmin):
    list_display = ("office_branch", "village_branch", "start", "end", "activities_count")
    list_select_related = ("office_branch", "village_branch")
    list_filter = (("start", admin.DateFieldListFilter),)
    search_fields = ("office_branch__name", "village_branch__name")
    autocomplete_fields = ("village_branch",)
    fields = ("office_branch", "village_branch", "start", "end")
    change_list_template = "admin/cases/branchpair/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(activities_count=Count("activities")).order_by("-start", "pk")

    def scope_choices(self, db_field, request, queryset):
        """An office branch may be of any department or enterprise of the user's county (their
        names are public): a plain list, as a township pairs its villages with county offices."""
        if db_field.name == "office_branch":
            return queryset.filter(county__in=counties_near(request.user)).exclude(kind=BranchKind.VILLAGE)
        return super().scope_choices(db_field, request, queryset)

    @admin.display(description=_("joint activities"))
    def activities_count(self, pair):
        return pair.activities_count

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_keep(request.user, obj.village_branch.unit))

    def service_check(self, form, instance):
        pair_validate(actor=form.actor, pair=instance)

    def save_model(self, request, obj, form, change):
        pair_save(actor=request.user, pair=obj)

    def get_urls(self):
        return [
            path("gaps/", self.admin_site.admin_view(self.gaps_view), name="cases_branchpair_gaps"),
            *super().get_urls(),
        ]

    def gaps_view(self, request):
        """The county's view: villages without a pair, and pairs idle since the quarter began."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Villages without a pair, pairs without an activity this quarter"),
            "opts": self.model._meta,
            "villages": villages_without_pair(villages=units_for(request.user), day=today),
            "idle": pairs_without_activity(pairs=self.get_queryset(request), day=today),
            "quarter_start": quarter_start(today),
        }
        return TemplateResponse(request, "admin/cases/branchpair/gaps.html", context)


@admin.register(PairActivity)
class PairActivityAdmin(KeeperAdmin):
    list_display = ("date", "kind", "pair", "photo_link")
    list_select_related = ("pair__office_branch", "pair__village_branch")
    list_filter = ("kind", ("date", admin.DateFieldListFilter))
    autocomplete_fields = ("pair",)
    fields = ("pair", "kind", "date", "participants", "summary", "photo")

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_keep(request.user, obj.pair.village_branch.unit))

    def service_check(self, form, instance):
        activity_validate(actor=form.actor, activity=instance)

    def save_model(self, request, obj, form, change):
        activity_record(actor=request.user, activity=obj)

    @admin.display(description=_("photo"))
    def photo_link(self, activity):
        if not activity.photo:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:cases_pairactivity_photo", args=[activity.pk]), _("Photo")
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/photo/", self.admin_site.admin_view(self.photo_view), name="cases_pairactivity_photo"
            ),
            *super().get_urls(),
        ]

    def photo_view(self, request, object_id):
        """Photos are served through the activity's scope, never as public media files."""
        activity = self.get_object(request, unquote(object_id))
        if activity is None or not activity.photo or not self.has_view_permission(request, activity):
            raise Http404
        return FileResponse(activity.photo.open("rb"), filename=activity.photo.name.rsplit("/", 1)[-1])
