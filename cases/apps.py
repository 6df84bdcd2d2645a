from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from cases.dashboard import case_panels, service_request_panels
        from cases.denormalised import township_moved
        from cases.taskforce_todo import milestone_queue
        from cases.todo import case_queues, service_request_queues
        from governance import dashboard
        from governance.models.units import unit_move_follow
        from governance.todo import register

        register(case_queues)
        register(service_request_queues)
        register(milestone_queue)
        dashboard.register(case_panels)
        dashboard.register(service_request_panels)
        unit_move_follow(township_moved)
