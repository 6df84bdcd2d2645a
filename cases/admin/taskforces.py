"""The task-force screens (专班): the task force's page with its milestones and progress; the
milestones' list is the county's view of which are overdue. Milestones are marked done and raise
their case through steps (services in ``cases.taskforce_services``)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cases.admin.cases import CalendarWarningMixin
from cases.taskforce_forms import MilestoneCaseForm, ProgressForm
from cases.taskforce_services import (
    counties_near,
    milestone_case_raise,
    milestone_done,
    milestone_save,
    progress_report,
    taskforce_may_manage,
    taskforce_save,
    taskforce_validate,
)
from cases.taskforces import TaskForce, TaskForceMilestone, TaskForceProgress
from governance.admin.scoped import ScopedInline, ScopedModelAdmin
from governance.admin.service_forms import ServiceFormMixin
from governance.admin.steps import Step, WorkflowStepsMixin
from governance.models import UnitLevel
from governance.roles import Capability
from governance.scoping import departments_near, holds_any

TASK_FORCE_STEPS = {
    "progress": Step(
        "progress",
        _("Report progress"),
        lambda actor, task_force, data: progress_report(actor=actor, task_force=task_force, **data),
        ProgressForm,
        form_kwargs=lambda task_force: {"task_force": task_force},
    ),
}
MILESTONE_STEPS = {
    "done": Step(
        "done", _("Mark done"), lambda actor, milestone, data: milestone_done(actor=actor, milestone=milestone)
    ),
    "raise_case": Step(
        "raise_case",
        _("Raise a case to the department needed"),
        lambda actor, milestone, data: milestone_case_raise(actor=actor, milestone=milestone, **data),
        MilestoneCaseForm,
        form_kwargs=lambda milestone: {"county_id": milestone.task_force.county_id},
    ),
}


class MilestoneInline(ScopedInline, admin.TabularInline):
    model = TaskForceMilestone
    fields = ("title", "counted_from", "working_days", "needs_department", "due_at", "overdue", "done_at", "case")
    readonly_fields = ("due_at", "overdue", "done_at", "case")
    extra = 1
    can_delete = False
    show_change_link = True  # to the milestone's own page, where its steps are (mark done, raise a case)

    def scope_choices(self, db_field, request, queryset):
        """A department needed is one of a county's (public names, a short list): those near the user."""
        return departments_near(request.user) if db_field.name == "needs_department" else queryset


class ProgressInline(admin.TabularInline):
    model = TaskForceProgress
    fields = ("reported_at", "milestone", "content", "reported_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # reported through the "Report progress" step


@admin.register(TaskForce)
class TaskForceAdmin(CalendarWarningMixin, WorkflowStepsMixin, ServiceFormMixin, ScopedModelAdmin):
    list_display = ("name", "county", "township", "lead_post", "start", "end")
    list_select_related = ("county", "township", "lead_post__county")
    list_filter = ("county", "township")
    search_fields = ("name",)
    autocomplete_fields = ("township", "member_units")
    fields = ("name", "county", "township", "lead_post", "work", "member_units", "member_people", "start", "end")
    inlines = (MilestoneInline, ProgressInline)
    steps = TASK_FORCE_STEPS

    def service_check(self, form, instance):
        """A refusal (a county-wide task force set up by a township) lands on the form, the
        person's input and milestones kept."""
        taskforce_validate(actor=form.actor, task_force=instance)

    def scope_choices(self, db_field, request, queryset):
        """The county and its leadership posts are those of the user's own county (a township's
        task force is led by a county leader too); the township one the user may manage."""
        if db_field.name == "county":
            return counties_near(request.user)
        if db_field.name == "lead_post":
            return queryset.filter(county__in=counties_near(request.user)).select_related("county")
        queryset = super().scope_choices(db_field, request, queryset)
        return queryset.filter(level=UnitLevel.TOWNSHIP) if db_field.name == "township" else queryset

    def has_add_permission(self, request):
        user = request.user
        may = holds_any(user, Capability.RAISE_CASE) or holds_any(user, Capability.COORDINATE_CASES)
        return super().has_add_permission(request) and may

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or taskforce_may_manage(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        taskforce_save(actor=request.user, task_force=obj)

    def save_formset(self, request, form, formset, change):
        """Milestones are saved by their service: the due comes from the working-day calendar."""
        for milestone in formset.save(commit=False):
            milestone_save(actor=request.user, milestone=milestone)
        formset.save_m2m()

    def offered_steps(self, request, obj):
        return ["progress"] if taskforce_may_manage(request.user, obj) else []

    def state_label(self, obj):
        return ""


class MilestoneStateFilter(admin.SimpleListFilter):
    title = _("done")
    parameter_name = "done"

    def lookups(self, request, model_admin):
        return (("open", _("Open")), ("done", _("Done")))

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(done_at__isnull=True)
        if self.value() == "done":
            return queryset.filter(done_at__isnull=False)
        return queryset


@admin.register(TaskForceMilestone)
class TaskForceMilestoneAdmin(CalendarWarningMixin, WorkflowStepsMixin, ScopedModelAdmin):
    list_display = ("title", "task_force", "due_at", "overdue_shown", "done_at", "case_link")
    list_select_related = ("task_force", "case")
    list_filter = ("overdue", MilestoneStateFilter)
    search_fields = ("title", "task_force__name")
    fields = (
        "task_force",
        "title",
        "counted_from",
        "working_days",
        "due_at",
        "needs_department",
        "overdue",
        "done_at",
        "case",
    )
    readonly_fields = fields
    steps = MILESTONE_STEPS

    def has_add_permission(self, request):
        return False  # added on the task force's page

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("overdue"), ordering="overdue")
    def overdue_shown(self, milestone):
        if milestone.overdue and milestone.done_at is None:
            return format_html('<strong class="overdue-due">{}</strong>', _("yes"))
        return _("no")

    @admin.display(description=_("case raised"))
    def case_link(self, milestone):
        if milestone.case is None:
            return "—"
        url = reverse("admin:cases_case_change", args=[milestone.case_id])
        return format_html('<a href="{}">{}</a>', url, milestone.case.reference)

    def offered_steps(self, request, obj):
        if not taskforce_may_manage(request.user, obj.task_force):
            return []
        steps = ["done"] if obj.done_at is None else []
        if obj.needs_department_id and obj.case_id is None and holds_any(request.user, Capability.RAISE_CASE):
            steps.append("raise_case")
        return steps

    def state_label(self, obj):
        return str(_("Done")) if obj.done_at else str(_("Open"))
