"""Staffing screens. The admin only wires services to screens (STYLE.md): forms ask the same
validate functions the services run, saves and step buttons call the services, and a refused
step comes back as a message naming the rule, never a 500."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.template_utils import HistoricalRecordContextHelper

from governance.admin.scoped import ScopedModelAdmin
from governance.models import UnitKind, UnitLevel
from governance.roles import Capability
from governance.scoping import units_for
from governance.spreadsheets.admin import SpreadsheetAdminMixin
from staffing import selectors, services
from staffing.idnumbers import mask_id_number, mask_phone
from staffing.models import (
    AppointmentProposal,
    Assessment,
    AssessmentCycle,
    AssessmentState,
    Cadre,
    CycleState,
    Nomination,
    NominationState,
    ProposalState,
    Secondment,
    SecondmentState,
    TownshipStaffing,
)

ID_NUMBER_PATTERN = r"^\d{17}[\dXx]$"


def _message_of(error: ValidationError) -> str:
    return "；".join(str(message) for message in error.messages)


# --- forms that ask the service's own checks, so bad input stops on the form ---


class ServiceCheckedForm(forms.ModelForm):
    """``service_check(form, instance)`` runs after the model is built; its errors land on the form."""

    actor = None
    service_check: Callable[["ServiceCheckedForm", Any], None] | None = None

    def _post_clean(self):
        super()._post_clean()
        if self.errors or type(self).service_check is None:
            return
        try:
            type(self).service_check(self, self.instance)
        except ValidationError as error:
            self._update_errors(error)


class ServiceFormMixin:
    """Gives each form the request's user and the admin's ``service_check``."""

    form = ServiceCheckedForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        check = self.service_check
        return type(form.__name__, (form,), {"actor": request.user, "service_check": lambda f, i: check(f, i)})


# --- step buttons on a record's page ---


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


class NoReasonForm(forms.Form):
    pass


class EndSecondmentForm(ReasonForm):
    end_date = forms.DateField(
        label=_("Actual end"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )


@dataclass
class Step:
    name: str
    label: Any
    run: Callable  # (request, obj, cleaned_data) -> None; raises ValidationError
    reason: str = "none"  # "none", "optional" or "required"
    form_class: type = ReasonForm
    done: Any = None  # the success message; "Done." if none


class StepsMixin:
    """``get_steps(request, obj)`` lists the buttons this user may press on this record now;
    each opens a small confirm page whose POST calls the service. The page is reached only
    through ``get_object`` (the scoped queryset), and the service re-checks everything."""

    change_form_template = "staffing/admin/change_form.html"

    def get_steps(self, request, obj) -> list[Step]:
        return []

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/step/<str:step_name>/",
                self.admin_site.admin_view(self.step_view),
                name="{}_{}_step".format(*info),
            ),
            *super().get_urls(),
        ]

    def _step_url(self, obj, step):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_step", args=[obj.pk, step.name])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        steps = (
            [] if obj is None else [(step.label, self._step_url(obj, step)) for step in self.get_steps(request, obj)]
        )
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "steps": steps})

    def step_view(self, request, object_id, step_name):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        step = next((step for step in self.get_steps(request, obj) if step.name == step_name), None)
        if step is None:
            raise PermissionDenied
        change_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        kwargs = {} if step.form_class is NoReasonForm else {"reason_required": step.reason == "required"}
        form = step.form_class(request.POST if request.method == "POST" else None, **kwargs)
        if step.reason == "none" and "reason" in form.fields:
            del form.fields["reason"]
        if request.method == "POST" and form.is_valid():
            try:
                step.run(request, obj, form.cleaned_data)
            except ValidationError as error:
                messages.error(request, _message_of(error))
            else:
                messages.success(request, step.done or _("Done."))
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "title": f"{step.label}：{obj}",
            "form": form,
            "change_url": change_url,
            "step": step,
        }
        return TemplateResponse(request, "staffing/admin/step.html", context)


def _holds(request, capability, unit_id) -> bool:
    """Whether the user holds ``capability`` on the unit; cached per request for list pages."""
    cache = request.__dict__.setdefault("_staffing_units", {})
    if capability not in cache:
        cache[capability] = set(units_for(request.user, capability).values_list("pk", flat=True))
    return unit_id in cache[capability]


# --- timelines (one transition row per step) ---


class TimelineMixin:
    """Shows the record's transition rows (who, from, to, why, when) as a read-only table."""

    timeline_states: type = SecondmentState

    def _state_label(self, state):
        return self.timeline_states(state).label if state in self.timeline_states.values else "—"

    @admin.display(description=_("Timeline"))
    def timeline(self, obj):
        rows = obj.transitions.select_related("actor").order_by("at", "pk")
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M"),
                    getattr(row, "round", "") or "",
                    row.actor.get_full_name() or row.actor.get_username(),
                    self._state_label(row.from_state),
                    self._state_label(row.to_state),
                    row.reason,
                )
                for row in rows
            ),
        )
        head = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            _("time"),
            _("round"),
            _("actor"),
            _("from"),
            _("to"),
            _("reason"),
        )
        return format_html('<table class="staffing-timeline">{}{}</table>', head, body)


# --- cadres ---


class _MaskingHistoryHelper(HistoricalRecordContextHelper):
    """History diffs show the ID number and phone masked to users who may not read them."""

    def prepare_delta_change_value(self, change, value):
        if change.field == "id_number" and value:
            return mask_id_number(value)
        if change.field == "phone" and value:
            return mask_phone(value)
        return super().prepare_delta_change_value(change, value)


@admin.register(Cadre)
class CadreAdmin(SpreadsheetAdminMixin, ServiceFormMixin, ScopedModelAdmin):
    sheet_resource = "cadre"
    list_display = (
        "name",
        "id_number_shown",
        "gender",
        "phone_shown",
        "home_unit",
        "current_post",
        "staff_category",
        "rank",
        "political_status",
    )
    list_select_related = ("home_unit",)
    list_filter = ("home_unit", "staff_category", "rank", "leadership_level", "political_status", "education", "gender")
    # Exact match on the full ID number works for everyone; partial matches would leak digits.
    search_fields = ("name", "=id_number")
    autocomplete_fields = ("home_unit",)

    def get_queryset(self, request):
        return selectors.with_personal_info_visible(super().get_queryset(request), user=request.user)

    def get_search_results(self, request, queryset, search_term):
        import re

        if re.match(ID_NUMBER_PATTERN, search_term.strip()):
            search_term = search_term.strip().upper()
        return super().get_search_results(request, queryset, search_term)

    def scope_choices(self, db_field, request, queryset):
        queryset = super().scope_choices(db_field, request, queryset)
        if db_field.name == "home_unit":
            queryset = queryset.filter(Q(kind=UnitKind.DEPARTMENT) | Q(level=UnitLevel.TOWNSHIP))
        return queryset

    def _reveals(self, request, obj) -> bool:
        if obj is None:
            return True  # a new record: the clerk is typing the number in
        visible = getattr(obj, "personal_info_visible", None)
        if visible is None:
            visible = selectors.cadres_with_personal_info(user=request.user).filter(pk=obj.pk).exists()
        return visible

    def get_fields(self, request, obj=None):
        personal = ("id_number", "phone") if self._reveals(request, obj) else ("id_number_shown", "phone_shown")
        return (
            "name",
            *personal,
            "gender",
            "birth_date",
            "political_status",
            "education",
            "home_unit",
            "current_post",
            "staff_category",
            "rank",
            "leadership_level",
        )

    def get_readonly_fields(self, request, obj=None):
        return () if self._reveals(request, obj) else ("id_number_shown", "phone_shown")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "id_number":
            # The model's parser names the rule broken (format, check digit, birth date, area
            # code); the column's 18-character limit would stop a typed "4101 02…" or a 19th
            # digit with only "too long" (issue 10).
            kwargs["max_length"] = 40
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("resident ID number"), ordering="id_number")
    def id_number_shown(self, cadre):
        return cadre.id_number if self._reveals_row(cadre) else mask_id_number(cadre.id_number)

    @admin.display(description=_("phone"))
    def phone_shown(self, cadre):
        return cadre.phone if self._reveals_row(cadre) else mask_phone(cadre.phone)

    @staticmethod
    def _reveals_row(cadre) -> bool:
        return bool(getattr(cadre, "personal_info_visible", False))

    def get_historical_record_context_helper(self, request, historical_record):
        if self._reveals(request, historical_record.instance):
            return super().get_historical_record_context_helper(request, historical_record)
        return _MaskingHistoryHelper(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A past version's form would show the full number; only those who may read it get it.
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and not self._reveals(request, obj):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_change_permission(self, request, obj=None):
        # A township sees the cadres seconded to it but keeps only its own staff's records.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or _holds(request, Capability.SEE_RECORDS, obj.home_unit_id))

    def service_check(self, form, instance):
        services.cadre_validate(actor=form.actor, cadre=instance)

    def save_model(self, request, obj, form, change):
        services.cadre_save(actor=request.user, cadre=obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


# --- secondments ---


class InForceFilter(admin.SimpleListFilter):
    title = _("in force")
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        return (("yes", _("In force")), ("no", _("Ended")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(actual_end__isnull=True)
        if self.value() == "no":
            return queryset.filter(actual_end__isnull=False)
        return queryset


@admin.register(Secondment)
class SecondmentAdmin(SpreadsheetAdminMixin, TimelineMixin, StepsMixin, ServiceFormMixin, ScopedModelAdmin):
    sheet_resource = "secondment"
    list_display = ("cadre", "sending_unit", "host_unit", "post", "start_date", "planned_end", "actual_end")
    list_select_related = ("cadre", "sending_unit", "host_unit")
    list_filter = (InForceFilter, "host_unit", "sending_unit")
    search_fields = ("cadre__name", "=cadre__id_number", "post")
    autocomplete_fields = ("cadre", "sending_unit", "host_unit")
    choice_capabilities = {"cadre": Capability.PROPOSE_APPOINTMENT, "sending_unit": Capability.PROPOSE_APPOINTMENT}

    def scope_choices(self, db_field, request, queryset):
        queryset = super().scope_choices(db_field, request, queryset)
        if db_field.name == "sending_unit":
            queryset = queryset.filter(kind=UnitKind.DEPARTMENT)
        elif db_field.name == "host_unit":
            queryset = queryset.filter(level=UnitLevel.TOWNSHIP)
        return queryset

    def get_fields(self, request, obj=None):
        fields = ("cadre", "sending_unit", "host_unit", "start_date", "planned_end", "post", "duties")
        if obj is None:
            return fields
        return (*fields, "timeline") if obj.in_force else (*fields, "actual_end", "ended_by", "end_reason", "timeline")

    def get_readonly_fields(self, request, obj=None):
        return (
            ()
            if obj is None
            else ("cadre", "sending_unit", "host_unit", "actual_end", "ended_by", "end_reason", "timeline")
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.in_force)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_steps(self, request, obj):
        if not (obj.in_force and request.user.has_perm("staffing.change_secondment")):
            return []
        if not _holds(request, Capability.PROPOSE_APPOINTMENT, obj.sending_unit_id):
            return []
        return [
            Step(
                "end",
                _("End the secondment"),
                lambda req, o, data: services.secondment_end(
                    actor=req.user, secondment=o, end_date=data["end_date"], reason=data["reason"]
                ),
                reason="required",
                form_class=EndSecondmentForm,
                done=_("The secondment has ended."),
            )
        ]

    def service_check(self, form, instance):
        services.secondment_validate(actor=form.actor, secondment=instance)

    def save_model(self, request, obj, form, change):
        services.secondment_save(actor=request.user, secondment=obj)


# --- quota and headcount ---


class SecondedInInline(admin.TabularInline):
    model = Secondment
    fk_name = "host_unit"
    verbose_name_plural = _("Cadres seconded in (in force)")
    fields = ("cadre", "sending_unit", "post", "start_date", "planned_end")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).in_force().select_related("cadre", "sending_unit")

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TownshipStaffing)
class TownshipStaffingAdmin(ScopedModelAdmin):
    """Quota beside live headcount (DESIGN.md M8). Read-only; the quota itself is kept on the unit."""

    list_display = ("name", "parent", "staff_quota", "own_staff", "seconded_in", "headcount", "gap", "quota_status")
    list_select_related = ("parent",)
    list_filter = ("parent", "pilot")
    search_fields = ("name", "code")
    fields = ("name", "parent", "staff_quota", "own_staff", "seconded_in", "headcount", "gap", "quota_status")
    readonly_fields = fields
    inlines = (SecondedInInline,)
    ordering = ("path",)

    def get_queryset(self, request):
        return selectors.township_staffing_list(user=request.user)

    def history_view(self, request, object_id, extra_context=None):
        """The quota's history is the unit's: send the user to the unit's (scoped) history page."""
        unit = self.get_object(request, unquote(object_id))
        if unit is None:
            raise Http404
        return HttpResponseRedirect(reverse("admin:governance_unit_history", args=[unit.pk]))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("own staff"), ordering="own_staff")
    def own_staff(self, unit):
        return unit.own_staff

    @admin.display(description=_("seconded in"), ordering="seconded_in")
    def seconded_in(self, unit):
        return unit.seconded_in

    @admin.display(description=_("headcount"), ordering="headcount")
    def headcount(self, unit):
        return unit.headcount

    @admin.display(description=_("gap"), ordering="gap")
    def gap(self, unit):
        return unit.gap

    @admin.display(description=_("quota"), ordering="gap")
    def quota_status(self, unit):
        if unit.gap < 0:
            return format_html('<strong class="errornote">⚠ {}</strong>', _("Over quota by %(n)s") % {"n": -unit.gap})
        return _("Within quota")


# --- assessment cycles ---


@admin.register(AssessmentCycle)
class AssessmentCycleAdmin(TimelineMixin, StepsMixin, ServiceFormMixin, ScopedModelAdmin):
    list_display = (
        "name",
        "period_kind",
        "year",
        "quarter",
        "excellent_cap_percent",
        "state",
        "opened_by",
        "opened_at",
    )
    list_select_related = ("opened_by",)
    list_filter = ("state", "year", "period_kind")
    search_fields = ("name",)
    autocomplete_fields = ("host_units",)
    choice_capabilities = {"host_units": Capability.APPROVE_ASSESSMENT}
    timeline_states = CycleState

    def scope_choices(self, db_field, request, queryset):
        queryset = super().scope_choices(db_field, request, queryset)
        return queryset.filter(level=UnitLevel.TOWNSHIP) if db_field.name == "host_units" else queryset

    def get_fields(self, request, obj=None):
        fields = ("name", "period_kind", "year", "quarter", "excellent_cap_percent", "host_units")
        return (
            fields
            if obj is None
            else (*fields, "state", "opened_by", "opened_at", "closed_by", "closed_at", "assessments_link", "timeline")
        )

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        # A cycle is opened, filled and closed through its steps, never edited.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("assessments"))
    def assessments_link(self, cycle):
        url = reverse("admin:staffing_assessment_changelist") + f"?cycle__id__exact={cycle.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Assessments of this cycle"))

    def get_steps(self, request, obj):
        if obj.state != CycleState.OPEN or not request.user.has_perm("staffing.change_assessmentcycle"):
            return []
        if not all(
            _holds(request, Capability.APPROVE_ASSESSMENT, pk) for pk in obj.host_units.values_list("pk", flat=True)
        ):
            return []
        return [
            Step(
                "generate",
                _("Add assessments for new secondments"),
                lambda req, o, data: services.cycle_generate(actor=req.user, cycle=o),
                done=_("Assessments added for secondments in force that had none."),
            ),
            Step(
                "close",
                _("Close the cycle"),
                lambda req, o, data: services.cycle_close(actor=req.user, cycle=o),
                done=_("The cycle is closed."),
            ),
        ]

    def service_check(self, form, instance):
        services.cycle_validate(actor=form.actor, cycle=instance, host_units=form.cleaned_data.get("host_units", []))

    def save_model(self, request, obj, form, change):
        services.cycle_open(actor=request.user, cycle=obj, host_units=form.cleaned_data["host_units"])

    def save_related(self, request, form, formsets, change):
        """``cycle_open`` has set the host units (before generating the drafts); setting them
        again here would only write a second m2m history row."""


# --- assessments ---


@admin.register(Assessment)
class AssessmentAdmin(SpreadsheetAdminMixin, TimelineMixin, StepsMixin, ServiceFormMixin, ScopedModelAdmin):
    sheet_resource = "assessment"
    list_display = ("cadre", "cycle", "host_unit", "sending_unit", "post", "grade", "score", "state", "round")
    list_select_related = ("cadre", "cycle", "host_unit", "sending_unit")
    list_filter = ("cycle", "state", "grade", "host_unit", "sending_unit")
    search_fields = ("cadre__name", "=cadre__id_number")
    timeline_states = AssessmentState
    actions = ("approve_selected",)
    readonly = (
        "cycle",
        "cadre",
        "host_unit",
        "sending_unit",
        "post",
        "state",
        "round",
        "drafted_by",
        "submitted_by",
        "approved_by",
        "approved_at",
        "timeline",
    )

    def get_fields(self, request, obj=None):
        return (*self.readonly[:5], "grade", "score", "comments", *self.readonly[5:])

    def _editable(self, request, obj) -> bool:
        return (
            obj is not None
            and obj.state in (AssessmentState.DRAFT, AssessmentState.RETURNED)
            and obj.cycle.state == CycleState.OPEN
            and _holds(request, Capability.DRAFT_ASSESSMENT, obj.host_unit_id)
        )

    def get_readonly_fields(self, request, obj=None):
        return self.readonly if self._editable(request, obj) else (*self.readonly, "grade", "score", "comments")

    def has_add_permission(self, request):
        return False  # generated by the cycle

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or self._editable(request, obj))

    def has_delete_permission(self, request, obj=None):
        return False

    def get_steps(self, request, obj):
        if obj.cycle.state != CycleState.OPEN or not request.user.has_perm("staffing.change_assessment"):
            return []
        steps = []
        if self._editable(request, obj) and obj.grade:
            steps.append(
                Step(
                    "submit",
                    _("Submit for approval"),
                    lambda req, o, data: services.assessment_submit(actor=req.user, assessment=o),
                    done=_("Submitted for approval."),
                )
            )
        if _holds(request, Capability.APPROVE_ASSESSMENT, obj.host_unit_id):
            if obj.state == AssessmentState.SUBMITTED:
                steps += [
                    Step(
                        "approve",
                        _("Approve"),
                        lambda req, o, data: services.assessment_approve(actor=req.user, assessment=o),
                        done=_("Approved."),
                    ),
                    Step(
                        "return",
                        _("Return to the clerk"),
                        lambda req, o, data: services.assessment_return(
                            actor=req.user, assessment=o, reason=data["reason"]
                        ),
                        reason="required",
                        done=_("Returned to the clerk."),
                    ),
                ]
            if obj.state == AssessmentState.APPROVED:
                steps.append(
                    Step(
                        "reopen",
                        _("Reopen"),
                        lambda req, o, data: services.assessment_reopen(
                            actor=req.user, assessment=o, reason=data["reason"]
                        ),
                        reason="required",
                        done=_("Reopened and returned to the clerk."),
                    )
                )
        return steps

    def service_check(self, form, instance):
        services.assessment_draft_check(actor=form.actor, assessment=instance)

    def save_model(self, request, obj, form, change):
        services.assessment_draft(
            actor=request.user, assessment=obj, grade=obj.grade, score=obj.score, comments=obj.comments
        )

    # The batch approval runs the same service per row and reports per row.
    @admin.action(description=_("Approve the selected assessments"), permissions=["approve"])
    def approve_selected(self, request, queryset):
        for assessment in queryset.select_related("cadre"):
            try:
                services.assessment_approve(actor=request.user, assessment=assessment)
            except ValidationError as error:
                messages.error(request, f"{assessment.cadre}：{_message_of(error)}")
            else:
                messages.success(request, f"{assessment.cadre}：{_('Approved.')}")

    def has_approve_permission(self, request):
        return request.user.has_perm("staffing.change_assessment") and (
            units_for(request.user, Capability.APPROVE_ASSESSMENT).exists()
        )


# --- nominations ---


class ReadOnlyAfterCreateMixin:
    """A workflow record is filed once; afterwards only its step buttons act on it."""

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class InForceSecondmentChoicesMixin:
    def scope_choices(self, db_field, request, queryset):
        queryset = super().scope_choices(db_field, request, queryset)
        return queryset.in_force() if db_field.name == "secondment" else queryset


@admin.register(Nomination)
class NominationAdmin(
    StepsMixin, ServiceFormMixin, ReadOnlyAfterCreateMixin, InForceSecondmentChoicesMixin, ScopedModelAdmin
):
    list_display = (
        "cadre",
        "host_unit",
        "kind",
        "proposed_post",
        "state",
        "nominated_by",
        "nominated_at",
        "decided_by",
    )
    list_select_related = ("cadre", "host_unit", "nominated_by", "decided_by")
    list_filter = ("state", "kind", "host_unit")
    search_fields = ("cadre__name", "=cadre__id_number")
    autocomplete_fields = ("secondment",)
    timeline_states = NominationState
    choice_capabilities = {"secondment": Capability.NOMINATE_CADRE}

    def get_fields(self, request, obj=None):
        fields = ("secondment", "kind", "proposed_post", "reasons")
        return (
            fields
            if obj is None
            else ("cadre", "host_unit", *fields, "state", "nominated_by", "decided_by", "decision_reason")
        )

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def get_steps(self, request, obj):
        if obj.state != NominationState.SUBMITTED or not request.user.has_perm("staffing.change_nomination"):
            return []
        if not _holds(request, Capability.DECIDE_NOMINATION, obj.host_unit_id):
            return []
        return [
            Step(
                "accept",
                _("Accept"),
                lambda req, o, data: services.nomination_decide(
                    actor=req.user, nomination=o, accept=True, reason=data["reason"]
                ),
                reason="optional",
                done=_("Nomination accepted."),
            ),
            Step(
                "decline",
                _("Decline"),
                lambda req, o, data: services.nomination_decide(
                    actor=req.user, nomination=o, accept=False, reason=data["reason"]
                ),
                reason="required",
                done=_("Nomination declined."),
            ),
        ]

    def service_check(self, form, instance):
        services.nomination_validate(actor=form.actor, nomination=instance)

    def save_model(self, request, obj, form, change):
        services.nomination_create(actor=request.user, nomination=obj)


# --- appointment proposals and the veto ---


@admin.register(AppointmentProposal)
class AppointmentProposalAdmin(
    TimelineMixin,
    StepsMixin,
    ServiceFormMixin,
    ReadOnlyAfterCreateMixin,
    InForceSecondmentChoicesMixin,
    ScopedModelAdmin,
):
    list_display = (
        "cadre",
        "action",
        "host_unit",
        "sending_unit",
        "effective_date",
        "state",
        "proposed_by",
        "decided_by",
    )
    list_select_related = ("cadre", "host_unit", "sending_unit", "proposed_by", "decided_by")
    list_filter = ("state", "action", "host_unit", "sending_unit")
    search_fields = ("cadre__name", "=cadre__id_number")
    autocomplete_fields = ("secondment",)
    timeline_states = ProposalState
    choice_capabilities = {"secondment": Capability.PROPOSE_APPOINTMENT}

    def get_fields(self, request, obj=None):
        fields = ("secondment", "action", "new_post", "new_rank", "effective_date", "reason")
        if obj is None:
            return fields
        return (
            "cadre",
            "host_unit",
            "sending_unit",
            *fields,
            "state",
            "proposed_by",
            "decided_by",
            "decision_reason",
            "consented_at",
            "carried_out_by",
            "carried_out_at",
            "timeline",
        )

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def get_steps(self, request, obj):
        if not request.user.has_perm("staffing.change_appointmentproposal"):
            return []
        if obj.state == ProposalState.PROPOSED and _holds(request, Capability.DECIDE_APPOINTMENT, obj.host_unit_id):
            return [
                Step(
                    "consent",
                    _("Consent"),
                    lambda req, o, data: services.proposal_consent(actor=req.user, proposal=o, reason=data["reason"]),
                    reason="optional",
                    done=_("Consent recorded."),
                ),
                Step(
                    "veto",
                    _("Veto"),
                    lambda req, o, data: services.proposal_veto(actor=req.user, proposal=o, reason=data["reason"]),
                    reason="required",
                    done=_("Vetoed. The proposal stops here."),
                ),
            ]
        if obj.state == ProposalState.CONSENTED and _holds(
            request, Capability.PROPOSE_APPOINTMENT, obj.sending_unit_id
        ):
            return [
                Step(
                    "carry_out",
                    _("Carry out"),
                    lambda req, o, data: services.proposal_carry_out(actor=req.user, proposal=o),
                    done=_("Carried out."),
                )
            ]
        return []

    def service_check(self, form, instance):
        services.proposal_validate(actor=form.actor, proposal=instance)

    def save_model(self, request, obj, form, change):
        services.proposal_create(actor=request.user, proposal=obj)
