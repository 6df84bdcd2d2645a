"""The admin's password change counts a wrong current password as a failed login (issue 11: it
had no lockout, so a session left open let anyone guess the password behind it at leisure).

A wrong current password is reported to django-axes the way a failed login is (Django's
``user_login_failed`` signal, which axes counts): the same count, for the same username and
address, and the same lockout as the login page. Once the account is locked the change is refused
and the session ended: whoever is guessing is probably not the person who signed in.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

SIGNED_OUT = _("Your password was not changed and you have been signed out.")


class CountedPasswordChangeForm(AdminPasswordChangeForm):
    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        try:
            return super().clean_old_password()
        except ValidationError:
            credentials = {"username": self.user.get_username()}
            user_login_failed.send(sender=__name__, credentials=credentials, request=self.request)
            raise


class CountedPasswordChangeView(PasswordChangeView):
    form_class = CountedPasswordChangeForm
    success_url = reverse_lazy("admin:password_change_done")

    def dispatch(self, request, *args, **kwargs):
        if AxesProxyHandler.is_locked(request, self._credentials()):
            return self._refuse()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"request": self.request}

    def get_context_data(self, **kwargs):
        return admin.site.each_context(self.request) | super().get_context_data(**kwargs)

    def form_invalid(self, form):
        if getattr(self.request, "axes_locked_out", False):  # this failure reached the limit
            return self._refuse()
        return super().form_invalid(form)

    def _credentials(self) -> dict:
        return {"username": self.request.user.get_username()}

    def _refuse(self):
        credentials = self._credentials()
        logout(self.request)
        messages.error(self.request, SIGNED_OUT)
        return get_lockout_response(self.request, None, credentials)


# Served at the admin's own address, ahead of the admin's view (governance/urls.py).
password_change = admin.site.admin_view(CountedPasswordChangeView.as_view())
