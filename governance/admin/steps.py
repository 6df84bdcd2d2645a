"""Workflow steps on a record's page: the one mechanism every workflow admin uses.

A step is one service call (STYLE.md: one service per step). The record's change page shows the
steps this user may take now in one panel above the read-only fields, *outside* the admin's own
form: a form nested in a form is dropped by browsers, which once turned the main buttons into
posts to the read-only change page (issue 9). A step without input is a button that posts at
once; a step that needs input (a reason, a rating, a file) or a second look opens its own page.

Which steps are offered is a business rule, decided by each app's selectors (e.g.
``cases.selectors.assignment_steps``); the admin maps the names to services here. Every step URL
asks again whether the step is offered (a typed or stale URL gets a Chinese refusal page), and
the service checks everything once more: a refusal (a race, a stale page) comes back as a message,
never as a server error.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _

from governance.transactions import run_step

STEP_DONE = _("Done: %(step)s.")
STEP_NOT_OFFERED = _(
    "“%(step)s” cannot be taken on this record now: it is not yours to take, or the record has moved on "
    "(it is now “%(state)s”)."
)


class NoInputForm(forms.Form):
    """A step that needs nothing but the click."""


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


@dataclass(frozen=True)
class Step:
    """One step of a workflow, wired to one service.

    ``run(actor, obj, cleaned_data)`` calls the service and may raise ``ValidationError``.
    ``form_kwargs(obj)`` gives the form what it needs to offer choices (a county's departments).
    A step whose form has fields, or that is marked ``confirm``, opens its own page first.
    """

    name: str
    label: Any
    run: Callable[[Any, Any, dict], Any]
    form_class: type[forms.Form] = NoInputForm
    form_kwargs: Callable[[Any], dict] | None = None
    done: Any = None
    confirm: bool = False
    danger: bool = False  # a refusal (veto, decline, reject, return): shown in red
    help: Any = ""

    def form(self, obj, data=None, files=None, **kwargs) -> forms.Form:
        extra = self.form_kwargs(obj) if self.form_kwargs else {}
        return self.form_class(data, files, **extra, **kwargs)

    @property
    def one_click(self) -> bool:
        return not self.confirm and not self.form_class.base_fields


@dataclass(frozen=True)
class StepButton:
    """What the panel shows for one step: a button that posts, or a link to the step's page."""

    label: str
    url: str
    one_click: bool
    danger: bool
    next: str = ""


def safe_next(request, fallback: str) -> str:
    """The page to come back to after a step: ``next`` if it is on this site, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def error_messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


class WorkflowStepsMixin:
    """Mix into a ``ScopedModelAdmin`` of a workflow record.

    Subclasses set ``steps`` (every step the record knows, by name) and implement
    ``offered_steps(request, obj)``: the names this user may take now, from the app's selectors.
    """

    steps: dict[str, Step] = {}

    def offered_steps(self, request, obj) -> list[str]:
        raise NotImplementedError

    def state_label(self, obj) -> str:
        return obj.get_state_display() if hasattr(obj, "get_state_display") else ""

    # --- the panel on the change page ---

    def step_url(self, obj, name: str) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_step", args=[obj.pk, name])

    def step_button(self, obj, name: str, *, next_url: str = "", suffix: str = "") -> StepButton:
        """``next_url`` brings the user back to another page (the case page for an assignment's
        step); ``suffix`` names the record when one panel holds the steps of several."""
        step = self.steps[name]
        label = f"{step.label} · {suffix}" if suffix else str(step.label)
        url = self.step_url(obj, name)
        if next_url and not step.one_click:
            url = f"{url}?{urlencode({'next': next_url})}"
        return StepButton(label, url, step.one_click, step.danger, next_url)

    def step_buttons(self, request, obj) -> list[StepButton]:
        return [self.step_button(obj, name) for name in self.offered_steps(request, obj)]

    def workflow_panel(self, request, obj) -> dict:
        """The context of the steps panel; apps add buttons for related records (a case page
        shows its assignments' steps) by overriding ``step_buttons_for_page``."""
        return {"state": self.state_label(obj), "buttons": self.step_buttons_for_page(request, obj)}

    def step_buttons_for_page(self, request, obj) -> list[StepButton]:
        return self.step_buttons(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if obj is not None:
            extra_context["workflow"] = self.workflow_panel(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    # --- the step's own URL ---

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

    def step_view(self, request, object_id, step_name):
        obj = self.get_object(request, unquote(object_id))
        step = self.steps.get(step_name)
        if obj is None or step is None:
            raise Http404
        change_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        back = safe_next(request, change_url)
        if step_name not in self.offered_steps(request, obj):
            return self.step_refused(request, obj, step, back)
        form = step.form(obj, request.POST, request.FILES) if request.method == "POST" else None
        if form is not None and form.is_valid():
            try:
                result = run_step(lambda: step.run(request.user, obj, form.cleaned_data))
            except ValidationError as error:
                if step.one_click or not self._still_offered(request, obj, step_name):
                    for message in error_messages(error):
                        messages.error(request, message)
                    return HttpResponseRedirect(back)
                _errors_onto(form, error)  # the input was refused: correct it on the same page
            else:
                messages.success(request, step.done or STEP_DONE % {"step": step.label})
                shown = self.step_succeeded(request, step, result)
                return shown if shown is not None else HttpResponseRedirect(back)
        return self.step_page(request, obj, step, form or step.form(obj), back, change_url)

    def _still_offered(self, request, obj, step_name: str) -> bool:
        fresh = self.get_object(request, str(obj.pk))
        return fresh is not None and step_name in self.offered_steps(request, fresh)

    def step_succeeded(self, request, step: Step, result):
        """A hook for what a step's result adds to the page (a warning about the calendar); a
        response returned here is shown instead of going back (a secret shown once)."""

    def step_page(self, request, obj, step, form, back, change_url):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "title": f"{step.label}：{obj}",
            "step": step,
            "form": form,
            "back": back,
            "change_url": change_url,
            "state": self.state_label(obj),
        }
        return TemplateResponse(request, "admin/workflow/step.html", context)

    def step_refusal(self, request, obj, step: Step) -> str:
        """Why ``step`` is not offered; admins name the rule where the record shows it."""
        return STEP_NOT_OFFERED % {"step": step.label, "state": self.state_label(obj)}

    def step_refused(self, request, obj, step, back):
        """A step not offered to this user now (a typed URL, a stale page): a page saying so, 403."""
        message = self.step_refusal(request, obj, step)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "title": _("This step cannot be taken now"),
            "message": message,
            "back": back,
        }
        return TemplateResponse(request, "admin/workflow/refused.html", context, status=403)


def _errors_onto(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal of the input goes on the form's fields where it names them."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
