from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The intake API (issue 17), a sub-app of governance with its own label and migrations: its
    tables point at cases and service requests, and the governance app's migrations must not
    depend on the cases app's (cases depend on governance)."""

    name = "governance.api"
    label = "api"
    verbose_name = _("Intake API")

    def ready(self):
        from governance.api import webhooks

        webhooks.connect()
