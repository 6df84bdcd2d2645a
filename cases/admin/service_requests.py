"""The desk screens for service requests (便民服务). Personal information is masked unless the
user may see it (Capability.VIEW_PERSONAL_INFO); the steps are buttons calling one service each."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.admin.cases import ViewOnlyAdmin
from cases.admin.common import form_errors_add, guessed_warn
from cases.forms import CompleteForm, ServiceRequestLogForm
from cases.models import ServiceRequest, ServiceRequestState
from cases.selectors import service_request_steps
from cases.service_requests import (
    service_request_accept,
    service_request_complete,
    service_request_forward,
    service_request_log,
    service_request_reject,
)
from governance.admin.related import person_column
from governance.admin.search import IndexedSearchMixin
from governance.admin.steps import ReasonForm, Step, WorkflowStepsMixin
from governance.models import ServiceItem, UnitLevel
from governance.roles import Capability
from governance.scoping import holds_any, units_for
from governance.text_search import contains_q
from staffing.idnumbers import mask_id_number, mask_phone

SERVICE_REQUEST_STEPS = {
    "accept": Step(
        "accept",
        pgettext_lazy("service request", "Accept"),
        lambda actor, request, data: service_request_accept(actor=actor, request=request),
    ),
    "forward": Step(
        "forward",
        _("Pass to the township"),
        lambda actor, request, data: service_request_forward(actor=actor, request=request),
    ),
    "complete": Step(
        "complete",
        _("Complete"),
        lambda actor, request, data: service_request_complete(actor=actor, request=request, **data),
        CompleteForm,
    ),
    "reject": Step(
        "reject",
        _("Reject"),
        lambda actor, request, data: service_request_reject(actor=actor, request=request, **data),
        ReasonForm,
        danger=True,
    ),
}


class DueStateFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return (("overdue", _("Overdue now")),)

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(
                state__in=[ServiceRequestState.RECEIVED, ServiceRequestState.ACCEPTED], due_at__lt=timezone.now()
            )
        return queryset


@admin.register(ServiceRequest)
class ServiceRequestAdmin(IndexedSearchMixin, WorkflowStepsMixin, ViewOnlyAdmin):
    list_display = (
        "item",
        "applicant_name",
        "masked_id_number",
        "masked_phone",
        "township",
        "village",
        "desk",
        "state",
        "received_at",
        "due_at",
        "handler_name",
    )
    list_select_related = ("item", "township", "village", "handler")
    list_filter = (
        "state",
        "desk",
        DueStateFilter,
        "township",
        ("received_at", admin.DateFieldListFilter),
        ("finished_at", admin.DateFieldListFilter),
    )
    unit_filters = {"township": ("township",)}
    search_fields = ("applicant_name", "item__name", "item__code")  # see get_search_results
    sortable_by = ("received_at", "due_at")
    autocomplete_fields = ("item", "township", "village")
    shared_choice_fields = ("item",)
    choice_capabilities = {"township": Capability.LOG_SERVICE_REQUEST, "village": Capability.LOG_SERVICE_REQUEST}
    fields = (
        "item",
        "township",
        "village",
        "desk",
        "state",
        "applicant_name",
        "masked_id_number",
        "masked_phone",
        "received_at",
        "due_at",
        "guessed_years",
        "handler",
        "result",
        "finished_at",
    )
    readonly_fields = fields
    steps = SERVICE_REQUEST_STEPS

    def get_fields(self, request, obj=None):
        if obj is not None and not obj.guessed_years:
            return tuple(name for name in self.fields if name != "guessed_years")
        return self.fields

    handler_name = person_column(ServiceRequest, "handler")

    def get_search_results(self, request, queryset, search_term):
        """The applicant's name, or the service item's name or code (a join to a small table)."""
        term = search_term.strip()
        if not term:
            return super().get_search_results(request, queryset, search_term)
        # The items' keys as a list, not a subquery: PostgreSQL then ORs the applicant's trigram index
        # with the item index (a subquery inside OR made it read every request; issue 12).
        items = list(
            ServiceItem.objects.filter(Q(name__icontains=term) | Q(code__iexact=term)).values_list("pk", flat=True)
        )
        found = queryset.filter(contains_q("applicant_name", term) | Q(item__in=items))
        return super().get_search_results(request, found, "")

    def offered_steps(self, request, obj):
        return service_request_steps(request=obj, user=request.user)

    def scope_choices(self, db_field, request, queryset):
        """Desks are villages and townships (the log form's desk asks through the "township" field)."""
        queryset = super().scope_choices(db_field, request, queryset)
        if db_field.name in ("township", "village"):
            return queryset.filter(level__in=[UnitLevel.TOWNSHIP, UnitLevel.VILLAGE])
        return queryset

    def get_queryset(self, request):
        # Whether the user may read each row's personal information, in the page's one query.
        readable = units_for(request.user, Capability.VIEW_PERSONAL_INFO).filter(pk=OuterRef("township_id"))
        return super().get_queryset(request).annotate(personal_info_readable=Exists(readable))

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj):
        return obj.id_number if getattr(obj, "personal_info_readable", False) else mask_id_number(obj.id_number)

    @admin.display(description=_("phone"))
    def masked_phone(self, obj):
        return obj.phone if getattr(obj, "personal_info_readable", False) else mask_phone(obj.phone)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and holds_any(request.user, Capability.LOG_SERVICE_REQUEST)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ServiceRequestLogForm(request.POST or None, user=request.user, admin_site=self.admin_site)
        if request.method == "POST" and form.is_valid():
            try:
                result = service_request_log(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(
                    request,
                    _("Service request logged; due %(due)s.")
                    % {"due": timezone.localtime(result.request.due_at).strftime("%Y-%m-%d %H:%M")},
                )
                guessed_warn(request, result.guessed_years)
                return redirect("admin:cases_servicerequest_change", result.request.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Log a service request"),
            "opts": self.model._meta,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/cases/servicerequest/log.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if obj is not None:
            extra_context["timeline"] = obj.transitions.select_related("actor").order_by("at", "pk")
        return super().change_view(request, object_id, form_url, extra_context)
