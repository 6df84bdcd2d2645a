"""The case screens: the township works on the case page, a department on its assignment page,
the county governance centre on both. Each step is one service (``governance.admin.steps``);
a refusal comes back as a Chinese message and changes nothing."""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.admin.common import form_errors_add, guessed_warn
from cases.assignments import (
    assignment_accept,
    assignment_chase,
    assignment_decline,
    assignment_escalate,
    assignment_feedback,
    assignment_reassign,
    assignment_respond,
)
from cases.deadlines import overdue_q
from cases.forms import AttachmentForm, CaseRaiseForm, DepartmentChoiceForm, FeedbackForm, RateForm, RespondForm
from cases.models import DEPARTMENT_PENDING_STATES, LIVE_STATES, AssignmentState, Case, CaseAssignment
from cases.raising import case_attachment_add, case_department_add, case_raise
from cases.ratings import assignment_rate
from cases.scorecards import default_period, department_scorecards, period_validate, scorecards_csv
from cases.selectors import assignment_steps, case_assignments_visible, case_search_q, case_steps, case_timeline
from governance.admin.scoped import ScopedModelAdmin
from governance.admin.search import IndexedSearchMixin
from governance.admin.steps import OptionalReasonForm, ReasonForm, Step, WorkflowStepsMixin
from governance.models import LeadershipPost, UnitLevel
from governance.roles import Capability
from governance.scoping import DEPARTMENTS, holds_any


def _with(service, **fixed):
    return lambda actor, assignment, data: service(actor=actor, assignment=assignment, **fixed, **data)


def _departments_free_on_the_case(record) -> dict:
    """The choice of departments to add or reassign to: the case's county's, less those already
    working on it (each department holds one live assignment per case)."""
    case = record.case if isinstance(record, CaseAssignment) else record
    busy = case.assignments.filter(state__in=LIVE_STATES).values_list("department_id", flat=True)
    return {"county_id": case.township.parent_id, "exclude_ids": list(busy)}


ASSIGNMENT_STEPS = {
    "accept": Step("accept", _("Accept (报到)"), _with(assignment_accept)),
    "feedback": Step("feedback", _("Give first progress feedback"), _with(assignment_feedback), FeedbackForm),
    "respond": Step("respond", _("Report the result"), _with(assignment_respond), RespondForm),
    "decline": Step("decline", _("Decline: not our matter"), _with(assignment_decline), ReasonForm, danger=True),
    "rate": Step("rate", _("Rate the response"), _with(assignment_rate), RateForm),
    "reassign": Step(
        "reassign",
        _("Reassign to another department"),
        _with(assignment_reassign),
        DepartmentChoiceForm,
        form_kwargs=_departments_free_on_the_case,
    ),
    "escalate": Step("escalate", _("Escalate (督办)"), _with(assignment_escalate), OptionalReasonForm),
    "chase": Step("chase", _("Chase (催办)"), _with(assignment_chase), ReasonForm),
}

CASE_STEPS = {
    "add_department": Step(
        "add_department",
        _("Add a department"),
        lambda actor, case, data: case_department_add(actor=actor, case=case, **data),
        DepartmentChoiceForm,
        form_kwargs=_departments_free_on_the_case,
    ),
    "attach": Step(
        "attach",
        _("Attach a photo or document"),
        lambda actor, case, data: case_attachment_add(actor=actor, case=case, **data),
        AttachmentForm,
        done=_("Attachment added."),
    ),
}


class ViewOnlyAdmin(ScopedModelAdmin):
    """Workflow records change only through their step services, never through a plain form."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CalendarWarningMixin:
    """A step that computed new dues says so when a year's holidays were unknown (DESIGN.md §4)."""

    def step_succeeded(self, request, step, result):
        guessed_warn(request, getattr(result, "guessed_years", ()))


@admin.register(Case)
class CaseAdmin(IndexedSearchMixin, CalendarWarningMixin, WorkflowStepsMixin, ViewOnlyAdmin):
    list_display = ("reference", "title", "township", "village", "item", "priority", "state", "raised_at")
    list_select_related = ("township", "village", "item")
    # The dates serve the home page's weekly figures (issue 13), each a link to its week's cases.
    list_filter = (
        "state",
        "priority",
        "township",
        ("raised_at", admin.DateFieldListFilter),
        ("closed_at", admin.DateFieldListFilter),
    )
    unit_filters = {"township": ("township",)}
    search_fields = ("reference", "title")  # a reference's prefix, else the title (get_search_results)
    sortable_by = ("raised_at",)  # orders an index serves within each scope (issue 12)
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
    change_select_related = ("township", "village", "item", "raised_by")
    steps = CASE_STEPS

    def scope_choices(self, db_field, request, queryset):
        """A case is raised by a township about one of its villages: offer units of that level only."""
        queryset = super().scope_choices(db_field, request, queryset)
        level = {"township": UnitLevel.TOWNSHIP, "village": UnitLevel.VILLAGE}.get(db_field.name)
        return queryset.filter(level=level) if level else queryset

    def has_add_permission(self, request):
        return super().has_add_permission(request) and holds_any(request.user, Capability.RAISE_CASE)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return super().get_search_results(request, queryset, search_term)
        return super().get_search_results(request, queryset.filter(case_search_q(term)), "")

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/attachment/<int:attachment_id>/",
                wrap(self.attachment_view),
                name="cases_case_attachment",
            ),
            *super().get_urls(),
        ]

    def offered_steps(self, request, obj):
        return case_steps(case=obj, user=request.user)

    def step_buttons_for_page(self, request, obj):
        """The case's own steps, then each visible assignment's, named by department: the
        township rates and the centre reassigns from the case page, a department acts on its own."""
        assignments = self._assignments(request, obj)
        assignment_admin = self.admin_site._registry[CaseAssignment]
        return [
            *self.step_buttons(request, obj),
            *assignment_admin.step_buttons_for_many(request, assignments, next_url=self._change_url(obj)),
        ]

    @staticmethod
    def _assignments(request, case) -> list[CaseAssignment]:
        """The case's visible assignments, read once per request: the page lists them and the steps
        panel offers their steps."""
        read = request.__dict__.setdefault("_case_assignments", {})
        if case.pk not in read:
            visible = case_assignments_visible(case=case, user=request.user).select_related("case__township")
            read[case.pk] = list(visible)
        return read[case.pk]

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
            "item_co_sectors": form.item_co_sectors(),
        }
        return TemplateResponse(request, "admin/cases/case/raise.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if case is not None:
            extra_context.update(
                assignments=self._assignments(request, case),
                timeline=case_timeline(case=case, user=request.user),
                attachments=case.attachments.all(),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def _change_url(case):
        return reverse("admin:cases_case_change", args=[case.pk])

    def attachment_view(self, request, object_id, attachment_id):
        """Attachments are served through the case's scope, never as public media files."""
        case = self.get_object(request, unquote(object_id))
        if case is None or not self.has_view_permission(request, case):
            raise Http404
        attachment = case.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise Http404
        return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=str(attachment))


class DueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return (
            ("overdue", _("Overdue now")),
            ("escalated", _("Escalated and unfinished")),
            ("rating_late", _("Rating past the close date")),
        )

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(overdue_q(timezone.now()))
        if self.value() == "rating_late":
            return queryset.filter(state=AssignmentState.RESPONDED, close_due__lt=timezone.now())
        if self.value() == "escalated":
            return queryset.filter(state__in=DEPARTMENT_PENDING_STATES, escalated_at__isnull=False)
        return queryset


class EscalatedToFilter(admin.SimpleListFilter):
    """The deputy an assignment was escalated to (督办): the leadership posts of the user's counties,
    a table of a few rows, not a scan of the assignments for the posts they name."""

    title = _("escalated to")
    parameter_name = "escalated_to"

    def lookups(self, request, model_admin):
        posts = LeadershipPost.objects.for_user(request.user).select_related("county")
        return [(str(post.pk), str(post)) for post in posts]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdecimal():
            return queryset.none()
        return queryset.filter(escalated_to_id=int(value))


class ScorecardPeriodForm(forms.Form):
    # A date input holds ISO dates whatever the language's display format.
    start = forms.DateField(
        label=pgettext_lazy("period", "from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=pgettext_lazy("period", "to"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        cleaned = super().clean()
        if "start" in cleaned and "end" in cleaned:
            period_validate(start=cleaned["start"], end=cleaned["end"])
        return cleaned


@admin.register(CaseAssignment)
class CaseAssignmentAdmin(IndexedSearchMixin, CalendarWarningMixin, WorkflowStepsMixin, ViewOnlyAdmin):
    # Fits 1366 px: the due of the step awaited now stands in for the four dues (all on the page).
    list_display = (
        "case_reference",
        "case_title",
        "department",
        "state",
        "round",
        "next_due",
        "resolve_due",
        "overdue_shown",
    )
    list_select_related = ("case", "department")
    ordering = ("-created_at", "-pk")  # newest first, without sorting on the case table
    # The township, county, deputy and escalation date serve the home page's figures (issue 13).
    list_filter = (
        "state",
        DueFilter,
        "overdue",
        "department",
        "township",
        "county",
        EscalatedToFilter,
        ("escalated_at", admin.DateFieldListFilter),
    )
    unit_filters = {"department": DEPARTMENTS, "township": ("township",), "county": ("county",)}
    search_fields = ("case__reference", "case__title")  # see get_search_results
    sortable_by = ("resolve_due",)
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
        "overdue_shown",
        "escalated_at",
        "escalated_to",
        "reassigned_to",
        "created_at",
    )
    readonly_fields = fields
    change_select_related = ("case__township", "department", "escalated_to__county", "reassigned_to")
    steps = ASSIGNMENT_STEPS

    def get_fields(self, request, obj=None):
        # "Counted Monday–Friday" matters only where a year's holidays were unknown.
        if obj is not None and not obj.guessed_years:
            return tuple(name for name in self.fields if name != "guessed_years")
        return self.fields

    @admin.display(description=_("case"), ordering="case__reference")
    def case_reference(self, assignment):
        return assignment.case.reference

    @admin.display(description=_("title"))
    def case_title(self, assignment):
        return assignment.case.title

    @admin.display(description=_("next due"))
    def next_due(self, assignment):
        due = assignment.next_due
        if due is None:
            return "—"
        shown = date_format(timezone.localtime(due), "Y-m-d H:i")
        if due < timezone.now():
            return format_html('<strong class="overdue-due">{}</strong>', shown)
        return shown

    @admin.display(description=_("overdue"), ordering="overdue")
    def overdue_shown(self, assignment):
        if assignment.overdue:
            return format_html('<strong class="overdue-due">{}</strong>', _("yes"))
        return _("no")

    def has_add_permission(self, request):
        return False  # assignments come only from raising, adding and reassigning

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return super().get_search_results(request, queryset, search_term)
        # Cases in the user's own scope only (a visible assignment's case is always visible): the
        # township's index then narrows a common word's matches before they meet the assignments.
        cases = Case.objects.for_user(request.user).filter(case_search_q(term)).values("pk")
        return super().get_search_results(request, queryset.filter(case__in=cases), "")

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("scorecards/", wrap(self.scorecards_view), name="cases_caseassignment_scorecards"),
            *super().get_urls(),
        ]

    def offered_steps(self, request, obj):
        return assignment_steps(assignments=[obj], user=request.user)[obj.pk]

    def step_buttons_for_many(self, request, assignments, *, next_url: str):
        """The steps of several assignments in one panel (the case page), one query per capability."""
        offered = assignment_steps(assignments=assignments, user=request.user)
        buttons = []
        for assignment in assignments:
            for name in offered[assignment.pk]:
                buttons.append(self.step_button(assignment, name, next_url=next_url, suffix=str(assignment.department)))
        return buttons

    def change_view(self, request, object_id, form_url="", extra_context=None):
        assignment = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if assignment is not None:
            if assignment.guessed_years:
                guessed_warn(request, assignment.guessed_years.split(","))
            extra_context.update(
                timeline=assignment.transitions.select_related("actor", "department").order_by("at", "pk"),
                case_url=reverse("admin:cases_case_change", args=[assignment.case_id]),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def scorecards_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if "start" in request.GET or "end" in request.GET:
            form = ScorecardPeriodForm(request.GET)
            period = form.cleaned_data if form.is_valid() else None
        else:
            period = default_period()
            form = ScorecardPeriodForm(initial=period)
        scorecards = department_scorecards(user=request.user, **period) if period else []
        if period and request.GET.get("format") == "csv":
            return scorecards_csv(scorecards, **period)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Department scorecards"),
            "opts": self.model._meta,
            "form": form,
            "scorecards": scorecards,
            "csv_query": urlencode({**{key: day.isoformat() for key, day in (period or {}).items()}, "format": "csv"}),
            "period": period,
        }
        return TemplateResponse(request, "admin/cases/scorecards.html", context)
