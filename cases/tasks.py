from celery import shared_task
from django.core.management import call_command


@shared_task(name="cases.sweep_overdue")
def sweep_overdue_task() -> None:
    """Celery beat's sweep: the same command cron would run (``python manage.py sweep_overdue``)."""
    call_command("sweep_overdue")
