"""The screens of the monthly and quarterly (平时) assessment records (issue 14 item 8), scoped like
the annual assessments: the host township writes and approves them, the county organisation
department sees the county's, the sending department its own cadres' approved records."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from governance.admin.scoped import ScopedModelAdmin
from governance.admin.service_forms import ServiceFormMixin
from governance.admin.steps import ReasonForm, Step
from governance.roles import Capability
from governance.scoping import holds_any
from staffing import periodic
from staffing.admin import (
    IdNumberSearchMixin,
    TimelineMixin,
    WorkflowStepsMixin,
    _holds,
)
from staffing.models import PERIODIC_EDITABLE_STATES, PeriodicRecord, PeriodicState, SecondmentState

_WRITTEN = ("secondment", "year", "period_kind", "period")
_MARKS = ("grade", "attendance_days", "leave_days", "comments")
_DECISIONS = ("state", "drafted_by", "submitted_by", "approved_by", "approved_at", "timeline")


@admin.register(PeriodicRecord)
class PeriodicRecordAdmin(IdNumberSearchMixin, TimelineMixin, WorkflowStepsMixin, ServiceFormMixin, ScopedModelAdmin):
    list_display = (
        "cadre",
        "period_label",
        "host_unit",
        "sending_unit",
        "grade",
        "attendance_days",
        "leave_days",
        "state",
    )
    list_select_related = ("cadre", "host_unit", "sending_unit")
    list_filter = ("state", "grade", "year", "period_kind", "host_unit", "sending_unit")
    search_fields = ("cadre__name",)  # and a full ID number (IdNumberSearchMixin)
    timeline_states = PeriodicState
    choice_capabilities = {"secondment": Capability.DRAFT_ASSESSMENT}

    @admin.display(description=_("period"), ordering="year")
    def period_label(self, record):
        return record.period_label

    def scope_choices(self, db_field, request, queryset):
        queryset = super().scope_choices(db_field, request, queryset)
        if db_field.name == "secondment":  # cadres who have arrived (in force, or ended within a period)
            queryset = queryset.filter(state__in=[SecondmentState.IN_FORCE, SecondmentState.ENDED])
            queryset = queryset.select_related("cadre", "host_unit")
        return queryset

    def get_fields(self, request, obj=None):
        if obj is None:
            return (*_WRITTEN, *_MARKS)
        return ("cadre", "host_unit", "sending_unit", *_WRITTEN, *_MARKS, *_DECISIONS)

    def _editable(self, request, obj) -> bool:
        return obj.state in PERIODIC_EDITABLE_STATES and _holds(request, Capability.DRAFT_ASSESSMENT, obj.host_unit_id)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        fixed = ("cadre", "host_unit", "sending_unit", *_WRITTEN, *_DECISIONS)
        return fixed if self._editable(request, obj) else (*fixed, *_MARKS)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and holds_any(request.user, Capability.DRAFT_ASSESSMENT)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or self._editable(request, obj))

    def has_delete_permission(self, request, obj=None):
        return False

    steps = {
        "submit": Step(
            "submit",
            _("Submit for approval"),
            lambda actor, o, data: periodic.periodic_record_submit(actor=actor, record=o),
            done=_("Submitted for approval."),
        ),
        "approve": Step(
            "approve",
            _("Approve"),
            lambda actor, o, data: periodic.periodic_record_approve(actor=actor, record=o),
            done=_("Approved."),
        ),
        "return": Step(
            "return",
            _("Return to the clerk"),
            lambda actor, o, data: periodic.periodic_record_return(actor=actor, record=o, **data),
            ReasonForm,
            danger=True,
            done=_("Returned to the clerk."),
        ),
    }

    def offered_steps(self, request, obj):
        return periodic.periodic_steps(record=obj, user=request.user)

    def step_refusal(self, request, obj, step):
        if step.name in ("approve", "return") and request.user.pk in (obj.drafted_by_id, obj.submitted_by_id):
            return periodic.PERIODIC_OWN_DRAFT
        return super().step_refusal(request, obj, step)

    def service_check(self, form, instance):
        if instance.secondment_id is not None:
            periodic.periodic_record_validate(actor=form.actor, record=instance)

    def save_model(self, request, obj, form, change):
        periodic.periodic_record_save(actor=request.user, record=obj)
