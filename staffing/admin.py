"""Staffing screens. The admin only wires services to screens (STYLE.md): forms ask the same
validate functions the services run, saves and step buttons call the services, and a refused
step comes back as a message naming the rule, never a 500."""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from governance.admin.history import ReadableChangeHelper
from governance.admin.related import person_column
from governance.admin.scoped import ScopedModelAdmin
from governance.admin.service_forms import ServiceFormMixin
from governance.admin.steps import OptionalReasonForm, ReasonForm, Step, WorkflowStepsMixin
from governance.models import UnitKind, UnitLevel
from governance.roles import Capability
from governance.scoping import holds_any, townships_near, units_for
from governance.spreadsheets.admin import SpreadsheetAdminMixin
from staffing import selectors, services
from staffing.idnumbers import mask_id_number, mask_phone
from staffing.models import (
    FINAL_STATES,
    AppointmentProposal,
    Assessment,
    AssessmentCycle,
    AssessmentState,
    Cadre,
    CycleScope,
    CycleState,
    Grade,
    Nomination,
    NominationState,
    ProposalState,
    QuotaPool,
    ReviewState,
    Secondment,
    SecondmentState,
    TownshipStaffing,
)
from staffing.periodic import assessment_period_records, periodic_summary_table
from staffing.quota import cycle_pools, excellent_quota

ID_NUMBER_PATTERN = re.compile(r"\d{17}[\dX]")


def _message_of(error: ValidationError) -> str:
    return "；".join(str(message) for message in error.messages)


# --- forms that ask the service's own checks, so bad input stops on the form ---


# --- step forms (the steps themselves: governance.admin.steps) ---


class EndSecondmentForm(ReasonForm):
    end_date = forms.DateField(
        label=_("Actual end"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ReviewRequestForm(forms.Form):
    requested_on = forms.DateField(
        label=_("Date of the written request"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Cadres do not use the system: record the request they handed in, with its date."),
    )
    grounds = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 3}))


class ReviewDecisionForm(forms.Form):
    change = forms.TypedChoiceField(
        label=_("Decision"),
        choices=((False, _("Uphold the grade")), (True, _("Change the grade"))),
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
    )
    grade = forms.ChoiceField(label=_("New grade"), choices=[("", "—"), *Grade.choices], required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class QuotaForm(forms.Form):
    quota_pool = forms.ChoiceField(label=_("excellent quota pooled by"), choices=QuotaPool.choices)
    excellent_cap_percent = forms.IntegerField(label=_("share of excellent grades (%)"), min_value=0, max_value=100)
    excellent_ceiling_percent = forms.IntegerField(
        label=_("hard ceiling on excellent grades (%)"), min_value=0, max_value=100
    )


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


# --- searching by ID number ---


class IdNumberSearchMixin:
    """A full ID number typed in the search box finds the cadre only for users who may read that
    cadre's number; to everyone else it finds nothing, so the box cannot confirm a guess about
    the digits a mask hides (issue 11). Names search as usual; partial numbers never match."""

    cadre_path = "cadre"

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip().upper()
        if not ID_NUMBER_PATTERN.fullmatch(term):
            return super().get_search_results(request, queryset, search_term)
        readable = selectors.cadres_with_personal_info(user=request.user).filter(id_number=term).values("pk")
        queryset = queryset.filter(**{"pk__in" if self.cadre_path == "pk" else f"{self.cadre_path}__in": readable})
        return super().get_search_results(request, queryset, "")


# --- cadres ---


class _MaskingHistoryHelper(ReadableChangeHelper):
    """History diffs show the ID number and phone masked, and the birth date as its year only, to
    users who may not read them (the birth date is exactly the digits the mask hides)."""

    def prepare_delta_change_value(self, change, value):
        if change.field == "id_number" and value:
            return mask_id_number(value)
        if change.field == "phone" and value:
            return mask_phone(value)
        if change.field == "birth_date" and value:
            return str(value.year)
        return super().prepare_delta_change_value(change, value)


@admin.register(Cadre)
class CadreAdmin(IdNumberSearchMixin, SpreadsheetAdminMixin, ServiceFormMixin, ScopedModelAdmin):
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
    search_fields = ("name",)  # and a full ID number, for those who may read it (IdNumberSearchMixin)
    cadre_path = "pk"
    autocomplete_fields = ("home_unit",)

    def get_queryset(self, request):
        return selectors.with_personal_info_visible(super().get_queryset(request), user=request.user)

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

    # Where the ID number is masked, so is the birth date (its year stays): the mask hides exactly
    # the eight birth-date digits, and the date beside it rebuilt the number (issue 11).
    MASKED = ("id_number_shown", "phone_shown", "birth_year_shown")

    def get_fields(self, request, obj=None):
        revealed = self._reveals(request, obj)
        id_number, phone, birth = ("id_number", "phone", "birth_date") if revealed else self.MASKED
        return (
            "name",
            id_number,
            phone,
            "gender",
            birth,
            "political_status",
            "education",
            "home_unit",
            "current_post",
            "staff_category",
            "rank",
            "leadership_level",
        )

    def get_readonly_fields(self, request, obj=None):
        return (*((), self.MASKED)[not self._reveals(request, obj)], "assessment_results")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            fieldsets = [*fieldsets, (_("Assessment results"), {"fields": ("assessment_results",)})]
        return fieldsets

    @admin.display(description=_("final grades"))
    def assessment_results(self, cadre):
        """Each closed cycle's final grade, as the cadre is told it (issue 14), with any review."""
        rows = (
            cadre.assessments.filter(cycle__state=CycleState.CLOSED, state__in=FINAL_STATES)
            .select_related("cycle", "host_unit")
            .order_by("-cycle__year", "-cycle__quarter", "pk")
        )
        return (
            format_html_join(
                "",
                "<div>{} · {}：<strong>{}</strong> {}</div>",
                (
                    (
                        row.cycle.name,
                        row.host_unit.name,
                        row.final_grade,
                        f"（{row.get_review_state_display()}）" if row.review_state else "",
                    )
                    for row in rows
                ),
            )
            or "—"
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "id_number":
            # The model's parser names the rule broken (format, check digit, birth date, area
            # code); the column's 18-character limit would stop a typed "4101 02…" or a 19th
            # digit with only "too long" (issue 10).
            kwargs["max_length"] = 40
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    # Not sortable: the order of masked numbers would tell what the mask hides.
    @admin.display(description=_("resident ID number"))
    def id_number_shown(self, cadre):
        return cadre.id_number if self._reveals_row(cadre) else mask_id_number(cadre.id_number)

    @admin.display(description=_("birth year"))
    def birth_year_shown(self, cadre):
        return cadre.birth_date.year if cadre.birth_date else "-"

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


class ArrivalForm(forms.Form):
    arrived_on = forms.DateField(
        label=_("Arrived on (报到)"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Optional.")
    )


@admin.register(Secondment)
class SecondmentAdmin(
    IdNumberSearchMixin, SpreadsheetAdminMixin, TimelineMixin, WorkflowStepsMixin, ServiceFormMixin, ScopedModelAdmin
):
    sheet_resource = "secondment"
    list_display = (
        "cadre",
        "sending_unit",
        "host_unit",
        "post",
        "start_date",
        "state",
        "arrived_on",
        "planned_end",
        "actual_end",
    )
    list_select_related = ("cadre", "sending_unit", "host_unit")
    list_filter = ("state", "host_unit", "sending_unit")
    search_fields = ("cadre__name", "post")  # and a full ID number (IdNumberSearchMixin)
    # The host township is a short list (the townships of the sending department's county, public
    # names): a plain select, since a department sees no township's records to autocomplete from.
    autocomplete_fields = ("cadre", "sending_unit")
    choice_capabilities = {"cadre": Capability.PROPOSE_APPOINTMENT, "sending_unit": Capability.PROPOSE_APPOINTMENT}

    def scope_choices(self, db_field, request, queryset):
        if db_field.name == "host_unit":
            return queryset.filter(pk__in=townships_near(request.user, Capability.PROPOSE_APPOINTMENT).values("pk"))
        queryset = super().scope_choices(db_field, request, queryset)
        if db_field.name == "sending_unit":
            queryset = queryset.filter(kind=UnitKind.DEPARTMENT)
        return queryset

    DECISIONS = ("state", "approved_by", "arrived_on", "arrival_confirmed_by", "decision_reason")
    ENDING = ("actual_end", "ended_by", "end_reason")

    def get_fields(self, request, obj=None):
        fields = ("cadre", "sending_unit", "host_unit", "start_date", "planned_end", "post", "duties")
        if obj is None:
            return fields
        return (*fields, *self.DECISIONS, *self.ENDING, "timeline")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("cadre", "sending_unit", "host_unit", *self.DECISIONS, *self.ENDING, "timeline")

    def has_change_permission(self, request, obj=None):
        """The sending side corrects a secondment not yet ended; the township only confirms arrival."""
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or (obj.live and _holds(request, Capability.PROPOSE_APPOINTMENT, obj.sending_unit_id))
        )

    def has_delete_permission(self, request, obj=None):
        return False

    steps = {
        "approve": Step(
            "approve",
            _("Approve the secondment"),
            lambda actor, o, data: services.secondment_approve(actor=actor, secondment=o),
            done=_("Approved; the host township confirms the cadre's arrival."),
        ),
        "decline": Step(
            "decline",
            _("Decline the secondment"),
            lambda actor, o, data: services.secondment_decline(actor=actor, secondment=o, **data),
            ReasonForm,
            danger=True,
            done=_("The secondment is declined."),
        ),
        "arrive": Step(
            "arrive",
            _("Confirm the arrival (报到)"),
            lambda actor, o, data: services.secondment_confirm_arrival(actor=actor, secondment=o, **data),
            ArrivalForm,
            done=_("Arrival confirmed: the secondment is in force and counted in the township's headcount."),
        ),
        "end": Step(
            "end",
            _("End the secondment"),
            lambda actor, o, data: services.secondment_end(actor=actor, secondment=o, **data),
            EndSecondmentForm,
            done=_("The secondment has ended."),
        ),
    }

    def offered_steps(self, request, obj):
        return selectors.secondment_steps(secondment=obj, user=request.user)

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
class AssessmentCycleAdmin(TimelineMixin, WorkflowStepsMixin, ServiceFormMixin, ScopedModelAdmin):
    list_display = (
        "name",
        "period_kind",
        "year",
        "quarter",
        "quota_pool",
        "excellent_cap_percent",
        "state",
        "opened_by_name",
        "opened_at",
    )
    list_select_related = ("opened_by",)
    opened_by_name = person_column(AssessmentCycle, "opened_by")
    list_filter = ("scope", "state", "year", "period_kind", "county")
    search_fields = ("name",)
    autocomplete_fields = ("host_units", "county")
    choice_capabilities = {"host_units": Capability.APPROVE_ASSESSMENT, "county": Capability.ORGANISE_CADRES}
    timeline_states = CycleState

    def scope_choices(self, db_field, request, queryset):
        queryset = super().scope_choices(db_field, request, queryset)
        if db_field.name == "host_units":
            return queryset.filter(level=UnitLevel.TOWNSHIP)
        if db_field.name == "county":
            return queryset.filter(level=UnitLevel.COUNTY)
        return queryset

    PERIOD = ("name", "period_kind", "year", "quarter", "due_date", "review_days")
    QUOTA = ("quota_pool", "excellent_cap_percent", "excellent_ceiling_percent")

    @staticmethod
    def _opens_county_cycles(request) -> bool:
        """The county organisation department opens the county-wide cycle (one notice, one
        timetable); a township supervisor opens a township's own cycle for an ad-hoc period."""
        return holds_any(request.user, Capability.ORGANISE_CADRES)

    def get_fields(self, request, obj=None):
        if obj is None:
            if self._opens_county_cycles(request):
                return (*self.PERIOD, "county", *self.QUOTA)
            return (*self.PERIOD, "host_units")
        return (
            *self.PERIOD,
            "scope",
            "county",
            *self.QUOTA,
            "host_units",
            "excellent_pools",
            "state",
            "opened_by",
            "opened_at",
            "closed_by",
            "closed_at",
            "assessments_link",
            "timeline",
        )

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        # A cycle is opened, filled and closed through its steps, never edited.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("excellent quota by pool"))
    def excellent_pools(self, cycle):
        return format_html_join("", "<div>{}</div>", ((str(pool),) for pool in cycle_pools(cycle=cycle)))

    @admin.display(description=_("assessments"))
    def assessments_link(self, cycle):
        url = reverse("admin:staffing_assessment_changelist") + f"?cycle__id__exact={cycle.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Assessments of this cycle"))

    steps = {
        "quota": Step(
            "quota",
            _("Set the excellent quota"),
            lambda actor, o, data: services.cycle_quota_set(actor=actor, cycle=o, **data),
            QuotaForm,
            form_kwargs=lambda o: {
                "initial": {name: getattr(o, name) for name in AssessmentCycleAdmin.QUOTA},
            },
            done=_("The excellent quota is set."),
            help=_("Until the first assessment of the cycle is approved."),
        ),
        "generate": Step(
            "generate",
            _("Add assessments for new secondments"),
            lambda actor, o, data: services.cycle_generate(actor=actor, cycle=o),
            done=_("Assessments added for secondments in force that had none."),
        ),
        "close": Step(
            "close",
            _("Close the cycle"),
            lambda actor, o, data: services.cycle_close(actor=actor, cycle=o),
            confirm=True,
            done=_("The cycle is closed."),
            help=_("A closed cycle is final: no assessment in it can change afterwards."),
        ),
    }

    def offered_steps(self, request, obj):
        return selectors.cycle_steps(cycle=obj, user=request.user)

    def service_check(self, form, instance):
        instance.scope = CycleScope.COUNTY if "county" in form.fields else CycleScope.TOWNSHIP
        services.cycle_validate(actor=form.actor, cycle=instance, host_units=form.cleaned_data.get("host_units", []))

    def save_model(self, request, obj, form, change):
        obj.scope = CycleScope.COUNTY if "county" in form.fields else CycleScope.TOWNSHIP
        services.cycle_open(actor=request.user, cycle=obj, host_units=form.cleaned_data.get("host_units", []))

    def save_related(self, request, form, formsets, change):
        """``cycle_open`` has set the host units (before generating the drafts); setting them
        again here would only write a second m2m history row."""


# --- assessments ---


@admin.register(Assessment)
class AssessmentAdmin(
    IdNumberSearchMixin, SpreadsheetAdminMixin, TimelineMixin, WorkflowStepsMixin, ServiceFormMixin, ScopedModelAdmin
):
    sheet_resource = "assessment"
    list_display = (
        "cadre",
        "cycle",
        "host_unit",
        "sending_unit",
        "post",
        "grade",
        "score",
        "state",
        "round",
        "review_state",
    )
    list_select_related = ("cadre", "cycle", "host_unit", "sending_unit")
    list_filter = ("cycle", "state", "grade", "review_state", "host_unit", "sending_unit")
    search_fields = ("cadre__name",)  # and a full ID number (IdNumberSearchMixin)
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
        "excellent_quota_left",
        "final_grade",
        "periodic_reference",
        "ungraded_reason",
        "review_state",
        "review_requested_on",
        "review_grounds",
        "review_recorded_by",
        "review_decided_by",
        "review_decided_at",
        "review_decision",
        "grade_before_review",
        "timeline",
    )

    def get_fields(self, request, obj=None):
        return (*self.readonly[:5], "grade", "score", "comments", *self.readonly[5:])

    def changelist_view(self, request, extra_context=None):
        """A list of one cycle (the batch approval's screen) says what its pools have left."""
        cycle_id = request.GET.get("cycle__id__exact", "")
        cycle = (
            AssessmentCycle.objects.for_user(request.user).filter(pk=cycle_id).first() if cycle_id.isdecimal() else None
        )
        if cycle is not None:
            extra_context = {**(extra_context or {}), "subtitle": "；".join(map(str, cycle_pools(cycle=cycle)))}
        return super().changelist_view(request, extra_context)

    def _state_label(self, state):
        return ReviewState(state).label if state in ReviewState.values else super()._state_label(state)

    @admin.display(description=_("final grade"))
    def final_grade(self, assessment):
        """What the cadre is told once the cycle has closed (the township hands it on)."""
        return assessment.final_grade or "—"

    @admin.display(description=_("monthly and quarterly records"))
    def periodic_reference(self, assessment):
        """For reference where the year is graded: the period's 平时考核 grades, attendance and leave."""
        return periodic_summary_table(assessment_period_records(assessment))

    @admin.display(description=_("excellent quota"))
    def excellent_quota_left(self, assessment):
        """Where the supervisor grades, the pool's places left (the approval checks them again, locked)."""
        return str(excellent_quota(assessment=assessment))

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

    steps = {
        "submit": Step(
            "submit",
            _("Submit for approval"),
            lambda actor, o, data: services.assessment_submit(actor=actor, assessment=o),
            done=_("Submitted for approval."),
        ),
        "approve": Step(
            "approve",
            _("Approve"),
            lambda actor, o, data: services.assessment_approve(actor=actor, assessment=o),
            done=_("Approved."),
        ),
        "return": Step(
            "return",
            _("Return to the clerk"),
            lambda actor, o, data: services.assessment_return(actor=actor, assessment=o, **data),
            ReasonForm,
            danger=True,
            done=_("Returned to the clerk."),
        ),
        "reopen": Step(
            "reopen",
            _("Reopen"),
            lambda actor, o, data: services.assessment_reopen(actor=actor, assessment=o, **data),
            ReasonForm,
            done=_("Reopened and returned to the clerk."),
        ),
        "ungraded": Step(
            "ungraded",
            _("Settle as not graded (不定等次)"),
            lambda actor, o, data: services.assessment_settle_ungraded(actor=actor, assessment=o, **data),
            ReasonForm,
            danger=True,
            done=_("Settled as not graded."),
            help=_("For an assessment the township cannot finish before the cycle closes; the reason is recorded."),
        ),
        "review_request": Step(
            "review_request",
            _("Record a request for review (复核)"),
            lambda actor, o, data: services.assessment_review_request(actor=actor, assessment=o, **data),
            ReviewRequestForm,
            done=_("The request for review is recorded; the county organisation department decides it."),
        ),
        "review_decide": Step(
            "review_decide",
            _("Decide the review"),
            lambda actor, o, data: services.assessment_review_decide(actor=actor, assessment=o, **data),
            ReviewDecisionForm,
            done=_("The review is decided."),
        ),
    }

    def offered_steps(self, request, obj):
        return selectors.assessment_steps(assessment=obj, user=request.user)

    def step_refusal(self, request, obj, step):
        """Four eyes (speech: the township's assessment power sits with its supervisor): say so."""
        if step.name in ("approve", "return") and request.user.pk in (obj.drafted_by_id, obj.submitted_by_id):
            return services.ASSESSMENT_OWN_DRAFT
        return super().step_refusal(request, obj, step)

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
            holds_any(request.user, Capability.APPROVE_ASSESSMENT)
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
    IdNumberSearchMixin,
    WorkflowStepsMixin,
    ServiceFormMixin,
    ReadOnlyAfterCreateMixin,
    InForceSecondmentChoicesMixin,
    ScopedModelAdmin,
):
    list_display = (
        "cadre",
        "host_unit",
        "kind",
        "proposed_post",
        "state",
        "nominated_by_name",
        "nominated_at",
        "decided_by_name",
    )
    list_select_related = ("cadre", "host_unit", "nominated_by", "decided_by")
    nominated_by_name = person_column(Nomination, "nominated_by")
    decided_by_name = person_column(Nomination, "decided_by")
    list_filter = ("state", "kind", "host_unit")
    search_fields = ("cadre__name",)  # and a full ID number (IdNumberSearchMixin)
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

    steps = {
        "accept": Step(
            "accept",
            _("Accept"),
            lambda actor, o, data: services.nomination_decide(actor=actor, nomination=o, accept=True, **data),
            OptionalReasonForm,
            done=_("Nomination accepted."),
        ),
        "decline": Step(
            "decline",
            _("Decline"),
            lambda actor, o, data: services.nomination_decide(actor=actor, nomination=o, accept=False, **data),
            ReasonForm,
            danger=True,
            done=_("Nomination declined."),
        ),
    }

    def offered_steps(self, request, obj):
        return selectors.nomination_steps(nomination=obj, user=request.user)

    def service_check(self, form, instance):
        services.nomination_validate(actor=form.actor, nomination=instance)

    def save_model(self, request, obj, form, change):
        services.nomination_create(actor=request.user, nomination=obj)


# --- appointment proposals and the veto ---


@admin.register(AppointmentProposal)
class AppointmentProposalAdmin(
    IdNumberSearchMixin,
    TimelineMixin,
    WorkflowStepsMixin,
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
        "proposed_by_name",
        "decided_by_name",
    )
    list_select_related = ("cadre", "host_unit", "sending_unit", "proposed_by", "decided_by")
    proposed_by_name = person_column(AppointmentProposal, "proposed_by")
    decided_by_name = person_column(AppointmentProposal, "decided_by")
    list_filter = ("state", "action", "host_unit", "sending_unit", ("proposed_at", admin.DateFieldListFilter))
    search_fields = ("cadre__name",)  # and a full ID number (IdNumberSearchMixin)
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

    steps = {
        "consent": Step(
            "consent",
            _("Consent"),
            lambda actor, o, data: services.proposal_consent(actor=actor, proposal=o, **data),
            OptionalReasonForm,
            done=_("Consent recorded."),
        ),
        "veto": Step(
            "veto",
            _("Veto"),
            lambda actor, o, data: services.proposal_veto(actor=actor, proposal=o, **data),
            ReasonForm,
            danger=True,
            done=_("Vetoed. The proposal stops here."),
            help=_("The township's veto is final: a vetoed proposal can never be carried out."),
        ),
        "carry_out": Step(
            "carry_out",
            _("Carry out"),
            lambda actor, o, data: services.proposal_carry_out(actor=actor, proposal=o),
            confirm=True,
            done=_("Carried out."),
        ),
    }

    def offered_steps(self, request, obj):
        return selectors.proposal_steps(proposal=obj, user=request.user)

    def step_refusal(self, request, obj, step):
        """Name the rule where the record itself says why: a veto is final; a consented proposal
        waits for its effective date."""
        if step.name == "carry_out" and obj.state == ProposalState.VETOED:
            return services.PROPOSAL_VETOED
        waiting = obj.state == ProposalState.CONSENTED and obj.effective_date > timezone.localdate()
        if step.name == "carry_out" and waiting:
            return services.PROPOSAL_NOT_YET_EFFECTIVE % {"date": obj.effective_date}
        return super().step_refusal(request, obj, step)

    def service_check(self, form, instance):
        services.proposal_validate(actor=form.actor, proposal=instance)

    def save_model(self, request, obj, form, change):
        services.proposal_create(actor=request.user, proposal=obj)


from staffing import periodic_admin  # noqa: E402, F401  (the 平时考核 screens, issue 14 item 8)

# People beyond secondment (issue 15): their screens live in staffing.people.
from staffing.people import admin as _people_admin  # noqa: E402, F401
