from celery import shared_task
from django.core.management import call_command


@shared_task(name="governance.refresh_dashboards", expires=60)
def refresh_dashboards_task() -> None:
    """Celery beat's refresh of the home pages' figures: the same command cron would run
    (``python manage.py refresh_dashboards``). Expires unstarted after a minute: a late refresh is
    overtaken by the next one."""
    call_command("refresh_dashboards")
