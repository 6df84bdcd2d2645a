"""The city administrator's "API clients" screen: register a system, give it units and
capabilities, see its token once, issue a new one, revoke it; and the calls and webhook deliveries.

The same for every user who may see it at all (model permissions: the city administrator only),
so these admins are declared global in the leak test. The token and the webhook secret are shown
on the page that answers the registration or the step, never stored, never put in a message.
"""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cases.admin.common import form_errors_add
from governance.admin.lookups import DeclaredLookupsMixin
from governance.admin.relations import (
    SafeAutocompleteSelectMultiple,
    SafeModelMultipleChoiceField,
    SafeRelationsMixin,
)
from governance.admin.steps import Step, WorkflowStepsMixin
from governance.api.clients import (
    api_client_register,
    api_client_revoke,
    api_client_token_issue,
    api_client_update,
    api_client_webhook_secret_issue,
)
from governance.api.models import API_CAPABILITIES, ApiCall, ApiClient, WebhookDelivery
from governance.models import Unit

TOKEN_VALID_DAYS = 365


def _default_expiry():
    return timezone.now() + timedelta(days=TOKEN_VALID_DAYS)


class ApiClientForm(forms.ModelForm):
    units = SafeModelMultipleChoiceField(
        queryset=Unit.objects.all(),
        label=_("acts for units"),
        help_text=_("The whole city for the 12345 hotline; one county for a county's app. Units below are included."),
    )
    capabilities = forms.MultipleChoiceField(
        label=_("capabilities"), choices=API_CAPABILITIES, widget=forms.CheckboxSelectMultiple
    )
    token_expires_at = forms.SplitDateTimeField(
        label=_("token expires at"), widget=admin.widgets.AdminSplitDateTime, initial=_default_expiry
    )
    webhook_url = forms.URLField(
        label=_("webhook URL"),
        required=False,
        assume_scheme="https",
        help_text=ApiClient._meta.get_field("webhook_url").help_text,
    )

    class Meta:
        model = ApiClient
        fields = ("name", "units", "capabilities", "token_expires_at", "rate_limit", "webhook_url")

    def __init__(self, *args, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        if admin_site is not None:
            self.fields["units"].widget = SafeAutocompleteSelectMultiple(ApiClient._meta.get_field("units"), admin_site)
            self.fields["units"].queryset = self.fields["units"].queryset  # binds the widget's choices


class NewTokenForm(forms.Form):
    token_expires_at = forms.SplitDateTimeField(
        label=_("token expires at"), widget=admin.widgets.AdminSplitDateTime, initial=_default_expiry
    )


API_CLIENT_STEPS = {
    "new_token": Step(
        "new_token",
        _("Issue a new token"),
        lambda actor, client, data: api_client_token_issue(actor=actor, client=client, **data),
        NewTokenForm,
        help=_("The old token stops working at once. The new one is shown once: copy it to the client's system."),
    ),
    "new_webhook_secret": Step(
        "new_webhook_secret",
        _("Issue a new webhook secret"),
        lambda actor, client, data: api_client_webhook_secret_issue(actor=actor, client=client),
        confirm=True,
        help=_("Events are signed with the new secret from now on. It is shown once."),
    ),
    "revoke": Step(
        "revoke",
        _("Revoke the client"),
        lambda actor, client, data: api_client_revoke(actor=actor, client=client),
        confirm=True,
        danger=True,
        help=_("For good: its token stops working and its webhook is called no more."),
    ),
}


@admin.register(ApiClient)
class ApiClientAdmin(WorkflowStepsMixin, DeclaredLookupsMixin, SafeRelationsMixin, SimpleHistoryAdmin):
    form = ApiClientForm
    list_display = ("name", "units_shown", "capabilities_shown", "token_prefix", "token_expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "token_prefix")
    autocomplete_fields = ("units",)
    readonly_fields = ("token_prefix", "revoked_at", "created_by", "created_at")
    steps = API_CLIENT_STEPS

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("units")

    @admin.display(description=_("acts for units"))
    def units_shown(self, client):
        return "、".join(unit.name for unit in client.units.all())

    @admin.display(description=_("capabilities"))
    def capabilities_shown(self, client):
        labels = dict(API_CAPABILITIES)
        return format_html_join("", "<div>{}</div>", ((labels.get(c, c),) for c in client.capabilities))

    def get_fields(self, request, obj=None):
        editable = ["name", "units", "capabilities", "token_expires_at", "rate_limit", "webhook_url"]
        return editable + list(self.readonly_fields) if obj else editable

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.revoked_at is not None:
            return self.get_fields(request, obj)
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: its service user raised cases

    def offered_steps(self, request, obj):
        if obj.revoked_at is not None or not self.has_change_permission(request, obj):
            return []
        return list(API_CLIENT_STEPS)

    def state_label(self, obj):
        return _("revoked") if obj.revoked_at else _("in use")

    # --- registering: the service, then the secrets shown once ---

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ApiClientForm(request.POST or None, admin_site=self.admin_site)
        if request.method == "POST" and form.is_valid():
            try:
                issued = api_client_register(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                self.log_addition(request, issued.client, [{"added": {}}])
                return self.secrets_page(request, issued)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Register an API client"),
            "opts": self.opts,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/api/apiclient/register.html", context)

    def step_succeeded(self, request, step, result):
        return self.secrets_page(request, result) if step.name != "revoke" else None

    def secrets_page(self, request, issued):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Copy the secrets now"),
            "opts": self.opts,
            "issued": issued,
            "client": issued.client,
        }
        response = TemplateResponse(request, "admin/api/apiclient/secrets.html", context)
        response["Cache-Control"] = "no-store"
        return response

    # --- changing: the service, which keeps the grants in step ---

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        site = self.admin_site

        class BoundToSite(form_class):
            def __init__(self, *args, **inner):
                super().__init__(*args, admin_site=site, **inner)

        return BoundToSite

    def get_changeform_initial_data(self, request):
        return {"token_expires_at": _default_expiry()}

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in ApiClientForm.Meta.fields}
        api_client_update(actor=request.user, client=obj, **data)

    def save_related(self, request, form, formsets, change):
        """The service set the units and the grants that follow them."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, "；".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if obj is not None:
            extra_context["subtitle"] = obj.name
        return super().change_view(request, object_id, form_url, extra_context)


class ViewOnlyLogAdmin(DeclaredLookupsMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiCall)
class ApiCallAdmin(ViewOnlyLogAdmin):
    list_display = ("at", "client", "method", "path", "status_code", "duration_ms", "address", "request_id")
    list_filter = ("client", "status_code", "method")
    list_select_related = ("client",)
    search_fields = ("path", "request_id")
    show_full_result_count = False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ViewOnlyLogAdmin):
    list_display = (
        "created_at",
        "client",
        "event_type",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = ("status", "client", "event_type")
    list_select_related = ("client",)
    readonly_fields = ("event_id", "payload")
