from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "staffing"
    verbose_name = _("Staffing")

    def ready(self):
        from governance import dashboard
        from governance.todo import register
        from staffing.dashboard import staffing_panels
        from staffing.todo import staffing_todo

        register(staffing_todo)
        dashboard.register(staffing_panels)
