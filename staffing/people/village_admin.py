"""Screens of the village two committees (issue 15 item 1): the members, and the villages with the
heads' posts each committee has or lacks. Saves call staffing.people.village_services."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.utils.translation import gettext_lazy as _

from governance.admin.scoped import ScopedModelAdmin
from governance.admin.service_forms import ServiceFormMixin
from governance.models import UnitLevel
from governance.roles import Capability
from governance.scoping import sees_everything, units_for
from governance.spreadsheets.admin import SpreadsheetAdminMixin
from staffing.admin import _MaskingHistoryHelper
from staffing.idnumbers import mask_id_number, mask_phone
from staffing.people import village_services
from staffing.people.lists import township_filter
from staffing.people.village_committees import VillageCommittee, VillageMember


def with_member_info_visible(queryset, *, user, village_lookup: str = "village"):
    """Annotate ``personal_info_visible``: whether the user may read the member's ID number and phone
    (VIEW_PERSONAL_INFO on the village, as for cadres)."""
    if sees_everything(user):
        return queryset.annotate(personal_info_visible=Value(True))
    readable = units_for(user, Capability.VIEW_PERSONAL_INFO).values("pk")
    visible = ExpressionWrapper(Q(**{f"{village_lookup}__in": readable}), output_field=BooleanField())
    return queryset.annotate(personal_info_visible=visible)


class MissingHeadFilter(admin.SimpleListFilter):
    title = _("committee heads")
    parameter_name = "heads"

    def lookups(self, request, model_admin):
        return (("lacking", _("A head's post is empty")), ("complete", _("Both heads in post")))

    def queryset(self, request, queryset):
        lacking = Q(has_secretary=False) | Q(has_director=False)
        if self.value() == "lacking":
            return queryset.filter(lacking)
        if self.value() == "complete":
            return queryset.exclude(lacking)
        return queryset


@admin.register(VillageMember)
class VillageMemberAdmin(SpreadsheetAdminMixin, ServiceFormMixin, ScopedModelAdmin):
    sheet_resource = "villagemember"
    list_display = ("name", "id_number_shown", "gender", "phone_shown", "village", "post", "term_start", "term_end")
    list_select_related = ("village",)
    list_filter = ("post", township_filter("village__parent"), "village", "gender", "education")
    search_fields = ("name",)
    autocomplete_fields = ("village",)
    MASKED = ("id_number_shown", "phone_shown", "birth_year_shown")

    def get_queryset(self, request):
        return with_member_info_visible(super().get_queryset(request), user=request.user)

    def scope_choices(self, db_field, request, queryset):
        queryset = super().scope_choices(db_field, request, queryset)
        return queryset.filter(level=UnitLevel.VILLAGE) if db_field.name == "village" else queryset

    def _reveals(self, request, obj) -> bool:
        if obj is None:
            return True  # a new record: the clerk is typing the number in
        visible = getattr(obj, "personal_info_visible", None)
        if visible is None:
            visible = sees_everything(request.user) or (
                units_for(request.user, Capability.VIEW_PERSONAL_INFO).filter(pk=obj.village_id).exists()
            )
        return visible

    def get_fields(self, request, obj=None):
        revealed = self._reveals(request, obj)
        id_number, phone, birth = ("id_number", "phone", "birth_date") if revealed else self.MASKED
        fields = (
            "name",
            id_number,
            phone,
            "gender",
            birth,
            "political_status",
            "education",
            "village",
            "post",
            "term_start",
            "term_end",
        )
        return (*fields, "training_record") if obj is not None else fields

    def get_readonly_fields(self, request, obj=None):
        return (*((), self.MASKED)[not self._reveals(request, obj)], "training_record")

    def get_historical_record_context_helper(self, request, historical_record):
        # The field-by-field history page would otherwise show past ID numbers and phones in full.
        if self._reveals(request, historical_record.instance):
            return super().get_historical_record_context_helper(request, historical_record)
        return _MaskingHistoryHelper(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and not self._reveals(request, obj):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.display(description=_("resident ID number"))
    def id_number_shown(self, member):
        return member.id_number if getattr(member, "personal_info_visible", False) else mask_id_number(member.id_number)

    @admin.display(description=_("phone"))
    def phone_shown(self, member):
        return member.phone if getattr(member, "personal_info_visible", False) else mask_phone(member.phone)

    @admin.display(description=_("birth year"))
    def birth_year_shown(self, member):
        return member.birth_date.year if member.birth_date else "-"

    @admin.display(description=_("training record"))
    def training_record(self, member):
        from staffing.people.training_admin import training_record_html

        return training_record_html(member.attendances)

    def service_check(self, form, instance):
        village_services.village_member_validate(actor=form.actor, member=instance)

    def save_model(self, request, obj, form, change):
        village_services.village_member_save(actor=request.user, member=obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(VillageCommittee)
class VillageCommitteeAdmin(ScopedModelAdmin):
    """Each village's two committees: the heads' posts filled or empty, and the members (read-only)."""

    list_display = ("name", "parent", "secretary_post", "director_post")
    list_select_related = ("parent",)
    list_filter = (MissingHeadFilter, "parent")
    search_fields = ("name", "code")
    fields = ("name", "parent", "secretary_post", "director_post", "members")
    readonly_fields = fields
    ordering = ("path",)

    def get_queryset(self, request):
        return village_services.village_committees(user=request.user)

    unit_filters = {"parent": (UnitLevel.TOWNSHIP,)}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("party branch secretary"), boolean=True, ordering="has_secretary")
    def secretary_post(self, village):
        return village.has_secretary

    @admin.display(description=_("villagers' committee director"), boolean=True, ordering="has_director")
    def director_post(self, village):
        return village.has_director

    @admin.display(description=_("members"))
    def members(self, village):
        rows = village.committee_members.order_by("post", "name")
        return "、".join(f"{member.name}（{member.get_post_display()}）" for member in rows) or "—"
