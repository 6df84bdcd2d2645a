"""Admin forms that ask the service's rules before saving (STYLE.md: the rules live in services).

A service refuses at save time what breaks a rule; raised there, the refusal reaches the person as a
message above an emptied form, and what they typed is lost. An admin with ``ServiceFormMixin``
names the service's validation in ``service_check(form, instance)``: the form asks it once the model
instance is built, and its errors land on their fields with the input kept. The service asks them
again when it saves (another person may have acted in between)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


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
