from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class GovernanceAdminConfig(AdminConfig):
    default_site = "governance.admin_site.GovernanceAdminSite"


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Units and roles")

    def ready(self):
        from governance import dashboard
        from governance.checks import calendar_panel, calendar_todo, calendar_years_check
        from governance.dashboard_refresh import refresh_interval_check
        from governance.todo import register

        # post_migrate fires once per app; the last firing sees every app's permissions,
        # so each role's group ends up holding exactly the model permissions it is owed.
        post_migrate.connect(_sync_role_groups, dispatch_uid="governance.sync_role_groups")
        checks.register(calendar_years_check)
        checks.register(refresh_interval_check)
        register(calendar_todo)
        dashboard.register(calendar_panel)


def _sync_role_groups(sender, using="default", **kwargs):
    from governance.access import role_groups_sync

    role_groups_sync(using=using)
