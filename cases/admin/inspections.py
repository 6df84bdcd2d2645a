"""The inspection screens (四不两直): the township's leader records an inspection, then each
finding and its case in one step; the inspection page shows how its cases ended. The findings'
list is the county's view: which findings became cases and how they ended."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cases.admin.cases import CalendarWarningMixin
from cases.inspection_forms import FindingCaseForm, FindingForm, finding_form_kwargs
from cases.inspection_services import finding_case_raise, finding_record, inspection_outcomes, inspection_save
from cases.inspections import Inspection, InspectionFinding
from cases.models import CaseState
from governance.admin.scoped import ScopedModelAdmin
from governance.admin.steps import Step, WorkflowStepsMixin
from governance.models import UnitLevel
from governance.roles import Capability
from governance.scoping import holds, holds_any

INSPECTION_STEPS = {
    "finding": Step(
        "finding",
        _("Record a finding and raise its case"),
        lambda actor, inspection, data: finding_record(actor=actor, inspection=inspection, **data),
        FindingForm,
        form_kwargs=finding_form_kwargs,
    ),
}
FINDING_STEPS = {
    "raise_case": Step(
        "raise_case",
        _("Raise its case"),
        lambda actor, finding, data: finding_case_raise(actor=actor, finding=finding, **data),
        FindingCaseForm,
    ),
}


@admin.register(Inspection)
class InspectionAdmin(CalendarWarningMixin, WorkflowStepsMixin, ScopedModelAdmin):
    list_display = ("date", "leader", "leader_title", "township", "unannounced", "findings_count")
    list_select_related = ("township",)
    list_filter = ("unannounced", "township", ("date", admin.DateFieldListFilter))
    search_fields = ("leader", "places")
    autocomplete_fields = ("township",)
    choice_capabilities = {"township": Capability.RAISE_CASE}
    fields = ("township", "leader", "leader_title", "date", "unannounced", "places", "companions", "notes")
    change_form_template = "admin/cases/inspection/change_form.html"
    steps = INSPECTION_STEPS

    def get_queryset(self, request):
        return super().get_queryset(request).annotate_findings()

    def get_readonly_fields(self, request, obj=None):
        """The township inspected is chosen once: findings name its villages and raise its cases."""
        return ("township",) if obj is not None else ()

    @admin.display(description=_("findings"))
    def findings_count(self, inspection):
        return inspection.findings_count

    def scope_choices(self, db_field, request, queryset):
        queryset = super().scope_choices(db_field, request, queryset)
        return queryset.filter(level=UnitLevel.TOWNSHIP) if db_field.name == "township" else queryset

    def has_add_permission(self, request):
        return super().has_add_permission(request) and holds_any(request.user, Capability.RAISE_CASE)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or holds(request.user, Capability.RAISE_CASE, obj.township_id))

    def has_delete_permission(self, request, obj=None):
        return False  # an inspection and its findings are the record of what leaders saw

    def save_model(self, request, obj, form, change):
        inspection_save(actor=request.user, inspection=obj)

    def offered_steps(self, request, obj):
        return ["finding"] if holds(request.user, Capability.RAISE_CASE, obj.township_id) else []

    def state_label(self, obj):
        return ""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        inspection = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if inspection is not None:
            extra_context["outcomes"] = inspection_outcomes(inspection=inspection)
        return super().change_view(request, object_id, form_url, extra_context)


class OutcomeFilter(admin.SimpleListFilter):
    title = _("outcome")
    parameter_name = "outcome"

    def lookups(self, request, model_admin):
        return (("no_case", _("No case raised")), ("open", _("Case open")), ("closed", _("Case closed")))

    def queryset(self, request, queryset):
        conditions = {
            "no_case": Q(case__isnull=True),
            "open": Q(case__state=CaseState.OPEN),
            "closed": Q(case__state=CaseState.CLOSED),
        }
        condition = conditions.get(self.value())
        return queryset if condition is None else queryset.filter(condition)


@admin.register(InspectionFinding)
class InspectionFindingAdmin(CalendarWarningMixin, WorkflowStepsMixin, ScopedModelAdmin):
    list_display = ("title", "inspection", "township", "case_link", "case_state", "case_closed_at")
    list_select_related = ("inspection__township", "case")
    list_filter = (OutcomeFilter, "priority")
    search_fields = ("title",)
    fields = ("inspection", "title", "description", "village", "place", "item", "priority", "case", "recorded_at")
    readonly_fields = fields
    steps = FINDING_STEPS

    def has_add_permission(self, request):
        return False  # a finding is recorded on its inspection's page, with its case

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("township inspected"))
    def township(self, finding):
        return finding.inspection.township

    @admin.display(description=_("case raised"))
    def case_link(self, finding):
        if finding.case is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:cases_case_change", args=[finding.case_id]), finding.case.reference
        )

    @admin.display(description=_("case state"))
    def case_state(self, finding):
        return finding.case.get_state_display() if finding.case else "—"

    @admin.display(description=_("closed at"))
    def case_closed_at(self, finding):
        return finding.case.closed_at if finding.case else None

    def offered_steps(self, request, obj):
        if obj.case_id is None and holds(request.user, Capability.RAISE_CASE, obj.inspection.township_id):
            return ["raise_case"]
        return []

    def state_label(self, obj):
        return obj.case.get_state_display() if obj.case else str(_("No case raised"))
