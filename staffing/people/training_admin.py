"""Training screens (issue 15 item 2): sessions, attendance (with the attendance sheet), and each
person's training record on their page. Saves call staffing.people.training_services."""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from governance.admin.scoped import ScopedModelAdmin
from governance.admin.service_forms import ServiceFormMixin
from governance.roles import Capability
from governance.scoping import holds
from governance.spreadsheets.admin import SpreadsheetAdminMixin
from staffing.admin import CadreAdmin
from staffing.models import Cadre
from staffing.people import training_services
from staffing.people.training import ORGANISER_LEVELS, TrainingAttendance, TrainingSession


def training_record_html(attendances):
    """A person's sessions, newest first: date, level, name, form, attended, score."""
    rows = attendances.select_related("session").order_by("-session__start_date", "pk")
    return (
        format_html_join(
            "",
            "<div>{} · {} · {} · {}：{}{}</div>",
            (
                (
                    row.session.start_date,
                    row.session.get_level_display(),
                    row.session.name,
                    row.session.get_form_display(),
                    _("attended") if row.attended else _("absent"),
                    f"（{row.score}）" if row.score is not None else "",
                )
                for row in rows
            ),
        )
        or "—"
    )


@admin.register(TrainingSession)
class TrainingSessionAdmin(ServiceFormMixin, ScopedModelAdmin):
    list_display = ("name", "level", "organiser", "form", "start_date", "end_date", "place", "attendees")
    list_select_related = ("organiser",)
    list_filter = ("level", "form", "organiser")
    search_fields = ("name", "topic")
    autocomplete_fields = ("organiser",)
    fields = ("name", "level", "organiser", "topic", "form", "start_date", "end_date", "place")

    def scope_choices(self, db_field, request, queryset):
        queryset = super().scope_choices(db_field, request, queryset)
        if db_field.name == "organiser":
            levels = {level for levels in ORGANISER_LEVELS.values() for level in levels}
            queryset = queryset.filter(level__in=levels)
        return queryset

    def has_change_permission(self, request, obj=None):
        # Sessions of the levels above are seen (to record attendance), kept only by their organiser.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or holds(request.user, Capability.SEE_RECORDS, obj.organiser_id))

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description=_("attendees"))
    def attendees(self, session):
        return session.attendances.filter(attended=True).count()

    def service_check(self, form, instance):
        instance.full_clean()

    def save_model(self, request, obj, form, change):
        training_services.training_session_save(actor=request.user, session=obj)


@admin.register(TrainingAttendance)
class TrainingAttendanceAdmin(SpreadsheetAdminMixin, ServiceFormMixin, ScopedModelAdmin):
    sheet_resource = "trainingattendance"
    list_display = ("session", "cadre", "village_member", "attended", "score")
    list_select_related = ("session", "cadre", "village_member")
    list_filter = ("attended", "session__level", "session__form")
    search_fields = ("cadre__name", "village_member__name", "session__name")
    autocomplete_fields = ("session", "cadre", "village_member")
    fields = ("session", "cadre", "village_member", "attended", "score")

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def service_check(self, form, instance):
        training_services.attendance_validate(actor=form.actor, attendance=instance)

    def save_model(self, request, obj, form, change):
        training_services.attendance_save(actor=request.user, attendance=obj)


# The cadre's page shows the cadre's training record (issue 15: "each person's training record on their
# page"): the cadres' screen is extended here rather than edited where the secondment work lives.
admin.site.unregister(Cadre)


@admin.register(Cadre)
class CadreWithTrainingAdmin(CadreAdmin):
    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "training_record")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            fieldsets = [*fieldsets, (_("Training record"), {"fields": ("training_record",)})]
        return fieldsets

    @admin.display(description=_("training record"))
    def training_record(self, cadre):
        return training_record_html(cadre.attendances)
