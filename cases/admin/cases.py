"""The case screens: the township works on the case page, a department on its assignment page,
the county governance centre on both. Buttons post small forms to admin URLs that call one
service each; a refusal comes back as a Chinese message and changes nothing."""

from datetime import date

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from cases.admin.common import form_errors_add, guessed_warn, redirect_back, refusal_messages
from cases.assignments import (
    assignment_accept,
    assignment_decline,
    assignment_escalate,
    assignment_feedback,
    assignment_reassign,
    assignment_respond,
)
from cases.deadlines import overdue_q
from cases.forms import (
    AttachmentForm,
    CaseRaiseForm,
    DepartmentChoiceForm,
    FeedbackForm,
    NoInputForm,
    OptionalReasonForm,
    RateForm,
    ReasonForm,
    RespondForm,
)
from cases.models import DEPARTMENT_PENDING_STATES, LIVE_STATES, Case, CaseAssignment, CaseState
from cases.raising import case_attachment_add, case_department_add, case_raise
from cases.ratings import assignment_rate
from cases.scorecards import department_scorecards
from cases.selectors import assignment_steps, case_assignments_visible, case_timeline
from governance.admin.scoped import ScopedModelAdmin
from governance.models import UnitLevel
from governance.roles import Capability
from governance.scoping import holds, units_for


def _with(service, **fixed):
    return lambda actor, assignment, data: service(actor=actor, assignment=assignment, **fixed, **data)


# step name -> (button label, form class, service call)
ASSIGNMENT_STEPS = {
    "accept": (_("Accept (报到)"), NoInputForm, _with(assignment_accept)),
    "feedback": (_("Give first progress feedback"), FeedbackForm, _with(assignment_feedback)),
    "respond": (_("Report the result"), RespondForm, _with(assignment_respond)),
    "decline": (_("Decline: not our matter"), ReasonForm, _with(assignment_decline)),
    "rate": (_("Rate the response"), RateForm, _with(assignment_rate)),
    "reassign": (_("Reassign to another department"), DepartmentChoiceForm, _with(assignment_reassign)),
    "escalate": (_("Escalate (督办)"), OptionalReasonForm, _with(assignment_escalate)),
}
STEP_DONE = _("Done: %(step)s.")


def _step_form(step: str, assignment: CaseAssignment, data=None):
    form_class = ASSIGNMENT_STEPS[step][1]
    kwargs = {"prefix": f"a{assignment.pk}-{step}"}
    if form_class is DepartmentChoiceForm:
        kwargs.update(county_id=assignment.case.township.parent_id, exclude_ids=[assignment.department_id])
    return form_class(data, **kwargs)


def _step_forms(request, assignments: list[CaseAssignment]) -> dict[int, list[dict]]:
    """Each assignment's next-step forms for this user."""
    allowed = assignment_steps(assignments=assignments, user=request.user)
    return {
        assignment.pk: [
            {
                "label": ASSIGNMENT_STEPS[step][0],
                "form": _step_form(step, assignment),
                "url": reverse("admin:cases_caseassignment_step", args=[assignment.pk, step]),
            }
            for step in allowed[assignment.pk]
        ]
        for assignment in assignments
    }


class ViewOnlyAdmin(ScopedModelAdmin):
    """Workflow records change only through their step services, never through a plain form."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ViewOnlyAdmin):
    list_display = ("reference", "title", "township", "village", "item", "priority", "state", "raised_at")
    list_select_related = ("township", "village", "item")
    list_filter = ("state", "priority", "township")
    search_fields = ("reference", "title")
    show_full_result_count = False  # no second COUNT over a million cases
    autocomplete_fields = ("township", "village", "item")
    shared_choice_fields = ("item",)
    choice_capabilities = {"township": Capability.RAISE_CASE, "village": Capability.RAISE_CASE}
    fields = (
        "reference",
        "state",
        "township",
        "village",
        "item",
        "priority",
        "title",
        "description",
        "place",
        "raised_by",
        "raised_at",
        "closed_at",
    )
    readonly_fields = fields

    def scope_choices(self, db_field, request, queryset):
        """A case is raised by a township about one of its villages: offer units of that level only."""
        queryset = super().scope_choices(db_field, request, queryset)
        level = {"township": UnitLevel.TOWNSHIP, "village": UnitLevel.VILLAGE}.get(db_field.name)
        return queryset.filter(level=level) if level else queryset

    def has_add_permission(self, request):
        return super().has_add_permission(request) and units_for(request.user, Capability.RAISE_CASE).exists()

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/attach/", wrap(self.attach_view), name="cases_case_attach"),
            path("<path:object_id>/add-department/", wrap(self.add_department_view), name="cases_case_add_department"),
            path(
                "<path:object_id>/attachment/<int:attachment_id>/",
                wrap(self.attachment_view),
                name="cases_case_attachment",
            ),
            *super().get_urls(),
        ]

    def _case_or_404(self, request, object_id) -> Case:
        case = self.get_object(request, unquote(object_id))
        if case is None or not self.has_view_permission(request, case):
            raise Http404
        return case

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CaseRaiseForm(request.POST or None, request.FILES or None, user=request.user, admin_site=self.admin_site)
        if request.method == "POST" and form.is_valid():
            try:
                result = case_raise(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, _("Case %(reference)s raised.") % {"reference": result.case.reference})
                guessed_warn(request, result.guessed_years)
                return redirect("admin:cases_case_change", result.case.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Raise a case"),
            "opts": self.model._meta,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/cases/case/raise.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if case is not None:
            assignments = list(case_assignments_visible(case=case, user=request.user).select_related("case__township"))
            forms_by_assignment = _step_forms(request, assignments)
            extra_context.update(
                assignments=[{"assignment": a, "steps": forms_by_assignment[a.pk]} for a in assignments],
                timeline=case_timeline(case=case, user=request.user),
                attachments=case.attachments.all(),
                attach_form=AttachmentForm() if self._may_attach(request, case) else None,
                add_department_form=self._add_department_form(request, case),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def _may_attach(self, request, case) -> bool:
        return request.user.has_perm("cases.change_case") and holds(
            request.user, Capability.RAISE_CASE, case.township_id
        )

    def _add_department_form(self, request, case):
        if case.state != CaseState.OPEN or not request.user.has_perm("cases.change_case"):
            return None
        if not holds(request.user, Capability.COORDINATE_CASES, case.township_id):
            return None
        busy = case.assignments.filter(state__in=LIVE_STATES).values_list("department_id", flat=True)
        return DepartmentChoiceForm(county_id=case.township.parent_id, exclude_ids=list(busy))

    @staticmethod
    def _change_url(case):
        return reverse("admin:cases_case_change", args=[case.pk])

    def attach_view(self, request, object_id):
        case = self._case_or_404(request, object_id)
        if request.method != "POST" or not request.user.has_perm("cases.change_case"):
            raise PermissionDenied
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                case_attachment_add(actor=request.user, case=case, **form.cleaned_data)
            except ValidationError as error:
                refusal_messages(request, error)
            else:
                messages.success(request, _("Attachment added."))
        else:
            messages.error(request, _("Choose a file to attach."))
        return redirect(self._change_url(case))

    def add_department_view(self, request, object_id):
        case = self._case_or_404(request, object_id)
        if request.method != "POST" or not request.user.has_perm("cases.change_case"):
            raise PermissionDenied
        form = DepartmentChoiceForm(request.POST, county_id=case.township.parent_id)
        if form.is_valid():
            try:
                result = case_department_add(actor=request.user, case=case, **form.cleaned_data)
            except ValidationError as error:
                refusal_messages(request, error)
            else:
                messages.success(request, _("%(department)s assigned.") % {"department": result.assignment.department})
                guessed_warn(request, result.guessed_years)
        else:
            messages.error(request, _("Choose a department of the county."))
        return redirect(self._change_url(case))

    def attachment_view(self, request, object_id, attachment_id):
        """Attachments are served through the case's scope, never as public media files."""
        case = self._case_or_404(request, object_id)
        attachment = case.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise Http404
        return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=str(attachment))


class DueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return (("overdue", _("Overdue now")), ("escalated", _("Escalated and unfinished")))

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(overdue_q(timezone.now()))
        if self.value() == "escalated":
            return queryset.filter(state__in=DEPARTMENT_PENDING_STATES, escalated_at__isnull=False)
        return queryset


class ScorecardPeriodForm(forms.Form):
    start = forms.DateField(label=pgettext_lazy("period", "from"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=pgettext_lazy("period", "to"), widget=forms.DateInput(attrs={"type": "date"}))


@admin.register(CaseAssignment)
class CaseAssignmentAdmin(ViewOnlyAdmin):
    list_display = (
        "case",
        "department",
        "state",
        "round",
        "accept_due",
        "feedback_due",
        "resolve_due",
        "close_due",
        "overdue",
        "escalated_at",
    )
    list_select_related = ("case", "department")
    ordering = ("-created_at", "-pk")  # newest first, without sorting on the case table
    list_filter = ("state", DueFilter, "overdue", "department")
    search_fields = ("case__reference", "case__title")
    show_full_result_count = False
    change_list_template = "admin/cases/caseassignment/change_list.html"
    fields = (
        "case",
        "department",
        "state",
        "round",
        "round_started_at",
        "accept_due",
        "feedback_due",
        "resolve_due",
        "close_due",
        "guessed_years",
        "accepted_at",
        "feedback_at",
        "feedback",
        "responded_at",
        "response",
        "rating",
        "rating_comment",
        "overdue",
        "escalated_at",
        "escalated_to",
        "reassigned_to",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # assignments come only from raising, adding and reassigning

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("scorecards/", wrap(self.scorecards_view), name="cases_caseassignment_scorecards"),
            path(
                "<path:object_id>/step/<str:step>/",
                wrap(require_POST(self.step_view)),
                name="cases_caseassignment_step",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        assignment = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if assignment is not None:
            if assignment.guessed_years:
                guessed_warn(request, assignment.guessed_years.split(","))
            extra_context.update(
                steps=_step_forms(request, [assignment])[assignment.pk],
                timeline=assignment.transitions.select_related("actor", "department").order_by("at", "pk"),
                case_url=reverse("admin:cases_case_change", args=[assignment.case_id]),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def step_view(self, request, object_id, step):
        assignment = self.get_object(request, unquote(object_id))
        if assignment is None or step not in ASSIGNMENT_STEPS:
            raise Http404
        if not request.user.has_perm("cases.change_caseassignment"):
            raise PermissionDenied
        label, _form_class, run = ASSIGNMENT_STEPS[step]
        form = _step_form(step, assignment, request.POST)
        if form.is_valid():
            try:
                result = run(request.user, assignment, form.cleaned_data)
            except ValidationError as error:
                refusal_messages(request, error)
            else:
                messages.success(request, STEP_DONE % {"step": label})
                guessed_warn(request, getattr(result, "guessed_years", ()))
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return redirect_back(request, reverse("admin:cases_caseassignment_change", args=[assignment.pk]))

    def scorecards_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        form = ScorecardPeriodForm(request.GET or {"start": date(today.year, today.month, 1), "end": today})
        scorecards = department_scorecards(user=request.user, **form.cleaned_data) if form.is_valid() else []
        context = {
            **self.admin_site.each_context(request),
            "title": _("Department scorecards"),
            "opts": self.model._meta,
            "form": form,
            "scorecards": scorecards,
        }
        return TemplateResponse(request, "admin/cases/scorecards.html", context)
